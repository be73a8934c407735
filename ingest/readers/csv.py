"""csv reader (placeholder until its reader lands)."""

from __future__ import annotations

from ingest.records import IngestError, SourceDocument


def sniff(head: bytes) -> bool:
    return False


def read(name: str, data: bytes) -> list[SourceDocument]:
    raise IngestError(f"{name}: the csv reader is not available yet.")
