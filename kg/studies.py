"""One study, one IRI, whichever documents it appears in.

A study cited by two reviews and ingested from its own abstract must be one node, so its IRI is
derived from what identifies it: the DOI when known; else a key of first author, year, venue,
volume and first page (the title stands in for volume and page when they are missing, so two
papers by the same first author in the same journal and year stay apart); else nothing, and
the caller makes an IRI local to the citing document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from ingest.references import name_key, surname

#: Words left out of a venue's key, so "Chemistry of Materials" and "Chem. Mater." agree.
_VENUE_STOP = frozenset({"of", "the", "and", "for", "in", "on", "&", "de", "und"})


@dataclass(frozen=True)
class StudyFacts:
    """What a document says identifies a study (its reference entry or its own header)."""

    doi: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    first_page: str | None = None
    title: str | None = None


def venue_key(venue: str) -> str:
    """The initials of a venue's words, so a full and an abbreviated name give one key.

    >>> venue_key("ACS Applied Materials & Interfaces"), venue_key("ACS Appl. Mater. Interfaces")
    ('aami', 'aami')
    >>> venue_key("Journal of Materials Chemistry A"), venue_key("J. Mater. Chem. A")
    ('jmca', 'jmca')
    """
    words = [w for w in re.split(r"[\s.,:;]+", venue.casefold()) if w and w not in _VENUE_STOP]
    return "".join(name_key(w)[:1] for w in words)


def title_key(title: str) -> str:
    """A short digest of a title's letters and digits (case and punctuation ignored)."""
    letters = re.sub(r"[^0-9a-z]+", "", title.casefold())
    return hashlib.sha1(letters.encode()).hexdigest()[:12]


def study_key(facts: StudyFacts) -> str | None:
    """The local part of a shared study IRI, or None when the facts do not identify it.

    >>> study_key(StudyFacts(doi="10.5555/Devset.4"))
    'study/doi/10.5555/devset.4'
    >>> study_key(StudyFacts(authors=("Kazyak, E.",), year=2015, venue="Chem. Mater.",
    ...     volume="27", first_page="6457"))
    'study/key/kazyak-2015-cm-27-6457'
    >>> study_key(StudyFacts(authors=("Kazyak, E.",), year=2015)) is None
    True
    """
    if facts.doi:
        return "study/doi/" + quote(facts.doi.strip().lower(), safe="/.-_();:")
    if not facts.authors or not facts.year:
        return None
    written = surname(facts.authors[0])
    if not re.fullmatch(r"[^\W\d_][^\W\d_'’\-. ]*(?:[\-' ’][^\W\d_]+)*", written):
        return None  # not a name as printed (converter debris, markup): no shared identity
    first = name_key(written)
    parts = [first, str(facts.year)]
    if facts.venue:
        parts.append(venue_key(facts.venue))
    if facts.volume and facts.first_page:
        parts += [name_key(facts.volume), name_key(facts.first_page)]
    elif facts.title:
        parts.append("t" + title_key(facts.title))
    else:
        return None  # first author, year and journal alone do not tell look-alikes apart
    if not facts.venue and not facts.title:
        return None
    return "study/key/" + "-".join(parts)
