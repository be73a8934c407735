"""Which coating a row is: material, technique, substrate, year and the study it cites.

Each comes from the row's own cell where the table has that column, else from the table's
context (caption, section, document title): a caption "ALD coatings on Li metal" gives every
row ALD and Li. A caption naming several metals ("on Li and Na metal") leaves the metal to
the row, read from its cell or electrolyte (``Na–Na symmetric``, ``NaPF6``).
"""

from __future__ import annotations

import re

from ingest.citations import table_ref
from ingest.prose.attribution import UNNAMED_FILM
from ingest.prose.matcher import default_matcher
from ingest.records import StructuredDocument, TableBlock
from ingest.structure import heading_metals
from ingest.tables.terms import is_empty, surface_regex, vocab
from kg.vocab import Concept, label_key

__all__ = ["caption_technique", "material", "row_technique", "study_number", "substrate_of"]

_METAL = r"Li|Na|K|lithium|sodium|potassium"
_METALS_RE = re.compile(
    rf"\b(?P<all>(?:{_METAL})(?:\s*(?:,|and|or|/|&)\s*(?:{_METAL}))*)(?:\s+|-)"
    r"(?:metals?|anodes?|foils?)\b",
    re.I,
)
_SYMBOL = {"lithium": "Li", "sodium": "Na", "potassium": "K"}
_CELL_METAL = re.compile(r"\b(Li|Na|K)(?=\s*(?:[–\-|‖/]|metal\b|foil\b|symmetric\b))")
_SALT_METAL = re.compile(r"\b(Li|Na|K)(?=[A-Z(])")


def caption_technique(table: TableBlock, process_header: str) -> str | None:
    """ALD, MLD or ALD/MLD from the caption, else the process header, else the section."""
    for text in (table.caption, process_header, table.section or ""):
        ald = re.search(r"\bALD\b|atomic layer", text, re.I)
        mld = re.search(r"\bMLD\b|molecular layer", text, re.I)
        dual = re.search(r"dual[- ]layer|hybrid|ALD/MLD|MLD/ALD", text, re.I)
        if (ald and mld) or (dual and (ald or mld)):
            return "ALD/MLD"
        if mld:
            return "MLD"
        if ald:
            return "ALD"
    return None


def row_technique(cell: str, fallback: str | None) -> tuple[str | None, tuple[str, ...]]:
    """A technique cell (``thermal ALD``, ``PE-ALD``, ``ALD + anneal (180 °C)``) → (technique,
    notes): the vocabulary's label of the first technique named; other words become a note."""
    if not cell or is_empty(cell):
        return fallback, ()
    m = surface_regex("Technique").search(cell)
    concept = vocab().lookup("Technique", m.group(0)) if m else None
    if concept is None:
        return fallback, (f"technique as written: {cell}",)
    rest = (cell[: m.start()] + cell[m.end() :]).strip(" +,;")
    return concept.label, ((f"also: {rest}",) if rest else ())


def _symbols(text: str) -> list[str]:
    out: list[str] = []
    for m in _METALS_RE.finditer(text or ""):
        for word in re.findall(_METAL, m.group("all"), re.I):
            symbol = _SYMBOL.get(word.lower(), word[0].upper() + word[1:].lower())
            if symbol not in out:
                out.append(symbol)
    return out


def context_metals(table: TableBlock, doc: StructuredDocument) -> list[str]:
    """The alkali metals a table is about: caption, then its section, then the title."""
    sections = [table.section or ""]
    for heading, start, end in doc.sections:
        if start <= table.start < end and heading not in sections:
            sections.append(heading)
    for text in (table.caption, *sections, doc.title):
        found = _symbols(text or "") or (heading_metals(text) if text in sections else [])
        if found:
            return found
    return []


def anode_metal(substrate: str | None, row_text: list[str], metals: list[str]) -> str | None:
    """The alkali metal a row's host, collector or solid electrolyte serves: the metal of its
    cell ("K||K"), else the one metal of the table's context. None on a metal itself."""
    concept = vocab().lookup("Substrate", substrate) if substrate else None
    if substrate is None or (concept is not None and concept.label in ("Li", "Na", "K")):
        return None
    for piece in row_text:
        m = _CELL_METAL.search(piece)
        if m:
            return _metal_label(m.group(1))
    return _metal_label(metals[0]) if len(metals) == 1 else None


def _metal_label(symbol: str) -> str:
    concept = vocab().lookup("Substrate", f"{symbol} metal")
    return concept.label if concept else symbol


