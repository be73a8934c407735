"""Every view is a link: the tab and its state live in the URL, restored when a link is opened.

A view's state is kept in ``st.session_state`` under the widget keys; :data:`VIEWS` says which
keys each tab writes to the URL and under which name. :func:`restore` copies a link's
parameters into the session once (when the page is opened), :func:`publish` writes the open
tab's state back after every run, so the address bar is always a link to what is on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st

TABS: tuple[str, ...] = ("Ask", "SPARQL", "Explore", "Compare", "Documents", "Export", "Ingest")


@dataclass(frozen=True)
class Param:
    """One URL parameter: its name, the session key it fills, and whether it holds a list."""

    name: str
    key: str
    many: bool = False


#: The parameters of each tab, in the order they appear in a link.
VIEWS: dict[str, tuple[Param, ...]] = {
    "Ask": (Param("q", "question"),),
    "SPARQL": (Param("sparql", "sparql_text"), Param("timeout", "sparql_timeout")),
    "Explore": (Param("entity", "entity"), Param("q", "question")),
    "Compare": (
        Param("substrate", "f_substrate", many=True),
        Param("technique", "f_technique", many=True),
        Param("class", "f_class", many=True),
        Param("family", "f_family", many=True),
        Param("cell", "f_cell", many=True),
        Param("years", "f_years"),
        Param("pick", "compare_pick", many=True),
    ),
}

_RESTORED = "_links_restored"


def tab_from(name: str | None) -> str | None:
    """The tab a ``tab=`` value names (any case), or None."""
    wanted = (name or "").strip().lower()
    return next((t for t in TABS if t.lower() == wanted), None)


def parse_years(text: str) -> tuple[int, int] | None:
    """``"2015-2020"`` → (2015, 2020); anything else → None.

    >>> parse_years("2020-2015"), parse_years("x")
    ((2015, 2020), None)
    """
    low, _, high = text.partition("-")
    try:
        a, b = int(low), int(high)
    except ValueError:
        return None
    return (min(a, b), max(a, b))


def _restored_value(param: Param, params: Any) -> Any:
    if param.many:
        return [v for v in params.get_all(param.name) if v]
    value = params.get(param.name)
    if param.key == "f_years":
        return parse_years(value or "")
    if param.key == "sparql_timeout":
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    return value or None


def restore() -> None:
    """Fill the session from the page's URL, once per session (a new link is a new session)."""
    if st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    params = st.query_params
    tab = tab_from(params.get("tab"))
    if tab is None and params.get("entity"):
        tab = "Explore"
    if tab is None and params.get("sparql"):
        tab = "SPARQL"
    if tab is not None:
        st.session_state["tab"] = tab
    for view in VIEWS.values():
        for param in view:
            value = _restored_value(param, params)
            if value not in (None, []):
                st.session_state[param.key] = value
    if params.get("entity"):
        st.session_state["entity_from_link"] = True
    if params.get("sparql"):
        st.session_state["sparql_autorun"] = True


def _url_value(param: Param, value: Any) -> Any:
    if param.key == "f_years" and value:
        return f"{int(value[0])}-{int(value[1])}"
    if param.many:
        return [str(v) for v in value or ()]
    return None if value in (None, "") else str(value)


def view_params(tab: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """The URL parameters of ``tab``'s current view, from session state (empty ones left out)."""
    params: dict[str, Any] = {"tab": tab.lower()}
    for param in VIEWS.get(tab, ()):
        value = _url_value(param, state.get(param.key))
        if value not in (None, []):
            params.setdefault(param.name, value)
    if tab == "Compare" and state.get("f_years_full") == state.get("f_years"):
        params.pop("years", None)  # the whole range is no filter
    return params


def link(params: Mapping[str, Any], base: str = "") -> str:
    """``base?tab=…&q=…`` (lists as repeated parameters)."""
    return f"{base}?{urlencode(params, doseq=True)}"


def publish(tab: str) -> str:
    """Write the open tab's view to the address bar; returns the full link to it."""
    params = view_params(tab, st.session_state)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)
    return link(params, st.context.url or "")


def copy_link(slot: Any, url: str) -> None:
    """A "copy link" control: the link in a code box, whose copy button puts it on the clipboard."""
    with slot.popover("Copy link to this view", icon=":material/link:"):
        st.caption("Anyone with the app open at this address sees the same view.")
        st.code(url, language=None, wrap_lines=True)
