"""Every content word of a question is resolved or reported; nothing is dropped silently."""

from __future__ import annotations

import pytest

from kg.ask import ask, interpret


@pytest.mark.parametrize(
    ("question", "kind", "labels"),
    [
        ("zno on sodium", "Material", ["ZnO"]),
        ("AL2O3 ON NA", "Material", ["Al2O3"]),
        ("AL2O3 ON NA", "Substrate", ["Na"]),
        ("coatings on li", "Substrate", ["Li"]),
        ("coatings on na", "Substrate", ["Na"]),
        ("tio2 films", "Material", ["TiO2"]),
        ("aluminas on Na", "Material", ["Al2O3"]),  # plural, as ingest's matcher reads it
        ("zircones on lithium", "MaterialClass", ["zircone"]),
        ("sodiumm coatings", "Anode", ["Na"]),  # typos
        ("lithum coatings", "Anode", ["Li"]),
        ("coatings on potasium", "Substrate", ["K"]),
        ("flouride coatings", "MaterialClass", ["fluoride"]),
    ],
)
def test_words_are_resolved_in_any_case_and_with_typos(
    question: str, kind: str, labels: list[str]
) -> None:
    interp = interpret(question)
    assert [c.label for c in interp.concepts[kind]] == labels, interp.describe()
    assert not interp.unknown


@pytest.mark.parametrize(
    ("question", "typo", "form"),
    [("sodiumm coatings", "sodiumm", "sodium"), ("lithum coatings", "lithum", "lithium")],
)
def test_typos_are_said_in_the_interpretation(question: str, typo: str, form: str) -> None:
    interp = interpret(question)
    assert (typo, form) in interp.readings
    assert f"Read '{typo}' as {form}." in interp.describe()


def test_a_formula_inside_a_shouted_word_is_not_read() -> None:
    # "AL2O3" is alumina, not the ozone precursor "O3" a case-exact match finds inside it.
    assert not interpret("AL2O3 ON NA").concepts.get("Precursor")


@pytest.mark.parametrize(
    ("question", "word", "suggestion"),
    [
        ("HfO3 coatings on Li", "HfO3", "HfO2"),
        ("ZnO2 films", "ZnO2", "ZnO"),
        ("PMMA coatings on Li", "PMMA", None),
        ("polystyrene coatings", "polystyrene", None),
    ],
)
def test_unknown_terms_are_reported_with_a_suggestion(
    question: str, word: str, suggestion: str | None
) -> None:
    interp = interpret(question)
    words = dict(interp.unknown)
    assert word in words
    if suggestion:
        assert words[word] == suggestion
        assert f"did you mean {suggestion}?" in interp.describe()


def test_an_unknown_term_empties_the_answer_instead_of_widening_it(ask_store: object) -> None:
    assert ask("coatings on Li", ask_store).rows  # the wider question has rows
    answer = ask("HfO3 coatings on Li", ask_store)
    assert answer.rows == [] and answer.mode == "refused"
    assert "HfO3" in answer.summary and "did you mean HfO2?" in answer.summary


def test_a_known_material_without_coatings_gives_an_empty_answer(ask_store: object) -> None:
    answer = ask("zno on sodium", ask_store)
    assert answer.rows == []
    assert "ZnO" in answer.summary and "Na" in answer.summary


def test_ordinary_words_not_understood_refuse_the_answer(ask_store: object) -> None:
    interp = interpret("shiny coatings on Na")
    assert interp.unread == [("shiny", None)] and not interp.unknown
    assert ("shiny", "not understood") in interp.words
    answer = ask("shiny coatings on Na", ask_store)
    assert answer.mode == "refused" and answer.rows == [] and "'shiny'" in answer.summary


def test_every_content_word_is_listed_with_what_it_became() -> None:
    interp = interpret("Which coatings by MLD on lithium lasted over 1000 h?")
    words = dict(interp.words)
    assert words["MLD"] == "technique MLD"
    assert words["lithium"] == "substrate Li"
    assert words["coatings"] == "what to list: coatings"
    assert words["over 1000 h"] == "a number"
    assert "Words: " in interp.describe()


@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("papers co-authored by Gary Rubloff", "Rubloff"),
        ("work by Xueliang Sun", "Sun"),
        ("coatings from studies whose first author is Chen", "Chen"),
        ("studies by X. Sun", "Sun"),
        ("coatings by Kazyak et al.", "Kazyak"),
    ],
)
def test_authors_by_full_name_and_position(question: str, author: str) -> None:
    interp = interpret(question)
    assert interp.authors == [author], interp.describe()
    assert not interp.ignored


