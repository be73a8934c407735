"""Synthetic review-like documents for benchmarks, in the corpus's plain-text format.

Real reviews are few and copyrighted, so scaling runs need documents that *look* like the
review to every ingest stage: numbered sections, prose sentences with ``[n]`` citations and
quantities, TAB-separated summary tables with glossary lines, figure captions and a numbered
reference list. Each document is ~100 KB and carries the converter noise the real text has
(``Al_2O_3``, ``Al ₂ O ₃``, ``mA cm⁻²``, ``AIEG``, en-dash ranges).

Deterministic: document ``i`` of seed ``s`` depends only on ``(s, i)``, so ``--docs 10`` is a
prefix of ``--docs 100`` and a rerun writes byte-identical files::

    python bench/generate.py --docs 100 --out artifacts/synth --seed 0
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TARGET_CHARS = 100_000

# --------------------------------------------------------------------------- vocabulary

#: Precursor label → full name, as a table glossary line spells it.
PRECURSORS: dict[str, str] = {
    "TMA": "trimethylaluminum",
    "LTB": "lithium tert-butoxide",
    "TDMAA": "tris-(dimethylamido) aluminum",
    "TDMAZ": "tetrakis-(dimethylamino) zirconium",
    "TDMASn": "tetrakis(dimethylamino)tin (IV)",
    "TMP": "trimethyl phosphate",
    "TTIP": "titanium (IV) isopropoxide",
    "EG": "ethylene glycol",
    "ED": "ethylenediamine",
    "PDIC": "1,4-phenylene diisocyanate",
    "ZTB": "zirconium tert-butoxide",
    "GL": "glycerol",
    "DEZ": "diethylzinc",
}
#: Co-reactants written as formulas, never glossed.
CO_REACTANTS = ("H2O", "O2 plasma", "O3", "H2S", "HF", "NH3")


@dataclass(frozen=True)
class Recipe:
    """One coating chemistry: the material label and the precursor sequences that make it."""

    material: str
    technique: str  # ALD, MLD or ALD/MLD
    sequences: tuple[tuple[str, ...], ...]
    temp_range: tuple[int, int]
    gpc_nm: tuple[float, float]
    kind: str  # oxide, fluoride, phosphate, sulfide, metalcone, organic, dual


RECIPES: tuple[Recipe, ...] = (
    Recipe("Al2O3", "ALD", (("TMA", "H2O"),), (75, 150), (0.10, 0.13), "oxide"),
    Recipe("Al2O3", "ALD", (("TMA", "O2 plasma"),), (75, 150), (0.12, 0.16), "oxide"),
    Recipe("ZrO2", "ALD", (("TDMAZ", "H2O"),), (100, 150), (0.09, 0.12), "oxide"),
    Recipe("TiO2", "ALD", (("TTIP", "H2O"),), (120, 200), (0.03, 0.06), "oxide"),
    Recipe("SnO2", "ALD", (("TDMASn", "H2O"),), (100, 150), (0.08, 0.12), "oxide"),
    Recipe("ZnO", "ALD", (("DEZ", "H2O"),), (80, 150), (0.16, 0.20), "oxide"),
    Recipe("LiAlOx", "ALD", (("LTB", "H2O"), ("TMA", "H2O")), (120, 225), (0.10, 0.15), "oxide"),
    Recipe("NaAlOx", "ALD", (("TMA", "H2O"),), (65, 85), (0.10, 0.15), "oxide"),
    Recipe("LiF", "ALD", (("LTB", "HF"),), (125, 150), (0.05, 0.09), "fluoride"),
    Recipe("AlF3", "ALD", (("TDMAA", "HF"),), (100, 150), (0.05, 0.08), "fluoride"),
    Recipe("Li3PO4", "ALD", (("LTB", "TMP"),), (160, 300), (0.05, 0.08), "phosphate"),
    Recipe("LiPON", "ALD", (("LTB", "TMP", "NH3"),), (250, 300), (0.01, 0.02), "phosphate"),
    Recipe(
        "LixAlyS", "ALD", (("LTB", "H2S"), ("TDMAA", "H2S")), (80, 150), (0.20, 0.50), "sulfide"
    ),
    Recipe("Li2S", "ALD", (("LTB", "H2S"),), (150, 300), (0.10, 0.15), "sulfide"),
    Recipe("AlEG", "MLD", (("TMA", "EG"),), (85, 150), (0.30, 0.45), "metalcone"),
    Recipe("ZrEG", "MLD", (("ZTB", "EG"),), (105, 150), (0.15, 0.25), "metalcone"),
    Recipe("LiGL", "MLD", (("LTB", "GL"),), (150, 175), (0.80, 2.70), "metalcone"),
    Recipe("ZnEG", "MLD", (("DEZ", "EG"),), (90, 150), (0.30, 0.40), "metalcone"),
    Recipe("TiEG", "MLD", (("TTIP", "EG"),), (100, 150), (0.20, 0.35), "metalcone"),
    Recipe("PU", "MLD", (("ED", "PDIC"),), (50, 100), (0.40, 0.90), "organic"),
    Recipe("AlEG/Al2O3", "ALD/MLD", (("TMA", "H2O", "TMA", "EG"),), (100, 150), (0.1, 0.4), "dual"),
    Recipe("HPU", "ALD/MLD", (("DEZ", "ED", "PDIC", "ED"),), (60, 100), (0.3, 0.8), "dual"),
)

#: Material label → words the prose uses for it besides the formula.
MATERIAL_WORDS: dict[str, tuple[str, ...]] = {
    "Al2O3": ("alumina",),
    "ZrO2": ("zirconia",),
    "TiO2": ("titania",),
    "SnO2": ("tin oxide",),
    "ZnO": ("zinc oxide",),
    "AlEG": ("AIEG", "aluminum ethylene glycol", "AIEG"),
    "ZrEG": ("zirconium ethylene glycol",),
    "LiGL": ("lithium glycerolate",),
    "ZnEG": ("zinc ethylene glycol",),
    "TiEG": ("titanium ethylene glycol",),
    "PU": ("polyurea",),
    "LiF": ("lithium fluoride",),
    "Li3PO4": ("lithium phosphate",),
}

METALS: dict[str, dict[str, object]] = {
    "Li": {
        "name": "lithium",
        "cells": ("symmetric", "Li-Cu", "Li-S", "Li-O2", "Li-LFP", "Li-NMC", "Li-LTO"),
        "salts": ("LiPF6", "LiTFSI", "LiFSI"),
        "max_temp": 160,
    },
    "Na": {
        "name": "sodium",
        "cells": ("symmetric", "full"),
        "salts": ("NaPF6", "NaClO4", "NaOTf"),
        "max_temp": 90,
    },
    "K": {
        "name": "potassium",
        "cells": ("symmetric", "full"),
        "salts": ("KPF6", "KFSI"),
        "max_temp": 60,
    },
}
CARBONATE_SOLVENTS = ("EC/EMC", "EC/DEC", "EC/DMC", "PC", "EC/DEC/FEC")
ETHER_SOLVENTS = ("DME", "DOL/DME", "DEGDME", "TEGDME")
SOLID_ELECTROLYTES = ("Li10SnP2S12", "garnet", "Na3SbS4")
METHODS = ("XPS", "AFM", "TEM", "SEM", "EIS", "EDS", "TOF-SIMS", "FTIR", "XRD", "QCM", "RBS")

_SURNAMES = """
Zhang Wang Li Liu Chen Zhao Kozen Kazyak Lin Sun Adair Meng Elam George Dasgupta Noked Rubloff Cao Xu Yang Huang Park Kim
Lee Nguyen Smith Miller Schmidt Rossi Tanaka Suzuki Novak Silva Hu Ma Tang Sullivan Zhu Luo Gao Wu Han Cui Lu Amine"""
SURNAMES = tuple(_SURNAMES.split())
VENUES = (
    ("Adv. Mater.", "Wiley"),
    ("ACS Nano", "American Chemical Society"),
    ("Nano Lett.", "American Chemical Society"),
    ("Adv. Energy Mater.", "Wiley"),
    ("Energy Storage Mater.", "Elsevier"),
    ("Nano Energy", "Elsevier"),
    ("J. Mater. Chem. A", "The Royal Society of Chemistry"),
    ("Chem. Mater.", "American Chemical Society"),
    ("ACS Appl. Mater. Interfaces", "American Chemical Society"),
    ("Adv. Funct. Mater.", "Wiley"),
    ("J. Power Sources", "Elsevier"),
    ("Joule", "Elsevier"),
    ("Nat. Commun.", "Springer Nature"),
    ("Angew. Chem. Int. Ed.", "Wiley"),
    ("ACS Energy Lett.", "American Chemical Society"),
)
TITLE_WORDS = tuple(
    """stable|dendrite-free|ultrathin|conformal|artificial|solid electrolyte interphase|protective|lithium metal anode|
    sodium metal anode|potassium metal anode|coating|atomic layer deposition|molecular layer deposition|interfacial|high-energy|battery|rechargeable|
    hybrid|inorganic-organic|nanoscale|surface engineering|electrolyte|plating|stripping|long-life|flexible|robust|passivation|film|cycling""".replace(
        "\n    ", ""
    ).split("|")
)

SUBSCRIPTS = str.maketrans("0123456789x", "₀₁₂₃₄₅₆₇₈₉ₓ")
_FORMULA_PART = re.compile(r"([A-Z][a-z]?|[a-z]+)(\d+|x|y)?")


# --------------------------------------------------------------------------- noise


def render_formula(formula: str, rng: random.Random) -> str:
    """A chemical formula as the converter writes it: plain, LaTeX, or Unicode with stray spaces.

    >>> sorted({render_formula("ZrO2", random.Random(i)) for i in range(40)})[1:]
    ['ZrO ₂', 'ZrO2', 'ZrO_2', 'ZrO₂']
    """
    if not any(c.isdigit() for c in formula) and "x" not in formula[1:]:
        return formula
    if "/" in formula or "-" in formula:
        return "/".join(render_formula(p, rng) for p in formula.split("/"))
    style = rng.choices(
        ("plain", "latex", "unicode_spaced", "unicode", "mathtext"), (3, 4, 3, 2, 1)
    )[0]
    parts = _FORMULA_PART.findall(formula)
    if style == "plain" or not parts or "".join(a + b for a, b in parts) != formula:
        return formula
    if style == "latex":
        return "".join(f"{el}_{n}" if n else el for el, n in parts)
    if style == "unicode":
        return "".join(el + n.translate(SUBSCRIPTS) for el, n in parts)
    if style == "mathtext":
        return (
            "$"
            + "".join(f"\\text{{{el}}}_{n}" if n else f"\\text{{{el}}}" for el, n in parts)
            + "$"
        )
    out = "".join(el + (f" {n.translate(SUBSCRIPTS)} " if n else "") for el, n in parts)
    return out.strip()


def render_unit(unit: str, rng: random.Random) -> str:
    """Per-area and per-mass units in the spellings the review mixes."""
    forms = {
        "mA/cm2": ("mA cm^{-2}", "mA cm⁻²", "mA cm ⁻²", "mA/cm²", "mA cm^{-2}"),
        "mAh/cm2": ("mAh cm^{-2}", "mAh cm⁻²", "mAh cm ⁻²", "mAh/cm²"),
        "mAh/g": ("mAh g^{-1}", "mAh g⁻¹", "mAh g ⁻¹", "mAhg ⁻¹", "mAh/g"),
        "uL": ("μL", "µL", "$\\mu\\text{L}$"),
        "degC": ("°C", "°C", "$^{\\circ}$C", "℃"),
    }
    return rng.choice(forms.get(unit, (unit,)))


def num(value: float, digits: int = 2) -> str:
    """A number as papers print it: no trailing zeros, thousands as ``13,500`` now and then."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text


