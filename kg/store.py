"""Compatibility: the embedded store now lives in :mod:`kg.stores` (import from there)."""

from kg.errors import StoreError
from kg.stores.base import (
    DEFAULT_STORE,
    DOC_GRAPH_PREFIX,
    doc_graph_iri,
    ensure_ontology,
    graph_to_ntriples,
    literal_to_python,
    store_location,
    term_to_python,
)
from kg.stores.oxigraph import OxigraphStore, open_store

__all__ = [
    "DEFAULT_STORE",
    "DOC_GRAPH_PREFIX",
    "OxigraphStore",
    "StoreError",
    "doc_graph_iri",
    "ensure_ontology",
    "graph_to_ntriples",
    "literal_to_python",
    "open_store",
    "store_location",
    "term_to_python",
]
