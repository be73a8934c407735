"""Attribution: which study (and which of its coatings) a sentence's facts belong to.

A review cites the study each fact is about; a sentence is linked to the study it cites (or the
study its paragraph is about) and to the material it names (or the paragraph's material). A
fact that does not fit the cited study (another alkali metal than its coating's) is not given
to it. The rule that decided is recorded on the fact's span as provenance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ingest.prose.matcher import Mention
from ingest.prose.words import (
    _DEPOSITION_VERB,
    _ET_AL,
    _NOT_OBJECT_BEFORE,
    _OBJECT_BEFORE,
    _RESPECTIVELY,
    CATHODE,
    COMPARED_WITH,
    FIRST_PERSON,
    ION_BATTERY,
    METAL_ANODE,
    OTHER_ROUTE,
    PROCESS_VERB,
    TEST_SUBSTRATE,
    _cell_alkali,
    _is_alkali,
    quantity_key,
)
from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    Quantity,
    Sentence,
    Span,
    StructuredDocument,
)
from ingest.structure import heading_metals
from kg.vocab import Concept, Vocabulary, label_key

#: A sentence that refers back to the film just described ("the coated LATP", "these layers").
_REFERS_BACK = re.compile(
    r"\b(?:the|these|this|such)\s+(?:[\w-]+\s+){0,2}?(?:coated|protected|films?|layers?"
    r"|coatings?)\b",
    re.I,
)

#: Attribution rules, recorded on each span as ``akg:attributionRule``.
OWN_STUDY = "own-study"  # a primary study's uncited sentence: the document itself
CITED = "cited-in-sentence"  # the one study the sentence cites
ET_AL = "et-al-citation"  # the study named "X et al. [n]" in a sentence citing several
PARAGRAPH = "paragraph-study"  # an uncited sentence continuing its paragraph's study
CARRIED = "previous-paragraph-study"  # a paragraph going on about the previous one's study
SEGMENT = "citation-segment"  # the part of a sentence before one of its citations

_ON_SOMETHING = re.compile(r"\b(?:on|onto)\s+(?:an?\s+|the\s+)?[\w(]", re.I)

#: A section of works the review cites only for background: "5. Works not counted",
#: "The works in this section are cited for background only", "excluded from Table 1".
_BACKGROUND = re.compile(
    r"(?i)\b(?:not\s+counted|background\s+only|only\s+(?:as|for)\s+(?:background|context)"
    r"|for\s+(?:background|context)\s+only|excluded\s+from\s+(?:table|the\s+table|this\s+review)"
    r"|not\s+(?:included|listed)\s+in\s+(?:table|the\s+table|this\s+review))"
)


def background_sections(doc: StructuredDocument) -> frozenset[str]:
    """Sections whose heading, or first sentence, says their works are background only: what
    their sentences describe (a cathode coating, a process on wafers) is no coating of the
    review, and no fact of theirs goes to another study."""
    first: dict[str, str] = {}
    for sentence in doc.sentences:
        if sentence.section is not None:
            first.setdefault(sentence.section, sentence.text)
    return frozenset(
        heading
        for heading, _, _ in doc.sections
        if _BACKGROUND.search(heading) or _BACKGROUND.search(first.get(heading, ""))
    )


#: The placeholder material of a film deposited by ALD/MLD whose material the text never names.
UNNAMED_FILM = "unnamed film"

#: A noun for the deposited film itself, when no material names it ("a thin-layer coating",
#: "a hybrid artificial solid electrolyte interphase (ASEI)", "a protective overlayer").
_FILM_NOUN = re.compile(
    r"\b(?:coatings?|films?|layers?|overlayers?|interlayers?|nanofilms?|skins?"
    r"|artificial (?:solid[- ]electrolyte )?interphases?|ASEI)\b",
    re.I,
)

_FILM_WORD = (
    r"\s+(?:[\w-]+\s+){0,2}?(?:films?|layers?|coatings?|overlayers?|interlayers?|nanofilms?)\b"
)


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
    #: keys of the values held (quantity_key), so a repeat is found without comparing pairs
    seen: set[tuple[object, ...]] = field(default_factory=set)
    table_keys: frozenset[tuple[object, ...]] = frozenset()

    def __post_init__(self) -> None:
        if self.table is not None:
            self.table_keys = _record_keys(self.table)

    def add(self, values: str, q: Quantity, extra: object = None) -> bool:
        """Append ``q`` to the list field ``values`` unless it, or the table row, has it."""
        key = (values, quantity_key(q), extra)
        if key in self.seen or key in self.table_keys:
            return False
        self.seen.add(key)
        return True

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
        self._title: CoatedObject | None = None  # what a primary study's title says it coats
        self._spans: dict[tuple[int, str, str], Span] = {}

    def span(self, sentence: Sentence, rule: str, attribution: str = "") -> Span:
        """The sentence's provenance span, with the extraction and the attribution rule.

        Cached: a sentence with thousands of values gets one span object, not one copy of its
        text per value."""
        key = (sentence.index, rule, attribution)
        if key in self._spans:
            return self._spans[key]
        span = self.doc.span(
            sentence.start,
            sentence.end,
            section=sentence.section,
            sentence=sentence.index,
            rule=f"prose-{rule}",
        )
        span = replace(span, attribution=attribution) if attribution else span
        self._spans[key] = span
        return span

    @staticmethod
    def et_al_ref(sentence: Sentence) -> int | None:
        m = _ET_AL.search(sentence.text)
        if m and int(m.group(1)) in sentence.citations:
            return int(m.group(1))
        return None

    def deposition(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        following: Sequence[tuple[Sentence, list[Mention]]] = (),
    ) -> _Draft | None:
        """A new study's coating when the sentence shows a deposition with a citation.

        The coated object may come in the uncited sentences that follow in its paragraph
        ("ZnO was grown by ALD [5]. The coated LATP was then paired with Li ..."), named there
        after ``coated``/``on``, never a metal it is merely paired with.
        """
        ref = self.et_al_ref(sentence)
        if ref is None and len(sentence.citations) == 1:
            ref = sentence.citations[0]
        if ref is None:
            return None
        techniques = [m for m in mentions if m.kind == "Technique"]
        if not techniques and not _DEPOSITION_VERB.search(sentence.text):
            return None
        materials = [m for m in mentions if m.kind == "Material"]
        if not materials:
            return None
        target = coated_object(sentence.text, mentions)
        named = [m for m in mentions if m.kind == "Substrate"]
        for later, found in following:
            if target is not None:
                break
            if not _REFERS_BACK.search(later.text) or any(m.kind == "Technique" for m in found):
                continue  # not about this film: another process, or the review's own voice
            target = coated_object(later.text, found, strict=True)
            named += [
                m for m in found if m.kind == "Substrate" and m.label == (target and target.label)
            ]
        if target is None:
            target = self._heading_metal(sentence)
        if target is None or target.label is None:
            return None  # no coated anode-side object (or a cathode): not an anode coating
        if ref in self.tables and not self._new_study_under_table_ref(ref, materials, named):
            return None
        if not techniques and OTHER_ROUTE.search(sentence.text):
            return None  # made by another route (solution, sputtering, CVD...)
        technique = techniques[0].label if techniques else None
        several = len(sentence.citations) > 1
        rule = ET_AL if several and self.et_al_ref(sentence) == ref else CITED
        draft = _Draft(
            ref=ref,
            material=materials[0].label,
            substrate=target.label,
            technique=technique,
            span=self.span(sentence, "deposition", rule),
        )
        draft.precursors.extend(m.label for m in mentions if m.kind == "Precursor")
        return draft

    def _heading_metal(self, sentence: Sentence) -> CoatedObject | None:
        """The metal the sentence's section heading names ("II.1 Alumina on sodium"), for a
        deposition that names no object; none when the sentence puts the film on something
        the vocabulary does not know ("on silicon wafers")."""
        metals = heading_metals(sentence.section)
        if len(metals) != 1 or _ON_SOMETHING.search(sentence.text):
            return None
        concept = self.vocab.lookup("Substrate", metals[0])
        return CoatedObject(concept.label if concept else metals[0], sentence.section or "")

    # ------------------------------------------------------------------ primary studies

    def own_coatings(
        self,
        sentences: Sequence[Sentence],
        mentions: Sequence[list[Mention]],
        *,
        title: Sequence[Mention] = (),
    ) -> None:
        """A primary study's own coatings: the films its uncited sentences say it deposited.

        A paragraph (an abstract) spreads one deposition over its sentences: "We coat sodium
        foil at 75 °C by PE-ALD ... The 2.8 nm alumina film ...". Each film material named in
        it becomes a coating of the document itself (ref None) when the paragraph also says how
        it was made and what it coats. Made by another route, or on a cathode, it is noted and
        left out; so is a material the paragraph names before its own work begins ("we...").
        The title describes the study's own work: the anode, host or electrolyte it names
        ("... lithium metal anodes via ALD") is the object of a film whose paragraph names none.
        """
        self._title = coated_object(self.doc.title, title) if title else None
        if self._ion_battery_only():
            return
        paragraphs: dict[tuple[str | None, int], list[tuple[Sentence, list[Mention]]]] = {}
        for sentence, found in zip(sentences, mentions, strict=True):
            if not sentence.citations:
                key = (sentence.section, sentence.paragraph)
                paragraphs.setdefault(key, []).append((sentence, found))
        for group in paragraphs.values():
            self._own_in_paragraph(group)
        self._merge_class_words()
        if not any(ref is None for ref, _ in self.drafts):
            self._unnamed_coating(sentences, mentions)
        metal = _served_metal(sentences, mentions)
        for (ref, _), draft in self.drafts.items():
            if ref is None and metal and not _is_alkali(draft.substrate):
                draft.anode_metal = draft.anode_metal or metal

    def _ion_battery_only(self) -> bool:
        """A study of ion-battery electrodes ("TiO2 nanotubes as anodes for lithium-ion
        batteries", a film on Cu for LIBs) that names no alkali-metal anode anywhere: its
        films coat intercalation electrodes, not a metal anode, and "Li+" is no substrate."""
        text = self.doc.text
        match = ION_BATTERY.search(text)
        if match is None or METAL_ANODE.search(text):
            return False
        self.warnings.append(
            f"the study is about ion-battery electrodes ({match.group(0)!r}) and names no "
            "alkali-metal anode: its films are not recorded as anode coatings"
        )
        return True

    def _own_in_paragraph(self, group: list[tuple[Sentence, list[Mention]]]) -> None:
        process = [(s, m) for s, m in group if _process_sentence(s.text, m)]
        if not process:
            return
        own_start = own_work_start(group)
        seen: set[str] = set()
        for sentence, found in group:
            if own_start is not None and sentence.index < own_start:
                continue  # background before "we ...": another work's films
            for material in _specific(film_materials(sentence.text, found)):
                key = label_key(material.label)
                if key in seen or (None, key) in self.drafts:
                    continue
                seen.add(key)
                self._own_coating(material, sentence, found, process)

    def _own_coating(
        self,
        material: Mention,
        home: Sentence,
        found: list[Mention],
        process: list[tuple[Sentence, list[Mention]]],
    ) -> None:
        """Make the document's coating of ``material`` when its route and object are known."""
        nearby = sorted(process, key=lambda p: abs(p[0].index - home.index))
        others = [(s, m) for s, m in nearby if s.index != home.index]
        technique, route = _technique_or_route(home.text, found, material)
        if technique is None and route is None:
            ranked = sorted(others, key=lambda p: FIRST_PERSON.search(p[0].text) is None)
            for s, m in ranked:
                technique, route = _technique_or_route(s.text, m, None)
                if technique or route:
                    break
        target = _paragraph_target([(home, found), *others])
        if target is None and self._title is not None and self._title.label is not None:
            target = self._title  # the anode the title names
        name = f"sentence {home.index}: {material.label}"
        if route is not None:
            self.warnings.append(f"{name} is made by {route!r}, not ALD/MLD: not recorded")
        elif target is not None and target.test:
            self.warnings.append(
                f"{name} is grown on a test substrate ({target.text}) and no anode: not recorded"
            )
        elif target is None:
            self.warnings.append(f"{name} names no coated anode, host or electrolyte: not recorded")
        elif target.label is None:
            self.warnings.append(f"{name} coats a cathode ({target.text}): not an anode coating")
        elif technique is None:
            self.warnings.append(f"{name} on {target.label}: no ALD/MLD named, not recorded")
        else:
            draft = _Draft(
                ref=None,
                material=material.label,
                substrate=target.label,
                technique=technique,
                span=self.span(home, "deposition", OWN_STUDY),
            )
            mine = label_key(material.label)
            for s, m in [(home, found), *others]:
                films = {label_key(f.label) for f in film_materials(s.text, m)}
                if films <= {mine}:  # not about another film
                    draft.precursors.extend(_precursors(s.text, m))
            self.drafts[(None, label_key(material.label))] = draft

    def _merge_class_words(self) -> None:
        """ "a lithicone ... made by MLD from LTB and GL ... the resultant LiGL lithicone": the
        class word and the compound are one film. The class-word draft's process facts move to
        the one own compound of that class, and the class word then names that draft (so later
        sentences about "the lithicone" feed it). Two compounds of the class: left apart."""
        own = {k: d for (r, k), d in self.drafts.items() if r is None}
        for key, general in own.items():
            concept = self.vocab.lookup("Material", general.material)
            if concept is None or not _is_class_word(concept):
                continue
            compounds = [
                d
                for d in own.values()
                if d is not general
                and (c := self.vocab.lookup("Material", d.material)) is not None
                and not _is_class_word(c)
                and set(c.classes) >= set(concept.classes)
            ]
            if len(compounds) != 1:
                continue
            compound = compounds[0]
            compound.precursors.extend(general.precursors)
            compound.technique = compound.technique or general.technique
            compound.substrate = compound.substrate or general.substrate
            self.drafts[(None, key)] = compound

    def _unnamed_coating(
        self, sentences: Sequence[Sentence], mentions: Sequence[list[Mention]]
    ) -> None:
        """A study's own ALD/MLD film whose material it never names, as an ``unnamed film``.

        "We find that a thin coating applied by ALD on a hollow carbon host ...": the film, its
        substrate and its results are the study's findings even without the chemistry. Only
        when no sentence of the document names a film material (a named film, kept or left
        out, decides alone), and only from a first-person sentence that deposits the film by
        ALD/MLD (no other route) on an anode-side object the words say is coated. The draft is
        kept only if results follow (see :func:`keeps_unnamed`).
        """
        own = [(s, m) for s, m in zip(sentences, mentions, strict=True) if not s.citations]
        if any(film_materials(s.text, m) for s, m in own if _process_sentence(s.text, m)):
            return
        for sentence, found in own:
            text = sentence.text
            if not FIRST_PERSON.search(text) or OTHER_ROUTE.search(text):
                continue
            film = _FILM_NOUN.search(text)
            techniques = [
                m
                for m in found
                if m.kind == "Technique"
                and not COMPARED_WITH.search(text[max(0, m.start - 40) : m.start])
            ]
            target = coated_object(text, found, strict=True)
            if film is None or not techniques or target is None or target.label is None:
                continue
            technique = min(techniques, key=lambda m: abs(m.start - film.start()))
            draft = _Draft(
                ref=None,
                material=UNNAMED_FILM,
                substrate=target.label,
                technique=technique.label,
                span=self.span(sentence, "deposition", OWN_STUDY),
            )
            draft.precursors.extend(_precursors(text, found))
            self.drafts[(None, label_key(UNNAMED_FILM))] = draft
            return

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
        self,
        ref: int,
        material: str | None,
        substrate: str | None,
        sentence: Sentence,
        rule: str = "",
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
                    span=self.span(sentence, "study", rule),
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


# --------------------------------------------------------------------------- coated objects


def _paragraph_target(sentences: Sequence[tuple[Sentence, list[Mention]]]) -> CoatedObject | None:
    """What a paragraph's film coats: the first sentence's object (said or guessed), else a
    later one's; a test wafer ("on SiO2 substrates") only when no sentence says the film is on
    anything else, and then it wins over a metal named in passing ("for Na metal anodes")."""
    said = [coated_object(s.text, m, strict=True) for s, m in sentences]
    if any(t and t.test for t in said) and not any(t and not t.test for t in said):
        return next(t for t in said if t and t.test)
    targets = [coated_object(s.text, m) for s, m in sentences]
    return next((t for t in targets if t is not None and not t.test), None)


@dataclass(frozen=True)
class CoatedObject:
    """What a deposition sentence coats: a vocabulary substrate, or a cathode or a test
    substrate (``label`` None; ``test`` tells them apart)."""

    label: str | None
    text: str
    test: bool = False


def coated_object(
    text: str, mentions: Sequence[Mention], *, strict: bool = False
) -> CoatedObject | None:
    """The object a sentence's film is deposited on, or None when it names none.

    The words before each candidate decide: ``on``/``onto``/``coat``/``surface of`` make it the
    coated object, ``against``/``counter``/``bare`` make it another electrode ("Al2O3 on
    garnet ... against Li" coats the garnet). Without such words a host, current collector or
    solid electrolyte is preferred to a metal named in passing; a cathode or a test substrate
    (a Si wafer, SiO2) only counts when the words say it is coated. ``strict`` takes only an
    object the words say is coated.
    """
    candidates = [
        (m.start, CoatedObject(m.label, m.text)) for m in mentions if m.kind == "Substrate"
    ]
    candidates += [(c.start(), CoatedObject(None, c.group(0))) for c in CATHODE.finditer(text)]
    candidates += [
        (c.start(), CoatedObject(None, c.group(0), test=True))
        for c in TEST_SUBSTRATE.finditer(text)
    ]
    objects, others = [], []
    for start, candidate in sorted(candidates, key=lambda c: c[0]):
        before = text[max(0, start - 50) : start]
        if _NOT_OBJECT_BEFORE.search(before):
            continue
        if _OBJECT_BEFORE.search(before):
            objects.append(candidate)
        elif candidate.label is not None:
            others.append(candidate)
    if objects:  # a test wafer only when the sentence coats nothing else
        return next((o for o in objects if not o.test), objects[0])
    if not others or strict:  # strict: only an object the words say is coated
        return None
    non_metal = [o for o in others if not _is_alkali(o.label)]
    return (non_metal or others)[0]


#: "TiO2 nanotube layers", "SiO2 substrates", "SnO2 nanoparticles": the material names the
#: object or electrode (what is coated), not a film grown on something.
_STRUCTURE_AFTER = re.compile(
    r"[\s-]*(?:(?:porous|anodic|mesoporous)\s+)?(?:nanotubes?|nanowires?|nanorods?|nanosheets?"
    r"|nanoparticles?|particles?|powders?|substrates?|wafers?|electrodes?|anodes?|pellets?"
    r"|nanotube\s+(?:layers?|arrays?)|arrays?)\b",
    re.I,
)


def film_materials(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Materials the sentence presents as a film: in a deposition sentence, or "X film/layer"."""
    materials = [
        m
        for m in mentions
        if m.kind == "Material"
        and not COMPARED_WITH.search(text[max(0, m.start - 40) : m.start])
        and not _STRUCTURE_AFTER.match(text, m.end)
    ]
    if not materials:
        return []
    if _process_sentence(text, mentions):
        return materials
    return [m for m in materials if re.match(_FILM_WORD, text[m.end : m.end + 40], re.I)]


def own_work_start(group: Sequence[tuple[Sentence, list[Mention]]]) -> int | None:
    """Index of the sentence where a paragraph's own work begins: its first uncited sentence
    in the first person ("Here we ...", "In this work ...") that a process sentence follows
    (or is one). What comes before it is the field's background. A first-person sentence that
    only concludes ("Therefore, this work will ...", after the films were described) opens no
    own work, so it makes nothing before it background."""
    process = [s.index for s, m in group if _process_sentence(s.text, m)]
    for sentence, _ in group:
        if sentence.citations or not FIRST_PERSON.search(sentence.text):
            continue
        if any(index >= sentence.index for index in process):
            return sentence.index
    return None


def _process_sentence(text: str, mentions: Sequence[Mention]) -> bool:
    """A sentence about making a film: a technique, a deposition verb or another route."""
    return bool(
        any(m.kind == "Technique" for m in mentions)
        or PROCESS_VERB.search(text)
        or OTHER_ROUTE.search(text)
    )


def _technique_or_route(
    text: str, mentions: Sequence[Mention], material: Mention | None
) -> tuple[str | None, str | None]:
    """The ALD/MLD technique or the other route a sentence names (the one nearer the film)."""
    techniques = [m for m in mentions if m.kind == "Technique"]
    route = OTHER_ROUTE.search(text)
    if not techniques:
        return None, (route.group(0) if route else None)
    if material is None:
        technique = techniques[0]
    else:
        technique = _technique_of(text, mentions, techniques, material)
    if route is None:
        return technique.label, None
    at = material.start if material is not None else 0
    if abs(route.start() - at) < abs(technique.start - at):
        return None, route.group(0)
    return technique.label, None


#: Between a technique and the material it qualifies: at most two modifiers, no conjunction
#: or preposition ("ALD Al2O3", "the atomic layer deposition ZnO", "ALD-grown ultrathin LiF").
_QUALIFIES = re.compile(r"^[\s-]*(?:(?!and\b|or\b|by\b|with\b|on\b|of\b)[\w-]+\s+){0,2}$", re.I)


def _technique_of(
    text: str, mentions: Sequence[Mention], techniques: list[Mention], material: Mention
) -> Mention:
    """The technique phrase that makes ``material`` when a sentence names several: paired in
    order with "respectively", else the one written directly before it ("the ALD Al2O3"), else
    the first after it and before the next material ("alucone by MLD and Al2O3 by ALD"), else
    the nearest."""
    materials = [m for m in mentions if m.kind == "Material"]
    distinct = list(dict.fromkeys(m.label for m in techniques))
    if len(distinct) == 1:
        return techniques[0]
    if _RESPECTIVELY.search(text):
        names = list(dict.fromkeys(m.label for m in materials))
        if len(names) == len(distinct) and material.label in names:
            label = distinct[names.index(material.label)]
            return next(t for t in techniques if t.label == label)
    before = [t for t in techniques if t.end <= material.start]
    if before and _QUALIFIES.match(text[before[-1].end : material.start]):
        return before[-1]
    following = [m.start for m in materials if m.start > material.start]
    limit = following[0] if following else len(text)
    after = [t for t in techniques if material.end <= t.start < limit]
    if after:
        return after[0]
    return min(techniques, key=lambda m: abs(m.start - material.start))


#: Words that make a sentence's precursor names a dose of the process ("alternating TMA with
#: water", "from TMA and EG"), not air or solvent named in passing ("against O2 and H2O").
_DOSE_WORDS = re.compile(r"alternat\w*|pulse[sd]?\b|precursors?\b|\bfrom\b|\bexpos\w* to\b", re.I)
_NOT_DOSE_BEFORE = re.compile(r"\b(?:against|to|of|in)\s+(?:[\w,]+\s+){0,3}$", re.I)


def _precursors(text: str, mentions: Sequence[Mention]) -> list[str]:
    """The precursors a process sentence doses, in order."""
    if not _DOSE_WORDS.search(text) and not any(m.kind == "Technique" for m in mentions):
        return []
    found = []
    for m in mentions:
        if m.kind != "Precursor":
            continue
        before = text[max(0, m.start - 30) : m.start]
        if _NOT_DOSE_BEFORE.search(before) and not _DOSE_WORDS.search(before):
            continue
        found.append(m.label)
    return found


def keeps_unnamed(draft: _Draft) -> bool:
    """An unnamed film is a coating only with results: a cell test or a measured outcome."""
    return draft.material != UNNAMED_FILM or bool(draft.measurements or draft.cell_tests)


def _served_metal(sentences: Sequence[Sentence], mentions: Sequence[list[Mention]]) -> str | None:
    """The alkali metal a primary study's own work serves: the one its uncited sentences name
    most (as a metal or in a cell name such as K-Cu), leaving out comparisons ("than lithium").

    A film on a host, a Cu collector or a solid electrolyte is for that metal's anode; a tie
    (a study of Li and Na alike) names none.
    """
    counts: dict[str, int] = {}
    for sentence, found in zip(sentences, mentions, strict=True):
        if sentence.citations:
            continue
        for m in found:
            metal = m.label if m.kind == "Substrate" else None
            if m.kind == "CellType":
                metal = _cell_alkali(m)
            before = sentence.text[max(0, m.start - 40) : m.start]
            if _is_alkali(metal) and not COMPARED_WITH.search(before):
                counts[metal] = counts.get(metal, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _record_keys(record: CoatingRecord) -> frozenset[tuple[object, ...]]:
    """The keys of a table row's values, in the form :meth:`_Draft.add` checks."""
    keys = {("temperatures", quantity_key(q), None) for q in record.temperatures}
    keys |= {("thicknesses", quantity_key(q), None) for q in record.thicknesses}
    keys |= {("deposition_cycles", quantity_key(q), None) for q in record.deposition_cycles}
    keys |= {("measured", quantity_key(m.quantity), None) for m in record.measurements}
    return frozenset(keys)


def _is_class_word(concept: Concept) -> bool:
    """A class word ("alucone", "zircone") rather than a named compound: the vocabulary's
    ``Unnamed...`` members of a class stand for a film whose exact chemistry is not given."""
    return concept.iri.rsplit("/", 1)[-1].startswith("Unnamed")


def _specific(materials: list[Mention]) -> list[Mention]:
    """ "a zircone, a zirconium ethylene glycol hybrid (ZrEG)": the named compound, not the class
    word, when a sentence names both for one film."""
    named = [m for m in materials if not _is_class_word(m.concept)]
    return [
        m
        for m in materials
        if not _is_class_word(m.concept)
        or not any(set(n.concept.classes) >= set(m.concept.classes) for n in named)
    ]
