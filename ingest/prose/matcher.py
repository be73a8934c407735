"""The one vocabulary matcher: a spaCy pipeline whose entities come from the ontology's labels.

Every term is found through patterns generated from the vocabulary's SKOS labels, so a material
or precursor added to ``ontology/vocab.ttl`` is recognised here without a code change. Ingest
(prose sentences) and ``kg ask`` (questions) both use :func:`default_matcher`, so a word
understood in a paper is understood in a question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ingest.resolve import slug
from kg.formulas import FORMULA_CANDIDATE, parse_formula, solid_electrolyte
from kg.namespaces import AKG, ID, VOCAB
from kg.vocab import Concept, Vocabulary, label_key, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language

_ALKALI = frozenset(("Li", "Na", "K"))
_CATHODE_METALS = frozenset(("Ni", "Co", "Mn", "Fe", "V", "Cr"))
#: What an alkali metal's own surface is made of in air and electrolyte (Li2CO3, LiOH, Li2O,
#: Li3N): named in abstracts as the native layer, hardly ever as a grown film.
_NATIVE_LAYER_ELEMENTS = _ALKALI | {"O", "H", "C", "N"}

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

_WORD_FORM = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Mention:
    """A vocabulary term found in a sentence; offsets are into the sentence text."""

    kind: str
    label: str  # the concept's preferred label
    text: str  # as written
    start: int
    end: int
    concept: Concept


def _form_pattern(form: str, any_case: bool = False) -> str:
    """A regex for one surface form: flexible spacing and dashes; words match any case, and so
    does a formula when ``any_case`` (its case fold names nothing else)."""
    pattern = re.escape(form)
    pattern = pattern.replace(r"\ ", r"\s*").replace(r"\-", r"[-‐–—]")
    if _WORD_FORM.search(form):  # a word, not a formula or acronym: case and plural are free
        return rf"(?i:{pattern})(?:e?s)?"
    return rf"(?i:{pattern})" if any_case else pattern


#: A chemical formula of two or more element-like parts: ``ZnO``, ``Al2O3``, ``LiPF6``.
_FORMULA = re.compile(r"(?:[A-Z][a-z]?\d*(?:\.\d+)?[xyz]?){2,}")
#: Formula-shaped forms whose lower case is an English word: they keep their case.
_ENGLISH = frozenset(
    [
        "ban",
        "bin",
        "bis",
        "can",
        "cob",
        "con",
        "coo",
        "ham",
        "his",
        "hob",
        "inn",
        "ion",
        "nab",
        "nib",
        "pan",
        "pin",
        "sic",
        "sin",
        "sob",
        "tin",
    ]
)


def _is_native_layer(elements: set[str]) -> bool:
    """True for an alkali compound of only O, H, C and N, the metal's own surface species.

    >>> _is_native_layer({"Li", "O", "H"}), _is_native_layer({"Li", "P", "O"})
    (True, False)
    """
    return bool(elements & _ALKALI) and elements <= _NATIVE_LAYER_ELEMENTS


def any_case_formulas(forms: Iterable[str]) -> frozenset[str]:
    """The formulas that may match in any case (``zno``, ``al2o3``, ``LIF``): written with
    two capitals or a digit, and their case fold is no other form and no English word.

    >>> sorted(any_case_formulas(["ZnO", "Al2O3", "Li", "TMA", "CO", "Co", "Sn"]))
    ['Al2O3', 'ZnO']
    """
    forms = list(forms)
    folds: dict[str, set[str]] = {}
    for form in forms:
        folds.setdefault(form.casefold(), set()).add(form)
    chosen = set()
    for form in forms:
        fold = form.casefold()
        shaped = _FORMULA.fullmatch(form) and not form.isupper()
        if shaped and len(folds[fold]) == 1 and fold not in _ENGLISH and len(fold) >= 3:
            chosen.add(form)
    return frozenset(chosen)


_DASHES = "-‐–—"


def _first_key(form: str) -> str:
    """The group a surface form's first character puts it in (case-folded; dashes are one)."""
    return "-" if form[0] in _DASHES else form[0].casefold()


