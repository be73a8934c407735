"""kg.pipeline.ingest: the one ingest the CLI, the app and the tests call."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.records import IngestError
from kg.pipeline import IngestReport, find_documents, ingest, ingest_uploads
from kg.store import open_store

PAPER = """Lithium metal skins by atomic layer deposition

Abstract
We coat lithium foil with Al2O3 by atomic layer deposition at 150 °C. Coated cells cycle for 500 h.
"""

UNRELATED = """Notes on a seminar

Abstract
The seminar covered the history of batteries and their uses in cars and phones.
"""

BIB = """@article{one2020,
  author = {One, A.},
  title = {Zincone on sodium},
  year = {2020},
  abstract = {We grow a zincone on sodium by MLD.}
}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "paper.txt").write_text(PAPER, encoding="utf-8")
    (tmp_path / "seminar.md").write_text(UNRELATED, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG")
    return tmp_path


def test_folder_ingests_every_supported_suffix_but_the_readme(folder: Path) -> None:
    assert [p.name for p in find_documents([folder])] == ["paper.txt", "refs.bib", "seminar.md"]


def test_report_says_what_each_document_was_read_as(folder: Path) -> None:
    store = open_store(memory=True)
    report = ingest([folder], store=store)
    assert isinstance(report, IngestReport)
    by_id = {d.doc_id: d for d in report.documents}
    assert set(by_id) == {"paper", "refs-one2020", "seminar"}
    assert (by_id["refs-one2020"].format, by_id["refs-one2020"].kind) == ("bibtex", "primary")
    assert by_id["refs-one2020"].path == "refs.bib#1"
    assert by_id["seminar"].format == "markdown"
    assert by_id["seminar"].coatings == 0
    assert "no atomic or molecular layer deposition" in by_id["seminar"].reason
    assert by_id["seminar"].reason.startswith("read as a ")
    assert set(store.documents()) == set(by_id)
    assert all(d.triples > 0 for d in report.documents)


def test_a_bad_file_among_several_leaves_the_store_unchanged(folder: Path) -> None:
    store = open_store(memory=True)
    ingest([folder / "paper.txt"], store=store)
    before = store.count()
    bad = folder / "broken.ris"
    bad.write_text("TY  - JOUR\nTI  - Broken\nAB  - No end.\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken\.ris: RIS record 1 \(line 1\) has no 'ER  -'"):
        ingest([folder], store=store)
    assert store.count() == before


def test_reingest_replaces_the_documents_graph(folder: Path) -> None:
    store = open_store(memory=True)
    first = ingest([folder / "paper.txt"], store=store)
    count = store.count()
    again = ingest([folder / "paper.txt"], store=store)
    assert store.count() == count
    assert again.documents[0].triples == first.documents[0].triples


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "paper.txt").write_text(PAPER, encoding="utf-8")
    (tmp_path / "b" / "paper.md").write_text(PAPER, encoding="utf-8")
    store = open_store(memory=True)
    with pytest.raises(IngestError, match="would both be document 'paper'"):
        ingest([tmp_path / "a", tmp_path / "b"], store=store)
    assert store.documents() == []


def test_uploads_go_through_the_same_readers() -> None:
    store = open_store(memory=True)
    report = ingest_uploads([("refs.bib", BIB.encode()), ("p.txt", PAPER.encode())], store=store)
    assert [(d.doc_id, d.format) for d in report.documents] == [
        ("refs-one2020", "bibtex"),
        ("p", "text"),
    ]
    with pytest.raises(IngestError, match="UTF-16"):
        ingest_uploads([("w.txt", PAPER.encode("utf-16"))], store=store)


