"""The Explore tab: one entity as a data sheet, its facts with their sources, its neighbourhood."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from kg.app.common import RDF_TYPE, Selectable, compact, evidence_html, short_iri
from kg.app.resources import AppContext
from kg.app.safe import md, md_inline
from kg.graphview import render_html
from kg.query import sparql_iri, sparql_literal
from kg.table import PREFIXES, describe_source

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


def resolve(store: Selectable, wanted: str) -> str | None:
    """The IRI a link's ``entity=`` names: an absolute IRI as is, else the best label match.

    ``LiF`` finds the entity labelled exactly so before one whose label only contains it.
    """
    text = wanted.strip()
    if not text:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return text
    found = find_entities(store, text, limit=1)
    return found[0].iri if found else None


# --------------------------------------------------------------------------- the tab


def _goto(iri: str) -> None:
    st.session_state["entity"] = iri


def _picked() -> None:
    picked = st.session_state.get("entity_pick")
    if picked is not None:
        _goto(picked.iri)


def _searched() -> None:
    """A new search shows its own best match, not the page a link or a click opened before."""
    st.session_state.pop("entity", None)
    st.session_state.pop("entity_pick", None)


def _back_to_answer() -> None:
    st.session_state["tab"] = "Ask"


def _current(ctx: AppContext, matches: list[Entity]) -> str | None:
    """The IRI to show: the one chosen (by link, pick or click), else the search's best match."""
    wanted = st.session_state.get("entity")
    if wanted:
        iri = resolve(ctx.store, str(wanted))
        if iri is None:
            st.info(f"Nothing is labelled '{md(wanted)}'. Search for it below.")
            st.session_state.pop("entity", None)
        else:
            st.session_state["entity"] = iri
            return iri
    if not matches:
        return None
    st.session_state["entity"] = matches[0].iri  # so the link names what is shown
    return matches[0].iri


def render(ctx: AppContext) -> None:
    st.subheader("Explore an entity")
    question = st.session_state.get("question")
    if question:
        st.button(
            f"← Back to the answer: {md_inline(question, limit=80)}",
            key="explore_back",
            on_click=_back_to_answer,
        )
    found = st.text_input(
        "Find by label or alias",
        key="entity_find",
        placeholder="e.g. NaAlOx, TMA, Luo",
        on_change=_searched,
    )
    matches = find_entities(ctx.store, found) if found.strip() else []
    if found.strip() and not matches:
        st.info(
            f"Nothing is labelled like '{md(found)}'. "
            "Try a formula (Al2O3), a precursor (TMA) or an author."
        )
    if matches:
        st.selectbox(
            f"{len(matches)} match(es)",
            matches,
            index=None,
            format_func=lambda e: e.title,
            key="entity_pick",
            placeholder="Choose one…",
            on_change=_picked,
        )
    iri = _current(ctx, matches)
    if iri is None:
        st.caption("Search for a material, precursor, study or coating to see every fact about it.")
        return
    try:
        page = entity_page(ctx.store, iri)
    except ValueError as e:
        st.error(f"Not an entity IRI: {md(e)}")
        return
    _sheet(page)


def _sheet(page: EntityPage) -> None:
    st.markdown(f"### {md_inline(page.entity.label)}")
    st.caption(f"{md(page.entity.kind)} · {md(page.entity.iri)}")
    if page.provenance:
        with st.expander(f"Where it comes from ({len(page.provenance)})", expanded=True):
            st.html("".join(evidence_html(span) for span in page.provenance))
    left, right = st.columns([5, 4])
    with left:
        st.markdown("**Facts about it**")
        st.dataframe(facts_frame(page.outgoing), hide_index=True, width="stretch")
        st.markdown("**Facts pointing to it**")
        st.dataframe(facts_frame(page.incoming, incoming=True), hide_index=True, width="stretch")
        with_prov = [f for f in (*page.outgoing, *page.incoming) if f.provenance]
        if with_prov:
            with st.expander(f"Source text of {len(with_prov)} linked fact(s)"):
                st.html(
                    "".join(
                        f"<p><b>{html.escape(f.predicate_label)}: {html.escape(f.value_label)}</b></p>"
                        + "".join(evidence_html(s) for s in f.provenance)
                        for f in with_prov
                    )
                )
    with right:
        nodes, edges = neighbourhood(page)
        st.iframe(render_html(nodes, edges, height=440), height=460)
        st.caption(
            "Neighbourhood: drag nodes, hover for names, click to highlight, double-click to open."
        )
        st.markdown("**Neighbours**")
        for i, other in enumerate(neighbours(page, limit=30)):
            st.button(
                f"{md_inline(other.kind)} → {md_inline(other.label)}",
                key=f"nb_{i}_{other.iri}",
                on_click=_goto,
                args=(other.iri,),
            )
