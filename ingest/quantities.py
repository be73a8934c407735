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
    "Ω": "ohm",
    "ω": "ohm",  # an Ω case-folded by a converter ("84.5 ω cm2")
    "ohm": "ohm",
    "ohms": "ohm",
    "mΩ": "mohm",
    "kΩ": "kohm",
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
#: ``Ω`` is a unit atom; an exponent may be ``-2``, ``^-2``, ``^{-2}``, ``⁻²`` or ``(-1)``.
_TOKEN = r"(?:°C|℃|wt%|%|[A-Za-zμµÅΩω]+)(?:\^?[{(]?[-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹][})]?)?"
_TOKEN_RE = re.compile(
    r"(?P<atom>°C|℃|wt%|%|[A-Za-zμµÅΩω]+)(?:\^?[{(]?(?P<exp>[-−⁻]?[0-9⁰¹²³⁴⁵⁶⁷⁸⁹])[})]?)?"
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
    text = text.strip().replace("·", " ").replace("*", " ").replace("−", "-")
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


_RESISTANCES = frozenset({"ohm", "mohm", "kohm"})
_LENGTHS = frozenset({"cm", "mm", "m", "um", "nm"})


def _area_resistance(factors: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A resistance "per" area as authors often write an area-specific resistance
    ("35 Ω cm-2" for Ω cm²): no cell reports ohms per square centimetre, so the sign of the
    area's exponent is a slip and the unit is read as Ω cm²."""
    names = [name for name, _ in factors]
    if len(factors) == 2 and names[0] in _RESISTANCES and factors[0][1] == 1:
        length, power = factors[1]
        if length in _LENGTHS and power == -2:
            return [factors[0], (length, 2)]
    return factors


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
    unit = _format_units(_area_resistance(list(factors)))
    try:
        _registry().parse_units(unit)
    except Exception as e:  # pint raises several types; one message for all
        return "", f"Unit {text!r} (read as {unit!r}) is not understood by pint: {e}"
    return unit, None


# --------------------------------------------------------------------------- kinds

#: "the efficiency" alone, once a paper has named its Coulombic efficiency, is that efficiency;
#: energy, voltage and round-trip efficiencies are other quantities.
_RE_CE = re.compile(
    r"\bCEs?\b|coulomb(?:ic)? efficienc|(?<!energy )(?<!voltage )(?<!round-trip )\befficienc",
    re.I,
)
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
    if gap == "-":  # "the 10-cycle film": a count that qualifies a film makes it
        return "DepositionCycles"
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
    ("ohm*cm^2", "InterfacialResistance"),
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
    ("~", r"~|≈|∼|about|approximately|approx\.|around|nearly|roughly|ca\.|near|close\s+to"),
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


_VOLTAGE_WINDOW_WORDS = re.compile(
    r"\bbetween\b|window|\brange|cut-?\s?off|\bvs\.?|versus|charged?\s+to|discharged?\s+to"
    r"|\bup\s+to\b|[LNK][ia]?\+\s*/\s*[LNK]|\bSHE\b|stability\s+limit|stable\s+(?:up\s+)?to",
    re.I,
)
_OVERPOTENTIAL_WORDS = re.compile(r"overpotential|hysteresis|polari[sz]ation|voltage\s+gap", re.I)
#: Steps around a test that are not the test: an activation, a rest, an air exposure.
_STEP_WORDS = re.compile(
    r"activat\w*|\brest(?:ed|ing)?\b|expos\w*|immers\w*|\bstor(?:ed|age)\b|soak\w*|\bag(?:ed|ing)\b"
    r"|anneal\w*|\bdr(?:y|ied|ying)\b|\bheat\w*|\bdwell\w*|\bpulse|\bpurge|\bin\s+air\b",
    re.I,
)
_CYCLING_WORDS = re.compile(r"cycl\w*|plating|stripping|symmetric|lifespan|\blife", re.I)
_PERCENT_KINDS = ("CoulombicEfficiency", "CapacityRetention")


def plausible_kind(
    kind: str | None,
    low: float,
    high: float | None,
    unit: str,
    comparator: str,
    context: str,
) -> str | None:
    """The kind a unit suggests, checked against what that kind can be (per-kind plausibility).

    A value in volts is an overpotential only when the words say so and it is below 1 V; a
    range, ``between``, ``up to`` or a cut-off in volts is a voltage window; ``6 V vs. Li+/Li``
    is a potential, not an overpotential. A duration of seconds or minutes, or one the clause
    gives to an activation, rest or air exposure, is not a cycling duration. A Coulombic
    efficiency or retention over 100 % is not one.

    >>> plausible_kind("Overpotential", 0.05, 6.0, "V", "=", "in the range 0.05–6.0 V")
    'VoltageWindow'
    >>> plausible_kind("CyclingDuration", 1, None, "min", "=", "after 1 min of activation")
    """
    top = high if high is not None else low
    if kind == "Overpotential":
        return _volt_kind(top, high is not None, unit, comparator, context)
    if kind == "CyclingDuration":
        if unit in ("s", "ms", "min") or (
            _STEP_WORDS.search(context) and not _CYCLING_WORDS.search(context)
        ):
            return None
        return kind
    if kind in _PERCENT_KINDS and top > 100:
        return None
    return kind


def _volt_kind(top: float, is_range: bool, unit: str, comparator: str, context: str) -> str | None:
    millivolts = top * 1000 if unit == "V" else top
    if unit != "V":
        return "Overpotential" if millivolts <= 2000 else None
    if is_range or comparator in ("≤", "<") or _VOLTAGE_WINDOW_WORDS.search(context):
        return "VoltageWindow" if not _OVERPOTENTIAL_WORDS.search(context) or is_range else None
    if _OVERPOTENTIAL_WORDS.search(context) and millivolts <= 1000:
        return "Overpotential"
    return None


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
        kind = plausible_kind(
            kind_for_unit(unit_written, context), low, high, unit, comparator, context
        )
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
    try:
        return _quantity(
            low,
            high,
            unit_written,
            comparator=_comparator(prefix),
            kind=kind,
            context=f"{context} {text}",
            text=text.strip(),
        )
    except UnitError:
        return None  # e.g. "40 cycles cycles": a piece the caller cut badly is not a quantity


# --------------------------------------------------------------------------- sentences

#: A number (or range) not glued to letters before it (formulas, ``Na@25Al2O3``) nor inside
#: a word; the unit follows, possibly after ``charge/discharge`` or ``ALD`` before cycles.
_NUMBER_RE = re.compile(
    rf"(?<![\w@.^/{{,\-−–⁻])(?P<num>{_VALUE})(?:(?P<sep>{_RANGE_SEP})(?P<num2>{_VALUE}))?(?![\w.]*\d)"
)
#: The film an adjectival count qualifies: "a 25-cycle ZnO film", "the 10-cycle coating"
#: (a "100-cycle test" is left alone).
_FILM_NOUN = (
    r"\s+(?:[\w()-]+\s+){0,2}?(?:films?|coatings?|layers?|overlayers?|interlayers?|ALD|MLD)\b"
)
_UNIT_AFTER_RE = re.compile(
    rf"(?P<gap>-(?=cycles?{_FILM_NOUN})|\s*(?:(?:charge[/-]discharge|plating[/-]stripping|ALD|MLD|deposition)\s+)?)"
    rf"(?P<unit>{_TOKEN}(?:\s*[/·]\s*{_TOKEN}|\s+{_TOKEN})*)",
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


#: Up to four words between a count and ``cycles`` (``>13,600 Li stripping/plating cycles``,
#: ``170 consecutive plating/stripping cycles``); words that join clauses never count.
_WORDY_CYCLES_RE = re.compile(
    r"(?P<gap>\s+(?:(?!(?:and|or|of|at|in|for|with|to|than|after|before|over|the|a|an)\b)"
    r"[A-Za-z][\w/–-]*\s+){1,4}?)(?P<unit>cycles?)\b"
)


def _unit_span(text: str, pos: int) -> tuple[str, int, int, str] | None:
    """The longest valid unit starting at ``pos``: (unit, start, end, gap words)."""
    found = _plain_unit_span(text, pos)
    if found is None:
        m = _WORDY_CYCLES_RE.match(text, pos)
        if m:
            return m.group("unit"), m.start("unit"), m.end("unit"), m.group("gap")
    return found


def _plain_unit_span(text: str, pos: int) -> tuple[str, int, int, str] | None:
    m = _UNIT_AFTER_RE.match(text, pos)
    if not m:
        return None
    unit = m.group("unit")
    start = m.start("unit")
    # Shrink token by token until the span is a unit that ends at a word boundary.
    tokens = list(re.finditer(rf"{_TOKEN}", unit))
    gap = m.group("gap")
    longest: tuple[str, int, int, str] | None = None
    for n in range(len(tokens), 0, -1):
        candidate = unit[: tokens[n - 1].end()]
        end = start + len(candidate)
        if end < len(text) and (text[end].isalnum() or text[end] in "_"):
            continue
        if _unit_factors(candidate) is None:
            continue
        if gap.strip() and "cycle" not in candidate:
            return longest  # "charge/discharge" only ever introduces cycles
        if not gap.strip() and start - pos > 1:
            return longest
        if longest is None:
            longest = (candidate, start, end, gap)
        elif not _plain_words(unit[len(candidate) : len(longest[0])]):
            return longest  # "0.5 mV s-1" is a rate: an exponent belongs to the unit
        if _has_kind(candidate):
            return candidate, start, end, gap
        # "1 mAh cm-2 cycled": a plain word after a unit is no part of it when the unit
        # without it is a known quantity and the unit with it is none
    return longest


_PLAIN_WORDS = re.compile(r"(?:\s+[A-Za-z]+)+")


def _plain_words(text: str) -> bool:
    """Whether ``text`` is only words after spaces (``cycled``), no exponent or ``/``."""
    return bool(_PLAIN_WORDS.fullmatch(text))


def _has_kind(unit: str) -> bool:
    """Whether a unit as written is one of the vocabulary's quantity kinds (or a count)."""
    try:
        return _dimensionality(parse_unit(unit)) in _known_dimensions()
    except (UnitError, ValueError):
        return False


@lru_cache(maxsize=1)
def _known_dimensions() -> frozenset[str]:
    return frozenset(_dimensionality(ref) for ref, _ in _KIND_RULES) | {
        _dimensionality("%"),
        _dimensionality("V"),
    }


#: How far around a number its clause is looked for, and what opens a clause.
_CLAUSE_REACH = 400
_CLAUSE_OPEN = (";", ". ", ", ", "(")


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_WORDS_NUMBER_RE = re.compile(
    rf"(?<![\w-])(?:{_NUMBER_WORD})(?:(?:[\s-]+(?:and\s+)?)(?:{_NUMBER_WORD}))*(?![\w-])", re.I
)


def words_value(words: str) -> int:
    """``One hundred and fifty`` → 150; ``two thousand five hundred`` → 2500.

    >>> words_value("One hundred and fifty"), words_value("twenty-five")
    (150, 25)
    """
    total = current = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
    return total + current


def _items(text: str) -> list[dict]:
    """Numbers of a text (digits, ranges, and numbers in words), in order of position."""
    brackets = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", text)]
    items: list[dict] = []
    for m in _NUMBER_RE.finditer(text):
        if any(a <= m.start() < b for a, b in brackets) or _skip_before(text, m.start()):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", text[m.end() : m.end() + 3]):
            continue
        low = parse_number(m.group("num"))
        high = parse_number(m.group("num2")) if m.group("num2") else None
        if high is not None and high < low:  # "from 70 to 10": two values, not a range
            items.append({"start": m.start(), "end": m.end("num"), "low": low, "high": None})
            items.append({"start": m.start("num2"), "end": m.end(), "low": high, "high": None})
            items[-2]["next_unit"] = True
            continue
        items.append({"start": m.start(), "end": m.end(), "low": low, "high": high})
    for m in _WORDS_NUMBER_RE.finditer(text):
        value = words_value(m.group(0))
        if value >= 2 and _unit_span(text, m.end()) is not None:
            items.append({"start": m.start(), "end": m.end(), "low": float(value), "high": None})
    items.sort(key=lambda it: it["start"])
    return _between_ranges(text, items)


_BETWEEN_RE = re.compile(r"\bbetween\s*$", re.I)


def _between_ranges(text: str, items: list[dict]) -> list[dict]:
    """``between 3.0 and 4.6 V`` is one range, not two values."""
    out: list[dict] = []
    i = 0
    while i < len(items):
        it = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        if (
            nxt is not None
            and it["high"] is None
            and nxt["high"] is None
            and _BETWEEN_RE.search(text, max(0, it["start"] - 12), it["start"])
            and re.fullmatch(r"\s*and\s*", text[it["end"] : nxt["start"]])
        ):
            out.append({**it, "end": nxt["end"], "high": nxt["low"]})
            i += 2
            continue
        out.append(it)
        i += 1
    for it in out:
        it["unit"] = _unit_span(text, it["end"])
    return out


def _share_units(text: str, items: list[dict]) -> dict[int, int]:
    """Give a unit to the numbers of a list that share one (``3, 5 and 10 mA cm-2``); returns
    where each list starts (its words before speak for all of it)."""
    for i in range(len(items) - 2, -1, -1):
        cur, nxt = items[i], items[i + 1]
        if cur["unit"] is None and (nxt["unit"] or nxt.get("shared")):
            gap = text[cur["end"] : nxt["start"]]
            if _LIST_GAP_RE.match(_COMPARATOR_RE.sub("", gap)) or cur.get("next_unit"):
                cur["shared"] = nxt.get("shared") or nxt["unit"]
                cur["owner"] = nxt.get("owner", id(nxt))
    list_start: dict[int, int] = {}
    for it in items:
        list_start.setdefault(it.get("owner", id(it)), it["start"])
    return list_start


def _clause(text: str, start: int, end: int) -> str:
    """The clause around [start, end), looked for within _CLAUSE_REACH characters (searching
    the whole text for a separator that is not there made a long list of numbers quadratic)."""
    reach_back = max(0, start - _CLAUSE_REACH)
    clause_start = max(text.rfind(sep, reach_back, start) for sep in _CLAUSE_OPEN)
    clause_start = clause_start if clause_start >= 0 else reach_back
    reach = end + _CLAUSE_REACH
    ends = [text.find(sep, end, reach) for sep in (";", ". ", ", ", ")")]
    clause_end = min([c for c in ends if c >= 0], default=min(reach, len(text)))
    return text[clause_start:clause_end]


def _cycle_kind_at(text: str, first: int, gap: str, u_end: int, context: str) -> str:
    cut = max(text.rfind(sep, max(0, first - 60), first) for sep in _CLAUSE_OPEN)
    lead_cm = _comparator_match(text, first)
    before = text[max(cut, 0, first - 60) : lead_cm.start() if lead_cm else first]
    return _local_cycle_kind(before, gap, text[u_end : u_end + 30], context)


def _item_quantity(
    text: str, it: dict, list_start: dict[int, int]
) -> tuple[Quantity, int, int] | None:
    unit_info = it["unit"] or it.get("shared")
    if unit_info is None:
        return None
    unit_written, _u_start, u_end, gap = unit_info
    if it["unit"] is None:
        u_end = it["end"]
    context = _clause(text, it["start"], u_end)
    if gap.strip() and re.match(r"(?:ALD|MLD|deposition)", gap.strip()):
        context += " ALD cycles"
    cm = _comparator_match(text, it["start"])  # a leading comparator is part of the quantity
    start = cm.start() if cm else it["start"]
    kind = None
    if _unit_factors(unit_written) == [("cycle", 1)]:
        first = list_start.get(it.get("owner", id(it)), it["start"])
        kind = _cycle_kind_at(text, first, gap, u_end, context)
    try:
        q = _quantity(
            it["low"],
            it["high"],
            unit_written,
            comparator=_comparator_symbol(cm),
            kind=kind,
            context=context,
            text=_MICRO_GAP.sub(r"\1", text[start:u_end]),
        )
    except UnitError:
        return None
    return q, start, u_end


def find_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """Every quantity in a sentence of clean text, with its [start, end) offsets.

    Lists sharing one unit (``3 and 10 mA cm-2``) give one quantity per number; comparator
    words just before a number apply to it; the kind follows the unit and the words within
    the sentence clause, checked for plausibility (:func:`plausible_kind`). Numbers in formulas,
    coating labels (``Na@25Al2O3``), citations, figure numbers, years and ordinals are not
    quantities; numbers in words are (``One hundred and fifty cycles``), and so are counts
    with words before their unit (``>13,600 Li stripping/plating cycles``). Linear in the
    text: every search is bounded.

    >>> [(q.value, q.unit) for q, _, _ in find_quantities("at 3 and 10 mA cm-2 [94]")]
    [(3.0, 'mA/cm^2'), (10.0, 'mA/cm^2')]
    >>> [(q.kind, q.low, q.high) for q, _, _ in find_quantities("cycled between 3.0 and 4.6 V")]
    [('VoltageWindow', 3.0, 4.6)]
    """
    return list(_find_quantities(text))


@lru_cache(maxsize=8192)
def _find_quantities(text: str) -> tuple[tuple[Quantity, int, int], ...]:
    """:func:`find_quantities`, memoized per text: tables and reviews repeat the same cells and
    phrases, and a row repeated 20,000 times is read once (the cache is bounded)."""
    items = _items(text)
    list_start = _share_units(text, items)
    found = (_item_quantity(text, it, list_start) for it in items)
    return tuple(r for r in found if r is not None)
