"""Choosing a reader: sniffed content first, then the suffix."""

from __future__ import annotations

import pytest

from ingest.readers import SUFFIXES, detect
from ingest.records import IngestError


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("refs.txt", b"TY  - JOUR\nTI  - A title\nER  - \n", "ris"),
        ("refs.txt", b"% comment\n@article{key,\n title={T}}\n", "bibtex"),
        ("paper.txt", b"%PDF-1.7\n...", "pdf"),
        ("article.xml", b'<?xml version="1.0"?>\n<article><front></front></article>', "jats"),
        ("page.txt", b"<!DOCTYPE html>\n<html><head></head></html>", "html"),
        (
            "page.xml",
            b'<?xml version="1.0"?>\n<html><body><article>x</article></body></html>',
            "html",
        ),
        ("scopus.csv", b"Authors,Title,Year,Source title,DOI,Abstract\n", "csv"),
        ("paper.md", b"# A title\n\nSome text.\n", "markdown"),
        ("paper.txt", b"A title\n\nAbstract\nSome text.\n", "text"),
    ],
)
def test_detect(name: str, head: bytes, expected: str) -> None:
    assert detect(name, head).name == expected


def test_unknown_suffix_lists_the_supported_ones() -> None:
    with pytest.raises(IngestError, match=r"paper\.docx: unknown format.*Supported: \.txt, \.md"):
        detect("paper.docx", b"PK\x03\x04")


def test_every_format_has_a_suffix() -> None:
    assert {".txt", ".md", ".pdf", ".xml", ".html", ".htm", ".bib", ".ris", ".csv"} <= set(SUFFIXES)
