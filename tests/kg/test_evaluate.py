"""Strict extraction scoring: extras cost precision, outcomes are compared in full."""

from __future__ import annotations

from typing import Any

import pytest

from kg.evaluate import evaluate_rows, unit_key


def extracted(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "doc": "paper",
        "ref": None,
        "year": 2020,
        "material": "ZnO",
        "technique": "ALD",
        "substrate": "Li",
        "precursors": ["DEZ", "H2O"],
        "temperature_C": 120,
        "thickness_nm": None,
        "deposition_cycles": None,
        "cell_types": ["symmetric"],
        "electrolytes": [],
        "outcomes": [],
        "source": ["text, sentence 1"],
        "cell_tests": [],
    }
    row.update(fields)
    return row


def outcome(kind: str, value: Any, comparator: str = "=", **conditions: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "value": value,
        "unit": {"CyclingDuration": "h", "Overpotential": "mV"}.get(kind),
        "comparator": comparator,
        "conditions": conditions,
        "from_table": False,
    }


def gold(**fields: Any) -> dict[str, Any]:
    coating: dict[str, Any] = {
        "doc": "paper",
        "ref": None,
        "year": 2020,
        "material": "ZnO",
        "technique": "ALD",
        "substrate": "Li",
        "precursors": ["DEZ", "H2O"],
        "temperature_C": 120,
        "thickness_nm": None,
        "deposition_cycles": None,
        "cell_types": ["symmetric"],
        "electrolytes": [],
        "outcomes": [],
    }
    coating.update(fields)
    return {"coatings": [coating], "not_coatings": []}


def test_a_perfect_extraction_scores_one() -> None:
    report = evaluate_rows([extracted()], gold())
    assert (report["precision"], report["recall"]) == (1.0, 1.0)


def test_an_extra_outcome_costs_precision_only() -> None:
    rows = [extracted(outcomes=[outcome("CyclingDuration", 24)])]
    report = evaluate_rows(rows, gold())
    assert report["fp"] == 1 and report["fn"] == 0
    assert report["precision"] < 1.0 and report["recall"] == 1.0


def test_a_value_where_the_gold_says_not_stated_is_a_false_positive() -> None:
    report = evaluate_rows([extracted(thickness_nm=5)], gold())
    assert report["fp"] == 1


@pytest.mark.parametrize(
    ("got", "want", "right"),
    [
        (outcome("CyclingDuration", 1000, ">"), {"value": 1000, "comparator": ">"}, True),
        (outcome("CyclingDuration", 1000, "="), {"value": 1000, "comparator": ">"}, False),
        (outcome("CyclingDuration", 900, ">"), {"value": 1000, "comparator": ">"}, False),
        (outcome("Overpotential", 1000, ">"), {"value": 1000, "comparator": ">"}, False),
    ],
)
def test_outcomes_match_on_kind_value_unit_and_comparator(
    got: dict[str, Any], want: dict[str, Any], right: bool
) -> None:
    wanted = {"kind": "cycling_duration_h", "unit": "h", **want}
    report = evaluate_rows([extracted(outcomes=[got])], gold(outcomes=[wanted]))
    assert (report["fn"] == 0) is right


def test_current_density_is_read_from_conditions_too() -> None:
    rows = [extracted(outcomes=[outcome("CyclingDuration", 500, current_density_mA_cm2=2)])]
    wanted = [
        {"kind": "cycling_duration_h", "value": 500, "unit": "h", "comparator": "="},
        {"kind": "current_density_mA_cm2", "value": 2, "unit": "mA cm-2", "comparator": "="},
    ]
    report = evaluate_rows(rows, gold(outcomes=wanted))
    assert report["fn"] == 0 and report["fp"] == 0


def test_an_extracted_trap_is_listed_and_costs_every_value() -> None:
    data = gold()
    data["not_coatings"] = [{"doc": "paper", "ref": None, "material": "LiF"}]
    rows = [extracted(), extracted(material="LiF", precursors=["LTB", "HF"])]
    report = evaluate_rows(rows, data)
    assert any(line.startswith("++ trap") for line in report["lines"])
    assert report["fp"] >= 6  # year, material, technique, substrate, temperature, 2 precursors…
    assert report["documents"]["paper"]["fp"] == report["fp"]


def test_a_missed_coating_costs_recall_in_its_document() -> None:
    report = evaluate_rows([], gold())
    assert report["documents"]["paper"]["recall"] == 0.0
    assert report["lines"][0].startswith("--")


def test_table_row_gold_scores_only_table_facts_of_its_tables() -> None:
    rows = [
        extracted(
            doc="review",
            ref=7,
            source=["Table 2, row 1", "section 3, sentence 4"],
            cell_tests=[{"cell_type": "symmetric", "electrolyte": None, "from_table": True}],
            outcomes=[
                {**outcome("CycleCount", 300), "from_table": True},
                outcome("CyclingDuration", 80),  # from prose: not what this gold covers
            ],
        ),
        extracted(doc="review", ref=8, material="TiO2", source=["Table 5, row 1"]),
    ]
    row = {
        "table": 2,
        "row": 1,
        "ref": 7,
        "year": 2020,
        "material": "ZnO",
        "technique": "ALD",
        "substrate": "Li",
        "precursors": ["DEZ", "H2O"],
        "temperature_C": 120,
        "thickness_nm": None,
        "deposition_cycles": None,
        "performance": {"cycles": 300, "cell_type": "symmetric"},
    }
    report = evaluate_rows(rows, [row])
    assert report["f1"] == 1.0
    assert report["unmatched"] == []


@pytest.mark.parametrize(
    ("a", "b"),
    [("mAh g-1", "mAh/g"), ("Ω cm2", "ohm·cm^2"), ("mA cm−2", "mA/cm^2"), ("cycles", "cycle")],
)
def test_unit_spellings_compare_equal(a: str, b: str) -> None:
    assert unit_key(a) == unit_key(b)


def test_an_unknown_gold_format_is_refused() -> None:
    with pytest.raises(ValueError, match="gold format"):
        evaluate_rows([], {"rows": []})


def test_an_export_record_document_is_scored_under_its_file_and_position() -> None:
    data = gold(doc="export", ref=2)
    data["coatings"].append({**data["coatings"][0], "ref": 1, "record_key": "smith2020zno"})
    rows = [extracted(doc="export-2"), extracted(doc="export-smith2020zno")]
    report = evaluate_rows(rows, data)
    assert report["unmatched"] == [] and report["fn"] == 0
