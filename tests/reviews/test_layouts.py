"""Reviews in other layouts, scored like the held-out reviews: strict field F1 of `kg eval-extract`.

Each fixture in ``docs/`` is a short review written for these tests (facts from published
studies, sentences our own), keyed in ``gold_*.json`` as ``../shared/devset`` keys reviews:
``doc`` = file stem, ``ref`` = the entry's number in the document's reference list. They cover
citation styles (author–year in its forms, mapped to an alphabetical numbered list), a table
given as comma-separated lines, Roman-numbered headings that set the metal, a host infused with
metal, a section of works cited only for background, superscripts flattened to plain digits
after the period ("…onto lithium foil.2 The"), unnumbered Markdown headings, and a pipe table
whose cells say "n.r.", "not named", "ALD (powder)" or name a solid electrolyte as substrate, and
one bullet "card" per study under lettered sections, one of them "not counted". If attribution breaks, a study's facts
land on another study or nowhere, and the strict score falls.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
CASES = sorted(HERE.glob("gold_*.json"))


def _report(gold: Path) -> dict:
    doc = json.loads(gold.read_text(encoding="utf-8"))["coatings"][0]["doc"]
    path = next(DOCS.glob(f"{doc}.*"))
    result = CliRunner().invoke(
        app, ["eval-extract", "--gold", str(gold), "--corpus", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=CASES, ids=[c.stem for c in CASES])
def report(request: pytest.FixtureRequest) -> dict:
    return _report(request.param)


def test_every_fixture_has_a_gold_file() -> None:
    keyed = {g["doc"] for c in CASES for g in json.loads(c.read_text(encoding="utf-8"))["coatings"]}
    assert keyed == {p.stem for p in DOCS.iterdir()}


def test_a_review_in_another_layout_scores_strictly_high(report: dict) -> None:
    assert report["f1"] >= 0.95, "\n".join(report["lines"])
    assert report["precision"] >= 0.95, "\n".join(report["lines"])


def test_works_cited_only_for_background_get_no_coating(report: dict) -> None:
    assert not [line for line in report["lines"] if line.startswith("++ trap")], report["lines"]
    assert not report["unmatched"], report["unmatched"]
