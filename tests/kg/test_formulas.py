"""Formulas the vocabulary lacks are materials; words that only look like formulas are not."""

from __future__ import annotations

import doctest

import pytest

import kg.formulas
from kg.formulas import parse_formula, solid_electrolyte

ONTOLOGY = "https://w3id.org/ald-kg/ontology#"


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("TiN", "Nitride"),
        ("AlN", "Nitride"),
        ("Li3N", "Nitride"),
        ("SiNx", "Nitride"),
        ("Ta2O5", "Oxide"),
        ("AlOx", "Oxide"),
        ("LiAlO2", "Oxide"),
        ("MoS2", "Sulfide"),
        ("AlF3", "Fluoride"),
        ("LiPON", "Phosphate"),
        ("Li2CO3", "InorganicMaterial"),
        ("Ni(OH)2", "InorganicMaterial"),
    ],
)
def test_inorganic_formulas_are_read_with_their_class(text: str, cls: str) -> None:
    formula = parse_formula(text)
    assert formula is not None
    assert formula.material_class == ONTOLOGY + cls


@pytest.mark.parametrize(
    "text",
    [
        "CNTs",  # carbon nanotubes: non-metals only (and Ts is no film element)
        "NFCP",  # a sample code of non-metal letters
        "TN",  # T is no element
        "SEI",
        "ALD",
        "NCM811",
        "LiTFSI",
        "HF",
        "CO2",
        "H2O",
        "NH3",
        "TiCl4",  # a volatile halide precursor
        "WF6",
        "Al(CH3)3",  # an organometallic
        "LiCu",  # an alloy, no anion
        "Li",
        "Wh",
        "LIBs",
        "Li2O2O",  # a repeated element
    ],
)
def test_look_alikes_are_not_formulas(text: str) -> None:
    assert parse_formula(text) is None


def test_a_minted_formula_material_carries_its_class_in_the_graph() -> None:
    from rdflib import RDF, URIRef

    from kg.pipeline import build_text

    text = (
        "Nitride-armoured carbon hosts for lithium metal\n\n"
        "Abstract\n"
        "Lithium metal anodes need lithiophilic hosts. Here we deposit a TiN film on carbon "
        "nanotubes by atomic layer deposition to host Li metal.\n"
    )
    extracted, graph = build_text(text, doc_id="nitride", path="nitride.txt")
    assert [r.material for r in extracted.coatings] == ["TiN"]
    nitrides = set(graph.subjects(RDF.type, URIRef(ONTOLOGY + "Nitride")))
    assert [str(n).rsplit("/", 1)[-1] for n in nitrides] == ["tin"]


def test_doctests() -> None:
    assert doctest.testmod(kg.formulas).failed == 0


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Li6.4La3Zr1.4Ta0.6O12", "Garnet"),
        ("Li6.25Al0.25La3Zr2O12", "Garnet"),
        ("Li6.55Ga0.15La3Zr2O12", "Garnet"),
        ("Li1.3Al0.3Ti1.7(PO4)3", "LATP"),
        ("Li1.5Al0.5Ge1.5(PO4)3", "LAGP"),
        ("Na3Zr2Si2PO12", "NASICON"),
        ("LiZr2(PO4)3", "NASICON"),
        ("Li3PS4", "SulfideElectrolyte"),
        ("Li7P3S11", "SulfideElectrolyte"),
        ("Li6PS5Cl", "SulfideElectrolyte"),
        ("Li10GeP2S12", "SulfideElectrolyte"),
        ("Na3SbS4", "SulfideElectrolyte"),
        # films, not electrolytes
        ("Al2O3", None),
        ("Li3PO4", None),
        ("LiAlO2", None),
        ("Li2S", None),
        ("TiO2", None),
        ("LaZrO", None),
    ],
)
def test_solid_electrolytes_are_known_by_composition(text: str, family: str | None) -> None:
    assert solid_electrolyte(text) == family
