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
import os
import pstats
import re
import shutil
import socket
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
    run_measured,
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
#: The gold question files whose questions ``--questions gold`` adds (read at run time).
GOLD_FILES = ("gold/questions_dev.json", "devset/questions_dev2.json")


def gold_questions() -> tuple[str, ...]:
    """The bench's questions and every question of the gold files (once each)."""
    shared = ROOT.parent / "shared"
    questions = list(QUESTIONS)
    for name in GOLD_FILES:
        path = shared / name
        if path.exists():
            questions += [q["q"] for q in json.loads(path.read_text(encoding="utf-8"))]
    return tuple(dict.fromkeys(questions))


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


def dataset_for(target: int, *, seed: int, jobs: int, cached: bool = False) -> dict[str, Any]:
    """An N-Quads file of the ontology, the review and enough synthetic documents for about
    ``target`` triples, one named graph per document (as `kg ingest` stores them)."""
    import pyoxigraph as ox

    from kg.namespaces import ONTOLOGY_GRAPH
    from kg.store import doc_graph_iri

    key = code_key()
    if cached and (WORK / "nt").exists():
        largest = max(
            (WORK / "nt").iterdir(), key=lambda p: len(list(p.glob("*.nt"))), default=None
        )
        key = largest.name if largest else key
    cache = WORK / "nt" / key
    onto = ontology_ntriples()
    onto_triples = sum(1 for line in onto.splitlines() if line.strip())
    review_triples = build_cached([REVIEW], cache, jobs=1)
    have = onto_triples + sum(review_triples.values())
    # One synthetic document first: its triples set how many more reach the target (a fixed
    # guess per document overshot 1M by 2x once extraction found more per document).
    per_doc = 2500.0
    n = 1 if target > have else 0
    while True:
        synth = write_corpus(WORK / f"synth-s{seed}", n, seed) if n else []
        counts = build_cached(synth, cache, jobs=jobs)
        total = have + sum(counts.values())
        if total >= target * 0.97 or (n == 0 and total >= target):
            break
        per_doc = sum(counts.values()) / max(1, len(counts)) if counts else per_doc
        n += max(1, math.ceil((target - total) / per_doc))
    docs = {**review_triples, **counts}
    nq = WORK / "datasets" / f"{key}-s{seed}-{len(docs)}docs.nq"
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


def _profile_rows(prof: cProfile.Profile) -> list[dict[str, Any]]:
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = [
        {
            "function": f"{Path(file).name}:{line}({name})",
            "calls": nc,
            "tottime_s": tt,
            "cumtime_s": ct,
        }
        for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:12]


def worker_clock(kind: str) -> Callable[[], float]:
    """What a worker times calls with: wall time, or with ``--clock cpu`` (``KG_BENCH_CLOCK``)
    the CPU time of the worker's process (all its threads), which a machine busy with other
    work inflates far less. A server's engine runs in another process: it is always timed by
    the wall clock."""
    if os.environ.get("KG_BENCH_CLOCK") == "cpu" and kind != "server":
        return time.process_time
    return time.perf_counter


