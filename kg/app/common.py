"""What every tab of the app shares: cell text, evidence blocks, column titles, IRIs, CSV.

Plain functions of plain values (no Streamlit), so each is tested alone.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import quote

from kg.namespaces import BASE
from kg.query import DEFAULT_PREFIXES
from kg.table import describe_source

AKG_NS = BASE + "ontology#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Selectable(Protocol):
    def select(self, sparql: str) -> Any: ...


def cell_text(value: Any) -> str:
    """A table cell as short text: ranges as ``min–max``, lists joined, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if "min" in value and "max" in value:
            return f"{cell_text(value['min'])}–{cell_text(value['max'])}"
        if "value" in value:
            unit = value.get("unit") or ""
            comparator = value.get("comparator") or ""
            comparator = "" if comparator == "=" else comparator
            return f"{comparator}{cell_text(value['value'])} {unit}".strip()
        return ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def highlight_html(text: str, span: Sequence[int] | None) -> str:
    """The text escaped for HTML with ``span`` ([start, end) offsets into it) in ``<mark>``.

    Escaping each piece separately keeps the offsets right and stops source text from
    injecting markup.

    >>> highlight_html("a <b> c", [2, 5])
    'a <mark>&lt;b&gt;</mark> c'
    """
    if not span or len(span) != 2:
        return html.escape(text)
    start, end = max(0, int(span[0])), min(len(text), int(span[1]))
    if start >= end:
        return html.escape(text)
    return (
        html.escape(text[:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:])
    )


def evidence_html(item: dict[str, Any]) -> str:
    """One piece of evidence as an HTML block: the cited study, the marked text, its location."""
    head = " · ".join(
        html.escape(str(part))
        for part in (item.get("ref") and f"[{item['ref']}]", item.get("doc"), item.get("location"))
        if part
    )
    header, cells = item.get("header"), item.get("cells")
    if header and cells and len(header) == len(cells):
        body = _table_row_html(header, cells, item.get("highlight"))
    else:
        body = highlight_html(str(item.get("text") or ""), item.get("highlight"))
    return (
        f'<div style="margin:0 0 .6em 0"><div style="font-size:.8em;color:#666">{head}</div>'
        f'<div style="border-left:3px solid #f0c040;padding-left:.6em;white-space:pre-wrap;tab-size:4">'
        f"{body}</div></div>"
    )


def _table_row_html(
    header: Sequence[str], cells: Sequence[str], span: Sequence[int] | None = None
) -> str:
    """A table row's evidence as a small table: its table's header over its cells, so that
    each value is read under its column ("135" under "T (°C)", "8 nm" under "thickness").
    ``span`` marks offsets into the cells joined by " | " (the item's ``text``); each cell
    keeps the part of the mark that falls inside it."""
    style = "border:1px solid #ddd;padding:.15em .4em;text-align:left"
    head = "".join(f'<th style="{style}">{html.escape(h)}</th>' for h in header)
    marked, start = [], 0
    for cell in cells:
        local = None
        if span and len(span) == 2:
            local = [int(span[0]) - start, int(span[1]) - start]
        marked.append(highlight_html(cell, local))
        start += len(cell) + len(" | ")
    row = "".join(f'<td style="{style}">{c}</td>' for c in marked)
    return (
        '<table class="evidence-row" style="border-collapse:collapse;font-size:.85em">'
        f"<tr>{head}</tr><tr>{row}</tr></table>"
    )


#: Unit suffixes of kg.ask's value columns (``cycling_duration_h``) → the unit to show.
_UNIT_SUFFIXES = {
    "C": "°C",
    "pct": "%",
    "mA_cm2": "mA/cm²",
    "mAh_g": "mAh/g",
    "mAh_cm2": "mAh/cm²",
    "nm_per_cycle": "nm/cycle",
    "S_cm": "S/cm",
    "h": "h",
    "nm": "nm",
    "mV": "mV",
    "GPa": "GPa",
    "uL": "µL",
}


_TITLES = {
    "cycling_h": "longest cycling (h)",
    "cycle_count": "most cycles",
    "coating": "coating IRI",
}


def column_title(name: str) -> str:
    """``cycling_duration_h`` → ``cycling duration (h)``; other names with spaces for underscores."""
    if name in _TITLES:
        return _TITLES[name]
    for suffix in sorted(_UNIT_SUFFIXES, key=len, reverse=True):
        if name.endswith("_" + suffix):
            return f"{name[: -len(suffix) - 1].replace('_', ' ')} ({_UNIT_SUFFIXES[suffix]})"
    return name.replace("_", " ")


def location_text(span: dict[str, Any]) -> str:
    """Where a source span sits: "Table 1, row 3" or "section 3.1, sentence 74"."""
    return describe_source(span)


def compact(iri: str) -> str:
    """``akg:Coating`` for a known namespace, else the IRI."""
    for prefix, base in DEFAULT_PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def short_iri(iri: str) -> str:
    """A readable name for an IRI without a label: the path after the document id."""
    if iri.startswith(BASE + "id/"):
        parts = iri[len(BASE) + 3 :].split("/")
        return "/".join(parts[1:]) or parts[0]
    return compact(iri)


def rows_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> bytes:
    """Query rows as CSV bytes (list and dict cells as short text)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: cell_text(row.get(c)) for c in columns})
    return buffer.getvalue().encode("utf-8")


def doi_url(doi: Any) -> str | None:
    """``10.1/x`` (or a doi.org URL) → ``https://doi.org/10.1/x``; None without a DOI.

    >>> doi_url("doi:10.1021/acs.nanolett.7b01234"), doi_url("")
    ('https://doi.org/10.1021/acs.nanolett.7b01234', None)
    """
    text = str(doi or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return f"https://doi.org/{quote(text, safe='/:;()._-')}" if text.startswith("10.") else None
