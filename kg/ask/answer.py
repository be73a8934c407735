"""SPARQL rows → :class:`Answer`: the shaping stage of ``kg ask``.

Raw rows repeat an entity once per matching measurement, technique or source span; this stage
merges them into one row per coating, study, precursor use or value, sorts them, and picks the
evidence sentence with the words to highlight.

:func:`shape_rows` and :func:`highlight` are called from :mod:`kg.ask` (the keyword fallback
highlights with the same rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingest.records import export_record_of
from kg.ask.contract import MeasureVars
from kg.ask.question import Interpretation, kind_label
from kg.namespaces import BASE, VOCAB
from kg.vocab import Concept, load_vocabulary

__all__ = [
    "DOC_GRAPH",
    "Answer",
    "highlight",
    "merge_details",
    "shape_rows",
    "shown_rows",
    "value_column",
]

DOC_GRAPH = f"{BASE}graph/doc/"


@dataclass(frozen=True)
class Answer:
    """What ``kg ask`` prints; ``to_json()`` is the ``kg ask --json`` contract (DESIGN.md).

    Fields (the app shows them as they are):

    * ``question``; ``interpretation``: the reading in words, every content word with what it
      became, typos read ("Read 'sodiumm' as sodium") and words not understood.
    * ``summary``: the answer in one sentence with numbers and units.
    * ``sparql``: the core query run ("" when nothing was run: a word was not understood).
    * ``columns``; ``rows``: one dict per coating, study, precursor use or value. A coating
      row has ``doc``, ``ref`` (int, or None when the document is the study itself), ``doi``,
      ``sources`` (every ``{doc, ref, doi}`` reporting the same coating), the values asked
      about as columns (``thickness_nm``, ``comparator``), ``evidence`` and ``location``.
    * ``evidence``: one item per fact shown: ``ref``, ``doc``, ``text``, ``location``,
      ``highlight`` ([start, end) in text); a table row also has ``header`` and ``cells``
      (lists of equal length) so it can be drawn as a one-row table.
    * ``mode``: "structured" | "keyword" | "refused"; ``understood``: every word was read.
    * ``shape``: "list" | "superlative" | "comparison" | "count".
    """

    question: str
    interpretation: str
    sparql: str
    columns: list[str]
    rows: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    mode: str  # "structured" | "keyword" | "refused"
    understood: bool
    summary: str = ""
    shape: str = "list"

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``kg ask --json`` (DESIGN.md)."""
        return {
            "question": self.question,
            "interpretation": self.interpretation,
            "summary": self.summary,
            "sparql": self.sparql,
            "columns": self.columns,
            "rows": self.rows,
            "evidence": self.evidence,
            "mode": self.mode,
            "shape": self.shape,
        }


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# --------------------------------------------------------------------------- rows


def _label(iri: str | None, fallback: str | None = None) -> str | None:
    if iri is None:
        return fallback
    concept = load_vocabulary().get(iri)
    if concept is not None:
        return concept.label
    return fallback or _local(iri)


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def _unit_suffix(unit: str) -> str:
    return {
        "degC": "C",
        "%": "pct",
        "mA/cm^2": "mA_cm2",
        "mAh/g": "mAh_g",
        "mAh/cm^2": "mAh_cm2",
        "nm/cycle": "nm_per_cycle",
        "S/cm": "S_cm",
        "cycle": "",
    }.get(unit, unit)


def value_column(kind: str) -> str:
    """Row key for a kind's value, e.g. ``cycling_duration_h``, ``thickness_nm``."""
    label = re.sub(r"[^a-z0-9]+", "_", kind_label(kind).lower()).strip("_")
    concept = load_vocabulary().get(str(VOCAB[kind]))
    suffix = _unit_suffix(concept.unit) if concept and concept.unit else ""
    return f"{label}_{suffix}" if suffix else label


def _location(row: dict[str, Any], prefix: str) -> str | None:
    from kg.table import describe_source

    if row.get(f"{prefix}Text") is None:
        return None
    return describe_source(
        {
            "table": row.get(f"{prefix}Table"),
            "row": row.get(f"{prefix}Row"),
            "section": row.get(f"{prefix}Section"),
            "sentence": row.get(f"{prefix}Sentence"),
        }
    )


_SPAN_FIELDS = ("Text", "Table", "Row", "Section", "Sentence", "Header")
_STUDY_FIELDS = ("study", "ref", "studyLabel", "refYear", "doi")


