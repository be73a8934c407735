"""The embedded store: Oxigraph on disk (or in memory), with a killable worker for time limits.

pyoxigraph has no query timeout, so a query with a time limit runs in a forked worker process
that is killed when the time is up (and dies with us: ``PR_SET_PDEATHSIG``). Writers and
readers of one folder coordinate through :mod:`kg.stores.locking`: one writer at a time, and
readers that arrive while it works read the checkpoint it took before changing anything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.stores import locking
from kg.stores.base import (
    QueryResult,
    StoreHelpers,
    store_location,
    term_kind,
    term_to_python,
    triples_result,
)
from kg.stores.worker import call_in_worker, syntax_from_engine

# Quads per write transaction: bounds the memory a large graph needs (one transaction holds
# all its changes in memory; a 4 MB table file once took 9 GB as one INSERT DATA).
CHUNK_QUADS = 20_000
#: A graph of this many quads or more is written with the bulk loader, this many at a time (its
#: memory is ~0.8 KB a quad, so a graph of millions of quads stays within ~100 MB).
BULK_QUADS = 100_000
# Graphs arrive as N-Triples; read as Turtle (a superset) so hand-written data also loads.
_FORMAT = ox.RdfFormat.TURTLE


def _execute(
    store: ox.Store,
    sparql: str,
    form: str,
    union: bool,
    prefixes: Mapping[str, str] | None,
    max_rows: int,
) -> QueryResult:
    """Run a query that is safe to run; its answer as picklable plain values."""
    result = store.query(sparql, use_default_graph_as_union=union, prefixes=dict(prefixes or {}))
    if form == "ASK":
        return QueryResult(form="ASK", columns=[], rows=[], truncated=False, boolean=bool(result))
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) == max_rows:
                return _as_form(triples_result(triples, True), form)
            triples.append(triple)
        return _as_form(triples_result(triples, False), form)
    columns = [v.value for v in result.variables]
    rows: list[dict[str, Any]] = []
    types: list[dict[str, str]] = []
    truncated = False
    for solution in result:
        if len(rows) == max_rows:
            truncated = True
            break
        # A solution iterates its values in the order of ``variables``: reading them so is
        # several times cheaper than one lookup by name per column (wide SELECT * of ask).
        terms = tuple(solution)
        rows.append(dict(zip(columns, map(term_to_python, terms), strict=True)))
        types.append(
            {c: term_kind(t) for c, t in zip(columns, terms, strict=True) if t is not None}
        )
    return QueryResult("SELECT", columns, rows, truncated, row_types=types)


def _as_form(result: QueryResult, form: str) -> QueryResult:
    return QueryResult(
        form, result.columns, result.rows, result.truncated, None, result.triples_nt, 0.0,
        result.row_types,
    )  # fmt: skip


def _open_read_only(path: str, attempts: int = 10) -> ox.Store:
    """Open a store folder read-only, retrying a moment if a file vanished under us."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as e:
            transient = any(s in str(e) for s in ("No such file", "Corruption", "IO error"))
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _in_child(store: ox.Store, fn: Callable, args: tuple) -> Any:
    """Worker body: the store handle opened before the fork, used as it is."""
    return fn(store, *args)


