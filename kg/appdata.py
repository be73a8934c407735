"""Data shaping for the Streamlit app: filters, plot frames, entity pages, evidence, uploads.

Kept out of ``app.py`` so the app stays thin wiring and every piece here can be tested without
a browser. Functions take a store (anything with ``select``) or plain records and return plain
values or pandas frames; none of them touch Streamlit.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from ingest.readers import SUFFIXES, reader_for_suffix
from ingest.records import IngestError
from kg.namespaces import BASE
from kg.pipeline import BuiltDocument, build_upload, decode_text
from kg.query import DEFAULT_PREFIXES, prefix_block, sparql_iri, sparql_literal
from kg.table import PREFIXES, describe_source

#: The upload limit of the Ingest tab (the command line allows more: kg.pipeline.MAX_BYTES).
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = SUFFIXES  # every format `kg ingest` reads

AKG_NS = BASE + "ontology#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "coatings stable over 1000 h on Na",
    "which precursors make LiF?",
    "MLD coatings tested in ether electrolytes",
    "Al2O3 coatings on Li",
    "coatings deposited below 100 °C",
)


class Selectable(Protocol):
    def select(self, sparql: str) -> Any: ...


# --------------------------------------------------------------------------- SPARQL examples

NAMED_QUERIES: dict[str, str] = {
    "Coatings per substrate": """SELECT ?substrate (COUNT(DISTINCT ?coating) AS ?coatings) WHERE {
  ?coating a akg:Coating ; akg:onSubstrate ?s .
  ?s skos:prefLabel ?substrate .
} GROUP BY ?substrate ORDER BY DESC(?coatings)""",
    "Precursors per material": """SELECT ?material (GROUP_CONCAT(DISTINCT ?precursor; separator=", ") AS ?precursors)
WHERE {
  ?coating a akg:Coating ; akg:hasMaterial/skos:prefLabel ?material ; akg:depositedBy ?p .
  { ?p akg:usesPrecursor ?x } UNION { ?p akg:hasStep/akg:usesPrecursor ?x }
  ?x skos:prefLabel ?precursor .
} GROUP BY ?material ORDER BY ?material""",
    "Measurements above a threshold": """# Cycling durations over 500 h; change the kind or the number.
SELECT ?coating ?material ?value ?unit ?text WHERE {
  ?coating a akg:Coating ; akg:hasMaterial/skos:prefLabel ?material ; akg:hasMeasurement ?m .
  ?m akg:quantityKind akgv:CyclingDuration ; akg:numericValue ?value .
  OPTIONAL { ?m akg:valueText ?text }
  OPTIONAL { akgv:CyclingDuration akg:canonicalUnitSymbol ?unit }
  FILTER(?value > 500)
} ORDER BY DESC(?value)""",
    "Disagreements": """SELECT ?disagreement ?label ?valueA ?valueB WHERE {
  ?disagreement a akg:Disagreement ; rdfs:label ?label .
  OPTIONAL { ?disagreement akg:valueA ?valueA }
  OPTIONAL { ?disagreement akg:valueB ?valueB }
} ORDER BY ?label""",
    "Provenance of a coating": """# Where every statement about Al2O3 coatings came from.
SELECT ?coating ?table ?row ?section ?sentence ?text WHERE {
  ?coating a akg:Coating ; akg:hasMaterial akgv:Al2O3 ; prov:wasDerivedFrom ?span .
  ?span akg:sourceText ?text .
  OPTIONAL { ?span akg:tableNumber ?table }
  OPTIONAL { ?span akg:rowNumber ?row }
  OPTIONAL { ?span akg:section ?section }
  OPTIONAL { ?span akg:sentenceIndex ?sentence }
} ORDER BY ?coating ?table ?row ?sentence""",
}


def editor_text(name: str | None = None) -> str:
    """The SPARQL editor's text: the project prefixes, then a named example (the first by default)."""
    body = NAMED_QUERIES.get(name or "", NAMED_QUERIES["Coatings per substrate"])
    return prefix_block() + "\n" + body


