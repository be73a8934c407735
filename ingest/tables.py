"""Summary tables of coatings → :class:`CoatingRecord` rows, one per table row.

Columns are found by header words, never by position, so tables with or without a ``No.``
column, in any order, read the same. Cells come from ``ingest.structure`` in clean text; the
PDF converter behind them sometimes loses separators (glued thickness/cycle pairs) or spills
the start of a cell into the row above, and both are repaired here by general rules.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ingest.citations import table_ref
from ingest.quantities import find_quantities, parse_quantity
from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    ProcessStep,
    Quantity,
    Span,
    StructuredDocument,
    TableBlock,
    TableRow,
)
from kg.vocab import Concept, Vocabulary, label_key, load_vocabulary

__all__ = ["extract_tables", "parse_process", "parse_thickness_cycles", "table_records"]

# --------------------------------------------------------------------------- columns

#: Column roles by header words; the first unused role a header cell matches wins. A table
#: may give thickness and cycles in one cell ("Thickness and ALD Cycles") or in two columns
#: ("Thickness (nm)", "ALD cycles"); the substrate may be a column or follow from the caption.
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^\s*(?:no\.?|#|entry)\s*$", re.I)),
    ("thickness", re.compile(r"thickness", re.I)),
    ("material", re.compile(r"material|coating\b|\bfilm\b|\blayer\b", re.I)),
    ("substrate", re.compile(r"substrate|\banode\b|electrode|^\s*metal\b", re.I)),
    ("process", re.compile(r"process|precursor|chemistry|reactant", re.I)),
    ("temperature", re.compile(r"temp|^\s*T\s*[(/]|°\s*C|℃", re.I)),
    ("cycles", re.compile(r"cycles", re.I)),
    ("performance", re.compile(r"performance|electrochem|result|outcome|cycling", re.I)),
    ("year", re.compile(r"^\s*year", re.I)),
    ("ref", re.compile(r"^\s*ref", re.I)),
)
_REQUIRED = ("material", "process", "temperature", "thickness", "performance", "ref")
#: Without these a row cannot be a traceable coating: ingest refuses such a coating table.
IDENTIFYING = ("ref",)


def missing_identifying_columns(table: TableBlock) -> list[str]:
    """Columns a coating table (one with a material column) needs but lacks, e.g. ["ref"]."""
    roles = _columns(table.header)
    if "material" not in roles:
        return []
    return [role for role in IDENTIFYING if role not in roles]


def _columns(header: tuple[str, ...]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, cell in enumerate(header):
        for role, pattern in _ROLES:
            if role not in roles and pattern.search(cell):
                roles[role] = i
                break
    return roles


def _cell(row: TableRow, roles: dict[str, int], role: str) -> str:
    i = roles.get(role)
    if i is None or i >= len(row.cells):
        return ""
    return row.cells[i].strip()


# --------------------------------------------------------------------------- vocabulary


@lru_cache(maxsize=1)
def _vocab() -> Vocabulary:
    return load_vocabulary()


@lru_cache(maxsize=16)
def _surface_regex(kind: str) -> re.Pattern[str]:
    """One alternation of every surface form of ``kind``, longest first."""
    forms = sorted(
        {f for c in _vocab().of_kind(kind) for f in c.surface_forms if f}, key=len, reverse=True
    )
    body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.I)


def _local(concept: Concept) -> str:
    return concept.iri.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- caption context


def _technique(table: TableBlock, process_header: str) -> str | None:
    """ALD, MLD or ALD/MLD from the caption, else the process header, else the section."""
    for text in (table.caption, process_header, table.section or ""):
        ald = re.search(r"\bALD\b|atomic layer", text, re.I)
        mld = re.search(r"\bMLD\b|molecular layer", text, re.I)
        dual = re.search(r"dual[- ]layer|hybrid|ALD/MLD|MLD/ALD", text, re.I)
        if (ald and mld) or (dual and (ald or mld)):
            return "ALD/MLD"
        if mld:
            return "MLD"
        if ald:
            return "ALD"
    return None


_SUBSTRATE_RE = re.compile(
    r"\b(Li|Na|K|lithium|sodium|potassium)(?:\s+|-)(?:metal|anodes?|foil)\b", re.I
)


def _substrate(table: TableBlock, doc: StructuredDocument) -> str | None:
    """The alkali metal a table is about: caption, then the table's section, then the title."""
    sections = [table.section or ""]
    for heading, start, end in doc.sections:
        if start <= table.start < end and heading not in sections:
            sections.append(heading)
    for text in (table.caption, *sections, doc.title):
        m = _SUBSTRATE_RE.search(text or "")
        if m:
            concept = _vocab().lookup("Substrate", f"{m.group(1)} metal")
            return concept.label if concept else m.group(1)
    return None


