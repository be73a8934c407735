"""What a question may ask about: anodes of other batteries are refused with the reason, and
kinds of substrate ("hosts", "solid electrolytes", "current collectors") reach every substrate
of the kind through the ontology. Answers on a small graph of hand-written abstracts."""

from __future__ import annotations

import pytest

from kg.ask import ask, interpret

_ABSTRACTS = {
    "own-lagp": (
        "Abstract\nLithium aluminum germanium phosphate (LAGP) is a solid electrolyte that lithium "
        "reduces. An Al2O3 film was grown by atomic layer deposition on LAGP pellets, and "
        "Li|LAGP|Li cells then cycled for 500 h at 0.1 mA cm-2.\n"
    ),
    "own-cnt": (
        "Abstract\nTiN was deposited on carbon nanotubes by atomic layer deposition to make a "
        "lithiophilic host for lithium metal anodes. The coated host cycled for 300 cycles with "
        "a Coulombic efficiency of 99.1%.\n"
    ),
    "own-cloth": (
        "Abstract\nA ZnO layer was grown by atomic layer deposition on carbon cloth that was then "
        "filled with molten sodium; symmetric cells cycled for 800 h at 1 mA cm-2.\n"
    ),
    "own-li": (
        "Abstract\nLithium foil was coated with Al2O3 by atomic layer deposition; the coated "
        "foil cycled for 400 h in symmetric cells.\n"
    ),
}


def _store_of(abstracts: dict[str, str]) -> object:
    """An in-memory store holding each abstract, built as `kg ingest` builds it."""
    from ingest.resolve import resolve
    from kg.build import build_graph
    from kg.pipeline import extract_text
    from kg.store import open_store
    from kg.vocab import ontology_graph

    store = open_store(memory=True)
    store.ensure_ontology(ontology_graph())
    for doc_id, text in abstracts.items():
        extracted = extract_text(text, doc_id=doc_id, path=f"/tmp/{doc_id}.txt")
        store.replace_document(doc_id, build_graph(resolve(extracted)))
    return store


@pytest.fixture(scope="module")
def scope_store() -> object:
    return _store_of(_ABSTRACTS)


def _docs(answer: object) -> list[str]:
    return sorted({r["doc"] for r in answer.rows})  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- out of scope


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("ALD coatings on zinc anodes", "zinc"),
        ("zinc anodes", "zinc"),
        ("Zn anodes protected by alumina", "Zn"),
        ("coatings for Zn metal anodes", "Zn"),
        ("films grown on zinc", "zinc"),
        ("what about magnesium batteries", "magnesium"),
        ("Mg metal anodes", "Mg"),
        ("Al2O3 on graphite anodes", "graphite"),
        ("silicon anodes coated by ALD", "silicon"),
        ("coatings on silicon", "silicon"),
        ("films for aluminium anodes", "aluminium"),
        ("coatings for calcium metal", "calcium"),
        ("Zn-ion batteries with ALD", "Zn"),
        ("thinnest coating on zinc", "zinc"),
        ("how many coatings on magnesium anodes", "magnesium"),
    ],
)
def test_another_anode_empties_the_answer_and_says_why(
    scope_store: object, question: str, word: str
) -> None:
    answer = ask(question, scope_store)
    assert answer.rows == [] and answer.mode == "refused", answer.interpretation
    assert f"'{word}'" in answer.summary and "Li, Na and K" in answer.summary
    assert "Li, Na and K" in answer.interpretation


@pytest.mark.parametrize(
    "question",
    [
        "zinc containing coatings",  # an element of the film, not an anode
        "coatings on carbon nanotubes",
        "sulfur cathodes",
        "films on lithium",
    ],
)
def test_in_scope_words_are_not_refused(question: str) -> None:
    assert interpret(question).out_of_scope == []


# --------------------------------------------------------------------------- kinds of substrate


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("coatings grown on a solid electrolyte", ["own-lagp"]),
        ("films on solid electrolytes", ["own-lagp"]),
        ("what was coated on carbon hosts", ["own-cloth", "own-cnt"]),
        ("coatings on hosts", ["own-cloth", "own-cnt"]),
        ("coatings on carbon nanotubes", ["own-cnt"]),
        ("zno on carbon cloth", ["own-cloth"]),
        ("coatings on current collectors", []),
        ("films on alkali metals", ["own-li"]),
        ("coatings on garnet", []),
    ],
)
def test_a_kind_of_substrate_matches_every_substrate_of_it(
    scope_store: object, question: str, docs: list[str]
) -> None:
    answer = ask(question, scope_store)
    assert _docs(answer) == docs, (answer.interpretation, answer.summary)


def test_a_kind_of_substrate_is_said_in_the_interpretation() -> None:
    interp = interpret("coatings on current collectors")
    assert [c.label for c in interp.concepts["Substrate"]] == ["current collector"]
    assert interp.unread == [] and interp.unknown == []


# --------------------------------------------------------------------------- cathode grades


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("NCM811", "NMC811"),
        ("ncm811", "LiNi0.8Co0.1Mn0.1O2"),
        ("NMC-811", "LiNi0.8Mn0.1Co0.1O2"),
        ("NCM523", "NMC532"),
        ("NMC622", "LiNi0.6Mn0.2Co0.2O2"),
    ],
)
def test_a_grade_is_the_same_however_it_is_written(one: str, other: str) -> None:
    from kg.ask.grades import grades_in

    assert grades_in(one) and grades_in(one) == grades_in(other)


@pytest.mark.parametrize(
    "text", ["NMC811 and NMC622", "LiNi0.8Co0.1Mn0.1O2 versus NCM622 cathodes"]
)
def test_different_grades_differ(text: str) -> None:
    from kg.ask.grades import grades_in

    assert len(grades_in(text)) == 2


@pytest.mark.parametrize("text", ["NMC cathodes", "LiFePO4", "LiMn2O4", "at 811 K", "NCM"])
def test_no_grade_where_none_is_written(text: str) -> None:
    from kg.ask.grades import grades_in

    assert grades_in(text) == set()


_GRADED = {
    "own-811": (
        "Abstract\nLithium foil was coated with LiF by atomic layer deposition. When paired with "
        "thick NCM811 (4 mAh cm-2) electrodes, full cells kept 88% of their capacity after "
        "150 cycles.\n"
    ),
    "own-622": (
        "Abstract\nLithium foil was coated with ZrO2 by atomic layer deposition. In full cells "
        "with LiNi0.6Mn0.2Co0.2O2 cathodes, the coated lithium retained 80% of its capacity "
        "after 100 cycles.\n"
    ),
}


@pytest.fixture(scope="module")
def graded_store() -> object:
    return _store_of(_GRADED)


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("which coating was paired with an NCM811 cathode?", ["own-811"]),
        ("coatings tested against nmc811", ["own-811"]),
        ("coatings with LiNi0.8Co0.1Mn0.1O2", ["own-811"]),
        ("coatings tested with NMC622", ["own-622"]),
        ("coatings with NMC cathodes", ["own-622", "own-811"]),
    ],
)
def test_a_named_grade_keeps_only_coatings_tested_against_it(
    graded_store: object, question: str, docs: list[str]
) -> None:
    answer = ask(question, graded_store)
    assert _docs(answer) == docs, (answer.interpretation, answer.summary)
