"""RIS exports (.ris, or a .txt that is one): one primary-study document per record.

rispy parses the records; a record it would silently drop or merge (one without its closing
``ER  -`` line) is found first by :func:`_record_lines`, so the file is refused with its line.
"""

from __future__ import annotations

import re

import rispy

from ingest.readers.checks import decode_text
from ingest.readers.common import clean_doi, record_document, with_skipped_note, year_of
from ingest.records import DocumentMetadata, IngestError, SourceDocument

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")


def sniff(head: bytes) -> bool:
    """The first non-blank line is a ``TY  - `` tag."""
    first = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return first.startswith(b"TY  -")


def _record_lines(name: str, text: str) -> list[int]:
    """The 1-based line where each record starts; refuse a record without ``ER``."""
    starts: list[int] = []
    open_at: int | None = None
    for number, line in enumerate(text.splitlines(), 1):
        m = _TAG.match(line)
        if not m:
            continue
        if m.group(1) == "TY":
            if open_at is not None:
                raise _unclosed(name, len(starts), open_at, before=number)
            open_at = number
            starts.append(number)
        elif m.group(1) == "ER":
            if open_at is None:
                raise IngestError(f"{name}: line {number}: 'ER  -' without a record (no 'TY  -').")
            open_at = None
    if open_at is not None:
        raise _unclosed(name, len(starts), open_at, before=None)
    return starts


def _unclosed(name: str, record: int, line: int, *, before: int | None) -> IngestError:
    where = f"before the next record at line {before}" if before else "before the end of the file"
    return IngestError(
        f"{name}: RIS record {record} (line {line}) has no 'ER  -' line {where}. "
        "Add the missing 'ER  - ' and retry."
    )


def _first(record: dict, *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        if value and str(value).strip():
            return " ".join(str(value).split())
    return ""


def _metadata(record: dict) -> DocumentMetadata:
    authors = record.get("authors") or record.get("first_authors") or []
    return DocumentMetadata(
        title=_first(record, "title", "primary_title") or None,
        authors=tuple(" ".join(a.split()) for a in authors if a.strip()),
        year=year_of(_first(record, "year", "publication_year", "date")),
        venue=_first(
            record, "journal_name", "secondary_title", "alternate_title1", "alternate_title3"
        )
        or None,
        volume=_first(record, "volume") or None,
        first_page=_first(record, "start_page") or None,
        doi=clean_doi(_first(record, "doi")),
    )


def read(name: str, data: bytes) -> list[SourceDocument]:
    """One document per record that has an abstract (``AB`` or ``N2``).

    Raises:
        IngestError: a record has no ``ER`` line (its number and line are named), or no record
            has an abstract.
    """
    text = decode_text(name, data)
    lines = _record_lines(name, text)
    try:
        records = rispy.loads(text)
    except Exception as e:  # rispy's own parse errors name no file
        raise IngestError(f"{name}: not a readable RIS file ({e}).") from e
    docs: list[SourceDocument] = []
    skipped: list[str] = []
    for position, (record, line) in enumerate(zip(records, lines, strict=False), 1):
        abstract = _first(record, "abstract", "notes_abstract")
        if not abstract:
            skipped.append(f"record {position} (line {line})")
            continue
        docs.append(
            record_document(
                name,
                "ris",
                position=position,
                line=line,
                key=None,
                metadata=_metadata(record),
                abstract=abstract,
            )
        )
    return with_skipped_note(name, docs, skipped)
