"""Scoring of ``kg ask`` against gold questions: pure functions, so they are unit-tested alone.

Two gold formats. The review's (``../shared/gold/questions_dev.json``): a question's gold gives
the citation numbers (``refs``) a correct answer contains; ``optional_refs`` may appear without
counting for or against. The devset's (``questions_dev2.json``), for many documents: the
``answers`` are ``{doc, ref}`` pairs (ref null: the document is the study itself), ``optional``
likewise; a row contributes its own (doc, ref) and every one of its ``sources``; a question
with no answers scores 1 only when nothing outside ``optional`` comes back. In both, each group
of ``labels`` must have one string that appears somewhere in the answer's rows
(case-insensitive).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "QuestionScore",
    "macro",
    "predicted_pairs",
    "predicted_refs",
    "score_any",
    "score_pairs",
    "score_question",
]


@dataclass(frozen=True)
class QuestionScore:
    """Precision, recall and F1 over cited refs, plus the label groups satisfied."""

    question: str
    precision: float
    recall: float
    f1: float
    labels_ok: int
    labels_total: int
    missing: tuple[Any, ...]  # refs, or (doc, ref) pairs for the devset's format
    extra: tuple[Any, ...]

    def line(self) -> str:
        """One line for ``kg eval``."""
        text = (
            f"P {self.precision:.2f}  R {self.recall:.2f}  F1 {self.f1:.2f}  "
            f"labels {self.labels_ok}/{self.labels_total}  {self.question}"
        )
        if self.missing:
            text += f"  missing {list(self.missing)}"
        if self.extra:
            text += f"  extra {list(self.extra)}"
        return text


def predicted_refs(rows: list[dict[str, Any]]) -> set[int]:
    """The ``ref`` of every row that has an integer one.

    >>> sorted(predicted_refs([{"ref": 94}, {"ref": None}, {"ref": 94}, {"ref": 30}]))
    [30, 94]
    """
    return {
        r["ref"]
        for r in rows
        if isinstance(r.get("ref"), int) and not isinstance(r.get("ref"), bool)
    }


def labels_satisfied(groups: list[list[str]], rows: list[dict[str, Any]]) -> int:
    """How many label groups have one string somewhere in the rows (case-insensitive)."""
    haystack = json.dumps(rows, ensure_ascii=False, default=str).lower()
    return sum(1 for group in groups if any(s.lower() in haystack for s in group))


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def score_question(gold: dict[str, Any], rows: list[dict[str, Any]]) -> QuestionScore:
    """Score one answer against one gold question.

    Precision is over predicted refs that are not optional (nothing predicted: 1.0 only when
    nothing was expected); recall over the required refs (none required: 1.0).

    >>> s = score_question({"q": "x", "refs": [1, 2], "optional_refs": [3]},
    ...                    [{"ref": 1}, {"ref": 3}, {"ref": 4}])
    >>> (s.precision, s.recall, s.missing, s.extra)
    (0.5, 0.5, (2,), (4,))
    """
    required = set(gold.get("refs", []))
    optional = set(gold.get("optional_refs", []))
    predicted = predicted_refs(rows) - optional
    hits = predicted & required
    precision = len(hits) / len(predicted) if predicted else 1.0 if not required else 0.0
    recall = len(hits) / len(required) if required else 1.0
    groups = gold.get("labels") or []
    return QuestionScore(
        question=gold.get("q", ""),
        precision=precision,
        recall=recall,
        f1=f1(precision, recall),
        labels_ok=labels_satisfied(groups, rows),
        labels_total=len(groups),
        missing=tuple(sorted(required - predicted)),
        extra=tuple(sorted(predicted - required)),
    )


Pair = tuple[str, int | None]


def _ref(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def predicted_pairs(rows: list[dict[str, Any]]) -> set[Pair]:
    """Every (doc, ref) a row and its ``sources`` name.

    >>> sorted(predicted_pairs([{"doc": "r", "ref": 3, "sources": [{"doc": "a", "ref": None}]}]),
    ...        key=str)
    [('a', None), ('r', 3)]
    """
    out: set[Pair] = set()
    for row in rows:
        for source in [row, *(s for s in row.get("sources") or [] if isinstance(s, dict))]:
            doc = source.get("doc")
            if isinstance(doc, str) and doc:
                out.add((doc, _ref(source.get("ref"))))
    return out


def score_pairs(gold: dict[str, Any], rows: list[dict[str, Any]]) -> QuestionScore:
    """Score one answer against a devset question whose answers are (doc, ref) pairs.

    >>> s = score_pairs({"q": "x", "answers": [{"doc": "a", "ref": None}]}, [{"doc": "a"}])
    >>> (s.precision, s.recall)
    (1.0, 1.0)
    >>> score_pairs({"q": "none", "answers": []}, [{"doc": "a", "ref": 1}]).f1
    0.0
    """

    def pairs(items: list[dict[str, Any]]) -> set[Pair]:
        return {(a["doc"], _ref(a.get("ref"))) for a in items}

    expected, optional = pairs(gold.get("answers", [])), pairs(gold.get("optional", []))
    counted = predicted_pairs(rows) - optional
    hits = counted & expected
    precision = len(hits) / len(counted) if counted else 1.0
    recall = len(hits) / len(expected) if expected else 1.0
    if not expected:
        precision = recall = 0.0 if counted else 1.0
    groups = gold.get("labels") or []
    return QuestionScore(
        question=gold.get("q", ""),
        precision=precision,
        recall=recall,
        f1=f1(precision, recall),
        labels_ok=labels_satisfied(groups, rows),
        labels_total=len(groups),
        missing=tuple(sorted(expected - counted, key=str)),  # type: ignore[arg-type]
        extra=tuple(sorted(counted - expected, key=str)),  # type: ignore[arg-type]
    )


def score_any(gold: dict[str, Any], rows: list[dict[str, Any]]) -> QuestionScore:
    """:func:`score_pairs` for a devset question (it has ``answers``), else :func:`score_question`."""
    return score_pairs(gold, rows) if "answers" in gold else score_question(gold, rows)


def macro(scores: list[QuestionScore]) -> dict[str, float]:
    """Macro-averaged precision, recall and F1 (F1 averaged per question), labels counted.

    >>> macro([])["f1"]
    0.0
    """
    if not scores:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "labels_ok": 0, "labels_total": 0}
    n = len(scores)
    return {
        "precision": sum(s.precision for s in scores) / n,
        "recall": sum(s.recall for s in scores) / n,
        "f1": sum(s.f1 for s in scores) / n,
        "labels_ok": sum(s.labels_ok for s in scores),
        "labels_total": sum(s.labels_total for s in scores),
    }
