"""Clean the converter noise out of review text while remembering where every character came from.

Text converted from a published article carries LaTeX fragments (``Al_2O_3``,
``$\\text{Li}_x\\text{Al}_y\\text{S}$``, ``mA cm^{-2}``), Unicode sub/superscripts with stray
spaces (``Al ₂ O ₃``, ``mAhg ⁻¹``), odd spaces and OCR confusions (``AIEG`` for ``AlEG``).
Later stages match patterns on one clean spelling, yet every fact must point back at the
original text, so :func:`normalize` applies a sequence of regex rewrite rules and composes an
offset map through each of them (:func:`_apply`).

>>> normalize("Al ₂ O ₃ -coated Li at 1 mA cm^{-2}").text
'Al2O3-coated Li at 1 mA cm-2'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import combinations

from ingest.records import NormalizedText

Replacement = str | Callable[[re.Match[str]], str]

# Sub/superscripts are first turned into private-use characters, so that one set of spacing
# rules serves the Unicode (``Al ₂ O ₃``) and the LaTeX (``Al _2 O _3``) spellings alike.
_SUB_BASE = 0xE000
_SUP_BASE = 0xE100
_SUB = "[\ue000-\ue07f]"
_SUP = "[\ue100-\ue17f]"

_UNICODE_SUB = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₔₕₖₗₘₙₚₛₜ"
_UNICODE_SUB_ASCII = "0123456789+-=()aeoxəhklmnpst"
_UNICODE_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"
_UNICODE_SUP_ASCII = "0123456789+-=()ni"

_TO_SUB_MARK = {
    ord(u): chr(_SUB_BASE + ord(a))
    for u, a in zip(_UNICODE_SUB, _UNICODE_SUB_ASCII, strict=True)
    if ord(a) < 0x80
}
_TO_SUP_MARK = {
    ord(u): chr(_SUP_BASE + ord(a)) for u, a in zip(_UNICODE_SUP, _UNICODE_SUP_ASCII, strict=True)
}
_FROM_MARKS = {_SUB_BASE + i: chr(i) for i in range(0x80)} | {
    _SUP_BASE + i: chr(i) for i in range(0x80)
}

_ELEMENTS = [
    "H",
    "He",
    "Li",
    "Be",
    "B",
    "C",
    "N",
    "O",
    "F",
    "Ne",
    "Na",
    "Mg",
    "Al",
    "Si",
    "P",
    "S",
    "Cl",
    "Ar",
    "K",
    "Ca",
    "Sc",
    "Ti",
    "V",
    "Cr",
    "Mn",
    "Fe",
    "Co",
    "Ni",
    "Cu",
    "Zn",
    "Ga",
    "Ge",
    "As",
    "Se",
    "Br",
    "Kr",
    "Rb",
    "Sr",
    "Y",
    "Zr",
    "Nb",
    "Mo",
    "Tc",
    "Ru",
    "Rh",
    "Pd",
    "Ag",
    "Cd",
    "In",
    "Sn",
    "Sb",
    "Te",
    "I",
    "Xe",
    "Cs",
    "Ba",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
    "Hf",
    "Ta",
    "W",
    "Re",
    "Os",
    "Ir",
    "Pt",
    "Au",
    "Hg",
    "Tl",
    "Pb",
    "Bi",
    "Po",
    "At",
    "Rn",
    "Fr",
    "Ra",
    "Ac",
    "Th",
    "Pa",
    "U",
    "Np",
    "Pu",
]
_ELEMENT = "(?:" + "|".join(sorted(_ELEMENTS, key=len, reverse=True)) + ")"
# After a subscript, a space is converter noise when a formula continues: more element symbols
# that carry a subscript (``Li ₁₀ SnP ₂``), a lone final element (``Li ₂ S``) or a hyphen
# (``Al ₂ O ₃ -coated``). ``Al ₂ O ₃ ALD`` keeps its space: ``ALD`` is not made of elements.
_FORMULA_GOES_ON = rf"(?={_ELEMENT}+ *{_SUB}|{_ELEMENT}(?![A-Za-z0-9])|-[A-Za-z])"


def _marks(base: int) -> Callable[[re.Match[str]], str]:
    """A replacement that turns group 1 (LaTeX sub/superscript text) into marker characters."""

    def repl(m: re.Match[str]) -> str:
        return "".join(chr(base + ord(c)) if ord(c) < 0x80 else c for c in m.group(1))

    return repl


def _marks_from(table: dict[int, str]) -> Callable[[re.Match[str]], str]:
    """A replacement that turns group 1 (Unicode sub/superscripts) into marker characters."""

    def repl(m: re.Match[str]) -> str:
        return m.group(1).translate(table)

    return repl


def _unit_per_area(m: re.Match[str]) -> str:
    return f"{m.group(1)} cm-{m.group(2)}"


def _translate(table: dict[int, str]) -> Callable[[re.Match[str]], str]:
    def repl(m: re.Match[str]) -> str:
        return m.group(0).translate(table)

    return repl


def _group(n: int, before: str = "", after: str = "") -> Callable[[re.Match[str]], str]:
    """``before + group(n) + after``: cheaper than ``Match.expand`` on every match."""

    def repl(m: re.Match[str]) -> str:
        return before + m.group(n) + after

    return repl


# A superscript that is a citation ("…on Na.¹²", "cells,<sup>3,5</sup>", "shown^{4–6}"): digits
# with commas or dashes, not after a digit, a unit or a formula (``cm²``, ``10⁵``, ``O²``),
# and without a sign (``cm⁻²``, ``Sn⁴⁺`` are exponents and charges). It becomes ``[12]``, the
# form structure reads; every other superscript stays one.
_SUP_DIGIT = "[\ue130-\ue139]"
_SUP_CITATION = re.compile(
    f"(?<![\ue100-\ue17f0-9])({_SUP_DIGIT}+(?:[,\ue12c\u2013\ue12d]{_SUP_DIGIT}+)*)"
    "(?![\ue100-\ue17f])"
)
_UNITS = frozenset(
    [
        "m",
        "cm",
        "mm",
        "μm",
        "um",
        "nm",
        "pm",
        "km",
        "Å",
        "A",
        "mA",
        "μA",
        "V",
        "mV",
        "W",
        "mW",
        "kW",
        "J",
        "kJ",
        "Pa",
        "kPa",
        "MPa",
        "GPa",
        "s",
        "ms",
        "h",
        "g",
        "kg",
        "mg",
        "μg",
        "L",
        "mL",
        "μL",
        "M",
        "mM",
        "K",
        "Ω",
        "S",
        "F",
        "C",
        "eV",
        "Hz",
        "kHz",
        "MHz",
        "mol",
        "in",
        "ft",
    ]
)
_FORMULA = re.compile(rf"(?:{_ELEMENT}\d*)+")


def _sup_citation(m: re.Match[str]) -> str:
    """``[n]`` for a superscript that reads as a citation, else the superscript unchanged."""
    before = m.string[max(0, m.start() - 40) : m.start()]
    word = re.search(r"([^\W\d_]+)$", before)
    if word is not None and (word.group(1) in _UNITS or _FORMULA.fullmatch(word.group(1))):
        return m.group(0)
    if word is None and not re.search(r"[.,;:)\]”’\"]$", before):
        return m.group(0)
    numbers = m.group(1).translate(_FROM_MARKS).replace("-", "–")
    return f"[{numbers}]"


_SUBS = f"[{_UNICODE_SUB}]"
_SUPS = f"[{_UNICODE_SUP}]"


def _first(chars: str, pattern: str) -> str:
    """``pattern`` behind a lookahead on the characters every match starts with.

    The lookahead changes no match; it lets the regex engine reject most positions with one
    character test instead of trying each alternative (normalize runs ~30 rules per text).
    """
    return f"(?={chars})(?:{pattern})"


# (pattern, replacement, trigger) in order; a rule runs only when its trigger is in the text.
# Each rule is general: none is keyed to a sentence.
def _pipe_row(m: re.Match[str]) -> str:
    """One Markdown table row as TAB-separated cells (an escaped ``\\|`` stays in its cell)."""
    cells = re.split(r"(?<!\\)\|", m.group(1))
    return "\t".join(cell.replace("\\|", "|").strip() for cell in cells)


_RULES: tuple[tuple[str, Replacement, str], ...] = (
    # spaces and dashes
    (r"\r\n?", "\n", "\r"),
    # Markdown: pipe tables become the TAB tables structure reads (the |---| rule line goes);
    # "## 3.1. Heading" and "**Table 1.** caption" lose their markup.
    (r"(?m)^[ \t]*\|[ \t:|-]*-{3,}[ \t:|-]*\n", "", "|"),
    (r"(?m)^[ \t]*\|(.+?)(?<!\\)\|?[ \t]*$", _pipe_row, "|"),
    (r"(?m)^#{1,6}[ \t]+", "", "#"),
    (r"(?m)^\*\*((?:Table|Figure|Scheme)\s+\d+[.:]?)\*\*", _group(1), "**"),
    ("[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", ""),
    ("[\u200b\u200c\u200d\u2060\ufeff]", "", ""),
    ("[\u2212\u2010\u2011]", "-", ""),
    ("µ", "μ", "µ"),  # micro sign → Greek mu, one spelling for units
    # LaTeX symbols (before \text{} removal so that \text{\AA} and \mu\text{L} work)
    (r"\^\s*\{?\s*\\circ\s*\}?", "°", "\\"),
    (r"\\AA\b", "Å", "\\"),
    (r"\\mu(?![A-Za-z]) *", "μ", "\\"),
    (r"\\sim(?![A-Za-z]) *", "~", "\\"),
    (r"\\approx(?![A-Za-z]) *", "≈", "\\"),
    (r"\\times(?![A-Za-z])", "×", "\\"),
    (r"\\pm(?![A-Za-z])", "±", "\\"),
    (r"\\(?:geq?|geqslant)(?![A-Za-z])", "≥", "\\"),
    (r"\\(?:leq?|leqslant)(?![A-Za-z])", "≤", "\\"),
    (r"\\uparrow(?![A-Za-z])", "↑", "\\"),
    (r"\\downarrow(?![A-Za-z])", "↓", "\\"),
    (r"\\%", "%", "\\"),
    (r"\\(?:text|mathrm|textrm|mathit|rm)\s*\{([^{}]*)\}", _group(1), "\\"),
    (r"\$", "", "$"),
    # sub/superscripts → markers (dropping the spaces before them), then spacing, then ASCII
    (r"(?i)<sup>\s*([^<>]{1,40}?)\s*</sup>", _marks(_SUP_BASE), "<"),
    (r"(?i)<sub>\s*([^<>]{1,40}?)\s*</sub>", _marks(_SUB_BASE), "<"),
    (_first("[ _]", r" *_\s*\{([^{}]*)\}"), _marks(_SUB_BASE), "_"),
    (_first("[ _]", r" *_([A-Za-z0-9])"), _marks(_SUB_BASE), "_"),
    (_first("[ ^]", r" *\^\s*\{([^{}]*)\}"), _marks(_SUP_BASE), "^"),
    (_first("[ ^]", r" *\^([-+]?[0-9]+|[-+*])"), _marks(_SUP_BASE), "^"),
    (_first(f"[ {_UNICODE_SUB}]", f" *({_SUBS}+)"), _marks_from(_TO_SUB_MARK), ""),
    (_first(f"[ {_UNICODE_SUP}]", f" *({_SUPS}+)"), _marks_from(_TO_SUP_MARK), ""),
    (_first(" ", f"(?<={_SUB}) +{_FORMULA_GOES_ON}"), "", ""),
    (_first(_SUP_DIGIT, _SUP_CITATION.pattern), _sup_citation, ""),
    # 10⁻⁸ → 10^-8; cm⁻² → cm-2
    (_first(_SUP, f"(?<=[0-9])({_SUP}+)"), _group(1, before="^"), ""),
    (_first("[\ue000-\ue07f\ue100-\ue17f]", f"{_SUB}+|{_SUP}+"), _translate(_FROM_MARKS), ""),
    # degrees and units
    (r"° +(?=[CFK]\b)", "°", "°"),
    (
        _first("[mAμW]", r"\b(m?Ah?|μAh?|mg|μg|m?Wh?)\s*/\s*cm\^?([23])\b"),
        _unit_per_area,
        "/cm",
    ),
    # numeric ranges → en dash without spaces
    (
        _first(r"\d", r"(?<![\w.^\-–])(\d+(?:\.\d+)?) ?[-–—] ?(?=\d+(?:\.\d+)?(?!\.?\d))"),
        _group(1, after="–"),
        "",
    ),
    # whitespace last: collapse runs of spaces, trim around tabs and line ends
    (_first("[ \t]", r" *\t *"), "\t", "\t"),
    (_first(" ", r" +(?=\n)|(?<=\n) +|^ +| +$"), "", ""),
    (r" {2,}", " ", "  "),
)

_COMPILED: tuple[tuple[re.Pattern[str], Replacement, str], ...] = tuple(
    (re.compile(p), r, t) for p, r, t in _RULES
)


def _align(source: str, replacement: str, start: int, offsets: list[int], out: list[int]) -> None:
    """Map each replacement char onto the match char it most likely came from.

    Characters kept from the match map exactly (greedy left-to-right search); new ones map
    to the current position, so spans stay inside the original match.
    """
    pos = 0
    last = len(source) - 1
    if replacement == source[: len(replacement)] or not source:
        out.extend(offsets[start : start + len(replacement)])
        return
    for ch in replacement:
        found = source.find(ch, pos)
        if found >= 0:
            out.append(offsets[start + found])
            pos = found + 1
        else:
            while pos < last and source[pos].isspace():  # "Al ₂": the 2 came from ₂
                pos += 1
            out.append(offsets[start + min(pos, max(last, 0))])
            pos = min(pos + 1, len(source))


def _apply(
    text: str, offsets: list[int], pattern: re.Pattern[str], repl: Replacement
) -> tuple[str, list[int]]:
    """Apply one rewrite rule and compose its offset map with ``offsets``.

    ``offsets`` has ``len(text) + 1`` entries; the result keeps that invariant.
    """
    pieces: list[str] = []
    out: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        s, e = m.span()
        new = repl(m) if callable(repl) else repl
        if new == m.group(0):
            continue
        pieces.append(text[pos:s])
        out.extend(offsets[pos:s])
        pieces.append(new)
        _align(m.group(0), new, s, offsets, out)
        pos = e
    if not pieces:
        return text, offsets
    pieces.append(text[pos:])
    out.extend(offsets[pos:])
    return "".join(pieces), out


@lru_cache(maxsize=1)
def _ocr_rule() -> tuple[re.Pattern[str], dict[str, str]] | None:
    """Tokens that are a Material/Precursor prefLabel with ``l`` misread as ``I``.

    Two-letter labels are skipped (``AI`` is far more often an acronym than ``Al``).
    """
    from kg.vocab import load_vocabulary  # the vocabulary parse is paid once, on first use

    vocab = load_vocabulary()
    labels = {c.label for kind in ("Material", "Precursor") for c in vocab.of_kind(kind)}
    variants: dict[str, str] = {}
    for label in labels:
        if len(label) < 3 or not re.fullmatch(r"[A-Za-z0-9]+", label):
            continue
        where = [i for i, c in enumerate(label) if c == "l"]
        for n in range(1, len(where) + 1):
            for chosen in combinations(where, n):
                chars = list(label)
                for i in chosen:
                    chars[i] = "I"
                variant = "".join(chars)
                if variant not in labels:
                    variants[variant] = label
    if not variants:
        return None
    alternatives = "|".join(sorted(map(re.escape, variants), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z0-9])"), variants


def normalize(original: str) -> NormalizedText:
    """Rewrite converter noise into one clean spelling, keeping an offset per clean char.

    Returns:
        NormalizedText whose ``offsets[i]`` is the original offset of clean char ``i``
        (``offsets[len(text)]`` is the end).

    >>> normalize("Li ₁₀ SnP ₂ S ₁₂ and Li-O₂").text
    'Li10SnP2S12 and Li-O2'
    >>> normalize(r"$\\text{Li}_x\\text{Al}_y\\text{S}$ and LiAlO _x -coated Li").text
    'LixAlyS and LiAlOx-coated Li'
    >>> normalize(r"2.5 \\times 10^{-7} S cm^{-1}, $\\sim 130 \\text{ mV}$").text
    '2.5 × 10^-7 S cm-1, ~130 mV'
    >>> normalize(r"$120\\text{ }^\\circ\\text{C}$ ($^{\\circ}$ C) 0.5 \\AA/cycle").text
    '120 °C (°C) 0.5 Å/cycle'
    >>> normalize("1 mA/cm2, 2 mA cm\\u22122, 160 - 180 nm, 20 mAhg ⁻¹").text
    '1 mA cm-2, 2 mA cm-2, 160–180 nm, 20 mAhg-1'
    >>> normalize("AIEG-coated Li").text
    'AlEG-coated Li'
    >>> n = normalize("Al ₂ O ₃ film"); n.original[n.offsets[2]], n.to_original(0, 5)
    ('₂', (0, 8))
    """
    text = original
    offsets = list(range(len(original) + 1))
    for pattern, repl, trigger in _COMPILED:
        if trigger in text:  # "" is in every text
            text, offsets = _apply(text, offsets, pattern, repl)
    ocr = _ocr_rule()
    if ocr is not None:
        pattern, variants = ocr
        text, offsets = _apply(text, offsets, pattern, lambda m: variants[m.group(0)])
    return NormalizedText(original=original, text=text, offsets=tuple(offsets))