# --------------------------------------------------------------------------- material, year, ref


def _material(text: str) -> str:
    """The material label as written, cleaned; an OCR ``I`` for ``l`` is fixed only when the
    vocabulary confirms it (``AIEG`` is a recorded misspelling of ``AlEG``)."""
    text = re.sub(r"[_{}$]", "", text)
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+", " ", text).strip()
    concept = _vocab().lookup("Material", text)
    if concept and label_key(text.replace("I", "l")) == label_key(concept.label):
        return concept.label
    return text


def _year(text: str) -> tuple[int | None, tuple[int, ...]]:
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    return (years[0] if years else None), tuple(years[1:])


# --------------------------------------------------------------------------- process cells

_TIMING_RE = re.compile(
    r"(?:\d+(?:\.\d+)?\s*(?:ms|s)?\s*/\s*)*\d+(?:\.\d+)?\s*(?:ms|s)\b(?:\s*/\s*\d+(?:\.\d+)?\s*(?:ms|s)?\b)*"
    r"|\(\s*(?i:not\s+given)\s*\)",
)
_STEP_WORDS = {"pulse", "purge", "vacuum", "dose", "exposure"}


@dataclass(frozen=True)
class _Sequence:
    steps_text: str  # "TMA pulse/purge/plasma O2 pulse/purge"
    timing: str  # "0.06 s/30 s/10 s/5 s", "(Not given)" or ""


def _sequences(cell: str) -> list[_Sequence]:
    """Split a process cell into step sequences, each with the timing list that follows it."""
    out: list[_Sequence] = []
    pos = 0
    for m in _TIMING_RE.finditer(cell):
        steps = cell[pos : m.start()].strip()
        out.append(_Sequence(steps, m.group(0).strip()))
        pos = m.end()
    tail = cell[pos:].strip()
    if tail:
        out.append(_Sequence(tail, ""))
    return [s for s in out if s.steps_text or s.timing]


def _precursor_label(name: str, table: TableBlock | None) -> str:
    """The vocabulary's preferred label for a precursor (``plasma O2`` → ``O2 plasma``), else
    via the table's glossary full name, else the name as written."""
    name = re.sub(r"\s+", " ", name).strip()
    vocab = _vocab()
    concept = vocab.lookup("Precursor", name)
    if concept is None and table is not None:
        for entry in table.glossary:
            if label_key(entry.abbreviation) == label_key(name):
                concept = vocab.lookup("Precursor", entry.full_name)
                break
    return concept.label if concept else name


def _times(timing: str) -> list[float | None]:
    if not timing or re.search(r"not\s+given", timing, re.I):
        return []
    out: list[float | None] = []
    for part in timing.split("/"):
        m = re.search(r"(\d+(?:\.\d+)?)\s*(ms|s)?", part)
        if not m:
            continue
        value = float(m.group(1))
        out.append(value / 1000 if m.group(2) == "ms" else value)
    return out


