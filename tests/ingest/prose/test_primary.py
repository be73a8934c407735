"""Primary studies: an abstract's own coating, its facts spread over the paragraph (ref None)."""

from __future__ import annotations

import pytest

from ingest.prose import extract_prose
from ingest.records import CoatingRecord
from tests.ingest.prose.docs import make_doc


def own(*sentences: str) -> list[CoatingRecord]:
    """The coatings extract_prose finds in a one-paragraph primary abstract."""
    records, _facts, _warnings = extract_prose(make_doc(list(sentences), kind="primary"), [])
    return records


def values(quantities) -> list[float | None]:
    return [q.canonical_value if q.value is not None else (q.low, q.high) for q in quantities]


def outcomes(rec: CoatingRecord) -> set[tuple[str, float | None, str]]:
    return {
        (m.quantity.kind, m.quantity.canonical_value, m.quantity.comparator)
        for m in rec.measurements
        if m.quantity.kind != "GrowthPerCycle"
    }


# Each abstract: sentences written for these tests → the one coating it reports.
ABSTRACTS = [
    pytest.param(
        [
            "Here we protect lithium foil with zinc oxide grown by atomic layer deposition at 120 °C "
            "from diethylzinc (DEZ) and water.",
            "Forty cycles gave a conformal film 6 nm thick.",
            "In symmetric cells at 2 mA cm-2 the coated electrodes cycled for more than 600 h, "
            "whereas bare lithium failed after 150 h.",
        ],
        dict(
            material="ZnO",
            technique="ALD",
            substrate="Li",
            precursors=["DEZ", "H2O"],
            temperatures=[120.0],
            thicknesses=[6.0],
            outcomes={("CyclingDuration", 600.0, ">")},
        ),
        id="one-sentence-deposition",
    ),
    pytest.param(
        [
            "Sodium metal reacts with most liquid electrolytes.",
            "We treat sodium foil at 80 °C by plasma-enhanced ALD, alternating TMA and an O2 plasma.",
            "The 3 nm alumina overlayer obtained after 30 cycles keeps the solvent away.",
            "Symmetric Na-Na cells with the coated sodium ran for over 400 h at 0.5 mA cm-2, "
            "with an overpotential below 50 mV.",
        ],
        dict(
            material="Al2O3",
            technique="plasma-enhanced ALD",
            substrate="Na",
            precursors=["TMA", "O2 plasma"],
            temperatures=[80.0],
            thicknesses=[3.0],
            outcomes={("CyclingDuration", 400.0, ">"), ("Overpotential", 50.0, "<")},
        ),
        id="material-two-sentences-after-the-process",
    ),
    pytest.param(
        [
            "Oxide films grown by atomic layer deposition are brittle on a swelling metal.",
            "We therefore grew an alucone film on lithium foil by MLD at 140 °C from TMA and EG.",
            "The protected lithium kept a Coulombic efficiency of 98.5% in Li-Cu cells.",
        ],
        dict(
            material="alucone",
            technique="MLD",
            substrate="Li",
            precursors=["TMA", "EG"],
            temperatures=[140.0],
            thicknesses=[],
            outcomes={("CoulombicEfficiency", 98.5, "=")},
        ),
        id="background-ald-before-own-mld",
    ),
    pytest.param(
        [
            "A LiF film was deposited by ALD onto a garnet LLZO pellet, which was then paired "
            "with lithium metal in symmetric cells.",
            "The coated garnet cycled for 300 h at 0.2 mA cm-2.",
        ],
        dict(
            material="LiF",
            technique="ALD",
            substrate="garnet solid electrolyte",
            precursors=[],
            temperatures=[],
            thicknesses=[],
            outcomes={("CyclingDuration", 300.0, "=")},
        ),
        id="solid-electrolyte-not-the-paired-metal",
    ),
]


