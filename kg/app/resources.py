"""What the app loads once per server (the store, the vocabulary, spaCy) and caches per store state.

The cached tables are keyed by the documents the store holds, so adding or removing one
shows at once without a manual refresh. Library errors become ``st.error`` only here and in
the tab modules, never below ``kg.app``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kg.app.safe import md
from kg.remote import open_backend
from kg.store import StoreError, store_location
from kg.table import coatings_table


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
    from kg.app.compare import (
        coating_facets,
        compare_frame,
        melting_points,
        study_dois,
        study_labels,
    )

    records = coatings_table(_store)
    return {
        "records": records,
        "frame": compare_frame(
            records, coating_facets(_store), study_labels(_store), study_dois(_store)
        ),
        "melting": melting_points(_store),
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


@dataclass(frozen=True)
class AppContext:
    """What every tab gets: the store, where it is, and the documents it held at page start."""

    store: Any
    location: str
    documents: tuple[str, ...]

    def coatings(self) -> dict[str, Any]:
        return coatings_data(self.location, self.documents, self.store)

    def current_documents(self) -> tuple[str, ...]:
        """The documents now (after a write in this run), for counts that must be fresh."""
        return tuple(self.store.documents())


def open_context() -> AppContext:
    """Open the store (or stop the page with a message saying what to do)."""
    location = str(store_location())
    try:
        store = get_store(location, os.environ.get("KG_ENDPOINT") or None)
        get_vocabulary()
        get_language()
        return AppContext(store=store, location=location, documents=tuple(store.documents()))
    except StoreError as e:
        st.error(md(e))
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers so
