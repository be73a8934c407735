"""Find the parts of a normalized review: sections, sentences, captions, tables, glossary, refs.

Extraction rules downstream need to know *where* a string sits (a table row is read by
column, a body sentence carries its citations, the reference list says which study ``[94]``
is), so this stage cuts the clean text into records whose offsets point into it.
:meth:`StructuredDocument.span` maps them back to the original text.

All rules are line based: the converter writes one paragraph, heading, caption or table row
per line, separates blocks by blank lines and cells by TABs.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.citations import (
    AFTER_WORD_STOP,
    TRAILING_NUMBERS,
    Citations,
    cites_in_parentheses,
)
from ingest.header import header_metadata, merge
from ingest.kind import decide_kind
from ingest.records import (
    Caption,
    DocumentMetadata,
    GlossaryEntry,
    IngestError,
    NormalizedText,
    Reference,
    Sentence,
    StructuredDocument,
    TableBlock,
    TableRow,
)
from ingest.references import parse_reference as parse_reference  # re-exported
from ingest.references import reference_list

# --------------------------------------------------------------------------- line kinds

# "3.1.2. Fluoride Coatings", and Roman-numbered "II. SODIUM", "II.1 Alumina on sodium".
# "A. Films grown on garnets" is lettered: a capital, a period, then words in sentence case
# (so a byline "M. Ferreira · Notes" is none).
_HEADING = re.compile(
    r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}(?:\.\d{1,2})*\.|[IVX]{1,4}(?:\.\d{1,2})+)"
    r"\s+[A-Z][^\t\[*]*|[A-Z]\.\s+[A-Z][a-z]+\s+[a-z][^\t\[*]*"
)
#: A list item's marker: each item ("* Alumina on a thiophosphate. A film ...") is a paragraph
#: of its own, as review "cards" give one study per item.
_BULLET = re.compile(r"[ \t]*[*•‣◦▪\-][ \t]+(?=\S)")
_BYLINE = re.compile(
    r"(?:[A-Z]\.[ \-]?)+[A-Z][a-z][\w'’\-]*\s*(?:,|\band\b|&)\s*(?:[A-Z]\.[ \-]?)+[A-Z]"
)
_REFERENCES = re.compile(r"(?i)(?:references|bibliography|literature cited|works cited)\s*:?")
_ABSTRACT = re.compile(r"(?i)abstract\s*(?:[:.]\s*|$)")
_TABLE_CAPTION = re.compile(r"Table\s+(\d+)(?:\s*\([^()]{1,20}\))?[.:]\s*")
_FIGURE_CAPTION = re.compile(r"(Figure|Fig\.|Scheme)\s+(\d+)[.:]\s")
_METADATA = re.compile(r"\*?\s*[A-Z][\w'’]*(?: [\w'’]+){0,3}:\s")
_ABBR = r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
_GLOSSARY_LINE = re.compile(rf"{_ABBR} ?= ?\S")
_GLOSSARY_PAIR = re.compile(rf"(?<![\w\-/])({_ABBR}) ?= ?(?=\S)")
_INLINE_ABBR = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*)\)")

_MAX_HEADING_CHARS = 150
_MAX_HEADING_WORDS = 20

# Tokens ending in "." after which a sentence does not end.
_NO_SPLIT_AFTER = frozenset(
    [
        "al.",
        "e.g.",
        "i.e.",
        "fig.",
        "figs.",
        "vs.",
        "no.",
        "nos.",
        "ref.",
        "refs.",
        "eq.",
        "eqs.",
        "ca.",
        "approx.",
        "cf.",
        "dr.",
        "prof.",
        "vol.",
        "pp.",
        "p.",
        "ed.",
        "eds.",
        "resp.",
        "sec.",
        "ch.",
        "ph.d.",
        "et.",
        "mr.",
        "ms.",
        "st.",
        "inc.",
        "co.",
        "ltd.",
        "corp.",
        "ext.",
    ]
)
# A sentence ends at . ! or ?, after closing quotes or brackets and a citation written after
# the stop (a superscript: "…cells.³ In" is "…cells.[3] In" here).
# A next sentence may open with an author–year citation: "… cells. [Chen et al., 2018] chose".
# A superscript flattened to plain digits after a word's period ("…metal.1 The") ends it too.
_SENTENCE_END = re.compile(
    rf"(?<=[.!?])[\"”’)\]]*(?:\[\d[\d,–\-\s]*\]|{AFTER_WORD_STOP}{TRAILING_NUMBERS})?"
    r"(?=\s+(?:[“\"(]?[A-Z0-9]|\[[A-Z][a-z]))"
)
_TERMINAL = re.compile(r"[.!?][\"”’)\]]*$")

#: The run-in labels of a structured abstract ("Background ...", "Methods: ...", "Significant
#: Findings ..."). Exports often glue them to the sentences around them ("limited.MethodsTo
#: overcome"); they are no part of any sentence.
_ABSTRACT_LABELS = (
    r"(?:Background|Introduction|Motivation|Objectives?|Aims?|Purpose|Abstract"
    r"|Materials and Methods|Methods?|Methodology|Experimental"
    r"|Results and Discussion|Results|Significant Findings|Findings|Significance"
    r"|Conclusions?|Implications|Summary)"
)
#: A label glued to the stop of the sentence before it: a sentence ends there.
_GLUED_LABEL = re.compile(rf"(?<=[a-z0-9%)\]][.!?])(?={_ABSTRACT_LABELS}[A-Z“\"(])")
#: A label opening a sentence, followed by a colon, or by a capital (with or without space).
_LEADING_LABEL = re.compile(rf"{_ABSTRACT_LABELS}(?::\s*|\s+(?=[A-Z])|(?=[A-Z]))")


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    start = 0
    for i, raw in enumerate(text.split("\n")):
        out.append(_Line(i, start, start + len(raw), raw))
        start += len(raw) + 1
    return out


def _metadata_line(text: str) -> bool:
    """A "Keywords: ..." or "Received: ..." line of the front matter; a structured abstract's
    "Background: ..." or "Methods: ..." is body text."""
    return bool(_METADATA.match(text)) and not _LEADING_LABEL.match(text.lstrip("* "))


def _is_heading(text: str) -> bool:
    """A short numbered line without a final period: ``3.1.2. Fluoride Coatings``."""
    if "\t" in text or len(text) > _MAX_HEADING_CHARS or text.rstrip().endswith((".", ":", ";")):
        return False
    if _BYLINE.match(text.strip()):
        return False  # "I. Kim, V. Park": authors with Roman-looking initials
    return bool(_HEADING.fullmatch(text.strip())) and len(text.split()) <= _MAX_HEADING_WORDS


_METAL_WORD = re.compile(r"(?i)\b(lithium|sodium|potassium)\b(?![\-–]ion)")
_METAL_SYMBOL = {"lithium": "Li", "sodium": "Na", "potassium": "K"}


def heading_metals(heading: str | None) -> list[str]:
    """The alkali metals a section heading names ("II. SODIUM", "Alumina on sodium" → Na): a
    review that sorts its studies by metal says once, in the heading, what they coat.

    >>> heading_metals("II.1 Alumina on sodium"), heading_metals("Sodium-ion cathodes")
    (['Na'], [])
    """
    found = [_METAL_SYMBOL[m.lower()] for m in _METAL_WORD.findall(heading or "")]
    return list(dict.fromkeys(found))


def doc_id_for(path: str | Path) -> str:
    """A stable slug of the file stem, so one file name is always one document id.

    >>> doc_id_for("../shared/corpus/ALD MLD_alkali Review.txt")
    'ald-mld-alkali-review'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return slug or "document"


