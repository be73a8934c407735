"""`make bench`: run the benchmarks and write docs/benchmarks.md from their results.

Runs, each as its own process (so every table has the exact command that produced it):

1. bench/ingest_bench.py: the review through `kg ingest` (median of 5) and synthetic corpora
   of 1, 10 and 100 documents with --jobs 1 and 2;
2. bench/query_bench.py at about 10k and 100k triples (``--full`` adds 1M, which builds
   ~400 synthetic documents the first time and takes several more minutes).

The 1,000-document ingest is a separate command (see bench/ingest_bench.py); its result is
included when bench/results/ingest_1000.json exists. ``--render`` only rewrites the page from
the stored results.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from benchlib import RESULTS, ROOT
from readers_bench import section as readers_section

DOC = ROOT / "docs" / "benchmarks.md"
PY = ".venv/bin/python"
INGEST_CMD = ["bench/ingest_bench.py", "--json", "bench/results/ingest.json"]
QUERY_CMD = ["bench/query_bench.py", "--scales", "10k,100k", "--json", "bench/results/query.json"]
QUERY_FULL_CMD = [
    "bench/query_bench.py",
    "--scales",
    "1M",
    "--reps",
    "3",
    "--cap",
    "30",
    "--rdflib-budget",
    "600",
    "--profile",
    "--json",
    "bench/results/query_1m.json",
]
DIAGNOSE_CMD = [
    "bench/query_bench.py",
    "--diagnose",
    "--scales",
    "1M",
    "--cap",
    "30",
    "--reps",
    "3",
    "--json",
    "bench/results/diagnose_1m.json",
]
INGEST_1000_CMD = (
    ".venv/bin/python bench/ingest_bench.py --no-review --docs 1000 --jobs 2 --runs 1 "
    "--timeout 1500 --json bench/results/ingest_1000.json"
)


def run(args: list[str]) -> None:
    print(f"$ {PY} {' '.join(args)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True)
    print(f"  ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


# --------------------------------------------------------------------------- formatting


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def f(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def ms(x: float | None) -> str:
    if x is None or math.isnan(x):
        return "–"
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def count(value: Any) -> str:
    """A row count, or what stopped the query (kept short for a table cell)."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(">") or "Timeout" in text or "longer than" in text:
        return "stopped"
    return "not run" if text.startswith("not run") else "error"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def provenance(result: dict[str, Any]) -> str:
    m = result["machine"]
    load_avg = ", ".join(f"{x:g}" for x in m.get("loadavg_at_start", []))
    pk = m.get("packages", {})
    return (
        f"Command: `{result['command']}`  \n"
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}, "
        f"pyoxigraph {pk.get('pyoxigraph', '?')}, rdflib {pk.get('rdflib', '?')}; "
        f"load average at start {load_avg}.  \n"
        f"Date: {result['date']}."
    )


# --------------------------------------------------------------------------- sections


