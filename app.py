"""Streamlit front end: ask, query, explore, compare, list, export and ingest the coatings graph.

Wiring only: each tab is a module of kg/app/ (``render(ctx)``), the URL state is
kg/app/links.py, the cached store and tables kg/app/resources.py. Every view is a link: the
address bar always holds the open tab and its state, and opening that link shows the same view.
Run with ``make run`` (builds the graph first) or ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from kg.app import ask, compare, documents, explore, export, ingest, links, sparql
from kg.app.resources import open_context
from kg.app.safe import md

RENDERERS = {
    "Ask": ask.render,
    "SPARQL": sparql.render,
    "Explore": explore.render,
    "Compare": compare.render,
    "Documents": documents.render,
    "Export": export.render,
    "Ingest": ingest.render,
}

st.set_page_config(page_title="ALD/MLD coatings on alkali-metal anodes", layout="wide")


def main() -> None:
    links.restore()
    ctx = open_context()
    st.title("ALD/MLD coatings on alkali-metal anodes")
    head, share = st.columns([5, 1], vertical_alignment="center")
    head.caption(f"{md(ctx.store.description)} · {len(ctx.documents)} document(s)")
    flash = st.session_state.pop("flash", None)
    if flash:
        st.success(md(flash))
    if not ctx.documents:
        ingest.empty_store_notice(ctx)
    tabs = st.tabs(list(links.TABS), key="tab", on_change="rerun")
    for name, tab in zip(links.TABS, tabs, strict=True):
        with tab:
            # Only the open tab runs, so an interaction costs one tab's work, not seven.
            if tab.open is not False:
                RENDERERS[name](ctx)
    current = st.session_state.get("tab") or links.TABS[0]
    links.copy_link(share, links.publish(current))


main()
