"""The Streamlit app driven in-process with AppTest, one tab at a time, on the real corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.records import IngestError
from kg.app import ask, common, compare, explore, export, ingest
from kg.app.safe import md, md_inline
from kg.graphview import graph_payload, render_html
from tests.hostile import DOC_ID, labelled, write_hostile_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(app_store: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["tab"] = name
    at.run()
    assert not at.exception, at.exception
    return at


def table_text(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


# --------------------------------------------------------------------------- Ask


def test_empty_store_says_how_to_fill_it(
    app_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_STORE", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("make run" in w.value for w in at.warning)
    assert [b for b in at.button if b.key == "ingest_default"]


def test_first_page_offers_example_questions(app: AppTest) -> None:
    labels = [b.label for b in app.button]
    assert "coatings stable over 1000 h on Na" in labels
    assert not app.error


def test_example_question_finds_naalox(app: AppTest) -> None:
    app.button(key="example_0").click().run()
    assert not app.exception, app.exception
    assert app.query_params["q"] == "coatings stable over 1000 h on Na"
    text = table_text(app)
    assert "NaAlOx" in text
    assert "[96]" in text


def test_question_in_url_is_answered_on_load(app_store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "coatings stable over 1000 h on Na"
    at.run()
    assert not at.exception, at.exception
    assert at.text_input(key="question").value == "coatings stable over 1000 h on Na"
    assert "NaAlOx" in table_text(at)


def test_open_in_sparql_tab_moves_the_query(app: AppTest) -> None:
    app.button(key="example_0").click().run()
    app.button(key="open_in_sparql").click().run()
    assert not app.exception, app.exception
    assert app.session_state["tab"] == "SPARQL"
    assert "SELECT" in app.text_area(key="sparql_text").value.upper()


# --------------------------------------------------------------------------- SPARQL


def test_sparql_example_query_runs(app: AppTest) -> None:
    open_tab(app, "SPARQL")
    assert "PREFIX akg:" in app.text_area(key="sparql_text").value
    app.selectbox(key="sparql_example").set_value("Coatings per substrate").run()
    app.button(key="sparql_run").click().run()
    assert not app.error
    result = app.dataframe[-1].value
    assert set(result["substrate"]) >= {"Li", "Na"}


def test_sparql_update_is_refused(app: AppTest) -> None:
    open_tab(app, "SPARQL")
    app.text_area(key="sparql_text").input("DELETE WHERE { ?s ?p ?o }")
    app.button(key="sparql_run").click().run()
    assert any("DELETE" in e.value for e in app.error)
    assert not [d for d in app.dataframe if "substrate" in d.value.columns]


# --------------------------------------------------------------------------- Explore


def test_explore_finds_an_entity_and_its_facts(app: AppTest) -> None:
    open_tab(app, "Explore")
    app.text_input(key="entity_find").input("NaAlOx").run()
    assert not app.exception, app.exception
    assert any("NaAlOx" in m.value for m in app.markdown)
    assert "NaAlOx on Na [96]" in table_text(app)


def test_neighbour_button_opens_its_page(app: AppTest) -> None:
    open_tab(app, "Explore")
    app.text_input(key="entity_find").input("NaAlOx").run()
    button = next(b for b in app.button if md_inline("NaAlOx on Na [96]") in b.label)
    button.click().run()
    heading = "### " + md_inline("NaAlOx on Na [96]")
    assert any(m.value == heading for m in app.markdown)
    assert "cycling duration" in table_text(app)


def test_neighbourhood_data_for_the_graph(app_store: Path) -> None:
    from kg.store import open_store

    store = open_store(app_store, read_only=True)
    page = explore.entity_page(
        store, next(e.iri for e in explore.find_entities(store, "NaAlOx on Na"))
    )
    nodes, edges = explore.neighbourhood(page)
    payload = graph_payload(nodes, edges)
    labels = {n["label"] for n in payload["nodes"]}
    assert {"NaAlOx on Na [96]", "NaAlOx", "Na"} <= labels
    assert sum(n["centre"] for n in payload["nodes"]) == 1
    ids = {n["id"] for n in payload["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in payload["edges"])
    assert any(e["label"] == "on substrate" for e in payload["edges"])


# --------------------------------------------------------------------------- Compare


def test_compare_filters_by_substrate(app: AppTest) -> None:
    open_tab(app, "Compare")
    everything = len(app.dataframe[0].value)
    app.multiselect(key="f_substrate").set_value(["Na"]).run()
    shown = app.dataframe[0].value
    assert 0 < len(shown) < everything
    assert set(shown["substrate"]) == {"Na"}
    assert "NaAlOx" in set(shown["material"])
    assert len(app.caption) >= 3  # each plot says what it shows


# --------------------------------------------------------------------------- Export


def test_export_tab_offers_every_format(app: AppTest) -> None:
    open_tab(app, "Export")
    assert not app.exception, app.exception


@pytest.mark.parametrize(
    "fmt", ["turtle", "nt", "nquads", "trig", "json-ld", "xml", "graphml", "gexf"]
)
def test_export_produces_bytes(app_store: Path, fmt: str) -> None:
    import io

    from kg.export import export
    from kg.store import open_store

    buffer = io.BytesIO()
    export(open_store(app_store, read_only=True), fmt, buffer)
    assert len(buffer.getvalue()) > 1000


def test_coatings_csv_has_the_table(app_store: Path) -> None:
    from kg.store import open_store
    from kg.table import coatings_table

    data = export.coatings_csv(coatings_table(open_store(app_store, read_only=True)))
    assert data.startswith(b"doc,ref,year,material")
    assert b"NaAlOx" in data


# --------------------------------------------------------------------------- Ingest


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n", "the file is empty"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04", "binary file"),
        ("latin1.txt", "Al2O3 coating, café".encode("latin-1"), "not UTF-8"),
        ("big.txt", b"a" * (ingest.UPLOAD_MAX_BYTES + 1), "over the 5 MB limit"),
        ("paper.docx", b"PK\x03\x04", "only .txt, .md"),
    ],
)
def test_check_upload_messages(name: str, data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        ingest.check_upload(name, data)


def test_check_upload_returns_text() -> None:
    assert ingest.check_upload("r.md", "\ufeffAl₂O₃ coating".encode()) == "Al₂O₃ coating"


def test_bad_upload_shows_error_and_changes_nothing(app: AppTest) -> None:
    before = app.caption[0].value
    open_tab(app, "Ingest")
    app.file_uploader(key="upload").set_value(
        ("bad.txt", b"\x00\x00binary\x00", "text/plain")
    ).run()
    assert not app.exception, app.exception
    assert any("binary" in e.value and "unchanged" in e.value for e in app.error)
    assert not [b for b in app.button if b.key == "ingest_add"]
    open_tab(app, "Ask")
    assert app.caption[0].value == before


def test_upload_without_sentences_is_refused(app: AppTest) -> None:
    open_tab(app, "Ingest")
    app.file_uploader(key="upload").set_value(("numbers.txt", b"1 2 3\n", "text/plain")).run()
    assert not app.exception, app.exception
    assert app.error


def test_good_upload_previews_coatings(app: AppTest) -> None:
    text = (
        "A review of coatings\n\n1. Introduction\n\n"
        "Kazyak et al. [85] revealed that an ultrathin (2 nm) Al2O3 coating deposited by ALD "
        "protected Li metal for 1200 cycles in symmetric cells.\n\n"
        "References\n\n[85] E. Kazyak, K. N. Wood, N. P. Dasgupta, Chem. Mater. 2015, 27, 6457.\n"
    )
    open_tab(app, "Ingest")
    app.file_uploader(key="upload").set_value(
        ("mini-review.txt", text.encode(), "text/plain")
    ).run()
    assert not app.exception, app.exception
    assert not app.error
    assert [m for m in app.metric if m.label == "sentences"]
    assert [b for b in app.button if b.key == "ingest_add"]


# --------------------------------------------------------------------------- helpers


def test_highlight_escapes_source_text() -> None:
    html = common.highlight_html("<script>x</script> Al2O3 on Li", [19, 24])
    assert "<script>" not in html
    assert "<mark>Al2O3</mark>" in html


def test_answer_frame_orders_columns_and_shows_units() -> None:
    frame = ask.answer_frame(
        [
            "ref",
            "study",
            "material",
            "technique",
            "substrate",
            "cycling_duration_h",
            "comparator",
            "evidence",
            "doc",
        ],
        [
            {
                "ref": 96,
                "doc": "d",
                "study": "[96] Lin et al. 2016",
                "material": "NaAlOx",
                "technique": "ALD",
                "substrate": "Na",
                "cycling_duration_h": 1000,
                "comparator": ">",
                "evidence": "x",
                "year": 2016,
                "doi": "10.1016/j.example.2016.01",
            }
        ],
    )
    assert frame.iloc[0]["DOI"] == "https://doi.org/10.1016/j.example.2016.01"
    assert frame.iloc[0]["year"] == "2016"
    assert list(frame.columns) == [
        "material",
        "technique",
        "substrate",
        "cycling duration (h)",
        "study",
        "year",
        "doc",
        "DOI",
    ]
    assert frame.iloc[0]["cycling duration (h)"] == ">1000"
    assert frame.iloc[0]["study"] == "[96] Lin et al. 2016"


def test_graph_page_is_offline_and_escaped() -> None:
    page = render_html([{"id": "a", "label": "</script><b>x", "centre": True}], [])
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "</script><b>" not in page


def test_technique_colours_are_stable_across_plots() -> None:
    first = compare.technique_colours(["MLD", "ALD", "ALD"])
    second = compare.technique_colours(["ALD", "MLD"])
    assert first == second and first["ALD"] != first["MLD"]


# --------------------------------------------------------------------------- hostile text

HOSTILE_URL = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_store(tmp_path_factory.mktemp("hostile") / "store", HOSTILE_URL)


def rendered_markdown(at: AppTest) -> list[str]:
    """Every string the app hands Streamlit to render as Markdown."""
    texts = [e.value for kind in ("markdown", "caption", "error", "info", "warning", "success")
             for e in getattr(at, kind)]  # fmt: skip
    return texts + [b.label for b in at.button] + [e.label for e in at.expander]


def assert_no_live_markdown(at: AppTest) -> None:
    """No image, link or raw tag from a document survives unescaped into rendered Markdown."""
    for text in rendered_markdown(at):
        assert "](" not in text, text
        assert not re.search(r"(?<!\\)<[A-Za-z/!]", text), text
        assert "://" not in text, text  # autolinks are broken by a word joiner


def hostile_app(hostile_store: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("KG_STORE", str(hostile_store))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_md_escapes_markdown_and_breaks_autolinks() -> None:
    assert md("![t](http://h/x)") == "\\!\\[t\\]\\(http\\:\u2060\\/\\/h\\/x\\)"
    assert md(":red[x] $x$ <b>") == "\\:red\\[x\\] \\$x\\$ \\<b\\>"
    assert md_inline("a\n\n# b") == "a \\# b"


def test_hostile_study_label_is_escaped_in_explore(
    hostile_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = labelled(hostile_store, "[7] ![t](")
    at = hostile_app(hostile_store, monkeypatch, entity=study)
    assert any(m.value == "### " + md_inline(f"[7] ![t]({HOSTILE_URL}/author) 2019")
               for m in at.markdown)  # fmt: skip
    assert_no_live_markdown(at)


def test_hostile_neighbour_buttons_are_escaped(
    hostile_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coating = labelled(hostile_store, "Al2O3 on Li")
    at = hostile_app(hostile_store, monkeypatch, entity=coating)
    assert any(md_inline(f"![t]({HOSTILE_URL}/author)") in b.label for b in at.button)
    assert_no_live_markdown(at)


def test_hostile_question_is_escaped(hostile_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = hostile_app(hostile_store, monkeypatch, q=f"![q]({HOSTILE_URL}/q) coatings on Li")
    assert at.info
    assert_no_live_markdown(at)


def test_sparql_error_echoing_the_query_is_escaped(
    hostile_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = hostile_app(hostile_store, monkeypatch)
    open_tab(at, "SPARQL")
    at.text_area(key="sparql_text").input(f"SELECT * WHERE {{ ![s]({HOSTILE_URL}/s) <img src=x>")
    at.button(key="sparql_run").click().run()
    assert at.error
    assert_no_live_markdown(at)


# --------------------------------------------------------------------------- links


def linked_app(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def copy_link_text(at: AppTest) -> str:
    return next(c.value for c in at.code if "?tab=" in c.value)


def test_ask_view_is_published_in_the_link(app: AppTest) -> None:
    app.button(key="example_0").click().run()
    assert app.query_params["tab"] == "ask"
    assert app.query_params["q"] == "coatings stable over 1000 h on Na"
    assert "q=coatings+stable+over+1000+h+on+Na" in copy_link_text(app)


def test_answer_rows_link_to_their_coating_and_back(app: AppTest) -> None:
    app.button(key="example_0").click().run()
    frame = app.dataframe[0].value
    row = frame[frame["material"] == "NaAlOx"].iloc[0]
    link = row["explore"]
    assert link.startswith("?tab=explore&entity=https")
    params = dict(p.split("=", 1) for p in link[1:].split("&"))
    from urllib.parse import unquote_plus

    at = linked_app(**{k: unquote_plus(v) for k, v in params.items()})
    assert at.session_state["tab"] == "Explore"
    assert any(m.value == "### " + md_inline("NaAlOx on Na [96]") for m in at.markdown)
    at.button(key="explore_back").click().run()
    assert at.session_state["tab"] == "Ask"
    assert "NaAlOx" in table_text(at)


def test_entity_link_by_label(app_store: Path) -> None:
    at = linked_app(entity="LiF")
    assert at.session_state["tab"] == "Explore"
    assert any(m.value == "### LiF" for m in at.markdown)
    assert at.query_params["entity"].startswith("https://w3id.org/ald-kg/")


def test_search_after_a_deep_link_shows_the_new_entity(app_store: Path) -> None:
    at = linked_app(entity="LiF")
    at.text_input(key="entity_find").input("NaAlOx").run()
    assert not at.exception, at.exception
    assert any(m.value == "### NaAlOx" for m in at.markdown)
    assert "naalox" in at.query_params["entity"].lower()


def test_sparql_link_restores_and_runs_the_query(app_store: Path) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/ald-kg/ontology#Coating> } LIMIT 3"
    at = linked_app(tab="sparql", sparql=query, timeout="30")
    assert at.text_area(key="sparql_text").value == query
    assert at.selectbox(key="sparql_timeout").value == 30.0
    assert len(at.dataframe[-1].value) == 3
    assert at.query_params["sparql"] == query


def test_compare_link_restores_the_filters(app_store: Path) -> None:
    at = linked_app(tab="compare", substrate=["Na", "Nowhere"])
    assert at.multiselect(key="f_substrate").value == ["Na"]
    assert set(at.dataframe[0].value["substrate"]) == {"Na"}
    assert at.query_params["substrate"] in (["Na"], "Na")


@pytest.mark.parametrize(
    "tab", ["Ask", "SPARQL", "Explore", "Compare", "Documents", "Export", "Ingest"]
)
def test_every_tab_has_a_link(app_store: Path, tab: str) -> None:
    at = linked_app(tab=tab.lower())
    assert at.session_state["tab"] == tab
    assert f"tab={tab.lower()}" in copy_link_text(at)


# --------------------------------------------------------------------------- new controls


def test_sparql_schema_panel_inserts_a_pattern(app: AppTest) -> None:
    from kg.app import sparql

    open_tab(app, "SPARQL")
    app.selectbox(key="schema_pick").set_value("akg:hasMaterial").run()
    app.button(key="schema_insert").click().run()
    text = app.text_area(key="sparql_text").value
    assert "?coating akg:hasMaterial ?material ." in text
    schema = next(d.value for d in app.dataframe if "comment" in d.value.columns)
    assert "akg:Coating" in set(schema["name"])
    assert sparql.select_order("SELECT * { ?z ?a ?m }", ["a", "m", "z"]) == ["z", "a", "m"]


def test_sparql_syntax_error_says_where_and_what_to_try(app: AppTest) -> None:
    open_tab(app, "SPARQL")
    app.text_area(key="sparql_text").input("SELECT ?s WHERE {\n  ?s ?p ?o\n")
    app.button(key="sparql_run").click().run()
    assert any("line" in e.value for e in app.error)
    assert any("'{' without a closing '}'" in c.value.replace("\\", "") for c in app.caption)


def test_sparql_columns_keep_select_order_and_prefixed_names(app: AppTest) -> None:
    open_tab(app, "SPARQL")
    app.text_area(key="sparql_text").input(
        "PREFIX akg: <https://w3id.org/ald-kg/ontology#>\n"
        "SELECT * WHERE { ?zcoating a akg:Coating ; akg:onSubstrate ?asubstrate } LIMIT 2"
    )
    app.button(key="sparql_run").click().run()
    result = app.dataframe[-1].value
    assert list(result.columns) == ["zcoating", "asubstrate"]
    assert all(v.startswith("akgv:") for v in result["asubstrate"])


@pytest.fixture
def scratch_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of its own (the hostile review) that a test may write to."""
    store = write_hostile_store(tmp_path / "store", HOSTILE_URL)
    monkeypatch.setenv("KG_STORE", str(store))
    return store


