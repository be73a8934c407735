"""``kg serve``: our own read-only SPARQL 1.1 endpoint, so every query passes our check.

``oxigraph serve-read-only`` would run ``SERVICE <http://internal/>`` for anyone who can reach
the port (SSRF), and a child server outlived ``kg serve`` when it was killed. So the endpoint is
ours: each query goes through :func:`kg.query.prepare_query` (SERVICE, updates and foreign FROM
refused), then runs in a killable worker with a time limit and a row limit, over the in-memory
replica of the store when it fits (see :mod:`kg.stores.replica`), else the disk. The workers are
forked by a single-threaded host process (:mod:`kg.stores.forkhost`), never by this threaded
server.

Speaks the SPARQL 1.1 Protocol: ``GET /query?query=…``, ``POST /query`` with
``application/sparql-query`` or a form; answers SPARQL JSON, CSV or TSV results (by ``Accept``)
for SELECT/ASK and N-Triples or Turtle for CONSTRUCT/DESCRIBE. ``/update`` answers 403.

At most ``max_concurrent`` queries run at once (each in a worker of up to 1 GB): one beyond that
is answered at once with 503 and ``Retry-After``, never queued without bound. A client that
stops sending mid-request is dropped after :data:`CLIENT_TIMEOUT_S`.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QueryRefused, QuerySyntaxError, QueryTimeout, StoreError
from kg.stores.base import has_store

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
MAX_BODY = 1 << 20  # a query over 1 MB is not a query
#: Queries running at once by default: each worker may take a core and up to 1 GB.
MAX_CONCURRENT = 4
#: Seconds a client may take to send its request (a stalled one no longer holds a thread).
CLIENT_TIMEOUT_S = 30.0
RETRY_AFTER_S = 1


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    parts = ("subject", "predicate", "object")
    return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _write_rows(columns: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{c: _json_term(t) for c, t in zip(columns, r, strict=True) if t} for r in rows]
        body = {"head": {"vars": columns}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_csv_value(t) for t in r] for r in rows)
    else:
        buffer.write("\t".join(f"?{c}" for c in columns) + "\n")
        buffer.writelines("\t".join("" if t is None else str(t) for t in r) + "\n" for r in rows)
    return buffer.getvalue().encode("utf-8")


def answer(
    store: ox.Store,
    sparql: str,
    form: str,
    union: bool,
    prefixes: Mapping[str, str],
    max_rows: int,
    accept: str,
) -> tuple[str, bytes, bool]:
    """(content type, body, truncated) of a checked query; runs inside the killable worker."""
    result = store.query(sparql, use_default_graph_as_union=union, prefixes=dict(prefixes))
    if form == "ASK":
        return (
            "application/sparql-results+json",
            json.dumps({"head": {}, "boolean": bool(result)}).encode(),
            False,
        )
    if form in ("CONSTRUCT", "DESCRIBE"):
        media = accept if accept in _GRAPHS else "application/n-triples"
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                break
            triples.append(triple)
        truncated = len(triples) == max_rows and next(iter(result), None) is not None
        return media, ox.serialize(triples, format=_GRAPHS[media]) or b"", truncated
    media = accept if accept in _RESULTS else "application/sparql-results+json"
    columns = [v.value for v in result.variables]
    rows = []
    truncated = False
    for solution in result:
        if len(rows) == max_rows:
            truncated = True
            break
        rows.append([solution[c] for c in columns])
    return media, _write_rows(columns, rows, _RESULTS[media]), truncated


def _accept(header: str) -> str:
    """The first media type of an Accept header that we serve ("" for "anything")."""
    for part in header.split(","):
        media = part.split(";")[0].strip().lower()
        if media in _RESULTS or media in _GRAPHS:
            return media
    return ""


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    timeout = CLIENT_TIMEOUT_S

    def log_message(self, *args: object) -> None:  # quiet: `kg serve` prints its own lines
        pass

    def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain", extra)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("", "/"):
            self._error(HTTPStatus.OK, f"Read-only SPARQL endpoint: {self.server.url}/query")
            return
        if url.path != "/query":
            self._error(HTTPStatus.NOT_FOUND, "Not found. Queries go to /query.")
            return
        params = urllib.parse.parse_qs(url.query)
        self._query(params.get("query", [""])[0], params)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The query is over 1 MB.")
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        if url.path == "/update":
            self._error(HTTPStatus.FORBIDDEN, "This endpoint is read-only: updates are refused.")
            return
        if url.path != "/query":
            self._error(HTTPStatus.NOT_FOUND, "Not found. Queries go to /query.")
            return
        params = urllib.parse.parse_qs(url.query)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-query":
            self._query(body, params)
            return
        params.update(urllib.parse.parse_qs(body))
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "This endpoint is read-only: updates are refused.")
            return
        self._query(params.get("query", [""])[0], params)

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(HTTPStatus.BAD_REQUEST, "Name graphs with FROM inside the query.")
            return
        if not self.server.slots.acquire(blocking=False):
            self._error(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"The endpoint is busy: {self.server.max_concurrent} queries are running, its "
                f"limit. Retry in {RETRY_AFTER_S} s (Retry-After).",
                {"Retry-After": str(RETRY_AFTER_S)},
            )
            return
        self.server.running(+1)
        try:
            status, body, media, extra = self._checked_query(text)
        finally:  # free the slot before answering: a client's next query then finds it free
            self.server.slots.release()
            self.server.running(-1)
        self._send(status, body, media, extra)

    def _checked_query(self, text: str) -> tuple[int, bytes, str, dict[str, str]]:
        """(status, body, media type, extra headers) of one query."""
        from kg.query import DEFAULT_PREFIXES, prepare_query

        try:
            checked = prepare_query(text)
            media, body, truncated = self.server.source.call(
                answer,
                checked.text,
                checked.form,
                not checked.has_dataset,
                DEFAULT_PREFIXES,
                self.server.max_rows,
                _accept(self.headers.get("Accept") or ""),
                timeout_s=self.server.timeout_s,
            )
        except QueryRefused as e:
            return _plain(HTTPStatus.FORBIDDEN, e)
        except QuerySyntaxError as e:
            return _plain(HTTPStatus.BAD_REQUEST, e)
        except QueryTimeout as e:
            return _plain(HTTPStatus.SERVICE_UNAVAILABLE, e)
        except (QueryError, StoreError) as e:
            return _plain(HTTPStatus.INTERNAL_SERVER_ERROR, e)
        return HTTPStatus.OK, body, media, {"X-KG-Truncated": "true"} if truncated else {}


def _plain(status: HTTPStatus, error: Exception) -> tuple[int, bytes, str, dict[str, str]]:
    return status, (str(error) + "\n").encode("utf-8"), "text/plain", {}


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``source`` has ``call`` and ``close`` (a :class:`ForkHost`)."""

    daemon_threads = True

    def __init__(
        self,
        source: Any,
        host: str,
        port: int,
        timeout_s: float,
        max_rows: int,
        max_concurrent: int = MAX_CONCURRENT,
    ):
        self.source = source
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.max_concurrent = max_concurrent
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.in_progress = 0
        self._count_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def running(self, change: int) -> None:
        """Count queries in progress (``in_progress``), for `kg serve`'s users and tests."""
        with self._count_lock:
            self.in_progress += change

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"


