"""Question → interpretation → SPARQL → answer, without a language model.

Everything the parser understands comes from the vocabulary (``ontology/*.ttl``): a spaCy
PhraseMatcher is generated from every surface form of every concept and material class, so a
material, precursor or cell type added to ``vocab.ttl`` is understood without code changes.
Numbers are read with the same unit code as ingest (:mod:`ingest.quantities`) and converted to
the canonical unit the graph stores. Values reach SPARQL only through
:func:`kg.query.sparql_literal` and :func:`kg.query.sparql_iri`, so no question can change the
shape of the query.

Decisions (documented here because answers depend on them):

* A technique matches itself and its narrower techniques (plasma-enhanced ALD is ALD); the
  combined ``ALD/MLD`` is its own technique, not counted as ALD nor as MLD.
* A coating's year is its table year and its study's reference-list year: when the two
  disagree, both count.
* Comparators use a measurement's range ``[numericValue, maxValue]``: ``> x`` needs the high
  end above ``x``, ``< x`` the low end below ``x``. A stored open value (``> 1000 h``, kept as
  1000) satisfies ``> x`` and ``≥ x`` when ``1000 ≥ x``; a stored ``>`` never satisfies ``<``
  (and a stored ``<`` never satisfies ``>``). ``about x`` means within ±10 %.
* "Studies" are the studies that report a coating in the graph.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.namespaces import AKG, BASE, VOCAB
from kg.query import DEFAULT_PREFIXES, prefix_block, run_generated, sparql_iri, sparql_literal
from kg.vocab import Concept, Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher

__all__ = ["Answer", "Interpretation", "NumericConstraint", "ask", "interpret"]

DOC_GRAPH = f"{BASE}graph/doc/"
KEYWORD_PREFIX = "Not understood as a structured question; showing keyword matches"

# --------------------------------------------------------------------------- answer


@dataclass(frozen=True)
class Answer:
    """What ``kg ask`` prints: the question, how it was read, the SPARQL and the rows."""

    question: str
    interpretation: str
    sparql: str
    columns: list[str]
    rows: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    mode: str  # "structured" | "keyword"
    understood: bool

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``kg ask --json`` (DESIGN.md)."""
        return {
            "question": self.question,
            "interpretation": self.interpretation,
            "sparql": self.sparql,
            "columns": self.columns,
            "rows": self.rows,
            "evidence": self.evidence,
            "mode": self.mode,
        }


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
            parts.append(f"showing {_kind_label(kind)}")
        text = f"Looking for {self.target}"
        text += (": " + "; ".join(parts) + ".") if parts else " (no constraint)."
        if self.ignored:
            text += " Ignored words: " + ", ".join(f"'{w}'" for w in self.ignored) + "."
        else:
            text += " No words ignored."
        return text


def _describe_number(n: NumericConstraint) -> str:
    label = _kind_label(n.kind)
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


def _kind_label(kind: str) -> str:
    concept = load_vocabulary().get(str(VOCAB[kind]))
    return concept.label if concept else kind


# --------------------------------------------------------------------------- words

#: Words that carry no constraint (question words, grammar); never reported as ignored.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "at",
        "by",
        "for",
        "to",
        "from",
        "with",
        "and",
        "or",
        "any",
        "all",
        "some",
        "which",
        "what",
        "who",
        "whose",
        "where",
        "when",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "its",
        "it",
        "as",
        "into",
        "onto",
        "using",
        "use",
        "used",
        "uses",
        "via",
        "show",
        "list",
        "give",
        "find",
        "me",
        "tell",
        "about",
        "can",
        "could",
        "would",
        "should",
        "please",
        "get",
        "whose",
        "than",
        "both",
        "each",
        "per",
        "my",
        "our",
        "your",
        "them",
        "they",
        "it's",
        "reported",
        "report",
        "reports",
        "deposited",
        "deposit",
        "grown",
        "grow",
        "made",
        "make",
        "makes",
        "coated",
        "tested",
        "test",
        "tests",
        "tested",
        "cycled",
        "cycle",
        "cycling",
        "stable",
        "stability",
        "value",
        "values",
        "having",
        "has",
        "also",
        "only",
        "under",
        "over",
        "above",
        "below",
        "between",
        "more",
        "less",
        "most",
        "least",
        "than",
        "much",
        "many",
        "long",
        "characterized",
        "characterised",
        "measured",
        "analyzed",
        "analysed",
        "studied",
        "investigated",
        "applied",
        "employed",
        "lasting",
        "last",
        "lasts",
        "survive",
        "survives",
        "surviving",
        "achieved",
        "shown",
        "showing",
        "without",
        "published",
        "were",
        "have",
        "before",
        "after",
        "since",
        "until",
        "prior",
        "later",
        "earlier",
        "anode",
        "anodes",
        "electrode",
        "electrodes",
        "metal",
        "battery",
        "batteries",
    ]
)

TARGET_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["coating", "coatings", "film", "films", "layer", "layers", "coated"], "coatings"
    ),
    **dict.fromkeys(
        [
            "study",
            "studies",
            "paper",
            "papers",
            "reference",
            "references",
            "ref",
            "refs",
            "work",
            "works",
            "publication",
            "publications",
            "article",
            "articles",
            "who",
        ],
        "studies",
    ),
    **dict.fromkeys(["precursor", "precursors", "reactant", "reactants"], "precursors"),
    **dict.fromkeys(["material", "materials"], "materials"),
}

