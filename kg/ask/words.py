"""The words ``kg ask`` knows without the vocabulary: grammar, question idioms, comparators.

Not a stage itself but the tables the interpret stage reads. Everything else the reader
understands is generated from ``ontology/*.ttl``; these are the English no ontology lists, kept
apart so that an idiom is a one-line change and so that kg.search shares the same function
words (:data:`FUNCTION_WORDS`) instead of keeping a copy of them.
"""

from __future__ import annotations

__all__ = [
    "CMP_BEFORE",
    "COMPARATIVES",
    "COUNT_RE",
    "DEFAULT_RANK_KIND",
    "ELEMENTS",
    "FUNCTION_WORDS",
    "HIGHER_IS_BETTER",
    "HOW_PHRASES",
    "LOWER_IS_BETTER",
    "MOST_CYCLES_RE",
    "NO_CONSTRAINT_WORDS",
    "STOPWORDS",
    "SUPERLATIVES",
    "TAIL_RE",
    "TARGET_WORDS",
    "VERSUS_WORDS",
    "YEAR_BEFORE",
]

#: Articles, prepositions, conjunctions, forms of *be* and question words: they mean nothing
#: in any question or search (kg.search uses exactly these).
FUNCTION_WORDS = frozenset(
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
        "is",
        "are",
        "was",
        "were",
        "be",
        "which",
        "what",
        "who",
        "how",
    ]
)

#: Words that carry no constraint (question words, grammar); never reported as ignored.
STOPWORDS = FUNCTION_WORDS | frozenset(
    [
        "any",
        "all",
        "some",
        "whose",
        "where",
        "when",
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
        "lived",
        "lasted",
        "doi",
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
        # Ordinary words of questions (verbs, adverbs, authorship) that carry no constraint.
        "co",
        "author",
        "authors",
        "authored",
        "written",
        "wrote",
        "first",
        "put",
        "bring",
        "brings",
        "directly",
        "survived",
        "evaluated",
        "examined",
        "explored",
        "known",
        "ever",
        "so",
        "far",
        "literature",
        "results",
        "result",
        "data",
        "available",
        "found",
        "kind",
        "kinds",
        "type",
        "types",
    ]
)

#: Ordinary words of questions that name nothing a coating could be selected by: generic
#: verbs of benefit and reporting ("improve", "showed"), vague qualifiers ("good", "high",
#: "ultrathin" without a number) and general nouns ("approach", "examples"). They are said
#: back as adding no constraint; any other content word that is not understood makes the
#: answer empty with a message, since leaving it out would answer a wider question.
_NO_CONSTRAINT_TEXT = """
    i we you he she us him her his hers ours yours mine one ones someone anyone anything
    something everything nothing none every either neither other others another such same
    similar different various several few certain particular specific main key typical
    am will shall may might must let lets ok okay yes not if then why whether here now
    up out off through within along among across while whereas because like unlike e.g
    really actually exactly just even still already too very quite well yet again currently
    generally usually typically recently recent new latest overall total altogether together
    exist exists existing available possible known mentioned mention mentions described
    describe describes discussed discuss present presented presents appear appears appeared
    record recorded see seen look looking know want need needed interested name names named
    show shows showed work worked working perform performs performed performance performing
    improve improves improved improving improvement improvements enhance enhances enhanced
    enhancing protect protects protected protecting protection protective prevent prevents
    prevented suppress suppresses suppressed suppressing help helps helped enable enables
    enabled achieve achieves obtain obtained reach reached reaches yield yields yielded
    provide provides provided offer offers offered give gave given gives apply applies
    involve involves involved involving include includes included contain contains
    contained compare paired pairing coupled combined matched
    good great nice excellent promising effective efficient successful superior outstanding
    high higher low lower long short big small large thin thick ultrathin ultra-thin
    conformal uniform dense robust
    artificial interphase interlayer interlayers passivation passivating surface surfaces
    modification modifications engineering treatment treated protected
    dendrite dendrites dendritic growth reduce reduces reduced reducing mitigate mitigates
    mitigated inhibit inhibits inhibited stabilize stabilizes stabilized stabilise stabilises
    stabilised
    alone solely exclusively purely pure stack stacks stacked plating stripping
    plating/stripping deposition depositions coat coats grew synthesized synthesised
    fabricated fabrication prepared preparation formed produced created built sei asei
    interface interfaces interfacial-layer side reaction reactions electrochemical
    electrochemically
    ranked sorted ordered rank sort order graph database corpus dataset kg
    based substrate substrates condition conditions parameter parameters setting settings
    number numbers count counts counted total percent percentage year years date dates when
    approach approaches strategy strategies method methods technique techniques process
    processes option options example examples case cases sample samples system systems
    thing things information info detail details overview summary research researchers
    people group groups team teams lab labs field application applications
"""
NO_CONSTRAINT_WORDS = frozenset(_NO_CONSTRAINT_TEXT.split())

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

