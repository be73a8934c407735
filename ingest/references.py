"""Reference lists in the numbering and author styles of the field.

A list may be numbered ``[1]``, ``1.``, ``1)`` or ``(1)``, or be an unnumbered author–year list
(sorted by author), whose entries are then numbered by position so that every citation style
resolves to the same kind of number. Each entry is split into authors, title, venue, year,
volume, first page and DOI, which identify the study across documents (DOI first, else a key
of first author, year, venue, volume and first page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from ingest.records import Reference


class Line(Protocol):
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool: ...


_NUMBERED = re.compile(r"(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)])\s+(?=\S)")
# An unnumbered entry starts with a surname and initials: "Chen, L.", "Chen L", "L. Chen,".
_ENTRY_START = re.compile(
    r"(?:[A-Z][\w'’\-]+(?: [a-z]{1,3})?(?: [A-Z][\w'’\-]+)?,? (?:[A-Z]\.?[ \-]?){1,3}[,.;( ]"
    r"|(?:[A-Z]\.[ \-]?){1,3}[A-Z][\w'’\-]+,)"
)
_AUTHOR = r"[^\s;,*][^;,*]*?, (?:[A-Z][a-z]?\.)(?:[ \-]?[A-Z][a-z]?\.)*"
_AUTHORS = re.compile(rf"((?:{_AUTHOR}; )*{_AUTHOR})(?:;? et al\.)?\s+")
# APA / Harvard: "Alaboina, P. K., Rodrigues, S., & Cho, S.-J. (2018). Title. Venue, 10, 1."
_APA_AUTHOR = re.compile(r"([A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)*), ((?:[A-Z][a-z]?\.[ \-]?)+)")
_APA = re.compile(r"(?P<authors>.+?)\s*\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?\s+(?P<rest>.+)")
_VENUE = re.compile(r"(?<!\*)\*(?!\*)([^*]+?)\*(?!\*)")
_BOLD_YEAR = re.compile(r"\*\*((?:1[89]|20)\d{2})[a-z]?\*\*")
_YEAR = re.compile(r"(?<![\d/.])((?:1[89]|20)\d{2})(?![\d/])")
_DOI = re.compile(r"(?:doi\.org/|doi:\s*|\b)(10\.\d{4,9}/[^\s\]\)>\"]+)", re.I)
_LINK_NOISE = re.compile(r"\[\[[^\]]*\]\([^)]*\)\]")
# "**2015**, *27*, 6457–6462", "2018, 10, 26972", "2017;17:3182"
_VOLUME_PAGE = re.compile(
    r"(?:\*\*)?(?:1[89]|20)\d{2}[a-z]?(?:\*\*)?\)?[,;.]?\s*\*?(\d{1,4})\*?(?:\s*\(\d+\))?"
    r"\s*[,:]\s*([A-Za-z]?\d{1,7})\b"
)


_INITIALS_FIRST = re.compile(r"(?:[A-Z][a-z]?\.[ \-]?)+[A-Z][\w'’\-]+$")


def surname(author: str) -> str:
    """The family name of an author as written: "Chen, L.", "L. Chen", "Chen L" → "Chen".

    >>> surname("Alaboina, P. K."), surname("K. Brandt"), surname("Sejas S A")
    ('Alaboina', 'Brandt', 'Sejas')
    >>> surname("Y. Zhao, L. V.")
    'Zhao'

    """
    initial = r"[A-Z]{1,3}|[A-Z][a-z]?\.|-"
    if "," in author:
        head = author.split(",")[0].strip()
        if not _INITIALS_FIRST.match(head):
            return head
        author = head  # "Y. Zhao, L. V. Goncharova": the name before the comma, initials first
    words = [w for w in author.replace(".", ". ").split() if not re.fullmatch(initial, w)]
    if not words:
        return author.strip()
    return words[-1]


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A surname for comparison: case, accents and punctuation removed ("Pérez-Li" → "perezli")."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c)).casefold()


def first_author(ref: Reference) -> str | None:
    """The first author's surname, from the parsed authors or the start of the entry."""
    if ref.authors:
        return surname(ref.authors[0])
    m = re.match(r"(?:[A-Z]\.[ \-]?)*([A-Z][\w'’\-]+)", ref.text)
    return m.group(1) if m else None


_APA_VOLUME_PAGE = re.compile(r",\s*\*?(\d{1,4})\*?(?:\s*\(\d+\))?,\s*([A-Za-z]?\d{1,7})\b")


