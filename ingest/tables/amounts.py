"""Setup amounts of a row: deposition temperature, thickness and number of deposition cycles.

A value column holds numbers in the unit its header names (``T (°C)``, ``Thickness (Å)``) or
in the units written in the cell (``~2 nm (20 cycles)``). A ``Thickness and ALD cycles``
column pairs a thickness with a bare cycle count (``14 nm and ~117``); converters that glue
the pairs together (``4 nm and 20 6 nm and 50``) are repaired by growth-per-cycle consistency.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace
from functools import lru_cache

from ingest.quantities import UnitError, find_quantities, parse_quantity
from ingest.records import Quantity
from ingest.tables.columns import Column
from ingest.tables.terms import is_empty

__all__ = [
    "column_values",
    "lengths",
    "parse_thickness_cycles",
    "read_thickness",
    "temperatures",
]

_CMP = r"[~<>≈≥≤∼]?"
_NUMTXT = r"\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"({_CMP}\s*{_NUMTXT}(?:\s*[–—-]\s*{_NUMTXT})?)")
_LABEL_RE = re.compile(r"(?:^|\s)([A-Z][A-Za-z-]*(?:\s[A-Za-z-]+)?):\s*")
_ROOM = re.compile(r"\b(?:RT|room\s+temperature|ambient)\b", re.I)
_CYCLE_WORDS = re.compile(r"\s*\(?\s*(?:ALD|MLD)?\s*cycles?\b.*$", re.I)


def _parse(text: str, kind: str) -> Quantity | None:
    """``parse_quantity`` that answers None, never raises, for a piece it cannot read."""
    try:
        return parse_quantity(text, kind=kind)
    except (UnitError, ValueError):
        return None


#: "25 cycles (of 10/25/50)": the tested variants in parentheses, not values of the row.
_VARIANTS = re.compile(
    r"\s*\((?:of|out of|from|among|tested|variants?|vs\.?|versus)\b[^()]*\)", re.I
)
#: A number in a cycles column that carries a time or pressure unit is a dose, not a count;
#: one that carries a length unit is a thickness ("10.5 nm" under "dose").
_NOT_A_COUNT = re.compile(r"\s*(?:s|ms|sec|min|h|Torr|mTorr|Pa|sccm|nm|Å|angstrom|[μµu]m)(?!\w)")


def chosen(cell: str) -> str:
    """The cell without its parenthesised list of tested variants."""
    return _VARIANTS.sub("", cell)


def column_values(cell: str, unit: str, kind: str) -> tuple[Quantity, ...]:
    """Every number of a one-quantity cell (``~4``, ``5, 10``, ``2–3``, ``50 + 50``) in ``unit``."""
    if is_empty(cell):
        return ()
    cell = chosen(cell)
    out: list[Quantity] = []
    for m in _NUMBER.finditer(cell):
        if kind == "DepositionCycles" and _NOT_A_COUNT.match(cell, m.end()):
            continue
        piece = m.group(1).strip().replace("∼", "~")
        q = _parse(f"{piece} {unit}", kind)
        if q is not None:
            out.append(replace(q, text=f"{piece} {unit}" if kind == "Thickness" else piece))
    return tuple(out)


def temperatures(cell: str, column: Column | None) -> tuple[Quantity, ...]:
    """Deposition temperatures of a temperature cell; room temperature is about 25 °C."""
    unit = (column.unit if column else None) or "degC"
    if _ROOM.search(cell) and not re.search(r"\d", cell):
        q = _parse("~25 °C", "DepositionTemperature")
        return (replace(q, text=cell.strip()),) if q else ()
    return column_values(cell, unit, "DepositionTemperature")


def lengths(cell: str) -> tuple[Quantity, ...]:
    """The thicknesses a cell writes with their own length unit (``10.5 nm``, ``3 Å``),
    whatever its column is called: a value in nm is a thickness, never a cycle count."""
    if is_empty(cell):
        return ()
    return tuple(_lengths([q for q, _, _ in find_quantities(chosen(cell))]))


def _lengths(found: list[Quantity]) -> list[Quantity]:
    return [
        replace(q2, text=q.text)
        for q in found
        if q.kind in ("Thickness", "")
        and q.canonical_unit in ("nm", "m", "angstrom", "um")
        and (q2 := _parse(q.text, "Thickness")) is not None
    ]


def read_thickness(cell: str, column: Column) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
    """A thickness column's cell → (thicknesses, deposition cycles).

    Units written in the cell win (``~2 nm (20 cycles)``, ``100 cycles``, ``3 Å``); bare
    numbers are in the header's unit.
    """
    if is_empty(cell):
        return (), ()
    found = [q for q, _, _ in find_quantities(cell)]
    written = _lengths(found)
    cycles = [
        replace(q2, text=q.text)
        for q in found
        if q.canonical_unit == "cycle" and (q2 := _parse(q.text, "DepositionCycles")) is not None
    ]
    if written or cycles:
        return tuple(written), tuple(cycles)
    return column_values(cell, column.unit or "nm", "Thickness"), ()


# --------------------------------------------------------------------------- "14 nm and ~117"


def _glued_splits(digits: str) -> list[tuple[int, str]]:
    """Every reading of a digit string as an integer cycle count glued to a thickness."""
    out: list[tuple[int, str]] = []
    for k in range(1, len(digits)):
        cyc, th = digits[:k], digits[k:]
        if not cyc.isdigit() or (len(cyc) > 1 and cyc[0] == "0"):
            continue
        if not th[0].isdigit() or (len(th) > 1 and th[0] == "0" and th[1] != "."):
            continue
        if not re.fullmatch(_NUMTXT, th) or int(cyc) == 0:
            continue
        out.append((int(cyc), th))
    return out


def _middle_options(piece: str) -> list[tuple[str, str]]:
    """(cycles, next thickness) readings of the text between two ``nm``."""
    body = re.sub(r"^\s*(?:and|,)\s*", "", piece).strip()
    nums = re.findall(rf"{_CMP}\s*{_NUMTXT}(?:\s*[–—-]\s*{_NUMTXT})?", body)
    if len(nums) >= 2:
        return [(nums[0].strip(), nums[1].strip())]
    options = [(str(c), t) for c, t in _glued_splits(body.replace(" ", ""))]
    return options or [(body, "")]


def _pairs(segment: str) -> list[tuple[str, str | None]]:
    """Thickness/cycle text pairs of one labelled segment, glued numbers split.

    ``4 nm and 20 6 nm and 50`` → [("4", "20"), ("6", "50")]. A glued middle piece such as
    ``103.5`` (cycles 10 then thickness 3.5) is split to keep thickness/cycles (the growth per
    cycle) most consistent across the pairs, with cycles increasing.
    """
    pieces = re.split(r"\s*\bnm\b\s*", segment.strip())
    if len(pieces) == 1:
        return []
    thick = [pieces[0].strip()]
    middles = [_middle_options(p) for p in pieces[1:-1]]
    last = re.sub(r"^\s*(?:and|,)\s*", "", pieces[-1]).strip(" ()")
    last_cycles = _CYCLE_WORDS.sub("", last).strip(" ()") or None
    best: list[tuple[str, str | None]] | None = None
    best_score = math.inf
    for combo in itertools.product(*middles) if middles else [()]:
        th = thick + [t for _, t in combo]
        cy: list[str | None] = [c for c, _ in combo] + [last_cycles]
        score = _gpc_spread(th, cy)
        if score < best_score:
            best, best_score = list(zip(th, cy, strict=True)), score
    return best or []


def _plain(text: str | None) -> float | None:
    if not text:
        return None
    m = re.search(_NUMTXT, text)
    return float(m.group(0)) if m else None


def _gpc_spread(thick: list[str], cycles: list[str | None]) -> float:
    """How inconsistent the implied growth per cycle is; infinite if cycles do not increase."""
    cyc = [_plain(c) for c in cycles]
    known = [c for c in cyc if c is not None]
    if any(b <= a for a, b in itertools.pairwise(known)):
        return math.inf
    logs = []
    for t, c in zip(thick, cyc, strict=True):
        tv = _plain(t)
        if tv and c:
            logs.append(math.log(tv / c))
    if len(logs) < 2:
        return 0.0
    mean = sum(logs) / len(logs)
    return sum((x - mean) ** 2 for x in logs)


def _segments(cell: str) -> list[tuple[str, str]]:
    """(label, text) pieces of a cell: ``Ether: 5 nm and 10 Carbonate: …``."""
    labels = list(_LABEL_RE.finditer(cell))
    if not labels:
        return [("", cell)]
    return [
        (m.group(1), cell[m.end() : labels[i + 1].start() if i + 1 < len(labels) else len(cell)])
        for i, m in enumerate(labels)
    ]


@lru_cache(maxsize=4096)
def parse_thickness_cycles(cell: str) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
    """A ``Thickness and Cycles`` cell → (thicknesses in nm, deposition cycles), order kept.

    A label before a pair (``Ether: 5 nm and 10``) stays in each Quantity's text.

    >>> th, cy = parse_thickness_cycles("≈15 nm, 40 cycles")
    >>> [q.value for q in th], [q.value for q in cy]
    ([15.0], [40.0])
    """
    thicknesses: list[Quantity] = []
    cycles: list[Quantity] = []
    for label, segment in _segments(chosen(cell)):
        prefix = f"{label}: " if label else ""
        pairs = _pairs(segment)
        if not pairs:  # no nm: a bare cycle count
            for m in re.finditer(rf"{_CMP}\s*{_NUMTXT}", segment):
                q = _parse(f"{m.group(0)} cycles", "DepositionCycles")
                if q:
                    cycles.append(replace(q, text=f"{prefix}{m.group(0).strip()}"))
        for th, cy in pairs:
            q = _parse(f"{th} nm", "Thickness")
            if q:
                thicknesses.append(replace(q, text=f"{prefix}{th} nm"))
            c = _parse(f"{cy} cycles", "DepositionCycles") if cy else None
            if c:
                cycles.append(replace(c, text=f"{prefix}{cy}"))
    return tuple(thicknesses), tuple(cycles)


def has_labels(cell: str) -> bool:
    return bool(_LABEL_RE.search(cell))