def rng_range(rng: random.Random, lo: float, hi: float, sep: str = "–") -> str:
    a = rng.randint(int(lo), int(hi))
    b = a + rng.choice((10, 20, 30, 50))
    return f"{a}{sep}{b}"


# --------------------------------------------------------------------------- studies


@dataclass
class Study:
    """One cited work whose coating a table row (and some prose) reports."""

    ref: int
    year: int
    recipe: Recipe
    metal: str
    temp: int
    temp_high: int | None
    thickness_nm: float
    cycles: int
    pulses: tuple[float, ...]
    cell: str
    electrolyte_family: str
    current: float
    hours: int
    cycle_life: int
    ce: float
    overpotential: int
    retention: int
    capacity: int
    table_year: int  # usually == year; a deliberate disagreement now and then
    authors: list[str] = field(default_factory=list)


def _make_study(rng: random.Random, ref: int, recipe: Recipe, metal: str) -> Study:
    lo, hi = recipe.temp_range
    hi = min(hi, int(METALS[metal]["max_temp"]) + 40) if metal != "Li" else hi
    lo = min(lo, hi)
    temp = rng.randrange(lo, hi + 1, 5) if hi - lo >= 5 else lo
    temp_high = temp + rng.choice((20, 30)) if rng.random() < 0.08 else None
    cycles = rng.choice((10, 20, 25, 30, 50, 60, 80, 100, 117, 150, 200))
    gpc = rng.uniform(*recipe.gpc_nm)
    thickness = round(max(0.5, cycles * gpc), 1 if cycles * gpc < 10 else 0)
    cells = METALS[metal]["cells"]
    cell = rng.choice(cells)  # type: ignore[arg-type]
    family = rng.choices(("carbonate", "ether", "solid-state"), (5, 3, 1))[0]
    year = rng.randint(2015, 2024)
    table_year = year + 1 if rng.random() < 0.04 else year
    n_pulses = sum(len(s) for s in recipe.sequences) * 2
    pulses = tuple(
        rng.choice((0.01, 0.015, 0.06, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8))
        if k % 2 == 0
        else rng.choice((5, 10, 15, 20, 30, 40, 45, 50, 60, 70, 80))
        for k in range(n_pulses)
    )
    authors = [
        f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPQRSTWXYZ')}."
        for _ in range(rng.randint(2, 8))
    ]
    return Study(
        ref=ref,
        year=year,
        recipe=recipe,
        metal=metal,
        temp=temp,
        temp_high=temp_high,
        thickness_nm=thickness,
        cycles=cycles,
        pulses=pulses,
        cell=cell,
        electrolyte_family=family,
        current=rng.choice((0.1, 0.25, 0.5, 1, 1, 1, 2, 3, 5, 10)),
        hours=rng.choice(
            (70, 120, 150, 200, 300, 450, 500, 700, 800, 1000, 1200, 1500, 2000, 2500, 5500)
        ),
        cycle_life=rng.choice((85, 100, 140, 170, 240, 500, 800, 1259, 2000, 5500, 13500)),
        ce=round(rng.uniform(95, 99.8), 1),
        overpotential=rng.choice((20, 30, 40, 60, 90, 130, 200, 250, 400)),
        retention=rng.randint(60, 95),
        capacity=rng.choice((150, 600, 800, 1000, 1200)),
        table_year=table_year,
        authors=authors,
    )


