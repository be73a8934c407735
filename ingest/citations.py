"""Citations in every style of the field, resolved to reference-list numbers.

Numeric: ``[94]``, ``[94,95]``, ``[94–96]`` (superscripts ``¹²``, ``<sup>12</sup>``, ``^12``
arrive here as ``[12]``: :mod:`ingest.normalize` rewrites a superscript that is a citation,
and leaves unit exponents and charges such as ``cm⁻²`` or ``Sn⁴⁺`` alone) and, where a document
cites that way, ``(7)``, ``(7–9)``. Author–year: ``(Chen et al., 2019)``, ``(Chen and Li, 2019;
Sun et al., 2020a)``, ``Chen et al. (2019)``, ``Chen et al. [2019]``, matched against the first
author (and second, for "A and B") and year of each reference; an unnumbered list is numbered by
position (:mod:`ingest.references`), so every style yields the same kind of number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.records import Reference
from ingest.references import first_author, name_key, surname

_NUMBERS = r"\d{1,4}(?:\s*[,–\-]\s*\d{1,4})*"
_BRACKETS = re.compile(rf"\[({_NUMBERS})\]")
_PARENS = re.compile(rf"\(({_NUMBERS})\)")
# A superscript flattened by copy/paste or a PDF text layer: "…onto lithium metal.1 The films",
# "…interface.2,3", "…cells.4–6" at the paragraph's end. Only after a word (a letter, ")", "]"
# or "%" before the period), never a decimal ("0.1 M", "Li1.3Al0.3"), and followed by the
# next sentence's capital or the end of the text.
#: Where such a number may stand: after the period that ends a word, a bracket, a percentage or
#: a unit's negative exponent ("…at 1 mA cm-2.8 The").
AFTER_WORD_STOP = r"(?:(?<=[^\W\d_]\.)|(?<=[)\]%]\.)|(?<=[^\W\d_][−\-]\d\.))"
TRAILING_NUMBERS = r"\d{1,3}(?:[,–\-]\d{1,3})*"
_TRAILING = re.compile(rf"{AFTER_WORD_STOP}({TRAILING_NUMBERS})(?=\s+[\"“(\[]?[A-Z]|\s*$)")
# "Fig.3 The", "Eq.2 Here": a label's number glued to its abbreviation, not a citation.
_LABEL_BEFORE = re.compile(r"(?i)\b(?:figs?|eqs?|nos?|refs?|vol|tab|sec|ch|pp?|approx|ca)\.$")
# "(1)" after these is an equation, figure, step or list item, not a citation.
_NOT_BEFORE_PARENS = re.compile(
    r"(?i)(?:eqs?\.|equations?|figs?\.|figures?|schemes?|tables?|steps?|reactions?|routes?)"
    r"\s*(?:\(\d+\)\s*(?:,|and|or|to|–)\s*)*$|(?:\d|[=+×])\s*$"
)
_YEAR = r"(?:1[89]|20)\d{2}[a-z]?"
_NAME = r"(?:(?:van|von|de|der|da|di|le|la|du)\s)*[A-Z][\w'’\-]+"
# "Zhao X." / "Zhao, X." tells two first authors of one surname apart; "and co-workers" or
# "'s group" stands for the other authors as "et al." does.
_INITIAL = r"(?:,?\s+(?P<initial>[A-Z])\.(?:\s?[A-Z]\.)*)?"
_OTHERS = r"\s+et\s+al\.?|\s+(?:and|&)\s+(?:co-?workers|colleagues|co-?authors)|['’]s\s+group"
_WHO = (
    rf"(?P<first>{_NAME}){_INITIAL}"
    rf"(?:\s+(?:and|&)\s+(?P<second>{_NAME})|(?P<etal>{_OTHERS}))?"
)
_YEARS = rf"(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
_ITEM = re.compile(rf"{_WHO},?\s+{_YEARS}")
_GROUP = re.compile(rf"\(([^()]*?{_YEAR}[^()]*)\)|\[([^\[\]]*?{_YEAR}[^\[\]]*)\]")
_NARRATIVE = re.compile(rf"{_WHO}\s+[(\[]{_YEARS}[)\]]")


def _expand(numbers: str) -> list[int]:
    """ "2–6, 9" → [2, 3, 4, 5, 6, 9]; a "range" that runs backwards or too far is two numbers."""
    out: list[int] = []
    for part in numbers.split(","):
        bounds = [b for b in re.split(r"\s*[–\-]\s*", part.strip()) if b]
        if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 200:
            out.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            out.extend(int(b) for b in bounds)
    return out


@dataclass(frozen=True)
class Cited:
    """One citation in a text: where it stands, the reference number, whether it is the
    subject of the words after it (see :meth:`Citations.located`)."""

    start: int
    end: int
    number: int
    narrative: bool


#: Words right before a citation that make it name the subject: "Luo et al. [4] used",
#: "Lin and co-workers (Lin et al., 2016)".
_NAMED_BEFORE = re.compile(
    r"(?:\bet\s+al\.?|\b(?:and|&)\s+(?:co-?workers|colleagues)|['’]s\s+group)\s*$"
)


def _leads(text: str, at: int) -> bool:
    """A parenthetical citation that opens its sentence, or follows the name it stands for."""
    return not text[:at].strip() or bool(_NAMED_BEFORE.search(_before(text, at)))


@dataclass(frozen=True)
class _Key:
    first: str
    year: int
    suffix: str


@lru_cache(maxsize=16)
def _author_index(references: tuple[Reference, ...]) -> dict[tuple[str, int], list[Reference]]:
    """(first author's name key, year) → the references it may name. Cached: a document's
    table rows each make a :class:`Citations` over the same reference list. Read only."""
    index: dict[tuple[str, int], list[Reference]] = defaultdict(list)
    for ref in references:
        who = first_author(ref)
        if who and ref.year:
            index[(name_key(who), ref.year)].append(ref)
    return dict(index)


@dataclass(frozen=True)
class Citations:
    """Finds the citations of one document: its reference list and how it cites.

    ``parens`` says the document cites as ``(7)`` (decided once per document by
    :func:`cites_in_parentheses`), so that ``(7)`` elsewhere stays a number.
    """

    references: tuple[Reference, ...] = ()
    parens: bool = False
    _by_author: dict[tuple[str, int], list[Reference]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    _listed_numbers: frozenset[int] = field(
        default=frozenset(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_author", _author_index(self.references))
        object.__setattr__(self, "_listed_numbers", frozenset(r.number for r in self.references))

    def numbers(self, text: str) -> tuple[int, ...]:
        """Every citation in ``text`` as reference numbers, in order of appearance, no repeats.

        >>> Citations().numbers("as shown [94], [97,98] and [113–115]; see [107] /K [50].")
        (94, 97, 98, 113, 114, 115, 107, 50)
        """
        return tuple(dict.fromkeys(c.number for c in self.located(text)))

    def located(self, text: str) -> list[Cited]:
        """Every citation in ``text`` with where it stands, in order of appearance.

        A citation that names its study as the subject ("Luo et al. (2017) used …",
        "(Zhang et al., 2020) grew …", "Lin and co-workers (Lin et al., 2016)") is ``narrative``:
        the words after it are about that study; a bracket after a clause is about the words
        before it.
        """
        found: list[Cited] = []
        taken: list[tuple[int, int]] = []
        if self._by_author:
            for pattern in (_GROUP, _NARRATIVE):
                for m in pattern.finditer(text):
                    refs = self._author_year(m) if pattern is _NARRATIVE else self._group(m)
                    if refs:
                        narrative = pattern is _NARRATIVE or _leads(text, m.start())
                        found.extend(Cited(m.start(), m.end(), n, narrative) for n in refs)
                        taken.append(m.span())
        patterns = (_BRACKETS, _PARENS, _TRAILING) if self.parens else (_BRACKETS, _TRAILING)
        for pattern in patterns:
            for m in pattern.finditer(text):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                if pattern is _PARENS and _NOT_BEFORE_PARENS.search(_before(text, m.start())):
                    continue
                numbers = _expand(m.group(1))
                if pattern is _TRAILING:
                    kept = self._trailing(text, m.start(), numbers)
                else:
                    kept = self._listed(numbers) if pattern is _PARENS else self._plausible(numbers)
                narrative = bool(_NAMED_BEFORE.search(_before(text, m.start())))
                found.extend(Cited(m.start(), m.end(), n, narrative) for n in kept)
        return sorted(found, key=lambda c: c.start)

    def only_by(self, cell: str) -> int | None:
        """A cell that names an author without a year ("Zhao X. et al."): the one reference
        whose first author that is (and has that initial), None when there are several."""
        m = re.fullmatch(rf"\s*{_WHO}\s*\.?\s*", cell)
        if m is None:
            return None
        key, initial = name_key(m.group("first")), m.group("initial")
        refs = [
            r
            for (who, _), rs in self._by_author.items()
            if who == key
            for r in rs
            if not initial or _first_initial(r) in (initial, None)
        ]
        return refs[0].number if len(refs) == 1 else None

    def _listed(self, numbers: Iterable[int]) -> list[int]:
        """``(n)`` is a citation only when the list has an entry n."""
        listed = self._listed_numbers
        return [n for n in numbers if n in listed]

    def _trailing(self, text: str, at: int, numbers: list[int]) -> list[int]:
        """ "metal.1 The": a citation only when every number has an entry in the list and the
        word before the period is not a label's abbreviation ("Fig.3")."""
        listed = self._listed_numbers
        if _LABEL_BEFORE.search(_before(text, at)) or not all(n in listed for n in numbers):
            return []
        return numbers

    def _plausible(self, numbers: Iterable[int]) -> list[int]:
        """``[n]`` is a citation even beyond a truncated list, but ``[2019]`` is a year unless
        the list is that long."""
        listed = self._listed_numbers
        return [n for n in numbers if n < 1800 or n in listed]

    def _group(self, m: re.Match[str]) -> list[int]:
        """ "(Chen et al., 2019; Sun and Li, 2020a, 2021)": each item resolved."""
        out: list[int] = []
        for item in _ITEM.finditer(m.group(1) or m.group(2)):
            out.extend(self._author_year(item))
        return out

    def _author_year(self, m: re.Match[str]) -> list[int]:
        out: list[int] = []
        for year in re.findall(_YEAR, m.group("years")):
            ref = self._resolve(
                m.group("first"), m.group("second"), bool(m.group("etal")), year, m.group("initial")
            )
            if ref is not None:
                out.append(ref.number)
        return out

    def _resolve(
        self,
        first: str,
        second: str | None,
        et_al: bool,
        year_text: str,
        initial: str | None = None,
    ) -> Reference | None:
        """The one reference by ``first`` (and ``second``, or with that initial) in that year,
        or None if unclear."""
        year, suffix = int(year_text[:4]), year_text[4:]
        candidates = self._by_author.get((name_key(first), year), [])
        if initial:
            candidates = [r for r in candidates if _first_initial(r) in (initial, None)]
        if second:
            candidates = [r for r in candidates if _second_author(r) == name_key(second)]
        elif len(candidates) > 1:
            fitting = [r for r in candidates if (len(r.authors) > 2) == et_al]
            candidates = fitting or candidates
        if suffix and len(candidates) > 1:
            marked = [r for r in candidates if re.search(rf"\b{year}{suffix}\b", r.text)]
            if marked:
                return marked[0]
            index = ord(suffix) - ord("a")
            return candidates[index] if 0 <= index < len(candidates) else None
        return candidates[0] if len(candidates) == 1 else None


def _before(text: str, at: int) -> str:
    return text[max(0, at - 40) : at]


#: The first initial at the start of an entry whose authors were not split: "Zhao Y, Sun X
#: (2017) …", "Y. Zhao, X. Sun, …".
_ENTRY_INITIAL = re.compile(
    r"[A-Z][\w'’\-]+,?\s+([A-Z])(?:[A-Z]{0,2}|\.)[\s,]|([A-Z])\.[ \-]?(?:[A-Z]\.[ \-]?)*[A-Z][a-z]"
)


def _first_initial(ref: Reference) -> str | None:
    """The first author's first initial ("Zhao, X." and "X. Zhao" → "X"), None if not given."""
    if not ref.authors:
        m = _ENTRY_INITIAL.match(ref.text)
        return (m.group(1) or m.group(2)) if m else None
    author = ref.authors[0]
    name = surname(author)
    head = author.split(",", 1)[0]
    given = author.split(",", 1)[1] if "," in author and name == head.strip() else head
    given = given.replace(name, "")
    m = re.search(r"[A-Z]", given)
    return m.group(0) if m else None


def _second_author(ref: Reference) -> str | None:
    return name_key(surname(ref.authors[1])) if len(ref.authors) > 1 else None


def cites_in_parentheses(body: str, references: Sequence[Reference]) -> bool:
    """Does the document cite as ``(7)``? Only when it has a numbered list and no ``[n]``.

    >>> cites_in_parentheses("Films grew (3). They lasted (4, 5).", [])
    False
    """
    if not references or _BRACKETS.search(body):
        return False
    listed = {r.number for r in references}
    hits = [
        m for m in _PARENS.finditer(body) if not _NOT_BEFORE_PARENS.search(_before(body, m.start()))
    ]
    good = [m for m in hits if all(n in listed for n in _expand(m.group(1)))]
    return len(good) >= 2 and len(good) * 2 >= len(hits)


def table_ref(cell: str, references: Sequence[Reference] = ()) -> int | None:
    """The reference a table's Ref cell names: ``[3]``, ``3``, ``Kazyak et al., 2015``,
    ``Chen et al. (2021)``; None when it names none (a year alone is not a citation number).

    >>> refs = [Reference(1, "Kazyak, E. (2015). T. J.", ("Kazyak, E.",), "T", "J", 2015,
    ...     None, 0, 0)]
    >>> table_ref("Kazyak et al., 2015", refs), table_ref("[4]", refs), table_ref("2015", refs)
    (1, 4, None)
    """
    cites = Citations(tuple(references))
    for pattern in (_NARRATIVE, _ITEM):
        m = pattern.search(cell)
        if m and cites._by_author:
            found = cites._author_year(m)
            if found:
                return found[0]
    numbers = cites.numbers(cell) or cites._plausible(
        int(n) for n in re.findall(r"\b\d{1,4}\b", cell)
    )
    if numbers:
        return numbers[0]
    return cites.only_by(cell)
