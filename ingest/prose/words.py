"""Word rules: what the words around a number or a name say about it.

Small pure functions over one sentence's text: which kind a quantity really is (a ``°C`` next to
``deposited`` is a deposition temperature, next to ``annealed`` it is not), whether a length is
a coating thickness, where a sentence turns to another subject (``, whereas``), which material a
property value is about.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from ingest.prose.matcher import Mention
from ingest.records import Quantity
from kg.vocab import Concept

#: Quantity kinds that are outcomes of a cell test on a coated electrode.
OUTCOME_KINDS = frozenset(
    {
        "CyclingDuration",
        "CycleCount",
        "CoulombicEfficiency",
        "CapacityRetention",
        "Overpotential",
        "SpecificCapacity",
        "ArealCapacity",
        "InterfacialResistance",
    }
)
#: Outcome kinds that state the test protocol as much as its result ("at 1 mA cm-2 and
#: 1 mAh cm-2"): they never end the reach of the current densities of the outcome before them.
PROTOCOL_KINDS = frozenset({"ArealCapacity"})
#: Quantity kinds that describe a material rather than one cell test.
PROPERTY_KINDS = frozenset(
    {"IonicConductivity", "ShearModulus", "ElasticModulus", "Modulus", "GrowthPerCycle"}
)
_ALKALI = ("Li", "Na", "K")
#: Cell types that say less than a named pair (``Li-Cu``, ``Na-S``) when both are given.
_HALF_CELL = "metal-Cu half cell"
_GENERIC_CELLS = frozenset({"full cell", "symmetric", _HALF_CELL})

_BARE = re.compile(
    r"\b(?:bare|uncoated|pristine|unprotected|untreated|unmodified|traditional)\b", re.I
)
_COATED_WORD = re.compile(r"(?<![A-Za-z])(?:coated|protected|coatings?|films?|layers?)\b", re.I)
_CONTRAST_LEAD = re.compile(r"^\s*(?:Comparatively|In contrast|By contrast|Conversely)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r",\s*(?=(?:while|whereas|but|compared (?:to|with)|in contrast)\b)|;\s+|\s(?=whereas\b)", re.I
)
#: Verbs and nouns of making a film; ``deposit\w*`` also takes the typos of real text
#: ("deposite", "depostion" is the matcher's job).
_DEPOSITION_VERB = re.compile(
    r"(?<![\w-])(?:deposit\w*|coat(?:s|ed|ing)?|grown|grew|grow|fabricated|applied)\b",
    re.I,
)
#: Making a film, as a verb ("we deposited", "grew", "was coated with"): the noun "the coating"
#: and the adjective "the coated foil" say nothing about a deposition in this sentence.
PROCESS_VERB = re.compile(
    r"(?<![\w-])(?:deposit(?:s|ed|ing)?|deposition|grow(?:s|n|ing)?|grew|fabricated|applied"
    r"|coat(?:s|ed)?(?=\s+(?:[\w-]+\s+){0,3}?(?:with|by|via|using|onto|on|in)\b))\b",
    re.I,
)
#: Routes to a film other than ALD/MLD: a coating made this way is not an ALD/MLD coating,
#: even when the text names ALD as the alternative.
OTHER_ROUTE = re.compile(
    r"wet[- ]chemi\w*|from (?:a |the )?solutions?\b|solution[- ](?:based|processed|process\w*"
    r"|cast\w*|deposit\w*|route|method|coat\w*)|sol[- ]gel|(?:spin|dip|spray|blade|drop)[- ]"
    r"(?:coat\w*|cast\w*)|(?:solution|tape) casting|sputter\w*|chemical vapou?r deposition"
    r"|\bCVD\b|physical vapou?r deposition|\bPVD\b|pulsed laser deposition|electrodeposit\w*"
    r"|electroplat\w*|thermal(?:ly)? evaporat\w*|hydrothermal\w*|solvothermal\w*",
    re.I,
)
#: A cathode as the coated object: an ALD film on it is no anode coating.
CATHODE = re.compile(
    r"\bcathodes?\b|positive electrodes?|\b(?:NMC|NCM|NCA|LCO|LFP|LMO|LNMO)\d*\b"
    r"|\bLi(?:Ni|Co|Mn|Fe)[A-Za-z0-9.]*O[24]\b"
)
#: An ion battery (intercalation electrodes, no metal anode): "lithium-ion batteries", "LIBs".
ION_BATTERY = re.compile(
    r"\b(?i:lithium|sodium|potassium)[-‐–— ](?i:ion)\b|\b(?:Li|Na|K)[-‐–— ]ion\b"
    r"|\b(?:LIB|SIB|NIB|PIB|KIB)s?\b"
)
#: Words that name an alkali-metal anode or a cell built on one ("Li metal", "sodium foil",
#: "LMAs", "Li||Li", "Li-S", "stripping"). Not a metal named as a counter or reference electrode.
METAL_ANODE = re.compile(
    r"\b(?:(?:Li|Na|K|(?i:lithium|sodium|potassium))[\s-]+(?i:metal|foils?|chips?|anodes?)"
    r"|(?i:metallic)\s+(?:Li|Na|K|(?i:lithium|sodium|potassium))|(?i:alkali[- ]metal)"
    r"|(?i:metal anodes?)|LMAs?|LMBs?|SMBs?|(?i:anode[- ]free)"
    r"|(?:Li|Na|K)\s*(?:\|\||‖|\||/)\s*(?:Li|Na|K|Cu)"
    r"|(?i:symmetric(?:al)?\s+cells?)|(?:Li|Na|K)[-–]\s*(?:S|O2|air)"
    r"|(?i:lithium|sodium|potassium)[-–](?i:sulfur|sulphur|oxygen|air)|(?i:stripping))\b"
    r"(?!\s+(?:\w+\s+){0,5}?(?i:counter|reference)\b)"
)
#: A film grown on a test substrate for characterization: a silicon wafer, SiO2, glass, quartz.
TEST_SUBSTRATE = re.compile(
    r"\b(?:Si|SiO2|Si/SiO2|SiO2/Si|(?i:silicon|quartz|glass|sapphire))(?:\s*\(\d+\))?"
    r"\s+(?i:wafers?|substrates?|slides?|chips?)\b|\b(?i:silicon|Si)\s+wafers?\b"
)
#: Words just before a substrate that make it the coated object ("on", "coat", "surface of").
_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:on|onto|over|upon|to)\s+|\bcoat(?:s|ed|ing)?\s+|\bprotect(?:s|ed|ing)?\s+"
    r"|\bsurface\s+of\s+)(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,3}$",
    re.I,
)
#: Words just before a substrate that make it another electrode ("against Li", "counter"), or
#: the molten metal that wets or infuses the coated object.
_NOT_OBJECT_BEFORE = re.compile(
    r"\b(?:against|versus|vs\.?|paired with|than|without|counter)\s+(?:[\w-]+\s+){0,3}$"
    r"|\b(?:bare|uncoated|pristine|untreated|unprotected)\s+$"
    r"|\b(?:molten|liquid)\s+$",  # "wettability of garnet to molten Li": what wets the film
    re.I,
)
#: "compared it with ALD Al2O3", "than TiO2", "unlike LiF": a material named as a comparison.
COMPARED_WITH = re.compile(
    r"\b(?:compared (?:it |them )?(?:to|with)|than|versus|vs\.?|unlike|instead of|rather than)"
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
#: First person or "this work": the sentence reports the document's own work.
FIRST_PERSON = re.compile(r"\b(?:we|our|us|here(?:in)?|this (?:work|study|paper))\b", re.I)
_ET_AL = re.compile(r"et al\.?[^\[\].;]{0,60}?\[(\d+)")
_DEP_TEMP_WORDS = re.compile(
    r"deposit\w*|(?<!the )(?<!a )(?<!an )\bcoat(?:s|ed|ing)?\b|grown|\bgrew\b|growth"
    r"|chamber temperature|fabricated"
    r"|\bALD\b|\bMLD\b|alternat\w*|pulsed|precursors?\b",
    re.I,
)
_TECHNIQUE_AFTER = re.compile(
    r"^[^.;]{0,15}?\b(?:by|via|using|with)\s+(?:[\w-]+\s+){0,3}?(?:ALD|MLD|PE-?ALD|atomic layer"
    r"|molecular layer)",
    re.I,
)
_NON_DEP_TEMP_WORDS = re.compile(
    r"anneal\w*|heat\w*|infus\w*|melt\w*|exposure|humidity|tested|cycled|cycling|room temperature"
    r"|sinter\w*|vapou?r|calcin\w*|dried|drying|storage|stored|\bair\b|atmospher\w*|sustained"
    r"|activat\w*|operat\w*|\bat (?:a )?test",
    re.I,
)
_THICKNESS_AFTER = re.compile(
    r"^\s*(?:-|‐)?\s*thick\b|^[^.;]{0,40}?(?:coatings?|films?|layers?|nanofilms?|-?\s*coated)\b",
    re.I,
)
#: "layers of about 3 and 6 nm", "a film of 5 nm": the length is the film's thickness.
_FILM_OF_BEFORE = re.compile(
    r"\b(?:films?|layers?|coatings?)\s+of\s+(?:about|around|approximately|roughly|ca\.|~|∼)?\s*"
    r"(?:[\d.]+\s*(?:,|and|or|to)\s*)*$",
    re.I,
)
#: A length in brackets right after the film or its deposition count: "the 10-cycle film
#: (about 4 nm)", "25 cycles (roughly 5 nm)", "an Al2O3 coating (~3 nm)".
_FILM_BRACKET_BEFORE = re.compile(
    r"\b(?:films?|layers?|coatings?|cycles?)\s*\(\s*(?:about|around|approximately|roughly"
    r"|ca\.|~|∼|≈)?\s*$",
    re.I,
)
_NOT_THICKNESS = re.compile(r"foils?\b|above|below|diameter|depth|\bsize\b|particles?", re.I)
_AFTER_WORD = re.compile(r"\bafter\s*$", re.I)
#: "still delivered a higher capacity after 140 cycles": the cell still works after N cycles,
#: so N is how long it lasted (when no other value of the clause is measured after them).
_STILL_WORKS = re.compile(
    r"\bstill\b|\bdeliver\w*|\bretain\w*|\bmaintain\w*|\bsustain\w*|\bhigher capacity"
    r"|\bwithout (?:any )?(?:short|failure|fading)|\bno (?:short|failure|fading)",
    re.I,
)
#: Looking at the electrode after N cycles (SEM, XPS, cracks) says nothing of its life.
_INSPECTED = re.compile(
    r"\bSEM\b|\bTEM\b|\bXPS\b|\bAFM\b|imag\w*|micrograph\w*|spectr\w*|morpholog\w*|surface"
    r"|observ\w*|crack\w*|disassembl\w*|analys[ie]s|\bpeaks?\b|signals?",
    re.I,
)


def after_cycles_is_result(clause: str) -> bool:
    """Whether "after N cycles" in this clause is the result (the cell still works after N)
    rather than the checkpoint of another value or of an inspection."""
    return bool(_STILL_WORKS.search(clause)) and not _INSPECTED.search(clause)


_DEP_CYCLES = re.compile(r"^\s*(?:\(\s*)?(?:ALD|MLD|deposition|total)\b", re.I)
#: "... cycles yield a conformal film", "cycles produced a dense layer": cycles that make a film.
_CYCLES_MAKE_FILM = re.compile(
    r"^[^.;]{0,25}?\b(?:yield\w*|produc\w*|gave|give[sn]?|form\w*|result\w* in|grew|grow\w*)"
    r"\s+(?:[\w,-]+\s+){0,4}?(?:films?|layers?|coatings?)\b",
    re.I,
)
#: "the film obtained after 25 cycles", "a layer grown with 50 cycles".
_FILM_AFTER_CYCLES = re.compile(
    r"\b(?:films?|layers?|coatings?)\b[^.;,]{0,25}\b(?:after|with|from|using|of)\s*$", re.I
)
#: "keeps 78.4% of its capacity": a capacity retention.
_KEEPS_CAPACITY = re.compile(r"^\s*of\s+(?:its|the|their)\s+(?:initial\s+)?capacity", re.I)
#: "the 50-cycle film", "25 cycles Al2O3 layer": the number of cycles that made the film.
_CYCLE_FILM = re.compile(
    r"^-?\s*(?:[\w-]+\s+)?(?:films?|layers?|coatings?)\b"
    r"|^\s*\(\s*(?:about|roughly|approximately|ca\.|~|∼)?\s*[\d.]+\s*nm\b",
    re.I,
)
#: "compared 5, 10, 25 and 50 cycles", "varied between 10 and 50 cycles": deposition variants.
_COMPARED_CYCLES = re.compile(
    r"\b(?:compar\w*|vari\w*|tested|screened)\s+(?:between\s+)?(?:[\d.]+\s*(?:,|and|or|to)\s*)*$",
    re.I,
)
#: "a Coulombic efficiency of 98.3% over 150 cycles": "over" is "during", not "more than".
_OVER_MEANS_DURING = re.compile(
    r"(?:efficiency|\bce\b|retention|retain\w*|capacity|average|%)[^.;]{0,40}$", re.I
)
#: "Each cycle adds 0.85 Å": a growth per cycle, not a thickness.
_PER_CYCLE_BEFORE = re.compile(
    r"\b(?:each|every|per|one)\s+(?:ALD\s+|MLD\s+)?cycle\s+(?:adds?|gives?|deposits?|grows?)"
    r"\s+(?:about\s+|around\s+|roughly\s+)?$",
    re.I,
)
_PER_CYCLE_AFTER = re.compile(r"^\s*(?:per\s+cycle|/\s*cycle)", re.I)
#: "a 400% longer life", "raised the capacity by 39.5%": a relative gain, not a measured value.
_RELATIVE_AFTER = re.compile(
    r"^\s*(?:longer|shorter|higher|lower|more|less|larger|smaller|greater|increase\w*"
    r"|improve\w*|gain|enhance\w*|reduc\w*)",
    re.I,
)
_RELATIVE_BEFORE = re.compile(r"\bby\s+(?:about\s+|up to\s+|nearly\s+)?$", re.I)
#: A voltage window or limit ("between 3.0 and 4.6 V", "up to 6 V vs. Li+/Li"): no overpotential.
_VOLTAGE_LIMIT_BEFORE = re.compile(
    r"\b(?:between|from|to|up to|window|range|cut-?off|limit|stable (?:up )?to)\s+"
    r"(?:about\s+|around\s+|~\s*)?(?:[\d.]+\s*(?:V\s*)?(?:and|to|-|–)\s*)?$",
    re.I,
)
#: "lowered the overpotential from 180 mV to 25 mV": a change of the loss, not a voltage window.
_LOSS_FROM_TO_BEFORE = re.compile(
    r"(?:overpotential|hysteresis|polari[sz]ation)[^.;]{0,40}\bfrom\s+[~∼≈]?\s*[\d.,]+\s*m?V?"
    r"\s+(?:down\s+)?to\s+$",
    re.I,
)
_VOLTAGE_LIMIT_AFTER = re.compile(r"^\s*(?:and|to|–|-)\s*[\d.]+\s*V\b|^\s*vs\.?\b", re.I)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)\b")
#: "fell from 1,710 Ω cm2 to 1 Ω cm2", "from 900 to 35 mV": the first value is the state before
#: the coating (or the bare electrode), the one after "to" the coated electrode's.
_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.I)
_TO_AFTER = re.compile(
    r"^\s*(?:to|down to|up to)\s+(?:as (?:low|high) as\s+|only\s+|about\s+|~|∼|≈)?\s*\d", re.I
)
#: "its theoretical capacity of 3860 mAh g-1", "due to its high energy density of ...": the bare
#: metal's intrinsic property, stated as background, never a measured outcome.
_INTRINSIC_BEFORE = re.compile(
    r"\b(?:theoretical|intrinsic|highest)\b[^.;()]{0,40}\(?\s*$"
    r"|\b(?:due to|because of|owing to|thanks to|with|has|have|having|offers?|possess\w*)\s+"
    r"(?:its|their)\s+(?:[\w-]+\s+){0,3}?(?:capacity|energy density)\s+(?:of\s+)?$",
    re.I,
)
#: "With a capacity of 3860 mAh/g, the lithium metal anode ...": the metal is what has it.
_METAL_AFTER = re.compile(
    r"^\s*\)?\s*,\s*(?:the\s+)?(?:lithium|sodium|potassium|Li|Na|K)\s+(?:\(\w+\)\s+)?metal\b",
    re.I,
)
_ELECTROCHEM_GAP = re.compile(r"charge|discharge|plating|stripping", re.I)
_ELECTROLYTE_PHRASE = re.compile(
    r"\b\d+(?:\.\d+)?\s*M\s+[A-Za-z0-9()]+(?:\s+in\s+[^,;.]+?(?:\([^)]*\))?)?(?=[,;.)]|\s+(?:with|at|and|electrolyte|solution)\b|$)"
)
_CYCLING_CONTEXT = re.compile(
    r"cycl\w*|stabl[ey]\w*|hysteresis|overpotential|lifespan|\blife\b|plating|stripping|fail"
    r"|\bran\b|\bruns?\b|running|lasted|symmetric",
    re.I,
)
_NOT_CYCLING = re.compile(r"exposure|soak\w*|immers\w*|anneal\w*|sputter\w*|\bair\b", re.I)
_CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Scheme)\s+\d+", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def find_quantities_in(text: str) -> list[tuple[Quantity, int, int]]:
    """ingest.quantities.find_quantities, imported late so importing this module stays cheap."""
    from ingest.quantities import find_quantities

    return list(find_quantities(text))


def quantity_key(q: Quantity) -> tuple[object, ...]:
    """What makes two quantities the same value, as a hashable key (so repeats are found in
    constant time, never by comparing every pair): the kind (cycle counts and deposition cycles
    are one kind here), the canonical value to 6 significant figures, or the range."""
    kind = "Cycles" if q.kind in ("CycleCount", "DepositionCycles") else q.kind
    value = q.canonical_value if q.canonical_value is not None else q.high
    if value is None:
        return (kind, "range", q.low, q.high)
    return (kind, float(f"{value:.6g}"))


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


def _refine_kind(q: Quantity, text: str, start: int, end: int) -> Quantity:
    """Correct the kind where the words around a quantity say more than its unit."""
    before = text[max(0, start - 60) : start].lower()
    after = text[end : end + 30]
    unit = q.canonical_unit
    if unit == "degC" and q.kind != "DepositionTemperature":
        return replace(q, kind="DepositionTemperature")
    if unit in ("cycle", "cycles") and not _ELECTROCHEM_GAP.search(q.text):
        wide_after = text[end : end + 60]
        if (
            _DEP_CYCLES.search(after)
            or _CYCLES_MAKE_FILM.search(wide_after)
            or _CYCLE_FILM.search(after)
            or _FILM_AFTER_CYCLES.search(text[max(0, start - 45) : start])
            or _COMPARED_CYCLES.search(text[max(0, start - 40) : start])
        ):
            return replace(q, kind="DepositionCycles")
        if q.text.lower().startswith("over") and _OVER_MEANS_DURING.search(before):
            return replace(q, comparator="=")  # "a CE of 98.3% over 150 cycles": during
    if unit == "%":
        if re.search(r"retention|retain", before + after, re.I) or _KEEPS_CAPACITY.search(after):
            return replace(q, kind="CapacityRetention")
        if re.search(r"\bCE\b|coulombic", before, re.I):
            return replace(q, kind="CoulombicEfficiency")
    if unit == "GPa":
        if "shear" in before:
            return replace(q, kind="ShearModulus")
        if "elastic" in before or "young" in before:
            return replace(q, kind="ElasticModulus")
    if unit == "nm" and (_PER_CYCLE_BEFORE.search(before) or _PER_CYCLE_AFTER.search(after)):
        return replace(q, kind="GrowthPerCycle", canonical_unit="nm/cycle")
    if unit == "nm" and q.kind not in ("Thickness",):
        return replace(q, kind="Thickness")
    return q


_CATHODE_WORDS = CATHODE.pattern
#: An areal capacity that describes the cathode (its loading), not the cell's result:
#: "NCM811 (5.0 mAh cm-2) electrodes", "4 mAh cm-2 LiFePO4 cathodes", "a cathode loading of".
_CATHODE_BEFORE = re.compile(
    rf"(?:{_CATHODE_WORDS})[\w\s-]{{0,20}}\(\s*$"
    rf"|(?:{_CATHODE_WORDS})[^.;()\d]{{0,30}}\b(?:loadings?|areal[- ]capacit\w*)\b"
    r"[^.;\d]{0,14}$"
)
_CATHODE_AFTER = re.compile(rf"^\s*(?:[\w-]+\s+){{0,2}}?(?:{_CATHODE_WORDS})")


def is_cathode_capacity(q: Quantity, text: str, start: int, end: int) -> bool:
    """An areal capacity written with the cathode it belongs to ("paired with high areal
    capacity NCM811 (5.0 mAh cm-2) electrodes"): a property of the cathode, not a result of
    the coated anode."""
    return q.kind == "ArealCapacity" and bool(
        _CATHODE_BEFORE.search(text[max(0, start - 60) : start])
        or _CATHODE_AFTER.search(text[end : end + 40])
    )


def is_not_an_outcome(q: Quantity, text: str, start: int, end: int) -> bool:
    """Values that look like outcomes but are not: relative gains, voltage limits, ordinals.

    "a 400% longer cycle life" and "by 39.5%" compare two cells; "between 3.0 and 4.6 V",
    "stable up to 6 V vs. Li+/Li" are a window and a limit, and no overpotential is measured
    in volts; "the 1st, 100th and 200th cycles" are checkpoints, not a count; in "from 1,710 to
    1 Ω cm2" the first value is the state before the change; "its theoretical capacity of
    3860 mAh g-1" is the bare metal's, not a result.
    """
    before = text[max(0, start - 40) : start]
    after = text[end : end + 25]
    if _FROM_BEFORE.search(before) and _TO_AFTER.search(after):
        return True  # the value before the change
    if is_cathode_capacity(q, text, start, end):
        return True
    if q.kind == "SpecificCapacity" and (
        _INTRINSIC_BEFORE.search(text[max(0, start - 60) : start]) or _METAL_AFTER.search(after)
    ):
        return True
    relative = _RELATIVE_AFTER.search(after) or _RELATIVE_BEFORE.search(before)
    if q.canonical_unit == "%" and q.kind != "CapacityRetention" and relative:
        return True
    if q.kind == "Overpotential":
        volts = (q.canonical_value or q.high or 0) > 1000  # mV: a cell voltage, not a loss
        if volts:
            return True
        if _LOSS_FROM_TO_BEFORE.search(text[max(0, start - 90) : start]):
            return False
        if _VOLTAGE_LIMIT_BEFORE.search(before) or _VOLTAGE_LIMIT_AFTER.search(after):
            return True
    return q.kind == "CycleCount" and bool(_ORDINAL.search(q.text))


def _is_deposition_temperature(text: str, start: int, end: int | None = None) -> bool:
    """The last process word before a temperature decides: `deposited at` yes, `anneal at` no.

    With no process word before it, a technique right after it does ("treated at 80 °C by
    plasma ALD"), unless an anneal, test or melting word precedes the value.
    """
    window = text[max(0, start - 90) : start]
    dep = [m.end() for m in _DEP_TEMP_WORDS.finditer(window)]
    non = [m.end() for m in _NON_DEP_TEMP_WORDS.finditer(window)]
    if dep:
        return max(dep) > max(non, default=-1)
    if end is None or non:
        return False
    return bool(_TECHNIQUE_AFTER.search(text[end : end + 60]))


#: What a length before a material names when it is not the film: "20 nm ZnO nanoparticles".
_NOT_A_FILM_AFTER = re.compile(
    r"^[\s-]*(?:nano)?(?:particles?|powders?|wires?|rods?|sheets?|spheres?|tubes?|crystals?)\b",
    re.I,
)


#: "14 nm of Al2O3", "2 nm of ALD alumina": the length of the material named after "of".
_OF_BETWEEN = re.compile(r"\s*of\s+(?:(?:ALD|MLD|amorphous|conformal|dense)\s+)?", re.I)


def names_film_after(mentions: list[Mention], text: str, end: int) -> bool:
    """A length right before a material's name is its film's thickness ("(5 nm TiO2)",
    "a 3 nm Al2O3-coated foil", "14 nm of Al2O3"), unless the name goes on to particles,
    wires or powder."""
    return any(
        m.kind == "Material"
        and m.start >= end
        and (m.start <= end + 2 or _OF_BETWEEN.fullmatch(text, end, m.start) is not None)
        and not _NOT_A_FILM_AFTER.search(text[m.end : m.end + 20])
        for m in mentions
    )


def _is_coating_thickness(text: str, start: int, end: int) -> bool:
    """A length is a coating thickness when `-thick`, coating/film/layer or `thickness` is next to it."""
    after = text[end : end + 45]
    before = text[max(0, start - 30) : start]
    if _NOT_THICKNESS.search(text[end : end + 12]) or re.search(r"foils?\s+(?:of\s+)?$", before):
        return False
    return bool(
        _THICKNESS_AFTER.search(after)
        or re.search(r"thickness (?:of|was|is)\s*$", before)
        or _FILM_OF_BEFORE.search(before)
        or _FILM_BRACKET_BEFORE.search(before)
    )


#: The variant a study singles out among those it compared ("the 10-cycle film performed
#: best", "25 cycles gave the best result", "the optimal 20 ALD cycles").
_CHOSEN = re.compile(r"\b(?:best|optim(?:al|um|ized|ised)|preferred)\b", re.I)
_CHOSEN_REACH = 60


def chosen_variant(
    found: list[tuple[Quantity, int, int]], text: str
) -> list[tuple[Quantity, int, int]]:
    """A sentence's quantities with only the chosen deposition-cycle count, when it compares
    several ("Films of 10, 25 and 50 cycles were compared, and 25 cycles gave the best
    result": the coating is the 25-cycle one). A cycle count that repeats one of the
    compared counts is that deposition count. Without a clear choice nothing changes."""
    listed = {q.canonical_value for q, _, _ in found if q.kind == "DepositionCycles"}
    if len(listed) < 2:
        return found
    found = [
        (replace(q, kind="DepositionCycles"), s, e)
        if q.kind == "CycleCount" and q.comparator == "=" and q.canonical_value in listed
        else (q, s, e)
        for q, s, e in found
    ]
    counts = [(s, e) for q, s, e in found if q.kind == "DepositionCycles"]
    chosen: set[tuple[int, int]] = set()
    for m in _CHOSEN.finditer(text):
        before = [(s, e) for s, e in counts if m.start() - _CHOSEN_REACH <= e <= m.start()]
        after = [(s, e) for s, e in counts if m.end() <= s <= m.end() + 25]
        if after and not _clause_break(text[m.end() : after[0][0]]):
            chosen.add(after[0])
        elif before and not _clause_break(text[before[-1][1] : m.start()]):
            chosen.add(before[-1])
    values = {q.canonical_value for q, s, e in found if (s, e) in chosen}
    if len(values) != 1:
        return found
    return [(q, s, e) for q, s, e in found if q.kind != "DepositionCycles" or (s, e) in chosen]


def _clause_break(text: str) -> bool:
    return bool(re.search(r"[;.]\s|,\s+(?:and|but|while|whereas)\b", text))
