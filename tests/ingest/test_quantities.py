"""Units, numbers and comparators: the one parser every stage relies on."""

from __future__ import annotations

import pytest

from ingest.quantities import (
    UnitError,
    find_quantities,
    kind_for_unit,
    parse_quantity,
    parse_unit,
    to_canonical,
    ureg,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("mA cm-2", "mA/cm^2"),
        ("mA/cm2", "mA/cm^2"),
        ("mA cm^-2", "mA/cm^2"),
        ("mAh g-1", "mAh/g"),
        ("mAhg-1", "mAh/g"),
        ("mAh cm-2", "mAh/cm^2"),
        ("Å/cycle", "angstrom/cycle"),
        ("nm/cycle", "nm/cycle"),
        ("°C", "degC"),
        ("K", "K"),
        ("h", "h"),
        ("hrs", "h"),
        ("hours", "h"),
        ("d", "day"),
        ("days", "day"),
        ("min", "min"),
        ("s", "s"),
        ("ms", "ms"),
        ("mV", "mV"),
        ("V", "V"),
        ("GPa", "GPa"),
        ("MPa", "MPa"),
        ("S cm-1", "S/cm"),
        ("%", "%"),
        ("nm", "nm"),
        ("Å", "angstrom"),
        ("μm", "um"),
        ("μL", "uL"),
        ("μ L", "uL"),
        ("cycles", "cycle"),
    ],
)
def test_parse_unit(written: str, expected: str) -> None:
    assert parse_unit(written) == expected


def test_unknown_unit_message_names_the_unit() -> None:
    with pytest.raises(UnitError, match="Unknown unit 'furlongs'"):
        parse_unit("furlongs")


def test_cm_minus_2_is_an_exponent_not_a_subtraction() -> None:
    assert ureg.parse_units(parse_unit("mA cm-2")) == ureg.parse_units("mA/cm**2")


def test_cycle_is_a_count_not_an_angle() -> None:
    assert str(ureg.parse_units("cycle").dimensionality) == "[cycle_count]"
    assert kind_for_unit("nm/cycle") == "GrowthPerCycle"


def test_registry_is_built_once() -> None:
    assert ureg() is ureg()


@pytest.mark.parametrize(
    ("value", "unit", "kind", "expected"),
    [
        (423.15, "K", "DepositionTemperature", 150.0),
        (150, "°C", "DepositionTemperature", 150.0),
        (2, "days", "CyclingDuration", 48.0),
        (2, "weeks", "CyclingDuration", 336.0),
        (2, "months", "CyclingDuration", 1440.0),
        (10, "Å", "Thickness", 1.0),
        (0.85, "Å/cycle", "GrowthPerCycle", 0.085),
        (58000, "MPa", "ShearModulus", 58.0),
        (1, "mA/cm2", "CurrentDensity", 1.0),
    ],
)
def test_to_canonical(value: float, unit: str, kind: str, expected: float) -> None:
    assert to_canonical(value, unit, kind) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("unit", "context", "kind"),
    [
        ("h", "", "CyclingDuration"),
        ("days", "", "CyclingDuration"),
        ("nm", "", "Thickness"),
        ("Å", "", "Thickness"),
        ("°C", "", "DepositionTemperature"),
        ("K", "", "DepositionTemperature"),
        ("%", "CE of", "CoulombicEfficiency"),
        ("%", "Coulombic efficiency", "CoulombicEfficiency"),
        ("%", "capacity retention", "CapacityRetention"),
        ("%", "", None),
        ("mV", "", "Overpotential"),
        ("mA cm-2", "", "CurrentDensity"),
        ("mAh g-1", "", "SpecificCapacity"),
        ("mAh cm-2", "", "ArealCapacity"),
        ("GPa", "shear modulus", "ShearModulus"),
        ("GPa", "elastic modulus", "ElasticModulus"),
        ("MPa", "", "Modulus"),
        ("Å/cycle", "", "GrowthPerCycle"),
        ("S cm-1", "", "IonicConductivity"),
        ("μL", "", "ElectrolyteVolume"),
        ("cycles", "", "CycleCount"),
        ("cycles", "25 ALD cycles", "DepositionCycles"),
    ],
)
def test_kind_for_unit(unit: str, context: str, kind: str | None) -> None:
    assert kind_for_unit(unit, context) == kind


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("~5 nm", "~"),
        ("about 5 nm", "~"),
        ("approximately 5 nm", "~"),
        ("> 95%", ">"),
        ("over 500 h", ">"),
        ("beyond 500 h", ">"),
        ("more than 500 h", ">"),
        ("above 500 h", ">"),
        ("exceeding 500 h", ">"),
        ("≥ 1000 h", "≥"),
        ("at least 1000 h", "≥"),
        ("up to 170 cycles", "≤"),
        ("≤ 3 nm", "≤"),
        ("< 200 mV", "<"),
        ("below 200 mV", "<"),
        ("less than 200 mV", "<"),
        ("under 200 mV", "<"),
        ("200 mV", "="),
    ],
)
def test_comparators(text: str, comparator: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.comparator == comparator


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1 mA cm-2", 1.0, "mA/cm^2"),
        ("58 GPa", 58.0, "GPa"),
        ("10^-12 S cm-1", 1e-12, "S/cm"),
        ("2.5 × 10^-7 S cm-1", 2.5e-7, "S/cm"),
        ("13,500 cycles", 13500.0, "cycle"),
        ("≥ 1000 h", 1000.0, "h"),
    ],
)
def test_parse_quantity_value(text: str, value: float, unit: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("~2–3 nm", 2.0, 3.0), ("160–180 °C", 160.0, 180.0), ("0.82–0.88 Å/cycle", 0.082, 0.088)],
)
def test_parse_quantity_range_is_canonical(text: str, low: float, high: float) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value is None and q.canonical_value is None
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))