def _mat(study: Study, rng: random.Random, *, words: bool = False) -> str:
    label = study.recipe.material
    if words and label in MATERIAL_WORDS and rng.random() < 0.35:
        return rng.choice(MATERIAL_WORDS[label])
    if label == "AlEG":
        return "AIEG" if rng.random() < 0.7 else "AlEG"
    if label == "AlEG/Al2O3":
        return "AIEG/ " + render_formula("Al2O3", rng)
    if label in {"LiAlOx", "NaAlOx"}:
        return label[:-2] + rng.choice(("O _x", "O_x", "Ox"))
    if label == "LixAlyS":
        return rng.choice(("Li _x Al _y S", "$\\text{Li}_x\\text{Al}_y\\text{S}$", "LixAlyS"))
    return render_formula(label, rng)


def _prec(label: str, rng: random.Random) -> str:
    if label == "O2 plasma":
        return rng.choice(("plasma O ₂", "O2 plasma", "plasma O_2"))
    return render_formula(label, rng)


def _cell_phrase(study: Study, rng: random.Random) -> str:
    m = study.metal
    if study.cell == "symmetric":
        pair = f"{m}-{m}"
        return rng.choice(("symmetric cells", f"{pair} symmetric cells", "symmetric cells"))
    if study.cell == "full":
        return rng.choice(("full cells", "full-cells"))
    return study.cell.replace("O2", rng.choice(("O ₂", "O₂", "O_2", "O2"))) + " cells"


