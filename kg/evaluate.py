"""Strict field-level precision, recall and F1 of extracted coatings against a gold file.

Two gold formats are read (both are samples of what a correct extractor produces):

- the review's table rows (``shared/gold/table_rows_dev.json``): a list of rows keyed by
  citation number and material, performance nested under ``performance``;
- the devset (``shared/devset/gold_coatings.json``): ``{"coatings": [...], "not_coatings":
  [...]}`` keyed by (doc, ref), with ``outcomes`` as ``{kind, value, unit, comparator}``.

Rules (documented because they decide the score):

- A gold coating matches the extracted coating of the same document (when the gold names one),
  citation number and material (labels compared through the vocabulary, so ``AIEG`` matches
  ``AlEG``); failing that, the one coating left under the same key, whose material then counts
  as wrong.
- Single-valued fields (year, material, technique, substrate, temperature, thickness,
  deposition cycles) score one point each: equal is a true positive; different is a false
  positive and a miss; empty is a miss; a value where the gold says "not stated" (null) is a
  false positive. Lists in the gold compare as sets (``[160, 180]`` equals a 160–180 range).
  Technique, substrate and cell type may be narrower than the gold (PE-ALD is an ALD).
- Many-valued fields (precursors, cell types, electrolytes, electrolyte families, current
  densities, outcomes) score per item: each gold item found is a true positive, each gold item
  not found a miss, each extracted item that matches no gold item a false positive.
- An outcome matches on kind, value, unit and comparator (the comparator only where the gold
  gives one). Only kinds the gold format scores are compared (growth per cycle or modulus are
  not outcomes); current density is scored on its own, from measurements and from the
  conditions of other outcomes.
- Extracted coatings that match no gold coating are listed; every value they carry is a false
  positive (traps in ``not_coatings`` are named as such). The scope is the gold's documents, and
  for table-row gold the gold's tables (prose facts about a table's coatings are not in that
  gold, so only table-derived outcomes are compared there).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.resolve import split_electrolyte
from kg.table import coatings_table
from kg.vocab import Vocabulary, label_key, load_vocabulary

#: Gold outcome kinds (devset names) → quantity kinds of the ontology.
OUTCOME_KINDS = {
    "cycling_duration_h": "CyclingDuration",
    "cycle_count": "CycleCount",
    "coulombic_efficiency_pct": "CoulombicEfficiency",
    "overpotential_mV": "Overpotential",
    "capacity_retention_pct": "CapacityRetention",
    "specific_capacity_mAh_g": "SpecificCapacity",
    "areal_capacity_mAh_cm2": "ArealCapacity",
    "interfacial_resistance_ohm_cm2": "InterfacialResistance",
}
#: The review gold's performance fields → quantity kinds.
PERFORMANCE_KINDS = {
    "capacity_retention_pct": "CapacityRetention",
    "cycles": "CycleCount",
    "coulombic_efficiency_pct": "CoulombicEfficiency",
    "specific_capacity_mAh_g": "SpecificCapacity",
    "duration_h": "CyclingDuration",
    "overpotential_mV": "Overpotential",
}
SCORED_KINDS = set(OUTCOME_KINDS.values())
CURRENT_DENSITY = "CurrentDensity"
SCALARS = (
    "year",
    "material",
    "technique",
    "substrate",
    "temperature_C",
    "thickness_nm",
    "deposition_cycles",
)
COMPARATORS = {
    "": "=",
    "=": "=",
    "~": "~",
    "∼": "~",
    "≈": "~",
    ">=": "≥",
    "≥": "≥",
    "<=": "≤",
    "≤": "≤",
    ">": ">",
    "<": "<",
}
TABLE_SOURCE = re.compile(r"Table (\S+), row")


@dataclass(frozen=True)
class Outcome:
    """One measured result: kind, values (a set: a range is its two ends), unit, comparator."""

    kind: str
    values: frozenset[float]
    unit: str | None
    comparator: str | None


@dataclass
class Record:
    """A coating in the shape both sides are compared in (gold and extracted alike)."""

    doc: str | None
    ref: int | None
    label: str
    scalars: dict[str, Any]
    items: dict[str, list[Any]]
    tables: frozenset[str] = frozenset()
    year_alt: int | None = None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scored:
    """One comparison's tally and what went wrong, by field."""

    tally: Tally = field(default_factory=Tally)
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- values


def as_set(value: Any) -> frozenset[float]:
    """Numbers of a gold or extracted value: scalar, list of variants or {min, max} range."""
    if value is None:
        return frozenset()
    if isinstance(value, dict) and "min" in value:
        return as_set([value["min"], value["max"]])
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(x for v in value for x in as_set(v))
    try:
        return frozenset({round(float(value), 6)})
    except (TypeError, ValueError):
        return frozenset()


