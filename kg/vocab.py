"""The vocabulary (ontology/*.ttl) as lookup tables that ingest and ask both read.

One source of vocabulary: a material, precursor or cell type added to ``ontology/vocab.ttl``
is recognized by ingest and understood by ask without code changes. Labels are compared
through :func:`label_key`, so ``Al2O3``, ``Al_2O_3``, ``Al₂O₃`` and ``Al ₂ O ₃`` are one key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.namespaces import AKG, ONTOLOGY_GRAPH, QUDT

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILES = ("akg.ttl", "vocab.ttl")

#: The classes whose instances are vocabulary concepts, by the kind name used in code.
KINDS: dict[str, URIRef] = {
    "Material": AKG.Material,
    "Precursor": AKG.Precursor,
    "Technique": AKG.Technique,
    "Substrate": AKG.Substrate,
    "CellType": AKG.CellType,
    "Cathode": AKG.Cathode,
    "ElectrolyteFamily": AKG.ElectrolyteFamily,
    "Salt": AKG.Salt,
    "Solvent": AKG.Solvent,
    "CharacterizationMethod": AKG.CharacterizationMethod,
    "QuantityKind": AKG.QuantityKind,
}

_STRIP = re.compile(r"[\s_{}$\\\-–—‐()]|\\text|\\mathrm")


@lru_cache(maxsize=65_536)  # called for every mention, cell and term; a pure function
def label_key(text: str) -> str:
    """Normalize a label for comparison: case, Unicode sub/superscripts, LaTeX, spacing.

    >>> label_key("Al ₂ O ₃") == label_key("Al_2O_3") == label_key("al2o3")
    True
    >>> label_key("Li-O₂ cells")
    'lio2cells'
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\\text", "").replace("\\mathrm", "")
    return _STRIP.sub("", text).lower()


@dataclass(frozen=True)
class Concept:
    """One vocabulary entity: its IRI, kind, preferred label and every alias."""

    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    full_name: str | None = None
    classes: tuple[str, ...] = ()  # rdf:type IRIs (material classes for materials)
    elements: tuple[str, ...] = ()
    family: str | None = None  # electrolyte family IRI for salts and solvents
    unit: str | None = None  # canonical unit symbol for quantity kinds
    qudt_unit: str | None = None  # the QUDT unit IRI of that canonical unit
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # skos:related (a cathode's cell types)

    @property
    def surface_forms(self) -> tuple[str, ...]:
        forms = (self.label, *self.aliases)
        return tuple(dict.fromkeys(forms))


@dataclass
class Vocabulary:
    """Concepts by IRI, plus alias indexes per kind."""

    graph: Graph
    concepts: dict[str, Concept]
    material_classes: dict[str, Concept]  # OWL classes under akg:Material, as concepts
    _by_key: dict[str, dict[str, Concept]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for concept in [*self.concepts.values(), *self.material_classes.values()]:
            index = self._by_key.setdefault(concept.kind, {})
            for form in concept.surface_forms:
                index.setdefault(label_key(form), concept)

    def lookup(self, kind: str, text: str) -> Concept | None:
        """The concept of ``kind`` that ``text`` names, or None."""
        return self._by_key.get(kind, {}).get(label_key(text))

    def of_kind(self, kind: str) -> list[Concept]:
        if kind == "MaterialClass":
            return list(self.material_classes.values())
        return [c for c in self.concepts.values() if c.kind == kind]

    def get(self, iri: str) -> Concept | None:
        return self.concepts.get(iri) or self.material_classes.get(iri)


def _concept(g: Graph, s: URIRef, kind: str) -> Concept:
    label = g.value(s, SKOS.prefLabel) or g.value(s, RDFS.label) or s.split("/")[-1]
    aliases = sorted(str(o) for o in g.objects(s, SKOS.altLabel))
    full = g.value(s, AKG.fullName)
    family = g.value(s, AKG.family)
    unit = g.value(s, AKG.canonicalUnitSymbol)
    qudt_unit = g.value(s, QUDT.applicableUnit)
    return Concept(
        iri=str(s),
        kind=kind,
        label=str(label),
        aliases=tuple(aliases),
        full_name=str(full) if full else None,
        classes=tuple(sorted(str(o) for o in g.objects(s, RDF.type))),
        elements=tuple(sorted(str(o) for o in g.objects(s, AKG.containsElement))),
        family=str(family) if family else None,
        unit=str(unit) if unit else None,
        qudt_unit=str(qudt_unit) if qudt_unit else None,
        broader=tuple(sorted(str(o) for o in g.objects(s, SKOS.broader))),
        related=tuple(sorted(str(o) for o in g.objects(s, SKOS.related))),
    )


def ontology_digest() -> str:
    """SHA-256 of the ontology files: a store whose ontology graph carries it is up to date."""
    digest = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        digest.update((ONTOLOGY_DIR / name).read_bytes())
    return digest.hexdigest()


def ontology_graph() -> Graph:
    """The ontology and vocabulary files parsed into one rdflib graph, stamped with their digest."""
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    g.add((ONTOLOGY_GRAPH, AKG.sha256, Literal(ontology_digest())))
    return g


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Parse the ontology once per process and index its labels."""
    g = ontology_graph()
    concepts: dict[str, Concept] = {}
    for kind, cls in KINDS.items():
        for s in g.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and str(s) not in concepts:
                concepts[str(s)] = _concept(g, s, kind)
    classes: dict[str, Concept] = {}
    for cls in g.transitive_subjects(RDFS.subClassOf, AKG.Material):
        if (cls, RDF.type, OWL.Class) in g and isinstance(cls, URIRef):
            classes[str(cls)] = _concept(g, cls, "MaterialClass")
    return Vocabulary(graph=g, concepts=concepts, material_classes=classes)
