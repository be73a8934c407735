"""File checks every reader relies on: regular files, size before reading, NUL, UTF-16."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.readers import read_path
from ingest.readers.checks import MAX_BYTES, decode_text, looks_utf16, read_bytes
from ingest.records import IngestError

TEXT = "A title of a paper\n\nAbstract\nWe coat lithium with Al2O3 by ALD.\n"


def test_symlink_is_refused_with_the_reason(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text(TEXT, encoding="utf-8")
    link = tmp_path / "paper.txt"
    link.symlink_to(target)
    with pytest.raises(IngestError, match=r"paper\.txt: is a symbolic link.*regular files only"):
        read_path(link)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file"):
        read_path(fifo)


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # a sparse file: its size is known without writing 21 MB
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(IngestError, match=r"big\.txt: 20\.0 MB is over the 20 MB limit"):
        read_bytes(big, limit=MAX_BYTES)


def test_html_of_50_mb_is_refused_by_size(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    with page.open("wb") as f:
        f.write(b"<!DOCTYPE html><html><body><p>")
        f.truncate(50 * 2**20)
    with pytest.raises(IngestError, match=r"page\.html: 50\.0 MB is over the 20 MB limit"):
        read_path(page)


def test_nul_after_the_first_8_kib_is_found() -> None:
    data = TEXT.encode() * 400 + b"\x00" + b"more text\n"
    assert len(data) > 8192
    offset = data.index(b"\x00")
    with pytest.raises(IngestError, match=rf"NUL byte at offset {offset}"):
        decode_text("late.txt", data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_with_the_fix(encoding: str) -> None:
    data = TEXT.encode(encoding)
    assert looks_utf16(data)
    with pytest.raises(IngestError, match="UTF-16 text: re-save it as UTF-8"):
        decode_text("wide.txt", data)


def test_utf8_with_bom_is_read() -> None:
    assert decode_text("bom.txt", b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"  \n", "the file is empty"),
        ("Al2O3 coating, café".encode("latin-1"), "not UTF-8"),
    ],
)
def test_other_bad_text(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        decode_text("bad.txt", data)


def test_megabytes_without_a_space_are_refused_before_normalizing(tmp_path: Path) -> None:
    from kg.pipeline import ingest
    from kg.store import open_store

    big = tmp_path / "letters.txt"
    big.write_text("A title line\n\n" + "a" * (5 * 2**20), encoding="utf-8")
    with pytest.raises(IngestError, match=r"letters\.txt: line 3 holds over 10,000 characters"):
        ingest([big], store=open_store(memory=True))
