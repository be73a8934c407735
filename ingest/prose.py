"""Sentence-level extraction of coating facts from review prose.

Tables give each study's headline numbers; the prose around them adds cell tests, electrolytes,
characterization methods, growth per cycle and whole studies that no table lists. Every term
is found through patterns generated from the vocabulary's SKOS labels, so a material or
precursor added to ``ontology/vocab.ttl`` is recognised here without a code change.

The rules are deliberately local and explainable: a sentence is linked to the study it cites
(or the study its paragraph is about), to the material it names (or the paragraph's material),
and numbers in clauses about bare, uncoated or pristine electrodes are never attributed to the
coating.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ingest.records import (
    CellTest,
    CoatingRecord,
    Measurement,
    Quantity,
    Sentence,
    Span,
    StructuredDocument,
)
from kg.vocab import Concept, Vocabulary, label_key, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language

#: Vocabulary kinds matched in prose, in the order that wins when one surface form names two.
MATCH_KINDS: tuple[str, ...] = (
    "Technique",
    "Material",
    "Substrate",
    "CellType",
    "Precursor",
    "Salt",
    "Solvent",
    "ElectrolyteFamily",
    "CharacterizationMethod",
)

#: Quantity kinds that are outcomes of a cell test on a coated electrode.
OUTCOME_KINDS = frozenset(
    {
        "CyclingDuration",
        "CycleCount",
        "CoulombicEfficiency",
        "CapacityRetention",
        "Overpotential",
        "SpecificCapacity",
    }
)
#: Quantity kinds that describe a material rather than one cell test.
PROPERTY_KINDS = frozenset(
    {"IonicConductivity", "ShearModulus", "ElasticModulus", "Modulus", "GrowthPerCycle"}
)
_ALKALI = ("Li", "Na", "K")
#: Cell types that say less than a named pair (``Li-Cu``, ``Na-S``) when both are given.
_HALF_CELL = "metal-Cu half cell"
_GENERIC_CELLS = frozenset({"full cell", "symmetric", _HALF_CELL})

_WORD_FORM = re.compile(r"[a-z]{4,}")
_BARE = re.compile(
    r"\b(?:bare|uncoated|pristine|unprotected|untreated|unmodified|traditional)\b", re.I
)
_COATED_WORD = re.compile(r"(?<![A-Za-z])(?:coated|protected|coatings?|films?|layers?)\b", re.I)
_CONTRAST_LEAD = re.compile(r"^\s*(?:Comparatively|In contrast|By contrast|Conversely)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r",\s*(?=(?:while|whereas|but|compared (?:to|with)|in contrast)\b)|;\s+|\s(?=whereas\b)", re.I
)
_DEPOSITION_VERB = re.compile(
    r"(?<![\w-])(?:deposited|deposit|deposition|coated|coating|grown|grew|fabricated|applied)\b",
    re.I,
)
_ET_AL = re.compile(r"et al\.?[^\[\].;]{0,60}?\[(\d+)")
_DEP_TEMP_WORDS = re.compile(
    r"deposit\w*|coated|coating|grown|growth|chamber temperature|fabricated|\bALD\b|\bMLD\b",
    re.I,
)
_NON_DEP_TEMP_WORDS = re.compile(
    r"anneal\w*|heat\w*|infus\w*|melt\w*|exposure|humidity|tested|cycled|cycling|room temperature"
    r"|sinter\w*|vapou?r|calcin\w*|dried|drying|storage|stored|\bair\b|atmospher\w*|sustained",
    re.I,
)
_THICKNESS_AFTER = re.compile(
    r"^\s*(?:-|‐)?\s*thick\b|^[^.;]{0,40}?(?:coatings?|films?|layers?|nanofilms?|-?\s*coated)\b",
    re.I,
)
_NOT_THICKNESS = re.compile(r"foils?\b|above|below|diameter|depth|\bsize\b|particles?", re.I)
_AFTER_WORD = re.compile(r"\bafter\s*$", re.I)
_DEP_CYCLES = re.compile(r"^\s*(?:\(\s*)?(?:ALD|MLD|deposition|total)\b", re.I)
_ELECTROCHEM_GAP = re.compile(r"charge|discharge|plating|stripping", re.I)
_ELECTROLYTE_PHRASE = re.compile(
    r"\b\d+(?:\.\d+)?\s*M\s+[A-Za-z0-9()]+(?:\s+in\s+[^,;.]+?(?:\([^)]*\))?)?(?=[,;.)]|\s+(?:with|at|and|electrolyte|solution)\b|$)"
)
_CYCLING_CONTEXT = re.compile(
    r"cycl\w*|stabl[ey]\w*|hysteresis|overpotential|lifespan|\blife\b|plating|stripping|fail",
    re.I,
)
_NOT_CYCLING = re.compile(r"exposure|soak\w*|immers\w*|anneal\w*|sputter\w*|\bair\b", re.I)
_CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Scheme)\s+\d+", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Mention:
    """A vocabulary term found in a sentence; offsets are into the sentence text."""

    kind: str
    label: str  # the concept's preferred label
    text: str  # as written
    start: int
    end: int
    concept: Concept


def _form_pattern(form: str) -> str:
    """A regex for one surface form: flexible spacing and dashes; words match any case."""
    pattern = re.escape(form)
    pattern = pattern.replace(r"\ ", r"\s*").replace(r"\-", r"[-‐–—]")
    if _WORD_FORM.search(form):  # a word, not a formula or acronym: case and plural are free
        return rf"(?i:{pattern})(?:e?s)?"
    return pattern


_DASHES = "-‐–—"


def _first_key(form: str) -> str:
    """The group a surface form's first character puts it in (case-folded; dashes are one)."""
    return "-" if form[0] in _DASHES else form[0].casefold()