def _apa(
    clean: str,
) -> tuple[tuple[str, ...], str | None, str | None, int, re.Match[str] | None] | None:
    """Authors, title, venue, year and (volume, page) match of an APA/Harvard entry, or None."""
    m = _APA.match(clean)
    if not m:
        return None
    names = m.group("authors")
    authors = tuple(f"{s}, {i.strip()}" for s, i in _APA_AUTHOR.findall(names))
    residue = re.sub(r"&|\band\b|et al\.|\.\.\.|…|[,\s]", "", _APA_AUTHOR.sub("", names))
    if not authors or residue:
        return None
    parts = [p.strip() for p in re.split(r"(?<=[^A-Z.])\.\s+", m.group("rest")) if p.strip()]
    title = parts[0].rstrip(".") if parts else None
    venue, volume_page = None, None
    if len(parts) > 1 and not parts[1].lower().startswith(("http", "doi")):
        venue = re.split(r",\s*\*?\d", parts[1].strip("*"), maxsplit=1)[0].strip(" *.")
        volume_page = _APA_VOLUME_PAGE.search(parts[1])
    return authors, title, venue or None, int(m.group("year")), volume_page


def parse_reference(number: int, text: str, start: int, end: int) -> Reference:
    """Split one reference-list entry into authors, title, venue, year, volume, page and DOI.

    >>> r = parse_reference(85, "Kazyak, E.; Wood, K.N.; Dasgupta, N.P. Improved cycle life."
    ...     " *Chem. Mater.* **2015**, *27*, 6457–6462. [[CrossRef](#)]", 0, 0)
    >>> r.authors, r.title, r.venue, r.year, r.volume, r.first_page
    (('Kazyak, E.', 'Wood, K.N.', 'Dasgupta, N.P.'), 'Improved cycle life', 'Chem. Mater.', 2015, '27', '6457')
    >>> r = parse_reference(1, "Niu, J., & Liu, X. (2021). Lithium phosphate films. Ionics.", 0, 0)
    >>> r.authors, r.title, r.venue, r.year
    (('Niu, J.', 'Liu, X.'), 'Lithium phosphate films', 'Ionics', 2021)
    """
    clean = " ".join(_LINK_NOISE.sub("", text).split())
    doi_m = _DOI.search(clean)
    doi = doi_m.group(1).rstrip(".,;").lower() if doi_m else None
    no_doi = clean.replace(doi_m.group(1), "") if doi_m else clean
    volume_m = _VOLUME_PAGE.search(no_doi)
    volume, page = (volume_m.group(1), volume_m.group(2)) if volume_m else (None, None)
    apa = _apa(clean)
    if apa is not None:
        authors, title, venue, year, vp = apa
        if vp is not None:
            volume, page = vp.group(1), vp.group(2)
        return Reference(number, clean, authors, title, venue, year, doi, start, end, volume, page)
    authors: tuple[str, ...] = ()
    rest = clean
    m = _AUTHORS.match(clean)
    if m:
        authors = tuple(a.strip() for a in m.group(1).split("; "))
        rest = clean[m.end() :]
    venue_m = _VENUE.search(rest)
    venue = venue_m.group(1).strip() if venue_m else None
    title_part = rest[: venue_m.start()] if venue_m else rest.split(". ")[0]
    title = re.sub(r"(?:\.\s*)?\bIn\s*$", "", title_part.strip()).strip().rstrip(".").strip()
    bold = _BOLD_YEAR.search(no_doi)
    years = _YEAR.findall(no_doi)
    year = int(bold.group(1)) if bold else (int(years[-1]) if years else None)
    return Reference(
        number, clean, authors, title or None, venue, year, doi, start, end, volume, page
    )


def _numbered(line: str) -> tuple[int, int] | None:
    """(number, where the entry text starts) of a numbered entry line."""
    m = _NUMBERED.match(line)
    if not m:
        return None
    return int(next(g for g in m.groups() if g)), m.end()


def reference_list(lines: Sequence[Line]) -> list[Reference]:
    """The entries under a ``References`` heading, numbered as printed or by position.

    In a numbered list a line that does not continue the numbering continues the entry; in an
    unnumbered list a line that starts with an author name starts a new entry.
    """
    content = [ln for ln in lines if not ln.blank]
    if not content:
        return []
    numbered = _numbered(content[0].text) is not None
    entries: list[tuple[int, list[Line], int]] = []  # number, lines, content start
    for line in content:
        head = _numbered(line.text) if numbered else None
        prev = entries[-1][0] if entries else None
        if head and (prev is None or prev < head[0] <= prev + 3):
            entries.append((head[0], [line], line.start + head[1]))
        elif not numbered and (not entries or _ENTRY_START.match(line.text)):
            entries.append((len(entries) + 1, [line], line.start))
        elif entries:
            entries[-1][1].append(line)
    out: list[Reference] = []
    for n, ls, begin in entries:
        text = " ".join(ln.text.strip() for ln in ls)
        head = _numbered(text) if numbered else None
        body = text[head[1] :] if head else text
        out.append(parse_reference(n, body, begin, ls[-1].end))
    return out