def test_parse_quantity_refuses_a_list() -> None:
    assert parse_quantity("3 and 10 mA cm-2") is None


def test_parse_quantity_forced_kind() -> None:
    q = parse_quantity("150 °C", kind="DepositionTemperature")
    assert q is not None and q.canonical_unit == "degC" and q.canonical_value == 150.0


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("at 3 and 10 mA cm-2", [3.0, 10.0]),
        ("at 0.5 and 1 mA cm-2", [0.5, 1.0]),
        ("with 5, 10, and 20 μL electrolyte", [5.0, 10.0, 20.0]),
    ],
)
def test_find_quantities_shares_a_unit_over_a_list(sentence: str, values: list[float]) -> None:
    assert [q.value for q, _, _ in find_quantities(sentence)] == values


@pytest.mark.parametrize(
    "sentence",
    [
        "a coating of Al2O3 on Li10SnP2S12",
        "Na@25Al2O3 was optimal",
        "as shown in [94] and Figure 2",
        "first reported in 2015",
        "at the 1st and 100th cycle",
    ],
)
def test_find_quantities_skips_non_quantities(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_find_quantities_offsets_include_the_comparator() -> None:
    s = "remained stable beyond 13,500 charge/discharge cycles."
    ((q, start, end),) = find_quantities(s)
    assert s[start:end] == "beyond 13,500 charge/discharge cycles"
    assert (q.kind, q.value, q.comparator) == ("CycleCount", 13500.0, ">")


def test_find_quantities_kind_from_nearby_words() -> None:
    found = find_quantities("CE > 95% for 50 cycles, ~90% capacity retention")
    assert [q.kind for q, _, _ in found] == [
        "CoulombicEfficiency",
        "CycleCount",
        "CapacityRetention",
    ]


@pytest.mark.parametrize(
    ("sentence", "number", "kind"),
    [
        (
            "testing at 5 mA cm-2 and 60 MLD cycles realized stable cycling with ~200 mV "
            "overpotential after 13,500 charge/discharge cycles",
            13500.0,
            "CycleCount",
        ),
        (
            "testing at 5 mA cm-2 and 60 MLD cycles realized stable cycling",
            60.0,
            "DepositionCycles",
        ),
        ("Li coated with a 5 nm (50 ALD cycles) TiO2 film", 50.0, "DepositionCycles"),
        ("Li foil was coated with 25 cycles of Al2O3 before assembly", 25.0, "DepositionCycles"),
        ("coating thicknesses of 5, 10, and 25 cycles were tested", 10.0, "DepositionCycles"),
        ("the coated cells remained stable for over 300 cycles", 300.0, "CycleCount"),
        ("a CE of 98% over 150 plating/stripping cycles", 150.0, "CycleCount"),
    ],
)
def test_cycle_kind_follows_the_nearest_words(sentence: str, number: float, kind: str) -> None:
    (q,) = [q for q, _, _ in find_quantities(sentence) if q.value == number]
    assert q.kind == kind


@pytest.mark.parametrize("written", ["20 μ L", "20 µ L", "20 μL"])
def test_micro_prefix_split_by_a_space(written: str) -> None:
    q, _, _ = find_quantities(f"with 5, 10, and {written} electrolyte")[-1]
    assert (q.kind, q.value, q.unit) == ("ElectrolyteVolume", 20.0, "uL")
    assert q.text == written.replace("μ L", "μL").replace("µ L", "µL")


# --------------------------------------------------------------------------- the field's spellings


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "comparator"),
    [
        ("an interface of 1,710 Ω cm2", "InterfacialResistance", 1710.0, "ohm cm^2", "="),
        ("as low as ∼20 Ω·cm2", "InterfacialResistance", 20.0, "ohm cm^2", "~"),
        ("only 12 ohm·cm² after coating", "InterfacialResistance", 12.0, "ohm cm^2", "="),
        ("a capacity of 600 mA h g(-1)", "SpecificCapacity", 600.0, "mAh/g", "="),
        ("plated at 2 mA cm−2", "CurrentDensity", 2.0, "mA/cm^2", "="),
        ("plated at 0.5 mA/cm2", "CurrentDensity", 0.5, "mA/cm^2", "="),
        (">13,600 Li stripping/plating cycles", "CycleCount", 13600.0, "cycle", ">"),
        ("more than 170 consecutive plating/stripping cycles", "CycleCount", 170.0, "cycle", ">"),
        ("One hundred and fifty cycles later", "CycleCount", 150.0, "cycle", "="),
        ("stable for two months", "CyclingDuration", 1440.0, "h", "="),
        ("a 30 mV overpotential", "Overpotential", 30.0, "mV", "="),
        ("a voltage hysteresis of 0.2 V", "Overpotential", 200.0, "mV", "="),
        ("charged up to 4.25 V", "VoltageWindow", 4.25, "V", "≤"),
    ],
)
def test_field_spellings(text: str, kind: str, value: float, unit: str, comparator: str) -> None:
    (q, _, _), *_ = find_quantities(text)
    assert (q.kind, q.canonical_value, q.canonical_unit, q.comparator) == (
        kind,
        value,
        unit,
        comparator,
    )


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("cells cycled between 3.0 and 4.6 V", 3.0, 4.6),
        ("a window of 0.05–6.0 V vs Na/Na+", 0.05, 6.0),
    ],
)
def test_voltage_windows_are_their_own_kind(text: str, low: float, high: float) -> None:
    (q, _, _), *_ = find_quantities(text)
    assert (q.kind, q.low, q.high) == ("VoltageWindow", low, high)


