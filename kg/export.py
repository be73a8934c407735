"""Take the graph to other tools: RDF files for Protégé and SPARQL servers, GraphML/GEXF for
Gephi, CSV node and edge lists for spreadsheets and Neo4j, Cytoscape.js JSON.

RDF formats come from pyoxigraph's serializers (``store.dump``), which are fast at a million
triples; Turtle and TriG are written again with the project's ``@prefix`` lines so people can
read them. JSON-LD goes through rdflib, compacted against an inline ``@context`` of those
prefixes (never a remote one): ``json-ld`` is one document of the merged graph, which
``rdflib.Graph().parse`` loads whole; ``json-ld-dataset`` keeps the named graphs. The graph formats turn
IRIs and blank nodes into nodes and keep literals as string attributes of their subject, so two
subjects that share a value are not joined through a literal node (which is what
``rdflib_to_networkx_*`` would do).

Triple formats (turtle, nt, xml, json-ld) and the graph formats merge every named graph into
one graph; nquads, trig and json-ld-dataset keep the graphs. ``csv`` writes a zip archive holding ``nodes.csv``
and ``edges.csv``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.query import DEFAULT_PREFIXES

if TYPE_CHECKING:
    from kg.remote import RemoteStore
    from kg.store import OxigraphStore

#: Export format name → usual file extension (the CLI's default file name).
FORMATS: dict[str, str] = {
    "turtle": "ttl",
    "nt": "nt",
    "nquads": "nq",
    "trig": "trig",
    "json-ld": "jsonld",
    "json-ld-dataset": "jsonld",
    "xml": "rdf",
    "graphml": "graphml",
    "gexf": "gexf",
    "csv": "zip",
    "cytoscape": "cyjs",
}

_RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
}

_RDF_TYPE = DEFAULT_PREFIXES["rdf"] + "type"
_LABELS = (DEFAULT_PREFIXES["rdfs"] + "label", DEFAULT_PREFIXES["skos"] + "prefLabel")
_JOIN = " | "


class ExportError(Exception):
    """The export cannot be written; the message says what to try."""


def export(
    store: OxigraphStore | RemoteStore, fmt: str, out: BinaryIO | str | os.PathLike[str]
) -> None:
    """Write the whole store in format ``fmt`` (one of :data:`FORMATS`) to a binary stream or path.

    Raises:
        ExportError: unknown format, or ``out`` cannot be written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}'. Try one of: {', '.join(FORMATS)}.")
    data = _render(store, fmt)
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        if path.is_dir():
            raise ExportError(
                f"{path} is a folder. Give a file name such as {path / ('graph.' + FORMATS[fmt])}."
            )
        try:
            path.write_bytes(data)
        except OSError as e:
            raise ExportError(f"Cannot write {path}: {e}") from e
    else:
        out.write(data)


#: Formats written again with prefixes (pyoxigraph's dump has none).
_PREFIXED = {"turtle", "trig"}