@pytest.mark.parametrize(("sentences", "expected"), ABSTRACTS)
def test_primary_abstract_gives_its_own_coating(sentences: list[str], expected: dict) -> None:
    (rec,) = own(*sentences)
    assert rec.ref is None
    assert (rec.material, rec.technique, rec.substrate) == (
        expected["material"],
        expected["technique"],
        expected["substrate"],
    )
    assert list(rec.precursors) == expected["precursors"]
    assert values(rec.temperatures) == expected["temperatures"]
    assert values(rec.thicknesses) == expected["thicknesses"]
    assert outcomes(rec) == expected["outcomes"]


def test_own_coating_span_records_the_attribution_rule() -> None:
    (rec,) = own("We coated Li foil with Al2O3 by ALD at 100 °C.")
    assert rec.span.attribution == "own-study"


def test_deposition_cycles_are_not_cycle_counts() -> None:
    (rec,) = own(
        "We deposited TiO2 on lithium by ALD.",
        "About 50 cycles yield a smooth film 5 nm thick.",
        "Symmetric cells cycled for 800 cycles at 1 mA cm-2.",
    )
    assert values(rec.deposition_cycles) == [50.0]
    assert outcomes(rec) == {("CycleCount", 800.0, "=")}


def test_growth_per_cycle_is_no_thickness() -> None:
    (rec,) = own("We grew LiF on Li by ALD; each cycle adds 0.85 Å, and 100 cycles yield a film.")
    assert rec.thicknesses == ()


def test_modulus_of_the_film_is_a_material_fact_of_the_study() -> None:
    doc = make_doc(
        [
            "We grew Li3PO4 on lithium foil by ALD at 170 °C.",
            "Nanoindentation gives the film an elastic modulus of 11 GPa.",
        ],
        kind="primary",
    )
    (rec,), facts, _ = extract_prose(doc, [])
    (fact,) = facts
    assert (fact.subject, fact.ref, fact.span.attribution) == ("Li3PO4", None, "own-study")
    assert not [m for m in rec.measurements if m.quantity.kind == "ElasticModulus"]


def test_two_own_coatings_keep_their_own_facts() -> None:
    records = own(
        "We coated Li foil with Al2O3 and, separately, with TiO2 by ALD.",
        "The Al2O3 film was 4 nm thick, while the TiO2 film was 7 nm thick.",
    )
    by_material = {r.material: values(r.thicknesses) for r in records}
    assert by_material == {"Al2O3": [4.0], "TiO2": [7.0]}


def test_a_review_sentence_without_citation_makes_no_coating() -> None:
    doc = make_doc(["We coated Li foil with Al2O3 by ALD at 100 °C."])  # kind review
    assert extract_prose(doc, [])[0] == []


@pytest.mark.parametrize(
    ("sentence", "kind", "value"),
    [
        (
            "We cover Li foil with a 4 nm ZnO film by ALD, using 40 cycles of DEZ and H2O.",
            "cycles",
            40,
        ),
        ("We compared 10, 25 and 50 cycles of ALD ZnO on Li foil.", "cycles", 50),
        pytest.param(
            "The 25-cycle ZnO film on Li foil, grown by ALD, was best.",
            "cycles",
            25,
        ),
        ("We cover Li foil with a 4 nm ZnO film by ALD.", "thickness", 4),
    ],
)
def test_process_values_of_one_sentence(sentence: str, kind: str, value: float) -> None:
    (rec,) = own(sentence)
    found = rec.deposition_cycles if kind == "cycles" else rec.thicknesses
    assert value in values(found)
    assert not [m for m in rec.measurements if m.quantity.kind == "CycleCount"]


def test_capacity_kept_is_a_retention_and_the_bare_value_is_not() -> None:
    (rec,) = own(
        "We grew TiO2 on lithium foil by ALD.",
        "Against NMC622 cathodes the coated anode keeps 80.5% of its capacity after 100 cycles, "
        "compared with 50.2% for bare lithium.",
    )
    assert outcomes(rec) == {("CapacityRetention", 80.5, "=")}


