"""kg.stores.forkhost: workers forked by a single-threaded host, killed at their limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import QueryTimeout, StoreError
from kg.stores import doc_graph_iri, open_store
from kg.stores.forkhost import ForkHost
from tests.worker_jobs import LABEL, count_labels, refuse, sleep_for


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.fixture(params=["replica", "disk"])
def host(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ForkHost]:
    with open_store(tmp_path / "kg") as writer:
        nt = "".join(f'<https://w3id.org/ald-kg/id/s{i}> <{LABEL}> "l{i}" .\n' for i in range(7))
        writer.replace_graph(doc_graph_iri("doc"), nt)
    host = ForkHost(tmp_path / "kg", replica=request.param == "replica")
    try:
        yield host
    finally:
        host.close()


def test_a_worker_answers_and_errors_come_back_as_ours(host: ForkHost) -> None:
    assert host.call(count_labels, timeout_s=60) == 7
    with pytest.raises(StoreError, match="refused on purpose"):
        host.call(refuse, timeout_s=60)


def test_a_worker_past_its_limit_is_killed(host: ForkHost) -> None:
    with pytest.raises(QueryTimeout):
        host.call(sleep_for, 600, timeout_s=0.5)
    deadline = time.monotonic() + 60
    while _children(host.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _children(host.process.pid) == []  # no worker left behind
    assert host.call(count_labels, timeout_s=60) == 7  # and the host still serves


def test_a_host_that_is_gone_is_named(host: ForkHost) -> None:
    host.process.kill()
    host.process.wait(10)
    with pytest.raises(StoreError, match="Restart kg serve"):
        host.call(count_labels, timeout_s=10)
