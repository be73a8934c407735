"""Rows → the answer's one-line ``summary``, and the rows an answer shape keeps.

A list states how many rows and, for a bounded number, the extreme; a superlative keeps the
top row (and every row tied with it) and says what it was ranked by; a comparison names each
compared material's best value and the winner; a count states the number and what was
counted. Numbers carry their units; an open value ("> 1000 h") is said to be one.
"""

from __future__ import annotations

from typing import Any

from kg.ask.answer import value_column
from kg.ask.question import Interpretation, NumericConstraint, kind_label, out_of_scope_note

__all__ = ["summarize"]

_UNITS = {"degC": "°C", "cycle": "cycles"}
_NOUNS = {
    "coatings": ("coating", "coatings"),
    "studies": ("study", "studies"),
    "precursors": ("precursor use", "precursor uses"),
    "materials": ("coating", "coatings"),
    "values": ("value", "values"),
}
_OPEN = {">": "more than", "≥": "at least", "<": "less than", "≤": "at most"}


def _noun(interp: Interpretation, n: int) -> str:
    one, many = _NOUNS.get(interp.target, ("row", "rows"))
    return f"{n} {one if n == 1 else many}"


def _ranked(interp: Interpretation) -> tuple[int, NumericConstraint] | None:
    for i, n in enumerate(interp.numbers):
        if n.op in ("max", "min"):
            return i, n
    return None


def _column_and_comparator(interp: Interpretation, i: int) -> tuple[str, str]:
    column = value_column(interp.numbers[i].kind)
    first = next(j for j, n in enumerate(interp.numbers) if n.kind != "CurrentDensity" or j == i)
    return column, "comparator" if first == i else f"{column}_comparator"


def _value(row: dict[str, Any], interp: Interpretation, i: int) -> tuple[Any, str]:
    column, cmp_key = _column_and_comparator(interp, i)
    return row.get(column), row.get(cmp_key) or "="


