"""kg/query.py: read-only checks, limits, and safe value insertion."""

from __future__ import annotations

import pytest

from kg.query import (
    DEFAULT_PREFIXES,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    check_query,
    prefix_block,
    run_query,
    sparql_iri,
    sparql_literal,
)
from kg.store import OxigraphStore, doc_graph_iri, open_store

DOC = doc_graph_iri("review")
OTHER = doc_graph_iri("other")


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path) -> OxigraphStore:
    st = open_store(memory=True) if request.param == "memory" else open_store(tmp_path / "kg")
    st.replace_graph(
        DOC,
        '<https://w3id.org/ald-kg/id/c1> <http://www.w3.org/2000/01/rdf-schema#label> "Al2O3 on Li"@en .\n'
        '<https://w3id.org/ald-kg/id/c1> <https://w3id.org/ald-kg/ontology#year> "2016"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "<https://w3id.org/ald-kg/id/c1> <https://w3id.org/ald-kg/ontology#material> <https://w3id.org/ald-kg/id/al2o3> .\n",
    )
    st.replace_graph(
        OTHER,
        '<https://w3id.org/ald-kg/id/c2> <http://www.w3.org/2000/01/rdf-schema#label> "LiF on Na" .\n',
    )
    return st


@pytest.fixture
def big_store() -> OxigraphStore:
    st = open_store(memory=True)
    st.replace_graph(
        DOC, "\n".join(f"<http://x.org/s{i}> <http://x.org/p> {i} ." for i in range(3000))
    )
    return st


# ----------------------------------------------------------------- check_query


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ('SELECT * WHERE { ?s ?p "INSERT" }', "SELECT"),
        ("SELECT * WHERE { ?s ?p 'DROP ALL; LOAD <http://evil>' }", "SELECT"),
        ('SELECT * WHERE { ?s ?p """multi\nDELETE line""" }', "SELECT"),
        ("SELECT * WHERE { ?s ?p ?o } # DROP ALL\n", "SELECT"),
        ("SELECT * WHERE { ?s <http://ex.org/DELETE> ?o }", "SELECT"),
        ("SELECT ?insert ?drop WHERE { ?insert ?drop ?o }", "SELECT"),
        ("PREFIX ex: <http://ex.org/> SELECT * WHERE { ?s ex:load ?o }", "SELECT"),
        ("select ?s where { ?s akg:year ?y FILTER(?y > 2000) }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <https://w3id.org/ald-kg/id/c1>", "DESCRIBE"),
        (prefix_block() + "SELECT ?c WHERE { ?c a akg:Coating }", "SELECT"),
        (f"SELECT * FROM <{DOC}> WHERE {{ ?s ?p ?o }}", "SELECT"),
        (f"SELECT * FROM NAMED <{DOC}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "SELECT"),
    ],
)
def test_good_queries_pass(sparql: str, form: str) -> None:
    assert check_query(sparql) == form


