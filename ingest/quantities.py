"""The one place numbers and units are parsed: clean text → :class:`Quantity` with pint units.

pint alone misreads our units (see PITFALLS.md): ``cm-2`` parses as subtraction, ``cycle`` is
an angle and ``°C`` is an offset unit. So units are first normalized here, only inside a
detected quantity span (never over formulas such as ``Al2O3`` or ``LiPF6``), into strings
pint reads unambiguously (``mA/cm^2``), against a registry where ``cycle`` is a count.

>>> parse_unit("mA cm-2")
'mA/cm^2'
>>> q = parse_quantity("160–180 °C")
>>> (q.kind, q.low, q.high, q.value)
('DepositionTemperature', 160.0, 180.0, None)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.records import Quantity

if TYPE_CHECKING:  # pint is imported lazily: no work at import time
    import pint

__all__ = [
    "UnitError",
    "find_quantities",
    "kind_for_unit",
    "parse_number",
    "parse_quantity",
    "parse_unit",
    "to_canonical",
    "ureg",
]


class UnitError(ValueError):
    """A unit as written is not one we know how to read."""


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    """The shared registry, built once from ``units.txt`` (the field's units only).

    pint's default registry takes ~2 s to load and defines ``cycle`` as a turn (2π rad); ours
    loads in milliseconds and makes ``cycle`` a count, so a GPC in nm/cycle never becomes nm/rad.
    """
    import pint

    return pint.UnitRegistry(
        str(Path(__file__).with_name("units.txt")),
        on_redefinition="ignore",
        autoconvert_offset_to_baseunit=True,
    )


class _LazyRegistry:
    """``ureg`` for callers: attribute access (``ureg.Quantity``) or a call (``ureg()``).

    Either way the registry is built on first use, never at import.
    """

    def __call__(self) -> pint.UnitRegistry:
        return _registry()

    def __getattr__(self, name: str) -> object:
        return getattr(_registry(), name)

    def __repr__(self) -> str:
        return "<lazy pint UnitRegistry with cycle = [cycle_count]>"


ureg = _LazyRegistry()


# --------------------------------------------------------------------------- units

#: Unit atoms as written → pint spelling. Deliberately closed: a word that is not listed
#: here ends a unit span, which is what keeps ``in``, ``at`` or ``Al`` from becoming units.
_ATOMS: dict[str, str] = {
    "mA": "mA",
    "μA": "uA",
    "uA": "uA",
    "A": "A",
    "mAh": "mAh",
    "Ah": "Ah",
    "Wh": "Wh",
    "g": "g",
    "mg": "mg",
    "kg": "kg",
    "cm": "cm",
    "mm": "mm",
    "m": "m",
    "μm": "um",
    "µm": "um",
    "um": "um",
    "nm": "nm",
    "Å": "angstrom",
    "angstrom": "angstrom",
    "S": "S",
    "mS": "mS",
    "cycle": "cycle",
    "cycles": "cycle",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "day",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "min": "min",
    "s": "s",
    "sec": "s",
    "ms": "ms",
    "mV": "mV",
    "V": "V",
    "GPa": "GPa",
    "MPa": "MPa",
    "kPa": "kPa",
    "Pa": "Pa",
    "μL": "uL",
    "µL": "uL",
    "uL": "uL",
    "mL": "mL",
    "L": "L",
    "M": "molar",
    "°C": "degC",
    "℃": "degC",
    "degC": "degC",
    "K": "K",
    "%": "%",
    "wt%": "%",
}
_ATOM_KEYS = sorted(_ATOMS, key=len, reverse=True)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
#: One unit token: letters (or °C, %) with an optional exponent, e.g. ``cm-2``, ``g^-1``, ``cm²``.
_TOKEN = r"(?:°C|℃|wt%|%|[A-Za-zμµÅ]+)(?:\^?\{?[-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]\}?)?"
_TOKEN_RE = re.compile(
    r"(?P<atom>°C|℃|wt%|%|[A-Za-zμµÅ]+)(?:\^?\{?(?P<exp>[-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹])\}?)?"
)


def _split_atoms(word: str) -> list[str] | None:
    """Split glued atoms (``mAhg`` → ``mAh``, ``g``), longest atom first; None if impossible."""
    if not word:
        return []
    for key in _ATOM_KEYS:
        if word.startswith(key):
            rest = _split_atoms(word[len(key) :])
            if rest is not None:
                return [key, *rest]
    return None


#: ``μ L`` as text converters leave it: the prefix belongs to the unit letter after it.
_MICRO_GAP = re.compile(r"([μµ])\s+(?=[A-Za-z])")


def _unit_factors(text: str) -> list[tuple[str, int]] | None:
    """The (pint atom, power) factors of a unit as written, or None when it is not a unit."""
    factors = _unit_factors_cached(text)
    return None if factors is None else list(factors)


@lru_cache(maxsize=4096)
def _unit_factors_cached(text: str) -> tuple[tuple[str, int], ...] | None:
    """:func:`_unit_factors`, memoized per spelling (a document repeats few unit spellings)."""
    text = text.strip().replace("·", " ").replace("−", "-")
    text = _MICRO_GAP.sub(r"\1", text)  # "μ L" from the converter
    factors: list[tuple[str, int]] = []
    denominator = False
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == "/":
            denominator = True
            pos += 1
            continue
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            return None
        atoms = _split_atoms(m.group("atom"))
        if not atoms:
            return None
        power = 1
        if m.group("exp"):
            power = int(m.group("exp").translate(_SUPERSCRIPT))
        for i, atom in enumerate(atoms):
            p = power if i == len(atoms) - 1 else 1
            if denominator:
                p = -abs(p)
            factors.append((_ATOMS[atom], p))
        pos = m.end()
    return tuple(factors) or None


def _format_units(factors: list[tuple[str, int]]) -> str:
    def part(name: str, power: int) -> str:
        return name if power == 1 else f"{name}^{power}"

    num = [part(n, p) for n, p in factors if p > 0]
    den = [part(n, -p) for n, p in factors if p < 0]
    out = "*".join(num) or "1"
    for d in den:
        out += f"/{d}"
    return out


def parse_unit(text: str) -> str:
    """Normalize a unit as written into a string pint parses unambiguously.

    Exponents are read here so that pint never sees ``cm-2`` (a subtraction to pint).

    >>> [parse_unit(u) for u in ("mA/cm2", "mAhg-1", "Å/cycle", "°C", "hrs", "μL")]
    ['mA/cm^2', 'mAh/g', 'angstrom/cycle', 'degC', 'h', 'uL']

    Raises:
        UnitError: the text is not a unit we know.
    """
    unit, error = _parse_unit_cached(text)
    if error is not None:
        raise UnitError(error)
    return unit


@lru_cache(maxsize=4096)
def _parse_unit_cached(text: str) -> tuple[str, str | None]:
    """(pint spelling, None) or ("", error message): pint parses each spelling once."""
    factors = _unit_factors_cached(text)
    if factors is None:
        return "", (
            f"Unknown unit {text!r}. Known unit words: {', '.join(sorted(_ATOMS))}; "
            "exponents may be written cm-2, cm^-2 or cm2 after '/'."
        )
    unit = _format_units(list(factors))
    try:
        _registry().parse_units(unit)
    except Exception as e:  # pint raises several types; one message for all
        return "", f"Unit {text!r} (read as {unit!r}) is not understood by pint: {e}"
    return unit, None


# --------------------------------------------------------------------------- kinds

_RE_CE = re.compile(r"\bCEs?\b|coulomb(?:ic)? efficienc", re.I)
_RE_RETENTION = re.compile(r"retention|retain", re.I)
_RE_SHEAR = re.compile(r"\bshear\b", re.I)
_RE_ELASTIC = re.compile(r"elastic|young", re.I)
_RE_DEPOSITION = re.compile(
    r"\b(?:ALD|MLD|deposition|coating)\s+cycles?\b|\bcycles?\s+of\s+(?:ALD|MLD)", re.I
)


def _percent_kind(context: str) -> str | None:
    ce, ret = _RE_CE.search(context), _RE_RETENTION.search(context)
    if ce and ret:  # the nearer word wins
        return "CoulombicEfficiency" if ce.start() > ret.start() else "CapacityRetention"
    if ce:
        return "CoulombicEfficiency"
    if ret:
        return "CapacityRetention"
    return None


def _modulus_kind(context: str) -> str:
    if _RE_SHEAR.search(context):
        return "ShearModulus"
    if _RE_ELASTIC.search(context):
        return "ElasticModulus"
    return "Modulus"


def _cycle_kind(context: str) -> str:
    return "DepositionCycles" if _RE_DEPOSITION.search(context) else "CycleCount"


#: Words that make a cycle count electrochemical (``after 13,500 charge/discharge cycles``) or
#: a deposition recipe (``50 ALD cycles``, ``deposited with 25 cycles``) when they sit next to it.
_ELECTROCHEM_WORDS = re.compile(
    r"charg\w*|discharg\w*|plating|stripping|cycling|cycled|overpotential|hysteresis|capacity"
    r"|retention|retain\w*|efficienc\w*|\bCEs?\b|stabl[ey]\w*|lifespan|\blife\b|fail\w*"
    r"|\bcells?\b|symmetric|galvanostatic|\b(?:after|over|beyond|for|within|during)\s*$",
    re.I,
)
_DEPOSITION_WORDS = re.compile(
    r"\b(?:ALD|MLD|PEALD)\b|deposit\w*|\bcoat\w*|\bgrown\b|\bgrowth\b|\bthick\w*|\bfilms?\b",
    re.I,
)
_DEPOSITION_AFTER = re.compile(
    r"^\s*(?:\(\s*)?(?:of\s+(?:the\s+)?)?(?:ALD|MLD|PEALD|deposition|coating)\b"
    r"|^\s*of\s+[A-Z][a-z]?\d",  # "25 cycles of Al2O3"
)


def _local_cycle_kind(before: str, gap: str, after: str, context: str) -> str:
    """Deposition or electrochemical cycles, decided by the words nearest the number.

    The word between number and unit decides first (``50 ALD cycles``, ``100 charge/discharge
    cycles``), then the words just after (``25 cycles of ALD``), then the nearest telling word
    before; only a clause with no telling word falls back to the clause-wide rule, so a
    ``60 MLD cycles`` earlier in the clause cannot make ``after 13,500 cycles`` a recipe.
    """
    if _DEPOSITION_WORDS.search(gap):
        return "DepositionCycles"
    if gap.strip():  # charge/discharge, plating/stripping
        return "CycleCount"
    if _DEPOSITION_AFTER.search(after):
        return "DepositionCycles"
    electro = [m.end() for m in _ELECTROCHEM_WORDS.finditer(before)]
    deposition = [m.end() for m in _DEPOSITION_WORDS.finditer(before)]
    if electro or deposition:
        return (
            "DepositionCycles"
            if max(deposition, default=-1) > max(electro, default=-1)
            else "CycleCount"
        )
    return _cycle_kind(context)


#: (a unit of the dimension, kind or a function of the context words).
_KIND_RULES: tuple[tuple[str, str | Callable[[str], str | None]], ...] = (
    ("h", "CyclingDuration"),
    ("nm", "Thickness"),
    ("degC", "DepositionTemperature"),
    ("mV", "Overpotential"),
    ("mA/cm^2", "CurrentDensity"),
    ("mAh/g", "SpecificCapacity"),
    ("mAh/cm^2", "ArealCapacity"),
    ("GPa", _modulus_kind),
    ("nm/cycle", "GrowthPerCycle"),
    ("S/cm", "IonicConductivity"),
    ("uL", "ElectrolyteVolume"),
    ("cycle", _cycle_kind),
)


@lru_cache(maxsize=256)
def _dimensionality(unit: str) -> str:
    return str(_registry().parse_units(unit).dimensionality)


def kind_for_unit(unit: str, context: str = "") -> str | None:
    """The quantity kind (local name in ontology/vocab.ttl) a unit and nearby words imply.

    The unit fixes the dimension; context words pick among kinds sharing one (%, GPa, cycle).

    >>> kind_for_unit("%", "capacity retention"), kind_for_unit("Å/cycle")
    ('CapacityRetention', 'GrowthPerCycle')
    """
    try:
        normalized = parse_unit(unit)
    except UnitError:
        return None
    if normalized == "%":
        return _percent_kind(context)
    dim = _dimensionality(normalized)
    for ref, kind in _KIND_RULES:
        if _dimensionality(ref) == dim:
            return kind if isinstance(kind, str) else kind(context)
    return None


@lru_cache(maxsize=64)
def canonical_unit(kind: str) -> str:
    """The canonical unit symbol of a quantity kind, read from the vocabulary."""
    from kg.vocab import load_vocabulary

    for concept in load_vocabulary().of_kind("QuantityKind"):
        if concept.iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] == kind and concept.unit:
            return concept.unit
    raise UnitError(
        f"Unknown quantity kind {kind!r}: it has no akg:canonicalUnitSymbol in vocab.ttl."
    )


def to_canonical(value: float, unit: str, kind: str) -> float:
    """Convert ``value`` in ``unit`` to the canonical unit of ``kind`` (offset-aware for K/°C).

    >>> round(to_canonical(423.15, "K", "DepositionTemperature"), 6)
    150.0
    """
    target = canonical_unit(kind)
    source = parse_unit(unit)
    try:
        converted = _converter(source, target)(value)
    except Exception as e:
        raise UnitError(f"Cannot convert {unit!r} to {target!r} for {kind}: {e}") from e
    # 12 significant digits: 5 Å/cycle is 0.5 nm/cycle, not 0.49999999999999994.
    return float(f"{converted:.12g}")


@lru_cache(maxsize=1024)
def _converter(source: str, target: str) -> Callable[[float], float]:
    """A function converting values from ``source`` to ``target`` (pint spellings).

    Multiplicative units convert by one factor, the one pint multiplies by; offset units
    (°C, K) keep pint's offset-aware conversion, with both units parsed once.
    """
    reg = _registry()
    src, dst = reg.parse_units(source), reg.parse_units(target)
    if float(reg.Quantity(0.0, src).to(dst).magnitude) != 0.0:  # an offset: K → °C

        def offset(value: float) -> float:
            return float(reg.Quantity(value, src).to(dst).magnitude)

        offset(1.0)  # an impossible conversion fails here, once
        return offset
    factor = float(reg.Quantity(1.0, src).to(dst).magnitude)

    def scale(value: float) -> float:
        return float(value * factor)

    return scale


# --------------------------------------------------------------------------- numbers

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_EXP = r"(?:\^\{?[-−]?\d+\}?|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
_SCI = rf"(?:(?:{_NUM})\s*[×x*]\s*)?10{_EXP}"
_VALUE = rf"(?:{_SCI}|(?:{_NUM}))"
_RANGE_SEP = r"\s*(?:–|—|-|to)\s*"

_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("~", r"~|≈|∼|about|approximately|approx\.|around|nearly|roughly|ca\."),
    ("≥", r"≥|>=|at least|no less than"),
    ("≤", r"≤|<=|up to|at most|no more than"),
    (">", r">|more than|greater than|over|beyond|above|exceeding|in excess of"),
    ("<", r"<|less than|below|under|lower than"),
)
_COMPARATOR_RE = re.compile(
    r"(?:^|(?<=[\s(]))(?:"
    + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_COMPARATORS))
    + r")\s*$",
    re.I,
)
#: Longer than any comparator phrase (``approximately``): where a prefix search may start.
_COMPARATOR_WINDOW = 24


def parse_number(text: str) -> float:
    """A number as written: ``13,500``, ``0.82``, ``2.5 × 10^-7``, ``10^-12``.

    >>> parse_number("13,500"), parse_number("2.5 × 10^-7")
    (13500.0, 2.5e-07)
    """
    text = text.strip()
    m = re.fullmatch(rf"(?:(?P<mant>{_NUM})\s*[×x*]\s*)?10(?P<exp>{_EXP})", text)
    if m:
        mant = float(m.group("mant").replace(",", "")) if m.group("mant") else 1.0
        exp = int(re.sub(r"[\^{}]", "", m.group("exp")).translate(_SUPERSCRIPT).replace("−", "-"))
        return mant * 10.0**exp
    return float(text.replace(",", ""))


def _comparator_match(text: str, end: int) -> re.Match[str] | None:
    """``_COMPARATOR_RE.search(text[:end])`` without copying or scanning the whole prefix.

    A comparator phrase is at most 13 characters and only whitespace may follow it, so the
    search starts a little before the trailing whitespace; ``endpos`` makes ``$`` match at
    ``end`` and the lookbehind still sees the character before the window.
    """
    stop = end
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    return _COMPARATOR_RE.search(text, max(0, stop - _COMPARATOR_WINDOW), end)


def _comparator(prefix: str) -> str:
    return _comparator_symbol(_comparator_match(prefix, len(prefix)))


def _comparator_symbol(m: re.Match[str] | None) -> str:
    if not m:
        return "="
    for i, (symbol, _) in enumerate(_COMPARATORS):
        if m.group(f"c{i}"):
            return symbol
    return "="


def _quantity(
    low: float,
    high: float | None,
    unit_written: str,
    *,
    comparator: str,
    kind: str | None,
    context: str,
    text: str,
) -> Quantity:
    unit = parse_unit(unit_written)
    if kind is None:
        kind = kind_for_unit(unit_written, context)
    if kind is None:
        # No kind known: keep the unit as its own canonical unit so nothing is lost.
        c_low, c_high, c_unit = low, high, unit
    else:
        c_unit = canonical_unit(kind)
        c_low = to_canonical(low, unit, kind)
        c_high = to_canonical(high, unit, kind) if high is not None else None
    if high is not None:
        return Quantity(kind or "", None, unit, None, c_unit, comparator, c_low, c_high, text)
    return Quantity(kind or "", low, unit, c_low, c_unit, comparator, None, None, text)


_QUANTITY_RE = re.compile(
    rf"^\s*(?P<prefix>.*?)(?P<a>{_VALUE})(?:{_RANGE_SEP}(?P<b>{_VALUE}))?\s*(?P<unit>.+?)\s*$",
    re.S,
)


def parse_quantity(text: str, *, kind: str | None = None, context: str = "") -> Quantity | None:
    """One quantity string (``~2–3 nm``, ``> 95%``, ``13,500 cycles``) → Quantity, or None.

    ``kind`` forces the quantity kind; otherwise it follows the unit and ``context`` words.
    A range gives ``low``/``high`` (canonical) and ``value=None``. Lists such as
    ``3 and 10 mA cm-2`` hold several quantities: use :func:`find_quantities`.
    """
    m = _QUANTITY_RE.match(text)
    if not m:
        return None
    prefix = m.group("prefix")
    if prefix.strip() and _comparator(prefix) == "=":
        return None  # words before the number that are not a comparator: not one quantity
    unit_written = m.group("unit")
    if _unit_factors(unit_written) is None:
        return None
    low = parse_number(m.group("a"))
    high = parse_number(m.group("b")) if m.group("b") else None
    return _quantity(
        low,
        high,
        unit_written,
        comparator=_comparator(prefix),
        kind=kind,
        context=f"{context} {text}",
        text=text.strip(),
    )


# --------------------------------------------------------------------------- sentences

#: A number (or range) not glued to letters before it (formulas, ``Na@25Al2O3``) nor inside
#: a word; the unit follows, possibly after ``charge/discharge`` or ``ALD`` before cycles.
_NUMBER_RE = re.compile(
    rf"(?<![\w@.^/{{,\-−–⁻])(?P<num>{_VALUE})(?:(?P<sep>{_RANGE_SEP})(?P<num2>{_VALUE}))?(?![\w.]*\d)"
)
_UNIT_AFTER_RE = re.compile(
    rf"(?P<gap>\s*(?:(?:charge[/-]discharge|plating[/-]stripping|ALD|MLD|deposition)\s+)?)"
    rf"(?P<unit>{_TOKEN}(?:\s*/\s*{_TOKEN}|\s+{_TOKEN})*)",
)
_LIST_GAP_RE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")
_SKIP_BEFORE_RE = re.compile(
    r"(?:Fig\.|Figure|Figures|Table|Tables|Scheme|Section|Eq\.|Ref\.)\s*$", re.I
)
_SKIP_WINDOW = 16  # longer than any word _SKIP_BEFORE_RE names


def _skip_before(text: str, end: int) -> bool:
    """``_SKIP_BEFORE_RE.search(text[:end])``, looking only just before the trailing spaces."""
    stop = end
    while stop > 0 and text[stop - 1].isspace():
        stop -= 1
    return _SKIP_BEFORE_RE.search(text, max(0, stop - _SKIP_WINDOW), end) is not None


def _unit_span(text: str, pos: int) -> tuple[str, int, int, str] | None:
    """The longest valid unit starting at ``pos``: (unit, start, end, gap words)."""
    m = _UNIT_AFTER_RE.match(text, pos)
    if not m:
        return None
    unit = m.group("unit")
    start = m.start("unit")
    # Shrink token by token until the span is a unit that ends at a word boundary.
    tokens = list(re.finditer(rf"{_TOKEN}", unit))
    for n in range(len(tokens), 0, -1):
        candidate = unit[: tokens[n - 1].end()]
        end = start + len(candidate)
        if end < len(text) and (text[end].isalnum() or text[end] in "_"):
            continue
        if _unit_factors(candidate) is None:
            continue
        gap = m.group("gap")
        if gap.strip() and "cycle" not in candidate:
            return None  # "charge/discharge" only ever introduces cycles
        if not gap.strip() and start - pos > 1:
            return None
        return candidate, start, end, gap
    return None


#: How far around a number its clause is looked for, and what opens a clause.
_CLAUSE_REACH = 400
_CLAUSE_OPEN = (";", ". ", ", ", "(")


def find_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """Every quantity in a sentence of clean text, with its [start, end) offsets.

    Lists sharing one unit (``3 and 10 mA cm-2``) give one quantity per number; comparator
    words just before a number apply to it; the kind follows the unit and the words within
    the sentence clause. Numbers in formulas, coating labels (``Na@25Al2O3``), citations,
    figure numbers, years and ordinals are not quantities.

    >>> [(q.value, q.unit) for q, _, _ in find_quantities("at 3 and 10 mA cm-2 [94]")]
    [(3.0, 'mA/cm^2'), (10.0, 'mA/cm^2')]
    """
    brackets = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", text)]
    items: list[dict] = []
    for m in _NUMBER_RE.finditer(text):
        if any(a <= m.start() < b for a, b in brackets):
            continue
        if _skip_before(text, m.start()):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", text[m.end() :]):
            continue
        items.append({"m": m, "unit": _unit_span(text, m.end())})
    results: list[tuple[Quantity, int, int]] = []
    # Propagate a unit backwards over a list: "3, 5 and 10 mA cm-2".
    for i in range(len(items) - 2, -1, -1):
        cur, nxt = items[i], items[i + 1]
        if cur["unit"] is None and (nxt["unit"] or nxt.get("shared")):
            gap = text[cur["m"].end() : nxt["m"].start()]
            if _LIST_GAP_RE.match(_COMPARATOR_RE.sub("", gap)):
                cur["shared"] = nxt.get("shared") or nxt["unit"]
                cur["owner"] = nxt.get("owner", id(nxt))
    # The words before a list ("coating thicknesses of 5, 10 and 25 cycles") speak for all of it.
    list_start: dict[int, int] = {}
    for it in items:
        list_start.setdefault(it.get("owner", id(it)), it["m"].start())
    for it in items:
        m = it["m"]
        own = it["unit"]
        unit_info = own or it.get("shared")
        if unit_info is None:
            continue
        unit_written, _u_start, u_end, gap = unit_info
        if own is None:
            u_end = m.end()
        # A clause is looked for within _CLAUSE_REACH characters: searching the whole text for
        # a separator that is not there made one long list of numbers quadratic.
        reach_back = max(0, m.start() - _CLAUSE_REACH)
        clause_start = max(text.rfind(sep, reach_back, m.start()) for sep in _CLAUSE_OPEN)
        clause_start = clause_start if clause_start >= 0 else reach_back
        reach = u_end + _CLAUSE_REACH
        clause_end_candidates = [text.find(sep, u_end, reach) for sep in (";", ". ", ", ", ")")]
        clause_end = min(
            [c for c in clause_end_candidates if c >= 0], default=min(reach, len(text))
        )
        context = text[max(clause_start, 0) : clause_end]
        if gap.strip() and re.match(r"(?:ALD|MLD|deposition)", gap.strip()):
            context += " ALD cycles"
        # Include a leading comparator in the quantity's text and offsets.
        cm = _comparator_match(text, m.start())
        comparator = _comparator_symbol(cm)
        start = cm.start() if cm else m.start()
        low = parse_number(m.group("num"))
        high = parse_number(m.group("num2")) if m.group("num2") else None
        kind = None
        if _unit_factors(unit_written) == [("cycle", 1)]:
            first = list_start.get(it.get("owner", id(it)), m.start())
            cut = max(text.rfind(sep, max(0, first - 60), first) for sep in _CLAUSE_OPEN)
            lead_cm = _comparator_match(text, first)
            before = text[max(cut, 0, first - 60) : lead_cm.start() if lead_cm else first]
            kind = _local_cycle_kind(before, gap, text[u_end : u_end + 30], context)
        try:
            q = _quantity(
                low,
                high,
                unit_written,
                comparator=comparator,
                kind=kind,
                context=context,
                text=_MICRO_GAP.sub(r"\1", text[start:u_end]),
            )
        except UnitError:
            continue
        results.append((q, start, u_end))
    return results
