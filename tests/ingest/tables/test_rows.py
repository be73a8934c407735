"""Summary tables → coating records: columns by header words, repaired converter damage."""

from __future__ import annotations

import pytest

from ingest.records import (
    GlossaryEntry,
    TableBlock,
    TableRow,
)
from ingest.tables import (
    extract_tables,
    parse_performance,
    parse_process,
    parse_thickness_cycles,
    table_records,
)
from ingest.tables.identity import material, substrate_of
from tests.ingest.tables.helpers import doc_with
from tests.paths import REVIEW

HEADER = (
    "No.",
    "Material",
    "ALD Process",
    "Temp./(°C)",
    "Thickness and ALD Cycles",
    "Electrochemical Performance",
    "Year",
    "Ref.",
)
ROW = (
    "1",
    "Al2O3",
    "TMA pulse/purge/plasma O2 pulse/purge 0.06 s/30 s/10 s/5 s",
    "160–180",
    "14 nm and ~117",
    "~90% capacity retention after 100 cycles in Li-O2 cells",
    "2015",
    "[30]",
)


def _table(
    rows: list[tuple[str, ...]],
    *,
    header: tuple[str, ...] = HEADER,
    caption: str = "Table 1. Summary of ALD surface coating Li metal.",
    section: str | None = None,
    number: int = 1,
) -> TableBlock:
    trows = tuple(TableRow(cells, 10 * i, 10 * i + 9, i + 1) for i, cells in enumerate(rows))
    return TableBlock(number, caption, header, trows, 0, 100, section)


@pytest.fixture
def record():
    table = _table([ROW])
    (rec,) = table_records(table, doc_with(table))
    return rec


def test_row_identity(record) -> None:
    assert (record.material, record.ref, record.year, record.source) == ("Al2O3", 30, 2015, "table")


def test_row_span(record) -> None:
    assert (record.span.table, record.span.row, record.span.rule) == (1, 1, "table-row")


def test_plasma_refines_technique(record) -> None:
    assert record.technique == "plasma-enhanced ALD"


def test_substrate_from_caption(record) -> None:
    assert record.substrate == "Li"


def test_temperature_range_is_one_quantity(record) -> None:
    (t,) = record.temperatures
    assert (t.kind, t.low, t.high, t.value) == ("DepositionTemperature", 160.0, 180.0, None)


def test_cycles_keep_comparator(record) -> None:
    (c,) = record.deposition_cycles
    assert (c.value, c.comparator, c.kind) == (117.0, "~", "DepositionCycles")


def test_columns_found_without_number_column_in_any_order() -> None:
    header = tuple(h for h in HEADER if h != "No.")[::-1]
    row = tuple(c for c, h in zip(ROW, HEADER, strict=True) if h != "No.")[::-1]
    table = _table([row], header=header)
    (rec,) = table_records(table, doc_with(table))
    assert (rec.material, rec.ref, rec.precursors) == ("Al2O3", 30, ("TMA", "O2 plasma"))


def test_missing_ref_column_warns_and_reads_rows() -> None:
    header = HEADER[:-1]
    table = _table([ROW[:-1]], header=header, number=7)
    records, warnings = extract_tables(doc_with(table))
    assert records[0].material == "Al2O3" and records[0].ref is None
    assert any("Table 7" in w and "ref" in w for w in warnings)


@pytest.mark.parametrize(
    ("caption", "section", "technique", "substrate"),
    [
        ("Table 3. Summary of MLD Surface Coating Li Metal.", None, "MLD", "Li"),
        ("Table 2. Summary of ALD coating Na metal.", None, "ALD", "Na"),
        (
            "Table 5. Summary of ALD/MLD Dual Layer Surface Coating.",
            "5. Dual Layered Coatings on Li Metal via ALD and MLD",
            "ALD/MLD",
            "Li",
        ),
    ],
)
def test_technique_and_substrate_from_context(
    caption: str, section: str | None, technique: str, substrate: str
) -> None:
    row = (*ROW[:2], "TMA pulse/purge/EG pulse/purge 1 s/5 s/1 s/15 s", *ROW[3:])
    table = _table([row], caption=caption, section=section)
    (rec,) = table_records(table, doc_with(table))
    assert (rec.technique, rec.substrate) == (technique, substrate)


