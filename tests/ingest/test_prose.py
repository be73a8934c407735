"""Prose extraction: short sentences in the style of a coatings review → expected facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.prose import VocabularyMatcher, extract_prose
from ingest.records import (
    CoatingRecord,
    NormalizedText,
    Sentence,
    Span,
    StructuredDocument,
)
from kg.vocab import Concept, Vocabulary, load_vocabulary

pytest.importorskip("ingest.quantities")

CORPUS = Path("/work/shared/corpus/ald-mld-alkali-metal-anodes-review.txt")


def make_doc(*paragraphs: list[str]) -> StructuredDocument:
    """A StructuredDocument from paragraphs of sentences; citations read from `[n]`."""
    text, sentences = "", []
    for p, paragraph in enumerate(paragraphs):
        for sent in paragraph:
            start = len(text)
            text += sent + " "
            cites = tuple(int(n) for g in re.findall(r"\[([\d,\s]+)\]", sent) for n in g.split(","))
            sentences.append(
                Sentence(len(sentences), sent, start, start + len(sent), "3", p, cites)
            )
        text += "\n"
    norm = NormalizedText(text, text, tuple(range(len(text) + 1)))
    return StructuredDocument("t", "t.txt", "T", norm, (), tuple(sentences), (), (), (), ())


def table_row(ref: int, material: str, substrate: str = "Li") -> CoatingRecord:
    return CoatingRecord("t", ref, material, "ALD", substrate, Span("t", 0, 0, ""), "table")


def test_study_linked_via_citation_and_paragraph() -> None:
    doc = make_doc(
        [
            "Li coated with a 5 nm (50 ALD cycles) TiO2 film improved air stability [92].",
            "Symmetric cells with TiO2-coated Li could cycle stably for more than 1600 h at 1 mA cm-2.",
        ]
    )
    records, _, _ = extract_prose(doc, [table_row(92, "TiO2")])
    (rec,) = records
    assert (rec.ref, rec.material, rec.source) == (92, "TiO2", "prose")
    (m,) = [m for m in rec.measurements if m.quantity.kind == "CyclingDuration"]
    assert (m.quantity.canonical_value, m.quantity.comparator) == (1600, ">")
    assert m.current_density is not None and m.current_density.canonical_value == 1
    assert m.span.rule.startswith("prose-")


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        (
            "Comparatively, the bare samples began with a higher overpotential, and the cells "
            "suddenly failed just before 600 h.",
            600,
        ),
        (
            "The ZrO2-coated Li cycled for over 300 h at 1 mA cm-2, while the bare Li failed "
            "after 90 h.",
            90,
        ),
    ],
)
def test_bare_clause_ignored(sentence: str, absent: float) -> None:
    doc = make_doc(["Kim et al. [40] deposited ZrO2 on Li metal by ALD.", sentence])
    records, _, _ = extract_prose(doc, [])
    values = [m.quantity.canonical_value for r in records for m in r.measurements]
    assert absent not in values


def test_respectively_keeps_the_coated_value() -> None:
    doc = make_doc(
        [
            "In full-cell tests, the TiO2-coated Li improved cyclability over the uncoated Li, "
            "with a capacity retention of 78.4% and 55.1% after 100 cycles, respectively [92]."
        ]
    )
    (rec,) = extract_prose(doc, [table_row(92, "TiO2")])[0]
    kept = [m.quantity.canonical_value for m in rec.measurements]
    assert 78.4 in kept and 55.1 not in kept


def test_annealing_temperature_is_not_deposition_temperature() -> None:
    doc = make_doc(
        [
            "Ma et al. [50] deposited Al2O3 on Li metal by ALD at a chamber temperature of "
            "120 °C, followed by a 30 min anneal at 180 °C."
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    assert [q.canonical_value for q in rec.temperatures] == [120]


def test_potassium_host_coating_found() -> None:
    doc = make_doc(
        [
            "Zhao et al. [111] coated SnO2 on porous carbon nanofibers (PCNFs) using ALD with "
            "tetrakis(dimethylamino)tin (IV) and H2O as precursors.",
            "These mats, denoted PCNF@SnO2, served as a host for the K metal anode.",
            "In symmetric K-K cells at 1 mA cm-2, the PCNF@SnO2-K anodes showed stable voltage "
            "hysteresis for more than 1700 h.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    assert (rec.material, rec.technique, rec.substrate) == ("SnO2", "ALD", "carbon nanofiber host")
    assert set(rec.precursors) == {"TDMASn", "H2O"}
    assert any("K" in n for n in rec.notes)
    assert any(
        m.quantity.kind == "CyclingDuration" and m.quantity.canonical_value == 1700
        for m in rec.measurements
    )


def test_material_property_fact_has_subject() -> None:
    doc = make_doc(
        ["The shear modulus of LiF was quantified at 58 GPa using nanoindentation [89]."]
    )
    _, facts, _ = extract_prose(doc, [table_row(89, "LiF")])
    assert [(f.subject, f.quantity.kind, f.quantity.canonical_value) for f in facts] == [
        ("LiF", "ShearModulus", 58)
    ]


def test_new_vocabulary_term_is_matched() -> None:
    base = load_vocabulary()
    new = "https://w3id.org/ald-kg/vocab/MoS2"
    g = base.graph
    concept = Concept(str(new), "Material", "MoS2")
    vocab = Vocabulary(g, {**base.concepts, str(new): concept}, base.material_classes)
    mentions = VocabularyMatcher(vocab).pipe(["A MoS2-coated Li anode."])[0]
    assert ("Material", "MoS2") in {(m.kind, m.label) for m in mentions}


def test_corpus_potassium_study() -> None:
    if not CORPUS.exists():
        pytest.skip("corpus not available")
    normalize = pytest.importorskip("ingest.normalize").normalize
    structure = pytest.importorskip("ingest.structure").structure
    doc = structure(normalize(CORPUS.read_text()), doc_id="review", path=str(CORPUS))
    records, _, _ = extract_prose(doc, [])
    (rec,) = [r for r in records if r.ref == 111 and r.material == "SnO2"]
    assert rec.substrate == "carbon nanofiber host"
    assert any(
        m.quantity.kind == "CyclingDuration" and (m.quantity.canonical_value or 0) >= 1700
        for m in rec.measurements
    )