def _sortable(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("max")
    return float(value) if isinstance(value, int | float) else None


def _show(value: Any, cmp: str, unit: str) -> str:
    unit = _UNITS.get(unit, unit)
    text = f"{value.get('min')}–{value.get('max')}" if isinstance(value, dict) else f"{value}"
    prefix = f"{cmp} " if cmp in _OPEN or cmp == "~" else ""
    return f"{prefix}{text} {unit}".strip()


def _name(row: dict[str, Any]) -> str:
    label = str(row.get("material") or row.get("study") or row.get("precursor") or "?")
    if row.get("precursor"):  # a precursor use: "TTIP (titanium isopropoxide) for TiO2"
        label = f"{row['precursor']} for {label}"
    if isinstance(row.get("ref"), int) and not label.startswith(f"[{row['ref']}]"):
        return f"{label} [{row['ref']}]"
    if isinstance(row.get("ref"), int):
        return label
    return f"{label} ({row['doc']})" if row.get("doc") else label


def _shown(interp: Interpretation, row: dict[str, Any]) -> str:
    """ " (electrolyte: 1 M NaPF6 in DEGDME)" for the attributes the question asks for."""
    parts = [f"{c.replace('_', ' ')}: {row.get(c) or 'not reported'}" for c in interp.show]
    value = row.get("value")
    if interp.target == "values" and value is not None:
        parts.insert(
            0,
            f"{row.get('property')} {_show(value, row.get('comparator') or '=', row.get('unit') or '')}",
        )
    return f" ({'; '.join(parts)})" if parts else ""


def _where(interp: Interpretation) -> str:
    parts = [p for p in interp.constraint_parts() if not p.startswith("ranked by")]
    return f" ({'; '.join(parts)})" if parts else ""


def summarize(
    interp: Interpretation, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str]:
    """(the rows the answer keeps, its one-line summary)."""
    if not rows:
        return rows, _empty(interp)
    ranked = _ranked(interp)
    if interp.shape == "superlative" and ranked is not None:
        return _superlative(interp, rows, *ranked)
    if interp.shape == "comparison" and ranked is not None:
        return rows, _comparison(interp, rows, *ranked)
    if interp.shape == "comparison":
        return rows, _side_by_side(interp, rows)
    names = ", ".join(_name(r) + _shown(interp, r) for r in rows[:8])
    names += ", …" if len(rows) > 8 else ""
    if interp.shape == "count":
        return rows, f"{_noun(interp, len(rows))}{_where(interp)}: {names}."
    text = f"{_noun(interp, len(rows))}{_where(interp)}"
    bounded = next(
        ((i, n) for i, n in enumerate(interp.numbers) if n.op in (">", "≥", "<", "≤")), None
    )
    if bounded is not None:
        i, n = bounded
        value, cmp = _value(rows[0], interp, i)
        word = "highest" if n.op in (">", "≥") else "lowest"
        return rows, f"{text}; the {word} {kind_label(n.kind)} is {_name(rows[0])}, " + (
            f"{_show(value, cmp, n.unit)}."
        )
    return rows, f"{text}: {names}."


def _empty(interp: Interpretation) -> str:
    if interp.out_of_scope:
        return "No answer: " + " ".join(out_of_scope_note(w) for w in interp.out_of_scope)
    if interp.unknown or interp.unread:
        words = "; ".join(
            [
                *(
                    f"'{w}' is not a term of the vocabulary"
                    + (f" (did you mean {s}?)" if s else "")
                    for w, s in interp.unknown
                ),
                *(
                    f"'{w}' is not understood" + (f" (did you mean {s}?)" if s else "")
                    for w, s in interp.unread
                ),
            ]
        )
        return (
            f"No answer: {words}. Leaving it out would answer a wider question. Ask by "
            "material, substrate or anode metal, technique, precursor, cell, cathode, "
            'electrolyte, a number with its unit, year or author (e.g. "Al2O3 coatings on Li", '
            '"thinnest coating on Na").'
        )
    parts = interp.constraint_parts()
    if interp.sides:
        parts = [" vs ".join(f"({label.split(': ', 1)[1]})" for label in _side_labels(interp))]
    where = f" match {'; '.join(parts)}" if parts else ""
    _one, many = _NOUNS.get(interp.target, ("row", "rows"))
    return f"No {many} in the graph{where}."


def _superlative(
    interp: Interpretation, rows: list[dict[str, Any]], i: int, n: NumericConstraint
) -> tuple[list[dict[str, Any]], str]:
    top_value, top_cmp = _value(rows[0], interp, i)
    top = [r for r in rows if _value(r, interp, i) == (top_value, top_cmp)]
    if interp.top_n and interp.top_n > len(top):
        return _top_n(interp, rows, i, n)
    word = "highest" if n.op == "max" else "lowest"
    text = (
        f"The {word} {kind_label(n.kind)} among {_noun(interp, len(rows))} with one"
        f"{_where(interp)}: {_name(rows[0])}, {_show(top_value, top_cmp, n.unit)}"
    )
    if len(top) > 1:
        text += "; tied with " + ", ".join(_name(r) for r in top[1:])
    if top_cmp in _OPEN:
        text += (
            f" (an open value: {_OPEN[top_cmp]} {_show(top_value, '=', n.unit)} as reported, "
            "ranked by the number given)"
        )
    rest = [r for r in rows if r not in top]
    if rest:
        value, cmp = _value(rest[0], interp, i)
        text += f"; next: {_name(rest[0])}, {_show(value, cmp, n.unit)}"
    return top, text + "."


def _top_n(
    interp: Interpretation, rows: list[dict[str, Any]], i: int, n: NumericConstraint
) -> tuple[list[dict[str, Any]], str]:
    """ "top 3 …": the first N by the ranking, and any row tied with the last kept."""
    cut = min(interp.top_n or 1, len(rows))
    last = _value(rows[cut - 1], interp, i)
    kept = rows[:cut] + [r for r in rows[cut:] if _value(r, interp, i) == last]
    word = "highest" if n.op == "max" else "lowest"
    listed = ", ".join(f"{_name(r)} {_show(*_value(r, interp, i), n.unit)}" for r in kept)
    text = (
        f"The {len(kept)} with the {word} {kind_label(n.kind)} among "
        f"{_noun(interp, len(rows))} with one{_where(interp)}: {listed}"
    )
    if any(_value(r, interp, i)[1] in _OPEN for r in kept):
        text += " (open values such as > 1000 h are ranked by the number given)"
    return kept, text + "."


def _comparison(
    interp: Interpretation, rows: list[dict[str, Any]], i: int, n: NumericConstraint
) -> str:
    best: dict[str, dict[str, Any]] = {}
    for row in rows:  # each side's rows come sorted best first
        best.setdefault(str(row.get("compared") or row.get("material")), row)
    if interp.sides:
        missing = [
            f"({label.split(': ', 1)[1]})" for label in _side_labels(interp) if label not in best
        ]
    else:
        named = [c.label for c in interp.concepts.get("Material", [])]
        missing = [m for m in named if m not in best]
    parts = [f"{_name(r)} {_show(*_value(r, interp, i), n.unit)}" for r in best.values()]
    text = f"{kind_label(n.kind).capitalize()}: " + " vs ".join(parts)
    if len(best) >= 2:
        ordered = sorted(
            best.values(),
            key=lambda r: _sortable(_value(r, interp, i)[0]) or 0.0,
            reverse=n.op == "max",
        )
        winner = ordered[0]
        word = "higher" if n.op == "max" else "lower"
        values = [_sortable(_value(r, interp, i)[0]) for r in best.values()]
        if len(set(values)) == 1:
            text += "; a tie"
        else:
            name = _name(winner) if interp.sides else winner.get("material")
            text += f"; {name} has the {word} {kind_label(n.kind)}"
    for m in missing:
        text += f"; no {kind_label(n.kind)} for {m} in the graph"
    return text + "."


def _side_labels(interp: Interpretation) -> list[str]:
    """The sides of a comparison as their rows name them ("1: material is Al2O3; …")."""
    from kg.ask.question import own_parts

    return [f"{n}: " + "; ".join(own_parts(side)) for n, side in enumerate(interp.sides, 1)]


def _side_by_side(interp: Interpretation, rows: list[dict[str, Any]]) -> str:
    """ "X vs Y" with no quantity named: what the graph has for each side (each material
    found, when the sides have no constraints of their own)."""
    groups: dict[str, list[dict[str, Any]]] = {
        c.label: [] for c in interp.concepts.get("Material", [])
    }
    if interp.sides:
        groups = {f"({label.split(': ', 1)[1]})": [] for label in _side_labels(interp)}
    for row in rows:
        key = row.get("compared")
        key = f"({str(key).split(': ', 1)[1]})" if interp.sides and key else row.get("material")
        groups.setdefault(str(key), []).append(row)
    parts = []
    for material, mine in groups.items():
        refs = ", ".join(_name(r) for r in mine[:6])
        parts.append(f"{material}: {len(mine)} coating(s)" + (f" ({refs})" if mine else ""))
    return (
        "; ".join(parts)
        + ". Name a quantity to say which wins (e.g. 'thicker', 'longer cycling', 'higher CE')."
    )