def _electrolyte(study: Study, rng: random.Random) -> str:
    salt = rng.choice(METALS[study.metal]["salts"])  # type: ignore[arg-type]
    if study.electrolyte_family == "solid-state":
        sse = "Na3SbS4" if study.metal == "Na" else rng.choice(("Li10SnP2S12", "garnet"))
        return f"{render_formula(sse, rng)} SSEs"
    solvents = CARBONATE_SOLVENTS if study.electrolyte_family == "carbonate" else ETHER_SOLVENTS
    conc = rng.choice((1, 1, 1, 2, 4))
    return f"{conc} M {render_formula(salt, rng)} in {rng.choice(solvents)}"


# --------------------------------------------------------------------------- tables

HEADERS: dict[str, tuple[str, ...]] = {
    "material": ("Material", "Coating Material", "Material"),
    "process": ("{T} Process", "Precursors and {T} Process", "{T} Process"),
    "temperature": ("Temp./($^{\\circ}$ C)", "Temp./(°C)", "Temperature (°C)"),
    "thickness": ("Thickness and {T} Cycles", "Thickness and {T} Cycles", "Thickness/Cycles"),
    "performance": ("Electrochemical Performance", "Performance", "Electrochemical Performance"),
    "year": ("Year",),
    "ref": ("Ref.", "Ref", "Reference"),
}
COLUMN_ORDER = ("material", "process", "temperature", "thickness", "performance", "year", "ref")


