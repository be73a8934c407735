"""Question latency at growing graph sizes, on three stores side by side.

For each scale (about 10k, 100k and 1M triples: the review plus synthetic documents from
bench/generate.py, built once with ``kg.pipeline.build_files`` and cached as N-Triples):

* ``kg.ask`` end to end (question → SPARQL → rows) on the embedded on-disk Oxigraph store
  and on an Oxigraph server over HTTP (``kg.remote.RemoteStore``);
* the SPARQL that ``kg.ask`` generates for the same questions, run directly on the embedded
  store (pyoxigraph), on the server, and on plain rdflib in memory (``Dataset`` with its own
  SPARQL engine, in a worker process so a slow query can be stopped: reported as "> N s");
* where ``ask``'s time goes (interpretation, ``run_query``'s worker, the engine itself);
* the peak RSS of a fresh process that opens the store and answers every question (the app).

::

    .venv/bin/python bench/query_bench.py --scales 10k,100k
    .venv/bin/python bench/query_bench.py --scales 1M --json bench/results/query_1m.json
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import math
import multiprocessing as mp
import pstats
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchlib import (
    RESULTS,
    REVIEW,
    ROOT,
    WORK,
    command_line,
    dir_size_mb,
    machine,
    median,
    now,
    p95,
    save_json,
)
from generate import write_corpus

QUESTIONS: tuple[str, ...] = (
    "coatings stable over 1000 h on Na",
    "which precursors are used for TiO2",
    "oxide coatings on lithium",
    "MLD coatings tested in ether electrolytes",
    "coatings thinner than 5 nm on Li",
    "studies from 2018",
    "ALD coatings on Li deposited above 140 °C",
    "coatings tested in Li-Cu cells",
    "what is the shear modulus of LiF",
    "coatings using lithium tert-butoxide",
)
SCALES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
ONTOLOGY_GRAPH_DOC = "__ontology__"
CODE_FILES = ("ingest/*.py", "kg/build.py", "kg/pipeline.py", "kg/vocab.py", "kg/namespaces.py")


# --------------------------------------------------------------------------- data


def code_key() -> str:
    """A hash of the code and vocabulary that make the triples: cached N-Triples are reused
    only while it is unchanged."""
    h = hashlib.sha1()
    files = sorted(p for pattern in CODE_FILES for p in ROOT.glob(pattern))
    files += [*sorted(ROOT.glob("ontology/*.ttl")), ROOT / "bench" / "generate.py"]
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def build_cached(paths: Sequence[Path], cache: Path, *, jobs: int) -> dict[str, int]:
    """N-Triples of every path in ``cache`` (built now if missing); doc id → triples."""
    from ingest.structure import doc_id_for
    from kg.pipeline import build_files

    cache.mkdir(parents=True, exist_ok=True)
    missing = [p for p in paths if not (cache / f"{doc_id_for(str(p))}.json").exists()]
    if missing:
        started = time.perf_counter()
        print(f"  building {len(missing)} document(s) with jobs={jobs}", file=sys.stderr)
        for i in range(0, len(missing), 50):
            for doc in build_files(missing[i : i + 50], jobs=jobs):
                (cache / f"{doc.doc_id}.nt").write_text(doc.ntriples, encoding="utf-8")
                meta = {"triples": doc.triples, "coatings": doc.coatings, "path": doc.path}
                (cache / f"{doc.doc_id}.json").write_text(json.dumps(meta))
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    out = {}
    for p in paths:
        doc_id = doc_id_for(str(p))
        out[doc_id] = json.loads((cache / f"{doc_id}.json").read_text())["triples"]
    return out


def ontology_ntriples() -> str:
    from kg.vocab import ontology_graph

    return ontology_graph().serialize(format="nt")


def dataset_for(target: int, *, seed: int, jobs: int) -> dict[str, Any]:
    """An N-Quads file of the ontology, the review and enough synthetic documents for about
    ``target`` triples, one named graph per document (as `kg ingest` stores them)."""
    import pyoxigraph as ox

    from kg.namespaces import ONTOLOGY_GRAPH
    from kg.store import doc_graph_iri

    cache = WORK / "nt" / code_key()
    onto = ontology_ntriples()
    onto_triples = sum(1 for line in onto.splitlines() if line.strip())
    review_triples = build_cached([REVIEW], cache, jobs=1)
    have = onto_triples + sum(review_triples.values())
    per_doc = 2500.0
    n = max(0, math.ceil((target - have) / per_doc))
    while True:
        synth = write_corpus(WORK / f"synth-s{seed}", n, seed) if n else []
        counts = build_cached(synth, cache, jobs=jobs)
        total = have + sum(counts.values())
        if total >= target * 0.97 or (n == 0 and total >= target):
            break
        per_doc = sum(counts.values()) / max(1, len(counts)) if counts else per_doc
        n += max(1, math.ceil((target - total) / per_doc))
    docs = {**review_triples, **counts}
    nq = WORK / "datasets" / f"{code_key()}-s{seed}-{len(docs)}docs.nq"
    if not nq.exists():
        nq.parent.mkdir(parents=True, exist_ok=True)
        tmp = nq.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
            quads = (
                ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(onto, format=ox.RdfFormat.N_TRIPLES)
            )
            ox.serialize(quads, fh, format=ox.RdfFormat.N_QUADS)
            for doc_id in docs:
                graph = ox.NamedNode(doc_graph_iri(doc_id))
                triples = ox.parse(
                    path=cache / f"{doc_id}.nt",
                    format=ox.RdfFormat.N_TRIPLES,
                    rename_blank_nodes=True,
                )
                ox.serialize(
                    (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples),
                    fh,
                    format=ox.RdfFormat.N_QUADS,
                )
        tmp.rename(nq)
    return {
        "nquads": nq,
        "documents": len(docs),
        "triples": total,
        "nquads_mb": nq.stat().st_size / 1e6,
    }


# --------------------------------------------------------------------------- stores


def load_embedded(nq: Path, location: Path) -> float:
    """Bulk-load the N-Quads into a fresh on-disk store; seconds."""
    import pyoxigraph as ox

    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True)
    started = time.perf_counter()
    store = ox.Store(str(location))
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    del store
    gc.collect()
    return seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefixed(sparql: str) -> str:
    """The query with the project's prefixes it uses but does not declare (as run_query does)."""
    from kg.query import DEFAULT_PREFIXES, prefix_block

    missing = {p: iri for p, iri in DEFAULT_PREFIXES.items() if f"PREFIX {p}:" not in sparql}
    return prefix_block(missing) + sparql