def _vocabulary_regex(ordered: Sequence[str]) -> re.Pattern[str]:
    """One regex over every surface form, longest first, grouped by first character.

    A lookahead on the (case-folded) first character skips a whole group at once, so each
    position tries a few dozen groups instead of every form. Forms that share a first
    character keep their longest-first order, and forms in different groups cannot match at
    the same position, so the matches are those of the plain ordered alternation.
    """
    groups: dict[str, list[str]] = {}
    for form in ordered:
        groups.setdefault(_first_key(form), []).append(_form_pattern(form))
    branches = []
    for key, patterns in groups.items():
        if key == "-":
            guard = f"(?=[{_DASHES}])"
        elif len(key) == 1:
            guard = f"(?=(?i:{re.escape(key)}))"
        else:  # a character whose case fold is longer (ß → ss): no guard, always tried
            guard = ""
        branches.append(f"{guard}(?:{'|'.join(patterns)})")
    return re.compile(rf"(?<![A-Za-z])(?:{'|'.join(branches)})(?![A-Za-z0-9])")


#: Tokens for the entity pipeline: runs of ASCII letters, or any other single character,
#: each with the one space that follows it. Vocabulary patterns start after a non-letter and
#: end before a non-alphanumeric, so every match falls on token boundaries.
_TOKEN_WITH_SPACE = re.compile(r"([A-Za-z]+|\S)( ?)")
_TOKEN_ANY = re.compile(r"[A-Za-z]+|\S|\s")
_IRREGULAR_SPACE = re.compile(r"^ |  |[^\S ]")