#: Question idioms that ask for a quantity without naming it.
HOW_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bhow\s+long\b", "CyclingDuration"),
    (r"\bhow\s+thick\b", "Thickness"),
    (r"\bhow\s+many\s+cycles\b", "CycleCount"),
    (r"\b(?:what|which|at\s+what)\s+temperatures?\b", "DepositionTemperature"),
    (r"\bhow\s+hot\b", "DepositionTemperature"),
)

#: Element names → symbols, for "zirconium containing coatings" (akg:containsElement).
ELEMENTS: dict[str, str] = {
    "hydrogen": "H",
    "lithium": "Li",
    "boron": "B",
    "carbon": "C",
    "nitrogen": "N",
    "oxygen": "O",
    "fluorine": "F",
    "sodium": "Na",
    "magnesium": "Mg",
    "aluminum": "Al",
    "aluminium": "Al",
    "silicon": "Si",
    "phosphorus": "P",
    "sulfur": "S",
    "sulphur": "S",
    "chlorine": "Cl",
    "potassium": "K",
    "calcium": "Ca",
    "titanium": "Ti",
    "vanadium": "V",
    "chromium": "Cr",
    "manganese": "Mn",
    "iron": "Fe",
    "cobalt": "Co",
    "nickel": "Ni",
    "copper": "Cu",
    "zinc": "Zn",
    "gallium": "Ga",
    "germanium": "Ge",
    "selenium": "Se",
    "zirconium": "Zr",
    "niobium": "Nb",
    "molybdenum": "Mo",
    "silver": "Ag",
    "tin": "Sn",
    "antimony": "Sb",
    "lanthanum": "La",
    "hafnium": "Hf",
    "tantalum": "Ta",
    "tungsten": "W",
}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
#: Comparator phrases before a number → symbol. Longest first inside each alternative.
_CMP_BEFORE: tuple[tuple[str, str], ...] = (
    ("≥", r"at\s+least|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|≥|>="),
    ("≤", r"at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|a\s+maximum\s+of|≤|<="),
    (
        ">",
        r"(?:more|greater|higher|larger|longer|thicker|bigger|hotter|warmer)\s+than"
        r"|in\s+excess\s+of|exceeding|exceeds?|beyond|above|over|surpassing|>",
    ),
    (
        "<",
        r"(?:less|fewer|lower|smaller|shorter|thinner|colder|cooler)\s+than"
        r"|below|under|beneath|<",
    ),
    ("~", r"about|around|approximately|approx\.?|roughly|nearly|circa|ca\.|~|≈|∼"),
)
_CMP_RE = "|".join(f"(?P<b{i}>{p})" for i, (_, p) in enumerate(_CMP_BEFORE))
_TAIL_RE = (
    r"(?P<tail_ge>\s*(?:or|and)\s+(?:more|higher|greater|above|longer|thicker|larger|over|later)"
    r"|\s*\+)|(?P<tail_le>\s*(?:or|and)\s+(?:less|lower|fewer|below|shorter|thinner|smaller"
    r"|under|earlier))"
)
_NUMBER_RE = re.compile(
    rf"(?:(?P<between>\bbetween|\bfrom)\s+(?P<n1>{_NUM})\s*(?P<u1>[^\s\d,;?!()]+(?:\s+[^\s\d,;?!()]+)?)?"
    rf"\s+(?:and|to|-)\s+(?P<n2>{_NUM}))"
    rf"|(?:(?:(?P<cmp>{_CMP_RE})\s*)?(?P<num>{_NUM})(?:\s*(?:-|to)\s*(?P<num2>{_NUM}))?)",
    re.I,
)
_YEAR_BEFORE: tuple[tuple[str, str], ...] = (
    ("≥", r"since|from|starting|(?:in\s+or\s+)?after\s+or\s+in"),
    (">", r"after|later\s+than|newer\s+than"),
    ("<", r"before|prior\s+to|earlier\s+than|older\s+than"),
    ("≤", r"until|till|up\s+to|by|through"),
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
    for i, (symbol, _) in enumerate(_CMP_BEFORE):
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
        low = float(n1.replace(",", ""))
        high = float(n2.replace(",", "")) if n2 else None
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
        tail = re.match(_TAIL_RE, text[unit_end:], re.I)
        if tail:
            op = "≥" if tail.group("tail_ge") else "≤"
            unit_end += tail.end()
        # Years: four digits, no unit.
        if unit is None and high is None and 1900 <= low <= 2099 and low.is_integer():
            yop = _year_op(text[:start], cmp_text, op)
            interp.years.append((yop, int(low), int(low)))
            consumed.append(_Found(start, unit_end, text[start:unit_end]))
            continue
        if unit is None and is_between and 1900 <= low <= 2099 and high and 1900 <= high <= 2099:
            interp.years.append(("between", int(low), int(high)))
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
        interp.numbers.append(
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
    for symbol, pattern in _YEAR_BEFORE:
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

    pipe = _pipeline()
    text = normalize_question(question)
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


# --------------------------------------------------------------------------- vocabulary closures


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _narrower(vocab: Vocabulary, iri: str) -> list[str]:
    """The concept and every concept below it through skos:broader (transitively)."""
    out = [iri]
    frontier = [iri]
    while frontier:
        current = frontier.pop()
        for concept in vocab.concepts.values():
            if current in concept.broader and concept.iri not in out:
                out.append(concept.iri)
                frontier.append(concept.iri)
    return out


def technique_iris(vocab: Vocabulary, concept: Concept) -> list[str]:
    """A technique and its narrower techniques (plasma-enhanced ALD is ALD).

    Combined techniques (ALD/MLD) are not counted as ALD or MLD: they are a kind of their own,
    matched when named ("ALD/MLD coatings"); the gold treats them as optional for "MLD".
    """
    return _narrower(vocab, concept.iri)


def class_materials(vocab: Vocabulary, class_iri: str) -> tuple[list[str], list[str]]:
    """(subclasses including itself, vocabulary materials typed with any of them)."""
    from rdflib import RDFS, URIRef

    classes = [str(c) for c in vocab.graph.transitive_subjects(RDFS.subClassOf, URIRef(class_iri))]
    if class_iri not in classes:
        classes.insert(0, class_iri)
    materials = [
        c.iri for c in vocab.of_kind("Material") if any(cls in c.classes for cls in classes)
    ]
    return classes, materials


def kind_iris(vocab: Vocabulary, kind: str) -> list[str]:
    return _narrower(vocab, str(VOCAB[kind]))


# --------------------------------------------------------------------------- SPARQL


def _values(var: str, iris: list[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sparql_iri(i) for i in iris)} }}"


