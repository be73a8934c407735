"""The Documents tab: every document in the graph with its kind, format, metadata and counts.

Remove asks for confirmation first; afterwards every cached table is refreshed and the
header's document count reads the store again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kg.app.common import Selectable
from kg.app.resources import AppContext, refresh_after_write
from kg.app.safe import md, md_inline
from kg.crossdoc import refresh as refresh_disagreements
from kg.store import DOC_GRAPH_PREFIX, StoreError, doc_graph_iri

DOCUMENTS_QUERY = f"""PREFIX akg: <https://w3id.org/ald-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g (SAMPLE(?t) AS ?title) (SAMPLE(?k) AS ?kind) (SAMPLE(?f) AS ?format)
       (SAMPLE(?file) AS ?fileName) (SAMPLE(?y) AS ?year) (SAMPLE(?when) AS ?added) WHERE {{
  GRAPH ?g {{
    ?doc akg:docId ?id .
    OPTIONAL {{ ?doc dcterms:title ?t }}
    OPTIONAL {{ ?doc akg:documentKind ?k }}
    OPTIONAL {{ ?doc akg:format ?f }}
    OPTIONAL {{ ?doc akg:fileName ?file }}
    OPTIONAL {{ ?doc akg:year|dcterms:issued ?y }}
    OPTIONAL {{ ?doc dcterms:created|prov:generatedAtTime ?when }}
  }}
  FILTER(STRSTARTS(STR(?g), "{DOC_GRAPH_PREFIX}"))
}} GROUP BY ?g ORDER BY ?g"""

COUNTS_QUERY = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
SELECT ?g ({aggregate} AS ?n) WHERE {{
  GRAPH ?g {{ {pattern} }} FILTER(STRSTARTS(STR(?g), "{prefix}"))
}} GROUP BY ?g"""


def _counts(
    store: Selectable, pattern: str, aggregate: str = "COUNT(DISTINCT ?x)"
) -> dict[str, int]:
    """Per document graph, the number of matches of ``pattern`` (distinct ``?x`` by default)."""
    query = COUNTS_QUERY.format(aggregate=aggregate, pattern=pattern, prefix=DOC_GRAPH_PREFIX)
    return {r["g"]: int(r["n"]) for r in store.select(query)}


COLUMNS = ["document", "title", "kind", "format", "file", "year", "coatings", "studies",
           "triples", "added"]  # fmt: skip


def documents_frame(store: Selectable, documents: tuple[str, ...]) -> pd.DataFrame:
    """One row per document the store holds (a document without metadata still gets a row)."""
    triples = _counts(store, "?x ?p ?o", aggregate="COUNT(*)")
    coatings = _counts(store, "?x a akg:Coating")
    studies = _counts(store, "?x a akg:Study")
    meta = {r["g"]: r for r in store.select(DOCUMENTS_QUERY)}
    rows = []
    for doc in documents:
        graph = doc_graph_iri(doc)
        m: dict[str, Any] = meta.get(graph, {})
        rows.append(
            {
                "document": doc,
                "title": str(m.get("title") or ""),
                "kind": str(m.get("kind") or ""),
                "format": str(m.get("format") or ""),
                "file": str(m.get("fileName") or ""),
                "year": str(m.get("year") or ""),
                "coatings": coatings.get(graph, 0),
                "studies": studies.get(graph, 0),
                "triples": triples.get(graph, 0),
                "added": str(m.get("added") or ""),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _ask_to_remove() -> None:
    st.session_state["remove_pending"] = st.session_state.get("remove_pick")


def _cancel_remove() -> None:
    st.session_state.pop("remove_pending", None)


def _remove(ctx: AppContext, doc: str) -> None:
    st.session_state.pop("remove_pending", None)
    try:
        with ctx.writing() as store:
            removed = store.remove_graph(doc_graph_iri(doc))
            refresh_disagreements(store)  # a disagreement with the removed document is gone
    except StoreError as e:
        st.session_state["flash_error"] = str(e)
        return
    refresh_after_write()
    st.session_state["flash"] = (
        f"Removed {doc}." if removed else f"{doc} was not in the graph any more."
    )


def render(ctx: AppContext) -> None:
    st.subheader("Documents in the graph")
    documents = ctx.current_documents()
    if not documents:
        st.info("No documents yet. Add one in the Ingest tab, or with `kg ingest FILE`.")
        return
    frame = documents_frame(ctx.store, documents)
    st.caption(f"{len(frame)} document(s), {int(frame['coatings'].sum())} coatings in all.")
    st.dataframe(frame, hide_index=True, width="stretch", key="documents_table")
    st.markdown("**Remove a document**")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.selectbox("Document", list(documents), index=None, key="remove_pick",
                 placeholder="Choose a document…")  # fmt: skip
    c2.button("Remove…", key="remove_ask", on_click=_ask_to_remove,
              disabled=not st.session_state.get("remove_pick"))  # fmt: skip
    pending = st.session_state.get("remove_pending")
    if pending in documents:
        row = frame[frame["document"] == pending].iloc[0]
        st.warning(
            f"Remove **{md_inline(pending)}** ({row['coatings']} coatings, {row['triples']} "
            "triples) from the graph? Its file is not touched; ingest it again to restore it."
        )
        b1, b2 = st.columns(2)
        b1.button("Yes, remove it", key="remove_confirm", type="primary",
                  on_click=_remove, args=(ctx, pending))  # fmt: skip
        b2.button("Cancel", key="remove_cancel", on_click=_cancel_remove)
    error = st.session_state.pop("flash_error", None)
    if error:
        st.error(md(error))
