"""Markdown (.md): normalize already turns its headings and pipe tables into the layout.

Structure knows a heading by its number (``2. Results``); a Markdown heading says it is one by
its ``#`` marks instead, so an unnumbered ``## Results`` is numbered here as the HTML and JATS
readers number theirs (the document's ``# title`` and a ``## References`` heading are kept).
"""

from __future__ import annotations

import re

from ingest.readers.checks import decode_text
from ingest.readers.common import text_document
from ingest.records import SourceDocument

#: A section heading of level 2 or deeper whose text carries no number, Roman numeral or letter.
_UNNUMBERED = re.compile(
    r"(?m)^(#{2,6}[ \t]+)(?!(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}(?:\.\d{1,2})*|[A-Z])\.?\s)"
    r"(?!(?i:references|bibliography|literature cited|works cited|abstract)\s*:?\s*$)(?=\S)"
)


def number_headings(text: str) -> str:
    """Number the unnumbered section headings in order, so structure sees each as one.

    >>> print(number_headings("# T\\n\\n## Results\\n\\n## 3. Kept\\n\\n## References\\n"))
    # T
    <BLANKLINE>
    ## 1. Results
    <BLANKLINE>
    ## 3. Kept
    <BLANKLINE>
    ## References
    <BLANKLINE>
    """
    count = 0

    def numbered(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{m.group(1)}{count}. "

    return _UNNUMBERED.sub(numbered, text)


def sniff(head: bytes) -> bool:
    """Markdown is plain text with conventions; only the suffix tells it apart."""
    return False


def read(name: str, data: bytes) -> list[SourceDocument]:
    return [text_document(name, number_headings(decode_text(name, data)), "markdown")]
