"""Performance cells and columns → measurements under their cell test.

A table gives its results either in one free-text cell (``Stable cycling over 500 h (current
density: 3 and 10 mA cm⁻²) in symmetric cells``) or split over columns by meaning
(Electrolyte, Cell, Current density, Areal capacity, Lifetime, CE (%), …). Both read into the
same records: current densities are conditions; ``after``/``for N cycles`` is the cycle number a
value was read at; each measurement keeps the cell type and electrolytes of its clause or row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.quantities import UnitError, find_quantities, kind_for_unit, parse_quantity
from ingest.records import CellTest, Measurement, Quantity, Span
from ingest.tables.columns import OUTCOME_ROLES, Column, Columns
from ingest.tables.terms import is_empty, local, surface_regex, vocab

__all__ = ["cell_types", "electrolytes", "parse_performance", "row_results"]

# --------------------------------------------------------------------------- performance cells

_CLAUSE_SPLIT_RE = re.compile(
    r"(?<=[A-Za-z)])\.\s+(?=[A-Z])|;\s*|(?<=[A-Za-z)]),\s+(?!and\b|or\b)|(?<=\))\s+and\s+(?=[a-z])"
)
_FORMULATION_RE = re.compile(
    r"(?P<conc>\d+(?:\.\d+)?)\s*M\s+(?P<salt>[A-Za-z][A-Za-z0-9()]*)\s*(?:-|\s+in\s+)\s*"
    r"(?:\d+(?::\d+)+\s+)?(?P<solv>[A-Za-z0-9]+(?:\s*[/:]\s*[A-Za-z][A-Za-z0-9]*)*)"
)
#: Families are matched only in forms that say "electrolyte" or SSE, so "ether" inside a
#: solvent's full name is not a family mention.
_FAMILY_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _family_regex() -> re.Pattern[str]:
    if "re" not in _FAMILY_RE_CACHE:
        forms = sorted(
            {
                f
                for c in vocab().of_kind("ElectrolyteFamily")
                for f in c.surface_forms
                if re.search(r"electrolyte|SSE|solid", f, re.I)
            },
            key=len,
            reverse=True,
        )
        body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        _FAMILY_RE_CACHE["re"] = re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.I)
    return _FAMILY_RE_CACHE["re"]


#: "Li|LTO", "Li||S", "Na‖Na": a two-electrode cell written with bars is the dashed name
#: ("Li-LTO"); a sandwich "Li|LSPS|Li" is left whole.
_PAIR = re.compile(r"\b(Li|Na|K)\s*(?:\|\||[|‖])\s*([A-Z][\w()]*)(?![\w()])(?!\s*[|‖])")


def cell_types(text: str) -> list[str]:
    """Cell types named in a clause, as vocabulary labels (``Li-S full cell`` → ``Li-S``)."""
    out: list[str] = []
    pattern = surface_regex("CellType")
    text = _PAIR.sub(r"\1-\2", text)
    pos = 0
    while m := pattern.search(text, pos):
        concept = vocab().lookup("CellType", m.group(0))
        pos = m.end()
        if concept is None:
            continue
        # "Li-S full cell": the specific type already says it; skip the generic suffix.
        tail = re.match(r"\s+(?:full\s+)?(?:cells?|batter(?:y|ies))\b", text[pos:], re.I)
        if tail and local(concept) != "FullCell":
            pos += tail.end()
        if concept.label not in out:
            out.append(concept.label)
    return out


def electrolytes(text: str) -> list[str]:
    """Electrolytes named in a clause: formulations, solid electrolytes, then families.

    A family (``SSEs``) named next to a specific electrolyte of that family adds nothing and
    is dropped.
    """
    terms = vocab()
    found: list[str] = []
    families_covered: set[str] = set()
    for m in _FORMULATION_RE.finditer(text):
        salt = terms.lookup("Salt", m.group("salt"))
        if salt is None:
            continue
        found.append(
            f"{m.group('conc')} M {m.group('salt')} in {m.group('solv')}"
        )  # salt as written
        if salt.family:
            families_covered.add(salt.family)
    for m in re.finditer(r"(?<![\w-])[A-Z][A-Za-z0-9]{2,}(?![\w])", text):
        # a solid electrolyte is a salt (PEO) or, when films are grown on it, a substrate (LGPS)
        salt = terms.lookup("Salt", m.group(0)) or terms.lookup("Substrate", m.group(0))
        if salt and salt.family and local(salt.family) == "SolidState":
            if salt.label not in found:
                found.append(salt.label)
            families_covered.add(salt.family)
    for m in _family_regex().finditer(text):
        family = terms.lookup("ElectrolyteFamily", m.group(0))
        if family and family.iri not in families_covered and family.label not in found:
            found.append(family.label)
            families_covered.add(family.iri)
    return found


_SYMMETRIC_HINT_RE = re.compile(r"\d\s*h\b|overpotential|\bmV\b", re.I)
_AFTER_RE = re.compile(r"(?:after|for|within|during|at)\s*$", re.I)


def _clauses(cell: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT_RE.split(cell) if c and c.strip()]


def _nearest(values: list[list[str]], i: int) -> list[str]:
    """A clause's own values, else the next clause's that has some, else the previous one's."""
    if values[i]:
        return values[i]
    for j in [*range(i + 1, len(values)), *range(i - 1, -1, -1)]:
        if values[j]:
            return values[j]
    return []


