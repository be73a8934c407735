"""Question → :class:`Interpretation`: the reading stage of ``kg ask``, no store needed.

A spaCy PhraseMatcher is generated from every surface form of every concept and material class
in the vocabulary, so a material, precursor or cell type added to ``vocab.ttl`` is understood
without code changes. Numbers are read with the same unit code as ingest
(:mod:`ingest.quantities`) and converted to the canonical unit the graph stores. Kept apart from
SPARQL so that reading can be tested (and shown in the app) without a graph.

:func:`kind_label` is shared with :mod:`kg.ask.answer`, which names value columns with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.ask.grades import grades_in
from kg.ask.words import (
    CMP_BEFORE,
    COMPARATIVES,
    COUNT_RE,
    DEFAULT_RANK_KIND,
    ELEMENTS,
    HOW_PHRASES,
    LOWER_IS_BETTER,
    MOST_CYCLES_RE,
    NO_CONSTRAINT_WORDS,
    STOPWORDS,
    SUPERLATIVES,
    TAIL_RE,
    TARGET_WORDS,
    VERSUS_WORDS,
    YEAR_BEFORE,
)
from kg.errors import QueryError
from kg.formulas import ELEMENTS as FORMULA_ELEMENTS
from kg.namespaces import AKG, VOCAB
from kg.vocab import Concept, label_key, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span

    from ingest.prose import VocabularyMatcher

__all__ = [
    "EXAMPLE_QUESTIONS",
    "MAX_NUMBER_DIGITS",
    "MAX_QUESTION_CHARS",
    "Interpretation",
    "NumericConstraint",
    "QuestionError",
    "check_question",
    "interpret",
    "kind_label",
    "normalize_question",
]

#: Longest question read. Real questions are under 200 characters; the bound keeps every pass
#: over the text (spaCy's tokenizer is quadratic on a run of punctuation) well under a second.
MAX_QUESTION_CHARS = 500
#: Most digits in one number: more than a float holds exactly is not a measurement.
MAX_NUMBER_DIGITS = 15
EXAMPLE_QUESTIONS = (
    "coatings stable over 1000 h on Na",
    "Which precursors are used for TiO2?",
    "thinnest coating on Li",
    "how many MLD coatings on lithium?",
)


class QuestionError(QueryError):
    """A question that cannot be read (empty, too long, a number out of range).

    The message says what to type instead; the CLI turns it into a usage error (exit 2). A
    kind of :class:`kg.query.QueryError`, so callers that show query errors show it too.
    """


def check_question(question: str) -> str:
    """The question normalized, or :class:`QuestionError` when it is empty or too long."""
    examples = "; ".join(f'"{q}"' for q in EXAMPLE_QUESTIONS)
    if not question or not question.strip():
        raise QuestionError(f"The question is empty. Ask, for example: {examples}.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question has {len(question):,} characters; at most {MAX_QUESTION_CHARS} are "
            "read. Ask one thing at a time, e.g. " + examples + "."
        )
    if any("\ud800" <= ch <= "\udfff" for ch in question):  # bytes argv could not decode
        raise QuestionError(
            "The question holds bytes that are not UTF-8 text. Type it again (or set the "
            "terminal's encoding to UTF-8)."
        )
    return normalize_question(question)


def _number(text: str) -> float:
    """A number as written in a question, refused when it has more digits than a float holds."""
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_NUMBER_DIGITS:
        shown = text if len(text) <= 20 else text[:12] + "…"
        raise QuestionError(
            f"The number {shown} has {digits} digits; numbers in questions have at most "
            f"{MAX_NUMBER_DIGITS}. Write it with a unit prefix instead (e.g. 2 µm, not 2000 nm)."
        )
    return float(text.replace(",", ""))


# --------------------------------------------------------------------------- interpretation


@dataclass(frozen=True)
class NumericConstraint:
    """A number the question puts on one quantity kind, in the kind's canonical unit."""

    kind: str  # local name, e.g. "CyclingDuration"
    op: str  # ">", "≥", "<", "≤", "=", "~", "between"
    low: float
    high: float
    unit: str  # canonical unit symbol
    text: str  # as written in the question