def _span(row: dict[str, Any]) -> dict[str, Any]:
    span = {f: row.get(f"s{f}") for f in _SPAN_FIELDS}
    if span["Table"] is None or span["Row"] is None:  # a table location needs both
        span["Table"] = span["Row"] = None
    return span


def _put_span(out: dict[str, Any], prefix: str, span: dict[str, Any] | None) -> None:
    for f in _SPAN_FIELDS:
        out[f"{prefix}{f}"] = span[f] if span else None


@dataclass
class _Details:
    """The details query's rows, by node: first value of each fact, lists for the rest."""

    first: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    lists: dict[tuple[str, str], list[Any]] = field(default_factory=dict)

    def add_first(self, part: str, key: Any, row: dict[str, Any]) -> None:
        self.first.setdefault((part, key), row)

    def add(self, part: str, key: Any, item: Any) -> None:
        items = self.lists.setdefault((part, key), [])
        if item not in items:
            items.append(item)

    def get(self, part: str, key: Any) -> dict[str, Any]:
        return self.first.get((part, key), {})

    def all(self, part: str, key: Any) -> list[Any]:
        return self.lists.get((part, key), [])


def _index_details(rows: list[dict[str, Any]]) -> _Details:
    d = _Details()
    for row in rows:
        part = row.get("part")
        if part in ("span", "mspan"):
            d.add(part, row.get("c") or row.get("m"), _span(row))
        elif part == "technique":
            d.add(part, row["c"], row.get("tech"))
        elif part == "study":
            d.add(part, row["c"], {k: row.get(k) for k in _STUDY_FIELDS})
        elif part == "mstudy":
            d.add(part, row["m"], {k: row.get(k) for k in _STUDY_FIELDS})
        elif part == "step":
            d.add_first(part, (row["proc"], row["prec"]), row)
        elif part == "graph":
            d.add_first(part, row["c"], row)
            d.add("graphs", row["c"], row.get("g"))
            d.add_first("file", _doc(row.get("g")), row)
        elif part == "cite":
            d.add_first(part, (row["study"], row.get("citDoc")), row)
        elif part == "electrolyte":
            d.add(part, row["c"], row.get("elecLabel") or _local(row.get("elec") or ""))
        elif part == "cell":
            d.add(part, row["c"], _label(row.get("cellType")))
        elif part == "described":
            d.add(part, row["study"], row.get("described"))
        elif part in ("year", "substrate"):
            d.add_first(part, row["c"], row)
        elif part == "mdocs":
            d.add(part, row["m"], _doc(row.get("g")))
        elif part in ("value", "mgraph"):
            d.add_first(part, row["m"], row)
        elif part == "mat":
            d.add_first(part, row["mat"], row)
        elif part == "prec":
            d.add_first(part, row["prec"], row)
    return d


def _study(studies: list[dict[str, Any]], cited_only: bool) -> dict[str, Any]:
    """The study a row shows: one with a citation number first (``cited_only``), else the
    first (a primary document's own study has none)."""
    for study in studies:
        if study.get("ref") is not None or not cited_only:
            return study
    return studies[0] if studies else {}


def _sources(d: _Details, c: str, base: dict[str, Any]) -> list[dict[str, Any]]:
    """Every document that reports coating ``c``: {doc, ref, doi}, the row's own first.

    The ref is the number that document's akg:Citation gives the study; none when the
    document is the study itself (akg:describedBy); else the study's akg:citationNumber
    (graphs written before citations were nodes).
    """
    study, doi = base.get("study"), base.get("doi")
    described = set(d.all("described", study)) if study else set()
    graphs = list(dict.fromkeys([base.get("g"), *d.all("graphs", c)]))
    out = []
    for g in graphs:
        if g is None:
            continue
        doc = _doc(g)
        cite = d.get("cite", (study, doc))
        if cite:
            ref = cite.get("citRef")
        elif doc in described:
            ref = None
        else:
            ref = base.get("ref")
        record = export_record_of(d.get("file", doc).get("fileName") or "")
        if record and ref is None:  # one record of an export: that file, record number
            out.append({"doc": record[0], "ref": record[1], "doi": doi, "record": doc})
        else:
            out.append({"doc": doc, "ref": ref, "doi": doi})
    return out


