"""The one plain-text layout every reader writes and ``ingest.structure`` reads.

Readers of structured formats (JATS, HTML, exports, PDF) collect an :class:`Article` and call
:func:`render`, so the rules of the layout live in one place: the title on the first line, the
byline and venue under it, an ``Abstract`` heading, one paragraph per line with blank lines
between blocks, numbered headings on lines of their own (structure recognises ``2. Results``),
``Table N. caption`` followed by TAB-separated rows (header first), and ``References`` followed by
one numbered reference per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import DocumentMetadata


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts, the header row first."""

    caption: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """A heading (None for text before the first heading) and its paragraphs and tables."""

    heading: str | None
    blocks: tuple[str | Table, ...]


@dataclass(frozen=True)
class Article:
    title: str = ""
    byline: str = ""
    venue_line: str = ""
    abstract: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    references: tuple[str, ...] = ()


_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_NUMBERED = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s")


def one_line(text: str) -> str:
    """Whitespace runs (line breaks, tabs, no-break spaces) as one space: a layout line."""
    return _SPACE.sub(" ", text).strip()


_CITATION_SUP = re.compile(r"\d{1,4}(?:\s*[,–\-]\s*\d{1,4})*")
_UNIT_BEFORE = re.compile(
    r"(?:^|[\s(/·])(?:[kmcμnp]?m|[mkμ]?g|[mμ]?[AVWL]h?|mAh|s|h|min|Å|K|°C|mol|[mk]?Pa|eV|S|Ω)$"
)


def superscript(before: str, content: str) -> str:
    """A superscript in the layout: ``[12]`` when it is a citation, else ``^{…}``.

    Numbers, commas and ranges right after a word (not after a unit or a digit) are
    citation marks in this literature (``…on Na.¹²``); ``cm²``, ``10⁻⁸``, ``Li⁺`` are exponents
    and charges, which normalize reads from ``^{…}``.

    >>> superscript("as reported earlier", "1,2"), superscript("1 mA cm", "−2")
    ('[1,2]', '^{−2}')
    >>> superscript("an area of 2 cm", "2"), superscript("Sn", "4+")
    ('^{2}', '^{4+}')
    """
    content = content.strip()
    tail = before.rstrip()
    if (
        _CITATION_SUP.fullmatch(content)
        and tail
        and not tail[-1].isdigit()
        and (tail[-1].isalpha() or tail[-1] in ".,;:)]")
        and not _UNIT_BEFORE.search(tail)
    ):
        compact = re.sub(r"\s+", "", content)
        return f"[{compact}]"
    return f"^{{{content}}}"


def venue_line(meta: DocumentMetadata) -> str:
    """``Journal, 2021, 12, 345. doi:10.…`` from what the metadata states."""
    parts = [p for p in (meta.venue, str(meta.year) if meta.year else None, meta.volume) if p]
    if meta.first_page:
        parts.append(meta.first_page)
    line = ", ".join(parts)
    if meta.doi:
        line = f"{line}. doi:{meta.doi}" if line else f"doi:{meta.doi}"
    return line


def render(article: Article) -> str:
    """The article as layout text (see the module docstring).

    >>> article = Article("A title here", abstract=("One. Two.",), references=("Doe, J. 2020.",),
    ...     sections=(Section("Results", ("Text.", Table("Table 1. T.", (("a", "b"), ("1", "2"))))),))
    >>> print(render(article).replace(chr(9), " | "))
    A title here
    <BLANKLINE>
    Abstract
    One. Two.
    <BLANKLINE>
    1. Results
    <BLANKLINE>
    Text.
    <BLANKLINE>
    Table 1. T.
    a | b
    1 | 2
    <BLANKLINE>
    References
    1. Doe, J. 2020.
    <BLANKLINE>
    """
    head = [one_line(x) for x in (article.title, article.byline, article.venue_line)]
    out: list[str] = ["\n".join(x for x in head if x)]
    if article.abstract:
        out.append("Abstract\n" + "\n\n".join(one_line(p) for p in article.abstract if p.strip()))
    tables = 0
    numbered = 0
    for section in article.sections:
        if section.heading and one_line(section.heading):
            heading = one_line(section.heading).rstrip(".:")
            if not _NUMBERED.match(heading + " "):
                numbered += 1
                heading = f"{numbered}. {heading[:1].upper()}{heading[1:]}"
            out.append(heading)
        for block in section.blocks:
            if isinstance(block, Table):
                tables += 1
                out.append(_render_table(block, tables))
            elif one_line(block):
                out.append(one_line(block))
    if article.references:
        refs = [f"{i}. {one_line(r)}" for i, r in enumerate(article.references, 1)]
        out.append("References\n" + "\n".join(refs))
    return "\n\n".join(x for x in out if x) + "\n"


def _render_table(table: Table, number: int) -> str:
    caption = one_line(table.caption)
    m = re.match(r"(?i)table\s*(\d+)\s*[.:]?\s*", caption)
    caption = caption[m.end() :] if m else caption
    lines = [f"Table {number}. {caption or 'Untitled.'}"]
    width = max((len(r) for r in table.rows), default=0)
    for row in table.rows:
        cells = [one_line(c) for c in row] + [""] * (width - len(row))
        if any(cells):  # an empty row would end the table (a blank line)
            lines.append("\t".join(cells))
    return "\n".join(lines)