@pytest.mark.parametrize(
    ("sparql", "keyword"),
    [
        ("INSERT DATA { <http://a.org/s> <http://a.org/p> 1 }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("DELETE DATA { <http://a.org/s> <http://a.org/p> 1 }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP ALL", "DROP"),
        ("drop graph <http://a.org/g>", "DROP"),
        ("CREATE GRAPH <http://a.org/g>", "CREATE"),
        ("ADD <http://a.org/g> TO <http://a.org/h>", "ADD"),
        ("MOVE DEFAULT TO <http://a.org/h>", "MOVE"),
        ("COPY <http://a.org/g> TO <http://a.org/h>", "COPY"),
        ("WITH <http://a.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
        (
            "SELECT * WHERE { ?s ?p ?o } INSERT DATA { <http://a.org/s> <http://a.org/p> 1 }",
            "INSERT",
        ),
        ("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { SERVICE SILENT <http://169.254.169.254/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE ?x { ?s ?p ?o } } }", "SERVICE"),
        ("SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }", "FROM <http://evil"),
        (
            "PREFIX e: <http://evil.example/> SELECT * FROM NAMED e:g WHERE { ?s ?p ?o }",
            "FROM NAMED <http://evil.example/g>",
        ),
    ],
)
def test_bad_queries_refused_with_keyword(sparql: str, keyword: str) -> None:
    with pytest.raises(QueryRefused) as info:
        check_query(sparql)
    message = str(info.value)
    assert keyword in message
    assert "kg query runs read-only SPARQL: SELECT, ASK, CONSTRUCT or DESCRIBE." in message


@pytest.mark.parametrize(
    ("sparql", "line", "column"),
    [
        ("SELECT * WHERE {\n  ?s ?p }", 2, 3),
        ("SELEKT * WHERE { ?s ?p ?o }", 1, 1),
        ("PREFIX ex: <http://ex.org/>\nSELECT * WHERE { ?s ?p ?o ", 2, 27),
    ],
)
def test_syntax_errors_have_line_and_column(sparql: str, line: int, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        check_query(sparql)
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(info.value)


def test_empty_query_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        check_query("   ")


def test_refusal_happens_before_the_store_sees_the_query(store: OxigraphStore) -> None:
    with pytest.raises(QueryRefused):
        run_query(store, f"DROP GRAPH <{DOC}>")
    assert store.graphs() == sorted([DOC, OTHER])


# ----------------------------------------------------------------- run_query


def test_select_rows_are_plain_values_with_types(store: OxigraphStore) -> None:
    result = run_query(
        store,
        "SELECT ?c ?label ?year WHERE { ?c rdfs:label ?label OPTIONAL { ?c akg:year ?year } }"
        " ORDER BY ?label",
    )
    assert result.form == "SELECT"
    assert result.columns == ["c", "label", "year"]
    assert result.rows == [
        {"c": "https://w3id.org/ald-kg/id/c1", "label": "Al2O3 on Li", "year": 2016},
        {"c": "https://w3id.org/ald-kg/id/c2", "label": "LiF on Na", "year": None},
    ]
    assert result.row_types[0] == {"c": "iri", "label": "literal", "year": "literal"}
    assert "year" not in result.row_types[1]
    assert not result.truncated
    assert result.elapsed_ms > 0


def test_queries_see_the_union_of_graphs_unless_from_is_given(store: OxigraphStore) -> None:
    assert len(run_query(store, "SELECT * WHERE { ?s rdfs:label ?o }").rows) == 2
    only_doc = run_query(store, f"SELECT * FROM <{DOC}> WHERE {{ ?s rdfs:label ?o }}")
    assert [r["s"] for r in only_doc.rows] == ["https://w3id.org/ald-kg/id/c1"]


@pytest.mark.parametrize(
    ("max_rows", "truncated", "n"), [(3, True, 3), (4, False, 4), (10, False, 4)]
)
def test_row_limit_sets_truncated(
    store: OxigraphStore, max_rows: int, truncated: bool, n: int
) -> None:
    result = run_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=max_rows)
    assert (result.truncated, len(result.rows)) == (truncated, n)


def test_ask(store: OxigraphStore) -> None:
    assert run_query(store, "ASK { ?s akg:year 2016 }").boolean is True
    assert run_query(store, "ASK { ?s akg:year 1999 }").boolean is False


def test_construct_gives_rows_and_ntriples(store: OxigraphStore) -> None:
    result = run_query(store, "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l }")
    assert result.form == "CONSTRUCT"
    assert result.columns == ["subject", "predicate", "object"]
    assert len(result.rows) == 2
    assert '"Al2O3 on Li"@en' in result.triples_nt
    assert result.triples_nt.count("\n") == 2


def test_describe(store: OxigraphStore) -> None:
    result = run_query(store, "DESCRIBE <https://w3id.org/ald-kg/id/c1>")
    assert len(result.rows) == 3


def test_engine_syntax_errors_are_reported(store: OxigraphStore) -> None:
    # Valid for rdflib's grammar, rejected by Oxigraph (undeclared prefix).
    with pytest.raises(QuerySyntaxError):
        run_query(store, "SELECT * WHERE { ?s nope:p ?o }")


@pytest.mark.timeout(60)
def test_timeout_stops_the_query_and_store_stays_usable(big_store: OxigraphStore) -> None:
    with pytest.raises(QueryTimeout, match=r"longer than 0.5 s.*raise --timeout"):
        run_query(
            big_store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            timeout_s=0.5,
        )
    assert run_query(big_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == [{"n": 3000}]
    big_store.replace_graph(OTHER, "<http://x.org/a> <http://x.org/p> 1 .")
    assert big_store.count() == 3001


@pytest.mark.timeout(60)
def test_timeout_on_disk_store(tmp_path) -> None:
    st = open_store(tmp_path / "kg")
    st.replace_graph(
        DOC, "\n".join(f"<http://x.org/s{i}> <http://x.org/p> {i} ." for i in range(3000))
    )
    with pytest.raises(QueryTimeout):
        run_query(
            st, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c", timeout_s=0.5
        )
    assert run_query(st, "ASK { <http://x.org/s1> ?p 1 }").boolean is True


def test_worker_sees_writes_made_after_earlier_queries(store: OxigraphStore) -> None:
    assert run_query(store, "ASK { ?s akg:year 2020 }").boolean is False
    store.replace_graph(OTHER, "<http://x.org/c3> <https://w3id.org/ald-kg/ontology#year> 2020 .")
    assert run_query(store, "ASK { ?s akg:year 2020 }").boolean is True


# ----------------------------------------------------------------- values into SPARQL


@pytest.mark.parametrize(
    "text",
    [
        'x" } ; DROP ALL ; #',
        "}} INSERT DATA {",
        "back\\slash\\",
        'new\nline "quoted" \t tab',
        "'single' and \"double\" and {braces}",
        "Al₂O₃ — unicode",
        "",
    ],
)
def test_sparql_literal_round_trips_injection_attempts(store: OxigraphStore, text: str) -> None:
    sparql = f"SELECT ?v WHERE {{ BIND({sparql_literal(text)} AS ?v) }}"
    assert check_query(sparql) == "SELECT"
    assert run_query(store, sparql).rows == [{"v": text}]
    assert store.graphs() == sorted([DOC, OTHER])


@pytest.mark.parametrize(("value", "expected"), [(3, 3), (-2, -2), (2.5, 2.5), (True, True)])
def test_sparql_literal_numbers_are_typed(
    store: OxigraphStore, value: object, expected: object
) -> None:
    rows = run_query(store, f"SELECT ?v WHERE {{ BIND({sparql_literal(value)} AS ?v) }}").rows
    assert rows == [{"v": expected}]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), None, object(), [1]])
def test_sparql_literal_rejects_other_values(value: object) -> None:
    with pytest.raises(ValueError):
        sparql_literal(value)


def test_sparql_iri_accepts_project_iris() -> None:
    assert sparql_iri(DOC) == f"<{DOC}>"


@pytest.mark.parametrize(
    "iri",
    [
        "http://a.org/x> } ; DROP ALL ; #",
        "http://a.org/}} INSERT DATA {",
        "http://a.org/with space",
        'http://a.org/"quote',
        "http://a.org/a|b",
        "http://a.org/a^b",
        "http://a.org/a`b",
        "http://a.org/a\\b",
        "http://a.org/a\nb",
        "relative/path",
        "",
    ],
)
def test_sparql_iri_rejects_unsafe_iris(iri: str) -> None:
    with pytest.raises(ValueError):
        sparql_iri(iri)


def test_prefix_block_declares_every_default_prefix() -> None:
    block = prefix_block()
    for name, iri in DEFAULT_PREFIXES.items():
        assert f"PREFIX {name}: <{iri}>" in block
    assert set(DEFAULT_PREFIXES) >= {"akg", "akgv", "id", "prov", "qudt", "unit", "bibo"}
