"""Helpers every reader shares: document ids, names, and an export record as a document."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingest.readers.layout import Article, render, venue_line
from ingest.records import DocumentMetadata, IngestError, SourceDocument
from ingest.structure import doc_id_for

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")


def file_name(name: str) -> str:
    """The name a document's provenance shows: the file name without its folder."""
    return Path(name).name


def clean_doi(raw: str | None) -> str | None:
    """A bare, lower-cased DOI from ``https://doi.org/10.…``, ``doi:10.…`` or ``10.…``."""
    if not raw:
        return None
    m = _DOI.search(raw.strip())
    return m.group(0).rstrip(".,;").lower() if m else None


def year_of(raw: str | None) -> int | None:
    """The first plausible year in a date field (``2021``, ``2021/03/04/``, ``Mar 2021``)."""
    m = _YEAR.search(raw or "")
    return int(m.group(1)) if m else None


def record_origin(path: str) -> tuple[str, int] | None:
    """The export file's document id and the record's position, from a record document's path.

    Export records are documents of their own (``export-bibtex-adair2019``), but a user (and
    the dev set's gold) names them by file and position: ``("export-bibtex", 1)``.

    >>> record_origin("export-bibtex.bib#1"), record_origin("paper.txt")
    (('export-bibtex', 1), None)
    """
    head, sep, tail = path.rpartition("#")
    if not sep or not tail.isdigit():
        return None
    return doc_id_for(head), int(tail)


def text_document(name: str, text: str, format: str) -> SourceDocument:
    """A document whose text already is the layout (plain text, Markdown)."""
    return SourceDocument(doc_id_for(name), file_name(name), format, text)


def record_document(
    name: str,
    format: str,
    *,
    position: int,
    line: int,
    key: str | None,
    metadata: DocumentMetadata,
    abstract: str,
) -> SourceDocument:
    """One record of an export as a primary-study document: title, byline, venue, abstract.

    Its id is the file's id plus the record key (BibTeX) or position, its path ``file#N``.
    """
    suffix = doc_id_for(key) if key else str(position)
    article = Article(
        title=metadata.title or "",
        byline=("; " if any("," in a for a in metadata.authors) else ", ").join(metadata.authors),
        venue_line=venue_line(metadata),
        abstract=(abstract,),
    )
    return SourceDocument(
        doc_id=f"{doc_id_for(name)}-{suffix}",
        path=f"{file_name(name)}#{position}",
        format=format,
        text=render(article),
        metadata=metadata,
        record=position,
        line=line,
    )


def with_skipped_note(
    name: str, docs: list[SourceDocument], skipped: list[str]
) -> list[SourceDocument]:
    """Records without an abstract are left out; the first document says which, or, when
    none has one, the file is refused."""
    if not docs:
        raise IngestError(
            f"{file_name(name)}: no record has an abstract. Export the references with their "
            "abstracts (the graph is built from the abstracts' text)."
        )
    if skipped:
        note = f"{len(skipped)} record(s) without an abstract left out: {', '.join(skipped[:5])}"
        note += " …" if len(skipped) > 5 else ""
        docs[0] = replace(docs[0], notes=(*docs[0].notes, note))
    return docs
