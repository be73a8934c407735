"""kg/remote.py against a real `oxigraph serve` (the session fixture in tests/conftest.py)."""

from __future__ import annotations

import http.server
import socket
import threading
import uuid

import pyoxigraph as ox
import pytest

from kg.query import QueryRefused, QueryTimeout, run_query
from kg.remote import RemoteStore, open_backend, serve
from kg.store import OxigraphStore, StoreError, doc_graph_iri, open_store

pytestmark = pytest.mark.server

ID = "https://w3id.org/ald-kg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _nt(subject: str, label: str) -> str:
    return f'<{ID}{subject}> <{LABEL}> "{label}" .\n'


@pytest.fixture
def remote(oxigraph_server: str) -> RemoteStore:
    return RemoteStore(oxigraph_server)


@pytest.fixture
def graphs() -> tuple[str, str]:
    """Two fresh graph IRIs: the server lives for the whole session."""
    tag = uuid.uuid4().hex[:8]
    return doc_graph_iri(f"a-{tag}"), doc_graph_iri(f"b-{tag}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("endpoint", "query_url"),
    [
        ("http://127.0.0.1:7878", "http://127.0.0.1:7878/query"),
        ("http://127.0.0.1:7878/", "http://127.0.0.1:7878/query"),
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/query"),
    ],
)
def test_oxigraph_urls_are_derived(endpoint: str, query_url: str) -> None:
    store = RemoteStore(endpoint)
    assert store.query_url == query_url
    assert store.update_endpoint == "http://127.0.0.1:7878/update"
    assert store.store_endpoint == "http://127.0.0.1:7878/store"


def test_other_servers_take_explicit_urls() -> None:
    store = RemoteStore("http://h:3030/ds/sparql", update_endpoint="http://h:3030/ds/update")
    assert (store.query_url, store.update_endpoint, store.store_endpoint) == (
        "http://h:3030/ds/sparql",
        "http://h:3030/ds/update",
        None,
    )


def test_replace_query_replace_remove(remote: RemoteStore, graphs: tuple[str, str]) -> None:
    a, b = graphs
    remote.replace_graph(a, _nt("c1", "first") + _nt("c2", "second"))
    remote.replace_graph(b, _nt("c9", "other"))
    assert {a, b} <= set(remote.graphs())
    rows = list(remote.select(f"SELECT ?l WHERE {{ GRAPH <{a}> {{ ?s <{LABEL}> ?l }} }}"))
    assert sorted(r["l"] for r in rows) == ["first", "second"]

    remote.replace_graph(a, _nt("c3", "third"))
    rows = list(remote.select(f"SELECT ?l WHERE {{ GRAPH <{a}> {{ ?s <{LABEL}> ?l }} }}"))
    assert [r["l"] for r in rows] == ["third"]
    rows = list(remote.select(f"SELECT ?l WHERE {{ GRAPH <{b}> {{ ?s <{LABEL}> ?l }} }}"))
    assert [r["l"] for r in rows] == ["other"]

    assert remote.remove_graph(a) is True
    assert remote.remove_graph(a) is False
    assert a not in remote.graphs() and b in remote.graphs()


def test_update_fallback_without_graph_store(oxigraph_server: str, graphs: tuple[str, str]) -> None:
    a, _ = graphs
    store = RemoteStore(oxigraph_server)
    store.store_endpoint = None
    store.replace_graph(a, _nt("c1", "one"))
    store.replace_graph(a, _nt("c2", "two"))
    rows = list(store.select(f"SELECT ?l WHERE {{ GRAPH <{a}> {{ ?s ?p ?l }} }}"))
    assert [r["l"] for r in rows] == ["two"]


