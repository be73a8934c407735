"""The app's questions and SPARQL, answered by a separate, single-threaded service process.

Streamlit runs every session in a thread of one process. Forking such a process copies the
locks other threads hold at that moment (RocksDB's, the allocator's, an open store's), and the
child can wait on one of them for ever; a question asked in the app's own process has no time
limit at all. So the app neither forks nor answers questions itself: it hands each one to a
service started fresh with ``python -m kg.app.service`` (no threads, so forking from it is
safe), which answers with :func:`kg.ask.ask_bounded` and :func:`kg.query.run_query` (a killed
worker per request, with the time and memory limits of ``kg ask`` / ``kg query``) over its own
read-only store (:func:`kg.stores.open_reader`: the replica, reloaded after each commit).

Once the service is up (a new one gets :data:`START_TIMEOUT_S` to import and load), the app
waits for an answer at most the request's time limit plus :data:`HANDOVER_S`. A
service that has not answered by then (stuck, or stopped) is killed and a fresh one started, so
every question answers or is refused within its limit and no app thread waits longer.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import QueryError, QueryTimeout, StoreError

#: Seconds the app allows beyond a request's time limit for handing it over and back.
HANDOVER_S = 0.5
#: Seconds a new service may take to import, load the vocabulary and open the store.
START_TIMEOUT_S = float(os.environ.get("KG_SERVICE_START_S", "120"))


class QueryService:
    """The client side: one service process for the store at ``location`` (or ``endpoint``).

    Thread-safe: requests from several sessions take turns, and the time spent waiting for a
    turn counts against the request's own time limit.
    """

    def __init__(self, location: str, endpoint: str | None = None) -> None:
        self.location = location
        self.endpoint = endpoint
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        """The service process's id (None before the first request, or after :meth:`close`)."""
        return self._process.pid if self._process is not None else None

    def ask(self, question: str, *, limit: int = 200, timeout_s: float | None = None) -> Any:
        """:func:`kg.ask.ask_bounded` in the service.

        Raises:
            QuestionError, QueryTimeout, QueryError, StoreError: as ``ask_bounded`` does; also
            QueryTimeout when the service did not answer within the limit (it is replaced).
        """
        from kg.ask import ASK_TIMEOUT_S, check_question

        check_question(question)  # an unreadable question never costs a round trip
        timeout = ASK_TIMEOUT_S if timeout_s is None else timeout_s
        return self._request(("ask", question, limit), timeout)

    def run_query(self, sparql: str, *, timeout_s: float, max_rows: int) -> Any:
        """:func:`kg.query.run_query` in the service (the check runs there and here)."""
        from kg.query import check_limits, prepare_query

        check_limits(timeout_s, max_rows)
        prepare_query(sparql)  # refused or malformed text is refused at once
        return self._request(("query", sparql, max_rows), timeout_s)

    def _request(self, request: tuple[Any, ...], timeout_s: float) -> Any:
        if not self._lock.acquire(timeout=timeout_s):
            raise QueryError("The app is still answering another question; try again in a moment.")
        try:
            conn = self._started()  # a service starting up has its own limit, START_TIMEOUT_S
            try:
                conn.send((*request, timeout_s))
            except OSError:  # it died since the last request
                self._replace()
                conn = self._started()
                conn.send((*request, timeout_s))
            deadline = time.monotonic() + timeout_s + HANDOVER_S
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace()
                raise QueryTimeout(timeout_s)
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                self._replace()
                raise QueryError(
                    "The question worker stopped unexpectedly; it has been restarted. Try again."
                ) from None
        finally:
            self._lock.release()
        if kind == "raise":
            raise payload
        if kind == "error":
            raise QueryError(f"The question failed: {payload}")
        return payload

    # ------------------------------------------------------------------ the process

    def _spawn(self) -> None:
        """Start a service without waiting for it (it warms up while the page renders)."""
        ours, theirs = mp.Pipe(duplex=True)
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        command = [sys.executable, "-m", "kg.app.service", str(theirs.fileno())]
        command += [self.location, self.endpoint or ""]
        self._process = subprocess.Popen(
            command,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        theirs.close()
        self._conn, self._ready = ours, False

    def start(self) -> None:
        """Start the service now if none runs (the first question then need not wait)."""
        with self._lock:
            if self._process is None:
                self._spawn()

    def _started(self) -> Connection:
        """The connection to a running, ready service (started here if needed)."""
        if self._process is None or self._process.poll() is not None:
            self._spawn()
        assert self._conn is not None
        if self._ready:
            return self._conn
        if not self._conn.poll(START_TIMEOUT_S):
            self._replace()
            raise QueryError(
                f"The question worker did not start within {START_TIMEOUT_S:g} s. "
                "Is the machine very busy? Try again in a moment."
            )
        try:
            kind, payload = self._conn.recv()
        except (EOFError, OSError):
            self._stop()
            raise QueryError(
                "The question worker could not start; the app's console says why."
            ) from None
        if kind != "ready":
            self._stop()
            raise payload if isinstance(payload, Exception) else QueryError(str(payload))
        self._ready = True
        return self._conn

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()
            self._process.wait(5)
            self._process = None
        self._ready = False

    def _replace(self) -> None:
        """Kill a service that did not answer in time and start its successor at once."""
        self._stop()
        self._spawn()

    def close(self) -> None:
        """Stop the service (closing the connection alone also ends it)."""
        with self._lock:
            self._stop()


# ---------------------------------------------------------------------- the service side


def _pinned(store: Any) -> contextlib.AbstractContextManager[Any]:
    """The store as one fixed state for a request: workers forked from here then never
    reload the replica or open RocksDB themselves (see kg.stores.oxigraph)."""
    pinned = getattr(store, "pinned", None)
    return pinned() if pinned is not None else contextlib.nullcontext(store)


def handle(store: Any, request: tuple[Any, ...]) -> tuple[str, Any]:
    """One request's reply: ``("ok", value)``, ``("raise", error)`` or ``("error", text)``."""
    from kg.ask import ask_bounded
    from kg.query import run_query

    kind, text, size, timeout_s = request
    try:
        with _pinned(store) as target:
            if kind == "ask":
                return "ok", ask_bounded(text, target, limit=size, timeout_s=timeout_s)
            if kind == "query":
                return "ok", run_query(target, text, timeout_s=timeout_s, max_rows=size)
        return "error", f"unknown request {kind!r}"
    except (QueryError, StoreError) as e:
        return "raise", e
    except Exception as e:  # a bug of ours: say it in one line, keep serving
        return "error", f"{type(e).__name__}: {e}"


def _requests(conn: Connection) -> Iterator[tuple[Any, ...]]:
    """Requests until the app closes its end (or dies): then the service ends."""
    while True:
        try:
            yield conn.recv()
        except (EOFError, OSError):
            return


def main(argv: list[str]) -> int:
    """``python -m kg.app.service FD LOCATION [ENDPOINT]``: serve the app on connection FD."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of the app: it closes our connection
    conn = Connection(int(argv[0]))
    try:
        from kg.ask import interpret
        from kg.stores import open_reader

        store = open_reader(argv[1], endpoint=argv[2] if len(argv) > 2 and argv[2] else None)
        interpret("coatings on Li")  # build the matcher once, before any worker is forked
    except (QueryError, StoreError) as e:
        conn.send(("raise", e))
        return 1
    conn.send(("ready", None))
    for request in _requests(conn):
        conn.send(handle(store, request))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
