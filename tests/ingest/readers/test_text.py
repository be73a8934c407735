"""Plain text and Markdown pass through unchanged: they already are the layout."""

from __future__ import annotations

from pathlib import Path

from ingest.readers import read_path


def test_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "My Paper.txt").write_text("A paper title\n\nAbstract\nText.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# A heading here\n\nText.\n", encoding="utf-8")
    [txt] = read_path(tmp_path / "My Paper.txt")
    [md] = read_path(tmp_path / "notes.md")
    assert (txt.doc_id, txt.path, txt.format) == ("my-paper", "My Paper.txt", "text")
    assert txt.text == "A paper title\n\nAbstract\nText.\n"
    assert (md.doc_id, md.format, md.text) == ("notes", "markdown", "# A heading here\n\nText.\n")