def test_documents_count_and_dump(remote: RemoteStore, graphs: tuple[str, str]) -> None:
    a, _ = graphs
    remote.replace_graph(
        a,
        _nt("c1", "x")
        + f'<{ID}c1> <{ID}year> "2016"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    )
    assert a.rsplit("/", 1)[1] in remote.documents()
    assert remote.count() >= 2
    assert not remote.is_empty()
    nt = remote.dump(ox.RdfFormat.N_TRIPLES, graph=a).decode()
    assert nt.count("\n") == 2 and '"x"' in nt
    nq = remote.dump(ox.RdfFormat.N_QUADS).decode()
    assert f"<{a}>" in nq


def test_run_query_through_remote(remote: RemoteStore, graphs: tuple[str, str]) -> None:
    a, _ = graphs
    remote.replace_graph(a, _nt("r1", "remote one") + _nt("r2", "remote two"))
    result = run_query(
        remote, 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(?l, "remote")) }', max_rows=1
    )
    assert result.truncated and len(result.rows) == 1
    assert result.row_types[0]["s"] == "iri"
    assert run_query(remote, 'ASK { ?s rdfs:label "remote two" }').boolean is True
    construct = run_query(remote, 'CONSTRUCT WHERE { ?s rdfs:label "remote one" }')
    assert construct.rows == [{"subject": ID + "r1", "predicate": LABEL, "object": "remote one"}]


@pytest.mark.parametrize(
    "sparql", ["DROP ALL", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"]
)
def test_refusals_apply_to_remote_stores(remote: RemoteStore, sparql: str) -> None:
    before = remote.count()
    with pytest.raises(QueryRefused):
        run_query(remote, sparql)
    assert remote.count() == before


def test_remote_timeout(remote: RemoteStore, graphs: tuple[str, str]) -> None:
    a, _ = graphs
    remote.replace_graph(a, "".join(_nt(f"t{i}", str(i)) for i in range(2000)))
    with pytest.raises(QueryTimeout):
        run_query(
            remote,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            timeout_s=0.5,
        )
    remote.remove_graph(a)


def test_connection_refused_message() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError) as info:
        RemoteStore(url).graphs()
    message = str(info.value)
    assert message.startswith(f"No SPARQL server answers at {url}/query")
    assert "oxigraph serve --location DIR --bind 127.0.0.1:7878" in message
    assert "drop --endpoint" in message


def test_http_error_includes_status_and_server_message(remote: RemoteStore) -> None:
    with pytest.raises(StoreError, match=r"HTTP 400.*"):
        remote.query_raw("SELECT * WHERE { this is not sparql }")


def test_not_a_url_is_refused() -> None:
    with pytest.raises(StoreError, match="Not an HTTP URL"):
        RemoteStore("localhost:7878")


def test_open_backend_choice(monkeypatch: pytest.MonkeyPatch, oxigraph_server: str) -> None:
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    assert isinstance(open_backend(memory=True), OxigraphStore)
    assert isinstance(open_backend(endpoint=oxigraph_server), RemoteStore)
    monkeypatch.setenv("KG_ENDPOINT", oxigraph_server)
    assert isinstance(open_backend(), RemoteStore)


def test_serve_publishes_the_store_read_only(tmp_path) -> None:
    path = tmp_path / "kg"
    store = open_store(path)
    graph = doc_graph_iri("served")
    store.replace_graph(graph, _nt("s1", "served"))
    del store
    with serve(path, port=_free_port()) as server:
        remote = RemoteStore(server.url)
        assert remote.graphs() == [graph]
        assert run_query(remote, 'ASK { ?s rdfs:label "served" }').boolean is True
        with pytest.raises(StoreError, match="HTTP"):
            remote.replace_graph(graph, "")
    with pytest.raises(StoreError, match="No SPARQL server answers"):
        RemoteStore(server.url, timeout_s=2).graphs()


def test_serve_missing_store(tmp_path) -> None:
    with pytest.raises(StoreError, match="No store at"):
        serve(tmp_path / "absent")


def _labels(store: RemoteStore, graph: str) -> list[str]:
    rows = store.select(f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ ?s <{LABEL}> ?l }} }}")
    return sorted(str(r["l"]) for r in rows)