def test_documents_tab_lists_and_removes_with_confirmation(scratch_store: Path) -> None:
    at = linked_app(tab="documents")
    frame = next(d.value for d in at.dataframe if "triples" in d.value.columns)
    assert list(frame["document"]) == [DOC_ID]
    assert frame.iloc[0]["coatings"] == 1 and frame.iloc[0]["triples"] > 10
    at.selectbox(key="remove_pick").set_value(DOC_ID).run()
    at.button(key="remove_ask").click().run()
    assert any("Remove" in w.value for w in at.warning)
    assert "1 document(s)" in at.caption[0].value  # nothing removed before confirming
    at.button(key="remove_confirm").click().run()
    assert not at.exception, at.exception
    assert "0 document(s)" in at.caption[0].value
    assert any("Removed" in s.value for s in at.success)


def test_header_count_updates_after_ingest(scratch_store: Path) -> None:
    text = (
        "A short review\n\n1. Introduction\n\n"
        "Kazyak et al. [85] showed that a 2 nm Al2O3 film made by ALD protected Li metal for "
        "1200 cycles in symmetric cells.\n\n"
        "References\n\n[85] E. Kazyak, K. N. Wood, N. P. Dasgupta, Chem. Mater. 2015, 27, 6457.\n"
    )
    at = linked_app(tab="ingest")
    assert "1 document(s)" in at.caption[0].value
    at.file_uploader(key="upload").set_value(("second.txt", text.encode(), "text/plain")).run()
    frame = at.dataframe[0].value
    assert "temperature (°C)" in frame.columns or "material" in frame.columns
    assert not [c for c in frame.columns if c.endswith("_C")]  # readable headers
    at.button(key="ingest_add").click().run()
    assert not at.exception, at.exception
    assert "2 document(s)" in at.caption[0].value


