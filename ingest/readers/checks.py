"""What a file must be before a reader sees it: a regular file, within the size limit, text
in UTF-8 (for the text formats), with no NUL byte anywhere.

One place for these checks so `kg ingest` (files on disk) and the app (uploads in memory)
refuse the same things with the same words.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ingest.records import IngestError

MAX_BYTES = 20 * 1024 * 1024  # text formats: far above any article or export of abstracts
MAX_PDF_BYTES = 100 * 1024 * 1024  # PDFs carry images and fonts besides their text


def check_regular_file(path: Path) -> os.stat_result:
    """The file's status if it is a regular file (not a symlink, folder, FIFO or device).

    A symlink is refused rather than followed: a link planted in a folder of papers could
    otherwise pull any file of the machine (``/etc/passwd``) into the graph.
    """
    try:
        info = path.lstat()
    except OSError as e:
        raise IngestError(f"{path}: cannot be read ({e.strerror or e}).") from e
    if stat.S_ISLNK(info.st_mode):
        raise IngestError(
            f"{path}: is a symbolic link; ingest reads regular files only so that a link cannot "
            "pull in a file from elsewhere. Pass the file it points to, or copy it here."
        )
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(f"{path}: not a regular file (a device, socket or pipe); pass a file.")
    return info


def over_limit(name: str, size: int, limit: int) -> IngestError:
    return IngestError(
        f"{name}: {size / 2**20:.1f} MB is over the {limit // 2**20} MB limit. "
        "Split the file or keep only the articles' text."
    )


def read_bytes(path: Path, *, limit: int) -> bytes:
    """The file's bytes, refusing by size *before* reading (so a huge file costs no memory)."""
    info = check_regular_file(path)
    if info.st_size > limit:
        raise over_limit(str(path), info.st_size, limit)
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # the file may have grown since stat
    except OSError as e:
        raise IngestError(f"{path}: cannot be read ({e.strerror or e}).") from e
    if len(data) > limit:
        raise over_limit(str(path), len(data), limit)
    return data


def looks_utf16(data: bytes) -> bool:
    """A UTF-16 BOM, or NUL in most even or most odd bytes of the start (BOM-less UTF-16)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    if len(head) < 16:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4


def decode_text(name: str, data: bytes, *, limit: int = MAX_BYTES) -> str:
    """The text of a file's bytes, or an IngestError that names the file and the fix."""
    if len(data) > limit:
        raise over_limit(name, len(data), limit)
    if not data.strip():
        raise IngestError(f"{name}: the file is empty.")
    if looks_utf16(data):
        raise IngestError(f"{name}: UTF-16 text: re-save it as UTF-8 (e.g. `iconv -f UTF-16`).")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            f"{name}: NUL byte at offset {nul}: a binary file, not text. "
            "Convert it to UTF-8 text first."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(
            f"{name}: not UTF-8 text (byte {e.start}: {data[e.start : e.start + 1]!r}). "
            "Re-save it as UTF-8."
        ) from e


MAX_WORD = 10_000  # characters without a space: far beyond any word, formula or URL of a paper
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD}}}")


def check_words(name: str, text: str) -> None:
    """Refuse text with a run of ``MAX_WORD`` characters without a space before it is
    normalized: such a file is not an article (a dump, an encoded blob, one letter repeated),
    and normalizing megabytes of it would cost a gigabyte of memory before failing."""
    m = _LONG_RUN.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise IngestError(
            f"{name}: line {line} holds over {MAX_WORD:,} characters without a space: this is "
            "not the text of an article. Check that the file is the paper's text."
        )