def _lit(value: float) -> str:
    """A number literal, as an integer when it is one (shorter queries check faster)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return sparql_literal(int(value))
    return sparql_literal(float(value))


_OPEN_ABOVE = (">", "≥")
_OPEN_BELOW = ("<", "≤")
_CLOSED = ("=", "~")


def _number_filter(n: NumericConstraint, i: int) -> tuple[list[str], str]:
    """(properties the measurement needs, VALUES/FILTER text) for one numeric constraint.

    Written as one comparison against a per-comparator threshold from VALUES: kg.query checks
    every query with rdflib's parser, whose cost grows steeply with nested boolean filters.
    """
    lo, hi, cmp, t = f"?lo{i}", f"?hi{i}", f"?cmp{i}", f"?t{i}"
    eps = abs(n.low) * 1e-9 + 1e-12
    if n.op in (">", "<"):
        above = n.op == ">"
        x = n.low
        # A stored open value (> v) satisfies "> x" when v ≥ x: its threshold moves by eps.
        loose = x - eps if above else x + eps
        same, opposite = (_OPEN_ABOVE, _OPEN_BELOW) if above else (_OPEN_BELOW, _OPEN_ABOVE)
        del opposite  # stored values open the other way never match
        rows = [f"({sparql_literal(c)} {_lit(x)})" for c in _CLOSED]
        rows += [f"({sparql_literal(c)} {_lit(loose)})" for c in same]
        var = hi if above else lo
        return (
            ["akg:maxValue" if above else "akg:numericValue", "akg:comparator"],
            f"VALUES ({cmp} {t}) {{ {' '.join(rows)} }} FILTER({var} {n.op} {t})",
        )
    if n.op in ("≥", "≤"):
        above = n.op == "≥"
        allowed = [*_CLOSED, *(_OPEN_ABOVE if above else _OPEN_BELOW)]
        var = hi if above else lo
        symbol = ">=" if above else "<="
        return (
            ["akg:maxValue" if above else "akg:numericValue", "akg:comparator"],
            f"VALUES {cmp} {{ {' '.join(sparql_literal(c) for c in allowed)} }} "
            f"FILTER({var} {symbol} {_lit(n.low)})",
        )
    if n.op == "~":
        a, b = sorted((n.low * 0.9, n.low * 1.1))
    elif n.op == "between":
        a, b = n.low, n.high
    else:
        a, b = n.low - eps, n.low + eps
    return (["akg:numericValue", "akg:maxValue"], f"FILTER({lo} <= {_lit(b)} && {hi} >= {_lit(a)})")


def _measurement_block(owner: str, n: NumericConstraint, i: int, vocab: Vocabulary) -> str:
    m = f"?m{i}"
    needs, condition = _number_filter(n, i)
    variables = {
        "akg:numericValue": f"?lo{i}",
        "akg:maxValue": f"?hi{i}",
        "akg:comparator": f"?cmp{i}",
    }
    props = " ; ".join(f"{p} {variables[p]}" for p in needs)
    lines = [
        f"{owner} akg:hasMeasurement {m} . {m} akg:quantityKind ?k{i} ; {props} .",
        _values(f"k{i}", kind_iris(vocab, n.kind)),
        condition,
        *(f"OPTIONAL {{ {m} {p} {v} }}" for p, v in variables.items() if p not in needs),
        f"OPTIONAL {{ {m} akg:valueText ?vt{i} }}",
        *_span_lines(m, f"ms{i}"),
    ]
    return "\n  ".join(lines)


def _span_lines(node: str, prefix: str) -> list[str]:
    p = f"?{prefix}"
    return [
        f"OPTIONAL {{ {node} prov:wasDerivedFrom {p} . {p} akg:sourceText {p}Text .",
        f"  OPTIONAL {{ {p} akg:tableNumber {p}Table ; akg:rowNumber {p}Row }}",
        f"  OPTIONAL {{ {p} akg:section {p}Section }} OPTIONAL {{ {p} akg:sentenceIndex {p}Sentence }} }}",
    ]


def _current_density_block(n: NumericConstraint, i: int, attach: str | None) -> str:
    """Current density: of the measurement it qualifies, else of any test or measurement."""
    cd = f"?lo{i}"
    if attach:
        pattern = (
            f"{{ {attach} akg:atCurrentDensity_mA_cm2 {cd} }} UNION "
            f"{{ {attach} akg:measuredIn/akg:currentDensity_mA_cm2 {cd} }}"
        )
    else:
        pattern = (
            f"{{ ?c akg:hasMeasurement/akg:atCurrentDensity_mA_cm2 {cd} }} UNION "
            f"{{ ?c akg:testedIn/akg:currentDensity_mA_cm2 {cd} }} UNION "
            f"{{ ?c akg:hasMeasurement ?cdm{i} . ?cdm{i} akg:quantityKind akgv:CurrentDensity ; "
            f"akg:numericValue {cd} }}"
        )
    # A current density is a condition, not an open value: compare it as a plain number.
    plain = NumericConstraint(n.kind, n.op, n.low, n.high, n.unit, n.text)
    _, condition = _number_filter(plain, i)
    condition = re.sub(
        r"VALUES \(\?cmp\d+ (\?t\d+)\) \{ \(\S+ (\S+)\).*?\} FILTER\((\?\w+) (\S+) \1\)",
        lambda m: f"FILTER({cd} {m.group(4)} {m.group(2)})",
        condition,
    )
    condition = re.sub(r"VALUES \?cmp\d+ \{[^}]*\} ", "", condition)
    condition = condition.replace(f"?hi{i}", cd)
    return f"{pattern}\n  {condition}"


def _year_filter(var: str, op: str, low: int, high: int) -> str:
    a, b = sparql_literal(low), sparql_literal(high)
    if op == "between":
        return f"{var} >= {a} && {var} <= {b}"
    return f"{var} {op.replace('≥', '>=').replace('≤', '<=')} {a}"


def _coating_constraints(interp: Interpretation, vocab: Vocabulary) -> list[str]:
    """Graph patterns every matching coating ``?c`` (material ``?mat``) satisfies."""
    lines: list[str] = []
    c = interp.concepts
    materials = [m.iri for m in c.get("Material", [])]
    class_alts: list[str] = []
    for cls in c.get("MaterialClass", []):
        classes, members = class_materials(vocab, cls.iri)
        class_alts.append(
            f"{{ {_values('mat', members or [cls.iri])} }} UNION "
            f"{{ ?mat a ?matClass . {_values('matClass', classes)} }}"
        )
    if materials:
        lines.append(_values("mat", materials))
    lines.extend(class_alts)
    for j, symbol in enumerate(interp.elements):
        members = [m.iri for m in vocab.of_kind("Material") if symbol in m.elements]
        alt = f"{{ ?mat akg:containsElement ?el{j} . FILTER(STR(?el{j}) = {sparql_literal(symbol)}) }}"
        if members:
            alt = f"{{ {_values('mat', members)} }} UNION " + alt
        lines.append(alt)
    if c.get("Substrate"):
        # "on K" means on K metal or on a host that carries the K anode (akg:forAnode).
        lines.append("?c akg:onSubstrate|akg:forAnode ?sub .")
        lines.append(_values("sub", [s.iri for s in c["Substrate"]]))
    if c.get("Technique"):
        iris: list[str] = []
        for t in c["Technique"]:
            iris.extend(i for i in technique_iris(vocab, t) if i not in iris)
        lines.append("?c akg:depositedBy/akg:technique ?techQ .")
        lines.append(_values("techQ", iris))
    for j, p in enumerate(c.get("Precursor", [])):
        lines.append(f"?c akg:depositedBy/akg:usesPrecursor {sparql_iri(p.iri)} .")
        del j
    if c.get("CellType"):
        iris = []
        for ct in c["CellType"]:
            iris.extend(i for i in _narrower(vocab, ct.iri) if i not in iris)
        lines.append(
            "{ ?c akg:testedIn/akg:cellType ?ctQ } UNION "
            "{ ?c akg:hasMeasurement/akg:measuredIn/akg:cellType ?ctQ }"
        )
        lines.append(_values("ctQ", iris))
    for j, concept in enumerate(
        [*c.get("ElectrolyteFamily", []), *c.get("Salt", []), *c.get("Solvent", [])]
    ):
        ev = f"?elec{j}"
        lines.append(f"?c akg:testedIn/akg:usesElectrolyte {ev} .")
        if concept.kind == "ElectrolyteFamily":
            members = [
                x.iri
                for x in [*vocab.of_kind("Salt"), *vocab.of_kind("Solvent")]
                if x.family == concept.iri
            ]
            lines.append(
                f"{{ {_values(f'elec{j}', [concept.iri])} }} UNION "
                f"{{ {ev} akg:family|akg:salt|akg:solvent ?elecPart{j} . "
                f"{_values(f'elecPart{j}', [concept.iri, *members])} }}"
            )
        else:
            lines.append(
                f"{{ {_values(f'elec{j}', [concept.iri])} }} UNION "
                f"{{ {ev} akg:salt|akg:solvent {sparql_iri(concept.iri)} }}"
            )
    if c.get("CharacterizationMethod"):
        lines.append("?c akg:characterizedBy ?methodQ .")
        lines.append(_values("methodQ", [x.iri for x in c["CharacterizationMethod"]]))
    lines.extend(_study_constraints(interp, "?c"))
    attach: str | None = None
    for i, n in enumerate(interp.numbers):
        if n.kind == "CurrentDensity":
            continue
        lines.append(_measurement_block("?c", n, i, vocab))
        if attach is None and n.kind not in (
            "Thickness",
            "DepositionTemperature",
            "DepositionCycles",
            "GrowthPerCycle",
        ):
            attach = f"?m{i}"
    for i, n in enumerate(interp.numbers):
        if n.kind == "CurrentDensity":
            lines.append(_current_density_block(n, i, attach))
    return lines


def _study_constraints(interp: Interpretation, owner: str) -> list[str]:
    """Year (table or reference list: both count) and author constraints."""
    lines: list[str] = []
    for j, (op, low, high) in enumerate(interp.years):
        y = f"?year{j}"
        lines.append(
            f"{{ {owner} akg:year {y} }} UNION {{ {owner} akg:reportedIn/akg:year {y} }}"
            f"\n  FILTER({_year_filter(y, op, low, high)})"
        )
    for j, name in enumerate(interp.authors):
        lit = sparql_literal(name.lower())
        lines.append(
            f"{owner} akg:reportedIn ?authStudy{j} .\n  "
            f"{{ ?authStudy{j} akg:firstAuthor ?fa{j} FILTER(LCASE(STR(?fa{j})) = {lit}) }} UNION "
            f"{{ ?authStudy{j} akg:authorsText ?at{j} FILTER(CONTAINS(LCASE(STR(?at{j})), {lit})) }}"
        )
    return lines


_COMMON_OPTIONALS = """OPTIONAL { ?c akg:reportedIn ?study . ?study akg:citationNumber ?ref .
    OPTIONAL { ?study rdfs:label ?studyLabel } OPTIONAL { ?study akg:year ?refYear } }
  OPTIONAL { ?c akg:year ?tableYear }
  OPTIONAL { ?mat skos:prefLabel ?matLabel }
  OPTIONAL { ?c akg:onSubstrate ?subst }
  OPTIONAL { ?c akg:depositedBy/akg:technique ?tech }"""

#: The prefixes generated queries use (a short query is checked faster by kg.query).
PREFIXES = ("akg", "akgv", "rdfs", "skos", "prov")


def build_sparql(interp: Interpretation, vocab: Vocabulary | None = None) -> str:
    """The SELECT query for an interpretation (PREFIX lines included, runnable as is)."""
    vocab = vocab or load_vocabulary()
    head = prefix_block({k: DEFAULT_PREFIXES[k] for k in PREFIXES})
    constraints = "\n  ".join(_coating_constraints(interp, vocab))
    if interp.target == "values":
        return head + _value_query(interp, vocab)
    extra = ""
    if interp.target == "precursors":
        extra = (
            "\n  ?c akg:depositedBy ?proc . ?proc akg:usesPrecursor ?prec ."
            "\n  OPTIONAL { ?prec skos:prefLabel ?precLabel } OPTIONAL { ?prec akg:fullName ?precFull }"
            "\n  OPTIONAL { ?proc akg:hasStep ?step . ?step akg:usesPrecursor ?prec ; akg:stepIndex ?stepIndex }"
        )
    spans = "\n  ".join(_span_lines("?c", "cs"))
    return (
        head
        + "SELECT DISTINCT * WHERE {\n"
        + "  GRAPH ?g { ?c a akg:Coating }\n"
        + "  ?c akg:hasMaterial ?mat .\n  "
        + constraints
        + "\n  "
        + _COMMON_OPTIONALS
        + extra
        + "\n  "
        + spans
        + "\n}"
    )


def _value_query(interp: Interpretation, vocab: Vocabulary) -> str:
    """Values of the asked kinds: on matching coatings, and material facts (ofMaterial)."""
    kinds: list[str] = []
    for kind in interp.asked_kinds:
        kinds.extend(i for i in kind_iris(vocab, kind) if i not in kinds)
    coating = "\n    ".join(
        [
            "GRAPH ?g { ?c a akg:Coating }",
            "?c akg:hasMaterial ?mat ; akg:hasMeasurement ?mv .",
            *_coating_constraints(interp, vocab),
            "OPTIONAL { ?c akg:reportedIn ?study }",
            "OPTIONAL { ?c akg:year ?tableYear }",
            "OPTIONAL { ?c akg:onSubstrate ?subst }",
            "OPTIONAL { ?c akg:depositedBy/akg:technique ?tech }",
        ]
    )
    branches = [f"{{\n    {coating}\n  }}"]
    if not interp.coating_level:
        # Material facts (shear modulus of LiF) belong to no coating: only material, year and
        # author constraints apply to them.
        material = "\n    ".join(
            [
                "GRAPH ?g { ?mv akg:ofMaterial ?mat }",
                "OPTIONAL { ?mv akg:reportedIn ?study }",
                *_material_constraints(interp, vocab),
                *_study_constraints(interp, "?mv"),
            ]
        )
        branches.append(f"{{\n    {material}\n  }}")
    return (
        "SELECT DISTINCT * WHERE {\n  "
        + "\n  UNION\n  ".join(branches)
        + "\n  ?mv akg:quantityKind ?kind .\n  "
        + _values("kind", kinds)
        + """
  OPTIONAL { ?mv akg:numericValue ?lo } OPTIONAL { ?mv akg:maxValue ?hi }
  OPTIONAL { ?mv akg:comparator ?cmp } OPTIONAL { ?mv akg:valueText ?vt }
  OPTIONAL { ?mv akg:afterCycles ?after } OPTIONAL { ?mv akg:atCurrentDensity_mA_cm2 ?cd }
  OPTIONAL { ?study akg:citationNumber ?ref } OPTIONAL { ?study rdfs:label ?studyLabel }
  OPTIONAL { ?study akg:year ?refYear }
  OPTIONAL { ?mat skos:prefLabel ?matLabel }
  """
        + "\n  ".join(_span_lines("?mv", "vs"))
        + "\n}"
    )


def _material_constraints(interp: Interpretation, vocab: Vocabulary) -> list[str]:
    only = Interpretation()
    only.concepts["Material"] = list(interp.concepts.get("Material", []))
    only.concepts["MaterialClass"] = list(interp.concepts.get("MaterialClass", []))
    only.elements = list(interp.elements)
    return _coating_constraints(only, vocab)


# --------------------------------------------------------------------------- rows


def _label(iri: str | None, fallback: str | None = None) -> str | None:
    if iri is None:
        return fallback
    concept = load_vocabulary().get(iri)
    if concept is not None:
        return concept.label
    return fallback or _local(iri)


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def _unit_suffix(unit: str) -> str:
    return {
        "degC": "C",
        "%": "pct",
        "mA/cm^2": "mA_cm2",
        "mAh/g": "mAh_g",
        "mAh/cm^2": "mAh_cm2",
        "nm/cycle": "nm_per_cycle",
        "S/cm": "S_cm",
        "cycle": "",
    }.get(unit, unit)


def value_column(kind: str) -> str:
    """Row key for a kind's value, e.g. ``cycling_duration_h``, ``thickness_nm``."""
    label = re.sub(r"[^a-z0-9]+", "_", _kind_label(kind).lower()).strip("_")
    concept = load_vocabulary().get(str(VOCAB[kind]))
    suffix = _unit_suffix(concept.unit) if concept and concept.unit else ""
    return f"{label}_{suffix}" if suffix else label