def _process_cell(study: Study, rng: random.Random) -> str:
    pieces: list[str] = []
    times = list(study.pulses)
    for seq in study.recipe.sequences:
        steps = "/".join(f"{_prec(p, rng)} pulse/purge" for p in seq)
        n = len(seq) * 2
        chunk, times = times[:n], times[n:]
        if rng.random() < 0.05:
            timing = "(Not given)"
        else:
            timing = "/".join(
                f"{int(t * 1000)} ms" if t < 0.01 else f"{num(t, 3)} s" for t in chunk
            )
        vacuum = "/vacuum" if rng.random() < 0.1 else ""
        pieces.append(f"{steps}{vacuum} {timing}" + (f"/{rng.choice((5, 10))} s" if vacuum else ""))
    return " ".join(pieces)


def _performance_cell(study: Study, rng: random.Random) -> str:
    unit = render_unit("mA/cm2", rng)
    cells = _cell_phrase(study, rng)
    family = {
        "carbonate": "carbonate electrolyte",
        "ether": "ether electrolyte",
        "solid-state": "SSEs",
    }[study.electrolyte_family]
    templates = (
        f"Stable cycling over {study.hours} h (current density: {num(study.current)} {unit}) in {cells}",
        f"Stable overpotential beyond {study.hours} h ({num(study.current)} {unit}) in {cells} with {family}",
        f"~{study.overpotential} mV overpotential beyond {study.hours} h at {num(study.current)} {unit} in {cells}",
        f"{study.cycle_life:,} cycles (current density: {num(study.current)} {unit}) in {cells}",
        f"CE > {num(study.ce, 1)}% for {rng.choice((50, 100, 170, 300))} cycles in {cells}",
        f"~{study.retention}% capacity retention after {rng.choice((100, 200, 300))} cycles in {cells}",
        f"Maintaining ~{study.capacity} {render_unit('mAh/g', rng)} (current density: {num(study.current)} {unit}) in {cells}",
    )
    text = rng.choice(templates)
    if rng.random() < 0.25:
        text += f", stable cycling over {study.hours // 2} h (current density: {num(study.current * 3)} {unit})"
    return text


def _row_cells(study: Study, rng: random.Random) -> dict[str, str]:
    temp = str(study.temp) if study.temp_high is None else f"{study.temp}–{study.temp_high}"
    cmp_ = rng.choices(("", "~", ">"), (6, 3, 1))[0]
    return {
        "material": _mat(study, rng),
        "process": _process_cell(study, rng),
        "temperature": temp,
        "thickness": f"{cmp_}{num(study.thickness_nm, 1)} nm and {study.cycles}",
        "performance": _performance_cell(study, rng),
        "year": str(study.table_year),
        "ref": f"[{study.ref}]",
    }


def render_table(
    number: int, technique: str, metal: str, studies: Sequence[Study], rng: random.Random
) -> str:
    """Caption, TAB header (maybe with ``No.``, maybe shuffled), rows and a glossary line."""
    verb = rng.choice(
        (
            "Summary of {T} surface coating {M} metal.",
            "Summary of {T} coating {M} metal.",
            "Summary of {T} Surface Coatings on {M} Metal.",
        )
    )
    t_word = "MLD" if technique == "MLD" else ("ALD/MLD" if technique == "ALD/MLD" else "ALD")
    caption = f"Table {number}. " + verb.format(T=t_word, M=metal)
    if technique == "ALD/MLD":
        caption = f"Table {number}. Summary of ALD/MLD Dual Layer Surface Coating on {metal} Metal."
    order = list(COLUMN_ORDER)
    if rng.random() < 0.3:
        head, tail = order[:5], order[5:]
        rng.shuffle(head)
        order = head + tail
    numbered = rng.random() < 0.5
    header = [rng.choice(HEADERS[c]).replace("{T}", t_word.split("/")[0]) for c in order]
    if numbered:
        header = ["No.", *header]
    lines = [caption, "", "\t".join(header)]
    used: list[str] = []
    for i, study in enumerate(studies, 1):
        cells = _row_cells(study, rng)
        row = [cells[c] for c in order]
        lines.append("\t".join([str(i), *row] if numbered else row))
        for seq in study.recipe.sequences:
            used.extend(p for p in seq if p in PRECURSORS and p not in used)
    glossary = ", ".join(f"{p} = {PRECURSORS[p]}" for p in used)
    return "\n".join(lines) + "\n\n" + (glossary + ".\n" if glossary else "")