def ingest_section(res: dict[str, Any] | None, big: dict[str, Any] | None) -> list[str]:
    out = ["## Ingest", ""]
    if not res:
        return [*out, "No ingest results yet: run `make bench`.", ""]
    out += [provenance(res), ""]
    r = res.get("review")
    if r:
        ok = "✓" if r["median_s"] < 3 else "✗"
        mem_ok = "✓" if r["median_max_rss_mb"] < 400 else "✗"
        out += [
            "### The review through `kg ingest` (fresh process, startup included)",
            "",
            table(
                ["runs", "median s", "min–max s", "peak RSS MB", "coatings", "triples", "store MB"],
                [
                    [
                        f"{r['ok_runs']}/{r['runs']}",
                        f"{f(r['median_s'], 2)} (target < 3: {ok})",
                        f"{f(r['min_s'], 2)}–{f(r['max_s'], 2)}",
                        f"{f(r['median_max_rss_mb'], 0)} (target < 400: {mem_ok})",
                        f(r["coatings"]),
                        f(r["triples_built"]),
                        f(r["store_mb"]),
                    ]
                ],
            ),
            "",
        ]
        ph = res.get("review_phases") or {}
        if "import_s" in ph:
            out += [
                "Where one review ingest spends its time (fresh process, median of 3; "
                "`build_files` called twice to separate one-time set-up from the work):",
                "",
                table(
                    ["imports s", "first build s", "second (warm) build s", "store writes s"],
                    [
                        [
                            f(ph["import_s"], 2),
                            f(ph["first_build_s"], 2),
                            f(ph["warm_build_s"], 2),
                            f(ph["store_write_s"], 2),
                        ]
                    ],
                ),
                "",
            ]
    synth = res.get("synthetic") or []
    if synth:
        out += [
            "### Throughput on synthetic corpora (bench/generate.py, ~100 KB per document)",
            "",
            table(
                [
                    "documents",
                    "input MB",
                    "jobs",
                    "wall s",
                    "docs/s",
                    "MB/s",
                    "coatings",
                    "triples",
                    "peak RSS MB (all processes)",
                    "store MB",
                ],
                [
                    [
                        f(s["documents"]),
                        f(s["input_mb"], 2),
                        f(s["jobs"]),
                        f(s["median_s"], 1) if s["ok_runs"] else f"failed: {s['error'][:80]}",
                        f(s["docs_per_s"], 2),
                        f(s["mb_per_s"], 3),
                        f(s["coatings"]),
                        f(s["triples_built"]),
                        f(s["median_tree_rss_mb"], 0),
                        f(s["store_mb"], 1),
                    ]
                    for s in synth
                ],
            ),
            "",
        ]
    big_row = max(synth, key=lambda x: x["documents"], default=None)
    if big_row:
        pair = {
            x["jobs"]: x for x in synth if x["documents"] == big_row["documents"] and x["ok_runs"]
        }
        if 1 in pair and 2 in pair:
            speedup = pair[1]["median_s"] / pair[2]["median_s"]
            out += [
                f"At {big_row['documents']} documents `--jobs 2` is {speedup:.2f}× as fast as "
                f"`--jobs 1` on this 2-CPU machine: what does not speed up is the serial part "
                f"(start-up, then writing each document's graph into the store one by one; see "
                f"the phases above).",
                "",
            ]
    if r and big_row and big_row.get("triples_built") and r.get("triples_built"):
        per_doc = big_row["triples_built"] / big_row["documents"]
        out += [
            f"A synthetic document yields about {per_doc:,.0f} triples against the review's "
            f"{r['triples_built']:,} (the review has more tables, longer prose and more "
            f"quantities per sentence), so per-document figures here flatter the pipeline; "
            f"MB/s is the fairer unit.",
            "",
        ]
    out += ["### 1,000 documents (separate command)", ""]
    if big and big.get("synthetic"):
        s = big["synthetic"][0]
        verdict = (
            f"{f(s['median_s'] / 60, 1)} min (target < 15 min: {'✓' if s['median_s'] < 900 else '✗'})"
            if s["ok_runs"]
            else f"did not finish: {s['error'][:200] or 'stopped at the time limit'}"
        )
        out += [
            provenance(big),
            "",
            table(
                [
                    "documents",
                    "input MB",
                    "jobs",
                    "wall",
                    "docs/s",
                    "MB/s",
                    "triples",
                    "peak RSS MB (all processes)",
                    "store MB",
                ],
                [
                    [
                        f(s["documents"]),
                        f(s["input_mb"], 1),
                        f(s["jobs"]),
                        verdict,
                        f(s["docs_per_s"], 2),
                        f(s["mb_per_s"], 3),
                        f(s["triples_built"]),
                        f(s["median_tree_rss_mb"], 0),
                        f(s["store_mb"], 0),
                    ]
                ],
            ),
            "",
        ]
        if s["ok_runs"]:
            out += [
                f"The largest single process peaked at {f(s['median_max_rss_mb'], 0)} MB: `kg ingest` "
                "keeps every built document's N-Triples in memory until all are built (so that a "
                "bad file writes nothing), so its memory grows with the size of the corpus.",
                "",
            ]
    else:
        out += [f"Not recorded yet. Command: `{INGEST_1000_CMD}`", ""]
    return out


