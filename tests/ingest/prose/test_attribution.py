"""Attribution: which study a sentence's facts belong to, recorded on the span as a rule."""

from __future__ import annotations

from ingest.prose import extract_prose
from ingest.prose.attribution import coated_object
from ingest.prose.matcher import default_matcher
from ingest.records import ExtractedDocument
from ingest.resolve import resolve
from kg.build import build_graph
from kg.namespaces import AKG
from tests.ingest.prose.docs import make_doc, table_row


def test_measurements_record_how_their_study_was_chosen() -> None:
    doc = make_doc(
        [
            "Kim et al. [12] deposited Al2O3 on Li metal by ALD.",
            "The coated Li cycled for 700 h in symmetric cells.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    assert rec.span.attribution == "cited-in-sentence"
    (m,) = rec.measurements
    assert m.span.attribution == "paragraph-study"


def test_property_goes_to_the_paragraph_study_not_a_trailing_background_citation() -> None:
    doc = make_doc(
        [
            "Park et al. [20] grew LiF on Li metal by ALD.",
            "The shear modulus of LiF reached 60 GPa, far above what dendrites need [31].",
        ]
    )
    _records, facts, _ = extract_prose(doc, [])
    (fact,) = facts
    assert (fact.subject, fact.ref, fact.span.attribution) == ("LiF", 20, "paragraph-study")


def test_property_of_a_material_no_study_coats_keeps_its_own_citation() -> None:
    doc = make_doc(
        [
            "Park et al. [20] grew LiF on Li metal by ALD.",
            "Bulk TiO2 has a modulus of 230 GPa [31].",
        ]
    )
    (fact,) = extract_prose(doc, [])[1]
    assert (fact.subject, fact.ref) == ("TiO2", 31)


def test_attribution_rule_is_written_to_the_graph() -> None:
    doc = make_doc(["Kim et al. [12] deposited Al2O3 on Li metal by ALD at 150 °C."])
    records = extract_prose(doc, [table_row(12, "Al2O3")])[0]
    graph = build_graph(resolve(ExtractedDocument(doc, (table_row(12, "Al2O3"), *records))))
    rules = {str(o) for o in graph.objects(None, AKG.attributionRule)}
    assert rules == {"cited-in-sentence"}


def _object(text: str) -> str | None:
    found = coated_object(text, default_matcher().find(text))
    return None if found is None else (found.label or f"cathode:{found.text}")


def test_coated_object_is_after_on_not_against() -> None:
    assert _object("Al2O3 was grown on garnet LLZO and cycled against Li.") == (
        "garnet solid electrolyte"
    )


def test_counter_electrode_is_not_the_coated_object() -> None:
    assert _object("LiF was deposited on NMC811 cathodes, with Li as counter electrode.") == (
        "cathode:NMC811"
    )


def test_metal_foil_is_the_coated_object() -> None:
    assert _object("We coat sodium foil at 75 °C.") == "Na"


def test_review_coating_whose_substrate_comes_in_the_next_sentence() -> None:
    doc = make_doc(
        [
            "ZnO was grown by ALD at 150 °C from DEZ and water [5].",
            "The coated LATP was then paired with Li metal in symmetric cells.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    assert (rec.ref, rec.material, rec.technique) == (5, "ZnO", "ALD")
    assert rec.substrate == "LATP"


def test_review_background_process_followed_by_a_paired_metal_is_no_coating() -> None:
    doc = make_doc(
        [
            "Al2O3 is grown by ALD from TMA and water [2].",
            "Such cells are then paired with Li metal.",
        ]
    )
    assert extract_prose(doc, [])[0] == []


def test_sentence_citing_two_studies_gives_each_its_own_facts() -> None:
    doc = make_doc(
        [
            "Al2O3 was deposited on Li by ALD at 150 °C [3], while ZrO2 was grown on Na "
            "by ALD at 90 °C [4].",
        ]
    )
    records = extract_prose(doc, [])[0]
    found = {
        (r.ref, r.material, r.substrate, tuple(q.value for q in r.temperatures)) for r in records
    }
    assert found == {(3, "Al2O3", "Li", (150.0,)), (4, "ZrO2", "Na", (90.0,))}


def test_review_paragraph_keeps_each_cited_study_apart() -> None:
    doc = make_doc(
        [
            "Kim et al. [3] deposited Al2O3 on Li metal by ALD.",
            "The coated Li cycled for 700 h in symmetric cells.",
            "Lee et al. [4] grew TiO2 on Na metal by ALD.",
            "The coated Na cycled for 300 h.",
        ]
    )
    by_ref = {
        r.ref: {m.quantity.canonical_value for m in r.measurements}
        for r in extract_prose(doc, [])[0]
    }
    assert by_ref == {3: {700.0}, 4: {300.0}}
