"""No user query ever makes a request: every SERVICE / FROM form, on every path, against a canary.

The canary is a small HTTP server on 127.0.0.1 that records each request it gets. The battery
runs every hostile form through the checker, the embedded store (memory and disk), a real
`oxigraph serve` behind the remote store and our `kg serve`; the canary must see none of it,
and the stores must be byte-identical afterwards. A positive control shows the canary does see
the request when the engine is given the raw text without our check.
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg.query import QueryError, canonical_text, check_query, is_our_graph, run_query
from kg.store import OxigraphStore, doc_graph_iri, open_store

DOC = doc_graph_iri("review")
TRIPLE = '<https://w3id.org/ald-kg/id/c1> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'


class Canary(http.server.ThreadingHTTPServer):
    """Records the path of every request; answers 200 with one SPARQL JSON row."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CanaryHandler)
        self.hits: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class _CanaryHandler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"SECRET"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# Each form names the canary ({url}; {hostport} for escaped IRIs). Lone \r and the other line
# breaks end a comment for Oxigraph but not for rdflib; escapes expand in rdflib everywhere.
FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}/plain> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}/silent> {{ ?a ?b ?c }} }}",
    "select * where {{ service <{url}/lower> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ BIND(<{url}/var> AS ?u) SERVICE ?u {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}/opt> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sub> {{ ?a ?b ?c }} }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/exists> {{ ?a ?b ?c }} }} }}",
    "ASK {{ SERVICE <{url}/ask> {{ ?a ?b ?c }} }}",
    "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}/construct> {{ ?a ?b ?c }} }}",
    "DESCRIBE ?a WHERE {{ SERVICE <{url}/describe> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ # \r SERVICE <{url}/cr> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \r\n SERVICE <{url}/crlf> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \n\r SERVICE <{url}/lfcr> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \u2028 SERVICE <{url}/u2028> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \u2029 SERVICE <{url}/u2029> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \x85 SERVICE <{url}/nel> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \x0b SERVICE <{url}/vt> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \x0c SERVICE <{url}/ff> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \\u000D SERVICE <{url}/esc-cr> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \\U0000000d SERVICE <{url}/esc-cr8> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ # \\u005Cu000D SERVICE <{url}/esc-twice> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}/esc-kw> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1\\u003A{port}/esc-iri> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <\\u0068ttp://127.0.0.1:{port}/esc-scheme> {{ ?a ?b ?c }} }}",
    'SELECT * WHERE {{ ?s ?p """\r""" # \r SERVICE <{url}/str> {{ ?a ?b ?c }}\n }}',
    "SELECT * # \r FROM <{url}/from-cr>\n WHERE {{ ?s ?p ?o }}",
    "SELECT * # \r FROM NAMED <{url}/named-cr>\n WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}/from> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "PREFIX c: <{url}/> SELECT * FROM c:pname WHERE {{ ?s ?p ?o }}",
    "BASE <{url}/> SELECT * FROM <relative> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <https://w3id.org/ald-kg/../../127.0.0.1:{port}/x> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <https://w3id.org/ald-kg/graph/../../../{port}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <https://w3id.org/ald-kg/graph/%2e%2e/%2e%2e/{port}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <https://w3id.org/ald-kg/graph/./doc> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <https://w3id.org/ald-kg@127.0.0.1:{port}/graph/x> WHERE {{ ?s ?p ?o }}",
    f"SELECT * FROM <{DOC}> # \r FROM <{{url}}/after-ours>\n WHERE {{{{ ?s ?p ?o }}}}",
    "LOAD <{url}/load>",
    "SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}/load2>",
    "SELECT * WHERE {{ ?s ?p ?o }} # \r ; LOAD <{url}/load-cr>",
    "SELECT * WHERE {{ ?s ?p ?o \x00 SERVICE <{url}/nul> {{ ?a ?b ?c }} }}",
]


def hostile(template: str, canary: Canary) -> str:
    return template.format(url=canary.url, port=canary.server_port)


def _dump(store: OxigraphStore) -> bytes:
    return store.raw.dump(format=ox.RdfFormat.N_QUADS)


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path) -> OxigraphStore:
    st = open_store(memory=True) if request.param == "memory" else open_store(tmp_path / "kg")
    st.replace_graph(DOC, TRIPLE)
    return st


def test_the_canary_sees_an_unchecked_query(canary: Canary) -> None:
    """Positive control: the raw engine does make the request, so a silent canary means safe."""
    before = len(canary.hits)
    query = f"SELECT * WHERE {{ # \r SERVICE <{canary.url}/control> {{ ?a ?b ?c }}\n }}"
    rows = list(ox.Store().query(query))
    assert canary.hits[before:] == ["/control"]
    assert rows and "SECRET" in str(rows[0])
    canary.hits.clear()


