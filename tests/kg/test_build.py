"""kg/build.py: records → RDF, provenance on every fact, deterministic IRIs."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from ingest.records import (
    CellTest,
    CoatingRecord,
    ExtractedDocument,
    Measurement,
    NormalizedText,
    ProcessStep,
    Quantity,
    Reference,
    Sentence,
    StructuredDocument,
)
from ingest.resolve import resolve
from kg.build import build_graph, build_triples, ntriples
from kg.namespaces import AKG, VOCAB

TEXT = "Row text about Al2O3 on Li.\nSentence about Foo2O3 on Na [7].\n7. Doe, J.; Roe, R. A title. *J. Test* **2017**, *1*, 1."


def make_doc() -> StructuredDocument:
    normalized = NormalizedText(TEXT, TEXT, tuple(range(len(TEXT) + 1)))
    ref_start = TEXT.index("7. Doe")
    return StructuredDocument(
        doc_id="test-doc",
        path="test-doc.txt",
        title="A test review",
        normalized=normalized,
        sections=(),
        sentences=(Sentence(0, TEXT[28:62], 28, 62, "3. ALD", 0, (7,)),),
        captions=(),
        tables=(),
        glossary=(),
        references=(
            Reference(
                7,
                TEXT[ref_start:],
                ("Doe, J.", "Roe, R."),
                "A title",
                "J. Test",
                2017,
                None,
                ref_start,
                len(TEXT),
            ),
        ),
    )


def q(
    kind: str, value: float, unit: str, *, comparator: str = "=", low=None, high=None
) -> Quantity:
    return Quantity(kind, value, unit, value, unit, comparator, low, high, f"{value} {unit}")


@pytest.fixture
def extracted() -> ExtractedDocument:
    doc = make_doc()
    row = doc.span(0, 27, table=1, row=1, section="3. ALD", rule="table-row")
    sentence = doc.span(28, 62, sentence=0, section="3. ALD", rule="prose-test")
    table_record = CoatingRecord(
        doc="test-doc",
        ref=7,
        material="Al_2O_3",
        technique="ALD",
        substrate="lithium",
        span=row,
        source="table",
        year=2016,
        precursors=("TMA", "water"),
        steps=(ProcessStep("TMA", 0.1, 30), ProcessStep("H2O", 0.1, 30)),
        temperatures=(q("DepositionTemperature", 150, "degC"),),
        thicknesses=(Quantity("Thickness", None, "nm", None, "nm", "~", 2, 3, "~2–3 nm"),),
        deposition_cycles=(q("DepositionCycles", 20, "cycle"),),
        cell_tests=(
            CellTest(
                "symmetric cells", ("1 M LiPF6 in EC/EMC",), (q("CurrentDensity", 1, "mA/cm^2"),)
            ),
        ),
        measurements=(
            Measurement(
                q("CyclingDuration", 1000, "h", comparator=">"),
                row.with_rule("table-performance"),
                "symmetric cells",
                ("1 M LiPF6 in EC/EMC",),
            ),
        ),
    )
    prose_record = CoatingRecord(
        doc="test-doc",
        ref=7,
        material="Al2O3",
        technique="ALD",
        substrate="Li",
        span=sentence,
        source="prose",
        characterization=("XPS",),
    )
    new_material = CoatingRecord(
        doc="test-doc",
        ref=7,
        material="Foo2O3",
        technique="MLD",
        substrate="Na",
        span=sentence,
        source="prose",
    )
    fact = Measurement(q("ShearModulus", 58, "GPa"), sentence, subject="Al2O3", ref=7)
    return ExtractedDocument(doc, (table_record, prose_record, new_material), (fact,))


@pytest.fixture
def graph(extracted: ExtractedDocument) -> Graph:
    return build_graph(resolve(extracted))


def test_prose_facts_merge_into_the_table_coating(graph: Graph) -> None:
    coatings = set(graph.subjects(RDF.type, AKG.Coating))
    assert len(coatings) == 2  # Al2O3 (table + prose merged) and the new material
    al2o3 = next(c for c in coatings if (c, AKG.hasMaterial, VOCAB.Al2O3) in graph)
    assert (al2o3, AKG.characterizedBy, VOCAB.XPS) in graph
    assert len(list(graph.objects(al2o3, PROV.wasDerivedFrom))) == 2


def test_every_fact_node_has_provenance(graph: Graph) -> None:
    for cls in (AKG.Coating, AKG.Measurement, AKG.Study):
        for node in graph.subjects(RDF.type, cls):
            spans = list(graph.objects(node, PROV.wasDerivedFrom))
            assert spans, f"{node} has no provenance"
            for span in spans:
                assert (span, AKG.sourceText, None) in graph
                assert (span, AKG.startOffset, None) in graph


def test_aliases_resolve_to_vocabulary_iris(graph: Graph) -> None:
    process = next(graph.objects(predicate=AKG.depositedBy))
    precursors = set(graph.objects(None, AKG.usesPrecursor))
    assert {VOCAB.TMA, VOCAB.H2O} <= precursors
    assert (None, AKG.onSubstrate, VOCAB.Li) in graph
    assert process is not None


def test_unknown_material_is_minted_once_with_its_label(graph: Graph) -> None:
    minted = [s for s in graph.subjects(AKG.minted, None) if (s, RDF.type, AKG.Material) in graph]
    assert len(minted) == 1
    assert "material/foo2o3" in str(minted[0])


def test_range_keeps_both_ends(graph: Graph) -> None:
    thickness = next(graph.subjects(AKG.quantityKind, VOCAB.Thickness))
    assert graph.value(thickness, AKG.numericValue).toPython() == 2
    assert graph.value(thickness, AKG.maxValue).toPython() == 3
    assert str(graph.value(thickness, AKG.comparator)) == "~"


def test_year_disagreement_is_kept_and_queryable(graph: Graph) -> None:
    disagreement = next(graph.subjects(RDF.type, AKG.Disagreement))
    values = {
        graph.value(disagreement, AKG.valueA).toPython(),
        graph.value(disagreement, AKG.valueB).toPython(),
    }
    assert values == {2016, 2017}


def test_electrolyte_formulation_is_split(graph: Graph) -> None:
    electrolyte = next(graph.subjects(AKG.salt, VOCAB.LiPF6))
    assert (electrolyte, AKG.family, VOCAB.Carbonate) in graph
    assert graph.value(electrolyte, AKG.concentration_M).toPython() == 1.0


def test_material_fact_links_material_study_and_coating(graph: Graph) -> None:
    fact = next(graph.subjects(AKG.ofMaterial, VOCAB.Al2O3))
    assert (VOCAB.Al2O3, AKG.hasMeasurement, fact) in graph
    assert any(
        (c, AKG.hasMeasurement, fact) in graph for c in graph.subjects(RDF.type, AKG.Coating)
    )


def test_building_twice_gives_the_same_graph(extracted: ExtractedDocument) -> None:
    assert isomorphic(build_graph(resolve(extracted)), build_graph(resolve(extracted)))


def test_ntriples_of_the_triple_set_is_the_graph(extracted: ExtractedDocument) -> None:
    resolved = resolve(extracted)
    triples = build_triples(resolved)
    graph = build_graph(resolved)
    assert len(triples) == len(graph)
    assert isomorphic(Graph().parse(data=ntriples(triples), format="nt"), graph)
    studies = [s for s, p, o in triples if p == RDFS.label and str(s).endswith("/ref/7")]
    assert len(studies) == 1  # one label per study, the reference list's when it has one
