"""Ontology terms as constants that reject typos (generated from ontology/akg.ttl).

``AKG.hasPrecursr`` raises AttributeError instead of minting a new predicate; a test checks
that this list and ``ontology/akg.ttl`` agree. Regenerate with ``python scripts/gen_namespaces.py``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/ald-kg/"
VOCAB = Namespace(BASE + "vocab/")
ID = Namespace(BASE + "id/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")


class AKG(DefinedNamespace):
    """The project ontology (ontology/akg.ttl)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    AlkaliMetal: URIRef
    Alucone: URIRef
    Cathode: URIRef
    CellTest: URIRef
    CellType: URIRef
    CharacterizationMethod: URIRef
    Citation: URIRef
    Coating: URIRef
    CurrentCollector: URIRef
    DepositionProcess: URIRef
    Disagreement: URIRef
    Document: URIRef
    DualLayer: URIRef
    Electrolyte: URIRef
    ElectrolyteFamily: URIRef
    Fluoride: URIRef
    Host: URIRef
    HybridMaterial: URIRef
    InorganicMaterial: URIRef
    Lithicone: URIRef
    Material: URIRef
    Measurement: URIRef
    Metalcone: URIRef
    Nitride: URIRef
    OrganicMaterial: URIRef
    Oxide: URIRef
    Phosphate: URIRef
    Polyurea: URIRef
    Precursor: URIRef
    ProcessStep: URIRef
    QuantityKind: URIRef
    Review: URIRef
    Salt: URIRef
    Solvent: URIRef
    SourceSpan: URIRef
    Study: URIRef
    Substrate: URIRef
    Sulfide: URIRef
    Technique: URIRef
    Titanicone: URIRef
    Zincone: URIRef
    Zircone: URIRef
    about: URIRef
    afterCycles: URIRef
    atCurrentDensity_mA_cm2: URIRef
    attributionRule: URIRef
    authorsText: URIRef
    canonicalUnit: URIRef
    canonicalUnitSymbol: URIRef
    cathode: URIRef
    cellType: URIRef
    characterizedBy: URIRef
    citationNumber: URIRef
    citedIn: URIRef
    citedStudy: URIRef
    citingDocument: URIRef
    comparator: URIRef
    concentration_M: URIRef
    conditionsText: URIRef
    conflictingMeasurement: URIRef
    containsElement: URIRef
    currentDensity_mA_cm2: URIRef
    depositedBy: URIRef
    describedBy: URIRef
    docId: URIRef
    document: URIRef
    documentKind: URIRef
    endOffset: URIRef
    extractedFrom: URIRef
    extractionRule: URIRef
    family: URIRef
    fileName: URIRef
    firstAuthor: URIRef
    forAnode: URIRef
    format: URIRef
    formula: URIRef
    fullName: URIRef
    hasLayer: URIRef
    hasMaterial: URIRef
    hasMeasurement: URIRef
    hasStep: URIRef
    kindReason: URIRef
    maxValue: URIRef
    measuredIn: URIRef
    meltingPoint_C: URIRef
    metal: URIRef
    minted: URIRef
    note: URIRef
    numericValue: URIRef
    ofMaterial: URIRef
    onProperty: URIRef
    onSubstrate: URIRef
    pulseTime_s: URIRef
    purgeTime_s: URIRef
    quantityKind: URIRef
    reportedIn: URIRef
    rowNumber: URIRef
    salt: URIRef
    section: URIRef
    sentenceIndex: URIRef
    sha256: URIRef
    solvent: URIRef
    sourceA: URIRef
    sourceB: URIRef
    sourceText: URIRef
    startOffset: URIRef
    stepIndex: URIRef
    tableHeader: URIRef
    tableNumber: URIRef
    technique: URIRef
    testedIn: URIRef
    unitText: URIRef
    usesElectrolyte: URIRef
    usesPrecursor: URIRef
    valueA: URIRef
    valueB: URIRef
    valueText: URIRef
    year: URIRef
