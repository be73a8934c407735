"""ingest/resolve.py: electrolyte descriptions split into vocabulary terms."""

from __future__ import annotations

import pytest

from ingest.resolve import split_electrolyte
from kg.vocab import load_vocabulary


@pytest.mark.parametrize(
    ("text", "families", "substances"),
    [
        ("garnet LLZO", ["solid-state"], ["garnet solid electrolyte"]),
        ("the LATP pellet", ["solid-state"], ["LATP"]),
        ("solid-state", ["solid-state"], []),
        ("1 M LiPF6 in EC/DEC", ["carbonate"], []),
        ("Li foil", [], []),  # a metal is no electrolyte substance
    ],
)
def test_a_named_solid_electrolyte_is_a_substance_of_its_family(
    text: str, families: list[str], substances: list[str]
) -> None:
    parts = split_electrolyte(load_vocabulary(), text)
    assert [t.label for t in parts.families] == families
    assert [t.label for t in parts.substances] == substances
