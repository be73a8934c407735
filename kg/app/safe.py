"""Text from documents and users shown in Streamlit without being read as Markdown or HTML.

Streamlit renders Markdown in ``st.markdown``, ``st.error``/``st.info``, captions, button and
expander labels. A label written by a document (a reference author ``![t](http://host/x)``,
a title with ``<script>``) or echoed by an error message must show as the characters it is,
never as an image that the browser fetches or a link. Backslash-escaping every ASCII
punctuation character is CommonMark's own way to say "this character is literal", and it also
stops Streamlit's extensions (``:red[…]`` directives, ``:emoji:`` codes, ``$…$`` maths).

Escapes do not stop GitHub's *autolinks*: Streamlit finds ``http://…``, ``www.…`` and
``name@host.org`` in the text after escapes are read and makes them links. A WORD JOINER
(U+2060, invisible, no width) after ``:``, ``www`` and ``@`` breaks those patterns; text that
must stay copyable exactly (IRIs, queries) belongs in ``st.code`` or a dataframe instead.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE = re.compile(r"\s+")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
_JOINER = "\u2060"


def md(text: object) -> str:
    r"""``text`` as Markdown that renders as exactly these characters.

    >>> md("![t](h/x)")
    '\\!\\[t\\]\\(h\\/x\\)'
    >>> md("http://h") == "http\\:\u2060\\/\\/h"
    True
    >>> md("a  <b>")
    'a  \\<b\\>'
    """
    unlinked = _AUTOLINK.sub(_JOINER, str(text))
    return _PUNCTUATION.sub(r"\\\1", unlinked)


def md_inline(text: object, *, limit: int = 200) -> str:
    """Like :func:`md` for one line (a heading, a button label): whitespace runs become one
    space, so a newline in a label cannot start a new Markdown block; long text is cut."""
    flat = _SPACE.sub(" ", str(text)).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return md(flat)
