"""Process cells in the idioms the field writes them → ordered precursor steps."""

from __future__ import annotations

import pytest

from ingest.tables import parse_process


@pytest.mark.parametrize(
    ("cell", "precursors", "times"),
    [
        ("TMA/H2O", ("TMA", "H2O"), [(None, None), (None, None)]),
        ("TMA + H2O (0.1 s/30 s)", ("TMA", "H2O"), [(0.1, 30.0), (0.1, 30.0)]),
        ("TMA, O3", ("TMA", "O3"), [(None, None), (None, None)]),
        ("TDMAZ, H2O", ("TDMAZ", "H2O"), [(None, None), (None, None)]),
        ("DEZ–EG", ("DEZ", "EG"), [(None, None), (None, None)]),
        ("DEZ–ED–PDIC", ("DEZ", "ED", "PDIC"), [(None, None)] * 3),
        ("DEZ-EG", ("DEZ", "EG"), [(None, None), (None, None)]),
        ("LiOtBu–TMPO 2 s/10 s/2 s/10 s", ("LTB", "TMP"), [(2.0, 10.0), (2.0, 10.0)]),
        ("TDMAH and water", ("TDMAH", "H2O"), [(None, None), (None, None)]),
        ("TiCl4 / H2O 0.2 s/4 s/0.5 s/6 s", ("TiCl4", "H2O"), [(0.2, 4.0), (0.5, 6.0)]),
        (
            "TMA pulse/purge/plasma O2 pulse/purge 0.06 s/30 s/10 s/5 s",
            ("TMA", "O2 plasma"),
            [(0.06, 30.0), (10.0, 5.0)],
        ),
        (
            "tetrakis(dimethylamino)tin(IV) + H2O",
            ("TDMASn", "H2O"),
            [(None, None), (None, None)],
        ),
    ],
)
def test_process_idioms(cell: str, precursors: tuple[str, ...], times: list[tuple]) -> None:
    steps, found, _ = parse_process(cell)
    assert found == precursors
    assert [(s.pulse_s, s.purge_s) for s in steps] == times


def test_two_sequences_of_a_dual_layer() -> None:
    steps, precursors, _ = parse_process("TMA / H₂O; TMA / EG")
    assert [s.precursor for s in steps] == ["TMA", "H2O", "TMA", "EG"]
    assert precursors == ("TMA", "H2O", "EG")


def test_a_hyphenated_name_that_is_not_two_precursors_stays_whole() -> None:
    _, precursors, _ = parse_process("Li-HMDS + H2O")
    assert precursors == ("LiHMDS", "H2O")


def test_times_left_over_are_a_note() -> None:
    _, _, notes = parse_process("TMA pulse/purge 0.1 s/10 s/3 s")
    assert any("unassigned" in n for n in notes)


def test_a_cell_saying_not_reported_has_no_precursor() -> None:
    assert parse_process("n.r.")[1] == ()
