"""kg/ask/: question → interpretation → SPARQL → answer, on a hand-made graph."""

from __future__ import annotations

import json

import pytest

from kg.ask import KEYWORD_PREFIX, Answer, ask, build_sparql, interpret, normalize_question
from kg.askeval import macro, predicted_refs, score_question
from kg.query import check_query
from tests.paths import CORPUS_DIR as CORPUS
from tests.paths import GOLD_QUESTIONS as GOLD


def refs(answer: Answer) -> list[int]:
    return sorted(predicted_refs(answer.rows))


# --------------------------------------------------------------------------- interpretation


@pytest.mark.parametrize(
    ("question", "kind", "labels"),
    [
        ("coatings on Na", "Substrate", ["Na"]),
        ("coatings on lithium metal", "Substrate", ["Li"]),
        ("coatings on potassium", "Substrate", ["K"]),
        ("coatings on carbon nanofibers", "Substrate", ["carbon nanofiber host"]),
        ("MLD coatings", "Technique", ["MLD"]),
        ("coatings by plasma-enhanced ALD", "Technique", ["plasma-enhanced ALD"]),
        ("ALD/MLD coatings", "Technique", ["ALD/MLD"]),
        ("Al₂O₃ coatings", "Material", ["Al2O3"]),
        ("alumina films", "Material", ["Al2O3"]),
        ("fluoride coatings", "MaterialClass", ["fluoride"]),
        ("alucone coatings", "MaterialClass", ["alucone"]),
        ("dual layer coatings", "MaterialClass", ["dual-layer coating"]),
        ("coatings using lithium tert-butoxide", "Precursor", ["LTB"]),
        ("coatings made with TMA", "Precursor", ["TMA"]),
        ("coatings tested in Li-Cu cells", "CellType", ["Li-Cu"]),
        ("coatings in full cells", "CellType", ["full cell"]),
        ("coatings in ether electrolytes", "ElectrolyteFamily", ["ether"]),
        ("coatings tested with LiPF6", "Salt", ["LiPF6"]),
        ("coatings tested in DME", "Solvent", ["DME"]),
        ("coatings characterized by XPS", "CharacterizationMethod", ["XPS"]),
    ],
)
def test_concepts_are_read_from_the_vocabulary(question: str, kind: str, labels: list[str]) -> None:
    interp = interpret(question)
    assert [c.label for c in interp.concepts[kind]] == labels
    assert not interp.ignored


