"""kg/export.py: every format round-trips or re-reads with the same content."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.export import FORMATS, ExportError, export
from kg.store import OxigraphStore, doc_graph_iri, open_store

DOC = doc_graph_iri("review")
OTHER = doc_graph_iri("other")
AKG = "https://w3id.org/ald-kg/ontology#"
ID = "https://w3id.org/ald-kg/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

DOC_NT = f"""\
<{ID}c1> <{RDF_TYPE}> <{AKG}Coating> .
<{ID}c1> <{RDFS}label> "Al2O3 on Li"@en .
<{ID}c1> <{RDFS}label> "Al₂O₃ auf Li"@de .
<{ID}c1> <{AKG}year> "2016"^^<{XSD}integer> .
<{ID}c1> <{AKG}thickness> "12.5"^^<{XSD}decimal> .
<{ID}c1> <{AKG}material> <{ID}al2o3> .
<{ID}c1> <{AKG}hasMeasurement> _:m1 .
_:m1 <{AKG}numericValue> "1000.0"^^<{XSD}double> .
_:m1 <{AKG}note> "said \\"stable\\"\\nover 1000 h" .
<{ID}al2o3> <{RDFS}label> "Al2O3" .
"""
OTHER_NT = f"""\
<{ID}c2> <{RDF_TYPE}> <{AKG}Coating> .
<{ID}c2> <{AKG}year> "2016"^^<{XSD}integer> .
<{ID}c2> <{AKG}material> <{ID}al2o3> .
"""
N_NODES = 4  # c1, al2o3, the measurement blank node, c2
N_EDGES = 3  # c1→al2o3, c1→m1, c2→al2o3 (rdf:type is an attribute, not an edge)


@pytest.fixture
def store() -> OxigraphStore:
    st = open_store(memory=True)
    st.replace_graph(DOC, DOC_NT)
    st.replace_graph(OTHER, OTHER_NT)
    return st


def _merged() -> Graph:
    graph = Graph()
    graph.parse(data=DOC_NT + OTHER_NT, format="nt")
    return graph


def _export_bytes(store: OxigraphStore, fmt: str) -> bytes:
    buffer = io.BytesIO()
    export(store, fmt, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("turtle", "turtle"), ("nt", "nt"), ("xml", "xml"), ("json-ld", "json-ld")],
)
def test_triple_formats_round_trip_the_merged_graph(
    store: OxigraphStore, fmt: str, rdflib_format: str
) -> None:
    parsed = Graph().parse(data=_export_bytes(store, fmt), format=rdflib_format)
    assert isomorphic(parsed, _merged())


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("nquads", "nquads"), ("trig", "trig"), ("json-ld-dataset", "json-ld")],
)
def test_dataset_formats_keep_each_named_graph(
    store: OxigraphStore, fmt: str, rdflib_format: str
) -> None:
    dataset = Dataset()
    dataset.parse(data=_export_bytes(store, fmt), format=rdflib_format)
    for iri, nt in ((DOC, DOC_NT), (OTHER, OTHER_NT)):
        expected = Graph().parse(data=nt, format="nt")
        got = Graph()
        for triple in dataset.graph(iri):
            got.add(triple)
        assert isomorphic(got, expected), iri


@pytest.mark.parametrize("fmt", ["json-ld", "json-ld-dataset"])
def test_json_ld_context_is_inline_prefixes(store: OxigraphStore, fmt: str) -> None:
    document = json.loads(_export_bytes(store, fmt))
    assert isinstance(document, dict)  # one compacted document, not a list of graphs
    context = document["@context"]
    assert isinstance(context, dict) and context["akg"] == AKG  # inline: nothing to fetch
    assert "@graph" in document
    assert any("akg:" in json.dumps(node) for node in document["@graph"])


def test_json_ld_loads_whole_into_a_graph_and_a_dataset(store: OxigraphStore) -> None:
    data = _export_bytes(store, "json-ld")
    assert isomorphic(Graph().parse(data=data, format="json-ld"), _merged())
    dataset = Dataset()
    dataset.parse(data=data, format="json-ld")
    assert len(dataset.graph(DATASET_DEFAULT_GRAPH_ID)) == len(_merged())


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_carry_prefixes(store: OxigraphStore, fmt: str) -> None:
    text = _export_bytes(store, fmt).decode()
    assert text.startswith("@prefix ")
    assert f"@prefix akg: <{AKG}> ." in text
    assert "akg:Coating" in text
    parsed = Dataset()
    parsed.parse(data=text, format=fmt)
    assert sum(1 for _ in parsed.quads((None, None, None, None))) == len(_merged())


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_re_read_with_same_counts(
    store: OxigraphStore, fmt: str, reader, tmp_path
) -> None:
    path = tmp_path / f"graph.{FORMATS[fmt]}"
    export(store, fmt, path)
    graph = reader(path)
    assert graph.number_of_nodes() == N_NODES
    assert graph.number_of_edges() == N_EDGES


def test_graphml_node_attributes_are_strings_from_literals(store: OxigraphStore, tmp_path) -> None:
    path = tmp_path / "graph.graphml"
    export(store, "graphml", path)
    graph = nx.read_graphml(path)
    c1 = graph.nodes[f"{ID}c1"]
    assert c1["type"] == "Coating"
    assert c1["akg:year"] == "2016"
    assert set(c1["label"].split(" | ")) == {"Al2O3 on Li", "Al₂O₃ auf Li"}
    # The shared year literal did not become a node joining c1 and c2.
    assert not graph.has_node("2016")
    predicates = {d["predicate"] for _, _, d in graph.edges(data=True)}
    assert predicates == {AKG + "material", AKG + "hasMeasurement"}


def test_csv_zip_parses_back(store: OxigraphStore) -> None:
    with zipfile.ZipFile(io.BytesIO(_export_bytes(store, "csv"))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode())))
    assert len(nodes) == N_NODES and len(edges) == N_EDGES
    by_id = {n["id"]: n for n in nodes}
    blank = next(n for n in nodes if n["id"].startswith("_:"))
    assert blank["akg:note"] == 'said "stable"\nover 1000 h'
    assert by_id[f"{ID}c2"]["akg:year"] == "2016"
    assert {e["source"] for e in edges} == {f"{ID}c1", f"{ID}c2"}


def test_cytoscape_json_parses_back(store: OxigraphStore) -> None:
    data = json.loads(_export_bytes(store, "cytoscape"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == N_NODES and len(edges) == N_EDGES
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    graph = nx.cytoscape_graph(data, name="label", ident="id")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (N_NODES, N_EDGES)


def test_export_to_a_path(store: OxigraphStore, tmp_path) -> None:
    path = tmp_path / "out.nt"
    export(store, "nt", path)
    assert isomorphic(Graph().parse(path, format="nt"), _merged())


def test_unknown_format_message() -> None:
    with pytest.raises(ExportError) as info:
        export(open_store(memory=True), "ttl2", io.BytesIO())
    assert str(info.value) == (
        "Unknown export format 'ttl2'. Try one of: turtle, nt, nquads, trig, json-ld, "
        "json-ld-dataset, xml, graphml, gexf, csv, cytoscape."
    )


def test_folder_as_output_is_refused(store: OxigraphStore, tmp_path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        export(store, "csv", tmp_path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_empty_store_exports(fmt: str) -> None:
    assert isinstance(_export_bytes(open_store(memory=True), fmt), bytes)
