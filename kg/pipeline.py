"""File → named graph: the ingest stages composed, with the checks that keep bad input out.

:func:`ingest` is the one ingest the command line, the app and the tests call. Every document
is read, checked and turned into triples *before* anything is written, so a bad file among
several leaves the store exactly as it was; each document's graph then replaces its earlier
version and nothing else.
"""

from __future__ import annotations

import io
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph
from rdflib.namespace import DCTERMS

from ingest.extract import extract
from ingest.normalize import normalize
from ingest.readers import SUFFIXES, read_bytes_as_documents, read_path
from ingest.readers.checks import MAX_BYTES, check_regular_file, check_words, decode_text
from ingest.records import DocumentMetadata, ExtractedDocument, IngestError, SourceDocument
from ingest.resolve import resolve
from ingest.structure import structure
from ingest.tables import missing_identifying_columns
from kg.build import build_graph, write_ntriples
from kg.namespaces import ID

__all__ = [
    "MAX_BYTES",
    "BuiltDocument",
    "DocumentReport",
    "IngestReport",
    "build_files",
    "build_upload",
    "decode_text",
    "default_corpus",
    "find_documents",
    "ingest",
    "ingest_uploads",
    "write",
]

#: Formats whose every document is one study's own record (an export of abstracts).
EXPORT_FORMATS = frozenset({"bibtex", "ris", "csv"})

#: progress(stage, done, total): stage "read" counts files, "write" counts documents.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuiltDocument:
    """One document ready to store: its id, triples (N-Triples) and what extract found.

    The N-Triples are in ``ntriples``, or, when built with a spool folder (large batches, so
    a thousand documents need not sit in memory until the last one is built), in the file
    ``ntriples_path``; :meth:`load_ntriples` reads either.
    """

    doc_id: str
    path: str
    ntriples: str
    triples: int
    coatings: int
    warnings: tuple[str, ...]
    ntriples_path: str | None = None
    format: str = "text"
    kind: str = "review"
    reason: str | None = None  # why no coating was found, in one line (None when some were)
    counts: tuple[tuple[str, int], ...] = ()  # sentences, tables, references (for previews)

    def load_ntriples(self) -> str:
        if self.ntriples_path is None:
            return self.ntriples
        return Path(self.ntriples_path).read_text(encoding="utf-8")


@dataclass(frozen=True)
class DocumentReport:
    """What ingest read one document as and what it found there."""

    doc_id: str
    path: str
    format: str
    kind: str
    coatings: int
    triples: int
    reason: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class IngestReport:
    documents: tuple[DocumentReport, ...]
    store: str  # the store's description
    seconds: float
    files: int = 0  # files read (an export gives several documents)


# --------------------------------------------------------------------------- finding files


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand folders to their files of a supported format (README.md aside); refuse what
    cannot be a document (missing paths, links, folders without documents)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise IngestError(f"{path}: no such file or directory.")
        if path.is_dir() and not path.is_symlink():
            files = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
            )
            if not files:
                raise IngestError(
                    f"{path}: the folder holds no documents ({', '.join(SUFFIXES)}). "
                    "Point to a paper, an export of abstracts or a folder of them."
                )
            found.extend(files)
        else:
            check_regular_file(path)
            found.append(path)
    return found


def default_corpus() -> Path:
    """The corpus `kg ingest` and the app read by default: $KG_CORPUS, else ../shared/corpus."""
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("KG_CORPUS", root.parent / "shared" / "corpus"))


# --------------------------------------------------------------------------- building


#: Rows of one table: far above any review's summary table (the largest seen hold a few
#: hundred); a table beyond it is a generated or repeated dump, refused before extraction
#: rather than read for minutes.
MAX_TABLE_ROWS = 2_000


