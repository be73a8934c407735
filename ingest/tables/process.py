"""Process cells → ordered precursor steps with pulse and purge times.

The field writes one ALD/MLD recipe in many idioms, and all of them read the same here:
``TMA pulse/purge/plasma O2 pulse/purge 0.06 s/30 s/10 s/5 s``, ``TMA/H2O``, ``TMA + H2O
(0.1 s/30 s)``, ``TMA, O3``, ``DEZ–EG``, ``DEZ–ED–PDIC``, ``LiOtBu–TMPO 2 s/10 s/2 s/10 s``,
``TMA / H2O; TMA / EG`` (two sequences of a dual layer). Precursors are separated by ``/``,
``+``, ``,``, ``;``, dashes or ``and``; a plain hyphen separates only names the vocabulary
knows on both sides (``Li-HMDS`` stays one name). Times are given to the events in the order
written; without pulse/purge words, 2n times are pulse/purge pairs of n precursors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.records import GlossaryEntry, ProcessStep, TableBlock
from ingest.tables.columns import Columns
from ingest.tables.terms import is_empty, vocab
from kg.vocab import label_key

__all__ = ["parse_process", "repair_spills"]

_TIME = r"\d+(?:\.\d+)?\s*(?:ms|s)?"
_TIMING_RE = re.compile(
    rf"\(\s*{_TIME}(?:\s*/\s*{_TIME})*\s*(?:ms|s)\s*\)"
    rf"|(?:{_TIME}\s*/\s*)*\d+(?:\.\d+)?\s*(?:ms|s)\b(?:\s*/\s*{_TIME}\b)*"
    r"|\(\s*(?i:not\s+given)\s*\)",
)
_EVENT_WORDS = {"pulse", "purge", "vacuum", "dose", "exposure", "pump", "evacuation"}
_SEPARATORS = re.compile(r"\s*(?:/|\+|,|;|–|—|→|\band\b|\bthen\b|\|)\s*")
_NOISE = re.compile(r"^\s*(?:ALD|MLD|PE-?ALD|thermal|cycles?|\(|\))+\s*$", re.I)


@dataclass(frozen=True)
class _Sequence:
    steps_text: str  # "TMA pulse/purge/plasma O2 pulse/purge"
    timing: str  # "0.06 s/30 s/10 s/5 s", "(Not given)" or ""


def _sequences(cell: str) -> list[_Sequence]:
    """Split a process cell into step sequences, each with the timing list that follows it."""
    out: list[_Sequence] = []
    for part in re.split(r"\s*;\s*", cell):
        pos = 0
        for m in _TIMING_RE.finditer(part):
            out.append(_Sequence(part[pos : m.start()].strip(), m.group(0).strip()))
            pos = m.end()
        tail = part[pos:].strip()
        if tail:
            out.append(_Sequence(tail, ""))
    return [s for s in out if s.steps_text or s.timing]


def _times(timing: str) -> list[float]:
    out: list[float] = []
    if re.search(r"not\s+given", timing, re.I):
        return out
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(ms|s)?", timing):
        value = float(m.group(1))
        out.append(value / 1000 if m.group(2) == "ms" else value)
    return out


def _known(name: str) -> bool:
    return vocab().lookup("Precursor", name) is not None


def _split_hyphens(token: str) -> list[str]:
    """``DEZ-EG`` → two names when both are known precursors; ``Li-HMDS`` stays whole."""
    parts = [p.strip() for p in token.split("-")]
    if len(parts) > 1 and all(p and _known(p) for p in parts):
        return parts
    return [token]


def _tokens(steps_text: str) -> list[str]:
    """Precursor names and event words of one sequence, in the order written."""
    out: list[str] = []
    for raw in _SEPARATORS.split(steps_text):
        token = raw.strip(" ()")
        if not token or _NOISE.match(token) or is_empty(token):
            continue
        out.extend(_split_hyphens(token))
    return out


def precursor_label(name: str, glossary: tuple[GlossaryEntry, ...] = ()) -> str:
    """The vocabulary's preferred label (``plasma O2`` → ``O2 plasma``), else through the
    glossary's full name, else the name as written."""
    name = re.sub(r"\s+", " ", name).strip()
    concept = vocab().lookup("Precursor", name)
    if concept is None:
        for entry in glossary:
            if label_key(entry.abbreviation) == label_key(name):
                concept = vocab().lookup("Precursor", entry.full_name)
                break
    return concept.label if concept else name


@dataclass
class _Step:
    precursor: str
    pulse: float | None = None
    purge: float | None = None