def substrate_of(cell: str, row_text: list[str], metals: list[str]) -> str | None:
    """A substrate cell as the vocabulary's label (``Na metal`` → ``Na``), else the one metal
    of the table's context, else the metal the row's cell or electrolyte names."""
    text = cell.strip()
    if text and not is_empty(text):
        bare = re.sub(
            r"\s*\((?:host|scaffold|current collector|substrate)\)\s*$", "", text, flags=re.I
        )
        concept = (
            vocab().lookup("Substrate", text)
            or vocab().lookup("Substrate", bare)
            or vocab().lookup("Substrate", f"{bare} metal")
            or _named_substrate(text)
        )
        return concept.label if concept else text
    if len(metals) == 1:
        return _metal_label(metals[0])
    for pattern in (_CELL_METAL, _SALT_METAL):
        for piece in row_text:
            m = pattern.search(piece)
            if m and (not metals or m.group(1) in metals):
                return _metal_label(m.group(1))
    return _metal_label(metals[0]) if metals else None


def _named_substrate(cell: str) -> Concept | None:
    """The one substrate a descriptive cell names ("LLZTO garnet powder", "hierarchical Cu
    foam", "β-Li3PS4 (sulfide solid electrolyte)", "LATP (NASICON)"): the most specific of the
    terms outside brackets (a bracket glosses the head), else of those inside; None when the
    cell names two unrelated substrates."""
    head = re.sub(r"\([^()]*\)", " ", cell)
    for text in (head, cell):
        named = [m.concept for m in default_matcher().find(text) if m.kind == "Substrate"]
        unique = list({c.iri: c for c in named}.values())
        if unique:
            return _most_specific(unique)
    return None


def _most_specific(concepts: list[Concept]) -> Concept | None:
    """The concept every other one is the same as or broader than ("Li3PS4" over "sulfide
    solid electrolyte"), None when two are unrelated."""
    for candidate in concepts:
        ancestors = _ancestors(candidate)
        if all(c.iri == candidate.iri or c.iri in ancestors for c in concepts):
            return candidate
    return None


def _ancestors(concept: Concept) -> set[str]:
    seen: set[str] = set()
    todo = list(concept.broader)
    while todo:
        iri = todo.pop()
        if iri not in seen:
            seen.add(iri)
            parent = vocab().get(iri)
            todo.extend(parent.broader if parent else ())
    return seen


#: A film cell that says the study gave its film no name: "not named", "dual layer (not
#: named)", "unnamed", "n.n." — the material is unknown, never the words of the cell.
_NOT_NAMED = re.compile(
    r"(?i)\b(?:not\s+(?:named|specified|identified|disclosed)|unnamed|unspecified)\b"
)


def material(text: str) -> tuple[str, tuple[str, ...]]:
    """The material label of a cell, cleaned, and notes.

    An OCR ``I`` for ``l`` is fixed only when the vocabulary confirms it (``AIEG`` is a
    recorded misspelling of ``AlEG``); ``A + B`` of two known materials is the stack ``A/B``;
    a cell that names one known material among other words (``Zn-graded HPU``) is that
    material, with the cell kept as a note.
    """
    if _NOT_NAMED.search(text):
        return UNNAMED_FILM, (f"material as written: {text.strip()}",)
    text = re.sub(r"[_{}$]", "", text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+", " ", text).strip()
    known = vocab().lookup("Material", text)
    if known:
        fixed = label_key(text.replace("I", "l")) == label_key(known.label)
        return (known.label if fixed else text), ()
    parts = [p for p in re.split(r"\s+\+\s+", text) if p]
    if len(parts) > 1 and all(vocab().lookup("Material", p) for p in parts):
        return "/".join(parts), ()
    named = {
        c.label
        for m in surface_regex("Material").finditer(text)
        if (c := vocab().lookup("Material", m.group(0)))
    }
    if len(named) == 1:
        return named.pop(), (f"material as written: {text}",)
    return text, ()


def year(text: str) -> tuple[int | None, tuple[int, ...]]:
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    return (years[0] if years else None), tuple(years[1:])


def study_number(cell: str, doc: StructuredDocument) -> int | None:
    """The reference number a Ref cell cites: ``[30]``, ``30``, or an author–year
    ``Chen et al., 2021`` looked up in the reference list (:func:`ingest.citations.table_ref`,
    the citation rules of the whole document). A year alone is never a number."""
    if is_empty(cell):
        return None
    return table_ref(cell, doc.references)