def unit_key(unit: str | None) -> str | None:
    """``mAh g-1``, ``mAh/g`` and ``mAh g⁻¹`` → one key; ``Ω cm2``, ``ohm·cm^2`` too.

    >>> unit_key("mAh g-1") == unit_key("mAh/g") and unit_key("Ω cm2") == unit_key("ohm·cm^2")
    True
    """
    if not unit:
        return None
    u = (
        unit.lower()
        .replace("ω", "ohm")
        .replace("·", " ")
        .replace("*", " ")
        .replace("−", "-")
        .replace("^", "")
    )
    u = u.replace("⁻¹", "-1").replace("⁻²", "-2").replace("²", "2")
    u = re.sub(r"\s*/\s*", " /", u)
    parts = []
    for token in u.split():
        m = re.fullmatch(r"([a-z]+)-(\d)", token)
        parts.append(f"/{m.group(1)}{'' if m.group(2) == '1' else m.group(2)}" if m else token)
    key = "".join(parts)
    return {"cycles": "cycle"}.get(key, key)


def comparator_key(comparator: str | None) -> str | None:
    if comparator is None:
        return None
    return COMPARATORS.get(comparator.strip(), comparator.strip())


def concept(vocab: Vocabulary, kind: str, label: str | None) -> str:
    if not label:
        return ""
    found = vocab.lookup(kind, label)
    return found.iri if found else label_key(label)


def same_or_narrower(vocab: Vocabulary, kind: str, gold: str, got: str) -> bool:
    g, p = vocab.lookup(kind, gold), vocab.lookup(kind, got)
    if g is None or p is None:
        return label_key(gold) == label_key(got)
    return g.iri == p.iri or g.iri in p.broader


def families(vocab: Vocabulary, electrolytes: list[str]) -> list[str]:
    found: list[str] = []
    for label in electrolytes:
        for term in split_electrolyte(vocab, label).families:
            if term.label not in found:
                found.append(term.label)
    return found


def material_key(vocab: Vocabulary, label: str | None) -> str:
    """A material or a material class (``alucone`` names the class) as one comparable key."""
    if not label:
        return ""
    found = vocab.lookup("Material", label) or vocab.lookup("MaterialClass", label)
    return found.iri if found else label_key(label)


# ---------------------------------------------------------------------------- gold → records


def _gold_outcome(o: dict[str, Any]) -> Outcome | None:
    kind = OUTCOME_KINDS.get(o.get("kind", ""))
    if kind is None:
        return None
    return Outcome(
        kind, as_set(o.get("value")), unit_key(o.get("unit")), comparator_key(o.get("comparator"))
    )


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def from_devset(g: dict[str, Any]) -> Record:
    """A devset coating (keyed by doc and ref, outcomes as a list)."""
    outcomes = [o for o in (_gold_outcome(x) for x in g.get("outcomes") or []) if o]
    densities = [
        v
        for o in g.get("outcomes") or []
        if o.get("kind") == "current_density_mA_cm2"
        for v in as_set(o.get("value"))
    ]
    items: dict[str, list[Any]] = {
        "precursors": list(g.get("precursors") or []),
        "cell_types": list(g.get("cell_types") or []),
        "electrolytes": list(g.get("electrolytes") or []),
        "current_density": sorted(set(densities)),
        "outcomes": list(dict.fromkeys(outcomes)),
    }
    if "electrolyte_families" in g:
        items["electrolyte_families"] = list(g["electrolyte_families"] or [])
    return Record(
        doc=g.get("doc"),
        ref=g.get("ref"),
        label=f"{g.get('doc')} [{g.get('ref')}] {g.get('material')}",
        scalars={k: g.get(k) for k in SCALARS},
        items=items,
    )


def from_table_row(g: dict[str, Any]) -> Record:
    """A review table row (keyed by ref and material, performance nested)."""
    perf = g.get("performance") or {}
    # A list of values here is variants the row reports (80 and 90 %), one outcome each.
    outcomes = [
        Outcome(kind, as_set(value), None, None)
        for name, kind in PERFORMANCE_KINDS.items()
        for value in _listed(perf.get(name))
    ]
    items: dict[str, list[Any]] = {
        "precursors": list(g.get("precursors") or []),
        "cell_types": _listed(perf.get("cell_type")),
        "current_density": sorted(as_set(perf.get("current_density_mA_cm2"))),
        "outcomes": outcomes,
    }
    if "electrolytes" in perf:
        items["electrolytes"] = list(perf["electrolytes"] or [])
    if "after_cycles" in perf:
        items["after_cycles"] = sorted(as_set(perf["after_cycles"]))
    return Record(
        doc=g.get("doc"),
        ref=g.get("ref"),
        label=f"table {g.get('table')} row {g.get('row')} [{g.get('ref')}] {g.get('material')}",
        scalars={k: g.get(k) for k in SCALARS},
        items=items,
        tables=frozenset({str(g["table"])}) if g.get("table") is not None else frozenset(),
        year_alt=g.get("year_alt"),
    )


