"""Questions as people type them: what each word becomes, which words refuse an answer, and
answers on a small graph of three hand-written abstracts (a film on copper for lithium metal,
a film on a solid electrolyte in a LiFePO4 full cell, a film on lithium in Li-S cells)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kg.ask import ask, interpret

# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("question", "kind", "labels"),
    [
        # "on X" is what the film is on; "for/with/in X", "X anodes", a bare "X" the metal served.
        ("lif films for lithium metal", "Anode", ["Li"]),
        ("lif films for lithium metal", "Substrate", []),
        ("LiF coatings on copper for Li metal anodes", "Substrate", ["Cu"]),
        ("LiF coatings on copper for Li metal anodes", "Anode", ["Li"]),
        ("what coatings work with potassium anodes", "Anode", ["K"]),
        ("which films are used in sodium metal batteries?", "Anode", ["Na"]),
        ("precursors of the tin oxide in the potassium host", "Anode", ["K"]),
        ("sodium coatings", "Anode", ["Na"]),
        ("coatings on sodium", "Substrate", ["Na"]),
        ("coatings on sodium", "Anode", []),
        ("al2o3 directly on li", "Substrate", ["Li"]),
        ("anything grown onto potassium foil?", "Substrate", ["K"]),
        ("zno on garnet", "Substrate", ["garnet solid electrolyte"]),
        # Cathodes, by formula, abbreviation or name, in any case.
        ("full cells with a LiFePO4 cathode", "Cathode", ["LiFePO4"]),
        ("coatings tested with lfp", "Cathode", ["LiFePO4"]),
        ("coatings paired with an NCM811 cathode", "Cathode", ["NMC"]),
        ("films in cells against lithium cobalt oxide", "Cathode", ["LiCoO2"]),
        ("coatings tested with a sulfur cathode", "Cathode", ["sulfur"]),
        # Lower case, typos.
        ("al2o3 on na", "Material", ["Al2O3"]),
        ("alucone on lithum", "Substrate", ["Li"]),
        ("zirconia films on sodum", "Material", ["ZrO2"]),
    ],
)
def test_words_become_the_constraint_they_name(question: str, kind: str, labels: list[str]) -> None:
    interp = interpret(question)
    assert [c.label for c in interp.concepts.get(kind, [])] == labels, interp.describe()
    assert not interp.unknown and not interp.unread, interp.describe()


@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("Kozen's Al2O3 coating", "Kozen"),
        ("the alucone from Sun's group", "Sun"),
        ("coatings by Kazyak et al.", "Kazyak"),
        ("papers co-authored by Gary Rubloff", "Rubloff"),
    ],
)
def test_authors_in_everyday_forms(question: str, author: str) -> None:
    interp = interpret(question)
    assert interp.authors == [author], interp.describe()
    assert not interp.unread


@pytest.mark.parametrize(
    "question",
    [
        "coatings made by sputtering",
        "coatings for wearable devices",
        "which coatings improve the wettability of garnet",
        "shiny coatings on Na",
        "Al2O3 coatings annealed in argon",
    ],
)
def test_an_ordinary_word_not_understood_is_reported_not_dropped(question: str) -> None:
    interp = interpret(question)
    assert interp.unread, interp.describe()
    word = interp.unread[0][0]
    assert f"'{word}': not understood" in interp.describe()


@pytest.mark.parametrize(
    "question",
    [
        "which coatings give good protection to lithium",
        "show me promising ultrathin coatings on Na",
        "what approaches suppress dendrite growth on Li",
        "list all the artificial interphase layers reported",
    ],
)
def test_vague_and_generic_words_add_no_constraint_and_are_said(question: str) -> None:
    interp = interpret(question)
    assert not interp.unread and not interp.unknown, interp.describe()
    assert interp.ignored and "Adding no constraint" in interp.describe()


# --------------------------------------------------------------------------- answers


_ABSTRACTS = {
    "own-lif-cu": (
        "Abstract\nCopper current collectors were coated with a 4 nm LiF film by atomic layer "
        "deposition for lithium metal anodes. Anode-free cells with the coated copper kept a "
        "Coulombic efficiency of 98.5% over 200 cycles at 0.5 mA cm-2.\n"
    ),
    "own-zno-latp": (
        "Abstract\nA 5 nm ZnO interlayer was deposited on LATP pellets by atomic layer "
        "deposition. Full cells cycled for 300 cycles.\n"
    ),
    "own-al2o3-li": (
        "Abstract\nLithium metal foil was coated with Al2O3 by atomic layer deposition (ALD). "
        "The 14 nm thick film let Li-S cells cycle for 100 cycles in an ether-based electrolyte.\n"
    ),
}


@pytest.fixture(scope="module")
def everyday_store() -> object:
    """The three abstracts through the real pipeline. Two facts are set on the records the way
    ingest is meant to write them (the metal a coated current collector serves, the cathode
    type of a full cell), so that the question side is tested on its own."""
    from ingest.records import CellTest
    from ingest.resolve import resolve
    from kg.build import build_graph
    from kg.pipeline import extract_text
    from kg.store import open_store
    from kg.vocab import ontology_graph

    store = open_store(memory=True)
    store.ensure_ontology(ontology_graph())
    for doc_id, text in _ABSTRACTS.items():
        extracted = extract_text(text, doc_id=doc_id, path=f"/tmp/{doc_id}.txt")
        coatings = extracted.coatings
        if doc_id == "own-lif-cu":
            coatings = tuple(replace(c, anode_metal="Li") for c in coatings)
        if doc_id == "own-zno-latp":
            coatings = tuple(replace(c, cell_tests=(CellTest("Li-LFP"),)) for c in coatings)
        extracted = replace(extracted, coatings=coatings)
        store.replace_document(doc_id, build_graph(resolve(extracted)))
    return store


def _docs(answer: object) -> list[str]:
    return sorted({r["doc"] for r in answer.rows})  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("lif films for lithium metal", ["own-lif-cu"]),
        ("LiF on copper for Li metal anodes", ["own-lif-cu"]),
        ("lif on lithium", []),  # the film is on copper, not on the metal
        ("coatings for lithium", ["own-al2o3-li", "own-lif-cu"]),
        ("coatings on lithium", ["own-al2o3-li"]),
        ("coatings on copper", ["own-lif-cu"]),
        ("full cells with a LiFePO4 cathode", ["own-zno-latp"]),
        ("coatings tested with LFP", ["own-zno-latp"]),
        ("coatings with a sulfur cathode", ["own-al2o3-li"]),
        ("coatings tested against NMC811", []),
        ("zno on latp", ["own-zno-latp"]),
        ("ZNO ON GARNET", []),
        ("hfo2 coatings", []),
    ],
)
def test_answers(everyday_store: object, question: str, docs: list[str]) -> None:
    answer = ask(question, everyday_store)
    assert _docs(answer) == docs, (answer.interpretation, answer.summary)


@pytest.mark.parametrize(
    "question", ["coatings made by sputtering", "LiF films for flexible electronics"]
)
def test_a_question_with_a_word_not_understood_is_refused_with_help(
    everyday_store: object, question: str
) -> None:
    answer = ask(question, everyday_store)
    assert answer.mode == "refused" and answer.rows == []
    assert "not understood" in answer.summary and "Ask by material" in answer.summary


# --------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        # Each side keeps what is written next to it ...
        (
            "which is thinner, the Al2O3 on Li in Kozen's Li-S paper or the ZnO on LATP?",
            [{"Al2O3", "Li", "Li-S", "Kozen"}, {"ZnO", "LATP"}],
        ),
        ("Al2O3 on Li vs alucone on Na: which lasts longer", [{"Al2O3", "Li"}, {"alucone", "Na"}]),
        # ... words before both sides, and after a bare first side, are shared.
        ("for sodium, which is better: al2o3 or alucone", [{"Al2O3", "Na"}, {"alucone", "Na"}]),
        ("Al2O3 vs LiF on Li", [{"Al2O3", "Li"}, {"LiF", "Li"}]),
    ],
)
def test_each_side_of_a_comparison_keeps_its_own_constraints(
    question: str, sides: list[set[str]]
) -> None:
    interp = interpret(question)
    assert interp.shape == "comparison"
    read = [
        {c.label for cs in side.concepts.values() for c in cs if c.kind != "QuantityKind"}
        | set(side.authors)
        for side in interp.sides
    ]
    assert read == sides, interp.describe()


def test_two_bare_names_compare_without_sides() -> None:
    interp = interpret("which is thicker, ZrO2 or LiAlOx?")
    assert interp.shape == "comparison" and interp.sides == []


def test_a_comparison_answers_each_side_and_names_the_winner(everyday_store: object) -> None:
    answer = ask(
        "which is thinner, the Al2O3 on lithium in Li-S cells or the ZnO on LATP?", everyday_store
    )
    assert _docs(answer) == ["own-al2o3-li", "own-zno-latp"], answer.interpretation
    assert {r["compared"][:1] for r in answer.rows} == {"1", "2"}
    assert "ZnO" in answer.summary.split(";")[-1] and "lower thickness" in answer.summary
    assert "5 nm" in answer.summary and "14 nm" in answer.summary


def test_a_comparison_side_with_nothing_says_so(everyday_store: object) -> None:
    answer = ask("which is thicker, the LiF on copper or the ZnO on garnet?", everyday_store)
    assert _docs(answer) == ["own-lif-cu"]
    assert "no thickness for (substrate is garnet" in answer.summary


@pytest.mark.parametrize(
    ("question", "rank"),
    [
        ("the most stable coating on lithium", ("CyclingDuration", "max")),
        ("which film is most stable on Na?", ("CyclingDuration", "max")),
        ("whats the thinnest film on sodium", ("Thickness", "min")),
        ("coating with the highest coulombic efficiency", ("CoulombicEfficiency", "max")),
        ("lowest overpotential on potassium", ("Overpotential", "min")),
        ("which alucone lasted the longest", ("CyclingDuration", "max")),
    ],
)
def test_superlatives_in_everyday_phrasing(question: str, rank: tuple[str, str]) -> None:
    interp = interpret(question)
    assert (interp.shape, interp.rank) == ("superlative", rank), interp.describe()
    assert not interp.unread


@pytest.mark.parametrize(
    ("question", "low"),
    [
        ("coatings deposited at 150 C", 150.0),
        ("films grown below 100 degrees", 100.0),
        ("coatings made at 120 deg C", 120.0),
    ],
)
def test_celsius_written_without_the_degree_sign(question: str, low: float) -> None:
    interp = interpret(question)
    assert [(n.kind, n.low) for n in interp.numbers] == [("DepositionTemperature", low)]
    assert not interp.unread, interp.describe()


def test_a_c_rate_is_not_a_temperature() -> None:
    assert not any(
        n.kind == "DepositionTemperature" for n in interpret("LiF cycled at 1 C").numbers
    )


def test_a_ranking_answers_with_coatings_even_when_a_quantity_word_is_a_verb() -> None:
    interp = interpret("Li3PO4 vs LiF: which cycles longer on lithium")
    assert (interp.shape, interp.target, interp.rank) == (
        "comparison",
        "coatings",
        ("CyclingDuration", "max"),
    )
    assert not interp.asked_kinds


@pytest.mark.parametrize(
    ("question", "top_n", "years"),
    [
        ("top 3 coatings by cycle life on Li", 3, []),
        ("the 2 thinnest films", 2, []),
        ("best 5 coatings on sodium", 5, []),
        ("studies from the 2018", None, [("=", 2018, 2018)]),  # a year, not a count
    ],
)
def test_top_n_is_a_count_of_rows_not_a_value(
    question: str, top_n: int | None, years: list[tuple[str, int, int]]
) -> None:
    interp = interpret(question)
    assert (interp.top_n, interp.years) == (top_n, years), interp.describe()
    assert all(n.op in ("max", "min") for n in interp.numbers)


def test_top_n_keeps_that_many_best_first(everyday_store: object) -> None:
    answer = ask("the 2 thinnest coatings", everyday_store)
    assert [r["doc"] for r in answer.rows] == ["own-lif-cu", "own-zno-latp"]
    assert answer.summary.startswith("The 2 with the lowest thickness")
