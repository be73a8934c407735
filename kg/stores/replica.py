"""A read replica: the on-disk store copied into memory, for readers that live long (the app,
``kg serve``).

The in-memory engine answers 2-3× faster than the same engine on disk, and a reader that holds
no files open never gets in a writer's way. The disk store stays the one source of truth: the
copy is reloaded when the store's change marker (written by each writer's commit, see
:mod:`kg.stores.locking`) differs from the one it was loaded at. When the store is larger than
the memory budget, every call opens the disk store read-only instead.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import StoreError
from kg.stores import locking
from kg.stores.base import QueryResult, StoreHelpers, has_store
from kg.stores.oxigraph import OxigraphStore

# Measured: pyoxigraph in memory holds 1M quads of our graphs in ~0.41 GB (docs/benchmarks.md);
# a reload holds the old copy and the new one for a moment, so the budget is for two.
BYTES_PER_QUAD = 450
DEFAULT_BUDGET = int(float(os.environ.get("KG_REPLICA_BUDGET_MB", "1024")) * 2**20)


@dataclass(eq=False)
class ReplicaStore(StoreHelpers):
    """Read-only :class:`~kg.stores.base.Store` over the folder ``location``."""

    location: Path
    budget_bytes: int = DEFAULT_BUDGET
    _copy: OxigraphStore | None = field(default=None, init=False)
    _token: str | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    quads: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.location = Path(self.location)
        if not has_store(self.location):
            raise StoreError(f"No graph at {self.location} yet. Run `kg ingest` first.")

    @property
    def description(self) -> str:
        kind = "in-memory replica of" if self._copy is not None else "Oxigraph at"
        return f"{kind} {self.location}"

    @property
    def in_memory(self) -> bool:
        """Whether the last call was answered from the copy (False: the store was too big)."""
        return self._copy is not None

    def refresh(self) -> None:
        """Reload the copy if a writer committed since it was made (cheap when not)."""
        token = locking.change_token(self.location)
        if token == self._token:
            return
        with self._lock:
            if token == self._token:
                return
            with OxigraphStore(self.location, read_only=True) as disk:
                quads = len(disk.raw)
                copy = None
                if 2 * quads * BYTES_PER_QUAD <= self.budget_bytes:
                    copy = OxigraphStore(None)
                    copy.raw.bulk_extend(iter(disk.raw))
            self._copy, self._token, self.quads = copy, token, quads

    @contextlib.contextmanager
    def pinned(self) -> Iterator[OxigraphStore]:
        """The store as it is now, fixed for one piece of work: the in-memory copy, or the
        disk opened read-only when over budget.

        Give this, not the replica, to work that forks (``kg.ask.ask_bounded``): a forked
        worker then neither reloads the copy nor opens RocksDB itself (which can hang).
        """
        self.refresh()
        copy = self._copy
        if copy is not None:
            yield copy
            return
        with OxigraphStore(self.location, read_only=True) as disk:
            yield disk

    def _run(self, action: Callable[[OxigraphStore], Any]) -> Any:
        self.refresh()
        copy = self._copy
        if copy is not None:
            return action(copy)
        with OxigraphStore(self.location, read_only=True) as disk:
            return action(disk)

    def call(self, fn: Callable[..., Any], *args: Any, timeout_s: float) -> Any:
        """``fn(pyoxigraph_store, *args)`` in a killable worker (see OxigraphStore.call)."""
        return self._run(lambda s: s.call(fn, *args, timeout_s=timeout_s))

    def query(
        self,
        sparql: str,
        *,
        form: str = "SELECT",
        union: bool = True,
        prefixes: Mapping[str, str] | None = None,
        timeout_s: float | None = None,
        max_rows: int = 1000,
    ) -> QueryResult:
        """See :meth:`kg.stores.base.Store.query`."""
        return self._run(
            lambda s: s.query(
                sparql,
                form=form,
                union=union,
                prefixes=prefixes,
                timeout_s=timeout_s,
                max_rows=max_rows,
            )
        )

    def graphs(self) -> list[str]:
        return self._run(lambda s: s.graphs())

    def dump(self, fmt: ox.RdfFormat, *, graph: str | None = None) -> bytes:
        return self._run(lambda s: s.dump(fmt, graph=graph))

    def count(self) -> int:
        return self._run(lambda s: s.count())

    def _refuse_write(self, *_: object) -> Any:
        raise StoreError(
            f"The replica of {self.location} is read-only; write with `kg ingest` or "
            "open_store() instead."
        )

    update = replace_graph = replace_graph_file = remove_graph = _refuse_write
