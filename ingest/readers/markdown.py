"""Markdown (.md): normalize already turns its headings and pipe tables into the layout."""

from __future__ import annotations

from ingest.readers.checks import decode_text
from ingest.readers.common import text_document
from ingest.records import SourceDocument


def sniff(head: bytes) -> bool:
    """Markdown is plain text with conventions; only the suffix tells it apart."""
    return False


def read(name: str, data: bytes) -> list[SourceDocument]:
    return [text_document(name, decode_text(name, data), "markdown")]
