"""Tests for ingest.citations: every citation style of the field, resolved to list numbers."""

from __future__ import annotations

import doctest

import pytest

import ingest.citations
from ingest.citations import Citations, cites_in_parentheses, table_ref
from ingest.normalize import normalize
from ingest.references import parse_reference
from ingest.structure import structure

# An author–year list of our own, sorted as such lists are; positions 1..6.
AUTHOR_YEAR = [
    "Abe, K., & Lind, M. (2019). A first film. Journal of Tests, 4, 10–12.",
    "Chen, L., Huang, Z., & Elam, J. (2018). Soft films on lithium. Test Letters.",
    "Chen, L., Ortiz, P., & Wu, T. (2018). Hard films on lithium. Test Letters.",
    "Chen, R., & Li, Q. (2019). A pair of authors. Journal of Tests.",
    "Sun, Y., Zhao, C., & Adair, K. (2020a). Graded films. Test Energy.",
    "Sun, Y., Zhao, C., & Liang, J. (2020b). More graded films. Test Energy.",
]


@pytest.fixture(scope="module")
def author_year() -> Citations:
    refs = tuple(parse_reference(i, t, 0, 0) for i, t in enumerate(AUTHOR_YEAR, start=1))
    return Citations(refs)


@pytest.fixture(scope="module")
def numbered() -> Citations:
    refs = tuple(
        parse_reference(i, f"Doe, J. Title {i}. *J. Test.* **2010**.", 0, 0) for i in range(1, 13)
    )
    return Citations(refs, parens=True)


def test_doctests() -> None:
    assert doctest.testmod(ingest.citations).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("films grew on Li [4].", (4,)),
        ("as before [4,5] and [7–9].", (4, 5, 7, 8, 9)),
        ("as before [2, 4–6].", (2, 4, 5, 6)),
        ("films grew (7).", (7,)),
        ("films grew (7–9) and (11, 12).", (7, 8, 9, 11, 12)),
        # not citations
        ("as Equation (1) and (2) show.", ()),
        ("see Figure (3) and Table (4).", ()),
        ("a 1:1 mix (1:1) of solvents.", ()),
        ("a film of (40) cycles (99).", ()),
    ],
)
def test_numeric_forms(numbered: Citations, text: str, expected: tuple[int, ...]) -> None:
    assert numbered.numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grew on Li (Abe and Lind, 2019).", (1,)),
        ("grew on Li (Abe & Lind, 2019).", (1,)),
        ("Abe and Lind (2019) grew it.", (1,)),
        ("Chen and Li (2019) grew it.", (4,)),
        ("(Chen and Li, 2019; Sun et al., 2020a)", (4, 5)),
        ("(Sun et al., 2020a, 2020b)", (5, 6)),
        ("Sun et al. [2020b] grew it.", (6,)),
        ("(e.g., Abe and Lind, 2019)", (1,)),
        # not citations: unknown authors, years without names, ambiguous look-alikes
        ("in 2019 the film (2019) grew.", ()),
        ("(Nobody et al., 2019)", ()),
        ("(Chen et al., 2018)", ()),
        ("(May 2019)", ()),
    ],
)
def test_author_year_forms(author_year: Citations, text: str, expected: tuple[int, ...]) -> None:
    assert author_year.numbers(text) == expected


def test_year_in_brackets_is_not_a_number(author_year: Citations) -> None:
    assert author_year.numbers("Nobody et al. [2019] grew it.") == ()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Abe and Lind, 2019", 1),
        ("Chen and Li (2019)", 4),
        ("[3]", 3),
        ("2", 2),
        ("2019", None),
        ("", None),
    ],
)
def test_table_ref(cell: str, expected: int | None) -> None:
    refs = [parse_reference(i, t, 0, 0) for i, t in enumerate(AUTHOR_YEAR, start=1)]
    assert table_ref(cell, refs) == expected


def test_parentheses_only_where_the_document_cites_so() -> None:
    refs = [parse_reference(i, f"Doe, J. T{i}. *J.* **2010**.", 0, 0) for i in range(1, 5)]
    assert cites_in_parentheses("Films grew (1). They lasted (2, 3). See (4).", refs)
    assert not cites_in_parentheses("Films grew [1]. They lasted (2).", refs)
    assert not cites_in_parentheses("Films grew (1). They lasted (2).", [])


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("grown on Na.¹² Then", "grown on Na.[12] Then"),
        ("by co-workers,¹ and", "by co-workers,[1] and"),
        ("in liquid<sup>3,5</sup> cells", "in liquid[3,5] cells"),
        ("as shown^{4-6} here", "as shown[4–6] here"),
        ("as shown^12 here", "as shown[12] here"),
        ("as shown¹⁻³ here", "as shown[1–3] here"),
        # exponents and charges stay what they are
        ("5 mA cm⁻² and 2 m² g⁻¹", "5 mA cm-2 and 2 m2 g-1"),
        ("Sn⁴⁺ to Sn²⁺ and Li⁺", "Sn4+ to Sn2+ and Li+"),
        ("1 mA cm^{-2}, 10^{5} S", "1 mA cm-2, 10^5 S"),
        ("cm<sup>-2</sup> and Al<sub>2</sub>O<sub>3</sub>", "cm-2 and Al2O3"),
        ("O² and 3 cm²", "O2 and 3 cm2"),
    ],
)
def test_superscripts_after_normalize(written: str, clean: str) -> None:
    assert normalize(written).text == clean


