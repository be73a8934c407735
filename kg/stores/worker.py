"""The one time-and-memory limit of the package: work in a forked child that can be killed.

pyoxigraph has no query timeout and no memory cap, so user SPARQL (``kg query``, ``kg serve``)
and whole ``kg ask`` questions run through :func:`call_in_worker`. Fork: the child inherits
the imported modules and any in-memory store (copy-on-write), so starting costs milliseconds; an
on-disk store must be reopened inside the child (RocksDB handles are not meant to cross a fork).
The child dies with its parent (``PR_SET_PDEATHSIG``), so a killed ``kg`` leaves no worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import re
import signal
import sys
from typing import Any

from kg.errors import QueryError, QuerySyntaxError, QueryTimeout, WorkerMemoryError

#: Memory a worker may allocate beyond what it inherited, unless the caller says otherwise.
WORKER_MEMORY_MB = 1024


def die_with_parent() -> None:
    """Linux: have the kernel kill this process when the thread that started it dies.

    Also the initializer of ingest's worker pool, so ``kill -9`` of ``kg ingest`` orphans none.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _limit_memory(budget_mb: int) -> None:
    """Cap this process's address space at what it maps now plus ``budget_mb``."""
    import os
    import resource

    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + budget_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def call_and_send(conn: Any, func: Any, args: tuple[Any, ...], memory_mb: int | None) -> None:
    """Child process body: call ``func(*args)``, send the outcome on ``conn`` and exit."""
    die_with_parent()
    try:
        if memory_mb is not None:
            with contextlib.suppress(OSError, ValueError):  # no /proc or no rlimit: no budget
                _limit_memory(memory_mb)
        conn.send(("ok", func(*args)))
    except MemoryError:
        conn.send(("memory", ""))
    except SyntaxError as e:
        conn.send(("syntax", str(e)))
    except BaseException as e:
        try:
            conn.send(("raise", e))
        except Exception:  # an exception that does not pickle: its text is enough
            conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def syntax_from_engine(message: str) -> QuerySyntaxError:
    """Oxigraph's syntax error as ours, with line and column when it gives them."""
    m = re.search(r"error at (\d+):(\d+)", message)
    line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    first = message.strip().splitlines()[0] if message.strip() else "(no detail)"
    if len(first) > 200:  # Oxigraph lists every token it expected: keep the start
        first = first[:200].rsplit(",", 1)[0] + ", …"
    return QuerySyntaxError(f"SPARQL syntax error: {first}", line, col)


def _wait(process: Any, receiver: Any, timeout_s: float, memory_mb: int | None) -> Any:
    try:
        if not receiver.poll(timeout_s):
            process.kill()
            raise QueryTimeout(timeout_s)
        try:
            return receiver.recv()
        except EOFError:
            process.join(1)
            budget = f"its {memory_mb} MB memory budget" if memory_mb else "memory"
            raise WorkerMemoryError(
                f"The worker stopped unexpectedly (exit code {process.exitcode}), most likely "
                f"out of {budget}. Ask a narrower question or add LIMIT."
            ) from None
    finally:
        receiver.close()
        process.join(5)


def call_in_worker(
    func: Any,
    *args: Any,
    timeout_s: float,
    memory_mb: int | None = WORKER_MEMORY_MB,
) -> Any:
    """``func(*args)`` in a child killed after ``timeout_s`` or beyond ``memory_mb``.

    The child is forked from this process: it inherits everything, in-memory stores included.
    An exception ``func`` raises is raised here as it was when it pickles, else as
    :class:`QueryError`. (A fork server would avoid copying RocksDB's threads' locks, but its
    children re-import the main module: 1-4 s a query here.)

    Raises:
        QueryTimeout: the time was up. WorkerMemoryError: the memory budget was exceeded.
    """
    if "fork" not in mp.get_all_start_methods():  # pragma: no cover - Windows
        return func(*args)
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=call_and_send, args=(sender, func, args, memory_mb), daemon=True)
    process.start()
    sender.close()
    return outcome(*_wait(process, receiver, timeout_s, memory_mb), memory_mb=memory_mb)


def outcome(kind: str, payload: Any, *, memory_mb: int | None) -> Any:
    """The value a worker sent (see :func:`call_and_send`), or its error raised here as ours."""
    if kind == "memory":
        raise WorkerMemoryError(
            f"The work needed more than its {memory_mb} MB memory budget and was stopped. "
            "Ask a narrower question or add LIMIT."
        )
    if kind == "syntax":
        raise syntax_from_engine(payload)
    if kind == "raise":
        raise payload
    if kind == "error":
        raise QueryError(f"The query failed: {payload}")
    return payload
