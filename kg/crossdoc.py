"""Facts that only exist between documents: where two documents disagree about one coating.

A coating's IRI is shared by every document that reports the same study, material and substrate
(kg.build), each document adding its own measurements in its own named graph. When two documents
give different values of one quantity kind for that coating under compatible conditions (a
review's 900 h, the paper's > 1000 h, both at 1 mA cm⁻²), both stay, and an ``akg:Disagreement``
names the two measurements and their sources. These nodes depend on several documents, so they
live in a graph of their own that :func:`refresh` recomputes from the store after every ingest
or removal; a document's own graph never holds facts about another document.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import XSD

from kg.namespaces import AKG, BASE, ID

#: The named graph of cross-document facts (not a document: `kg docs` does not list it).
CROSS_DOCUMENT_GRAPH = BASE + "graph/derived/cross-document"


class Store(Protocol):
    def select(self, sparql: str) -> Any: ...
    def replace_graph(self, graph_iri: str, ntriples: str) -> None: ...


CONFLICTS = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?c ?kind ?m1 ?m2 ?v1 ?v2 ?t1 ?t2 ?s1 ?s2 ?g1 ?g2 ?study ?label WHERE {
  GRAPH ?g1 { ?c akg:hasMeasurement ?m1 . ?m1 akg:quantityKind ?kind ; akg:numericValue ?v1 ;
              prov:wasDerivedFrom ?s1 . OPTIONAL { ?m1 akg:valueText ?t1 } }
  GRAPH ?g2 { ?c akg:hasMeasurement ?m2 . ?m2 akg:quantityKind ?kind ; akg:numericValue ?v2 ;
              prov:wasDerivedFrom ?s2 . OPTIONAL { ?m2 akg:valueText ?t2 } }
  FILTER(STR(?g1) < STR(?g2) && ?v1 != ?v2)
  FILTER(STRSTARTS(STR(?g1), "https://w3id.org/ald-kg/graph/doc/")
         && STRSTARTS(STR(?g2), "https://w3id.org/ald-kg/graph/doc/"))
  GRAPH ?g1 { ?c a akg:Coating ; akg:reportedIn ?study . OPTIONAL { ?c rdfs:label ?label } }
  OPTIONAL { GRAPH ?g1 { ?m1 akg:atCurrentDensity_mA_cm2 ?j1 } }
  OPTIONAL { GRAPH ?g2 { ?m2 akg:atCurrentDensity_mA_cm2 ?j2 } }
  FILTER(!BOUND(?j1) || !BOUND(?j2) || ?j1 = ?j2)
  FILTER NOT EXISTS { GRAPH ?g2 { ?c akg:hasMeasurement ?m3 .
                                  ?m3 akg:quantityKind ?kind ; akg:numericValue ?v1 } }
  FILTER NOT EXISTS { GRAPH ?g1 { ?c akg:hasMeasurement ?m4 .
                                  ?m4 akg:quantityKind ?kind ; akg:numericValue ?v2 } }
}"""


def _doc(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def _nt(s: URIRef, p: URIRef, o: URIRef | Literal) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()} .\n"


def _disagreement(row: dict[str, Any]) -> str:
    """N-Triples of one disagreement between the measurements of one row."""
    m1, m2 = str(row["m1"]), str(row["m2"])
    node = ID["disagreement/" + hashlib.sha1(f"{m1}|{m2}".encode()).hexdigest()[:16]]
    kind = URIRef(str(row["kind"]))
    first = row.get("t1") or f"{row['v1']:g}"
    second = row.get("t2") or f"{row['v2']:g}"
    label = (
        f"{row.get('label') or 'coating'}: {kind.rsplit('/', 1)[-1]} {first} in "
        f"{_doc(str(row['g1']))}, {second} in {_doc(str(row['g2']))}"
    )
    triples = [
        (node, RDF.type, AKG.Disagreement),
        (node, AKG.about, URIRef(str(row["c"]))),
        (node, AKG.about, URIRef(str(row["study"]))),
        (node, AKG.onProperty, kind),
        (node, AKG.valueA, Literal(float(row["v1"]), datatype=XSD.double)),
        (node, AKG.valueB, Literal(float(row["v2"]), datatype=XSD.double)),
        (node, AKG.sourceA, URIRef(str(row["s1"]))),
        (node, AKG.sourceB, URIRef(str(row["s2"]))),
        (node, AKG.conflictingMeasurement, URIRef(m1)),
        (node, AKG.conflictingMeasurement, URIRef(m2)),
        (node, RDFS.label, Literal(label)),
    ]
    return "".join(_nt(*t) for t in triples)


def refresh(store: Store) -> int:
    """Recompute the cross-document graph from the documents in ``store``; the number of
    disagreements it now holds."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.select(CONFLICTS):
        seen.setdefault((str(row["m1"]), str(row["m2"])), row)  # first source span of each
    store.replace_graph(CROSS_DOCUMENT_GRAPH, "".join(map(_disagreement, seen.values())))
    return len(seen)
