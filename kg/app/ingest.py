"""The Ingest tab: check an upload, preview what it adds, then write it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from ingest.readers import SUFFIXES, reader_for_suffix
from ingest.records import IngestError
from kg.app.common import column_title
from kg.app.resources import AppContext, refresh_after_write
from kg.app.safe import md, md_inline
from kg.pipeline import BuiltDocument, build_upload, decode_text, default_corpus
from kg.store import StoreError
from kg.table import flat_row

#: The upload limit of the Ingest tab (the command line allows more: kg.pipeline.MAX_BYTES).
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = SUFFIXES  # every format `kg ingest` reads


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
    """Read every file into the store through kg.pipeline.ingest (all or nothing).

    Raises:
        IngestError: a file is unreadable; nothing is written.
    """
    from kg.pipeline import ingest

    return list(ingest(paths, store=store).documents)


def add_upload(store: Any, preview: UploadPreview) -> None:
    """Write an upload's graphs (replacing any earlier version of the same documents)."""
    from kg.pipeline import write

    write(preview.documents, store=store)


# --------------------------------------------------------------------------- the tab


def preview_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The preview's coatings table with readable headers (``temperature (°C)``)."""
    frame = pd.DataFrame([flat_row(r) for r in records])
    return frame.rename(columns={c: column_title(c) for c in frame.columns})


def render(ctx: AppContext) -> None:
    st.subheader("Add a document")
    st.caption(
        f"A paper, abstract or export ({', '.join(UPLOAD_SUFFIXES)}; up to "
        f"{UPLOAD_MAX_BYTES // 2**20} MB). "
        "You see what was extracted before anything is written."
    )
    upload = st.file_uploader(
        "Document", type=[s.lstrip(".") for s in UPLOAD_SUFFIXES], key="upload"
    )
    if upload is None:
        return
    try:
        with st.spinner("Reading…"):
            preview = preview_upload(upload.name, upload.getvalue())
    except IngestError as e:
        st.error(f"{md(e)} Nothing was added; the graph is unchanged.")
        return
    cols = st.columns(len(preview.counts))
    for col, (name, value) in zip(cols, preview.counts.items(), strict=True):
        col.metric(name, value)
    for warning in preview.warnings:
        st.warning(md(warning))
    st.dataframe(preview_frame(preview.records), hide_index=True, width="stretch")
    exists = preview.doc_id in ctx.current_documents()
    name = md_inline(preview.doc_id)
    label = f"Replace '{name}' in the graph" if exists else f"Add '{name}' to the graph"
    if st.button(label, key="ingest_add", type="primary"):
        try:
            with ctx.writing() as store:
                add_upload(store, preview)
        except StoreError as e:
            st.error(md(e))
            return
        refresh_after_write()
        st.session_state["flash"] = (
            f"Added {preview.doc_id}: {preview.counts['coatings']} coatings, "
            f"{preview.counts['triples']} triples."
        )
        st.rerun()  # the header's document count and every tab read the new graph


def empty_store_notice(ctx: AppContext) -> None:
    corpus = default_corpus()
    st.warning(
        "The graph is empty. Fill it from the command line with `make run` (or `kg ingest`), "
        f"or ingest the default corpus ({md(corpus)}) here."
    )
    if st.button("Ingest the default corpus", key="ingest_default", type="primary"):
        try:
            with st.spinner("Reading the corpus…"), ctx.writing() as store:
                built = ingest_paths(store, [corpus])
        except (IngestError, StoreError) as e:
            st.error(f"{md(e)} The graph is unchanged.")
            return
        refresh_after_write()
        st.session_state["flash"] = f"Ingested {len(built)} document(s)."
        st.rerun()
