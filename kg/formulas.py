"""Chemical formulas read by their element symbols, so a film the vocabulary lacks is still a
material: ``TiN``, ``AlN``, ``Ta2O5``, ``MoS2``, ``Li3N``, ``SiNx``.

A formula is accepted only when it reads as an inorganic compound: every part an element
symbol (with a count, a fraction or x/y/z), at least two different elements, a metal or
metalloid first and a non-metal after it. That rules out the look-alikes of papers: acronyms
of non-metals (``CNT``, ``NFCP``, ``SEI``, ``HF``, ``CO2``), letters that are no element
(``ALD``, ``NCM811``, ``LiTFSI``), organometallics (carbon with hydrogen), volatile halide
precursors (``TiCl4``, ``WF6``) and alloys without an anion (``LiCu``). The class (oxide,
nitride, fluoride, phosphate, sulfide ...) follows from the non-metals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Element symbols up to bismuth, plus thorium and uranium (heavier ones are not film
#: materials, and ``Ts``, ``Og``... would turn acronyms such as ``CNTs`` into formulas).
_SYMBOLS = """H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge
    As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu
    Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Th U"""
ELEMENTS = frozenset(_SYMBOLS.split())
NON_METALS = frozenset(("H", "C", "N", "O", "F", "P", "S", "Cl", "Se", "Br", "I", "Te"))
NOBLE_GASES = frozenset(("He", "Ne", "Ar", "Kr", "Xe"))
_HALOGENS = frozenset(("Cl", "Br", "I"))

#: A candidate: two or more element-like parts (symbol with an optional count, or a
#: parenthesised group with a count), standing alone as a word.
FORMULA_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|[xyzδ])?)"
    r"|\((?:[A-Z][a-z]?\d*(?:\.\d+)?)+\)\d*){2,}(?![A-Za-z0-9])"
)
_PART = re.compile(r"\(|\)\d*|[A-Z][a-z]?|\d+(?:\.\d+)?|[xyzδ]")

_ONTOLOGY = "https://w3id.org/ald-kg/ontology#"


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its elements in written order and the material class it implies."""

    text: str
    elements: tuple[str, ...]
    material_class: str  # an akg class IRI: Oxide, Nitride, Fluoride ... or InorganicMaterial


def _symbols(text: str) -> list[str] | None:
    """The element symbols of ``text`` in order, or None when a part is no element.

    A capital with a lower-case letter is read as a two-letter symbol when that is an
    element (``Co``), else as a one-letter symbol followed by a count letter (``Ox``).
    """
    symbols: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isupper():
            two = text[i : i + 2]
            if len(two) == 2 and two[1].islower() and two in ELEMENTS:
                symbols.append(two)
                i += 2
                continue
            if ch not in ELEMENTS:
                return None
            symbols.append(ch)
            i += 1
            continue
        m = _PART.match(text, i)
        if m is None or m.group(0)[0].isupper():
            return None
        i = m.end()
    return symbols


def _material_class(elements: set[str]) -> str:
    anions = elements & NON_METALS
    if "O" in anions and "P" in anions:
        name = "Phosphate"
    elif anions == {"O"}:
        name = "Oxide"
    elif anions == {"N"}:
        name = "Nitride"
    elif anions == {"F"}:
        name = "Fluoride"
    elif anions == {"S"}:
        name = "Sulfide"
    else:
        name = "InorganicMaterial"
    return _ONTOLOGY + name


def parse_formula(text: str) -> Formula | None:
    """The formula ``text`` writes, or None when it is no inorganic compound's formula.

    >>> parse_formula("TiN").material_class.rsplit("#", 1)[1]
    'Nitride'
    >>> parse_formula("Ta2O5").elements
    ('Ta', 'O')
    >>> [parse_formula(t) for t in ("CNTs", "NFCP", "ALD", "HF", "TiCl4", "LiCu", "NCM811")]
    [None, None, None, None, None, None, None]
    """
    if FORMULA_CANDIDATE.fullmatch(text) is None:
        return None
    symbols = _symbols(text)
    if symbols is None or len(set(symbols)) < 2 or len(set(symbols)) != len(symbols):
        return None  # one element, or a repeated one (an acronym, an organic formula)
    if symbols[0] in NON_METALS or any(s in NOBLE_GASES for s in symbols):
        return None  # a formula names its cation first: "CO2", "HF", "NFCP" are no films
    elements = set(symbols)
    anions = elements & NON_METALS
    if not anions or {"C", "H"} <= elements or anions & _HALOGENS:
        return None  # an alloy, an organometallic, or a volatile halide precursor
    if anions == {"F"} and _count_after(text, "F") > 3:
        return None  # TiF4, WF6, MoF6: fluoride precursors, not films
    return Formula(text, tuple(symbols), _material_class(elements))