# --------------------------------------------------------------------------- prose


def _cite(rng: random.Random, n_refs: int) -> str:
    r = rng.randint(1, n_refs)
    kind = rng.random()
    if kind < 0.6:
        return f"[{r}]"
    if kind < 0.8 and r + 3 <= n_refs:
        return f"[{r}–{r + rng.randint(2, 3)}]"
    other = rng.randint(1, n_refs)
    return f"[{min(r, other)},{max(r, other)}]" if r != other else f"[{r}]"


BACKGROUND = (
    "The {adj} SEI formed on {metal} metal is non-uniform in composition and breaks during plating {c}.",
    "Dendritic growth of {metal} during repeated plating and stripping consumes electrolyte and active metal {c}.",
    "Surface coatings deposited by {tech} offer {adj} control of thickness at the nanoscale {c}.",
    "A coating must conduct {ion} ions while blocking electrons and side reactions with the electrolyte {c}.",
    "Low process temperature matters because {metal} melts at {mp} °C {c}.",
    "Characterization by {method} and {method2} confirmed the conformal coverage of the films {c}.",
    "Mechanical properties of the coating, such as its shear modulus, decide whether it suppresses dendrites {c}.",
    "Many strategies, including electrolyte additives and three-dimensional hosts, have been explored {c}.",
    "The self-limiting surface reactions of {tech} give pinhole-free films even on rough foils {c}.",
    "Volume change of the {metal} anode during cycling stresses any rigid coating {c}.",
    "In situ {method} revealed the evolution of the interphase during the first cycles {c}.",
    "Hybrid inorganic-organic films combine flexibility with chemical stability {c}.",
)


def _background(rng: random.Random, n_refs: int, metal: str) -> str:
    template = rng.choice(BACKGROUND)
    return template.format(
        adj=rng.choice(
            ("fragile", "heterogeneous", "precise", "excellent", "unstable", "atomic-level")
        ),
        metal=rng.choice((metal, METALS[metal]["name"])),
        tech=rng.choice(("ALD", "MLD", "ALD and MLD")),
        ion=metal,
        mp={"Li": "180.5", "Na": "97.8", "K": "63.5"}[metal],
        method=rng.choice(METHODS),
        method2=rng.choice(METHODS),
        c=_cite(rng, n_refs),
    )


def _fact_sentences(study: Study, rng: random.Random) -> list[str]:
    """Sentences about one study's coating, consistent with its table row."""
    m = study.metal
    metal_word = rng.choice((f"{m} metal", f"{METALS[m]['name']} metal", f"{m} foil"))
    mat = _mat(study, rng, words=True)
    who = f"{study.authors[0].split(',')[0]} et al. [{study.ref}]"
    unit = render_unit("mA/cm2", rng)
    precs = [p for seq in study.recipe.sequences for p in seq]
    prec_text = " and ".join(dict.fromkeys(_prec(p, rng) for p in precs))
    temp_unit = render_unit("degC", rng)
    thick = num(study.thickness_nm, 1)
    gpc = num(study.thickness_nm / study.cycles, 2)
    tech = study.recipe.technique
    out = [
        rng.choice(
            (
                f"In {study.year}, {who} deposited a {thick} nm {mat} layer on {metal_word} by {tech} at {study.temp} {temp_unit}.",
                f"{who} reported that a {thick} nm-thick {mat} coating protected {metal_word} from the electrolyte.",
                f"A {mat} film of {thick} nm was grown on {metal_word} with {study.cycles} {tech} cycles [{study.ref}].",
            )
        ),
        rng.choice(
            (
                f"The {mat} process used {prec_text} at {study.temp} {temp_unit}, with a GPC of {gpc} nm/cycle [{study.ref}].",
                f"{prec_text} were the precursors of {mat}, and its growth per cycle was {gpc} nm/cycle at {study.temp} {temp_unit} [{study.ref}].",
            )
        ),
        rng.choice(
            (
                f"The {mat}-coated {m} cycled stably for more than {study.hours} h at {num(study.current)} {unit} in {_cell_phrase(study, rng)} [{study.ref}].",
                f"With an areal capacity of {num(rng.choice((0.25, 0.5, 1, 2)))} {render_unit('mAh/cm2', rng)}, the coated anode ran {study.cycle_life:,} cycles at {num(study.current)} {unit} [{study.ref}].",
                f"In {_electrolyte(study, rng)}, the coated electrode kept an overpotential of ~{study.overpotential} mV over {study.hours} h [{study.ref}].",
                f"The Coulombic efficiency reached {num(study.ce, 1)}% in {_cell_phrase(study, rng)} with {rng.choice((5, 10, 20, 50))} {render_unit('uL', rng)} of electrolyte [{study.ref}].",
            )
        ),
    ]
    if rng.random() < 0.5:
        out.append(
            f"Compared with bare {m}, whose overpotential rose after {rng.choice((50, 100, 150))} h, "
            f"the coating lowered the impedance measured by EIS [{study.ref}]."
        )
    if rng.random() < 0.2:
        low, high = rng.randint(10, 40), rng.randint(50, 90)
        out.append(
            f"The shear modulus of {render_formula(study.recipe.material, rng)} is {low}–{high} GPa, above that of {m} [{study.ref}]."
        )
    return out


