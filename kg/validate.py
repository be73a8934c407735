"""SHACL validation of the whole store against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph

from kg.vocab import ONTOLOGY_DIR


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def validate_ntriples(ntriples: bytes | str) -> ValidationReport:
    """Validate a graph given as N-Triples (the ontology must be in it, for class checks)."""
    import pyshacl  # slow import; only this command needs it

    data = Graph()
    data.parse(data=ntriples, format="nt")
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    from rdflib.namespace import SH

    violations = sum(1 for _ in report.subjects(predicate=SH.resultSeverity))
    return ValidationReport(bool(conforms), violations, str(text))


def validate_store(store: object) -> ValidationReport:
    """Validate every graph of the store, merged."""
    dump = store.dump(ox.RdfFormat.N_TRIPLES)  # type: ignore[attr-defined]
    return validate_ntriples(dump)
