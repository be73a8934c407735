"""LaTeX in export fields (``130~$^{\\circ}$C``, ``\\AA{}``, ``Li--O$_2$``) as plain text.

pylatexenc turns macros, accents, ties and dashes into Unicode and keeps math verbatim;
``ingest.normalize`` already reads the ``$_2$``/``$^{-2}$`` that remain.

>>> latex_to_text(r"130~$^{\\circ}$C, 1.5~\\AA{}, 150 \\textdegree C, 80\\%, Li--O$_2$")
'130 $^{\\\\circ}$C, 1.5 Å, 150 °C, 80%, Li–O$_2$'
"""

from __future__ import annotations

from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False)


def latex_to_text(value: str) -> str:
    """The field as text; what pylatexenc cannot parse is kept as written."""
    if "\\" not in value and "{" not in value and "~" not in value and "--" not in value:
        return value
    try:
        text = _converter().latex_to_text(value)
    except Exception:  # pylatexenc raises its own parse errors; keep the field readable
        return value
    return text.replace("\u00a0", " ")