@pytest.mark.parametrize("template", FORMS)
def test_checker_refuses(template: str, canary: Canary) -> None:
    with pytest.raises(QueryError):
        check_query(hostile(template, canary))
    assert canary.hits == []


@pytest.mark.parametrize("template", FORMS)
def test_embedded_store_refuses_and_is_unchanged(
    template: str, canary: Canary, store: OxigraphStore
) -> None:
    before = _dump(store)
    with pytest.raises(QueryError):
        run_query(store, hostile(template, canary), timeout_s=20)
    assert canary.hits == []
    assert _dump(store) == before


@pytest.mark.server
@pytest.mark.parametrize("template", FORMS)
def test_remote_store_refuses(template: str, canary: Canary, oxigraph_server: str) -> None:
    from kg.remote import RemoteStore

    with pytest.raises(QueryError):
        run_query(RemoteStore(oxigraph_server), hostile(template, canary), timeout_s=20)
    assert canary.hits == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\rb", "a\nb"),
        ("a\r\nb", "a\nb"),
        ("a\u2028b\u2029c\x85d", "a\nb\nc\nd"),
        ("\\u0041\\U00000042", "AB"),
        ("\\u005Cu0041", "A"),  # an escape that spells an escape is expanded too
        ("\\u000D", "\n"),
        ("tab\tstays", "tab\tstays"),
    ],
)
def test_canonical_text(text: str, expected: str) -> None:
    assert canonical_text(text) == expected


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "\\uD800", "\\U00110000"])
def test_canonical_text_refuses_control_characters_and_bad_escapes(text: str) -> None:
    with pytest.raises(QueryError, match="character"):
        canonical_text(text)


@pytest.mark.parametrize(
    ("iri", "ours"),
    [
        ("https://w3id.org/ald-kg/graph/doc/review", True),
        ("https://w3id.org/ald-kg/graph/ontology", True),
        ("https://w3id.org/ald-kg/../../127.0.0.1/x", False),
        ("https://w3id.org/ald-kg/graph/../x", False),
        ("https://w3id.org/ald-kg/graph/doc/..", False),
        ("https://w3id.org/ald-kg/graph/%2e%2e", False),
        ("https://w3id.org/ald-kg/graph/doc/a?b", False),
        ("https://w3id.org/ald-kg/graph/doc/a#b", False),
        ("https://w3id.org/ald-kg/id/c1", False),
        ("https://w3id.org/ald-kg-evil/graph/x", False),
    ],
)
def test_is_our_graph(iri: str, ours: bool) -> None:
    assert is_our_graph(iri) is ours


def test_from_our_graph_still_runs(store: OxigraphStore) -> None:
    result = run_query(store, f"SELECT ?l FROM <{DOC}> WHERE {{ ?s ?p ?l }}", timeout_s=20)
    assert [r["l"] for r in result.rows] == ["x"]


def test_a_lone_carriage_return_in_a_comment_is_a_line_end(store: OxigraphStore) -> None:
    """The checked text is the one run: after `# \\r` the rest of the line is a pattern."""
    result = run_query(store, "SELECT ?l WHERE { # note \r ?s ?p ?l }", timeout_s=20)
    assert [r["l"] for r in result.rows] == ["x"]


def _post(url: str, query: str) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our `kg serve` endpoint (in this process) over a small disk store."""
    from kg.stores.server import serve

    path = tmp_path_factory.mktemp("served") / "kg"
    with open_store(path) as writer:
        writer.replace_graph(DOC, TRIPLE)
    with serve(path, port=0) as server:
        yield server.url


@pytest.mark.parametrize("template", FORMS)
def test_kg_serve_refuses(template: str, canary: Canary, served: str) -> None:
    query = hostile(template, canary)
    status, body = _post(f"{served}/query", query)
    assert status in (400, 403), body
    raw = urllib.request.Request(
        f"{served}/query",
        data=query.encode("utf-8", "surrogatepass"),
        method="POST",
        headers={"Content-Type": "application/sparql-query"},
    )
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(raw, timeout=30)
    assert e.value.code in (400, 403)
    get = f"{served}/query?" + urllib.parse.urlencode({"query": query})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(get, timeout=30)
    assert canary.hits == []


def test_kg_serve_answers_plain_queries(served: str) -> None:
    status, body = _post(f"{served}/query", "SELECT ?l WHERE { ?s ?p ?l }")
    assert status == 200
    assert b'"value": "x"' in body


def test_kg_serve_refuses_updates(served: str) -> None:
    data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{served}/update", data=data, timeout=30)
    assert e.value.code == 403


def test_canary_saw_nothing_at_all(canary: Canary) -> None:
    """Run last in this module: the whole battery made no request."""
    assert canary.hits == []
