"""Prose extraction time against the number of values in one sentence (is it linear?).

One primary abstract whose second sentence lists N cycling durations ("1 h, 2 h, ..."), the
shape of the hostile 0.6 MB file of issue 13. Run: ``python bench/prose_scaling.py 2000 8000``.
"""

from __future__ import annotations

import sys
import time

from ingest.normalize import normalize
from ingest.prose import extract_prose
from ingest.structure import structure


def abstract(n: int) -> str:
    values = ", ".join(f"{i} h" for i in range(1, n + 1))
    return (
        "A title\n\nAbstract\nWe deposited Al2O3 on Li foil by ALD at 100 °C. "
        f"The coated Li cycled in symmetric cells for {values}.\n"
    )


def main(sizes: list[int]) -> None:
    extract_prose(structure(normalize(abstract(10)), doc_id="warm", path="warm.txt"), [])
    print("values  characters  prose s  µs/value")
    for n in sizes:
        doc = structure(normalize(abstract(n)), doc_id="bench", path="bench.txt")
        start = time.perf_counter()
        extract_prose(doc, [])
        took = time.perf_counter() - start
        print(f"{n:6d}  {len(doc.text):10d}  {took:7.2f}  {took / n * 1e6:8.0f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 4000, 8000, 16000, 32000])