@pytest.mark.parametrize(
    ("text", "not_kind"),
    [
        ("stable up to 6 V vs. Li+/Li", "Overpotential"),
        ("after 1 min of activation at 3 mA cm−2", "CyclingDuration"),
        ("after 8 h of air exposure", "CyclingDuration"),
        ("a 120% efficiency claim", "CoulombicEfficiency"),
    ],
)
def test_implausible_kinds_are_refused(text: str, not_kind: str) -> None:
    assert not_kind not in {q.kind for q, _, _ in find_quantities(text)}


def test_from_a_to_b_is_two_values_not_a_range() -> None:
    found = [q.canonical_value for q, _, _ in find_quantities("fell from 70 to 10 Ω cm2")]
    assert found == [70.0, 10.0]


def test_a_cut_piece_is_none_not_an_error() -> None:
    assert parse_quantity("40 cycles cycles", kind="DepositionCycles") is None


def test_a_long_list_of_numbers_stays_linear_in_output() -> None:
    text = " ".join(f"{i} nm," for i in range(1, 3001))
    assert len(find_quantities(text)) == 3000


@pytest.mark.parametrize(
    ("text", "kind", "comparator"),
    [
        ("The efficiency stayed above 95% for 50 cycles", "CoulombicEfficiency", ">"),
        ("it stays near 80% in carbonate", "", "~"),
        ("an energy efficiency of 80%", "", "="),
    ],
)
def test_efficiency_words_and_near(text: str, kind: str, comparator: str) -> None:
    (q, _, _), *_ = find_quantities(text)
    assert (q.kind, q.comparator) == (kind, comparator)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the interfacial resistance fell to 1,710 Ω cm2", 1710.0),
        ("an area-specific resistance of ∼20 Ω·cm2", 20.0),
        ("an ASR of 35 Ω cm−2 after coating", 35.0),  # the authors' slip of sign
        ("an ASR of 35 Ω cm-2 after coating", 35.0),
        ("dropped to 84.5 ω cm2", 84.5),  # an Ω case-folded by a converter
    ],
)
def test_area_specific_resistance_in_the_field_s_spellings(text: str, value: float) -> None:
    ((q, _, _),) = find_quantities(text)
    assert (q.kind, q.canonical_value, q.canonical_unit) == (
        "InterfacialResistance",
        value,
        "ohm cm^2",
    )


def test_capacities_and_currents_written_with_bracketed_exponents() -> None:
    found = [q for q, _, _ in find_quantities("it kept 150 mA h g(-1) at 1 A g(-1)")]
    assert (found[0].kind, found[0].canonical_value) == ("SpecificCapacity", 150.0)
    assert found[1].unit == "A/g"  # parsed; the ontology has no specific-current kind


@pytest.mark.parametrize(
    ("text", "kind", "unit"),
    [
        ("cells at 1 mAh cm-2 cycled for 900 h", "ArealCapacity", "mAh/cm^2"),
        ("at 2 mA cm-2 cycled stably", "CurrentDensity", "mA/cm^2"),
        ("a 5 nm cycled film", "Thickness", "nm"),
        ("swept at 0.5 mV s-1", "", "mV/s"),  # a rate: the exponent belongs to the unit
        ("it kept 150 mA h g-1 after", "SpecificCapacity", "mA*h/g"),
    ],
)
def test_a_plain_word_after_a_unit_is_no_part_of_it(text: str, kind: str, unit: str) -> None:
    q, _, _ = find_quantities(text)[0]
    assert (q.kind, q.unit) == (kind, unit)
