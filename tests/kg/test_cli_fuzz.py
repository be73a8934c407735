"""Every command and every option of `kg` with hostile values: one line, never a traceback.

The cases come from bench/cli_fuzz.py (which runs all of them as real processes and measures
time and memory for docs/benchmarks.md). Here each parameter of each command gets a sample of
its hostile values, run in this process through the same entry point the `kg` script calls;
values that could block an in-process run (a FIFO, a server that never answers, /dev/zero)
are left to the benchmark, which kills what overruns.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "bench" / "cli_fuzz.py"
BLOCKING = ("fifo", "/dev/zero", "random-20MB", "one-letter", "big.json")


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_cli_fuzz", FUZZ)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _module()


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fuzz.make_fixtures(tmp_path_factory.mktemp("fuzz"), small=True)


def _sample(all_cases: list[Any], fx: Any) -> list[Any]:
    """Up to three values per (command, parameter), spread over its list; none that blocks."""
    by_param: dict[tuple[str, str], list[Any]] = {}
    for case in all_cases:
        words = [w if isinstance(w, str) else "" for w in case.argv]
        if any(b in w for w in words for b in BLOCKING) or fx.silent in words:
            continue
        if case.command == "query" and "?j ?k ?l" in case.value:
            continue  # runs to the 10 s limit: measured by the benchmark
        if case.command == "serve" and case.value == "":
            continue  # `--store ""` is ./.kg, which an ingest case may have made: it would serve
        by_param.setdefault((case.command, case.param), []).append(case)
    picked = []
    for group in by_param.values():
        step = max(1, len(group) // 3)
        picked += group[::step][:3]
    return picked


def test_every_option_of_every_command_has_hostile_values(fixtures: Any) -> None:
    names = {(c.command, c.param) for c in fuzz.cases(fixtures)}
    for command, cmd in fuzz.commands().items():
        for param in cmd.params:
            assert param.name in fuzz.KINDS, f"{command} {param.name}: add hostile values"
            assert (command, param.name) in names


def test_hostile_values_end_in_one_line_without_a_traceback(
    fixtures: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cli import app

    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.chdir(fixtures.work)  # `--store ""` means ./.kg: keep it in the scratch folder
    problems = []
    for case in _sample(list(fuzz.cases(fixtures)), fixtures):
        argv = [
            a if isinstance(a, str) else a.decode("utf-8", "surrogateescape") for a in case.argv
        ]
        if case.command == "serve" and case.param != "store":
            argv = [*argv, "--store", str(fixtures.work / "none")]  # never serve in this process
        try:
            app(args=argv, prog_name="kg")
            code: object = 0
        except SystemExit as e:
            code = e.code
        except BaseException as e:  # what the `kg` script would show as a traceback
            problems.append(f"{case.command} {case.param}={case.value!r}: {type(e).__name__}: {e}")
            continue
        text = capsys.readouterr()
        if "Traceback" in text.out + text.err:
            problems.append(f"{case.command} {case.param}={case.value!r}: traceback printed")
        elif code not in (0, None) and not text.err.strip():
            problems.append(f"{case.command} {case.param}={case.value!r}: exit {code}, no message")
    assert not problems, "\n".join(problems)
    assert not fuzz._Canary.hits  # no hostile value made anything fetch from the canary
