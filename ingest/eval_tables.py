"""Field-level precision/recall/F1 of table records against hand-checked gold rows.

Comparison rules (the gold file is a sample, written by hand, so they are lenient on form and
strict on content):

- Rows are matched by ``(ref, material)``; materials compare as vocabulary concepts when the
  vocabulary knows them (``AIEG`` = ``AlEG``), else by :func:`kg.vocab.label_key`. Only
  records from tables that appear in the gold are scored (the gold is a sample of tables).
- Top-level fields: ``ref``, ``year``, ``material``, ``technique``, ``substrate``,
  ``precursors``, ``temperature_C``, ``thickness_nm``, ``deposition_cycles``. For a matched
  row each field is a true positive when both sides agree, a false positive when the record
  has a value the gold lacks or contradicts, a false negative when the gold has one the
  record lacks or contradicts. ``year`` also accepts the gold's ``year_alt``.
- Performance sub-fields count only when present in the gold (its summaries are not
  exhaustive): ``capacity_retention_pct``, ``coulombic_efficiency_pct``,
  ``specific_capacity_mAh_g``, ``duration_h``, ``overpotential_mV``, ``cycles`` (CycleCount
  measurements), ``after_cycles``, ``current_density_mA_cm2`` (of measurements and cell
  tests), ``cell_type``, ``electrolytes``, ``note`` (every gold word of 4+ letters appears in
  the record's notes).
- A list in the gold and the values extracted compare as sets; numbers are rounded to 6
  significant digits; a range quantity contributes its low and high, so a gold range
  ``[160, 180]`` equals a range quantity 160–180 (and a gold list ``[140, 80]`` equals two
  quantities).
- Strings compare as vocabulary concepts when both resolve (``solid-state electrolyte`` =
  ``solid-state``; ``plasma O2`` = ``O2 plasma``), else by label key with the word ``in``
  dropped (``1 M LiPF6 in EC/EMC`` = ``1 M LiPF6-EC/EMC``). A technique that refines the
  gold's (``plasma-enhanced ALD`` for ``ALD``) is a match.
- Unmatched gold rows count every field as a false negative; unmatched records count every
  top-level field they fill as a false positive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ingest.records import CoatingRecord, Quantity
from kg.vocab import label_key, load_vocabulary

__all__ = ["TOP_FIELDS", "compare_with_gold", "record_fields"]

TOP_FIELDS = (
    "ref",
    "year",
    "material",
    "technique",
    "substrate",
    "precursors",
    "temperature_C",
    "thickness_nm",
    "deposition_cycles",
)
_PERF_KINDS = {
    "capacity_retention_pct": "CapacityRetention",
    "coulombic_efficiency_pct": "CoulombicEfficiency",
    "specific_capacity_mAh_g": "SpecificCapacity",
    "duration_h": "CyclingDuration",
    "overpotential_mV": "Overpotential",
    "cycles": "CycleCount",
}
_STRING_KINDS = (
    "Material",
    "Technique",
    "Substrate",
    "Precursor",
    "CellType",
    "ElectrolyteFamily",
    "Salt",
)


def _key(text: str, kinds: Iterable[str] = _STRING_KINDS) -> str:
    vocab = load_vocabulary()
    for kind in kinds:
        concept = vocab.lookup(kind, text)
        if concept:
            return concept.iri
    return label_key(re.sub(r"\s+in\s+", " ", text))


def _num(x: float) -> float:
    return float(f"{x:.6g}")


def _numbers(quantities: Iterable[Quantity]) -> frozenset[float]:
    out: set[float] = set()
    for q in quantities:
        for v in (q.canonical_value, q.low, q.high):
            if v is not None:
                out.add(_num(v))
    return frozenset(out)


def _as_set(value: Any) -> frozenset[Any]:
    items = value if isinstance(value, list) else [value]
    return frozenset(_num(i) if isinstance(i, int | float) else _key(str(i)) for i in items)


def record_fields(record: CoatingRecord) -> dict[str, Any]:
    """The gold-style fields of one record (sets for lists), None where nothing was read."""
    fields: dict[str, Any] = {
        "ref": record.ref,
        "year": record.year,
        "material": _key(record.material, ("Material",)) if record.material else None,
        "technique": record.technique,
        "substrate": record.substrate,
        "precursors": frozenset(_key(p) for p in record.precursors) or None,
        "temperature_C": _numbers(record.temperatures) or None,
        "thickness_nm": _numbers(record.thicknesses) or None,
        "deposition_cycles": _numbers(record.deposition_cycles) or None,
    }
    ms = record.measurements
    for name, kind in _PERF_KINDS.items():
        fields[name] = _numbers(m.quantity for m in ms if m.quantity.kind == kind) or None
    fields["after_cycles"] = frozenset(_num(m.after_cycles) for m in ms if m.after_cycles) or None
    densities = [m.current_density for m in ms if m.current_density]
    densities += [d for t in record.cell_tests for d in t.current_densities]
    fields["current_density_mA_cm2"] = _numbers(densities) or None
    types = {m.cell_type for m in ms if m.cell_type} | {
        t.cell_type for t in record.cell_tests if t.cell_type
    }
    fields["cell_type"] = frozenset(_key(t) for t in types) or None
    elecs = {e for m in ms for e in m.electrolytes} | {
        e for t in record.cell_tests for e in t.electrolytes
    }
    fields["electrolytes"] = frozenset(_key(e) for e in elecs) or None
    fields["note"] = " ".join(record.notes) or None
    return fields


def _equal(name: str, gold: Any, got: Any, gold_row: dict[str, Any]) -> bool:
    if got is None or gold is None:
        return False
    if name == "ref":
        return int(gold) == got
    if name == "year":
        return got in (gold, gold_row.get("year_alt"))
    if name == "technique":
        vocab = load_vocabulary()
        g, e = vocab.lookup("Technique", str(gold)), vocab.lookup("Technique", str(got))
        if g and e:
            return g.iri == e.iri or g.iri in e.broader
        return label_key(str(gold)) == label_key(str(got))
    if name == "material":
        return _key(str(gold), ("Material",)) == got
    if name == "note":
        words = [w for w in re.findall(r"[A-Za-z]{4,}", str(gold))]
        return all(w.lower() in got.lower() for w in words)
    if isinstance(got, frozenset):
        return _as_set(gold) == got
    return _key(str(gold)) == _key(str(got))


def _tally(stats: dict[str, dict[str, int]], name: str, outcome: str) -> None:
    stats.setdefault(name, {"tp": 0, "fp": 0, "fn": 0})[outcome] += 1


def compare_with_gold(records: list[CoatingRecord], gold: list[dict]) -> dict:
    """Score records against gold rows (rules in the module docstring).

    Returns:
        ``precision``, ``recall``, ``f1``, ``tp``, ``fp``, ``fn``, ``per_field`` (counts per
        field), ``mismatches`` (``{ref, material, field, gold, extracted}``),
        ``unmatched_gold`` and ``unmatched_records`` (``[ref, material]`` pairs).
    """
    tables = {g.get("table") for g in gold if g.get("table") is not None}
    scored = [r for r in records if not tables or r.span.table in tables]
    by_key: dict[tuple[int | None, str], list[CoatingRecord]] = {}
    for r in scored:
        by_key.setdefault((r.ref, _key(r.material, ("Material",))), []).append(r)
    stats: dict[str, dict[str, int]] = {}
    mismatches: list[dict[str, Any]] = []
    unmatched_gold: list[list[Any]] = []
    used: set[int] = set()
    for g in gold:
        candidates = by_key.get((g.get("ref"), _key(str(g.get("material")), ("Material",))), [])
        candidates = [c for c in candidates if id(c) not in used]
        same_row = [c for c in candidates if c.span.row == g.get("row")]
        record = (same_row or candidates or [None])[0]
        perf = g.get("performance") or {}
        if record is None:
            unmatched_gold.append([g.get("ref"), g.get("material")])
            for name in [*(f for f in TOP_FIELDS if g.get(f) is not None), *perf]:
                _tally(stats, name, "fn")
            continue
        used.add(id(record))
        got = record_fields(record)
        checks = [(f, g.get(f)) for f in TOP_FIELDS] + list(perf.items())
        for name, gold_value in checks:
            extracted = got.get(name)
            is_perf = name not in TOP_FIELDS
            if gold_value is None and (is_perf or extracted is None):
                continue
            if _equal(name, gold_value, extracted, g):
                _tally(stats, name, "tp")
                continue
            if extracted is not None:
                _tally(stats, name, "fp")
            if gold_value is not None:
                _tally(stats, name, "fn")
            mismatches.append(
                {
                    "ref": g.get("ref"),
                    "material": g.get("material"),
                    "field": name,
                    "gold": gold_value,
                    "extracted": sorted(extracted, key=str)
                    if isinstance(extracted, frozenset)
                    else extracted,
                }
            )
    unmatched_records = [[r.ref, r.material] for r in scored if id(r) not in used]
    for r in scored:
        if id(r) in used:
            continue
        for name, value in record_fields(r).items():
            if name in TOP_FIELDS and value is not None:
                _tally(stats, name, "fp")
    tp = sum(s["tp"] for s in stats.values())
    fp = sum(s["fp"] for s in stats.values())
    fn = sum(s["fn"] for s in stats.values())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "per_field": stats,
        "mismatches": mismatches,
        "unmatched_gold": unmatched_gold,
        "unmatched_records": unmatched_records,
    }
