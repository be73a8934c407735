"""The app in a real headless Chromium against `streamlit run`: type a question, see the answer.

Saves screenshots to artifacts/ (gitignored) so a person can look at what a first-time user sees.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, urlencode

import pytest

from tests.hostile import DOC_ID, labelled, write_hostile_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_app(store: Path, log_name: str) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port serving ``store``; yields its URL."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    port = _free_port()
    env = {**os.environ, "KG_STORE": str(store)}
    env.pop("KG_ENDPOINT", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url, log_name)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(process: subprocess.Popen, url: str, log_name: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {process.returncode}; see artifacts/{log_name}"
            )
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer at {url} within 60 s")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def app_url(browser_store: Path) -> Iterator[str]:
    """The app serving the fixture store of the real corpus."""
    with serve_app(browser_store, "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # Waits are for conditions; the limit only stops a test that can never pass (a
        # loaded machine, 5 engineers on 2 cores, takes minutes where an idle one takes s).
        page.set_default_timeout(180_000)
        yield page
        browser.close()


def _ask(page: object, app_url: str, question: str) -> None:
    """Type ``question`` into the Ask tab's box and wait for its interpretation."""
    page.goto(app_url)
    box = page.get_by_label("Question")
    box.wait_for()
    box.fill(question)
    box.press("Enter")
    page.get_by_text("Understood:").wait_for()


def test_first_page(page: object, app_url: str) -> None:
    page.goto(app_url)
    page.get_by_text("ALD/MLD coatings on alkali-metal anodes").first.wait_for()
    page.get_by_role("button", name="coatings stable over 1000 h on Na").wait_for()
    page.screenshot(path=str(ARTIFACTS / "01-first-page.png"), full_page=True)


def test_typed_question_shows_the_answer(page: object, app_url: str) -> None:
    _ask(page, app_url, "coatings stable over 1000 h on Na")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.get_by_text("Evidence (").wait_for()
    # The table is drawn on a canvas; its accessible grid cells carry the text.
    cell = page.locator("[data-testid='stDataFrame'] [role='gridcell']", has_text="NaAlOx")
    cell.first.wait_for(state="attached")
    page.locator("mark", has_text="1000 h").first.wait_for()
    assert "NaAlOx" in page.content()
    page.wait_for_url("**q=coatings*")
    page.screenshot(path=str(ARTIFACTS / "02-ask-answer.png"), full_page=True)


def test_table_row_evidence_shows_its_header(page: object, app_url: str) -> None:
    """A table row's evidence is drawn as its table's header over its cells, never as cells
    glued together; the answer is downloadable beside the table."""
    _ask(page, app_url, "ZrO2 coatings on Li")
    header = page.locator("table.evidence-row th", has_text="ALD Process")
    header.first.wait_for(state="attached")
    cell = page.locator("table.evidence-row td", has_text="ZrO2")
    cell.first.wait_for(state="attached")
    page.get_by_role("button", name="Download the answer (CSV)").wait_for()
    page.get_by_role("button", name="Download the answer (JSON)").wait_for()
    page.screenshot(path=str(ARTIFACTS / "02b-table-row-evidence.png"), full_page=True)


def test_compare_tab_plots(page: object, app_url: str) -> None:
    page.goto(app_url)
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.get_by_role("tab", name="Compare").click()
    page.get_by_text("coatings", exact=False).first.wait_for()
    _wait_settled(page)
    # Plotly has drawn its data (not only the empty frame): a trace is in the SVG.
    page.locator(".js-plotly-plot .main-svg g.trace").first.wait_for(state="attached")
    page.screenshot(path=str(ARTIFACTS / "03-compare.png"), full_page=True)


def _labelled(built: list, label: str) -> str:
    """The IRI of the node labelled ``label`` in the built documents (IRIs of studies known by
    their reference entry are shared across documents, so they are looked up, not spelled)."""
    for doc in built:
        for line in doc.load_ntriples().splitlines():
            if "rdf-schema#label>" in line and f'"{label}"' in line:
                return line.split(" ", 1)[0].strip("<>")
    raise AssertionError(f"no node labelled {label!r}")


def test_explore_tab_graph(page: object, app_url: str, corpus_built: list) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    coating = quote(_labelled(corpus_built, "NaAlOx on Na [96]"), safe="")
    page.goto(f"{app_url}/?entity={coating}")
    page.get_by_text("NaAlOx on Na [96]").first.wait_for()
    frame = page.frame_locator("iframe").first
    frame.locator("svg circle").first.wait_for()
    time.sleep(2.0)
    page.screenshot(path=str(ARTIFACTS / "04-explore.png"), full_page=True)