def test_over_after_an_efficiency_means_during() -> None:
    (rec,) = own(
        "We grew TiO2 on lithium foil by ALD.",
        "In Li-Cu cells the coated Li gave an average Coulombic efficiency of 98% over 120 cycles.",
    )
    assert ("CycleCount", 120.0, "=") in outcomes(rec)


def test_result_after_n_cycles_is_a_cycle_count() -> None:
    (rec,) = own(
        "We grew an alucone film on Li foil by MLD.",
        "Li-S cells with the protected anodes still delivered a higher capacity after 140 cycles.",
    )
    assert ("CycleCount", 140.0, "=") in outcomes(rec)


def test_named_compound_wins_over_its_class_word() -> None:
    (rec,) = own("We grow a zircone, a zirconium ethylene glycol hybrid (ZrEG), on Li foil by MLD.")
    assert rec.material == "ZrEG"


def test_the_coating_noun_is_no_deposition() -> None:
    records = own(
        "Polyurea is grown on lithium metal by MLD at 65 °C.",
        "XPS finds that the SEI formed on the coating is rich in LiF.",
    )
    assert [r.material for r in records] == ["PU"]


@pytest.mark.parametrize(
    "sentence",
    [
        "We grew about 2 nm of Al2O3 on Li foil by ALD with 20 TMA/H2O cycles.",
        "We grew Al2O3 on Li foil by ALD; 20 cycles (about 2 nm) gave the best result.",
        "Li foil was coated with Al2O3 by ALD; 10 and 20 cycles produced films of 1 and 2 nm.",
    ],
)
def test_cycles_that_make_the_film_are_deposition_cycles(sentence: str) -> None:
    (rec,) = own(sentence)
    assert 20.0 in values(rec.deposition_cycles)
    assert not [m for m in rec.measurements if m.quantity.kind == "CycleCount"]


def test_whereas_clause_about_another_sample_gives_nothing() -> None:
    (rec,) = own(
        "We coated Li foil with LiAlOx by ALD.",
        "On thick foil the coated electrodes ran for more than 350 h, whereas on thin foil the "
        "overpotential began to rise after roughly 100 h.",
    )
    assert outcomes(rec) == {("CyclingDuration", 350.0, ">")}


@pytest.mark.parametrize(
    ("sentences", "metal"),
    [
        pytest.param(
            [
                "Sodium plates unevenly, more so than lithium.",
                "We line a carbon cloth host with TiO2 by ALD and fill it with molten sodium.",
                "Na-Na cells of the composite cycled for 800 h.",
            ],
            "Na",
            id="host-for-the-metal-named-most",
        ),
        pytest.param(
            [
                "We coat Cu foil with ZnO by ALD.",
                "In Li-Cu cells lithium plated on the coated copper with 99% efficiency.",
            ],
            "Li",
            id="current-collector-for-the-cell-metal",
        ),
        pytest.param(
            [
                "We coat Cu foil with ZnO by ALD.",
                "Both lithium and sodium plated evenly on it.",
            ],
            None,
            id="a-tie-names-no-metal",
        ),
    ],
)
def test_an_own_film_on_a_host_serves_the_metal_the_study_plates(
    sentences: list[str], metal: str | None
) -> None:
    (rec,) = own(*sentences)
    assert rec.anode_metal == metal


def test_an_own_film_on_the_metal_needs_no_served_metal() -> None:
    (rec,) = own("We coat sodium foil with Al2O3 by ALD.", "Cells with lithium were not tested.")
    assert (rec.substrate, rec.anode_metal) == ("Na", None)