def test_asked_attributes_become_columns() -> None:
    assert interpret("which electrolyte was used for NaAlOx?").show == ["electrolyte"]
    assert interpret("which cells were used for LiF coatings").show == ["cell_type"]
    assert interpret("coatings tested in Li-Cu cells").show == []  # "cells" names the type


def test_a_doi_is_a_constraint_not_a_number() -> None:
    interp = interpret("What does the study with DOI 10.5555/Devset.4 report?")
    assert interp.dois == ["10.5555/devset.4"]
    assert not interp.numbers and not interp.unknown and not interp.ignored


@pytest.mark.parametrize(
    ("question", "kept", "excluded"),
    [
        ("coatings on Li excluding Al2O3", "Substrate", ["Al2O3"]),
        ("coatings without LiF on Li", "Substrate", ["LiF"]),
        ("MLD coatings, not counting hybrid ALD/MLD stacks", "Technique", ["ALD/MLD"]),
        ("ALD coatings other than Al2O3", "Technique", ["Al2O3"]),
        ("non-oxide coatings", None, ["oxide"]),
    ],
)
def test_negated_terms_are_excluded(question: str, kept: str | None, excluded: list[str]) -> None:
    interp = interpret(question)
    assert [c.label for c in interp.excluded] == excluded, interp.describe()
    assert all(c.label not in excluded for cs in interp.concepts.values() for c in cs)
    if kept:
        assert interp.concepts[kept]


def test_a_negation_it_cannot_apply_refuses_instead_of_inverting() -> None:
    interp = interpret("coatings not in ether electrolytes")
    assert interp.unknown and not interp.concepts.get("ElectrolyteFamily")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("coatings on Li other than Al2O3", [3, 5]),
        ("non-oxide coatings", [2, 4, 5]),
        ("MLD coatings excluding ZrEG", [2]),
        ("coatings not made by MLD", [1, 3, 4]),
    ],
)
def test_exclusions_on_the_fixture_graph(
    question: str, expected: list[int], ask_store: object
) -> None:
    assert sorted(r["ref"] for r in ask(question, ask_store).rows) == expected


def test_an_author_is_a_whole_word_of_the_author_list() -> None:
    from kg.ask import build_sparql

    sparql = build_sparql(interpret("papers by Sun"))
    assert "REGEX(" in sparql and "CONTAINS(" not in sparql


@pytest.mark.parametrize(
    ("question", "target"),
    [("coatigns on sodium", "coatings"), ("studdies from 2018", "studies")],
)
def test_misspelt_targets_are_read(question: str, target: str) -> None:
    interp = interpret(question)
    assert interp.target == target and not interp.ignored


def test_quantity_words_are_never_suggested_for_a_formula() -> None:
    # TiCl4 became a vocabulary precursor; WCl6 is a formula the vocabulary does not hold.
    assert dict(interpret("coatings with WCl6").unknown)["WCl6"] is None


@pytest.mark.parametrize(
    ("question", "typo", "word", "part"),
    [
        ("plasma enhaced ALD coatings", "enhaced", "enhanced", "technique is plasma-enhanced ALD"),
        ("Coulombic effciency above 99%", "effciency", "efficiency", "Coulombic efficiency > 99"),
        ("coatings thiner than 5 nm", "thiner", "thinner", "thickness < 5 nm"),
        ("coatings deposited bellow 100 °C", "bellow", "below", "deposition temperature < 100"),
        ("molecular layer depostion coatings", "depostion", "deposition", "technique is MLD"),
    ],
)
def test_typos_of_any_known_word_are_corrected(
    question: str, typo: str, word: str, part: str
) -> None:
    interp = interpret(question)
    assert (typo, word) in interp.readings
    assert part in interp.describe() and not interp.ignored


def test_names_are_not_corrected() -> None:
    assert interpret("papers by Rubloff").authors == ["Rubloff"]
    assert not interpret("papers by Rubloff").readings


def test_first_author_is_only_the_first_author() -> None:
    from kg.ask import build_sparql

    interp = interpret("coatings from studies whose first author is Chen")
    assert interp.first_authors == ["Chen"] and interp.authors == ["Chen"]
    assert "authorsText" not in build_sparql(interp)
    assert "authorsText" in build_sparql(interpret("papers by Chen"))