def test_sparql_tab_runs_an_example(page: object, app_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(app_url)
    page.get_by_role("tab", name="SPARQL").click()
    page.get_by_role("button", name="Run").wait_for()
    page.get_by_role("button", name="Run").click()
    page.get_by_text("row(s) in").wait_for()
    page.locator("[data-testid='stDataFrame']").last.wait_for()
    page.screenshot(path=str(ARTIFACTS / "05-sparql.png"), full_page=True)


# --------------------------------------------------------------------------- shared links

LINK_QUERY = (
    "SELECT ?material WHERE { ?c a akg:Coating ; akg:hasMaterial/skos:prefLabel ?material } LIMIT 5"
)

#: tab → (link parameters, text the view must show, screenshot name)
SHARED_LINKS: dict[str, tuple[dict[str, str], str, str]] = {
    "ask": ({"q": "which precursors make LiF?"}, "Understood:", "10-ask.png"),
    "sparql": ({"sparql": LINK_QUERY, "timeout": "30"}, "row(s) in", "11-sparql.png"),
    "explore": ({"entity": "LiF"}, "Coatings that use it", "12-explore.png"),
    "compare": ({"substrate": "Na"}, "coatings**", "13-compare.png"),
    "documents": ({}, "Documents in the graph", "14-documents.png"),
    "export": ({}, "Export the graph", "15-export.png"),
    "ingest": ({}, "Add a document", "16-ingest.png"),
}


@pytest.mark.parametrize("tab", list(SHARED_LINKS))
def test_shared_link_opens_the_same_view(page: object, app_url: str, tab: str) -> None:
    params, expected, shot = SHARED_LINKS[tab]
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{app_url}/?{urlencode({'tab': tab, **params})}")
    page.get_by_role("tab", name=tab.capitalize() if tab != "sparql" else "SPARQL",
                     selected=True).wait_for()  # fmt: skip
    page.get_by_text(expected.strip("*"), exact=False).first.wait_for()
    _wait_settled(page)
    if tab == "sparql":
        assert page.get_by_role("textbox", name="Query (read-only").input_value() == LINK_QUERY
    if tab == "compare":
        page.get_by_text("of ", exact=False).first.wait_for()
        page.locator("[data-testid='stMultiSelect']", has_text="Na").first.wait_for()
    if tab == "explore":
        page.get_by_role("heading", name="LiF", exact=True).wait_for()
    # The address bar still links to this view once the page has drawn it.
    assert f"tab={tab}" in page.url
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


# --------------------------------------------------------------------------- hostile labels


class _Canary(http.server.BaseHTTPRequestHandler):
    """Records every request: a rendered image or script from a document would land here."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(204)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    _Canary.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Canary.seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile_store(canary: tuple[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of only the hostile review, whose labels point images at the canary."""
    return write_hostile_store(tmp_path_factory.mktemp("hostile") / "store", canary[0])


@pytest.fixture(scope="module")
def hostile_url(hostile_store: Path) -> Iterator[str]:
    with serve_app(hostile_store, "streamlit-hostile.log") as url:
        yield url


def _no_injection(page: object, canary_url: str) -> None:
    """No element from a document's text: no image or script at the canary, no script ran.

    The graph's ``<script type="application/json">`` holds labels as data, never run.
    """
    for frame in page.frames:
        found = frame.evaluate(
            """(u) => Array.from(document.querySelectorAll(
                   'img,iframe,a,script:not([type="application/json"])'))
                 .filter(e => (e.src || e.href || e.textContent || '').includes(u)
                              || (e.textContent || '').includes('pwned'))
                 .map(e => e.outerHTML)""",
            canary_url,
        )
        assert found == [], found
    assert page.evaluate("window.pwned") is None


def _wait_settled(page: object) -> None:
    """Until the run has finished: the copy-link control is drawn last."""
    page.get_by_role("button", name="Copy link to this view").wait_for()
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")
    time.sleep(0.5)


def test_hostile_labels_render_as_text(
    page: object, hostile_url: str, hostile_store: Path, canary: tuple[str, list[str]]
) -> None:
    url, seen = canary
    study = quote(labelled(hostile_store, "[7] ![t]("), safe="")
    page.goto(f"{hostile_url}/?entity={study}")
    # The heading shows the author's Markdown as the characters it is (a URL in it carries an
    # invisible word joiner so it is not made a link).
    heading = page.get_by_role("heading", name="[7] ![t](")
    heading.wait_for()
    assert heading.inner_text().replace("\u2060", "") == f"[7] ![t]({url}/author) 2019"
    _wait_settled(page)
    _no_injection(page, url)
    page.screenshot(path=str(ARTIFACTS / "90-hostile-study.png"), full_page=True)

    coating = quote(labelled(hostile_store, "Al2O3 on Li"), safe="")
    page.goto(f"{hostile_url}/?entity={coating}")
    page.get_by_role("button", name="![t](").first.wait_for()
    _wait_settled(page)
    _no_injection(page, url)

    document = quote(f"https://w3id.org/ald-kg/id/{DOC_ID}", safe="")
    page.goto(f"{hostile_url}/?entity={document}")
    page.get_by_role("heading", name=DOC_ID).first.wait_for()
    _wait_settled(page)
    _no_injection(page, url)
    page.screenshot(path=str(ARTIFACTS / "91-hostile-document.png"), full_page=True)
    assert seen == []


def test_hostile_question_and_query_error_render_as_text(
    page: object, hostile_url: str, canary: tuple[str, list[str]]
) -> None:
    url, seen = canary
    question = f"![q]({url}/question) coatings on Li"
    page.goto(f"{hostile_url}/?q={quote(question)}")
    page.get_by_text("Understood:").wait_for()
    _wait_settled(page)
    _no_injection(page, url)

    page.get_by_role("tab", name="SPARQL").click()
    editor = page.get_by_role("textbox", name="Query (read-only")
    editor.wait_for()
    editor.fill(f"SELECT * WHERE {{ ![s]({url}/sparql) <img src='{url}/sparql-img'>")
    page.get_by_role("button", name="Run").click()
    page.locator("[data-testid='stAlert']").first.wait_for()
    _wait_settled(page)
    alert = page.locator("[data-testid='stAlert']").first.inner_text()
    assert f"![s]({url}/sparql)" in alert.replace("\u2060", "")
    _no_injection(page, url)
    page.screenshot(path=str(ARTIFACTS / "92-hostile-sparql-error.png"), full_page=True)
    assert seen == []
