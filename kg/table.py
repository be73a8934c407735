"""The coatings table: one record per coating, the ORKG-style comparison researchers export.

Read back from the store with SPARQL (so it shows exactly what the graph holds, for every
document in it), not from the ingest records.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol

from kg.namespaces import BASE, VOCAB

PREFIXES = f"""PREFIX akg: <{BASE}ontology#>
PREFIX akgv: <{BASE}vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

DOC_GRAPH = f"{BASE}graph/doc/"

#: Quantity kinds reported as their own columns rather than as outcomes.
SETUP_KINDS = {
    "DepositionTemperature": "temperature_C",
    "Thickness": "thickness_nm",
    "DepositionCycles": "deposition_cycles",
}

COLUMNS = [
    "doc",
    "ref",
    "year",
    "material",
    "technique",
    "substrate",
    "precursors",
    "temperature_C",
    "thickness_nm",
    "deposition_cycles",
    "cell_types",
    "electrolytes",
    "outcomes",
    "source",
    "coating",
]


#: The columns `kg table coatings` shows on a terminal (the rest are in --json and --csv).
SUMMARY_COLUMNS = [
    c for c in COLUMNS if c not in ("doc", "electrolytes", "outcomes", "source", "coating")
]


class Selectable(Protocol):
    def select(self, sparql: str) -> Any: ...


def _label(var: str, node: str) -> str:
    return (
        f"OPTIONAL {{ {node} skos:prefLabel ?{var}_p }} OPTIONAL {{ {node} rdfs:label ?{var}_r }} "
        f"BIND(COALESCE(?{var}_p, ?{var}_r, STR({node})) AS ?{var})"
    )


# Every query reads one document's graph at a time (GRAPH ?g): a coating reported in two
# documents is one node, but each document says its own things about it (its citation number,
# its values: 900 h in a review, > 1000 h in the paper), and the table has one row per
# (coating, document). Vocabulary labels live in the ontology graph, outside GRAPH ?g.
COATINGS_QUERY = (
    PREFIXES
    + f"""
SELECT ?coating ?g ?ref ?citedRef ?tableYear ?refYear ?m ?material ?substrate ?label WHERE {{
  GRAPH ?g {{ ?coating a akg:Coating ; rdfs:label ?label ; akg:hasMaterial ?m .
             OPTIONAL {{ ?coating akg:year ?tableYear }} }}
  {_label("material", "?m")}
  OPTIONAL {{ GRAPH ?g {{ ?coating akg:onSubstrate ?s }} {_label("substrate", "?s")} }}
  OPTIONAL {{ GRAPH ?g {{ ?coating akg:reportedIn ?study }}
             OPTIONAL {{ GRAPH ?g {{ ?cit akg:citedStudy ?study ; akg:citationNumber ?citedRef }} }}
             OPTIONAL {{ GRAPH ?g {{ ?study akg:citationNumber ?ref }} }}
             OPTIONAL {{ ?study akg:year ?refYear }} }}
}}"""
)

TECHNIQUE_QUERY = (
    PREFIXES
    + f"""
SELECT ?coating ?g ?technique ?specific WHERE {{
  GRAPH ?g {{ ?coating a akg:Coating ; akg:depositedBy/akg:technique ?t . }}
  {_label("technique", "?t")}
  BIND(EXISTS {{ ?t skos:broader ?any }} AS ?specific)
}}"""
)

PRECURSOR_QUERY = (
    PREFIXES
    + f"""
SELECT ?coating ?g ?precursor ?index WHERE {{
  GRAPH ?g {{
    ?coating a akg:Coating ; akg:depositedBy ?p .
    {{ ?p akg:hasStep ?step . ?step akg:usesPrecursor ?x ; akg:stepIndex ?index }}
    UNION {{ ?p akg:usesPrecursor ?x . BIND(1000 AS ?index) }}
  }}
  {_label("precursor", "?x")}
}} ORDER BY ?coating ?index"""
)