# --------------------------------------------------------------------------- small parsers


def citations_in(text: str, references: Sequence[Reference] = ()) -> tuple[int, ...]:
    """Citation numbers of ``text`` in order of appearance, no repeats (see ingest.citations).

    >>> citations_in("as shown [94], [97,98] and [113–115]; see [107] /K [50].")
    (94, 97, 98, 113, 114, 115, 107, 50)
    """
    return Citations(tuple(references)).numbers(text)


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end]; no split after abbreviations (``et al.``, ``Fig.``)."""
    spans: list[tuple[int, int]] = []
    chunk = text[start:end]
    cut = 0
    stops = sorted(
        [m.end() for m in _SENTENCE_END.finditer(chunk)]
        + [m.start() for m in _GLUED_LABEL.finditer(chunk)]
    )
    for stop in stops:
        before = chunk[cut:stop]
        last = before.split()[-1] if before.split() else ""
        word = last.lstrip("([{“\"'").lower()
        if word in _NO_SPLIT_AFTER:
            continue
        spans.append((cut, stop))
        cut = stop
    spans.append((cut, len(chunk)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        piece = chunk[s:e]
        lead = len(piece) - len(piece.lstrip())
        label = _LEADING_LABEL.match(piece, lead)
        if label and label.end() < len(piece.rstrip()):
            lead = label.end()  # "Methods To overcome ..." is the sentence "To overcome ..."
        trail = len(piece) - len(piece.rstrip())
        if piece.strip():
            out.append((start + s + lead, start + e - trail))
    return out


def _cut_name(name: str, *, inline: bool) -> str:
    """The full name of a ``ABBR = name`` pair: stop at an unbalanced ``)`` and, inline, at
    the end of the clause."""
    depth = 0
    for i, ch in enumerate(name):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                name = name[:i]
                break
            depth -= 1
    if inline:
        name = re.split(r";|, |\. | \[| and | or ", name, maxsplit=1)[0]
        name = " ".join(name.split()[:6])
    return name.strip().rstrip(".,;: ")


def _glossary_pairs(line: _Line) -> list[GlossaryEntry]:
    """``ABBR = full name`` pairs; the next ``ABBR =`` ends a name even without a comma."""
    matches = list(_GLOSSARY_PAIR.finditer(line.text))
    inline = not _GLOSSARY_LINE.match(line.text)
    out: list[GlossaryEntry] = []
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(line.text)
        raw = line.text[m.end() : stop]
        name = _cut_name(raw, inline=inline and i + 1 == len(matches))
        if not name or not re.search("[A-Za-z]", name) or len(name) <= len(m.group(1)) - 1:
            continue
        if re.fullmatch(r"[\d.,\s]+.*", name) and not re.search("[a-z]{3}", name):
            continue  # "1 C = 170 mA g-1": a value, not a name
        begin = line.start + m.start()
        out.append(GlossaryEntry(m.group(1), name, begin, line.start + m.end() + len(name)))
    return out


def _long_form(short: str, before: str) -> str | None:
    """Schwartz–Hearst: the shortest tail of ``before`` whose letters spell ``short`` in order,
    the first letter at a word start."""
    letters = short[:-1] if short.endswith("s") and short[-2:-1].isupper() else short
    letters = "".join(c for c in letters if c.isalnum()).lower()
    if len(letters) < 2:
        return None
    words = before.split()[-min(len(letters) + 5, len(letters) * 2) :]
    candidate = " ".join(words)
    low = candidate.lower()
    li = len(low) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (low[li] != c or (si == 0 and li > 0 and low[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    begin = max(candidate.rfind(" ", 0, li + 1), -1) + 1
    long = candidate[begin:].strip()
    if not long or long.lower() == short.lower() or len(long) <= len(short):
        return None
    if len(long.split()) > len(letters) + 2:
        return None
    return long


def _inline_definitions(line: _Line) -> list[GlossaryEntry]:
    """``dimethoxyethane (DME)``: an abbreviation in parentheses after its full name."""
    out: list[GlossaryEntry] = []
    for m in _INLINE_ABBR.finditer(line.text):
        short = m.group(1)
        if sum(c.isupper() for c in short) < 2 or len(short) > 12:
            continue
        before = line.text[: m.start()].rstrip()
        # stay within the clause: a name does not run across brackets or sentence ends
        clause = re.split(r"[\[\]();:/]|\. |, ", before)[-1]
        long = _long_form(short, clause)
        if long is None:
            long = _long_form(short, before[-120:])
            if long is None or not re.search(r"\(", long):
                continue
        begin = line.start + before.rfind(long)
        out.append(GlossaryEntry(short, long, begin, line.start + m.end()))
    return out


# --------------------------------------------------------------------------- the document


@dataclass
class _Paragraph:
    start: int
    end: int
    section: str | None
    last_line: int  # index of its last line, to see whether two paragraphs are adjacent


def _ends_mid_sentence(text: str) -> bool:
    return not _TERMINAL.search(text.rstrip())


def _continues(prev: str, nxt: str) -> bool:
    """The converter broke one paragraph in two across a blank line."""
    if not _ends_mid_sentence(prev):
        return False
    nxt = nxt.lstrip()
    last = prev.rstrip().split()[-1] if prev.split() else ""
    return bool(nxt[:1].islower() or re.fullmatch(r"[a-z][a-z\-]*|.*[,\-]", last))


def _title(lines: list[_Line]) -> tuple[str, int | None]:
    for line in lines:
        words = line.text.strip().strip("#*").split()
        if len(words) >= 2 and "\t" not in line.text:
            return " ".join(words), line.index
    return "", None


def structure(
    normalized: NormalizedText,
    *,
    doc_id: str,
    path: str,
    metadata: DocumentMetadata | None = None,
    format: str = "text",
    pages: tuple[int, ...] = (),
) -> StructuredDocument:
    """Cut clean text into sections, sentences, captions, tables, glossary and references.

    ``metadata``, ``format`` and ``pages`` come from the reader (:class:`SourceDocument`);
    what the reader's metadata leaves empty is taken from the document's own header.

    Raises:
        IngestError: the text has no body sentence at all (empty or unreadable file).
    """
    text = normalized.text
    lines = _lines(text)
    title, title_idx = _title(lines)

    ref_idx = next(
        (ln.index for ln in reversed(lines) if _REFERENCES.fullmatch(ln.text.strip())), None
    )
    stop = ref_idx if ref_idx is not None else len(lines)
    starts = [
        ln.index
        for ln in lines[:stop]
        if (_ABSTRACT.match(ln.text) and not ln.blank) or _is_heading(ln.text)
    ]
    if starts:
        body_from = starts[0]
    elif title_idx is not None and any(not ln.blank for ln in lines[title_idx + 1 : stop]):
        body_from = title_idx + 1
    else:
        body_from = 0

    sections: list[tuple[str, int]] = []
    paragraphs: list[_Paragraph] = []
    captions: list[Caption] = []
    tables: list[TableBlock] = []
    glossary: list[GlossaryEntry] = []
    section: str | None = None
    open_para: _Paragraph | None = None
    front_tail = False  # metadata after the abstract (Citation:, Received:, ...) until a heading
    header: list[str] = []  # byline, venue and DOI lines under the title

    def close() -> None:
        nonlocal open_para
        if open_para is not None:
            paragraphs.append(open_para)
            open_para = None

    i = 0
    while i < stop:
        line = lines[i]
        stripped = line.text.strip()
        if line.blank:
            close()
            i += 1
            continue
        if "\t" not in line.text:
            glossary.extend(_inline_definitions(line))
            glossary.extend(_glossary_pairs(line) if "=" in line.text else ())
        if i >= body_from and _is_heading(line.text):
            close()
            front_tail = False
            section = stripped
            sections.append((section, line.start))
            i += 1
            continue
        m_abs = _ABSTRACT.match(line.text)
        if m_abs and i >= body_from:
            close()
            section = "Abstract"
            sections.append((section, line.start))
            if stripped.lower().rstrip(":.") != "abstract":
                open_para = _Paragraph(line.start + m_abs.end(), line.end, section, i)
            i += 1
            continue
        m_tab = _TABLE_CAPTION.match(line.text)
        bare = not m_tab and i >= body_from and _starts_bare_table(lines, i, stop)
        if m_tab or bare:
            close()
            number = int(m_tab.group(1)) if m_tab else len(tables) + 1
            table, i = _table(lines, i, stop, number, section, captioned=not bare)
            tables.append(table)
            for entry in table.glossary:
                if entry not in glossary:
                    glossary.append(entry)
            continue
        m_fig = _FIGURE_CAPTION.match(line.text)
        if m_fig:
            close()
            j = i
            while j + 1 < stop and not lines[j + 1].blank and "\t" not in lines[j + 1].text:
                j += 1
            cap = text[line.start : lines[j].end]
            kind = "Figure" if m_fig.group(1) == "Fig." else m_fig.group(1)
            captions.append(
                Caption(
                    kind,
                    int(m_fig.group(2)),
                    " ".join(cap.split()),
                    line.start,
                    lines[j].end,
                    citations_in(cap),
                )
            )
            i = j + 1
            continue
        if section == "Abstract" and _metadata_line(line.text):
            front_tail = True
        if (
            i < body_from
            or front_tail
            or (section is None and len(stripped.split()) == 1)  # "Review", "Article"
            or "\t" in line.text
            or _GLOSSARY_LINE.match(line.text)
            or _metadata_line(line.text)
        ):
            close()
            if section in (None, "Abstract") and i != title_idx and "\t" not in line.text:
                header.append(line.text)
            i += 1
            continue
        bullet = _BULLET.match(line.text)
        if bullet:
            close()
            open_para = _Paragraph(line.start + bullet.end(), line.end, section, i)
        elif open_para is None:
            open_para = _Paragraph(line.start, line.end, section, i)
        else:
            open_para.end, open_para.last_line = line.end, i
        i += 1
    close()

    if ref_idx is not None:
        sections.append((lines[ref_idx].text.strip(), lines[ref_idx].start))
    references = reference_list(lines[ref_idx + 1 :]) if ref_idx is not None else []

    body = text[: lines[ref_idx].start] if ref_idx is not None else text
    cites = Citations(tuple(references), parens=cites_in_parentheses(body, references))
    captions = [replace(c, citations=cites.numbers(c.text)) for c in captions]
    sentences = _sentences(text, lines, paragraphs, cites)
    if not sentences:
        raise IngestError(
            f"No sentences found in {path!r}: the file is empty or holds no body text. "
            "Check that it is a plain-text article (one paragraph per line)."
        )
    section_spans = tuple(
        (heading, begin, sections[k + 1][1] if k + 1 < len(sections) else len(text))
        for k, (heading, begin) in enumerate(sections)
    )
    metadata = merge(metadata, header_metadata(header, title=title or None))
    kind = decide_kind(sentences, title=metadata.title or title, format=format)
    seen: set[tuple[str, str, int]] = set()
    unique: list[GlossaryEntry] = []
    for entry in sorted(glossary, key=lambda g: (g.start, g.end)):
        key = (entry.abbreviation, entry.full_name, entry.start)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return StructuredDocument(
        doc_id=doc_id,
        path=path,
        title=metadata.title or title,
        normalized=normalized,
        sections=section_spans,
        sentences=tuple(sentences),
        captions=tuple(captions),
        tables=tuple(tables),
        glossary=tuple(unique),
        references=tuple(references),
        metadata=metadata,
        format=format,
        kind=kind.kind,
        kind_reason=kind.reason,
        pages=pages,
    )


def _sentences(
    text: str, lines: list[_Line], paragraphs: list[_Paragraph], cites: Citations
) -> list[Sentence]:
    """Join paragraphs broken mid-sentence, then split each into sentences."""
    joined: list[_Paragraph] = []
    for p in paragraphs:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.section == p.section
            and all(ln.blank for ln in lines[prev.last_line + 1 : _line_at(lines, p.start)])
            and _continues(text[prev.start : prev.end], text[p.start : p.end])
        ):
            prev.end, prev.last_line = p.end, p.last_line
        else:
            joined.append(_Paragraph(p.start, p.end, p.section, p.last_line))
    out: list[Sentence] = []
    for k, p in enumerate(joined):
        for s, e in _split_sentences(text, p.start, p.end):
            piece = text[s:e].replace("\n", " ").replace("\t", " ")
            out.append(Sentence(len(out), piece, s, e, p.section, k, cites.numbers(piece)))
    return out


def _line_at(lines: list[_Line], offset: int) -> int:
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _starts_bare_table(lines: list[_Line], i: int, stop: int) -> bool:
    """A block of at least two TAB lines with the same number of cells and no caption above."""
    line = lines[i]
    if "\t" not in line.text or (i > 0 and "\t" in lines[i - 1].text):
        return False
    nxt = lines[i + 1] if i + 1 < stop else None
    return nxt is not None and nxt.text.count("\t") == line.text.count("\t") >= 1


def _tab_cells(text: str) -> list[str] | None:
    return [c.strip() for c in text.split("\t")] if "\t" in text else None


#: "Columns: study, film, route, …" in a caption names the columns of the rows below it.
_COLUMNS_IN_CAPTION = re.compile(r"(?i)\bcolumns?\s*(?:are\s*)?[:=]\s*(.+)$")
_MAX_CSV_CELL = 160


def _csv_cells(text: str) -> list[str] | None:
    """The cells of a comma-separated line (quoted cells may hold commas), or None when the
    line reads as prose rather than a row: fewer than three cells, or a cell too long."""
    if "\t" in text or "," not in text:
        return None
    try:
        cells = next(csv.reader([text], skipinitialspace=True))
    except csv.Error:
        return None
    cells = [c.strip() for c in cells]
    if len(cells) < 3 or any(len(c) > _MAX_CSV_CELL for c in cells):
        return None
    return cells


def _csv_header(
    caption: str, lines: list[_Line], j: int, stop: int
) -> tuple[list[str], int] | None:
    """The header of a comma-separated table under a caption and how many lines it takes: the
    ``Columns:`` list of the caption (0 lines) or of the first line (1) when it has as many
    names as the rows have cells, else the first line (1). None when the lines below do not
    form a table (two lines of the same number of cells at least)."""
    first = _csv_cells(lines[j].text) if j < stop else None
    second = _csv_cells(lines[j + 1].text) if j + 1 < stop else None
    if first is None:
        return None
    m = _COLUMNS_IN_CAPTION.search(caption)
    named = _csv_cells(m.group(1)) if m else None
    if named is not None and len(named) == len(first):
        return named, 0
    if second is None or len(second) != len(first):
        return None
    m = _COLUMNS_IN_CAPTION.match(lines[j].text.strip())
    named = _csv_cells(m.group(1)) if m else None
    return (named if named is not None and len(named) == len(second) else first), 1


def _table(
    lines: list[_Line],
    i: int,
    stop: int,
    number: int,
    section: str | None,
    *,
    captioned: bool = True,
) -> tuple[TableBlock, int]:
    """A ``Table N.`` caption (or, ``captioned=False``, none: a Markdown summary table), its
    header and rows, and the glossary line(s) under it.

    Rows are TAB-separated, or, under a caption, comma-separated lines (a table given as CSV
    inside the text); both become the same :class:`TableBlock`, read by the same table rules.
    Returns the table and the index of the first line after it.
    """
    cap_line = lines[i]
    caption = " ".join(cap_line.text.split()) if captioned else ""
    j = i + 1 if captioned else i
    while j < stop and lines[j].blank:
        j += 1
    header: tuple[str, ...] = ()
    rows: list[TableRow] = []
    end = cap_line.end
    split = _tab_cells
    csv_header = None
    if captioned and j < stop and "\t" not in lines[j].text:
        csv_header = _csv_header(caption, lines, j, stop)
        split = _csv_cells
    if j < stop and split(lines[j].text) is not None and (split is _tab_cells or csv_header):
        header = tuple(csv_header[0] if csv_header else split(lines[j].text) or ())
        if csv_header is None or csv_header[1] or tuple(split(lines[j].text) or ()) == header:
            end = lines[j].end
            j += 1  # the first line is the header row
        while j < stop and not lines[j].blank and (cells := split(lines[j].text)) is not None:
            if len(cells) < len(header):
                cells += [""] * (len(header) - len(cells))
            elif len(cells) > len(header) and header:
                keep = len(header) - 1
                cells = [*cells[:keep], " ".join(c for c in cells[keep:] if c)]
            rows.append(TableRow(tuple(cells), lines[j].start, lines[j].end, len(rows) + 1))
            end = lines[j].end
            j += 1
    else:
        j = i + 1
    k = j
    while k < stop and lines[k].blank:
        k += 1
    entries: list[GlossaryEntry] = []
    while rows and k < stop and _GLOSSARY_LINE.match(lines[k].text):
        entries.extend(_glossary_pairs(lines[k]))
        end = lines[k].end
        j = k = k + 1
        while k < stop and lines[k].blank:
            k += 1
    block = TableBlock(
        number, caption, header, tuple(rows), cap_line.start, end, section, tuple(entries)
    )
    return block, j
