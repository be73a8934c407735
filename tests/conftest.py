"""Shared pytest fixtures. Each owner keeps their fixtures inside their own delimited section."""

from __future__ import annotations

# --- server fixtures ---
# Owner: kg/query.py, kg/export.py, kg/remote.py. A real `oxigraph serve` for @pytest.mark.server.
import shutil as _shutil
import socket as _socket
import subprocess as _subprocess
import sys as _sys
import time as _time
import urllib.request as _urlrequest
from collections.abc import Iterator as _Iterator
from pathlib import Path as _Path

import pytest as _pytest


def _free_port() -> int:
    with _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oxigraph_server_binary() -> str | None:
    beside = _Path(_sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else _shutil.which("oxigraph")


@_pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: _pytest.TempPathFactory) -> _Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of a read-write Oxigraph server for this session."""
    binary = _oxigraph_server_binary()
    if binary is None:
        _pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    process = _subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=_subprocess.DEVNULL,
        stderr=_subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = _time.monotonic() + 15
        while True:
            if process.poll() is not None:
                _pytest.fail(f"oxigraph serve exited at start with code {process.returncode}")
            try:
                with _urlrequest.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if _time.monotonic() > deadline:
                    _pytest.fail(f"oxigraph serve did not answer at {url} within 15 s")
                _time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except _subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- end server fixtures ---
