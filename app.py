"""Streamlit front end: ask, query, explore, compare, export and ingest the coatings graph.

Thin wiring only: data shaping lives in kg/appdata.py, the graph picture in kg/graphview.py,
questions in kg/ask/, safe SPARQL in kg/query.py. Library exceptions become st.error here.
Run with ``make run`` (builds the graph first) or ``streamlit run app.py``.
"""

from __future__ import annotations

import html
import io
import os
import time
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from ingest.records import IngestError
from kg import appdata
from kg.app.safe import md, md_inline
from kg.graphview import render_html
from kg.pipeline import default_corpus
from kg.query import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    result_to_json,
    run_query,
)
from kg.remote import open_backend
from kg.store import StoreError, store_location
from kg.table import coatings_table, flat_row

TABS = ["Ask", "SPARQL", "Explore", "Compare", "Export", "Ingest"]
EXPORTS = {  # label → (kg.export format, file name, MIME type)
    "Turtle": ("turtle", "ald-kg.ttl", "text/turtle"),
    "N-Triples": ("nt", "ald-kg.nt", "application/n-triples"),
    "N-Quads": ("nquads", "ald-kg.nq", "application/n-quads"),
    "TriG": ("trig", "ald-kg.trig", "application/trig"),
    "JSON-LD": ("json-ld", "ald-kg.jsonld", "application/ld+json"),
    "RDF/XML": ("xml", "ald-kg.rdf", "application/rdf+xml"),
    "GraphML": ("graphml", "ald-kg.graphml", "application/xml"),
    "GEXF": ("gexf", "ald-kg.gexf", "application/xml"),
}

st.set_page_config(page_title="ALD/MLD coatings on alkali-metal anodes", layout="wide")


# --------------------------------------------------------------------------- loaded once


@st.cache_resource(show_spinner="Opening the graph…")
def get_store(location: str, endpoint: str | None) -> Any:
    """One store per location for the whole server: Oxigraph allows one writer per folder."""
    return open_backend(store_path=location, endpoint=endpoint)


@st.cache_resource(show_spinner="Loading the vocabulary…")
def get_vocabulary() -> Any:
    from kg.vocab import load_vocabulary

    return load_vocabulary()


@st.cache_resource(show_spinner="Loading the language pipeline…")
def get_language() -> bool:
    """Build the spaCy pipelines (questions and ingest) once, so no click pays spaCy's ~3 s."""
    from ingest.prose import default_matcher
    from kg.ask import interpret

    interpret("coatings on Li")

    _ = default_matcher().nlp
    return True


@st.cache_data(show_spinner=False, max_entries=8)
def coatings_data(location: str, documents: tuple[str, ...], _store: Any) -> dict[str, Any]:
    """The coatings table and its facets, per store state (the documents it holds)."""
    records = coatings_table(_store)
    return {
        "records": records,
        "frame": appdata.compare_frame(
            records, appdata.coating_facets(_store), appdata.study_labels(_store)
        ),
        "melting": appdata.melting_points(_store),
    }


@st.cache_data(show_spinner=False, max_entries=256)
def answer_for(question: str, location: str, documents: tuple[str, ...], _store: Any) -> Any:
    """A question's answer per store state: a bookmarked or repeated question costs nothing."""
    from kg.ask import ask

    return ask(question, _store)


def refresh_after_write() -> None:
    """Forget cached tables after the graph changed (a document may keep its id)."""
    coatings_data.clear()
    answer_for.clear()
    try:
        from kg.search import clear_cache
    except ImportError:
        return
    clear_cache()


def open_or_stop() -> Any:
    try:
        return get_store(str(store_location()), os.environ.get("KG_ENDPOINT") or None)
    except StoreError as e:
        st.error(md(e))
        st.stop()


# --------------------------------------------------------------------------- callbacks


def _set_question(text: str) -> None:
    st.session_state["question"] = text
    st.query_params["q"] = text