@dataclass
class Gold:
    coatings: list[Record]
    traps: list[dict[str, Any]]
    docs: frozenset[str]  # documents the gold covers (empty: any)
    tables: frozenset[str]  # tables the gold covers (empty: the whole document)


def read_gold(data: Any) -> Gold:
    """Either gold format as records (see the module docstring)."""
    if isinstance(data, dict) and "coatings" in data:
        coatings = [from_devset(g) for g in data["coatings"]]
        traps = list(data.get("not_coatings") or [])
    elif isinstance(data, list):
        coatings = [from_table_row(g) for g in data]
        traps = []
    else:
        raise ValueError(
            "Unknown gold format: expected a list of table rows or an object with 'coatings'."
        )
    docs = {c.doc for c in coatings if c.doc} | {t["doc"] for t in traps if t.get("doc")}
    tables = {t for c in coatings for t in c.tables}
    return Gold(coatings, traps, frozenset(docs), frozenset(tables))


# ---------------------------------------------------------------------------- extracted → records


def _row_tables(row: dict[str, Any]) -> frozenset[str]:
    return frozenset(m.group(1) for s in row.get("source") or [] if (m := TABLE_SOURCE.match(s)))


def _extracted_outcomes(row: dict[str, Any], tables_only: bool) -> list[dict[str, Any]]:
    return [o for o in row.get("outcomes") or [] if not tables_only or o.get("from_table", True)]


def from_extracted(row: dict[str, Any], *, tables_only: bool = False) -> Record:
    """A `kg table coatings` record; ``tables_only`` keeps only outcomes read from tables."""
    outcomes = _extracted_outcomes(row, tables_only)
    scored = [
        Outcome(
            o["kind"],
            as_set(o["value"]),
            unit_key(o.get("unit")),
            comparator_key(o.get("comparator")),
        )
        for o in outcomes
        if o["kind"] in SCORED_KINDS
    ]
    densities = {v for o in outcomes if o["kind"] == CURRENT_DENSITY for v in as_set(o["value"])}
    densities |= as_set([o["conditions"].get("current_density_mA_cm2") for o in outcomes])
    after = as_set([o["conditions"].get("after_cycles") for o in outcomes])
    tests = [t for t in row.get("cell_tests") or [] if not tables_only or t["from_table"]]
    cells = list(row.get("cell_types") or [])
    electrolytes = list(row.get("electrolytes") or [])
    if tables_only:
        cells = [c for c in cells if any(t["cell_type"] == c for t in tests)]
        electrolytes = [e for e in electrolytes if any(t["electrolyte"] == e for t in tests)]
    items: dict[str, list[Any]] = {
        "precursors": list(row.get("precursors") or []),
        "cell_types": cells,
        "electrolytes": electrolytes,
        "current_density": sorted(densities),
        "outcomes": list(dict.fromkeys(scored)),  # the same result under two conditions: one
        "after_cycles": sorted(after),
    }
    return Record(
        doc=row.get("doc"),
        ref=row.get("ref"),
        label=f"{row.get('doc')} [{row.get('ref')}] {row.get('material')}",
        scalars={k: row.get(k) for k in SCALARS},
        items=items,
        tables=_row_tables(row),
    )


# ---------------------------------------------------------------------------- comparing


def _scalar_ok(vocab: Vocabulary, name: str, gold: Record, got: Any) -> bool:
    want = gold.scalars[name]
    if name == "year":
        return int(got) in {int(want), *([gold.year_alt] if gold.year_alt else [])}
    if name == "material":
        return material_key(vocab, want) == material_key(vocab, got)
    if name == "technique":
        return same_or_narrower(vocab, "Technique", want, got)
    if name == "substrate":
        return same_or_narrower(vocab, "Substrate", want, got)
    return as_set(want) == as_set(got)


def _empty(value: Any) -> bool:
    return value in (None, "", []) or (isinstance(value, dict) and not value)


