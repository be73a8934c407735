"""The vocabulary matcher: the spaCy component, its tokenizer and patterns from the vocabulary."""

from __future__ import annotations

import pytest

from ingest.prose import VocabularyMatcher
from kg.vocab import Concept, Vocabulary, load_vocabulary


def test_new_vocabulary_term_is_matched() -> None:
    base = load_vocabulary()
    new = "https://w3id.org/ald-kg/vocab/MoS2"
    g = base.graph
    concept = Concept(str(new), "Material", "MoS2")
    vocab = Vocabulary(g, {**base.concepts, str(new): concept}, base.material_classes)
    mentions = VocabularyMatcher(vocab).pipe(["A MoS2-coated Li anode."])[0]
    assert ("Material", "MoS2") in {(m.kind, m.label) for m in mentions}


def test_pipeline_component_sets_entities() -> None:
    matcher = VocabularyMatcher(load_vocabulary())
    text = "A 10 nm Al2O3-coated Li anode, PCNF@SnO2 and Na@25Al2O3 in 1 M LiPF6."
    assert "vocabulary_entities" in matcher.nlp.pipe_names
    doc = matcher.nlp(text)
    expected = [(m.kind, m.concept.iri, m.start, m.end) for m in matcher.find(text)]
    assert [(e.label_, e.kb_id_, e.start_char, e.end_char) for e in doc.ents] == expected
    assert ("Material", "SnO2") in {(e.label_, e.text) for e in doc.ents}
    piped = [(m.kind, m.start, m.end) for m in matcher.pipe([text])[0]]
    assert piped == [(k, s, e) for k, _, s, e in expected]


@pytest.mark.parametrize(
    "text", [" leading space", "two  spaces\tand a tab\n", "Al2O3 ", "", "x\u00a0y"]
)
def test_boundary_tokenizer_keeps_text(text: str) -> None:
    nlp = VocabularyMatcher(load_vocabulary()).nlp
    assert nlp.make_doc(text).text == text


def test_text_over_spacy_max_length_is_read_in_pieces() -> None:
    matcher = VocabularyMatcher(load_vocabulary())
    filler = "word " * 230_000  # 1.15 million characters, over spaCy's max_length
    text = f"Al2O3 on Li. {filler}TiO2 film. {filler}ZnO-coated Na."
    found = [(m.label, text[m.start : m.end]) for m in matcher.pipe([text])[0]]
    assert found == [
        ("Al2O3", "Al2O3"),
        ("Li", "Li"),
        ("TiO2", "TiO2"),
        ("ZnO", "ZnO"),
        ("Na", "Na"),
    ]


def test_term_across_a_piece_boundary_is_found_once() -> None:
    from ingest.prose import matcher as module

    matcher = VocabularyMatcher(load_vocabulary())
    text = " ".join(["atomic layer deposition"] * 20_000)
    assert len(text) > module.PIECE_CHARS
    mentions = matcher.pipe([text])[0]
    assert len(mentions) == 20_000
    assert all(text[m.start : m.end] == "atomic layer deposition" for m in mentions)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "a fragile solid electrolyte interphase (SEI) forms",
            ("ElectrolyteFamily", "solid-state"),
        ),
        ("thin enough to pass Na+ ions", ("Substrate", "Na")),
        ("run between 3.0 and 4.6 V vs Li/Li+", ("CellType", "symmetric")),
        ("garnet Li-ion conductors", ("Substrate", "Li")),
    ],
)
def test_phrases_that_contain_a_term_are_not_that_term(text: str, absent: tuple) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert absent not in {(m.kind, m.label) for m in mentions}


def test_metal_and_solid_electrolyte_are_still_found() -> None:
    text = "Li metal in a solid-state electrolyte cell; Li/Li symmetric cells"
    found = {(m.kind, m.label) for m in VocabularyMatcher(load_vocabulary()).pipe([text])[0]}
    assert {
        ("Substrate", "Li"),
        ("ElectrolyteFamily", "solid-state"),
        ("CellType", "symmetric"),
    } <= found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a zno interlayer", ("Material", "ZnO")),
        ("AL2O3 films", ("Material", "Al2O3")),
        ("al2o3-coated foil", ("Material", "Al2O3")),
        ("plasma-enhanced atomic layer depostion", ("Technique", "plasma-enhanced ALD")),
        ("molecular layer deposiiton of alucone", ("Technique", "MLD")),
    ],
)
def test_case_and_typo_tolerant_where_safe(text: str, expected: tuple[str, str]) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert expected in {(m.kind, m.label) for m in mentions}
    for m in mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", ["li metal", "na foil", "tma pulses", "the Sn content"])
def test_symbols_and_acronyms_keep_their_case(text: str) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert not [m for m in mentions if m.text.lower() in {"li", "na", "tma", "sn"}]


