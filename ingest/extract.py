"""The extract stage: table rows and prose sentences of one document become records.

Kept a thin composition so each reader (``ingest.tables``, ``ingest.prose``) can be tested
alone; prose needs the table records so it adds only what the tables do not already say.
"""

from __future__ import annotations

from ingest.prose import extract_prose
from ingest.records import ExtractedDocument, StructuredDocument
from ingest.tables import extract_tables


def extract(doc: StructuredDocument) -> ExtractedDocument:
    """Read the document's tables, then its prose, into one ExtractedDocument."""
    table_records, table_warnings = extract_tables(doc)
    prose_records, material_facts, prose_warnings = extract_prose(doc, table_records)
    return ExtractedDocument(
        document=doc,
        coatings=(*table_records, *prose_records),
        material_facts=tuple(material_facts),
        warnings=(*table_warnings, *prose_warnings),
    )