@pytest.fixture
def updates_only(oxigraph_server: str, monkeypatch: pytest.MonkeyPatch) -> RemoteStore:
    """A remote store without the Graph Store Protocol, writing 10 triples per request."""
    from kg.stores import remote as remote_module

    monkeypatch.setattr(remote_module, "CHUNK_TRIPLES", 10)
    store = RemoteStore(oxigraph_server)
    store.store_endpoint = None
    return store


def _many(prefix: str, n: int) -> str:
    return "".join(_nt(f"{prefix}{i}", f"{prefix}{i:03d}") for i in range(n))


def test_update_fallback_writes_in_chunks_and_swaps_at_once(
    updates_only: RemoteStore, oxigraph_server: str, graphs: tuple[str, str]
) -> None:
    from kg.stores.remote import staging_graph_iri

    a, _ = graphs
    updates_only.replace_graph(a, _many("old", 25))
    watcher = RemoteStore(oxigraph_server)
    seen: list[int] = []
    sent: list[str] = []
    update = updates_only._update

    def watched(sparql: str) -> None:
        update(sparql)
        sent.append(sparql)
        seen.append(len(_labels(watcher, a)))  # what another reader sees after each request

    updates_only._update = watched  # type: ignore[method-assign]
    blank = '_:n1 <http://www.w3.org/2000/01/rdf-schema#label> "blank" .\n'
    new = _many("new", 35) + blank + f"<{ID}x> <{ID}p> _:n1 .\n"
    updates_only.replace_graph(a, new)
    assert set(seen) <= {25, 36} and seen[-1] == 36  # the old graph or the whole new one
    assert max(s.count("\n") for s in sent) <= 10 + 3  # no request holds the whole graph
    assert _labels(watcher, a) == sorted([f"new{i:03d}" for i in range(35)] + ["blank"])
    linked = watcher.select(f"SELECT ?l WHERE {{ GRAPH <{a}> {{ <{ID}x> <{ID}p>/<{LABEL}> ?l }} }}")
    assert [r["l"] for r in linked] == ["blank"]  # the blank node stayed one node
    assert staging_graph_iri(a) not in watcher.graphs()


def test_update_fallback_failing_midway_leaves_the_old_graph(
    updates_only: RemoteStore, oxigraph_server: str, graphs: tuple[str, str]
) -> None:
    from kg.stores.remote import staging_graph_iri

    a, _ = graphs
    updates_only.replace_graph(a, _many("old", 5))
    update = updates_only._update
    calls = []

    def failing(sparql: str) -> None:
        calls.append(sparql)
        if len(calls) == 3:
            raise StoreError("the server went away")
        update(sparql)

    updates_only._update = failing  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="went away"):
        updates_only.replace_graph(a, _many("new", 40))
    watcher = RemoteStore(oxigraph_server)
    assert _labels(watcher, a) == [f"old{i:03d}" for i in range(5)]
    assert staging_graph_iri(a) not in watcher.graphs()


def test_update_fallback_drops_a_staging_graph_left_by_a_dead_writer(
    updates_only: RemoteStore, oxigraph_server: str, graphs: tuple[str, str]
) -> None:
    from kg.stores.remote import staging_graph_iri

    a, _ = graphs
    staging = staging_graph_iri(a)
    updates_only.update(f"INSERT DATA {{ GRAPH <{staging}> {{ {_nt('ghost', 'ghost')} }} }}")
    updates_only.replace_graph(a, _many("new", 15))
    assert _labels(RemoteStore(oxigraph_server), a) == [f"new{i:03d}" for i in range(15)]
    assert staging not in RemoteStore(oxigraph_server).graphs()


class _NotRdf(http.server.BaseHTTPRequestHandler):
    """A "SPARQL server" that answers every request with 200 and bytes that are no RDF."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = b"\xff\xfe<not rdf at all" * 50
        self.send_response(200)
        self.send_header("Content-Type", "application/n-quads")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


def test_a_server_that_answers_no_rdf_is_named(tmp_path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotRdf)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = RemoteStore(f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(StoreError, match="did not answer with RDF"):
            store.dump(ox.RdfFormat.N_QUADS)
    finally:
        server.shutdown()
        server.server_close()