def parse_process(
    cell: str, table: TableBlock | None = None
) -> tuple[tuple[ProcessStep, ...], tuple[str, ...], tuple[str, ...]]:
    """A process cell → (steps, precursors in first-seen order, notes).

    Each ``X pulse`` (or a bare name) doses precursor X; ``purge`` purges after it; times are
    consumed in the order the events are written. ``vacuum`` is not a precursor: it is kept
    as a note with its time.
    """
    steps: list[ProcessStep] = []
    precursors: list[str] = []
    notes: list[str] = []
    for seq in _sequences(cell):
        times = _times(seq.timing)
        if seq.timing and not times:
            notes.append(f"times {seq.timing.strip('()').lower()}")
        tokens = [t.strip() for t in seq.steps_text.split("/") if t.strip()]
        current: dict[str, float | str | None] | None = None
        pending: list[dict[str, float | str | None]] = []

        for token in tokens:
            words = token.split()
            if words and words[-1].lower() == "pulse" and len(words) > 1:
                name = " ".join(words[:-1])
            elif token.lower() in _STEP_WORDS:
                name = ""
            else:
                name = token
            if name:
                current = {
                    "precursor": _precursor_label(name, table),
                    "pulse": _take(times),
                    "purge": None,
                }
                pending.append(current)
            elif token.lower() == "purge":
                t = _take(times)
                if current is not None:
                    current["purge"] = t
            elif token.lower() == "vacuum":
                t = _take(times)
                notes.append(f"vacuum {t:g} s" if t is not None else "vacuum")
            elif token.lower() == "pulse" and current is None:
                notes.append("pulse without a precursor")
        for step in pending:
            label = str(step["precursor"])
            steps.append(ProcessStep(label, _opt(step["pulse"]), _opt(step["purge"])))
            if label not in precursors:
                precursors.append(label)
        if times:
            notes.append(f"{len(times)} unassigned step time(s) in {seq.timing!r}")
    return tuple(steps), tuple(precursors), tuple(notes)


def _take(times: list[float | None]) -> float | None:
    return times.pop(0) if times else None


def _opt(value: float | str | None) -> float | None:
    return float(value) if isinstance(value, int | float) else None


_DANGLING_RE = re.compile(r"^\s*(?:pulse|purge)\s*(?:/|$)", re.I)


def _repair_spills(rows: list[list[str]], col: int | None) -> list[list[str]]:
    """Move a spilled step sequence back to the row it belongs to.

    When a row's process cell starts with a dangling ``pulse``/``purge`` (no precursor before
    it) and the previous row's cell ends with a step sequence that has no timing after it,
    that trailing sequence is the start of this row's cell.
    """
    if col is None:
        return rows
    for i in range(1, len(rows)):
        cell, prev = rows[i][col], rows[i - 1][col]
        if not _DANGLING_RE.match(cell):
            continue
        seqs = _sequences(prev)
        if len(seqs) < 2 or seqs[-1].timing:
            continue
        tail = seqs[-1].steps_text
        cut = prev.rstrip().rfind(tail)
        if cut <= 0:
            continue
        rows[i - 1][col] = prev[:cut].rstrip()
        joiner = "" if tail.endswith("/") else " "
        rows[i][col] = f"{tail}{joiner}{cell.lstrip()}"
    return rows


# --------------------------------------------------------------------------- temperatures


def _temperatures(cell: str, unit: str) -> tuple[Quantity, ...]:
    out: list[Quantity] = []
    for m in re.finditer(r"([~<>≈≥≤]?\s*\d+(?:\.\d+)?(?:\s*[–—-]\s*\d+(?:\.\d+)?)?)", cell):
        piece = m.group(1).strip()
        q = parse_quantity(f"{piece} {unit}", kind="DepositionTemperature")
        if q is not None:
            out.append(replace(q, text=piece))
    return tuple(out)


def _length_unit(header: str) -> str:
    """The thickness unit a header names ("Thickness (Å)"), nm by default."""
    m = re.search(r"\b(nm|Å|angstrom|μm|um)\b|Å", header)
    return m.group(0) if m else "nm"


def _column_values(cell: str, unit: str, kind: str) -> tuple[Quantity, ...]:
    """Every number of a one-quantity cell ("~4", "5, 10", "2–3") in ``unit``."""
    out: list[Quantity] = []
    for m in re.finditer(r"([~<>≈≥≤]?\s*\d+(?:\.\d+)?(?:\s*[–—-]\s*\d+(?:\.\d+)?)?)", cell):
        piece = m.group(1).strip()
        q = parse_quantity(f"{piece} {unit}", kind=kind)
        if q is not None:
            out.append(replace(q, text=f"{piece} {unit}" if kind == "Thickness" else piece))
    return tuple(out)


def _row_substrate(cell: str) -> str | None:
    """A substrate column's value as the vocabulary's label ("Na metal" → "Na"), else as written."""
    text = cell.strip()
    if not text:
        return None
    concept = _vocab().lookup("Substrate", text) or _vocab().lookup("Substrate", f"{text} metal")
    return concept.label if concept else text