def _location(row: dict[str, Any], prefix: str) -> str | None:
    from kg.table import describe_source

    if row.get(f"{prefix}Text") is None:
        return None
    return describe_source(
        {
            "table": row.get(f"{prefix}Table"),
            "row": row.get(f"{prefix}Row"),
            "section": row.get(f"{prefix}Section"),
            "sentence": row.get(f"{prefix}Sentence"),
        }
    )


def _doc(graph: str | None) -> str | None:
    if graph and graph.startswith(DOC_GRAPH):
        return graph[len(DOC_GRAPH) :]
    return graph


def _highlight(text: str, needles: list[str]) -> list[int]:
    lowered = text.lower()
    for needle in needles:
        if needle:
            at = lowered.find(needle.lower())
            if at >= 0:
                return [at, at + len(needle)]
    return [0, len(text)]


@dataclass
class _Group:
    """Rows of one answer entity (coating, study, precursor use or value) being merged."""

    key: str
    first: dict[str, Any]
    techniques: list[str] = field(default_factory=list)
    values: dict[int, tuple[float, float, str, str | None, dict[str, Any]]] = field(
        default_factory=dict
    )
    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    materials: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)


def _better(op: str, new: tuple[float, float], old: tuple[float, float]) -> bool:
    if op in (">", "≥"):
        return new[1] > old[1]
    if op in ("<", "≤"):
        return new[0] < old[0]
    return False