def test_dual_layer_material_is_cleaned() -> None:
    row = ("1", "AIEG/ Al2O3", *ROW[2:])
    table = _table([row])
    (rec,) = table_records(table, doc_with(table))
    assert rec.material == "AlEG/Al2O3"


@pytest.mark.parametrize(
    ("cell", "precursors", "first_step"),
    [
        (
            "TMA pulse/purge/plasma O2 pulse/purge 0.06 s/30 s/10 s/5 s",
            ("TMA", "O2 plasma"),
            ("TMA", 0.06, 30.0),
        ),
        (
            "LTB pulse/purge/H2S pulse/purge 5 s/5 s/5 s/5 s "
            "TDMAA pulse/purge/H2S pulse/purge 5 s/5 s/10 s/5 s",
            ("LTB", "H2S", "TDMAA"),
            ("LTB", 5.0, 5.0),
        ),
        (
            "LTB pulse/purge/TMP/purge/vacuum 3 s/15 s/2 s/15 s/10 s",
            ("LTB", "TMP"),
            ("LTB", 3.0, 15.0),
        ),
        (
            "TDMAA pulse/purge/HF pulse/purge 8 s/15 s/15 ms/45 s",
            ("TDMAA", "HF"),
            ("TDMAA", 8.0, 15.0),
        ),
        ("TMA pulse/purge/H2O pulse/purge (Not given)", ("TMA", "H2O"), ("TMA", None, None)),
    ],
)
def test_parse_process(cell: str, precursors: tuple[str, ...], first_step: tuple) -> None:
    steps, found, _ = parse_process(cell)
    assert found == precursors
    assert (steps[0].precursor, steps[0].pulse_s, steps[0].purge_s) == first_step


def test_process_times_in_ms() -> None:
    steps, _, _ = parse_process("TDMAA pulse/purge/HF pulse/purge 8 s/15 s/15 ms/45 s")
    assert steps[1].pulse_s == pytest.approx(0.015)


def test_vacuum_is_a_note_not_a_precursor() -> None:
    _, precursors, notes = parse_process(
        "TTIP pulse/purge/H2O pulse/purge/vacuum 3 s/15 s/2 s/15 s/10 s"
    )
    assert "vacuum" not in precursors and "vacuum 10 s" in notes


def test_precursor_from_table_glossary() -> None:
    table = TableBlock(1, "", (), (), 0, 0, None, (GlossaryEntry("XQ", "trimethylaluminum", 0, 1),))
    _, precursors, _ = parse_process("XQ pulse/purge 1 s/5 s", table)
    assert precursors == ("TMA",)


def test_spilled_process_cell_moves_to_next_row() -> None:
    rows = [
        (
            "1",
            "AIEG/ Al2O3",
            "TMA pulse/purge/ H2O pulse/purge/TMA pulse/purge/EG pulse/purge 0.1 s/20 s/0.1 s/50 s "
            "DEZ pulse/purge/ED pulse/purge/PDIC",
            "120",
            "5.55 nm and 50",
            "stable overpotential beyond 1200 h (5 mA cm-2) in symmetric cells",
            "2019",
            "[131]",
        ),
        (
            "2",
            "HPU-ZnGr",
            "pulse/purge/ED pulse/purge 0.2 s/50 s/0.1 s/50/1 s/ 50 s/0.1 s/50 s",
            "65",
            "8 nm and 10",
            "Stable overpotential beyond 2000 h (1 mA cm-2) in symmetric cells",
            "2021",
            "[132]",
        ),
    ]
    table = _table(rows, caption="Table 5. Summary of ALD/MLD Dual Layer Surface Coating.")
    first, second = table_records(table, doc_with(table))
    assert first.precursors == ("TMA", "H2O", "EG")
    assert second.precursors == ("DEZ", "ED", "PDIC")
    assert second.steps[0].pulse_s == 0.2