# --------------------------------------------------------------------------- Explore data sheet


def _page(store_path: Path, label: str) -> tuple[object, explore.EntityPage]:
    from kg.store import open_store

    store = open_store(store_path, read_only=True)
    return store, explore.entity_page(store, explore.resolve(store, label))


def test_precursor_page_names_its_coatings_not_steps(app_store: Path) -> None:
    at = linked_app(entity="TMA")
    coatings = next(d.value for d in at.dataframe if "via" in d.value.columns)
    assert len(coatings) >= 5
    assert all(" on " in c for c in coatings["coating"])
    assert "NaAlOx on Na" in set(coatings["coating"])
    assert all(v.startswith("?tab=explore&entity=") for v in coatings["open"])
    assert not any("table-step" in b.label for b in at.button)
    related = next(d.value for d in at.dataframe if "relation" in d.value.columns)
    assert not any("table-step" in e for e in related["entity"])


def test_precursor_graph_is_grouped_and_labelled(app_store: Path) -> None:
    _, page = _page(app_store, "TMA")
    payload = graph_payload(*explore.neighbourhood(page))
    labels = [n["label"] for n in payload["nodes"]]
    assert len(labels) <= 15
    assert not any("/" in label for label in labels), labels
    group = next(n for n in payload["nodes"] if n["kind"] == "group")
    assert group["label"].endswith("× uses precursor")
    assert all(len(n["short"]) <= 22 for n in payload["nodes"])


