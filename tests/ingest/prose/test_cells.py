"""Which full cell a sentence names by its cathode: read from the vocabulary's cathodes."""

from __future__ import annotations

import pytest

from ingest.prose.cells import CellTests
from ingest.prose.matcher import default_matcher


@pytest.fixture(scope="module")
def cells() -> CellTests:
    return CellTests(default_matcher())


@pytest.mark.parametrize(
    ("sentence", "metal", "cell"),
    [
        ("Li||LiFePO4 full cells delivered 150 mAh g-1.", "Li", "Li-LFP"),
        ("Paired with NCM811 cathodes, the cells kept 90% of their capacity.", "Li", "Li-NMC"),
        # a composition the vocabulary does not list: its elements are those of NMC
        ("Cells with LiNi0.83Co0.11Mn0.06O2 kept 80% after 100 cycles.", "Li", "Li-NMC"),
        ("Coupled with a sulfur-carbon composite cathode, the cells kept 700 mAh g-1.", "Na", "Na-S"),
        ("Na3V2(PO4)3 cathodes paired with the coated Na cycled in cells for 300 cycles.", "Na", "Na full cell"),
        ("A high-voltage cathode was paired and the cells cycled 100 times.", "Li", "full cell"),
        ("LiFePO4 cathodes were paired with Na and the cells cycled 100 times.", "Na", "full cell"),
    ],
)  # fmt: skip
def test_the_cathode_names_the_full_cell(cells: CellTests, sentence: str, metal: str, cell: str) -> None:  # fmt: skip
    assert cells.cathode_cell(sentence, metal) == cell


def test_a_plain_word_is_a_cathode_only_before_cathode(cells: CellTests) -> None:
    assert cells.cathode_cell("Sulfur additives were tested in cells for 100 cycles.", "Li") is None