def score_scalars(vocab: Vocabulary, gold: Record, got: Record | None) -> Scored:
    out = Scored()
    for name in SCALARS:
        want = gold.scalars.get(name)
        have = None if got is None else got.scalars.get(name)
        if _empty(want) and _empty(have):
            continue
        if _empty(have):
            out.tally.fn += 1
            out.missing.append(name)
        elif _empty(want):
            out.tally.fp += 1
            out.extra.append(f"{name}={have}")
        elif _scalar_ok(vocab, name, gold, have):
            out.tally.tp += 1
        else:
            out.tally.fp += 1
            out.tally.fn += 1
            out.wrong.append(f"{name}={have}")
    return out


def _item_ok(vocab: Vocabulary, name: str, want: Any, have: Any) -> bool:
    if name == "precursors":
        return concept(vocab, "Precursor", want) == concept(vocab, "Precursor", have)
    if name == "cell_types":
        return same_or_narrower(vocab, "CellType", want, have)
    if name == "electrolytes":
        return electrolyte_ok(vocab, want, have)
    if name == "electrolyte_families":
        return concept(vocab, "ElectrolyteFamily", want) == concept(
            vocab, "ElectrolyteFamily", have
        )
    if name == "outcomes":
        return (
            want.kind == have.kind
            and want.values == have.values
            and (want.unit is None or have.unit is None or want.unit == have.unit)
            and (want.comparator is None or want.comparator == (have.comparator or "="))
        )
    return abs(float(want) - float(have)) < 1e-6


def electrolyte_ok(vocab: Vocabulary, gold: str, got: str) -> bool:
    """Same label, or the gold's salts and solvents all in the extracted one (or its family)."""
    if label_key(gold) == label_key(got):
        return True
    g, p = split_electrolyte(vocab, gold), split_electrolyte(vocab, got)
    salts, solvents = {t.iri for t in g.salts}, {t.iri for t in g.solvents}
    if salts or solvents:
        return salts <= {t.iri for t in p.salts} and solvents <= {t.iri for t in p.solvents}
    return bool({t.iri for t in g.families} & {t.iri for t in p.families})


def _text(item: Any) -> str:
    if isinstance(item, Outcome):
        values = "–".join(f"{v:g}" for v in sorted(item.values))
        return f"{item.kind} {item.comparator or ''}{values} {item.unit or ''}".strip()
    return str(item)


def score_items(vocab: Vocabulary, name: str, want: list[Any], have: list[Any]) -> Scored:
    """One-to-one matching of gold items to extracted items (first fit, gold order)."""
    out = Scored()
    left = list(have)
    for w in want:
        hit = next((i for i, h in enumerate(left) if _item_ok(vocab, name, w, h)), None)
        if hit is None:
            out.tally.fn += 1
            out.missing.append(f"{name}: {_text(w)}")
        else:
            out.tally.tp += 1
            left.pop(hit)
    out.tally.fp += len(left)
    out.extra.extend(f"{name}: {_text(h)}" for h in left)
    return out


def _got_items(vocab: Vocabulary, name: str, got: Record | None) -> list[Any]:
    if got is None:
        return []
    if name == "electrolyte_families":
        return families(vocab, got.items.get("electrolytes") or [])
    return list(got.items.get(name) or [])


def compare(vocab: Vocabulary, gold: Record, got: Record | None) -> Scored:
    """Every field of one gold coating against its extracted match (None: not extracted)."""
    out = score_scalars(vocab, gold, got)
    for name, want in gold.items.items():
        part = score_items(vocab, name, want, _got_items(vocab, name, got))
        out.tally.add(part.tally)
        out.missing.extend(part.missing)
        out.extra.extend(part.extra)
    return out


def extracted_only(vocab: Vocabulary, got: Record, fields: set[str]) -> Scored:
    """An extracted coating no gold coating matches: every value it carries is a false positive."""
    out = Scored()
    for name in SCALARS:
        if not _empty(got.scalars.get(name)):
            out.tally.fp += 1
            out.extra.append(f"{name}={got.scalars[name]}")
    for name in fields:
        items = _got_items(vocab, name, got)
        out.tally.fp += len(items)
        out.extra.extend(f"{name}: {_text(h)}" for h in items)
    return out


# ---------------------------------------------------------------------------- matching, report


def _key(record: Record, by_doc: bool) -> tuple[Any, ...]:
    return (record.doc if by_doc else None, record.ref)


