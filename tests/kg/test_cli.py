"""The `kg` command line: bad input gets one clear line, a non-zero exit and an unchanged store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REVIEW = CORPUS / "ald-mld-alkali-metal-anodes-review.txt"

GOOD = """A tiny review of coatings

1. Introduction

ALD Al_2O_3 was deposited on Li metal at 150 °C by Doe et al. [1]. The coated Li cycled for over 500 h at 1 mA cm^{-2} in symmetric cells [1].

Table 1. Summary of ALD coatings on Li metal.

Material\tALD Process\tTemp./(°C)\tThickness and ALD Cycles\tElectrochemical Performance\tYear\tRef.
Al_2O_3\tTMA pulse/purge/H_2O pulse/purge 0.1 s/10 s/0.1 s/10 s\t150\t5 nm and 50\tStable cycling over 500 h (1 mA cm^{-2}) in symmetric cells\t2020\t[1]

References

1. Doe, J.; Roe, R. A coating on lithium. *J. Coat.* **2020**, *1*, 1–2.
"""

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-review.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def coatings(store: Path) -> list[dict]:
    result = run("table", "coatings", "--json", "--store", str(store))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_then_table(store: Path, good_file: Path) -> None:
    result = run("ingest", str(good_file), "--store", str(store))
    assert result.exit_code == 0, result.output
    rows = coatings(store)
    assert len(rows) == 1
    row = rows[0]
    assert (row["ref"], row["material"], row["substrate"], row["year"]) == (1, "Al2O3", "Li", 2020)
    assert row["precursors"] == ["TMA", "H2O"]
    assert row["temperature_C"] == 150 and row["thickness_nm"] == 5
    assert row["source"][0] == "Table 1, row 1"


def test_ingest_is_idempotent(store: Path, good_file: Path) -> None:
    run("ingest", str(good_file), "--store", str(store))
    first = coatings(store)
    run("ingest", str(good_file), "--store", str(store))
    assert coatings(store) == first


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 coatings on Li metal.".encode("latin-1"))
    folder = tmp_path / "no-text"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG")
    no_ref = tmp_path / "no-ref.txt"
    no_ref.write_text(GOOD.replace("\tRef.", "").replace("\t[1]", ""), encoding="utf-8")
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "not utf-8": (latin, "UTF-8"),
        "folder without text": (folder, "holds no documents"),
        "table without ref column": (no_ref, "no ref column"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "empty", "binary", "not utf-8", "folder without text", "table without ref column"],
)
def test_bad_input_is_refused_and_the_store_is_unchanged(
    case: str, tmp_path: Path, store: Path, good_file: Path
) -> None:
    run("ingest", str(good_file), "--store", str(store))
    before = coatings(store)
    path, message = _bad_files(tmp_path)[case]
    result = run("ingest", str(good_file), str(path), "--store", str(store))
    assert result.exit_code == 1
    assert message in result.output
    assert str(path.name) in result.output
    assert "unchanged" in result.output or case in ("missing", "folder without text")
    assert coatings(store) == before


def test_query_refuses_updates(store: Path, good_file: Path) -> None:
    run("ingest", str(good_file), "--store", str(store))
    result = run("query", "INSERT DATA { <a:b> <a:c> <a:d> }", "--store", str(store))
    assert result.exit_code == 1
    assert "read-only" in result.output


def test_query_json(store: Path, good_file: Path) -> None:
    run("ingest", str(good_file), "--store", str(store))
    result = run(
        "query",
        "SELECT ?label WHERE { ?c a akg:Coating ; rdfs:label ?label }",
        "--json",
        "--store",
        str(store),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"label": "Al2O3 on Li [1]"}]


def test_export_unknown_format_names_the_choices(store: Path, good_file: Path) -> None:
    run("ingest", str(good_file), "--store", str(store))
    result = run("export", "--format", "ttl2", "--store", str(store))
    assert result.exit_code == 1
    assert "Unknown export format 'ttl2'" in result.output


def test_reading_an_empty_store_says_what_to_do(store: Path) -> None:
    result = run("stats", "--store", str(store))
    assert result.exit_code == 1
    assert "kg ingest" in result.output


@pytest.mark.skipif(not REVIEW.exists(), reason="the review corpus is not beside the project")
def test_review_meets_the_extraction_bar(store: Path) -> None:
    result = run("ingest", str(REVIEW), "--store", str(store))
    assert result.exit_code == 0, result.output
    rows = coatings(store)
    table_rows = {
        (r["ref"], r["material"]) for r in rows if any(s.startswith("Table") for s in r["source"])
    }
    assert len(table_rows) == 23
    potassium = [r for r in rows if r["ref"] == 111]
    assert potassium and potassium[0]["material"] == "SnO2"
    assert "carbon" in potassium[0]["substrate"]
    result = run("eval-extract", "--store", str(store))
    assert result.exit_code == 0
    f1 = float(result.stdout.rsplit("F1", 1)[1])
    assert f1 >= 0.98
    assert run("validate", "--store", str(store)).exit_code == 0


def test_eval_extract_scores_a_corpus_strictly_without_a_store(tmp_path: Path) -> None:
    result = run("eval-extract", "--corpus", str(REVIEW), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["f1"] >= 0.95
    assert set(report["documents"]) == {REVIEW.stem}
    assert {"tp", "fp", "fn", "unmatched", "lines"} <= set(report)


def test_eval_extract_names_a_gold_file_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "gold.json"
    bad.write_text('{"rows": []}')
    result = run("eval-extract", "--gold", str(bad), "--corpus", str(REVIEW))
    assert result.exit_code == 1
    assert "gold.json" in result.output and "gold format" in result.output


def test_ingest_says_what_each_document_was_read_as(store: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{k1, title={A note}, year={2020}, abstract={The history of batteries.}}\n",
        encoding="utf-8",
    )
    result = run("ingest", str(bib), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "refs-k1 (bibtex, primary): no coating: read as a primary study;" in result.output


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """One file per kind of bad input of the readers, with the words its refusal must say."""
    from tests.ingest.readers.pdfgen import make_pdf, make_scanned_pdf

    def write(name: str, data: bytes) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    html = tmp_path / "huge.html"
    with html.open("wb") as f:
        f.write(b"<!DOCTYPE html><html><body><p>")
        f.truncate(50 * 2**20)
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_text(GOOD, encoding="utf-8")
    return {
        "scan": (make_scanned_pdf(tmp_path / "scan.pdf"), "no text layer: run OCR first"),
        "encrypted": (make_pdf(tmp_path / "locked.pdf", encrypt="pw"), "encrypted PDF"),
        "entities": (
            write("bomb.xml", b'<!DOCTYPE article [<!ENTITY a "x">]><article>&a;</article>'),
            "declares entities",
        ),
        "50 MB html": (html, "over the 20 MB limit"),
        "unclosed brace": (
            write("refs.bib", b"@article{a,\n title = {Open {brace},\n year = {2020}\n}\n"),
            "BibTeX record at line 1 is malformed",
        ),
        "ris without ER": (write("refs.ris", b"TY  - JOUR\nTI  - T\nAB  - A.\n"), "no 'ER  -'"),
        "csv without abstract": (
            write("refs.csv", b"Title,Authors,Year\nT,A,2020\n"),
            "no abstract column",
        ),
        "symlink": (link, "symbolic link"),
        "utf-16": (write("wide.txt", GOOD.encode("utf-16")), "UTF-16 text: re-save it as UTF-8"),
        "late NUL": (write("late.txt", GOOD.encode() * 20 + b"\x00"), "NUL byte at offset"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "scan",
        "encrypted",
        "entities",
        "50 MB html",
        "unclosed brace",
        "ris without ER",
        "csv without abstract",
        "symlink",
        "utf-16",
        "late NUL",
    ],
)
def test_bad_reader_input_is_one_line_and_changes_nothing(
    case: str, tmp_path: Path, store: Path, good_file: Path
) -> None:
    pytest.importorskip("reportlab")
    run("ingest", str(good_file), "--store", str(store))
    before = coatings(store)
    path, message = _bad_inputs(tmp_path)[case]
    result = run("ingest", str(good_file), str(path), "--store", str(store))
    assert result.exit_code == 1
    assert message in result.output and path.name in result.output
    assert "unchanged" in result.output
    assert coatings(store) == before