def _render(store: OxigraphStore | RemoteStore, fmt: str) -> bytes:
    if fmt in _PREFIXED:
        rdf_format = _RDF_FORMATS[fmt]
        quads = ox.parse(store.dump(rdf_format), format=rdf_format)
        return ox.serialize(quads, format=rdf_format, prefixes=DEFAULT_PREFIXES)
    if fmt in _RDF_FORMATS:
        return store.dump(_RDF_FORMATS[fmt])
    if fmt == "json-ld":
        graph = Graph()
        graph.parse(data=store.dump(ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return _json_ld(graph)
    nquads = store.dump(ox.RdfFormat.N_QUADS)
    if fmt == "json-ld-dataset":
        dataset = Dataset(default_union=True)
        dataset.parse(data=nquads.decode("utf-8"), format="nquads")
        return _json_ld(dataset)
    graph = to_networkx(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer)
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(graph, buffer)
        return buffer.getvalue()
    if fmt == "csv":
        return _csv_zip(graph)
    return json.dumps(cytoscape_json(graph), ensure_ascii=False, indent=1).encode("utf-8")


def _json_ld(graph: Graph | Dataset) -> bytes:
    """Compacted JSON-LD with the project's prefixes as an inline ``@context``."""
    context = dict(DEFAULT_PREFIXES)
    text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=1)
    return text.encode("utf-8")


# --------------------------------------------------------------------------- graph view


def compact(iri: str) -> str:
    """``akg:Coating`` for a project or standard IRI, else the IRI itself."""
    for prefix, base in DEFAULT_PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def _local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def _node_id(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def to_networkx(quads: Iterable[ox.Quad | ox.Triple]) -> nx.MultiDiGraph:
    """A property-graph view of RDF: resources are nodes, literals are their attributes.

    Every attribute value is a string (networkx writers reject other types); several values
    of one property are joined with `` | ``. IRI-valued properties other than ``rdf:type``
    become edges keyed and labelled by their predicate; ``rdf:type`` becomes the ``type``
    attribute (local names) instead of edges into a hub of class nodes.
    """
    attrs: dict[str, dict[str, list[str]]] = {}
    edges: dict[tuple[str, str, str], None] = {}

    def node(term: Any) -> dict[str, list[str]]:
        return attrs.setdefault(_node_id(term), {})

    for quad in quads:
        s, p, o = quad.subject, quad.predicate.value, quad.object
        values = node(s)
        if p == _RDF_TYPE and isinstance(o, ox.NamedNode):
            _add(values, "type", _local_name(o.value))
        elif isinstance(o, ox.NamedNode | ox.BlankNode):
            node(o)
            edges[(_node_id(s), _node_id(o), p)] = None
        else:
            text = o.value if isinstance(o, ox.Literal) else str(o)
            _add(values, compact(p), text)
            if p in _LABELS:
                _add(values, "label", text)

    graph = nx.MultiDiGraph()
    for node_id, values in attrs.items():
        data = {key: _JOIN.join(vals) for key, vals in values.items()}
        data.setdefault("label", _local_name(node_id))
        data.setdefault("type", "")
        graph.add_node(node_id, **data)
    for source, target, predicate in edges:
        graph.add_edge(source, target, key=predicate, predicate=predicate, label=compact(predicate))
    return graph


def _add(values: dict[str, list[str]], key: str, text: str) -> None:
    bucket = values.setdefault(key, [])
    if text not in bucket:
        bucket.append(text)


def cytoscape_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js ``elements`` JSON (loads with ``cy.add(json.elements)`` or Cytoscape desktop)."""
    # `value` too, so networkx.cytoscape_graph reads the file back.
    nodes = [{"data": {"id": n, "value": n, **data}} for n, data in graph.nodes(data=True)]
    edges = [
        {"data": {"id": f"e{i}", "source": s, "target": t, **data}}
        for i, (s, t, data) in enumerate(graph.edges(data=True))
    ]
    return {
        "format_version": "1.0",
        "data": {},
        "directed": True,
        "multigraph": True,
        "elements": {"nodes": nodes, "edges": edges},
    }


def _csv_zip(graph: nx.MultiDiGraph) -> bytes:
    """``nodes.csv`` (id, label, type, then one column per literal property) and ``edges.csv``."""
    keys = sorted({k for _, data in graph.nodes(data=True) for k in data} - {"label", "type"})
    nodes = io.StringIO()
    writer = csv.writer(nodes)
    writer.writerow(["id", "label", "type", *keys])
    for n, data in graph.nodes(data=True):
        writer.writerow([n, data["label"], data["type"], *(data.get(k, "") for k in keys)])
    edges = io.StringIO()
    writer = csv.writer(edges)
    writer.writerow(["source", "target", "predicate", "label"])
    for s, t, data in graph.edges(data=True):
        writer.writerow([s, t, data["predicate"], data["label"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes.getvalue())
        archive.writestr("edges.csv", edges.getvalue())
    return buffer.getvalue()
