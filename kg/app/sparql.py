"""The SPARQL tab: an editor with example queries, a schema panel, the app's own time limit.

Results keep the query's ``SELECT`` order (``SELECT *`` in the order variables first appear),
IRIs are shown as prefixed names, and an error says where it is and what to try.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from kg.app.common import Selectable, cell_text, compact, rows_csv
from kg.app.resources import AppContext
from kg.app.safe import md
from kg.namespaces import ONTOLOGY_GRAPH
from kg.query import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    prefix_block,
    result_to_json,
)
from kg.store import StoreError

#: The time limits the tab offers (seconds); the default is the first.
TIME_LIMITS: tuple[float, ...] = (10.0, 30.0, 60.0, 5.0)
MAX_ROWS = 1000

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


# --------------------------------------------------------------------------- result shape

_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"#[^\n\r]*")


def select_order(sparql: str, columns: Sequence[str]) -> list[str]:
    """``columns`` in the order their variables first appear in the query text.

    An explicit ``SELECT ?b ?a`` is honoured as written; ``SELECT *`` follows the pattern.

    >>> select_order("SELECT * WHERE { ?s ?p ?o }", ["o", "p", "s"])
    ['s', 'p', 'o']
    """
    seen = list(dict.fromkeys(_VARIABLE.findall(_COMMENT.sub("", sparql))))
    rank = {name: i for i, name in enumerate(seen)}
    return sorted(columns, key=lambda c: rank.get(c, len(rank)))


def result_frame(result: Any, sparql: str) -> pd.DataFrame:
    """Rows as text cells, columns in SELECT order, IRIs as prefixed names (``akg:Coating``)."""
    columns = select_order(sparql, result.columns)
    types = list(result.row_types or [])
    records = []
    for i, row in enumerate(result.rows):
        kinds = types[i] if i < len(types) else {}
        records.append(
            {
                c: compact(str(row[c])) if kinds.get(c) == "iri" else cell_text(row.get(c))
                for c in columns
            }
        )
    return pd.DataFrame(records, columns=columns)


# --------------------------------------------------------------------------- errors


def syntax_hints(sparql: str) -> list[str]:
    """What to check in a query that does not parse: unbalanced brackets, an odd quote."""
    text = _COMMENT.sub("", sparql)
    hints = []
    for opening, closing in ("{}", "()", "[]"):
        missing = text.count(opening) - text.count(closing)
        if missing > 0:
            hints.append(f"{missing} '{opening}' without a closing '{closing}'.")
        elif missing < 0:
            hints.append(f"{-missing} '{closing}' without an opening '{opening}'.")
    if text.count('"') % 2:
        hints.append("An odd number of double quotes: a string is not closed.")
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE):
        hints.append("Start the query with SELECT, ASK, CONSTRUCT or DESCRIBE.")
    return hints


def error_line(sparql: str, line: int | None, column: int | None) -> str | None:
    """The line the error is on with a caret under the column, for ``st.code``."""
    if not line:
        return None
    lines = sparql.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return None
    caret = " " * max(0, (column or 1) - 1) + "^"
    return f"{lines[line - 1]}\n{caret}"


def show_error(error: QueryError | StoreError, sparql: str, timeout_s: float) -> None:
    """One error as the tab shows it: what happened, where, and what to try."""
    if isinstance(error, QueryTimeout):
        st.error(
            f"The query ran longer than the time limit ({timeout_s:g} s) and was stopped. "
            "Add LIMIT, narrow the patterns, or choose a longer time limit above."
        )
    elif isinstance(error, QuerySyntaxError):
        where = f" at line {error.line}, column {error.column}" if error.line else ""
        st.error(f"Syntax error{where}. {md(error)}")
        pointer = error_line(sparql, error.line, error.column)
        if pointer:
            st.code(pointer, language=None)
        for hint in syntax_hints(sparql):
            st.caption(f"Check: {md(hint)}")
    elif isinstance(error, QueryRefused):
        st.error(md(error))
    else:
        st.error(f"The query failed: {md(error)}")


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Term:
    """A class or property of the ontology, as the schema panel lists it."""

    name: str  # prefixed, e.g. akg:hasMaterial
    kind: str  # "class" or "property"
    label: str
    comment: str
    domain: str
    range: str

    @property
    def snippet(self) -> str:
        """A pattern to insert: ``?coating akg:hasMaterial ?material .`` or ``?x a akg:Coating .``"""
        if self.kind == "class":
            return f"?{_var(self.name)} a {self.name} ."
        return f"?{_var(self.domain) or 's'} {self.name} ?{_var(self.range) or 'o'} ."


def _var(name: str) -> str:
    local = name.rsplit(":", 1)[-1].rsplit("#", 1)[-1]
    if not local or local.startswith("http") or ":" in local:
        return ""
    return re.sub(r"[^A-Za-z0-9_]", "", local[:1].lower() + local[1:])


SCHEMA_QUERY = f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?comment)
       (SAMPLE(?d) AS ?domain) (SAMPLE(?r) AS ?range) WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    {{ ?term a owl:Class BIND("class" AS ?kind) }}
    UNION {{ ?term a owl:ObjectProperty BIND("property" AS ?kind) }}
    UNION {{ ?term a owl:DatatypeProperty BIND("property" AS ?kind) }}
    FILTER(isIRI(?term))
    OPTIONAL {{ ?term rdfs:label ?l }} OPTIONAL {{ ?term rdfs:comment ?c }}
    OPTIONAL {{ ?term rdfs:domain ?d FILTER(isIRI(?d)) }}
    OPTIONAL {{ ?term rdfs:range ?r FILTER(isIRI(?r)) }}
  }}
}} GROUP BY ?term ?kind ORDER BY ?kind ?term"""


