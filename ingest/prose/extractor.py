"""Prose extraction: the coating facts that a document's sentences state.

Tables give each study's headline numbers; the prose around them adds cell tests, electrolytes,
characterization methods, growth per cycle and whole studies that no table lists. The rules are
deliberately local and explainable: :mod:`ingest.prose.attribution` decides which study and
coating a sentence is about, :mod:`ingest.prose.words` what its numbers are, and numbers in
clauses about bare, uncoated or pristine electrodes are never attributed to the coating.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ingest.citations import Citations
from ingest.prose.attribution import (
    CARRIED,
    CITED,
    ET_AL,
    OWN_STUDY,
    PARAGRAPH,
    SEGMENT,
    Attribution,
    _Draft,
    background_sections,
    keeps_unnamed,
    own_work_start,
)
from ingest.prose.cells import CellTests
from ingest.prose.matcher import Mention, VocabularyMatcher, default_matcher
from ingest.prose.words import (
    _AFTER_WORD,
    _BARE,
    _CAPTION,
    _COATED_WORD,
    _CONTRAST_LEAD,
    _CYCLING_CONTEXT,
    _DEPOSITION_VERB,
    _NOT_CYCLING,
    _NOT_THICKNESS,
    _RESPECTIVELY,
    OUTCOME_KINDS,
    PROPERTY_KINDS,
    PROTOCOL_KINDS,
    _cell_alkali,
    _Clause,
    _clauses,
    _is_alkali,
    _is_coating_thickness,
    _is_deposition_temperature,
    _refine_kind,
    _subject,
    after_cycles_is_result,
    chosen_variant,
    find_quantities_in,
    is_not_an_outcome,
    names_film_after,
    quantity_key,
)
from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    Quantity,
    Sentence,
    StructuredDocument,
)
from kg.vocab import Vocabulary, label_key


@dataclass(frozen=True)
class _ClauseContext:
    """What the rules for one clause's values need to know about it."""

    sentence: Sentence
    clause: _Clause
    mentions: list[Mention]
    draft: _Draft
    state: dict[str, Any]
    ordered: list[tuple[Quantity, int, int]]  # the clause's values in text order
    cds: list[tuple[Quantity, int]]  # its current densities with their offsets
    electrolytes: tuple[str, ...]
    after_cycles: float | None


class _NearestSubject:
    """Whether the subject named last before a position is a bare electrode or the coating."""

    def __init__(self, coated: list[tuple[int, int]], bare: list[tuple[int, int]]) -> None:
        self.coated = sorted(s for s, _ in coated)
        self.bare = sorted(s for s, _ in bare)

    def is_bare(self, start: int) -> bool:
        b = bisect.bisect_left(self.bare, start)
        c = bisect.bisect_left(self.coated, start)
        last_bare = self.bare[b - 1] if b else -1
        last_coated = self.coated[c - 1] if c else -1
        return last_bare > last_coated


def _citation_segments(
    sentence: Sentence, studies: set[int], cites: Citations
) -> list[tuple[int, int, int, int]]:
    """(start, end, ref, shared): the part of a sentence about each study it cites, when every
    study it cites is cited once and apart ("Al2O3 on Li [3] and ZrO2 on Na [4]"); else none.

    A bracket after a clause closes the part about its study; a citation that names the
    subject ("Luo et al. (2017) used …, whereas Zhao et al. (2017) used …") opens it. The words
    before the first such citation ("Two groups grew Al2O3 on sodium: …") are shared: every
    part takes the material and substrate they name (``shared`` is where they end).
    """
    markers = [c for c in cites.located(sentence.text) if c.number in sentence.citations]
    refs = [c.number for c in markers]
    cited = {c for c in sentence.citations if c in studies}
    if len(markers) < 2 or set(refs) != cited or len(set(refs)) != len(refs):
        return []
    if len({c.start for c in markers}) != len(markers):
        return []  # "[3,4]": one place for two studies
    if all(c.narrative for c in markers):
        ends = [c.start for c in markers[1:]] + [len(sentence.text)]
        starts = [0, *ends[:-1]]
        shared = markers[0].start
        return [(s, e, c.number, shared) for s, e, c in zip(starts, ends, markers, strict=True)]
    if any(c.narrative for c in markers):
        return []
    segments, start = [], 0
    for c in markers:
        segments.append((start, c.end, c.number, 0))
        start = c.end
    return segments


