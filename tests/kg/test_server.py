"""`kg serve` as users run it: a real process, stopped by signals, leaving nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.stores import doc_graph_iri, open_store
from kg.stores.remote import RemoteStore, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# A query that runs for minutes: a cross product of every triple with itself, four times.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _store(path: Path, n: int = 300) -> Path:
    with open_store(path) as writer:
        nt = "".join(f'<https://w3id.org/ald-kg/id/s{i}> <{LABEL}> "l{i}" .\n' for i in range(n))
        writer.replace_graph(doc_graph_iri("doc"), nt)
    return path


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(path), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so we can look for leftovers
    )
    wait_until_up(f"http://127.0.0.1:{port}", timeout_s=60, process=process)
    return process


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out.append((int(entry.name), int(fields[1]), int(fields[2])))
    return out


def _group_members(pgid: int) -> int:
    return sum(group == pgid for _, _, group in _processes())


def _children(pid: int) -> int:
    return sum(parent == pid for _, parent, _ in _processes())


def _gone(process: subprocess.Popen[bytes], port: int) -> None:
    _until(lambda: not _group_alive(process.pid), "every process of kg serve's group ended")
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "something still answers on the port"


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for a condition (not for a time): a loaded machine only makes it slower."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.02)


def _slow_query_in_background(port: int) -> socket.socket:
    """Send the slow query and leave its connection open (the caller closes it)."""
    data = urllib.parse.urlencode({"query": SLOW}).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    request = (
        f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode() + data
    sock.sendall(request)
    return sock


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_kg_serve_leaves_nothing_behind(tmp_path: Path, sig: signal.Signals) -> None:
    port = _free_port()
    process = _start(_store(tmp_path / "kg"), port)
    try:
        remote = RemoteStore(f"http://127.0.0.1:{port}")
        assert remote.documents() == ["doc"]
        with _slow_query_in_background(port):
            # kg serve, its fork host and the query's worker (a loaded machine starts it late)
            _until(lambda: _group_members(process.pid) >= 3, "the query's worker started")
            assert _children(process.pid) == 1  # the host: the threaded server never forks
            process.send_signal(sig)
            process.wait(30)
        _gone(process, port)
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)


def test_kg_serve_time_limit_and_formats(tmp_path: Path) -> None:
    from kg.stores.server import serve

    with serve(_store(tmp_path / "kg"), port=0, timeout_s=1, max_rows=5) as server:
        data = urllib.parse.urlencode({"query": SLOW}).encode()
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{server.url}/query", data=data, timeout=30)
        assert e.value.code == 503
        assert b"longer than 1 s" in e.value.read()

        query = urllib.parse.urlencode({"query": f"SELECT ?l WHERE {{ ?s <{LABEL}> ?l }}"})
        csv_request = urllib.request.Request(
            f"{server.url}/query?{query}", headers={"Accept": "text/csv"}
        )
        with urllib.request.urlopen(csv_request, timeout=30) as response:
            assert response.headers["X-KG-Truncated"] == "true"
            lines = response.read().decode().splitlines()
        assert lines[0] == "l" and len(lines) == 6

        ask = urllib.parse.urlencode({"query": 'ASK { ?s ?p "l7" }'})
        with urllib.request.urlopen(f"{server.url}/query?{ask}", timeout=30) as response:
            assert json.loads(response.read())["boolean"] is True


WRITER = """
import sys, time
from pathlib import Path
from kg.stores import doc_graph_iri, open_store
path, flags = Path(sys.argv[1]), Path(sys.argv[2])
with open_store(path) as writer:
    writer.replace_graph(doc_graph_iri("new"), '<urn:x:a> <urn:x:p> "new" .\\n')
    (flags / "written").touch()
    while not (flags / "go").exists():
        time.sleep(0.05)
"""


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_kg_serve_sees_each_commit_of_another_process(tmp_path: Path) -> None:
    """Readers see a writer's batch all at once, when it commits; the replica reloads then."""
    from kg.stores.server import serve

    path = _store(tmp_path / "kg", n=3)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with serve(path, port=0) as server:
        remote = RemoteStore(server.url)
        assert remote.documents() == ["doc"]
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(tmp_path)],
            env=env,
            stderr=subprocess.PIPE,
        )
        _wait_for(tmp_path / "written", writer)
        assert remote.documents() == ["doc"]  # written, not committed: the checkpoint
        (tmp_path / "go").touch()
        assert writer.wait(60) == 0
        assert remote.documents() == ["doc", "new"]


class _Gate:
    """A query source whose calls wait until the test opens the gate: a query that holds its
    slot exactly as long as the test wants, whatever the machine's load."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.entered = threading.Event()
        self.opened = threading.Event()

    def call(self, fn: Any, *args: Any, timeout_s: float) -> Any:
        self.entered.set()
        assert self.opened.wait(300), "the test never opened the gate"
        return self.source.call(fn, *args, timeout_s=timeout_s)

    def close(self) -> None:
        self.source.close()


def test_kg_serve_caps_concurrent_queries_with_503_and_retry_after(tmp_path: Path) -> None:
    """One query beyond --max-concurrent is refused at once, not queued; the next one runs."""
    from kg.stores.server import serve

    quick = urllib.parse.urlencode({"query": 'ASK { ?s ?p "l7" }'})
    with serve(_store(tmp_path / "kg"), port=0, timeout_s=60, max_concurrent=1) as server:
        gate = _Gate(server.server.source)
        server.server.source = gate
        held: list[object] = []

        def holding() -> None:
            with urllib.request.urlopen(f"{server.url}/query?{quick}", timeout=300) as response:
                held.append(json.loads(response.read())["boolean"])

        thread = threading.Thread(target=holding, daemon=True)
        thread.start()
        assert gate.entered.wait(120), "the first query never started"
        assert server.server.in_progress == 1
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{server.url}/query?{quick}", timeout=120)
        assert e.value.code == 503
        assert e.value.headers["Retry-After"] == "1"
        assert b"busy: 1 queries are running" in e.value.read()
        assert server.server.in_progress == 1  # the refused one never ran
        gate.opened.set()
        thread.join(300)
        assert held == [True]  # the query that held the slot was answered
        # The client has its answer a moment before the handler's `finally` frees the slot.
        _until(lambda: server.server.in_progress == 0, "the slot is freed")
        for _ in range(3):  # the slot is free again once it ended
            try:
                response = urllib.request.urlopen(f"{server.url}/query?{quick}", timeout=120)
            except urllib.error.HTTPError as e:
                raise AssertionError(e.read()) from e
            with response:
                assert json.loads(response.read())["boolean"] is True