def _vocabulary_regex(
    ordered: Sequence[str], any_case: frozenset[str] = frozenset()
) -> re.Pattern[str]:
    """One regex over every surface form, longest first, grouped by first character.

    A lookahead on the (case-folded) first character skips a whole group at once, so each
    position tries a few dozen groups instead of every form. Forms that share a first
    character keep their longest-first order, and forms in different groups cannot match at
    the same position, so the matches are those of the plain ordered alternation.
    """
    groups: dict[str, list[str]] = {}
    for form in ordered:
        groups.setdefault(_first_key(form), []).append(_form_pattern(form, form in any_case))
    branches = []
    firsts = []
    for key, patterns in groups.items():
        if key == "-":
            guard = f"(?=[{_DASHES}])"
            firsts.append(_DASHES)
        elif len(key) == 1:
            guard = f"(?=(?i:{re.escape(key)}))"
            firsts.append(re.escape(key))
        else:  # a character whose case fold is longer (ß → ss): no guard, always tried
            guard = ""
            firsts.append("")
        branches.append(f"{guard}(?:{'|'.join(patterns)})")
    # One look at the first character turns away, at once, the many places (spaces, digits,
    # punctuation) where no group can start, instead of one group after another.
    any_first = f"(?=(?i:[{''.join(firsts)}]))" if all(firsts) else ""
    return re.compile(rf"(?<![A-Za-z]){any_first}(?:{'|'.join(branches)})(?![A-Za-z0-9])")


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
        self.matches: Any = None

    def add_patterns(self, matches: Any) -> None:
        """``matches(text)`` gives the (start, end, Concept) of each vocabulary term."""
        self.matches = matches

    def __call__(self, doc: Any) -> Any:
        return self.set_entities(doc, doc.text)

    def set_entities(self, doc: Any, text: str) -> Any:
        """Set ``doc.ents``; ``text`` is ``doc.text`` (passed when known, to skip the join)."""
        if self.matches is None:
            raise ValueError("vocabulary_entities has no patterns: call add_patterns first")
        spans = []
        for start, end, concept in self.matches(text):
            span = doc.char_span(start, end, label=concept.kind, kb_id=concept.iri)
            if span is None:  # cannot happen with BoundaryTokenizer; say so if it does
                raise ValueError(f"vocabulary match {text[start:end]!r} is not on token boundaries")
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


def _not_terms() -> tuple[str, ...]:
    """Phrases that contain a term's surface form but name something else.

    They are matched like terms (longest first, so the shorter term inside them is not) and
    then dropped, having no concept: the solid electrolyte interphase is no solid-state
    electrolyte; ``Li+``, ``Na-ion`` and the reference ``Li/Li+`` are no metal and no symmetric
    cell.
    """
    forms = ["solid electrolyte interphase", "solid-electrolyte interphase"]
    for metal in ("Li", "Na", "K"):
        for ion in (f"{metal}+", f"{metal}⁺"):
            forms += [ion, f"{metal}/{ion}", f"{ion}/{metal}"]
        forms += [f"{metal}-ion", f"{metal} ion", f"{metal} ions"]
    for name in ("lithium", "sodium", "potassium"):  # "lithium-ion batteries", "sodium ions"
        forms += [f"{name}-ion", f"{name} ion"]
    return tuple(forms)


NOT_TERMS = _not_terms()

#: What follows an alkali metal's name when the name is part of something else: a compound
#: ("sodium fluoride", "lithium tert-butoxide", "potassium hydroxide", "lithium carbonate",
#: "lithium bis(...)imide"), an ion or salt ("sodium salts", "lithium-ion", "Li-rich"), a
#: conductor ("lithium-conducting", "Li-ionic"). The word is then not the metal anode.
_COMPOUND_AFTER = re.compile(
    r"[\s‐–—-]*(?:"
    r"(?:bis|tris|tetrakis)\s*\("
    r"|[a-z()-]*?(?:fluor|chlor|brom|iod|ox|nitr|sulf|sulph|phosph|selen|tellur|carb|hydr|am|im"
    r"|az)ides?\b"
    r"|[a-z()-]*?(?:nitr|sulf|sulph|carbon|phosph|chlor|silic|alumin|titan|niob|tantal|bor|oxal"
    r"|acet|algin|form|trifl|citr|chrom|mangan|vanad|molybd|tungst|zircon|german|arsen|selen)"
    r"(?:ate|ite)s?\b"
    r"|salts?\b|ions?\b|ionic\b|cations?\b|rich\b|conduct\w*|alkoxides?\b|alkyls?\b"
    r")",
    re.I,
)
#: "Na:F = 1:1.05", "Li:P": an element symbol in a composition ratio is not the metal.
_RATIO_AFTER = re.compile(r"\s*:\s*[A-Z][a-z]?\b")


