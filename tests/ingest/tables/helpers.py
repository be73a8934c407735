"""Small builders for table tests: a document holding tables, a table from rows."""

from __future__ import annotations

from ingest.records import NormalizedText, Reference, StructuredDocument, TableBlock, TableRow


def doc_with(
    *tables: TableBlock,
    title: str = "A review",
    kind: str = "review",
    references: tuple[Reference, ...] = (),
) -> StructuredDocument:
    text = "x" * 10000
    return StructuredDocument(
        doc_id="d",
        path="d.txt",
        title=title,
        normalized=NormalizedText(text, text, tuple(range(len(text) + 1))),
        sections=(),
        sentences=(),
        captions=(),
        tables=tables,
        glossary=(),
        references=references,
        kind=kind,
    )


def table_of(
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    *,
    caption: str = "Table 2. Films grown on lithium metal anodes.",
    number: int = 2,
) -> TableBlock:
    trows = tuple(TableRow(cells, 20 * i, 20 * i + 19, i + 1) for i, cells in enumerate(rows))
    return TableBlock(number, caption, header, trows, 0, 400, None)


def reference(number: int, first_author: str, year: int) -> Reference:
    return Reference(
        number,
        f"{first_author}, A. et al. ({year}).",
        (f"{first_author}, A.",),
        None,
        None,
        year,
        None,
        0,
        0,
    )