def _collect(interp: Interpretation, rows: list[dict[str, Any]], key_of: Any) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row in rows:
        key = key_of(row)
        if key is None:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, row)
        tech = row.get("tech")
        if tech and tech not in group.techniques:
            group.techniques.append(tech)
        mat = _label(row.get("mat"), row.get("matLabel"))
        if mat and mat not in group.materials:
            group.materials.append(mat)
        for year in (row.get("tableYear"), row.get("refYear")):
            if isinstance(year, int):
                group.years.add(year)
        for i, n in enumerate(interp.numbers):
            low, high = row.get(f"lo{i}"), row.get(f"hi{i}")
            if low is None and high is None:
                continue
            low = high if low is None else low
            high = low if high is None else high
            span = {
                "text": row.get(f"ms{i}Text"),
                "location": _location(row, f"ms{i}"),
                "value_text": row.get(f"vt{i}"),
            }
            current = group.values.get(i)
            if current is None or _better(n.op, (low, high), (current[0], current[1])):
                group.values[i] = (low, high, row.get(f"cmp{i}") or "=", row.get(f"vt{i}"), span)
        for prefix in ("cs", "vs"):
            text = row.get(f"{prefix}Text")
            if text and text not in group.spans:
                group.spans[text] = {
                    "text": text,
                    "location": _location(row, prefix),
                    "table": row.get(f"{prefix}Table") is not None,
                }
    return list(groups.values())