GARNET = "We coated garnet pellets with ZnO by atomic layer deposition."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The film cut the interfacial impedance from 1,650 Ω cm2 to 4 Ω cm2.",
            {("InterfacialResistance", 4.0, "=")},
        ),
        (
            "The interface resistance dropped from 800 to 30 Ω·cm2 with the coating.",
            {("InterfacialResistance", 30.0, "=")},
        ),
        (
            "With the coating the interface resistance fell to as low as ∼15 ohm cm2.",
            {("InterfacialResistance", 15.0, "~")},
        ),
        (
            "The coated pellet showed an area-specific resistance of 22 Ω cm² against lithium.",
            {("InterfacialResistance", 22.0, "=")},
        ),
        (
            "The overpotential of the coated cells decreased from 180 mV to 25 mV.",
            {("Overpotential", 25.0, "=")},
        ),
    ],
)
def test_resistance_and_from_to_keep_the_coated_value(sentence: str, expected: set) -> None:
    (rec,) = own(GARNET, sentence)
    assert outcomes(rec) == expected


@pytest.mark.parametrize(
    "background",
    [
        "Lithium metal is an appealing anode because of its high energy density of 3840 mAh g-1.",
        "Li metal offers a theoretical specific capacity above 3800 mAh g−1 and a low potential.",
        "With a gravimetric capacity of 3860 mAh/g, the lithium metal anode stores the most charge.",
        "Sodium metal anodes, with the highest specific capacity (1166 mAh g-1), are attractive.",
    ],
)
def test_the_bare_metals_intrinsic_capacity_is_no_outcome(background: str) -> None:
    (rec,) = own(background, "We deposited Al2O3 on lithium foil by ALD.")
    assert outcomes(rec) == set()


def test_a_measured_specific_capacity_is_still_an_outcome() -> None:
    (rec,) = own(
        "We deposited Al2O3 on lithium foil by ALD.",
        "Li-S cells with the coated anode delivered a discharge capacity of 820 mAh g-1.",
    )
    assert outcomes(rec) == {("SpecificCapacity", 820.0, "=")}


@pytest.mark.parametrize(
    ("sentence", "areal", "cd"),
    [
        ("Symmetric cells ran for 900 h at 2 mA/cm2 with an areal capacity of 1 mAh/cm2.", 1, 2),
        ("Symmetric cells cycled for 700 h at 1 mA cm-2 and 3 mAh cm-2.", 3, 1),
        ("Symmetric cells were cycled at 0.5 mA cm−2 to a capacity of 2 mAh cm−2.", 2, 0.5),
    ],
)
def test_areal_capacity_is_recorded_with_its_current_density(
    sentence: str, areal: float, cd: float
) -> None:
    (rec,) = own("We coat lithium foil with TiO2 by ALD.", sentence)
    (m,) = [m for m in rec.measurements if m.quantity.kind == "ArealCapacity"]
    assert (m.quantity.canonical_value, m.current_density.canonical_value) == (areal, cd)
    assert m.cell_type == "symmetric"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Against sulfur cathodes the coated anodes still delivered a higher capacity than "
            "cells with bare lithium after 220 cycles.",
            {("CycleCount", 220.0, "=")},
        ),
        (
            "The coated cells retained 85% of their capacity after 300 cycles.",
            {("CapacityRetention", 85.0, "=")},
        ),
        ("SEM images taken after 50 cycles show a dense surface on the coated foil.", set()),
        ("After 20 cycles XPS still finds the coating's fluorine signal.", set()),
    ],
)
def test_after_n_cycles_is_a_result_only_when_the_cell_still_works(
    sentence: str, expected: set
) -> None:
    (rec,) = own("We grew LiF on lithium foil by ALD.", sentence)
    assert outcomes(rec) == expected


@pytest.mark.parametrize(
    ("sentence", "thickness"),
    [
        ("Our best symmetric cell (7 nm ZnO) ran for 500 h.", [7.0]),
        ("A 4 nm ZnO-coated foil cycled for 300 h.", [4.0]),
        ("Cells with 30 nm ZnO nanoparticles on the foil failed early.", []),
    ],
)
def test_a_length_right_before_the_material_is_its_thickness(
    sentence: str, thickness: list[float]
) -> None:
    (rec,) = own("We deposited ZnO on lithium foil by ALD.", sentence)
    assert values(rec.thicknesses) == thickness


