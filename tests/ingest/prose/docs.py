"""Small documents for the prose tests, built in memory (no structure stage, no files)."""

from __future__ import annotations

import re

from ingest.records import (
    CoatingRecord,
    NormalizedText,
    Sentence,
    Span,
    StructuredDocument,
)


def make_doc(*paragraphs: list[str], kind: str = "review") -> StructuredDocument:
    """A StructuredDocument from paragraphs of sentences; citations read from `[n]`."""
    text, sentences = "", []
    for p, paragraph in enumerate(paragraphs):
        for sent in paragraph:
            start = len(text)
            text += sent + " "
            cites = tuple(int(n) for g in re.findall(r"\[([\d,\s]+)\]", sent) for n in g.split(","))
            sentences.append(
                Sentence(len(sentences), sent, start, start + len(sent), "3", p, cites)
            )
        text += "\n"
    norm = NormalizedText(text, text, tuple(range(len(text) + 1)))
    return StructuredDocument(
        "t", "t.txt", "T", norm, (), tuple(sentences), (), (), (), (), kind=kind
    )


def table_row(ref: int, material: str, substrate: str = "Li") -> CoatingRecord:
    return CoatingRecord("t", ref, material, "ALD", substrate, Span("t", 0, 0, ""), "table")