def _paragraph(rng: random.Random, n_refs: int, metal: str, studies: Sequence[Study]) -> str:
    sentences: list[str] = []
    for study in studies:
        sentences.extend(_fact_sentences(study, rng))
    while len(sentences) < rng.randint(6, 11):
        sentences.insert(rng.randint(0, len(sentences)), _background(rng, n_refs, metal))
    return " ".join(sentences)


def _figure(number: int, study: Study, rng: random.Random) -> str:
    _venue, publisher = rng.choice(VENUES)
    mat = _mat(study, rng)
    return (
        f"Figure {number}. (a) Cycling of symmetric cells using bare {study.metal} and {num(study.thickness_nm, 1)} nm "
        f"{mat}-coated {study.metal} at {num(study.current)} {render_unit('mA/cm2', rng)}, and (b) SEM images after "
        f"{rng.choice((50, 100, 200))} cycles [{study.ref}]. Reproduced with permission [{study.ref}]. "
        f"Copyright {study.year}, {publisher}."
    )


def _reference(n: int, rng: random.Random, study: Study | None) -> str:
    year = study.year if study else rng.randint(1979, 2024)
    authors = (
        study.authors
        if study
        else [
            f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPQRSTWXYZ')}."
            for _ in range(rng.randint(1, 9))
        ]
    )
    words = rng.sample(TITLE_WORDS, rng.randint(4, 8))
    if study:
        words.insert(1, study.recipe.material)
        words.append(f"{METALS[study.metal]['name']} metal anodes")
    title = " ".join(words)
    title = title[0].upper() + title[1:]
    venue, _ = rng.choice(VENUES)
    first = rng.randint(100, 9000)
    return (
        f"{n}. {'; '.join(authors)} {title}. *{venue}* **{year}**, *{rng.randint(1, 60)}*, "
        f"{first}–{first + rng.randint(5, 15)}. [[CrossRef](#)]"
    )


# --------------------------------------------------------------------------- documents


SECTION_TITLES = {
    "ALD": "Surface Modifications on {M} Metal via ALD",
    "MLD": "Surface Modifications on {M} Metal via MLD",
    "ALD/MLD": "Dual Layered Coatings on {M} Metal via ALD and MLD",
}
SUBSECTION_TITLES = {
    "oxide": "Oxide Coatings",
    "fluoride": "Fluoride Coatings",
    "phosphate": "Phosphate Coatings",
    "sulfide": "Sulfide Coatings",
    "metalcone": "Metalcone Coatings",
    "organic": "Purely Organic Coatings",
    "dual": "Dual-Layer Coatings",
}