@pytest.mark.parametrize(
    ("sentence", "cell"),
    [
        (
            "We also demonstrate a working cell with the coated lithium anode, a garnet "
            "electrolyte and a high-voltage cathode.",
            "full cell",
        ),
        ("Paired with LiFePO4 cathodes, the coated anodes kept 93% of their capacity.", "Li-LFP"),
        ("Full cells with NCM811 cathodes cycled for 250 cycles.", "Li-NMC"),
        ("Coin cells built with LiCoO2 cathodes ran for 180 cycles.", "Li-LCO"),
        ("Cells with sulfur cathodes ran for 120 cycles.", "Li-S"),
    ],
)
def test_a_cell_with_a_cathode_is_a_full_cell_of_that_cathode(sentence: str, cell: str) -> None:
    (rec,) = own("We grew Al2O3 on lithium foil by ALD.", sentence)
    assert [t.cell_type for t in rec.cell_tests] == [cell]


def test_a_cathode_in_background_makes_no_cell_test() -> None:
    (rec,) = own(
        "Lithium metal batteries with high-voltage cathodes are sought after.",
        "We grew Al2O3 on lithium foil by ALD.",
    )
    assert rec.cell_tests == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "We grew thin (3–12 nm) TiO2 and ZnO films by ALD on copper foil for anode-free cells "
        "with a solid polymer electrolyte.",
        "TiO2 or ZnO coatings 3–12 nm thick were deposited by ALD on Cu foil and tested in "
        "anode-free cells with a solid polymer electrolyte.",
    ],
)
def test_materials_named_together_share_the_clause_facts(sentence: str) -> None:
    records = own(sentence)
    assert sorted(r.material for r in records) == ["TiO2", "ZnO"]
    for rec in records:
        assert values(rec.thicknesses) == [(3.0, 12.0)]
        assert [(t.cell_type, t.electrolytes) for t in rec.cell_tests] == [
            ("anode-free", ("solid-state",))
        ]


def test_respectively_gives_each_material_its_own_value() -> None:
    records = own("We grew TiO2 and ZnO films of 4 and 9 nm, respectively, on Li foil by ALD.")
    by_material = {r.material: values(r.thicknesses) for r in records}
    assert by_material == {"TiO2": [4.0], "ZnO": [9.0]}


def test_respectively_never_shares_a_value_between_the_materials() -> None:
    records = own("We grew TiO2 and ZnO films of 4 and 9 nm, respectively, on Li foil by ALD.")
    by_material = {r.material: values(r.thicknesses) for r in records}
    assert not set(by_material["TiO2"]) & set(by_material["ZnO"])


def test_a_nitride_the_vocabulary_lacks_is_a_coating_on_its_host() -> None:
    (rec,) = own(
        "Lithium metal anodes grow dendrites where nucleation sites are few.",
        "We grow a thin AlN shell on carbon nanofibers by atomic layer deposition to make a "
        "lithiophilic host for Li metal.",
    )
    assert (rec.material, rec.technique, rec.substrate) == ("AlN", "ALD", "carbon nanofiber host")


def own_titled(title: str, *sentences: str) -> list[CoatingRecord]:
    """The coatings of a one-paragraph primary abstract whose document has ``title``."""
    from dataclasses import replace

    doc = replace(make_doc(list(sentences), kind="primary"), title=title)
    records, _facts, _warnings = extract_prose(doc, [])
    return records


def test_the_title_names_the_cell_of_the_studys_own_coating() -> None:
    (rec,) = own_titled(
        "Vapour-grown alumina skins for lithium anodes in Li-S batteries with thick cathodes",
        "We coat lithium foil with a 10 nm Al2O3 film by ALD.",
        "The coated anodes kept their capacity over 200 cycles.",
    )
    assert [t.cell_type for t in rec.cell_tests] == ["Li-S"]


