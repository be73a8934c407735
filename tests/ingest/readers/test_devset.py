"""End to end: every document of ../shared/devset/docs is read with the right format."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import ingest
from kg.store import open_store

DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "devset" / "docs"

FORMATS = {
    "abstract-01-lif-li.txt": "text",
    "abstract-02-al2o3-na.txt": "text",
    "abstract-03-alucone-li.txt": "text",
    "abstract-04-li3po4-li.txt": "text",
    "abstract-05-lif-nmc811.txt": "text",
    "abstract-06-zno-garnet.txt": "text",
    "review-author-year.txt": "text",
    "review-markdown.md": "markdown",
    "export-bibtex.bib": "bibtex",
    "export-ris.ris": "ris",
    "jats-sno2-k-host.xml": "jats",
    "html-tio2-li.html": "html",
}


@pytest.mark.skipif(not DOCS.is_dir(), reason="../shared/devset is not beside the project")
def test_devset_reads_all_twelve_files_with_the_right_format() -> None:
    report = ingest([DOCS], store=open_store(memory=True))
    files = {d.path.split("#")[0]: d.format for d in report.documents}
    assert files == FORMATS
    records = [d for d in report.documents if d.format in ("bibtex", "ris")]
    assert len(records) == 4 + 3
    assert all(d.kind == "primary" for d in records)
    jats = next(d for d in report.documents if d.format == "jats")
    assert jats.doc_id == "jats-sno2-k-host"
    assert all(d.triples > 0 for d in report.documents)