def _rdflib_worker(conn: Any) -> None:
    """Child process: load N-Quads into an rdflib Dataset (union default graph), answer queries."""
    import resource

    from rdflib import Dataset

    ds = None
    while True:
        msg = conn.recv()
        if msg[0] == "load":
            started = time.perf_counter()
            ds = Dataset(default_union=True)
            ds.parse(msg[1], format="nquads")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            conn.send(("loaded", time.perf_counter() - started, rss))
        elif msg[0] == "query" and ds is not None:
            started = time.perf_counter()
            try:
                rows = len(list(ds.query(msg[1])))
                conn.send(("ok", time.perf_counter() - started, rows))
            except Exception as e:  # report, keep serving
                conn.send(("error", time.perf_counter() - started, f"{type(e).__name__}: {e}"))
        else:
            return


class RdflibRunner:
    """rdflib in a killable worker: a query over ``timeout_s`` is stopped and the data reloaded."""

    def __init__(self, nq: Path, *, timeout_s: float, load_cap_s: float, budget_s: float) -> None:
        self.nq, self.timeout_s, self.load_cap_s = nq, timeout_s, load_cap_s
        self.deadline = time.perf_counter() + budget_s
        self.budget_s = budget_s
        self.ctx = mp.get_context("spawn")
        self.proc: Any = None
        self.conn: Any = None
        self.load_s = float("nan")
        self.rss_mb = float("nan")
        self.skipped = ""

    def start(self) -> bool:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_rdflib_worker, args=(child,), daemon=True)
        self.proc.start()
        self.conn = parent
        parent.send(("load", str(self.nq)))
        if not parent.poll(self.load_cap_s):
            self.stop()
            self.skipped = f"loading took over {self.load_cap_s:g} s"
            return False
        _, self.load_s, self.rss_mb = parent.recv()
        return True

    def query(self, sparql: str) -> tuple[float | None, int | str]:
        """(seconds or None on timeout, row count or error)."""
        if time.perf_counter() > self.deadline:
            self.stop()
            return None, f"not run: rdflib's {self.budget_s:g} s budget for this scale is spent"
        if self.proc is None and (self.skipped or not self.start()):
            return None, self.skipped
        self.conn.send(("query", sparql))
        if not self.conn.poll(self.timeout_s):
            self.stop()
            return None, f"> {self.timeout_s:g} s"
        kind, seconds, rows = self.conn.recv()
        return (seconds, rows) if kind == "ok" else (None, rows)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
        self.proc = None


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], reps: int, budget_s: float) -> list[float]:
    """``reps`` timings of ``fn`` after one warm-up; fewer when one call already eats the budget."""
    samples: list[float] = []
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    if first * (reps + 1) > budget_s:
        return [first]
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return samples