def _part(mentions: list[Mention], start: int, end: int, shared: int) -> list[Mention]:
    """The mentions of one study's part of a sentence, with the shared lead-in's material and
    substrate."""
    return [
        m
        for m in mentions
        if start <= m.start < end or (m.start < shared and m.kind in ("Material", "Substrate"))
    ]


def _own_starts(
    sentences: list[Sentence], mentions: list[list[Mention]]
) -> dict[tuple[str | None, int], int]:
    """Per paragraph, the index of the sentence where its own work begins (``own_work_start``
    over its uncited sentences); paragraphs without one are all the study's own."""
    paragraphs: dict[tuple[str | None, int], list[tuple[Sentence, list[Mention]]]] = {}
    for sentence, found in zip(sentences, mentions, strict=True):
        if not sentence.citations:
            paragraphs.setdefault((sentence.section, sentence.paragraph), []).append(
                (sentence, found)
            )
    starts = {key: own_work_start(group) for key, group in paragraphs.items()}
    return {key: start for key, start in starts.items() if start is not None}


def _following(
    sentences: list[Sentence], mentions: list[list[Mention]], i: int, reach: int = 3
) -> list[tuple[Sentence, list[Mention]]]:
    """The uncited sentences after sentence ``i`` in its paragraph (a few), which go on about
    the study it cites."""
    found = []
    here = (sentences[i].section, sentences[i].paragraph)
    for j in range(i + 1, min(i + 1 + reach, len(sentences))):
        s = sentences[j]
        if (s.section, s.paragraph) != here or s.citations:
            break
        found.append((s, mentions[j]))
    return found


def _doses_follow(mentions: list[Mention], start: int, end: int) -> bool:
    """A precursor named in or right after a cycle count: the cycles dose it ("50 cycles of
    TMA", "20 TMA/H2O cycles")."""
    return any(m.kind == "Precursor" and start <= m.start <= end + 8 for m in mentions)


def _add_value(draft: _Draft, values: str, q: Quantity) -> None:
    """Append ``q`` to the draft's list ``values`` unless it, or the table row, has it."""
    if draft.add(values, q):
        getattr(draft, values).append(q)


#: A sentence that refers back to the paragraph's film instead of naming it.
_REFERS_TO_FILM = re.compile(
    r"\b(?:the|this|these|such|our)\s+(?:[\w-]+\s+){0,2}?(?:films?|layers?|coatings?|overlayers?)\b"
    r"|\b(?:coated|protected)\s+(?:[\w-]+\s+)?(?:electrodes?|anodes?|foils?|samples?)\b",
    re.I,
)


#: A clause that turns to the other sample: its values are not the coating's unless it names it.
_WHEREAS = re.compile(r"^[\s,;]*whereas\b", re.I)
#: "than bare sodium", "over uncoated Li": the bare electrode as the comparison, not the subject.
_COMPARED_WITH = re.compile(
    r"\b(?:than|over|versus|vs\.?|compared (?:to|with)|relative to)\s+(?:the\s+|that of\s+"
    r"|those (?:with|of)\s+|(?:cells?|batteries|electrodes?|anodes?) (?:with|of|using)\s+)?$",
    re.I,
)


#: What joins materials named together: "Al2O3 and ZnO", "TiO2, ZrO2 or HfO2".
_COORDINATION = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or|as well as)\s*$", re.I)


def _coordinated(
    text: str, named: list[Mention], drafts: dict[str, _Draft], clause: _Clause
) -> list[_Draft]:
    """The films a clause names first, together: the first one and each joined to it by
    "and", "or" or a comma. With "respectively" each value is one film's, so only the first."""
    group = [named[0]]
    if not _RESPECTIVELY.search(clause.text):
        for m in named[1:]:
            if not _COORDINATION.match(text[group[-1].end : m.start]):
                break
            group.append(m)
    found: dict[int, _Draft] = {}
    for m in group:
        draft = drafts[label_key(m.label)]
        found.setdefault(id(draft), draft)
    return list(found.values())


