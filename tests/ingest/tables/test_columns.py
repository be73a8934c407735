"""Header words and units → column roles, in any order and spelling."""

from __future__ import annotations

import pytest

from ingest.records import TableBlock
from ingest.tables.columns import columns, header_unit, missing_identifying_columns


@pytest.mark.parametrize(
    ("header", "role", "kind", "unit"),
    [
        ("Thickness (nm)", "thickness", "Thickness", "nm"),
        ("Film thickness (Å)", "thickness", "Thickness", "angstrom"),
        ("T (°C)", "temperature", "DepositionTemperature", "degC"),
        ("Temp./(°C)", "temperature", "DepositionTemperature", "degC"),
        ("Growth temp.", "temperature", "DepositionTemperature", "°C"),
        ("Deposition temperature (K)", "temperature", "DepositionTemperature", "K"),
        ("Thickness and ALD Cycles", "thickness_cycles", None, None),
        ("No. of ALD cycles", "cycles", "DepositionCycles", "cycle"),
        ("Cycles", "cycles", "DepositionCycles", "cycle"),
        ("dose", "cycles", "DepositionCycles", "cycle"),
        ("TdepC", "temperature", "DepositionTemperature", "°C"),  # "T_dep_C" once normalized
        ("grown on", "substrate", None, None),
        ("Study (first author, year)", "ref", None, None),
        ("Method", "technique", None, None),
        ("Deposition technique", "technique", None, None),
        ("Precursors (pulse/purge)", "process", None, None),
        ("Electrolyte", "electrolyte", None, None),
        ("Cell configuration", "cell", None, None),
        ("Cell", "cell", None, None),
        ("Current density (mA cm−2)", "current_density", "CurrentDensity", "mA/cm^2"),
        ("Areal capacity (mAh cm-2)", "areal_capacity", "ArealCapacity", "mAh/cm^2"),
        ("Lifetime", "lifetime", None, "h"),
        ("Lifespan (h)", "lifetime", None, "h"),
        ("Cycle life", "cycle_life", "CycleCount", "cycle"),
        ("CE (%)", "ce", "CoulombicEfficiency", "%"),
        ("Average Coulombic efficiency", "ce", "CoulombicEfficiency", "%"),
        ("Overpotential (mV)", "overpotential", "Overpotential", "mV"),
        ("Interfacial resistance (Ω cm2)", "resistance", "InterfacialResistance", "ohm*cm^2"),
        ("ASR", "resistance", "InterfacialResistance", "ohm*cm^2"),
        ("Voltage window (V)", "voltage_window", "VoltageWindow", "V"),
        ("GPC (Å/cycle)", "gpc", "GrowthPerCycle", "angstrom/cycle"),
        ("Anneal temperature (°C)", "ignored", None, "degC"),
        ("Coating", "material", None, None),
        ("Substrate", "substrate", None, None),
        ("Host", "substrate", None, None),
        ("Reference", "ref", None, None),
        ("Ref.", "ref", None, None),
        ("Year", "year", None, None),
    ],
)
def test_header_role_kind_and_unit(
    header: str, role: str, kind: str | None, unit: str | None
) -> None:
    found = columns((header,))
    column = found.get(role)
    assert column is not None, found.roles
    assert (column.kind, column.unit) == (kind, unit)


def test_technique_and_thickness_columns_in_either_order() -> None:
    one = columns(("Material", "Technique", "Thickness (nm)"))
    two = columns(("Material", "Thickness (nm)", "Technique"))
    assert (one.get("technique").index, one.get("thickness").index) == (1, 2)
    assert (two.get("technique").index, two.get("thickness").index) == (2, 1)


def test_each_role_goes_to_one_column() -> None:
    found = columns(("Material", "Coating thickness", "Thickness (nm)"))
    assert found.get("thickness").index == 1


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Thickness (nm)", "nm"),
        ("J [mA cm-2]", "mA/cm^2"),
        ("Thickness/nm", "nm"),
        ("Electrolyte", None),
    ],
)
def test_header_unit(text: str, unit: str | None) -> None:
    assert header_unit(text) == unit


def _table(header: tuple[str, ...]) -> TableBlock:
    return TableBlock(1, "Table 1.", header, (), 0, 0, None)


def test_a_review_table_without_ref_is_missing_its_ref_column() -> None:
    assert missing_identifying_columns(_table(("Material", "Thickness"))) == ["ref"]


def test_a_primary_study_table_needs_no_ref_column() -> None:
    assert missing_identifying_columns(_table(("Material", "Thickness")), kind="primary") == []


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("25 cycles (of 10/25/50)", [25.0]),
        ("50 (out of 10, 30, 50)", [50.0]),
        ("0.1 s", []),  # a pulse length under a "dose" header is not a cycle count
        ("20, 40", [20.0, 40.0]),
    ],
)
def test_a_cycles_cell_keeps_the_chosen_value_not_the_tested_ones(
    cell: str, values: list[float]
) -> None:
    from ingest.tables.amounts import column_values

    assert [q.value for q in column_values(cell, "cycles", "DepositionCycles")] == values


@pytest.mark.parametrize(
    ("cell", "types"),
    [
        ("Li||Li; Li|LTO", ["symmetric", "Li-LTO"]),
        ("Li||S", ["Li-S"]),
        ("Na‖Na", ["symmetric"]),
        ("Li|LSPS|Li", []),  # a sandwich is read by the row's cell rule, not as Li-LSPS
    ],
)
def test_cells_written_with_bars(cell: str, types: list[str]) -> None:
    from ingest.tables.performance import cell_types

    assert cell_types(cell) == types
