"""kg/vocab.py: one label key for every spelling; lookups per kind."""

from __future__ import annotations

import pytest

from kg.vocab import label_key, load_vocabulary


@pytest.mark.parametrize(
    ("kind", "text", "local"),
    [
        ("Material", "Al2O3", "Al2O3"),
        ("Material", "Al_2O_3", "Al2O3"),
        ("Material", "Al ₂ O ₃", "Al2O3"),
        ("Material", "alumina", "Al2O3"),
        ("Material", "AIEG", "AlEG"),
        ("Material", "AIEG", "AlEG"),
        ("Material", "alucone", "UnnamedAlucone"),
        ("Precursor", "TMPO", "TMP"),
        ("Substrate", "LATP", "LATP"),
        ("QuantityKind", "area-specific resistance", "InterfacialResistance"),
        ("Substrate", "sodium", "Na"),
        ("Substrate", "Na metal", "Na"),
        ("Precursor", "lithium tert-butoxide", "LTB"),
        ("Precursor", "Titanium (IV) isoprop-oxide", "TTIP"),
        ("CellType", "Li-O₂ cells", "LiO2Cell"),
        ("ElectrolyteFamily", "ether electrolyte", "Ether"),
        ("Technique", "plasma-enhanced atomic layer deposition", "PEALD"),
    ],
)
def test_lookup(kind: str, text: str, local: str) -> None:
    concept = load_vocabulary().lookup(kind, text)
    assert concept is not None and concept.iri.endswith("/" + local)


def test_material_classes_form_a_tree() -> None:
    vocab = load_vocabulary()
    oxide = vocab.lookup("MaterialClass", "oxides")
    assert oxide is not None and oxide.iri.endswith("#Oxide")
    al2o3 = vocab.lookup("Material", "Al2O3")
    assert al2o3 is not None and oxide.iri in al2o3.classes


def test_unknown_label_is_none() -> None:
    assert load_vocabulary().lookup("Material", "unobtainium") is None


def test_label_key_strips_latex_and_spacing() -> None:
    assert label_key(r"$\text{Li}_x\text{Al}_y\text{S}$") == label_key("LixAlyS")
