"""Records → RDF with the ontology; provenance on every fact.

A pure function of the resolved document: the same input gives the same triples (IRIs are
derived from the document id, citation numbers, labels and offsets, never from counters that
depend on dict order), so re-ingesting replaces a document's named graph with an equal one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TextIO

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    Quantity,
    ResolvedDocument,
    Span,
    StructuredDocument,
    Term,
)
from ingest.references import surname
from ingest.resolve import slug, split_electrolyte
from kg.formulas import parse_formula
from kg.namespaces import AKG, BIBO, ID, VOCAB
from kg.studies import StudyFacts, study_key
from kg.vocab import Vocabulary, label_key, load_vocabulary

#: Canonical unit symbol → how a person writes it, for labels.
UNIT_DISPLAY = {
    "degC": "°C",
    "mA/cm^2": "mA cm⁻²",
    "mAh/g": "mAh g⁻¹",
    "mAh/cm^2": "mAh cm⁻²",
    "S/cm": "S cm⁻¹",
    "uL": "μL",
    "cycle": "cycles",
}


def _number_text(value: float) -> str:
    return f"{value:.6g}"


def quantity_label(kind_label: str, q: Quantity) -> str:
    """'cycling duration: > 1000 h' — readable in the app, exports and search."""
    unit = UNIT_DISPLAY.get(q.canonical_unit, q.canonical_unit)
    if q.value is None and q.low is not None and q.high is not None:
        value = f"{_number_text(q.low)}–{_number_text(q.high)}"
    elif q.canonical_value is not None:
        value = _number_text(q.canonical_value)
    else:
        value = q.text
    comparator = "" if q.comparator == "=" else f"{q.comparator} "
    return f"{kind_label}: {comparator}{value} {unit}".strip()


Triple = tuple[Node, Node, Node]


@lru_cache(maxsize=4096)
def _num(value: float) -> Literal:
    return Literal(float(value), datatype=XSD.double)


@lru_cache(maxsize=4096)
def _int(value: int) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


class _Builder:
    """Accumulates one document's triples; methods add one kind of node each.

    Triples go into a Python set (``self.g``): adding is a hash, not a store update, and a
    repeated triple is simply the same element. :func:`build_graph` makes the rdflib Graph.
    """

    def __init__(self, resolved: ResolvedDocument, vocab: Vocabulary) -> None:
        self.resolved = resolved
        self.vocab = vocab
        self.doc: StructuredDocument = resolved.extracted.document
        self.g: set[Triple] = set()
        self.base = f"{self.doc.doc_id}/"
        self.doc_iri = ID[self.doc.doc_id]
        self._minted: set[str] = set()
        self._spans: set[URIRef] = set()
        self._studies: dict[int, URIRef] = {}
        self._own: URIRef | None = None
        self._short: dict[URIRef, str] = {}  # study → "Niu et al. 2021", for coating labels
        self.coating_nodes: dict[str, URIRef] = {}  # group key → coating IRI
        self._glossary_keys: dict[str, str] | None = None

    def iri(self, local: str) -> URIRef:
        return ID[self.base + local]

    # ------------------------------------------------------------------ provenance

    def span(self, span: Span) -> URIRef:
        key = f"{span.rule}|{span.table}|{span.row}|{span.attribution}"
        digest = hashlib.sha1(key.encode()).hexdigest()[:8]
        node = self.iri(f"span/{span.start}-{span.end}-{digest}")
        g = self.g
        if node in self._spans:
            return node
        self._spans.add(node)
        g.add((node, RDF.type, AKG.SourceSpan))
        g.add((node, AKG.document, self.doc_iri))
        g.add((node, AKG.startOffset, _int(span.start)))
        g.add((node, AKG.endOffset, _int(span.end)))
        g.add((node, AKG.sourceText, Literal(span.text)))
        g.add((node, AKG.extractionRule, Literal(span.rule or "unknown")))
        if span.attribution:
            g.add((node, AKG.attributionRule, Literal(span.attribution)))
        if span.section:
            g.add((node, AKG.section, Literal(span.section)))
        if span.table is not None:
            g.add((node, AKG.tableNumber, _int(span.table)))
            header = self._table_headers().get(span.table)
            if header and span.row is not None:  # so a row's evidence can show its columns
                g.add((node, AKG.tableHeader, Literal("\t".join(header))))
        if span.row is not None:
            g.add((node, AKG.rowNumber, _int(span.row)))
        if span.sentence is not None:
            g.add((node, AKG.sentenceIndex, _int(span.sentence)))
        return node

    def _table_headers(self) -> dict[int, tuple[str, ...]]:
        tables = getattr(self.resolved.extracted.document, "tables", ())
        return {t.number: t.header for t in tables}

    def derived(self, subject: URIRef, span: Span) -> None:
        self.g.add((subject, PROV.wasDerivedFrom, self.span(span)))

    # ------------------------------------------------------------------ vocabulary terms

    def term(self, kind: str, label: str) -> URIRef:
        term: Term = self.resolved.term(kind, label)
        node = URIRef(term.iri)
        if term.is_new and term.iri not in self._minted:
            self._minted.add(term.iri)
            cls = {"CellType": AKG.CellType}.get(kind, AKG[kind])
            self.g.add((node, RDF.type, cls))
            self.g.add((node, RDF.type, SKOS.Concept))
            self.g.add((node, SKOS.prefLabel, Literal(term.label)))
            self.g.add((node, AKG.minted, Literal(True)))
            formula = parse_formula(term.label) if kind == "Material" else None
            if formula is not None:  # a formula the vocabulary lacks: its class from its anions
                self.g.add((node, RDF.type, URIRef(formula.material_class)))
            full = self._glossary().get(label_key(label))
            if full:
                self.g.add((node, AKG.fullName, Literal(full)))
                self.g.add((node, SKOS.altLabel, Literal(full)))
        return node

    def _glossary(self) -> dict[str, str]:
        if self._glossary_keys is None:
            self._glossary_keys = {
                label_key(e.abbreviation): e.full_name for e in self.doc.glossary
            }
        return self._glossary_keys

    # ------------------------------------------------------------------ document and studies

    def document(self) -> None:
        g, d, doc = self.g, self.doc_iri, self.doc
        g.add((d, RDF.type, AKG.Document))
        if doc.kind == "review":
            g.add((d, RDF.type, AKG.Review))
        g.add((d, AKG.documentKind, Literal(doc.kind)))
        if doc.kind_reason:
            g.add((d, AKG.kindReason, Literal(doc.kind_reason)))
        g.add((d, AKG.format, Literal(doc.format)))
        g.add((d, DCTERMS.title, Literal(doc.title)))
        g.add((d, AKG.docId, Literal(doc.doc_id)))
        g.add((d, AKG.fileName, Literal(doc.path.rsplit("/", 1)[-1])))
        digest = hashlib.sha256(doc.normalized.original.encode()).hexdigest()
        g.add((d, AKG.sha256, Literal(digest)))

    def _study_node(self, facts: StudyFacts, local: str) -> URIRef:
        """The study's shared IRI when its facts identify it, else one local to this document."""
        key = study_key(facts)
        return ID[key] if key else self.iri(local)

    def _study_facts(self, node: URIRef, facts: StudyFacts, label: str) -> None:
        """Title, authors, year, venue and DOI as this document gives them."""
        g = self.g
        g.add((node, RDF.type, AKG.Study))
        if facts.authors:
            first = surname(facts.authors[0])
            g.add((node, AKG.firstAuthor, Literal(first)))
            g.add((node, AKG.authorsText, Literal("; ".join(facts.authors))))
            short = f"{first} et al." if len(facts.authors) > 1 else first
            if facts.year:
                short += f" {facts.year}"
            self._short[node] = short
            label = f"{label} {first} et al." if len(facts.authors) > 1 else f"{label} {first}"
        if facts.year:
            g.add((node, AKG.year, _int(facts.year)))
            label += f" {facts.year}"
        g.add((node, RDFS.label, Literal(label.strip() or "study")))
        if facts.title:
            g.add((node, DCTERMS.title, Literal(facts.title)))
        if facts.venue:
            g.add((node, DCTERMS.isPartOf, Literal(facts.venue)))
        if facts.volume:
            g.add((node, BIBO.volume, Literal(facts.volume)))
        if facts.first_page:
            g.add((node, BIBO.pageStart, Literal(facts.first_page)))
        if facts.doi:
            g.add((node, BIBO.doi, Literal(facts.doi)))

    def own_study(self) -> URIRef:
        """The study a document itself reports (a primary study, or a review's own work)."""
        if self._own is not None:
            return self._own
        m = self.doc.metadata
        facts = StudyFacts(m.doi, m.authors, m.year, m.venue, m.volume, m.first_page, m.title)
        node = self._study_node(facts, "study")
        self._own = node
        self._study_facts(node, facts, "")
        self.g.add((node, AKG.describedBy, self.doc_iri))
        text = self.doc.text
        start = max(text.find(self.doc.title), 0) if self.doc.title else 0
        end = (
            start + len(self.doc.title) if self.doc.title and text.find(self.doc.title) >= 0 else 0
        )
        self.derived(node, self.doc.span(start, end, rule="document-header"))
        return node

    def study(self, number: int) -> URIRef:
        """The study the document cites as ``number``, and the citation that names it."""
        if number in self._studies:
            return self._studies[number]
        ref = next((r for r in self.doc.references if r.number == number), None)
        facts = StudyFacts()
        if ref is not None:
            facts = StudyFacts(
                ref.doi, ref.authors, ref.year, ref.venue, ref.volume, ref.first_page, ref.title
            )
        node = self._study_node(facts, f"ref/{number}")
        self._studies[number] = node
        g = self.g
        g.add((node, RDF.type, AKG.Study))
        g.add((node, AKG.citationNumber, _int(number)))  # old shape, read by ask until it moves
        g.add((node, AKG.citedIn, self.doc_iri))
        citation = self.iri(f"citation/{number}")
        g.add((citation, RDF.type, AKG.Citation))
        g.add((citation, AKG.citingDocument, self.doc_iri))
        g.add((citation, AKG.citedStudy, node))
        g.add((citation, AKG.citationNumber, _int(number)))
        if ref is None:
            g.add((node, RDFS.label, Literal(f"[{number}]")))
            return node
        self._study_facts(node, facts, f"[{number}]")
        g.add((node, DCTERMS.bibliographicCitation, Literal(ref.text)))
        span = self.doc.span(ref.start, ref.end, section="References", rule="reference-list")
        self.derived(node, span)
        self.derived(citation, span)
        return node

    # ------------------------------------------------------------------ measurements

    def quantity(self, node: URIRef, q: Quantity, conditions: str = "") -> None:
        g = self.g
        g.add((node, RDF.type, AKG.Measurement))
        kind = self.vocab.get(str(VOCAB[q.kind]))
        label = quantity_label(kind.label if kind else q.kind, q)
        g.add((node, RDFS.label, Literal(f"{label} {conditions}".strip())))
        g.add((node, AKG.quantityKind, VOCAB[q.kind]))
        low = q.low if q.value is None else q.canonical_value
        high = q.high if q.value is None else q.canonical_value
        if low is not None:
            g.add((node, AKG.numericValue, _num(low)))
        if high is not None:
            g.add((node, AKG.maxValue, _num(high)))
        g.add((node, AKG.comparator, Literal(q.comparator)))
        if q.text:
            g.add((node, AKG.valueText, Literal(q.text)))
        if q.unit:
            g.add((node, AKG.unitText, Literal(q.unit)))
        if kind is not None and kind.qudt_unit and q.canonical_unit == kind.unit:
            # the kind's QUDT unit (qudt:applicableUnit in vocab.ttl) is its canonical unit's
            g.add((node, AKG.canonicalUnit, URIRef(kind.qudt_unit)))

    def measurement(self, owner: URIRef, key: str, m: Measurement, test: URIRef | None) -> URIRef:
        # The conditions are part of the identity: "over 500 h at 3 and 10 mA cm-2" is two facts.
        density = m.current_density.text if m.current_density is not None else ""
        local = f"{m.span.start}-{m.quantity.kind}-{slug(m.quantity.text or '')}-{slug(density)}"
        if m.after_cycles is not None:
            local += f"-after{m.after_cycles:g}"
        node = self.iri(f"{key}/m/{local}")
        conditions = []
        if m.current_density is not None and m.current_density.canonical_value is not None:
            conditions.append(f"{_number_text(m.current_density.canonical_value)} mA cm⁻²")
        if m.after_cycles is not None:
            conditions.append(f"after {m.after_cycles:g} cycles")
        if m.cell_type:
            conditions.append(m.cell_type)
        self.quantity(node, m.quantity, f"({', '.join(conditions)})" if conditions else "")
        g = self.g
        g.add((owner, AKG.hasMeasurement, node))
        if m.after_cycles is not None:
            g.add((node, AKG.afterCycles, _num(m.after_cycles)))
        if m.current_density is not None and m.current_density.canonical_value is not None:
            g.add((node, AKG.atCurrentDensity_mA_cm2, _num(m.current_density.canonical_value)))
        if test is not None:
            g.add((node, AKG.measuredIn, test))
        self.derived(node, m.span)
        return node

    # ------------------------------------------------------------------ cells and electrolytes

    def electrolyte(self, text: str) -> URIRef:
        parts = split_electrolyte(self.vocab, text)
        if not (parts.salts or parts.solvents or parts.substances) and len(parts.families) == 1:
            return URIRef(parts.families[0].iri)  # a bare family word: the family concept itself
        node = self.iri(f"electrolyte/{slug(text)}")
        g = self.g
        g.add((node, RDF.type, AKG.Electrolyte))
        g.add((node, RDFS.label, Literal(parts.label)))
        for t in parts.salts:
            g.add((node, AKG.salt, URIRef(t.iri)))
        for t in parts.solvents:
            g.add((node, AKG.solvent, URIRef(t.iri)))
        for t in parts.families:
            g.add((node, AKG.family, URIRef(t.iri)))
        if parts.concentration_M is not None:
            g.add((node, AKG.concentration_M, _num(parts.concentration_M)))
        return node

    def cell_test(
        self, coating: URIRef, key: str, cell_type: str | None, electrolytes: tuple[str, ...]
    ) -> URIRef:
        local = slug(cell_type or "unspecified") + "-" + slug("|".join(electrolytes) or "none")
        node = self.iri(f"{key}/test/{local}")
        g = self.g
        g.add((node, RDF.type, AKG.CellTest))
        g.add((coating, AKG.testedIn, node))
        if cell_type:
            g.add((node, AKG.cellType, self.term("CellType", cell_type)))
        for text in electrolytes:
            g.add((node, AKG.usesElectrolyte, self.electrolyte(text)))
        return node

    # ------------------------------------------------------------------ coatings

    def coating(self, key: str, records: list[CoatingRecord]) -> None:
        g = self.g
        first = records[0]
        ref = next((r.ref for r in records if r.ref is not None), None)
        study = self.study(ref) if ref is not None else self.own_study()
        substrate_label = next((r.substrate for r in records if r.substrate), None)
        node = self._coating_node(key, first, study, substrate_label)
        material = self.term("Material", first.material)
        g.add((node, RDF.type, AKG.Coating))
        g.add((node, AKG.hasMaterial, material))
        if substrate_label:
            substrate = self.term("Substrate", substrate_label)
            g.add((node, AKG.onSubstrate, substrate))
            concept = self.vocab.get(str(substrate))
            if concept is not None and str(AKG.AlkaliMetal) in concept.classes:
                g.add((node, AKG.forAnode, substrate))
        anode = next((r.anode_metal for r in records if r.anode_metal), None)
        if anode:
            g.add((node, AKG.forAnode, self.term("Substrate", anode)))
        g.add((node, AKG.reportedIn, study))
        material_label = self.resolved.term("Material", first.material).label
        substrate_text = (
            self.resolved.term("Substrate", substrate_label).label if substrate_label else "?"
        )
        g.add(
            (
                node,
                RDFS.label,
                Literal(f"{material_label} on {substrate_text}{self._tag(study, ref)}"),
            )
        )
        process = self.iri(f"coating/{key}/process")
        g.add((process, RDF.type, AKG.DepositionProcess))
        g.add((node, AKG.depositedBy, process))
        for record in records:
            self.record_facts(node, process, key, record)

    def _coating_node(
        self, key: str, record: CoatingRecord, study: URIRef, substrate: str | None
    ) -> URIRef:
        """Shared by every document that reports the same study, material and substrate.

        A study known only inside this document keeps the coating local to it. The parts a
        document adds (process, tests, measurements) stay local, so removing the document
        removes exactly what it said.
        """
        material_iri = self.resolved.term("Material", record.material).iri
        if not str(study).startswith(str(ID["study/"])):
            node = self.iri(f"coating/{key}")
        else:
            base = coating_key(record, material_iri)
            variant = key[len(base) :]  # "-2" for a study's second table row of one material
            where = self.resolved.term("Substrate", substrate).iri if substrate else "unknown"
            local = f"{slug(material_iri.rsplit('/', 1)[-1])}/{slug(where.rsplit('/', 1)[-1])}"
            node = ID[f"coating/{str(study)[len(str(ID)) + len('study/') :]}/{local}{variant}"]
        self.coating_nodes[key] = node
        return node

    def _tag(self, study: URIRef, ref: int | None) -> str:
        """What a coating's label says about its study: the number this document cites it by,
        or, for the document's own study, its first author and year."""
        if ref is not None:
            return f" [{ref}]"
        short = self._short.get(study)
        return f" ({short})" if short else ""

    def record_facts(self, node: URIRef, process: URIRef, key: str, record: CoatingRecord) -> None:
        g = self.g
        self.derived(node, record.span)
        g.add((node, AKG.extractedFrom, Literal(record.source)))
        if record.year is not None:
            g.add((node, AKG.year, _int(record.year)))
        if record.technique:
            g.add((process, AKG.technique, self.term("Technique", record.technique)))
        for precursor in record.precursors:
            g.add((process, AKG.usesPrecursor, self.term("Precursor", precursor)))
        for index, step in enumerate(record.steps, start=1):
            step_node = self.iri(f"coating/{key}/process/{record.source}-step/{index}")
            g.add((process, AKG.hasStep, step_node))
            g.add((step_node, RDF.type, AKG.ProcessStep))
            g.add((step_node, AKG.stepIndex, _int(index)))
            g.add((step_node, AKG.usesPrecursor, self.term("Precursor", step.precursor)))
            g.add((process, AKG.usesPrecursor, self.term("Precursor", step.precursor)))
            if step.pulse_s is not None:
                g.add((step_node, AKG.pulseTime_s, _num(step.pulse_s)))
            if step.purge_s is not None:
                g.add((step_node, AKG.purgeTime_s, _num(step.purge_s)))
        setup = (*record.temperatures, *record.thicknesses, *record.deposition_cycles)
        for index, q in enumerate(setup):
            if not q.kind:
                continue
            m_node = self.iri(f"coating/{key}/{record.source}-{q.kind}/{index}")
            self.quantity(m_node, q)
            g.add((node, AKG.hasMeasurement, m_node))
            self.derived(m_node, record.span)
        tests: dict[tuple[str | None, tuple[str, ...]], URIRef] = {}
        for test in record.cell_tests:
            found = self._test_with_densities(node, key, test)
            self.derived(found, record.span)  # so a reader can tell a table's tests from prose
            tests[(test.cell_type, test.electrolytes)] = found
        for m in record.measurements:
            if not m.quantity.kind:  # a number whose kind could not be told: not a fact
                continue
            test_node = None
            if m.cell_type or m.electrolytes:
                found = tests.get((m.cell_type, m.electrolytes))
                if found is None:
                    found = self.cell_test(node, key, m.cell_type, m.electrolytes)
                    tests[(m.cell_type, m.electrolytes)] = found
                    self.derived(found, m.span)
                test_node = found
            self.measurement(node, f"coating/{key}", m, test_node)
        for method in record.characterization:
            g.add((node, AKG.characterizedBy, self.term("CharacterizationMethod", method)))
        for note in record.notes:
            g.add((node, AKG.note, Literal(note)))

    def _test_with_densities(self, coating: URIRef, key: str, test: CellTest) -> URIRef:
        node = self.cell_test(coating, key, test.cell_type, test.electrolytes)
        for q in test.current_densities:
            if q.canonical_value is not None:
                self.g.add((node, AKG.currentDensity_mA_cm2, _num(q.canonical_value)))
        return node

    def material_fact(self, index: int, m: Measurement, coatings: dict) -> None:
        """A material property, reported in the study that ingest attributed it to (``m.ref``)."""
        if not m.subject or not m.quantity.kind:
            return
        material = self.term("Material", m.subject)
        node = self.iri(f"fact/{m.span.start}-{m.quantity.kind}-{index}")
        self.quantity(node, m.quantity)
        self.g.add((node, AKG.ofMaterial, material))
        self.g.add((material, AKG.hasMeasurement, node))
        if m.ref is not None:
            self.g.add((node, AKG.reportedIn, self.study(m.ref)))
        elif self.doc.kind == "primary":
            self.g.add((node, AKG.reportedIn, self.own_study()))
        coating_key = coatings.get((m.ref, str(material)))  # ref None: a primary study's own
        if coating_key and coating_key in self.coating_nodes:
            self.g.add((self.coating_nodes[coating_key], AKG.hasMeasurement, node))
        self.derived(node, m.span)

    def disagreements(self, coatings: dict[str, list[CoatingRecord]]) -> None:
        """A table year that differs from the reference list's year is kept, and flagged."""
        years = {r.number: r for r in self.doc.references if r.year}
        for key, records in coatings.items():
            for record in records:
                ref = years.get(record.ref) if record.ref is not None else None
                if ref is None or record.year is None or record.year == ref.year:
                    continue
                node = self.iri(f"disagreement/{key}/year")
                g = self.g
                g.add((node, RDF.type, AKG.Disagreement))
                g.add((node, AKG.about, self.study(ref.number)))
                g.add((node, AKG.about, self.coating_nodes[key]))
                g.add((node, AKG.onProperty, AKG.year))
                g.add((node, AKG.valueA, _int(record.year)))
                g.add((node, AKG.valueB, _int(ref.year)))
                g.add((node, AKG.sourceA, self.span(record.span)))
                ref_span = self.doc.span(
                    ref.start, ref.end, section="References", rule="reference-list"
                )
                g.add((node, AKG.sourceB, self.span(ref_span)))
                g.add(
                    (
                        node,
                        RDFS.label,
                        Literal(
                            f"[{ref.number}] year: {record.year} in table {record.span.table}, "
                            f"{ref.year} in the reference list"
                        ),
                    )
                )