@dataclass
class Interpretation:
    """The question read into constraints; ``describe()`` says it back in words."""

    target: str = "coatings"  # coatings | studies | precursors | materials | values
    target_named: bool = False
    concepts: dict[str, list[Concept]] = field(default_factory=lambda: defaultdict(list))
    elements: list[str] = field(default_factory=list)
    years: list[tuple[str, int, int]] = field(default_factory=list)  # (op, low, high)
    authors: list[str] = field(default_factory=list)
    first_authors: list[str] = field(default_factory=list)  # "whose first author is Chen"
    dois: list[str] = field(default_factory=list)  # lower case, as DOIs compare
    excluded: list[Concept] = field(default_factory=list)  # "excluding Al2O3", "non-oxide"
    numbers: list[NumericConstraint] = field(default_factory=list)
    asked_kinds: list[str] = field(default_factory=list)  # kinds named without a number
    ignored: list[str] = field(default_factory=list)  # ordinary words that add no constraint
    #: Words that look like terms (formulas, acronyms) but name none: (word, suggestion).
    #: Any of them makes the answer empty: leaving one out would answer a wider question.
    unknown: list[tuple[str, str | None]] = field(default_factory=list)
    #: Ordinary content words not understood ("sputtering", "wearable"): (word, suggestion).
    #: They empty a structured answer like :attr:`unknown`; a question with nothing else
    #: understood goes to keyword search instead, which says so.
    unread: list[tuple[str, str | None]] = field(default_factory=list)
    #: Cathode grades as written ("NCM811"): coatings tested against other grades only are
    #: left out (:mod:`kg.ask.grades`).
    grades: list[str] = field(default_factory=list)
    #: Metals or anodes the graph does not cover ("zinc anodes", "on Mg"): the answer is empty
    #: and says which anode metals the graph has.
    out_of_scope: list[str] = field(default_factory=list)
    readings: list[tuple[str, str]] = field(default_factory=list)  # (typo, form read)
    words: list[tuple[str, str]] = field(default_factory=list)  # (word, what it became)
    #: Attributes asked for without a value ("which electrolyte…"): extra row columns.
    show: list[str] = field(default_factory=list)
    #: list | superlative (the top, ties kept) | count | comparison (which of X, Y wins)
    shape: str = "list"
    #: What a superlative or comparison ranks by: (quantity kind, "max" | "min").
    rank: tuple[str, str] | None = None
    #: A comparison of two things each with its own constraints ("the Al2O3 on Li in Kozen's
    #: paper or the ZnO on LATP"): one reading per side, each answered on its own.
    sides: list[Interpretation] = field(default_factory=list)
    #: "top 3", "the 5 best": how many of a ranking to keep (ties of the last kept too).
    top_n: int | None = None
    #: The side's text as read (sides only), to name its rows.
    side_text: str = ""

    def add(self, concept: Concept) -> None:
        bucket = self.concepts[concept.kind]
        if concept not in bucket:
            bucket.append(concept)

    def add_number(self, n: NumericConstraint) -> None:
        """Add a numeric constraint once: a repeated one ("over 1000 h … over 1000 h") is the
        same constraint, and each extra copy would multiply the core query's rows."""
        same = (n.kind, n.op, n.low, n.high)
        if all((m.kind, m.op, m.low, m.high) != same for m in self.numbers):
            self.numbers.append(n)

    def add_year(self, year: tuple[str, int, int]) -> None:
        if year not in self.years:
            self.years.append(year)

    @property
    def has_constraint(self) -> bool:
        kinds = set(self.concepts) - {"QuantityKind"}
        return bool(
            any(self.concepts[k] for k in kinds)
            or self.elements
            or self.years
            or self.authors
            or self.dois
            or self.excluded
            or self.numbers
            or self.asked_kinds
        )

    @property
    def coating_level(self) -> bool:
        """Constraints only a coating can satisfy (material facts have no substrate, ...)."""
        kinds = {k for k, v in self.concepts.items() if v} - {"Material", "MaterialClass"}
        kinds -= {"QuantityKind"}
        return bool(kinds or self.numbers)

    def constraint_parts(self) -> list[str]:
        """Each constraint in words ("substrate is Na", "cycling duration > 1000 h")."""
        parts: list[str] = []
        for kind, label in _KIND_NAMES.items():
            values = self.concepts.get(kind) or []
            if values:
                parts.append(f"{label} is " + " or ".join(c.label for c in values))
        for element in self.elements:
            parts.append(f"material contains {element}")
        for op, low, high in self.years:
            if op == "between":
                parts.append(f"year between {low} and {high} (table or reference list)")
            else:
                parts.append(f"year {op} {low} (table or reference list)")
        for author in self.authors:
            first = "first " if author in self.first_authors else ""
            parts.append(f"{first}author {author}")
        for doi in self.dois:
            parts.append(f"DOI {doi}")
        for concept in self.excluded:
            parts.append(f"excluding {_KIND_NAMES.get(concept.kind, concept.kind)} {concept.label}")
        for grade in self.grades:
            parts.append(f"cathode grade {grade}")
        for n in self.numbers:
            parts.append(_describe_number(n))
        for kind in self.asked_kinds:
            parts.append(f"showing {kind_label(kind)}")
        for column in self.show:
            parts.append(f"showing {column.replace('_', ' ')}")
        if self.top_n:
            parts.append(f"keeping the top {self.top_n}")
        return parts

    def describe(self) -> str:
        """The whole reading in words: constraints, typos read, words not understood or
        ignored, and every content word with what it became."""
        parts = self.constraint_parts()
        if self.sides:
            shared = [p for p in parts if p.startswith(("ranked by", "showing"))]
            parts = [
                " vs ".join(f"({'; '.join(own_parts(side))})" for side in self.sides),
                *shared,
            ]
        what = {"count": "counting", "superlative": "the top of", "comparison": "comparing"}
        text = f"Looking for {self.target}"
        if self.shape in what:
            text = f"{what[self.shape].capitalize()} {self.target}"
        text += (": " + "; ".join(parts) + ".") if parts else " (no constraint)."
        for word, form in self.readings:
            text += f" Read '{word}' as {form}."
        for word, suggestion in self.unknown:
            hint = f"; did you mean {suggestion}?" if suggestion else ""
            text += f" '{word}': not a term of the vocabulary{hint}"
            text += "." if not suggestion else ""
        for word, suggestion in self.unread:
            hint = f"; did you mean {suggestion}?" if suggestion else "."
            text += f" '{word}': not understood{hint}"
        for word in self.out_of_scope:
            text += f" {out_of_scope_note(word)}"
        if self.ignored:
            text += " Adding no constraint: " + ", ".join(f"'{w}'" for w in self.ignored) + "."
        else:
            text += " No words ignored."
        if self.words:
            text += " Words: " + "; ".join(f"'{w}' → {what}" for w, what in self.words) + "."
        return text


def own_parts(side: Interpretation) -> list[str]:
    """A comparison side's constraints in words, without the ranking both sides share."""
    return [p for p in side.constraint_parts() if not p.startswith(("ranked by", "showing"))]


_UNIT_SHOWN = {"degC": "°C"}
_KIND_NAMES = {
    "Substrate": "substrate",
    "Anode": "anode metal",
    "Technique": "technique",
    "Material": "material",
    "MaterialClass": "material class",
    "Precursor": "precursor",
    "CellType": "cell type",
    "Cathode": "cathode",
    "ElectrolyteFamily": "electrolyte family",
    "Salt": "electrolyte salt",
    "Solvent": "electrolyte solvent",
    "CharacterizationMethod": "characterized by",
}


def out_of_scope_note(word: str) -> str:
    """Why a question about another anode has no answer ("zinc anodes")."""
    return (
        f"'{word}': no coatings on {word} anodes in the graph; it covers coatings for "
        f"{ANODE_METALS} metal anodes."
    )


def _describe_number(n: NumericConstraint) -> str:
    label = kind_label(n.kind)
    n = NumericConstraint(n.kind, n.op, n.low, n.high, _UNIT_SHOWN.get(n.unit, n.unit), n.text)
    if n.op in _RANK_WORDS:
        return f"ranked by {label} ({n.unit}), {_RANK_WORDS[n.op]}"
    if n.op == "between":
        return f"{label} between {_fmt(n.low)} and {_fmt(n.high)} {n.unit}"
    if n.op == "~":
        return f"{label} about {_fmt(n.low)} {n.unit} (±10%)"
    extra = ""
    if n.op in (">", "≥"):
        extra = " (high end of the stored value; stored '>' values count)"
    elif n.op in ("<", "≤"):
        extra = " (low end of the stored value)"
    return f"{label} {n.op} {_fmt(n.low)} {n.unit}{extra}"


def _fmt(value: float) -> str:
    return f"{value:g}"


def kind_label(kind: str) -> str:
    """A quantity kind's label in the vocabulary (``CyclingDuration`` → its prefLabel)."""
    concept = load_vocabulary().get(str(VOCAB[kind]))
    return concept.label if concept else kind


# --------------------------------------------------------------------------- text and number patterns

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_CMP_RE = "|".join(f"(?P<b{i}>{p})" for i, (_, p) in enumerate(CMP_BEFORE))
_NUMBER_RE = re.compile(
    rf"(?:(?P<between>\bbetween|\bfrom)\s+(?P<n1>{_NUM})\s*(?P<u1>[^\s\d,;?!()]+(?:\s+[^\s\d,;?!()]+)?)?"
    rf"\s+(?:and|to|-)\s+(?P<n2>{_NUM}))"
    rf"|(?:(?:(?P<cmp>{_CMP_RE})\s*)?(?P<num>{_NUM})(?:\s*(?:-|to)\s*(?P<num2>{_NUM}))?)",
    re.I,
)
_UNIT_TOKEN = re.compile(r"[^\s,;?!()\[\]]+")


