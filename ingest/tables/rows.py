"""Coatings tables → one :class:`CoatingRecord` per row.

A table is a coatings table when a column holds the material (or, in a primary study, when it
reports results of the document's own coating). Every cell is read by the module of its job
(columns, process, amounts, performance, identity); a cell that cannot be read becomes a note
on its row, never an error for the document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ingest.quantities import UnitError
from ingest.records import CoatingRecord, StructuredDocument, TableBlock, TableRow
from ingest.tables import amounts, identity
from ingest.tables.columns import Columns, columns
from ingest.tables.performance import row_results
from ingest.tables.process import parse_process, repair_spills
from ingest.tables.terms import vocab

__all__ = ["extract_tables", "table_records"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_REQUIRED = ("material", "process", "temperature", "thickness", "ref")


def guarded(notes: list[str], what: str, read: Callable[[], T], default: T) -> T:
    """``read()``, or ``default`` with a note when the cell is one no rule can read."""
    try:
        return read()
    except (UnitError, ValueError, IndexError, ArithmeticError) as e:
        notes.append(f"could not read the {what} cell ({type(e).__name__}: {e})")
        log.debug("unreadable %s cell", what, exc_info=True)
        return default


@dataclass(frozen=True)
class _Context:
    """What a table's rows share: columns, technique, metals, the document."""

    table: TableBlock
    doc: StructuredDocument
    found: Columns
    technique: str | None
    metals: list[str]


def _context(table: TableBlock, doc: StructuredDocument, found: Columns) -> _Context:
    process = found.get("process")
    technique = identity.caption_technique(table, process.header if process else "")
    return _Context(table, doc, found, technique, identity.context_metals(table, doc))


def _warnings(table: TableBlock, found: Columns, doc: StructuredDocument) -> list[str]:
    required = [r for r in _REQUIRED if not (r == "ref" and doc.kind == "primary")]
    missing = [
        r
        for r in required
        if r not in found and not (r == "thickness" and "thickness_cycles" in found)
    ]
    return [
        f"Table {table.number}: header {list(table.header)} has no {role} column; "
        f"rows are read without {role}."
        for role in missing
    ]


def _setup(cells: list[str], ctx: _Context, notes: list[str]) -> dict[str, tuple]:
    """Temperatures, thicknesses and deposition cycles of a row."""
    found = ctx.found
    temps = guarded(
        notes,
        "temperature",
        lambda: amounts.temperatures(found.cell(cells, "temperature"), found.get("temperature")),
        (),
    )
    thicknesses: tuple = ()
    cycles: tuple = ()
    if "thickness_cycles" in found:
        cell = found.cell(cells, "thickness_cycles")
        thicknesses, cycles = guarded(
            notes, "thickness", lambda: amounts.parse_thickness_cycles(cell), ((), ())
        )
        if amounts.has_labels(cell):
            notes.append(cell)
    elif "thickness" in found:
        column = found.get("thickness")
        cell = found.cell(cells, "thickness")
        thicknesses, cycles = guarded(
            notes, "thickness", lambda: amounts.read_thickness(cell, column), ((), ())
        )
    if "cycles" in found:
        cell = found.cell(cells, "cycles")
        cycles = (
            guarded(
                notes,
                "cycles",
                lambda: amounts.column_values(cell, "cycles", "DepositionCycles"),
                (),
            )
            or cycles
        )
        if not thicknesses:  # "10.5 nm" under "dose": a thickness whatever the column's name
            thicknesses = guarded(notes, "cycles", lambda: amounts.lengths(cell), ())
    return {"temperatures": temps, "thicknesses": thicknesses, "deposition_cycles": cycles}


def _technique(
    cells: list[str], ctx: _Context, precursors: tuple[str, ...]
) -> tuple[str | None, tuple[str, ...]]:
    technique, notes = identity.row_technique(ctx.found.cell(cells, "technique"), ctx.technique)
    if technique == "ALD" and any("plasma" in p.lower() for p in precursors):
        concept = vocab().lookup("Technique", "plasma-enhanced ALD")
        technique = concept.label if concept else "plasma-enhanced ALD"
    return technique, notes


def _ref(cells: list[str], ctx: _Context) -> int | None:
    """The cited study of a review's row; a primary study's rows are its own (None)."""
    if ctx.doc.kind == "primary" and "ref" not in ctx.found:
        return None
    return identity.study_number(ctx.found.cell(cells, "ref"), ctx.doc)


def read_row(row: TableRow, cells: list[str], ctx: _Context) -> CoatingRecord | None:
    """One row → a coating record (None when its material cell is empty)."""
    found, table = ctx.found, ctx.table
    material, notes_m = identity.material(found.cell(cells, "material"))
    if not material:
        return None
    notes: list[str] = list(notes_m)
    span = ctx.doc.span(
        row.start,
        row.end,
        section=table.section,
        table=table.number,
        row=row.number,
        rule="table-row",
    )
    steps, precursors, process_notes = guarded(
        notes, "process", lambda: parse_process(found.cell(cells, "process"), table), ((), (), ())
    )
    notes.extend(process_notes)
    technique, technique_notes = _technique(cells, ctx, precursors)
    notes.extend(technique_notes)
    setup = _setup(cells, ctx, notes)
    measurements, cell_tests, perf_notes = guarded(
        notes,
        "performance",
        lambda: row_results(cells, found, span.with_rule("table-performance")),
        ((), (), ()),
    )
    year, other_years = identity.year(found.cell(cells, "year"))
    if other_years:
        notes.append(f"also year {', '.join(map(str, other_years))}")
    row_text = [found.cell(cells, r) for r in ("cell", "electrolyte", "performance")]
    substrate = identity.substrate_of(found.cell(cells, "substrate"), row_text, ctx.metals)
    return CoatingRecord(
        doc=ctx.doc.doc_id,
        ref=_ref(cells, ctx),
        material=material,
        technique=technique,
        substrate=substrate,
        anode_metal=identity.anode_metal(substrate, row_text, ctx.metals),
        span=span,
        source="table",
        year=year,
        precursors=precursors,
        steps=steps,
        cell_tests=cell_tests,
        measurements=measurements,
        notes=(*notes, *perf_notes),
        **setup,
    )


def read_table(table: TableBlock, doc: StructuredDocument) -> tuple[list[CoatingRecord], list[str]]:
    """One table → (records, warnings); a table without a material column is not a coatings
    table and is left to the prose reader."""
    found = columns(table.header)
    if "material" not in found:
        return [], [
            f"Table {table.number}: no Material column in header {list(table.header)}; "
            "not read as a coating table."
        ]
    warnings = _warnings(table, found, doc)
    ctx = _context(table, doc, found)
    cells = repair_spills([list(r.cells) for r in table.rows], found)
    records: list[CoatingRecord] = []
    for row, row_cells in zip(table.rows, cells, strict=True):
        record = read_row(row, row_cells, ctx)
        if record is None:
            warnings.append(
                f"Table {table.number}, row {row.number}: empty material cell; skipped."
            )
        else:
            records.append(record)
    return records, warnings


def table_records(table: TableBlock, doc: StructuredDocument) -> list[CoatingRecord]:
    """The coating records of one summary table (warnings dropped; see extract_tables)."""
    return read_table(table, doc)[0]


def extract_tables(doc: StructuredDocument) -> tuple[list[CoatingRecord], list[str]]:
    """Every coating summary table of a document → (records, warnings)."""
    records: list[CoatingRecord] = []
    warnings: list[str] = []
    for table in doc.tables:
        recs, warns = read_table(table, doc)
        records.extend(recs)
        warnings.extend(warns)
    return records, warnings
