"""Prose extraction: short sentences in the style of a coatings review → expected facts."""

from __future__ import annotations

import pytest

from ingest.prose import extract_prose
from ingest.records import CoatingRecord
from tests.ingest.prose.docs import make_doc, table_row
from tests.paths import REVIEW as CORPUS


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


def _kinds(rec: CoatingRecord, kind: str) -> list[float | None]:
    return [m.quantity.canonical_value for m in rec.measurements if m.quantity.kind == kind]


def test_charge_discharge_cycles_are_no_deposition_cycles() -> None:
    doc = make_doc(
        [
            "Meng et al. [57] deposited LiGL on Li metal by MLD.",
            "Testing at 5 mA cm-2 and 60 MLD cycles realized stable cycling performance of "
            "~200 mV overpotential after 13,500 charge/discharge cycles.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    assert [q.canonical_value for q in rec.deposition_cycles] == [60]
    (m,) = [m for m in rec.measurements if m.quantity.kind == "Overpotential"]
    assert m.after_cycles == 13500


def test_growth_per_cycle_is_one_coating_measurement() -> None:
    doc = make_doc(
        ["Kim et al. [95] deposited Al2O3 on Na metal by ALD with a GPC of 0.14 nm/cycle."]
    )
    (rec,), facts, _ = extract_prose(doc, [])
    assert _kinds(rec, "GrowthPerCycle") == [0.14]
    assert not [f for f in facts if f.quantity.kind == "GrowthPerCycle"]


def test_growth_per_cycle_of_a_material_without_study_stays_a_fact() -> None:
    doc = make_doc(["Alucone grown from TMA and EG shows a GPC of 4.0 Å/cycle."])
    _, facts, _ = extract_prose(doc, [])
    # "alucone" is a class word: it names the class, not the compound AlEG (issue 9).
    assert [(f.subject, f.quantity.kind) for f in facts] == [("alucone", "GrowthPerCycle")]


def test_conditions_not_carried_across_a_change_of_cell_type() -> None:
    doc = make_doc(
        [
            "Sun et al. [132] deposited ZrO2 on Li metal by ALD.",
            "Symmetric cells with ZrO2-coated Li were cycled at 6 mA cm-2 for over 2000 h.",
            "The ZrO2-coated Li also displayed promising results in Li-O2 full cells, with "
            "stable cycling over 1500 h at a capacity of 0.2 mAh cm-2.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    (m,) = [m for m in rec.measurements if m.quantity.canonical_value == 1500]
    assert (m.cell_type, m.current_density) == ("Li-O2", None)


def test_conditions_not_carried_into_the_next_paragraph() -> None:
    doc = make_doc(
        ["Sun et al. [132] deposited ZrO2 on Li metal by ALD.", "Cells were cycled at 6 mA cm-2."],
        ["The ZrO2-coated Li cycled stably for over 900 h [132]."],
    )
    (rec,) = extract_prose(doc, [])[0]
    (m,) = [m for m in rec.measurements if m.quantity.canonical_value == 900]
    assert m.current_density is None


@pytest.mark.parametrize("earlier", [True, False])
def test_other_metal_variant_gives_the_study_nothing(earlier: bool) -> None:
    first = ["Symmetric Li-Li cells with LiAlOx-coated Li were assembled [93]."] if earlier else []
    doc = make_doc(
        first,
        [
            "Sodium metal coated with Al2O3 can also be annealed to form sodiated NaAlOx, as "
            "also shown with LiAlOx [93].",
            "To optimize the process for Na, the deposition temperature was reduced to 65 °C.",
            "In Na-Na symmetric cells assembled with 1 M NaOTf in DEGDME electrolyte, the "
            "coated Na cycled for over 1000 h.",
        ],
    )
    records, _, warnings = extract_prose(doc, [table_row(93, "LiAlOx", "Li")])
    for rec in records:
        assert not rec.temperatures
        assert not any("NaOTf" in e for t in rec.cell_tests for e in t.electrolytes)
        assert not rec.measurements
    assert any("about Na" in w for w in warnings)


def test_one_cell_test_per_cell_type_and_electrolyte() -> None:
    doc = make_doc(
        [
            "Meng et al. [57] deposited LiGL on Li metal by MLD.",
            "Symmetric cells were assembled with ether electrolyte (1 M LiTFSI in DOL/DME).",
            "In the ether electrolyte, symmetric cells cycled at 3 mA cm-2 for over 500 h.",
            "Symmetric cells with 1 M LiTFSI in DOL/DME; were also cycled at 5 mA cm-2.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    (test,) = rec.cell_tests
    assert test.cell_type == "symmetric"
    assert test.electrolytes[0] == "1 M LiTFSI in DOL/DME"
    assert [q.canonical_value for q in test.current_densities] == [3, 5]
    assert {m.electrolytes for m in rec.measurements} == {test.electrolytes}


def test_half_cell_of_a_named_metal() -> None:
    doc = make_doc(
        [
            "Zhao et al. [111] coated SnO2 on porous carbon nanofibers using ALD.",
            "In symmetric K-K cells at 1 mA cm-2, the coated K cycled for more than 1700 h.",
            "In K-Cu asymmetric cells, the PCNF@SnO2-K anode delivers a stable CE with average "
            "of 98.3% over 150 charge/discharge cycles.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    (ce,) = [m for m in rec.measurements if m.quantity.kind == "CoulombicEfficiency"]
    assert (ce.cell_type, ce.current_density) == ("K-Cu", None)


def test_sentence_that_cannot_be_read_becomes_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.prose.extractor as extractor

    def broken(text: str):
        if "odd" in text:
            raise ValueError("Unknown unit 'cycle*cycle'")
        return []

    monkeypatch.setattr(extractor, "find_quantities_in", broken)
    doc = make_doc(
        [
            "Kim et al. [12] deposited Al2O3 on Li metal by ALD.",
            "An odd sentence about the coated Li at 15 nm, 40 cycles.",
        ]
    )
    records, _facts, warnings = extract_prose(doc, [])
    assert [r.material for r in records] == ["Al2O3"]
    assert any("sentence 1: could not be read" in w for w in warnings)


def test_long_list_of_values_is_kept_once_each() -> None:
    values = ", ".join(f"{i} h" for i in range(1, 3001))
    doc = make_doc(
        [
            "Kim et al. [12] deposited Al2O3 on Li metal by ALD.",
            f"The coated Li cycled in symmetric cells for {values}, and again for 7 h.",
        ]
    )
    (rec,) = extract_prose(doc, [])[0]
    hours = [m.quantity.canonical_value for m in rec.measurements]
    assert len(hours) == 3000 and len(set(hours)) == 3000