def _keep_sources(base: dict[str, Any], docs: list[str]) -> None:
    """Keep the row's sources that state a matched value; the row's own doc becomes one."""
    kept = [s for s in base.get("sources") or [] if s.get("record", s["doc"]) in docs]
    if not kept:
        return
    base["sources"] = kept
    base["doc"], base["ref"] = kept[0]["doc"], kept[0]["ref"]


def merge_details(
    interp: Interpretation, core: list[dict[str, Any]], details: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Core rows joined with the details query's rows, as the rows :func:`shape_rows` reads.

    One row per core row with the first value of each detail (graph, study, year, substrate,
    label, the first source span of each matched measurement), then one more row per further
    technique and source span of the coating or value, so the shaping sees all of them.
    """
    d = _index_details(details)
    values = interp.target == "values"
    if values:
        # A value that is both a coating's and a material fact shows as the coating's.
        core = sorted(core, key=lambda r: r.get("c") is None)
    out: list[dict[str, Any]] = []
    for row in core:
        c, mv = row.get("c"), row.get("mv")
        base = dict(row)
        if c is not None:
            base["g"] = d.get("graph", c).get("g")
            base.update(_study(d.all("study", c), cited_only=not values))
            base["sources"] = _sources(d, c, base)
            for column, part in (("electrolyte", "electrolyte"), ("cell_type", "cell")):
                if column in interp.show:
                    base[column] = "; ".join(x for x in d.all(part, c) if x) or None
            if base["sources"]:
                base["ref"] = base["sources"][0]["ref"]
                base["doc"] = base["sources"][0]["doc"]
            base["tableYear"] = d.get("year", c).get("tableYear")
            base["subst"] = d.get("substrate", c).get("subst")
        if mv is not None:
            value = d.get("value", mv)
            for k in ("lo", "hi", "cmp", "vt", "after", "cd"):
                base[k] = value.get(k)
            if c is None:
                base.update(_study(d.all("mstudy", mv), cited_only=False))
                base["g"] = d.get("mgraph", mv).get("g")
        base["matLabel"] = d.get("mat", row.get("mat")).get("matLabel")
        for i, n in enumerate(interp.numbers):
            v = MeasureVars(i)
            m = row.get(v.measurement)
            if n.kind == "CurrentDensity" or m is None:
                continue
            value = d.get("value", m)
            for k, name in (("lo", v.low), ("hi", v.high), ("cmp", v.comparator)):
                if base.get(name) is None:
                    base[name] = value.get(k)
            base[v.value_text] = value.get("vt")
            _keep_sources(base, d.all("mdocs", m))
            spans = d.all("mspan", m)
            _put_span(base, v.span, spans[0] if spans else None)
        if interp.target == "precursors":
            prec = row.get("prec")
            base["precLabel"] = d.get("prec", prec).get("precLabel")
            base["precFull"] = d.get("prec", prec).get("precFull")
            base["stepIndex"] = d.get("step", (row.get("proc"), prec)).get("stepIndex")
        techs = d.all("technique", c) if c is not None else []
        prefix = "vs" if values else "cs"
        spans = d.all("mspan", mv) if values else d.all("span", c)
        base["tech"] = techs[0] if techs else None
        _put_span(base, prefix, spans[0] if spans else None)
        out.append(base)
        for tech in techs[1:]:
            out.append({**base, "tech": tech})
        for span in spans[1:]:
            extra = dict(base)
            _put_span(extra, prefix, span)
            out.append(extra)
    return out


def _doc(graph: str | None) -> str | None:
    if graph and graph.startswith(DOC_GRAPH):
        return graph[len(DOC_GRAPH) :]
    return graph


def highlight(text: str, needles: list[str]) -> list[int]:
    """[start, end) of the first needle found in ``text`` (case-insensitive), else all of it."""
    lowered = text.lower()
    for needle in needles:
        if needle:
            at = lowered.find(needle.lower())
            if at >= 0:
                return [at, at + len(needle)]
    return [0, len(text)]


@dataclass
class _Group:
    """Rows of one answer entity (coating, study, precursor use or value) being merged."""

    key: str
    first: dict[str, Any]
    techniques: list[str] = field(default_factory=list)
    values: dict[int, tuple[float, float, str, str | None, dict[str, Any]]] = field(
        default_factory=dict
    )
    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    materials: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    sources: list[dict[str, Any]] = field(default_factory=list)


#: One answer entity: its rows merged, its output row, the span its evidence quotes.
_Item = tuple[_Group, dict[str, Any], dict[str, Any] | None]

_UPWARD = (">", "≥", "max")
_DOWNWARD = ("<", "≤", "min")


def _better(op: str, new: tuple[float, float], old: tuple[float, float]) -> bool:
    if op in _UPWARD:
        return new[1] > old[1]
    if op in _DOWNWARD:
        return new[0] < old[0]
    return False


def _collect(interp: Interpretation, rows: list[dict[str, Any]], key_of: Any) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row in rows:
        key = key_of(row)
        if key is None:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, row)
        for source in row.get("sources") or []:
            if source not in group.sources:
                group.sources.append(source)
        tech = row.get("tech")
        if tech and tech not in group.techniques:
            group.techniques.append(tech)
        mat = _label(row.get("mat"), row.get("matLabel"))
        if mat and mat not in group.materials:
            group.materials.append(mat)
        for year in (row.get("tableYear"), row.get("refYear")):
            if isinstance(year, int):
                group.years.add(year)
        for i, n in enumerate(interp.numbers):
            v = MeasureVars(i)
            low, high = row.get(v.low), row.get(v.high)
            if low is None and high is None:
                continue
            low = high if low is None else low
            high = low if high is None else high
            span = {
                "text": row.get(f"{v.span}Text"),
                "location": _location(row, v.span),
                "value_text": row.get(v.value_text),
                "table": row.get(f"{v.span}Table"),
                "header": row.get(f"{v.span}Header"),
            }
            current = group.values.get(i)
            if (
                current is None
                or _better(n.op, (low, high), (current[0], current[1]))
                or (
                    # equally good: the one read from a table (as _pick_span prefers)
                    not _better(n.op, (current[0], current[1]), (low, high))
                    and span["table"] is not None
                    and current[4].get("table") is None
                )
            ):
                cmp = row.get(v.comparator) or "="
                group.values[i] = (low, high, cmp, row.get(v.value_text), span)
        for prefix in ("cs", "vs"):
            text = row.get(f"{prefix}Text")
            if text and text not in group.spans:
                group.spans[text] = {
                    "text": text,
                    "location": _location(row, prefix),
                    "table": row.get(f"{prefix}Table") is not None,
                    "header": row.get(f"{prefix}Header"),
                }
    return list(groups.values())


def _technique(group: _Group) -> str | None:
    if not group.techniques:
        return None
    vocab = load_vocabulary()
    ranked = sorted(
        group.techniques,
        key=lambda t: (not (vocab.get(t) and vocab.get(t).broader), t),  # type: ignore[union-attr]
    )
    return _label(ranked[0])


def _base_row(group: _Group) -> dict[str, Any]:
    row = group.first
    table_year, ref_year = row.get("tableYear"), row.get("refYear")
    out: dict[str, Any] = {
        "ref": row.get("ref"),
        "doc": row.get("doc") or _doc(row.get("g")),
        "doi": row.get("doi"),
        "sources": group.sources,
        "study": row.get("studyLabel"),
        "material": _label(row.get("mat"), row.get("matLabel")),
        "technique": _technique(group),
        "substrate": _label(row.get("subst"), row.get("substLabel")),
        "year": table_year if table_year is not None else ref_year,
    }
    if table_year is not None and ref_year is not None and table_year != ref_year:
        out["reference_year"] = ref_year
    return out


def _add_values(
    interp: Interpretation, group: _Group, out: dict[str, Any]
) -> dict[str, Any] | None:
    """Matched values with units; returns the first matched measurement's evidence."""
    evidence = None
    for i, n in enumerate(interp.numbers):
        found = group.values.get(i)
        if found is None:
            continue
        low, high, cmp, text, span = found
        column = value_column(n.kind)
        value = high if n.op in _UPWARD else low
        out[column] = (
            _num(value)
            if low == high or n.op in (*_UPWARD, *_DOWNWARD)
            else {
                "min": _num(low),
                "max": _num(high),
            }
        )
        out["comparator" if "comparator" not in out else f"{column}_comparator"] = cmp
        if text:
            out[f"{column}_text"] = text
        if evidence is None and span.get("text"):
            evidence = span
    return evidence


def _pick_span(group: _Group, interp: Interpretation | None = None) -> dict[str, Any] | None:
    """The coating's span that states most of what the question asked (a Li-O2 question
    cites a span that says Li-O2), a table row before a sentence among equals."""
    if not group.spans:
        return None

    def states(span: dict[str, Any]) -> int:
        text = span["text"].lower()
        return sum(
            any(form.lower() in text for form in concept.surface_forms if len(form) > 1)
            for concepts in (interp.concepts.values() if interp else ())
            for concept in concepts
        )

    spans = sorted(group.spans.values(), key=lambda s: (-states(s), not s["table"]))
    return spans[0]


def _sort_key(interp: Interpretation) -> Any:
    ranked = [(i, n) for i, n in enumerate(interp.numbers) if n.op in ("max", "min")]
    bounded = [(i, n) for i, n in enumerate(interp.numbers) if n.op in (">", "≥", "<", "≤")]
    numeric = next(iter([*ranked, *bounded]), None)

    def key(item: tuple[_Group, dict[str, Any]]) -> Any:
        group, row = item
        ref = row.get("ref") if isinstance(row.get("ref"), int) else 10**9
        year = row.get("year") if isinstance(row.get("year"), int) else 10**9
        if numeric is not None and numeric[0] in group.values:
            low, high, *_ = group.values[numeric[0]]
            value = -high if numeric[1].op in _UPWARD else low
            return (0, value, year, ref)
        return (1, 0, year, ref)

    return key


def _finish(
    interp: Interpretation,
    items: list[_Item],
    needles: list[str],
    limit: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    seen: set[tuple[Any, str]] = set()
    for _group, row, span in items[:limit]:
        if span is not None:
            item = evidence_item(span, row.get("doc"), row.get("ref"))
            row["evidence"] = item["text"]
            row["location"] = span["location"]
            extra = [row.get(k) for k in row if k.endswith("_text") and isinstance(row.get(k), str)]
            item["highlight"] = highlight(item["text"], [*extra, *needles])
            if (row.get("doc"), item["text"]) not in seen:  # one item per span shown
                seen.add((row.get("doc"), item["text"]))
                evidence.append(item)
        else:
            row.setdefault("evidence", None)
            row.setdefault("location", None)
        rows.append(row)
    return rows, evidence


def evidence_item(span: dict[str, Any], doc: str | None, ref: Any) -> dict[str, Any]:
    """One evidence item. A table row's cells are TAB-separated in the graph: they are shown
    joined by " | " (never glued: "135⇥8 nm" must not read "1358 nm") and, when the span
    carries its table's header, as ``header`` and ``cells`` of equal length."""
    text = span["text"]
    item: dict[str, Any] = {"ref": ref, "doc": doc, "location": span["location"]}
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
        item["cells"] = cells
        header = [h.strip() for h in (span.get("header") or "").split("\t")]
        if span.get("header") and len(header) == len(cells):
            item["header"] = header
        text = " | ".join(cells)
    item["text"] = text
    return item


def _needles(interp: Interpretation) -> list[str]:
    out: list[str] = []
    for concepts in interp.concepts.values():
        for concept in concepts:
            out.extend(concept.surface_forms)
    return out


def shape_rows(
    interp: Interpretation, raw: list[dict[str, Any]], limit: int
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Raw SPARQL rows → one row per answer entity, sorted, with evidence."""
    columns, items = _entities(interp, raw)
    rows, evidence = _finish(interp, _ordered(interp, items), _needles(interp), limit)
    return columns, rows, evidence


def shown_rows(
    interp: Interpretation, raw: list[dict[str, Any]], limit: int
) -> list[dict[str, Any]]:
    """The raw rows of the (at most ``limit``) entities :func:`shape_rows` shows.

    Their order depends only on the detail parts in :data:`kg.ask.sparql.RANKING_PARTS`, so
    ``raw`` merged with those alone picks the same entities as with every detail: the rest
    (labels, spans, techniques) is then fetched for the rows returned here only.
    """
    _, items = _entities(interp, raw)
    keys = {group.key for group, _, _ in _ordered(interp, items)[:limit]}
    key_of = _entity_key(interp)
    return [row for row in raw if key_of(row) in keys]


def _entity_key(interp: Interpretation) -> Any:
    """The key of the answer entity a raw row belongs to (rows of one key become one row)."""
    if interp.target == "values":
        return lambda r: r.get("mv")
    if interp.target == "precursors":
        return lambda r: f"{r.get('c')}|{r.get('prec')}"
    if interp.target == "studies":
        return lambda r: r.get("study")
    return lambda r: r.get("c")


def _ordered(interp: Interpretation, items: list[_Item]) -> list[_Item]:
    """Items in the order the answer shows them (stable: ties keep the graph's order)."""
    key = _sort_key(interp)
    return sorted(items, key=lambda it: key((it[0], it[1])))


def _entities(interp: Interpretation, raw: list[dict[str, Any]]) -> tuple[list[str], list[_Item]]:
    """(columns, one item per answer entity: its group, its row, its evidence span)."""
    key_of = _entity_key(interp)
    value_cols = [value_column(n.kind) for n in interp.numbers]
    items: list[_Item] = []
    if interp.target == "values":
        for group in _collect(interp, raw, key_of):
            out = _base_row(group)
            r = group.first
            kind = _local(r.get("kind") or "")
            unit = (load_vocabulary().get(r.get("kind") or "") or Concept("", "", "")).unit
            low, high = r.get("lo"), r.get("hi")
            out["property"] = kind_label(kind)
            out["value"] = (
                _num(low) if high is None or low == high else {"min": _num(low), "max": _num(high)}
            )
            out["unit"] = unit
            out["comparator"] = r.get("cmp") or "="
            out["value_text"] = r.get("vt")
            out[value_column(kind)] = out["value"]
            if r.get("after") is not None:
                out["after_cycles"] = _num(r.get("after"))
            if r.get("cd") is not None:
                out["current_density_mA_cm2"] = _num(r.get("cd"))
            span = next(iter(group.spans.values()), None)
            items.append((group, out, span))
        columns = [
            "ref",
            "study",
            "material",
            "substrate",
            "property",
            "value",
            "unit",
            "comparator",
            "value_text",
            "year",
            "location",
            "evidence",
            "doc",
        ]
        return columns, items
    if interp.target == "precursors":
        vocab = load_vocabulary()
        for group in _collect(interp, raw, key_of):
            out = _base_row(group)
            r = group.first
            concept = vocab.get(r.get("prec") or "")
            label = _label(r.get("prec"), r.get("precLabel"))
            full = (concept.full_name if concept else None) or r.get("precFull")
            out["precursor"] = f"{label} ({full})" if full and full != label else label
            out["precursor_label"] = label
            out["full_name"] = full
            out["step"] = r.get("stepIndex")
            ev = _add_values(interp, group, out) or _pick_span(group, interp)
            items.append((group, out, ev))
        columns = [
            "ref",
            "study",
            "material",
            "precursor",
            "step",
            "technique",
            "substrate",
            "year",
            *value_cols,
            "location",
            "evidence",
            "doc",
        ]
        items.sort(key=lambda it: (it[1].get("ref") or 0, it[1].get("step") or 99))
        return columns, items
    if interp.target == "studies":
        for group in _collect(interp, raw, key_of):
            out = _base_row(group)
            out.pop("material")
            out.pop("technique")
            out.pop("substrate")
            out["year"] = group.first.get("refYear")
            table_years = sorted({r for r in group.years if r != group.first.get("refYear")})
            if table_years:
                out["table_year"] = table_years[0] if len(table_years) == 1 else table_years
            out.pop("reference_year", None)
            out["materials"] = ", ".join(group.materials)
            ev = _add_values(interp, group, out) or _pick_span(group, interp)
            items.append((group, out, ev))
        columns = [
            "ref",
            "study",
            "year",
            "table_year",
            "materials",
            *value_cols,
            "location",
            "evidence",
            "doc",
        ]
        return columns, items
    for group in _collect(interp, raw, key_of):
        out = _base_row(group)
        for column in interp.show:
            out[column] = group.first.get(column)
        ev = _add_values(interp, group, out) or _pick_span(group, interp)
        items.append((group, out, ev))
    first = (
        ["material", "ref", "study"]
        if interp.target == "materials"
        else ["ref", "study", "material"]
    )
    columns = [
        *first,
        *interp.show,
        "technique",
        "substrate",
        "year",
        *value_cols,
        "comparator",
        "location",
        "evidence",
        "doc",
    ]
    if not interp.numbers:
        columns.remove("comparator")
    return columns, items