def test_coating_page_lists_measurements_with_units_and_sources(app_store: Path) -> None:
    store, page = _page(app_store, "NaAlOx on Na [96]")
    frame = explore.measurement_frame(store, page)
    cycling = frame[frame["quantity"] == "cycling duration"]
    assert set(cycling["value"]) == {"> 1000"} and set(cycling["unit"]) == {"h"}
    assert all("Table 2" in s for s in cycling["source"])
    card = explore.summary(page)
    assert card.kind == "Coating" and card.label == "NaAlOx on Na [96]"


# --------------------------------------------------------------------------- Compare


def test_side_by_side_of_chosen_coatings(app: AppTest) -> None:
    open_tab(app, "Compare")
    options = app.multiselect(key="compare_pick").options
    assert len(options) >= 2
    frame = app.dataframe[0].value
    picked = list(frame["coating IRI"][:2])
    app.multiselect(key="compare_pick").set_value(picked).run()
    assert not app.exception, app.exception
    table = next(d.value for d in app.dataframe if "thickness (nm)" in d.value.index)
    assert table.shape[1] == 2
    assert {"material", "technique", "year", "longest cycling (h)"} <= set(table.index)
    assert [
        b for b in app.get("download_button") if b.proto.label.startswith("Download the comparison")
    ]
    assert app.query_params["pick"] in (picked, picked[0])


