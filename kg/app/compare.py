"""The Compare tab: filters over the coatings table, plots, and a side-by-side of chosen coatings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from kg.app.common import Selectable, cell_text, column_title, doi_url
from kg.app.resources import AppContext
from kg.table import PREFIXES


def numbers(value: Any) -> list[float]:
    """Every number in a table value (a number, a list, or a {min, max} range as its midpoint)."""
    if value is None:
        return []
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict) and "min" in value and "max" in value:
        return [(float(value["min"]) + float(value["max"])) / 2]
    if isinstance(value, list | tuple):
        return [n for v in value for n in numbers(v)]
    return []


FACETS_QUERY = (
    PREFIXES
    + """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?coating ?facet ?label WHERE {
  ?coating a akg:Coating .
  {
    ?coating akg:hasMaterial ?m . ?m a ?cls .
    ?cls rdfs:subClassOf* akg:Material .
    FILTER(?cls != akg:Material)
    BIND("material_class" AS ?facet)
    OPTIONAL { ?cls rdfs:label ?l }
    BIND(COALESCE(?l, STRAFTER(STR(?cls), "#")) AS ?label)
  } UNION {
    ?coating akg:testedIn/akg:usesElectrolyte/akg:family ?f .
    BIND("electrolyte_family" AS ?facet)
    OPTIONAL { ?f skos:prefLabel ?l }
    BIND(COALESCE(?l, STRAFTER(STR(?f), "/vocab/")) AS ?label)
  }
}"""
)

MELTING_QUERY = (
    PREFIXES
    + """SELECT ?substrate ?mp WHERE {
  ?s akg:meltingPoint_C ?mp ; skos:prefLabel ?substrate .
}"""
)


def coating_facets(store: Selectable) -> dict[str, dict[str, list[str]]]:
    """Material classes and electrolyte families per coating, for the Compare filters."""
    facets: dict[str, dict[str, list[str]]] = {}
    for row in store.select(FACETS_QUERY):
        values = facets.setdefault(row["coating"], {}).setdefault(row["facet"], [])
        if row["label"] and row["label"] not in values:
            values.append(str(row["label"]))
    return facets


def melting_points(store: Selectable) -> dict[str, float]:
    """Substrate label → melting point in °C, from the vocabulary's akg:meltingPoint_C."""
    return {str(r["substrate"]): float(r["mp"]) for r in store.select(MELTING_QUERY)}


def _outcome_max(record: dict[str, Any], kind: str) -> float | None:
    values = [
        n
        for o in record.get("outcomes", [])
        if o.get("kind") == kind
        for n in numbers(o.get("value"))
    ]
    return max(values) if values else None


COMPARE_COLUMNS = [
    "material",
    "technique",
    "substrate",
    "study",
    "year",
    "doi",
    "material_class",
    "electrolyte_family",
    "cell_types",
    "precursors",
    "temperature_C",
    "thickness_nm",
    "deposition_cycles",
    "cycling_h",
    "cycle_count",
    "doc",
    "coating",
]