def schema_terms(store: Selectable) -> list[Term]:
    """Every class and property the ontology declares, with its label, comment, domain, range."""
    return [
        Term(
            name=compact(str(r["term"])),
            kind=str(r["kind"]),
            label=str(r.get("label") or ""),
            comment=str(r.get("comment") or ""),
            domain=compact(str(r["domain"])) if r.get("domain") else "",
            range=compact(str(r["range"])) if r.get("range") else "",
        )
        for r in store.select(SCHEMA_QUERY)
    ]


def schema_frame(terms: Sequence[Term]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "name": t.name,
                "kind": t.kind,
                "label": t.label,
                "domain → range": f"{t.domain} → {t.range}" if t.kind == "property" else "",
                "comment": t.comment,
                "example": t.snippet,
            }
            for t in terms
        ],
        columns=["name", "kind", "label", "domain → range", "comment", "example"],
    )


# --------------------------------------------------------------------------- the tab


def _example_chosen() -> None:
    name = st.session_state.get("sparql_example")
    if name:
        st.session_state["sparql_text"] = editor_text(name)


def _insert_term(terms: dict[str, Term]) -> None:
    term = terms.get(st.session_state.get("schema_pick") or "")
    if term is None:
        return
    text = st.session_state.get("sparql_text") or editor_text(None)
    st.session_state["sparql_text"] = text.rstrip() + "\n  " + term.snippet + "\n"


def _schema_panel(ctx: AppContext) -> None:
    terms = schema_terms(ctx.store)
    by_name = {t.name: t for t in terms}
    with st.expander(f"Schema: {len(terms)} classes and properties", expanded=False):
        st.selectbox(
            "Insert a class or property into the query",
            list(by_name),
            index=None,
            key="schema_pick",
            format_func=lambda n: f"{n} — {by_name[n].label}" if by_name[n].label else n,
            placeholder="Type to search: Coating, hasMaterial, numericValue…",
        )
        st.button("Insert its pattern", key="schema_insert", on_click=_insert_term, args=(by_name,))
        st.dataframe(schema_frame(terms), hide_index=True, width="stretch", height=300)


def render(ctx: AppContext) -> None:
    ctx.service.start()
    st.subheader("SPARQL")
    note = st.session_state.pop("sparql_note", None)
    if note:
        st.info(note)
    if not st.session_state.get("sparql_text"):
        st.session_state["sparql_text"] = editor_text(None)
    c1, c2 = st.columns([4, 1])
    c1.selectbox(
        "Example queries",
        list(NAMED_QUERIES),
        index=None,
        key="sparql_example",
        placeholder="Choose an example…",
        on_change=_example_chosen,
    )
    if st.session_state.get("sparql_timeout") not in TIME_LIMITS:
        st.session_state["sparql_timeout"] = TIME_LIMITS[0]
    timeout_s = c2.selectbox(
        "Time limit (s)",
        sorted(TIME_LIMITS),
        key="sparql_timeout",
        format_func=lambda s: f"{s:g} s",
    )
    _schema_panel(ctx)
    text = st.text_area(
        "Query (read-only: updates, SERVICE and LOAD are refused)", key="sparql_text", height=340
    )
    run = st.button("Run", key="sparql_run", type="primary")
    if run or st.session_state.pop("sparql_autorun", False):
        with st.spinner("Running the query…", show_time=True):
            try:
                st.session_state["sparql_result"] = (
                    text,
                    ctx.service.run_query(text, timeout_s=float(timeout_s), max_rows=MAX_ROWS),
                )
            except (QueryError, StoreError) as e:
                st.session_state.pop("sparql_result", None)
                show_error(e, text, float(timeout_s))
    stored = st.session_state.get("sparql_result")
    if stored is not None:
        _show_result(*stored)


def _show_result(text: str, result: Any) -> None:
    if result.form == "ASK":
        st.success(f"ASK → {result.boolean}")
        return
    if result.truncated:
        st.warning(
            f"Only the first {len(result.rows)} rows are shown: the result was truncated. "
            "Add LIMIT or narrow the query."
        )
    st.caption(f"{len(result.rows)} row(s) in {result.elapsed_ms:.0f} ms")
    st.dataframe(result_frame(result, text), hide_index=True, width="stretch")
    if result.triples_nt:
        with st.expander("N-Triples"):
            st.code(result.triples_nt[:20000])
    columns = select_order(text, result.columns)
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download CSV",
        rows_csv(columns, result.rows),
        "query.csv",
        "text/csv",
        key="dl_query_csv",
    )
    c2.download_button(
        "Download JSON",
        result_to_json(result),
        "query.json",
        "application/json",
        key="dl_query_json",
    )
