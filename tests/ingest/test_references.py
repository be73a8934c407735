"""Tests for ingest.references: numbering styles and author styles of reference lists."""

from __future__ import annotations

import doctest

import pytest

import ingest.references
from ingest.normalize import normalize
from ingest.references import first_author, parse_reference, surname
from ingest.structure import structure


def test_doctests() -> None:
    assert doctest.testmod(ingest.references).failed == 0


def _refs(block: str) -> list[tuple[int, str | None, int | None]]:
    text = f"A title of a study\n\nAbstract\nWe grew ZnO.\n\nReferences\n{block}"
    doc = structure(normalize(text), doc_id="t", path="t.txt")
    return [(r.number, first_author(r), r.year) for r in doc.references]


@pytest.mark.parametrize(
    "block",
    [
        "[1] Abe, K. One. *J. T.* **2019**.\n[2] Bell, C. Two. *J. T.* **2020**.\n",
        "1. Abe, K. One. *J. T.* **2019**.\n2. Bell, C. Two. *J. T.* **2020**.\n",
        "(1) Abe, K. One. *J. T.* **2019**.\n(2) Bell, C. Two. *J. T.* **2020**.\n",
        "1) Abe, K. One. *J. T.* **2019**.\n2) Bell, C. Two. *J. T.* **2020**.\n",
        "Abe, K. (2019). One. J. T.\nBell, C. (2020). Two. J. T.\n",
        "Abe K, Lin M. One. J T. 2019;4:10.\nBell C. Two. J T. 2020;5:11.\n",
    ],
)
def test_numbering_styles(block: str) -> None:
    assert _refs(block) == [(1, "Abe", 2019), (2, "Bell", 2020)]


def test_unnumbered_entry_continues_on_a_line_without_an_author() -> None:
    block = "Abe, K. (2019). One long title\nthat goes on. J. T.\nBell, C. (2020). Two. J. T.\n"
    assert _refs(block) == [(1, "Abe", 2019), (2, "Bell", 2020)]


def test_apa_entry() -> None:
    ref = parse_reference(
        3,
        "Ode, A. B., Pike, C., & Quin, D.-E. (2017). Films that last. Test Letters, 12, 45–50. "
        "https://doi.org/10.1234/TL.45",
        0,
        0,
    )
    assert ref.authors == ("Ode, A. B.", "Pike, C.", "Quin, D.-E.")
    assert (ref.title, ref.venue, ref.year, ref.doi) == (
        "Films that last",
        "Test Letters",
        2017,
        "10.1234/tl.45",
    )
    assert (ref.volume, ref.first_page) == ("12", "45")


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("Chen, L.", "Chen"),
        ("L. Chen", "Chen"),
        ("Chen L", "Chen"),
        ("de Paula, C.", "de Paula"),
        ("Li Q", "Li"),
    ],
)
def test_surname(author: str, name: str) -> None:
    assert surname(author) == name