# --------------------------------------------------------------------------- cells and evidence


def cell_text(value: Any) -> str:
    """A table cell as short text: ranges as ``min–max``, lists joined, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "min" in value and "max" in value:
            return f"{cell_text(value['min'])}–{cell_text(value['max'])}"
        if "value" in value:
            unit = value.get("unit") or ""
            comparator = value.get("comparator") or ""
            comparator = "" if comparator == "=" else comparator
            return f"{comparator}{cell_text(value['value'])} {unit}".strip()
        return ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def highlight_html(text: str, span: Sequence[int] | None) -> str:
    """The text escaped for HTML with ``span`` ([start, end) offsets into it) in ``<mark>``.

    Escaping each piece separately keeps the offsets right and stops source text from
    injecting markup.

    >>> highlight_html("a <b> c", [2, 5])
    'a <mark>&lt;b&gt;</mark> c'
    """
    if not span or len(span) != 2:
        return html.escape(text)
    start, end = max(0, int(span[0])), min(len(text), int(span[1]))
    if start >= end:
        return html.escape(text)
    return (
        html.escape(text[:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:])
    )


def evidence_html(item: dict[str, Any]) -> str:
    """One piece of evidence as an HTML block: the cited study, the marked text, its location."""
    head = " · ".join(
        html.escape(str(part))
        for part in (item.get("ref") and f"[{item['ref']}]", item.get("doc"), item.get("location"))
        if part
    )
    body = highlight_html(str(item.get("text") or ""), item.get("highlight"))
    return (
        f'<div style="margin:0 0 .6em 0"><div style="font-size:.8em;color:#666">{head}</div>'
        f'<div style="border-left:3px solid #f0c040;padding-left:.6em;white-space:pre-wrap;tab-size:4">'
        f"{body}</div></div>"
    )


#: Answer columns shown first and last; everything else (the values) goes in between.
_ANSWER_FIRST = ("material", "technique", "substrate")
_ANSWER_LAST = ("study", "doc")
_ANSWER_HIDDEN = {
    "evidence",
    "evidence_text",
    "text",
    "location",
    "highlight",
    "coating",
    "ref",
    "year",
    "reference_year",
    "source",
    "comparator",
    "score",
}

#: Unit suffixes of kg.ask's value columns (``cycling_duration_h``) → the unit to show.
_UNIT_SUFFIXES = {
    "C": "°C",
    "pct": "%",
    "mA_cm2": "mA/cm²",
    "mAh_g": "mAh/g",
    "mAh_cm2": "mAh/cm²",
    "nm_per_cycle": "nm/cycle",
    "S_cm": "S/cm",
    "h": "h",
    "nm": "nm",
    "mV": "mV",
    "GPa": "GPa",
    "uL": "µL",
}


_TITLES = {
    "cycling_h": "longest cycling (h)",
    "cycle_count": "most cycles",
    "coating": "coating IRI",
}


def column_title(name: str) -> str:
    """``cycling_duration_h`` → ``cycling duration (h)``; other names with spaces for underscores."""
    if name in _TITLES:
        return _TITLES[name]
    for suffix in sorted(_UNIT_SUFFIXES, key=len, reverse=True):
        if name.endswith("_" + suffix):
            return f"{name[: -len(suffix) - 1].replace('_', ' ')} ({_UNIT_SUFFIXES[suffix]})"
    return name.replace("_", " ")


def answer_frame(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The answer table as the app shows it: what, then the key values, then the study and doc.

    Value columns get their unit in the header and the row's comparator in the cell
    (">1000" under "cycling duration (h)"); the study reads "[94] Luo et al. 2017".
    """
    names = list(dict.fromkeys([*columns, *(k for r in rows for k in r)]))
    middle = [
        c
        for c in names
        if c not in _ANSWER_FIRST + _ANSWER_LAST
        and c not in _ANSWER_HIDDEN
        and not c.endswith("_text")
    ]
    order = [c for c in _ANSWER_FIRST if c in names] + middle + list(_ANSWER_LAST)
    valued = next((c for c in middle if c != column_title(c).replace(" ", "_")), None)
    records = []
    for row in rows:
        record = {c: cell_text(row.get(c)) for c in order}
        comparator = row.get("comparator")
        if valued and comparator and comparator != "=" and record[valued]:
            record[valued] = f"{comparator}{record[valued]}"
        if not record.get("study") and row.get("ref") is not None:
            record["study"] = f"[{row['ref']}]"
        records.append(record)
    frame = pd.DataFrame(records, columns=order)
    return frame.rename(columns={c: column_title(c) for c in order})


