"""The Explore tab: one entity as a data sheet, its facts with their sources, its neighbourhood."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from kg.app.common import RDF_TYPE, Selectable, compact, doi_url, evidence_html, short_iri
from kg.app.links import link
from kg.app.resources import AppContext
from kg.app.safe import md, md_inline
from kg.graphview import render_html
from kg.query import sparql_iri, sparql_literal
from kg.table import PREFIXES, describe_source

AKG = "https://w3id.org/ald-kg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
BIBO_DOI = "http://purl.org/ontology/bibo/doi"

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


def _labelled(fact: Fact) -> bool:
    """A fact whose other end has a name of its own (not only its IRI's path)."""
    return fact.value_label != short_iri(fact.value)


def neighbours(page: EntityPage, *, limit: int = 40) -> list[Entity]:
    """Named entities one step away (not classes, spans or unnamed steps), for the buttons.

    Each neighbour's ``kind`` is the property that links it, which is what the button says.
    """
    seen: dict[str, Entity] = {}
    for fact in (*page.outgoing, *page.incoming):
        if not fact.is_iri or fact.predicate == RDF_TYPE or fact.value in seen:
            continue
        if not _labelled(fact):
            continue
        seen[fact.value] = Entity(iri=fact.value, label=fact.value_label, kind=fact.predicate_label)
        if len(seen) >= limit:
            break
    return list(seen.values())


#: More neighbours than this along one property are drawn as one group node.
GROUP_AT = 6


def neighbourhood(
    page: EntityPage, *, limit: int = 40
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges of the page's entity and its IRI neighbours, for kg.graphview.

    Literal values stay on the page (as facts), not in the picture; classes are drawn so the
    reader sees what a thing is. Where one property links more than :data:`GROUP_AT`
    neighbours (a precursor used by thirty process steps), they become one node "30 × uses
    precursor", so the picture stays readable; the tables list them all.
    """
    centre = page.entity
    nodes: dict[str, dict[str, Any]] = {
        centre.iri: {"id": centre.iri, "label": centre.label, "kind": centre.kind, "centre": True}
    }
    edges: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], list[Fact]] = {}
    for direction, facts in (("out", page.outgoing), ("in", page.incoming)):
        for fact in facts:
            if fact.is_iri:
                groups.setdefault((direction, fact.predicate), []).append(fact)
    for (direction, predicate), facts in groups.items():
        distinct = list({f.value: f for f in facts}.values())
        label = distinct[0].predicate_label
        if len(distinct) > GROUP_AT:
            node_id = f"group:{direction}:{predicate}"
            items = [{"id": node_id, "label": f"{len(distinct)} × {label}", "kind": "group"}]
        else:
            kind = "class" if predicate == RDF_TYPE and direction == "out" else "entity"
            items = [{"id": f.value, "label": f.value_label, "kind": kind} for f in distinct]
        for item in items:
            if item["id"] not in nodes:
                if len(nodes) >= limit:
                    continue
                nodes[item["id"]] = {**item, "centre": False}
            ends = (centre.iri, item["id"]) if direction == "out" else (item["id"], centre.iri)
            edges.append({"source": ends[0], "target": ends[1], "label": label})
    return list(nodes.values()), edges


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


# --------------------------------------------------------------------------- the data sheet

HAS_MEASUREMENT = AKG + "hasMeasurement"
_CARD_PREDICATES = {
    RDF_TYPE,
    SKOS + "prefLabel",
    SKOS + "altLabel",
    RDFS + "label",
    RDFS + "comment",
    SKOS + "definition",
    BIBO_DOI,
}


@dataclass(frozen=True)
class Summary:
    """The card at the top of an entity's page: what it is, its names, a line about it."""

    label: str
    kind: str
    iri: str
    aliases: tuple[str, ...]
    description: str
    doi: str | None


def summary(page: EntityPage) -> Summary:
    out = page.outgoing
    aliases = sorted(
        {f.value for f in out if f.predicate == SKOS + "altLabel"} - {page.entity.label}
    )
    description = next(
        (f.value for f in out if f.predicate in (SKOS + "definition", RDFS + "comment")), ""
    )
    doi = next((f.value for f in out if f.predicate == BIBO_DOI), None)
    return Summary(
        label=page.entity.label,
        kind=page.entity.kind,
        iri=page.entity.iri,
        aliases=tuple(aliases),
        description=description,
        doi=doi_url(doi),
    )


def _sources(fact: Fact) -> str:
    return "; ".join(dict.fromkeys(s["location"] for s in fact.provenance if s["location"]))


def property_frame(page: EntityPage) -> pd.DataFrame:
    """Literal facts (values the entity carries) that the card does not already show."""
    rows = [
        {"property": f.predicate_label, "value": f.value_label, "source": _sources(f)}
        for f in page.outgoing
        if not f.is_iri and f.predicate not in _CARD_PREDICATES
    ]
    return pd.DataFrame(rows, columns=["property", "value", "source"])


def explore_link(iri: str) -> str:
    return link({"tab": "explore", "entity": iri})


def related_frame(page: EntityPage) -> pd.DataFrame:
    """Links to other named entities, both directions, each with a link to its own page.

    Unnamed intermediate nodes (a coating's process or its steps, which a precursor is linked
    to) are left out: the coatings they belong to are listed by name in their own table.
    """
    rows = []
    for direction, facts in (("→", page.outgoing), ("←", page.incoming)):
        for f in facts:
            if not _labelled(f) and direction == "←":
                continue
            if f.is_iri and f.predicate not in (RDF_TYPE, HAS_MEASUREMENT):
                rows.append(
                    {
                        "relation": f"{direction} {f.predicate_label}",
                        "entity": f.value_label,
                        "source": _sources(f),
                        "open": explore_link(f.value),
                    }
                )
    return pd.DataFrame(rows, columns=["relation", "entity", "source", "open"])


MEASUREMENTS_QUERY = """SELECT ?m ?kind ?comparator ?value ?unit ?text ?label WHERE {{
  {node} akg:hasMeasurement ?m .
  OPTIONAL {{ ?m akg:quantityKind ?k . OPTIONAL {{ ?k skos:prefLabel ?kl }} }}
  BIND(COALESCE(?kl, STRAFTER(STR(?k), "/vocab/")) AS ?kind)
  OPTIONAL {{ ?m akg:comparator ?comparator }} OPTIONAL {{ ?m akg:numericValue ?value }}
  OPTIONAL {{ ?m akg:unitText ?unit }} OPTIONAL {{ ?m akg:valueText ?text }}
  OPTIONAL {{ ?m rdfs:label ?label }}
}} ORDER BY ?kind ?value"""


def _conditions(label: str) -> str:
    """The parenthesised conditions of a measurement's label: "(1 mA cm⁻², symmetric)"."""
    match = re.search(r"\(([^()]*)\)\s*$", label)
    return match.group(1) if match else ""


def measurement_frame(store: Selectable, page: EntityPage) -> pd.DataFrame:
    """The entity's measurements: quantity, value with comparator and unit, conditions, source."""
    sources = {f.value: _sources(f) for f in page.outgoing if f.predicate == HAS_MEASUREMENT}
    if not sources:
        return pd.DataFrame(
            columns=["quantity", "value", "unit", "conditions", "as written", "source"]
        )
    query = PREFIXES + MEASUREMENTS_QUERY.format(node=sparql_iri(page.entity.iri))
    rows, seen = [], set()
    for r in store.select(query):
        if r["m"] in seen:
            continue
        seen.add(r["m"])
        comparator = "" if r.get("comparator") in (None, "=") else str(r["comparator"])
        value = r.get("value")
        number = f"{value:g}" if isinstance(value, float) else str(value or "")
        rows.append(
            {
                "quantity": str(r.get("kind") or ""),
                "value": f"{comparator} {number}".strip(),
                "unit": str(r.get("unit") or ""),
                "conditions": _conditions(str(r.get("label") or "")),
                "as written": str(r.get("text") or ""),
                "source": sources.get(r["m"], ""),
            }
        )
    return pd.DataFrame(
        rows, columns=["quantity", "value", "unit", "conditions", "as written", "source"]
    )


COATINGS_OF_QUERY = """SELECT DISTINCT ?c ?p WHERE {{
  ?c a akg:Coating .
  {{ ?c ?p {node} }}
  UNION {{ ?c ?p ?x . ?x ?q {node} FILTER(?q NOT IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, skos:inScheme)) }}
  UNION {{ ?c ?p ?x . ?x ?q ?y . ?y ?r {node}
          FILTER(?q NOT IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, skos:inScheme) && ?r NOT IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, skos:inScheme)) }}
  UNION {{ ?c prov:wasDerivedFrom/akg:document {node} BIND(akg:document AS ?p) }}
  FILTER(?p NOT IN (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>, skos:inScheme, prov:wasDerivedFrom))
}} LIMIT 2000"""


def coatings_of(store: Selectable, iri: str) -> dict[str, str]:
    """Coating IRI → how it reaches ``iri`` (its material, a precursor of its process, …).

    A precursor is three steps from a coating (coating → process → step → precursor); the
    page names the coatings, not the steps in between.
    """
    found: dict[str, str] = {}
    for r in store.select(PREFIXES + COATINGS_OF_QUERY.format(node=sparql_iri(iri))):
        found.setdefault(str(r["c"]), compact(str(r["p"])))
    return found


def coatings_frame(found: dict[str, str], table: pd.DataFrame) -> pd.DataFrame:
    """The coatings that use an entity, by name, with study, year, DOI and a link to each.

    ``table`` is the Compare tab's coatings frame (one row per coating, with study labels).
    """
    columns = ["coating", "technique", "study", "year", "DOI", "doc", "via", "open"]
    if not found or table.empty:
        return pd.DataFrame(columns=columns)
    rows = table[table["coating"].isin(found)].copy()
    rows["via"] = rows["coating"].map(found)
    rows["open"] = rows["coating"].map(explore_link)
    rows["DOI"] = rows["doi"].map(doi_url) if "doi" in rows else None
    material = rows["material"].fillna("unnamed film")  # a study that never names its film
    rows["coating"] = material.astype(str) + " on " + rows["substrate"].astype(str)
    return rows.sort_values(["year", "coating"], na_position="last", kind="stable")[columns]


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
    _sheet(ctx, page)


_LINKS = {
    "open": st.column_config.LinkColumn("open", display_text="open →"),
    "DOI": st.column_config.LinkColumn("DOI", display_text=r"https://doi\.org/(.*)"),
}


def _card(page: EntityPage) -> None:
    card = summary(page)
    with st.container(border=True):
        st.markdown(f"### {md_inline(card.label)}")
        st.caption(f"{md(card.kind)} · {md(card.iri)}")
        if card.aliases:
            st.markdown(f"**Also written** {md(', '.join(card.aliases))}")
        if card.description:
            st.markdown(md(card.description))
        if card.doi:
            st.link_button("DOI: " + md_inline(card.doi.removeprefix("https://doi.org/")), card.doi)


def _table(title: str, frame: pd.DataFrame, key: str) -> None:
    if frame.empty:
        return
    st.markdown(f"**{title}** ({len(frame)})")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=_LINKS, key=key)


def _sheet(ctx: AppContext, page: EntityPage) -> None:
    _card(page)
    if page.provenance:
        with st.expander(f"Where it comes from ({len(page.provenance)})", expanded=False):
            st.html("".join(evidence_html(span) for span in page.provenance))
    _table("Measurements", measurement_frame(ctx.store, page), "explore_measurements")
    _table("Properties", property_frame(page), "explore_properties")
    coatings = coatings_frame(coatings_of(ctx.store, page.entity.iri), ctx.coatings()["frame"])
    _table("Coatings that use it", coatings, "explore_coatings")
    _table("Related", related_frame(page), "explore_related")
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
    left, right = st.columns([3, 2])
    with left:
        nodes, edges = neighbourhood(page)
        st.iframe(render_html(nodes, edges, height=460), height=480)
        st.caption(
            "Neighbourhood: hover a node or an edge for its name, drag to move, double-click to "
            "open. Many neighbours of one kind are drawn as one grey node."
        )
    with right:
        st.markdown("**Neighbours**")
        for i, other in enumerate(neighbours(page, limit=20)):
            st.button(
                f"{md_inline(other.kind)} → {md_inline(other.label)}",
                key=f"nb_{i}_{other.iri}",
                on_click=_goto,
                args=(other.iri,),
            )
