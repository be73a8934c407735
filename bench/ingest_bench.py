"""Ingest benchmarks: `kg ingest` in a fresh process, as a user runs it (startup included).

1. The real review: median wall time and peak RSS of 5 runs into a fresh on-disk store
   (targets: under 3 s, under 400 MB).
2. Throughput on synthetic corpora (bench/generate.py) of 1, 10 and 100 documents with
   ``--jobs 1`` and ``--jobs 2``: documents/s, MB/s, triples, store size on disk.
3. 1,000 documents is a separate, longer run (target: under 15 minutes with ``--jobs 2``)::

       .venv/bin/python bench/ingest_bench.py --no-review --docs 1000 --jobs 2 --runs 1 \\
           --json bench/results/ingest_1000.json

Results go to a JSON file that bench/run.py turns into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchlib import (
    RESULTS,
    REVIEW,
    WORK,
    command_line,
    dir_size_mb,
    kg_command,
    machine,
    median,
    now,
    run_measured,
    save_json,
)
from generate import write_corpus

_BUILT = re.compile(r"(\d+) coatings?, (\d+) triples")


def ingest_once(files: Sequence[Path], *, jobs: int, timeout_s: float) -> dict[str, Any]:
    """One `kg ingest FILES --store NEW --jobs N`; time, memory, triples, store size."""
    WORK.mkdir(parents=True, exist_ok=True)
    store = Path(tempfile.mkdtemp(prefix="store-", dir=WORK))
    try:
        cmd = [
            *kg_command(),
            "ingest",
            *map(str, files),
            "--store",
            str(store),
            "--jobs",
            str(jobs),
        ]
        run = run_measured(cmd, timeout_s=timeout_s)
        found = _BUILT.findall(run.stderr_tail)
        return {
            "seconds": run.seconds,
            "max_rss_mb": run.max_rss_mb,
            "tree_rss_mb": run.tree_rss_mb,
            "ok": run.returncode == 0,
            "error": "" if run.returncode == 0 else run.stderr_tail[-600:],
            "coatings": sum(int(c) for c, _ in found) if found else None,
            "triples_built": sum(int(t) for _, t in found) if found else None,
            "store_mb": dir_size_mb(store),
        }
    finally:
        shutil.rmtree(store, ignore_errors=True)


def summarize(runs: list[dict[str, Any]], files: Sequence[Path], jobs: int) -> dict[str, Any]:
    ok = [r for r in runs if r["ok"]]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    secs = median([r["seconds"] for r in ok])
    return {
        "documents": len(files),
        "input_mb": round(size_mb, 3),
        "jobs": jobs,
        "runs": len(runs),
        "ok_runs": len(ok),
        "median_s": secs,
        "min_s": min((r["seconds"] for r in ok), default=float("nan")),
        "max_s": max((r["seconds"] for r in ok), default=float("nan")),
        "median_max_rss_mb": median([r["max_rss_mb"] for r in ok]),
        "median_tree_rss_mb": median([r["tree_rss_mb"] for r in ok]),
        "docs_per_s": len(files) / secs if ok else float("nan"),
        "mb_per_s": size_mb / secs if ok else float("nan"),
        "coatings": ok[0]["coatings"] if ok else None,
        "triples_built": ok[0]["triples_built"] if ok else None,
        "store_mb": median([r["store_mb"] for r in ok]),
        "error": next((r["error"] for r in runs if not r["ok"]), ""),
    }


def bench(
    files: Sequence[Path], *, jobs: int, runs: int, timeout_s: float, label: str
) -> dict[str, Any]:
    results = []
    for i in range(runs):
        r = ingest_once(files, jobs=jobs, timeout_s=timeout_s)
        results.append(r)
        state = "ok" if r["ok"] else "FAILED"
        print(
            f"  {label} jobs={jobs} run {i + 1}/{runs}: {r['seconds']:.2f} s, "
            f"{r['max_rss_mb']:.0f} MB (tree {r['tree_rss_mb']:.0f} MB) {state}",
            file=sys.stderr,
        )
        if not r["ok"]:
            break
    return summarize(results, files, jobs)


PHASES_CHILD = """
import json, sys, tempfile, time
t0 = time.perf_counter()
from kg.pipeline import build_files
from kg.store import doc_graph_iri, open_store
from kg.vocab import ontology_graph
t1 = time.perf_counter()
from pathlib import Path
review = [Path(sys.argv[1])]
built = build_files(review)
t2 = time.perf_counter()
build_files(review)
t3 = time.perf_counter()
store = open_store(tempfile.mkdtemp(dir=sys.argv[2]))
store.ensure_ontology(ontology_graph())
for doc in built:
    store.replace_graph(doc_graph_iri(doc.doc_id), doc.ntriples)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_build_s": t2 - t1, "warm_build_s": t3 - t2,
                  "store_write_s": t4 - t3}))
"""


def phases(runs: int = 3) -> dict[str, float]:
    """Where one review ingest spends its time, in a fresh process: imports, the first build
    (lazy set-up of spaCy, vocabulary, units), a second (warm) build, and the store writes."""
    samples: list[dict[str, float]] = []
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", PHASES_CHILD, str(REVIEW), tmp],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if done.returncode != 0:
                return {"error": done.stderr[-600:]}  # type: ignore[dict-item]
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {k: median([s[k] for s in samples]) for k in samples[0]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-review", dest="review", action="store_false", help="skip the review")
    parser.add_argument("--review-runs", type=int, default=5, help="runs on the review (median)")
    parser.add_argument(
        "--docs", default="1,10,100", help="synthetic corpus sizes, comma-separated"
    )
    parser.add_argument("--jobs", default="1,2", help="--jobs values, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="runs per synthetic size (median)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--timeout", type=float, default=1200, help="seconds before a run is stopped"
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "ingest.json")
    args = parser.parse_args(argv)

    out: dict[str, Any] = {"command": command_line(), "date": now(), "machine": machine()}
    if args.review:
        print(f"Review: {REVIEW.name}", file=sys.stderr)
        out["review"] = bench(
            [REVIEW], jobs=1, runs=args.review_runs, timeout_s=120, label="review"
        )
        out["review_phases"] = phases()
        print(f"  phases: {out['review_phases']}", file=sys.stderr)
    sizes = [int(x) for x in args.docs.split(",") if x.strip()]
    jobs_list = [int(x) for x in args.jobs.split(",") if x.strip()]
    if sizes:
        corpus = write_corpus(WORK / f"synth-s{args.seed}", max(sizes), args.seed)
        out["synthetic"] = []
        for n in sizes:
            for jobs in jobs_list:
                print(f"Synthetic: {n} document(s)", file=sys.stderr)
                row = bench(
                    corpus[:n], jobs=jobs, runs=args.runs, timeout_s=args.timeout, label=f"{n} docs"
                )
                row["timeout_s"] = args.timeout
                out["synthetic"].append(row)
                save_json(args.json, out)  # keep what finished if a later run is stopped
    out["finished"] = now()
    save_json(args.json, out)
    print(f"Wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
