"""Evidence you can read: a table row keeps its cells apart and carries its table's header."""

from __future__ import annotations

import pytest

from kg.ask import ask
from kg.ask.answer import evidence_item


def test_table_row_cells_are_never_glued() -> None:
    item = evidence_item(
        {"text": "Al2O3\t135\t8 nm", "location": "Table 1, row 2", "header": "M\tT\tThick"},
        "doc",
        5,
    )
    assert item["cells"] == ["Al2O3", "135", "8 nm"]
    assert item["header"] == ["M", "T", "Thick"]
    assert item["text"] == "Al2O3 | 135 | 8 nm"
    assert "1358" not in item["text"]


def test_a_header_of_another_width_is_left_out() -> None:
    item = evidence_item({"text": "a\tb", "location": None, "header": "x\ty\tz"}, "doc", None)
    assert item["cells"] == ["a", "b"] and "header" not in item


def test_a_sentence_has_no_cells() -> None:
    item = evidence_item({"text": "LiF was grown at 150 °C.", "location": "s1"}, "doc", 1)
    assert "cells" not in item and item["text"] == "LiF was grown at 150 °C."


@pytest.mark.parametrize("question", ["coatings on Li", "coatings stable over 1000 h"])
def test_evidence_is_one_item_per_span(question: str, ask_store: object) -> None:
    answer = ask(question, ask_store)
    keys = [(e["doc"], e["text"]) for e in answer.evidence]
    assert len(keys) == len(set(keys))
    for item in answer.evidence:
        if "header" in item:
            assert len(item["header"]) == len(item["cells"])
        start, end = item["highlight"]
        assert 0 <= start <= end <= len(item["text"])


def test_the_evidence_states_what_was_asked() -> None:
    from kg.ask.answer import _Group, _pick_span

    group = _Group("c", {})
    group.spans = {
        "row": {"text": "Al2O3\t150\t2 nm", "location": "Table 1, row 1", "table": True},
        "s": {
            "text": "The Al2O3 film was cycled in Li-O2 cells.",
            "location": "s3",
            "table": False,
        },
    }
    from kg.ask import interpret

    assert _pick_span(group, interpret("coatings tested in Li-O2 cells"))["location"] == "s3"
    assert _pick_span(group, interpret("Al2O3 coatings"))["location"] == "Table 1, row 1"
