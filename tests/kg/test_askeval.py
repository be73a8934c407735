"""kg eval's scoring of (doc, ref) answers, and `kg ask --csv` / `kg eval` on the command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.askeval import predicted_pairs, score_any, score_pairs

ROWS = [
    {"doc": "review", "ref": 3, "sources": [{"doc": "paper", "ref": None, "doi": "10.1/x"}]},
    {"doc": "review", "ref": 8, "sources": []},
]


@pytest.mark.parametrize(
    ("gold", "precision", "recall"),
    [
        ({"q": "a", "answers": [{"doc": "review", "ref": 3}]}, 1 / 3, 1.0),
        (
            {
                "q": "b",
                "answers": [{"doc": "review", "ref": 3}, {"doc": "paper", "ref": None}],
                "optional": [{"doc": "review", "ref": 8}],
            },
            1.0,
            1.0,
        ),
        ({"q": "c", "answers": [{"doc": "other", "ref": 1}]}, 0.0, 0.0),
        ({"q": "empty", "answers": []}, 0.0, 0.0),
    ],
)
def test_pairs_from_rows_and_sources(gold: dict, precision: float, recall: float) -> None:
    score = score_pairs(gold, ROWS)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)


def test_an_empty_answer_to_a_question_without_answers_is_right() -> None:
    assert score_pairs({"q": "none", "answers": []}, []).f1 == 1.0


def test_sources_count_as_answers() -> None:
    assert ("paper", None) in predicted_pairs(ROWS)


def test_score_any_picks_the_format() -> None:
    assert score_any({"q": "x", "refs": [3]}, ROWS).recall == 1.0
    assert score_any({"q": "x", "answers": [{"doc": "paper", "ref": None}]}, ROWS).recall == 1.0


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_eval_on_a_corpus_with_devset_gold(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "note.txt"
    doc.parent.mkdir()
    doc.write_text(
        "A note on coatings\n\nTable 1. Coatings.\nRef | Material | Substrate | Technique\n"
        "[1] | Al2O3 | Li | ALD\n\nReferences\n[1] A. Writer, J. Test. 1 (2020) 1.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            [
                {"q": "HfO2 coatings", "answers": []},
                {"q": "HfO3 coatings", "answers": []},
            ]
        ),
        encoding="utf-8",
    )
    done = _kg("eval", "--gold", str(gold), "--corpus", str(doc.parent))
    assert done.returncode == 0, done.stderr
    assert "F1 1.000" in done.stdout and "(2 questions)" in done.stdout


def test_eval_refuses_a_file_that_is_not_questions(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text('{"not": "a list"}', encoding="utf-8")
    done = _kg("eval", "--gold", str(gold), "--corpus", str(tmp_path))
    assert done.returncode == 1 and "expected a list of questions" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_ask_csv_prints_the_rows(ask_store: object, tmp_path: Path) -> None:
    from kg.store import OxigraphStore

    disk = OxigraphStore(tmp_path / "store")
    disk.raw.bulk_extend(ask_store.raw)  # type: ignore[attr-defined]
    disk.raw.flush()
    del disk
    done = _kg("ask", "coatings on Li", "--csv", "--store", str(tmp_path / "store"))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert sorted(int(r["ref"]) for r in rows) == [1, 3, 5]
    assert {"material", "doc", "evidence"} <= set(rows[0])


def test_an_export_record_is_named_by_its_file_and_position() -> None:
    from ingest.records import export_record_of

    assert export_record_of("export-bibtex.bib#3") == ("export-bibtex", 3)
    assert export_record_of("/data/refs.ris#12") == ("refs", 12)
    assert export_record_of("review.txt") is None