BACKENDS = (
    ("ask_embedded", "`kg.ask`, embedded on-disk Oxigraph"),
    ("ask_server", "`kg.ask`, Oxigraph server over HTTP"),
    ("sparql_embedded", "ask's SPARQL, pyoxigraph in process"),
    ("sparql_server", "ask's SPARQL, Oxigraph server over HTTP"),
    ("sparql_rdflib", "ask's SPARQL, rdflib in memory (own engine)"),
)


def _cap(sc: dict[str, Any], key: str) -> float:
    return float(sc["rdflib"]["timeout_s"] if key == "sparql_rdflib" else sc.get("cap_s", 60))


def _stopped(sc: dict[str, Any], key: str) -> list[str]:
    stopped = sc.get("stopped") or {}
    if key == "sparql_rdflib":
        return list(stopped.get(key) or sc["rdflib"].get("timeouts") or [])
    return list(stopped.get(key) or [])


def _bound(sc: dict[str, Any], q: str, key: str) -> float:
    """What a stopped call is known to exceed: kg's own limit if it said so, else the cap."""
    m = re.search(r"longer than (\d+(?:\.\d+)?) s", str(sc["rows"][q].get(key, "")))
    return min(_cap(sc, key), float(m.group(1))) if m else _cap(sc, key)


def _cell(sc: dict[str, Any], q: str, key: str) -> str:
    if q in _stopped(sc, key):
        return f"> {_bound(sc, q, key):g} s"
    value = sc["per_question_ms"][q].get(key)
    if value is None:
        note = str(sc["rows"][q].get(key, ""))
        return "not run" if note.startswith("not run") else "–"
    return ms(value)


def app_note(app: dict[str, Any], finishing: Sequence[str] = ()) -> str:
    """The app's footprint in words: peak RSS of a fresh process holding the store."""
    if "asked" not in app:  # first result format: only the questions under the cap, twice each
        which = (
            f"the {len(finishing)} questions that finish under the cap ({', '.join(repr(q) for q in finishing)})"
            if finishing
            else "the questions"
        )
        return (
            f"App footprint: a fresh process that opens the store read-only and asks {which} "
            f"twice, in {f(app.get('total_s'), 0)} s, peaked at **{f(app['self_max_rss_mb'], 0)} MB "
            f"RSS** (target ≤ 1 GB at 1M)."
        )
    done = (
        f"answered all {app['asked']} questions in {f(app['seconds'], 1)} s"
        if app["finished"]
        else f"answered {app['answered']} of {app['asked']} questions before being stopped at "
        f"{app['timeout_s']:g} s"
    )
    return (
        f"App footprint: a fresh process that opens the store read-only and asks each question "
        f"once {done}; peak RSS **{f(app['self_max_rss_mb'], 0)} MB** (target ≤ 1 GB at 1M)."
    )


