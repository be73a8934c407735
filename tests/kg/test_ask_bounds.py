"""kg ask under hostile input: bounded text, merged repeats, numbers in range, time limit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.ask import (
    MAX_QUESTION_CHARS,
    QuestionError,
    ask,
    ask_bounded,
    build_sparql,
    interpret,
)
from kg.query import QueryTimeout, call_in_worker


@pytest.mark.parametrize("question", ["", " ", "\t\n  ", "\u3000"])
def test_empty_questions_are_refused_with_examples(question: str) -> None:
    with pytest.raises(QuestionError, match=r"empty\. Ask, for example"):
        interpret(question)


@pytest.mark.parametrize(
    "question",
    ["{" * 10_000, '"' * 100_000, "coatings on Na " * 40, "x" * (MAX_QUESTION_CHARS + 1)],
)
def test_overlong_questions_are_refused_at_once(question: str) -> None:
    with pytest.raises(QuestionError, match=f"at most {MAX_QUESTION_CHARS}"):
        interpret(question)


def test_a_question_at_the_length_limit_is_read() -> None:
    question = ("coatings on Na " * 40)[:MAX_QUESTION_CHARS]
    assert [c.label for c in interpret(question).concepts["Substrate"]] == ["Na"]


@pytest.mark.parametrize(
    "number", ["9" * 309, "1" + "0" * 400, "1234567890123456", "1,000,000,000,000,000"]
)
def test_numbers_with_too_many_digits_are_refused(number: str) -> None:
    with pytest.raises(QuestionError, match="digits"):
        interpret(f"coatings stable over {number} h on Na")


def test_fifteen_digits_are_still_a_number() -> None:
    (n,) = interpret("coatings stable over 123456789012345 h").numbers
    assert n.low == pytest.approx(123456789012345, rel=1e-9)


def test_repeated_constraints_are_one_constraint() -> None:
    interp = interpret("over 1000 h on Na " * 20)
    assert len(interp.numbers) == 1
    assert [c.label for c in interp.concepts["Substrate"]] == ["Na"]
    assert build_sparql(interp).count("akg:hasMeasurement") == 1


def test_repeated_years_are_one_constraint() -> None:
    assert interpret("studies from 2018 and from 2018").years == [("=", 2018, 2018)]


def test_different_constraints_are_kept() -> None:
    interp = interpret("coatings over 1000 h and thinner than 5 nm")
    assert [n.kind for n in interp.numbers] == ["CyclingDuration", "Thickness"]


def test_repeated_question_answers_like_the_single_one(ask_store: object) -> None:
    once = ask("coatings stable over 1000 h", ask_store)
    many = ask("coatings stable over 1000 h " * 15, ask_store)
    assert [r["ref"] for r in many.rows] == [r["ref"] for r in once.rows]


def test_bounded_ask_gives_the_same_answer(ask_store: object) -> None:
    inline = ask("coatings on Li", ask_store)
    bounded = ask_bounded("coatings on Li", ask_store, timeout_s=30)
    assert bounded.rows == inline.rows


def test_bounded_ask_reopens_a_disk_store(tmp_path: object, ask_store: object) -> None:
    from kg.store import OxigraphStore

    disk = OxigraphStore(tmp_path)  # type: ignore[arg-type]
    disk.raw.bulk_extend(ask_store.raw)  # type: ignore[attr-defined]
    disk.raw.flush()
    expected = [r["ref"] for r in ask("coatings on Li", ask_store).rows]
    answer = ask_bounded("coatings on Li", disk, timeout_s=30)
    assert [r["ref"] for r in answer.rows] == expected


def test_bounded_ask_refuses_before_starting_a_worker(ask_store: object) -> None:
    with pytest.raises(QuestionError):
        ask_bounded("   ", ask_store)


def _sleep(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return "done"


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _raise_question_error() -> None:
    raise QuestionError("a message that must come back unchanged")


def test_worker_time_limit_stops_the_call() -> None:
    with pytest.raises(QueryTimeout):
        call_in_worker(_sleep, 30, timeout_s=0.5)


def test_worker_memory_budget_stops_the_call() -> None:
    from kg.query import WorkerMemoryError

    with pytest.raises(WorkerMemoryError, match="memory"):
        call_in_worker(_allocate, 2048, timeout_s=30, memory_mb=200)
    assert call_in_worker(_allocate, 10, timeout_s=30, memory_mb=200) == 10 * 1024 * 1024


def test_worker_passes_our_exceptions_back() -> None:
    with pytest.raises(QuestionError, match="must come back unchanged"):
        call_in_worker(_raise_question_error, timeout_s=30)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("{" * 10_000, "at most"),
        (f"coatings over {'9' * 309} h", "digits"),
    ],
)
def test_cli_refuses_with_usage_exit_code(question: str, message: str, tmp_path: object) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ask", question, "--store", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    text = done.stdout + done.stderr
    assert message in text and "Traceback" not in text


def test_a_question_error_is_a_query_error() -> None:
    # Callers that already show kg.query's errors (the app) show an unreadable question too.
    from kg.query import QueryError

    with pytest.raises(QueryError):
        interpret("9" * 400)
