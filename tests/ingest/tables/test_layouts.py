"""Tables in layouts the code was not written for, in our own words: read by header meaning."""

from __future__ import annotations

import pytest

from ingest.tables import table_records
from tests.ingest.tables.helpers import doc_with, reference, table_of

#: Another column order, split performance columns, author–year citations, units in headers.
SPLIT_HEADER = (
    "Ref.",
    "Thickness (nm)",
    "Coating",
    "Deposition technique",
    "Growth temp.",
    "Chemistry",
    "Cell",
    "Electrolyte",
    "J (mA cm−2)",
    "Capacity (mAh cm−2)",
    "Lifespan (h)",
    "CE (%)",
)
SPLIT_ROWS = [
    (
        "Okafor et al. (2019)",
        "4",
        "ZnO",
        "thermal ALD",
        "120",
        "DEZ + H2O (0.05 s/20 s)",
        "Na–Na symmetric",
        "1 M NaPF6 in DEGDME",
        "2",
        "1",
        ">800",
        "n.r.",
    ),
    (
        "Brandt et al., 2021",
        "~6",
        "HfO2",
        "PE-ALD",
        "200",
        "TDMAH, O2 plasma",
        "Li||Cu",
        "1 M LiPF6 in EC/DEC",
        "0.5",
        "n.r.",
        "—",
        "98.9",
    ),
]
REFERENCES = (reference(1, "Brandt", 2021), reference(2, "Okafor", 2019))


@pytest.fixture
def records():
    table = table_of(SPLIT_HEADER, SPLIT_ROWS, caption="Table 4. Oxide films on Li and Na metal.")
    return table_records(table, doc_with(table, references=REFERENCES))


def test_author_year_refs_resolve_against_the_reference_list(records) -> None:
    assert [r.ref for r in records] == [2, 1]


def test_columns_in_another_order(records) -> None:
    first = records[0]
    assert (first.material, first.technique) == ("ZnO", "thermal ALD")
    assert [q.canonical_value for q in first.thicknesses] == [4.0]
    assert [q.canonical_value for q in first.temperatures] == [120.0]
    assert first.deposition_cycles == ()


def test_process_cell_with_bracketed_times(records) -> None:
    assert records[0].precursors == ("DEZ", "H2O")
    assert records[0].steps[0].pulse_s == 0.05


def test_split_performance_columns_give_outcomes_under_their_conditions(records) -> None:
    first = {m.quantity.kind: m for m in records[0].measurements}
    assert first["CyclingDuration"].quantity.canonical_value == 800
    assert first["CyclingDuration"].quantity.comparator == ">"
    assert first["CyclingDuration"].current_density.canonical_value == 2
    assert first["CyclingDuration"].cell_type == "symmetric"
    assert first["CyclingDuration"].electrolytes == ("1 M NaPF6 in DEGDME",)
    assert first["ArealCapacity"].quantity.canonical_value == 1
    second = {m.quantity.kind: m for m in records[1].measurements}
    assert set(second) == {"CoulombicEfficiency"}
    assert second["CoulombicEfficiency"].cell_type == "Li-Cu"


def test_the_metal_of_each_row_when_the_caption_names_two(records) -> None:
    assert [r.substrate for r in records] == ["Na", "Li"]


def test_plasma_oxygen_makes_the_technique_plasma_enhanced(records) -> None:
    assert records[1].technique == "plasma-enhanced ALD"


def test_a_year_in_the_ref_column_is_never_a_citation_number() -> None:
    table = table_of(
        ("Material", "Thickness (nm)", "Reference"), [("Al2O3", "3", "Chen et al. (2021)")]
    )
    (record,) = table_records(table, doc_with(table))
    assert record.ref is None


def test_a_primary_study_table_without_ref_reads_as_its_own_results() -> None:
    table = table_of(("Coating", "Thickness (nm)", "Cycle life"), [("TiO2", "5", "900 cycles")])
    (record,) = table_records(table, doc_with(table, kind="primary"))
    assert record.ref is None and record.material == "TiO2"
    assert [m.quantity.kind for m in record.measurements] == ["CycleCount"]


@pytest.mark.parametrize(
    "cell",
    ["≈15 nm, 40 cycles", "15 nm (40 cycles)", "~15 nm and 40"],
)
def test_thickness_with_cycles_in_any_idiom(cell: str) -> None:
    table = table_of(("Material", "Thickness and cycles", "Ref."), [("Al2O3", cell, "[3]")])
    (record,) = table_records(table, doc_with(table))
    assert [q.canonical_value for q in record.thicknesses] == [15.0]
    assert [q.canonical_value for q in record.deposition_cycles] == [40.0]


