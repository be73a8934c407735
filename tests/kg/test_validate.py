"""kg/validate.py: the SHACL shapes accept a good graph and report a broken one."""

from __future__ import annotations

from rdflib import RDF, Graph

from ingest.resolve import resolve
from kg.build import build_graph
from kg.namespaces import AKG
from kg.validate import validate_ntriples
from kg.vocab import ontology_graph
from tests.kg.test_build import extracted  # noqa: F401  (fixture)


def _with_ontology(graph: Graph) -> str:
    return (graph + ontology_graph()).serialize(format="nt")


def test_built_graph_conforms(extracted) -> None:  # noqa: F811
    report = validate_ntriples(_with_ontology(build_graph(resolve(extracted))))
    assert report.conforms, report.text


def test_coating_without_substrate_is_a_violation(extracted) -> None:  # noqa: F811
    graph = build_graph(resolve(extracted))
    coating = next(graph.subjects(RDF.type, AKG.Coating))
    graph.remove((coating, AKG.onSubstrate, None))
    report = validate_ntriples(_with_ontology(graph))
    assert not report.conforms
    assert report.violations >= 1
    assert "substrate" in report.text


def test_measurement_without_unit_is_a_violation(extracted) -> None:  # noqa: F811
    graph = build_graph(resolve(extracted))
    measurement = next(graph.subjects(RDF.type, AKG.Measurement))
    graph.remove((measurement, AKG.canonicalUnit, None))
    assert not validate_ntriples(_with_ontology(graph)).conforms


def test_every_quantity_kind_gets_its_unit_from_the_vocabulary() -> None:
    """An abstract with an area-specific resistance and a voltage window: each measurement
    carries the QUDT unit its kind names in vocab.ttl, so the shapes hold."""
    from kg.pipeline import build_text

    text = (
        "Alumina by ALD on lithium\n\nAbstract\n\n"
        "We deposit a 4 nm Al2O3 film on lithium foil by ALD. The interfacial resistance of "
        "the coated lithium fell to ∼20 Ω·cm2, and Li||LFP cells cycled between 2.5 and 4.2 V "
        "for 300 cycles.\n"
    )
    _extracted, graph = build_text(text, doc_id="u", path="u.txt")
    measurements = set(graph.subjects(RDF.type, AKG.Measurement))
    assert measurements
    assert all(graph.value(m, AKG.canonicalUnit) is not None for m in measurements)
    assert validate_ntriples(_with_ontology(graph)).conforms