@pytest.mark.parametrize(
    ("question", "kind", "op", "low", "high"),
    [
        ("coatings stable over 1000 h on Na", "CyclingDuration", ">", 1000, 1000),
        ("coatings cycling more than 500 hours", "CyclingDuration", ">", 500, 500),
        ("coatings lasting beyond 2 days", "CyclingDuration", ">", 48, 48),
        ("coatings exceeding 100 h", "CyclingDuration", ">", 100, 100),
        ("coatings stable for at least 1000 h", "CyclingDuration", "≥", 1000, 1000),
        ("coatings stable for 1000 h or more", "CyclingDuration", "≥", 1000, 1000),
        ("coatings thinner than 5 nm", "Thickness", "<", 5, 5),
        ("coatings below 30 Å", "Thickness", "<", 3, 3),
        ("coatings at most 10 nm thick", "Thickness", "≤", 10, 10),
        ("coatings of 5 nm or less", "Thickness", "≤", 5, 5),
        ("coatings about 5 nm thick", "Thickness", "~", 5, 5),
        ("coatings deposited above 140 °C", "DepositionTemperature", ">", 140, 140),
        ("coatings deposited under 423.15 K", "DepositionTemperature", "<", 150, 150),
        ("coatings deposited between 100 and 150 °C", "DepositionTemperature", "between", 100, 150),
        ("coatings with CE above 99%", "CoulombicEfficiency", ">", 99, 99),
        ("capacity retention greater than 80%", "CapacityRetention", ">", 80, 80),
        ("overpotential lower than 50 mV", "Overpotential", "<", 50, 50),
        ("coatings at 1 mA cm-2", "CurrentDensity", "=", 1, 1),
        ("specific capacity above 150 mAh g-1", "SpecificCapacity", ">", 150, 150),
        ("modulus above 10 GPa", "Modulus", ">", 10, 10),
        ("shear modulus above 10 GPa", "ShearModulus", ">", 10, 10),
        ("growth per cycle below 1 Å/cycle", "GrowthPerCycle", "<", 0.1, 0.1),
        ("coatings that survive more than 500 cycles", "CycleCount", ">", 500, 500),
        ("coatings with 50 ALD cycles", "DepositionCycles", "=", 50, 50),
        ("coatings ≥ 1000 h", "CyclingDuration", "≥", 1000, 1000),
        ("coatings < 5 nm", "Thickness", "<", 5, 5),
    ],
)
def test_numbers_comparators_and_units(
    question: str, kind: str, op: str, low: float, high: float
) -> None:
    interp = interpret(question)
    assert len(interp.numbers) == 1, interp.describe()
    n = interp.numbers[0]
    assert (n.kind, n.op) == (kind, op)
    assert n.low == pytest.approx(low) and n.high == pytest.approx(high)


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("studies from 2018", [("=", 2018, 2018)]),
        ("coatings in 2021", [("=", 2021, 2021)]),
        ("studies since 2019", [("≥", 2019, 2019)]),
        ("papers before 2017", [("<", 2017, 2017)]),
        ("studies after 2019", [(">", 2019, 2019)]),
        ("studies between 2016 and 2018", [("between", 2016, 2018)]),
        ("studies from 2019 or later", [("≥", 2019, 2019)]),
    ],
)
def test_years(question: str, years: list[tuple[str, int, int]]) -> None:
    assert interpret(question).years == years


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("coatings on Na", "coatings"),
        ("studies from 2018", "studies"),
        ("which papers used TMA", "studies"),
        ("Which precursors are used for TiO2?", "precursors"),
        ("what precursors make LiF", "precursors"),
        ("which materials were deposited on Na", "materials"),
        ("What is the shear modulus of LiF?", "values"),
        ("how long did TiO2-coated Li cycle", "values"),
        ("what thickness do alucone coatings have", "values"),
    ],
)
def test_targets(question: str, target: str) -> None:
    assert interpret(question).target == target


def test_authors_and_elements() -> None:
    assert interpret("coatings by Kazyak et al.").authors == ["Kazyak"]
    assert interpret("studies by Chen").authors == ["Chen"]
    assert interpret("coatings by MLD").authors == []
    assert interpret("zirconium containing coatings").elements == ["Zr"]
    assert interpret("zirconium-containing films").elements == ["Zr"]


def test_words_not_understood_are_reported() -> None:
    interp = interpret("shiny coatings on Na")
    assert interp.unread == [("shiny", None)] and not interp.ignored
    assert "'shiny': not understood" in interp.describe()
    interp = interpret("good coatings on Na")
    assert interp.ignored == ["good"] and "Adding no constraint: 'good'" in interp.describe()


def test_normalize_question() -> None:
    assert normalize_question("Al_2O_3 on Li–Cu") == "Al2O3 on Li-Cu"


# --------------------------------------------------------------------------- SPARQL


@pytest.mark.parametrize(
    ("question", "pieces"),
    [
        ("coatings on Na", ["akg:onSubstrate", "vocab/Na>"]),
        ("ALD coatings", ["vocab/ALD>", "vocab/PEALD>", "vocab/ThermalALD>"]),
        ("oxide coatings", ["vocab/Al2O3>", "ontology#Oxide>"]),
        (
            "coatings over 1000 h",
            ["vocab/CyclingDuration>", "akg:maxValue ?hi0", '("=" 1000)', '(">" ', "?hi0 > ?t0"],
        ),
        (
            "coatings thinner than 5 nm",
            ["vocab/Thickness>", "akg:numericValue ?lo0", '("=" 5)', '("<" ', "?lo0 < ?t0"],
        ),
        ("coatings at least 5 nm thick", ['VALUES ?cmp0 { "=" "~" ">" "≥" }', "?hi0 >= 5"]),
        ("coatings in full cells", ["vocab/FullCell>", "vocab/LiLTOCell>"]),
        ("coatings in carbonate electrolytes", ["vocab/Carbonate>", "vocab/EC>", "vocab/LiPF6>"]),
        ("studies from 2018", ["akg:reportedIn ?yearStudy0", "akg:describedBy", "= 2018"]),
    ],
)
def test_sparql_filters(question: str, pieces: list[str]) -> None:
    sparql = build_sparql(interpret(question))
    assert check_query(sparql) == "SELECT"
    for piece in pieces:
        assert piece in sparql


