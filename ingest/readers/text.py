"""Plain text (.txt): already the layout ``ingest.structure`` reads."""

from __future__ import annotations

from ingest.readers.checks import decode_text
from ingest.readers.common import text_document
from ingest.records import SourceDocument


def sniff(head: bytes) -> bool:
    """Plain text is what is left when no other format recognises the content."""
    return False


def read(name: str, data: bytes) -> list[SourceDocument]:
    return [text_document(name, decode_text(name, data), "text")]