def _header_unit(header: str, default: str) -> str:
    m = re.search(r"°\s*C|\bK\b|℃", header)
    if not m:
        return default
    return "K" if m.group(0) == "K" else "°C"


# --------------------------------------------------------------------------- thickness and cycles

_CMP = r"[~<>≈≥≤]?"
_NUMTXT = r"\d+(?:\.\d+)?"
_LABEL_RE = re.compile(r"(?:^|\s)([A-Z][A-Za-z-]*(?:\s[A-Za-z-]+)?):\s*")


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
    middles: list[list[tuple[str, str]]] = []  # options of (cycles, next thickness)
    for piece in pieces[1:-1]:
        body = re.sub(r"^\s*(?:and|,)\s*", "", piece).strip()
        nums = re.findall(rf"{_CMP}\s*{_NUMTXT}(?:\s*[–—-]\s*{_NUMTXT})?", body)
        if len(nums) >= 2:
            middles.append([(nums[0].strip(), nums[1].strip())])
        else:
            options = [(str(c), t) for c, t in _glued_splits(body.replace(" ", ""))]
            middles.append(options or [(body, "")])
    last = re.sub(r"^\s*(?:and|,)\s*", "", pieces[-1]).strip()
    last_cycles = last or None
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


def parse_thickness_cycles(cell: str) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...]]:
    """A ``Thickness and Cycles`` cell → (thicknesses in nm, deposition cycles), order kept.

    A label before a pair (``Ether: 5 nm and 10``) stays in each Quantity's text.
    """
    segments: list[tuple[str, str]] = []
    labels = list(_LABEL_RE.finditer(cell))
    if labels:
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(cell)
            segments.append((m.group(1), cell[m.end() : end]))
    else:
        segments.append(("", cell))
    thicknesses: list[Quantity] = []
    cycles: list[Quantity] = []
    for label, segment in segments:
        prefix = f"{label}: " if label else ""
        pairs = _pairs(segment)
        if not pairs:  # no nm: a bare cycle count
            for m in re.finditer(rf"{_CMP}\s*{_NUMTXT}", segment):
                q = parse_quantity(f"{m.group(0)} cycles", kind="DepositionCycles")
                if q:
                    cycles.append(replace(q, text=f"{prefix}{m.group(0).strip()}"))
        for th, cy in pairs:
            q = parse_quantity(f"{th} nm", kind="Thickness")
            if q:
                thicknesses.append(replace(q, text=f"{prefix}{th} nm"))
            if cy:
                c = parse_quantity(f"{cy} cycles", kind="DepositionCycles")
                if c:
                    cycles.append(replace(c, text=f"{prefix}{cy}"))
    return tuple(thicknesses), tuple(cycles)


# --------------------------------------------------------------------------- performance cells

_CLAUSE_SPLIT_RE = re.compile(
    r"(?<=[A-Za-z)])\.\s+(?=[A-Z])|;\s*|(?<=[A-Za-z)]),\s+(?!and\b|or\b)|(?<=\))\s+and\s+(?=[a-z])"
)
_FORMULATION_RE = re.compile(
    r"(?P<conc>\d+(?:\.\d+)?)\s*M\s+(?P<salt>[A-Za-z][A-Za-z0-9()]*)\s*(?:-|\s+in\s+)\s*"
    r"(?:\d+(?::\d+)+\s+)?(?P<solv>[A-Za-z0-9]+(?:/[A-Za-z0-9]+)*)"
)
#: Families are matched only in forms that say "electrolyte" or SSE, so "ether" inside a
#: solvent's full name is not a family mention.
_FAMILY_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _family_regex() -> re.Pattern[str]:
    if "re" not in _FAMILY_RE_CACHE:
        forms = sorted(
            {
                f
                for c in _vocab().of_kind("ElectrolyteFamily")
                for f in c.surface_forms
                if re.search(r"electrolyte|SSE|solid", f, re.I)
            },
            key=len,
            reverse=True,
        )
        body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        _FAMILY_RE_CACHE["re"] = re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.I)
    return _FAMILY_RE_CACHE["re"]


