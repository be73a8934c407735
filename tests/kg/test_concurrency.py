"""One store folder, several processes: readers never fail while a writer works, writers queue,
and a writer killed mid-batch leaves nothing half-written (kg/stores/locking.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.stores import OxigraphStore, doc_graph_iri, open_store

ROOT = Path(__file__).resolve().parents[2]
P = "https://w3id.org/ald-kg/ontology#n"

# Writes graphs g0..g{n-1} of `size` triples each in one open (one batch), touches FLAG/written,
# then waits for FLAG/go (or is killed) before it commits.
WRITER = f"""
import sys, time
from pathlib import Path
from kg.stores import doc_graph_iri, open_store
path, flags, n, size, tag = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
with open_store(path) as writer:
    for g in range(n):
        nt = "".join(f'<urn:x:{{tag}}{{g}}s{{i}}> <{P}> "{{tag}}" .\\n' for i in range(size))
        writer.replace_graph(doc_graph_iri(f"g{{g}}"), nt)
    (flags / f"written-{{tag}}").touch()
    while not (flags / "go").exists():
        time.sleep(0.02)
"""


def _writer(path: Path, flags: Path, n: int, size: int, tag: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(path), str(flags), str(n), str(size), tag]
    return subprocess.Popen([sys.executable, "-c", WRITER, *args], env=env, stderr=subprocess.PIPE)


def _wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _seen(path: Path) -> tuple[str, ...]:
    """The tags of every graph a fresh reader sees (one tag per batch that wrote it)."""
    with OxigraphStore(path, read_only=True) as reader:
        rows = reader.select(f"SELECT DISTINCT ?t WHERE {{ ?s <{P}> ?t }}")
        return tuple(sorted(r["t"] for r in rows))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "kg"
    with open_store(path) as writer:
        for g in range(3):
            writer.replace_graph(doc_graph_iri(f"g{g}"), f'<urn:x:old{g}> <{P}> "old" .\n')
    return path


def test_readers_never_fail_and_see_a_batch_all_at_once(store: Path, tmp_path: Path) -> None:
    writer = _writer(store, tmp_path, n=6, size=3000, tag="new")
    failures, views = 0, set()
    while not (tmp_path / "written-new").exists() and writer.poll() is None:
        try:
            views.add(_seen(store))
        except Exception:  # any failure at all counts
            failures += 1
    views.add(_seen(store))  # written, not committed
    (tmp_path / "go").touch()
    assert writer.wait(120) == 0
    assert failures == 0
    assert views == {("old",)}  # never a mix of old and new graphs
    assert _seen(store) == ("new",)


def test_two_writers_queue(store: Path, tmp_path: Path) -> None:
    (tmp_path / "go").touch()  # both commit as soon as they have written
    first = _writer(store, tmp_path, n=2, size=2000, tag="a")
    second = _writer(store, tmp_path, n=3, size=10, tag="b")
    assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(120) == 0, second.stderr.read() if second.stderr else ""
    with OxigraphStore(store, read_only=True) as reader:
        assert reader.documents() == ["g0", "g1", "g2"]
    assert _seen(store) in (("b",), ("a", "b"))  # a's g0, g1 rewritten by b if b came last


def test_a_writer_killed_mid_batch_is_rolled_back(store: Path, tmp_path: Path) -> None:
    writer = _writer(store, tmp_path, n=5, size=500, tag="new")
    _wait_for(tmp_path / "written-new", writer)
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    assert _seen(store) == ("old",)  # readers see the state before the batch
    with open_store(store) as next_writer:
        assert sorted(next_writer.recovered) == sorted(doc_graph_iri(f"g{g}") for g in range(5))
        assert next_writer.documents() == ["g0", "g1", "g2"]
    assert _seen(store) == ("old",)


def test_a_big_graph_is_written_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.stores import oxigraph

    monkeypatch.setattr(oxigraph, "CHUNK_QUADS", 100)
    sizes: list[int] = []
    with open_store(tmp_path / "kg") as writer:
        extend = writer.raw.extend

        class Spy:
            def __getattr__(self, name: str) -> object:
                return getattr(store, name)

            def extend(self, quads: list) -> None:
                sizes.append(len(quads))
                extend(quads)

        store = writer.raw
        writer._store = Spy()  # type: ignore[assignment]
        nt = "".join(f'<urn:x:s{i}> <{P}> "{i}" .\n' for i in range(1050))
        writer.replace_graph(doc_graph_iri("big"), nt)
        writer._store = store
        assert len(writer.raw) == 1050
    assert sizes == [100] * 10 + [50]


def test_a_writer_waits_and_says_so(store: Path, tmp_path: Path) -> None:
    holder = _writer(store, tmp_path, n=1, size=1, tag="h")
    _wait_for(tmp_path / "written-h", holder)
    told: list[str] = []
    start = time.monotonic()
    from kg.errors import StoreBusy

    with pytest.raises(StoreBusy, match="writing to"):
        OxigraphStore(store, wait_s=0.5, notify=told.append)
    assert time.monotonic() - start >= 0.5
    assert len(told) == 1 and told[0].startswith("Waiting for another kg process (pid")
    (tmp_path / "go").touch()
    assert holder.wait(60) == 0
