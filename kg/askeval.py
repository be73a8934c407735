"""Scoring of ``kg ask`` against gold questions: pure functions, so they are unit-tested alone.

A question's gold gives the citation numbers (``refs``) a correct answer contains;
``optional_refs`` may appear without counting for or against; each group of ``labels`` must
have one string that appears somewhere in the answer's rows (case-insensitive).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["QuestionScore", "macro", "predicted_refs", "score_question"]


@dataclass(frozen=True)
class QuestionScore:
    """Precision, recall and F1 over cited refs, plus the label groups satisfied."""

    question: str
    precision: float
    recall: float
    f1: float
    labels_ok: int
    labels_total: int
    missing: tuple[int, ...]
    extra: tuple[int, ...]

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