def scale_section(result: dict[str, Any], sc: dict[str, Any]) -> list[str]:
    b = sc["backends"]
    rd = sc["rdflib"]
    questions = list(sc["per_question_ms"])
    out = [
        f"### About {sc['scale']} triples: {sc['documents']} documents, {sc['count']:,} quads in the store",
        "",
        provenance(result),
        "",
    ]
    rows = []
    for key, label in BACKENDS:
        if key not in b:
            note = (
                f"skipped: {rd['skipped']}" if key == "sparql_rdflib" and rd.get("skipped") else "–"
            )
            rows.append([label, note, "", "", ""])
            continue
        stopped = _stopped(sc, key)
        if stopped and len(stopped) == len(questions):
            low = min(_bound(sc, q, key) for q in stopped)
            rows.append([label, f"> {low:g} s", f"> {low:g} s", "–", f"0 of {len(questions)}"])
            continue
        base = b["ask_embedded"] if key.startswith("ask") else b.get("sparql_embedded")
        if (
            base is None
            or not base["median_ms"]
            or len(_stopped(sc, "ask_embedded")) == len(questions)
        ):
            ratio = float("nan")
        else:
            ratio = b[key]["median_ms"] / base["median_ms"]
        lower = "≥ " if stopped else ""
        answered = len(sc["per_question_ms"]) - sum(
            1 for q in questions if sc["per_question_ms"][q].get(key) is None
        )
        rows.append(
            [
                label,
                lower + ms(b[key]["median_ms"]),
                lower + ms(b[key]["p95_ms"]),
                "–" if math.isnan(ratio) else f"{ratio:.2f}×",
                f"{answered - len(stopped)} of {len(questions)}",
            ]
        )
    out += [
        table(
            [
                "backend",
                "median ms",
                "p95 ms",
                "ratio to embedded (same kind)",
                "questions under the cap",
            ],
            rows,
        ),
        "",
    ]
    notes = []
    for key, label in BACKENDS:
        stopped = _stopped(sc, key)
        if stopped:
            notes.append(
                f"{label}: {len(stopped)} question(s) stopped (at the {_cap(sc, key):g} s cap, or "
                f"earlier by kg's own query time limit) and counted at that limit, so the figures "
                f"above are lower bounds: " + ", ".join(repr(q) for q in stopped) + "."
            )
    if rd.get("not_run"):
        notes.append(
            f"rdflib: {len(rd['not_run'])} question(s) not run (Oxigraph already over the cap, or "
            f"rdflib's time budget for this scale spent): {', '.join(repr(q) for q in rd['not_run'])}."
        )
    if not rd.get("skipped") and not math.isnan(rd.get("load_s", float("nan"))):
        notes.append(
            f"rdflib loaded the N-Quads in {f(rd['load_s'])} s (peak RSS {f(rd['rss_mb'], 0)} MB)"
            + (
                f"; reloaded {rd['reloads']} time(s) after stopped queries."
                if rd.get("reloads")
                else "."
            )
        )
    notes.append(
        f"Loading: `bulk_load` of {f(sc['nquads_mb'], 0)} MB N-Quads into the embedded store took "
        f"{f(sc['load_embedded_s'], 1)} s ({f(sc['store_mb'], 0)} MB on disk)."
    )
    app = sc.get("app") or {}
    if "self_max_rss_mb" in app:
        notes.append(app_note(app, sc.get("phases_questions") or ()))
    out += [f"- {n}" for n in notes] + [""]
    out += [
        "<details><summary>Per question (median ms; rows returned)</summary>",
        "",
        table(
            ["question", *[k for k, _ in BACKENDS], "rows (ask / SPARQL)"],
            [
                [
                    q,
                    *[_cell(sc, q, k) for k, _ in BACKENDS],
                    f"{count(sc['rows'][q].get('ask_embedded'))} / {count(sc['rows'][q].get('sparql_embedded'))}",
                ]
                for q in questions
            ],
        ),
        "",
        "</details>",
        "",
    ]
    return out


#: The side-by-side run (issue 11): every store and scale in one command.
SIDE_CMD = (
    ".venv/bin/python bench/query_bench.py --scales 10k,100k,1M --reps 3 --cap 30 "
    "--clock cpu --cached-data --json bench/results/query_side.json"
)
#: (kg.ask key, its core SPARQL's key on the same store, label).
SIDE_STORES = (
    ("ask_embedded", "sparql_embedded", "disk (embedded, read-only)"),
    ("ask_replica", "sparql_replica", "read replica (in memory)"),
    ("ask_server", "sparql_server", "`kg serve` (HTTP)"),
)


def _median_p95(b: dict[str, Any], key: str) -> str:
    if key not in b:
        return "–"
    return f"{ms(b[key]['median_ms'])} / {ms(b[key]['p95_ms'])}"


