"""The vocabulary as the table readers use it: one cached load, regexes of surface forms."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.vocab import Concept, Vocabulary, load_vocabulary


@lru_cache(maxsize=1)
def vocab() -> Vocabulary:
    return load_vocabulary()


@lru_cache(maxsize=16)
def surface_regex(kind: str) -> re.Pattern[str]:
    """One alternation of every surface form of ``kind``, longest first; a hyphen in a form
    matches any dash the text uses (``K–Cu``, ``Li−S``)."""
    forms = sorted(
        {f for c in vocab().of_kind(kind) for f in c.surface_forms if f}, key=len, reverse=True
    )
    body = "|".join(re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", "[-–—‐−]") for f in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.I)


def local(concept: Concept | str) -> str:
    """The local name of a concept or IRI (``.../vocab/FullCell`` → ``FullCell``)."""
    iri = concept if isinstance(concept, str) else concept.iri
    return iri.rsplit("/", 1)[-1]


#: Cells that say "nothing here": not reported, not applicable, a dash. "NA" only in capitals
#: and "n/a" only with its slash or dots: "Na" is sodium.
_EMPTY = re.compile(
    r"^\s*(?:(?i:n\.?\s*r\.?|n\s*/\s*a|n\.\s*a\.|not\s+(?:reported|given|stated|available))"
    r"|NA|[-–—−/]+)?\s*$"
)


def is_empty(cell: str) -> bool:
    """``n.r.``, ``N/A``, ``—`` or blank: the table says nothing in this cell."""
    return bool(_EMPTY.match(cell))
