"""The store on a SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB…, or our own ``kg serve``).

:class:`RemoteStore` implements :class:`kg.stores.base.Store`, spoken over the SPARQL 1.1 Protocol (queries and updates) and the Graph Store HTTP
Protocol (one ``PUT`` of N-Triples replaces a named graph atomically). Only the standard
library's urllib is used, so a remote store adds no dependency.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QuerySyntaxError, QueryTimeout, StoreError
from kg.query import sparql_iri
from kg.stores.base import (
    QueryResult,
    StoreHelpers,
    literal_to_python,
    triples_result,
)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_START_HINT = (
    "Start one with `oxigraph serve --location DIR --bind 127.0.0.1:7878`, "
    "or drop --endpoint to use the embedded store."
)
_NQUADS = "application/n-quads"
#: Triples per INSERT DATA request when a graph is written by SPARQL Update alone.
CHUNK_TRIPLES = 20_000
#: Where a graph written in chunks is assembled before it is swapped in (not a document).
STAGING_PREFIX = "https://w3id.org/ald-kg/graph/staging/"


def staging_graph_iri(graph_iri: str) -> str:
    """The staging graph of one target graph (the same each time, so leftovers are found)."""
    return STAGING_PREFIX + hashlib.sha256(graph_iri.encode("utf-8")).hexdigest()[:32]


def ntriples_chunks(ntriples: str, size: int) -> list[str]:
    """N-Triples text cut into pieces of at most ``size`` triples (lines), in order.

    Blank-node labels are local to one INSERT DATA request, so every line that mentions one
    goes into the first piece together: ``_:b1`` stays one node.

    >>> ntriples_chunks("<a> <p> <b> .\\n<c> <p> <d> .\\n_:x <p> <e> .\\n", 1)
    ['_:x <p> <e> .\\n', '<a> <p> <b> .\\n', '<c> <p> <d> .\\n']
    """
    blank, plain = [], []
    for line in ntriples.splitlines(keepends=True):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        line = line if line.endswith("\n") else line + "\n"
        (blank if "_:" in line else plain).append(line)
    chunks = ["".join(blank)] if blank else []
    chunks += ["".join(plain[i : i + size]) for i in range(0, len(plain), size)]
    return chunks


def _json_term_to_python(term: dict[str, str] | None) -> Any:
    """A SPARQL JSON results term as the same plain value :func:`kg.store.term_to_python` gives."""
    if term is None:
        return None
    value = term.get("value", "")
    if term.get("type") in ("uri", "bnode"):
        return value
    return literal_to_python(value, term.get("datatype", ""))


def _json_term_kind(term: dict[str, str]) -> str:
    kind = term.get("type", "literal")
    return {"uri": "iri", "bnode": "bnode", "triple": "triple"}.get(kind, "literal")


def _json_term_to_ox(term: dict[str, Any]) -> Any:
    kind = term.get("type")
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
    return ox.Literal(term["value"])


@dataclass(eq=False)
class RemoteStore(StoreHelpers):
    """A store behind a SPARQL 1.1 endpoint.

    ``endpoint`` is an Oxigraph base URL (``http://HOST:PORT``: ``/query``, ``/update`` and
    ``/store`` are derived), a Fuseki query URL (``.../DATASET/query``: ``/update`` and ``/data``
    derived), a GraphDB repository (``.../repositories/NAME``: ``/statements`` for updates) or any
    other query URL (also used for updates, as Virtuoso does). ``update_endpoint`` and
    ``store_endpoint`` override; without a store endpoint, graphs are replaced by SPARQL Update
    in bounded requests (see :meth:`_replace_by_updates`).
    """

    endpoint: str
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    timeout_s: float = 10
    query_url: str = field(init=False)
    _union_param: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        try:
            parts = urllib.parse.urlsplit(self.endpoint)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            parts = urllib.parse.urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(
                f"Not an HTTP URL: {self.endpoint!r}. Give e.g. http://127.0.0.1:7878 "
                "or http://HOST:PORT/query."
            )
        path = parts.path.rstrip("/")
        if path in ("", "/query"):
            # Oxigraph's layout; its `union-default-graph` parameter makes queries see every
            # graph, like the embedded store does.
            base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
            self.query_url = base + "/query"
            self.update_endpoint = self.update_endpoint or base + "/update"
            self.store_endpoint = self.store_endpoint or base + "/store"
            self._union_param = True
        elif path.endswith("/query"):
            # Fuseki's layout: /DATASET/query, /DATASET/update, /DATASET/data (Graph Store).
            base = urllib.parse.urlunsplit(
                (parts.scheme, parts.netloc, path[: -len("/query")], "", "")
            )
            self.query_url = self.endpoint
            self.update_endpoint = self.update_endpoint or base + "/update"
            self.store_endpoint = self.store_endpoint or base + "/data"
        elif "/repositories/" in path:
            # GraphDB / RDF4J: updates go to /repositories/NAME/statements.
            self.query_url = self.endpoint
            self.update_endpoint = self.update_endpoint or self.endpoint + "/statements"
        else:
            # Virtuoso and others: one URL for query and update.
            self.query_url = self.endpoint
            self.update_endpoint = self.update_endpoint or self.endpoint

    @property
    def description(self) -> str:
        return f"SPARQL endpoint {self.query_url}"

    # ------------------------------------------------------------------ HTTP

    def _request(
        self,
        url: str,
        *,
        method: str = "GET",
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout_s: float | None = None,
        ok_missing: bool = False,
    ) -> bytes | None:
        """One HTTP exchange; errors become StoreError with the server's own message.

        Returns None for 404 when ``ok_missing`` (an absent graph is not an error there).
        Raises TimeoutError when the server does not answer in time (the caller words it).
        """
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        timeout = timeout_s if timeout_s is not None else self.timeout_s
        deadline = time.monotonic() + timeout
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                chunks = []
                while chunk := response.read(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise TimeoutError(url)
                return b"".join(chunks)
        except urllib.error.HTTPError as e:
            if ok_missing and e.code == 404:
                return None
            message = e.read().decode("utf-8", "replace").strip()[:1000]
            raise StoreError(
                f"The SPARQL server at {url} answered HTTP {e.code} {e.reason}: "
                f"{message or '(no message)'}"
            ) from e
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError | socket.timeout):
                raise TimeoutError(url) from e
            if isinstance(e.reason, ConnectionRefusedError | socket.gaierror):
                raise StoreError(f"No SPARQL server answers at {url}. {_START_HINT}") from e
            raise StoreError(f"Cannot reach the SPARQL server at {url}: {e.reason}.") from e
        except ConnectionError as e:
            raise StoreError(f"No SPARQL server answers at {url}. {_START_HINT}") from e
        except (
            ValueError,
            UnicodeError,
            http.client.HTTPException,
        ) as e:  # a malformed URL or reply
            raise StoreError(
                f"Cannot talk to a SPARQL server at {url}: {e}. Check --endpoint."
            ) from e

    def _query_http(
        self, sparql: str, accept: str, timeout_s: float | None = None, union: bool = True
    ) -> bytes:
        url = self.query_url + ("?union-default-graph" if self._union_param and union else "")
        body = self._request(
            url,
            method="POST",
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
            timeout_s=timeout_s,
        )
        return body or b""

    def _store_op(self, sparql: str, accept: str) -> bytes:
        """A query for the store's own bookkeeping: a timeout there is a StoreError."""
        try:
            return self._query_http(sparql, accept)
        except TimeoutError as e:
            raise StoreError(
                f"The SPARQL server at {self.query_url} did not answer within {self.timeout_s:g} s."
            ) from e

    def _update(self, sparql: str) -> None:
        assert self.update_endpoint is not None
        try:
            self._request(
                self.update_endpoint,
                method="POST",
                data=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
        except TimeoutError as e:
            raise StoreError(
                f"The SPARQL server at {self.update_endpoint} did not finish the update "
                f"within {self.timeout_s:g} s."
            ) from e

    def _graph_url(self, graph_iri: str | None) -> str:
        assert self.store_endpoint is not None
        if graph_iri is None:
            return self.store_endpoint
        return self.store_endpoint + "?" + urllib.parse.urlencode({"graph": graph_iri})

    # ------------------------------------------------------------------ writes

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Replace one named graph atomically: one GSP PUT, else SPARQL Update requests of
        bounded size whose result appears at once."""
        iri = sparql_iri(graph_iri)
        if self.store_endpoint:
            try:
                self._request(
                    self._graph_url(graph_iri),
                    method="PUT",
                    data=ntriples.encode("utf-8"),
                    headers={"Content-Type": "application/n-triples"},
                )
                return
            except StoreError as e:
                cause = e.__cause__
                if not (isinstance(cause, urllib.error.HTTPError) and cause.code in (404, 405)):
                    raise
            except TimeoutError as e:
                raise StoreError(
                    f"The SPARQL server did not store graph {iri} within {self.timeout_s:g} s."
                ) from e
            self.store_endpoint = None  # no Graph Store Protocol here: use updates from now on
        self._replace_by_updates(graph_iri, ntriples)

    def _replace_by_updates(self, graph_iri: str, ntriples: str) -> None:
        """Replace a graph with SPARQL Update alone, in requests of bounded size.

        A small graph is one ``DROP ; INSERT DATA`` request (atomic on the server). A larger
        one is written in chunks of :data:`CHUNK_TRIPLES` into a staging graph of its own and
        then swapped in with one ``MOVE`` (atomic too): the target graph is never seen half
        written, and no request holds the whole graph. A staging graph left by a writer that
        died is dropped by the next write of the same graph.
        """
        iri = sparql_iri(graph_iri)
        chunks = ntriples_chunks(ntriples, CHUNK_TRIPLES)
        if len(chunks) <= 1:
            body = chunks[0] if chunks else ""
            self._update(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}}} }}")
            return
        staging = sparql_iri(staging_graph_iri(graph_iri))
        self._update(f"DROP SILENT GRAPH {staging}")
        try:
            for chunk in chunks:
                self._update(f"INSERT DATA {{ GRAPH {staging} {{\n{chunk}}} }}")
            self._update(f"MOVE SILENT GRAPH {staging} TO {iri}")
        except BaseException:
            with contextlib.suppress(StoreError, TimeoutError):
                self._update(f"DROP SILENT GRAPH {staging}")
            raise

    def remove_graph(self, graph_iri: str) -> bool:
        iri = sparql_iri(graph_iri)
        if graph_iri not in self.graphs():
            return False
        self._update(f"DROP SILENT GRAPH {iri}")
        return True

    # ------------------------------------------------------------------ reads

    def query_raw(self, sparql: str) -> dict[str, Any]:
        """A SELECT or ASK as the server's SPARQL JSON results (``head``, ``results``/``boolean``)."""
        return self._results(self._store_op(sparql, "application/sparql-results+json"))

    def _results(self, body: bytes) -> dict[str, Any]:
        """The body as SPARQL JSON results, or a StoreError saying the server is not one."""
        try:
            data = json.loads(body)
            bindings = data.get("results", {}).get("bindings", [])
            if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
                raise ValueError("bindings are not a list of objects")
            return data
        except (ValueError, AttributeError, RecursionError) as e:
            raise StoreError(
                f"The server at {self.query_url} did not answer with SPARQL JSON results "
                f"({type(e).__name__}: {str(e)[:120]}). Is --endpoint a SPARQL endpoint?"
            ) from None

    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query (internal, generated queries)."""
        return bool(self.query_raw(sparql).get("boolean"))

    def select(self, sparql: str) -> Iterator[dict[str, Any]]:
        """Rows of a SELECT as dicts of plain Python values. For internal, generated queries."""
        data = self.query_raw(sparql)
        names = data.get("head", {}).get("vars", [])
        for binding in data.get("results", {}).get("bindings", []):
            yield {n: _json_term_to_python(binding.get(n)) for n in names}

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r["g"] for r in rows if isinstance(r["g"], str) and "://" in r["g"])

    def count(self) -> int:
        rows = list(
            self.select(
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
        )
        return int(rows[0]["n"]) if rows else 0

    def _nquads(self, graph: str | None) -> bytes:
        """The dataset (or one graph) as N-Quads: GSP GET when available, else a SELECT."""
        if self.store_endpoint:
            try:
                body = self._request(
                    self._graph_url(graph),
                    headers={"Accept": _NQUADS if graph is None else "application/n-triples"},
                    ok_missing=True,
                )
                if graph is None or body is None:
                    return body or b""
                triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                quads = (
                    ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples
                )
                return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            except StoreError:
                pass  # fall back to plain SPARQL below
            except TimeoutError as e:
                raise StoreError(
                    f"The SPARQL server did not send the data within {self.timeout_s:g} s."
                ) from e
        pattern = (
            f"GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }} BIND({sparql_iri(graph)} AS ?g)"
            if graph
            else ("{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }")
        )
        data = self._results(
            self._store_op(
                f"SELECT ?s ?p ?o ?g WHERE {{ {pattern} }}", "application/sparql-results+json"
            )
        )
        quads = []
        for b in data.get("results", {}).get("bindings", []):
            g = b.get("g")
            quads.append(
                ox.Quad(
                    _json_term_to_ox(b["s"]),
                    _json_term_to_ox(b["p"]),
                    _json_term_to_ox(b["o"]),
                    _json_term_to_ox(g) if g else ox.DefaultGraph(),
                )
            )
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    def dump(self, fmt: ox.RdfFormat, *, graph: str | None = None) -> bytes:
        """Serialize like :meth:`OxigraphStore.dump`, from a local copy of the server's quads."""
        from kg.stores.oxigraph import OxigraphStore

        local = OxigraphStore(None)
        try:
            local.raw.bulk_extend(ox.parse(self._nquads(graph), format=ox.RdfFormat.N_QUADS))
        except SyntaxError as e:  # the "server" answered something that is not RDF
            first = str(e).strip().splitlines()[0][:200] if str(e).strip() else "no detail"
            raise StoreError(
                f"The server at {self.store_endpoint or self.query_url} did not answer with "
                f"RDF ({first}). Is --endpoint a SPARQL 1.1 endpoint?"
            ) from None
        return local.dump(fmt, graph=graph)

    # ------------------------------------------------------------------ the protocol

    def update(self, sparql: str) -> None:
        """One SPARQL Update of our own (user text never gets here)."""
        self._update(sparql)

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
        """See :meth:`kg.stores.base.Store.query`; ``prefixes`` the query uses without
        declaring them are declared (a server does not know ours). ``union`` is what the
        server does with the default graph: Oxigraph's ``union-default-graph``.

        The HTTP timeout bounds the wait; the server's own limit is whatever it was started
        with (``oxigraph serve --timeout-s``; ``kg serve --timeout``).
        """
        text = _prefix_block(_missing_prefixes(sparql, prefixes or {})) + sparql
        limit = timeout_s if timeout_s is not None else self.timeout_s
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else _JSON
        try:
            body = self._query_http(text, accept, timeout_s=limit, union=union)
        except TimeoutError as e:
            raise QueryTimeout(limit) from e
        except StoreError as e:
            cause = e.__cause__
            if isinstance(cause, urllib.error.HTTPError) and cause.code == 400:
                raise QuerySyntaxError(str(e)) from e
            if isinstance(cause, urllib.error.HTTPError):
                raise QueryError(str(e)) from e
            raise
        if form in ("CONSTRUCT", "DESCRIBE"):
            try:
                triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            except SyntaxError as e:
                raise QueryError(
                    f"The server at {self.query_url} did not answer with N-Triples ({e}). "
                    "Is --endpoint a SPARQL endpoint?"
                ) from None
            result = triples_result(triples[:max_rows], len(triples) > max_rows)
            return QueryResult(
                form, result.columns, result.rows, result.truncated, None, result.triples_nt,
                0.0, result.row_types,
            )  # fmt: skip
        data = self._results(body)
        if form == "ASK":
            return QueryResult("ASK", [], [], False, boolean=bool(data.get("boolean")))
        columns = data.get("head", {}).get("vars", [])
        bindings = data.get("results", {}).get("bindings", [])
        kept = bindings[:max_rows]
        return QueryResult(
            "SELECT",
            columns,
            [{c: _json_term_to_python(b.get(c)) for c in columns} for b in kept],
            len(bindings) > max_rows,
            row_types=[{c: _json_term_kind(t) for c, t in b.items()} for b in kept],
        )


_JSON = "application/sparql-results+json"


def _missing_prefixes(sparql: str, prefixes: Mapping[str, str]) -> dict[str, str]:
    """Prefixes the query may use without declaring (a remote server does not know them)."""
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w.-]*):", sparql)}
    return {k: v for k, v in prefixes.items() if k not in declared}