def _question_changed() -> None:
    text = st.session_state.get("question", "").strip()
    if text:
        st.query_params["q"] = text
    elif "q" in st.query_params:
        del st.query_params["q"]


def _open_in_sparql(sparql: str) -> None:
    st.session_state["sparql_text"] = sparql
    st.session_state["sparql_example"] = None
    st.session_state["tab"] = "SPARQL"
    st.session_state["sparql_note"] = "The query from the Ask tab is in the editor: press Run."


def _example_chosen() -> None:
    name = st.session_state.get("sparql_example")
    if name:
        st.session_state["sparql_text"] = appdata.editor_text(name)


def _goto_entity(iri: str) -> None:
    st.session_state["entity"] = iri
    st.query_params["entity"] = iri


def _entity_picked() -> None:
    picked = st.session_state.get("entity_pick")
    if picked is not None:
        _goto_entity(picked.iri)


# --------------------------------------------------------------------------- tabs


def ask_tab(store: Any) -> None:
    st.subheader("Ask the literature")
    st.caption("Try an example:")
    with st.container(horizontal=True):
        for i, example in enumerate(appdata.EXAMPLE_QUESTIONS):
            st.button(example, key=f"example_{i}", on_click=_set_question, args=(example,))
    question = st.text_input(
        "Question",
        key="question",
        on_change=_question_changed,
        placeholder="e.g. coatings stable over 1000 h on Na",
    ).strip()
    if not question:
        st.caption("Type a question or click an example. The question is kept in the URL (?q=…).")
        return
    started = time.perf_counter()
    try:
        answer = answer_for(question, str(store_location()), tuple(store.documents()), store)
    except QueryError as e:
        st.error(f"Could not answer: {md(e)}")
        return
    elapsed = (time.perf_counter() - started) * 1000
    if getattr(answer, "mode", "structured") == "keyword":
        st.warning(
            "The question was not understood as a structured query: these rows come from "
            "keyword search over the source text."
        )
    st.info(f"**Understood:** {md(answer.interpretation)}")
    frame = appdata.answer_frame(answer.columns, answer.rows)
    st.markdown(f"**{len(frame)} row(s)** · {elapsed:.0f} ms")
    st.dataframe(frame, hide_index=True, width="stretch")
    if answer.sparql:
        with st.expander("Generated SPARQL", expanded=False):
            st.code(answer.sparql, language="sparql")
            st.button(
                "Open in SPARQL tab",
                key="open_in_sparql",
                on_click=_open_in_sparql,
                args=(answer.sparql,),
            )
    evidence = list(getattr(answer, "evidence", []) or [])
    if evidence:
        with st.expander(f"Evidence ({len(evidence)})", expanded=True):
            st.html("".join(appdata.evidence_html(item) for item in evidence))


def sparql_tab(store: Any) -> None:
    st.subheader("SPARQL")
    note = st.session_state.pop("sparql_note", None)
    if note:
        st.info(note)
    if "sparql_text" not in st.session_state:
        st.session_state["sparql_text"] = appdata.editor_text(None)
    st.selectbox(
        "Example queries",
        list(appdata.NAMED_QUERIES),
        index=None,
        key="sparql_example",
        placeholder="Choose an example…",
        on_change=_example_chosen,
    )
    text = st.text_area(
        "Query (read-only: updates, SERVICE and LOAD are refused)", key="sparql_text", height=380
    )
    if st.button("Run", key="sparql_run", type="primary"):
        try:
            st.session_state["sparql_result"] = run_query(
                store, text, timeout_s=10.0, max_rows=1000
            )
        except QueryRefused as e:
            st.session_state.pop("sparql_result", None)
            st.error(md(e))
        except QuerySyntaxError as e:
            st.session_state.pop("sparql_result", None)
            where = f" (line {e.line}, column {e.column})" if e.line else ""
            st.error(f"Syntax error{where}: {md(e)}")
        except QueryTimeout as e:
            st.session_state.pop("sparql_result", None)
            st.error(md(e))
        except QueryError as e:
            st.session_state.pop("sparql_result", None)
            st.error(f"The query failed: {md(e)}")
    result = st.session_state.get("sparql_result")
    if result is None:
        return
    if result.form == "ASK":
        st.success(f"ASK → {result.boolean}")
        return
    if result.truncated:
        st.warning(
            f"Only the first {len(result.rows)} rows are shown: the result was truncated. Add LIMIT or narrow the query."
        )
    st.caption(f"{len(result.rows)} row(s) in {result.elapsed_ms:.0f} ms")
    st.dataframe(
        pd.DataFrame(
            [{c: appdata.cell_text(r.get(c)) for c in result.columns} for r in result.rows],
            columns=result.columns,
        ),
        hide_index=True,
        width="stretch",
    )
    if result.triples_nt:
        with st.expander("N-Triples"):
            st.code(result.triples_nt[:20000])
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download CSV",
        appdata.rows_csv(result.columns, result.rows),
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


