"""Does ingest grow linearly with its input? Time, CPU and peak memory of `kg ingest` by size.

Issue 13 asks ingest to be linear in its input, with bounded memory. Each input is one hostile
shape at growing sizes, ingested by `kg ingest --jobs 1` in a fresh process into a fresh store
(startup included); CPU is user + system time of that process (RocksDB's threads included), the
comparable figure on a shared machine; peak RSS is the process's own high-water mark.

    python bench/ingest_growth.py --shape rows --sizes 500,1000,2000,4000,8000,20000
    python bench/ingest_growth.py --shape numbers --sizes 2000,8000,20000,50000

Shapes: ``rows`` = a review whose tables repeat a row N times in all, 1,000 rows a table
(bench/cli_fuzz.py's ``repeated_row_review``; ingest refuses one table over
``kg.pipeline.MAX_TABLE_ROWS``, so issue 13's 3.9 MB one-table file is refused at once); ``numbers`` = one
sentence of N numbers with units; ``synthetic`` = N generated review documents
(bench/generate.py). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import kg_command
from cli_fuzz import repeated_row_review
from generate import write_corpus


def numbers_sentence(n: int) -> str:
    numbers = " ".join(f"{i}.5 nm" for i in range(n))
    return f"Films\n\nThe Al2O3 film on Li had {numbers}.\n"


def make_input(shape: str, size: int, folder: Path) -> list[Path]:
    """The file(s) of one shape at one size."""
    if shape == "synthetic":
        return write_corpus(folder / f"synth-{size}", docs=size, seed=0)
    path = folder / f"{shape}-{size}.txt"
    text = repeated_row_review(size, per_table=1000) if shape == "rows" else numbers_sentence(size)
    path.write_text(text, encoding="utf-8")
    return [path]


def ingest_measured(files: list[Path], *, timeout_s: float) -> dict[str, float | int]:
    """One `kg ingest FILES --store NEW`: wall s, CPU s, peak RSS MB, exit code."""
    store = Path(tempfile.mkdtemp(prefix="growth-store-"))
    cmd = [*kg_command(), "ingest", *map(str, files), "--store", str(store), "--jobs", "1"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout_s:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    finally:
        shutil.rmtree(store, ignore_errors=True)
    return {
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "rss_mb": round(usage.ru_maxrss / 1024),
        "rc": os.waitstatus_to_exitcode(status),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=("rows", "numbers", "synthetic"), default="rows")
    parser.add_argument("--sizes", default="500,1000,2000,4000")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="growth-"))
    print("| size | input MB | wall s | CPU s | CPU s per MB | peak RSS MB | exit |")
    print("|---|---|---|---|---|---|---|")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            files = make_input(args.shape, size, work)
            mb = sum(f.stat().st_size for f in files) / 1e6
            r = ingest_measured(files, timeout_s=args.timeout)
            per_mb = r["cpu_s"] / mb if mb else 0.0
            print(
                f"| {size} | {mb:.2f} | {r['wall_s']} | {r['cpu_s']} | {per_mb:.1f} | "
                f"{r['rss_mb']} | {r['rc']} |",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
