"""Scopus / Web of Science CSV exports: one primary-study document per row with an abstract."""

from __future__ import annotations

import pytest

from ingest.readers import csv, detect
from ingest.records import IngestError

SCOPUS = (
    "Authors,Title,Year,Source title,Volume,Page start,DOI,Abstract\n"
    '"Smith A.B., Jones C.",A LiF film on lithium,2021,Test Energy Letters,5,120,10.5555/CSV.1,'
    '"We deposit LiF by ALD on Li, 1 nm thick.\nCells cycle for 400 h."\n'
    "Doe J.,Only a title,2020,Test Journal,,,,[No abstract available]\n"
)
WOS = (
    "PT\tAU\tTI\tSO\tPY\tVL\tBP\tDI\tAB\n"
    "J\tKim, H; Lee, S\tZincone on sodium\tTest Materials\t2019\t3\t44\t10.5555/csv.2\t"
    "A zincone grown by MLD on Na.\n"
)


def test_scopus_rows() -> None:
    docs = csv.read("scopus.csv", SCOPUS.encode())
    [doc] = docs
    m = doc.metadata
    assert (m.title, m.authors, m.year, m.venue, m.volume, m.first_page, m.doi) == (
        "A LiF film on lithium",
        ("Smith A.B.", "Jones C."),
        2021,
        "Test Energy Letters",
        "5",
        "120",
        "10.5555/csv.1",
    )
    assert (doc.doc_id, doc.path, doc.record, doc.line) == ("scopus-1", "scopus.csv#1", 1, 2)
    assert "We deposit LiF by ALD on Li, 1 nm thick. Cells cycle for 400 h." in doc.text
    assert "record 2 (line 4)" in doc.notes[0]


def test_wos_tab_delimited_text_is_sniffed() -> None:
    assert detect("savedrecs.txt", WOS.encode()).name == "csv"
    [doc] = csv.read("savedrecs.txt", WOS.encode())
    assert doc.metadata.authors == ("Kim, H", "Lee, S")
    assert (doc.metadata.title, doc.metadata.year, doc.metadata.first_page) == (
        "Zincone on sodium",
        2019,
        "44",
    )


def test_no_abstract_column_is_refused() -> None:
    with pytest.raises(
        IngestError, match=r"refs\.csv: no abstract column \(looked for abstract, ab\)"
    ):
        csv.read("refs.csv", b"Authors,Title,Year\nDoe J.,A title,2020\n")


def test_malformed_row_names_record_and_line() -> None:
    bad = b"Title,Authors,Abstract\nOne,Doe J.,Fine.\nTwo,Roe R.,Broken,extra,fields\n"
    with pytest.raises(IngestError, match=r"bad\.csv: record 2 \(line 3\) has 5 fields"):
        csv.read("bad.csv", bad)