def side_section(res: dict[str, Any] | None) -> list[str]:
    """kg.ask on each store against its own core query's engine time, all scales, one run."""
    out = ["## `kg.ask` side by side: disk, replica, `kg serve`, the engine alone (one run)", ""]
    if not res:
        return [*out, f"Not recorded yet: `{SIDE_CMD}`.", ""]
    out += [
        provenance(res),
        "",
        "Median / p95 ms over every timed call of the questions; the ratio is `kg.ask`'s median "
        "over the median of its own core query (`build_sparql`, the query that finds the "
        "matches) run on the same engine with nothing around it. rdflib runs the same core "
        "query in memory with its own engine where it loads in reasonable time. "
        + (
            "Clock: CPU time of each store's worker process (`--clock cpu`: the machine was "
            "shared, so wall time measured the other work); `kg serve` by the wall clock, its "
            "engine being in another process."
            if res.get("clock") == "cpu"
            else "Clock: wall time."
        ),
        "",
    ]
    rows = []
    for sc in res["scales"]:
        b = sc["backends"]
        row = [f"{sc['scale']} ({sc['count']:,} quads)"]
        for ask_key, core_key, _ in SIDE_STORES:
            ratio = (
                f" ({b[ask_key]['median_ms'] / b[core_key]['median_ms']:.1f}×)"
                if ask_key in b and core_key in b and b[core_key]["median_ms"]
                else ""
            )
            row.append(_median_p95(b, ask_key) + ratio)
        row += [_median_p95(b, core) for _, core, _ in SIDE_STORES]
        row.append(_median_p95(b, "sparql_rdflib"))
        app = sc.get("app") or {}
        row.append(f"{f(app.get('self_max_rss_mb'), 0)} MB" if app else "–")
        rows.append(row)
    header = [
        "scale",
        *[f"`kg.ask`, {label} (ratio)" for _, _, label in SIDE_STORES],
        *[f"core SPARQL, {label}" for _, _, label in SIDE_STORES],
        "core SPARQL, rdflib in memory",
        "app reader peak RSS",
    ]
    out += [table(header, rows), ""]
    return out


def diagnosis_sentence(diag: dict[str, Any] | None, scale: str) -> str:
    """What the cut-down queries show, in one sentence (empty without a diagnosis)."""
    d = next((x for x in (diag or {}).get("diagnosis", []) if x["scale"] == scale), None)
    if not d or not d["variants"]:
        return ""
    parts = []
    for v in d["variants"]:
        cell = _diag_cell(v.get("embedded"))
        parts.append(f"{v['variant']}: {cell}{'' if cell.startswith(('>', 'not', '–')) else ' ms'}")
    return (
        "The cut-down queries (diagnosis below) show which part of the SPARQL costs the time, "
        "on the embedded store: " + "; ".join(parts) + "."
    )


def bottleneck(sc: dict[str, Any], diag: dict[str, Any] | None = None) -> list[str]:
    ph = sc["phases_ms"]
    if not sc.get("phases_questions") and sc.get("stopped", {}).get("ask_embedded"):
        over = sc["stopped"]["ask_embedded"]
        return [
            f"At {sc['scale']} triples all {len(over)} questions run past the {sc.get('cap_s', 60):g} s "
            f"cap through `kg.ask`, on the embedded store and on the server alike, so the time is "
            f"in the query engine evaluating the SPARQL that `kg.ask` writes, not in Python, HTTP "
            f"or the store's size on disk (loading took {f(sc['load_embedded_s'], 0)} s). "
            + diagnosis_sentence(diag, sc["scale"]),
            "",
        ]
    total = ph["ask_total"] or float("nan")
    engine = ph["engine"]
    interp = ph["interpret"]
    parts = {
        "the SPARQL engine (pyoxigraph evaluating ask's queries and yielding their rows)": engine,
        "interpreting the question and writing SPARQL": interp,
        "the rest of `kg.ask` (converting terms to Python values, shaping rows and evidence)": max(
            0.0, total - engine - interp
        ),
    }
    top = max(parts, key=lambda k: parts[k])
    top = f"{top}, {parts[top] / total:.0%} of the time"
    done = sc.get("phases_questions") or list(sc["per_question_ms"])
    n_done = len(done)
    over = _stopped(sc, "ask_embedded")
    others = (
        f" (and {len(over)} more are stopped at the cap: {', '.join(repr(q) for q in over)})"
        if over
        else ""
    )
    pq = sc["per_question_ms"]
    slow = max(pq, key=lambda q: pq[q].get("sparql_embedded") or 0)
    lines = [
        f"At {sc['scale']} triples the {n_done} question(s) that finish within the "
        f"{sc.get('cap_s', 60):g} s cap take {total / 1000:.1f} s in all through `kg.ask` on the "
        f"embedded store{others}. Split by measurement: "
        + "; ".join(f"{k}: {v / 1000:.1f} s ({v / total:.0%})" for k, v in parts.items())
        + f". **Bottleneck: {top}.** The slowest question on the engine is {slow!r} "
        f"({ms(pq[slow].get('sparql_embedded'))} ms for its SPARQL alone). "
        f"For comparison, `kg.query.run_query` (the path for user-typed SPARQL: parse check, "
        f"killable worker that reopens the store read-only) takes {ph['run_query'] / 1000:.1f} s "
        f"for the same ten queries (fixed cost per call, `ASK {{}}`: "
        f"{sc['run_query_fixed_overhead_ms']:.0f} ms), and the engine on a freshly opened "
        f"read-only store {ms(ph.get('engine_cold'))} ms. " + diagnosis_sentence(diag, sc["scale"]),
        "",
    ]
    prof = sc.get("profile_top")
    if prof:
        lines += [
            f"cProfile of `kg.ask` over the {len(sc.get('phases_questions') or sc['per_question_ms'])} "
            "question(s) that finish, top functions by own time. pyoxigraph evaluates a query "
            "lazily while its solutions are iterated, so engine time shows up as the own time of "
            "`kg.query._execute`, the loop that iterates them:",
            "",
            table(
                ["function", "calls", "own s", "cumulative s"],
                [
                    [p["function"], f(p["calls"]), f(p["tottime_s"], 2), f(p["cumtime_s"], 2)]
                    for p in prof[:8]
                ],
            ),
            "",
        ]
    return lines