def summary(per_question: dict[str, list[float]]) -> dict[str, float]:
    samples = [s for xs in per_question.values() for s in xs]
    medians = [median(xs) for xs in per_question.values() if xs]
    return {
        "median_ms": median(samples) * 1000,
        "p95_ms": p95(samples) * 1000,
        "median_of_question_medians_ms": median(medians) * 1000,
        "samples": len(samples),
    }


APP_CHILD = """
import json, resource, sys, time
from kg.ask import ask
from kg.store import open_store
store = open_store(sys.argv[1], read_only=True)
questions = json.loads(sys.argv[2])
seconds = []
for _ in range(2):
    for q in questions:
        t = time.perf_counter()
        try:
            ask(q, store)
        except Exception as e:
            print(f"{q}: {type(e).__name__}: {e}", file=sys.stderr)
        seconds.append(time.perf_counter() - t)
print(json.dumps({
    "self_max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "total_s": sum(seconds),
}))
"""


def app_footprint(location: Path) -> dict[str, Any]:
    """Peak RSS of a fresh process holding the store and answering every question twice."""
    done = subprocess.run(
        [sys.executable, "-c", APP_CHILD, str(location), json.dumps(QUESTIONS)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        return {"error": done.stderr[-800:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile_ask(store: Any) -> list[dict[str, Any]]:
    """cProfile of every question once, top functions by own time (parent process only)."""
    from kg.ask import ask

    prof = cProfile.Profile()
    prof.enable()
    for q in QUESTIONS:
        try:
            ask(q, store)
        except Exception:  # a timed-out question is reported elsewhere
            continue
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(file).name}:{line}({name})",
                "calls": nc,
                "tottime_s": tt,
                "cumtime_s": ct,
            }
        )
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:12]


# --------------------------------------------------------------------------- one scale