def generate_document(seed: int, index: int, *, target_chars: int = TARGET_CHARS) -> str:
    """The text of synthetic document ``index`` for ``seed`` (~``target_chars`` characters)."""
    rng = random.Random(f"ald-kg-bench/{seed}/{index}")
    metal = rng.choices(("Li", "Na", "K"), (6, 3, 1))[0]
    metal_name = METALS[metal]["name"]
    n_tables = rng.randint(1, 3)
    techniques = (
        [rng.choice(("ALD", "MLD"))] if n_tables == 1 else ["ALD", "MLD", "ALD/MLD"][:n_tables]
    )
    n_refs = rng.randint(110, 150)
    next_ref = rng.randint(40, 70)

    groups: list[tuple[str, list[Study]]] = []
    for tech in techniques:
        recipes = [r for r in RECIPES if r.technique == tech]
        if metal != "Li":
            recipes = [r for r in recipes if not r.material.startswith("Li")] or recipes
        studies = []
        for _ in range(rng.randint(3, 10) if tech != "ALD/MLD" else rng.randint(2, 4)):
            studies.append(_make_study(rng, next_ref, rng.choice(recipes), metal))
            next_ref += rng.randint(1, 3)
        groups.append((tech, studies))
    n_refs = max(n_refs, next_ref + 10)
    all_studies = {s.ref: s for _, ss in groups for s in ss}

    title_word = rng.choice(
        ("Atomic and Molecular Layer Deposition", "Vapor-Phase Thin Films", "Nanoscale Coatings")
    )
    out: list[str] = [
        "Review",
        "",
        f"{title_word} for Stable {metal_name.capitalize()} Metal Anodes: A Synthetic Survey No. {seed}-{index}",
        "",
        f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}, {rng.choice(SURNAMES)} {rng.choice(SURNAMES)} and "
        f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)} ^{{*}}",
        "",
        "Department of Materials Engineering, Example University, Springfield, USA",
        "",
        "Abstract: "
        + " ".join(_background(rng, n_refs, metal).rsplit(" [", 1)[0] + "." for _ in range(5)),
        "",
        f"Keywords: atomic layer deposition; molecular layer deposition; {metal_name} metal; surface coating",
        "",
        f"Received: {rng.randint(1, 28)} March {max(s.year for s in all_studies.values()) + 1}",
        "",
    ]
    section = 1
    out += [f"{section}. Introduction", ""]
    for _ in range(rng.randint(3, 5)):
        out += [_paragraph(rng, n_refs, metal, []), ""]
    section += 1
    out += [f"{section}. Mechanisms and Characteristics of ALD and MLD", ""]
    for _ in range(rng.randint(2, 4)):
        out += [_paragraph(rng, n_refs, metal, []), ""]
    figure_no = 0
    for table_no, (tech, studies) in enumerate(groups, 1):
        section += 1
        out += [f"{section}. " + SECTION_TITLES[tech].format(M=metal_name.capitalize()), ""]
        out += [_paragraph(rng, n_refs, metal, studies[:1]), ""]
        out += [render_table(table_no, tech, metal, studies, rng)]
        kinds = list(dict.fromkeys(s.recipe.kind for s in studies))
        for sub, kind in enumerate(kinds, 1):
            out += [f"{section}.{sub}. {SUBSECTION_TITLES[kind]}", ""]
            members = [s for s in studies if s.recipe.kind == kind]
            for s in members:
                out += [_paragraph(rng, n_refs, metal, [s]), ""]
                if rng.random() < 0.4:
                    figure_no += 1
                    out += [_figure(figure_no, s, rng), ""]
    section += 1
    out += [f"{section}. Conclusions and Outlook", ""]
    references = [_reference(n, rng, all_studies.get(n)) for n in range(1, n_refs + 1)]
    size = sum(len(line) + 1 for line in (*out, *references))
    while size < target_chars:
        para = _paragraph(rng, n_refs, metal, [])
        out += [para, ""]
        size += len(para) + 2
    out += ["References", "", *references]
    return "\n".join(out) + "\n"


def write_corpus(
    out_dir: Path, docs: int, seed: int = 0, *, target_chars: int = TARGET_CHARS
) -> list[Path]:
    """Write ``docs`` documents to ``out_dir`` (skipping identical existing files); their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i in range(docs):
        path = out_dir / f"synthetic-s{seed}-{i:04d}.txt"
        text = generate_document(seed, i, target_chars=target_chars)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10, help="number of documents (default 10)")
    parser.add_argument("--out", type=Path, default=Path("artifacts/synth"), help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--chars", type=int, default=TARGET_CHARS, help="target characters per document"
    )
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.docs, args.seed, target_chars=args.chars)
    total = sum(p.stat().st_size for p in paths)
    print(f"Wrote {len(paths)} documents ({total / 1e6:.1f} MB) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
