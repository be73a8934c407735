"""The app reads while other processes write, and answers questions within their time limits.

The app opens the store read-only (the replica), so `kg ingest` in another process writes while
the app is open, and the app's pages never fail meanwhile. Questions and SPARQL go to the
single-threaded service process of kg.app.service; one that does not answer in time is killed
and replaced, while the app's other threads keep working.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kg.app.service import QueryService
from kg.ask import ask
from kg.query import QueryRefused, QueryTimeout
from kg.stores import open_reader, open_store
from tests.hostile import DOC_ID, write_hostile_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PY = sys.executable
QUESTION = "coatings stable over 1000 h on Na"

# A second document, in our own words, for writers to add.
SECOND = (
    "A short review of lithium protection\n\n1. Introduction\n\n"
    "A 4 nm ZrO2 film grown by ALD at 120 °C let a Li metal anode cycle for 700 h [3].\n\n"
    "References\n\n[3] A. Writer, B. Reader, Thin Films 2021, 12, 345.\n"
)

# A writer process: writes one document graph, says so, waits for a line, then commits.
WRITER = """
import sys
from kg.stores import doc_graph_iri, open_store
store = open_store(sys.argv[1])
store.replace_graph(doc_graph_iri("held-back"),
    '<https://w3id.org/ald-kg/id/held-back/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\\n')
print("written", flush=True)
sys.stdin.readline()
store.close()
print("committed", flush=True)
"""


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root, "KG_LOCK_WAIT_S": "5"}


@pytest.fixture
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of one document that the test may write to, with KG_STORE pointing at it."""
    store = write_hostile_store(tmp_path / "store", "http://127.0.0.1:9")
    monkeypatch.setenv("KG_STORE", str(store))
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    return store


def _page(at: AppTest) -> str:
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at.caption[0].value


def test_kg_ingest_writes_while_the_app_is_open(own_store: Path, tmp_path: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    assert "1 document(s)" in _page(at)
    second = tmp_path / "second-review.txt"
    second.write_text(SECOND, encoding="utf-8")
    done = subprocess.run(
        [PY, "-m", "kg.cli", "ingest", "--store", str(own_store), str(second)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 document(s)" in _page(at)


class HeldWriter:
    """A writer process (WRITER) that has written one graph and holds the store until told."""

    def __init__(self, store: Path) -> None:
        self.process = subprocess.Popen(
            [PY, "-c", WRITER, str(store)],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdin is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        assert self.stdout.readline() == "written\n"

    def commit(self) -> None:
        """Let the writer commit and wait until it says it did."""
        self.stdin.write("\n")
        self.stdin.flush()
        assert self.stdout.readline() == "committed\n"


@pytest.fixture
def start_writer() -> Iterator[Callable[[Path], HeldWriter]]:
    """Starts held writers on a store; each is killed at the end of the test."""
    started: list[HeldWriter] = []

    def start(store: Path) -> HeldWriter:
        started.append(HeldWriter(store))
        return started[-1]

    yield start
    for writer in started:
        writer.process.kill()
        writer.process.wait(10)


def test_app_pages_load_while_a_writer_holds_the_store(
    own_store: Path, start_writer: Callable[[Path], HeldWriter]
) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    assert "1 document(s)" in _page(at)
    writer = start_writer(own_store)
    # The writer has the store open and a graph written: the app reads the state before
    # the batch, without an error, on every tab that reads.
    assert "1 document(s)" in _page(at)
    at.session_state["tab"] = "Documents"
    assert "1 document(s)" in _page(at)
    writer.commit()
    assert "2 document(s)" in _page(at)


def test_a_change_in_the_app_waits_for_the_writer_and_says_so(
    own_store: Path, monkeypatch: pytest.MonkeyPatch, start_writer: Callable[[Path], HeldWriter]
) -> None:
    from kg.app import resources
    from kg.errors import StoreBusy

    monkeypatch.setattr(resources, "WRITE_WAIT_S", 1.0)
    ctx = resources.AppContext(store=open_reader(own_store), location=str(own_store), documents=())
    writer = start_writer(own_store)
    with pytest.raises(StoreBusy, match="Wait for it to finish"), ctx.writing():
        pass
    writer.commit()
    with ctx.writing() as store:  # free again once the other writer committed
        assert DOC_ID in store.documents()


# --------------------------------------------------------------------------- the service


@pytest.fixture
def service(app_store: Path) -> Iterator[QueryService]:
    service = QueryService(str(app_store))
    try:
        yield service
    finally:
        service.close()


def test_service_answers_as_ask_does_in_process(service: QueryService, app_store: Path) -> None:
    with open_store(app_store, read_only=True) as disk:
        expected = ask(QUESTION, disk)
    answer = service.ask(QUESTION)
    assert answer.rows == expected.rows and answer.summary == expected.summary
    assert {r["material"] for r in answer.rows} >= {"NaAlOx"}


def test_service_runs_checked_sparql(service: QueryService) -> None:
    with pytest.raises(QueryRefused):
        service.run_query("DELETE WHERE { ?s ?p ?o }", timeout_s=10, max_rows=100)
    assert service.pid is None  # refused before any process was needed
    result = service.run_query(
        "SELECT ?c WHERE { ?c a akg:Coating } LIMIT 3", timeout_s=10, max_rows=100
    )
    assert len(result.rows) == 3


def test_a_question_over_its_limit_is_refused_and_the_service_stays(service: QueryService) -> None:
    with pytest.raises(QueryTimeout) as caught:
        service.ask(QUESTION, timeout_s=0.001)  # the service's worker is stopped at the limit
    assert caught.value.timeout_s == 0.001
    pid = service.pid
    assert service.ask(QUESTION).rows
    assert service.pid == pid


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/status").read_text().count("zombie") > 0


def test_a_stuck_service_is_refused_in_time_replaced_and_the_app_keeps_reading(
    service: QueryService, app_store: Path
) -> None:
    assert service.ask(QUESTION).rows
    stuck = service.pid
    assert stuck is not None
    os.kill(stuck, signal.SIGSTOP)  # as if it hung (a lock copied by a fork, a busy machine)
    outcome: list[BaseException] = []
    order: list[str] = []

    def asking() -> None:
        try:
            service.ask(QUESTION, timeout_s=5)
        except BaseException as e:
            outcome.append(e)
        order.append("question refused")

    thread = threading.Thread(target=asking)
    thread.start()
    reader = open_reader(app_store)
    assert reader.documents()  # another session's read, while the question waits
    order.append("read done")
    thread.join(60)
    assert order == ["read done", "question refused"]
    assert len(outcome) == 1 and isinstance(outcome[0], QueryTimeout)
    assert _gone(stuck)
    assert service.ask(QUESTION).rows  # answered by its successor
    assert service.pid != stuck


def test_the_service_ends_when_the_app_is_killed(app_store: Path) -> None:
    app = subprocess.Popen(
        [PY, "-c", (
            "import sys, time\n"
            "from kg.app.service import QueryService\n"
            "s = QueryService(sys.argv[1])\n"
            "s.ask('coatings on Li')\n"
            "print(s.pid, flush=True)\n"
            "time.sleep(600)\n"
        ), str(app_store)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert app.stdout is not None
        pid = int(app.stdout.readline())
        app.kill()
        app.wait(10)
        deadline = time.monotonic() + 60
        while not _gone(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(pid)
    finally:
        app.kill()