def normalize_question(text: str) -> str:
    """NFKC (subscripts, ℃), one kind of dash, LaTeX subscripts dropped, spaces collapsed.

    >>> normalize_question("Al₂O₃ on Li–Cu  cells")
    'Al2O3 on Li-Cu cells'
    """
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    text = re.sub(r"_\{?(\d+)\}?", r"\1", text)
    text = text.replace("⁻", "-")
    # "150 C", "150 deg C", "150 degrees": a deposition temperature. Below 20 a bare "C" is a
    # C-rate ("at 1 C"), which questions never mean as a temperature.
    text = re.sub(
        r"\b(\d{2,4}(?:\.\d+)?)\s*(?:deg(?:rees?)?(?:\s*(?:C|celsius))?\b|C\b)", _celsius, text
    )
    return re.sub(r"\s+", " ", text).strip()


def _celsius(m: re.Match[str]) -> str:
    return f"{m.group(1)} °C" if float(m.group(1)) >= 20 else m.group(0)


# --------------------------------------------------------------------------- the spaCy pipeline


#: Kinds a question can name, in the order a shared surface form is read: "alucone" is the
#: class (every alucone), not the one material that carries the label too.
QUESTION_KINDS: tuple[str, ...] = (
    "Technique",
    "MaterialClass",
    "Material",
    "Precursor",
    "Substrate",
    "CellType",
    "Cathode",
    "Salt",
    "Solvent",
    "ElectrolyteFamily",
    "CharacterizationMethod",
    "QuantityKind",
)
#: Similarity (difflib ratio) from which an unknown word is read as a vocabulary term
#: ("sodiumm" → sodium), and from which one is offered as a suggestion.
TYPO_RATIO = 0.84
SUGGEST_RATIO = 0.66


@dataclass
class _Pipeline:
    nlp: Language
    elements: Matcher
    matcher: VocabularyMatcher
    forms: dict[str, str]  # label_key(form) → the form as the vocabulary writes it


#: Element names that are also anode metals or current collectors (substrates).
_METAL_NAMES = frozenset(["lithium", "sodium", "potassium", "copper", "nickel"])