class BoundaryTokenizer:
    """A spaCy tokenizer whose token boundaries include every vocabulary match boundary.

    spaCy's rule-based English tokenizer keeps ``Al2O3-coated`` or ``PCNF@SnO2`` together, so
    an entity inside them could only be approximated; these tokens let ``doc.ents`` hold the
    exact matched characters.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc

        if _IRREGULAR_SPACE.search(text) is None:  # single spaces between tokens only
            pairs = _TOKEN_WITH_SPACE.findall(text)
            words = [w for w, _ in pairs]
            spaces = [sp == " " for _, sp in pairs]
        else:  # leading spaces, runs of spaces, tabs or newlines: whitespace tokens
            words, spaces = [], []
            for piece in _TOKEN_ANY.findall(text):
                if piece == " " and words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                else:
                    words.append(piece)
                    spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


class VocabularyEntities:
    """The spaCy pipeline component that sets ``doc.ents`` from vocabulary patterns.

    Labels are vocabulary kinds (``Material``, ``Precursor``...) and ``kb_id`` the concept
    IRI. The patterns are generated from the vocabulary's SKOS labels by
    :class:`VocabularyMatcher` and given to the component with :meth:`add_patterns`.
    """

    def __init__(self) -> None:
        self.regex: re.Pattern[str] | None = None
        self.lookup: Any = None

    def add_patterns(self, regex: re.Pattern[str], lookup: Any) -> None:
        """``regex`` finds candidate surface forms; ``lookup(text)`` gives their Concept."""
        self.regex = regex
        self.lookup = lookup

    def __call__(self, doc: Any) -> Any:
        return self.set_entities(doc, doc.text)

    def set_entities(self, doc: Any, text: str) -> Any:
        """Set ``doc.ents``; ``text`` is ``doc.text`` (passed when known, to skip the join)."""
        if self.regex is None:
            raise ValueError("vocabulary_entities has no patterns: call add_patterns first")
        spans = []
        for m in self.regex.finditer(text):
            concept = self.lookup(m.group(0))
            if concept is None:
                continue
            span = doc.char_span(m.start(), m.end(), label=concept.kind, kb_id=concept.iri)
            if span is None:  # cannot happen with BoundaryTokenizer; say so if it does
                raise ValueError(f"vocabulary match {m.group(0)!r} is not on token boundaries")
            spans.append(span)
        doc.ents = spans
        return doc


@lru_cache(maxsize=1)
def _register_component() -> str:
    """Register the ``vocabulary_entities`` factory with spaCy (once, on first use)."""
    from spacy.language import Language

    @Language.factory("vocabulary_entities")
    def make_vocabulary_entities(nlp: Language, name: str) -> VocabularyEntities:
        return VocabularyEntities()

    return "vocabulary_entities"


class VocabularyMatcher:
    """Finds vocabulary terms in sentences with a spaCy pipeline built from SKOS labels.

    Patterns are matched on characters (word boundaries from the regex, not the tokenizer) so
    formulas are found inside ``Al2O3-coated``, ``PCNF@SnO2`` and ``Na@25Al2O3``. The
    pipeline's ``vocabulary_entities`` component turns the matches into ``doc.ents`` (label:
    the kind, ``kb_id``: the concept IRI), and mentions are read back from those entities.
    """

    def __init__(self, vocab: Vocabulary, kinds: Sequence[str] = MATCH_KINDS) -> None:
        self.vocab = vocab
        self.kinds = tuple(kinds)
        self._by_key: dict[str, Concept] = {}
        forms: set[str] = set()
        for kind in self.kinds:  # earlier kinds win a shared surface form
            for concept in vocab.of_kind(kind):
                for form in concept.surface_forms:
                    if len(form.strip()) < 1:
                        continue
                    self._by_key.setdefault(label_key(form), concept)
                    forms.add(form.strip())
        self._by_iri = {c.iri: c for c in self._by_key.values()}
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        self.regex = _vocabulary_regex(ordered)
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """A blank pipeline whose one component is the vocabulary entity recognizer.

        Built on first use (importing spaCy costs about 1 s). The base ``Language`` is enough:
        the tokenizer is :class:`BoundaryTokenizer`, so English tokenizer rules (which take
        about 0.5 s to build) would never be used.
        """
        if self._nlp is None:
            from spacy.language import Language

            nlp = Language()
            nlp.tokenizer = BoundaryTokenizer(nlp.vocab)
            component = nlp.add_pipe(_register_component())
            component.add_patterns(self.regex, self.concept_for)
            self._nlp = nlp
        return self._nlp

    def concept_for(self, text: str) -> Concept | None:
        key = label_key(text)
        concept = self._by_key.get(key)
        if concept is None and key.endswith("s"):
            concept = self._by_key.get(key[:-1]) or self._by_key.get(key[:-2])
        return concept

    def find(self, text: str) -> list[Mention]:
        """Leftmost-longest vocabulary mentions in ``text`` (regex only, no Doc)."""
        found: list[Mention] = []
        for m in self.regex.finditer(text):
            concept = self.concept_for(m.group(0))
            if concept is not None:
                found.append(
                    Mention(concept.kind, concept.label, m.group(0), m.start(), m.end(), concept)
                )
        return found

    def mentions(self, doc: Any) -> list[Mention]:
        """The mentions a processed Doc's entities record."""
        by_iri = self._by_iri
        found = []
        for span in doc.ents:
            concept = by_iri[span.kb_id_]
            found.append(
                Mention(
                    span.label_, concept.label, span.text, span.start_char, span.end_char, concept
                )
            )
        return found

    def pipe(self, texts: Iterable[str]) -> list[list[Mention]]:
        """Mentions for many sentences, read from the ``doc.ents`` the pipeline sets.

        Equivalent to ``nlp.pipe(texts)``: each text is tokenized (``make_doc``) and given to
        the ``vocabulary_entities`` component, which is passed the text it already has so
        that ``doc.text`` is not rebuilt from the tokens.
        """
        nlp = self.nlp
        component: VocabularyEntities = nlp.get_pipe("vocabulary_entities")
        results: list[list[Mention]] = []
        for text in texts:
            doc = component.set_entities(nlp.make_doc(text), text)
            results.append(self.mentions(doc))
        return results


