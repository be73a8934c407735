"""Tests for ingest.structure: headings, sentences, captions, tables, glossary, references."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import ingest.structure
from ingest.normalize import normalize
from ingest.records import IngestError, StructuredDocument
from ingest.structure import citations_in, doc_id_for, parse_reference, structure

CORPUS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/corpus/ald-mld-alkali-metal-anodes-review.txt"
)

SMALL = """Review

Thin Films on Alkali Metal Anodes: A Short Review

Abstract: Coatings made by ALD protect Li metal [1]. They also help Na metal.

Citation: Doe, J. A made-up review.

1. Introduction

Kozen et al. [30] coated Li with Al ₂ O ₃ in 2015, e.g. 14 nm thick (Fig. 1). The film was
stable vs. bare Li at 1 mA cm^{-2} for 2.5 h [97,98]. Li@25Al2O3 kept its shape [113–115].

The coating was grown at a low temperature of

65 °C in dimethoxyethane (DME) with tetrakis(dimethylamino)zirconium (TDMAZ) [107] /K [50].

Figure 1. SEM of Al_2O_3 -coated Li [30].

3.1.2. Fluoride Coatings

LiF coatings were made from LTB and HF [89].

Table 1. Summary of coatings.

No.\tMaterial\tTemp./(°C)\tYear\tRef.
1\tAl ₂ O ₃\t150\t2015\t[30]
2\tLiF\t135
3\tAIEG\t85\t2018\t[113]\textra note

TMA = trimethylaluminum, TMP = Trimethyl phosphate TTIP = Titanium (IV) isoprop-oxide.

The electrolyte was 1 M LiPF6 in EC/EMC (EC = ethylene carbonate, EMC = ethyl methyl carbonate).

References