def explore_tab(store: Any) -> None:
    st.subheader("Explore an entity")
    found = st.text_input(
        "Find by label or alias", key="entity_find", placeholder="e.g. NaAlOx, TMA, Luo"
    )
    matches = appdata.find_entities(store, found) if found.strip() else []
    if found.strip() and not matches:
        st.info(
            f"Nothing is labelled like '{md(found)}'. Try a formula (Al2O3), a precursor (TMA) or an author."
        )
    if matches:
        st.selectbox(
            f"{len(matches)} match(es)",
            matches,
            index=None,
            format_func=lambda e: e.title,
            key="entity_pick",
            placeholder="Choose one…",
            on_change=_entity_picked,
        )
    iri = st.session_state.get("entity")
    if iri is None and matches:
        iri = matches[0].iri
    if iri is None:
        st.caption("Search for a material, precursor, study or coating to see every fact about it.")
        return
    try:
        page = appdata.entity_page(store, iri)
    except ValueError as e:
        st.error(f"Not an entity IRI: {md(e)}")
        return
    st.markdown(f"### {md_inline(page.entity.label)}")
    st.caption(f"{md(page.entity.kind)} · {md(page.entity.iri)}")
    if page.provenance:
        with st.expander(f"Where it comes from ({len(page.provenance)})", expanded=True):
            st.html("".join(appdata.evidence_html(span) for span in page.provenance))
    left, right = st.columns([5, 4])
    with left:
        st.markdown("**Facts about it**")
        st.dataframe(appdata.facts_frame(page.outgoing), hide_index=True, width="stretch")
        st.markdown("**Facts pointing to it**")
        st.dataframe(
            appdata.facts_frame(page.incoming, incoming=True), hide_index=True, width="stretch"
        )
        with_prov = [f for f in (*page.outgoing, *page.incoming) if f.provenance]
        if with_prov:
            with st.expander(f"Source text of {len(with_prov)} linked fact(s)"):
                st.html(
                    "".join(
                        f"<p><b>{html.escape(f.predicate_label)}: {html.escape(f.value_label)}</b></p>"
                        + "".join(appdata.evidence_html(s) for s in f.provenance)
                        for f in with_prov
                    )
                )
    with right:
        nodes, edges = appdata.neighbourhood(page)
        st.iframe(render_html(nodes, edges, height=440), height=460)
        st.caption(
            "Neighbourhood: drag nodes, hover for names, click to highlight, double-click to open."
        )
        st.markdown("**Neighbours**")
        for i, other in enumerate(appdata.neighbours(page, limit=30)):
            st.button(
                f"{md_inline(other.kind)} → {md_inline(other.label)}",
                key=f"nb_{i}_{other.iri}",
                on_click=_goto_entity,
                args=(other.iri,),
            )


