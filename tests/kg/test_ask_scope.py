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


@pytest.fixture(scope="module")
def scope_store() -> object:
    from ingest.resolve import resolve
    from kg.build import build_graph
    from kg.pipeline import extract_text
    from kg.store import open_store
    from kg.vocab import ontology_graph

    store = open_store(memory=True)
    store.ensure_ontology(ontology_graph())
    for doc_id, text in _ABSTRACTS.items():
        extracted = extract_text(text, doc_id=doc_id, path=f"/tmp/{doc_id}.txt")
        store.replace_document(doc_id, build_graph(resolve(extracted)))
    return store


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