def _prefix_block(prefixes: Mapping[str, str]) -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())


def oxigraph_binary() -> str:
    """The ``oxigraph`` server next to this Python (the venv's), else on PATH."""
    import sys
    from pathlib import Path
    from shutil import which

    candidate = Path(sys.executable).parent / "oxigraph"
    if candidate.exists():
        return str(candidate)
    found = which("oxigraph")
    if not found:
        raise StoreError(
            "The oxigraph server is not installed. Install it with `pip install oxigraph`."
        )
    return found


def wait_until_up(
    url: str,
    *,
    timeout_s: float = 10.0,
    process: Any = None,
    log: Any = None,
) -> None:
    """Poll ``url``'s query endpoint until it answers, or raise StoreError.

    ``process`` (a Popen) and its ``log`` file let a server that died at start say why.
    """
    deadline = time.monotonic() + timeout_s
    probe = RemoteStore(url, timeout_s=1)
    while True:
        if process is not None and process.poll() is not None:
            err = ""
            if log is not None:
                log.seek(0)
                err = log.read().decode("utf-8", "replace")
            raise StoreError(
                f"The SPARQL server stopped at start (exit {process.returncode}): {err.strip()}"
            )
        try:
            probe.query_raw("ASK { }")
            return
        except (StoreError, TimeoutError, OSError):
            if time.monotonic() > deadline:
                raise StoreError(
                    f"The SPARQL server at {url} did not start within {timeout_s:g} s."
                ) from None
            time.sleep(0.05)
