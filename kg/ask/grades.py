"""Cathode grades: "NCM811", "NMC-811" and "LiNi0.8Co0.1Mn0.1O2" name one layered oxide.

The graph records the cathode of a full cell by its family (a Li-NMC cell), so a question
that names a grade ("paired with an NCM811 cathode") would otherwise also get the coatings
tested against NMC622. A grade is read as its transition-metal fractions, whichever way it is
written (NCM lists Ni, Co, Mn; NMC lists Ni, Mn, Co), and a coating is kept unless the text of
its own facts names grades of the family and none is the one asked.
"""

from __future__ import annotations

import re
from typing import Any

from kg.query import DEFAULT_PREFIXES, prefix_block, run_generated, sparql_iri

__all__ = ["Grade", "grades_in", "keep_asked_grades"]

#: A grade as {metal: fraction of the transition metals}, rounded: comparable across forms.
Grade = frozenset[tuple[str, float]]

_METAL_OF_LETTER = {"N": "Ni", "M": "Mn", "C": "Co", "A": "Al"}
#: "NCM811", "NMC-622", "NCA 801505" is not a grade of three digits: only one digit per metal.
_ABBREVIATION = re.compile(r"\b(N(?:MC|CM|CA))[-\s]?(\d)(\d)(\d)\b", re.I)
#: "LiNi0.8Co0.1Mn0.1O2", "LiNi0.6Mn0.2Co0.2O2", "LiNi0.5Mn1.5O4" (no: spinel, two metals).
_FORMULA = re.compile(r"\bLi(?:(?:Ni|Co|Mn|Al)\d*\.?\d*){3}O2\b")
_FORMULA_PART = re.compile(r"(Ni|Co|Mn|Al)(\d*\.?\d*)")


def _grade(amounts: dict[str, float]) -> Grade | None:
    total = sum(amounts.values())
    if total <= 0 or len(amounts) < 3:
        return None
    return frozenset((metal, round(x / total, 2)) for metal, x in amounts.items())


def grades_in(text: str) -> set[Grade]:
    """Every layered-oxide grade a text names, as metal fractions."""
    found: set[Grade] = set()
    for m in _ABBREVIATION.finditer(text):
        metals = [_METAL_OF_LETTER[ch] for ch in m.group(1).upper()]
        digits = [float(d) for d in m.group(2, 3, 4)]
        if (g := _grade(dict(zip(metals, digits, strict=True)))) is not None:
            found.add(g)
    for m in _FORMULA.finditer(text):
        amounts = {
            metal: float(x) if x not in ("", ".") else 1.0
            for metal, x in _FORMULA_PART.findall(m.group(0))
        }
        if (g := _grade(amounts)) is not None:
            found.add(g)
    return found


_TEXTS = """SELECT DISTINCT ?c ?t WHERE {{
  VALUES ?c {{ {coatings} }}
  {{ ?c prov:wasDerivedFrom ?s }} UNION {{ ?c akg:testedIn/prov:wasDerivedFrom ?s }}
  UNION {{ ?c akg:hasMeasurement/prov:wasDerivedFrom ?s }}
  ?s akg:sourceText ?t
}}"""


def keep_asked_grades(
    written: list[str], core: list[dict[str, Any]], store: Any
) -> list[dict[str, Any]]:
    """The core rows whose coating is not shown, by the text of its own facts, to have been
    tested against other grades only (a text naming no grade keeps its coating: the family
    matched, and nothing says the grade differs)."""
    asked = set().union(*(grades_in(w) for w in written)) if written else set()
    coatings = list(dict.fromkeys(r["c"] for r in core if r.get("c") is not None))
    if not asked or not coatings:
        return core
    head = prefix_block({k: DEFAULT_PREFIXES[k] for k in ("akg", "prov")})
    query = head + _TEXTS.format(coatings=" ".join(sparql_iri(c) for c in coatings))
    named: dict[str, set[Grade]] = {}
    for row in run_generated(store, query, max_rows=500_000).rows:
        named.setdefault(row["c"], set()).update(grades_in(row["t"] or ""))
    return [r for r in core if not named.get(r.get("c")) or named[r.get("c")] & asked]
