"""`kg serve` as users run it: a real process, stopped by signals, leaving nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

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


def _group_members(pgid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            count += int(fields[2]) == pgid
    return count


def _gone(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 20
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _group_alive(process.pid), "a process of kg serve's group is still running"
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "something still answers on the port"


def _slow_query_in_background(port: int) -> None:
    data = urllib.parse.urlencode({"query": SLOW}).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    request = (
        f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode() + data
    sock.sendall(request)
    time.sleep(1.0)  # the worker has started
    sock.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_kg_serve_leaves_nothing_behind(tmp_path: Path, sig: signal.Signals) -> None:
    port = _free_port()
    process = _start(_store(tmp_path / "kg"), port)
    try:
        remote = RemoteStore(f"http://127.0.0.1:{port}")
        assert remote.documents() == ["doc"]
        _slow_query_in_background(port)
        assert _group_members(process.pid) >= 2  # kg serve and the query's worker
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


def test_kg_serve_caps_concurrent_queries_with_503_and_retry_after(tmp_path: Path) -> None:
    """One query beyond --max-concurrent is refused at once, not queued; the next one runs."""
    import threading

    from kg.stores.server import serve

    path = _store(tmp_path / "kg")
    with serve(path, port=0, timeout_s=8, max_concurrent=1) as server:
        data = urllib.parse.urlencode({"query": SLOW}).encode()
        slow_outcome: list[object] = []

        def slow() -> None:
            try:
                urllib.request.urlopen(f"{server.url}/query", data=data, timeout=120)
            except urllib.error.HTTPError as e:  # stopped at the server's time limit
                slow_outcome.append(e.code)

        thread = threading.Thread(target=slow, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while server.server.in_progress == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.server.in_progress == 1
        quick = urllib.parse.urlencode({"query": 'ASK { ?s ?p "l7" }'})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{server.url}/query?{quick}", timeout=30)
        assert e.value.code == 503
        assert e.value.headers["Retry-After"] == "1"
        assert b"busy: 1 queries are running" in e.value.read()
        assert server.server.in_progress == 1  # the refused one never ran
        thread.join(120)
        assert slow_outcome == [503]  # its time limit, not the cap
        # The client has its answer a moment before the handler's `finally` frees the slot.
        deadline = time.monotonic() + 30
        while server.server.in_progress and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.server.in_progress == 0, "slot still taken"
        for _ in range(3):  # the slot is free again once it ended
            try:
                response = urllib.request.urlopen(f"{server.url}/query?{quick}", timeout=30)
            except urllib.error.HTTPError as e:
                raise AssertionError(e.read()) from e
            with response:
                assert json.loads(response.read())["boolean"] is True
