"""A document's own header: byline, venue, year, volume, first page and DOI.

Plain-text and Markdown papers carry their metadata in a few lines under the title, in many
house styles ("W. Luo, C. Lin and L. Hu", "Advanced Energy Materials | 2017 | https://doi.org/…",
"ACS Appl. Mater. Interfaces (2018), doi:10.…", "Nano Lett. 2017, 17, 3182–3187",
"**A. Author** · *Journal* · 2024 · DOI: 10.…"). A primary study *is* its study, so these lines
name it; the reader's own metadata (export record, ``citation_*`` tags) wins where it is set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields, replace

from ingest.records import DocumentMetadata

_DOI = re.compile(r"(?i)(?:https?://(?:dx\.)?doi\.org/|\bdoi:?\s*)?(10\.\d{4,9}/[^\s\]\)>\"<,;]+)")
_URL = re.compile(r"(?i)<?https?://\S+>?")
_YEAR = re.compile(r"(?<![\d./])((?:1[89]|20)\d{2})(?![\d/])")
_SEGMENT_SPLIT = re.compile(r"\s+[·•|]\s+|\s+[–—]\s+(?=\S)")
_LABELLED = re.compile(r"\s*\*?[A-Z][\w ]{0,30}:\s")  # "Received: …", "Copyright: …"
_MARKS = re.compile(r"\[[†‡§*#\d,\s]*\]|[\^†‡§*#¶]+|(?<=[a-z])\d+(?:,\d+)*\b")
_INITIALS = r"(?:[A-Z][a-z]?\.[\s\-]?)+"
_SURNAME = r"[A-Z][\w'’\-]*(?:[ \-](?:van|von|de|der|da|di|le|la)?\s?[A-Z][\w'’\-]+)*"
_NAME = re.compile(
    rf"(?:{_INITIALS}\s?{_SURNAME}|{_SURNAME},?\s{_INITIALS}|{_SURNAME}\s(?:[A-Z]{{1,2}})|"
    rf"[A-Z][a-z]+(?:\s[A-Z]\.)?(?:\s[A-Z][\w'’\-]+){{1,2}})"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_VOLUME_PAGE = re.compile(r"^[\s,.;:]*\*?(\d{1,4})\*?(?:\s*\(\d+\))?[\s,.;:]+(\w?\d{1,7})\b")


def _clean(segment: str) -> str:
    return " ".join(re.sub(r"[*_<>]", " ", segment).split())


def byline(segment: str) -> tuple[str, ...]:
    """The author names of a byline segment, or () when it is not one.

    >>> byline("W. Luo, C. Lin, O. Zhao and L. Hu")
    ('W. Luo', 'C. Lin', 'O. Zhao', 'L. Hu')
    >>> byline("Matthew Sullivan [†], Peng Tang [†] and Xiangbo Meng *")
    ('Matthew Sullivan', 'Peng Tang', 'Xiangbo Meng')
    >>> byline("Department of Mechanical Engineering, University of Arkansas, USA")
    ()
    """
    text = _clean(_MARKS.sub(" ", segment))
    if not text or _YEAR.search(text) or len(text) > 600:
        return ()
    parts = [p.strip(" .,") for p in _NAME_SPLIT.split(text) if p.strip(" .,")]
    # "Luo, W., Lin, C." splits into surname and initials: join them back
    merged: list[str] = []
    for p in parts:
        if merged and " " not in merged[-1] and re.fullmatch(r"(?:[A-Z][a-z]?\.?[\s\-]?){1,3}", p):
            merged[-1] = f"{merged[-1]}, {p}."
        else:
            merged.append(p)
    names = [p for p in merged if _NAME.fullmatch(p) and len(p.split()) <= 4]
    if not merged or len(names) < max(1, 0.75 * len(merged)):
        return ()
    return tuple(names)


def _venue_details(segment: str, year_match: re.Match[str] | None) -> dict[str, str]:
    """Venue (text before the year), volume and first page (numbers after it)."""
    out: dict[str, str] = {}
    before = segment[: year_match.start()] if year_match else segment
    venue = before.strip(" ,;:(")
    if venue.endswith(".") and re.search(r"[A-Za-z]{6,}\.$", venue):
        venue = venue[:-1]  # a sentence stop, not an abbreviation ("Chem.")
    if venue and re.search("[A-Za-z]{2}", venue) and len(venue.split()) <= 14:
        out["venue"] = venue
    if year_match:
        after = segment[year_match.end() :].lstrip(")")
        m = _VOLUME_PAGE.match(after)
        if m:
            out["volume"], out["first_page"] = m.group(1), m.group(2)
    return out


def header_metadata(lines: Sequence[str], *, title: str | None = None) -> DocumentMetadata:
    """Metadata from the header lines under the title (the title itself is given).

    >>> m = header_metadata(["W. Luo, C. Lin, L. Hu",
    ...     "Advanced Energy Materials | 2017 | https://doi.org/10.5555/devset.2"])
    >>> m.authors, m.venue, m.year, m.doi
    (('W. Luo', 'C. Lin', 'L. Hu'), 'Advanced Energy Materials', 2017, '10.5555/devset.2')
    >>> header_metadata(["Nano Lett. 2017, 17, 3182–3187. DOI: 10.1021/X.1"]).first_page
    '3182'
    """
    found: dict[str, object] = {"title": title or None}
    for line in lines:
        doi = _DOI.search(line)
        if doi and "doi" not in found:
            found["doi"] = doi.group(1).rstrip(".").lower()
        labelled = _LABELLED.match(line) is not None
        rest = _URL.sub(" ", _DOI.sub(" ", line))
        published = bool(doi or _YEAR.search(rest))  # a venue line: one bare name is a journal
        for raw in _SEGMENT_SPLIT.split(rest):
            segment = _clean(re.sub(r"(?i)\bdoi\b:?", " ", raw))
            if not segment:
                continue
            names = () if labelled or "authors" in found else byline(segment)
            if published and len(names) == 1 and not re.search(r"\b[A-Z]\.", names[0]):
                names = ()
            if names:
                found["authors"] = names
                continue
            year = _YEAR.search(segment)
            if labelled or (not year and not doi) or ("year" in found and year):
                continue
            if year:
                found["year"] = int(year.group(1))
            for key, value in _venue_details(segment, year).items():
                found.setdefault(key, value)
    return DocumentMetadata(**found)  # type: ignore[arg-type]


def merge(reader: DocumentMetadata | None, header: DocumentMetadata) -> DocumentMetadata:
    """The reader's metadata where it is set, the header's where the reader's is empty."""
    if reader is None:
        return header
    chosen = {f.name: getattr(reader, f.name) or getattr(header, f.name) for f in fields(reader)}
    return replace(reader, **chosen)
