"""kg.ask fetches labels, spans and techniques only for the rows it shows (kg.ask._with_details):
its answers must be those it gives when every detail of every match is fetched.

The graphs are the real review and the development documents (read from ../shared at run
time), the questions their gold questions plus one of each answer shape; small limits make
more entities match than are shown, which is when the shortcut is taken.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import kg.ask as ask_module
from kg.ask import ask, merge_details
from kg.store import OxigraphStore
from tests.paths import GOLD_QUESTIONS, SHARED

DEVSET = SHARED / "devset"

#: One of each shape and target, beyond the gold questions.
SHAPES = (
    "thinnest coating on Li",
    "longest-lived coating on Na",
    "coatings stable over 500 h",
    "coatings deposited below 150 °C",
    "which precursors are used for Al2O3",
    "at what temperature was Al2O3 deposited?",
    "studies of Al2O3 coatings",
    "how many ALD coatings?",
    "which electrolyte was used for alucone coatings?",
)


def _questions() -> list[str]:
    questions = list(SHAPES)
    for gold in (GOLD_QUESTIONS, DEVSET / "questions_dev2.json"):
        if gold.exists():
            questions += [q["q"] for q in json.loads(gold.read_text(encoding="utf-8"))]
    return list(dict.fromkeys(questions))


def _store_of(built: list) -> OxigraphStore:
    from kg.pipeline import write

    store = OxigraphStore(None)
    write(built, store=store)
    return store


@pytest.fixture(scope="module")
def graphs(corpus_built: list) -> list[OxigraphStore]:
    """The review's graph and, when present, the development documents' graph."""
    out = [_store_of(corpus_built)]
    if (DEVSET / "docs").is_dir():
        from kg.pipeline import build_files, find_documents

        out.append(_store_of(build_files(find_documents([DEVSET / "docs"]))))
    return out


def _every_detail(interp: Any, core: list, store: Any, limit: int) -> list:
    """The answer rows before the shortcut: every detail of every matching node."""
    return merge_details(interp, core, ask_module._details(interp, core, store))


@pytest.mark.parametrize("limit", [1, 2, 3, 200])
def test_answers_equal_those_with_every_detail(
    graphs: list[OxigraphStore], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    for store in graphs:
        for question in _questions():
            shown = ask(question, store, limit=limit).to_json()
            with monkeypatch.context() as patch:
                patch.setattr(ask_module, "_with_details", _every_detail)
                everything = ask(question, store, limit=limit).to_json()
            assert shown == everything, (question, limit)


def test_details_of_rows_not_shown_are_not_fetched(
    graphs: list[OxigraphStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, frozenset[str] | None]] = []
    details = ask_module._details

    def spy(interp: Any, core: list, store: Any, parts: frozenset[str] | None = None) -> list:
        calls.append((len({r.get("c") for r in core}), parts))
        return details(interp, core, store, parts)

    monkeypatch.setattr(ask_module, "_details", spy)
    answer = ask("Al2O3 coatings", graphs[0], limit=1)
    assert len(answer.rows) == 1
    (matched, ranking), (shown, rest) = calls
    assert matched > 1 and shown == 1
    assert ranking == ask_module.RANKING_PARTS
    assert rest is not None and "span" in rest and not rest & ranking


def _as_set(rows: list[dict[str, Any]]) -> set[tuple[tuple[str, str], ...]]:
    """Rows as comparable items; a citation's coating left out (answers read citations by
    study: kg.ask.answer._index_details)."""
    cited = ("cite", "described")
    return {
        tuple(
            sorted(
                (k, str(v))
                for k, v in r.items()
                if v is not None and not (k == "c" and r.get("part") in cited)
            )
        )
        for r in rows
    }


def test_citations_read_from_the_studies_found_are_those_found_from_the_coatings(
    graphs: list[OxigraphStore],
) -> None:
    """``_details`` reads ``cite`` and ``described`` from the studies of its first query; one
    query that finds them again from every coating (as before) has the same rows."""
    from kg.ask import build_sparql, interpret
    from kg.ask.sparql import details_sparql
    from kg.query import run_generated

    compared = 0
    for store in graphs:
        for question in _questions():
            interp = interpret(question)
            if interp.unknown or interp.unread or interp.sides or not interp.has_constraint:
                continue
            core = run_generated(store, build_sparql(interp), max_rows=50_000).rows
            coatings = list(dict.fromkeys(r["c"] for r in core if r.get("c")))
            if not coatings:
                continue
            parts = ["study", "cite", "described"]
            split = ask_module._details(interp, core, store, frozenset(parts))
            query = details_sparql(coatings, [], [], None, (), parts)
            assert query is not None
            whole = run_generated(store, query, max_rows=500_000).rows
            assert _as_set(split) == _as_set(whole), question
            compared += any(r["part"] == "cite" for r in whole)
    assert compared > 5  # questions whose coatings are cited