def location_text(span: dict[str, Any]) -> str:
    """Where a source span sits: "Table 1, row 3" or "section 3.1, sentence 74"."""
    return describe_source(span)


# --------------------------------------------------------------------------- compare


def numbers(value: Any) -> list[float]:
    """Every number in a table value (a number, a list, or a {min, max} range as its midpoint)."""
    if value is None:
        return []
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict) and "min" in value and "max" in value:
        return [(float(value["min"]) + float(value["max"])) / 2]
    if isinstance(value, list | tuple):
        return [n for v in value for n in numbers(v)]
    return []


FACETS_QUERY = (
    PREFIXES
    + """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?coating ?facet ?label WHERE {
  ?coating a akg:Coating .
  {
    ?coating akg:hasMaterial ?m . ?m a ?cls .
    ?cls rdfs:subClassOf* akg:Material .
    FILTER(?cls != akg:Material)
    BIND("material_class" AS ?facet)
    OPTIONAL { ?cls rdfs:label ?l }
    BIND(COALESCE(?l, STRAFTER(STR(?cls), "#")) AS ?label)
  } UNION {
    ?coating akg:testedIn/akg:usesElectrolyte/akg:family ?f .
    BIND("electrolyte_family" AS ?facet)
    OPTIONAL { ?f skos:prefLabel ?l }
    BIND(COALESCE(?l, STRAFTER(STR(?f), "/vocab/")) AS ?label)
  }
}"""
)

MELTING_QUERY = (
    PREFIXES
    + """SELECT ?substrate ?mp WHERE {
  ?s akg:meltingPoint_C ?mp ; skos:prefLabel ?substrate .
}"""
)


def coating_facets(store: Selectable) -> dict[str, dict[str, list[str]]]:
    """Material classes and electrolyte families per coating, for the Compare filters."""
    facets: dict[str, dict[str, list[str]]] = {}
    for row in store.select(FACETS_QUERY):
        values = facets.setdefault(row["coating"], {}).setdefault(row["facet"], [])
        if row["label"] and row["label"] not in values:
            values.append(str(row["label"]))
    return facets


def melting_points(store: Selectable) -> dict[str, float]:
    """Substrate label → melting point in °C, from the vocabulary's akg:meltingPoint_C."""
    return {str(r["substrate"]): float(r["mp"]) for r in store.select(MELTING_QUERY)}


def _outcome_max(record: dict[str, Any], kind: str) -> float | None:
    values = [
        n
        for o in record.get("outcomes", [])
        if o.get("kind") == kind
        for n in numbers(o.get("value"))
    ]
    return max(values) if values else None


COMPARE_COLUMNS = [
    "material",
    "technique",
    "substrate",
    "study",
    "year",
    "material_class",
    "electrolyte_family",
    "cell_types",
    "precursors",
    "temperature_C",
    "thickness_nm",
    "deposition_cycles",
    "cycling_h",
    "cycle_count",
    "doc",
    "coating",
]