1. Kazyak, E.; Wood, K.N.; Dasgupta, N.P. Improved cycle life. *Chem. Mater.* **2015**, *27*, 6457–6462. [[CrossRef](#)]

2. Tarascon, J.M.; Armand, M. Issues and challenges. In *Materials for Sustainable Energy*; Macmillan: London, UK,
2010; pp. 171–179.
3. Luo, W.; Hu, L.; et al. A coating. *Adv. Energy Mater.* **2017**, *7*, 1601526. https://doi.org/10.1002/aenm.201601526
"""


@pytest.fixture(scope="module")
def small() -> StructuredDocument:
    return structure(normalize(SMALL), doc_id="small", path="small.txt")


@pytest.fixture(scope="module")
def corpus() -> StructuredDocument:
    if not CORPUS.exists():
        pytest.skip("corpus not present")
    return structure(normalize(CORPUS.read_text(encoding="utf-8")), doc_id="c", path=str(CORPUS))


def test_title_skips_one_word_lines(small: StructuredDocument) -> None:
    assert small.title == "Thin Films on Alkali Metal Anodes: A Short Review"


def test_sections(small: StructuredDocument) -> None:
    headings = [h for h, _, _ in small.sections]
    assert headings == ["Abstract", "1. Introduction", "3.1.2. Fluoride Coatings", "References"]
    for (_, _, end), (_, start, _) in zip(small.sections, small.sections[1:], strict=False):
        assert end == start


@pytest.mark.parametrize(
    ("fragment", "section", "citations"),
    [
        ("Coatings made by ALD protect Li metal [1].", "Abstract", (1,)),
        (
            "Kozen et al. [30] coated Li with Al2O3 in 2015, e.g. 14 nm thick (Fig. 1).",
            "1. Introduction",
            (30,),
        ),
        ("stable vs. bare Li at 1 mA cm-2 for 2.5 h [97,98].", "1. Introduction", (97, 98)),
        ("Li@25Al2O3 kept its shape [113–115].", "1. Introduction", (113, 114, 115)),
        ("65 °C in dimethoxyethane", "1. Introduction", (107, 50)),
        ("LiF coatings were made from LTB and HF [89].", "3.1.2. Fluoride Coatings", (89,)),
    ],
)
def test_sentences(
    small: StructuredDocument, fragment: str, section: str, citations: tuple[int, ...]
) -> None:
    matches = [s for s in small.sentences if fragment in s.text]
    assert len(matches) == 1, [s.text for s in small.sentences]
    sentence = matches[0]
    assert sentence.section == section
    assert sentence.citations == citations
    assert small.text[sentence.start : sentence.end].replace("\n", " ") == sentence.text


def test_sentences_skip_metadata_captions_tables_glossary_refs(small: StructuredDocument) -> None:
    texts = " ".join(s.text for s in small.sentences)
    for absent in ("Citation:", "Figure 1.", "Table 1.", "TMA =", "Kazyak, E.", "\t", "AlEG"):
        assert absent not in texts, absent
    assert [s.index for s in small.sentences] == list(range(len(small.sentences)))


def test_broken_paragraph_is_joined(small: StructuredDocument) -> None:
    joined = [s for s in small.sentences if s.text.startswith("The coating was grown")]
    assert len(joined) == 1 and "(TDMAZ)" in joined[0].text


def test_sentence_span_maps_to_original(small: StructuredDocument) -> None:
    sentence = next(s for s in small.sentences if "Kozen" in s.text)
    span = small.span(sentence.start, sentence.end, sentence=sentence.index)
    assert "Al ₂ O ₃" in SMALL[span.start : span.end]
    assert SMALL[span.start : span.end].startswith("Kozen et al.")


def test_captions(small: StructuredDocument) -> None:
    (caption,) = small.captions
    assert (caption.kind, caption.number, caption.citations) == ("Figure", 1, (30,))
    assert caption.text == "Figure 1. SEM of Al2O3-coated Li [30]."


def test_table(small: StructuredDocument) -> None:
    (table,) = small.tables
    assert table.number == 1 and table.caption == "Table 1. Summary of coatings."
    assert table.header == ("No.", "Material", "Temp./(°C)", "Year", "Ref.")
    assert table.section == "3.1.2. Fluoride Coatings"
    assert [r.number for r in table.rows] == [1, 2, 3]
    assert table.rows[0].cells == ("1", "Al2O3", "150", "2015", "[30]")
    assert table.rows[1].cells == ("2", "LiF", "135", "", "")  # padded, not dropped
    assert table.rows[2].cells == ("3", "AlEG", "85", "2018", "[113] extra note")  # merged
    assert small.text[table.rows[0].start : table.rows[0].end].startswith("1\tAl2O3")
    glossary = {g.abbreviation: g.full_name for g in table.glossary}
    assert glossary == {
        "TMA": "trimethylaluminum",
        "TMP": "Trimethyl phosphate",
        "TTIP": "Titanium (IV) isoprop-oxide",
    }


@pytest.mark.parametrize(
    ("abbreviation", "full_name"),
    [
        ("TMA", "trimethylaluminum"),
        ("TTIP", "Titanium (IV) isoprop-oxide"),
        ("EC", "ethylene carbonate"),
        ("EMC", "ethyl methyl carbonate"),
        ("DME", "dimethoxyethane"),
        ("TDMAZ", "tetrakis(dimethylamino)zirconium"),
    ],
)
def test_glossary(small: StructuredDocument, abbreviation: str, full_name: str) -> None:
    entries = [g for g in small.glossary if g.abbreviation == abbreviation]
    assert any(g.full_name == full_name for g in entries), entries
    entry = next(g for g in entries if g.full_name == full_name)
    assert small.text[entry.start : entry.end].count(abbreviation) >= 1


def test_references(small: StructuredDocument) -> None:
    refs = {r.number: r for r in small.references}
    assert sorted(refs) == [1, 2, 3]
    assert refs[1].authors == ("Kazyak, E.", "Wood, K.N.", "Dasgupta, N.P.")
    assert (refs[1].title, refs[1].venue, refs[1].year) == (
        "Improved cycle life",
        "Chem. Mater.",
        2015,
    )
    assert "CrossRef" not in refs[1].text
    assert (refs[2].venue, refs[2].year, refs[2].title) == (
        "Materials for Sustainable Energy",
        2010,
        "Issues and challenges",
    )
    assert refs[2].text.endswith("pp. 171–179.")
    assert refs[3].authors == ("Luo, W.", "Hu, L.") and refs[3].year == 2017
    assert refs[3].doi == "10.1002/aenm.201601526"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[94]", (94,)),
        ("[97,98]", (97, 98)),
        ("[113–115]", (113, 114, 115)),
        ("[2–6, 9]", (2, 3, 4, 5, 6, 9)),
        ("[107] /K [50]", (107, 50)),
        ("[†] and [a]", ()),
    ],
)
def test_citations_in(text: str, expected: tuple[int, ...]) -> None:
    assert citations_in(text) == expected


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        (
            "../shared/corpus/ald-mld-alkali-metal-anodes-review.txt",
            "ald-mld-alkali-metal-anodes-review",
        ),
        ("/tmp/My Review (2022).TXT", "my-review-2022"),
        ("___.txt", "document"),
    ],
)
def test_doc_id_for(path: str, slug: str) -> None:
    assert doc_id_for(path) == slug


def test_book_reference_year_is_last_year() -> None:
    ref = parse_reference(
        4, "Wu, Y. *Lithium-ion Batteries*; CRC Press: Boca Raton, FL, USA, 2015; Volume 4.", 0, 0
    )
    assert (ref.authors, ref.title, ref.venue, ref.year) == (
        ("Wu, Y.",),
        None,
        "Lithium-ion Batteries",
        2015,
    )


@pytest.mark.parametrize(
    "text",
    ["", "\n\n  \n", "Review\n\nReferences\n\n1. Doe, J. A title. *J. Chem.* **2020**, *1*, 2.\n"],
)
def test_no_sentences_raises_naming_the_path(text: str) -> None:
    with pytest.raises(IngestError, match=r"empty\.txt"):
        structure(normalize(text), doc_id="empty", path="empty.txt")


def test_doctests() -> None:
    result = doctest.testmod(ingest.structure)
    assert result.attempted > 0
    assert result.failed == 0


def test_corpus_tables(corpus: StructuredDocument) -> None:
    assert [t.number for t in corpus.tables] == [1, 2, 3, 4, 5]
    assert [len(t.rows) for t in corpus.tables] == [10, 3, 6, 2, 2]
    assert corpus.tables[0].header[:2] == ("No.", "Material")
    assert corpus.tables[1].header[0] == "Material"
    assert all(len(r.cells) == len(t.header) for t in corpus.tables for r in t.rows)


def test_corpus_references(corpus: StructuredDocument) -> None:
    refs = {r.number: r for r in corpus.references}
    assert sorted(refs) == list(range(1, 135))
    assert all(r.year is not None for r in refs.values())
    assert refs[94].year == 2017
    assert refs[85].authors[0] == "Kazyak, E."


def test_corpus_glossary_and_citations(corpus: StructuredDocument) -> None:
    glossary = {(g.abbreviation, g.full_name) for g in corpus.glossary}
    assert ("TMA", "trimethylaluminum") in glossary
    assert any(a == "TTIP" for a, _ in glossary)
    assert any(111 in s.citations for s in corpus.sentences)
    assert {c.kind for c in corpus.captions} == {"Figure", "Scheme"}


CSV_REVIEW = """A short digest of films on alkali metals

I. LITHIUM

I.1 Oxides

Films of ZnO were grown by ALD on lithium (Abe et al., 2019). The coated metal cycled well.

Table 1 (CSV). Columns: study, film, route, T_dep_C, headline result
"Abe 2019",ZnO,ALD,120,"> 300 h at 1 mA cm-2; low overpotential"
"Lind 2020",Al2O3,"PE-ALD",n.r.,n.r.

II. SODIUM

Sodium needs colder processes.

References

[1] Abe, K., & Lind, M. (2019). A first film. Journal of Tests, 4, 10.
[2] Lind, M. (2020). A second film. Journal of Tests, 5, 11.
"""


def test_roman_headings_and_a_comma_separated_table() -> None:
    doc = structure(normalize(CSV_REVIEW), doc_id="d", path="d.txt")
    headings = [h for h, _, _ in doc.sections]
    assert headings[:3] == ["I. LITHIUM", "I.1 Oxides", "II. SODIUM"]
    (table,) = doc.tables
    assert table.header[:3] == ("study", "film", "route") and len(table.header) == 5
    assert [r.cells[0] for r in table.rows] == ["Abe 2019", "Lind 2020"]
    assert table.rows[0].cells[4] == "> 300 h at 1 mA cm-2; low overpotential"
    assert table.section == "I.1 Oxides"
    assert not any("Abe 2019" in s.text for s in doc.sentences)


def test_prose_after_a_caption_is_not_a_csv_table() -> None:
    text = CSV_REVIEW.replace(
        '"Abe 2019",ZnO,ALD,120,"> 300 h at 1 mA cm-2; low overpotential"\n'
        '"Lind 2020",Al2O3,"PE-ALD",n.r.,n.r.',
        "Films of ZnO, Al2O3 and TiO2 were compared, and the thinnest one lasted longest.",
    )
    doc = structure(normalize(text), doc_id="d", path="d.txt")
    assert not doc.tables[0].rows
    assert any("thinnest" in s.text for s in doc.sentences)


def test_a_csv_table_may_list_its_columns_on_the_line_under_the_caption() -> None:
    text = CSV_REVIEW.replace("Table 1 (CSV). Columns: study", "Table 1 (CSV).\nColumns: study")
    doc = structure(normalize(text), doc_id="d", path="d.txt")
    (table,) = doc.tables
    assert table.header[0] == "study" and len(table.header) == 5
    assert [r.cells[0] for r in table.rows] == ["Abe 2019", "Lind 2020"]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("I. Introduction", True),
        ("II.1 Alumina on sodium", True),
        ("I. Kim, V. Park", False),  # a byline whose initials look Roman
        ("X. Li and Y. Sun", False),
        ("A. Films grown on solid electrolytes", True),  # a lettered section
        ("D. Mentioned for contrast, not counted", True),
        ("M. Ferreira · Notes on Interfaces · 2026", False),  # a byline with one initial
        ("A. Kozen", False),
    ],
)
def test_roman_headings_are_not_bylines(line: str, heading: bool) -> None:
    from ingest.structure import _is_heading

    assert _is_heading(line) is heading


@pytest.mark.parametrize(
    "abstract",
    [
        "Background: Lithium corrodes in air. Methods: A film was grown by ALD on the foil. "
        "Results: The cells ran for 300 h.",
        "Background Lithium corrodes in air. Methods A film was grown by ALD on the foil. "
        "Results The cells ran for 300 h.",
        "BackgroundLithium corrodes in air.MethodsA film was grown by ALD on the foil."
        "Significant FindingsThe cells ran for 300 h.",
    ],
    ids=["colon", "space", "glued"],
)
def test_structured_abstract_labels_are_no_part_of_sentences(abstract: str) -> None:
    text = f"A title of the paper\n\nAbstract\n\n{abstract}\n"
    doc = structure(normalize(text), doc_id="s", path="s.txt")
    assert [s.text for s in doc.sentences] == [
        "Lithium corrodes in air.",
        "A film was grown by ALD on the foil.",
        "The cells ran for 300 h.",
    ]


def test_a_label_word_in_running_prose_stays() -> None:
    text = "A title of the paper\n\nAbstract\n\nResults show that the film held. Summary tables follow.\n"
    doc = structure(normalize(text), doc_id="s", path="s.txt")
    assert [s.text for s in doc.sentences] == [
        "Results show that the film held.",
        "Summary tables follow.",
    ]


CARDS = """A card index of films

A. Films on the metal

* Zinc oxide on lithium. ZnO was grown by ALD on lithium foil [1].
* Alumina on sodium. Al2O3 covered sodium foil after 20 ALD cycles [2].
- Titania on copper. TiO2 was deposited by ALD on a copper foam [1].

References

[1] Abe, K., & Lind, M. (2019). A first film. Journal of Tests, 4, 10.
[2] Lind, M. (2020). A second film. Journal of Tests, 5, 11.
"""


def test_each_list_item_is_a_paragraph_of_its_own() -> None:
    doc = structure(normalize(CARDS), doc_id="d", path="d.md")
    assert next(h for h, _, _ in doc.sections) == "A. Films on the metal"
    paragraphs: dict[int, list[str]] = {}
    for s in doc.sentences:
        paragraphs.setdefault(s.paragraph, []).append(s.text)
    assert list(paragraphs.values()) == [
        ["Zinc oxide on lithium.", "ZnO was grown by ALD on lithium foil [1]."],
        ["Alumina on sodium.", "Al2O3 covered sodium foil after 20 ALD cycles [2]."],
        ["Titania on copper.", "TiO2 was deposited by ALD on a copper foam [1]."],
    ]
