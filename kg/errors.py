"""The errors the core raises, in one leaf module every other module may import.

Each message says what happened and what to try; ``kg.cli`` and the app turn them into one line.
"""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to try."""


class StoreBusy(StoreError):
    """Another process held the store for writing longer than we were willing to wait."""


class QueryError(Exception):
    """Base of the errors a user query can raise; the message says what to try."""


class QueryRefused(QueryError):
    """The query would write, fetch from the network or read outside the project's graphs."""


class QuerySyntaxError(QueryError):
    """The text is not valid SPARQL; ``line`` and ``column`` (1-based) point at the problem."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[object, ...]:  # keep line and column across processes
        return (type(self), (str(self), self.line, self.column))


class QueryTimeout(QueryError):
    """The query ran past its time limit and its worker was stopped."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            f"The query ran longer than {timeout_s:g} s and was stopped. "
            "Add LIMIT or narrower patterns, or raise --timeout."
        )
        self.timeout_s = timeout_s

    def __reduce__(self) -> tuple[object, ...]:  # pickles by its number, not its message
        return (type(self), (self.timeout_s,))


class WorkerMemoryError(QueryError):
    """The worker needed more memory than its budget and was stopped."""