@lru_cache(maxsize=1)
def default_matcher() -> VocabularyMatcher:
    """The matcher for the project vocabulary, built once per process on first use."""
    return VocabularyMatcher(load_vocabulary())


def _find_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """ingest.quantities.find_quantities, imported late so importing this module stays cheap."""
    from ingest.quantities import find_quantities

    return list(find_quantities(text))


# --------------------------------------------------------------------------- per-study state


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


def _same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.kind != b.kind and {a.kind, b.kind} - {"CycleCount", "DepositionCycles"}:
        return False
    av = a.canonical_value if a.canonical_value is not None else a.high
    bv = b.canonical_value if b.canonical_value is not None else b.high
    if av is None or bv is None:
        return (a.low, a.high) == (b.low, b.high)
    return abs(av - bv) <= 1e-6 * max(abs(av), abs(bv), 1e-30)


def _contains(quantities: Iterable[Quantity], q: Quantity) -> bool:
    return any(_same_quantity(q, other) for other in quantities)


# --------------------------------------------------------------------------- the extractor


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    text: str


def _clauses(text: str) -> list[_Clause]:
    """Split at the words that turn a sentence to another subject (`, while`, `whereas`, ...)."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text)]
    return [_Clause(a, b, text[a:b]) for a, b in itertools.pairwise(cuts) if b > a]


def _subject(mentions: list[Mention], start: int) -> Mention | None:
    """The material a property value is about: the nearest named before it, else after it."""
    materials = [m for m in mentions if m.kind == "Material"]
    before = [m for m in materials if m.end <= start]
    after = [m for m in materials if m.start >= start]
    return before[-1] if before else (after[0] if after else None)


def _clean_electrolyte(text: str) -> str:
    """An electrolyte as written, without the sentence's trailing punctuation or spacing."""
    return re.sub(r"\s+", " ", re.sub(r"[\s,;:.]+$", "", text)).strip()


def _is_alkali(label: str | None) -> bool:
    return label in _ALKALI


def _is_host(concept: Concept) -> bool:
    return any(c.endswith("#Host") or c.endswith("/Host") for c in concept.classes)


