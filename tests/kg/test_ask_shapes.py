"""Answer shapes: values, superlatives, comparisons, counts, each with a one-line summary."""

from __future__ import annotations

import pytest

from kg.ask import ask, interpret


@pytest.mark.parametrize(
    ("question", "shape", "rank"),
    [
        ("thinnest coating on Li", "superlative", ("Thickness", "min")),
        ("the thickest film", "superlative", ("Thickness", "max")),
        ("What is the longest-lived coating on Na?", "superlative", ("CyclingDuration", "max")),
        ("longest cycling al2o3 on sodium", "superlative", ("CyclingDuration", "max")),
        ("best Coulombic efficiency on Li", "superlative", ("CoulombicEfficiency", "max")),
        ("lowest overpotential", "superlative", ("Overpotential", "min")),
        ("best overpotential", "superlative", ("Overpotential", "min")),
        ("coating with the most cycles", "superlative", ("CycleCount", "max")),
        ("best coating on Na", "superlative", ("CyclingDuration", "max")),
        ("which is thicker, TiO2 or ZrEG?", "comparison", ("Thickness", "max")),
        ("Al2O3 vs TiO2: which lasts longer?", "comparison", ("CyclingDuration", "max")),
        ("Al2O3 vs TiO2 on Li", "comparison", None),
        ("how many coatings on Na", "count", None),
        ("number of MLD coatings", "count", None),
        ("coatings thinner than 5 nm", "list", None),  # a bound, not a comparison
        ("how many cycles did TiO2 last", "list", None),  # a value question
    ],
)
def test_shapes_are_read(question: str, shape: str, rank: tuple[str, str] | None) -> None:
    interp = interpret(question)
    assert (interp.shape, interp.rank) == (shape, rank), interp.describe()


def test_superlative_keeps_the_top_and_states_it(ask_store: object) -> None:
    answer = ask("thinnest coating", ask_store)
    assert [r["ref"] for r in answer.rows] == [4]  # LiF, 8 Å
    assert answer.rows[0]["thickness_nm"] == pytest.approx(0.8)
    assert "lowest thickness" in answer.summary and "LiF [4]" in answer.summary
    assert "0.8 nm" in answer.summary and "next:" in answer.summary


def test_superlative_ties_are_all_kept(ask_store: object) -> None:
    answer = ask("thickest coating on Li with MLD or TiO2", ask_store)
    assert answer.shape == "superlative"
    answer = ask("thickest TiO2 or ZrEG coating", ask_store)
    assert sorted(r["ref"] for r in answer.rows) == [3, 5]  # both 5 nm
    assert "tied with" in answer.summary


def test_superlative_explains_open_values(ask_store: object) -> None:
    answer = ask("longest-lived coating on Li", ask_store)
    assert [r["ref"] for r in answer.rows] == [3]
    assert "> 1600 h" in answer.summary and "open value" in answer.summary


def test_superlative_in_the_good_direction(ask_store: object) -> None:
    answer = ask("best Coulombic efficiency", ask_store)
    assert [r["ref"] for r in answer.rows] == [3]
    assert "99.5 %" in answer.summary


def test_comparison_names_both_values_and_the_winner(ask_store: object) -> None:
    answer = ask("which is thicker, the TiO2 coating or the AlEG coating?", ask_store)
    assert sorted(r["ref"] for r in answer.rows) == [2, 3]
    assert "20 nm" in answer.summary and "5 nm" in answer.summary
    assert "AlEG has the higher thickness" in answer.summary


def test_comparison_with_a_missing_value_says_so(ask_store: object) -> None:
    answer = ask("which lasts longer, TiO2 or LiF?", ask_store)
    assert "no cycling duration for LiF" in answer.summary


def test_comparison_without_a_quantity_lists_both(ask_store: object) -> None:
    answer = ask("Al2O3 vs TiO2", ask_store)
    assert sorted(r["ref"] for r in answer.rows) == [1, 3]
    assert "Al2O3: 1 coating" in answer.summary and "Name a quantity" in answer.summary


def test_count_states_the_number_and_what_was_counted(ask_store: object) -> None:
    answer = ask("how many MLD coatings?", ask_store)
    assert answer.shape == "count" and len(answer.rows) == 2
    assert answer.summary.startswith("2 coatings (technique is MLD")


def test_value_question_has_the_value_as_a_column(ask_store: object) -> None:
    answer = ask("At what temperature was the LiF film deposited?", ask_store)
    assert [r["deposition_temperature_C"] for r in answer.rows] == [135]
    assert "135 °C" in answer.summary


def test_list_summary_states_count_and_extreme(ask_store: object) -> None:
    answer = ask("coatings stable over 1000 h", ask_store)
    assert answer.summary.startswith("2 coatings")
    assert "the highest cycling duration is TiO2 [3], > 1600 h" in answer.summary


def test_empty_answer_says_what_matched_nothing(ask_store: object) -> None:
    answer = ask("HfO2 coatings on Na", ask_store)
    assert answer.rows == []
    assert answer.summary.startswith("No coatings in the graph match")


def test_rows_carry_doc_ref_doi_and_sources(ask_store: object) -> None:
    answer = ask("coatings on Li", ask_store)
    for row in answer.rows:
        assert row["doc"] == "askdoc" and isinstance(row["ref"], int)
        assert "doi" in row
        assert {"doc": "askdoc", "ref": row["ref"], "doi": row["doi"]} in row["sources"]


def test_two_classes_are_alternatives(ask_store: object) -> None:
    answer = ask("alucone and zircone coatings", ask_store)
    assert sorted(r["ref"] for r in answer.rows) == [2, 5]


def test_a_material_and_a_class_compared(ask_store: object) -> None:
    answer = ask("TiO2 vs zircone", ask_store)
    assert sorted(r["ref"] for r in answer.rows) == [3, 5]
    assert "TiO2: 1 coating" in answer.summary and "ZrEG: 1 coating" in answer.summary


def test_an_absent_material_is_named_in_the_summary(ask_store: object) -> None:
    answer = ask("HfO2 coatings", ask_store)
    assert "HfO2: in the vocabulary, but no coating of it is in the graph" in answer.summary
    assert "in the vocabulary, but" not in ask("TiO2 coatings on Na", ask_store).summary


def test_precursor_summary_names_the_precursors(ask_store: object) -> None:
    answer = ask("which precursors are used for TiO2", ask_store)
    assert "TTIP" in answer.summary and "for TiO2 [3]" in answer.summary


def test_the_core_query_binds_the_variables_the_answer_reads() -> None:
    from kg.ask import build_sparql
    from kg.ask.contract import MeasureVars

    sparql = build_sparql(interpret("coatings over 1000 h thinner than 5 nm"))
    head = sparql[sparql.index("SELECT") : sparql.index("WHERE")]
    for i in (0, 1):
        v = MeasureVars(i)
        assert f"?{v.measurement} " in head and f"?{v.comparator}" in head
    assert f"?{MeasureVars(0).high}" in head and f"?{MeasureVars(1).low}" in head