def _backend_worker(conn: Any, kind: str, target: str) -> None:
    """Child process holding one store: ``embedded`` (on-disk path, opened read-only as a
    reading app does), ``replica`` (on-disk path, copied into memory as the app's reader
    does), ``server`` (URL) or ``rdflib`` (N-Quads file loaded into a Dataset).
    Answers ``ask``/``sparql``/``sparql_cold``/``profile`` requests with in-process timings."""
    import resource

    started = time.perf_counter()
    if kind == "rdflib":
        from rdflib import Dataset

        store: Any = Dataset(default_union=True)
        store.parse(target, format="nquads")
    elif kind == "server":
        from kg.remote import RemoteStore

        store = RemoteStore(target, timeout_s=24 * 3600)
    elif kind == "replica":  # the app's reader: the disk store copied into memory
        from kg.stores.replica import ReplicaStore

        store = ReplicaStore(Path(target))
        store.refresh()
    else:
        from kg.store import open_store

        store = open_store(target, read_only=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send(("ready", time.perf_counter() - started, rss))
    clock = worker_clock(kind)

    def sparql(query: str) -> int:
        if kind == "rdflib":
            return len(list(store.query(query)))
        if kind == "server":
            return len(store.query(query, timeout_s=24 * 3600, max_rows=10**8).rows)
        # The engine alone: the pyoxigraph store itself (for the replica, its in-memory copy).
        engine = store._copy.raw if kind == "replica" and store.in_memory else store.raw
        return len(list(engine.query(query, use_default_graph_as_union=True)))

    while True:
        op, arg = conn.recv()
        t = clock()
        try:
            if op == "ask":
                from kg.ask import ask

                result: Any = len(ask(arg, store).rows)
            elif op == "sparql":
                result = sparql(arg)
            elif op == "sparql_cold":
                import pyoxigraph as ox

                fresh = ox.Store.read_only(target)
                result = len(list(fresh.query(arg, use_default_graph_as_union=True)))
            elif op == "profile":
                from kg.ask import ask

                prof = cProfile.Profile()
                prof.enable()
                for q in arg:
                    ask(q, store)
                prof.disable()
                result = _profile_rows(prof)
            else:
                return
            conn.send(("ok", clock() - t, result))
        except Exception as e:  # report, keep serving
            conn.send(("error", clock() - t, f"{type(e).__name__}: {e}"[:300]))


class Worker:
    """A store in a killable process: a call over ``cap_s`` is stopped (the process killed and
    started again for the next call), and all calls stop once ``budget_s`` is spent."""

    def __init__(
        self, kind: str, target: str, *, cap_s: float, setup_cap_s: float, budget_s: float
    ) -> None:
        self.kind, self.target = kind, target
        self.cap_s, self.setup_cap_s, self.budget_s = cap_s, setup_cap_s, budget_s
        self.spent = 0.0  # wall time in this worker's loads and calls, against budget_s
        self.ctx = mp.get_context("spawn")
        self.proc: Any = None
        self.conn: Any = None
        self.setup_s = float("nan")
        self.rss_mb = float("nan")
        self.restarts = 0
        self.skipped = ""

    def start(self) -> bool:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(
            target=_backend_worker, args=(child, self.kind, self.target), daemon=True
        )
        self.proc.start()
        self.conn = parent
        if not parent.poll(self.setup_cap_s):
            self.stop()
            self.skipped = f"loading took over {self.setup_cap_s:g} s"
            return False
        _, setup_s, rss = parent.recv()
        if math.isnan(self.setup_s):
            self.setup_s, self.rss_mb = setup_s, rss
        return True

    def call(self, op: str, arg: Any, cap_s: float | None = None) -> tuple[float | None, Any]:
        """(seconds measured inside the worker, or None if stopped; result or reason)."""
        if self.skipped:
            return None, f"not run: {self.skipped}"
        if self.spent > self.budget_s:
            self.stop()
            return None, f"not run: the {self.budget_s:g} s budget for this store is spent"
        started = time.perf_counter()
        try:
            if self.proc is None and not self.start():
                return None, f"not run: {self.skipped}"
            cap = cap_s or self.cap_s
            self.conn.send((op, arg))
            if not self.conn.poll(cap):
                self.stop()
                self.restarts += 1
                return None, f"> {cap:g} s"
            kind, seconds, result = self.conn.recv()
            return (seconds, result) if kind == "ok" else (None, result)
        finally:
            self.spent += time.perf_counter() - started

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


def _is_stop(result: Any) -> bool:
    """Whether a failed call was stopped for time (by us, by kg's own limit or by the server)."""
    text = str(result)
    return text.startswith(">") or "Timeout" in text or "timed out" in text or "longer than" in text


def _bound(result: Any, cap_s: float) -> float:
    """The time a stopped call is known to exceed: kg's own limit when it stopped the call
    ("ran longer than 10 s"), else our cap."""
    m = re.search(r"longer than (\d+(?:\.\d+)?) s", str(result))
    return min(cap_s, float(m.group(1))) if m else cap_s


def measure(
    worker: Worker, op: str, arg: Any, reps: int, budget_s: float
) -> tuple[list[float], Any, bool]:
    """Timings of one worker call (a warm-up, then ``reps``); a stopped call counts at the cap,
    a lower bound. Returns (samples, last result, stopped)."""
    seconds, result = worker.call(op, arg)
    if seconds is None:
        stopped = _is_stop(result)
        return ([_bound(result, worker.cap_s)] if stopped else []), result, stopped
    if seconds * (reps + 1) > budget_s:
        return [seconds], result, False
    samples: list[float] = []
    for _ in range(reps):
        seconds, result = worker.call(op, arg)
        if seconds is None:
            stopped = _is_stop(result)
            return samples + ([_bound(result, worker.cap_s)] if stopped else []), result, stopped
        samples.append(seconds)
    return samples, result, False


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
import json, sys, time
from kg.ask import ask
from kg.stores import open_reader
store = open_reader(sys.argv[1])  # the app's reader: the in-memory replica when it fits
for q in json.loads(sys.argv[2]):
    t = time.perf_counter()
    try:
        ask(q, store)
        print(f"answered\t{q}\t{time.perf_counter() - t:.3f}", file=sys.stderr, flush=True)
    except Exception as e:
        print(f"failed\t{q}\t{type(e).__name__}: {e}", file=sys.stderr, flush=True)
"""


def app_footprint(location: Path, questions: Sequence[str], timeout_s: float) -> dict[str, Any]:
    """Peak RSS of a fresh process that opens the store as the app's reader (the in-memory
    replica when it fits the budget) and asks every question once; stopped after ``timeout_s`` (its peak so far is still measured)."""
    run = run_measured(
        [sys.executable, "-c", APP_CHILD, str(location), json.dumps(list(questions))],
        timeout_s=timeout_s,
        cwd=ROOT,
    )
    answered = [
        line.split("\t")[1]
        for line in run.stderr_tail.splitlines()
        if line.startswith("answered\t")
    ]
    return {
        "self_max_rss_mb": run.max_rss_mb,
        "tree_rss_mb": run.tree_rss_mb,
        "seconds": run.seconds,
        "finished": run.returncode == 0,
        "answered": len(answered),
        "asked": len(questions),
        "timeout_s": timeout_s,
    }


# --------------------------------------------------------------------------- diagnosis

_CORE = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT * WHERE {
  GRAPH ?g { ?c a akg:Coating }
  ?c akg:onSubstrate <https://w3id.org/ald-kg/vocab/Na> ; akg:hasMeasurement ?m0 .
  ?m0 akg:quantityKind <https://w3id.org/ald-kg/vocab/CyclingDuration> ; akg:maxValue ?hi0 .
  FILTER(?hi0 > 1000)
  %s
}"""
#: The shape of ask's "coatings stable over 1000 h on Na", cut down to find the slow part.
DIAGNOSIS: dict[str, str] = {
    "core pattern (no OPTIONAL)": _CORE % "",
    "core + OPTIONAL study and citation (one level)": _CORE
    % "OPTIONAL { ?c akg:reportedIn ?study . ?study akg:citationNumber ?ref }",
    "core + OPTIONAL evidence with a nested OPTIONAL (as ask writes it)": _CORE
    % (
        "OPTIONAL { ?c prov:wasDerivedFrom ?cs . ?cs akg:sourceText ?csText .\n"
        "    OPTIONAL { ?cs akg:tableNumber ?csTable ; akg:rowNumber ?csRow } }"
    ),
    "core + the same evidence as two flat OPTIONALs": _CORE
    % (
        "OPTIONAL { ?c prov:wasDerivedFrom ?cs . ?cs akg:sourceText ?csText }\n"
        "  OPTIONAL { ?c prov:wasDerivedFrom ?cs . ?cs akg:tableNumber ?csTable ; akg:rowNumber ?csRow }"
    ),
}


