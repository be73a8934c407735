"""The app in a real headless Chromium against `streamlit run`: type a question, see the answer.

Saves screenshots to artifacts/ (gitignored) so a person can look at what a first-time user sees.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def app_url(browser_store: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port, serving the fixture store."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    port = _free_port()
    env = {**os.environ, "KG_STORE": str(browser_store)}
    env.pop("KG_ENDPOINT", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("wb")
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
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode}; see artifacts/streamlit.log"
                )
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer at {url} within 60 s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def page(app_url: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        yield page
        browser.close()


def test_first_page(page: object, app_url: str) -> None:
    page.goto(app_url)
    page.get_by_text("ALD/MLD coatings on alkali-metal anodes").first.wait_for()
    page.get_by_role("button", name="coatings stable over 1000 h on Na").wait_for()
    page.screenshot(path=str(ARTIFACTS / "01-first-page.png"), full_page=True)


def test_typed_question_shows_the_answer(page: object, app_url: str) -> None:
    page.goto(app_url)
    box = page.get_by_label("Question")
    box.wait_for()
    box.fill("coatings stable over 1000 h on Na")
    box.press("Enter")
    page.get_by_text("Understood:").wait_for()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.get_by_text("Evidence (").wait_for()
    # The table is drawn on a canvas; its accessible grid cells carry the text.
    cell = page.locator("[data-testid='stDataFrame'] [role='gridcell']", has_text="NaAlOx")
    cell.first.wait_for(state="attached")
    page.locator("mark", has_text="1000 h").first.wait_for()
    assert "NaAlOx" in page.content()
    page.wait_for_url("**q=coatings*")
    page.screenshot(path=str(ARTIFACTS / "02-ask-answer.png"), full_page=True)


def test_compare_tab_plots(page: object, app_url: str) -> None:
    page.goto(app_url)
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.get_by_role("tab", name="Compare").click()
    page.get_by_text("coatings", exact=False).first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    time.sleep(1.0)
    page.screenshot(path=str(ARTIFACTS / "03-compare.png"), full_page=True)


def test_explore_tab_graph(page: object, app_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(
        app_url
        + "/?entity=https%3A%2F%2Fw3id.org%2Fald-kg%2Fid%2Fald-mld-alkali-metal-anodes-review%2Fcoating%2F96-naalox"
    )
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
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "05-sparql.png"), full_page=True)
