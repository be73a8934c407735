"""Where the graph lives, behind one :class:`Store` protocol.

- :mod:`kg.stores.oxigraph`: embedded Oxigraph on disk (default) or in memory, with its
  killable query worker and the writer/reader coordination of :mod:`kg.stores.locking`;
- :mod:`kg.stores.remote`: any SPARQL 1.1 server;
- :mod:`kg.stores.replica`: an in-memory copy of the disk store for long-lived readers;
- :mod:`kg.stores.server`: ``kg serve``, our own read-only endpoint.

Open stores with :func:`open_backend` (writers) or :func:`open_reader` (readers).
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import StoreBusy, StoreError
from kg.stores.base import (
    DEFAULT_STORE,
    DOC_GRAPH_PREFIX,
    QueryResult,
    Store,
    doc_graph_iri,
    ensure_ontology,
    graph_to_ntriples,
    has_store,
    literal_to_python,
    store_location,
    term_to_python,
)
from kg.stores.locking import Notify
from kg.stores.oxigraph import OxigraphStore, open_store

__all__ = [
    "DEFAULT_STORE",
    "DOC_GRAPH_PREFIX",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "StoreBusy",
    "StoreError",
    "doc_graph_iri",
    "ensure_ontology",
    "graph_to_ntriples",
    "has_store",
    "literal_to_python",
    "open_backend",
    "open_reader",
    "open_store",
    "store_location",
    "term_to_python",
]


def open_backend(
    store_path: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    memory: bool = False,
    read_only: bool = False,
    notify: Notify | None = None,
) -> Store:
    """The store to use: a server when ``endpoint`` or ``$KG_ENDPOINT`` is set, else embedded.

    ``read_only`` opens an existing on-disk store as a reader: it never waits for a writer
    (it reads the state before the write in progress). A writer waits for another writer,
    telling ``notify`` once.
    """
    url = endpoint or os.environ.get("KG_ENDPOINT")
    if url and not memory:
        from kg.stores.remote import RemoteStore

        return RemoteStore(url)
    if read_only and not memory:
        location = store_location(store_path)
        if not has_store(location):
            raise StoreError(f"No graph at {location} yet. Run `kg ingest` first.")
        return open_store(location, read_only=True, notify=notify)
    return open_store(store_path, memory=memory, notify=notify)


def open_reader(
    store_path: str | os.PathLike[str] | None = None,
    *,
    endpoint: str | None = None,
    replica: bool = True,
) -> Store:
    """A read-only store for long-lived readers (the app): the in-memory replica of the disk
    store (reloaded when a writer commits; the disk itself when over the memory budget), or
    the remote endpoint. It holds no file open between calls, so writers never wait for it.
    """
    url = endpoint or os.environ.get("KG_ENDPOINT")
    if url:
        from kg.stores.remote import RemoteStore

        return RemoteStore(url)
    from kg.stores.replica import ReplicaStore

    location = Path(store_location(store_path))
    if not replica:
        return open_store(location, read_only=True)
    return ReplicaStore(location)