def test_each_point_at_its_own_samples_values(app_store: Path) -> None:
    from kg.store import open_store
    from kg.table import coatings_table

    store = open_store(app_store, read_only=True)
    frame = compare.compare_frame(coatings_table(store))
    points = compare.duration_vs_thickness(frame)
    several = points[points["samples"] == "several samples"]
    assert not several.empty  # a study with 1.4, 3.5 and 7 nm samples and one duration
    row = several.iloc[0]
    assert row["x"] - row["below"] == row["thickness_min"]
    assert row["x"] + row["above"] == row["thickness_max"]
    single = points[points["samples"] == "one sample"]
    assert (single["x"] == single["thickness_value"]).all()


def test_technique_colours_fixed_and_unlike_the_reference_line() -> None:
    colours = compare.technique_colours(["MLD", "ALD", "thermal ALD", "unknown"])
    assert colours == compare.technique_colours(["thermal ALD", "ALD", "MLD"]) | {
        "unknown": compare.UNKNOWN
    }
    assert compare.REFERENCE_LINE not in colours.values()
    assert len(set(colours.values())) == len(colours)


def test_year_counts_are_integers(app_store: Path) -> None:
    from kg.store import open_store
    from kg.table import coatings_table

    frame = compare.compare_frame(coatings_table(open_store(app_store, read_only=True)))
    counts = compare.counts_per_year(frame)
    assert counts["coatings"].dtype.kind == "i" and counts["year"].dtype.kind == "i"
    assert compare.log_ticks(300, 1000) == [200, 500, 1000, 2000]


def test_table_row_evidence_is_its_header_over_its_cells() -> None:
    """A table row is drawn under its table's header, the mark kept inside the one cell it
    falls in, and each cell escaped on its own."""
    from kg.app.common import evidence_html

    item = {
        "cells": ["135", "8 nm", "<b>x</b>"],
        "header": ["T (°C)", "Thickness", "Note"],
        "text": "135 | 8 nm | <b>x</b>",
        "highlight": [6, 10],
    }
    out = evidence_html(item)
    assert out.count("<th") == 3 and out.count("<td") == 3
    assert "<td" in out and "<mark>8 nm</mark>" in out
    assert "<mark>135" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert "1358" not in out