@dataclass(frozen=True)
class Conditions:
    """What the row says about every result of the row: from Cell, Electrolyte and Current
    density columns, used where a clause of a free-text cell does not name its own."""

    cell_types: tuple[str, ...] = ()
    electrolytes: tuple[str, ...] = ()
    current_densities: tuple[Quantity, ...] = ()
    #: False when the row's Cell column says "n.r.": the cell type is then unknown, not inferred
    infer_cell: bool = True
    #: True when the row built no cell ("none", a soak in the electrolyte column): its hours
    #: are a soak or storage time, not a cycling life, and its liquid is no cell electrolyte
    no_cell: bool = False


@dataclass
class _Results:
    measurements: list[Measurement] = field(default_factory=list)
    tests: dict[tuple[str | None, tuple[str, ...]], list[Quantity]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def test(
        self, cell_type: str | None, elecs: tuple[str, ...], densities: list[Quantity]
    ) -> None:
        known = self.tests.setdefault((cell_type, elecs), [])
        known.extend(d for d in densities if d not in known)

    def cell_tests(self) -> tuple[CellTest, ...]:
        return tuple(CellTest(ct, el, tuple(ds)) for (ct, el), ds in self.tests.items())


def _values(clause: str) -> tuple[list[Quantity], list[Quantity], float | None]:
    """(outcome quantities, current densities, the ``after N cycles`` of a clause)."""
    found = find_quantities(clause)
    densities = [q for q, _, _ in found if q.kind == "CurrentDensity"]
    values: list[Quantity] = []
    after: float | None = None
    for q, start, _ in found:
        if q.kind in ("CurrentDensity", "") or q.unit == "molar":
            continue
        if q.kind in ("CycleCount", "DepositionCycles") and q.comparator == "=" and values:
            word = _AFTER_RE.search(clause[:start])
            if word:
                after = q.canonical_value
                if word.group(0).strip().lower() != "at":
                    continue  # "after/for N cycles": the condition, not a cycle life
        values.append(q)
    return values, densities, after


def _add_measurements(
    out: _Results,
    values: list[Quantity],
    *,
    span: Span,
    cell_type: str | None,
    elecs: list[str],
    densities: list[Quantity],
    after: float | None,
) -> None:
    """One measurement per value and current density; paired electrolytes split (``a; b``)."""
    groups: dict[str, list[Quantity]] = {}
    for q in values:
        groups.setdefault(q.kind, []).append(q)
    for q in values:
        group = groups[q.kind]
        own = (elecs[group.index(q)],) if 1 < len(group) == len(elecs) else tuple(elecs)
        is_life = q.kind == "CycleCount" and q.canonical_value == after
        for cd in densities or [None]:
            out.measurements.append(
                Measurement(
                    quantity=q,
                    span=span,
                    cell_type=cell_type,
                    electrolytes=own,
                    current_density=cd,
                    after_cycles=None if is_life else after,
                )
            )


def _clause_types(
    cell: str, clauses: list[str], given: Conditions, notes: list[str]
) -> list[list[str]]:
    types = [cell_types(c) for c in clauses]
    if clauses and not any(types) and given.cell_types:
        types[-1] = list(given.cell_types)
    elif clauses and not any(types) and given.infer_cell and _SYMMETRIC_HINT_RE.search(cell):
        # Hours of stable plating/stripping or an overpotential are symmetric-cell results;
        # say that the type was inferred, not read.
        types[-1] = ["symmetric"]
        notes.append("cell type inferred: symmetric (cycling hours/overpotential, none named)")
    return types


def parse_performance(
    cell: str, span: Span, given: Conditions = Conditions()
) -> tuple[tuple[Measurement, ...], tuple[CellTest, ...], tuple[str, ...]]:
    """A performance cell → (measurements, cell tests, notes).

    ``over``/``beyond N cycles`` or a bare count is a cycle life (CycleCount). Each
    measurement takes the cell type and electrolytes of its own clause, else of the nearest
    clause naming one, else those the row's columns give (``given``).
    """
    out = _Results()
    clauses = _clauses(cell)
    types = _clause_types(cell, clauses, given, out.notes)
    elecs_by_clause = [electrolytes(c) for c in clauses]
    if not any(elecs_by_clause) and clauses:
        elecs_by_clause[-1] = list(given.electrolytes)
    for i, clause in enumerate(clauses):
        ctypes: list[str | None] = [*_nearest(types, i)] or [None]
        elecs = _nearest(elecs_by_clause, i)
        values, densities, after = _values(clause)
        densities = densities or list(given.current_densities)
        if not values and not densities:
            continue
        _add_measurements(
            out,
            values,
            span=span,
            cell_type=ctypes[0],
            elecs=elecs,
            densities=densities,
            after=after,
        )
        for ct in ctypes:
            out.test(ct, tuple(elecs), densities)
    if not out.measurements:
        if cell.strip():
            out.notes.append(cell.strip())
        for i in range(len(clauses)):
            for ct in _nearest(types, i) or []:
                out.test(ct, tuple(_nearest(elecs_by_clause, i)), list(given.current_densities))
    return tuple(out.measurements), out.cell_tests(), tuple(out.notes)


# --------------------------------------------------------------------------- split columns


def column_quantities(cell: str, column: Column) -> list[Quantity]:
    """The numbers of a value column's cell: units written in the cell win, a bare number is
    in the header's unit; the column's kind is kept when the unit fits it."""
    if is_empty(cell):
        return []
    found = [q for q, _, _ in find_quantities(cell) if q.kind != "" or q.unit]
    if found:
        out = []
        for q in found:
            if column.kind and q.kind != column.kind:
                fitted = _refit(q, column.kind)
                if fitted is None:
                    continue
                q = fitted
            out.append(q)
        return out
    if column.unit is None:
        return []
    return [q for q in (_as_kind(m.group(0), column) for m in _BARE.finditer(cell)) if q]


_BARE = re.compile(r"[~<>≈≥≤∼]?\s*\d+(?:[.,]\d+)?(?:\s*[–—-]\s*\d+(?:\.\d+)?)?")


def _as_kind(piece: str, column: Column) -> Quantity | None:
    kind = column.kind or kind_for_unit(column.unit or "", column.header)
    try:
        return parse_quantity(f"{piece.strip()} {column.unit}", kind=kind, context=column.header)
    except (UnitError, ValueError):
        return None


def _refit(q: Quantity, kind: str) -> Quantity | None:
    """``q`` read as ``kind`` when its unit has that kind's dimension, else None."""
    try:
        return parse_quantity(q.text, kind=kind)
    except (UnitError, ValueError):
        return None


#: ``Li|LSPS|Li``, ``Na‖NASICON‖Na``: the same metal on both sides of an electrolyte.
_SANDWICH = re.compile(r"^\s*(Li|Na|K)\s*[|‖/]\s*\S.*?[|‖/]\s*\1\s*$")


#: A Cell column that says no cell was built.
_NO_CELL = re.compile(
    r"^\s*(?:none|no(?:\s+(?:cells?|battery|batteries|device))?|not\s+(?:built|assembled|tested|cycled))\s*$",
    re.I,
)
#: An Electrolyte cell that names a liquid the film was only soaked or stored in.
_SOAK = re.compile(
    r"\b(?:soak\w*|immers\w*|stor(?:ed|age)|dipp\w*|exposure|aged|ageing|aging)\b", re.I
)
#: Kinds that only a cycled cell can give.
_CYCLING_KINDS = frozenset({"CyclingDuration", "CycleCount"})


def _built_no_cell(cell: str, electrolyte: str) -> bool:
    """The row's columns say no cell was built: "none" under Cell, or a soak medium under
    Electrolyte with no cell named."""
    if _NO_CELL.match(cell):
        return True
    return bool(_SOAK.search(electrolyte)) and (is_empty(cell) or not cell_types(cell))


def row_conditions(cells: tuple[str, ...] | list[str], found: Columns) -> Conditions:
    """Cell type, electrolytes and current densities a row's own columns give."""
    cell = found.cell(cells, "cell")
    if _built_no_cell(cell, found.cell(cells, "electrolyte")):
        return Conditions(infer_cell=False, no_cell=True)
    types = tuple(cell_types(cell)) or (("symmetric",) if _SANDWICH.match(cell) else ())
    elecs: list[str] = []
    for part in re.split(r"\s*;\s*", found.cell(cells, "electrolyte")):
        if part and not is_empty(part):
            elecs.extend(electrolytes(part) or [part])
    column = found.get("current_density")
    densities = column_quantities(found.cell(cells, "current_density"), column) if column else []
    said_nothing = "cell" in found and is_empty(cell)
    return Conditions(
        types, tuple(dict.fromkeys(elecs)), tuple(densities), infer_cell=not said_nothing
    )


def row_results(
    cells: tuple[str, ...] | list[str], found: Columns, span: Span
) -> tuple[tuple[Measurement, ...], tuple[CellTest, ...], tuple[str, ...]]:
    """A row's results: its free-text performance cell and its outcome columns, all under
    the conditions its Cell, Electrolyte and Current density columns give."""
    given = row_conditions(cells, found)
    measurements, tests, notes = parse_performance(found.cell(cells, "performance"), span, given)
    if given.no_cell:  # no cell was cycled: hours are a soak time, and there is no cell test
        measurements = tuple(m for m in measurements if m.quantity.kind not in _CYCLING_KINDS)
        tests = ()
    out = _Results(list(measurements), notes=list(notes))
    for test in tests:
        out.test(test.cell_type, test.electrolytes, list(test.current_densities))
    cell_type = given.cell_types[0] if given.cell_types else None
    for role in OUTCOME_ROLES:
        column = found.get(role)
        if column is None:
            continue
        values = column_quantities(found.cell(cells, role), column)
        _add_measurements(
            out,
            [q for q in values if q.kind],
            span=span,
            cell_type=cell_type,
            elecs=list(given.electrolytes),
            densities=list(given.current_densities),
            after=None,
        )
        if values:
            out.test(cell_type, given.electrolytes, list(given.current_densities))
    if not out.tests and (given.cell_types or given.electrolytes or given.current_densities):
        out.test(cell_type, given.electrolytes, list(given.current_densities))
    return tuple(out.measurements), out.cell_tests(), tuple(out.notes)