def compare_frame(
    records: Iterable[dict[str, Any]],
    facets: dict[str, dict[str, list[str]]] | None = None,
    studies: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per coating with lists kept as lists (for filtering) and plot-ready numbers.

    ``thickness_value`` is the first reported thickness (a range's midpoint); ``cycling_h``
    the longest cycling duration; ``cycle_count`` the largest cycle count.
    """
    facets = facets or {}
    studies = studies or {}
    rows = []
    for r in records:
        f = facets.get(r["coating"], {})
        thickness = numbers(r.get("thickness_nm"))
        rows.append(
            {
                "material": r.get("material"),
                "technique": r.get("technique") or "unknown",
                "substrate": r.get("substrate") or "unknown",
                "study": studies.get(r["coating"])
                or (f"[{r['ref']}]" if r.get("ref") is not None else ""),
                "ref": r.get("ref"),
                "year": r.get("year"),
                "material_class": f.get("material_class", []),
                "electrolyte_family": f.get("electrolyte_family", []),
                "cell_types": list(r.get("cell_types") or []),
                "precursors": cell_text(r.get("precursors")),
                "temperature_C": cell_text(r.get("temperature_C")),
                "thickness_nm": cell_text(r.get("thickness_nm")),
                "deposition_cycles": cell_text(r.get("deposition_cycles")),
                "temperatures": numbers(r.get("temperature_C")),
                "thickness_value": thickness[0] if thickness else None,
                "cycling_h": _outcome_max(r, "CyclingDuration"),
                "cycle_count": _outcome_max(r, "CycleCount"),
                "doc": r.get("doc"),
                "coating": r["coating"],
            }
        )
    return pd.DataFrame(rows)


STUDY_LABELS_QUERY = (
    PREFIXES
    + """SELECT ?coating ?label WHERE {
  ?coating a akg:Coating ; akg:reportedIn ?study . ?study rdfs:label ?label .
}"""
)


def study_labels(store: Selectable) -> dict[str, str]:
    """Coating IRI → its study's label ("[94] Luo et al. 2017")."""
    labels: dict[str, str] = {}
    for row in store.select(STUDY_LABELS_QUERY):
        current = labels.get(row["coating"])
        if current is None or len(str(row["label"])) > len(current):
            labels[row["coating"]] = str(row["label"])
    return labels


@dataclass(frozen=True)
class Filters:
    """The Compare tab's filters; an empty selection means "any"."""

    substrates: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    material_classes: tuple[str, ...] = ()
    electrolyte_families: tuple[str, ...] = ()
    cell_types: tuple[str, ...] = ()
    years: tuple[int, int] | None = None


def _distinct(values: Iterable[Any]) -> list[str]:
    out: set[str] = set()
    for v in values:
        if isinstance(v, list | tuple):
            out.update(str(x) for x in v if x)
        elif v is not None and v == v:
            out.add(str(v))
    return sorted(out)


def filter_options(frame: pd.DataFrame) -> dict[str, Any]:
    """The choices each filter offers, from what the table holds."""
    if frame.empty:
        return {
            k: []
            for k in (
                "substrate",
                "technique",
                "material_class",
                "electrolyte_family",
                "cell_types",
            )
        } | {"years": None}
    years = [int(y) for y in frame["year"].dropna()]
    return {
        "substrate": _distinct(frame["substrate"]),
        "technique": _distinct(frame["technique"]),
        "material_class": _distinct(frame["material_class"]),
        "electrolyte_family": _distinct(frame["electrolyte_family"]),
        "cell_types": _distinct(frame["cell_types"]),
        "years": (min(years), max(years)) if years else None,
    }


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that pass every filter (list cells pass when any element is chosen)."""
    if frame.empty:
        return frame

    def any_of(column: str, chosen: tuple[str, ...]) -> pd.Series:
        if not chosen:
            return pd.Series(True, index=frame.index)
        wanted = set(chosen)
        return frame[column].map(
            lambda v: bool(wanted & set(v)) if isinstance(v, list | tuple) else v in wanted
        )

    mask = (
        any_of("substrate", filters.substrates)
        & any_of("technique", filters.techniques)
        & any_of("material_class", filters.material_classes)
        & any_of("electrolyte_family", filters.electrolyte_families)
        & any_of("cell_types", filters.cell_types)
    )
    if filters.years is not None:
        low, high = filters.years
        # Coatings without a year stay unless the user narrowed the range.
        mask &= frame["year"].map(lambda y: y is None or y != y or low <= int(y) <= high)
    return frame[mask]


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The filtered table as text cells, in the column order researchers read it."""
    if frame.empty:
        return pd.DataFrame(columns=[column_title(c) for c in COMPARE_COLUMNS])
    shown = frame[COMPARE_COLUMNS].copy()
    for column in ("material_class", "electrolyte_family", "cell_types"):
        shown[column] = shown[column].map(cell_text)
    return shown.rename(columns={c: column_title(c) for c in COMPARE_COLUMNS})


def duration_vs_thickness(frame: pd.DataFrame) -> pd.DataFrame:
    """Coatings with both a thickness and a cycling duration: the first plot's points."""
    if frame.empty:
        return frame
    return frame.dropna(subset=["thickness_value", "cycling_h"])


def temperatures_by_substrate(frame: pd.DataFrame, melting: dict[str, float]) -> pd.DataFrame:
    """One row per reported deposition temperature, with the substrate's melting point."""
    rows = [
        {
            "substrate": r.substrate,
            "temperature_C": t,
            "material": r.material,
            "study": r.study,
            "technique": r.technique,
            "melting_point_C": melting.get(r.substrate),
        }
        for r in frame.itertuples()
        for t in r.temperatures
    ]
    return pd.DataFrame(
        rows,
        columns=["substrate", "temperature_C", "material", "study", "technique", "melting_point_C"],
    )


def counts_per_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Coatings per publication year and substrate."""
    if frame.empty:
        return pd.DataFrame(columns=["year", "substrate", "coatings"])
    dated = frame.dropna(subset=["year"]).copy()
    dated["year"] = dated["year"].astype(int)
    return dated.groupby(["year", "substrate"]).size().reset_index(name="coatings")


# --------------------------------------------------------------------------- explore


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kind: str

    @property
    def title(self) -> str:
        return f"{self.label} ({self.kind})"


@dataclass(frozen=True)
class Fact:
    """One triple seen from an entity: the predicate, the other end, and where it came from."""

    predicate: str
    predicate_label: str
    value: str  # the other end: an IRI or a literal's text
    value_label: str
    is_iri: bool
    provenance: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    outgoing: tuple[Fact, ...]
    incoming: tuple[Fact, ...]
    provenance: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def compact(iri: str) -> str:
    """``akg:Coating`` for a known namespace, else the IRI."""
    for prefix, base in DEFAULT_PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def short_iri(iri: str) -> str:
    """A readable name for an IRI without a label: the path after the document id."""
    if iri.startswith(BASE + "id/"):
        parts = iri[len(BASE) + 3 :].split("/")
        return "/".join(parts[1:]) or parts[0]
    return compact(iri)


def _kind_of(types: str | None) -> str:
    """The most telling class name among an entity's types (skos:Concept last)."""
    names = [compact(t).split(":")[-1] for t in (types or "").split(" ") if t]
    names = [n for n in names if n not in ("Concept", "Class", "NamedIndividual")] or names
    return names[0] if names else "thing"


_LABEL_PATTERN = (
    """{ ?e skos:prefLabel ?l } UNION { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l }"""
)


def find_entities(store: Selectable, text: str, *, limit: int = 50) -> list[Entity]:
    """Entities whose label or alias contains ``text`` (case-insensitive), best matches first.

    Source spans and measurements are left out: they are shown on their entities' pages.
    """
    needle = text.strip().lower()
    if not needle:
        return []
    query = (
        PREFIXES
        + f"""SELECT ?e (SAMPLE(?pref) AS ?label) (MIN(STRLEN(?l)) AS ?len)
       (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) (MAX(?exact) AS ?best) WHERE {{
  {_LABEL_PATTERN}
  FILTER(isIRI(?e) && CONTAINS(LCASE(STR(?l)), {sparql_literal(needle)}))
  FILTER NOT EXISTS {{ ?e a akg:SourceSpan }}
  FILTER NOT EXISTS {{ ?e a akg:Measurement }}
  OPTIONAL {{ ?e a ?t }}
  OPTIONAL {{ ?e skos:prefLabel ?p0 }} OPTIONAL {{ ?e rdfs:label ?r0 }}
  BIND(COALESCE(?p0, ?r0, ?l) AS ?pref)
  BIND(IF(LCASE(STR(?l)) = {sparql_literal(needle)}, 1, 0) AS ?exact)
}} GROUP BY ?e ORDER BY DESC(?best) ?len ?label LIMIT {int(limit)}"""
    )
    return [
        Entity(iri=r["e"], label=str(r["label"]), kind=_kind_of(r["types"]))
        for r in store.select(query)
    ]


def entity(store: Selectable, iri: str) -> Entity:
    """The entity at ``iri`` with its label and kind (the IRI itself when it has no label)."""
    node = sparql_iri(iri)
    query = (
        PREFIXES
        + f"""SELECT (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) WHERE {{
  OPTIONAL {{ {node} skos:prefLabel|rdfs:label ?l }}
  OPTIONAL {{ {node} a ?t }}
}}"""
    )
    row = next(iter(store.select(query)), {})
    return Entity(
        iri=iri, label=str(row.get("label") or compact(iri)), kind=_kind_of(row.get("types"))
    )


_SPAN_FIELDS = """OPTIONAL {{ {span} akg:sourceText ?text }}
  OPTIONAL {{ {span} akg:tableNumber ?table }} OPTIONAL {{ {span} akg:rowNumber ?row }}
  OPTIONAL {{ {span} akg:section ?section }} OPTIONAL {{ {span} akg:sentenceIndex ?sentence }}
  OPTIONAL {{ {span} akg:startOffset ?start }}"""


def _span_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": row.get("text") or "",
        "location": describe_source(row),
        "start": row.get("start"),
    }


def entity_page(store: Selectable, iri: str, *, limit: int = 400) -> EntityPage:
    """Every fact about ``iri``, both directions, with labels and the provenance of each end.

    A fact inherits the provenance of the node it points to (a measurement's sentence, a
    coating's table row); the entity's own source spans are listed separately.
    """
    node = sparql_iri(iri)
    label = """OPTIONAL {{ {x} skos:prefLabel ?xp0 }} OPTIONAL {{ {x} rdfs:label ?xr }}
  OPTIONAL {{ {x} akg:valueText ?xv . {x} akg:quantityKind ?xk .
             OPTIONAL {{ ?xk skos:prefLabel|rdfs:label ?xkl }} }}
  BIND(COALESCE(?xp0, CONCAT(COALESCE(?xkl, STRAFTER(STR(?xk), "/vocab/")), ": ", ?xv)) AS ?xp)
  OPTIONAL {{ {p} rdfs:label ?pl }}"""
    out_query = (
        PREFIXES
        + f"""SELECT ?p ?o ?isiri (SAMPLE(?xp) AS ?op) (SAMPLE(?xr) AS ?or) (SAMPLE(?pl) AS ?plabel) WHERE {{
  {node} ?p ?o .
  FILTER(?p != prov:wasDerivedFrom)
  BIND(isIRI(?o) AS ?isiri)
  {label.format(x="?o", p="?p")}
}} GROUP BY ?p ?o ?isiri ORDER BY ?p ?o LIMIT {int(limit)}"""
    )
    in_query = (
        PREFIXES
        + f"""SELECT ?p ?o ?isiri (SAMPLE(?xp) AS ?op) (SAMPLE(?xr) AS ?or) (SAMPLE(?pl) AS ?plabel) WHERE {{
  ?o ?p {node} .
  BIND(isIRI(?o) AS ?isiri)
  FILTER NOT EXISTS {{ ?o a akg:SourceSpan }}
  {label.format(x="?o", p="?p")}
}} GROUP BY ?p ?o ?isiri ORDER BY ?p ?o LIMIT {int(limit)}"""
    )
    prov_query = (
        PREFIXES
        + f"""SELECT DISTINCT ?x ?text ?table ?row ?section ?sentence ?start WHERE {{
  {{ {node} ?p ?x }} UNION {{ ?x ?p {node} }} UNION {{ BIND({node} AS ?x) }}
  ?x prov:wasDerivedFrom ?span .
  {_SPAN_FIELDS.format(span="?span")}
}} ORDER BY ?x ?start"""
    )
    spans: dict[str, list[dict[str, Any]]] = {}
    for row in store.select(prov_query):
        spans.setdefault(row["x"], []).append(_span_dict(row))

    def facts(rows: Iterable[dict[str, Any]]) -> tuple[Fact, ...]:
        result = []
        for r in rows:
            value = r["o"]
            is_iri = bool(r["isiri"])
            result.append(
                Fact(
                    predicate=r["p"],
                    predicate_label=str(r.get("plabel") or compact(r["p"])),
                    value=str(value),
                    value_label=str(
                        r.get("op") or r.get("or") or (short_iri(value) if is_iri else value)
                    ),
                    is_iri=is_iri,
                    provenance=tuple(spans.get(str(value), ())) if is_iri else (),
                )
            )
        return tuple(result)

    return EntityPage(
        entity=entity(store, iri),
        outgoing=facts(store.select(out_query)),
        incoming=facts(store.select(in_query)),
        provenance=tuple(spans.get(iri, ())),
    )


def neighbours(page: EntityPage, *, limit: int = 40) -> list[Entity]:
    """Entities one step away (not classes or source spans), for the page's buttons.

    Each neighbour's ``kind`` is the property that links it, which is what the button says.
    """
    seen: dict[str, Entity] = {}
    for fact in (*page.outgoing, *page.incoming):
        if not fact.is_iri or fact.predicate == RDF_TYPE or fact.value in seen:
            continue
        seen[fact.value] = Entity(iri=fact.value, label=fact.value_label, kind=fact.predicate_label)
        if len(seen) >= limit:
            break
    return list(seen.values())


def neighbourhood(
    page: EntityPage, *, limit: int = 60
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges of the page's entity and its IRI neighbours, for kg.graphview.

    Literal values stay on the page (as facts), not in the picture; classes are drawn so the
    reader sees what a thing is.
    """
    centre = page.entity
    nodes: dict[str, dict[str, Any]] = {
        centre.iri: {"id": centre.iri, "label": centre.label, "kind": centre.kind, "centre": True}
    }
    edges: list[dict[str, Any]] = []
    for direction, facts in (("out", page.outgoing), ("in", page.incoming)):
        for fact in facts:
            if not fact.is_iri:
                continue
            if fact.value not in nodes:
                if len(nodes) >= limit:
                    continue
                kind = "class" if fact.predicate == RDF_TYPE and direction == "out" else "entity"
                nodes[fact.value] = {
                    "id": fact.value,
                    "label": fact.value_label,
                    "kind": kind,
                    "centre": False,
                }
            source, target = (
                (centre.iri, fact.value) if direction == "out" else (fact.value, centre.iri)
            )
            edges.append({"source": source, "target": target, "label": fact.predicate_label})
    return list(nodes.values()), edges


# --------------------------------------------------------------------------- ingest


def check_upload(name: str, data: bytes) -> str:
    """The uploaded file's text ("" for a PDF), or an IngestError (same checks and words as
    `kg ingest`)."""
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise IngestError(
            f"{name}: only {', '.join(UPLOAD_SUFFIXES)} files can be read. "
            "Save the paper as one of these."
        )
    if len(data) > UPLOAD_MAX_BYTES:
        raise IngestError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the {UPLOAD_MAX_BYTES // 2**20} MB limit. "
            "Use `kg ingest FILE` for larger files."
        )
    reader = reader_for_suffix(name)
    return "" if reader is not None and reader.name == "pdf" else decode_text(name, data)


@dataclass(frozen=True)
class UploadPreview:
    """What ingesting an upload would add, computed without touching the real store."""

    doc_id: str
    name: str
    ntriples: str
    records: list[dict[str, Any]]
    counts: dict[str, int]
    warnings: tuple[str, ...]
    documents: tuple[BuiltDocument, ...] = ()  # an export gives one per record


def preview_upload(name: str, data: bytes) -> UploadPreview:
    """Check and build an uploaded document; its coatings table comes from a scratch store.

    Raises:
        IngestError: the file is unreadable, has no sentences, or the pipeline failed on it.
    """
    from ingest.structure import doc_id_for
    from kg.pipeline import write
    from kg.store import open_store
    from kg.table import coatings_table

    check_upload(name, data)
    built = build_upload(name, data)
    counts: dict[str, int] = {}
    for doc in built:
        for key, value in doc.counts:
            counts[key] = counts.get(key, 0) + value
    # A "sentence" of bare numbers or symbols is not prose: such a file has nothing to extract.
    if not counts.pop("prose sentences", 0) and not counts.get("tables"):
        raise IngestError(
            f"{name}: no sentences or tables found. Upload a paper's text (prose or tables)."
        )
    scratch = open_store(memory=True)
    write(built, store=scratch)
    records = coatings_table(scratch)
    counts["coatings"] = len(records)
    counts["triples"] = sum(doc.triples for doc in built)
    return UploadPreview(
        doc_id=built[0].doc_id if len(built) == 1 else doc_id_for(name),
        name=name,
        ntriples="".join(doc.ntriples for doc in built),
        records=records,
        counts=counts,
        warnings=tuple(w for doc in built for w in doc.warnings),
        documents=tuple(built),
    )


def ingest_paths(store: Any, paths: Sequence[str | os.PathLike[str]]) -> list[Any]:
    """Build every document first, then write them (one named graph each) and the ontology.

    Raises:
        IngestError: a file is unreadable; nothing is written.
    """
    from kg.pipeline import ingest

    return list(ingest(paths, store=store).documents)


def add_upload(store: Any, preview: UploadPreview) -> None:
    """Write an upload's graphs (replacing any earlier version of the same documents)."""
    from kg.pipeline import write

    write(preview.documents, store=store)


def coatings_csv(records: Iterable[dict[str, Any]]) -> bytes:
    """The coatings table as CSV (the same columns as ``kg table coatings --csv``)."""
    import csv
    import io

    from kg.table import COLUMNS, flat_row

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(flat_row(record))
    return buffer.getvalue().encode("utf-8")


def rows_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """Query rows as CSV bytes (list and dict cells as short text)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: cell_text(row.get(c)) for c in columns})
    return buffer.getvalue().encode("utf-8")


def technique_colours(techniques: Iterable[str]) -> dict[str, str]:
    """One colour per technique, the same in every plot (sorted names → a fixed palette)."""
    import plotly.express as px

    palette = px.colors.qualitative.Plotly
    return {t: palette[i % len(palette)] for i, t in enumerate(sorted(set(techniques)))}


def facts_frame(facts: Sequence[Any], *, incoming: bool = False) -> pd.DataFrame:
    """An entity page's facts as a table; incoming facts name the entity they come from."""
    rows = []
    for f in facts:
        source = "; ".join(s["location"] for s in f.provenance)
        if incoming:
            rows.append({"from": f.value_label, "property": f.predicate_label, "source": source})
        else:
            rows.append({"property": f.predicate_label, "value": f.value_label, "source": source})
    return pd.DataFrame(rows)
