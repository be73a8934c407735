"""Traps: text that names ALD/MLD, a material and a metal but reports no ALD/MLD anode coating,
and numbers near a coating that are not its outcomes or its deposition temperature."""

from __future__ import annotations

import pytest

from ingest.prose import extract_prose
from ingest.records import CoatingRecord
from tests.ingest.prose.docs import make_doc


def primary(*sentences: str) -> tuple[list[CoatingRecord], list[str]]:
    records, _facts, warnings = extract_prose(make_doc(list(sentences), kind="primary"), [])
    return records, warnings


NOT_COATINGS = [
    pytest.param(
        [
            "We applied a thin LiF film to finished NMC811 electrodes by atomic layer deposition.",
            "In half cells against lithium metal the coated cathodes faded less.",
        ],
        "cathode",
        id="ald-on-a-cathode-with-li-counter-electrode",
    ),
    pytest.param(
        [
            "Vapour methods such as atomic layer deposition lower this resistance but need vacuum.",
            "We instead make the interlayer from solution.",
            "A wet-chemical step spreads ZnO over the garnet, and lithium then wets it well.",
        ],
        "not ALD/MLD",
        id="wet-chemical-with-ald-named-as-the-alternative",
    ),
    pytest.param(
        ["We sputtered a LiPON film onto lithium foil and compared it with ALD Al2O3 films."],
        "not ALD/MLD",
        id="sputtered",
    ),
    pytest.param(
        ["Here a LiF layer is formed on Li metal by chemical vapour deposition at 150 °C."],
        "not ALD/MLD",
        id="cvd",
    ),
    pytest.param(
        ["We report how TMA and water grow Al2O3 by ALD, one half-reaction at a time."],
        "names no coated",
        id="background-process-without-substrate",
    ),
]


@pytest.mark.parametrize(("sentences", "reason"), NOT_COATINGS)
def test_trap_is_not_an_ald_anode_coating(sentences: list[str], reason: str) -> None:
    records, warnings = primary(*sentences)
    assert records == []
    assert any(reason in w for w in warnings), warnings


def test_review_background_mention_is_not_a_coating() -> None:
    doc = make_doc(["Its best-known process, Al2O3 from TMA/H2O by ALD, is described in [2]."])
    assert extract_prose(doc, [])[0] == []


def test_review_cathode_coating_is_not_an_anode_coating() -> None:
    doc = make_doc(["Smith et al. [3] deposited Al2O3 by ALD on LiCoO2 cathodes paired with Li."])
    assert extract_prose(doc, [])[0] == []


def outcome_values(rec: CoatingRecord) -> set[float | None]:
    return {m.quantity.canonical_value for m in rec.measurements}


NOT_OUTCOMES = [
    pytest.param(
        "In symmetric cells the coated Li ran for 900 h, whereas uncoated cells failed after 90 h.",
        {900.0},
        id="whereas-uncoated",
    ),
    pytest.param(
        "The coated electrodes started with a larger overpotential than bare sodium and then "
        "held it for more than 450 h.",
        {450.0},
        id="than-bare-is-a-comparison",
    ),
    pytest.param(
        "The coated cathodes were cycled between 3.0 and 4.6 V vs Li/Li+ for 200 cycles.",
        {200.0},
        id="voltage-window",
    ),
    pytest.param(
        "The coated film is stable up to 6 V vs. Li+/Li and cycled for 300 h.",
        {300.0},
        id="stability-limit",
    ),
    pytest.param(
        "Impedance of the coated cell at the 1st, 100th and 200th cycles hardly changed.",
        set(),
        id="ordinal-checkpoints",
    ),
    pytest.param(
        "The coated Li showed a 400% longer cycle life and raised the capacity by 39.5%.",
        set(),
        id="relative-gains",
    ),
]


@pytest.mark.parametrize(("sentence", "kept"), NOT_OUTCOMES)
def test_values_that_are_not_outcomes(sentence: str, kept: set[float]) -> None:
    records, _ = primary("We coated Li foil with Al2O3 by ALD.", sentence)
    (rec,) = records
    assert outcome_values(rec) == kept


@pytest.mark.parametrize(
    "sentence",
    [
        "The film was then annealed at 180 °C for 30 min.",
        "Lithium melts at 180.5 °C, so the process must stay cool.",
        "Potassium was infused into the host at 250 °C.",
        "Full cells were tested at 55 °C.",
    ],
)
def test_temperatures_that_are_not_deposition_temperatures(sentence: str) -> None:
    records, _ = primary("We coated Li foil with Al2O3 by ALD at 100 °C.", sentence)
    (rec,) = records
    assert [q.canonical_value for q in rec.temperatures] == [100.0]


def test_activation_step_is_not_a_cycling_duration() -> None:
    records, _ = primary(
        "We coated Li foil with Al2O3 by ALD.",
        "Cells were first activated for 1 min and then cycled stably for 500 h.",
    )
    (rec,) = records
    assert outcome_values(rec) == {500.0}


# Scope: films the text grows by ALD that are not coatings on an alkali-metal anode.
OUT_OF_SCOPE = [
    pytest.param(
        [
            "Anodized TiO2 nanotube layers were given an Al2O3 coating by atomic layer deposition "
            "and tested as negative electrodes for lithium-ion batteries.",
            "The 1 nm coating doubled the areal capacity, as Li+ ions moved faster in the tubes.",
        ],
        "ion-battery electrodes",
        id="li-ion-electrode-is-not-a-li-anode",
    ),
    pytest.param(
        [
            "We deposited a ZnO/TiO2 nanolaminate on copper foil by ALD as an anode material "
            "for sodium-ion batteries (SIBs).",
            "The laminate kept 300 mAh g-1 after 500 cycles.",
        ],
        "ion-battery electrodes",
        id="film-on-cu-for-an-ion-battery",
    ),
    pytest.param(
        [
            "We report an ALD process for sodium fluoride (NaF) from sodium tert-butoxide and "
            "HF-pyridine at 200 °C, aimed at future sodium metal anodes.",
            "On SiO2 substrates the films grew 0.8 Å per cycle with Na:F close to 1:1.",
        ],
        "test substrate",
        id="film-on-a-test-wafer-only",
    ),
]


@pytest.mark.parametrize(("sentences", "reason"), OUT_OF_SCOPE)
def test_out_of_scope_films_are_not_anode_coatings(sentences: list[str], reason: str) -> None:
    records, warnings = primary(*sentences)
    assert records == []
    assert any(reason in w for w in warnings), warnings


def test_metal_anode_study_that_mentions_li_ion_batteries_keeps_its_coating() -> None:
    records, _ = primary(
        "Lithium metal could replace the graphite of lithium-ion batteries if it did not grow "
        "dendrites.",
        "We coat Li metal foil with a 5 nm Al2O3 film by ALD.",
    )
    assert [(r.material, r.substrate) for r in records] == [("Al2O3", "Li")]


def test_film_grown_on_a_wafer_and_on_the_metal_is_the_metals() -> None:
    records, _ = primary(
        "We grew LiF by ALD from lithium tert-butoxide and HF on Si wafers for ellipsometry.",
        "The same film was then deposited on lithium foil, and symmetric cells ran for 400 h.",
    )
    assert [(r.material, r.substrate) for r in records] == [("LiF", "Li")]