def _technique(group: _Group) -> str | None:
    if not group.techniques:
        return None
    vocab = load_vocabulary()
    ranked = sorted(
        group.techniques,
        key=lambda t: (not (vocab.get(t) and vocab.get(t).broader), t),  # type: ignore[union-attr]
    )
    return _label(ranked[0])


def _base_row(group: _Group) -> dict[str, Any]:
    row = group.first
    table_year, ref_year = row.get("tableYear"), row.get("refYear")
    out: dict[str, Any] = {
        "ref": row.get("ref"),
        "doc": _doc(row.get("g")),
        "study": row.get("studyLabel"),
        "material": _label(row.get("mat"), row.get("matLabel")),
        "technique": _technique(group),
        "substrate": _label(row.get("subst"), row.get("substLabel")),
        "year": table_year if table_year is not None else ref_year,
    }
    if table_year is not None and ref_year is not None and table_year != ref_year:
        out["reference_year"] = ref_year
    return out


def _add_values(
    interp: Interpretation, group: _Group, out: dict[str, Any]
) -> dict[str, Any] | None:
    """Matched values with units; returns the first matched measurement's evidence."""
    evidence = None
    for i, n in enumerate(interp.numbers):
        found = group.values.get(i)
        if found is None:
            continue
        low, high, cmp, text, span = found
        column = value_column(n.kind)
        value = high if n.op in (">", "≥") else low
        out[column] = (
            _num(value)
            if low == high or n.op in (">", "≥", "<", "≤")
            else {
                "min": _num(low),
                "max": _num(high),
            }
        )
        out["comparator" if "comparator" not in out else f"{column}_comparator"] = cmp
        if text:
            out[f"{column}_text"] = text
        if evidence is None and span.get("text"):
            evidence = span
    return evidence


