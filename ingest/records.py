"""Plain frozen dataclasses passed between the ingest stages.

Each stage of the pipeline (normalize → structure → extract → resolve → build) takes the
previous stage's objects and returns new ones; nothing reaches back. Offsets are always
character offsets into the *original* text of the document, so every fact can be shown in
the sentence or table row it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace


class IngestError(Exception):
    """A document cannot be ingested; the message names the file and the problem."""


# --------------------------------------------------------------------------- read


@dataclass(frozen=True)
class DocumentMetadata:
    """What a document says about itself: its header, ``citation_*`` meta tags, JATS front
    matter or the export record. Empty fields mean "not stated", never a guess."""

    title: str | None = None
    authors: tuple[str, ...] = ()  # as written, in byline order ("Luo, W." or "W. Luo")
    year: int | None = None
    venue: str | None = None
    volume: str | None = None
    first_page: str | None = None
    doi: str | None = None  # bare, lower-cased: "10.5555/devset.2"


#: ``SourceDocument.path`` of an export record: the file name, "#", the 1-based position.
_EXPORT_RECORD_PATH = re.compile(r"^(?P<file>.+?)(?:\.[A-Za-z0-9]+)?#(?P<n>\d+)$")


def export_record_of(path: str) -> tuple[str, int] | None:
    """(file stem, position) of an export record's path, None for any other document: how
    answers and the gold name a record (DECISIONS 1), read back from the one path format
    the readers write.

    >>> export_record_of("refs/export-bibtex.bib#3")
    ('export-bibtex', 3)
    >>> export_record_of("review.txt") is None
    True
    """
    m = _EXPORT_RECORD_PATH.match(path.rsplit("/", 1)[-1])
    return (m["file"], int(m["n"])) if m else None


@dataclass(frozen=True)
class SourceDocument:
    """One document as a reader (``ingest.readers``) hands it to normalize.

    Every format is rendered to the one plain-text layout that ``ingest.structure`` reads: the
    title on the first line, an ``Abstract`` heading, one paragraph per line, headings on lines
    of their own, ``Table N. caption`` followed by TAB-separated rows (header first), and a
    ``References`` heading followed by one reference per line. So no later stage knows the
    format. Offsets of provenance are offsets into ``text``.
    """

    doc_id: str  # slug of the file stem; export records add their key or position
    path: str  # the file name, with "#N" for the N-th record of an export file
    format: str  # "text", "markdown", "pdf", "jats", "html", "bibtex", "ris", "csv"
    text: str
    metadata: DocumentMetadata = DocumentMetadata()
    pages: tuple[int, ...] = ()  # PDF: the offset in ``text`` where each page starts
    record: int | None = None  # export files: 1-based position of the record in the file
    line: int | None = None  # export files: line of the file where the record starts
    notes: tuple[str, ...] = ()  # what the reader left out (e.g. export records without abstract)


# --------------------------------------------------------------------------- normalize


@dataclass(frozen=True)
class NormalizedText:
    """Clean text plus, for each of its characters, the offset in the original text."""

    original: str
    text: str
    offsets: tuple[int, ...]  # len(offsets) == len(text) + 1 (the end maps too)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text back to the original text."""
        return self.offsets[start], self.offsets[end]


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Span:
    """Where a fact came from: a sentence or a table row of one document."""

    doc: str
    start: int  # offsets in the original text
    end: int
    text: str  # the clean (normalized) text of the span
    section: str | None = None
    table: int | None = None
    row: int | None = None
    sentence: int | None = None  # index of the sentence in the document
    rule: str = ""  # name of the extraction rule
    page: int | None = None  # 1-based page of a PDF
    attribution: str = ""  # why its facts belong to their study (ingest.prose.attribution)

    def with_rule(self, rule: str) -> Span:
        return replace(self, rule=rule)


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str  # clean text
    start: int  # offsets into the clean text
    end: int
    section: str | None
    paragraph: int
    citations: tuple[int, ...]  # [94], [97,98], [113–115] expanded


@dataclass(frozen=True)
class Caption:
    kind: str  # "Figure", "Scheme", "Table"
    number: int
    text: str
    start: int
    end: int
    citations: tuple[int, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    abbreviation: str
    full_name: str
    start: int
    end: int


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    authors: tuple[str, ...]
    title: str | None
    venue: str | None
    year: int | None
    doi: str | None
    start: int
    end: int
    volume: str | None = None
    first_page: str | None = None


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]  # clean text of each cell, aligned to the header
    start: int  # offsets into the clean text of the whole row
    end: int
    number: int  # 1-based row number within the table


@dataclass(frozen=True)
class TableBlock:
    number: int
    caption: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    start: int
    end: int
    section: str | None
    glossary: tuple[GlossaryEntry, ...] = ()  # the footnote line(s) under the table


