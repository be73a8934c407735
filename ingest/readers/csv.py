"""Scopus and Web of Science exports as CSV (or WoS tab-delimited text): one primary-study
document per row with an abstract. Read with the standard library's csv module."""

from __future__ import annotations

import csv as _csv
import io
import re

from ingest.readers.checks import decode_text
from ingest.readers.common import clean_doi, record_document, with_skipped_note, year_of
from ingest.records import DocumentMetadata, IngestError, SourceDocument

#: role → column names, Scopus first, then Web of Science (field tags and full names).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "ti", "article title", "document title"),
    "authors": ("authors", "au", "author full names", "af"),
    "year": ("year", "py", "publication year"),
    "venue": ("source title", "so", "journal", "publication name"),
    "doi": ("doi", "di"),
    "abstract": ("abstract", "ab"),
    "volume": ("volume", "vl"),
    "first_page": ("page start", "bp", "start page"),
}
_NO_ABSTRACT = re.compile(r"(?i)^\[?no abstract available\]?$")


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _header(first_line: str) -> list[str]:
    row = next(_csv.reader([first_line], delimiter=_delimiter(first_line)), [])
    return [c.strip().lstrip("\ufeff").lower() for c in row]


def sniff(head: bytes) -> bool:
    """A header row naming a title column and an abstract or author column."""
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0].strip("\r")
    names = set(_header(first))
    return (
        bool(names & set(COLUMNS["title"]))
        and bool(names & (set(COLUMNS["abstract"]) | set(COLUMNS["authors"])))
        and len(names) >= 3
    )


def _roles(name: str, header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for role, names in COLUMNS.items():
        found = next((header.index(n) for n in names if n in header), None)
        if found is not None:
            roles[role] = found
    if "abstract" not in roles:
        raise IngestError(
            f"{name}: no abstract column (looked for {', '.join(COLUMNS['abstract'])}). "
            "Export the records again with their abstracts included."
        )
    if "title" not in roles:
        raise IngestError(f"{name}: no title column (looked for {', '.join(COLUMNS['title'])}).")
    return roles


def _authors(raw: str) -> tuple[str, ...]:
    """``Smith, A.B.; Jones, C.`` (newer Scopus, WoS) or ``Smith A.B., Jones C.`` (older Scopus)."""
    parts = raw.split(";") if ";" in raw else raw.split(",")
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def _metadata(cell: dict[str, str]) -> DocumentMetadata:
    return DocumentMetadata(
        title=cell.get("title") or None,
        authors=_authors(cell.get("authors", "")),
        year=year_of(cell.get("year")),
        venue=cell.get("venue") or None,
        volume=cell.get("volume") or None,
        first_page=cell.get("first_page") or None,
        doi=clean_doi(cell.get("doi")),
    )


def read(name: str, data: bytes) -> list[SourceDocument]:
    """One document per row with an abstract.

    Raises:
        IngestError: no abstract column, a malformed row (its record and line are named), or
            no row with an abstract.
    """
    text = decode_text(name, data)
    first = text.split("\n", 1)[0].rstrip("\r")
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    try:
        header = [c.strip().lstrip("\ufeff").lower() for c in next(reader)]
        roles = _roles(name, header)
        docs: list[SourceDocument] = []
        skipped: list[str] = []
        line = reader.line_num + 1
        for position, row in enumerate(reader, 1):
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise IngestError(
                    f"{name}: record {position} (line {start}) has {len(row)} fields, the header "
                    f"{len(header)}. Check its quotes and delimiters."
                )
            cell = {r: " ".join(row[i].split()) for r, i in roles.items() if i < len(row)}
            if not cell.get("abstract") or _NO_ABSTRACT.match(cell["abstract"]):
                skipped.append(f"record {position} (line {start})")
                continue
            meta = _metadata(cell)
            docs.append(
                record_document(
                    name,
                    "csv",
                    position=position,
                    line=start,
                    key=None,
                    metadata=meta,
                    abstract=cell["abstract"],
                )
            )
    except _csv.Error as e:
        raise IngestError(f"{name}: line {reader.line_num}: malformed CSV ({e}).") from e
    return with_skipped_note(name, docs, skipped)
