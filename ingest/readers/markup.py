"""Inline XML/HTML markup (JATS and HTML share it) as layout text that keeps its meaning:
``<sub>2</sub>`` → ``_{2}``, ``<sup>−2</sup>`` → ``^{−2}``, a superscript or linked citation →
``[n]``, line breaks and entities as spaces and characters."""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.readers.layout import superscript

#: Given an element, the layout text for it, or None to read it as plain inline markup.
Special = Callable[[object, str], str | None]

_SKIP = frozenset({"script", "style", "noscript", "object", "svg", "math-alternative"})
_ADJACENT_RANGE = re.compile(r"\](\s*[–\-]\s*)\[")
_ADJACENT_LIST = re.compile(r"\]\s*,\s*\[")


def local(tag: object) -> str:
    """The element name without its namespace (``{ns}sub`` → ``sub``); "" for comments."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def inline(element: object, special: Special | None = None) -> str:
    """The text of ``element`` and its descendants with sub/superscripts and citations kept."""
    parts: list[str] = [element.text or ""]
    for child in element:
        name = local(child.tag)
        done = special(child, "".join(parts)) if special and name else None
        if done is not None:
            parts.append(done)
        elif name == "sub":
            parts.append("_{" + inline(child, special).strip() + "}")
        elif name == "sup":
            inner = inline(child, special).strip()
            # a citation already rendered as [n] inside the superscript needs no ^{}
            parts.append(
                inner
                if re.fullmatch(r"(?:\[[^\]]*\][\s,–\-]*)+", inner)
                else superscript("".join(parts), inner)
            )
        elif name in ("br", "break"):
            parts.append(" ")
        elif name and name not in _SKIP:
            parts.append(inline(child, special))
        parts.append(child.tail or "")
    return merge_citations("".join(parts))


def merge_citations(text: str) -> str:
    """``[1]–[3]`` → ``[1–3]`` and ``[1], [2]`` → ``[1,2]``: one bracket structure reads.

    >>> merge_citations("as shown [1]–[3] and [5], [7].")
    'as shown [1–3] and [5,7].'
    """
    text = _ADJACENT_RANGE.sub("–", text)
    return _ADJACENT_LIST.sub(",", text)