class _ProseExtractor:
    """One pass over a document's sentences; holds the paragraph state the rules need."""

    def __init__(
        self,
        doc: StructuredDocument,
        table_records: Sequence[CoatingRecord],
        matcher: VocabularyMatcher,
    ) -> None:
        self.doc = doc
        self.matcher = matcher
        self.vocab = matcher.vocab
        self.studies = Attribution(doc, table_records, matcher.vocab)
        self.cites = Citations(doc.references)
        self.cells = CellTests(matcher)
        self.tables = self.studies.tables
        self.drafts = self.studies.drafts
        self.facts: list[Measurement] = []
        self.warnings = self.studies.warnings
        #: (sentence, offset) of growth-per-cycle values a coating took as its own measurement
        self._claimed: set[tuple[int, int]] = set()
        #: per paragraph, the index of its first sentence in the first person ("We ...")
        self._own_start: dict[tuple[str | None, int], int] = {}

    def run(self) -> None:
        """Find the studies' coatings (pass 1), then give each sentence's facts to one (pass 2)."""
        background = background_sections(self.doc)
        sentences = [
            s for s in self.doc.sentences if not self._skip(s) and s.section not in background
        ]
        all_mentions = self.matcher.pipe(s.text for s in sentences)
        self._own_start = _own_starts(sentences, all_mentions)
        # pass 1: studies that no table lists but whose deposition a sentence describes
        for i, (sentence, mentions) in enumerate(zip(sentences, all_mentions, strict=True)):
            following = _following(sentences, all_mentions, i)
            parts = [(sentence, mentions)]
            if len(sentence.citations) > 1:
                segments = _citation_segments(sentence, set(sentence.citations), self.cites)
                for start, end, ref, shared in segments:
                    part = _part(mentions, start, end, shared)
                    parts.append((replace(sentence, citations=(ref,)), part))
            for cited, found in parts:
                draft = self.studies.deposition(cited, found, following)
                if draft and (draft.ref, label_key(draft.material)) not in self.drafts:
                    self.drafts[(draft.ref, label_key(draft.material))] = draft
        title = self.matcher.find(self.doc.title) if self.doc.kind == "primary" else []
        if self.doc.kind == "primary":
            self.studies.own_coatings(sentences, all_mentions, title=title)
        studies = set(self.tables) | {r for r, _ in self.drafts if r is not None}
        # pass 2: facts, with paragraph state
        state: dict[str, Any] = {}
        paragraph: tuple[str | None, int] | None = None
        for sentence, mentions in zip(sentences, all_mentions, strict=True):
            if (sentence.section, sentence.paragraph) != paragraph:
                carry = state.get("ref") if paragraph and paragraph[0] == sentence.section else None
                paragraph = (sentence.section, sentence.paragraph)
                state = {"ref": None, "material": None, "cell": None, "electrolytes": ()}
                state.update(cd=None, carry=carry, metal=None, draft=None, rule="")
            try:
                self._sentence(sentence, mentions, studies, state)
            except (ValueError, ArithmeticError) as e:  # one odd sentence never aborts a document
                self.warnings.append(
                    f"sentence {sentence.index}: could not be read ({e}); its facts are left out"
                )
        self._title_cells(title)

    def _title_cells(self, title: list[Mention]) -> None:
        """The cell a primary study's title names ("... for Li-S batteries") is a test of the
        study's own coatings (the title describes its own work), unless a sentence already
        named that cell for it."""
        cells = [m for m in title if m.kind == "CellType"]
        if not cells:
            return
        for (ref, _), draft in self.drafts.items():
            label = self.cells.cell_label(cells, self.cells.metal_of(title, draft))
            if ref is None and label:
                self.cells.add_test(draft, CellTest(label, (), ()))

    @staticmethod
    def _skip(sentence: Sentence) -> bool:
        text = sentence.text
        return bool(_CAPTION.match(text)) or "Reproduced with permission" in text

    def _sentence(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        studies: set[int],
        state: dict[str, Any],
    ) -> None:
        if self.doc.kind == "primary" and not sentence.citations:
            self._own_sentence(sentence, mentions, state)
            return
        own = self._owner(sentence, mentions, studies, state)
        if own is None:  # several studies: each its own part, else no single owner
            for start, end, ref, shared in _citation_segments(sentence, studies, self.cites):
                state.update(ref=ref, rule=SEGMENT, material=None, cell=None, draft=None)
                state.update(electrolytes=(), cd=None)
                part = _part(mentions, start, end, shared)
                self._study_facts(sentence, part, [ref], state, within=(start, end))
            state.update(ref=None, material=None, draft=None)
            return
        if state["ref"] is None:
            self._material_facts(sentence, mentions, state)
            return
        self._study_facts(sentence, mentions, own, state)

    def _study_facts(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        own: list[int],
        state: dict[str, Any],
        within: tuple[int, int] | None = None,
    ) -> None:
        """Give the facts of a sentence (or of its part ``within``) to the paragraph's study."""
        ref: int = state["ref"]
        material = self.studies.pick_material(ref, mentions, state["material"])
        substrates = [m.label for m in mentions if m.kind == "Substrate" and _is_alkali(m.label)]
        substrates += [a for m in mentions if m.kind == "CellType" and (a := _cell_alkali(m))]
        if len(set(substrates)) == 1:
            state["metal"] = substrates[0]  # the paragraph's topic until another metal is named
        substrate = substrates[0] if substrates else state.get("metal")
        draft = self.studies.draft_for(ref, material, substrate, sentence, state.get("rule", ""))
        if draft is None and own:
            state.update(ref=None, material=None)  # the cited study does not fit: do not carry it
        if material:
            state["material"] = material
        if draft is not None:
            if (
                draft.table is None
                and substrate
                and draft.substrate
                and not _is_alkali(draft.substrate)
            ):
                draft.notes.append(f"host for {substrate} metal anode")
                draft.anode_metal = draft.anode_metal or substrate
            state["draft"] = draft
            self._coating_facts(sentence, mentions, draft, state, within=within)
        if within is None:
            self._material_facts(sentence, mentions, state)

    def _owner(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        studies: set[int],
        state: dict[str, Any],
    ) -> list[int] | None:
        """Update the paragraph's study from the sentence's citations; None: several own it.

        The study and the rule that chose it are kept in ``state`` (``ref``, ``rule``): the
        sentence's one citation, the "X et al. [n]" of several, the paragraph's study for an
        uncited sentence, or the previous paragraph's study when its film is named again.
        """
        own = [c for c in sentence.citations if c in studies]
        et_al = self.studies.et_al_ref(sentence)
        if len(own) > 1:
            own = [et_al] if et_al in own else own
        if len(own) > 1:
            return None
        if not own and et_al is not None:
            # "first grown by Dameron et al. [121]": another (background) work is now the topic
            state.update(ref=None, material=None, cell=None, electrolytes=(), cd=None, draft=None)
        if own and own[0] != state["ref"]:
            state.update(ref=own[0], material=None, cell=None, electrolytes=(), cd=None)
            state["draft"] = None
        if own:
            state["rule"] = ET_AL if et_al == own[0] and len(sentence.citations) > 1 else CITED
        elif state["ref"] is not None:
            state["rule"] = PARAGRAPH
        if state["ref"] is None and not own and state.get("carry") is not None:
            # a paragraph that goes on about the previous paragraph's study names its film
            carried = state["carry"]
            films = {label_key(r.material) for r in self.tables.get(carried, [])}
            films |= {k for r, k in self.drafts if r == carried}
            if any(m.kind == "Material" and label_key(m.label) in films for m in mentions):
                state.update(ref=carried, rule=CARRIED)
        return own

    def _own_sentence(
        self, sentence: Sentence, mentions: list[Mention], state: dict[str, Any]
    ) -> None:
        """An uncited sentence of a primary study is about its own coating: the one it names,
        else the one the paragraph is about ("the film", "the coated Na")."""
        own = {k: d for (r, k), d in self.drafts.items() if r is None}
        named = [
            own[label_key(m.label)]
            for m in mentions
            if m.kind == "Material" and label_key(m.label) in own
        ]
        draft = named[0] if named else state.get("draft")
        films = {id(d): d for d in own.values()}  # a class word may name its compound's draft
        if draft is None and len(films) == 1 and not self._background(sentence):
            draft = next(iter(films.values()))
        state.update(ref=None, rule=OWN_STUDY, draft=draft)
        if len({id(d) for d in named}) > 1:  # "the Al2O3 film was 4 nm, while the TiO2 ..."
            parts = self._respective_parts(sentence, named) or self._parts_by_material(
                sentence, mentions, own
            )
            for start, end, part in parts:
                state["draft"] = part
                self._coating_facts(sentence, mentions, part, state, within=(start, end))
        elif draft is not None:
            self._coating_facts(sentence, mentions, draft, state)
        self._material_facts(sentence, mentions, state)

    def _background(self, sentence: Sentence) -> bool:
        """A sentence before its paragraph's own work begins (its first "we" that a process
        sentence follows): the field's background ("Lithium metal ... for example in Li-S
        cells"), whose cells and numbers are not the study's results."""
        start = self._own_start.get((sentence.section, sentence.paragraph))
        return start is not None and sentence.index < start

    def _respective_parts(
        self, sentence: Sentence, named: list[_Draft]
    ) -> list[tuple[int, int, _Draft]]:
        """ "TiO2 and ZnO films of 4 and 9 nm, respectively": the i-th value of a kind goes to
        the i-th film named, for each kind with exactly one value per film. Nothing when the
        sentence says no "respectively" or no kind has one value per film."""
        if not _RESPECTIVELY.search(sentence.text):
            return []
        films = list({id(d): d for d in named}.values())
        by_kind: dict[str, list[tuple[int, int]]] = {}
        for q, start, end in self._quantities(sentence):
            if q.kind:
                by_kind.setdefault(q.kind, []).append((start, end))
        return [
            (start, end, films[i])
            for spans in by_kind.values()
            if len(spans) == len(films)
            for i, (start, end) in enumerate(spans)
        ]

    @staticmethod
    def _parts_by_material(
        sentence: Sentence, mentions: list[Mention], drafts: dict[str, _Draft]
    ) -> list[tuple[int, int, _Draft]]:
        """Split a sentence about several own films at its clauses: each part goes to the film
        it names, or to every film it names together ("Al2O3 and ZnO coatings of 5-20 nm");
        a part naming none continues the films before."""
        parts: list[tuple[int, int, _Draft]] = []
        last: list[_Draft] = []
        for clause in _clauses(sentence.text):
            named = [
                m
                for m in mentions
                if m.kind == "Material"
                and label_key(m.label) in drafts
                and clause.start <= m.start < clause.end
            ]
            if named:
                last = _coordinated(sentence.text, named, drafts, clause)
                parts.extend((clause.start, clause.end, d) for d in last)
            elif parts:
                n = len(last)
                parts[-n:] = [(a, clause.end, d) for a, _, d in parts[-n:]]
        return parts

    # ------------------------------------------------------------------ facts

    def _material_facts(
        self, sentence: Sentence, mentions: list[Mention], state: dict[str, Any]
    ) -> None:
        """Properties of a material (modulus, conductivity) with the material as subject.

        The material is the one named nearest before the value (else after it), or the
        paragraph's film when the sentence refers to it ("the film", "the coating"). A growth
        per cycle a coating took as its own measurement is not repeated as a material fact.
        """
        quantities = self._quantities(sentence)
        for q, start, _end in quantities:
            if q.kind not in PROPERTY_KINDS or (sentence.index, start) in self._claimed:
                continue
            subject = _subject(mentions, start)
            label = subject.label if subject is not None else None
            draft = state.get("draft")
            if label is None and draft is not None and _REFERS_TO_FILM.search(sentence.text):
                label = draft.material
            if label is None:
                self.warnings.append(
                    f"sentence {sentence.index}: {q.kind} {q.text!r} names no vocabulary "
                    "material; not recorded as a material fact"
                )
                continue
            ref, rule = self._study_of_fact(sentence, label, state)
            self.facts.append(
                Measurement(
                    quantity=q,
                    span=self.studies.span(sentence, "material-property", rule),
                    subject=label,
                    ref=ref,
                )
            )

    def _study_of_fact(
        self, sentence: Sentence, material: str, state: dict[str, Any]
    ) -> tuple[int | None, str]:
        """The study a material property is reported in, and the rule that says so.

        A sentence often ends with a background citation ("... seven times the modulus needed
        to suppress dendrites [104]") while the value belongs to the study its paragraph is
        about: the paragraph's study wins when it has a coating of this material; otherwise
        the sentence's "X et al. [n]", its one citation, or the paragraph's study.
        """
        if state.get("rule") == OWN_STUDY:
            return None, OWN_STUDY
        ref = state.get("ref")
        et_al = self.studies.et_al_ref(sentence)
        if et_al is not None:
            return et_al, ET_AL
        if ref is not None and (ref, label_key(material)) in self.drafts:
            return ref, state.get("rule") or PARAGRAPH
        if ref is not None and any(
            label_key(r.material) == label_key(material) for r in self.tables.get(ref, [])
        ):
            return ref, state.get("rule") or PARAGRAPH
        if len(sentence.citations) == 1:
            return sentence.citations[0], CITED
        return (ref, PARAGRAPH) if ref is not None else (None, "")

    def _quantities(self, sentence: Sentence) -> list[tuple[Quantity, int, int]]:
        cache = self.__dict__.setdefault("_qcache", {})
        if sentence.index not in cache:
            found = []
            for q, start, end in find_quantities_in(sentence.text):
                found.append((_refine_kind(q, sentence.text, start, end), start, end))
            cache[sentence.index] = chosen_variant(found, sentence.text)
        return cache[sentence.index]

    def _coating_facts(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        draft: _Draft,
        state: dict[str, Any],
        within: tuple[int, int] | None = None,
    ) -> None:
        """Give ``draft`` the sentence's facts (only those in ``within``, a part of the text
        about this coating, when the sentence is about several)."""
        table = draft.table
        text = sentence.text
        quantities = self._quantities(sentence)
        if within is not None:
            quantities = [(q, a, b) for q, a, b in quantities if within[0] <= a < within[1]]
        state["segment"] = within  # a part of a sentence about one study: its own subject
        contrast = bool(_CONTRAST_LEAD.match(text))
        for method in (m.label for m in mentions if m.kind == "CharacterizationMethod"):
            if table is None or method not in table.characterization:
                draft.characterization.append(method)
        techniques = [m.label for m in mentions if m.kind == "Technique"]
        if table is not None and techniques:
            known = label_key(table.technique or "")
            specific = [
                m.label
                for m in mentions
                if m.kind == "Technique" and m.concept.broader and label_key(m.label) != known
            ]
            if specific and draft.technique is None:
                draft.technique = specific[0]
        if table is not None and not table.precursors and not table.steps:
            for p in (m.label for m in mentions if m.kind == "Precursor"):
                known = {label_key(x) for x in table.precursors} | {
                    label_key(s.precursor) for s in table.steps
                }
                if label_key(p) not in known and _DEPOSITION_VERB.search(text):
                    draft.precursors.append(p)
        # Sentence-wide test context, carried through the paragraph only to sentences that
        # name none of their own, and never across a change of cell type.
        cells = [m for m in mentions if m.kind == "CellType"]
        metal = self.cells.metal_of(mentions, draft)
        own_cell = self.cells.cell_label(cells, metal)
        if own_cell is None or own_cell == "full cell":  # the cathode may name it
            own_cell = self.cells.cathode_cell(text, metal or draft.anode_metal) or own_cell
        own_electrolytes = self.cells.electrolytes(text, mentions)
        if own_cell and state["cell"] and label_key(own_cell) != label_key(state["cell"]):
            state.update(electrolytes=(), cd=None)
        cell = own_cell or state["cell"]
        electrolytes = own_electrolytes or state["electrolytes"]
        state.update(cell=cell, electrolytes=electrolytes)
        current_densities = [q for q, _, _ in quantities if q.kind == "CurrentDensity"]
        if current_densities:
            state["cd"] = current_densities[-1]
        # an areal capacity of its own means the sentence states its protocol
        own_protocol = any(q.kind == "ArealCapacity" for q, _, _ in quantities)
        state["sentence_cd"] = None if own_protocol and not current_densities else state["cd"]
        if own_cell or own_electrolytes:
            self.cells.add_test(
                draft, CellTest(cell, tuple(electrolytes), tuple(current_densities))
            )
        for clause in _clauses(text):
            self._clause(sentence, clause, mentions, quantities, draft, state, contrast)

    def _clause(
        self,
        sentence: Sentence,
        clause: _Clause,
        mentions: list[Mention],
        quantities: list[tuple[Quantity, int, int]],
        draft: _Draft,
        state: dict[str, Any],
        contrast: bool,
    ) -> None:
        """Give the coating the values of one clause that are about the coated electrode."""
        inside = [(q, s, e) for q, s, e in quantities if clause.start <= s < clause.end]
        if not inside:
            return
        coated = [
            (m.start, m.end)
            for m in mentions
            if m.kind == "Material" and clause.start <= m.start < clause.end
        ]
        coated += [
            (m.start() + clause.start, m.end() + clause.start)
            for m in _COATED_WORD.finditer(clause.text)
            if not clause.text[max(0, m.start() - 2) : m.start()].lower().endswith("un")
        ]
        bare = [
            (m.start() + clause.start, m.end() + clause.start) for m in _BARE.finditer(clause.text)
        ]
        # "than bare sodium": the comparison, not the subject of the values after it
        subjects = [
            (a, b) for a, b in bare if not _COMPARED_WITH.search(sentence.text[max(0, a - 25) : a])
        ]
        turns = (
            bool(_WHEREAS.match(clause.text)) and state.get("segment") is None
        )  # "..., whereas on 40 µm foil ...": the other
        if (contrast or bare or turns) and not coated:
            return  # the clause is about the bare electrode
        keep = {(s, e) for _, s, e in self._respectively(clause, inside, coated, bare)}
        paired = len(keep) < len(inside)  # "respectively" already chose the coated values
        ctx = self._clause_context(sentence, clause, mentions, inside, draft, state)
        nearest = _NearestSubject(coated, subjects)
        for index, (q, start, end) in enumerate(ctx.ordered):
            if (start, end) not in keep:
                continue
            bare_value = bare and not paired and q.kind != "Thickness"
            if bare_value and nearest.is_bare(start):
                continue
            self._place(ctx, index, q, start, end)

    def _clause_context(
        self,
        sentence: Sentence,
        clause: _Clause,
        mentions: list[Mention],
        inside: list[tuple[Quantity, int, int]],
        draft: _Draft,
        state: dict[str, Any],
    ) -> _ClauseContext:
        text = sentence.text
        electrolytes = self.cells.electrolytes(
            clause.text,
            [
                replace(m, start=m.start - clause.start, end=m.end - clause.start)
                for m in mentions
                if clause.start <= m.start < clause.end
            ],
        )
        ordered = sorted(inside, key=lambda t: t[1])
        after_cycles = None
        for q, s, _ in ordered:
            if q.kind == "CycleCount" and _AFTER_WORD.search(text[max(0, s - 12) : s]):
                after_cycles = q.canonical_value if q.canonical_value is not None else q.value
        return _ClauseContext(
            sentence=sentence,
            clause=clause,
            mentions=mentions,
            draft=draft,
            state=state,
            ordered=ordered,
            cds=[(q, s) for q, s, _ in ordered if q.kind == "CurrentDensity"],
            electrolytes=electrolytes,
            after_cycles=after_cycles,
        )

    def _place(self, ctx: _ClauseContext, index: int, q: Quantity, start: int, end: int) -> None:
        """Put one value where it belongs: the process (temperature, thickness...) or an outcome."""
        text, draft = ctx.sentence.text, ctx.draft
        if q.kind == "CycleCount" and _doses_follow(ctx.mentions, start, end):
            q = replace(q, kind="DepositionCycles")  # "50 cycles of TTIP and H2O"
        if q.kind == "DepositionTemperature" or q.canonical_unit == "degC":
            if _is_deposition_temperature(text, start, end):
                _add_value(draft, "temperatures", q)
            return
        if q.kind == "Thickness":
            if _is_coating_thickness(text, start, end) or (
                names_film_after(ctx.mentions, text, end)
                and not _NOT_THICKNESS.search(text[end : end + 12])
            ):
                _add_value(draft, "thicknesses", q)
            return
        if q.kind == "DepositionCycles":
            _add_value(draft, "deposition_cycles", q)
            return
        if q.kind == "CycleCount" and "cycle" not in q.text:
            return  # a bare number is no count
        if (
            q.kind == "CycleCount"
            and _AFTER_WORD.search(text[max(0, start - 12) : start])
            and not self._after_is_result(ctx)
        ):
            return  # "retains 80% after 100 cycles": a condition of the retention
        if q.kind in ("CyclingDuration", "CycleCount") and (
            not _CYCLING_CONTEXT.search(ctx.clause.text)
            or _NOT_CYCLING.search(text[max(0, start - 50) : end + 20])
        ):
            return  # hours of air exposure or soaking are not cycling life
        if q.kind == "GrowthPerCycle":
            self._growth_per_cycle(ctx.sentence, ctx.mentions, q, start, draft)
            return
        if q.kind not in OUTCOME_KINDS or is_not_an_outcome(q, text, start, end):
            return
        if ("measured", quantity_key(q), None) in draft.table_keys:
            return
        self._outcome(ctx, index, q)

    @staticmethod
    def _after_is_result(ctx: _ClauseContext) -> bool:
        """ "after N cycles" is the result when nothing else of the clause is measured then."""
        others = [
            q
            for q, _, _ in ctx.ordered
            if q.kind in OUTCOME_KINDS and q.kind not in PROTOCOL_KINDS and q.kind != "CycleCount"
        ]
        return not others and after_cycles_is_result(ctx.clause.text)

    def _outcome(self, ctx: _ClauseContext, index: int, q: Quantity) -> None:
        """One measurement per current density the outcome was measured at."""
        state, draft = ctx.state, ctx.draft
        pairs = (
            self._current_densities_for(index, ctx.ordered, ctx.cds, draft)
            if ctx.cds
            else [state.get("sentence_cd", state["cd"])]
        )
        for cd in pairs:
            measurement = Measurement(
                quantity=q,
                span=self.studies.span(ctx.sentence, "measurement", state.get("rule", "")),
                cell_type=state["cell"],
                electrolytes=ctx.electrolytes or tuple(state["electrolytes"]),
                current_density=cd,
                after_cycles=ctx.after_cycles if q.kind != "CycleCount" else None,
            )
            if draft.add("measurements", q, cd and quantity_key(cd)):
                draft.measurements.append(measurement)
                draft.add("measured", q)

    def _growth_per_cycle(
        self, sentence: Sentence, mentions: list[Mention], q: Quantity, start: int, draft: _Draft
    ) -> None:
        """A GPC is the coating's (once, without cell conditions) unless it names another film."""
        subject = _subject(mentions, start)
        if subject is not None and label_key(subject.label) != label_key(draft.material):
            table_forms = {label_key(draft.material)}
            if label_key(subject.text) not in table_forms:
                return  # about another material: a material fact, not this coating's process
        self._claimed.add((sentence.index, start))
        if draft.add("measured", q):
            draft.measurements.append(Measurement(q, self.studies.span(sentence, "measurement")))

    @staticmethod
    def _current_densities_for(
        index: int,
        ordered: list[tuple[Quantity, int, int]],
        cds: list[tuple[Quantity, int]],
        draft: _Draft,
    ) -> list[Quantity | None]:
        """Current densities after an outcome (up to the next outcome), else the last before it.

        Positions are searched with bisect, so a clause with thousands of values stays linear.
        """
        if not cds:
            return [None]
        start = ordered[index][1]
        positions = [s for _, s in cds]
        outcome_starts = [
            s for q, s, _ in ordered if q.kind in OUTCOME_KINDS and q.kind not in PROTOCOL_KINDS
        ]
        after = bisect.bisect_right(outcome_starts, start)
        nxt = outcome_starts[after] if after < len(outcome_starts) else float("inf")
        lo, hi = bisect.bisect_right(positions, start), bisect.bisect_left(positions, nxt)
        if hi > lo:
            return [q for q, _ in cds[lo:hi]]
        before = bisect.bisect_left(positions, start)
        return [cds[before - 1][0]] if before else [cds[0][0]]

    @staticmethod
    def _respectively(
        clause: _Clause,
        inside: list[tuple[Quantity, int, int]],
        coated: list[tuple[int, int]],
        bare: list[tuple[int, int]],
    ) -> list[tuple[Quantity, int, int]]:
        """With ``respectively``, keep only the values that line up with the coated subject."""
        if not _RESPECTIVELY.search(clause.text) or not bare:
            return list(inside)
        first_q = min(s for _, s, _ in inside)
        subjects = sorted(
            [(s, "coated") for s, _ in coated if s < first_q]
            + [(s, "bare") for s, _ in bare if s < first_q]
        )
        # collapse "TiO2 -coated" (a material then the word coated) into one subject
        order: list[str] = []
        for _, what in subjects:
            if not order or order[-1] != what:
                order.append(what)
        kept: list[tuple[Quantity, int, int]] = []
        by_kind: dict[str, list[tuple[Quantity, int, int]]] = {}
        for item in sorted(inside, key=lambda t: t[1]):
            by_kind.setdefault(item[0].kind, []).append(item)
        for items in by_kind.values():
            if len(items) == len(order) and len(items) > 1:
                kept.extend(i for i, what in zip(items, order, strict=True) if what == "coated")
            else:
                kept.extend(items)
        return kept

    def results(self) -> list[CoatingRecord]:
        drafts = list({id(d): d for d in self.drafts.values()}.values())  # a class word's alias
        for draft in drafts:
            self.cells.solid_electrolyte(draft)
            self.cells.settle_measurements(draft)
        return [d.record(self.doc.doc_id) for d in drafts if d.has_facts() and keeps_unnamed(d)]


# --------------------------------------------------------------------------- word rules


def extract_prose(
    doc: StructuredDocument,
    table_records: Sequence[CoatingRecord],
    *,
    vocab: Vocabulary | None = None,
) -> tuple[list[CoatingRecord], list[Measurement], list[str]]:
    """Coating facts and material properties that the document's prose adds to its tables.

    Args:
        doc: the structured document (sentences carry section, paragraph and citations).
        table_records: the coatings read from the document's tables; prose records for the
            same (ref, material) carry only facts the table does not already give.
        vocab: the vocabulary to match; the project vocabulary by default.

    Returns:
        (prose coating records, material property facts with ``subject`` set, warnings).
    """
    matcher = default_matcher() if vocab is None else VocabularyMatcher(vocab)
    extractor = _ProseExtractor(doc, table_records, matcher)
    extractor.run()
    return extractor.results(), extractor.facts, extractor.warnings
