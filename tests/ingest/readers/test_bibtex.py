"""BibTeX exports: one primary-study document per record, LaTeX turned into plain text."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize
from ingest.readers import bibtex
from ingest.records import IngestError

BIB = r"""% two records written for this test
@article{smith2020film,
  author  = {Smith, A. B. and Jones, C.},
  title   = {A {TiO$_2$} skin on lithium},
  journal = {Journal of Thin Films},
  year    = {2020},
  volume  = {12},
  pages   = {101--109},
  doi     = {https://doi.org/10.5555/TEST.1},
  abstract = {We grew Al$_2$O$_3$ at 130~$^{\circ}$C and 150 \textdegree C, about 1.2~\AA{} per
              cycle; cells ran at 1~mA~cm$^{-2}$ with 80\% retention in Li--O$_2$ cells.}
}

@article{noabstract2019,
  author = {Doe, J.},
  title  = {Only a title},
  year   = {2019}
}

@misc{lee2021,
  author = {Lee, K.},
  title = {Second},
  date = {2021-03-04},
  abstract = {An alucone film by MLD.}
}
"""


def test_records_become_primary_documents() -> None:
    docs = bibtex.read("exports/My Refs.bib", BIB.encode())
    assert [d.doc_id for d in docs] == ["my-refs-smith2020film", "my-refs-lee2021"]
    assert [(d.path, d.record, d.line) for d in docs] == [
        ("My Refs.bib#1", 1, 2),
        ("My Refs.bib#3", 3, 20),
    ]
    meta = docs[0].metadata
    assert meta.title == "A TiO$_2$ skin on lithium"
    assert meta.authors == ("Smith, A. B.", "Jones, C.")
    assert (meta.year, meta.venue, meta.volume, meta.first_page) == (
        2020,
        "Journal of Thin Films",
        "12",
        "101",
    )
    assert meta.doi == "10.5555/test.1"
    assert docs[1].metadata.year == 2021
    assert all(d.format == "bibtex" for d in docs)


def test_record_without_abstract_is_a_note_not_a_document() -> None:
    docs = bibtex.read("refs.bib", BIB.encode())
    assert docs[0].notes == (
        "1 record(s) without an abstract left out: record 2 (noabstract2019, line 14)",
    )


def test_latex_becomes_text_normalize_reads() -> None:
    [doc, _] = bibtex.read("refs.bib", BIB.encode())
    text = normalize(doc.text).text
    for expected in (
        "Al2O3 at 130 °C",
        "150 °C",
        "1.2 Å per cycle",
        "1 mA cm-2",
        "80% retention",
        "Li–O2",
    ):
        assert expected in text, expected
    lines = text.splitlines()
    assert lines[0] == "A TiO2 skin on lithium"
    assert lines[1] == "Smith, A. B.; Jones, C."
    assert "Abstract" in lines


def test_unclosed_brace_names_the_line() -> None:
    bad = "@article{a,\n  title = {Fine},\n  year = {2020}\n}\n\n@article{b,\n  title = {Open {brace},\n  year = {2021}\n}\n"
    with pytest.raises(IngestError, match=r"refs\.bib: BibTeX record at line 6 is malformed"):
        bibtex.read("refs.bib", bad.encode())


def test_no_abstract_anywhere_is_refused() -> None:
    with pytest.raises(IngestError, match="no record has an abstract"):
        bibtex.read("refs.bib", b"@article{a, title={T}, year={2020}}\n")
