"""Where the graph lives: embedded Oxigraph on disk (default), in memory, or (see remote.py) a
SPARQL 1.1 server.

The only module (with remote.py) that touches disk or network. One named graph per document:
re-ingesting a document replaces that graph in a single transaction (one SPARQL Update), so a
failure midway leaves the store exactly as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.namespaces import AKG, BASE, ONTOLOGY_GRAPH

DEFAULT_STORE = Path(".kg")
DOC_GRAPH_PREFIX = BASE + "graph/doc/"


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to try."""


def store_location(path: str | os.PathLike[str] | None = None) -> Path:
    """The on-disk store: ``--store PATH``, else ``$KG_STORE``, else ``.kg/``."""
    if path:
        return Path(path)
    env = os.environ.get("KG_STORE")
    return Path(env) if env else DEFAULT_STORE


def doc_graph_iri(doc_id: str) -> str:
    return DOC_GRAPH_PREFIX + doc_id


def graph_to_ntriples(graph: Graph) -> str:
    return graph.serialize(format="nt")


def literal_to_python(value: str, datatype: str) -> Any:
    """A literal's lexical value as a Python number or bool where its datatype says so.

    >>> literal_to_python("42", "http://www.w3.org/2001/XMLSchema#integer")
    42
    """
    if datatype.endswith(("#integer", "#int", "#long", "#gYear")):
        try:
            return int(value)
        except ValueError:
            return value
    if datatype.endswith(("#double", "#decimal", "#float")):
        try:
            return float(value)
        except ValueError:
            return value
    if datatype.endswith("#boolean"):
        return value in ("true", "1")
    return value


def term_to_python(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value (numbers as numbers, IRIs as strings)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literal_to_python(term.value, term.datatype.value if term.datatype else "")
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


@dataclass
class OxigraphStore:
    """An embedded Oxigraph store, on disk at ``path`` or in memory when ``path`` is None."""

    path: Path | None = None
    read_only: bool = False

    def __post_init__(self) -> None:
        try:
            if self.path is None:
                self._store = ox.Store()
            elif self.read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as e:
            raise StoreError(
                f"Cannot open the store at {self.path}: {e}. "
                "Is another `kg` process writing to it? Try --store with another folder."
            ) from e

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for the query worker and exports."""
        return self._store

    @property
    def description(self) -> str:
        return "in-memory Oxigraph" if self.path is None else f"Oxigraph at {self.path}"

    # ------------------------------------------------------------------ writes

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Replace one named graph with the given N-Triples, atomically."""
        update = f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{ntriples}\n}} }}"
        try:
            self._store.update(update)
            self._store.flush()
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"Could not write graph <{graph_iri}>: {e}") from e

    def replace_document(self, doc_id: str, graph: Graph) -> None:
        self.replace_graph(doc_graph_iri(doc_id), graph_to_ntriples(graph))

    def remove_graph(self, graph_iri: str) -> bool:
        node = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(node):
            return False
        self._store.update(f"DROP GRAPH <{graph_iri}>")
        return True

    def ensure_ontology(self, graph: Graph | None = None) -> None:
        ensure_ontology(self, graph)

    # ------------------------------------------------------------------ reads

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def documents(self) -> list[str]:
        return [g[len(DOC_GRAPH_PREFIX) :] for g in self.graphs() if g.startswith(DOC_GRAPH_PREFIX)]

    def is_empty(self) -> bool:
        return not self.documents()

    def query_raw(self, sparql: str) -> Any:
        """Run a (checked) query over the union of all graphs; pyoxigraph result object."""
        return self._store.query(sparql, use_default_graph_as_union=True)

    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query (internal, generated queries)."""
        return bool(self.query_raw(sparql))

    def select(self, sparql: str) -> Iterator[dict[str, Any]]:
        """Rows of a SELECT as dicts of plain Python values. For internal, generated queries."""
        result = self.query_raw(sparql)
        names = [v.value for v in result.variables]
        for solution in result:
            yield {n: term_to_python(solution[n]) for n in names}

    def dump(self, fmt: ox.RdfFormat, *, graph: str | None = None) -> bytes:
        """Serialize the whole dataset (quad formats) or one graph (triple formats)."""
        if graph is not None:
            return self._store.dump(format=fmt, from_graph=ox.NamedNode(graph))
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return self._store.dump(format=fmt)
        # Triple formats have no graphs: merge every graph into one default graph.
        merged = ox.Store()
        merged.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._store)
        return merged.dump(format=fmt, from_graph=ox.DefaultGraph())

    def count(self) -> int:
        return len(self._store)


def ensure_ontology(store: Any, graph: Graph | None = None) -> None:
    """Load the ontology and vocabulary into ``store``'s ontology graph (any backend).

    Without a graph, the files are parsed and loaded only when the store's copy is stale
    (its digest differs), which keeps a repeated `kg ingest` from paying for it.
    """
    if graph is None:
        from kg.vocab import ontology_digest, ontology_graph

        stamp = f'<{ONTOLOGY_GRAPH}> <{AKG.sha256}> "{ontology_digest()}"'
        if store.ask(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {stamp} }} }}"):
            return
        graph = ontology_graph()
    store.replace_graph(str(ONTOLOGY_GRAPH), graph_to_ntriples(graph))


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    memory: bool = False,
    read_only: bool = False,
) -> OxigraphStore:
    """Open the default embedded store (see :func:`store_location`), or an in-memory one."""
    if memory:
        return OxigraphStore(None)
    return OxigraphStore(store_location(path), read_only=read_only)
