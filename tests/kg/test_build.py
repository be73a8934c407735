"""kg/build.py: records → RDF, provenance on every fact, deterministic IRIs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

import kg.build
from ingest.records import (
    CellTest,
    CoatingRecord,
    DocumentMetadata,
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
from kg.build import build_graph, build_triples, ntriples, triple_batches, write_ntriples
from kg.namespaces import AKG, ID, VOCAB

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
    (study,) = {
        s for s, p, o in triples if p == AKG.citationNumber and (s, RDF.type, AKG.Study) in triples
    }
    studies = [s for s, p, o in triples if p == RDFS.label and s == study]
    assert len(studies) == 1  # one label per study, the reference list's when it has one


# ---------------------------------------------------------------- documents, studies, identity


def _primary(doc_id: str, doi: str | None, material: str = "Al2O3") -> ExtractedDocument:
    """A primary study of one sentence whose own coating is ``material`` on Li."""
    text = f"A study title\nWe grew {material} on Li by ALD."
    normalized = NormalizedText(text, text, tuple(range(len(text) + 1)))
    meta = DocumentMetadata(
        title="A study title", authors=("Q. Ames", "R. Bell"), year=2020, venue="J. Test", doi=doi
    )
    doc = StructuredDocument(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        title="A study title",
        normalized=normalized,
        sections=(),
        sentences=(Sentence(0, text[14:], 14, len(text), None, 0, ()),),
        captions=(),
        tables=(),
        glossary=(),
        references=(),
        metadata=meta,
        kind="primary",
        format="markdown",
    )
    span = doc.span(14, len(text), sentence=0, rule="prose-test")
    record = CoatingRecord(doc_id, None, material, "ALD", "Li", span, "prose")
    return ExtractedDocument(doc, (record,))


def _review_citing(doc_id: str, reference: Reference, material: str = "Al2O3") -> ExtractedDocument:
    text = f"{material} was grown on Li by ALD [7].\n{reference.text}"
    normalized = NormalizedText(text, text, tuple(range(len(text) + 1)))
    first = text.index("\n")
    ref = Reference(*[getattr(reference, f) for f in ("number", "text", "authors", "title",
                      "venue", "year", "doi")], first + 1, len(text), reference.volume,
                    reference.first_page)  # fmt: skip
    doc = StructuredDocument(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        title="A review",
        normalized=normalized,
        sections=(),
        sentences=(Sentence(0, text[:first], 0, first, None, 0, (7,)),),
        captions=(),
        tables=(),
        glossary=(),
        references=(ref,),
    )
    span = doc.span(0, first, sentence=0, rule="prose-test")
    return ExtractedDocument(doc, (CoatingRecord(doc_id, 7, material, "ALD", "Li", span, "prose"),))


def _ref(doi: str | None, title: str = "A study title", **kw: object) -> Reference:
    fields = {"volume": None, "first_page": None, **kw}
    return Reference(7, f"Ames, Q.; Bell, R. {title}.", ("Ames, Q.", "Bell, R."), title,
                     "J. Test", 2020, doi, 0, 0, fields["volume"], fields["first_page"])  # fmt: skip


def test_a_document_built_in_pieces_is_the_same_graph(
    extracted: ExtractedDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolved = resolve(extracted)
    whole = build_triples(resolved)
    monkeypatch.setattr(kg.build, "BATCH_TRIPLES", 1)  # a piece after every coating
    pieces = list(triple_batches(resolved))
    assert len(pieces) == 3  # two coatings, then the rest
    assert set().union(*pieces) == whole


def test_written_ntriples_hold_each_triple_once(
    extracted: ExtractedDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    resolved = resolve(extracted)
    whole = build_triples(resolved)
    pieces = list(triple_batches(resolved))
    repeated = [*pieces, set(list(whole)[:20])]  # as when a later coating names a study again
    monkeypatch.setattr(kg.build, "triple_batches", lambda *_: iter(repeated))
    out = io.StringIO()
    triples, coatings = write_ntriples(resolved, out)
    lines = out.getvalue().splitlines()
    assert (triples, coatings) == (len(whole), 2)
    assert sorted(lines) == sorted(ntriples(whole).splitlines())


@pytest.mark.parametrize(
    "triple",
    [
        (ID["a"], RDFS.label, Literal('say "hi"\\\nnow\r')),
        (ID["a"], RDFS.label, Literal("Al₂O₃", lang="en")),
        (ID["a"], AKG.numericValue, Literal(2.5)),
        (ID["a"], RDF.type, AKG.Coating),
    ],
)
def test_ntriples_rows_are_rdflib_s(triple: tuple) -> None:
    from rdflib.plugins.serializers.nt import _nt_row

    rows = kg.build._NTriplesRows()
    assert rows(triple) == _nt_row(triple)
    assert rows(triple) == _nt_row(triple)  # the cached IRIs too


def test_primary_document_is_its_own_study() -> None:
    g = build_graph(resolve(_primary("paper", "10.9999/t.1")))
    doc = ID["paper"]
    (study,) = g.subjects(AKG.describedBy, doc)
    assert str(study) == str(ID["study/doi/10.9999/t.1"])
    assert (doc, AKG.documentKind, Literal("primary")) in g
    assert (doc, AKG.format, Literal("markdown")) in g
    assert (doc, RDF.type, AKG.Review) not in g and (doc, RDF.type, AKG.Document) in g
    (coating,) = g.subjects(RDF.type, AKG.Coating)
    assert (coating, AKG.reportedIn, study) in g
    assert str(g.value(study, AKG.firstAuthor)) == "Ames"
    assert g.value(study, AKG.year).toPython() == 2020
    assert (study, AKG.citationNumber, None) not in g  # no document cites it here


def test_primary_without_identifiers_keeps_a_local_study() -> None:
    extracted = _primary("paper", None)
    meta = DocumentMetadata(title="A study title")
    doc = StructuredDocument(**{**extracted.document.__dict__, "metadata": meta})
    g = build_graph(resolve(ExtractedDocument(doc, extracted.coatings)))
    (study,) = g.subjects(AKG.describedBy, ID["paper"])
    assert str(study).startswith(str(ID["paper/"]))


def test_citation_node_per_document_and_number() -> None:
    g = build_graph(resolve(_review_citing("rev", _ref("10.9999/t.1"))))
    (citation,) = g.subjects(RDF.type, AKG.Citation)
    assert g.value(citation, AKG.citingDocument) == ID["rev"]
    assert g.value(citation, AKG.citedStudy) == ID["study/doi/10.9999/t.1"]
    assert g.value(citation, AKG.citationNumber).toPython() == 7
    assert (ID["rev"], AKG.documentKind, Literal("review")) in g


def test_same_doi_is_one_study_and_one_coating_across_documents() -> None:
    paper = build_triples(resolve(_primary("paper", "10.9999/t.1")))
    review = build_triples(resolve(_review_citing("rev", _ref("10.9999/T.1"))))
    coatings = [{s for s, p, o in t if p == RDF.type and o == AKG.Coating} for t in (paper, review)]
    assert coatings[0] == coatings[1] and len(coatings[0]) == 1
    studies = [{o for s, p, o in t if p == AKG.reportedIn} for t in (paper, review)]
    assert studies[0] == studies[1]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # no DOI: first author, year, venue, volume and first page
        (_ref(None, volume="4", first_page="10"), _ref(None, volume="4", first_page="10"), True),
        (_ref(None, volume="4", first_page="10"), _ref(None, volume="4", first_page="99"), False),
        # look-alikes: same first author, year and journal, another title
        (_ref(None, "Soft films on lithium"), _ref(None, "Hard films on lithium"), False),
        (_ref(None, "Soft films on lithium"), _ref(None, "Soft films on lithium."), True),
        # another DOI is another study, whatever else agrees
        (_ref("10.9999/t.1"), _ref("10.9999/t.2"), False),
    ],
)
def test_study_identity(a: Reference, b: Reference, same: bool) -> None:
    one = build_triples(resolve(_review_citing("rev-a", a)))
    two = build_triples(resolve(_review_citing("rev-b", b)))
    study = [next(o for s, p, o in t if p == AKG.citedStudy) for t in (one, two)]
    assert (study[0] == study[1]) is same


def test_unidentified_cited_study_is_local_to_its_document() -> None:
    bare = Reference(7, "Ames et al.", (), None, None, None, None, 0, 0)
    one = build_triples(resolve(_review_citing("rev-a", bare)))
    two = build_triples(resolve(_review_citing("rev-b", bare)))
    study = [next(o for s, p, o in t if p == AKG.citedStudy) for t in (one, two)]
    assert study[0] != study[1] and str(study[0]).startswith(str(ID["rev-a/"]))


def test_every_listed_reference_is_a_study_even_without_facts() -> None:
    doc = make_doc()
    uncited = Reference(8, "8. Poe, E. Another.", ("Poe, E.",), "Another", None, 2019, None, 0, 0)
    doc = replace(doc, references=(*doc.references, uncited))
    graph = build_graph(resolve(ExtractedDocument(document=doc, coatings=())))
    numbers = {
        int(n)
        for c in graph.subjects(RDF.type, AKG.Citation)
        for n in graph.objects(c, AKG.citationNumber)
    }
    assert numbers == {7, 8}
    assert len(set(graph.subjects(RDF.type, AKG.Study))) == 2