@pytest.mark.parametrize(
    "question",
    [
        'Al2O3" } ; DROP ALL ; #',
        "coatings by O'Brien\" } INSERT DATA { <x> <y> <z> } #",
        'studies by Smith"} UNION { ?s ?p ?o',
        "coatings on Na } INSERT { ?s ?p ?o } WHERE { ?s ?p ?o",
    ],
)
def test_injection_cannot_change_the_query(question: str, ask_store: object) -> None:
    answer = ask(question, ask_store)
    if answer.mode == "structured":
        assert check_query(answer.sparql) == "SELECT"
        assert "DROP" not in answer.sparql.replace('\\"', "")
        assert "INSERT" not in answer.sparql
    assert ask_store.count() > 0  # type: ignore[attr-defined]


def test_author_names_are_escaped(ask_store: object) -> None:
    answer = ask("studies by O'Brien", ask_store)
    assert check_query(answer.sparql) == "SELECT"
    assert "o'brien" in answer.sparql
    assert answer.rows == []


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("coatings on Li", [1, 3, 5]),
        ("coatings on Na", [2]),
        ("coatings stable over 1000 h", [1, 3]),
        ("coatings stable over 1500 h", [3]),
        ("coatings stable for more than 2 days on Na", [2]),
        ("coatings thinner than 5 nm", [1, 4]),
        ("coatings thinner than 10 Å", [4]),
        ("coatings deposited above 423.15 K", []),
        ("coatings deposited at about 150 °C", [1, 3, 4]),  # 135 °C is within 10 %
        ("ALD coatings", [1, 3, 4]),
        ("plasma-enhanced ALD coatings", [1]),
        ("MLD coatings on lithium", [5]),
        ("oxide coatings", [1, 3]),
        ("metalcone coatings", [2, 5]),
        ("zirconium containing coatings", [5]),
        ("coatings using lithium tert-butoxide", [4]),
        ("coatings made with trimethylaluminum", [1, 2]),
        ("coatings tested in Li-Cu cells", [1]),
        ("coatings tested in full cells", [3]),
        ("coatings in carbonate electrolytes", [1]),
        ("coatings tested with LiPF6", [1]),
        ("coatings in ether electrolytes", [2]),
        ("coatings tested with DEGDME", [2]),
        ("coatings characterized by XPS", [1]),
        ("studies from 2018", [2]),
        ("studies from 2019", [2, 5]),
        ("studies since 2020", [3, 4]),
        ("studies before 2016", [1]),
        ("studies between 2016 and 2019", [2, 5]),
        ("coatings by Kazyak et al.", [2]),
        ("coatings with CE above 99%", [3]),
        ("coatings at 1 mA cm-2", [1]),
        ("coatings over 1000 h at 1 mA cm-2", [1]),
    ],
)
def test_answers_on_the_fixture_graph(
    question: str, expected: list[int], ask_store: object
) -> None:
    answer = ask(question, ask_store)
    assert answer.mode == "structured", answer.interpretation
    assert refs(answer) == expected, answer.interpretation


def test_rows_carry_ref_doc_values_and_evidence(ask_store: object) -> None:
    answer = ask("coatings stable over 1000 h", ask_store)
    first = answer.rows[0]
    assert first["ref"] == 3 and first["doc"] == "askdoc"  # sorted by the value, descending
    assert first["cycling_duration_h"] == 1600 and first["comparator"] == ">"
    assert first["study"].startswith("[3] Chen")
    assert first["location"] == "Table 1, row 3"
    assert answer.evidence[0]["ref"] == 3
    start, end = answer.evidence[0]["highlight"]
    assert 0 <= start <= end <= len(answer.evidence[0]["text"])
    assert set(answer.to_json()) == {
        "question",
        "interpretation",
        "sparql",
        "columns",
        "rows",
        "evidence",
        "mode",
        "summary",
        "shape",
    }


def test_sorted_ascending_for_less_than(ask_store: object) -> None:
    rows = ask("coatings thinner than 5 nm", ask_store).rows
    assert [r["thickness_nm"] for r in rows] == [0.8, 2]


