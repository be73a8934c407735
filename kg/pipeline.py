"""File → named graph: the ingest stages composed, with the checks that keep bad input out.

Every document is read, checked and turned into triples *before* anything is written, so a bad
file among several leaves the store exactly as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rdflib import RDF, Graph

from ingest.extract import extract
from ingest.normalize import normalize
from ingest.records import ExtractedDocument, IngestError
from ingest.resolve import resolve
from ingest.structure import doc_id_for, structure
from ingest.tables import missing_identifying_columns
from kg.build import build_graph, build_triples, ntriples
from kg.namespaces import AKG

TEXT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 20 * 1024 * 1024


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

    def load_ntriples(self) -> str:
        if self.ntriples_path is None:
            return self.ntriples
        return Path(self.ntriples_path).read_text(encoding="utf-8")


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand folders to their text files; refuse what cannot be a document."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise IngestError(f"{path}: no such file or directory.")
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
            files = [p for p in files if p.name.lower() != "readme.md"]
            if not files:
                raise IngestError(
                    f"{path}: the folder holds no .txt or .md documents. "
                    "Point to a review's text file or a folder of them."
                )
            found.extend(files)
        else:
            found.append(path)
    return found


def default_corpus() -> Path:
    """The corpus `kg ingest` and the app read by default: $KG_CORPUS, else ../shared/corpus."""
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("KG_CORPUS", root.parent / "shared" / "corpus"))


def decode_text(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of a file's bytes, or an IngestError that names the file and the problem.

    Shared by `kg ingest` (files on disk) and the app (uploads in memory), so both refuse the
    same things with the same words.
    """
    if len(data) > max_bytes:
        raise IngestError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the {max_bytes // 2**20} MB limit."
        )
    if not data.strip():
        raise IngestError(f"{name}: the file is empty.")
    if b"\x00" in data[:8192]:
        raise IngestError(
            f"{name}: looks like a binary file, not text. Convert it to UTF-8 text first."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(
            f"{name}: not UTF-8 text (byte {e.start}: {data[e.start : e.start + 1]!r}). "
            "Re-save it as UTF-8."
        ) from e


def read_text(path: Path) -> str:
    """The file's text, or an IngestError that says what is wrong with it."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise IngestError(
                f"{path}: {path.stat().st_size / 2**20:.1f} MB is over the "
                f"{MAX_BYTES // 2**20} MB limit."
            )
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"{path}: cannot be read ({e.strerror or e}).") from e
    return decode_text(str(path), data)


def extract_text(text: str, *, doc_id: str, path: str) -> ExtractedDocument:
    """Normalize, structure and extract one document's text."""
    doc = structure(normalize(text), doc_id=doc_id, path=path)
    for table in doc.tables:
        missing = missing_identifying_columns(table)
        if missing:
            raise IngestError(
                f"{path}: Table {table.number} has no {' or '.join(missing)} column, so its rows "
                "cannot be traced to a cited study. Add the column (e.g. 'Ref.' with [n]) and retry."
            )
    extracted = extract(doc)
    return extracted


def build_text(text: str, *, doc_id: str, path: str) -> tuple[ExtractedDocument, Graph]:
    """Extract one document's text and build its rdflib Graph."""
    extracted = extract_text(text, doc_id=doc_id, path=path)
    return extracted, build_graph(resolve(extracted))


def build_file(
    path: str | os.PathLike[str], spool_dir: str | os.PathLike[str] | None = None
) -> BuiltDocument:
    """One file through every stage; picklable result for worker processes.

    With ``spool_dir`` the N-Triples go to ``spool_dir/<doc_id>.nt`` instead of the result.
    """
    p = Path(path)
    text = read_text(p)
    doc_id = doc_id_for(str(p))
    try:
        extracted = extract_text(text, doc_id=doc_id, path=p.name)
        triples = build_triples(resolve(extracted))
    except IngestError:
        raise
    except Exception as e:  # a bug or an unexpected shape: name the file, keep the cause
        raise IngestError(f"{p}: could not be read as a review ({type(e).__name__}: {e}).") from e
    text_nt = ntriples(triples)
    spooled = None
    if spool_dir is not None:
        spooled = Path(spool_dir) / f"{doc_id}.nt"
        spooled.write_text(text_nt, encoding="utf-8")
        text_nt = ""
    return BuiltDocument(
        doc_id=doc_id,
        path=str(p),
        ntriples=text_nt,
        triples=len(triples),
        coatings=sum(1 for _, pred, o in triples if pred == RDF.type and o == AKG.Coating),
        warnings=extracted.warnings,
        ntriples_path=str(spooled) if spooled else None,
    )


def build_files(
    paths: list[Path],
    *,
    jobs: int = 1,
    progress: Callable[[BuiltDocument], None] | None = None,
    spool_dir: str | os.PathLike[str] | None = None,
) -> list[BuiltDocument]:
    """Build every file (in ``jobs`` processes); raise on the first bad one, writing nothing."""
    results: list[BuiltDocument] = []
    build = partial(build_file, spool_dir=spool_dir)
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            built = build(p)
            results.append(built)
            if progress:
                progress(built)
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for built in pool.map(build, paths, chunksize=max(1, len(paths) // (jobs * 8))):
            results.append(built)
            if progress:
                progress(built)
    return results