@pytest.mark.parametrize(
    ("cell", "thicknesses", "cycles"),
    [
        ("14 nm and ~117", [14.0], [117.0]),
        ("4 nm and 20 6 nm and 50", [4.0, 6.0], [20.0, 50.0]),
        ("Ether: 5 nm and 10 Carbonate: 25 nm and 50", [5.0, 25.0], [10.0, 50.0]),
        (">50 nm and 150", [50.0], [150.0]),
        ("5.55 nm and 50", [5.55], [50.0]),
        ("1.4 nm and 103.5 nm and 257 nm and 50", [1.4, 3.5, 7.0], [10.0, 25.0, 50.0]),
        ("2 nm and 105 nm and 25", [2.0, 5.0], [10.0, 25.0]),
    ],
)
def test_thickness_and_cycles(cell: str, thicknesses: list[float], cycles: list[float]) -> None:
    th, cy = parse_thickness_cycles(cell)
    assert [q.value for q in th] == thicknesses
    assert [q.value for q in cy] == cycles


def test_thickness_range() -> None:
    (th,), _ = parse_thickness_cycles("~2–3 nm and 20")
    assert (th.low, th.high, th.comparator) == (2.0, 3.0, "~")


def test_label_kept_in_quantity_text() -> None:
    th, _ = parse_thickness_cycles("Ether: 5 nm and 10 Carbonate: 25 nm and 50")
    assert th[0].text.startswith("Ether") and th[1].text.startswith("Carbonate")


@pytest.fixture
def span(record):
    return record.span.with_rule("table-performance")


@pytest.mark.parametrize(
    ("cell", "kind", "value", "comparator"),
    [
        ("~90% capacity retention after 100 cycles in Li-O2 cells", "CapacityRetention", 90, "~"),
        ("1259 cycles (current density: 1 mA cm-2) in symmetric cells", "CycleCount", 1259, "="),
        (
            "Reaching 1000 h (current density: 1 mA cm-2) in symmetric cells",
            "CyclingDuration",
            1000,
            "=",
        ),
        (
            "240 cycles at ~400 mV overpotential (3 mA cm-2) in symmetric cells",
            "Overpotential",
            400,
            "~",
        ),
        (
            "Maintaining ~150 mAh g-1 (current density: 1.25 mA cm-2) in Li-LTO",
            "SpecificCapacity",
            150,
            "~",
        ),
        ("Stable overpotential beyond 13,500 cycles (5 mA cm-2)", "CycleCount", 13500, ">"),
    ],
)
def test_performance_measurement(span, cell: str, kind: str, value: float, comparator: str) -> None:
    ms, _, _ = parse_performance(cell, span)
    found = [(m.quantity.kind, m.quantity.value, m.quantity.comparator) for m in ms]
    assert (kind, value, comparator) in found


def test_after_cycles_is_a_condition(span) -> None:
    ms, _, _ = parse_performance("CE > 95% for 50 cycles in Li-Cu cells", span)
    assert [(m.quantity.kind, m.after_cycles) for m in ms] == [("CoulombicEfficiency", 50.0)]


def test_capacity_in_current_density_parentheses_is_not_a_current_density(span) -> None:
    ms, _, _ = parse_performance(
        "~90% retention (current density: ~1200 mAhg-1) in Li-O2 cells", span
    )
    assert all(m.current_density is None for m in ms)
    assert "SpecificCapacity" in {m.quantity.kind for m in ms}


def test_each_clause_keeps_its_cell_type(span) -> None:
    ms, _, _ = parse_performance(
        "CE > 95% for 50 cycles in Li-Cu cells, 130 cycles before cells failure "
        "(current density: 1 mA cm-2) in Li-S cells",
        span,
    )
    assert {(m.quantity.kind, m.cell_type) for m in ms} == {
        ("CoulombicEfficiency", "Li-Cu"),
        ("CycleCount", "Li-S"),
    }


def test_paired_electrolytes(span) -> None:
    ms, _, _ = parse_performance(
        "~80% and ~90% capacity retention in 1 M LiPF6-EC/EMC and 4 M LiTFSI-DME in Li-Cu cells",
        span,
    )
    assert [(m.quantity.value, m.electrolytes) for m in ms] == [
        (80.0, ("1 M LiPF6 in EC/EMC",)),
        (90.0, ("4 M LiTFSI in DME",)),
    ]


