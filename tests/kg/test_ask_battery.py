"""A battery of everyday questions over the development documents (../shared/devset/docs):
typos, lower case, superlatives, counts, comparisons, unit variants and questions whose right
answer is empty. Each states what the answer must be shaped like and, where the documents
settle it, which films it names."""

from __future__ import annotations

from typing import Any

import pytest

from kg.ask import ask
from kg.store import OxigraphStore
from tests.paths import SHARED

DEVSET_DOCS = SHARED / "devset" / "docs"

pytestmark = pytest.mark.skipif(not DEVSET_DOCS.is_dir(), reason="no ../shared/devset/docs")


@pytest.fixture(scope="module")
def devset_store() -> OxigraphStore:
    from kg.pipeline import build_files, find_documents, write

    store = OxigraphStore(None)
    write(build_files(find_documents([DEVSET_DOCS])), store=store)
    return store


def _materials(answer: Any) -> set[str]:
    return {str(r.get("material")) for r in answer.rows}


#: (question, shape, films the answer names (None: not checked), a column it must have)
BATTERY: list[tuple[str, str, set[str] | None, str | None]] = [
    # lower case, upper case, typos
    ("al2o3 on na", "list", {"Al2O3"}, None),
    ("AL2O3 ON NA", "list", {"Al2O3"}, None),
    ("coatings for sodium metal", "list", {"Al2O3", "NaAlOx"}, None),
    ("sodiumm", "list", {"Al2O3", "NaAlOx"}, None),
    # "by MLD" includes hybrid ALD/MLD stacks (MLD alone is asked as "not counting hybrids")
    ("lithum coatings by MLD", "list", {"alucone", "ZrEG", "PU", "AlEG/Al2O3", "HPU"}, None),
    ("polyurea films", "list", {"PU", "HPU"}, None),
    ("films on the potasium host", "list", {"SnO2"}, None),
    ("coatings on garnet", "list", {"ZnO"}, None),
    ("what was grown on a solid electrolyte", "list", {"ZnO"}, None),
    ("what was coated on carbon hosts", "list", {"SnO2"}, None),
    ("coatings tested in li-s cells", "list", None, None),
    # numbers with units written in several ways
    ("coatings thinner than 10 nm", "list", None, "thickness_nm"),
    ("films thiner than 10nm on lithium", "list", None, "thickness_nm"),
    ("coatings 20 Å thick", "list", {"Al2O3"}, "thickness_nm"),
    ("coatings deposited below 100 C", "list", None, "deposition_temperature_C"),
    ("coatings deposited at 150 °C", "list", None, "deposition_temperature_C"),
    ("coatings grown at 423 K", "list", None, "deposition_temperature_C"),
    ("areal capacity above 1 mAh/cm2", "list", None, "areal_capacity_mAh_cm2"),
    ("capacity over 1 mAh cm-2", "list", None, "areal_capacity_mAh_cm2"),
    ("efficiency above 99%", "list", {"LiF"}, "coulombic_efficiency_pct"),
    ("coatings stable for more than 1000 hours", "list", None, "cycling_duration_h"),
    # value questions: the asked property is a column
    ("At what temperature was the LiF film deposited?", "list", {"LiF"}, "value"),
    ("what thickness was the TiO2", "list", {"TiO2"}, "value"),
    ("which electrolyte was used for NaAlOx?", "list", {"NaAlOx"}, "electrolyte"),
    ("which precursors for the SnO2 coating", "list", {"SnO2"}, "precursor"),
    # superlatives
    ("thinnest coating on li", "superlative", None, "thickness_nm"),
    ("whats the thickest film", "superlative", None, "thickness_nm"),
    ("best coulombic efficiency on Li", "superlative", {"LiF"}, "coulombic_efficiency_pct"),
    ("longest cycling al2o3 on sodium", "superlative", {"Al2O3"}, "cycling_duration_h"),
    ("top 3 longest-lived coatings", "superlative", None, "cycling_duration_h"),
    ("lowest overpotential", "superlative", None, "overpotential_mV"),
    ("which coating lasted the longest in hours?", "superlative", None, "cycling_duration_h"),
    # counts
    ("how many coatings on sodium metal", "count", {"Al2O3", "NaAlOx"}, None),
    ("how many MLD coatings?", "count", None, None),
    ("how many studies used TMA", "count", None, None),
    # comparisons
    ("alucone vs al2o3 on li", "comparison", {"alucone", "Al2O3"}, "compared"),
    ("ALD vs MLD coatings on lithium: which is thinner", "comparison", None, "compared"),
    ("compare thermal ALD and plasma ALD alumina on sodium", "comparison", {"Al2O3"}, "compared"),
    ("coatings on Li vs on Na, which lasts longer", "comparison", None, "compared"),
    # by person, by year
    ("papers co-authored by Gary Rubloff", "list", None, "study"),
    ("coatings whose first author is Zhao", "list", None, None),
    ("studies from 2019", "list", None, "study"),
    # the right answer is empty
    ("zno on sodium", "list", set(), None),
    ("hfo2 coatings on li", "list", set(), None),
    ("ALD coatings on zinc anodes", "list", set(), None),
    ("magnesium metal anodes with alumina", "list", set(), None),
    ("Al2O3 on graphite anodes", "list", set(), None),
    ("coatings made by sputtering", "list", set(), None),
]


@pytest.mark.parametrize(("question", "shape", "films", "column"), BATTERY)
def test_everyday_question(
    devset_store: OxigraphStore,
    question: str,
    shape: str,
    films: set[str] | None,
    column: str | None,
) -> None:
    answer = ask(question, devset_store)
    said = (answer.interpretation, answer.summary)
    assert answer.shape == shape, said
    assert answer.summary, said
    if films is not None:
        assert _materials(answer) == films, said
    if films != set():
        assert answer.rows, said
    if column is not None:
        assert column in answer.columns, said
    if answer.shape == "count":
        assert str(len(answer.rows)) in answer.summary, said


def test_the_battery_is_large_and_varied() -> None:
    shapes = {shape for _, shape, _, _ in BATTERY}
    assert len(BATTERY) >= 40 and shapes == {"list", "superlative", "count", "comparison"}
    assert sum(films == set() for _, _, films, _ in BATTERY) >= 5