def test_the_title_names_the_anode_a_paragraph_leaves_unnamed() -> None:
    (rec,) = own_titled(
        "Zinc oxide by atomic layer deposition on sodium metal anodes",
        "We grow a ZnO film by ALD at 100 °C.",
        "The film keeps the electrolyte away from the metal.",
    )
    assert (rec.material, rec.substrate) == ("ZnO", "Na")


def test_a_title_alone_makes_no_coating() -> None:
    assert (
        own_titled(
            "Atomic layer deposited Al2O3 on lithium metal for Li-S cells",
            "Lithium metal anodes react with polysulfides.",
            "Cells with a sulfur cathode faded within 50 cycles.",
        )
        == []
    )


def test_a_title_cell_is_not_added_to_a_review() -> None:
    from dataclasses import replace

    doc = replace(
        make_doc(["Smith et al. [3] coated Li foil with Al2O3 by ALD."]), title="Li-S cells"
    )
    records, _facts, _warnings = extract_prose(doc, [])
    assert [t.cell_type for r in records for t in r.cell_tests] == []


def test_the_metals_native_surface_species_are_not_grown_films() -> None:
    records = own(
        "We follow the TMA/water ALD of Al2O3 on lithium foil by in situ XPS.",
        "Fresh lithium carries Li2CO3, LiOH and Li2O, a poor starting surface for ALD.",
        "After an argon plasma a Li2O-terminated surface is left, on which ALD growth stalls.",
    )
    assert [r.material for r in records] == ["Al2O3"]


UNNAMED = [
    pytest.param(
        [
            "Lithium anodes lose electrolyte to side reactions, for example in Li-O2 cells.",
            "We show that a thin film applied by atomic layer deposition on a hollow carbon host "
            "keeps the electrolyte out of the spheres.",
            "The composite ran more than 400 cycles with a coulombic efficiency of 98.5% in an "
            "ether electrolyte.",
        ],
        ("hollow carbon host", "ALD"),
        {("CycleCount", 400.0, ">"), ("CoulombicEfficiency", 98.5, "=")},
        id="thin-film-on-a-host",
    ),
    pytest.param(
        [
            "Here we stabilise sodium with an artificial interphase deposited on the Na surface "
            "by electropolymerization and atomic layer deposition (ALD).",
            "Protected sodium cycled for over 250 cycles at 1 mA cm-2.",
        ],
        ("Na", "ALD"),
        {("CycleCount", 250.0, ">")},
        id="hybrid-interphase-on-the-metal",
    ),
]


@pytest.mark.parametrize(("sentences", "made", "results"), UNNAMED)
def test_an_ald_film_of_unnamed_material_keeps_its_results(
    sentences: list[str], made: tuple[str, str], results: set
) -> None:
    (rec,) = own(*sentences)
    assert (rec.material, rec.substrate, rec.technique) == ("unnamed film", *made)
    assert outcomes(rec) == results


def test_background_before_the_first_we_gives_the_film_nothing() -> None:
    (rec,) = own(*UNNAMED[0].values[0])
    assert {m.cell_type for m in rec.measurements} == {None}  # Li-O2 was background


@pytest.mark.parametrize(
    "sentences",
    [
        pytest.param(
            [
                "ALD coatings on lithium foil have been reported widely.",
                "Such films cycled for 300 h.",
            ],
            id="background-without-first-person",
        ),
        pytest.param(
            ["We apply a thin coating by ALD on Cu foil and study its growth by XPS."],
            id="no-results-follow",
        ),
        pytest.param(
            [
                "We apply a thin ALD coating on the NMC811 cathode.",
                "The cells kept 90% of their capacity after 200 cycles.",
            ],
            id="on-a-cathode",
        ),
        pytest.param(
            [
                "We protect lithium with a polymer layer cast from solution on the Li foil, "
                "unlike ALD films.",
                "Symmetric cells ran for 500 h.",
            ],
            id="another-route",
        ),
    ],
)
def test_no_unnamed_film_without_an_own_ald_deposition_and_results(sentences: list[str]) -> None:
    assert own(*sentences) == []