def coating_key(record: CoatingRecord, material_iri: str) -> str:
    ref = record.ref if record.ref is not None else "noref"
    return f"{ref}-{slug(material_iri.rsplit('/', 1)[-1])}"


def group_coatings(resolved: ResolvedDocument) -> dict[str, list[CoatingRecord]]:
    """One coating per (study, material): table rows first, prose facts merged into them.

    Two table rows of one study with the same material stay two coatings (suffix -2, -3).
    """
    groups: dict[str, list[CoatingRecord]] = defaultdict(list)
    seen_rows: dict[str, int] = defaultdict(int)
    records = sorted(resolved.extracted.coatings, key=lambda r: r.source != "table")
    for record in records:
        base = coating_key(record, resolved.term("Material", record.material).iri)
        if record.source == "table":
            seen_rows[base] += 1
            key = base if seen_rows[base] == 1 else f"{base}-{seen_rows[base]}"
        else:
            key = base
        groups[key].append(record)
    return dict(groups)


#: A document's triples leave the builder in pieces of about this many (after the coating that
#: fills a piece), so a review of 20,000 table rows never holds its millions of triples at once.
BATCH_TRIPLES = 20_000


def triple_batches(
    resolved: ResolvedDocument, vocab: Vocabulary | None = None
) -> Iterator[set[Triple]]:
    """The triples of one document's graph in pieces; a triple may recur in a later piece
    (:func:`write_ntriples` writes each once). The builder never reads back what it added,
    so handing its set over and starting a new one changes nothing but memory."""
    builder = _Builder(resolved, vocab or load_vocabulary())

    def handed_over() -> set[Triple]:
        batch, builder.g = builder.g, set()
        return batch

    builder.document()
    if resolved.extracted.document.kind == "primary":
        builder.own_study()
    groups = group_coatings(resolved)
    for key, records in groups.items():
        builder.coating(key, records)
        if len(builder.g) >= BATCH_TRIPLES:
            yield handed_over()
    by_ref_material = {}
    for key, records in groups.items():
        record = records[0]
        by_ref_material[(record.ref, resolved.term("Material", record.material).iri)] = key
    for index, fact in enumerate(resolved.extracted.material_facts):
        builder.material_fact(index, fact, by_ref_material)
    builder.disagreements(groups)
    for reference in resolved.extracted.document.references:
        builder.study(reference.number)  # every cited work is a Study, with or without facts
    yield handed_over()