def extract_source(source: SourceDocument) -> ExtractedDocument:
    """Normalize, structure and extract one reader document."""
    check_words(source.path, source.text)
    metadata = source.metadata if source.metadata != DocumentMetadata() else None
    doc = structure(
        normalize(source.text),
        doc_id=source.doc_id,
        path=source.path,
        metadata=metadata,
        format=source.format,
        pages=source.pages,
    )
    if source.format in EXPORT_FORMATS and doc.kind != "primary":
        doc = replace(doc, kind="primary")  # an export record is the study's own abstract
    for table in doc.tables:
        if len(table.rows) > MAX_TABLE_ROWS:
            raise IngestError(
                f"{source.path}: Table {table.number} has {len(table.rows):,} rows, more than "
                f"the {MAX_TABLE_ROWS:,} one table of a paper holds. Split it into several "
                "tables or files and retry."
            )
        missing = missing_identifying_columns(table)
        if missing and doc.kind == "review":
            raise IngestError(
                f"{source.path}: Table {table.number} has no {' or '.join(missing)} column, so its "
                "rows cannot be traced to a cited study. Add the column (e.g. 'Ref.' with [n]) "
                "and retry."
            )
    extracted = extract(doc)
    if source.notes:
        extracted = replace(extracted, warnings=(*source.notes, *extracted.warnings))
    return extracted


def extract_text(text: str, *, doc_id: str, path: str) -> ExtractedDocument:
    """Normalize, structure and extract one plain-text document."""
    return extract_source(SourceDocument(doc_id, path, "text", text))


def build_text(text: str, *, doc_id: str, path: str) -> tuple[ExtractedDocument, Graph]:
    """Extract one plain-text document and build its rdflib Graph."""
    extracted = extract_text(text, doc_id=doc_id, path=path)
    return extracted, build_graph(resolve(extracted))


_WORDS = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}")  # two words: prose, not a row of numbers
_DEPOSITION = re.compile(r"(?i)\b(?:ALD|MLD|atomic layer deposi|molecular layer deposi)")


def no_coating_reason(extracted: ExtractedDocument) -> str:
    """One line on why a document gave no coating, from what it was read as (and the first
    note on a film left out, such as a cathode coating or a film made another way)."""
    doc = extracted.document
    kind = "a primary study" if doc.kind == "primary" else "a review"
    if not _DEPOSITION.search(doc.text):
        return f"read as {kind}; no atomic or molecular layer deposition (ALD/MLD) is mentioned"
    if doc.kind == "review":
        reason = (
            "read as a review; no table row or cited sentence names a deposition of a known "
            "material"
        )
    else:
        reason = "read as a primary study; no deposition of a known material found"
    left_out = next((w for w in extracted.warnings if re.search(r"\bnot\b", w)), None)
    return f"{reason} (left out: {left_out})" if left_out else reason


def _build_source(
    source: SourceDocument, spool_dir: str | os.PathLike[str] | None
) -> BuiltDocument:
    spooled = Path(spool_dir) / f"{source.doc_id}.nt" if spool_dir is not None else None
    try:
        extracted = extract_source(source)
        resolved = resolve(extracted)
        if spooled is not None:  # streamed to the spool file: a long document's graph never
            with spooled.open("w", encoding="utf-8") as out:  # sits in memory whole
                triples, coatings = write_ntriples(resolved, out)
            text_nt = ""
        else:
            buffer = io.StringIO()
            triples, coatings = write_ntriples(resolved, buffer)
            text_nt = buffer.getvalue()
    except IngestError:
        raise
    except Exception as e:  # a bug or an unexpected shape: name the file, keep the cause
        raise IngestError(f"{source.path}: could not be read ({type(e).__name__}: {e}).") from e
    doc = extracted.document
    return BuiltDocument(
        doc_id=source.doc_id,
        path=source.path,
        ntriples=text_nt,
        triples=triples,
        coatings=coatings,
        warnings=extracted.warnings,
        ntriples_path=str(spooled) if spooled else None,
        format=source.format,
        kind=doc.kind,
        reason=None if coatings else no_coating_reason(extracted),
        counts=(
            ("sentences", len(doc.sentences)),
            ("prose sentences", sum(1 for s in doc.sentences if _WORDS.search(s.text))),
            ("tables", len(doc.tables)),
            ("references", len(doc.references)),
        ),
    )


