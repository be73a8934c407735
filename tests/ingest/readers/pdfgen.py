"""Generate test PDFs with reportlab: a title block, two text columns, a ligature, a hyphen at a
line end, superscript citations, a table, a reference list. Used by the PDF tests and bench/.

The text is written for the tests (facts in the style of the field, no published sentences).
"""

from __future__ import annotations

import os
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "Vera"  # ships inside reportlab; has the ﬁ ligature glyph
WIDTH, HEIGHT = A4
MARGIN = 50
GAP = 24
COLUMN = (WIDTH - 2 * MARGIN - GAP) / 2

TITLE = "Alumina skins by atomic layer deposition for lithium anodes"
BYLINE = "A. Writer, B. Tester"
ABSTRACT = (
    "We coat lithium foil with a thin alumina film by atomic layer deposition at 150 °C.",
    "Coated symmetric cells cycle for more than 800 h at 1 mA cm−2.",
)
# One column's lines, pre-broken: a hyphen at a line end, a ligature, superscript citations.
LEFT = (
    "The ﬁlm was grown by atomic layer depo-",
    "sition from trimethylaluminum and water",
    "at 150 °C, as reported earlier^1,2.",
    "LEFT-COLUMN-END marks the last line.",
)
RIGHT = (
    "RIGHT-COLUMN-START opens the second",
    "column. The coated lithium was then",
    "cycled in symmetric cells^3 for a long",
    "time without short circuits.",
)
TABLE = (
    ("Material", "Temperature", "Thickness", "Ref."),
    ("Al2O3", "150 °C", "5 nm", "[1]"),
    ("ZnO", "120 °C", "10 nm", "[2]"),
)
REFERENCES = (
    "1. Doe, J. An earlier film. J. Test. 2019, 1, 1.",
    "2. Roe, R. Another film. J. Test. 2020, 2, 5.",
    "3. Poe, P. Cells that last. J. Test. 2021, 3, 9.",
)


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
        pdfmetrics.registerFont(TTFont(FONT, path))


def _line(c: canvas.Canvas, x: float, y: float, text: str, size: float = 10) -> None:
    """A line where ``^1,2`` is drawn as a raised, smaller superscript."""
    parts = text.split("^")
    c.setFont(FONT, size)
    c.drawString(x, y, parts[0])
    x += pdfmetrics.stringWidth(parts[0], FONT, size)
    for part in parts[1:]:
        sup = part.split(" ")[0].rstrip(".")
        rest = part[len(sup) :]
        c.setFont(FONT, size * 0.6)
        c.drawString(x, y + size * 0.4, sup)
        x += pdfmetrics.stringWidth(sup, FONT, size * 0.6)
        c.setFont(FONT, size)
        c.drawString(x, y, rest)
        x += pdfmetrics.stringWidth(rest, FONT, size)


RUNNING_HEAD = "J. Test. Films 2024, 12"


def _page(c: canvas.Canvas, number: int, *, first: bool, last: bool) -> None:
    c.setFont(FONT, 8)
    c.drawString(MARGIN, HEIGHT - 25, RUNNING_HEAD)
    c.drawString(WIDTH - MARGIN - 60, 25, f"Page {number} of many")
    y = HEIGHT - MARGIN
    if first:
        c.setFont(FONT, 16)
        c.drawString(MARGIN, y, TITLE)
        y -= 22
        c.setFont(FONT, 10)
        c.drawString(MARGIN, y, BYLINE)
        y -= 26
        c.setFont(FONT, 12)
        c.drawString(MARGIN, y, "Abstract")
        y -= 16
        for sentence in ABSTRACT:
            _line(c, MARGIN, y, sentence)
            y -= 14
        y -= 16
    c.setFont(FONT, 12)
    c.drawString(MARGIN, y, f"{number}. Results on page {number}")
    y -= 20
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        _line(c, MARGIN, y - 14 * i, left)
        _line(c, MARGIN + COLUMN + GAP, y - 14 * i, right)
    y -= 14 * len(LEFT) + 20
    c.setFont(FONT, 10)
    c.drawString(MARGIN, y, f"Table {number}. Films grown on page {number}.")
    y -= 16
    for row in TABLE:
        for k, cell in enumerate(row):
            c.drawString(MARGIN + 110 * k, y, cell)
        y -= 14
    if last:
        y -= 16
        c.setFont(FONT, 12)
        c.drawString(MARGIN, y, "References")
        y -= 16
        for ref in REFERENCES:
            _line(c, MARGIN, y, ref, size=9)
            y -= 12


def make_pdf(path: Path, *, pages: int = 1, encrypt: str | None = None) -> Path:
    """Write a test article of ``pages`` pages; ``encrypt`` sets a user password."""
    _font()
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for n in range(1, pages + 1):
        _page(c, n, first=n == 1, last=n == pages)
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF with a drawing but no text layer, as a scan without OCR looks."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(MARGIN, MARGIN, 200, 300, fill=1)
    c.showPage()
    c.save()
    return path
