"""How the candidate PDF libraries read the test article of tests/ingest/readers/pdfgen.py:
two columns in reading order, the ﬁ ligature, a hyphen at a line end, superscript citations,
a table's rows, and the time and Python-heap peak for 30 pages. The numbers chose the PDF
reader's library (pdfminer.six; see ingest/readers/pdf.py and docs/benchmarks.md).

usage: .venv/bin/python bench/pdf_libraries.py [--json bench/results/pdf_libraries.json]
       (pypdf and pypdfium2 are measured when installed; they are not dependencies)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.ingest.readers.pdfgen import make_pdf


def pypdf_plain(path: str) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def pypdf_layout(path: str) -> list[str]:
    import pypdf

    return [page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(path).pages]


def pdfminer_boxes(path: str) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer

    return [
        "\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
        for page in extract_pages(path, laparams=LAParams())
    ]


def pypdfium2_text(path: str) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def ours(path: str) -> list[str]:
    from ingest.readers import pdf

    return [pdf.read(path, Path(path).read_bytes())[0].text]


CANDIDATES: dict[str, Callable[[str], list[str]]] = {
    "pypdf": pypdf_plain,
    "pypdf (layout mode)": pypdf_layout,
    "pdfminer.six (LAParams boxes)": pdfminer_boxes,
    "pypdfium2": pypdfium2_text,
    "ingest.readers.pdf (pdfminer.six + our layout)": ours,
}


HEADER = (
    "| library | columns in order | ligature read | hyphen joined | superscript citation "
    "| table row | 30 pages s | Python heap peak MB |\n|---|---|---|---|---|---|---|---|"
)


def main() -> int:
    rows = measure()
    print(HEADER)
    print("\n".join(rows))
    if len(sys.argv) > 2 and sys.argv[1] == "--json":
        Path(sys.argv[2]).write_text(json.dumps({"rows": rows}, indent=1), encoding="utf-8")
    return 0


def measure() -> list[str]:
    """One table row per candidate."""
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        one = str(make_pdf(Path(tmp) / "one.pdf", pages=1))
        thirty = str(make_pdf(Path(tmp) / "thirty.pdf", pages=30))
        for name, read in CANDIDATES.items():
            try:
                raw = read(one)[0]
            except ImportError:
                rows.append(f"| {name} | (not installed) |||||||")
                continue
            lig = "as U+FB01 (NFKC needed)" if "ﬁ" in raw else ("yes" if "film" in raw else "no")
            text = unicodedata.normalize("NFKC", raw)
            order = "RIGHT-COLUMN-START" in text and text.index("LEFT-COLUMN-END") < text.index(
                "RIGHT-COLUMN-START"
            )
            sup = next((ln.strip() for ln in text.splitlines() if "reported" in ln), "")
            sup = sup[sup.find("earlier") :] if "earlier" in sup else sup
            row = next((ln.strip() for ln in text.splitlines() if ln.startswith("Al2O3")), "")
            started = time.perf_counter()
            tracemalloc.start()
            read(thirty)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            seconds = time.perf_counter() - started
            rows.append(
                f"| {name} | {'yes' if order else 'no'} | {lig} | "
                f"{'no' if 'depo-' in text else 'yes'} | `{sup[:45]}` | `{row.replace(chr(9), '⇥')[:30]}` | "
                f"{seconds:.2f} | {peak / 2**20:.1f} |"
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