def test_an_unreadable_cell_is_a_note_not_an_error() -> None:
    table = table_of(
        ("Material", "Thickness (nm)", "Lifetime", "Ref."),
        [("Al2O3", "3", "1e999999 h", "[1]")],
    )
    (record,) = table_records(table, doc_with(table))
    assert record.material == "Al2O3"


def test_a_row_repeated_many_times_reads_every_row() -> None:
    row = ("Al2O3", "TMA/H2O", "150", "5 nm and 50", "stable over 500 h (1 mA cm-2)", "[1]")
    header = ("Material", "Process", "T (°C)", "Thickness and cycles", "Performance", "Ref.")
    table = table_of(header, [row] * 400)
    assert len(table_records(table, doc_with(table))) == 400


@pytest.mark.xfail(
    reason="a results table with one column per sample (coated vs bare) is not read yet"
)
def test_results_table_with_a_column_per_sample() -> None:
    table = table_of(
        ("Cell", "Current density (mA cm−2)", "TiO2-coated Li", "Bare Li"),
        [("Li|Li symmetric", "1", "stable for more than 1600 h", "—")],
    )
    (record,) = table_records(table, doc_with(table, kind="primary"))
    assert record.material == "TiO2"


@pytest.mark.parametrize(
    ("cell", "cell_type"),
    [
        ("Li|LSPS|Li", "symmetric"),
        ("Na‖Na", "symmetric"),
        ("K–Cu", "K-Cu"),
        ("anode-free Cu||NMC", "anode-free"),
    ],
)
def test_cell_column_values(cell: str, cell_type: str) -> None:
    table = table_of(("Material", "Cell", "Lifetime", "Ref."), [("Al2O3", cell, "300 h", "[1]")])
    (record,) = table_records(table, doc_with(table))
    assert [m.cell_type for m in record.measurements] == [cell_type]


#: A layout whose process amount sits in a "dose" column and whose rows may build no cell.
DOSE_HEADER = (
    "work",
    "film",
    "route",
    "on",
    "chemistry",
    "T (°C)",
    "dose",
    "cell",
    "electrolyte",
    "result",
)
DOSE_ROWS = [
    (
        "[1]",
        "Al2O3",
        "ALD",
        "Li foil",
        "TMA/H2O",
        "120",
        "6.5 nm",
        "Li||Li",
        "1 M LiPF6 in EC/DEC",
        "700 h at 1 mA cm-2",
    ),
    (
        "[2]",
        "ZnO",
        "ALD",
        "Na foil",
        "DEZ/H2O",
        "100",
        "40 cycles (of 20/40/80)",
        "Na||Na",
        "1 M NaPF6 in diglyme",
        "250 h at 0.5 mA cm-2",
    ),
    (
        "[3]",
        "TiO2",
        "ALD",
        "Li foil",
        "TTIP/H2O",
        "150",
        "3.1 nm",
        "none",
        "dimethyl carbonate (soak)",
        "no corrosion after 24 h in DMC",
    ),
]


@pytest.fixture
def dose_records():
    table = table_of(DOSE_HEADER, DOSE_ROWS, caption="Table 1. Films on alkali metals.")
    return table_records(table, doc_with(table))


def test_a_length_under_a_dose_header_is_a_thickness(dose_records) -> None:
    first, _, third = dose_records
    assert [q.canonical_value for q in first.thicknesses] == [6.5]
    assert first.deposition_cycles == ()
    assert [q.canonical_value for q in third.thicknesses] == [3.1]


def test_cycles_under_a_dose_header_are_deposition_cycles_not_a_cycle_life(dose_records) -> None:
    second = dose_records[1]
    assert [q.canonical_value for q in second.deposition_cycles] == [40.0]
    assert {m.quantity.kind for m in second.measurements} == {"CyclingDuration"}


def test_a_row_that_built_no_cell_has_no_cell_test_and_no_cycling_life(dose_records) -> None:
    third = dose_records[2]
    assert third.cell_tests == ()
    assert [m for m in third.measurements if m.quantity.kind == "CyclingDuration"] == []


@pytest.mark.parametrize("header", ["dose (cycles)", "ALD dose", "Dose"])
def test_dose_headers_name_deposition_cycles(header: str) -> None:
    from ingest.tables.columns import columns

    assert columns(("Ref.", "Coating", header)).get("cycles") is not None