def _count_after(text: str, symbol: str) -> float:
    m = re.search(rf"{symbol}(?![a-z])(\d+(?:\.\d+)?)?", text)
    return float(m.group(1)) if m and m.group(1) else 1.0


#: Solid-electrolyte families by composition: (vocabulary concept, elements every member has,
#: elements a member may add as dopants or halides). A film is grown ON these, never made of
#: them: "Al2O3 on Li6.4La3Zr1.4Ta0.6O12", "ZnO on Li1.4Al0.4Ti1.6(PO4)3", "LiF on Li6PS5Cl".
_GARNET_DOPANTS = {"Ta", "Al", "Ga", "Nb", "W", "Ca", "Ba", "Sr", "Y", "Ce", "Mo", "Te", "Bi"}
_SOLID_ELECTROLYTES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("Garnet", frozenset({"Li", "La", "Zr", "O"}), frozenset(_GARNET_DOPANTS)),
    ("LLTO", frozenset({"Li", "La", "Ti", "O"}), frozenset({"Sr", "Al", "Nb"})),
    ("LATP", frozenset({"Li", "Ti", "P", "O"}), frozenset({"Al", "Ga", "Sc", "Y", "Cr", "Fe"})),
    ("LAGP", frozenset({"Li", "Ge", "P", "O"}), frozenset({"Al", "Ga", "Sc", "Y", "Cr", "Fe"})),
    ("NASICON", frozenset({"Na", "Zr", "Si", "P", "O"}), frozenset({"Sc", "Hf", "Mg", "Ca"})),
    ("NASICON", frozenset({"Li", "Zr", "P", "O"}), frozenset({"Ca", "Y", "Al", "Hf", "Sc", "Si"})),
    (
        "SulfideElectrolyte",
        frozenset({"P", "S"}),
        frozenset({"Li", "Na", "Cl", "Br", "I", "Ge", "Sn", "Si", "Sb", "As", "O"}),
    ),
    ("SulfideElectrolyte", frozenset({"Na", "Sb", "S"}), frozenset({"W", "Se"})),
)


def solid_electrolyte(text: str) -> str | None:
    """The local name of the solid-electrolyte concept a formula's composition makes it (a
    garnet doped with Ta, Al, Ga or Nb; a NASICON phosphate of Ti or Ge; a lithium or sodium
    thiophosphate with or without halide), or None.

    >>> [solid_electrolyte(t) for t in ("Li6.4La3Zr1.4Ta0.6O12", "Li1.4Al0.4Ti1.6(PO4)3",
    ...     "Li1.5Al0.5Ge1.5(PO4)3", "Li6PS5Cl", "Li10GeP2S12", "Na3PS4")]
    ['Garnet', 'LATP', 'LAGP', 'SulfideElectrolyte', 'SulfideElectrolyte', 'SulfideElectrolyte']
    >>> [solid_electrolyte(t) for t in ("Al2O3", "Li3PO4", "LiPON", "Li2S", "P2S5", "LixAlyS")]
    [None, None, None, None, None, None]
    """
    if FORMULA_CANDIDATE.fullmatch(text) is None:
        return None
    symbols = _symbols(text)
    if symbols is None:
        return None
    elements = set(symbols)
    if not elements & {"Li", "Na"}:
        return None  # P2S5, a precursor or a glass former, not an electrolyte by itself
    for name, required, allowed in _SOLID_ELECTROLYTES:
        if required <= elements <= required | allowed:
            return name
    return None