@dataclass(frozen=True)
class StructuredDocument:
    doc_id: str  # a slug, stable for one file name
    path: str
    title: str
    normalized: NormalizedText
    sections: tuple[tuple[str, int, int], ...]  # (heading, start, end) in clean text
    sentences: tuple[Sentence, ...]
    captions: tuple[Caption, ...]
    tables: tuple[TableBlock, ...]
    glossary: tuple[GlossaryEntry, ...]
    references: tuple[Reference, ...]
    metadata: DocumentMetadata = DocumentMetadata()
    format: str = "text"  # the reader that produced it (SourceDocument.format)
    kind: str = "review"  # "review" (cites the studies it reports) or "primary" (is the study)
    kind_reason: str = ""  # why structure read it as that kind, in words (for `kg ingest`)
    pages: tuple[int, ...] = ()  # SourceDocument.pages: original offsets where pages start

    @property
    def text(self) -> str:
        return self.normalized.text

    def span(
        self,
        start: int,
        end: int,
        *,
        section: str | None = None,
        table: int | None = None,
        row: int | None = None,
        sentence: int | None = None,
        rule: str = "",
    ) -> Span:
        """A provenance span for clean-text offsets [start, end)."""
        o_start, o_end = self.normalized.to_original(start, end)
        page = bisect_right(self.pages, o_start) if self.pages else None
        return Span(
            self.doc_id,
            o_start,
            o_end,
            self.text[start:end],
            section,
            table,
            row,
            sentence,
            rule,
            page,
        )


# --------------------------------------------------------------------------- extract


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written and in the canonical unit of its kind.

    ``value`` is the single value, or None for a range given by ``low``/``high``.
    ``comparator`` is one of "=", "~", ">", "≥", "<", "≤".
    """

    kind: str  # quantity kind local name, e.g. "CyclingDuration" (see ontology)
    value: float | None
    unit: str  # the unit as written, normalized ("mA/cm^2", "h", "nm", "degC", "cycle", "%")
    canonical_value: float | None
    canonical_unit: str  # e.g. "h", "nm", "degC", "mA/cm^2"
    comparator: str = "="
    low: float | None = None  # ranges: canonical units
    high: float | None = None
    text: str = ""  # the quantity as it appears in the clean text


@dataclass(frozen=True)
class ProcessStep:
    precursor: str  # as written (resolved later), e.g. "TMA", "O2 plasma"
    pulse_s: float | None = None
    purge_s: float | None = None


@dataclass(frozen=True)
class CellTest:
    cell_type: str | None  # as written: "symmetric", "Li-Cu", "Li-S", "Li-O2", "full cell"
    electrolytes: tuple[str, ...] = ()  # as written: "1 M LiPF6 in EC/EMC", "ether"
    current_densities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class Measurement:
    """An outcome: a quantity measured under some conditions, with its source."""

    quantity: Quantity
    span: Span
    cell_type: str | None = None
    electrolytes: tuple[str, ...] = ()
    current_density: Quantity | None = None
    after_cycles: float | None = None
    subject: str | None = None  # material label when the fact is about a material property
    ref: int | None = None  # material facts: the citation of the study reporting it


@dataclass(frozen=True)
class CoatingRecord:
    """One deposited film in one study, as read from a table row or from prose."""

    doc: str
    ref: int | None
    material: str  # as written, e.g. "Al2O3", "AIEG/Al2O3"
    technique: str | None  # "ALD", "PE-ALD", "thermal ALD", "MLD", "ALD/MLD"
    substrate: str | None  # "Li", "Na", "K", "carbon nanofibre"
    span: Span
    source: str  # "table" or "prose"
    year: int | None = None
    precursors: tuple[str, ...] = ()
    steps: tuple[ProcessStep, ...] = ()
    temperatures: tuple[Quantity, ...] = ()  # deposition temperature(s)
    thicknesses: tuple[Quantity, ...] = ()
    deposition_cycles: tuple[Quantity, ...] = ()
    cell_tests: tuple[CellTest, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    characterization: tuple[str, ...] = ()  # methods named: "XPS", "AFM", "EIS"
    notes: tuple[str, ...] = ()
    anode_metal: str | None = None  # the alkali metal a host substrate carries ("K")


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything extract found in one document."""

    document: StructuredDocument
    coatings: tuple[CoatingRecord, ...]
    material_facts: tuple[Measurement, ...] = ()  # e.g. shear modulus of LiF (subject set)
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- resolve


@dataclass(frozen=True)
class Term:
    """A vocabulary entity: an IRI, its preferred label, and whether we minted it."""

    iri: str
    label: str
    is_new: bool = False
    kind: str = ""  # "Material", "Precursor", ...


@dataclass(frozen=True)
class ResolvedDocument:
    """An extracted document plus the IRI of every label it uses."""

    extracted: ExtractedDocument
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)  # (kind, label) → Term

    def term(self, kind: str, label: str) -> Term:
        return self.terms[(kind, label)]
