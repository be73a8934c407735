"""Who may touch the on-disk store when: one writer at a time, readers never blocked by it.

RocksDB (under Oxigraph) says opening a store read-only while another process writes it is
undefined behaviour, and in practice readers died with ``Corruption: ... .sst: No such file``.
So the store folder holds, next to Oxigraph's own files:

- ``kg-write.lock``: a writer holds it exclusively for as long as it has the store open; a
  reader holds it shared while it reads the store itself. Two writers queue on it.
- ``kg-readers/``: a checkpoint (hard links, taken by each writer right after it opens the
  store, before it changes anything). Readers that find a writer at work read this instead:
  the state before the write, consistent, so a batch appears to readers all at once.
  ``kg-readers.lock`` is held shared by those readers and exclusively while it is replaced;
  ``kg-readers.gen`` names the writer it was made for, so no reader takes an older one.
- ``kg-batch.log``: the graphs the current writer has touched (one IRI a line, synced before
  each write). Left behind only when a writer died mid-batch; the next writer puts those graphs
  back as the checkpoint has them, so a batch is never half-written.
- ``kg-changes``: rewritten when a writer commits; readers that keep a copy (the replica)
  reload when it changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreBusy, StoreError

WRITE_LOCK = "kg-write.lock"
SNAPSHOT = "kg-readers"
SNAPSHOT_LOCK = "kg-readers.lock"
SNAPSHOT_GENERATION = "kg-readers.gen"
JOURNAL = "kg-batch.log"
CHANGES = "kg-changes"
DEFAULT_WAIT_S = float(os.environ.get("KG_LOCK_WAIT_S", "600"))

Notify = Callable[[str], None]


class FileLock:
    """An advisory ``flock`` on one file; released by :meth:`release` or when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, *, shared: bool) -> bool:
        """Take the lock without waiting; False if another holder excludes us."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        if not shared:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {uuid.uuid4().hex}\n".encode())
        return True

    def acquire(self, *, shared: bool, wait_s: float, what: str, notify: Notify | None) -> None:
        """Take the lock, waiting up to ``wait_s`` seconds; say once that we wait, and why."""
        deadline = time.monotonic() + wait_s
        told = False
        while not self.try_acquire(shared=shared):
            holder = self.holder()
            if holder == os.getpid() and not shared:
                raise StoreError(
                    f"This process already has the store at {self.path.parent} open for writing. "
                    "Close that store first (store.close())."
                )
            if not told and notify is not None:
                notify(f"Waiting for {_who(holder)} to finish {what} {self.path.parent}…")
                told = True
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"{_who(holder).capitalize()} has been {what} {self.path.parent} for over "
                    f"{wait_s:g} s. Wait for it to finish, or stop it, then try again."
                )
            time.sleep(0.1)

    def _content(self) -> list[str]:
        try:
            return self.path.read_text().split()
        except OSError:
            return []

    def holder(self) -> int | None:
        """The pid the last exclusive holder wrote into the file, if any."""
        words = self._content()
        return int(words[0]) if words and words[0].isdigit() else None

    def generation(self) -> str:
        """A token the last exclusive holder wrote: which writer's checkpoint readers need."""
        words = self._content()
        return words[1] if len(words) > 1 else ""

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _who(pid: int | None) -> str:
    return f"another kg process (pid {pid})" if pid else "another kg process"


def can_lock(location: Path) -> bool:
    """Whether the folder takes lock files (a read-only copy of a store may not)."""
    return os.access(location, os.W_OK)


def change_token(location: Path) -> str:
    """What a copy of the store must match to be current: the last commit, and any batch left
    unfinished by a writer that died (its graphs are in the store until the next writer)."""
    parts = []
    for name in (CHANGES, JOURNAL):
        try:
            stat = (location / name).stat()
            parts.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}")
        except OSError:
            parts.append(f"{name}:-")
    return "|".join(parts)


def mark_changed(location: Path) -> None:
    """Record a commit (atomically), so readers holding a copy know to reload."""
    tmp = location / f"{CHANGES}.{os.getpid()}.tmp"
    tmp.write_text(f"{uuid.uuid4()} {time.time():.3f}\n")
    os.replace(tmp, location / CHANGES)


class Journal:
    """The graphs a writer has touched in this batch, on disk before each is written."""

    def __init__(self, location: Path) -> None:
        self.path = location / JOURNAL
        self._seen: set[str] = set()

    def touched(self) -> list[str]:
        """Graphs named in a journal left by an earlier writer (empty when there is none)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return list(dict.fromkeys(line for line in lines if line.strip()))

    def touch(self, graph_iri: str) -> None:
        if graph_iri in self._seen:
            return
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(graph_iri + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._seen.add(graph_iri)

    def commit(self) -> None:
        """The batch is durable in the store: forget it."""
        self._seen.clear()
        self.path.unlink(missing_ok=True)
