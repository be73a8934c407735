"""Field-level precision, recall and F1 of the coatings table against hand-checked rows.

Rules (documented because they decide the score):
- A gold row matches the coating with the same citation number and material (labels compared
  through the vocabulary, so ``AIEG`` matches ``AlEG``).
- Scalars must be equal; a list in the gold compares as a set with the extracted list or range
  (``[160, 180]`` equals ``{min: 160, max: 180}``).
- Technique: the extracted technique equals the gold one or is narrower (plasma-enhanced ALD is
  an ALD). Precursors compare as sets of vocabulary concepts.
- Performance values, cell types and electrolytes: every gold value must be among the
  extracted ones (prose may add more facts about the same coating; those are not errors).
- A field the extraction leaves empty is a miss (recall); a wrong value is both a false
  positive and a miss.
"""

from __future__ import annotations

from typing import Any

from ingest.resolve import split_electrolyte
from kg.table import coatings_table
from kg.vocab import Vocabulary, label_key, load_vocabulary

PERFORMANCE_KINDS = {
    "capacity_retention_pct": "CapacityRetention",
    "cycles": "CycleCount",
    "coulombic_efficiency_pct": "CoulombicEfficiency",
    "specific_capacity_mAh_g": "SpecificCapacity",
    "duration_h": "CyclingDuration",
    "overpotential_mV": "Overpotential",
}
SKIP_FIELDS = {"table", "row", "performance", "year_alt", "note"}


def _as_set(value: Any) -> set[float]:
    if value is None:
        return set()
    if isinstance(value, dict) and "min" in value:
        return {float(value["min"]), float(value["max"])}
    if isinstance(value, list):
        out: set[float] = set()
        for v in value:
            out |= _as_set(v)
        return out
    try:
        return {float(value)}
    except (TypeError, ValueError):
        return set()


def _concept(vocab: Vocabulary, kind: str, label: str | None) -> str:
    if not label:
        return ""
    concept = vocab.lookup(kind, label)
    return concept.iri if concept else label_key(label)


def _technique_ok(vocab: Vocabulary, gold: str, got: str | None) -> bool:
    if not got:
        return False
    g, p = vocab.lookup("Technique", gold), vocab.lookup("Technique", got)
    if g is None or p is None:
        return label_key(gold) == label_key(got)
    return g.iri == p.iri or g.iri in p.broader


def _electrolyte_ok(vocab: Vocabulary, gold: str, got: list[str]) -> bool:
    g = split_electrolyte(vocab, gold)
    for label in got:
        if label_key(label) == label_key(gold):
            return True
        p = split_electrolyte(vocab, label)
        salts = {t.iri for t in g.salts}
        solvents = {t.iri for t in g.solvents}
        if (
            (salts or solvents)
            and salts <= {t.iri for t in p.salts}
            and solvents <= {t.iri for t in p.solvents}
        ):
            return True
        if not salts and not solvents and {t.iri for t in g.families} & {t.iri for t in p.families}:
            return True
    return False


def compare_row(
    vocab: Vocabulary, gold: dict[str, Any], got: dict[str, Any] | None
) -> dict[str, bool | None]:
    """Each gold field → True (right), False (wrong), None (missing)."""
    result: dict[str, bool | None] = {}
    for field, value in gold.items():
        if field in SKIP_FIELDS:
            continue
        if got is None or got.get(field) in (None, [], ""):
            result[field] = None
            continue
        have = got[field]
        if field == "material":
            result[field] = _concept(vocab, "Material", value) == _concept(vocab, "Material", have)
        elif field == "substrate":
            result[field] = _concept(vocab, "Substrate", value) == _concept(
                vocab, "Substrate", have
            )
        elif field == "technique":
            result[field] = _technique_ok(vocab, value, have)
        elif field == "precursors":
            result[field] = {_concept(vocab, "Precursor", v) for v in value} == {
                _concept(vocab, "Precursor", v) for v in have
            }
        elif field in ("ref", "year"):
            result[field] = int(value) == int(have)
        else:
            result[field] = _as_set(value) == _as_set(have)
    for field, value in (gold.get("performance") or {}).items():
        name = f"performance.{field}"
        if field == "note" or got is None:
            if field != "note":
                result[name] = None
            continue
        outcomes = got.get("outcomes") or []
        if field in PERFORMANCE_KINDS:
            values = [o["value"] for o in outcomes if o["kind"] == PERFORMANCE_KINDS[field]]
            found = _as_set(values)
            result[name] = (_as_set(value) <= found) if found else None
        elif field == "after_cycles":
            found = _as_set(
                [
                    o["conditions"].get("after_cycles")
                    for o in outcomes
                    if o["conditions"].get("after_cycles") is not None
                ]
            )
            result[name] = (_as_set(value) <= found) if found else None
        elif field == "current_density_mA_cm2":
            found = _as_set(
                [
                    o["conditions"].get("current_density_mA_cm2")
                    for o in outcomes
                    if o["conditions"].get("current_density_mA_cm2") is not None
                ]
            )
            result[name] = (_as_set(value) <= found) if found else None
        elif field == "cell_type":
            wanted = {
                _concept(vocab, "CellType", v)
                for v in (value if isinstance(value, list) else [value])
            }
            have = {_concept(vocab, "CellType", v) for v in got.get("cell_types") or []}
            result[name] = (wanted <= have) if have else None
        elif field == "electrolytes":
            have_e = got.get("electrolytes") or []
            result[name] = all(_electrolyte_ok(vocab, v, have_e) for v in value) if have_e else None
    return result


def find_match(
    vocab: Vocabulary, gold: dict[str, Any], rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    material = _concept(vocab, "Material", gold.get("material"))
    candidates = [r for r in rows if r.get("ref") == gold.get("ref")]
    for r in candidates:
        if _concept(vocab, "Material", r.get("material")) == material:
            return r
    return candidates[0] if len(candidates) == 1 else None


def evaluate_rows(rows: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[str, Any]:
    vocab = load_vocabulary()
    tp = fp = fn = 0
    lines: list[str] = []
    for g in gold:
        got = find_match(vocab, g, rows)
        fields = compare_row(vocab, g, got)
        wrong = [f for f, ok in fields.items() if ok is False]
        missing = [f for f, ok in fields.items() if ok is None]
        right = sum(1 for ok in fields.values() if ok)
        tp += right
        fp += len(wrong)
        fn += len(wrong) + len(missing)
        status = "ok " if not wrong and not missing else "!! "
        detail = ""
        if wrong:
            detail += " wrong: " + ", ".join(wrong)
        if missing:
            detail += " missing: " + ", ".join(missing)
        lines.append(
            f"{status}table {g.get('table')} row {g.get('row')} [{g.get('ref')}] {g.get('material')}: "
            f"{right}/{len(fields)}{detail}"
        )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "lines": lines,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate_table(store: Any, gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Score `kg table coatings` (read from ``store``) against gold rows."""
    return evaluate_rows(coatings_table(store), gold)
