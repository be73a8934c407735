"""Tests for ingest.kind: a document is read as a primary study or a review from its text."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ingest.kind
from ingest.normalize import normalize
from ingest.structure import doc_id_for, structure

DEVSET = Path(__file__).resolve().parents[2].parent / "shared/devset/docs"

# Written for these tests: a full primary paper whose introduction cites earlier work.
PRIMARY_PAPER = """Zinc oxide films grown by ALD on sodium foil

Abstract
Sodium foil corrodes in carbonate electrolytes. Here we grow ZnO on sodium by ALD at 80 °C.

1. Introduction
Sodium metal anodes grow dendrites [1]. Oxide films slow the growth [2,3]. Alumina has been
tried on sodium [4].

2. Results
We deposited ZnO from DEZ and water in 40 cycles. Our coated electrodes cycled for 600 h.
We observed a flat surface after cycling. The film was 6 nm thick.

References
1. Ames, B. Dendrites. *J. Test.* **2015**.
2. Bell, C. Oxides. *J. Test.* **2016**.
3. Cole, D. Films. *J. Test.* **2017**.
4. Dunn, E. Alumina. *J. Test.* **2018**.
"""

# Written for these tests: a review that never calls itself one.
QUIET_REVIEW = """Oxide films on alkali metal anodes

1. Films on lithium
Al2O3 on Li cycled for 800 h [1]. ZnO on Li lasted 300 cycles [2]. LiF raised the Coulombic
efficiency to 99% [3]. TiO2 lowered the overpotential [4]. The film was thin.

2. Films on sodium
Al2O3 on Na cycled for 500 h (Zhao et al., 2017). Kazyak et al. (2015) found the same on Li.

References
1. Ames, B. One. *J. Test.* **2015**.
2. Bell, C. Two. *J. Test.* **2016**.
3. Cole, D. Three. *J. Test.* **2017**.
4. Dunn, E. Four. *J. Test.* **2018**.
"""


def _kind(text: str, fmt: str = "text") -> str:
    return structure(normalize(text), doc_id="t", path="t.txt", format=fmt).kind


def test_doctests() -> None:
    assert doctest.testmod(ingest.kind).failed == 0


@pytest.mark.parametrize(
    ("text", "fmt", "kind"),
    [
        (PRIMARY_PAPER, "text", "primary"),
        (QUIET_REVIEW, "text", "review"),
        (
            "A title of a study\n\nAbstract\nLiF was grown on Li by ALD at 135 °C.\n",
            "text",
            "primary",
        ),
        # an export record is its own study, even when its abstract names other work [3]
        (
            "Title of a record\n\nAbstract\nAl2O3 on Li [3] is compared. It cycled.\n",
            "bibtex",
            "primary",
        ),
        (
            "Films on anodes: a mini-review\n\n1. Scope\nWe grew nothing here. Al2O3 on Li [1].\n",
            "text",
            "review",
        ),
    ],
)
def test_kind_from_text(text: str, fmt: str, kind: str) -> None:
    assert _kind(text, fmt) == kind


def test_reason_is_given() -> None:
    doc = structure(normalize(PRIMARY_PAPER), doc_id="p", path="p.txt")
    assert "own work" in doc.kind_reason


@pytest.mark.skipif(not DEVSET.exists(), reason="../shared/devset not present")
@pytest.mark.parametrize("path", sorted(DEVSET.glob("*.txt")) + sorted(DEVSET.glob("*.md")))
def test_devset_documents_read_as_their_kind(path: Path) -> None:
    expected = "review" if path.stem.startswith("review") else "primary"
    fmt = "markdown" if path.suffix == ".md" else "text"
    doc = structure(
        normalize(path.read_text(encoding="utf-8")),
        doc_id=doc_id_for(path),
        path=path.name,
        format=fmt,
    )
    assert doc.kind == expected, doc.kind_reason
