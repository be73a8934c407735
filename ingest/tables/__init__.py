"""Coatings tables → :class:`CoatingRecord` rows, one per table row, read by header meaning.

The package follows the data flow of one row: :mod:`.columns` (what each column holds, from
its header words and unit), :mod:`.identity` (material, technique, substrate, year, cited
study), :mod:`.process` (precursor steps and times), :mod:`.amounts` (temperature, thickness,
deposition cycles), :mod:`.performance` (results under their cell test), and :mod:`.rows`
(the table reader that composes them).
"""

from ingest.tables.amounts import parse_thickness_cycles
from ingest.tables.columns import columns, missing_identifying_columns
from ingest.tables.performance import parse_performance
from ingest.tables.process import parse_process
from ingest.tables.rows import extract_tables, table_records

__all__ = [
    "columns",
    "extract_tables",
    "missing_identifying_columns",
    "parse_performance",
    "parse_process",
    "parse_thickness_cycles",
    "table_records",
]