def compare_tab(store: Any, data: dict[str, Any]) -> None:
    st.subheader("Compare coatings")
    frame: pd.DataFrame = data["frame"]
    options = appdata.filter_options(frame)
    c = st.columns(3)
    substrates = c[0].multiselect("Substrate", options["substrate"], key="f_substrate")
    techniques = c[1].multiselect("Technique", options["technique"], key="f_technique")
    classes = c[2].multiselect("Material class", options["material_class"], key="f_class")
    c = st.columns(3)
    families = c[0].multiselect("Electrolyte family", options["electrolyte_family"], key="f_family")
    cells = c[1].multiselect("Cell type", options["cell_types"], key="f_cell")
    years = None
    if options["years"] and options["years"][0] < options["years"][1]:
        years = c[2].slider("Year", *options["years"], value=options["years"], key="f_years")
    filters = appdata.Filters(
        tuple(substrates), tuple(techniques), tuple(classes), tuple(families), tuple(cells), years
    )
    shown = appdata.apply_filters(frame, filters)
    st.markdown(f"**{len(shown)} of {len(frame)} coatings**")
    st.dataframe(appdata.display_frame(shown), hide_index=True, width="stretch")
    if shown.empty:
        return
    colours = appdata.technique_colours(shown["technique"].dropna().unique())
    points = appdata.duration_vs_thickness(shown)
    if not points.empty:
        fig = px.scatter(
            points,
            x="thickness_value",
            y="cycling_h",
            color="technique",
            color_discrete_map=colours,
            facet_col="substrate",
            hover_data=["material", "study"],
            log_y=True,
            labels={
                "thickness_value": "coating thickness (nm)",
                "cycling_h": "cycling duration (h)",
            },
        )
        st.plotly_chart(fig, key="plot_duration")
        st.caption(
            f"Longest reported cycling duration against coating thickness for {len(points)} coatings "
            "that report both, coloured by deposition technique, one panel per substrate (log scale)."
        )
    temps = appdata.temperatures_by_substrate(shown, data["melting"])
    if not temps.empty:
        order = sorted(temps["substrate"].unique())
        fig = px.strip(
            temps,
            x="technique",
            y="temperature_C",
            color="technique",
            color_discrete_map=colours,
            facet_col="substrate",
            category_orders={"substrate": order},
            hover_data=["material", "study"],
            labels={"temperature_C": "deposition temperature (°C)"},
        )
        for i, substrate in enumerate(order, start=1):
            mp = data["melting"].get(substrate)
            if mp is not None:
                fig.add_hline(
                    y=mp,
                    row=1,
                    col=i,
                    line_dash="dash",
                    line_color="red",
                    annotation_text=f"{substrate} melts at {mp:g} °C",
                    annotation_position="top left",
                )
        st.plotly_chart(fig, key="plot_temperature")
        st.caption(
            "Deposition temperatures per substrate; the dashed red line is the metal's melting point "
            "(from the vocabulary), above which a process would melt the anode."
        )
    counts = appdata.counts_per_year(shown)
    if not counts.empty:
        fig = px.bar(
            counts,
            x="year",
            y="coatings",
            color="substrate",
            labels={"coatings": "coatings reported"},
        )
        fig.update_xaxes(dtick=1)
        st.plotly_chart(fig, key="plot_years")
        st.caption(
            "Coatings reported per publication year of the cited study, stacked by substrate."
        )


def export_tab(store: Any, data: dict[str, Any]) -> None:
    st.subheader("Export the graph")
    st.caption("Files are generated when you click, from the whole graph (every document).")
    cols = st.columns(3)
    for i, (label, (fmt, name, mime)) in enumerate(EXPORTS.items()):
        cols[i % 3].download_button(
            label,
            data=_exporter(store, fmt),
            file_name=name,
            mime=mime,
            key=f"dl_{fmt}",
            on_click="ignore",
        )
    cols[len(EXPORTS) % 3].download_button(
        "Coatings table (CSV)",
        data=lambda: appdata.coatings_csv(data["records"]),
        file_name="coatings.csv",
        mime="text/csv",
        key="dl_coatings_csv",
        on_click="ignore",
    )