def bench_scale(name: str, target: int, args: argparse.Namespace) -> dict[str, Any]:
    import pyoxigraph as ox

    from kg.ask import ask, build_sparql, interpret
    from kg.query import QueryError, run_query
    from kg.remote import RemoteStore, serve
    from kg.store import OxigraphStore

    print(f"Scale {name} (~{target:,} triples)", file=sys.stderr)
    data = dataset_for(target, seed=args.seed, jobs=args.jobs)
    nq: Path = data["nquads"]
    print(
        f"  {data['documents']} documents, {data['triples']:,} triples, {data['nquads_mb']:.0f} MB N-Quads",
        file=sys.stderr,
    )
    out: dict[str, Any] = {
        "scale": name,
        "target_triples": target,
        **{k: v for k, v in data.items() if k != "nquads"},
    }

    disk = WORK / "stores" / f"{name}-embedded"
    served = WORK / "stores" / f"{name}-server"
    out["load_embedded_s"] = load_embedded(nq, disk)
    out["load_server_store_s"] = load_embedded(nq, served)
    out["store_mb"] = dir_size_mb(disk)
    store = OxigraphStore(disk)
    out["count"] = store.count()
    print(
        f"  bulk_load {out['load_embedded_s']:.1f} s, {out['store_mb']:.0f} MB on disk",
        file=sys.stderr,
    )

    sparql = {q: prefixed(build_sparql(interpret(q))) for q in QUESTIONS}
    server = serve(served, port=free_port(), timeout_s=args.timeout)
    try:
        remote = RemoteStore(server.url, timeout_s=args.timeout)
        rdflib = RdflibRunner(
            nq,
            timeout_s=args.rdflib_timeout,
            load_cap_s=args.rdflib_load_cap,
            budget_s=args.rdflib_budget,
        )
        results: dict[str, dict[str, list[float]]] = {
            k: {}
            for k in (
                "ask_embedded",
                "ask_server",
                "sparql_embedded",
                "sparql_server",
                "sparql_rdflib",
            )
        }
        rows: dict[str, dict[str, Any]] = {q: {} for q in QUESTIONS}
        phases: dict[str, dict[str, list[float]]] = {
            k: {} for k in ("interpret", "run_query", "engine", "engine_cold")
        }
        budget = args.budget
        raw = store.raw
        timeouts: list[str] = []
        not_run: list[str] = []

        for q in QUESTIONS:

            def ask_on(backend: Any, q: str = q) -> Any:
                try:
                    return ask(q, backend)
                except QueryError as e:
                    return e

            for key, backend in (("ask_embedded", store), ("ask_server", remote)):
                results[key][q] = timed(lambda b=backend: ask_on(b), args.reps, budget)
                answer = ask_on(backend)
                rows[q][key] = len(answer.rows) if hasattr(answer, "rows") else str(answer)[:120]

            results["sparql_embedded"][q] = timed(
                lambda q=q: list(raw.query(sparql[q], use_default_graph_as_union=True)),
                args.reps,
                budget,
            )
            rows[q]["sparql_embedded"] = len(
                list(raw.query(sparql[q], use_default_graph_as_union=True))
            )
            results["sparql_server"][q] = timed(
                lambda q=q: remote.execute(
                    sparql[q], "SELECT", timeout_s=args.timeout, max_rows=10**7
                ),
                args.reps,
                budget,
            )

            phases["interpret"][q] = timed(
                lambda q=q: build_sparql(interpret(q)), args.reps, budget
            )
            phases["run_query"][q] = timed(
                lambda q=q: run_query(store, sparql[q], timeout_s=args.timeout, max_rows=50_000),
                args.reps,
                budget,
            )
            phases["engine"][q] = results["sparql_embedded"][q]
            phases["engine_cold"][q] = timed(
                lambda q=q: list(
                    ox.Store.read_only(str(disk)).query(sparql[q], use_default_graph_as_union=True)
                ),
                args.reps,
                budget,
            )

            if not args.no_rdflib and not rdflib.skipped:
                samples: list[float] = []
                for _ in range(1 + args.reps):
                    seconds, n = rdflib.query(sparql[q])
                    rows[q]["sparql_rdflib"] = n
                    if seconds is None:
                        if str(n).startswith(">"):  # stopped: count it at the cap, a lower bound
                            samples = [args.rdflib_timeout]
                            timeouts.append(q)
                        elif str(n).startswith("not run"):
                            not_run.append(q)
                        break
                    samples.append(seconds)
                    if seconds * (args.reps + 1) > budget:
                        break
                if samples:
                    results["sparql_rdflib"][q] = samples[1:] if len(samples) > 1 else samples
            print(
                f"  {q!r}: ask {median(results['ask_embedded'][q]) * 1000:.0f} ms embedded, "
                f"{median(results['ask_server'][q]) * 1000:.0f} ms server; rows {rows[q]}",
                file=sys.stderr,
            )
        overhead = timed(
            lambda: run_query(store, "ASK {}", timeout_s=args.timeout, max_rows=1),
            args.reps,
            budget,
        )
        out["rdflib"] = {
            "load_s": rdflib.load_s,
            "rss_mb": rdflib.rss_mb,
            "skipped": rdflib.skipped,
            "timeouts": timeouts,
            "not_run": not_run,
            "timeout_s": args.rdflib_timeout,
        }
        rdflib.stop()
        out["backends"] = {k: summary(v) for k, v in results.items() if v}
        out["per_question_ms"] = {
            q: {k: (median(v[q]) * 1000 if v.get(q) else None) for k, v in results.items()}
            for q in QUESTIONS
        }
        out["rows"] = rows
        out["phases_ms"] = {
            k: sum(median(xs) for xs in v.values()) * 1000 for k, v in phases.items()
        }
        out["phases_ms"]["ask_total"] = (
            sum(median(xs) for xs in results["ask_embedded"].values()) * 1000
        )
        out["run_query_fixed_overhead_ms"] = median(overhead) * 1000
        if args.profile:
            out["profile_top"] = profile_ask(store)
    finally:
        server.stop()
    out["app"] = app_footprint(disk)
    print(f"  app footprint: {out['app']}", file=sys.stderr)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per question")
    parser.add_argument("--budget", type=float, default=20, help="seconds per question and backend")
    parser.add_argument("--timeout", type=float, default=60, help="ask/server query timeout (s)")
    parser.add_argument("--rdflib-timeout", type=float, default=30, help="rdflib query cap (s)")
    parser.add_argument(
        "--rdflib-load-cap", type=float, default=240, help="skip rdflib if loading takes longer (s)"
    )
    parser.add_argument(
        "--rdflib-budget",
        type=float,
        default=900,
        help="seconds for rdflib per scale (loads included)",
    )
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile ask at each scale")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="processes for building documents")
    parser.add_argument("--json", type=Path, default=RESULTS / "query.json")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {
        "command": command_line(),
        "date": now(),
        "machine": machine(),
        "questions": QUESTIONS,
        "scales": [],
    }
    for name in args.scales.split(","):
        out["scales"].append(bench_scale(name.strip(), SCALES[name.strip()], args))
        save_json(args.json, out)
    out["finished"] = now()
    save_json(args.json, out)
    print(f"Wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
