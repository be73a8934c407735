"""kg/crossdoc.py and study identity across documents, on a real (in-memory) Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import extract
from ingest.normalize import normalize
from ingest.resolve import resolve
from ingest.structure import doc_id_for, structure
from kg.build import build_triples, ntriples
from kg.crossdoc import CROSS_DOCUMENT_GRAPH, refresh
from kg.store import OxigraphStore, doc_graph_iri

DEVSET = Path(__file__).resolve().parents[2].parent / "shared/devset/docs"

# Written for these tests: a paper's abstract and a review that cites it by author and year,
# giving another cycling duration for the same coating.
PAPER = """Zinc oxide overlayers on sodium metal by ALD
Q. Ames, R. Bell
Journal of Tests, 2020, DOI: 10.9999/test.1

Abstract
Sodium metal reacts with carbonate electrolytes. We deposited ZnO on sodium foil by atomic layer deposition at 100 °C from DEZ and water. The coated sodium cycled for more than 800 h in symmetric cells at 1 mA cm-2.
"""

REVIEW = """Oxide films on sodium anodes: a short review
T. Cole
Review Letters of Tests, 2023

1. Films on sodium

Ames et al. (2020) deposited ZnO on Na by ALD at 100 °C from DEZ and water; the coated sodium cycled for 600 h at 1 mA cm-2 in symmetric cells.

References

Ames, Q., & Bell, R. (2020). Zinc oxide overlayers on sodium metal by ALD. Journal of Tests. https://doi.org/10.9999/test.1
"""

PREFIXES = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
"""

DISAGREEMENTS = (
    PREFIXES
    + """SELECT DISTINCT ?d ?c ?a ?b ?docA ?docB WHERE {
  ?d a akg:Disagreement ; akg:about ?c ; akg:valueA ?a ; akg:valueB ?b ;
     akg:sourceA/akg:document ?docA ; akg:sourceB/akg:document ?docB . ?c a akg:Coating }"""
)

SOURCES = (
    PREFIXES
    + """SELECT DISTINCT ?c ?doc WHERE {
  ?c a akg:Coating ; akg:reportedIn ?s ; prov:wasDerivedFrom/akg:document ?doc .
  ?s bibo:doi "%s" }"""
)


def _ingest(store: OxigraphStore, doc_id: str, text: str, fmt: str = "text") -> None:
    doc = structure(normalize(text), doc_id=doc_id, path=f"{doc_id}.txt", format=fmt)
    store.replace_graph(doc_graph_iri(doc_id), ntriples(build_triples(resolve(extract(doc)))))
    refresh(store)


def _remove(store: OxigraphStore, doc_id: str) -> None:
    assert store.remove_graph(doc_graph_iri(doc_id))
    refresh(store)


@pytest.fixture
def store() -> OxigraphStore:
    s = OxigraphStore(None)
    _ingest(s, "paper", PAPER)
    _ingest(s, "review", REVIEW)
    return s


def test_one_coating_with_both_sources(store: OxigraphStore) -> None:
    rows = list(store.select(SOURCES % "10.9999/test.1"))
    assert len({r["c"] for r in rows}) == 1
    assert {r["doc"].rsplit("/", 1)[-1] for r in rows} == {"paper", "review"}


def test_disagreement_names_both_values_and_documents(store: OxigraphStore) -> None:
    (row,) = store.select(DISAGREEMENTS)
    assert {row["a"], row["b"]} == {800.0, 600.0}
    assert {row["docA"].rsplit("/", 1)[-1], row["docB"].rsplit("/", 1)[-1]} == {"paper", "review"}


def test_removing_one_document_keeps_the_others_facts(store: OxigraphStore) -> None:
    _remove(store, "review")
    assert list(store.select(DISAGREEMENTS)) == []
    rows = list(store.select(SOURCES % "10.9999/test.1"))
    assert {r["doc"].rsplit("/", 1)[-1] for r in rows} == {"paper"}
    durations = PREFIXES + "SELECT ?v WHERE { ?c a akg:Coating ; akg:hasMeasurement ?m . "
    durations += "?m akg:quantityKind <https://w3id.org/ald-kg/vocab/CyclingDuration> ; akg:numericValue ?v }"
    assert [r["v"] for r in store.select(durations)] == [800.0]
    _ingest(store, "review", REVIEW)  # re-ingesting brings the disagreement back, once
    assert len(list(store.select(DISAGREEMENTS))) == 1


def test_agreeing_documents_make_no_disagreement() -> None:
    store = OxigraphStore(None)
    _ingest(store, "paper", PAPER)
    _ingest(store, "review", REVIEW.replace("600 h", "800 h"))
    assert list(store.select(DISAGREEMENTS)) == []
    assert not list(
        store.select(f"SELECT * WHERE {{ GRAPH <{CROSS_DOCUMENT_GRAPH}> {{ ?s ?p ?o }} }}")
    )


@pytest.fixture(scope="module")
def devset() -> OxigraphStore:
    if not DEVSET.exists():
        pytest.skip("../shared/devset not present")
    store = OxigraphStore(None)
    for path in sorted(DEVSET.glob("*.txt")) + sorted(DEVSET.glob("*.md")):
        fmt = "markdown" if path.suffix == ".md" else "text"
        _ingest(store, doc_id_for(path), path.read_text(encoding="utf-8"), fmt)
    return store


def test_devset_shared_study_is_one_study_in_both_documents(devset: OxigraphStore) -> None:
    query = (
        PREFIXES
        + """SELECT ?s ?how ?doc WHERE { ?s a akg:Study ; bibo:doi "10.5555/devset.4" .
      { ?s akg:describedBy ?doc BIND("own" AS ?how) }
      UNION { ?cit akg:citedStudy ?s ; akg:citingDocument ?doc ; akg:citationNumber 5 BIND("cited" AS ?how) } }"""
    )
    rows = list(devset.select(query))
    assert len({r["s"] for r in rows}) == 1
    assert {(r["how"], r["doc"].rsplit("/", 1)[-1]) for r in rows} == {
        ("own", "abstract-04-li3po4-li"),
        ("cited", "review-author-year"),
    }


def test_devset_look_alikes_stay_separate(devset: OxigraphStore) -> None:
    query = (
        PREFIXES
        + 'SELECT DISTINCT ?s WHERE { ?s a akg:Study ; akg:firstAuthor ?a ; akg:year 2018 . FILTER(CONTAINS(?a, "Chen")) }'
    )
    assert len(list(devset.select(query))) == 2  # two Chen 2018 abstracts in one journal


def test_devset_intended_disagreement_is_queryable(devset: OxigraphStore) -> None:
    rows = [r for r in devset.select(DISAGREEMENTS)]
    assert len(rows) == 1
    assert {rows[0]["a"], rows[0]["b"]} == {1000.0, 900.0}


def test_coatings_table_has_one_record_per_document(store: OxigraphStore) -> None:
    from kg.table import coatings_table

    records = {r["doc"]: r for r in coatings_table(store)}
    assert records["paper"]["coating"] == records["review"]["coating"]
    assert (records["paper"]["ref"], records["review"]["ref"]) == (None, 1)
    durations = {
        doc: [o["value"] for o in r["outcomes"] if o["kind"] == "CyclingDuration"]
        for doc, r in records.items()
    }
    assert durations == {"paper": [800], "review": [600]}
    assert records["paper"]["year"] == 2020  # the primary study's own header