@lru_cache(maxsize=1)
def _pipeline() -> _Pipeline:
    """spaCy blank English (tokens, element phrases) and ingest's vocabulary matcher."""
    import spacy
    from spacy.matcher import Matcher

    from ingest.prose import VocabularyMatcher

    vocab = load_vocabulary()
    nlp = spacy.blank("en")
    elements = Matcher(nlp.vocab)
    names = sorted(ELEMENTS)
    after = ["containing", "based", "bearing", "doped", "rich", "contained"]
    elements.add(
        "ELEMENT",
        [
            [{"LOWER": {"IN": names}}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": after}}],
            [{"LOWER": {"IN": ["containing", "contain", "contains"]}}, {"LOWER": {"IN": names}}],
            # "with zirconium"; not "with lithium (anodes)": an anode metal, not an element.
            [{"LOWER": "with"}, {"LOWER": {"IN": [n for n in names if n not in _METAL_NAMES]}}],
        ],
    )
    forms: dict[str, str] = {}
    for kind in QUESTION_KINDS:
        for concept in vocab.of_kind(kind):
            for form in concept.surface_forms:
                forms.setdefault(label_key(form), form)
    return _Pipeline(nlp, elements, VocabularyMatcher(vocab, QUESTION_KINDS), forms)


def _concepts_named(text: str) -> list[Concept]:
    """The concepts a surface form names, of the kind a question reads it as (case-free);
    else the ontology's kind of substrate it names ("hosts", "current collectors")."""
    vocab = load_vocabulary()
    key = label_key(text)
    last = text.split()[-1] if text.split() else ""
    plural = key.endswith("s") and len(last) > 3  # "oxides", "aluminas"; not "Al2O3 vs"
    keys = [key] + ([key[:-1], key[:-2]] if plural else [])
    for k in keys:
        found = [c for kind in QUESTION_KINDS if (c := vocab.lookup(kind, k)) is not None]
        if found:
            best = min(_PREFERENCE.get(c.kind, 99) for c in found)
            return list(dict.fromkeys(c for c in found if _PREFERENCE.get(c.kind, 99) == best))
    for k in keys:
        if (cls := substrate_classes().get(k)) is not None:
            return [cls]
    return []


@lru_cache(maxsize=1)
def substrate_classes() -> dict[str, Concept]:
    """The ontology's subclasses of akg:Substrate (host, current collector, alkali metal) as
    Substrate concepts by label key: "coatings on hosts" asks for every substrate typed with
    the class, which the query reaches through rdf:type (:func:`kg.ask.sparql._narrower`)."""
    from rdflib import RDFS

    g = load_vocabulary().graph
    out: dict[str, Concept] = {}
    for cls in g.transitive_subjects(RDFS.subClassOf, AKG.Substrate):
        label = g.value(cls, RDFS.label)
        if cls != AKG.Substrate and label is not None:
            out[label_key(str(label))] = Concept(iri=str(cls), kind="Substrate", label=str(label))
    return out


def _closest_form(
    word: str, cutoff: float, forms: dict[str, str] | None = None, *, terms_only: bool = False
) -> str | None:
    """The surface form most like ``word`` (typos), or None below ``cutoff``; ``terms_only``
    leaves out quantity words (a formula is never suggested to be "thick")."""
    from difflib import SequenceMatcher

    key = label_key(word)
    best, best_ratio = None, cutoff
    if forms is None:
        forms = _pipeline().forms
    for other, form in forms.items():
        if abs(len(other) - len(key)) > 2 or len(other) < 3:
            continue
        if terms_only and any(c.kind == "QuantityKind" for c in _concepts_named(form)):
            continue
        ratio = SequenceMatcher(None, key, other).ratio()
        if ratio > best_ratio or (ratio == best_ratio and best is None):
            best, best_ratio = form, ratio
    return best


# --------------------------------------------------------------------------- reading numbers


def _comparator_symbol(match: re.Match[str]) -> str | None:
    for i, (symbol, _) in enumerate(CMP_BEFORE):
        if match.group(f"b{i}"):
            return symbol
    return None


def _read_unit(text: str) -> tuple[str, int] | None:
    """The longest unit (1–3 tokens) at the start of ``text``: (unit as written, length)."""
    from ingest.quantities import UnitError, kind_for_unit, parse_unit

    tokens = list(_UNIT_TOKEN.finditer(text))
    if not tokens or tokens[0].start() > 1:
        return None
    for n in range(min(3, len(tokens)), 0, -1):
        end = tokens[n - 1].end()
        candidate = text[:end].strip().rstrip(".")
        try:
            parse_unit(candidate)
        except UnitError:
            continue
        if kind_for_unit(candidate, "") is None and parse_unit(candidate) != "%":
            continue
        return candidate, len(text[:end].rstrip(".")) if candidate else end
    return None


def _unit_kind(unit: str, context: str, hinted: list[str]) -> str | None:
    """The kind of a unit; a kind the question names with the same canonical unit wins."""
    from ingest.quantities import canonical_unit, kind_for_unit, parse_unit

    kind = kind_for_unit(unit, context)
    normalized = parse_unit(unit)
    for hint in hinted:
        try:
            if canonical_unit(hint) == (canonical_unit(kind) if kind else normalized):
                return hint
        except Exception:
            continue
    return kind


@dataclass
class _Found:
    start: int
    end: int
    text: str


_TOP_BEFORE = re.compile(r"\b(?:top|first|best)\s*$", re.I)
_THE_BEFORE = re.compile(r"\bthe\s*$", re.I)


def _is_top_n(text: str, m: re.Match[str]) -> bool:
    """ "top 3", "best 5", "the 2 thinnest": a small count of rows to keep, not a value."""
    num = m.group("num")
    if not num or m.group("num2") or m.group("cmp") or not num.isdigit() or len(num) > 2:
        return False
    before, after = text[: m.start()], text[m.end() :].split()
    if _TOP_BEFORE.search(before):
        return True
    return bool(_THE_BEFORE.search(before) and after and after[0].lower() in SUPERLATIVES)


def _find_numbers(text: str, hinted: list[str], interp: Interpretation) -> list[_Found]:
    """Numeric constraints and years in the (normalized) question; returns consumed spans."""
    from ingest.quantities import UnitError, canonical_unit, parse_unit, to_canonical

    consumed: list[_Found] = []
    last_end = 0
    for m in _NUMBER_RE.finditer(text):
        if m.start() < last_end:
            continue  # inside the unit of the previous number ("mAh g-1")
        is_between = bool(m.group("between"))
        n1 = m.group("n1") if is_between else m.group("num")
        n2 = m.group("n2") if is_between else m.group("num2")
        if n1 is None:
            continue
        start, end = m.start(), m.end()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "@/[_^-"):
            continue  # part of a formula (Al2O3, Na@25Al2O3) or a citation
        if _is_top_n(text, m):
            # "top 3 coatings", "the 5 best": a count of rows, not a measured value.
            interp.top_n = int(float(m.group("num")))
            consumed.append(_Found(start, m.end(), text[start : m.end()]))
            last_end = m.end()
            continue
        if end < len(text) and text[end].isalpha() and not text[end].isupper():
            # "1000h": a unit glued to the number is read below; a formula is not a number.
            pass
        low = _number(n1)
        high = _number(n2) if n2 else None
        op = "between" if (is_between or high is not None) else "="
        if not is_between and m.group("cmp"):
            op = _comparator_symbol(m) or "="
        cmp_text = (m.group("cmp") or "") if not is_between else ""
        rest = text[end:]
        unit_info = _read_unit(rest)
        unit_end = end
        unit: str | None = None
        if unit_info is not None:
            unit, length = unit_info
            unit_end = end + (len(rest) - len(rest.lstrip())) + length
        elif is_between and m.group("u1"):
            unit_info = _read_unit(m.group("u1"))
            unit = unit_info[0] if unit_info else None
        tail = re.match(TAIL_RE, text[unit_end:], re.I)
        if tail:
            op = "≥" if tail.group("tail_ge") else "≤"
            unit_end += tail.end()
        # Years: four digits, no unit.
        if unit is None and high is None and 1900 <= low <= 2099 and low.is_integer():
            yop = _year_op(text[:start], cmp_text, op)
            interp.add_year((yop, int(low), int(low)))
            consumed.append(_Found(start, unit_end, text[start:unit_end]))
            continue
        if unit is None and is_between and 1900 <= low <= 2099 and high and 1900 <= high <= 2099:
            interp.add_year(("between", int(low), int(high)))
            consumed.append(_Found(start, unit_end, text[start:unit_end]))
            continue
        # Deposition cycles written "50 ALD cycles".
        deposition = re.match(r"\s*(?:ALD|MLD|deposition)\s+cycles?\b", rest, re.I)
        context = text[max(0, start - 40) : unit_end + 40]
        kind: str | None
        if deposition:
            kind, unit = "DepositionCycles", "cycle"
            unit_end = end + deposition.end()
        elif unit is not None:
            kind = _unit_kind(unit, context, hinted)
        else:
            kind = _kind_from_words(cmp_text, hinted)
            unit = canonical_unit(kind) if kind else None
        if kind is None or unit is None:
            continue
        try:
            c_unit = canonical_unit(kind)
            c_low = to_canonical(low, unit, kind)
            c_high = to_canonical(high, unit, kind) if high is not None else c_low
            parse_unit(unit)
        except (UnitError, ValueError):
            continue
        converted = c_low != low or to_canonical(low + 1, unit, kind) != low + 1
        if op == "=" and high is None and converted:
            # "at 423 K": as precise as written (± half its last digit), in the stored unit
            half = _half_last_digit(n1)
            op, c_low, c_high = (
                "between",
                *sorted(
                    (to_canonical(low - half, unit, kind), to_canonical(low + half, unit, kind))
                ),
            )
        interp.add_number(
            NumericConstraint(kind, op, c_low, c_high, c_unit, text[start:unit_end].strip())
        )
        consumed.append(_Found(start, unit_end, text[start:unit_end]))
        last_end = unit_end
    return consumed


def _half_last_digit(written: str) -> float:
    """Half a unit of the last digit written: "423" → 0.5, "0.15" → 0.005."""
    digits = written.replace(",", "").split(".")
    return 0.5 * 10 ** -len(digits[1]) if len(digits) == 2 else 0.5


def _year_op(before: str, cmp_text: str, op: str) -> str:
    if op in ("≥", "≤"):
        return op  # "2019 or later"
    if cmp_text:
        return {"~": "="}.get(op, op)
    words = before.lower().split()
    last = " ".join(words[-3:])
    for symbol, pattern in YEAR_BEFORE:
        if re.search(rf"(?:^|\s)(?:{pattern})$", last):
            if symbol == "≥" and re.search(r"(?:^|\s)from$", last):
                return "="  # "studies from 2018": that year
            return symbol
    return "="


def _kind_from_words(text: str, hinted: list[str]) -> str | None:
    vocab = load_vocabulary()
    for word in text.lower().split():
        concept = vocab.lookup("QuantityKind", word)
        if concept is not None:
            return concept.iri.rsplit("/", 1)[-1]
    return hinted[0] if hinted else None


# --------------------------------------------------------------------------- interpret


_PREFERENCE = {
    # When one surface form names several kinds of thing, which reading wins.
    "Technique": 0,
    "MaterialClass": 1,
    "Material": 2,
    "Precursor": 3,
    "Substrate": 4,
    "CellType": 5,
    "Cathode": 6,
    "Salt": 6,
    "Solvent": 6,
    "ElectrolyteFamily": 7,
    "CharacterizationMethod": 8,
    "QuantityKind": 9,
}


