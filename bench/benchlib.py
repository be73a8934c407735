"""Shared helpers of the benchmark scripts: the machine, fresh-process measurement, statistics.

Not a test helper and not part of the package: the scripts in bench/ import it as a sibling
module (``python bench/x.py`` puts bench/ first on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "artifacts" / "bench"
REVIEW = ROOT.parent / "shared" / "corpus" / "ald-mld-alkali-metal-anodes-review.txt"
PYTHON = Path(sys.executable)


def machine() -> dict[str, Any]:
    """What the numbers were measured on; the load average says how shared the machine was."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    versions: dict[str, str] = {}
    for name in ("pyoxigraph", "rdflib", "oxrdflib", "spacy"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # not installed: leave it out
            continue
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "packages": versions,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def kg_command() -> list[str]:
    """The ``kg`` console script beside this Python, else ``python -m kg.cli`` (same code)."""
    script = PYTHON.parent / "kg"
    return [str(script)] if script.exists() else [str(PYTHON), "-m", "kg.cli"]


# --------------------------------------------------------------------------- processes


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc (0 once it is gone)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


@dataclass(frozen=True)
class ProcessRun:
    """One fresh process: wall time, peak RSS of its largest process and of its whole tree."""

    seconds: float
    max_rss_mb: float  # ru_maxrss from wait4: the largest single process (main or a worker)
    tree_rss_mb: float  # sampled every 20 ms: main process plus workers at once
    returncode: int
    stderr_tail: str  # the last 5 MB of stderr


def run_measured(cmd: list[str], *, timeout_s: float, cwd: Path | None = None) -> ProcessRun:
    """Run ``cmd`` in a fresh process; time it and take its peak memory (startup included)."""
    err_path = WORK / f"stderr-{os.getpid()}-{time.monotonic_ns()}.txt"
    err_path.parent.mkdir(parents=True, exist_ok=True)
    peak = [0]
    with err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = started + timeout_s
        status, rusage = 0, None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    tail = err_path.read_text(errors="replace")[-5_000_000:]
    err_path.unlink(missing_ok=True)
    return ProcessRun(
        seconds=seconds,
        max_rss_mb=(rusage.ru_maxrss / 1024) if rusage else 0.0,
        tree_rss_mb=peak[0] / 1024,
        returncode=proc.returncode if seconds <= timeout_s else -9,
        stderr_tail=tail,
    )


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# --------------------------------------------------------------------------- statistics


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    """95th percentile by nearest rank (with 10-50 samples, close to the slowest ones)."""
    if not xs:
        return float("nan")
    ordered = sorted(xs)
    k = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return ordered[k]


def save_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        data,
        indent=1,
        default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o),
    )
    path.write_text(text + "\n", encoding="utf-8")


def command_line() -> str:
    """The command that is running, as a person would type it from the project root."""
    script = Path(sys.argv[0])
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(ROOT)
    return " ".join([".venv/bin/python", str(script), *sys.argv[1:]])
