"""Fuzz every `kg` command and every option with hostile values, as real processes.

Each case is one command line: the command's ordinary arguments with one parameter replaced by
a hostile value (a path to /dev/zero, a FIFO, a symlink, UTF-16, NUL bytes, 20 MB of one letter,
a word of 1.5 M characters, a sentence of 50,000 numbers, a table row repeated 20,000 times, a
million-deep JSON, numbers such as nan/inf/1e309/400 digits, SSRF forms aimed at a canary
server, endpoints that answer garbage or never answer, undecodable bytes…). The parameters come
from the CLI itself, so a new option without hostile values fails the run (``--check``).

Every case must end within 30 s and 1 GB (peak RSS of the process tree's largest member,
from ``wait4``), or be refused; no output may hold a Python traceback; the canary must get no
request and the store must be byte-identical afterwards (for the read-only commands).

usage: .venv/bin/python bench/cli_fuzz.py [--small] [--only CMD] [--sample N] [--parallel N]
       [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIMIT_S = 30.0
LIMIT_RSS_MB = 1024
SERVE_S = 8.0
SMALL_DOC = (
    "A film of Al2O3 on lithium\n\n"
    "We grew a 3 nm Al2O3 film on Li metal by atomic layer deposition at 150 °C. Coated Li|Li "
    "cells cycled for 900 h at 1 mA cm-2 in a carbonate electrolyte.\n"
)


# --------------------------------------------------------------------------- servers


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _any(self) -> None:
        type(self).hits.append(f"{self.command} {self.path}")
        body = b"canary-secret"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _any


class _Garbage(http.server.BaseHTTPRequestHandler):
    """An 'endpoint' that answers every request with 200 and bytes that are no SPARQL result."""

    def log_message(self, *args: object) -> None:
        pass

    def _any(self) -> None:
        body = b"\xff\xfe{not json" * 1000
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _any


def _http(handler: type) -> tuple[str, http.server.HTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def _silent_port() -> tuple[str, socket.socket]:
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", sock


# --------------------------------------------------------------------------- fixtures


@dataclass
class Fixtures:
    work: Path
    store: Path
    scratch: Path
    doc: Path
    gold: Path
    questions: Path
    corpus: Path
    canary: str
    garbage: str
    silent: str
    files: dict[str, str]


def _write_hostile_files(d: Path, *, small: bool) -> dict[str, str]:
    d.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}

    def put(name: str, data: bytes) -> None:
        (d / name).write_bytes(data)
        files[name] = str(d / name)

    put("empty.txt", b"")
    put("nul-late.txt", SMALL_DOC.encode() * 200 + b"\x00tail")
    put("utf16.txt", SMALL_DOC.encode("utf-16"))
    put("latin1.txt", "Al₂O₃ é".encode("latin-1", "replace") + b"\xe9\xff")
    put("random.pdf", random.Random(1).randbytes(200_000))
    put("fake.pdf", b"%PDF-1.4\n1 0 obj << /Length 99999 >> stream\nxx\nendstream\n%%EOF")
    put("bad.bib", b"@article{x, title = {unclosed\n" * 50)
    put("bad.ris", b"TY  - JOUR\nAB  - \n" * 50 + b"ER  -\nTY  - \n")
    put("bad.csv", b'"Title","Abstract"\n"a,"b\n' * 50)
    put("entities.xml", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
        b'<!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><article><body><p>&y;</p></body></article>')  # fmt: skip
    put("html.html", b"<html><body>" + b"<table><tr><td>" * 5000 + b"</body></html>")
    put("cell.txt", b"Table 1. Films\n\n| Material | Thickness |\n|---|---|\n| Al2O3 | \xe2\x89\x8815 nm, 40 cycles |\n")  # fmt: skip
    symlink = d / "link.txt"
    with contextlib.suppress(FileExistsError):
        symlink.symlink_to("/etc/passwd")
    files["link.txt"] = str(symlink)
    fifo = d / "fifo.txt"
    with contextlib.suppress(FileExistsError):
        os.mkfifo(fifo)
    files["fifo.txt"] = str(fifo)
    (d / "emptydir").mkdir(exist_ok=True)
    files["emptydir"] = str(d / "emptydir")
    files["/dev/zero"] = "/dev/zero"
    files["/dev/null"] = "/dev/null"
    files["missing"] = str(d / "missing" / "file.txt")
    if small:
        return files
    put("one-letter-20MB.txt", b"a" * 20_000_000)
    put("word-1.5M.txt", b"Title\n\n" + b"x" * 1_500_000 + b"\n")
    numbers = " ".join(f"{i}.5 nm" for i in range(50_000))
    put("numbers-50k.txt", f"Films\n\nThe Al2O3 film on Li had {numbers}.\n".encode())
    put("table-row-x20000.txt", repeated_row_review(20_000).encode())
    put("random-20MB.txt", random.Random(2).randbytes(20_000_000))
    return files


def repeated_row_review(rows: int, per_table: int | None = None) -> str:
    """A review whose table repeats a row ``rows`` times, laid out as the corpus's tables
    are (tab-separated, after a caption): 20,000 rows make the 4.1 MB file of issue 13.
    ``per_table`` splits the rows into tables of that many (ingest refuses one table over
    ``kg.pipeline.MAX_TABLE_ROWS``; the growth bench stays under it)."""
    row = (
        "1\tAl2O3\tTMA pulse/purge/H2O pulse/purge 0.1 s/30 s/0.1 s/30 s\t150\t~2 nm and 20\t"
        "1000 h (current density: 1 mA cm-2, 1 mAh cm-2) in symmetric cells with 30 mV "
        "overpotential and 99.5% CE\t2019\t[1]\n"
    )
    header = (
        "No.\tMaterial\tALD Process\tTemp./(°C)\tThickness and ALD Cycles\t"
        "Electrochemical Performance\tYear\tRef.\n"
    )
    size = per_table or rows
    counts = [min(size, rows - start) for start in range(0, rows, size)] or [0]
    tables = "".join(
        f"Table {k}. Summary of ALD coatings on Li metal.\n\n" + header + row * n + "\n"
        for k, n in enumerate(counts, start=1)
    )
    return (
        "Films on lithium: a generated review\n\n1. Introduction\n\n"
        "Thin Al2O3 films grown by ALD protect Li metal anodes [1].\n\n"
        + tables
        + "References\n\n[1] A. Writer, B. Reader, J. Gen. Films 2019, 1, 1.\n"
    )


def _write_json_cases(d: Path, *, small: bool) -> dict[str, str]:
    cases = {
        "not-json.json": b"{not json",
        "list.json": b"[]",
        "wrong-shape.json": b'{"x": 1, "rows": "no"}',
        "numbers.json": b'[1, 2, {"doc": 5}]',
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "utf16.json": '{"a": 1}'.encode("utf-16"),
    }
    d.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in cases.items():
        (d / name).write_bytes(data)
        out[name] = str(d / name)
    if not small:
        (d / "big.json").write_bytes(b'{"a": "' + b"x" * 50_000_000 + b'"}')
        out["big.json"] = str(d / "big.json")
    return out


def make_fixtures(work: Path, *, small: bool) -> Fixtures:
    env = _env()
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    doc = corpus / "small-study.txt"
    doc.write_text(SMALL_DOC, encoding="utf-8")
    store = work / "store"
    done = subprocess.run([PYTHON, "-m", "kg.cli", "ingest", "--store", str(store), str(doc)],
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    gold = work / "gold.json"
    gold.write_text(json.dumps({"documents": {}}), encoding="utf-8")
    questions = work / "questions.json"
    questions.write_text(json.dumps([{"q": "coatings on Li", "refs": []}]), encoding="utf-8")
    files = _write_hostile_files(work / "hostile", small=small)
    files.update(_write_json_cases(work / "json", small=small))
    canary, _ = _http(_Canary)
    garbage, _ = _http(_Garbage)
    silent, sock = _silent_port()
    _KEEP.append(sock)
    return Fixtures(work, store, work / "scratch", doc, gold, questions, corpus, canary,
                    garbage, silent, files)  # fmt: skip


_KEEP: list[Any] = []


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "120"}
    env.pop("KG_ENDPOINT", None)
    env.pop("KG_STORE", None)
    return env


# --------------------------------------------------------------------------- hostile values


def hostile_values(kind: str, fx: Fixtures) -> list[str | bytes]:
    """The hostile values of one kind of parameter (bytes: an argv that is not UTF-8)."""
    canary = fx.canary
    strings: list[str | bytes] = [
        "", " ", "-", "--", "x" * 100_000, "{" * 10_000, '"' * 100_000, "9" * 400,
        "over 1000 h on Na " * 32, "\u202e\u200b", "%s%n%x", "../../../../etc/passwd",
        b"\xff\xfe\x80", "a b>", "\r\n",
    ]  # fmt: skip
    numbers = ["0", "-1", "nan", "inf", "-inf", "1e309", "9" * 400, "", "x", "0x10", "2147483648"]
    files = list(fx.files.values())
    stores = [  # "" is ./.kg: the runs' working folder is the scratch folder
        "", str(fx.work / "missing" / "kg"), "/dev/null", str(fx.doc), "/etc/passwd/kg",
        str(_corrupt_store(fx.work)), "x" * 5000,
    ]  # fmt: skip
    endpoints = [
        "", "ftp://x", "http://", "http://127.0.0.1:1", "http://[::1", "file:///etc/passwd",
        fx.garbage, fx.silent, "http://" + "x" * 10_000, f"{fx.garbage}/x?y=1#z",
    ]  # fmt: skip
    sparql = [
        *strings,
        f"SELECT * WHERE {{ # \r SERVICE <{canary}/s> {{ ?a ?b ?c }}\n ?s ?p ?o }}",
        f"SELECT * FROM <{canary}/f> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{canary}/l>",
        f"SELECT * WHERE {{ SERVICE SILENT <{canary}/s2> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "SELECT (REGEX(STR(?o), '(a+)+$') AS ?r) WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
        'SELECT * WHERE { BIND(xsd:integer("99999999999999999999999999") AS ?x) }',
        "PREFIX : <http://x/> " * 5000 + "ASK {}",
        "ASK { " + "{ " * 5000 + "} " * 5000 + "}",
    ]
    return {
        "string": strings,
        "number": numbers,
        "files": files,
        "store": stores,
        "endpoint": endpoints,
        "sparql": sparql,
        "format": ["ttl2", "", "TURTLE", "json-ld\n", "x" * 10_000],
        "out": ["/dev/full", str(fx.work), str(fx.work / "no" / "x.nt"), f"{fx.doc}/x.nt", ""],
        "port": ["-1", "65536", "99999", "nan", "", "x", "1e3"],
        "host": ["", "999.1.1.1", "x" * 300, "::::", "localhost:80", "http://127.0.0.1"],
        "json-file": [*fx.files.values()],
        "folder": files,
        "flag": [],
    }[kind]


def _corrupt_store(work: Path) -> Path:
    path = work / "corrupt-store"
    path.mkdir(exist_ok=True)
    (path / "CURRENT").write_text("MANIFEST-999999\n")
    (path / "MANIFEST-999999").write_bytes(b"\x00garbage" * 100)
    return path


#: The kind of hostile value each parameter takes, by its name.
KINDS = {
    "files": "files", "store": "store", "endpoint": "endpoint", "jobs": "number",
    "verbose": "flag", "as_json": "flag", "as_csv": "flag", "quiet": "flag", "doc": "string",
    "sparql": "sparql", "timeout": "number", "limit": "number", "fmt": "format",
    "output": "out", "host": "host", "port": "port", "max_concurrent": "number",
    "gold": "json-file", "corpus": "folder", "question": "string", "words": "string",
}  # fmt: skip


def baseline(command: str, fx: Fixtures) -> dict[str, list[str]]:
    """Ordinary arguments of each command, parameter name → its argv words."""
    store = ["--store", str(fx.store)]
    return {
        "ingest": {"files": [str(fx.doc)], "store": ["--store", str(fx.scratch)]},
        "docs": {"store": store},
        "remove": {"doc": ["absent-doc"], "store": ["--store", str(fx.scratch)]},
        "stats": {"store": store},
        "validate": {"store": store},
        "query": {"sparql": ["ASK {}"], "store": store},
        "export": {
            "fmt": ["--format", "nt"],
            "output": ["--out", str(fx.work / "out.nt")],
            "store": store,
        },
        "serve": {"store": store, "port": ["--port", "0"]},
        "eval-extract": {"gold": ["--gold", str(fx.gold)], "corpus": ["--corpus", str(fx.doc)]},
        "ask": {"question": ["coatings on Li"], "store": store},
        "search": {"words": ["alumina"], "store": store},
        "eval": {"gold": ["--gold", str(fx.questions)], "corpus": ["--corpus", str(fx.doc)]},
        "table coatings": {"store": store},
    }[command]


@dataclass
class Case:
    command: str
    param: str
    value: str
    argv: list[str | bytes]


def commands() -> dict[str, Any]:
    """Every command of `kg`, groups flattened ("table coatings"), name → click command."""
    import typer.main

    from kg.cli import app

    out: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")
            else:
                out[f"{prefix}{name}"] = cmd

    walk(typer.main.get_command(app), "")
    return out


def sampled(all_cases: list[Case], per_param: int) -> list[Case]:
    """Up to ``per_param`` values per (command, parameter), spread over its list, and every
    file for `kg ingest` (the big ones are the point)."""
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in all_cases:
        groups.setdefault((case.command, case.param), []).append(case)
    picked = []
    for (command, param), group in groups.items():
        if command == "ingest" and param == "files":
            picked += group
            continue
        step = max(1, len(group) // per_param)
        picked += group[::step][:per_param]
    return picked


def cases(fx: Fixtures, only: str | None = None) -> Iterator[Case]:
    for name, cmd in commands().items():
        if only and name != only:
            continue
        base = baseline(name, fx)
        for param in cmd.params:
            kind = KINDS[param.name]  # KeyError: a new option needs hostile values
            opt = param.opts[0] if param.param_type_name == "option" else None
            values = hostile_values(kind, fx)
            if kind == "flag":
                values = ["(on)"]
            for value in values:
                words = dict(base)
                if kind == "flag":
                    words[param.name] = [opt]
                else:
                    words[param.name] = [opt, value] if opt else [value]
                argv: list[str | bytes] = [*name.split(), *(w for ws in words.values() for w in ws)]
                shown = value if isinstance(value, str) else repr(value)
                yield Case(name, param.name, shown[:60], argv)


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    command: str
    param: str
    value: str
    rc: int | None
    seconds: float
    rss_mb: float
    traceback: bool
    last_line: str


def run_case(case: Case, fx: Fixtures) -> Outcome:
    # Each case writes to a scratch store of its own: parallel cases would queue on one.
    scratch = str(fx.work / f"scratch-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}")
    argv = [scratch if a == str(fx.scratch) else a for a in case.argv]
    args = [os.fsencode(a) if isinstance(a, str) else a for a in argv]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "kg.cli", *args], env=_env(), stdout=out, stderr=out,
            stdin=subprocess.DEVNULL, start_new_session=True, cwd=fx.work,
        )  # fmt: skip
        # `kg serve` given a usable store serves until stopped: a few seconds show it started.
        patience = SERVE_S if case.command == "serve" else LIMIT_S + 5
        timer = threading.Timer(patience, lambda: _kill_group(process.pid))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        _kill_group(process.pid)  # a child left behind (a server) goes too
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if case.command == "serve" and "SPARQL endpoint (read-only)" in text:
        seconds = 0.0  # it started serving (a usable value): not a slow refusal
    return Outcome(
        case.command, case.param, case.value, process.returncode, round(seconds, 2),
        round(usage.ru_maxrss / 1024, 1), "Traceback (most recent call last)" in text,
        (lines[-1] if lines else "")[:200],
    )  # fmt: skip


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, 9)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(("kg-", "LOCK", "LOG")):
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="leave out the big files")
    parser.add_argument("--only", default=None, help="one command, e.g. 'ask'")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--parallel", type=int, default=1, help="cases run at once")
    parser.add_argument("--sample", type=int, default=0, help="values per parameter (0: all)")
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:
        fx = make_fixtures(Path(tmp), small=args.small)
        before = _digest(fx.store)
        outcomes = []
        all_cases = list(cases(fx, args.only))
        if args.sample:
            all_cases = sampled(all_cases, args.sample)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(args.parallel) as pool:
            ran = pool.map(lambda c: (c, run_case(c, fx)), all_cases)
            for i, (case, outcome) in enumerate(ran, 1):
                outcomes.append(outcome)
                flag = "TRACEBACK " if outcome.traceback else ""
                flag += "SLOW " if outcome.seconds > LIMIT_S else ""
                flag += "BIG " if outcome.rss_mb > LIMIT_RSS_MB else ""
                print(f"[{i}/{len(all_cases)}] {flag}{case.command} {case.param}={case.value!r} "
                      f"rc={outcome.rc} {outcome.seconds}s {outcome.rss_mb}MB :: "
                      f"{outcome.last_line[:100]}", flush=True)  # fmt: skip
        summary = {
            "cases": len(outcomes),
            "commands": len({o.command for o in outcomes}),
            "parameters": len({(o.command, o.param) for o in outcomes}),
            "tracebacks": sum(o.traceback for o in outcomes),
            "over_30s": sum(o.seconds > LIMIT_S for o in outcomes),
            "over_1GB": sum(o.rss_mb > LIMIT_RSS_MB for o in outcomes),
            "max_seconds": max(o.seconds for o in outcomes),
            "max_rss_mb": max(o.rss_mb for o in outcomes),
            "canary_requests": len(_Canary.hits),
            "store_unchanged": _digest(fx.store) == before,
            "load_average": os.getloadavg(),
        }
        worst = sorted(outcomes, key=lambda o: -o.seconds)[:8]
        result = {"summary": summary, "slowest": [asdict(o) for o in worst],
                  "failures": [asdict(o) for o in outcomes if o.traceback or o.seconds > LIMIT_S
                               or o.rss_mb > LIMIT_RSS_MB],
                  "canary_hits": _Canary.hits[:20]}  # fmt: skip
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    return 1 if summary["tracebacks"] or summary["over_30s"] or summary["over_1GB"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
