"""BibTeX exports (.bib): one primary-study document per record with an abstract.

Parsed with bibtexparser (v2); LaTeX in fields becomes plain text (:mod:`.latex`).
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from ingest.readers.checks import decode_text
from ingest.readers.common import clean_doi, record_document, with_skipped_note, year_of
from ingest.readers.latex import latex_to_text
from ingest.records import DocumentMetadata, IngestError, SourceDocument

_START = re.compile(rb"\A(?:\s*%[^\n]*\n)*\s*@[A-Za-z]+\s*[{(]")


def sniff(head: bytes) -> bool:
    """The first thing after comments is an ``@type{`` block."""
    return bool(_START.match(head.lstrip(b"\xef\xbb\xbf")))


def _field(entry: Entry, *names: str) -> str:
    for name in names:
        field = entry.fields_dict.get(name)
        if field is not None and str(field.value).strip():
            return " ".join(latex_to_text(str(field.value)).split())
    return ""


def _metadata(entry: Entry) -> DocumentMetadata:
    authors = tuple(a.strip() for a in re.split(r"\s+and\s+", _field(entry, "author")) if a.strip())
    pages = _field(entry, "pages")
    first_page = re.split(r"\s*[-–—]+\s*", pages)[0] if pages else None
    return DocumentMetadata(
        title=_field(entry, "title") or None,
        authors=authors,
        year=year_of(_field(entry, "year", "date")),
        venue=_field(entry, "journal", "journaltitle", "booktitle") or None,
        volume=_field(entry, "volume") or None,
        first_page=first_page or None,
        doi=clean_doi(_field(entry, "doi")),
    )


def _refuse(name: str, block: ParsingFailedBlock) -> IngestError:
    line = block.start_line + 1
    reason = str(block.error).strip().splitlines()[-1] if str(block.error).strip() else ""
    if isinstance(block, DuplicateBlockKeyBlock):
        reason = f"the key {block.key!r} is used twice"
    elif not reason or "end of file" in reason.lower():
        reason = "the file ends inside it (an unclosed brace?)"
    return IngestError(
        f"{name}: BibTeX record at line {line} is malformed: {reason.rstrip('.')}. "
        "Fix the record (balance its braces) and retry."
    )


def read(name: str, data: bytes) -> list[SourceDocument]:
    """One document per ``@article``-like record that has an abstract.

    Raises:
        IngestError: a record cannot be parsed (its line is named), or no record has an abstract.
    """
    text = decode_text(name, data)
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # we report failures ourselves
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        raise _refuse(name, library.failed_blocks[0])
    docs: list[SourceDocument] = []
    skipped: list[str] = []
    for position, entry in enumerate(library.entries, 1):
        abstract = _field(entry, "abstract")
        line = entry.start_line + 1
        if not abstract:
            skipped.append(f"record {position} ({entry.key}, line {line})")
            continue
        docs.append(
            record_document(
                name,
                "bibtex",
                position=position,
                line=line,
                key=entry.key,
                metadata=_metadata(entry),
                abstract=abstract,
            )
        )
    return with_skipped_note(name, docs, skipped)
