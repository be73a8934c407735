"""kg/namespaces.py agrees with ontology/akg.ttl, and typos raise."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.namespaces import AKG
from kg.vocab import ONTOLOGY_DIR

BASE = "https://w3id.org/ald-kg/ontology#"


def test_constants_match_the_ontology() -> None:
    g = Graph().parse(ONTOLOGY_DIR / "akg.ttl")
    in_ttl = {str(s)[len(BASE) :] for s in g.subjects() if str(s).startswith(BASE)}
    in_code = set(AKG.__annotations__)
    assert in_ttl == in_code, "run python scripts/gen_namespaces.py"


def test_a_typo_raises() -> None:
    with pytest.raises(AttributeError):
        _ = AKG.hasPrecursr


def test_every_akg_term_used_in_the_vocabulary_is_defined() -> None:
    g = Graph()
    for name in ("akg.ttl", "vocab.ttl", "shapes.ttl"):
        g.parse(ONTOLOGY_DIR / name)
    used = {str(t) for triple in g for t in triple if str(t).startswith(BASE)}
    defined = {BASE + n for n in AKG.__annotations__}
    shapes = {u for u in used if u.endswith("Shape")}
    assert used - defined - shapes == set()
