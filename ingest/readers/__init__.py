"""Readers: one module per input format, each turning a file into :class:`SourceDocument`\\ s.

A format is chosen by sniffing the content first (an ``.xml`` that is JATS, a ``.txt`` that is
really an RIS export), then by the file's suffix. Every reader renders its format to the one
plain-text layout that ``ingest.structure`` reads (see :mod:`ingest.readers.layout`), so no
later stage knows which format a document came in.

>>> detect("refs.txt", b"TY  - JOUR\\nTI  - A title\\nER  - \\n").name
'ris'
>>> detect("paper.md", b"# A title\\n\\nSome text.\\n").name
'markdown'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.readers import bibtex, csv, html, jats, markdown, pdf, ris, text
from ingest.readers.checks import MAX_BYTES, MAX_PDF_BYTES, read_bytes
from ingest.readers.common import record_origin
from ingest.records import IngestError, SourceDocument


@dataclass(frozen=True)
class Reader:
    """One format: the suffixes it owns, how to recognise its content, how to read it."""

    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[str, bytes], list[SourceDocument]]
    max_bytes: int = MAX_BYTES


# Sniffed in this order; text and markdown recognise nothing and are chosen by suffix.
READERS: tuple[Reader, ...] = (
    Reader("pdf", (".pdf",), pdf.sniff, pdf.read, MAX_PDF_BYTES),
    Reader("jats", (".xml", ".nxml"), jats.sniff, jats.read),
    Reader("html", (".html", ".htm", ".xhtml"), html.sniff, html.read),
    Reader("ris", (".ris",), ris.sniff, ris.read),
    Reader("bibtex", (".bib", ".bibtex"), bibtex.sniff, bibtex.read),
    Reader("csv", (".csv", ".tsv"), csv.sniff, csv.read),
    Reader("markdown", (".md", ".markdown"), markdown.sniff, markdown.read),
    Reader("text", (".txt",), text.sniff, text.read),
)

#: Every suffix read, the plain-text ones first (as messages list them).
SUFFIXES: tuple[str, ...] = tuple(s for r in reversed(READERS) for s in r.suffixes)


def reader_for_suffix(name: str) -> Reader | None:
    suffix = Path(name).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def detect(name: str, head: bytes) -> Reader:
    """The reader for a file: by its content when that is recognisable, else by its suffix.

    Raises:
        IngestError: neither content nor suffix is of a supported format.
    """
    for reader in READERS:
        if reader.sniff(head):
            return reader
    by_suffix = reader_for_suffix(name)
    if by_suffix is None:
        raise IngestError(
            f"{name}: unknown format (suffix {Path(name).suffix or 'none'!r}). "
            f"Supported: {', '.join(SUFFIXES)}."
        )
    return by_suffix


def read_bytes_as_documents(name: str, data: bytes) -> list[SourceDocument]:
    """An uploaded file's documents (the app): the same checks and readers as for files."""
    reader = detect(name, data[:8192])
    if len(data) > reader.max_bytes:
        from ingest.readers.checks import over_limit

        raise over_limit(name, len(data), reader.max_bytes)
    return reader.read(name, data)


def read_path(path: str | Path) -> list[SourceDocument]:
    """A file's documents: one for an article, one per record for an export.

    The file must be regular (not a link) and within its format's size limit, which is checked
    before the file is read.
    """
    p = Path(path)
    reader = reader_for_suffix(p.name)
    limit = max(r.max_bytes for r in READERS) if reader is None else reader.max_bytes
    data = read_bytes(p, limit=limit)
    return read_bytes_as_documents(str(p), data)


__all__ = [
    "READERS",
    "SUFFIXES",
    "Reader",
    "detect",
    "read_bytes_as_documents",
    "read_path",
    "record_origin",
]