def _cell_types(text: str) -> list[str]:
    """Cell types named in a clause, as vocabulary labels (``Li-S full cell`` → ``Li-S``)."""
    out: list[str] = []
    pattern = _surface_regex("CellType")
    pos = 0
    while m := pattern.search(text, pos):
        concept = _vocab().lookup("CellType", m.group(0))
        pos = m.end()
        if concept is None:
            continue
        # "Li-S full cell": the specific type already says it; skip the generic suffix.
        tail = re.match(r"\s+(?:full\s+)?(?:cells?|batter(?:y|ies))\b", text[pos:], re.I)
        if tail and _local(concept) != "FullCell":
            pos += tail.end()
        if concept.label not in out:
            out.append(concept.label)
    return out


def _electrolytes(text: str) -> list[str]:
    """Electrolytes named in a clause: formulations, solid electrolytes, then families.

    A family (``SSEs``) named next to a specific electrolyte of that family adds nothing and
    is dropped.
    """
    vocab = _vocab()
    found: list[str] = []
    families_covered: set[str] = set()
    for m in _FORMULATION_RE.finditer(text):
        salt = vocab.lookup("Salt", m.group("salt"))
        if salt is None:
            continue
        found.append(f"{m.group('conc')} M {salt.label} in {m.group('solv')}")
        if salt.family:
            families_covered.add(salt.family)
    for m in re.finditer(r"(?<![\w-])[A-Z][A-Za-z0-9]{2,}(?![\w])", text):
        salt = vocab.lookup("Salt", m.group(0))
        if salt and salt.family and _local_iri(salt.family) == "SolidState":
            if salt.label not in found:
                found.append(salt.label)
            families_covered.add(salt.family)
    for m in _family_regex().finditer(text):
        family = vocab.lookup("ElectrolyteFamily", m.group(0))
        if family and family.iri not in families_covered and family.label not in found:
            found.append(family.label)
            families_covered.add(family.iri)
    return found