def build_path(
    path: str | os.PathLike[str], spool_dir: str | os.PathLike[str] | None = None
) -> list[BuiltDocument]:
    """Every document of one file through every stage; picklable for worker processes.

    With ``spool_dir`` the N-Triples go to ``spool_dir/<doc_id>.nt`` instead of the result.
    """
    return [_build_source(source, spool_dir) for source in read_path(path)]


def build_file(
    path: str | os.PathLike[str], spool_dir: str | os.PathLike[str] | None = None
) -> BuiltDocument:
    """The one document of a single-document file (an article, not an export)."""
    built = build_path(path, spool_dir)
    if len(built) != 1:
        raise IngestError(f"{path}: holds {len(built)} documents; use build_path.")
    return built[0]


def build_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    spool_dir: str | os.PathLike[str] | None = None,
) -> list[BuiltDocument]:
    """Build every file (in ``jobs`` processes); raise on the first bad one, writing nothing.

    ``progress(files_done, files_total)`` is called after each file.
    """
    results: list[BuiltDocument] = []
    build = partial(build_path, spool_dir=spool_dir)
    if jobs <= 1 or len(paths) <= 1:
        batches: Iterable[list[BuiltDocument]] = map(build, paths)
        for done, batch in enumerate(batches, 1):
            results.extend(batch)
            if progress:
                progress(done, len(paths))
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        try:
            chunk = max(1, len(paths) // (jobs * 8))
            for done, batch in enumerate(pool.map(build, paths, chunksize=chunk), 1):
                results.extend(batch)
                if progress:
                    progress(done, len(paths))
        except BaseException:  # a bad file or a signal: stop the workers, leave none behind
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    _refuse_duplicate_ids(results)
    return results


def build_upload(name: str, data: bytes) -> list[BuiltDocument]:
    """An uploaded file's documents, built in memory with the same checks as files on disk."""
    return [_build_source(source, None) for source in read_bytes_as_documents(name, data)]


def _refuse_duplicate_ids(built: Sequence[BuiltDocument]) -> None:
    seen: dict[str, str] = {}
    for doc in built:
        if doc.doc_id in seen:
            raise IngestError(
                f"{doc.path} and {seen[doc.doc_id]} would both be document '{doc.doc_id}' "
                "(one id per file name). Rename one of them."
            )
        seen[doc.doc_id] = doc.path


# --------------------------------------------------------------------------- writing


def write(built: Sequence[BuiltDocument], *, store: Any, progress: Progress | None = None) -> None:
    """The ontology (only when the store's copy is stale), then each document's graph
    replacing its earlier version. Without a graph, ``ensure_ontology`` compares the store's
    digest stamp first, so a repeated ingest neither re-parses the ontology files nor
    rewrites (and flushes) the ontology graph."""
    from kg.crossdoc import refresh
    from kg.store import doc_graph_iri

    store.ensure_ontology()
    added = datetime.now(UTC).isoformat(timespec="seconds")
    with store.batch():  # one flush for all the documents, not one each
        for done, doc in enumerate(built, 1):
            if doc.ntriples_path is not None:  # streamed from the spool file, never whole
                _stamp_spooled(doc, added)
                store.replace_graph_file(doc_graph_iri(doc.doc_id), Path(doc.ntriples_path))
            else:
                store.replace_graph(doc_graph_iri(doc.doc_id), _with_added(doc, added))
            if progress:
                progress("write", done, len(built))
    refresh(store)  # where the documents now disagree (kg.crossdoc)


def _added_stamp(doc: BuiltDocument, added: str) -> str:
    """When the document was added (``dcterms:created``), stamped at write time so that
    building stays a pure function of the text (the Documents tab shows it)."""
    return f'<{ID[doc.doc_id]}> <{DCTERMS.created}> "{added}"^^<{XSD.dateTime}> .\n'


def _with_added(doc: BuiltDocument, added: str) -> str:
    """The document's N-Triples plus its :func:`_added_stamp`."""
    text = doc.load_ntriples()
    return text + ("" if not text or text.endswith("\n") else "\n") + _added_stamp(doc, added)


def _stamp_spooled(doc: BuiltDocument, added: str) -> None:
    """Append the :func:`_added_stamp` to a spooled document's file (written whole lines)."""
    assert doc.ntriples_path is not None
    with open(doc.ntriples_path, "a", encoding="utf-8") as out:
        out.write(_added_stamp(doc, added))


def report(
    built: Sequence[BuiltDocument], *, store: Any, started: float, files: int
) -> IngestReport:
    docs = tuple(
        DocumentReport(
            d.doc_id, d.path, d.format, d.kind, d.coatings, d.triples, d.reason, d.warnings
        )
        for d in built
    )
    description = str(getattr(store, "description", ""))
    return IngestReport(docs, description, time.perf_counter() - started, files)


@contextmanager
def _exit_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end an ingest as an exception does, so the spool folder is removed
    and the workers are stopped (by default Python dies on them without cleaning up). Only
    the main thread can set handlers; elsewhere (the app's script thread) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


#: Spool folders are named ``kg-ingest-<pid>-<random>``, so a later ingest can tell whose they are.
SPOOL_PREFIX = "kg-ingest-"


def sweep_spool_folders(root: Path) -> list[Path]:
    """Remove the spool folders of ingests that were killed outright (``kill -9`` runs no
    cleanup, and a big batch spools hundreds of MB): those whose owner process is gone.

    A folder whose pid is alive (another ingest at work, or a pid taken again) is kept.
    Returns the folders removed.
    """
    import shutil

    removed = []
    for path in root.glob(f"{SPOOL_PREFIX}*-*"):
        pid = path.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)) or not path.is_dir() or path.is_symlink():
            continue
        if path.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    *,
    store: Any,
    jobs: int = 1,
    progress: Progress | None = None,
) -> IngestReport:
    """Read every file (folders: every supported file in them) into ``store``.

    Built graphs wait in a spool folder on disk, not in memory, until every document has
    been read; only then is anything written. ``store`` may be a function that opens the
    store: it is then called only once everything is built, so the store is not held (nor
    locked against other processes) while documents are read, nor opened at all for a batch
    that is refused.

    Raises:
        IngestError: a file is missing, unreadable or malformed; nothing was written.
    """
    started = time.perf_counter()
    files = find_documents(paths)
    sweep_spool_folders(Path(tempfile.gettempdir()))
    spooling = tempfile.TemporaryDirectory(prefix=f"{SPOOL_PREFIX}{os.getpid()}-")
    with _exit_on_signals(), spooling as spool:
        on_file = (lambda done, total: progress("read", done, total)) if progress else None
        built = build_files(files, jobs=jobs, progress=on_file, spool_dir=spool)
        if callable(store):
            store = store()
        write(built, store=store, progress=progress)
    return report(built, store=store, started=started, files=len(files))


def ingest_uploads(
    uploads: Sequence[tuple[str, bytes]], *, store: Any, progress: Progress | None = None
) -> IngestReport:
    """:func:`ingest` for files given as (name, bytes), such as the app's uploads."""
    started = time.perf_counter()
    built: list[BuiltDocument] = []
    for done, (name, data) in enumerate(uploads, 1):
        built.extend(build_upload(name, data))
        if progress:
            progress("read", done, len(uploads))
    _refuse_duplicate_ids(built)
    write(built, store=store, progress=progress)
    return report(built, store=store, started=started, files=len(uploads))
