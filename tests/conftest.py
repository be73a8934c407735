"""Shared pytest fixtures. Each owner keeps their fixtures inside their own delimited section."""

from __future__ import annotations

# --- server fixtures ---
# A real `oxigraph serve` for @pytest.mark.server.
import shutil as _shutil
import socket as _socket
import subprocess as _subprocess
import sys as _sys
from collections.abc import Iterator as _Iterator
from pathlib import Path as _Path

import pytest as _pytest


def _free_port() -> int:
    with _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oxigraph_server_binary() -> str | None:
    beside = _Path(_sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else _shutil.which("oxigraph")


@_pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: _pytest.TempPathFactory) -> _Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of a read-write Oxigraph server for this session."""
    binary = _oxigraph_server_binary()
    if binary is None:
        _pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    process = _subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=_subprocess.DEVNULL,
        stderr=_subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        from kg.remote import wait_until_up
        from kg.store import StoreError

        try:
            wait_until_up(url, timeout_s=15, process=process)
        except StoreError as e:
            _pytest.fail(f"oxigraph serve did not start: {e}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except _subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- end server fixtures ---


# --- app fixtures ---
# A store built from the real corpus for the app.
import os as _os  # noqa: E402 (each section imports its own names)

_CORPUS = _Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _write_app_store(location: _Path, built: list) -> _Path:
    """Write built documents and the ontology to a fresh on-disk store, then close it."""
    import gc

    from kg.pipeline import write
    from kg.store import open_store

    store = open_store(location)
    write(built, store=store)
    del store
    gc.collect()  # release Oxigraph's lock so the app (or a server process) can open the folder
    return location


@_pytest.fixture(scope="session")
def corpus_built() -> list:
    """The real corpus through the pipeline once per session (skipped when it is absent)."""
    corpus = _Path(_os.environ.get("KG_CORPUS", _CORPUS))
    if not corpus.is_dir():
        _pytest.skip(f"the corpus is not at {corpus}")
    from kg.pipeline import build_files, find_documents

    return build_files(find_documents([corpus]))


@_pytest.fixture(scope="session")
def app_store(tmp_path_factory: _pytest.TempPathFactory, corpus_built: list) -> _Iterator[_Path]:
    """A store of the real corpus, with KG_STORE pointing at it for in-process AppTest runs."""
    location = _write_app_store(tmp_path_factory.mktemp("app") / "store", corpus_built)
    previous = _os.environ.get("KG_STORE")
    _os.environ["KG_STORE"] = str(location)
    _os.environ.pop("KG_ENDPOINT", None)
    try:
        yield location
    finally:
        if previous is None:
            _os.environ.pop("KG_STORE", None)
        else:
            _os.environ["KG_STORE"] = previous


@_pytest.fixture(scope="session")
def browser_store(tmp_path_factory: _pytest.TempPathFactory, corpus_built: list) -> _Path:
    """A second copy for a `streamlit run` subprocess (Oxigraph allows one process per folder)."""
    return _write_app_store(tmp_path_factory.mktemp("browser") / "store", corpus_built)


# --- end app fixtures ---


# --- ask fixtures ---
# A small in-memory graph from hand-made records.
def _ask_records() -> object:
    """Hand-made records of five studies: every constraint kind of ask has a hit and a miss."""
    from ingest.quantities import parse_quantity
    from ingest.records import (
        CellTest,
        CoatingRecord,
        ExtractedDocument,
        Measurement,
        NormalizedText,
        ProcessStep,
        Reference,
        Sentence,
        StructuredDocument,
    )

    text = (
        "Table 1. Coatings.\n"
        "Al2O3 on Li [1]. AlEG on Na [2]. TiO2 on Li [3]. LiF on K [4]. ZrEG on Li [5].\n"
        "The shear modulus of LiF was 58 GPa [4].\n"
        "References\n[1] A. Smith, B. Other, Title one, J. 2015.\n"
        "[2] C. Kazyak, D. Other, Title two, J. 2019.\n[3] E. Chen, Title three, J. 2021.\n"
        "[4] F. Jones, G. Other, Title four, J. 2020.\n[5] H. Adair, Title five, J. 2019.\n"
    )
    norm = NormalizedText(text, text, tuple(range(len(text) + 1)))
    fact_at = text.index("The shear")
    sentence = Sentence(
        0,
        text[fact_at : text.index("\n", fact_at)],
        fact_at,
        text.index("\n", fact_at),
        "Properties",
        1,
        (4,),
    )
    refs = []
    for line in text[text.index("[1] A.") :].splitlines():
        number = int(line[1 : line.index("]")])
        start = text.index(line)
        authors = tuple(a.strip() for a in line[line.index("]") + 2 :].split(",")[:2])
        surname = tuple(a.split(". ")[-1] + ", " + a.split(". ")[0] for a in authors)
        year = int(line.rstrip(".")[-4:])
        refs.append(
            Reference(
                number, line, surname, f"Title {number}", "J.", year, None, start, start + len(line)
            )
        )
    doc = StructuredDocument(
        "askdoc", "/tmp/askdoc.txt", "Ask fixture", norm, (), (sentence,), (), (), (), tuple(refs)
    )

    def row(n: int):
        line = text.splitlines()[1]
        return doc.span(0, len(line), table=1, row=n, rule="fixture-table")

    q = parse_quantity
    coatings = (
        CoatingRecord(
            "askdoc",
            1,
            "Al2O3",
            "PE-ALD",
            "Li",
            row(1),
            "table",
            2015,
            steps=(ProcessStep("TMA"), ProcessStep("O2 plasma")),
            temperatures=(q("150 °C"),),
            thicknesses=(q("~2–3 nm"),),
            cell_tests=(CellTest("Li-Cu", ("1 M LiPF6 in EC/EMC",), (q("1 mA cm-2"),)),),
            measurements=(
                Measurement(q("> 1000 h"), row(1), "symmetric", current_density=q("1 mA cm-2")),
            ),
            characterization=("XPS",),
        ),
        CoatingRecord(
            "askdoc",
            2,
            "AlEG",
            "MLD",
            "Na",
            row(2),
            "table",
            2018,
            precursors=("TMA", "EG"),
            temperatures=(q("85 °C"),),
            thicknesses=(q("20 nm"),),
            measurements=(Measurement(q("500 h"), row(2), "symmetric", ("1 M NaOTf in DEGDME",)),),
        ),
        CoatingRecord(
            "askdoc",
            3,
            "TiO2",
            "ALD",
            "Li",
            row(3),
            "table",
            2021,
            steps=(ProcessStep("TTIP"), ProcessStep("H2O")),
            temperatures=(q("150 °C"),),
            thicknesses=(q("5 nm"),),
            measurements=(
                Measurement(q("> 1600 h"), row(3), "Li-NMC"),
                Measurement(q("99.5%", kind="CoulombicEfficiency"), row(3), "Li-NMC"),
            ),
        ),
        CoatingRecord(
            "askdoc",
            4,
            "LiF",
            "ALD",
            "K",
            row(4),
            "table",
            2020,
            precursors=("LTB", "HF"),
            temperatures=(q("135 °C"),),
            thicknesses=(q("8 Å"),),
        ),
        CoatingRecord(
            "askdoc",
            5,
            "ZrEG",
            "MLD",
            "Li",
            row(5),
            "table",
            2019,
            precursors=("ZTB", "EG"),
            temperatures=(q("130 °C"),),
            thicknesses=(q("5 nm"),),
        ),
    )
    fact_span = doc.span(
        fact_at, fact_at + len(sentence.text), section="Properties", sentence=0, rule="fixture-fact"
    )
    facts = (Measurement(q("58 GPa", context="shear modulus"), fact_span, subject="LiF", ref=4),)
    return ExtractedDocument(doc, coatings, facts)


@_pytest.fixture(scope="session")
def ask_store() -> object:
    """An in-memory store holding the ontology and the hand-made document ``askdoc``."""
    from ingest.resolve import resolve
    from kg.build import build_graph
    from kg.store import open_store
    from kg.vocab import ontology_graph

    store = open_store(memory=True)
    store.ensure_ontology(ontology_graph())
    store.replace_document("askdoc", build_graph(resolve(_ask_records())))
    return store


# --- end ask fixtures ---