MEASUREMENT_QUERY = (
    PREFIXES
    + """
SELECT ?coating ?g ?m ?kind ?low ?high ?comparator ?unit ?text ?after ?cd ?cellType ?start
       ?fromTable
WHERE {
  GRAPH ?g {
    ?coating a akg:Coating ; akg:hasMeasurement ?m .
    ?m akg:quantityKind ?k .
    OPTIONAL { ?m akg:numericValue ?low }
    OPTIONAL { ?m akg:maxValue ?high }
    OPTIONAL { ?m akg:comparator ?comparator }
    OPTIONAL { ?m akg:valueText ?text }
    OPTIONAL { ?m akg:afterCycles ?after }
    OPTIONAL { ?m akg:atCurrentDensity_mA_cm2 ?cd }
    OPTIONAL { ?m prov:wasDerivedFrom/akg:startOffset ?start }
    BIND(EXISTS { ?m prov:wasDerivedFrom/akg:tableNumber ?tableNumber } AS ?fromTable)
  }
  BIND(STRAFTER(STR(?k), "/vocab/") AS ?kind)
  OPTIONAL { ?k akg:canonicalUnitSymbol ?unit }
  OPTIONAL { GRAPH ?g { ?m akg:measuredIn/akg:cellType ?ct } ?ct skos:prefLabel ?cellType }
} ORDER BY ?coating ?start ?m"""
)

CELL_QUERY = (
    PREFIXES
    + f"""
SELECT ?coating ?g ?cellType ?electrolyte ?fromTable WHERE {{
  GRAPH ?g {{
    ?coating a akg:Coating ; akg:testedIn ?t .
    BIND(EXISTS {{ ?t prov:wasDerivedFrom/akg:tableNumber ?tableNumber }} AS ?fromTable)
  }}
  OPTIONAL {{ GRAPH ?g {{ ?t akg:cellType ?ct }} {_label("cellType", "?ct")} }}
  OPTIONAL {{ GRAPH ?g {{ ?t akg:usesElectrolyte ?e }} {_label("electrolyte", "?e")} }}
}}"""
)

SOURCE_QUERY = (
    PREFIXES
    + """
SELECT ?coating ?g ?table ?row ?section ?sentence ?rule ?start WHERE {
  GRAPH ?g {
    ?coating a akg:Coating ; prov:wasDerivedFrom ?span .
    ?span akg:startOffset ?start .
    OPTIONAL { ?span akg:tableNumber ?table }
    OPTIONAL { ?span akg:rowNumber ?row }
    OPTIONAL { ?span akg:section ?section }
    OPTIONAL { ?span akg:sentenceIndex ?sentence }
    OPTIONAL { ?span akg:extractionRule ?rule }
  }
} ORDER BY ?coating ?start"""
)


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _value(low: float | None, high: float | None) -> Any:
    if low is not None and high is not None and low != high:
        return {"min": _number(low), "max": _number(high)}
    return _number(low if low is not None else high)


def _collapse(values: list[Any]) -> Any:
    """One value as itself, several as a list (duplicates removed, order kept)."""
    unique: list[Any] = []
    for v in values:
        if v not in unique:
            unique.append(v)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else unique


def describe_source(row: dict[str, Any]) -> str:
    if row.get("table") is not None:
        return f"Table {row['table']}, row {row['row']}"
    where = f"section {row['section']}" if row.get("section") else "text"
    if row.get("sentence") is not None:
        return f"{where}, sentence {row['sentence']}"
    return where


Key = tuple[str, str]  # (coating IRI, document graph IRI)


def _key(row: dict[str, Any]) -> Key:
    return row["coating"], row["g"]


#: The film of a study that never names its material: in the graph it is akgv:UnnamedFilm,
#: in a record its material is unknown (null), as the gold writes it.
UNNAMED_FILM = str(VOCAB.UnnamedFilm)


def _base_records(store: Selectable) -> dict[Key, dict[str, Any]]:
    records: dict[Key, dict[str, Any]] = {}
    for row in store.select(COATINGS_QUERY):
        g = row["g"]
        ref = row["citedRef"] if row["citedRef"] is not None else row["ref"]
        known = records.get(_key(row))
        if known is not None and (known["ref"] is not None or ref is None):
            continue
        records[_key(row)] = {
            "doc": g[len(DOC_GRAPH) :] if g.startswith(DOC_GRAPH) else g,
            "ref": ref,
            "year": row["tableYear"] if row["tableYear"] is not None else row["refYear"],
            "material": None if row["m"] == UNNAMED_FILM else row["material"],
            "technique": None,
            "substrate": row["substrate"],
            "precursors": [],
            "temperature_C": None,
            "thickness_nm": None,
            "deposition_cycles": None,
            "cell_types": [],
            "electrolytes": [],
            "outcomes": [],
            "source": [],
            "cell_tests": [],  # {cell_type, electrolyte, from_table}: where each test was read
            "coating": row["coating"],
            "label": row["label"],
        }
    return records