def test_superscript_citation_after_the_stop_stays_with_its_sentence() -> None:
    text = "A title of a review\n\n1. Films\nZnO grew on Li.³ It lasted 200 h.⁴\n\nReferences\n"
    text += "".join(f"{n}. Doe, J. T{n}. *J.* **2010**.\n" for n in range(1, 5))
    doc = structure(normalize(text), doc_id="r", path="r.md")
    assert [(s.text, s.citations) for s in doc.sentences] == [
        ("ZnO grew on Li.[3]", (3,)),
        ("It lasted 200 h.[4]", (4,)),
    ]


def _plain(body: str, listed: int = 4) -> list[tuple[str, tuple[int, ...]]]:
    text = f"A title of a review\n\n1. Films\n{body}\n\nReferences\n"
    text += "".join(f"{n}. Doe, J. T{n}. *J.* **2010**.\n" for n in range(1, listed + 1))
    doc = structure(normalize(text), doc_id="r", path="r.md")
    return [(s.text, s.citations) for s in doc.sentences]


def test_superscript_flattened_to_plain_digits_after_the_stop_is_a_citation() -> None:
    body = "ZnO grew on Li metal.1 It lasted 200 h in carbonate cells.2,3 Films thickened.4"
    assert _plain(body) == [
        ("ZnO grew on Li metal.1", (1,)),
        ("It lasted 200 h in carbonate cells.2,3", (2, 3)),
        ("Films thickened.4", (4,)),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Cells held 0.1 M LiPF6. They ran.",  # a decimal, not a citation
        "The LATP was Li1.3Al0.3Ti1.7(PO4)3. It was dense.",  # a formula's counts
        "Cells lasted long.9 They were stable.",  # no entry 9 in the list
        "Growth is shown in Fig.3 The film was thin.",  # a figure's number
    ],
)
def test_plain_digits_that_are_no_citation_stay_text(body: str) -> None:
    assert all(not cites for _, cites in _plain(body))


def test_author_year_sentence_citations_are_positions() -> None:
    refs = "\n".join(AUTHOR_YEAR)
    text = f"A title of a review\n\n1. Films\nZnO grew on Li (Chen and Li, 2019).\n\nReferences\n\n{refs}\n"
    doc = structure(normalize(text), doc_id="r", path="r.txt")
    assert [r.number for r in doc.references] == [1, 2, 3, 4, 5, 6]
    assert doc.sentences[0].citations == (4,)


# Two first authors of one surname, told apart by initial and year; positions 1..3.
SAME_SURNAME = [
    "Luo, W., Lin, C., & Hu, L. (2017). Plasma alumina on sodium. Test Energy.",
    "Zhao, X., Chen, F., & Xu, Y. (2020). Tin oxide on carbon fibres. Test Letters.",
    "Zhao, Y., Sun, Q., & Sun, X. (2017). Alumina on sodium. Test Materials.",
]


@pytest.fixture(scope="module")
def same_surname() -> Citations:
    refs = tuple(parse_reference(i, t, 0, 0) for i, t in enumerate(SAME_SURNAME, start=1))
    return Citations(refs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Zhao et al., 2017] grew alumina.", (3,)),
        ("Zhao X. and co-workers (2020) grew tin oxide.", (2,)),
        ("Zhao, X. et al. (2020) grew tin oxide.", (2,)),
        ("Zhao et al. (2017) and Luo et al. (2017) coated sodium.", (3, 1)),
        ("Luo and colleagues (Luo et al., 2017) used a plasma.", (1,)),
        ("Zhao Y. and co-workers (2020) grew tin oxide.", ()),  # no Zhao Y. in 2020
    ],
)
def test_author_year_forms_of_reviews(
    same_surname: Citations, text: str, expected: tuple[int, ...]
) -> None:
    assert same_surname.numbers(text) == expected


def test_initials_first_and_unsplit_entries_still_tell_same_surnames_apart() -> None:
    entries = [
        "X. Zhao, F. Chen, Y. Xu, Tin oxide on carbon fibres, Test Lett. 8 (2017) 1.",
        "Zhao Y, Sun Q, Sun X (2017) Alumina on sodium. Test Mater 29:1",
    ]
    refs = tuple(parse_reference(i, t, 0, 0) for i, t in enumerate(entries, start=1))
    cites = Citations(refs)
    assert cites.numbers("Zhao X. and co-workers (2017) grew tin oxide.") == (1,)
    assert cites.numbers("Zhao Y. et al. (2017) grew alumina.") == (2,)
    assert cites.numbers("Zhao et al. (2017) grew a film.") == ()  # two candidates: unclear


def test_a_citation_that_names_the_subject_is_narrative(same_surname: Citations) -> None:
    text = "Two groups coated sodium: Luo et al. (2017) used a plasma, whereas (Zhao et al., 2017) did not."
    found = same_surname.located(text)
    assert [(c.number, c.narrative) for c in found] == [(1, True), (3, False)]
    assert same_surname.located("(Zhao et al., 2017) grew it.")[0].narrative


@pytest.mark.parametrize(
    ("cell", "ref"),
    [("Luo et al.", 1), ("Zhao X. et al.", 2), ("Zhao et al.", None), ("Al2O3", None)],
)
def test_a_table_cell_naming_only_an_author_is_its_one_study(cell: str, ref: int | None) -> None:
    refs = [parse_reference(i, t, 0, 0) for i, t in enumerate(SAME_SURNAME, start=1)]
    assert table_ref(cell, refs) == ref
