"""The Ask tab: a question in words, the answer as a table with its evidence."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kg.app.common import cell_text, column_title, doi_url, evidence_html, rows_csv
from kg.app.links import link
from kg.app.resources import AppContext, answer_for
from kg.app.safe import md
from kg.query import QueryError
from kg.store import StoreError

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "coatings stable over 1000 h on Na",
    "which precursors make LiF?",
    "MLD coatings tested in ether electrolytes",
    "Al2O3 coatings on Li",
    "coatings deposited below 100 °C",
)


#: Answer columns shown first and last; everything else (the values) goes in between.
_ANSWER_FIRST = ("material", "technique", "substrate")
_ANSWER_LAST = ("study", "year", "doc")
_ANSWER_HIDDEN = {
    "evidence",
    "evidence_text",
    "text",
    "location",
    "highlight",
    "coating",
    "ref",
    "reference_year",
    "doi",
    "sources",
    "source",
    "comparator",
    "score",
}


def answer_frame(
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    explore_link: Callable[[dict[str, Any]], str | None] | None = None,
) -> pd.DataFrame:
    """The answer table as the app shows it: what, then the key values, then the study and doc.

    Value columns get their unit in the header and the row's comparator in the cell
    (">1000" under "cycling duration (h)"); the study reads "[94] Luo et al. 2017", with its
    year and a DOI link when known. ``explore_link`` (row → URL) adds an "explore" column
    of links to each row's coating page.
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
        if "year" in record and not record["year"]:
            record["year"] = cell_text(row.get("reference_year"))
        record["DOI"] = doi_url(row.get("doi"))
        if explore_link is not None:
            record["explore"] = explore_link(row)
        records.append(record)
    extra = ["DOI"] + (["explore"] if explore_link is not None else [])
    frame = pd.DataFrame(records, columns=[*order, *extra])
    return frame.rename(columns={c: column_title(c) for c in order})


def coating_index(records: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], str]:
    """(doc, ref, material, substrate) → coating IRI, to link an answer row to its coating."""
    return {
        (r.get("doc"), r.get("ref"), r.get("material"), r.get("substrate")): r["coating"]
        for r in records
    }


def row_coating(row: dict[str, Any], index: dict[tuple[Any, ...], str]) -> str | None:
    """The coating an answer row is about: its own ``coating`` IRI, else found in ``index``."""
    if row.get("coating"):
        return str(row["coating"])
    key = (row.get("doc"), row.get("ref"), row.get("material"), row.get("substrate"))
    return index.get(key)


# --------------------------------------------------------------------------- the tab


def _set_question(text: str) -> None:
    st.session_state["question"] = text


def _open_in_sparql(sparql: str) -> None:
    st.session_state["sparql_text"] = sparql
    st.session_state["sparql_example"] = None
    st.session_state["tab"] = "SPARQL"
    st.session_state["sparql_note"] = "The query from the Ask tab is in the editor: press Run."


def render(ctx: AppContext) -> None:
    ctx.service.start()  # warms up while the page renders; a no-op once it runs
    st.subheader("Ask the literature")
    st.caption("Try an example:")
    with st.container(horizontal=True):
        for i, example in enumerate(EXAMPLE_QUESTIONS):
            st.button(example, key=f"example_{i}", on_click=_set_question, args=(example,))
    question = st.text_input(
        "Question", key="question", placeholder="e.g. coatings stable over 1000 h on Na"
    ).strip()
    if not question:
        st.caption("Type a question or click an example. The question is kept in the link.")
        return
    started = time.perf_counter()
    try:
        with st.spinner("Answering…"):
            answer = answer_for(question, ctx.location, ctx.documents, ctx.service)
    except (QueryError, StoreError) as e:
        st.error(f"Could not answer: {md(e)}")
        return
    elapsed = (time.perf_counter() - started) * 1000
    if getattr(answer, "mode", "structured") == "keyword":
        st.warning(
            "The question was not understood as a structured query: these rows come from "
            "keyword search over the source text."
        )
    st.info(f"**Understood:** {md(answer.interpretation)}")
    _answer_table(ctx, question, answer, elapsed)
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
            st.html("".join(evidence_html(item) for item in evidence))


def _answer_table(ctx: AppContext, question: str, answer: Any, elapsed: float) -> None:
    index = coating_index(ctx.coatings()["records"])

    def explore_link(row: dict[str, Any]) -> str | None:
        iri = row_coating(row, index)
        return link({"tab": "explore", "entity": iri, "q": question}) if iri else None

    frame = answer_frame(answer.columns, answer.rows, explore_link)
    st.markdown(f"**{len(frame)} row(s)** · {elapsed:.0f} ms")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "DOI": st.column_config.LinkColumn("DOI", display_text=r"https://doi\.org/(.*)"),
            "explore": st.column_config.LinkColumn(
                "explore", display_text="open →", help="The coating's page in Explore"
            ),
        },
    )
    if answer.rows:
        _downloads(answer)


def _as_json(answer: Any) -> dict[str, Any]:
    to_json = getattr(answer, "to_json", None)
    return to_json() if to_json else {"columns": answer.columns, "rows": answer.rows}


def _downloads(answer: Any) -> None:
    """The answer table as CSV (the rows as shown) and the whole answer as JSON (the
    contract of ``kg ask --json``: interpretation, rows, evidence), beside the table."""
    import json

    with st.container(horizontal=True):
        st.download_button(
            "Download the answer (CSV)",
            rows_csv(answer.columns, answer.rows),
            file_name="answer.csv",
            mime="text/csv",
        )
        st.download_button(
            "Download the answer (JSON)",
            json.dumps(_as_json(answer), ensure_ascii=False, indent=2, default=str),
            file_name="answer.json",
            mime="application/json",
        )