def _diag_cell(v: dict[str, Any] | None) -> str:
    if not v:
        return "–"
    if v["stopped"]:
        return f"> {v['cap_s']:g} s"
    if v["median_ms"] is None:
        return "not run"
    return ms(v["median_ms"])


def diagnosis_section(diag: dict[str, Any] | None) -> list[str]:
    if not diag or not diag.get("diagnosis"):
        return []
    out = []
    for d in diag["diagnosis"]:
        backends = [
            b for b in ("embedded", "server", "rdflib") if any(b in v for v in d["variants"])
        ]
        rows = []
        for v in d["variants"]:
            n = next((v[b]["rows"] for b in backends if isinstance(v[b]["rows"], int)), None)
            ratios = ""
            emb = v.get("embedded") or {}
            if emb.get("median_ms") and not emb.get("stopped"):
                ratios = ", ".join(
                    f"{b} {v[b]['median_ms'] / emb['median_ms']:.1f}×"
                    for b in backends[1:]
                    if v.get(b) and v[b]["median_ms"] and not v[b]["stopped"]
                )
            rows.append([v["variant"], *[_diag_cell(v.get(b)) for b in backends], f(n), ratios])
        out += [
            f"### Diagnosis at {d['scale']}: the first question's SPARQL cut down to its parts",
            "",
            "The same four queries on each store, so the stores can be compared at this size even "
            "where every full question is over the cap.",
            "",
            provenance(diag),
            "",
            table(
                ["variant", *[f"{b} ms" for b in backends], "rows", "ratio to embedded"],
                rows,
            ),
            "",
        ]
        notes = []
        rd = d.get("rdflib") or {}
        if rd.get("skipped"):
            notes.append(f"rdflib skipped: {rd['skipped']}.")
        elif rd:
            notes.append(
                f"rdflib loaded the {d['scale']} N-Quads in {f(rd['load_s'])} s "
                f"(peak RSS {f(rd['rss_mb'], 0)} MB)."
            )
        if d.get("app"):
            notes.append(app_note(d["app"]))
        out += [f"- {n}" for n in notes] + [""]
    return out


#: Sections below this line in docs/benchmarks.md are measured by hand (one-off profiles);
#: ``--render`` keeps them instead of dropping them.
HAND_MARKER = "<!-- measured by hand: bench/run.py keeps everything below this line -->"


def hand_measured() -> str:
    """The page's hand-measured tail (from :data:`HAND_MARKER` on), or "" when there is none."""
    try:
        text = DOC.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = text.find(HAND_MARKER)
    return "" if at < 0 else text[at:]