@pytest.mark.parametrize(
    ("cell", "electrolytes"),
    [
        ("beyond 70 h (5 mA cm-2) in symmetric cells with ether electrolyte", ("ether",)),
        ("beyond 70 h (5 mA cm-2) in symmetric cells with carbonate electrolyte", ("carbonate",)),
        ("~150 mAh g-1 (1.25 mA cm-2) in Li-LTO with SSEs", ("solid-state",)),
        (
            "growth after 150 h (0.1 mA cm-2) with Li10SnP2S12 in symmetric cells with SSEs",
            ("Li10SnP2S12",),
        ),
    ],
)
def test_electrolyte_families(span, cell: str, electrolytes: tuple[str, ...]) -> None:
    ms, _, _ = parse_performance(cell, span)
    assert ms[0].electrolytes == electrolytes


def test_list_of_current_densities(span) -> None:
    _, tests, _ = parse_performance(
        "stable cycling over 500 h (current density: 3 and 10 mA cm-2)", span
    )
    assert [d.value for d in tests[0].current_densities] == [3.0, 10.0]


def test_no_numbers_keeps_text_and_cell_type(span) -> None:
    cell = "lifespan twice that of bare Li in symmetric cells"
    ms, tests, notes = parse_performance(cell, span)
    assert ms == () and notes == (cell,) and tests[0].cell_type == "symmetric"


@pytest.mark.skipif(not REVIEW.exists(), reason="shared corpus absent")
def test_corpus_tables() -> None:
    # The dev-gold F1 is checked end to end (through the store) in tests/kg/test_cli.py.
    from ingest.normalize import normalize
    from ingest.structure import structure

    doc = structure(normalize(REVIEW.read_text()), doc_id="review", path=str(REVIEW))
    records, _ = extract_tables(doc)
    assert [len([r for r in records if r.span.table == n]) for n in range(1, 6)] == [10, 3, 6, 2, 2]
    glued = [r for r in records if r.ref == 95]
    assert glued and [q.value for q in glued[0].deposition_cycles] == [10.0, 25.0, 50.0]


def test_other_layout_separate_columns_and_substrate_column() -> None:
    """Another review's layout: substrate per row, T (°C), thickness and cycles apart."""
    header = (
        "Ref.",
        "Coating",
        "Substrate",
        "Precursors",
        "T (°C)",
        "Thickness (Å)",
        "ALD cycles",
        "Performance",
        "Year",
    )
    rows = [
        ("[4]", "HfO2", "Na metal", "TDMAH/H2O", "90", "30", "30", ">800 h at 0.5 mA cm-2", "2019"),
        (
            "[5]",
            "Al2O3",
            "potassium",
            "TMA/H2O",
            "60",
            "~20",
            "20",
            "CE of 98% in K-Cu cells",
            "2021",
        ),
    ]
    caption = "Table 1. ALD coatings on Na and K metal anodes."
    records, warnings = extract_tables(doc_with(_table(rows, header=header, caption=caption)))
    assert not warnings
    hfo2, al2o3 = records
    assert (hfo2.substrate, al2o3.substrate) == ("Na", "K")
    assert [q.canonical_value for q in hfo2.temperatures] == [90]
    assert [q.canonical_value for q in hfo2.thicknesses] == [3.0]  # 30 Å
    assert [q.canonical_value for q in hfo2.deposition_cycles] == [30]
    assert al2o3.thicknesses[0].comparator == "~"
    assert hfo2.precursors[-1] == "H2O"


@pytest.mark.parametrize(
    ("cell", "label"),
    [
        ("Li metal", "Li"),
        ("LLZTO garnet powder", "garnet solid electrolyte"),
        ("β-Li3PS4 (sulfide solid electrolyte)", "Li3PS4"),
        ("LATP (NASICON)", "LATP"),
        ("hierarchical Cu foam", "Cu"),
        ("a Li6.4La3Zr1.4Ta0.6O12 pellet", "garnet solid electrolyte"),
        ("Cu foam or Ni foam", "Cu foam or Ni foam"),  # two unrelated hosts: kept as written
    ],
)
def test_descriptive_substrate_cells_name_their_substrate(cell: str, label: str) -> None:
    assert substrate_of(cell, [], []) == label


@pytest.mark.parametrize("cell", ["not named", "dual layer (not named)", "unnamed hybrid film"])
def test_a_film_cell_that_names_no_material_is_an_unnamed_film(cell: str) -> None:
    assert material(cell)[0] == "unnamed film"
