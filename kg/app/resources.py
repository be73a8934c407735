"""What the app loads once per server (the store, the vocabulary, spaCy) and caches per store state.

The app only reads the store (:func:`kg.stores.open_reader`: the in-memory replica, reloaded
when a writer commits), so `kg ingest` can write while the app is open and the app never
fails while it does. A change made in the app (an upload, a removal) opens a writer for that
change alone (:meth:`AppContext.writing`). Questions and SPARQL are answered by the service
process of :mod:`kg.app.service`, within their time limits.

The cached tables are keyed by the documents the store holds, so adding or removing one
shows at once without a manual refresh. Library errors become ``st.error`` only here and in
the tab modules, never below ``kg.app``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from kg.app.safe import md
from kg.app.service import QueryService
from kg.store import StoreError, store_location
from kg.stores import OxigraphStore, has_store, open_backend, open_reader
from kg.table import coatings_table

#: Seconds a change made in the app waits for another writer (`kg ingest`) before saying so.
WRITE_WAIT_S = 10.0
#: Service processes kept at once (one per store; more only when one server shows several).
MAX_SERVICES = 2
_services: dict[tuple[str, str | None], QueryService] = {}
_services_lock = threading.Lock()


@st.cache_resource(show_spinner="Opening the graph…")
def get_store(location: str, endpoint: str | None) -> Any:
    """One read-only store per location for the whole server (it holds no file open)."""
    if not endpoint and not has_store(location):
        with OxigraphStore(Path(location), wait_s=WRITE_WAIT_S):
            pass  # an empty store, so the page can offer to fill it
    return open_reader(location, endpoint=endpoint)


def get_service(location: str, endpoint: str | None) -> QueryService:
    """The question service of a store (the oldest of more than MAX_SERVICES is stopped)."""
    key = (location, endpoint)
    with _services_lock:
        service = _services.pop(key, None) or QueryService(location, endpoint)
        _services[key] = service
        while len(_services) > MAX_SERVICES:
            _services.pop(next(iter(_services))).close()
    return service


@st.cache_resource(show_spinner="Loading the vocabulary…")
def get_vocabulary() -> Any:
    from kg.vocab import load_vocabulary

    return load_vocabulary()


@st.cache_resource(show_spinner="Loading the language pipeline…")
def get_language() -> bool:
    """Build ingest's spaCy pipeline once, so no upload pays spaCy's ~3 s (questions are
    read by the service process, which builds its own)."""
    from ingest.prose import default_matcher

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
def answer_for(
    question: str, location: str, documents: tuple[str, ...], _service: QueryService
) -> Any:
    """A question's answer per store state: a bookmarked or repeated question costs nothing.

    Raises:
        QueryError (QuestionError, QueryTimeout…), StoreError: not cached, so asked again.
    """
    return _service.ask(question)


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
    """What every tab gets: the store (read-only), where it is, and the documents it held at
    page start."""

    store: Any
    location: str
    documents: tuple[str, ...]
    endpoint: str | None = None

    @property
    def service(self) -> QueryService:
        """Where questions and SPARQL are answered, within their time limits."""
        return get_service(self.location, self.endpoint)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Any]:
        """A writer for one change, closed (committed) at once: readers then see the change
        and `kg ingest` can write again.

        Raises:
            StoreBusy: another process has been writing for over WRITE_WAIT_S seconds.
        """
        if self.endpoint:
            yield open_backend(endpoint=self.endpoint)
            return
        with OxigraphStore(Path(self.location), wait_s=WRITE_WAIT_S) as store:
            yield store

    def coatings(self) -> dict[str, Any]:
        return coatings_data(self.location, self.documents, self.store)

    def current_documents(self) -> tuple[str, ...]:
        """The documents now (after a write in this run), for counts that must be fresh."""
        return tuple(self.store.documents())


def open_context() -> AppContext:
    """Open the store (or stop the page with a message saying what to do)."""
    location = str(store_location())
    endpoint = os.environ.get("KG_ENDPOINT") or None
    try:
        store = get_store(location, endpoint)
        get_vocabulary()
        get_language()
        documents = tuple(store.documents())
        return AppContext(store=store, location=location, documents=documents, endpoint=endpoint)
    except StoreError as e:
        st.error(md(e))
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers so