def _dataset_of(name: str) -> Path | None:
    """The N-Quads file the ``name`` stores were loaded from (recorded by bench_scale)."""
    marker = WORK / "stores" / f"{name}.json"
    if marker.exists():
        return Path(json.loads(marker.read_text())["nquads"])
    files = sorted((WORK / "datasets").glob("*.nq"), key=lambda p: p.stat().st_size)
    return files[-1] if files and name == "1M" else None


def diagnose(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Time the DIAGNOSIS variants on the existing stores of scale ``name``: embedded, server
    and (unless --no-rdflib) rdflib loaded from the same N-Quads; then the app's footprint."""
    from kg.remote import serve

    disk = WORK / "stores" / f"{name}-embedded"
    served = WORK / "stores" / f"{name}-server"
    if not (disk / "CURRENT").exists() or not (served / "CURRENT").exists():
        raise SystemExit(
            f"No {name} stores under {WORK / 'stores'}: run the {name} benchmark first."
        )
    nq = _dataset_of(name)
    out: dict[str, Any] = {"scale": name, "cap_s": args.cap, "variants": []}
    server = serve(served, port=free_port(), timeout_s=args.cap + 5)
    workers = {
        "embedded": Worker("embedded", str(disk), cap_s=args.cap, setup_cap_s=120, budget_s=10**6),
        "server": Worker("server", server.url, cap_s=args.cap, setup_cap_s=120, budget_s=10**6),
    }
    if nq is not None and not args.no_rdflib:
        workers["rdflib"] = Worker(
            "rdflib",
            str(nq),
            cap_s=args.rdflib_timeout,
            setup_cap_s=args.rdflib_load_cap,
            budget_s=args.rdflib_budget,
        )
    try:
        for label, query in DIAGNOSIS.items():
            entry: dict[str, Any] = {"variant": label, "sparql": query}
            for backend, worker in workers.items():
                samples, result, stopped = measure(worker, "sparql", query, args.reps, args.budget)
                entry[backend] = {
                    "median_ms": median(samples) * 1000 if samples else None,
                    "rows": result,
                    "stopped": stopped,
                    "cap_s": worker.cap_s,
                }
            out["variants"].append(entry)
            print(
                f"  {label}: "
                + ", ".join(
                    f"{b} {entry[b]['median_ms']} ms ({entry[b]['rows']})" for b in workers
                ),
                file=sys.stderr,
            )
        if "rdflib" in workers:
            r = workers["rdflib"]
            out["rdflib"] = {"load_s": r.setup_s, "rss_mb": r.rss_mb, "skipped": r.skipped}
    finally:
        for worker in workers.values():
            worker.stop()
        server.stop()
    out["app"] = app_footprint(disk, QUESTIONS, timeout_s=args.cap * len(QUESTIONS))
    print(f"  app footprint: {out['app']}", file=sys.stderr)
    return out


# --------------------------------------------------------------------------- one scale


def bench_scale(name: str, target: int, args: argparse.Namespace) -> dict[str, Any]:
    from kg.ask import build_sparql, interpret
    from kg.query import QueryError, run_query
    from kg.remote import serve
    from kg.store import open_store

    questions = gold_questions() if args.questions == "gold" else QUESTIONS
    with_rdflib = not args.no_rdflib and name in args.rdflib_scales.split(",")
    print(f"Scale {name} (~{target:,} triples)", file=sys.stderr)
    data = dataset_for(target, seed=args.seed, jobs=args.jobs, cached=args.cached_data)
    nq: Path = data["nquads"]
    print(
        f"  {data['documents']} documents, {data['triples']:,} triples, {data['nquads_mb']:.0f} MB N-Quads",
        file=sys.stderr,
    )
    out: dict[str, Any] = {"scale": name, "target_triples": target}
    out.update({k: v for k, v in data.items() if k != "nquads"})
    disk = WORK / "stores" / f"{name}-embedded"
    served = WORK / "stores" / f"{name}-server"
    (WORK / "stores").mkdir(parents=True, exist_ok=True)  # a fresh checkout has none
    (WORK / "stores" / f"{name}.json").write_text(json.dumps({"nquads": str(nq)}))
    out["load_embedded_s"] = load_embedded(nq, disk)
    out["load_server_store_s"] = load_embedded(nq, served)
    out["store_mb"] = dir_size_mb(disk)
    reader = open_store(disk, read_only=True)
    out["count"] = reader.count()
    print(
        f"  bulk_load {out['load_embedded_s']:.1f} s, {out['store_mb']:.0f} MB on disk",
        file=sys.stderr,
    )

    sparql = {q: prefixed(build_sparql(interpret(q))) for q in questions}
    keys = (
        "ask_embedded",
        "ask_replica",
        "ask_server",
        "sparql_embedded",
        "sparql_replica",
        "sparql_server",
        "sparql_rdflib",
    )
    results: dict[str, dict[str, list[float]]] = {k: {} for k in keys}
    stopped: dict[str, list[str]] = {k: [] for k in (*keys, "run_query", "engine_cold")}
    rows: dict[str, dict[str, Any]] = {q: {} for q in questions}
    phases: dict[str, dict[str, list[float]]] = {
        k: {} for k in ("interpret", "run_query", "engine", "engine_cold")
    }
    cap, budget = args.cap, args.budget
    # The server's own limit a little above ours, so that every backend is stopped the same way.
    server = serve(served, port=free_port(), timeout_s=cap + 5)
    embedded = Worker("embedded", str(disk), cap_s=cap, setup_cap_s=120, budget_s=10**6)
    remote = Worker("server", server.url, cap_s=cap, setup_cap_s=120, budget_s=10**6)
    replica = Worker("replica", str(disk), cap_s=cap, setup_cap_s=300, budget_s=10**6)
    rdflib = Worker(
        "rdflib",
        str(nq),
        cap_s=args.rdflib_timeout,
        setup_cap_s=args.rdflib_load_cap,
        budget_s=args.rdflib_budget,
    )
    try:
        for q in questions:
            phases["interpret"][q] = timed(
                lambda q=q: build_sparql(interpret(q)), args.reps, budget
            )
            for key, worker, op, arg in (
                ("ask_embedded", embedded, "ask", q),
                ("sparql_embedded", embedded, "sparql", sparql[q]),
                ("ask_replica", replica, "ask", q),
                ("sparql_replica", replica, "sparql", sparql[q]),
                ("ask_server", remote, "ask", q),
                ("sparql_server", remote, "sparql", sparql[q]),
            ):
                twin = key.replace("sparql_", "ask_") if key.startswith("sparql_") else None
                # The same query would only hit our cap again; one stopped earlier by kg's own
                # limit (ask's 10 s) says nothing about the bare SPARQL, so that one still runs.
                if twin and q in stopped[twin] and min(results[twin][q], default=0) >= cap:
                    rows[q][key] = f"not run: ask already over {cap:g} s"
                    continue
                samples, result, was_stopped = measure(worker, op, arg, args.reps, budget)
                results[key][q] = samples
                rows[q][key] = result
                if was_stopped:
                    stopped[key].append(q)
            phases["engine"][q] = results["sparql_embedded"].get(q, [])
            if q in stopped["ask_embedded"]:
                rows[q]["sparql_rdflib"] = f"not run: Oxigraph already over {cap:g} s"
            else:
                samples, _, was_stopped = measure(
                    embedded, "sparql_cold", sparql[q], args.reps, budget
                )
                phases["engine_cold"][q] = samples
                if was_stopped:
                    stopped["engine_cold"].append(q)

                def user_query(q: str = q) -> None:
                    try:
                        run_query(reader, sparql[q], timeout_s=cap, max_rows=50_000)
                    except QueryError:
                        stopped["run_query"].append(q)

                phases["run_query"][q] = timed(user_query, args.reps, budget)
                if with_rdflib:
                    samples, result, was_stopped = measure(
                        rdflib, "sparql", sparql[q], args.reps, budget
                    )
                    if samples:
                        results["sparql_rdflib"][q] = samples
                    rows[q]["sparql_rdflib"] = result
                    if was_stopped:
                        stopped["sparql_rdflib"].append(q)
            shown = {k: median(results[k][q]) * 1000 for k in keys if results[k].get(q)}
            print(
                f"  {q!r}: " + ", ".join(f"{k} {v:.0f} ms" for k, v in shown.items()),
                file=sys.stderr,
            )
        overhead = timed(
            lambda: run_query(reader, "ASK {}", timeout_s=cap, max_rows=1), args.reps, budget
        )
        finished = [q for q in questions if q not in stopped["ask_embedded"]]
        if args.profile and finished:
            _, prof = embedded.call("profile", finished, cap_s=cap * len(finished))
            out["profile_top"] = prof if isinstance(prof, list) else []
    finally:
        for w in (embedded, replica, remote, rdflib):
            w.stop()
        server.stop()
    out["cap_s"] = cap
    out["replica_rss_mb"] = replica.rss_mb
    out["stopped"] = {k: list(dict.fromkeys(v)) for k, v in stopped.items()}
    out["rdflib"] = {
        "load_s": rdflib.setup_s,
        "rss_mb": rdflib.rss_mb,
        "skipped": rdflib.skipped,
        "timeouts": stopped["sparql_rdflib"],
        "not_run": [
            q for q in questions if str(rows[q].get("sparql_rdflib", "")).startswith("not run")
        ],
        "timeout_s": args.rdflib_timeout,
        "reloads": rdflib.restarts,
    }
    out["backends"] = {k: summary(v) for k, v in results.items() if v}
    out["per_question_ms"] = {
        q: {k: (median(v[q]) * 1000 if v.get(q) else None) for k, v in results.items()}
        for q in questions
    }
    out["rows"] = rows
    both = [q for q in finished if phases["engine"].get(q)]
    out["phases_questions"] = both
    out["phases_ms"] = {
        k: sum(median(v[q]) for q in both if v.get(q)) * 1000 for k, v in phases.items()
    }
    out["phases_ms"]["ask_total"] = sum(median(results["ask_embedded"][q]) for q in both) * 1000
    out["run_query_fixed_overhead_ms"] = median(overhead) * 1000
    out["app"] = app_footprint(disk, questions, timeout_s=max(120, cap * len(questions)))
    print(f"  app footprint: {out['app']}", file=sys.stderr)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k", help="comma-separated: 10k, 100k, 1M")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per question")
    parser.add_argument("--budget", type=float, default=20, help="seconds per question and backend")
    parser.add_argument(
        "--cap", type=float, default=60, help="seconds before one ask/query is stopped"
    )
    parser.add_argument("--rdflib-timeout", type=float, default=30, help="rdflib query cap (s)")
    parser.add_argument(
        "--rdflib-load-cap", type=float, default=240, help="skip rdflib if loading takes longer (s)"
    )
    parser.add_argument(
        "--rdflib-budget",
        type=float,
        default=300,
        help="seconds for rdflib per scale (loads included)",
    )
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument(
        "--rdflib-scales",
        default="10k,100k",
        help="scales at which rdflib runs (it loads 1M triples in minutes, then times out)",
    )
    parser.add_argument(
        "--questions",
        choices=("bench", "gold"),
        default="bench",
        help="the bench's ten questions, or those and every gold question (../shared)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile ask at each scale")
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="only time cut-down variants of one question's SPARQL on the existing store",
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time in-process calls by wall clock or by the worker's CPU time (busy machines)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="processes for building documents")
    parser.add_argument(
        "--cached-data",
        action="store_true",
        help="reuse the largest cache of built N-Triples even if the ingest code changed since",
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "query.json")
    args = parser.parse_args(argv)
    os.environ["KG_BENCH_CLOCK"] = args.clock  # read by the spawned workers
    out: dict[str, Any] = {
        "clock": args.clock,
        "command": command_line(),
        "date": now(),
        "machine": machine(),
        "questions": gold_questions() if args.questions == "gold" else QUESTIONS,
        "scales": [],
    }
    for name in args.scales.split(","):
        if args.diagnose:
            out.setdefault("diagnosis", []).append(diagnose(name.strip(), args))
        else:
            out["scales"].append(bench_scale(name.strip(), SCALES[name.strip()], args))
        save_json(args.json, out)
    out["finished"] = now()
    save_json(args.json, out)
    print(f"Wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