def interpret(question: str, *, sides_of: Interpretation | None = None) -> Interpretation:
    """Read a question into constraints (no store needed). ``sides_of``: the comparison this
    text is one side of (its ranking and shown values are the side's too).

    Raises:
        QuestionError: the question is empty, too long or has a number out of range.
    """
    interp = Interpretation()
    text = _correct_typos(check_question(question), interp)
    pipe = _pipeline()
    doc = pipe.nlp.make_doc(text)
    chosen, keys = _concept_spans(doc, text, pipe)

    # Kind words mentioned (used to type unitless numbers and for value questions).
    hinted: list[str] = []
    for span in chosen:
        for concept in keys.get(span.label_, []):
            if not isinstance(concept, str) and concept.kind == "QuantityKind":
                hinted.append(_local_name(concept.iri))
    for pattern, kind in HOW_PHRASES:
        if re.search(pattern, text, re.I) and kind not in hinted:
            hinted.insert(0, kind)
    dois = _read_dois(interp, text)
    blanked = "".join(" " if any(a <= i < b for a, b in dois) else ch for i, ch in enumerate(text))
    consumed = _find_numbers(blanked, hinted, interp)
    consumed += [_Found(a, b, text[a:b]) for a, b in dois]
    used: set[int] = set()
    for f in consumed:
        used.update(t.i for t in doc if f.start <= t.idx < f.end)
    in_numbers = set(used)
    for span in chosen:
        if any(f.start <= span.start_char < f.end for f in consumed):
            continue
        cue = _NEGATION_RE.search(text[max(0, span.start_char - 30) : span.start_char])
        if cue and isinstance(keys.get(span.label_), list):
            _exclude(interp, span, keys[span.label_])
            start = max(0, span.start_char - 30) + cue.start()
            used.update(t.i for t in doc if start <= t.idx < span.start_char)
        else:
            _read_span(interp, span, keys.get(span.label_, []))
        used.update(t.i for t in span)
    bound_kinds = {n.kind for n in interp.numbers}
    for pattern, kind in HOW_PHRASES:
        hit = re.search(pattern, text, re.I)
        if hit and kind not in interp.asked_kinds and kind not in bound_kinds:
            interp.asked_kinds.append(kind)
        if hit:
            used.update(t.i for t in doc if hit.start() <= t.idx < hit.end())
    _read_authors(interp, doc, text, used)
    _read_target(interp, doc, text, used)
    _read_shape(interp, doc, text, used, in_numbers)
    _read_leftovers(interp, doc, used)
    for f in consumed:
        word = f.text.strip().rstrip("?!.,;:")
        interp.words.append((word, "DOI" if word.lower() in interp.dois else "a number"))
    if interp.shape == "comparison" and interp.target == "studies":
        interp.target = "coatings"  # "X in Kozen's paper or Y": the coatings are compared
    if sides_of is not None:
        _as_side(interp, sides_of, text)
    elif interp.shape == "comparison":
        interp.sides = _comparison_sides(interp, text, chosen, keys)
    return interp


def _as_side(side: Interpretation, whole: Interpretation, text: str) -> None:
    """One side of ``whole``: its own constraints, the question's ranking and columns."""
    side.side_text = text
    side.shape, side.rank, side.target = "list", whole.rank, whole.target
    own, side.numbers = side.numbers, []
    for n in [*whole.numbers, *own]:  # the ranking first, where the answer looks for it
        side.add_number(n)
    side.asked_kinds = list(whole.asked_kinds)
    side.show = list(whole.show)


#: What separates the two sides of a comparison: "X or Y", "X vs Y", "X compared to Y".
_SIDE_SEPARATOR = re.compile(
    r"\s*(?:,\s*)?\b(?:or|vs\.?|versus|against|and|compared\s+(?:to|with)|than)\b\s*", re.I
)


def _comparison_sides(
    interp: Interpretation, text: str, chosen: list[Span], keys: dict[str, Any]
) -> list[Interpretation]:
    """The two sides of a comparison, each read on its own with the shared words.

    Words before the first material are shared ("on Na, which lasts longer: X or Y"). When the
    first side is its material alone ("Al2O3 or LiF on Li"), what follows the second material
    is shared too; otherwise each side keeps what is written next to it ("the Al2O3 on Li in
    Kozen's paper or the ZnO on LATP"). The ranking and shown values are the question's.
    Returns no sides when the question names the two things without constraints of their own.
    """
    kinds = _compared_kinds(interp)
    names = [
        span
        for span in chosen
        if isinstance(keys.get(span.label_), list)
        and any(c.kind in kinds for c in keys[span.label_])
    ]
    if len(names) < 2:
        return []
    first, second = names[0], names[1]
    between = text[first.end_char : second.start_char]
    seps = list(_SIDE_SEPARATOR.finditer(between))
    if not seps:
        return []
    sep = seps[-1]
    prefix = text[: first.start_char]
    left = text[first.start_char : first.end_char + sep.start()]
    right = text[first.end_char + sep.end() :]
    tail = text[second.end_char :]
    if not left[len(first.text) :].strip(" ,;:-"):
        left = left + tail
    sides = [interpret(prefix + left, sides_of=interp), interpret(prefix + right, sides_of=interp)]
    own = [s for s in sides if s.concepts != sides[0].concepts or s.authors or s.years]
    if all(not _side_extras(side) for side in sides) or not own:
        return []
    return sides


def _side_extras(side: Interpretation) -> bool:
    """Whether a side has constraints beyond its material (a substrate, an author, a cell)."""
    kinds = {k for k, v in side.concepts.items() if v} - {
        "Material",
        "MaterialClass",
        "QuantityKind",
    }
    return bool(kinds or side.authors or side.years or side.elements)


_DOI_RE = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")


def _read_dois(interp: Interpretation, text: str) -> list[tuple[int, int]]:
    """DOIs ("the study with DOI 10.5555/x.4"): their spans, kept from the number reader."""
    spans = []
    for m in _DOI_RE.finditer(text):
        doi = m.group(0).rstrip("?!.,;:)")
        if doi.lower() not in interp.dois:
            interp.dois.append(doi.lower())
        spans.append((m.start(), m.start() + len(doi)))
    return spans