def _pick_span(group: _Group) -> dict[str, Any] | None:
    if not group.spans:
        return None
    spans = sorted(group.spans.values(), key=lambda s: not s["table"])
    return spans[0]


def _sort_key(interp: Interpretation) -> Any:
    numeric = next(
        ((i, n) for i, n in enumerate(interp.numbers) if n.op in (">", "≥", "<", "≤")), None
    )

    def key(item: tuple[_Group, dict[str, Any]]) -> Any:
        group, row = item
        ref = row.get("ref") if isinstance(row.get("ref"), int) else 10**9
        year = row.get("year") if isinstance(row.get("year"), int) else 10**9
        if numeric is not None and numeric[0] in group.values:
            low, high, *_ = group.values[numeric[0]]
            value = -high if numeric[1].op in (">", "≥") else low
            return (0, value, year, ref)
        return (1, 0, year, ref)

    return key


def _finish(
    interp: Interpretation,
    items: list[tuple[_Group, dict[str, Any], dict[str, Any] | None]],
    needles: list[str],
    limit: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    key = _sort_key(interp)
    items.sort(key=lambda it: key((it[0], it[1])))
    rows: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for _group, row, span in items[:limit]:
        if span is not None:
            row["evidence"] = span["text"]
            row["location"] = span["location"]
            extra = [row.get(k) for k in row if k.endswith("_text") and isinstance(row.get(k), str)]
            evidence.append(
                {
                    "ref": row.get("ref"),
                    "doc": row.get("doc"),
                    "text": span["text"],
                    "location": span["location"],
                    "highlight": _highlight(span["text"], [*extra, *needles]),
                }
            )
        else:
            row.setdefault("evidence", None)
            row.setdefault("location", None)
        rows.append(row)
    return rows, evidence


def _needles(interp: Interpretation) -> list[str]:
    out: list[str] = []
    for concepts in interp.concepts.values():
        for concept in concepts:
            out.extend(concept.surface_forms)
    return out


def _shape_rows(
    interp: Interpretation, raw: list[dict[str, Any]], limit: int
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Raw SPARQL rows → one row per answer entity, sorted, with evidence."""
    needles = _needles(interp)
    value_cols = [value_column(n.kind) for n in interp.numbers]
    items: list[tuple[_Group, dict[str, Any], dict[str, Any] | None]] = []
    if interp.target == "values":
        for group in _collect(interp, raw, lambda r: r.get("mv")):
            out = _base_row(group)
            r = group.first
            kind = _local(r.get("kind") or "")
            unit = (load_vocabulary().get(r.get("kind") or "") or Concept("", "", "")).unit
            low, high = r.get("lo"), r.get("hi")
            out["property"] = _kind_label(kind)
            out["value"] = (
                _num(low) if high is None or low == high else {"min": _num(low), "max": _num(high)}
            )
            out["unit"] = unit
            out["comparator"] = r.get("cmp") or "="
            out["value_text"] = r.get("vt")
            out[value_column(kind)] = out["value"]
            if r.get("after") is not None:
                out["after_cycles"] = _num(r.get("after"))
            if r.get("cd") is not None:
                out["current_density_mA_cm2"] = _num(r.get("cd"))
            span = next(iter(group.spans.values()), None)
            items.append((group, out, span))
        columns = [
            "ref",
            "study",
            "material",
            "substrate",
            "property",
            "value",
            "unit",
            "comparator",
            "value_text",
            "year",
            "location",
            "evidence",
            "doc",
        ]
        rows, evidence = _finish(interp, items, [*needles], limit)
        return columns, rows, evidence
    if interp.target == "precursors":
        vocab = load_vocabulary()
        for group in _collect(interp, raw, lambda r: f"{r.get('c')}|{r.get('prec')}"):
            out = _base_row(group)
            r = group.first
            concept = vocab.get(r.get("prec") or "")
            label = _label(r.get("prec"), r.get("precLabel"))
            full = (concept.full_name if concept else None) or r.get("precFull")
            out["precursor"] = f"{label} ({full})" if full and full != label else label
            out["precursor_label"] = label
            out["full_name"] = full
            out["step"] = r.get("stepIndex")
            ev = _add_values(interp, group, out) or _pick_span(group)
            items.append((group, out, ev))
        columns = [
            "ref",
            "study",
            "material",
            "precursor",
            "step",
            "technique",
            "substrate",
            "year",
            *value_cols,
            "location",
            "evidence",
            "doc",
        ]
        items.sort(key=lambda it: (it[1].get("ref") or 0, it[1].get("step") or 99))
        rows, evidence = _finish(interp, items, [*needles], limit)
        return columns, rows, evidence
    if interp.target == "studies":
        for group in _collect(interp, raw, lambda r: r.get("study")):
            out = _base_row(group)
            out.pop("material")
            out.pop("technique")
            out.pop("substrate")
            out["year"] = group.first.get("refYear")
            table_years = sorted({r for r in group.years if r != group.first.get("refYear")})
            if table_years:
                out["table_year"] = table_years[0] if len(table_years) == 1 else table_years
            out.pop("reference_year", None)
            out["materials"] = ", ".join(group.materials)
            ev = _add_values(interp, group, out) or _pick_span(group)
            items.append((group, out, ev))
        columns = [
            "ref",
            "study",
            "year",
            "table_year",
            "materials",
            *value_cols,
            "location",
            "evidence",
            "doc",
        ]
        rows, evidence = _finish(interp, items, needles, limit)
        return columns, rows, evidence
    for group in _collect(interp, raw, lambda r: r.get("c")):
        out = _base_row(group)
        ev = _add_values(interp, group, out) or _pick_span(group)
        items.append((group, out, ev))
    first = (
        ["material", "ref", "study"]
        if interp.target == "materials"
        else ["ref", "study", "material"]
    )
    columns = [
        *first,
        "technique",
        "substrate",
        "year",
        *value_cols,
        "comparator",
        "location",
        "evidence",
        "doc",
    ]
    if not interp.numbers:
        columns.remove("comparator")
    rows, evidence = _finish(interp, items, needles, limit)
    return columns, rows, evidence


# --------------------------------------------------------------------------- ask


def ask(question: str, store: Any, *, limit: int = 200) -> Answer:
    """Answer a question from the graph; keyword search when it names nothing we know.

    Raises:
        kg.query.QueryError: the generated query failed or timed out.
    """
    interp = interpret(question)
    structured = interp.has_constraint or (interp.target_named and not interp.ignored)
    if not structured:
        return _keyword_answer(question, interp, store, limit)
    sparql = build_sparql(interp)
    result = run_generated(store, sparql, max_rows=50_000)
    columns, rows, evidence = _shape_rows(interp, result.rows, limit)
    interpretation = interp.describe()
    if not rows:
        interpretation += " No matching rows in the graph."
    return Answer(
        question=question,
        interpretation=interpretation,
        sparql=sparql,
        columns=columns,
        rows=rows,
        evidence=evidence,
        mode="structured",
        understood=True,
    )


def _keyword_answer(question: str, interp: Interpretation, store: Any, limit: int) -> Answer:
    from kg.search import INDEX_QUERY, search

    hits = search(question, store, limit=min(limit, 20))
    rows = []
    evidence = []
    for hit in hits:
        source = hit.get("source") or {}
        rows.append(
            {
                "kind": hit["kind"],
                "label": hit["label"],
                "score": hit["score"],
                "ref": source.get("ref"),
                "doc": source.get("doc"),
                "location": source.get("location"),
                "evidence": source.get("text"),
            }
        )
        if source.get("text"):
            evidence.append(
                {
                    "ref": source.get("ref"),
                    "doc": source.get("doc"),
                    "text": source["text"],
                    "location": source.get("location"),
                    "highlight": _highlight(source["text"], question.split()),
                }
            )
    ignored = ", ".join(f"'{w}'" for w in interp.ignored) or "none"
    interpretation = (
        f"{KEYWORD_PREFIX} ({len(rows)} found). No material, substrate, technique, precursor, "
        f"cell type, electrolyte, year or number was recognized; words not understood: {ignored}."
    )
    return Answer(
        question=question,
        interpretation=interpretation,
        sparql=INDEX_QUERY,
        columns=["kind", "label", "score", "ref", "location", "evidence", "doc"],
        rows=rows,
        evidence=evidence,
        mode="keyword",
        understood=False,
    )


# Keep the ontology constants referenced (namespace typos fail at import, not at query time).
_ = (AKG.Coating, AKG.hasMeasurement)
