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

from kg.ask.words import (
    CMP_BEFORE,
    ELEMENTS,
    HOW_PHRASES,
    STOPWORDS,
    TAIL_RE,
    TARGET_WORDS,
    YEAR_BEFORE,
)
from kg.namespaces import VOCAB
from kg.vocab import Concept, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher

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


class QuestionError(Exception):
    """A question that cannot be read (empty, too long, a number out of range).

    The message says what to type instead; the CLI and the app turn it into a usage error.
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
    numbers: list[NumericConstraint] = field(default_factory=list)
    asked_kinds: list[str] = field(default_factory=list)  # kinds named without a number
    ignored: list[str] = field(default_factory=list)

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
            or self.numbers
            or self.asked_kinds
        )

    @property
    def coating_level(self) -> bool:
        """Constraints only a coating can satisfy (material facts have no substrate, ...)."""
        kinds = {k for k, v in self.concepts.items() if v} - {"Material", "MaterialClass"}
        kinds -= {"QuantityKind"}
        return bool(kinds or self.numbers)

    def describe(self) -> str:
        parts: list[str] = []
        names = {
            "Substrate": "substrate",
            "Technique": "technique",
            "Material": "material",
            "MaterialClass": "material class",
            "Precursor": "precursor",
            "CellType": "cell type",
            "ElectrolyteFamily": "electrolyte family",
            "Salt": "electrolyte salt",
            "Solvent": "electrolyte solvent",
            "CharacterizationMethod": "characterized by",
        }
        for kind, label in names.items():
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
            parts.append(f"author {author}")
        for n in self.numbers:
            parts.append(_describe_number(n))
        for kind in self.asked_kinds:
            parts.append(f"showing {kind_label(kind)}")
        text = f"Looking for {self.target}"
        text += (": " + "; ".join(parts) + ".") if parts else " (no constraint)."
        if self.ignored:
            text += " Ignored words: " + ", ".join(f"'{w}'" for w in self.ignored) + "."
        else:
            text += " No words ignored."
        return text


def _describe_number(n: NumericConstraint) -> str:
    label = kind_label(n.kind)
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
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- the spaCy pipeline


def _match_forms(form: str) -> list[str]:
    form = normalize_question(form)
    return [form] if form else []


@dataclass
class _Pipeline:
    nlp: Language
    lower: PhraseMatcher
    exact: PhraseMatcher
    elements: Matcher
    keys: dict[str, list[Concept]]


@lru_cache(maxsize=1)
def _pipeline() -> _Pipeline:
    """spaCy blank English with matchers generated from the vocabulary (built once)."""
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher

    vocab = load_vocabulary()
    nlp = spacy.blank("en")
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    keys: dict[str, list[Concept]] = defaultdict(list)
    by_form: dict[tuple[str, str], list[Concept]] = defaultdict(list)
    concepts = [*vocab.concepts.values(), *vocab.material_classes.values()]
    for concept in concepts:
        for form in concept.surface_forms:
            for text in _match_forms(form):
                # Short abbreviations with capitals (Li, Na, K, EC, ED, HF) match case-exactly
                # so that ordinary words ("ed", "k") are not read as chemistry.
                short = len(text) <= 3 and any(ch.isupper() for ch in text)
                by_form[("exact" if short else "lower", text)].append(concept)
    for (mode, text), found in by_form.items():
        key = f"{mode}:{text}"
        keys[key] = list(dict.fromkeys(found))
        matcher = exact if mode == "exact" else lower
        matcher.add(key, [nlp.make_doc(text)])
    elements = Matcher(nlp.vocab)
    names = sorted(ELEMENTS)
    after = ["containing", "based", "bearing", "doped", "rich", "contained"]
    elements.add(
        "ELEMENT",
        [
            [{"LOWER": {"IN": names}}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": after}}],
            [
                {"LOWER": {"IN": ["containing", "contain", "contains", "with"]}},
                {"LOWER": {"IN": names}},
            ],
        ],
    )
    return _Pipeline(nlp, lower, exact, elements, dict(keys))


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
        if op == "=" and not cmp_text and kind != "CurrentDensity":
            op = "="
        interp.add_number(
            NumericConstraint(kind, op, c_low, c_high, c_unit, text[start:unit_end].strip())
        )
        consumed.append(_Found(start, unit_end, text[start:unit_end]))
        last_end = unit_end
    return consumed


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
    "Salt": 6,
    "Solvent": 6,
    "ElectrolyteFamily": 7,
    "CharacterizationMethod": 8,
    "QuantityKind": 9,
}


def interpret(question: str) -> Interpretation:
    """Read a question into constraints (no store needed)."""
    from spacy.util import filter_spans

    text = check_question(question)
    pipe = _pipeline()
    interp = Interpretation()
    doc = pipe.nlp.make_doc(text)

    # Concept mentions (longest wins), and element mentions.
    spans = []
    for matcher in (pipe.lower, pipe.exact):
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            span.label_ = pipe.nlp.vocab.strings[match_id]
            spans.append(span)
    element_spans = []
    for _, start, end in pipe.elements(doc):
        span = doc[start:end]
        span.label_ = "ELEMENT"
        element_spans.append(span)
    chosen = filter_spans([*element_spans, *spans])

    # Kind words mentioned (used to type unitless numbers and for value questions).
    hinted: list[str] = []
    for span in chosen:
        for concept in pipe.keys.get(span.label_, []):
            if concept.kind == "QuantityKind":
                hinted.append(concept.iri.rsplit("/", 1)[-1])
    for pattern, kind in HOW_PHRASES:
        if re.search(pattern, text, re.I) and kind not in hinted:
            hinted.insert(0, kind)
    consumed = _find_numbers(text, hinted, interp)

    def inside_number(span: Any) -> bool:
        return any(f.start <= span.start_char < f.end for f in consumed)

    used_tokens: set[int] = set()
    for f in consumed:
        used_tokens.update(t.i for t in doc if f.start <= t.idx < f.end)
    bound_kinds = {n.kind for n in interp.numbers}
    bound_units = {n.unit for n in interp.numbers}
    for span in chosen:
        if inside_number(span):
            continue
        if span.label_ == "ELEMENT":
            name = next(t.lower_ for t in span if t.lower_ in ELEMENTS)
            symbol = ELEMENTS[name]
            if symbol not in interp.elements:
                interp.elements.append(symbol)
            used_tokens.update(t.i for t in span)
            continue
        found = pipe.keys.get(span.label_, [])
        if not found:
            continue
        used_tokens.update(t.i for t in span)
        best = min(_PREFERENCE.get(c.kind, 99) for c in found)
        for concept in found:
            if _PREFERENCE.get(concept.kind, 99) != best:
                continue
            if concept.kind == "QuantityKind":
                local = concept.iri.rsplit("/", 1)[-1]
                if local in bound_kinds or (concept.unit in bound_units):
                    continue
                if local not in interp.asked_kinds:
                    interp.asked_kinds.append(local)
                continue
            interp.add(concept)
    for pattern, kind in HOW_PHRASES:
        hit = re.search(pattern, text, re.I)
        if hit and kind not in interp.asked_kinds and kind not in bound_kinds:
            interp.asked_kinds.append(kind)
        if hit:
            used_tokens.update(t.i for t in doc if hit.start() <= t.idx < hit.end())

    # Authors: "Kazyak et al.", "by Chen" (a capitalized word that names no concept).
    for m in re.finditer(r"\b([A-Z][\w'’-]+)\s+et\s+al\b\.?", text):
        _add_author(interp, m.group(1))
        used_tokens.update(t.i for t in doc if m.start() <= t.idx < m.end())
    for m in re.finditer(r"\bby\s+([A-Z][\w'’-]*[a-z][\w'’-]*)", text):
        tokens = [t.i for t in doc if m.start(1) <= t.idx < m.end(1)]
        if not tokens or any(i in used_tokens for i in tokens):
            continue
        _add_author(interp, m.group(1))
        used_tokens.update(tokens)

    # Target.
    lowered = text.lower()
    for token in doc:
        target = TARGET_WORDS.get(token.lower_)
        if target and token.i not in used_tokens:
            used_tokens.add(token.i)
            if not interp.target_named or target != "coatings":
                interp.target = target
                interp.target_named = True
    if interp.asked_kinds and (not interp.target_named or re.match(r"\s*(?:what|how)\b", lowered)):
        interp.target = "values"

    # Ignored words.
    for token in doc:
        if token.i in used_tokens or token.is_punct or token.is_space or token.like_num:
            continue
        word = token.lower_
        if word in STOPWORDS or word in TARGET_WORDS or (len(word) < 2 and not word.isalnum()):
            continue
        if word in ("et", "al", "al.", "-", "'s", "cells", "cell", "electrolyte", "electrolytes"):
            if word.startswith("cell") and interp.concepts.get("CellType"):
                continue
            if word.startswith("electrolyte") and (
                interp.concepts.get("ElectrolyteFamily")
                or interp.concepts.get("Salt")
                or interp.concepts.get("Solvent")
            ):
                continue
            if word in ("et", "al", "al.", "-", "'s"):
                continue
        if token.text not in interp.ignored:
            interp.ignored.append(token.text)
    return interp


def _add_author(interp: Interpretation, name: str) -> None:
    vocab = load_vocabulary()
    if any(
        vocab.lookup(kind, name) for kind in ("Material", "Technique", "Precursor", "Substrate")
    ):
        return
    if name not in interp.authors:
        interp.authors.append(name)
