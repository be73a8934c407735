"""Readers during a big ingest, and kill -9 rounds during ingest: the figures of issue 13.

``readers``: a fresh store gets a base document, then one `kg ingest` of N generated abstracts
(2,000 by default) while a loop runs `kg ask` and `kg stats` against the same store; every call
that exits non-zero or prints a traceback is a failure.

``kill``: R rounds, each starting `kg ingest --jobs 2` of a batch into a store that holds a base
document and killing the ingest's main process with SIGKILL at a random moment of its write phase (0-0.5 s
after its batch journal appears); then it checks
that (a) a reader sees the base documents alone or the base plus the whole batch, never part of
it, (b) after the next writer opens the store (it rolls an unfinished batch back) the same holds,
(c) no process of the killed ingest is left (its workers die with it), and (d) no spool folder
is left in its TMPDIR once the next ingest has run.

usage: .venv/bin/python bench/robustness_bench.py readers [--docs 2000] [--json FILE]
       .venv/bin/python bench/robustness_bench.py kill [--rounds 10] [--docs 200] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MATERIALS = ("Al2O3", "LiF", "ZnO", "TiO2", "alucone", "zircone", "Li3PO4", "SnO2", "AlF3")
METALS = (("lithium", "Li"), ("sodium", "Na"), ("potassium", "K"))
TECHNIQUES = ("atomic layer deposition (ALD)", "molecular layer deposition (MLD)")


def abstract(i: int, rng: random.Random) -> str:
    """A short primary-study abstract (title line, one paragraph) with one coating."""
    material = rng.choice(MATERIALS)
    metal, symbol = rng.choice(METALS)
    technique = rng.choice(TECHNIQUES)
    nm, temp, hours = rng.randint(1, 30), rng.randint(80, 200), rng.randint(100, 2000)
    return (
        f"Generated study {i}: {material} films on {metal} metal anodes\n\n"
        f"We coat {metal} foil with a {nm} nm {material} film by {technique} at {temp} °C. "
        f"Symmetric {symbol}|{symbol} cells with the coated electrodes cycle for {hours} h at "
        f"1 mA cm-2 in a carbonate electrolyte, while bare {symbol} fails within 100 h.\n"
    )


def write_abstracts(folder: Path, n: int, *, seed: int = 0, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(start, start + n):
        path = folder / f"gen-{seed}-{i:05d}.txt"
        path.write_text(abstract(i, rng), encoding="utf-8")
        paths.append(path)
    return paths


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def kg(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "kg.cli", *args],
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _failed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode != 0 or "Traceback" in done.stderr + done.stdout


def documents(store: Path) -> set[str] | None:
    """The documents a reader sees (None when the reader failed)."""
    done = kg("docs", "--store", str(store), "--json")
    if _failed(done):
        return None
    return {d["doc"] if isinstance(d, dict) else d for d in _docs_json(done.stdout)}


def _docs_json(text: str) -> list[Any]:
    data = json.loads(text)
    return data.get("documents", data) if isinstance(data, dict) else data


# --------------------------------------------------------------------------- readers


def bench_readers(docs: int, work: Path) -> dict[str, Any]:
    store = work / "store"
    base = write_abstracts(work / "base", 1, seed=1)
    assert not _failed(kg("ingest", "--store", str(store), *map(str, base)))
    batch = work / "batch"
    write_abstracts(batch, docs, seed=2)
    started = time.perf_counter()
    log = (work / "ingest.log").open("w")  # a pipe nobody reads would fill and stop it
    writer = subprocess.Popen(
        [PYTHON, "-m", "kg.cli", "ingest", "--store", str(store), str(batch)],
        env=_env(),
        stdout=log,
        stderr=log,
    )
    calls = {"ask": [0, 0], "stats": [0, 0]}
    examples: list[str] = []
    while writer.poll() is None:
        for name, args in (("ask", ["ask", "coatings on Li", "--json"]), ("stats", ["stats"])):
            done = kg(*args, "--store", str(store))
            calls[name][0] += 1
            if _failed(done):
                calls[name][1] += 1
                examples.append((done.stderr or done.stdout).strip().splitlines()[-1][:300])
    ingest_s = time.perf_counter() - started
    log.close()
    err = (work / "ingest.log").read_text(errors="replace")
    seen = documents(store) or set()
    return {
        "documents": docs,
        "ingest_rc": writer.returncode,
        "ingest_s": round(ingest_s, 1),
        "calls": {k: {"calls": v[0], "failures": v[1]} for k, v in calls.items()},
        "failure_examples": examples[:5],
        "documents_after": len(seen),
        "ingest_stderr_tail": err.strip().splitlines()[-1:] if writer.returncode else [],
    }


# --------------------------------------------------------------------------- kill -9


def _group_left(pgid: int) -> int:
    """Processes still in the killed ingest's process group."""
    left = 0
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            left += 1
    return left


