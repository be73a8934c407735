"""The Export tab: the whole graph in each format kg.export writes, and the coatings table."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from kg.app.resources import AppContext

#: label → (kg.export format, file name, MIME type)
EXPORTS: dict[str, tuple[str, str, str]] = {
    "Turtle": ("turtle", "ald-kg.ttl", "text/turtle"),
    "N-Triples": ("nt", "ald-kg.nt", "application/n-triples"),
    "N-Quads": ("nquads", "ald-kg.nq", "application/n-quads"),
    "TriG": ("trig", "ald-kg.trig", "application/trig"),
    "JSON-LD": ("json-ld", "ald-kg.jsonld", "application/ld+json"),
    "JSON-LD (named graphs)": ("json-ld-dataset", "ald-kg-dataset.jsonld", "application/ld+json"),
    "RDF/XML": ("xml", "ald-kg.rdf", "application/rdf+xml"),
    "GraphML": ("graphml", "ald-kg.graphml", "application/xml"),
    "GEXF": ("gexf", "ald-kg.gexf", "application/xml"),
}


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


def exporter(store: Any, fmt: str) -> Callable[[], bytes]:
    """A function that writes the whole graph in ``fmt`` when the download is clicked."""

    def generate() -> bytes:
        from kg.export import export

        buffer = io.BytesIO()
        export(store, fmt, buffer)
        return buffer.getvalue()

    return generate


def render(ctx: AppContext) -> None:
    st.subheader("Export the graph")
    st.caption("Files are generated when you click, from the whole graph (every document).")
    cols = st.columns(3)
    for i, (label, (fmt, name, mime)) in enumerate(EXPORTS.items()):
        cols[i % 3].download_button(
            label,
            data=exporter(ctx.store, fmt),
            file_name=name,
            mime=mime,
            key=f"dl_{fmt}",
            on_click="ignore",
        )
    cols[len(EXPORTS) % 3].download_button(
        "Coatings table (CSV)",
        data=lambda: coatings_csv(ctx.coatings()["records"]),
        file_name="coatings.csv",
        mime="text/csv",
        key="dl_coatings_csv",
        on_click="ignore",
    )
