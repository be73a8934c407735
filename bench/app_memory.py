"""Peak memory of a real ``streamlit run app.py`` serving a store, driven by headless Chromium.

Opens the app, asks the bench's questions through its ``?q=`` links, then opens the Compare,
Documents and Explore tabs (the views that load whole tables), and reads the Streamlit
process's peak RSS (``VmHWM`` in /proc) after each view.

::

    .venv/bin/python bench/app_memory.py artifacts/bench/stores/1M --json bench/results/app_memory_1m.json
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from benchlib import ROOT, command_line, machine, now, save_json
from query_bench import QUESTIONS

CHROMIUM = "/usr/bin/chromium"
VIEWS = ("?tab=compare", "?tab=documents", "?entity=LiF")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_mb(pid: int) -> tuple[float, float]:
    """(peak RSS, current RSS) of a process in MB, from /proc/PID/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def _wait_idle(page: Any, timeout_s: float) -> None:
    """Until the app's script run is over (Streamlit's running indicator gone)."""
    deadline = time.monotonic() + timeout_s
    time.sleep(1.0)
    while time.monotonic() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--timeout", type=float, default=180, help="seconds per view")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "KG_STORE": str(args.store.resolve())}
    env.pop("KG_ENDPOINT", None)
    app = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    views: list[dict[str, Any]] = []
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        links = [f"?q={urllib.parse.quote_plus(q)}" for q in QUESTIONS] + list(VIEWS)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.set_default_timeout(args.timeout * 1000)
            for link in ["", *links]:
                started = time.perf_counter()
                page.goto(url + link)
                _wait_idle(page, args.timeout)
                peak, current = _peak_mb(app.pid)
                views.append(
                    {
                        "view": link or "(first page)",
                        "seconds": time.perf_counter() - started,
                        "peak_rss_mb": peak,
                        "rss_mb": current,
                    }
                )
                print(f"  {link or '(first page)'}: peak {peak:.0f} MB", file=sys.stderr)
            browser.close()
    finally:
        app.terminate()
        app.wait(20)
    out = {
        "command": command_line(),
        "date": now(),
        "machine": machine(),
        "store": str(args.store),
        "views": views,
        "peak_rss_mb": max(v["peak_rss_mb"] for v in views),
    }
    save_json(args.json, out)
    print(f"peak RSS {out['peak_rss_mb']:.0f} MB; wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