@dataclass
class RunningServer:
    """A started endpoint serving in a thread of this process; ``str()`` is its URL."""

    url: str
    server: SparqlServer
    thread: threading.Thread

    def __str__(self) -> str:
        return self.url

    def wait(self) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (main thread only), then stop cleanly."""
        stop = threading.Event()
        previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
        try:
            while not stop.wait(0.5) and self.thread.is_alive():
                pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self) -> None:
        """Stop accepting, close the port and kill any query still running."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        if self.server.source is not None:
            self.server.source.close()  # its workers die with it

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 100_000,
    replica: bool = True,
    max_concurrent: int = MAX_CONCURRENT,
) -> RunningServer:
    """Publish the on-disk store read-only over the SPARQL Protocol; returns once it listens.

    Raises:
        StoreError: no store at ``store_path``, or the port is taken.
    """
    from kg.query import prepare_query
    from kg.stores.forkhost import ForkHost

    path = Path(store_path)
    if not has_store(path):
        raise StoreError(f"No store at {path}. Run `kg ingest FILE` first, or pass --store.")
    # The query checker's grammar (rdflib's, imported on first use) is built now, before the
    # server answers: else the first queries wait seconds for it on a loaded machine.
    prepare_query("ASK {}")
    try:
        server = SparqlServer(None, host, port, timeout_s, max_rows, max_concurrent)
    except OSError as e:
        raise StoreError(
            f"Cannot listen on {host}:{port}: {e.strerror or e}. Pick another --port."
        ) from e
    try:
        server.source = ForkHost(path, replica=replica)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return RunningServer(server.url, server, thread)