def compare_frame(
    records: Iterable[dict[str, Any]],
    facets: dict[str, dict[str, list[str]]] | None = None,
    studies: dict[str, str] | None = None,
    dois: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per coating with lists kept as lists (for filtering) and plot-ready numbers.

    ``thickness_value`` is the reported thickness when there is one (a range's midpoint), None
    when the study reports several samples; ``thickness_min``/``thickness_max`` span them.
    ``cycling_h`` is the longest cycling duration; ``cycle_count`` the largest cycle count.
    """
    facets = facets or {}
    studies = studies or {}
    dois = dois or {}
    rows = []
    for r in records:
        f = facets.get(r["coating"], {})
        thickness = numbers(r.get("thickness_nm"))
        rows.append(
            {
                "material": r.get("material"),
                "technique": r.get("technique") or "unknown",
                "substrate": r.get("substrate") or "unknown",
                "study": studies.get(r["coating"])
                or (f"[{r['ref']}]" if r.get("ref") is not None else ""),
                "ref": r.get("ref"),
                "doi": dois.get(r["coating"]),
                "year": r.get("year"),
                "material_class": f.get("material_class", []),
                "electrolyte_family": f.get("electrolyte_family", []),
                "cell_types": list(r.get("cell_types") or []),
                "precursors": cell_text(r.get("precursors")),
                "temperature_C": cell_text(r.get("temperature_C")),
                "thickness_nm": cell_text(r.get("thickness_nm")),
                "deposition_cycles": cell_text(r.get("deposition_cycles")),
                "temperatures": numbers(r.get("temperature_C")),
                # One thickness: the point's x. Several (samples of one study): no single x;
                # the plot draws their range, never one sample's value for another's result.
                "thickness_value": thickness[0] if len(thickness) == 1 else None,
                "thickness_min": min(thickness) if thickness else None,
                "thickness_max": max(thickness) if thickness else None,
                "cycling_h": _outcome_max(r, "CyclingDuration"),
                "cycle_count": _outcome_max(r, "CycleCount"),
                "doc": r.get("doc"),
                "coating": r["coating"],
            }
        )
    return pd.DataFrame(rows)


STUDY_LABELS_QUERY = (
    PREFIXES
    + """SELECT ?coating ?label ?doi WHERE {
  ?coating a akg:Coating ; akg:reportedIn ?study . ?study rdfs:label ?label .
  OPTIONAL { ?study <http://purl.org/ontology/bibo/doi> ?doi }
}"""
)


def study_dois(store: Selectable) -> dict[str, str]:
    """Coating IRI → its study's DOI, where the graph knows one."""
    return {str(r["coating"]): str(r["doi"]) for r in store.select(STUDY_LABELS_QUERY) if r["doi"]}


def study_labels(store: Selectable) -> dict[str, str]:
    """Coating IRI → its study's label ("[94] Luo et al. 2017")."""
    labels: dict[str, str] = {}
    for row in store.select(STUDY_LABELS_QUERY):
        current = labels.get(row["coating"])
        if current is None or len(str(row["label"])) > len(current):
            labels[row["coating"]] = str(row["label"])
    return labels


@dataclass(frozen=True)
class Filters:
    """The Compare tab's filters; an empty selection means "any"."""

    substrates: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    material_classes: tuple[str, ...] = ()
    electrolyte_families: tuple[str, ...] = ()
    cell_types: tuple[str, ...] = ()
    years: tuple[int, int] | None = None


def _distinct(values: Iterable[Any]) -> list[str]:
    out: set[str] = set()
    for v in values:
        if isinstance(v, list | tuple):
            out.update(str(x) for x in v if x)
        elif v is not None and v == v:
            out.add(str(v))
    return sorted(out)


def filter_options(frame: pd.DataFrame) -> dict[str, Any]:
    """The choices each filter offers, from what the table holds."""
    if frame.empty:
        return {
            k: []
            for k in (
                "substrate",
                "technique",
                "material_class",
                "electrolyte_family",
                "cell_types",
            )
        } | {"years": None}
    years = [int(y) for y in frame["year"].dropna()]
    return {
        "substrate": _distinct(frame["substrate"]),
        "technique": _distinct(frame["technique"]),
        "material_class": _distinct(frame["material_class"]),
        "electrolyte_family": _distinct(frame["electrolyte_family"]),
        "cell_types": _distinct(frame["cell_types"]),
        "years": (min(years), max(years)) if years else None,
    }


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that pass every filter (list cells pass when any element is chosen)."""
    if frame.empty:
        return frame

    def any_of(column: str, chosen: tuple[str, ...]) -> pd.Series:
        if not chosen:
            return pd.Series(True, index=frame.index)
        wanted = set(chosen)
        return frame[column].map(
            lambda v: bool(wanted & set(v)) if isinstance(v, list | tuple) else v in wanted
        )

    mask = (
        any_of("substrate", filters.substrates)
        & any_of("technique", filters.techniques)
        & any_of("material_class", filters.material_classes)
        & any_of("electrolyte_family", filters.electrolyte_families)
        & any_of("cell_types", filters.cell_types)
    )
    if filters.years is not None:
        low, high = filters.years
        # Coatings without a year stay unless the user narrowed the range.
        mask &= frame["year"].map(lambda y: y is None or y != y or low <= int(y) <= high)
    return frame[mask]


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The filtered table as text cells, in the column order researchers read it."""
    if frame.empty:
        return pd.DataFrame(
            columns=[column_title(c) if c != "doi" else "DOI" for c in COMPARE_COLUMNS]
        )
    shown = frame[COMPARE_COLUMNS].copy()
    for column in ("material_class", "electrolyte_family", "cell_types"):
        shown[column] = shown[column].map(cell_text)
    shown["doi"] = shown["doi"].map(doi_url)
    return shown.rename(columns={c: column_title(c) for c in COMPARE_COLUMNS} | {"doi": "DOI"})


def duration_vs_thickness(frame: pd.DataFrame) -> pd.DataFrame:
    """Coatings with a thickness and a cycling duration: the first plot's points.

    A coating with one thickness is a point at it. A study that reports several samples but
    one duration does not say which sample reached it, so its point sits in the middle of
    the samples' range with a bar across the range (``below``/``above``), marked "several".
    """
    if frame.empty:
        return frame.assign(x=[], below=[], above=[], samples=[])
    rows = frame.dropna(subset=["thickness_min", "cycling_h"]).copy()
    single = rows["thickness_value"].notna()
    middle = (rows["thickness_min"] + rows["thickness_max"]) / 2
    rows["x"] = rows["thickness_value"].where(single, middle)
    rows["below"] = (rows["x"] - rows["thickness_min"]).where(~single, 0.0)
    rows["above"] = (rows["thickness_max"] - rows["x"]).where(~single, 0.0)
    rows["samples"] = single.map({True: "one sample", False: "several samples"})
    return rows


def temperatures_by_substrate(frame: pd.DataFrame, melting: dict[str, float]) -> pd.DataFrame:
    """One row per reported deposition temperature, with the substrate's melting point."""
    rows = [
        {
            "substrate": r.substrate,
            "temperature_C": t,
            "material": r.material,
            "study": r.study,
            "technique": r.technique,
            "melting_point_C": melting.get(r.substrate),
        }
        for r in frame.itertuples()
        for t in r.temperatures
    ]
    return pd.DataFrame(
        rows,
        columns=["substrate", "temperature_C", "material", "study", "technique", "melting_point_C"],
    )


def counts_per_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Coatings per publication year and substrate."""
    if frame.empty:
        return pd.DataFrame(columns=["year", "substrate", "coatings"])
    dated = frame.dropna(subset=["year"]).copy()
    dated["year"] = dated["year"].astype(int)
    return dated.groupby(["year", "substrate"]).size().reset_index(name="coatings")


#: Technique colours (Okabe–Ito, readable by colour-blind readers); none is black, which the
#: plots keep for reference lines such as a metal's melting point.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8E6C8A",
)  # fmt: skip
REFERENCE_LINE = "#000000"
UNKNOWN = "#9E9E9E"


def technique_colours(techniques: Iterable[str]) -> dict[str, str]:
    """One colour per technique of the whole graph (sorted names → :data:`PALETTE`).

    Called with every technique the graph holds, not the filtered ones, so a technique keeps
    its colour whatever the filter; "unknown" is grey.
    """
    names = sorted({str(t) for t in techniques} - {"unknown"})
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(names)}
    return colours | {"unknown": UNKNOWN}


#: Log-axis ticks a reader can read without counting decades: 1, 2, 5, 10, 20, 50, …
LOG_TICKS: tuple[float, ...] = tuple(m * 10**e for e in range(-1, 6) for m in (1, 2, 5))


def log_ticks(low: float, high: float) -> list[float]:
    """The :data:`LOG_TICKS` within [low, high], and one beyond each end, so every point has a
    labelled tick below and above it.

    >>> log_ticks(300, 1000)
    [200, 500, 1000, 2000]
    """
    inside = [t for t in LOG_TICKS if low <= t <= high]
    below = [t for t in LOG_TICKS if t < low][-1:]
    above = [t for t in LOG_TICKS if t > high][:1]
    ticks = below + inside + above
    return [int(t) if float(t).is_integer() else t for t in ticks]


# --------------------------------------------------------------------------- side by side

#: The rows of the side-by-side table: (label, compare-frame column).
SIDE_BY_SIDE: tuple[tuple[str, str], ...] = (
    ("material", "material"),
    ("technique", "technique"),
    ("substrate", "substrate"),
    ("study", "study"),
    ("year", "year"),
    ("DOI", "doi"),
    ("material class", "material_class"),
    ("precursors", "precursors"),
    ("deposition temperature (°C)", "temperature_C"),
    ("thickness (nm)", "thickness_nm"),
    ("deposition cycles", "deposition_cycles"),
    ("longest cycling (h)", "cycling_h"),
    ("most cycles", "cycle_count"),
    ("electrolyte family", "electrolyte_family"),
    ("cell types", "cell_types"),
    ("document", "doc"),
)


def coating_name(row: Any) -> str:
    """How a coating is named in the side-by-side header: "Al2O3 on Na [94] Luo et al. 2017"."""
    return f"{row['material']} on {row['substrate']} · {row['study'] or row['doc']}"


def side_by_side(frame: pd.DataFrame, coatings: Iterable[str]) -> pd.DataFrame:
    """Chosen coatings as columns, their properties as rows (as in an ORKG comparison)."""
    chosen = [c for c in coatings if c in set(frame["coating"])]
    # A coating reported by several documents has a row per document; the first one speaks.
    by_iri = frame.drop_duplicates("coating").set_index("coating")
    columns = {}
    for iri in chosen:
        row = by_iri.loc[iri]
        name = coating_name(row)
        while name in columns:
            name += " ′"
        values = [_plain(row.get(column)) for _, column in SIDE_BY_SIDE]
        columns[name] = [
            doi_url(v) or "" if label == "DOI" else cell_text(v)
            for (label, _), v in zip(SIDE_BY_SIDE, values, strict=True)
        ]
    return pd.DataFrame(columns, index=[label for label, _ in SIDE_BY_SIDE]).rename_axis("property")


def _plain(value: Any) -> Any:
    """pandas' missing values (NaN, None) as None, so a cell reads empty."""
    if isinstance(value, list | tuple):
        return list(value)
    return None if value is None or value != value else value


# --------------------------------------------------------------------------- the tab

#: Filter widgets: (session key, label, filter_options key).
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("f_substrate", "Substrate", "substrate"),
    ("f_technique", "Technique", "technique"),
    ("f_class", "Material class", "material_class"),
    ("f_family", "Electrolyte family", "electrolyte_family"),
    ("f_cell", "Cell type", "cell_types"),
)


def _keep_known(key: str, choices: list[str]) -> None:
    """Drop values a link asked for that the graph does not hold (a widget refuses them)."""
    chosen = st.session_state.get(key)
    if chosen:
        st.session_state[key] = [v for v in chosen if v in choices]


def _filters(options: dict[str, Any]) -> Filters:
    chosen: dict[str, tuple[str, ...]] = {}
    columns = st.columns(3)
    for i, (key, label, option) in enumerate(FILTERS):
        _keep_known(key, options[option])
        chosen[key] = tuple(columns[i % 3].multiselect(label, options[option], key=key))
    years = None
    if options["years"] and options["years"][0] < options["years"][1]:
        low, high = options["years"]
        st.session_state["f_years_full"] = (low, high)
        wanted = st.session_state.get("f_years") or (low, high)
        st.session_state["f_years"] = (max(low, wanted[0]), min(high, wanted[1]))
        years = columns[2].slider("Year", low, high, key="f_years")
    return Filters(
        chosen["f_substrate"],
        chosen["f_technique"],
        chosen["f_class"],
        chosen["f_family"],
        chosen["f_cell"],
        years,
    )


def render(ctx: AppContext) -> None:
    st.subheader("Compare coatings")
    data = ctx.coatings()
    frame: pd.DataFrame = data["frame"]
    shown = apply_filters(frame, _filters(filter_options(frame)))
    st.markdown(f"**{len(shown)} of {len(frame)} coatings**")
    st.dataframe(
        display_frame(shown),
        hide_index=True,
        width="stretch",
        column_config={
            "DOI": st.column_config.LinkColumn("DOI", display_text=r"https://doi\.org/(.*)")
        },
    )
    _side_by_side(frame, shown)
    if shown.empty:
        return
    colours = technique_colours(frame["technique"].dropna().unique())
    _duration_plot(shown, colours)
    _temperature_plot(shown, data["melting"], colours)
    _years_plot(shown)


def _side_by_side(frame: pd.DataFrame, shown: pd.DataFrame) -> None:
    """Chosen coatings side by side (properties as rows), with a CSV download."""
    names = {r.coating: coating_name(r._asdict()) for r in frame.itertuples()}
    chosen = st.session_state.get("compare_pick") or []
    st.session_state["compare_pick"] = [c for c in chosen if c in names]
    options = list(dict.fromkeys([*st.session_state["compare_pick"], *shown["coating"]]))
    picked = st.multiselect(
        "Side by side: choose coatings to compare property by property",
        options,
        key="compare_pick",
        format_func=lambda iri: names.get(iri, iri),
        placeholder="Choose two or more coatings from the table above…",
    )
    if not picked:
        return
    table = side_by_side(frame, picked)
    st.dataframe(table, width="stretch", key="side_by_side")
    st.download_button(
        "Download the comparison (CSV)",
        table.to_csv().encode("utf-8"),
        "comparison.csv",
        "text/csv",
        key="dl_comparison",
    )


def _duration_plot(shown: pd.DataFrame, colours: dict[str, str]) -> None:
    points = duration_vs_thickness(shown)
    if points.empty:
        return
    fig = px.scatter(
        points,
        x="x",
        y="cycling_h",
        error_x="above",
        error_x_minus="below",
        color="technique",
        color_discrete_map=colours,
        symbol="samples",
        symbol_map={"one sample": "circle", "several samples": "diamond-open"},
        facet_col="substrate",
        hover_data={"material": True, "study": True, "thickness_nm": True, "x": False},
        log_y=True,
        labels={"x": "coating thickness (nm)", "cycling_h": "cycling duration (h)"},
    )
    ticks = log_ticks(float(points["cycling_h"].min()), float(points["cycling_h"].max()))
    fig.update_yaxes(tickvals=ticks, ticktext=[f"{t:g}" for t in ticks], minor_showgrid=False)
    st.plotly_chart(fig, key="plot_duration")
    st.caption(
        f"Longest reported cycling duration against coating thickness for {len(points)} coatings "
        "that report both, coloured by deposition technique, one panel per substrate (log scale). "
        "A hollow diamond with a bar is a study of several thicknesses that gives one duration: "
        "the bar spans its samples, since the study does not say which one reached it."
    )


def _temperature_plot(
    shown: pd.DataFrame, melting: dict[str, float], colours: dict[str, str]
) -> None:
    temps = temperatures_by_substrate(shown, melting)
    if temps.empty:
        return
    order = sorted(temps["substrate"].unique())
    fig = px.strip(
        temps,
        x="technique",
        y="temperature_C",
        color="technique",
        color_discrete_map=colours,
        facet_col="substrate",
        category_orders={"substrate": order},
        hover_data=["material", "study"],
        labels={"temperature_C": "deposition temperature (°C)"},
    )
    for i, substrate in enumerate(order, start=1):
        mp = melting.get(substrate)
        if mp is not None:
            fig.add_hline(
                y=mp,
                row=1,
                col=i,
                line_dash="dash",
                line_color=REFERENCE_LINE,
                annotation_text=f"{substrate} melts at {mp:g} °C",
                annotation_position="top left",
            )
    st.plotly_chart(fig, key="plot_temperature")
    st.caption(
        "Deposition temperatures per substrate; the dashed black line is the metal's melting "
        "point (from the vocabulary), above which a process would melt the anode."
    )


def _years_plot(shown: pd.DataFrame) -> None:
    counts = counts_per_year(shown)
    if counts.empty:
        return
    fig = px.bar(
        counts, x="year", y="coatings", color="substrate", labels={"coatings": "coatings reported"}
    )
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(tickformat="d", rangemode="tozero")
    if counts.groupby("year")["coatings"].sum().max() <= 10:
        fig.update_yaxes(dtick=1)
    st.plotly_chart(fig, key="plot_years")
    st.caption("Coatings reported per publication year of the cited study, stacked by substrate.")