def render() -> str:
    ingest, big = load("ingest.json"), load("ingest_1000.json")
    query, full = load("query.json"), load("query_1m.json")
    diag = load("diagnose_1m.json")
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`) from the JSON results in `bench/results/`; "
        "each section names the command that produced it. Synthetic documents come from "
        "`bench/generate.py` (seeded: the same documents every run). Timings are wall-clock on a "
        "machine shared with other work: the load average at the start of each run is given, "
        "and anything above ~1 on 2 CPUs inflates the numbers.",
        "",
        *ingest_section(ingest, big),
        *readers_section(load("readers.json"), load("pdf_libraries.json")),
        *side_section(load("query_side.json")),
        "## Questions (`kg.ask`) by graph size and store",
        "",
        "Ten representative questions; each timed 5 times (3 at 1M) after a warm-up, or only "
        "once when a single call would overrun 20 s of repetitions. `kg.ask` is end to end "
        "(question → SPARQL → answer rows). The SPARQL rows run the query `kg.ask` generates, "
        "so the three stores answer the very same query. Every store runs in its own worker "
        "process that is killed at the cap (60 s; 30 s at 1M; rdflib 30 s, with a time budget "
        'per scale that includes its reloads), so a stopped call is reported as "> N s" '
        "rather than waited for; the embedded store is opened read-only, as a reading app does.",
        "",
    ]
    scales = [(query, sc) for sc in (query or {}).get("scales", [])]
    scales += [(full, sc) for sc in (full or {}).get("scales", [])]
    for result, sc in scales:
        out += scale_section(result, sc)
    if not any(sc["scale"] == "1M" for _, sc in scales):
        out += [
            "### About 1M triples",
            "",
            f"Not recorded yet: `{PY} bench/run.py --full` (or `{PY} {' '.join(QUERY_FULL_CMD)}`).",
            "",
        ]
    if scales:
        result, largest = scales[-1]
        out += [
            f"## Where the time goes at {largest['scale']} triples",
            "",
            *bottleneck(largest, diag),
        ]
        out += diagnosis_section(diag)
        trend = [
            [
                sc["scale"],
                ms(sc["phases_ms"]["interpret"]),
                ms(sc["phases_ms"]["engine"]),
                ms(sc["phases_ms"].get("engine_cold")),
                ms(sc["phases_ms"]["run_query"]),
                ms(sc["phases_ms"]["ask_total"]),
            ]
            for _, sc in scales
        ]
        out += [
            "The same measurements at every scale (sum over the questions of each one's median, ms; "
            "where some are stopped at the cap, over those that finish): "
            "interpretation alone; the SPARQL on the warm in-process store; the SPARQL on a freshly "
            "opened read-only store (what `run_query`'s worker does); `run_query` (worker included); "
            "`kg.ask` end to end.",
            "",
            table(
                [
                    "scale",
                    "interpret",
                    "engine (warm)",
                    "engine (fresh read-only)",
                    "run_query",
                    "ask total",
                ],
                trend,
            ),
            "",
        ]
    out += [
        "## Reproduce",
        "",
        "```bash",
        "make bench                                   # = .venv/bin/python bench/run.py (ingest, 10k and 100k)",
        f"{PY} bench/run.py --full                  # adds 1M triples and the 1M diagnosis",
        f"{INGEST_1000_CMD}",
        f"{PY} bench/run.py --render                # rewrite this page from bench/results/*.json",
        f"{PY} bench/generate.py --docs 100 --out artifacts/synth --seed 0",
        "```",
        "",
        "Generated documents, built N-Triples (cached by a hash of the ingest code), N-Quads and "
        "stores live under `artifacts/bench/` (git-ignored).",
    ]
    return "\n".join(out).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also the 1M-triple query benchmark")
    parser.add_argument("--render", action="store_true", help="only rewrite docs/benchmarks.md")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-query", action="store_true")
    args = parser.parse_args(argv)
    if not args.render:
        if not args.skip_ingest:
            run(INGEST_CMD)
        if not args.skip_query:
            run(QUERY_CMD)
        if args.full:
            run(QUERY_FULL_CMD)
            run(DIAGNOSE_CMD)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    kept = hand_measured()
    DOC.write_text(render() + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"Wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