def test_precursors_with_full_names(ask_store: object) -> None:
    answer = ask("Which precursors are used for TiO2?", ask_store)
    assert refs(answer) == [3]
    precursors = [r["precursor"] for r in answer.rows]
    assert precursors == ["TTIP (titanium (IV) isopropoxide)", "H2O (water)"]


def test_material_property_value(ask_store: object) -> None:
    answer = ask("What is the shear modulus of LiF?", ask_store)
    assert [(r["ref"], r["value"], r["unit"]) for r in answer.rows] == [(4, 58, "GPa")]
    assert "58 GPa" in answer.rows[0]["evidence"]


def test_how_long(ask_store: object) -> None:
    answer = ask("how long did TiO2-coated Li cycle", ask_store)
    assert [r["value"] for r in answer.rows] == [1600]


def test_year_disagreement_counts_both(ask_store: object) -> None:
    for year in (2018, 2019):
        assert 2 in refs(ask(f"studies from {year}", ask_store))


def test_nonsense_falls_back_to_keywords(ask_store: object) -> None:
    answer = ask("purple elephants dancing", ask_store)
    assert answer.mode == "keyword" and not answer.understood
    assert answer.interpretation.startswith(KEYWORD_PREFIX)
    assert "'purple'" in answer.interpretation


def test_keyword_fallback_finds_words(ask_store: object) -> None:
    answer = ask("Kazyak", ask_store)
    assert answer.mode == "keyword"
    assert answer.rows and answer.rows[0]["ref"] == 2
    assert answer.evidence and answer.evidence[0]["text"]


# --------------------------------------------------------------------------- scoring


def test_score_question() -> None:
    gold = {"q": "q", "refs": [1, 2], "optional_refs": [3], "labels": [["TTIP", "x"], ["58"]]}
    score = score_question(gold, [{"ref": 1, "precursor": "ttip"}, {"ref": 3}])
    assert (score.precision, score.recall, score.labels_ok) == (1.0, 0.5, 1)
    assert score.missing == (2,)
    assert macro([score])["f1"] == pytest.approx(2 / 3)


def test_score_empty_answers() -> None:
    assert score_question({"q": "q", "refs": [1]}, []).f1 == 0.0
    assert score_question({"q": "q", "refs": []}, []).f1 == 1.0


# --------------------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def corpus_store() -> object:
    if not CORPUS.exists() or not GOLD.exists():
        pytest.skip("the shared corpus or gold questions are absent")
    from kg.pipeline import build_file
    from kg.store import doc_graph_iri, open_store
    from kg.vocab import ontology_graph

    store = open_store(memory=True)
    store.ensure_ontology(ontology_graph())
    for path in sorted(CORPUS.glob("*.txt")):
        doc = build_file(path)
        store.replace_graph(doc_graph_iri(doc.doc_id), doc.ntriples)
    return store


def test_dev_gold_questions(corpus_store: object) -> None:
    gold = json.loads(GOLD.read_text())
    scores = [score_question(item, ask(item["q"], corpus_store).rows) for item in gold]
    total = macro(scores)
    assert total["labels_ok"] == total["labels_total"]
    assert total["f1"] >= 0.95, "\n".join(s.line() for s in scores)


@pytest.mark.parametrize(
    "question",
    [
        "coatings stable over 1000 h on Na",
        "which precursors are used for TiO2",
        "shear modulus of LiF",
    ],
)
def test_core_query_is_flat(question: str) -> None:
    """The core query has no OPTIONAL and no GRAPH (those made it slow at 1M triples)."""
    sparql = build_sparql(interpret(question))
    assert check_query(sparql) == "SELECT"
    assert "OPTIONAL" not in sparql
    assert "GRAPH" not in sparql
    assert "|akg:forAnode" not in sparql


def test_details_query_has_no_nested_optional() -> None:
    from kg.ask.sparql import details_sparql

    coating = "https://w3id.org/ald-kg/id/x/coating/1"
    sparql = details_sparql([coating], [coating + "/m"], ["https://w3id.org/ald-kg/vocab/LiF"])
    assert sparql is not None and check_query(sparql) == "SELECT"
    for block in sparql.split("OPTIONAL {")[1:]:
        assert "OPTIONAL" not in block.split("}", 1)[0]
    assert details_sparql([], [], []) is None