def build_triples(resolved: ResolvedDocument, vocab: Vocabulary | None = None) -> set[Triple]:
    """The triples of one document's graph, as a set (no rdflib store involved)."""
    triples: set[Triple] = set()
    for batch in triple_batches(resolved, vocab):
        triples |= batch
    return triples


def write_ntriples(
    resolved: ResolvedDocument, out: TextIO, vocab: Vocabulary | None = None
) -> tuple[int, int]:
    """Write one document's graph to ``out`` as N-Triples, each triple once, piece by piece.

    Memory stays bounded by a piece, plus a 16-byte digest per triple written (to drop a
    triple a later piece repeats). Returns (triples, coatings) written.
    """
    seen: set[bytes] = set()
    triples = coatings = 0
    rdf_type, coating = RDF.type, AKG.Coating  # namespace attributes cost µs per lookup
    for batch in triple_batches(resolved, vocab):
        lines = []
        row = _NTriplesRows()  # per piece, so the cache is bounded by a piece
        for triple in batch:
            line = row(triple)
            digest = hashlib.blake2b(line.encode(), digest_size=16).digest()
            if digest in seen:
                continue
            seen.add(digest)
            lines.append(line)
            if triple[1] == rdf_type and triple[2] == coating:
                coatings += 1
        out.write("".join(lines))
        triples += len(lines)
    return triples, coatings


class _NTriplesRows:
    """One N-Triples line per triple, exactly as rdflib's ``nt`` serializer writes it, with
    each IRI's text made once: a document names its nodes and predicates many times over."""

    def __init__(self) -> None:
        from rdflib.plugins.serializers.nt import _quoteLiteral

        self._literal = _quoteLiteral
        self._iris: dict[Node, str] = {}

    def _iri(self, term: Node) -> str:
        text = self._iris.get(term)
        if text is None:
            text = self._iris[term] = term.n3()
        return text

    def __call__(self, triple: Triple) -> str:
        s, p, o = triple
        obj = self._literal(o) if isinstance(o, Literal) else self._iri(o)
        return f"{self._iri(s)} {self._iri(p)} {obj} .\n"


def build_graph(resolved: ResolvedDocument, vocab: Vocabulary | None = None) -> Graph:
    """The RDF graph of one document (to be stored as its named graph)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in build_triples(resolved, vocab))
    return graph


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples text of ``triples``, written as rdflib's ``nt`` serializer writes each row."""
    from rdflib.plugins.serializers.nt import _nt_row

    return "".join(map(_nt_row, triples))
