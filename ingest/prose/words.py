"""Word rules: what the words around a number or a name say about it.

Small pure functions over one sentence's text: which kind a quantity really is (a ``°C`` next to
``deposited`` is a deposition temperature, next to ``annealed`` it is not), whether a length is
a coating thickness, where a sentence turns to another subject (``, whereas``), which material a
property value is about.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ingest.prose.matcher import Mention
from ingest.records import Quantity
from kg.vocab import Concept

#: Quantity kinds that are outcomes of a cell test on a coated electrode.
OUTCOME_KINDS = frozenset(
    {
        "CyclingDuration",
        "CycleCount",
        "CoulombicEfficiency",
        "CapacityRetention",
        "Overpotential",
        "SpecificCapacity",
    }
)
#: Quantity kinds that describe a material rather than one cell test.
PROPERTY_KINDS = frozenset(
    {"IonicConductivity", "ShearModulus", "ElasticModulus", "Modulus", "GrowthPerCycle"}
)
_ALKALI = ("Li", "Na", "K")
#: Cell types that say less than a named pair (``Li-Cu``, ``Na-S``) when both are given.
_HALF_CELL = "metal-Cu half cell"
_GENERIC_CELLS = frozenset({"full cell", "symmetric", _HALF_CELL})

_BARE = re.compile(
    r"\b(?:bare|uncoated|pristine|unprotected|untreated|unmodified|traditional)\b", re.I
)
_COATED_WORD = re.compile(r"(?<![A-Za-z])(?:coated|protected|coatings?|films?|layers?)\b", re.I)
_CONTRAST_LEAD = re.compile(r"^\s*(?:Comparatively|In contrast|By contrast|Conversely)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r",\s*(?=(?:while|whereas|but|compared (?:to|with)|in contrast)\b)|;\s+|\s(?=whereas\b)", re.I
)
_DEPOSITION_VERB = re.compile(
    r"(?<![\w-])(?:deposited|deposit|deposition|coated|coating|grown|grew|fabricated|applied)\b",
    re.I,
)
_ET_AL = re.compile(r"et al\.?[^\[\].;]{0,60}?\[(\d+)")
_DEP_TEMP_WORDS = re.compile(
    r"deposit\w*|coated|coating|grown|growth|chamber temperature|fabricated|\bALD\b|\bMLD\b",
    re.I,
)
_NON_DEP_TEMP_WORDS = re.compile(
    r"anneal\w*|heat\w*|infus\w*|melt\w*|exposure|humidity|tested|cycled|cycling|room temperature"
    r"|sinter\w*|vapou?r|calcin\w*|dried|drying|storage|stored|\bair\b|atmospher\w*|sustained",
    re.I,
)
_THICKNESS_AFTER = re.compile(
    r"^\s*(?:-|‐)?\s*thick\b|^[^.;]{0,40}?(?:coatings?|films?|layers?|nanofilms?|-?\s*coated)\b",
    re.I,
)
_NOT_THICKNESS = re.compile(r"foils?\b|above|below|diameter|depth|\bsize\b|particles?", re.I)
_AFTER_WORD = re.compile(r"\bafter\s*$", re.I)
_DEP_CYCLES = re.compile(r"^\s*(?:\(\s*)?(?:ALD|MLD|deposition|total)\b", re.I)
_ELECTROCHEM_GAP = re.compile(r"charge|discharge|plating|stripping", re.I)
_ELECTROLYTE_PHRASE = re.compile(
    r"\b\d+(?:\.\d+)?\s*M\s+[A-Za-z0-9()]+(?:\s+in\s+[^,;.]+?(?:\([^)]*\))?)?(?=[,;.)]|\s+(?:with|at|and|electrolyte|solution)\b|$)"
)
_CYCLING_CONTEXT = re.compile(
    r"cycl\w*|stabl[ey]\w*|hysteresis|overpotential|lifespan|\blife\b|plating|stripping|fail",
    re.I,
)
_NOT_CYCLING = re.compile(r"exposure|soak\w*|immers\w*|anneal\w*|sputter\w*|\bair\b", re.I)
_CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Scheme)\s+\d+", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def find_quantities_in(text: str) -> list[tuple[Quantity, int, int]]:
    """ingest.quantities.find_quantities, imported late so importing this module stays cheap."""
    from ingest.quantities import find_quantities

    return list(find_quantities(text))


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.kind != b.kind and {a.kind, b.kind} - {"CycleCount", "DepositionCycles"}:
        return False
    av = a.canonical_value if a.canonical_value is not None else a.high
    bv = b.canonical_value if b.canonical_value is not None else b.high
    if av is None or bv is None:
        return (a.low, a.high) == (b.low, b.high)
    return abs(av - bv) <= 1e-6 * max(abs(av), abs(bv), 1e-30)


def _contains(quantities: Iterable[Quantity], q: Quantity) -> bool:
    return any(_same_quantity(q, other) for other in quantities)


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    text: str


def _clauses(text: str) -> list[_Clause]:
    """Split at the words that turn a sentence to another subject (`, while`, `whereas`, ...)."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    return [_Clause(a, b, text[a:b]) for a, b in itertools.pairwise(cuts) if b > a]


