"""Attribution: which study (and which of its coatings) a sentence's facts belong to.

A review cites the study each fact is about; a sentence is linked to the study it cites (or the
study its paragraph is about) and to the material it names (or the paragraph's material). A
fact that does not fit the cited study (another alkali metal than its coating's) is not given
to it. The rule that decided is recorded on the fact's span as provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.prose.matcher import Mention
from ingest.prose.words import _DEPOSITION_VERB, _ET_AL, _is_alkali, _is_host
from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    Quantity,
    Sentence,
    Span,
    StructuredDocument,
)
from kg.vocab import Vocabulary, label_key


@dataclass
class _Draft:
    """The facts gathered so far for one (ref, material) coating."""

    ref: int | None
    material: str
    substrate: str | None
    technique: str | None
    span: Span
    table: CoatingRecord | None = None
    year: int | None = None
    precursors: list[str] = field(default_factory=list)
    temperatures: list[Quantity] = field(default_factory=list)
    thicknesses: list[Quantity] = field(default_factory=list)
    deposition_cycles: list[Quantity] = field(default_factory=list)
    cell_tests: list[CellTest] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    characterization: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anode_metal: str | None = None

    def has_facts(self) -> bool:
        return bool(
            self.table is None
            or self.temperatures
            or self.thicknesses
            or self.deposition_cycles
            or self.cell_tests
            or self.measurements
            or self.characterization
            or self.precursors
            or self.technique
            or self.notes
        )

    def record(self, doc_id: str) -> CoatingRecord:
        return CoatingRecord(
            doc=doc_id,
            ref=self.ref,
            material=self.material,
            technique=self.technique,
            substrate=self.substrate,
            span=self.span,
            source="prose",
            year=self.year,
            precursors=tuple(dict.fromkeys(self.precursors)),
            temperatures=tuple(self.temperatures),
            thicknesses=tuple(self.thicknesses),
            deposition_cycles=tuple(self.deposition_cycles),
            cell_tests=tuple(self.cell_tests),
            measurements=tuple(self.measurements),
            characterization=tuple(dict.fromkeys(self.characterization)),
            notes=tuple(dict.fromkeys(self.notes)),
            anode_metal=self.anode_metal,
        )


class Attribution:
    """The studies of one document and the coating drafts gathered for each so far."""

    def __init__(
        self,
        doc: StructuredDocument,
        table_records: Sequence[CoatingRecord],
        vocab: Vocabulary,
    ) -> None:
        self.doc = doc
        self.vocab = vocab
        self.tables: dict[int, list[CoatingRecord]] = {}
        for rec in table_records:
            if rec.ref is not None:
                self.tables.setdefault(rec.ref, []).append(rec)
        self.drafts: dict[tuple[int | None, str], _Draft] = {}
        self.warnings: list[str] = []

    def span(self, sentence: Sentence, rule: str) -> Span:
        return self.doc.span(
            sentence.start,
            sentence.end,
            section=sentence.section,
            sentence=sentence.index,
            rule=f"prose-{rule}",
        )

    @staticmethod
    def et_al_ref(sentence: Sentence) -> int | None:
        m = _ET_AL.search(sentence.text)
        if m and int(m.group(1)) in sentence.citations:
            return int(m.group(1))
        return None

    def deposition(self, sentence: Sentence, mentions: list[Mention]) -> _Draft | None:
        """A new study's coating when the sentence shows a deposition with a citation."""
        ref = self.et_al_ref(sentence)
        if ref is None and len(sentence.citations) == 1:
            ref = sentence.citations[0]
        if ref is None:
            return None
        techniques = [m for m in mentions if m.kind == "Technique"]
        if not techniques and not _DEPOSITION_VERB.search(sentence.text):
            return None
        materials = [m for m in mentions if m.kind == "Material"]
        substrates = [m for m in mentions if m.kind == "Substrate"]
        if not materials or not substrates:
            return None
        if ref in self.tables and not self._new_study_under_table_ref(ref, materials, substrates):
            return None
        hosts = [m for m in substrates if _is_host(m.concept)]
        substrate = (hosts or substrates)[0]
        technique = techniques[0].label if techniques else None
        draft = _Draft(
            ref=ref,
            material=materials[0].label,
            substrate=substrate.label,
            technique=technique,
            span=self.span(sentence, "deposition"),
        )
        draft.precursors.extend(m.label for m in mentions if m.kind == "Precursor")
        return draft

    def _substrate_label(self, text: str | None) -> str | None:
        if text is None:
            return None
        concept = self.vocab.lookup("Substrate", text)
        return concept.label if concept else text

    def _conflict(self, substrate: str | None, other: str | None) -> bool:
        theirs = self._substrate_label(other)
        return _is_alkali(substrate) and _is_alkali(theirs) and substrate != theirs

    def _new_study_under_table_ref(
        self, ref: int, materials: list[Mention], substrates: list[Mention]
    ) -> bool:
        """A cited number whose table row is another material on another metal names a new film.

        Reviews sometimes cite one number for two works (table: NaAlOx on Na; prose: Al2O3 on
        Li); the prose deposition is kept as its own coating rather than merged into the row.
        """
        table = self.tables[ref]
        table_keys = {label_key(r.material) for r in table}
        if any(
            label_key(m.text) in table_keys or label_key(m.label) in table_keys for m in materials
        ):
            return False
        metals = {m.label for m in substrates if _is_alkali(m.label)}
        table_metals = {self._substrate_label(r.substrate) for r in table}
        return bool(metals) and all(_is_alkali(t) and t not in metals for t in table_metals)

    def pick_material(
        self, ref: int | None, mentions: list[Mention], current: str | None
    ) -> str | None:
        materials = [m for m in mentions if m.kind == "Material"]
        table_keys = {label_key(r.material): r.material for r in self.tables.get(ref or -1, [])}
        for m in materials:
            for form in (m.text, m.label):
                if label_key(form) in table_keys:
                    return table_keys[label_key(form)]
        if materials:
            return materials[0].label
        return current

    def draft_for(
        self, ref: int, material: str | None, substrate: str | None, sentence: Sentence
    ) -> _Draft | None:
        """The coating a fact about (ref, material) belongs to, or None when unsure.

        A sentence about another alkali metal than the study's coating (a Na variant of a Li
        study) gives that coating nothing: no temperature, electrolyte or outcome.
        """
        if material is not None and (ref, label_key(material)) in self.drafts:
            draft = self.drafts[(ref, label_key(material))]
            return None if self._metal_mismatch(draft, substrate, sentence) else draft
        table = self.tables.get(ref, [])
        if table:
            fits = [r for r in table if not self._conflict(substrate, r.substrate)]
            if not fits:
                self._warn_metal(ref, substrate, sentence)
                return None
            match = next(
                (r for r in fits if material and label_key(r.material) == label_key(material)),
                None,
            )
            if match is None and len(table) == 1:
                match = fits[0]
            if match is None:
                return self._prose_draft(ref, material)
            key = (ref, label_key(match.material))
            if key not in self.drafts:
                self.drafts[key] = _Draft(
                    ref=ref,
                    material=match.material,
                    substrate=None,
                    technique=None,
                    span=self.span(sentence, "study"),
                    table=match,
                )
            return self.drafts[key]
        draft = self._prose_draft(ref, material)
        if draft is not None and self._metal_mismatch(draft, substrate, sentence):
            return None
        return draft

    def _warn_metal(self, ref: int | None, substrate: str | None, sentence: Sentence) -> None:
        self.warnings.append(
            f"sentence {sentence.index}: cites [{ref}] but is about {substrate}, which "
            "that study's table row does not use; its facts are not attributed"
        )

    def _metal_mismatch(self, draft: _Draft, substrate: str | None, sentence: Sentence) -> bool:
        theirs = draft.table.substrate if draft.table is not None else draft.substrate
        if not self._conflict(substrate, theirs):
            return False
        self._warn_metal(draft.ref, substrate, sentence)
        return True

    def _prose_draft(self, ref: int, material: str | None) -> _Draft | None:
        if material is not None and (ref, label_key(material)) in self.drafts:
            return self.drafts[(ref, label_key(material))]
        candidates = [d for (r, _), d in self.drafts.items() if r == ref and d.table is None]
        return candidates[0] if len(candidates) == 1 else None

    # ------------------------------------------------------------------ main loop
