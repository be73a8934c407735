"""Tests for ingest.normalize: each rewrite rule, the offset map, and speed on the corpus."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ingest.normalize
from ingest.normalize import normalize

CORPUS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/corpus/ald-mld-alkali-metal-anodes-review.txt"
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Unicode subscripts and superscripts
        ("Al ₂ O ₃", "Al2O3"),
        ("Li-O₂", "Li-O2"),
        ("Li₁₀SnP₂S₁₂", "Li10SnP2S12"),
        ("Li ₁₀ SnP ₂ S ₁₂ electrolyte", "Li10SnP2S12 electrolyte"),
        ("Li ₂ S and Li ₂ O", "Li2S and Li2O"),
        ("Al ₂ O ₃ ALD", "Al2O3 ALD"),
        ("H ₂ O pulse", "H2O pulse"),
        ("1 M LiPF ₆ -EC/EMC", "1 M LiPF6-EC/EMC"),
        ("1 mA cm⁻²", "1 mA cm-2"),
        ("150 mAh g ⁻¹", "150 mAh g-1"),
        ("1200 mAhg ⁻¹", "1200 mAhg-1"),
        ("Li⁺ flux", "Li+ flux"),
        ("3.65 × 10⁻⁸", "3.65 × 10^-8"),
        # LaTeX fragments
        ("Al_2O_3", "Al2O3"),
        ("Li_xAl_yS", "LixAlyS"),
        ("Li _x Al _y S", "LixAlyS"),
        ("LiAlO _x", "LiAlOx"),
        (r"$\text{Li}_x\text{Al}_y\text{S}$", "LixAlyS"),
        (r"$\text{Li}_{10}\text{SnP}_2\text{S}_{12}$", "Li10SnP2S12"),
        ("5 mA cm^{-2}", "5 mA cm-2"),
        ("S cm^{-1}", "S cm-1"),
        ("10^{-12}", "10^-12"),
        (r"2.5 \times 10^{-7}", "2.5 × 10^-7"),
        (r"$\sim 130 \text{ mV}$", "~130 mV"),
        (r"$120\text{ }^\circ\text{C}$", "120 °C"),
        (r"($^{\circ}$ C)", "(°C)"),
        (r"($^{\circ}\text{C}$)", "(°C)"),
        (r"1 \AA/cycle", "1 Å/cycle"),
        (r"$\text{\AA}/\text{cycle}$", "Å/cycle"),
        (r"$5 \mu\text{L}$", "5 μL"),
        (r"$40\text{ }\mu\text{m}$", "40 μm"),
        ("Li^+", "Li+"),
        ("Sn^{4+}", "Sn4+"),
        ("H_2O", "H2O"),
        ("CH_4", "CH4"),
        ("LiPF_6", "LiPF6"),
        ("Na_3SbS_4", "Na3SbS4"),
        ("LiCo $_2$", "LiCo2"),
        ("Al_2O_3 -coated Li", "Al2O3-coated Li"),
        ("ZrO_2 -coated", "ZrO2-coated"),
        # units, dashes and ranges
        ("1 mA/cm2", "1 mA cm-2"),
        ("1 mA cm\u22122", "1 mA cm-2"),
        ("1 mA cm-2", "1 mA cm-2"),
        ("2–3 nm", "2–3 nm"),
        ("160–180", "160–180"),
        ("0.82–0.88", "0.82–0.88"),
        ("2 - 3 nm", "2–3 nm"),
        ("160 – 180 °C", "160–180 °C"),
        ("potentials of -3.04 , -2.73 V", "potentials of -3.04 , -2.73 V"),
        ("Li-O2 and MoS2-3D", "Li-O2 and MoS2-3D"),
        ("~90%, >50 nm, ≥ 99%, <5, ≤ 2 °C", "~90%, >50 nm, ≥ 99%, <5, ≤ 2 °C"),
        # spaces
        ("a\u00a0b", "a b"),
        ("a   b", "a b"),
        ("a \t b\tc", "a\tb\tc"),
        ("line one  \n\n  line two", "line one\n\nline two"),
        # OCR confusion from the vocabulary
        ("AIEG", "AlEG"),
        ("the AIEG/Al2O3 film and AIEG-coated Li", "the AlEG/Al2O3 film and AlEG-coated Li"),
        ("AIF ₃ coating", "AlF3 coating"),
        ("AI and CAIEGX stay", "AI and CAIEGX stay"),
    ],
)
def test_rewrites(raw: str, clean: str) -> None:
    assert normalize(raw).text == clean


@pytest.mark.parametrize(
    "raw",
    [
        "Al ₂ O ₃ -coated Li at 1 mA cm^{-2} for 2 - 3 h",
        r"$\text{Li}_{10}\text{SnP}_2\text{S}_{12}$ and $\sim 130 \text{ mV}$",
        "AIEG\u00a0film  at ($^{\\circ}$ C)",
        "",
    ],
)
def test_offsets_cover_every_char_and_the_end(raw: str) -> None:
    n = normalize(raw)
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(raw)
    assert list(n.offsets) == sorted(n.offsets)
    assert all(0 <= o <= len(raw) for o in n.offsets)


@pytest.mark.parametrize(
    ("raw", "clean_span", "original_span"),
    [
        ("Thin Al ₂ O ₃ films", "Al2O3", "Al ₂ O ₃"),
        ("on Al_2O_3 -coated Li", "Al2O3-coated", "Al_2O_3 -coated"),
        ("at 5 mA cm^{-2} in", "5 mA cm-2", "5 mA cm^{-2}"),
        ("the AIEG layer", "AlEG", "AIEG"),
        ("from 2 - 3 nm", "2–3", "2 - 3"),
    ],
)
def test_span_maps_back_to_original(raw: str, clean_span: str, original_span: str) -> None:
    n = normalize(raw)
    start = n.text.index(clean_span)
    o_start, o_end = n.to_original(start, start + len(clean_span))
    assert raw[o_start:o_end] == original_span


def test_unchanged_characters_map_to_themselves() -> None:
    raw = "Li ₂ S at 1 mA cm ⁻² (20 cycles)"
    n = normalize(raw)
    for i, ch in enumerate(n.text):
        if ch.isascii() and ch.isalpha():
            assert raw[n.offsets[i]] == ch


def test_doctests() -> None:
    result = doctest.testmod(ingest.normalize)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not present")
def test_corpus_is_clean() -> None:
    # Speed is measured in bench/, not asserted here: the machines are noisy.
    original = CORPUS.read_text(encoding="utf-8")
    n = normalize(original)
    for noise in ("\\text", "$", "_2", "^{", "₂", "⁻", "AIEG", "\u00a0"):
        assert noise not in n.text, noise
    assert "Li10SnP2S12" in n.text
    assert "\t" in n.text


def test_markdown_pipe_table_becomes_a_tab_table() -> None:
    text = "**Table 1.** Coatings.\n\n| Ref. | Coating |\n|---|:---:|\n| [4] | HfO_2 |\n\nLi||Cu cells."
    clean = normalize(text).text
    assert "Table 1. Coatings." in clean
    assert "Ref.\tCoating\n[4]\tHfO2\n" in clean
    assert "---" not in clean
    assert "Li||Cu cells." in clean  # pipes inside prose are left alone


def test_markdown_heading_marks_are_dropped() -> None:
    assert normalize("## 3.1. Oxide Coatings\n").text == "3.1. Oxide Coatings\n"