def _subject(mentions: list[Mention], start: int) -> Mention | None:
    """The material a property value is about: the nearest named before it, else after it."""
    materials = [m for m in mentions if m.kind == "Material"]
    before = [m for m in materials if m.end <= start]
    after = [m for m in materials if m.start >= start]
    return before[-1] if before else (after[0] if after else None)


def _clean_electrolyte(text: str) -> str:
    """An electrolyte as written, without the sentence's trailing punctuation or spacing."""
    return re.sub(r"\s+", " ", re.sub(r"[\s,;:.]+$", "", text)).strip()


def _is_alkali(label: str | None) -> bool:
    return label in _ALKALI


def _is_host(concept: Concept) -> bool:
    return any(c.endswith("#Host") or c.endswith("/Host") for c in concept.classes)


def _cell_alkali(mention: Mention) -> str | None:
    """The metal a cell name implies: ``Na-Na symmetric cells`` → Na, ``Li-S`` → Li."""
    m = re.match(r"(Li|Na|K)(?![a-z])", mention.text)
    if m:
        return m.group(1)
    m = re.match(r"(Li|Na|K)(?![a-z])", mention.label)
    return m.group(1) if m else None


def _refine_kind(q: Quantity, text: str, start: int, end: int) -> Quantity:
    """Correct the kind where the words around a quantity say more than its unit."""
    before = text[max(0, start - 60) : start].lower()
    after = text[end : end + 30]
    unit = q.canonical_unit
    if unit == "degC" and q.kind != "DepositionTemperature":
        return replace(q, kind="DepositionTemperature")
    if (
        unit in ("cycle", "cycles")
        and _DEP_CYCLES.search(after)
        and not _ELECTROCHEM_GAP.search(q.text)
    ):
        return replace(q, kind="DepositionCycles")
    if unit == "%":
        if re.search(r"retention|retain", before + after, re.I):
            return replace(q, kind="CapacityRetention")
        if re.search(r"\bCE\b|coulombic", before, re.I):
            return replace(q, kind="CoulombicEfficiency")
    if unit == "GPa":
        if "shear" in before:
            return replace(q, kind="ShearModulus")
        if "elastic" in before or "young" in before:
            return replace(q, kind="ElasticModulus")
    if unit == "nm" and q.kind not in ("Thickness",):
        return replace(q, kind="Thickness")
    return q


def _is_deposition_temperature(text: str, start: int) -> bool:
    """The last process word before a temperature decides: `deposited at` yes, `anneal at` no."""
    window = text[max(0, start - 90) : start]
    dep = [m.end() for m in _DEP_TEMP_WORDS.finditer(window)]
    non = [m.end() for m in _NON_DEP_TEMP_WORDS.finditer(window)]
    return bool(dep) and max(dep) > max(non, default=-1)


def _is_coating_thickness(text: str, start: int, end: int) -> bool:
    """A length is a coating thickness when `-thick`, coating/film/layer or `thickness` is next to it."""
    after = text[end : end + 45]
    before = text[max(0, start - 30) : start]
    if _NOT_THICKNESS.search(text[end : end + 12]) or re.search(r"foils?\b", before[-30:]):
        return False
    return bool(_THICKNESS_AFTER.search(after) or re.search(r"thickness (?:of|was|is)\s*$", before))
