"""Tests for ingest.header: byline, venue, year, volume, page and DOI from header lines."""

from __future__ import annotations

import doctest

import pytest

import ingest.header
from ingest.header import byline, header_metadata, merge
from ingest.normalize import normalize
from ingest.records import DocumentMetadata
from ingest.structure import structure


def test_doctests() -> None:
    assert doctest.testmod(ingest.header).failed == 0


@pytest.mark.parametrize(
    ("line", "venue", "year", "doi", "volume", "page"),
    [
        (
            "Journal of Testing, 2023, DOI: 10.1234/jt.77",
            "Journal of Testing",
            2023,
            "10.1234/jt.77",
            None,
            None,
        ),
        (
            "J. Test. Chem. (2019), doi:10.1234/ABC.5",
            "J. Test. Chem.",
            2019,
            "10.1234/abc.5",
            None,
            None,
        ),
        (
            "Small Methods | 2020 | https://doi.org/10.1234/sm.9",
            "Small Methods",
            2020,
            "10.1234/sm.9",
            None,
            None,
        ),
        ("Energy Lett. 2016, 12, 4410–4417.", "Energy Lett.", 2016, None, "12", "4410"),
        (
            "*Test Letters* · 2021 · DOI: 10.1234/tl.1",
            "Test Letters",
            2021,
            "10.1234/tl.1",
            None,
            None,
        ),
        (
            "Batteries **2022**, *8*, 101. <https://doi.org/10.1234/b8>",
            "Batteries",
            2022,
            "10.1234/b8",
            "8",
            "101",
        ),
    ],
)
def test_venue_lines(
    line: str, venue: str, year: int, doi: str | None, volume: str | None, page: str | None
) -> None:
    m = header_metadata([line])
    assert (m.venue, m.year, m.doi, m.volume, m.first_page) == (venue, year, doi, volume, page)


@pytest.mark.parametrize(
    ("segment", "names"),
    [
        ("A. Brandt and S. Oyelaran", ("A. Brandt", "S. Oyelaran")),
        ("Brandt, A.; Oyelaran, S.", ("Brandt, A.", "Oyelaran, S.")),
        ("Kim Brandt1,2, Sade Oyelaran2*", ("Kim Brandt", "Sade Oyelaran")),
        ("Received: 30 August 2022", ()),
        ("School of Chemistry, Test University, Testville", ()),
    ],
)
def test_byline(segment: str, names: tuple[str, ...]) -> None:
    assert byline(segment) == names


def test_labelled_lines_give_no_year() -> None:
    assert header_metadata(["Received: 30 August 2022", "Accepted: 1 May 2021"]).year is None


def test_reader_metadata_wins_where_set() -> None:
    reader = DocumentMetadata(title="Reader title", year=2020)
    header = DocumentMetadata(title="Header title", year=2019, venue="J. Test.")
    assert merge(reader, header) == DocumentMetadata(
        title="Reader title", year=2020, venue="J. Test."
    )


def test_structure_fills_metadata_from_the_header() -> None:
    text = (
        "Grown films on sodium\nQ. Ames, R. Bell\nJournal of Tests, 2019. DOI: 10.1234/jt.3\n\n"
        "Abstract\nWe grew Al2O3 on Na by ALD.\n"
    )
    doc = structure(normalize(text), doc_id="t", path="t.txt", metadata=DocumentMetadata(year=2020))
    m = doc.metadata
    assert (m.title, m.authors, m.venue, m.year, m.doi) == (
        "Grown films on sodium",
        ("Q. Ames", "R. Bell"),
        "Journal of Tests",
        2020,
        "10.1234/jt.3",
    )