def test_a_named_film_leaves_no_room_for_an_unnamed_one() -> None:
    records = own(
        "We coat Li foil with ZnO by ALD.",
        "We show that this thin coating applied by ALD on the Li foil runs for 300 h in "
        "symmetric cells.",
    )
    assert [r.material for r in records] == ["ZnO"]


@pytest.mark.parametrize(
    ("sentences", "electrolyte"),
    [
        pytest.param(
            [
                "We coat LATP pellets with ZnO by ALD.",
                "Symmetric Li cells with the coated solid-state electrolyte ran for 200 h.",
            ],
            "LATP",
            id="family-word-becomes-the-substance",
        ),
        pytest.param(
            ["We grow Al2O3 by ALD on a garnet pellet, which then lasted 100 h against Li."],
            "garnet solid electrolyte",
            id="no-electrolyte-named",
        ),
    ],
)
def test_a_film_on_a_solid_electrolyte_is_tested_with_that_electrolyte(
    sentences: list[str], electrolyte: str
) -> None:
    (rec,) = own(*sentences)
    assert {e for t in rec.cell_tests for e in t.electrolytes} == {electrolyte}


def test_a_film_on_the_metal_keeps_its_liquid_electrolyte() -> None:
    (rec,) = own(
        "We coat Li foil with ZnO by ALD.",
        "Symmetric cells with a carbonate electrolyte ran for 200 h.",
    )
    assert {e for t in rec.cell_tests for e in t.electrolytes} == {"carbonate"}


def test_a_class_word_and_its_compound_are_one_film_with_the_class_words_facts() -> None:
    (rec,) = own(
        "In this work we made a zincone that shields sodium metal anodes.",
        "The zincone was grown by molecular layer deposition from DEZ and EG at 120 °C.",
        "The ZnEG zincone obtained this way was examined by XPS.",
        "Na electrodes coated by this ZnEG ran for over 700 h in symmetric cells.",
    )
    assert (rec.material, rec.technique, rec.substrate) == ("ZnEG", "MLD", "Na")
    assert list(rec.precursors) == ["DEZ", "EG"]
    assert values(rec.temperatures) == [120.0]
    assert outcomes(rec) == {("CyclingDuration", 700.0, ">")}


def test_a_class_word_of_another_class_stays_its_own_film() -> None:
    records = own(
        "We grew an alucone on Na foil by MLD from TMA and EG.",
        "We also grew a ZnEG film on Na foil by MLD.",
    )
    assert {r.material for r in records} == {"alucone", "ZnEG"}


@pytest.mark.parametrize(
    "sentence",
    [
        "We coat Na foil with an MLD alucone film and an ALD Al2O3 film.",
        "We coat Na foil with alucone by MLD and with Al2O3 by ALD.",
        "We coat Na foil with alucone and Al2O3 by MLD and ALD, respectively.",
        "On Na foil the molecular layer deposition alucone coating outlasts the atomic layer "
        "deposition Al2O3 coating, which we deposited for comparison.",
    ],
)
def test_each_material_takes_its_own_technique(sentence: str) -> None:
    techniques = {r.material: r.technique for r in own(sentence)}
    assert techniques == {"alucone": "MLD", "Al2O3": "ALD"}


@pytest.mark.parametrize(
    ("sentence", "substrate"),
    [
        (
            "We report a conformal Al2O3 coating by ALD that lets garnet pellets be wetted by "
            "molten lithium.",
            "garnet solid electrolyte",
        ),
        (
            "We grew TiO2 by ALD for better wetting of LLZO electrolytes to liquid sodium.",
            "garnet solid electrolyte",
        ),
        ("We grew TiO2 by ALD on lithium foil and tested it in carbonate electrolyte.", "Li"),
    ],
)
def test_the_molten_metal_that_wets_the_film_is_not_its_substrate(
    sentence: str, substrate: str
) -> None:
    (rec,) = own(sentence, "The coated cells ran for 100 h.")
    assert rec.substrate == substrate


