"""PDF: the text layer, laid out as the plain-text layout, with the offset of each page.

pdfminer.six was chosen by measurement (see docs/benchmarks.md): of pypdf, pdfminer.six and
pypdfium2 it is the one whose layout analysis keeps two columns in reading order and exposes
each character's size and position, so superscript citations can be told from the text
around them. Tables come out of it as one box per column; :func:`_table_groups` puts boxes
whose lines share baselines back into rows.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable

from ingest.readers.common import file_name
from ingest.readers.layout import one_line, superscript
from ingest.records import IngestError, SourceDocument
from ingest.structure import doc_id_for

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_LIST_ITEM = re.compile(r"(?:\[\d{1,4}\]|\d{1,4}\.)\s+\S")
_HYPHEN_END = re.compile(r"[a-z]-$")
_CAPTION = re.compile(r"Table\s+\d+[.:]")


def sniff(head: bytes) -> bool:
    """``%PDF-`` near the start (some writers put a few bytes before it)."""
    return b"%PDF-" in head[:1024]


# --------------------------------------------------------------------------- lines


def _line_text(line: object) -> str:
    """A text line with superscripts (smaller, raised characters) marked for the layout."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return line.get_text().strip()
    size = max(c.size for c in chars)
    base = statistics.median(c.y0 for c in chars if c.size >= 0.85 * size)
    out: list[str] = []
    sup: list[str] = []
    for item in line:
        text = item.get_text()
        raised = (
            isinstance(item, LTChar) and item.size < 0.85 * size and item.y0 > base + 0.2 * size
        )
        if raised:
            sup.append(text)
            continue
        if sup:
            before = "".join(out)
            out.append(superscript(before, "".join(sup)))
            sup = []
        out.append(text)
    if sup:
        out.append(superscript("".join(out), "".join(sup)))
    return "".join(out).translate(_LIGATURES).replace("\n", "").rstrip()


def _size(line: object) -> float:
    from pdfminer.layout import LTChar

    return max((c.size for c in line if isinstance(c, LTChar)), default=0.0)


def _join_lines(lines: list[tuple[str, float]]) -> list[str]:
    """A text box as layout lines: wrapped lines joined (``depo-`` + ``sition``); a change of
    font size (a heading above its paragraph) and list items (references) start a new line."""
    listing = len(lines) > 1 and bool(_LIST_ITEM.match(lines[0][0]))
    out: list[str] = []
    last_size = 0.0
    for raw, size in lines:
        line = raw.strip()
        if not line:
            continue
        resized = abs(size - last_size) > 0.1 * max(size, last_size)
        last_size = size
        if not out or resized or (listing and _LIST_ITEM.match(line)):
            out.append(line)
        elif _HYPHEN_END.search(out[-1]) and line[:1].islower():
            out[-1] = out[-1][:-1] + line
        elif out[-1].endswith("-"):
            out[-1] += line
        else:
            out[-1] += " " + line
    return out


# --------------------------------------------------------------------------- tables


def _baselines(box: object) -> set[int]:
    return {round(line.y0) for line in box}


def _table_groups(boxes: list, text_width: float) -> list[list]:
    """Groups of narrow boxes side by side whose lines share baselines: a table's columns."""
    narrow = [b for b in boxes if b.width < 0.4 * text_width and len(list(b)) >= 2]
    groups: list[list] = []
    for box in narrow:
        lines = _baselines(box)
        home = next((g for g in groups if any(len(lines & _baselines(o)) >= 2 for o in g)), None)
        if home is None:
            groups.append([box])
        else:
            home.append(box)
    return [g for g in groups if len(g) >= 2]


def _table_rows(group: list) -> list[str]:
    """The group's lines as TAB-separated rows, top row (the header) first."""
    columns = sorted(group, key=lambda b: b.x0)
    ys = sorted({y for b in columns for y in _baselines(b)}, reverse=True)
    rows = []
    for y in ys:
        cells = []
        for box in columns:
            hit = [ln for ln in box if abs(round(ln.y0) - y) <= 1]
            cells.append(one_line(_line_text(hit[0])) if hit else "")
        rows.append("\t".join(cells))
    return rows


# --------------------------------------------------------------------------- pages


def _page_blocks(page: object) -> list[str]:
    """One page as layout blocks (paragraphs, headings, tables) in reading order."""
    from pdfminer.layout import LTTextBox

    boxes = [el for el in page if isinstance(el, LTTextBox)]
    if not boxes:
        return []
    left = min(b.x0 for b in boxes)
    width = max(b.x1 for b in boxes) - left
    groups = _table_groups(boxes, width)
    in_table = {id(b): g for g in groups for b in g}
    blocks: list[str] = []
    done: set[int] = set()
    for box in boxes:
        group = in_table.get(id(box))
        if group is not None:
            if id(group) not in done:
                done.add(id(group))
                rows = "\n".join(_table_rows(group))
                if blocks and _CAPTION.match(blocks[-1]):  # rows right under their caption
                    blocks[-1] += "\n" + rows
                else:
                    blocks.append(rows)
            continue
        lines = _join_lines([(_line_text(line), _size(line)) for line in box])
        if lines and not re.fullmatch(r"\d{1,4}", lines[0]):  # a page number alone
            blocks.append("\n".join(lines))
    return blocks


def _pages(name: str, data: bytes) -> Iterable[object]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        yield from extract_pages(io.BytesIO(data), laparams=LAParams())
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise IngestError(
            f"{name}: encrypted PDF: it needs a password to open. Save an unencrypted copy "
            "(e.g. `qpdf --decrypt --password=… in.pdf out.pdf`) and ingest that."
        ) from e
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError) as e:
        raise IngestError(f"{name}: not a readable PDF ({type(e).__name__}: {e}).") from e


def _running_key(block: str) -> str:
    return re.sub(r"\d+", "#", block.strip().lower())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Without the running heads and feet: a page's first or last short block that recurs
    (numbers aside) at the top or foot of at least three pages and half of them
    (``J. Test. 2024, 12, #``, ``Page # of #``)."""
    if len(pages) < 3:
        return pages

    def ends(blocks: list[str]) -> set[str]:
        return {_running_key(b) for b in (blocks[:1] + blocks[-1:]) if len(b) < 120}

    counts = Counter(key for blocks in pages for key in ends(blocks))
    repeated = {k for k, n in counts.items() if n >= max(3, len(pages) / 2)}
    out = []
    for blocks in pages:
        keep = list(blocks)
        while keep and _running_key(keep[0]) in repeated:
            keep.pop(0)
        while keep and _running_key(keep[-1]) in repeated:
            keep.pop()
        out.append(keep)
    return out


def read(name: str, data: bytes) -> list[SourceDocument]:
    """The text layer of every page; ``pages`` holds where each page starts in the text.

    Raises:
        IngestError: encrypted, unreadable, or without a text layer (a scan: run OCR first).
    """
    pages = _drop_running_lines([_page_blocks(page) for page in _pages(name, data)])
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for blocks in pages:
        starts.append(offset)
        text = "\n\n".join(blocks)
        text = text + "\n\n" if text else ""
        parts.append(text)
        offset += len(text)
    full = "".join(parts)
    if not full.strip():
        raise IngestError(
            f"{name}: no text layer: run OCR first (e.g. `ocrmypdf in.pdf out.pdf`), "
            "then ingest the result."
        )
    return [SourceDocument(doc_id_for(name), file_name(name), "pdf", full, pages=tuple(starts))]