#: Comparator phrases before a number → symbol. Longest first inside each alternative.
CMP_BEFORE: tuple[tuple[str, str], ...] = (
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
#: Comparator phrases after a number ("1000 h or more", "50 nm+").
#: Not followed by "than": "1000 h and thinner than 5 nm" starts a second constraint.
TAIL_RE = (
    r"(?P<tail_ge>\s*(?:or|and)\s+(?:more|higher|greater|above|longer|thicker|larger|over|later)"
    r"(?!\s+than)|\s*\+)|(?P<tail_le>\s*(?:or|and)\s+(?:less|lower|fewer|below|shorter|thinner"
    r"|smaller|under|earlier)(?!\s+than))"
)
#: Phrases before a year → comparator ("since 2019", "before 2020").
YEAR_BEFORE: tuple[tuple[str, str], ...] = (
    ("≥", r"since|from|starting|(?:in\s+or\s+)?after\s+or\s+in"),
    (">", r"after|later\s+than|newer\s+than"),
    ("<", r"before|prior\s+to|earlier\s+than|older\s+than"),
    ("≤", r"until|till|up\s+to|by|through"),
)

#: Superlatives → (the quantity kind they imply or None, "max" | "min" | "better").
#: "better" is the kind's own good direction (:data:`HIGHER_IS_BETTER`).
SUPERLATIVES: dict[str, tuple[str | None, str]] = {
    **dict.fromkeys(["best", "top", "optimal"], (None, "better")),
    "worst": (None, "worse"),
    **dict.fromkeys(
        ["highest", "largest", "greatest", "biggest", "maximum", "max", "most", "peak"],
        (None, "max"),
    ),
    **dict.fromkeys(["lowest", "smallest", "least", "minimum", "min", "fewest"], (None, "min")),
    **dict.fromkeys(
        ["longest", "longest-lived", "longest-lasting", "most-stable", "durable", "durablest"],
        ("CyclingDuration", "max"),
    ),
    "shortest": ("CyclingDuration", "min"),
    "thinnest": ("Thickness", "min"),
    "thickest": ("Thickness", "max"),
    "hottest": ("DepositionTemperature", "max"),
    "coldest": ("DepositionTemperature", "min"),
}
#: Comparatives of "which is thicker, X or Y" (same values as :data:`SUPERLATIVES`).
COMPARATIVES: dict[str, tuple[str | None, str]] = {
    "better": (None, "better"),
    "worse": (None, "worse"),
    **dict.fromkeys(["higher", "larger", "greater", "bigger"], (None, "max")),
    **dict.fromkeys(["lower", "smaller", "fewer"], (None, "min")),
    **dict.fromkeys(["longer", "longer-lived", "longer-lasting"], ("CyclingDuration", "max")),
    "shorter": ("CyclingDuration", "min"),
    "thicker": ("Thickness", "max"),
    "thinner": ("Thickness", "min"),
    "hotter": ("DepositionTemperature", "max"),
    "colder": ("DepositionTemperature", "min"),
}
#: Words that ask to compare what the question names ("Al2O3 vs LiF on Na").
VERSUS_WORDS = frozenset(["vs", "vs.", "versus", "compare", "compared", "comparison", "against"])
#: Kinds where more is better; :data:`LOWER_IS_BETTER` the reverse; others have no "best".
HIGHER_IS_BETTER = frozenset(
    [
        "CyclingDuration",
        "CycleCount",
        "CoulombicEfficiency",
        "CapacityRetention",
        "SpecificCapacity",
        "ArealCapacity",
        "IonicConductivity",
    ]
)
LOWER_IS_BETTER = frozenset(["Overpotential"])
#: The quantity a superlative or comparison ranks by when it names none ("best coating on
#: Na"): how long the coated metal cycles, the figure every study of the field reports.
DEFAULT_RANK_KIND = "CyclingDuration"
#: "how many …" counts; "how many cycles" asks for a cycle count (a value question).
COUNT_RE = r"\b(?:how\s+many(?!\s+(?:plating\s*/?\s*stripping\s+|ALD\s+|MLD\s+)?cycles\b)|number\s+of|count)\b"
#: "most cycles": the superlative of the cycle count.
MOST_CYCLES_RE = r"\b(?:most|highest\s+number\s+of|largest\s+number\s+of)\s+(?:\w+\s+){0,2}cycles\b"