def kill_round(
    work: Path, base: set[str], batch: Path, batch_ids: set[str], delay: float
) -> dict[str, Any]:
    store, tmp = work / "store", work / "tmp"
    tmp.mkdir(exist_ok=True)
    env = _env(TMPDIR=str(tmp))
    writer = subprocess.Popen(
        [PYTHON, "-m", "kg.cli", "ingest", "--jobs", "2", "--store", str(store), str(batch)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill in the write phase, the one that matters: once the writer's batch journal exists.
    deadline = time.monotonic() + 600
    journal = store / "kg-batch.log"
    while writer.poll() is None and not journal.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    mid_write = journal.exists()
    finished_first = writer.poll() is not None
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    time.sleep(2)  # the kernel's PDEATHSIG reaches the workers
    left = _group_left(writer.pid)
    spools_after_kill = len(list(tmp.glob("kg-ingest-*")))
    whole = base | batch_ids
    seen_reader = documents(store)
    # The next writer rolls an unfinished batch back (or keeps a committed one), and sweeps.
    empty = work / "nothing"
    empty.mkdir(exist_ok=True)
    reopen = kg("ingest", "--store", str(store), str(work / "base"), env=env)
    seen_after = documents(store)
    return {
        "delay_s": round(delay, 2),
        "finished_before_kill": finished_first,
        "killed_mid_write": mid_write and not finished_first,
        "reader_saw": _verdict(seen_reader, base, whole),
        "after_next_writer": _verdict(seen_after, base, whole),
        "processes_left": left,
        "spools_after_kill": spools_after_kill,
        "spools_after_next_ingest": len(list(tmp.glob("kg-ingest-*"))),
        "next_writer_rc": reopen.returncode,
    }


def _verdict(seen: set[str] | None, base: set[str], whole: set[str]) -> str:
    if seen is None:
        return "reader failed"
    if seen == base:
        return "before"
    if seen == whole:
        return "whole batch"
    return f"PARTIAL ({len(seen - base)} of {len(whole - base)})"


def bench_kill(rounds: int, docs: int, work: Path, seed: int = 0) -> dict[str, Any]:
    store = work / "store"
    base_files = write_abstracts(work / "base", 1, seed=1)
    assert not _failed(kg("ingest", "--store", str(store), *map(str, base_files)))
    base = documents(store) or set()
    rng = random.Random(seed)
    results = []
    timing = time.perf_counter()
    probe = write_abstracts(work / "probe", docs, seed=3)
    done = kg("ingest", "--store", str(work / "probe-store"), str(work / "probe"))
    full_s = time.perf_counter() - timing
    assert not _failed(done), done.stderr
    probe_ids = {p.stem for p in probe}
    for r in range(rounds):
        batch = work / f"batch-{r}"
        files = write_abstracts(batch, docs, seed=100 + r)
        ids = {p.stem for p in files}
        results.append(kill_round(work, base, batch, ids, rng.uniform(0.0, 0.5)))
        base = documents(store) or base  # a committed batch becomes the next round's base
    del probe_ids
    bad = [
        r for r in results
        if "PARTIAL" in r["reader_saw"] + r["after_next_writer"]
        or "failed" in r["reader_saw"] + r["after_next_writer"]
        or r["processes_left"] or r["spools_after_next_ingest"]
    ]  # fmt: skip
    return {"rounds": rounds, "docs_per_batch": docs, "full_ingest_s": round(full_s, 1),
            "bad_rounds": len(bad), "results": results}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("readers", "kill"))
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-robust-bench-") as tmp:
        work = Path(tmp)
        if args.what == "readers":
            result = bench_readers(args.docs or 2000, work)
        else:
            result = bench_kill(args.rounds, args.docs or 200, work)
    result["load_average"] = os.getloadavg()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