def match(vocab: Vocabulary, gold: list[Record], got: list[Record]) -> dict[int, int]:
    """Gold index → extracted index: same key and material first, then a lone pair per key."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for gi, g in enumerate(gold):
        material = material_key(vocab, g.scalars.get("material"))
        for ei, e in enumerate(got):
            if ei in used or _key(e, g.doc is not None) != _key(g, g.doc is not None):
                continue
            if material_key(vocab, e.scalars.get("material")) == material:
                pairs[gi] = ei
                used.add(ei)
                break
    for gi, g in enumerate(gold):
        if gi in pairs:
            continue
        key = _key(g, g.doc is not None)
        golds = [
            i for i, x in enumerate(gold) if i not in pairs and _key(x, x.doc is not None) == key
        ]
        left = [i for i, e in enumerate(got) if i not in used and _key(e, g.doc is not None) == key]
        if len(golds) == 1 and len(left) == 1:
            pairs[gi] = left[0]
            used.add(left[0])
    return pairs


def export_record(record: Record, gold: Gold, keys: dict[tuple[str, str], int]) -> Record:
    """An export's record document (``export-ris-2``, ``export-bibtex-adair2019zircone``) as
    the gold keys it: the file's document and the record's position (or BibTeX key)."""
    if record.doc in gold.docs or record.doc is None or record.ref is not None:
        return record
    for doc in gold.docs:
        suffix = record.doc[len(doc) + 1 :] if record.doc.startswith(f"{doc}-") else None
        if suffix:
            ref = int(suffix) if suffix.isdigit() else keys.get((doc, suffix))
            if ref is not None:
                return replace(record, doc=doc, ref=ref)
    return record


def in_scope(record: Record, gold: Gold) -> bool:
    if gold.docs and record.doc not in gold.docs:
        return False
    return not gold.tables or bool(record.tables & gold.tables)


def _is_trap(vocab: Vocabulary, record: Record, traps: list[dict[str, Any]]) -> bool:
    material = material_key(vocab, record.scalars.get("material"))
    return any(
        t.get("doc") == record.doc
        and t.get("ref") == record.ref
        and material_key(vocab, t.get("material")) == material
        for t in traps
    )


def _line(status: str, label: str, scored: Scored) -> str:
    t = scored.tally
    parts = [f"{status} {label}: {t.tp} right, {t.fp} extra/wrong, {t.fn} missed"]
    for title, names in (
        ("wrong", scored.wrong),
        ("missing", scored.missing),
        ("extra", scored.extra),
    ):
        if names:
            parts.append(f"{title}: " + "; ".join(names))
    return " | ".join(parts)


def _summary(t: Tally) -> dict[str, Any]:
    return {
        "precision": t.precision,
        "recall": t.recall,
        "f1": t.f1,
        "tp": t.tp,
        "fp": t.fp,
        "fn": t.fn,
    }


def evaluate_rows(rows: list[dict[str, Any]], gold_data: Any) -> dict[str, Any]:
    """Score extracted coatings (`kg table coatings` records) against either gold format."""
    vocab = load_vocabulary()
    gold = read_gold(gold_data)
    keys = {
        (g["doc"], g["record_key"]): g["ref"]
        for g in (gold_data.get("coatings", []) if isinstance(gold_data, dict) else [])
        if g.get("record_key")
    }
    got = [
        export_record(from_extracted(r, tables_only=bool(gold.tables)), gold, keys) for r in rows
    ]
    got = [r for r in got if in_scope(r, gold)]
    pairs = match(vocab, gold.coatings, got)
    total, per_doc = Tally(), defaultdict(Tally)
    lines: list[str] = []
    for gi, g in enumerate(gold.coatings):
        e = got[pairs[gi]] if gi in pairs else None
        scored = compare(vocab, g, e)
        doc = g.doc or (e.doc if e else None) or "?"
        per_doc[doc].add(scored.tally)
        total.add(scored.tally)
        ok = not (scored.wrong or scored.missing or scored.extra)
        lines.append(_line("ok " if ok else ("!! " if e else "-- "), g.label, scored))
    fields = {name for g in gold.coatings for name in g.items}
    unmatched: list[str] = []
    for ei, e in enumerate(got):
        if ei in pairs.values():
            continue
        scored = extracted_only(vocab, e, fields)
        per_doc[e.doc or "?"].add(scored.tally)
        total.add(scored.tally)
        kind = "trap" if _is_trap(vocab, e, gold.traps) else "unmatched"
        unmatched.append(e.label)
        lines.append(_line(f"++ {kind}", e.label, scored))
    report = _summary(total)
    report.update(
        lines=lines,
        unmatched=unmatched,
        documents={doc: _summary(t) for doc, t in sorted(per_doc.items())},
    )
    return report


def evaluate_table(store: Any, gold: Any) -> dict[str, Any]:
    """Score `kg table coatings` (read from ``store``) against a gold file's parsed JSON."""
    return evaluate_rows(coatings_table(store), gold)