def test_real_words_are_not_corrected() -> None:
    text = "the deposited film and the depositions, with symmetric and asymmetric cells"
    fixer = VocabularyMatcher(load_vocabulary())._typos
    assert fixer.fix(text) is None


def _sentences_of_shared_documents() -> list[str]:
    from ingest.normalize import normalize
    from ingest.readers import read_path
    from ingest.structure import structure
    from kg.pipeline import find_documents
    from tests.paths import CORPUS_DIR, SHARED

    texts = []
    for path in find_documents([CORPUS_DIR, SHARED / "devset" / "docs"]):
        for source in read_path(path):
            doc = structure(normalize(source.text), doc_id=source.doc_id, path=source.path)
            texts.extend(s.text for s in doc.sentences)
    return texts


def test_pipe_gives_the_entities_the_spacy_component_sets() -> None:
    """``pipe`` reads mentions without making Docs; on every sentence of the review and the
    dev documents they are the ones the pipeline's ``doc.ents`` hold (typos repaired first)."""
    matcher = VocabularyMatcher(load_vocabulary())
    texts = _sentences_of_shared_documents()
    assert len(texts) > 500
    fixed = 0
    for text, piped in zip(texts, matcher.pipe(texts), strict=True):
        repaired = matcher._typos.fix(text)
        clean = text if repaired is None else repaired[0]
        fixed += repaired is not None
        via_doc = [(m.kind, m.label, m.text) for m in matcher.mentions(matcher.nlp(clean))]
        assert [(m.kind, m.label) for m in piped] == [(k, lab) for k, lab, _ in via_doc]
        if repaired is None:
            assert [(m.text, m.start, m.end, m.concept) for m in piped] == [
                (m.text, m.start, m.end, m.concept) for m in matcher.mentions(matcher.nlp(text))
            ]
    assert fixed < len(texts)


def test_typo_corrections_are_remembered_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.prose import matcher as module

    fixer = module.TypoFixer(["atomic layer deposition"])
    monkeypatch.setattr(module, "_SEEN_MAX", 2)
    assert fixer.correct("depostion") == "deposition"
    assert fixer.correct("depostion") == "deposition"
    assert fixer.correct("elsewhere") is None
    assert fixer.correct("decomposition") is None  # a real word further away
    assert len(fixer._seen) <= 2


@pytest.mark.parametrize(
    "text",
    [
        "sodium fluoride films",
        "from sodium tert-butoxide and water",
        "lithium tert-butoxide pulses",
        "a potassium hydroxide etch",
        "lithium carbonate in the SEI",
        "rechargeable lithium-ion batteries",
        "Lithium ion diffusion",
        "sodium salts in ether",
        "a lithium-conducting ceramic",
        "Li-rich layered oxides",
        "a Na:F ratio of 1:1",
    ],
)
def test_element_word_inside_a_compound_is_not_the_metal(text: str) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert not [m for m in mentions if m.kind == "Substrate"], mentions


@pytest.mark.parametrize(
    "text", ["coated sodium foil", "lithium substrates", "a lithium plate", "bare lithium"]
)
def test_metal_words_still_name_the_metal(text: str) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert [m.kind for m in mentions] == ["Substrate"]


@pytest.mark.parametrize(
    ("text", "materials"),
    [
        ("a conformal TiN layer grown by ALD", ["TiN"]),
        ("Ta2O5 and AlN films", ["Ta2O5", "AlN"]),
        ("the NFCP@TN interlayer", []),
        ("CNTs and NCM811 cathodes", []),
        ("LiCoO2 particles", []),  # a cathode's active material
        ("TMA and H2O pulses", []),
    ],
)
def test_formulas_outside_the_vocabulary_are_materials(text: str, materials: list[str]) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    assert [m.label for m in mentions if m.kind == "Material"] == materials


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("garnet-type Li6.4La3Zr1.4Ta0.6O12 pellets", "garnet solid electrolyte"),
        ("a Li6.75La3Zr1.75Nb0.25O12 disc", "garnet solid electrolyte"),
        ("on Li1.4Al0.4Ti1.6(PO4)3 sheets", "LATP"),
        ("β-Li3PS4 (LPS) powder", "Li3PS4"),
        ("an argyrodite Li6PS5Cl layer", "Li6PS5Cl"),
        ("a Li7P3S11 glass-ceramic", "sulfide solid electrolyte"),
        ("alumina on a thiophosphate", "sulfide solid electrolyte"),
    ],
)
def test_solid_electrolytes_are_substrates_never_materials(text: str, label: str) -> None:
    mentions = VocabularyMatcher(load_vocabulary()).pipe([text])[0]
    kinds = {(m.kind, m.label) for m in mentions}
    assert ("Substrate", label) in kinds
    assert not [m for m in mentions if m.kind == "Material" and m.label != "Al2O3"], kinds