def test_progress_reports_reading_and_writing(folder: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    ingest([folder], store=open_store(memory=True), progress=lambda *a: seen.append(a))
    assert seen[:3] == [("read", 1, 3), ("read", 2, 3), ("read", 3, 3)]
    assert seen[-1] == ("write", 3, 3)


def test_symlink_given_on_the_command_line_is_refused(folder: Path) -> None:
    link = folder / "link.txt"
    link.symlink_to(folder / "paper.txt")
    with pytest.raises(IngestError, match="symbolic link"):
        ingest([link], store=open_store(memory=True))
    with pytest.raises(IngestError, match="symbolic link"):
        ingest([folder], store=open_store(memory=True))


def test_reason_names_the_film_left_out(tmp_path: Path) -> None:
    cathode = tmp_path / "cathode.txt"
    cathode.write_text(
        "LiF on a cathode\n\nAbstract\nWe coat NMC811 cathode particles with LiF by atomic layer "
        "deposition. A lithium metal foil served as the counter electrode.\n",
        encoding="utf-8",
    )
    [doc] = ingest([cathode], store=open_store(memory=True)).documents
    assert doc.coatings == 0
    assert doc.reason.startswith("read as a primary study; no deposition of a known material found")


def test_a_store_opener_is_called_only_after_everything_is_built(folder: Path) -> None:
    bad = folder / "broken.ris"
    bad.write_text("TY  - JOUR\nTI  - Broken\n", encoding="utf-8")

    def never() -> object:
        raise AssertionError("the store was opened for a refused batch")

    with pytest.raises(IngestError, match=r"broken\.ris"):
        ingest([folder], store=never)
    bad.unlink()
    opened: list[object] = []

    def opener() -> object:
        opened.append(open_store(memory=True))
        return opened[-1]

    report = ingest([folder], store=opener)
    assert len(opened) == 1 and set(opened[0].documents()) == {d.doc_id for d in report.documents}


CHILD = """
import os, signal, sys
from kg.pipeline import ingest
from kg.store import open_store

def progress(stage, done, total):
    if stage == "read" and done == 1:
        os.kill(os.getpid(), signal.SIGTERM)

ingest([sys.argv[1]], store=open_store(memory=True), progress=progress)
"""


def test_sigterm_during_an_ingest_leaves_no_spool_folder(folder: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    spool_root = tmp_path / "tmp"
    spool_root.mkdir()
    env = {**os.environ, "TMPDIR": str(spool_root)}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 128 + 15, done.stderr.decode()[-500:]
    assert not [p for p in spool_root.iterdir() if p.name.startswith("kg-ingest-")]


def test_each_document_records_when_it_was_added(folder: Path) -> None:
    store = open_store(memory=True)
    ingest([folder / "paper.txt"], store=store)
    rows = store.raw.query(
        "SELECT ?when WHERE { ?d <https://w3id.org/ald-kg/ontology#docId> 'paper' ; "
        "<http://purl.org/dc/terms/created> ?when }",
        use_default_graph_as_union=True,
    )
    stamps = [r["when"] for r in rows]
    assert len(stamps) == 1
    assert stamps[0].datatype.value == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert stamps[0].value[:4].isdigit()


def test_spool_folders_of_killed_ingests_are_swept(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 runs no cleanup: the next ingest removes a dead owner's spool, keeps a live one's."""
    import os
    import subprocess
    import sys
    import tempfile

    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = root / f"kg-ingest-{int(dead.stdout)}-abc"
    (stale / "nested").mkdir(parents=True)
    (stale / "nested" / "doc.nt").write_text("<a> <b> <c> .\n")
    busy = root / f"kg-ingest-{os.getppid()}-def"  # a live process's (our parent's) folder
    busy.mkdir()
    other = root / "kg-ingest-notapid"
    other.mkdir()
    ingest([folder], store=open_store(memory=True))
    assert not stale.exists()
    assert busy.exists() and other.exists()
    assert sorted(p.name for p in root.iterdir()) == sorted([busy.name, other.name])


def test_a_table_beyond_the_row_limit_is_refused_before_extraction(tmp_path: Path) -> None:
    """One table of more rows than any paper's (a generated dump) is refused at once with
    our own message, and nothing is written, instead of minutes of extraction."""
    from kg.pipeline import MAX_TABLE_ROWS

    row = "1\tAl2O3\tTMA/H2O\t150\t2 nm\t500 h in symmetric cells\t2019\t[1]\n"
    review = (
        "Films on lithium: a short review\n\n1. Introduction\n\n"
        "Al2O3 films grown by ALD protect Li metal anodes [1].\n\n"
        "Table 1. ALD coatings on Li metal.\n\n"
        "No.\tMaterial\tALD Process\tTemp./(°C)\tThickness\tPerformance\tYear\tRef.\n"
        + row * (MAX_TABLE_ROWS + 1)
        + "\nReferences\n\n[1] A. Writer, J. Films 2019, 1, 1.\n"
    )
    (tmp_path / "dump.txt").write_text(review, encoding="utf-8")
    store = open_store(memory=True)
    with pytest.raises(IngestError, match=rf"Table 1 has {MAX_TABLE_ROWS + 1:,} rows.*Split"):
        ingest([tmp_path / "dump.txt"], store=store)
    assert store.documents() == []