def names_the_term(text: str, start: int, end: int, concept: Concept) -> bool:
    """Whether the form found at ``text[start:end]`` names ``concept`` there.

    An alkali metal's name or symbol inside a compound, ion or ratio names no metal:
    "sodium fluoride", "sodium tert-butoxide", "lithium-ion batteries", "Na:F".

    >>> from kg.vocab import load_vocabulary
    >>> na = load_vocabulary().lookup("Substrate", "Na")
    >>> names_the_term("coated sodium foil", 7, 13, na)
    True
    >>> names_the_term("sodium hydroxide", 0, 6, na), names_the_term("Na:F of 1:1", 0, 2, na)
    (False, False)
    """
    if concept.kind != "Substrate" or not any(c.endswith("AlkaliMetal") for c in concept.classes):
        return True
    after = text[end : end + 60]
    if _RATIO_AFTER.match(after) and text[start:end].isalpha() and len(text[start:end]) <= 2:
        return False
    return _COMPOUND_AFTER.match(after) is None


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
        forms.update(f for f in NOT_TERMS if label_key(f) not in self._by_key)
        ordered = sorted(forms, key=lambda f: (-len(f), f))
        self.regex = _vocabulary_regex(ordered, any_case_formulas(forms))
        self._typos = TypoFixer(forms)
        self._nlp: Language | None = None
        self._formulas: dict[str, Concept | None] = {}

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
            component.add_patterns(self.matches)
            self._nlp = nlp
        return self._nlp

    def concept_for(self, text: str) -> Concept | None:
        key = label_key(text)
        concept = self._by_key.get(key)
        if concept is None and key.endswith("s"):
            concept = self._by_key.get(key[:-1]) or self._by_key.get(key[:-2])
        return concept

    def matches(self, text: str) -> list[tuple[int, int, Concept]]:
        """(start, end, concept) of each leftmost-longest vocabulary term in ``text``: what
        the ``vocabulary_entities`` component turns into ``doc.ents``."""
        found = []
        for m in self.regex.finditer(text):
            concept = self.concept_for(m.group(0))
            if concept is not None and names_the_term(text, m.start(), m.end(), concept):
                found.append((m.start(), m.end(), concept))
        if "Material" in self.kinds:
            found = self._with_formulas(text, found)
        return found

    def _with_formulas(
        self, text: str, found: list[tuple[int, int, Concept]]
    ) -> list[tuple[int, int, Concept]]:
        """Add the chemical formulas the vocabulary lacks ("TiN", "Ta2O5") as materials."""
        extra = []
        for m in FORMULA_CANDIDATE.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue  # part of a vocabulary term
            concept = self._formula_concept(m.group(0))
            if concept is not None:
                extra.append((m.start(), m.end(), concept))
        return sorted(found + extra, key=lambda t: t[0]) if extra else found

    def _formula_concept(self, text: str) -> Concept | None:
        """The material a formula outside the vocabulary names (its IRI the one ingest's
        resolve mints for that label), or None: no inorganic formula, a vocabulary form of
        another kind ("H2O", "LiPF6"), or a cathode's active material (alkali with Ni, Co,
        Mn, Fe, V or Cr: "LiCoO2", "NaxMnO2")."""
        if text in self._formulas:
            return self._formulas[text]
        electrolyte = solid_electrolyte(text)
        if electrolyte is not None:  # a doped garnet, a NASICON, a thiophosphate: the substrate
            concept = self.vocab.get(str(VOCAB[electrolyte]))
            found = concept if concept is not None and concept.kind in self.kinds else None
            self._formulas[text] = found
            return found
        formula = parse_formula(text)
        concept = None
        if (
            formula is not None
            and label_key(text) not in self._by_key
            and not (set(formula.elements) & _ALKALI and set(formula.elements) & _CATHODE_METALS)
            and not _is_native_layer(set(formula.elements))
        ):
            concept = Concept(
                iri=str(ID[f"material/{slug(text)}"]),
                kind="Material",
                label=text,
                classes=(str(AKG.Material), formula.material_class),
                elements=tuple(sorted(formula.elements)),
            )
            self._by_iri[concept.iri] = concept
        self._formulas[text] = concept
        return concept

    def find(self, text: str) -> list[Mention]:
        """Leftmost-longest vocabulary mentions in ``text`` (regex only, no Doc)."""
        return [
            Mention(concept.kind, concept.label, text[start:end], start, end, concept)
            for start, end, concept in self.matches(text)
        ]

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

    def _mentions_in(self, text: str) -> list[Mention]:
        """What :meth:`mentions` reads from ``nlp(text)``, without building the Doc.

        The entities the pipeline would set are :meth:`matches` of the text, one span each,
        so the mentions are read from the matches directly: tokenizing every sentence and
        making a Doc of it cost about half of prose extraction and changed no mention.
        """
        by_iri = self._by_iri
        found = []
        for start, end, match in self.matches(text):
            concept = by_iri[match.iri]
            found.append(Mention(match.kind, concept.label, text[start:end], start, end, concept))
        return found

    def pipe(self, texts: Iterable[str]) -> list[list[Mention]]:
        """Mentions for many sentences: the ``doc.ents`` that ``nlp.pipe(texts)`` would set,
        after one-letter typos of long vocabulary words are repaired.

        The entities are read from :meth:`matches`, the function the ``vocabulary_entities``
        component sets them from, without tokenizing the sentence into a Doc (and so without
        importing spaCy): ingest never reads the tokens. A text longer than
        :data:`PIECE_CHARS` is read in overlapping pieces cut at spaces, so memory stays
        bounded and the pieces fit spaCy's ``max_length`` (its E088 error) when a Doc is made.
        """
        return [self._mentions_of(text) for text in texts]

    def _mentions_of(self, text: str) -> list[Mention]:
        if len(text) <= PIECE_CHARS:
            return self._entities(text)
        found: list[Mention] = []
        for start, keep_until, piece in _pieces(text):
            for m in self._entities(piece):
                if m.start + start < keep_until:  # the overlap is the next piece's
                    found.append(replace(m, start=m.start + start, end=m.end + start))
        return found

    def _entities(self, text: str) -> list[Mention]:
        fixed = self._typos.fix(text)
        if fixed is None:
            return self._mentions_in(text)
        clean, origin = fixed  # origin[i]: offset in ``text`` of clean[i]
        found = self._mentions_in(clean)
        return [
            replace(
                m,
                start=origin[m.start],
                end=origin[m.end - 1] + 1,
                text=text[origin[m.start] : origin[m.end - 1] + 1],
            )
            for m in found
        ]