def _local_name(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _concept_spans(doc: Doc, text: str, pipe: _Pipeline) -> tuple[list[Span], dict[str, Any]]:
    """Vocabulary mentions (ingest's matcher, then whole words in any case: "zno", "AL2O3 ON
    NA", "li") and element phrases, longest first; labels index the concepts they name."""
    from spacy.util import filter_spans

    keys: dict[str, Any] = {}
    spans: list[Span] = []

    def add(start: int, end: int, concepts: list[Concept] | str) -> None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not concepts or span.text.lower() in TARGET_WORDS:
            return  # "materials" is what to list, not the class every material is in
        key = f"c{len(keys)}"
        keys[key] = concepts
        span.label_ = key
        spans.append(span)

    for _, start, end in pipe.elements(doc):
        add(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "ELEMENT")
    # Whole words first: of two spans of one length the first added wins, so "AL2O3" is
    # alumina rather than the ozone ("O3") the case-exact matcher finds inside it.
    for i in range(len(doc)):
        for n in (3, 2, 1):
            window = doc[i : i + n]
            if len(window) < n or any(t.is_space for t in window):
                continue
            if window[0].lower_ in STOPWORDS or window[-1].lower_ in STOPWORDS:
                continue
            add(window.start_char, window.end_char, _concepts_named(window.text))
    for m in pipe.matcher.regex.finditer(text):
        add(m.start(), m.end(), _concepts_named(m.group(0)))
    return filter_spans(spans), keys


#: A negation just before a term ("excluding Al2O3", "not counting hybrid ALD/MLD",
#: "non-oxide", "other than LiF"): at most two lower-case words between it and the term.
_NEGATION_RE = re.compile(
    r"\b(?i:not(?:\s+(?:counting|including))?|excluding|except(?:\s+for)?|without|other\s+than"
    r"|apart\s+from|but\s+not|non|no)(?:\s*-?\s*)(?:[a-z]+\s+){0,2}$",
)
#: Kinds a question can exclude (the query says FILTER NOT EXISTS for each).
EXCLUDABLE = ("Material", "MaterialClass", "Technique", "Substrate", "Precursor", "CellType")


def _exclude(interp: Interpretation, span: Span, found: list[Concept]) -> None:
    for concept in found:
        if concept.kind in EXCLUDABLE:
            if concept not in interp.excluded:
                interp.excluded.append(concept)
            interp.words.append((span.text, f"excluded: {concept.label}"))
        else:  # "not in ether electrolytes": no exclusion for this kind, so no answer
            interp.unknown.append((f"not {span.text}", None))
            interp.words.append((span.text, "exclusion not supported"))


def _read_span(interp: Interpretation, span: Span, found: list[Concept] | str) -> None:
    """Add what one chosen span names: an element, a quantity asked for, or concepts."""
    if found == "ELEMENT":
        name = next(t.lower_ for t in span if t.lower_ in ELEMENTS)
        if ELEMENTS[name] not in interp.elements:
            interp.elements.append(ELEMENTS[name])
        interp.words.append((span.text, f"material contains {ELEMENTS[name]}"))
        return
    bound_kinds = {n.kind for n in interp.numbers}
    bound_units = {n.unit for n in interp.numbers}
    for concept in found:
        if isinstance(concept, str):
            continue
        if concept.kind == "QuantityKind":
            local = _local_name(concept.iri)
            free = local not in bound_kinds and concept.unit not in bound_units
            # "capacity over 1 mAh cm-2": the word names the kind the unit already bound
            part_of = next((k for k in bound_kinds if _names_part_of(span.text, k)), None)
            if free and part_of is None and local not in interp.asked_kinds:
                interp.asked_kinds.append(local)
            label = kind_label(part_of) if part_of else concept.label
            interp.words.append((span.text, f"quantity {label}"))
            continue
        kind = concept.kind
        graded = kind in ("Cathode", "CellType") and grades_in(span.text)
        if graded and span.text not in interp.grades:
            interp.grades.append(span.text)
        if kind == "Substrate" and _serves_anode(span, concept):
            kind = "Anode"
            if concept not in interp.concepts[kind]:
                interp.concepts[kind].append(concept)
        else:
            interp.add(concept)
        interp.words.append((span.text, f"{_KIND_NAMES.get(kind, kind)} {concept.label}"))


#: Words before a metal that make it the metal the coating serves, not what it is on:
#: "for lithium metal", "with K anodes", "in Na metal batteries", "in the potassium host".
_FOR_BEFORE = re.compile(
    r"\b(?:for|with|in|towards?|protecting|protect|protects|stabili[sz]e[sd]?)\s+(?:(?:the|a|an)\s+)?$",
    re.I,
)
#: Words after a metal with the same effect: "lithium anodes", "Na metal batteries", "K host".
_FOR_AFTER = re.compile(
    r"^\s*(?:metal\s+)?(?:anodes?|batter(?:y|ies)|hosts?|cells?|plating|deposition\s+hosts?)\b",
    re.I,
)
#: Words before a metal that make it the substrate: "on Li", "onto sodium foil".
_ON_BEFORE = re.compile(
    r"\b(?:on|onto|upon|over|atop|coating|coated|coat|coats)\s+(?:(?:the|a|an|bare)\s+)?$", re.I
)


def _serves_anode(span: Span, concept: Concept) -> bool:
    """Whether an alkali metal is named as the anode a coating serves (akg:forAnode) rather
    than as the surface it is on (akg:onSubstrate).

    "on Li", "onto sodium" name the substrate; "for lithium metal", "with K anodes", "in Na
    batteries", "the potassium host" and a bare "lithium coatings" name the metal served, which
    a film on a host or a current collector serves too.
    """
    if str(AKG.AlkaliMetal) not in concept.classes:
        return False
    text = span.doc.text
    before, after = text[: span.start_char], text[span.end_char :]
    if _FOR_BEFORE.search(before) or _FOR_AFTER.match(after):
        return True
    return not _ON_BEFORE.search(before)


#: "by Chen", "co-authored by Gary Rubloff", "first author is Chen": names written capitalized.
_AUTHOR_RE = re.compile(
    r"\b(?:by|first\s+author(?:\s+(?:is|was))?|authors?(?:\s+(?:is|was|are|were))?)\s+"
    r"(?P<name>(?:[A-Z][\w'’-]*\.?\s+){0,3}[A-Z][\w'’-]*[a-z][\w'’-]*)"
)


_POSSESSIVE_RE = re.compile(r"\b(?P<name>[A-Z][a-z][\w-]*)['’]s\b")


def _tokens_in(doc: Doc, m: re.Match[str]) -> list[int]:
    return [t.i for t in doc if m.start() <= t.idx < m.end()]


def _read_authors(interp: Interpretation, doc: Doc, text: str, used: set[int]) -> None:
    """Authors: "Kazyak et al.", "by Chen", "co-authored by Gary Rubloff" (by the surname)."""
    for m in re.finditer(r"\b([A-Z][\w'’-]+)\s+et\s+al\b\.?", text):
        _add_author(interp, m.group(1), m.group(1))
        used.update(t.i for t in doc if m.start() <= t.idx < m.end())
    # "Kozen's paper", "Sun's group": a capitalized name in the possessive is an author.
    for m in _POSSESSIVE_RE.finditer(text):
        name = m.group("name")
        if name.lower() in _lexicon() or any(i in used for i in _tokens_in(doc, m)):
            continue
        if _add_author(interp, name, name):
            used.update(_tokens_in(doc, m))
    for m in _AUTHOR_RE.finditer(text):
        tokens = [t.i for t in doc if m.start("name") <= t.idx < m.end("name")]
        if not tokens or any(i in used for i in tokens):
            continue
        name = m.group("name")
        if m.group(0).lower().startswith("first") and name.split()[-1] not in interp.first_authors:
            interp.first_authors.append(name.split()[-1])
        if _add_author(interp, name.split()[-1], name):
            used.update(t.i for t in doc if m.start() <= t.idx < m.end())


def _read_target(interp: Interpretation, doc: Doc, text: str, used: set[int]) -> None:
    for token in doc:
        target = TARGET_WORDS.get(token.lower_)
        if target and token.i not in used:
            used.add(token.i)
            if not interp.target_named or target != "coatings":
                interp.target = target
                interp.target_named = True
            interp.words.append((token.text, f"what to list: {target}"))
    # A quantity named without a number is asked for: its values are the answer, one row
    # per coating with the value as a column ("at what temperature was LiF deposited?").
    if interp.asked_kinds and interp.target in ("coatings", "materials"):
        interp.target = "values"


def _read_shape(
    interp: Interpretation, doc: Doc, text: str, used: set[int], in_numbers: set[int]
) -> None:
    """Superlatives ("thinnest", "best CE"), comparisons ("which is thicker, X or Y", "X vs Y")
    and counts ("how many"). A ranking adds a measurement the rows must have (op "max" or
    "min"), so each row carries the value it is ranked by."""
    superlative = comparative = None
    versus = False
    for token in doc:
        if token.i in in_numbers:  # "thinner than 5 nm" is a bound, not a comparison
            continue
        word = token.lower_
        if word in SUPERLATIVES and token.i not in used:
            # "top 3 longest-lived": the word naming a quantity ranks; the other is read with it
            if superlative is None or (superlative[1][0] is None and SUPERLATIVES[word][0]):
                if superlative is not None and superlative[0] is not None:
                    _read_with_ranking(interp, superlative[0], used)
                superlative = (token, SUPERLATIVES[word])
            else:
                _read_with_ranking(interp, token, used)
        elif word in COMPARATIVES and comparative is None:
            comparative = (token, COMPARATIVES[word])
        versus = versus or word in VERSUS_WORDS
        if word in VERSUS_WORDS:
            used.add(token.i)
    most_cycles = re.search(MOST_CYCLES_RE, text, re.I)
    if most_cycles:
        superlative = (None, ("CycleCount", "max"))
    if re.search(r"\bmost\s+stable\b", text, re.I):
        superlative = (None, ("CyclingDuration", "max"))
    named = _compared(interp)
    if len(named) >= 2 and (versus or comparative is not None):
        if comparative is None and not interp.asked_kinds:
            interp.shape = "comparison"  # "X vs Y" naming no quantity: both side by side
        else:
            _set_rank(interp, "comparison", comparative, used)
    elif superlative is not None:
        _set_rank(interp, "superlative", superlative, used)
    elif re.search(COUNT_RE, text, re.I):
        interp.shape = "count"


def _names_part_of(text: str, kind: str) -> bool:
    """Whether ``text`` ("capacity") is a word of the kind's label ("areal capacity")."""
    words = [label_key(w) for w in kind_label(kind).split()]
    key = label_key(text)
    return bool(key) and (key in words or key.rstrip("s") in words)


def _read_with_ranking(interp: Interpretation, token: Any, used: set[int]) -> None:
    used.add(token.i)
    interp.words.append((token.text, "read with the ranking"))


#: Kinds whose two members a comparison sets side by side, the first named twice wins:
#: "Al2O3 vs LiF", "thermal ALD or plasma ALD", "on Li or on Na", "Li-S vs symmetric cells".
_COMPARED_KINDS: tuple[tuple[str, ...], ...] = (
    ("Material", "MaterialClass"),
    ("Technique",),
    ("Substrate", "Anode"),
    ("CellType", "Cathode"),
    ("Precursor",),
)


def _compared_kinds(interp: Interpretation) -> tuple[str, ...]:
    for kinds in _COMPARED_KINDS:
        if sum(len(interp.concepts.get(k, [])) for k in kinds) >= 2:
            return kinds
    return _COMPARED_KINDS[0]


def _compared(interp: Interpretation) -> list[Concept]:
    """The things a comparison compares: two or more named concepts of one kind."""
    return [c for k in _compared_kinds(interp) for c in interp.concepts.get(k, [])]


def _set_rank(
    interp: Interpretation,
    shape: str,
    found: tuple[Any, tuple[str | None, str]] | None,
    used: set[int],
) -> None:
    token, (kind, direction) = found if found is not None else (None, (None, "better"))
    if kind is None:
        kind = interp.asked_kinds[0] if interp.asked_kinds else None
    if kind is None and direction in ("max", "min") and shape == "superlative":
        return  # "highest" of nothing named: not a ranking
    kind = kind or DEFAULT_RANK_KIND
    if direction in ("better", "worse"):
        good = "min" if kind in LOWER_IS_BETTER else "max"
        if direction == "worse":
            good = "max" if good == "min" else "min"
        direction = good
    if kind in interp.asked_kinds:
        interp.asked_kinds.remove(kind)
    interp.shape, interp.rank = shape, (kind, direction)
    unit = load_vocabulary().get(str(VOCAB[kind]))
    word = token.text if token is not None else kind_label(kind)
    interp.numbers.append(
        NumericConstraint(kind, direction, 0.0, 0.0, unit.unit if unit else "", word)
    )
    if token is not None:
        used.add(token.i)
        interp.words.append((token.text, f"ranked by {kind_label(kind)}, {_RANK_WORDS[direction]}"))
    if interp.target == "values":
        # A ranking answers with the coatings and the value they are ranked by; another
        # quantity word is the verb ("which cycles longer") or shown with it anyway.
        interp.target = "coatings"
        interp.asked_kinds.clear()


_RANK_WORDS = {"max": "highest first", "min": "lowest first"}


_SHOWN = {"CellType": "cell_type", "Electrolyte": "electrolyte"}

#: Words that name what is tested rather than a constraint once a concept of that kind is read.
_CONTEXT_WORDS = {
    "cell": "CellType",
    "cells": "CellType",
    "cathode": "CellType",
    "cathodes": "CellType",
    "electrolyte": "Electrolyte",
    "electrolytes": "Electrolyte",
}


def _read_leftovers(interp: Interpretation, doc: Doc, used: set[int]) -> None:
    """Every other content word: a typo of a vocabulary term is read as that term ("read
    'sodiumm' as sodium"); a word that looks like a term (a formula, an acronym) but names
    none is *not understood*, which makes the answer empty rather than wider; any other word
    is listed as ignored."""
    for token in doc:
        if token.i in used or token.is_punct or token.is_space or token.like_num:
            continue
        word = token.lower_
        if word in STOPWORDS or word in TARGET_WORDS or word in ("et", "al", "al.", "'s"):
            continue
        if len(word) < 2 and (not word.isalnum() or token.text.islower()):
            continue  # punctuation, or the "s" of "whats"
        if word in ("host", "hosts") and interp.concepts.get("Anode"):
            continue  # "the potassium host": read with the metal it carries
        context = _CONTEXT_WORDS.get(word)
        if context == "CellType" and (
            interp.concepts.get("CellType") or interp.concepts.get("Cathode")
        ):
            continue
        if context == "Electrolyte" and any(
            interp.concepts.get(k) for k in ("ElectrolyteFamily", "Salt", "Solvent")
        ):
            continue
        if context is not None:  # "which electrolyte was used for X?": shown as a column
            column = _SHOWN[context]
            if column not in interp.show:
                interp.show.append(column)
            interp.words.append((token.text, f"shown as the column '{column}'"))
            continue
        target = _closest_form(word, TYPO_RATIO, _TARGET_FORMS) if len(word) >= 5 else None
        if target is not None:  # "coatigns": what to list, misspelt
            if not interp.target_named or TARGET_WORDS[target] != "coatings":
                if interp.target != "values":
                    interp.target = TARGET_WORDS[target]
                interp.target_named = True
            interp.readings.append((token.text, target))
            interp.words.append((token.text, f"read as '{target}': what to list"))
            continue
        if _out_of_scope(interp, token):
            continue
        bound = next((n.kind for n in interp.numbers if _names_part_of(word, n.kind)), None)
        if bound is not None:  # "efficiency above 99%": a word of the quantity bound
            interp.words.append((token.text, f"quantity {kind_label(bound)}"))
            continue
        if _read_typo(interp, token.text):
            continue
        if word in NO_CONSTRAINT_WORDS or word.rstrip("s") in NO_CONSTRAINT_WORDS:
            if token.text not in interp.ignored:
                interp.ignored.append(token.text)
                interp.words.append((token.text, "no constraint"))
            continue
        suggestion = _closest_form(token.text, SUGGEST_RATIO, terms_only=True)
        bucket = interp.unknown if _looks_like_term(token.text) else interp.unread
        if (token.text, suggestion) not in bucket:
            bucket.append((token.text, suggestion))
        interp.words.append((token.text, "not understood"))


#: The anode metals the graph covers, as said in a refusal.
ANODE_METALS = "Li, Na and K"
#: Anodes of other batteries that are no element: named before "anode(s)" they are out of scope.
_OTHER_ANODES = frozenset(["graphite", "graphitic", "silicon", "hard-carbon", "lto"])
#: Elements that are no anode metal (a "carbon" host is in scope; "sulfur" is a cathode).
_NON_METALS = frozenset(
    [
        "hydrogen",
        "boron",
        "carbon",
        "nitrogen",
        "oxygen",
        "fluorine",
        "phosphorus",
        "sulfur",
        "sulphur",
        "chlorine",
        "selenium",
        "h",
        "b",
        "c",
        "n",
        "o",
        "f",
        "p",
        "s",
        "cl",
        "se",
        "i",
    ]
)
#: After a word: it names an anode or battery ("zinc anodes", "Mg metal", "Zn-ion batteries").
_ANODE_AFTER = re.compile(
    r"^\s*(?:-?\s*ion\b|metal\b|anodes?\b|batter(?:y|ies)\b|electrodes?\b|cells?\b|foils?\b)", re.I
)


def _out_of_scope(interp: Interpretation, token: Any) -> bool:
    """A metal other than Li, Na, K named as an anode or substrate ("on zinc", "Mg anodes",
    "for Zn metal"), or another battery's anode ("graphite anodes"): the graph has no such
    coating, so the answer is empty and says why, rather than leaving the word out."""
    word = token.lower_
    text = token.doc.text
    before, after = text[: token.idx], text[token.idx + len(token.text) :]
    anode_like = bool(_ANODE_AFTER.match(after))
    on_or_for = bool(_ON_BEFORE.search(before) or _FOR_BEFORE.search(before))
    metal = (word in ELEMENTS or token.text in FORMULA_ELEMENTS) and word not in _NON_METALS
    if not ((metal and (anode_like or on_or_for)) or (word in _OTHER_ANODES and anode_like)):
        return False
    if token.text not in interp.out_of_scope:
        interp.out_of_scope.append(token.text)
    interp.words.append(
        (token.text, f"out of scope: not an anode metal of the graph ({ANODE_METALS})")
    )
    return True


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """Every word the reader knows (of the vocabulary's surface forms and of the question
    idioms), lower case, for typo correction: {word: word}."""
    words: set[str] = set(STOPWORDS) | set(TARGET_WORDS) | set(ELEMENTS) | NO_CONSTRAINT_WORDS
    words |= set(SUPERLATIVES) | set(COMPARATIVES) | set(VERSUS_WORDS) | set(_CONTEXT_WORDS)
    idioms = [p for _, p in (*CMP_BEFORE, *YEAR_BEFORE, *HOW_PHRASES)] + [TAIL_RE]
    for pattern in idioms:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", pattern))
    for form in _pipeline().forms.values():
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", form))
    return {w: w for w in words if w.isalpha()}


def _correct_typos(text: str, interp: Interpretation) -> str:
    """Lower-case words the reader does not know but that are one slip from a word it does
    ("sodiumm", "effciency", "bellow", "depostion") are replaced, and the reading is said.
    Capitalized words after the first (names, formulas) are left as written."""
    lexicon = _lexicon()

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        lower = word.lower()
        if lower in lexicon or (lower.endswith("s") and lower[:-1] in lexicon):
            return word
        if m.start() > 0 and word[0].isupper():
            return word
        closest = _closest_form(lower, TYPO_RATIO, lexicon)
        if closest is None:
            return word
        interp.readings.append((word, closest))
        return closest

    return re.sub(r"(?<![\w/.-])[A-Za-z]{4,}(?![\w/.-])", fix, text)


def _read_typo(interp: Interpretation, word: str) -> bool:
    if len(word) < 4 or not word.isalpha() or word.lower() in _lexicon():
        return False
    form = _closest_form(word, TYPO_RATIO)
    concepts = _concepts_named(form) if form else []
    if not concepts:
        return False
    for concept in concepts:
        if concept.kind == "QuantityKind":
            local = _local_name(concept.iri)
            if local not in interp.asked_kinds:
                interp.asked_kinds.append(local)
        else:
            interp.add(concept)
    interp.readings.append((word, form or ""))
    label = concepts[0]
    interp.words.append(
        (word, f"read as '{form}': {_KIND_NAMES.get(label.kind, label.kind)} {label.label}")
    )
    return True


_TARGET_FORMS = {w: w for w in TARGET_WORDS if len(w) >= 5}
_CHEMISTRY_ENDINGS = ("ium", "oxide", "cone", "ene")


def _looks_like_term(word: str) -> bool:
    """A formula (HfO2, ZnO), an acronym (PEO, LLZO) or a chemical name (…ium, …oxide):
    a word that would narrow the question, so not reading it must not widen the answer."""
    if any(ch.isdigit() for ch in word):
        return True
    if any(ch.isupper() for ch in word[1:]):
        return True
    return len(word) >= 5 and word.lower().endswith(_CHEMISTRY_ENDINGS)


def _add_author(interp: Interpretation, surname: str, written: str) -> bool:
    """Add an author by surname (the full name as written goes in the word list); False when
    the word names a concept ("by MLD", "by Al2O3")."""
    vocab = load_vocabulary()
    if any(vocab.lookup(kind, surname) for kind in QUESTION_KINDS):
        return False
    if surname not in interp.authors:
        interp.authors.append(surname)
        interp.words.append((written, f"author {surname}"))
    return True