@dataclass(eq=False)
class OxigraphStore(StoreHelpers):
    """An embedded Oxigraph store, on disk at ``path`` or in memory when ``path`` is None.

    On disk, a writer (``read_only=False``) waits up to ``wait_s`` for another writer and holds
    the store until :meth:`close`; a reader never waits for a writer (see
    :mod:`kg.stores.locking`). ``notify`` is told, once, when we wait.
    """

    path: Path | None = None
    read_only: bool = False
    wait_s: float = locking.DEFAULT_WAIT_S
    notify: locking.Notify | None = None
    recovered: list[str] = field(default_factory=list, init=False)
    _opened: Path | None = field(default=None, init=False)
    _locks: list[locking.FileLock] = field(default_factory=list, init=False)
    _journal: locking.Journal | None = field(default=None, init=False)
    _in_batch: bool = field(default=False, init=False)
    _pending: list[ox.Quad] = field(default_factory=list, init=False)  # see :meth:`batch`
    _pending_graphs: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        try:
            if self.path is None:
                self._store = ox.Store()
            elif self.read_only:
                self._open_reader(Path(self.path))
            else:
                self._open_writer(Path(self.path))
        except (FileExistsError, NotADirectoryError) as e:  # a file where a folder must be
            self.close()
            path = Path(str(self.path))
            blocker = next(
                (p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path
            )
            raise StoreError(
                f"Cannot open the store at {self.path}: {blocker} is a file, not a folder. "
                "Pass --store a folder (a new one is created)."
            ) from e
        except OSError as e:
            self.close()
            raise StoreError(
                f"Cannot open the store at {self.path}: {e}. "
                "Is another program using it? Try --store with another folder."
            ) from e
        except RuntimeError as e:  # RocksDB's "Corruption: …", "Invalid argument: …"
            self.close()
            first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            raise StoreError(
                f"Cannot open the store at {self.path}: it is damaged or not an Oxigraph store "
                f"({first}). Move it aside and run `kg ingest` into a new folder (--store)."
            ) from e
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ opening and closing

    def _lock(self, name: str) -> locking.FileLock:
        lock = locking.FileLock(Path(self.path or ".") / name)
        self._locks.append(lock)
        return lock

    def _open_writer(self, location: Path) -> None:
        location.mkdir(parents=True, exist_ok=True)
        self._lock(locking.WRITE_LOCK).acquire(
            shared=False, wait_s=self.wait_s, what="writing to", notify=self.notify
        )
        self._store = ox.Store(str(location))
        self._opened = location
        self._journal = locking.Journal(location)
        self._recover(location)
        self._checkpoint_for_readers(location)

    def _recover(self, location: Path) -> None:
        """Put back, as the readers' checkpoint has them, the graphs of a batch whose writer
        died before committing: a batch is all or nothing."""
        assert self._journal is not None
        graphs = self._journal.touched()
        snapshot = location / locking.SNAPSHOT
        if not graphs or not (snapshot / "CURRENT").exists():
            self._journal.commit()
            return
        before = ox.Store.read_only(str(snapshot))
        for iri in graphs:
            node = ox.NamedNode(iri)
            self._store.remove_graph(node)
            if before.contains_named_graph(node):
                quads = before.quads_for_pattern(None, None, None, node)
                self._extend_in_chunks(quads)
        del before
        self._store.flush()
        self._journal.commit()
        locking.mark_changed(location)
        self.recovered = graphs

    def _checkpoint_for_readers(self, location: Path) -> None:
        lock = locking.FileLock(location / locking.SNAPSHOT_LOCK)
        lock.acquire(shared=False, wait_s=self.wait_s, what="reading", notify=self.notify)
        try:
            snapshot = location / locking.SNAPSHOT
            shutil.rmtree(snapshot, ignore_errors=True)
            self._store.backup(str(snapshot))
            generation = self._locks[0].generation()  # our write lock's
            (location / locking.SNAPSHOT_GENERATION).write_text(generation)
        finally:
            lock.release()

    def _open_reader(self, location: Path) -> None:
        if not locking.can_lock(location):
            self._store, self._opened = _open_read_only(str(location)), location
            return
        snapshot = location / locking.SNAPSHOT
        # A writer that died mid-batch left its graphs half there until the next writer rolls
        # them back: then, as while a writer works, read the checkpoint it took before.
        mid_batch = (location / locking.JOURNAL).exists() and (snapshot / "CURRENT").exists()
        shared = self._lock(locking.WRITE_LOCK).try_acquire(shared=True)
        if shared and not mid_batch:
            self._store, self._opened = _open_read_only(str(location)), location
            return
        if not shared and self._locks[-1].holder() in (os.getpid(), os.getppid()):
            # The writer is this process (or the one that forked this worker): it flushes
            # each write, and what it wrote is what its own reads should see.
            self._locks.pop().release()
            self._store, self._opened = _open_read_only(str(location)), location
            return
        # A writer is at work: read the checkpoint it took before changing anything.
        if self._open_checkpoint(location, snapshot):
            return
        # No checkpoint for this writer (a store written by older code): wait for it instead.
        self._locks[-1].acquire(
            shared=True, wait_s=self.wait_s, what="writing to", notify=self.notify
        )
        self._store, self._opened = _open_read_only(str(location)), location

    def _open_checkpoint(self, location: Path, snapshot: Path) -> bool:
        """Open the checkpoint made for the current writer, waiting the moment it takes to
        make it (an older one would show a state before earlier commits)."""
        write_lock = self._locks[-1]
        lock = self._lock(locking.SNAPSHOT_LOCK)
        deadline = time.monotonic() + min(self.wait_s, 30)
        while time.monotonic() < deadline:
            lock.acquire(shared=True, wait_s=self.wait_s, what="preparing", notify=self.notify)
            try:
                made_for = (location / locking.SNAPSHOT_GENERATION).read_text()
            except OSError:
                made_for = ""
            if (snapshot / "CURRENT").exists() and made_for == write_lock.generation():
                self._store, self._opened = _open_read_only(str(snapshot)), snapshot
                return True
            lock.release()
            time.sleep(0.02)
        self._locks.pop()
        return False

    def commit(self) -> None:
        """Make what this writer wrote so far the state readers see (a batch boundary).

        Writers that stay open (the app) call this after each batch; :meth:`close` does it.
        """
        if self.read_only or self.path is None or self._journal is None:
            return
        self._write_pending()
        self.raw.flush()
        if self._journal.path.exists():
            self._journal.commit()
            locking.mark_changed(Path(self.path))
            self._checkpoint_for_readers(Path(self.path))

    def close(self) -> None:
        """Commit (writers), release the store and its locks. Safe to call twice."""
        if self._pending and "_store" in self.__dict__:
            with contextlib.suppress(OSError):
                self._write_pending()
        store = self.__dict__.pop("_store", None)
        if store is not None and not self.read_only and self.path is not None:
            with contextlib.suppress(OSError):
                store.flush()
            if self._journal is not None and self._journal.path.exists():
                self._journal.commit()
                locking.mark_changed(Path(self.path))
        del store
        for lock in reversed(self._locks):
            lock.release()
        self._locks.clear()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for the query worker and exports."""
        try:
            return self._store
        except AttributeError:
            raise StoreError(f"The store at {self.path} is closed.") from None

    @property
    def description(self) -> str:
        if self.path is None:
            return "in-memory Oxigraph"
        if self._opened is not None and self._opened.name == locking.SNAPSHOT:
            return f"Oxigraph at {self.path} (as before the write in progress)"
        return f"Oxigraph at {self.path}"

    # ------------------------------------------------------------------ reads

    def call(
        self, fn: Callable[..., Any], *args: Any, timeout_s: float, memory_mb: int | None = None
    ) -> Any:
        """``fn(pyoxigraph_store, *args)`` in a worker killed after ``timeout_s`` (or beyond
        ``memory_mb``): see :func:`kg.stores.worker.call_in_worker`.

        The worker uses a handle opened here, before the fork: an in-memory store (a
        copy-on-write snapshot), this reader's read-only handle, or for a writer a read-only
        handle opened for the call. Opening a store *in* a forked child can hang for ever:
        the fork copies RocksDB's thread-pool lock, held by a background thread of any store
        open in this process (seen in one test run in two).

        Raises:
            QueryTimeout, WorkerMemoryError, QuerySyntaxError; QueryError for the rest.
        """
        handle = self.raw
        if self.path is not None and not self.read_only:
            handle = _open_read_only(str(self._opened))
        try:
            return call_in_worker(
                _in_child, handle, fn, args, timeout_s=timeout_s, memory_mb=memory_mb
            )
        except (QueryError, StoreError):
            raise
        except Exception as e:  # the engine's own errors (OSError, RuntimeError, ValueError)
            raise QueryError(f"The query failed: {type(e).__name__}: {e}") from None
        finally:
            del handle

    def query(
        self,
        sparql: str,
        *,
        form: str = "SELECT",
        union: bool = True,
        prefixes: Mapping[str, str] | None = None,
        timeout_s: float | None = None,
        max_rows: int = 1000,
    ) -> QueryResult:
        """See :meth:`kg.stores.base.Store.query`."""
        if timeout_s is None:
            try:
                return _execute(self.raw, sparql, form, union, prefixes, max_rows)
            except SyntaxError as e:
                raise syntax_from_engine(str(e)) from e
            except OSError as e:
                raise QueryError(f"The query failed: {e}") from e
        return self.call(_execute, sparql, form, union, prefixes, max_rows, timeout_s=timeout_s)

    def select(self, sparql: str) -> Iterator[dict[str, Any]]:
        """Rows of a generated SELECT as dicts of plain values, streamed, in-process."""
        result = self.raw.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        for solution in result:
            yield {n: term_to_python(solution[n]) for n in names}

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, fmt: ox.RdfFormat, *, graph: str | None = None) -> bytes:
        """Serialize the whole dataset (quad formats) or one graph (triple formats)."""
        if graph is not None:
            return self.raw.dump(format=fmt, from_graph=ox.NamedNode(graph))
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return self.raw.dump(format=fmt)
        # Triple formats have no graphs: merge every graph into one default graph.
        merged = ox.Store()
        merged.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.raw)
        return merged.dump(format=fmt, from_graph=ox.DefaultGraph())

    def count(self) -> int:
        return len(self.raw)

    # ------------------------------------------------------------------ writes

    def _writable(self, graph_iri: str) -> ox.NamedNode:
        from kg.query import sparql_iri

        if self.read_only:
            raise StoreError(f"The store at {self.path} is open read-only; nothing was written.")
        try:
            sparql_iri(graph_iri)  # the one check of IRIs that go into the store
        except ValueError as e:
            raise StoreError(f"Could not write graph {graph_iri!r}: {e}") from e
        if self._journal is not None:
            self._journal.touch(graph_iri)
        return ox.NamedNode(graph_iri)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Graphs written inside are flushed once, at the end, instead of one by one, and
        their quads are gathered and bulk-loaded together (:meth:`_write_pending`): reads
        inside a batch may not see them yet.

        A flush per graph made a 1,000-record export wait a thousand times on the disk. What
        readers see is unchanged: a batch reaches them at :meth:`commit` or :meth:`close`, and
        the journal rolls back a batch whose writer died, flushed or not. The flush at the
        end comes before anything this process reads back (such as the cross-document
        refresh), so its own reads still see what it wrote.
        """
        if self._in_batch:
            yield
            return
        self._in_batch = True
        try:
            yield
        finally:
            self._in_batch = False
            if self.path is not None and not self.read_only and "_store" in self.__dict__:
                self._write_pending()
                self.raw.flush()

    def _write_pending(self) -> None:
        """Write the quads a batch has gathered, with the bulk loader, in one go.

        Inside a batch, the graphs of many small documents are gathered and bulk-loaded
        together, :data:`BULK_QUADS` at a time: a transaction per graph costs 2-5x more CPU
        per quad (more the bigger the store), and a bulk load per small graph leaves
        thousands of tiny files. No transaction is needed: the journal names every graph of
        the batch, and a writer that dies before committing is rolled back by the next.
        """
        if self._pending:
            self.raw.bulk_extend(self._pending)
        self._pending = []
        self._pending_graphs.clear()

    def _extend_in_chunks(
        self,
        quads: Any,
        write: Callable[[list[ox.Quad]], None] | None = None,
        size: int | None = None,
    ) -> None:
        """Write ``quads`` ``size`` at a time (default :data:`CHUNK_QUADS`) with ``write``
        (default: one transaction each)."""
        write = write or self.raw.extend
        size = size or CHUNK_QUADS
        chunk: list[ox.Quad] = []
        for quad in quads:
            chunk.append(quad)
            if len(chunk) == size:
                write(chunk)
                chunk = []
        if chunk:
            write(chunk)

    def replace_graph(self, graph_iri: str, ntriples: str) -> None:
        """Replace one named graph with the given N-Triples.

        The text is parsed in full first (a syntax error writes nothing), then written in
        transactions of :data:`CHUNK_QUADS` quads so memory stays bounded. Readers of a disk
        store never see the graph half-written: they read the checkpoint until :meth:`close`,
        and a writer that dies mid-way is rolled back by the next one.
        """
        data = ntriples.encode("utf-8")
        self._replace(graph_iri, lambda: ox.parse(data, format=_FORMAT))

    def replace_graph_file(self, graph_iri: str, path: Path) -> None:
        """:meth:`replace_graph` from a file, streamed: the graph is never in memory whole."""
        self._replace(graph_iri, lambda: ox.parse(path=str(path), format=_FORMAT))

    def _replace(self, graph_iri: str, parse: Callable[[], Iterator[ox.Triple]]) -> None:
        try:
            size = sum(1 for _ in parse())
        except SyntaxError as e:
            raise StoreError(f"Could not write graph <{graph_iri}>: {e}") from e
        except OSError as e:
            raise StoreError(f"Could not read graph <{graph_iri}>: {e}") from e
        node = self._writable(graph_iri)
        try:
            quads = (ox.Quad(t.subject, t.predicate, t.object, node) for t in parse())
            if self.path is None:  # in memory: no reader but forks, which hold a copy
                if self.raw.contains_named_graph(node):
                    self.raw.remove_graph(node)
                self.raw.extend(list(quads))
                self.raw.add_graph(node)
                return
            if graph_iri in self._pending_graphs:  # written earlier in this batch
                self._write_pending()
            if self.raw.contains_named_graph(node):
                self.raw.clear_graph(node)
            self.raw.add_graph(node)
            if self._in_batch:
                self._gather(graph_iri, quads)
            elif size >= BULK_QUADS:
                # Transactional inserts cost more per quad the bigger the store grows (5x at
                # 270k quads); the bulk loader does not, and needs no transaction here: the
                # journal already names this graph, so a writer that dies is rolled back.
                self._extend_in_chunks(quads, self.raw.bulk_extend, BULK_QUADS)
            else:
                self._extend_in_chunks(quads)
            if not self._in_batch:
                self.raw.flush()
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"Could not write graph <{graph_iri}>: {e}") from e

    def _gather(self, graph_iri: str, quads: Iterator[ox.Quad]) -> None:
        """Keep a batch's quads for :meth:`_write_pending`, writing every BULK_QUADS."""
        for quad in quads:
            self._pending.append(quad)
            if len(self._pending) >= BULK_QUADS:
                self._write_pending()
        if self._pending:
            self._pending_graphs.add(graph_iri)

    def remove_graph(self, graph_iri: str) -> bool:
        node = self._writable(graph_iri)
        self._write_pending()
        if not self.raw.contains_named_graph(node):
            return False
        self.raw.remove_graph(node)
        if self.path is not None:
            self.raw.flush()
        return True

    def update(self, sparql: str) -> None:
        """Run one SPARQL Update of our own (never user text: those are refused earlier)."""
        if self.read_only:
            raise StoreError(f"The store at {self.path} is open read-only; nothing was written.")
        self._write_pending()
        self.raw.update(sparql)


def open_store(
    path: str | Path | None = None,
    *,
    memory: bool = False,
    read_only: bool = False,
    notify: locking.Notify | None = None,
) -> OxigraphStore:
    """Open the default embedded store (see :func:`store_location`), or an in-memory one."""
    if memory:
        return OxigraphStore(None)
    return OxigraphStore(store_location(path), read_only=read_only, notify=notify)