class TypoFixer:
    """Reads a one-letter typo of a long vocabulary word as that word ("depostion").

    Only words of at least :data:`TYPO_MIN` letters from the vocabulary's word forms are
    repaired, and only a text word that is not itself a vocabulary word (or its plural) and is
    one deletion, insertion, substitution or swap away from exactly one of them (symmetric
    deletes, so each text word costs a few set look-ups, not a comparison with every term).
    """

    def __init__(self, forms: Iterable[str]) -> None:
        words = {
            w.lower()
            for form in forms
            for w in re.findall(r"[A-Za-z]+", form)
            if len(w) >= TYPO_MIN
        }
        self.known = words | {w + "s" for w in words} | {w + "es" for w in words}
        self.deletes: dict[str, set[str]] = {}
        for word in words:
            for variant in {word, *_deletes(word)}:
                self.deletes.setdefault(variant, set()).add(word)
        self._seen: dict[str, str | None] = {}  # text word → its correction (words repeat)

    def correct(self, word: str) -> str | None:
        """The vocabulary word ``word`` is a typo of, or None (remembered per word)."""
        try:
            return self._seen[word]
        except KeyError:
            pass
        if len(self._seen) >= _SEEN_MAX:  # bounded memory on a stream of unique words
            self._seen.clear()
        found = self._seen[word] = self._correct(word)
        return found

    def _correct(self, word: str) -> str | None:
        lower = word.lower()
        if len(lower) < TYPO_MIN - 1 or lower in self.known:
            return None
        found: set[str] = set()
        for variant in {lower, *_deletes(lower)}:
            found |= self.deletes.get(variant, set())
        found = {w for w in found if abs(len(w) - len(lower)) <= 1}
        return next(iter(found)) if len(found) == 1 else None

    def fix(self, text: str) -> tuple[str, list[int]] | None:
        """``text`` with its typos repaired and the original offset of each character, or
        None when it has none (the usual case, at the cost of one regex scan)."""
        pieces: list[str] = []
        origin: list[int] = []
        last = 0
        for m in _LONG_WORD.finditer(text):
            word = self.correct(m.group(0))
            if word is None:
                continue
            pieces.append(text[last : m.start()])
            origin.extend(range(last, m.start()))
            pieces.append(word if m.group(0).islower() else word.capitalize())
            origin.extend(min(m.start() + i, m.end() - 1) for i in range(len(word)))
            last = m.end()
        if not pieces:
            return None
        pieces.append(text[last:])
        origin.extend(range(last, len(text) + 1))
        return "".join(pieces), origin


TYPO_MIN = 8
_SEEN_MAX = 100_000
_LONG_WORD = re.compile(rf"[A-Za-z]{{{TYPO_MIN - 1},}}")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


#: Characters given to spaCy at once (far under its ``max_length`` of 1,000,000), and the
#: overlap between pieces: longer than any vocabulary surface form.
PIECE_CHARS = 100_000
_OVERLAP = 500


def _pieces(text: str) -> Iterator[tuple[int, int, str]]:
    """(offset, end of the part this piece owns, piece) over ``text``, cut after a space."""
    start = 0
    while start < len(text):
        cut = min(start + PIECE_CHARS - _OVERLAP, len(text))
        if cut < len(text):
            space = text.rfind(" ", start + PIECE_CHARS // 2, cut)
            cut = space + 1 if space > 0 else cut
        yield start, cut, text[start : min(cut + _OVERLAP, len(text))]
        start = cut


@lru_cache(maxsize=1)
def default_matcher() -> VocabularyMatcher:
    """The matcher for the project vocabulary, built once per process on first use."""
    return VocabularyMatcher(load_vocabulary())