def test_a_concluding_this_work_makes_nothing_before_it_background() -> None:
    """The first person may come only in the closing sentence ("this work will ..."): the
    deposition and the cells described before it are still the study's own."""
    (rec,) = own(
        "Garnet electrolytes are reduced by lithium metal.",
        "The interface was modified by adding a 3 nm ZnO layer on the garnet by ALD.",
        "The coated symmetric cells cycled for 400 h.",
        "Therefore, this work will help interfacial design of solid-state lithium batteries.",
    )
    assert (rec.material, rec.technique) == ("ZnO", "ALD")
    assert values(rec.thicknesses) == [3.0]
    assert ("CyclingDuration", 400.0, "=") in outcomes(rec)


def test_a_we_that_opens_the_own_work_still_makes_what_precedes_it_background() -> None:
    (rec,) = own(
        "Al2O3 grown by ALD on lithium has been studied widely.",
        "Here we deposit a LiF film on lithium by ALD.",
        "The coated symmetric cells cycled for 400 h.",
    )
    assert rec.material == "LiF"


@pytest.mark.parametrize(
    "pairing",
    [
        "The coated lithium was paired with high areal capacity NCM811 (4.2 mAh cm-2) "
        "cathodes and kept 85% of its capacity after 200 cycles.",
        "Full cells with 4.2 mAh cm-2 LiFePO4 cathodes kept 85% of their capacity after 200 "
        "cycles.",
        "Full cells with an NMC622 cathode loading of 4.2 mAh cm-2 kept 85% of their capacity "
        "after 200 cycles.",
    ],
)
def test_a_cathodes_areal_capacity_is_no_outcome_of_the_coating(pairing: str) -> None:
    (rec,) = own("We coat lithium foil with a 10 nm alucone film by MLD.", pairing)
    assert ("CapacityRetention", 85.0, "=") in outcomes(rec)
    assert not [k for k, _, _ in outcomes(rec) if k == "ArealCapacity"]


def test_an_areal_capacity_per_cycle_of_a_symmetric_cell_stays() -> None:
    (rec,) = own(
        "We coat lithium foil with a 10 nm alucone film by MLD.",
        "Symmetric cells of the coated lithium cycled for 800 h at 1 mA cm-2 and 1 mAh cm-2.",
    )
    assert ("ArealCapacity", 1.0, "=") in outcomes(rec)


@pytest.mark.parametrize(
    ("sentences", "cycles", "thickness"),
    [
        (
            [
                "We grow an alucone on lithium foil by MLD from TMA and EG.",
                "Of films made with 5, 15 and 40 cycles, the 15-cycle film (about 3 nm) did best.",
            ],
            [15.0],
            [3.0],
        ),
        (
            [
                "We grow a ZrO2 film on lithium foil by ALD.",
                "Films of 20, 40 and 80 ALD cycles were compared, and 40 cycles (roughly 6 nm) "
                "gave the best cycling.",
            ],
            [40.0],
            [6.0],
        ),
        (
            ["We compared 20, 40 and 80 ALD cycles of ZrO2 on lithium foil."],
            [20.0, 40.0, 80.0],  # no choice made: every variant stays
            [],
        ),
    ],
)
def test_the_chosen_variant_among_those_compared(
    sentences: list[str], cycles: list[float], thickness: list[float]
) -> None:
    (rec,) = own(*sentences)
    assert values(rec.deposition_cycles) == cycles
    assert values(rec.thicknesses) == thickness


def test_an_adjectival_cycle_count_of_a_test_is_no_deposition() -> None:
    (rec,) = own("We grow ZnO on Li foil by ALD.", "After a 100-cycle test the cells still worked.")
    assert rec.deposition_cycles == ()