def _events(tokens: list[str], glossary: tuple[GlossaryEntry, ...]) -> list[tuple[str, str]]:
    """(event, precursor) pairs: ``X pulse`` or a bare name doses X; ``purge``/``vacuum``."""
    out: list[tuple[str, str]] = []
    for token in tokens:
        words = token.split()
        if len(words) > 1 and words[-1].lower() in ("pulse", "dose", "exposure"):
            out.append(("dose", precursor_label(" ".join(words[:-1]), glossary)))
        elif token.lower() in _EVENT_WORDS:
            out.append((token.lower(), ""))
        else:
            out.append(("dose", precursor_label(token, glossary)))
    return out


def _assign(events: list[tuple[str, str]], times: list[float], notes: list[str]) -> list[_Step]:
    """Give each event its time in order; 2n (or 2) bare times are pulse/purge pairs."""
    steps: list[_Step] = []
    explicit = any(e != "dose" for e, _ in events)
    doses = [p for e, p in events if e == "dose"]
    if not explicit and times and len(times) in (2 * len(doses), 2):
        pairs = [times[i : i + 2] for i in range(0, len(times), 2)] * (
            len(doses) if len(times) == 2 else 1
        )
        return [_Step(p, t[0], t[1]) for p, t in zip(doses, pairs, strict=False)]
    for event, precursor in events:
        if event == "dose":
            steps.append(_Step(precursor, times.pop(0) if times else None))
        elif event == "purge" and steps:
            steps[-1].purge = times.pop(0) if times else None
        elif event in ("vacuum", "pump", "evacuation"):
            t = times.pop(0) if times else None
            notes.append(f"{event} {t:g} s" if t is not None else event)
        elif event == "pulse":
            notes.append("pulse without a precursor")
    if times:
        notes.append(f"{len(times)} unassigned step time(s)")
    return steps


def parse_process(
    cell: str, table: TableBlock | None = None
) -> tuple[tuple[ProcessStep, ...], tuple[str, ...], tuple[str, ...]]:
    """A process cell → (steps, precursors in first-seen order, notes).

    >>> steps, precursors, _ = parse_process("TMA + H2O (0.1 s/30 s)")
    >>> precursors, (steps[0].pulse_s, steps[0].purge_s)
    (('TMA', 'H2O'), (0.1, 30.0))
    """
    return _parse_process(cell, table.glossary if table is not None else ())


@lru_cache(maxsize=4096)
def _parse_process(
    cell: str, glossary: tuple[GlossaryEntry, ...]
) -> tuple[tuple[ProcessStep, ...], tuple[str, ...], tuple[str, ...]]:
    """:func:`parse_process`, memoized: a table repeats its recipes."""
    steps: list[ProcessStep] = []
    notes: list[str] = []
    for seq in _sequences(cell):
        times = _times(seq.timing)
        if seq.timing and not times:
            notes.append(f"times {seq.timing.strip('()').lower()}")
        events = _events(_tokens(seq.steps_text), glossary)
        for step in _assign(events, times, notes):
            steps.append(ProcessStep(step.precursor, step.pulse, step.purge))
    precursors = tuple(dict.fromkeys(s.precursor for s in steps))
    return tuple(steps), precursors, tuple(notes)


_DANGLING_RE = re.compile(r"^\s*(?:pulse|purge)\s*(?:/|$)", re.I)


def repair_spills(rows: list[list[str]], found: Columns) -> list[list[str]]:
    """Move a spilled step sequence back to the row it belongs to.

    When a row's process cell starts with a dangling ``pulse``/``purge`` (no precursor before
    it) and the previous row's cell ends with a step sequence that has no timing after it,
    that trailing sequence is the start of this row's cell (a PDF converter moved it up).
    """
    column = found.get("process")
    if column is None:
        return rows
    col = column.index
    for i in range(1, len(rows)):
        if col >= len(rows[i]) or col >= len(rows[i - 1]):
            continue
        cell, prev = rows[i][col], rows[i - 1][col]
        if not _DANGLING_RE.match(cell):
            continue
        seqs = _sequences(prev)
        if len(seqs) < 2 or seqs[-1].timing:
            continue
        tail = seqs[-1].steps_text
        cut = prev.rstrip().rfind(tail)
        if cut <= 0:
            continue
        rows[i - 1][col] = prev[:cut].rstrip()
        joiner = "" if tail.endswith("/") else " "
        rows[i][col] = f"{tail}{joiner}{cell.lstrip()}"
    return rows
