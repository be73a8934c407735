"""Every command with bad options: one line that says what to try, a non-zero exit, no traceback.

Run as a real process (`python -m kg.cli`), as users run it, so a traceback cannot hide.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.stores import doc_graph_iri, open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-errors") / "kg"
    with open_store(path) as writer:
        nt = "".join(
            f'<https://w3id.org/ald-kg/id/s{i}> <http://www.w3.org/2000/01/rdf-schema#label> "l{i}" .\n'
            for i in range(20)
        )
        writer.replace_graph(doc_graph_iri("doc"), nt)
    return path


def _kg(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_STORE": str(store), "COLUMNS": "200"}
    env.pop("KG_ENDPOINT", None)
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


BAD = [
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--timeout", "0"], "above 0"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--timeout", "-5"], "above 0"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--timeout", "nan"], "above 0"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--timeout", "inf"], "above 0"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--limit", "-1"], "0 or more"),
    (["query", "SELECT * WHERE { ?s ?p ?o }", "--limit", "x"], "--limit"),
    (["query", "SELECT * WHERE { ?s ?p ?o . FILTER(?o > ) }"], "syntax error"),
    (["query", 'SELECT * WHERE { BIND(xsd:integer("x") AS ?n) } ORDER BY ?undefined('], "syntax"),
    (["query", "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s"], "error"),
    (["query", "SELECT * WHERE { ?s undeclared:p ?o }"], "syntax error"),
    (["query", "DROP ALL"], "Refused"),
    (["query", "SELECT * WHERE { # \r SERVICE <http://127.0.0.1:9/x> {} }"], "Refused"),
    (["query", ""], "empty"),
    (["query", "ASK {}", "--store", "/nonexistent/kg"], "No graph at"),
    (["remove", "a b>"], "No document"),
    (["remove", "absent"], "No document 'absent'"),
    (["serve", "--timeout", "0"], "above 0"),
    (["serve", "--port", "99999"], "--port"),
    (["serve", "--store", "/nonexistent/kg"], "No graph at"),
    (["stats", "--store", "/nonexistent/kg"], "No graph at"),
    (["docs", "--endpoint", "ftp://x"], "Not an HTTP URL"),
    (["docs", "--endpoint", "http://[::1"], "Not an HTTP URL"),
    (["stats", "--endpoint", "http://127.0.0.1:1"], "No SPARQL server answers"),
    (["stats", "--store", "x" * 5000], "No graph at"),
    (["ask", "coatings on Li", "--limit", "-1"], "--limit"),
    (["search", "alumina", "--limit", "-1"], "--limit"),
    (["export", "--format", "ttl2"], "ttl2"),
    (["export", "--format", "nt", "--out", "/dev/full"], "Cannot write /dev/full"),
    (["export", "--format", "nt", "--out", "/proc/no/such/x.nt"], "its folder must exist"),
    (["ingest", "--jobs", "0"], "--jobs"),
    (["ingest", "/nonexistent/paper.txt"], "no such file"),
    (["validate", "--store", "/nonexistent/kg"], "No graph at"),
    (["eval-extract", "--gold", "/nonexistent/gold.json"], "Pass --gold"),
    (["eval", "--gold", "/nonexistent/questions.json"], "Pass --gold"),
    (["table", "coatings", "--store", "/nonexistent/kg"], "No graph at"),
    (["table", "no-such-table"], "No such command"),
    (["remove", "50%zz-off"], "No document '50%zz-off'"),  # never made into an IRI
    (["remove", os.fsdecode(b"caf\xe9")], "No document"),  # bytes that are not UTF-8
    (["ask", os.fsdecode(b"coatings on \xff\xfe")], "not UTF-8"),
    (["query", "ASK " + "{ " * 400 + "} " * 400], "nests"),
    (["remove", "doc", "--store", "/etc/passwd/kg"], "/etc/passwd is a file"),
    (["ingest", "--store", "/dev/null"], "/dev/null is a file"),
]


def _commands() -> set[str]:
    """Every command `kg --help` lists, groups flattened ("table coatings")."""
    import typer.main

    from kg.cli import app

    def walk(group: Any, prefix: str) -> set[str]:
        names: set[str] = set()
        for name, command in group.commands.items():
            names |= (
                walk(command, f"{prefix}{name} ")
                if hasattr(command, "commands")
                else {f"{prefix}{name}"}
            )
        return names

    return walk(typer.main.get_command(app), "")


def test_every_command_is_tried_with_bad_options() -> None:
    tried = {" ".join(args[:2]) if args[0] == "table" else args[0] for args, _ in BAD}
    missing = _commands() - tried
    assert not missing, f"add bad options for: {sorted(missing)}"


@pytest.mark.parametrize(("args", "says"), BAD, ids=[" ".join(a)[:50] for a, _ in BAD])
def test_bad_options_fail_in_one_line(args: list[str], says: str, store: Path) -> None:
    result = _kg(*args, store=store)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert says.lower() in (result.stderr + result.stdout).lower()
    if "Usage:" not in result.stderr:  # click's own usage box names the option and --help
        assert len(result.stderr.strip().splitlines()) <= 3  # one message (syntax: + caret)


def test_construct_cut_at_the_limit_says_so(store: Path) -> None:
    result = _kg("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--limit", "5", store=store)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 5
    assert "Truncated at 5 triples" in result.stderr


def test_a_damaged_store_is_named_with_what_to_do(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("MANIFEST-000001\n")
    (damaged / "MANIFEST-000001").write_bytes(b"\x00not a manifest" * 10)
    result = _kg("stats", "--store", str(damaged), store=damaged)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "damaged or not an Oxigraph store" in result.stderr
    assert "Move it aside" in result.stderr