def _exporter(store: Any, fmt: str) -> Any:
    def generate() -> bytes:
        from kg.export import export

        buffer = io.BytesIO()
        export(store, fmt, buffer)
        return buffer.getvalue()

    return generate


def ingest_tab(store: Any) -> None:
    st.subheader("Add a document")
    st.caption(
        f"A paper, abstract or export ({', '.join(appdata.UPLOAD_SUFFIXES)}; up to "
        f"{appdata.UPLOAD_MAX_BYTES // 2**20} MB). "
        "You see what was extracted before anything is written."
    )
    upload = st.file_uploader(
        "Document", type=[s.lstrip(".") for s in appdata.UPLOAD_SUFFIXES], key="upload"
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with st.spinner("Reading…"):
            preview = appdata.preview_upload(upload.name, data)
    except IngestError as e:
        st.error(f"{md(e)} Nothing was added; the graph is unchanged.")
        return
    counts = preview.counts
    cols = st.columns(len(counts))
    for col, (name, value) in zip(cols, counts.items(), strict=True):
        col.metric(name, value)
    for warning in preview.warnings:
        st.warning(md(warning))
    st.dataframe(
        pd.DataFrame([flat_row(r) for r in preview.records]), hide_index=True, width="stretch"
    )
    exists = preview.doc_id in store.documents()
    label = (
        f"Replace '{md_inline(preview.doc_id)}' in the graph"
        if exists
        else f"Add '{md_inline(preview.doc_id)}' to the graph"
    )
    if st.button(label, key="ingest_add", type="primary"):
        try:
            appdata.add_upload(store, preview)
        except StoreError as e:
            st.error(md(e))
            return
        refresh_after_write()
        st.success(
            f"Added {md(preview.doc_id)}: {counts['coatings']} coatings, {counts['triples']} triples."
        )


def empty_store_notice(store: Any) -> None:
    corpus = default_corpus()
    st.warning(
        "The graph is empty. Fill it from the command line with `make run` (or `kg ingest`), "
        f"or ingest the default corpus ({md(corpus)}) here."
    )
    if st.button("Ingest the default corpus", key="ingest_default", type="primary"):
        try:
            with st.spinner("Reading the corpus…"):
                built = appdata.ingest_paths(store, [corpus])
        except (IngestError, StoreError) as e:
            st.error(f"{md(e)} The graph is unchanged.")
            return
        refresh_after_write()
        st.success(f"Ingested {len(built)} document(s).")
        st.rerun()


# --------------------------------------------------------------------------- page


def main() -> None:
    store = open_or_stop()
    get_vocabulary()
    get_language()
    if "q_loaded" not in st.session_state:
        st.session_state["q_loaded"] = True
        if st.query_params.get("q"):
            st.session_state["question"] = st.query_params["q"]
        if st.query_params.get("entity"):
            st.session_state["entity"] = st.query_params["entity"]
            st.session_state["tab"] = "Explore"
    documents = tuple(store.documents())
    st.title("ALD/MLD coatings on alkali-metal anodes")
    st.caption(f"{md(store.description)} · {len(documents)} document(s)")
    if not documents:
        empty_store_notice(store)
    data = coatings_data(str(store_location()), documents, store)
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    renderers = [
        lambda: ask_tab(store),
        lambda: sparql_tab(store),
        lambda: explore_tab(store),
        lambda: compare_tab(store, data),
        lambda: export_tab(store, data),
        lambda: ingest_tab(store),
    ]
    for tab, render in zip(tabs, renderers, strict=True):
        with tab:
            # Only the open tab runs, so an interaction costs one tab's work, not six.
            if tab.open is not False:
                render()


main()