def _local_iri(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


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


def parse_performance(
    cell: str, span: Span
) -> tuple[tuple[Measurement, ...], tuple[CellTest, ...], tuple[str, ...]]:
    """A performance cell → (measurements, cell tests, notes).

    Current densities are conditions; ``after``/``for N cycles`` is the cycle number a value
    was read at (``after_cycles``); ``over``/``beyond N cycles`` or a bare count is a cycle
    life (CycleCount). Each measurement takes the cell type and electrolytes of its own
    clause, else of the nearest clause naming one.
    """
    clauses = _clauses(cell)
    types = [_cell_types(c) for c in clauses]
    notes: list[str] = []
    if clauses and not any(types) and _SYMMETRIC_HINT_RE.search(cell):
        # Hours of stable plating/stripping or an overpotential are symmetric-cell results;
        # say that the type was inferred, not read.
        types[-1] = ["symmetric"]
        notes.append("cell type inferred: symmetric (cycling hours/overpotential, none named)")
    electrolytes = [_electrolytes(c) for c in clauses]
    measurements: list[Measurement] = []
    tests: dict[tuple[str | None, tuple[str, ...]], list[Quantity]] = {}
    for i, clause in enumerate(clauses):
        clause_types: list[str | None] = [*_nearest(types, i)] or [None]
        cell_type = clause_types[0]
        elecs = _nearest(electrolytes, i)
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
        if not values and not densities:
            continue
        same_kind_groups: dict[str, list[Quantity]] = {}
        for q in values:
            same_kind_groups.setdefault(q.kind, []).append(q)
        for q in values:
            group = same_kind_groups[q.kind]
            own_elecs = tuple(elecs)
            if len(group) > 1 and len(group) == len(elecs):
                own_elecs = (elecs[group.index(q)],)
            is_life = q.kind == "CycleCount" and q.canonical_value == after
            after_cycles = None if is_life else after
            for cd in densities or [None]:
                measurements.append(
                    Measurement(
                        quantity=q,
                        span=span,
                        cell_type=cell_type,
                        electrolytes=own_elecs,
                        current_density=cd,
                        after_cycles=after_cycles,
                    )
                )
        for ct in clause_types:
            key = (ct, tuple(elecs))
            tests.setdefault(key, []).extend(d for d in densities if d not in tests.get(key, []))
    if not measurements:
        notes.append(cell.strip())
        for i in range(len(clauses)):
            for ct in _nearest(types, i) or []:
                tests.setdefault((ct, tuple(_nearest(electrolytes, i))), [])
    cell_tests = tuple(CellTest(ct, el, tuple(ds)) for (ct, el), ds in tests.items())
    return tuple(measurements), cell_tests, tuple(notes)


# --------------------------------------------------------------------------- rows and tables


def _read_table(
    table: TableBlock, doc: StructuredDocument
) -> tuple[list[CoatingRecord], list[str]]:
    roles = _columns(table.header)
    warnings: list[str] = []
    if "material" not in roles:
        return [], [
            f"Table {table.number}: no Material column in header {list(table.header)}; "
            "not read as a coating table."
        ]
    for role in _REQUIRED:
        if role not in roles:
            warnings.append(
                f"Table {table.number}: header {list(table.header)} has no {role} column; "
                f"rows are read without {role}."
            )
    process_header = table.header[roles["process"]] if "process" in roles else ""
    technique = _technique(table, process_header)
    substrate = _substrate(table, doc)
    temp_unit = (
        _header_unit(table.header[roles["temperature"]], "°C") if "temperature" in roles else "°C"
    )
    cells = _repair_spills([list(r.cells) for r in table.rows], roles.get("process"))
    records: list[CoatingRecord] = []
    for row, row_cells in zip(table.rows, cells, strict=True):
        fixed = TableRow(tuple(row_cells), row.start, row.end, row.number)
        material = _material(_cell(fixed, roles, "material"))
        if not material:
            warnings.append(
                f"Table {table.number}, row {row.number}: empty material cell; skipped."
            )
            continue
        span = doc.span(
            row.start,
            row.end,
            section=table.section,
            table=table.number,
            row=row.number,
            rule="table-row",
        )
        steps, precursors, notes = parse_process(_cell(fixed, roles, "process"), table)
        row_technique = technique
        if row_technique == "ALD" and any("plasma" in p.lower() for p in precursors):
            concept = _vocab().lookup("Technique", "plasma-enhanced ALD")
            row_technique = concept.label if concept else "plasma-enhanced ALD"
        th_cell = _cell(fixed, roles, "thickness")
        if "cycles" in roles:  # separate columns: "Thickness (nm)" and "ALD cycles"
            thicknesses = (
                _column_values(th_cell, _length_unit(table.header[roles["thickness"]]), "Thickness")
                if "thickness" in roles
                else ()
            )
            cycles = _column_values(_cell(fixed, roles, "cycles"), "cycles", "DepositionCycles")
        else:
            thicknesses, cycles = parse_thickness_cycles(th_cell)
        if _LABEL_RE.search(th_cell):
            notes = (*notes, th_cell)
        measurements, cell_tests, perf_notes = parse_performance(
            _cell(fixed, roles, "performance"), span.with_rule("table-performance")
        )
        year, other_years = _year(_cell(fixed, roles, "year"))
        if other_years:
            notes = (*notes, f"also year {', '.join(map(str, other_years))}")
        records.append(
            CoatingRecord(
                doc=doc.doc_id,
                ref=table_ref(_cell(fixed, roles, "ref"), doc.references),
                material=material,
                technique=row_technique,
                substrate=_row_substrate(_cell(fixed, roles, "substrate")) or substrate,
                span=span,
                source="table",
                year=year,
                precursors=precursors,
                steps=steps,
                temperatures=_temperatures(_cell(fixed, roles, "temperature"), temp_unit),
                thicknesses=thicknesses,
                deposition_cycles=cycles,
                cell_tests=cell_tests,
                measurements=measurements,
                notes=(*notes, *perf_notes),
            )
        )
    return records, warnings


def table_records(table: TableBlock, doc: StructuredDocument) -> list[CoatingRecord]:
    """The coating records of one summary table (warnings dropped; see extract_tables)."""
    return _read_table(table, doc)[0]


def extract_tables(doc: StructuredDocument) -> tuple[list[CoatingRecord], list[str]]:
    """Every coating summary table of a document → (records, warnings)."""
    records: list[CoatingRecord] = []
    warnings: list[str] = []
    for table in doc.tables:
        recs, warns = _read_table(table, doc)
        records.extend(recs)
        warnings.extend(warns)
    return records, warnings
