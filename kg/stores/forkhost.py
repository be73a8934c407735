"""Query workers forked from a process that has one thread: ``kg serve``'s engine side.

``kg serve`` answers HTTP in many threads. Forking a worker from such a process copies the
locks its other threads hold at that moment (the allocator's, the import lock, a store's), and
the child can wait on one of them for ever. So the server never forks: it hands each query to
this host, started fresh (``python -m kg.stores.forkhost``), which loads the store (the
in-memory replica when it fits, reloaded after each commit) and forks one worker per query from
its only thread. The worker answers the server's connection itself, so queries run side by
side while the host goes back to accepting.

Every process dies with its parent (``PR_SET_PDEATHSIG``): killing ``kg serve`` in any way ends
the host and with it every worker, so nothing is left answering. A worker past its time limit
is killed by the server; a worker whose server stopped waiting ends itself a little later
(``SIGALRM``, default action).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from kg.errors import QueryTimeout, StoreError, WorkerMemoryError
from kg.stores.worker import WORKER_MEMORY_MB, call_and_send, die_with_parent, outcome

#: Seconds the host may take to start and load the store.
START_TIMEOUT_S = float(os.environ.get("KG_SERVICE_START_S", "120"))
#: Seconds beyond its limit after which a worker nobody waits for ends itself.
BACKSTOP_S = 5.0
#: Seconds allowed for handing a query to the host and the answer back.
HANDOVER_S = 0.5


class ForkHost:
    """The server's side: ``call(fn, *args, timeout_s=…)`` runs ``fn(pyoxigraph_store, *args)``
    in a worker forked by the host (the same contract as ``ReplicaStore.call``). Thread-safe."""

    def __init__(self, location: str | Path, *, replica: bool = True) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kg-serve-")  # 0700: ours alone
        self.address = str(Path(self._folder.name) / "host")
        self._key = os.urandom(32)
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        command = [sys.executable, "-m", "kg.stores.forkhost", self.address, str(location)]
        self.process = subprocess.Popen(
            [*command, "replica" if replica else "disk"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(self._key)
        self.process.stdin.close()
        self._await_ready(self.process.stdout)

    def _await_ready(self, stdout: Any) -> None:
        ready, _, _ = select.select([stdout], [], [], START_TIMEOUT_S)
        line = stdout.readline().decode("utf-8", "replace").strip() if ready else ""
        stdout.close()  # the host says nothing more
        if line != "ready":
            self.close()
            reason = line.removeprefix("error: ") or f"it did not start in {START_TIMEOUT_S:g} s"
            raise StoreError(f"Cannot serve the store: {reason}")

    def call(self, fn: Any, *args: Any, timeout_s: float) -> Any:
        """``fn(store, *args)`` in a forked worker, killed after ``timeout_s`` or beyond 1 GB.

        Raises:
            QueryTimeout, WorkerMemoryError, QuerySyntaxError, QueryError: as
            :func:`kg.stores.worker.call_in_worker`.
        """
        deadline = time.monotonic() + timeout_s + HANDOVER_S
        try:
            conn = Client(self.address, family="AF_UNIX", authkey=self._key)
        except OSError as e:
            raise StoreError(
                f"The query host of `kg serve` is gone ({e}). Restart kg serve."
            ) from None
        with conn:
            conn.send((fn, args, timeout_s, WORKER_MEMORY_MB))
            pid = None
            while True:
                if not conn.poll(max(0.0, deadline - time.monotonic())):
                    _kill(pid)
                    raise QueryTimeout(timeout_s)
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    raise WorkerMemoryError(
                        f"The worker stopped unexpectedly, most likely out of its "
                        f"{WORKER_MEMORY_MB} MB memory budget. Ask a narrower question or add "
                        "LIMIT."
                    ) from None
                if kind != "pid":
                    return outcome(kind, payload, memory_mb=WORKER_MEMORY_MB)
                pid = payload

    def close(self) -> None:
        """Stop the host; its workers die with it."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait(10)
        self._folder.cleanup()


def _kill(pid: int | None) -> None:
    if pid is not None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- the host side


@contextlib.contextmanager
def _pinned(store: Any, location: str) -> Iterator[Any]:
    """The pyoxigraph store one query reads, opened here before the fork (opening RocksDB in
    a forked child can hang: see kg.stores.oxigraph)."""
    from kg.stores.oxigraph import OxigraphStore

    if store is not None:
        with store.pinned() as target:
            yield target.raw
        return
    with OxigraphStore(Path(location), read_only=True) as disk:
        yield disk.raw


def _worker(conn: Connection, target: Any, request: tuple[Any, ...]) -> None:
    """The forked worker's whole life: say its pid, answer, exit (never returns)."""
    from kg.stores.oxigraph import _in_child

    fn, args, timeout_s, memory_mb = request
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, timeout_s + BACKSTOP_S)  # SIGALRM ends it
        die_with_parent()
        conn.send(("pid", os.getpid()))
        call_and_send(conn, _in_child, (target, fn, args), memory_mb)
    finally:
        os._exit(0)


def _serve(listener: Listener, store: Any, location: str) -> None:
    """Accept queries for ever, one forked worker each."""
    from multiprocessing import AuthenticationError

    while True:
        try:
            conn = listener.accept()
        except (AuthenticationError, EOFError, OSError):
            continue
        try:
            request = conn.recv()
            with _pinned(store, location) as target:
                if os.fork() == 0:
                    _worker(conn, target, request)
        except Exception as e:  # unreadable request or store: say so to this query alone
            with contextlib.suppress(OSError):
                conn.send(("error", f"{type(e).__name__}: {e}"))
        finally:
            conn.close()


def main(argv: list[str]) -> int:
    """``python -m kg.stores.forkhost ADDRESS LOCATION replica|disk``; the key on stdin."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of kg serve: it stops us itself
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    address, location, mode = argv
    key = sys.stdin.buffer.read(32)
    import kg.stores.server  # noqa: F401  (what queries unpickle to, loaded once)
    from kg.stores.replica import ReplicaStore

    try:
        store = ReplicaStore(Path(location)) if mode == "replica" else None
        if store is not None:
            store.refresh()
    except (StoreError, OSError, RuntimeError) as e:
        print(f"error: {e}", flush=True)
        return 1
    with Listener(address, family="AF_UNIX", authkey=key) as listener:
        print("ready", flush=True)
        _serve(listener, store, location)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