def _add_process(store: Selectable, records: dict[Key, dict[str, Any]]) -> None:
    techniques: dict[Key, list[tuple[bool, str]]] = defaultdict(list)
    for row in store.select(TECHNIQUE_QUERY):
        techniques[_key(row)].append((bool(row["specific"]), row["technique"]))
    for key, options in techniques.items():
        if key in records:
            records[key]["technique"] = sorted(options, reverse=True)[0][1]
    for row in store.select(PRECURSOR_QUERY):
        r = records.get(_key(row))
        if r is not None and row["precursor"] not in r["precursors"]:
            r["precursors"].append(row["precursor"])


def _outcome(row: dict[str, Any]) -> dict[str, Any]:
    conditions = {
        k: v
        for k, v in (
            ("after_cycles", _number(row["after"])),
            ("current_density_mA_cm2", _number(row["cd"])),
            ("cell_type", row["cellType"]),
        )
        if v is not None
    }
    return {
        "kind": row["kind"],
        "value": _value(row["low"], row["high"]),
        "unit": row["unit"],
        "comparator": row["comparator"] or "=",
        "text": row["text"],
        "conditions": conditions,
        "from_table": bool(row["fromTable"]),
    }


def _add_measurements(store: Selectable, records: dict[Key, dict[str, Any]]) -> None:
    """Outcomes, and the setup columns: the table's values when a table row gives them; prose
    values of the same kind (often variants the study also tried) only when no row does."""
    setup: dict[tuple[Key, str], dict[bool, list[Any]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[str, str]] = set()
    for row in store.select(MEASUREMENT_QUERY):
        r = records.get(_key(row))
        if r is None or (row["m"], row["g"]) in seen:
            continue
        seen.add((row["m"], row["g"]))
        if row["kind"] in SETUP_KINDS:
            value = _value(row["low"], row["high"])
            setup[(_key(row), SETUP_KINDS[row["kind"]])][bool(row["fromTable"])].append(value)
        else:
            r["outcomes"].append(_outcome(row))
    for (key, column), by_source in setup.items():
        records[key][column] = _collapse(by_source[True] or by_source[False])


def _add_cells_and_sources(store: Selectable, records: dict[Key, dict[str, Any]]) -> None:
    for row in store.select(CELL_QUERY):
        r = records.get(_key(row))
        if r is None:
            continue
        if row["cellType"] and row["cellType"] not in r["cell_types"]:
            r["cell_types"].append(row["cellType"])
        if row["electrolyte"] and row["electrolyte"] not in r["electrolytes"]:
            r["electrolytes"].append(row["electrolyte"])
        r["cell_tests"].append(
            {
                "cell_type": row["cellType"],
                "electrolyte": row["electrolyte"],
                "from_table": bool(row["fromTable"]),
            }
        )
    for row in store.select(SOURCE_QUERY):
        r = records.get(_key(row))
        if r is not None:
            text = describe_source(row)
            if text not in r["source"]:
                r["source"].append(text)


def coatings_table(store: Selectable) -> list[dict[str, Any]]:
    """Every coating in the store as a plain record (see COLUMNS), one per document that
    reports it (a study in a review and in its own paper: two rows), sorted by doc, ref."""
    records = _base_records(store)
    _add_process(store, records)
    _add_measurements(store, records)
    _add_cells_and_sources(store, records)
    return sorted(
        records.values(),
        key=lambda r: (r["doc"], r["ref"] if r["ref"] is not None else 10**9, r["material"] or ""),
    )


def flat_row(record: dict[str, Any]) -> dict[str, str]:
    """A record with list and dict cells joined into text, for CSV and spreadsheets."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dict) and "min" in value:
            return f"{value['min']}–{value['max']}"
        if isinstance(value, list):
            return "; ".join(text(v) for v in value)
        if isinstance(value, dict) and "kind" in value:
            cond = ", ".join(f"{k}={v}" for k, v in value["conditions"].items())
            comparator = "" if value["comparator"] == "=" else value["comparator"]
            body = (
                f"{value['kind']} {comparator}{text(value['value'])} {value['unit'] or ''}".strip()
            )
            return f"{body} ({cond})" if cond else body
        return str(value)

    return {column: text(record.get(column)) for column in COLUMNS}