def _cell_alkali(mention: Mention) -> str | None:
    """The metal a cell name implies: ``Na-Na symmetric cells`` → Na, ``Li-S`` → Li."""
    m = re.match(r"(Li|Na|K)(?![a-z])", mention.text)
    if m:
        return m.group(1)
    m = re.match(r"(Li|Na|K)(?![a-z])", mention.label)
    return m.group(1) if m else None


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
        self.tables: dict[int, list[CoatingRecord]] = {}
        for rec in table_records:
            if rec.ref is not None:
                self.tables.setdefault(rec.ref, []).append(rec)
        self.drafts: dict[tuple[int | None, str], _Draft] = {}
        self.facts: list[Measurement] = []
        self.warnings: list[str] = []
        #: (sentence, offset) of growth-per-cycle values a coating took as its own measurement
        self._claimed: set[tuple[int, int]] = set()
        self._families = {label_key(c.label) for c in self.vocab.of_kind("ElectrolyteFamily")}
        self._family_cache: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ helpers

    def _span(self, sentence: Sentence, rule: str) -> Span:
        return self.doc.span(
            sentence.start,
            sentence.end,
            section=sentence.section,
            sentence=sentence.index,
            rule=f"prose-{rule}",
        )

    @staticmethod
    def _et_al_ref(sentence: Sentence) -> int | None:
        m = _ET_AL.search(sentence.text)
        if m and int(m.group(1)) in sentence.citations:
            return int(m.group(1))
        return None

    def _deposition(self, sentence: Sentence, mentions: list[Mention]) -> _Draft | None:
        """A new study's coating when the sentence shows a deposition with a citation."""
        ref = self._et_al_ref(sentence)
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
            span=self._span(sentence, "deposition"),
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

    def _pick_material(
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

    def _draft_for(
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
                    span=self._span(sentence, "study"),
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

    def run(self) -> None:
        sentences = [s for s in self.doc.sentences if not self._skip(s)]
        all_mentions = self.matcher.pipe(s.text for s in sentences)
        # pass 1: studies that no table lists but whose deposition a sentence describes
        for sentence, mentions in zip(sentences, all_mentions, strict=True):
            draft = self._deposition(sentence, mentions)
            if draft and (draft.ref, label_key(draft.material)) not in self.drafts:
                self.drafts[(draft.ref, label_key(draft.material))] = draft
        studies = set(self.tables) | {r for r, _ in self.drafts if r is not None}
        # pass 2: facts, with paragraph state
        state: dict[str, Any] = {}
        paragraph: tuple[str | None, int] | None = None
        for sentence, mentions in zip(sentences, all_mentions, strict=True):
            if (sentence.section, sentence.paragraph) != paragraph:
                carry = state.get("ref") if paragraph and paragraph[0] == sentence.section else None
                paragraph = (sentence.section, sentence.paragraph)
                state = {"ref": None, "material": None, "cell": None, "electrolytes": ()}
                state.update(cd=None, carry=carry, metal=None)
            self._sentence(sentence, mentions, studies, state)

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
        own = [c for c in sentence.citations if c in studies]
        if len(own) > 1:
            et_al = self._et_al_ref(sentence)
            own = [et_al] if et_al in own else own
        if len(own) > 1:  # a summary over several studies: no single owner for its facts
            return
        if not own and self._et_al_ref(sentence) is not None:
            # "first grown by Dameron et al. [121]": another (background) work is now the topic
            state.update(ref=None, material=None, cell=None, electrolytes=(), cd=None)
        if own and own[0] != state["ref"]:
            state.update(ref=own[0], material=None, cell=None, electrolytes=(), cd=None)
        if state["ref"] is None and not own and state.get("carry") is not None:
            # a paragraph that goes on about the previous paragraph's study names its film
            carried = state["carry"]
            films = {label_key(r.material) for r in self.tables.get(carried, [])}
            films |= {k for r, k in self.drafts if r == carried}
            if any(m.kind == "Material" and label_key(m.label) in films for m in mentions):
                state["ref"] = carried
        ref: int | None = state["ref"]
        if ref is None:
            self._material_facts(sentence, mentions)
            return
        material = self._pick_material(ref, mentions, state["material"])
        substrates = [m.label for m in mentions if m.kind == "Substrate" and _is_alkali(m.label)]
        substrates += [a for m in mentions if m.kind == "CellType" and (a := _cell_alkali(m))]
        if len(set(substrates)) == 1:
            state["metal"] = substrates[0]  # the paragraph's topic until another metal is named
        substrate = substrates[0] if substrates else state.get("metal")
        draft = self._draft_for(ref, material, substrate, sentence)
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
            self._coating_facts(sentence, mentions, draft, state)
        self._material_facts(sentence, mentions)

    # ------------------------------------------------------------------ facts

    def _material_facts(self, sentence: Sentence, mentions: list[Mention]) -> None:
        """Properties of a material (modulus, conductivity) with the material as subject.

        A growth per cycle belongs to a coating's process: when the sentence's coating already
        took it as a measurement, it is not repeated here as a fact about the material.
        """
        quantities = self._quantities(sentence)
        for q, start, _end in quantities:
            if q.kind not in PROPERTY_KINDS or (sentence.index, start) in self._claimed:
                continue
            subject = _subject(mentions, start)
            if subject is None:
                self.warnings.append(
                    f"sentence {sentence.index}: {q.kind} {q.text!r} names no vocabulary "
                    "material; not recorded as a material fact"
                )
                continue
            self.facts.append(
                Measurement(
                    quantity=q,
                    span=self._span(sentence, "material-property"),
                    subject=subject.label,
                )
            )

    def _quantities(self, sentence: Sentence) -> list[tuple[Quantity, int, int]]:
        cache = self.__dict__.setdefault("_qcache", {})
        if sentence.index not in cache:
            found = []
            for q, start, end in _find_quantities(sentence.text):
                found.append((_refine_kind(q, sentence.text, start, end), start, end))
            cache[sentence.index] = found
        return cache[sentence.index]

    def _coating_facts(
        self,
        sentence: Sentence,
        mentions: list[Mention],
        draft: _Draft,
        state: dict[str, Any],
    ) -> None:
        table = draft.table
        text = sentence.text
        quantities = self._quantities(sentence)
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
        own_cell = self._cell_label(cells, self._metal_of(mentions, draft))
        own_electrolytes = self._electrolytes(text, mentions)
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
            self._add_test(draft, CellTest(cell, tuple(electrolytes), tuple(current_densities)))
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
        text = sentence.text
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
        if (contrast or bare) and not coated:
            return  # the clause is about the bare electrode
        keep = self._respectively(clause, inside, coated, bare)
        clause_electrolytes = self._electrolytes(
            clause.text,
            [
                replace(m, start=m.start - clause.start, end=m.end - clause.start)
                for m in mentions
                if clause.start <= m.start < clause.end
            ],
        )
        table = draft.table
        ordered = sorted(inside, key=lambda t: t[1])
        cds = [(q, s) for q, s, _ in ordered if q.kind == "CurrentDensity"]
        after_cycles = None
        for q, s, _ in ordered:
            if q.kind == "CycleCount" and _AFTER_WORD.search(text[max(0, s - 12) : s]):
                after_cycles = q.canonical_value if q.canonical_value is not None else q.value
        for index, (q, start, end) in enumerate(ordered):
            if (q, start, end) not in keep:
                continue
            paired = len(keep) < len(inside)  # "respectively" already chose the coated values
            if (
                bare
                and not paired
                and self._nearest_is_bare(start, coated, bare)
                and q.kind != "Thickness"
            ):
                continue
            if q.kind == "DepositionTemperature" or q.canonical_unit == "degC":
                if (
                    _is_deposition_temperature(text, start)
                    and not (table and _contains(table.temperatures, q))
                    and not _contains(draft.temperatures, q)
                ):
                    draft.temperatures.append(q)
                continue
            if q.kind == "Thickness":
                if (
                    _is_coating_thickness(text, start, end)
                    and not (table and _contains(table.thicknesses, q))
                    and not _contains(draft.thicknesses, q)
                ):
                    draft.thicknesses.append(q)
                continue
            if q.kind == "DepositionCycles":
                if not (table and _contains(table.deposition_cycles, q)) and not _contains(
                    draft.deposition_cycles, q
                ):
                    draft.deposition_cycles.append(q)
                continue
            if q.kind == "CycleCount" and (
                _AFTER_WORD.search(text[max(0, start - 12) : start]) or "cycle" not in q.text
            ):
                continue  # "after 100 cycles" is a condition; a bare number is no count
            if q.kind in ("CyclingDuration", "CycleCount") and (
                not _CYCLING_CONTEXT.search(clause.text)
                or _NOT_CYCLING.search(text[max(0, start - 50) : end + 20])
            ):
                continue  # hours of air exposure or soaking are not cycling life
            if q.kind == "GrowthPerCycle":
                self._growth_per_cycle(sentence, mentions, q, start, draft)
                continue
            if q.kind not in OUTCOME_KINDS:
                continue
            if table and _contains((m.quantity for m in table.measurements), q):
                continue
            pairs = (
                self._current_densities_for(index, ordered, cds, draft)
                if cds
                else [state.get("sentence_cd", state["cd"])]
            )
            for cd in pairs:
                measurement = Measurement(
                    quantity=q,
                    span=self._span(sentence, "measurement"),
                    cell_type=state["cell"],
                    electrolytes=clause_electrolytes or tuple(state["electrolytes"]),
                    current_density=cd,
                    after_cycles=after_cycles if q.kind != "CycleCount" else None,
                )
                if not any(
                    _same_quantity(m.quantity, q) and m.current_density == cd
                    for m in draft.measurements
                ):
                    draft.measurements.append(measurement)

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
        known = [m.quantity for m in draft.measurements]
        if draft.table is not None:
            known += [m.quantity for m in draft.table.measurements]
        if not _contains(known, q):
            draft.measurements.append(Measurement(q, self._span(sentence, "measurement")))

    @staticmethod
    def _current_densities_for(
        index: int,
        ordered: list[tuple[Quantity, int, int]],
        cds: list[tuple[Quantity, int]],
        draft: _Draft,
    ) -> list[Quantity | None]:
        """Current densities after an outcome (up to the next outcome), else the last before it."""
        if not cds:
            return [None]
        start = ordered[index][1]
        nxt = next((s for q, s, _ in ordered[index + 1 :] if q.kind in OUTCOME_KINDS), float("inf"))
        following = [q for q, s in cds if start < s < nxt]
        if following:
            return list(following)
        preceding = [q for q, s in cds if s < start]
        return [preceding[-1]] if preceding else [cds[0][0]]

    @staticmethod
    def _nearest_is_bare(
        start: int, coated: list[tuple[int, int]], bare: list[tuple[int, int]]
    ) -> bool:
        last_bare = max((b for b, _ in bare if b < start), default=-1)
        last_coated = max((c for c, _ in coated if c < start), default=-1)
        return last_bare > last_coated

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

    def _cell_label(self, cells: list[Mention], metal: str | None = None) -> str | None:
        """The most specific cell type named: ``K-Cu`` over ``asymmetric cells``.

        A generic half cell on a known metal becomes that metal's ``X-Cu`` cell when the
        vocabulary has one.
        """
        if not cells:
            return None
        labels = list(dict.fromkeys(m.label for m in cells))
        specific = [lab for lab in labels if lab not in _GENERIC_CELLS]
        if specific:
            return specific[0]
        if labels[0] == _HALF_CELL and metal:
            concept = self.vocab.lookup("CellType", f"{metal}-Cu")
            if concept is not None:
                return concept.label
        return labels[0]

    @staticmethod
    def _metal_of(mentions: list[Mention], draft: _Draft) -> str | None:
        metals = [m.label for m in mentions if m.kind == "Substrate" and _is_alkali(m.label)]
        if metals:
            return metals[0]
        substrate = draft.table.substrate if draft.table is not None else draft.substrate
        return substrate if _is_alkali(substrate) else None

    def _electrolytes(self, text: str, mentions: list[Mention]) -> tuple[str, ...]:
        """Electrolytes as written plus their family from the vocabulary's salts and solvents."""
        found: list[str] = []
        salts = [m for m in mentions if m.kind == "Salt"]
        if not salts and not re.search(r"electrolyte", text, re.I):
            return ()  # a solvent alone (soaking in PC, sulfur in DME) is no cell electrolyte
        for m in _ELECTROLYTE_PHRASE.finditer(text):
            if any(m.start() <= s.start < m.end() for s in salts):
                phrase = re.sub(r"\s*\([^)]*=[^)]*\)$", "", m.group(0).strip())
                found.append(_clean_electrolyte(phrase))
        for m in mentions:
            if m.kind == "ElectrolyteFamily":
                found.append(m.label)
            elif m.kind in ("Salt", "Solvent") and m.concept.family:
                family = self.vocab.get(m.concept.family)
                if family is not None:
                    found.append(family.label)
        return tuple(dict.fromkeys(found))

    def _family_keys(self, electrolyte: str) -> frozenset[str]:
        """The families an electrolyte names or implies: ``1 M LiTFSI in DME`` → ether."""
        key = label_key(electrolyte)
        if key in self._families:
            return frozenset({key})
        if key not in self._family_cache:
            found: set[str] = set()
            for m in self.matcher.find(electrolyte):
                if m.kind == "ElectrolyteFamily":
                    found.add(label_key(m.label))
                elif m.kind in ("Salt", "Solvent") and m.concept.family:
                    family = self.vocab.get(m.concept.family)
                    if family is not None:
                        found.add(label_key(family.label))
            self._family_cache[key] = frozenset(found)
        return self._family_cache[key]

    def _match_test(
        self, tests: Sequence[CellTest], cell: str | None, electrolytes: Sequence[str]
    ) -> CellTest | None:
        """The known test of the same cell type that these electrolytes name, if exactly one.

        Specific formulations must agree; a family word alone (``ether``) fits a test whose
        formulation is of that family; no electrolyte at all fits the only test of that type.
        """
        same = [t for t in tests if label_key(t.cell_type or "") == label_key(cell or "")]
        keys = {label_key(_clean_electrolyte(e)) for e in electrolytes}
        specific = keys - self._families
        fits: list[CellTest] = []
        for t in same:
            t_keys = {label_key(_clean_electrolyte(e)) for e in t.electrolytes}
            t_specific = t_keys - self._families
            if specific:
                ok = specific == t_specific
            elif keys and t_specific:
                ok = keys <= set().union(*(self._family_keys(e) for e in t.electrolytes))
            else:  # families only (a comparison of two families is its own test), or nothing
                ok = not keys or keys == t_keys
            if ok and t not in fits:
                fits.append(t)
        if len(fits) > 1:  # the same electrolytes as written, else the one named formulation
            exact = [t for t in fits if {label_key(e) for e in t.electrolytes} == keys]
            named = [t for t in fits if {label_key(e) for e in t.electrolytes} - self._families]
            fits = exact if len(exact) == 1 else named
        if len(fits) == 1 or (specific and fits):
            return fits[0]
        return None

    def _add_test(self, draft: _Draft, test: CellTest) -> None:
        """Add a cell test, or merge it into the one test it repeats (one per cell/electrolyte)."""
        table_tests = draft.table.cell_tests if draft.table is not None else ()
        target = self._match_test(
            [*draft.cell_tests, *table_tests], test.cell_type, test.electrolytes
        )
        if target is None:
            same = [
                t
                for t in [*draft.cell_tests, *table_tests]
                if label_key(t.cell_type or "") == label_key(test.cell_type or "")
            ]
            if same and not test.electrolytes and not test.current_densities:
                return  # "symmetric cells" again, with nothing new
            draft.cell_tests.append(test)
            return
        implied = set().union(*(self._family_keys(e) for e in target.electrolytes))
        known = {label_key(e) for e in target.electrolytes}
        extra = tuple(
            e
            for e in test.electrolytes
            if label_key(e) not in known and label_key(e) not in implied
        )
        new_cds = tuple(
            q for q in test.current_densities if not _contains(target.current_densities, q)
        )
        if target in draft.cell_tests:
            merged = CellTest(
                target.cell_type,
                (*target.electrolytes, *extra),
                (*target.current_densities, *new_cds),
            )
            draft.cell_tests[draft.cell_tests.index(target)] = merged
        elif extra or new_cds:  # the table's test: prose adds only what it lacks
            draft.cell_tests.append(
                CellTest(target.cell_type, (*target.electrolytes, *extra), new_cds)
            )

    def _settle_measurements(self, draft: _Draft) -> None:
        """Point each measurement at the merged cell test its conditions name."""
        tests = [*draft.cell_tests, *(draft.table.cell_tests if draft.table else ())]
        for i, m in enumerate(draft.measurements):
            if not (m.cell_type or m.electrolytes):
                continue
            electrolytes = tuple(dict.fromkeys(_clean_electrolyte(e) for e in m.electrolytes))
            target = self._match_test(tests, m.cell_type, electrolytes)
            if target is not None and m.electrolytes:
                electrolytes = target.electrolytes
            draft.measurements[i] = replace(m, electrolytes=electrolytes)

    def results(self) -> list[CoatingRecord]:
        for draft in self.drafts.values():
            self._settle_measurements(draft)
        return [d.record(self.doc.doc_id) for d in self.drafts.values() if d.has_facts()]


# --------------------------------------------------------------------------- word rules


def _refine_kind(q: Quantity, text: str, start: int, end: int) -> Quantity:
    """Correct the kind where the words around a quantity say more than its unit."""
    before = text[max(0, start - 60) : start].lower()
    after = text[end : end + 30]
    unit = q.canonical_unit
    if unit == "degC" and q.kind != "DepositionTemperature":
        return replace(q, kind="DepositionTemperature")
    if (
        unit in ("cycle", "cycles")
        and _DEP_CYCLES.search(after)
        and not _ELECTROCHEM_GAP.search(q.text)
    ):
        return replace(q, kind="DepositionCycles")
    if unit == "%":
        if re.search(r"retention|retain", before + after, re.I):
            return replace(q, kind="CapacityRetention")
        if re.search(r"\bCE\b|coulombic", before, re.I):
            return replace(q, kind="CoulombicEfficiency")
    if unit == "GPa":
        if "shear" in before:
            return replace(q, kind="ShearModulus")
        if "elastic" in before or "young" in before:
            return replace(q, kind="ElasticModulus")
    if unit == "nm" and q.kind not in ("Thickness",):
        return replace(q, kind="Thickness")
    return q


def _is_deposition_temperature(text: str, start: int) -> bool:
    """The last process word before a temperature decides: `deposited at` yes, `anneal at` no."""
    window = text[max(0, start - 90) : start]
    dep = [m.end() for m in _DEP_TEMP_WORDS.finditer(window)]
    non = [m.end() for m in _NON_DEP_TEMP_WORDS.finditer(window)]
    return bool(dep) and max(dep) > max(non, default=-1)


def _is_coating_thickness(text: str, start: int, end: int) -> bool:
    """A length is a coating thickness when `-thick`, coating/film/layer or `thickness` is next to it."""
    after = text[end : end + 45]
    before = text[max(0, start - 30) : start]
    if _NOT_THICKNESS.search(text[end : end + 12]) or re.search(r"foils?\b", before[-30:]):
        return False
    return bool(_THICKNESS_AFTER.search(after) or re.search(r"thickness (?:of|was|is)\s*$", before))


# --------------------------------------------------------------------------- API


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
