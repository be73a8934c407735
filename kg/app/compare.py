"""The Compare tab: filters over the coatings table, plots, and a side-by-side of chosen coatings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from kg.app.common import Selectable, cell_text, column_title
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
) -> pd.DataFrame:
    """One row per coating with lists kept as lists (for filtering) and plot-ready numbers.

    ``thickness_value`` is the first reported thickness (a range's midpoint); ``cycling_h``
    the longest cycling duration; ``cycle_count`` the largest cycle count.
    """
    facets = facets or {}
    studies = studies or {}
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
                "year": r.get("year"),
                "material_class": f.get("material_class", []),
                "electrolyte_family": f.get("electrolyte_family", []),
                "cell_types": list(r.get("cell_types") or []),
                "precursors": cell_text(r.get("precursors")),
                "temperature_C": cell_text(r.get("temperature_C")),
                "thickness_nm": cell_text(r.get("thickness_nm")),
                "deposition_cycles": cell_text(r.get("deposition_cycles")),
                "temperatures": numbers(r.get("temperature_C")),
                "thickness_value": thickness[0] if thickness else None,
                "cycling_h": _outcome_max(r, "CyclingDuration"),
                "cycle_count": _outcome_max(r, "CycleCount"),
                "doc": r.get("doc"),
                "coating": r["coating"],
            }
        )
    return pd.DataFrame(rows)


STUDY_LABELS_QUERY = (
    PREFIXES
    + """SELECT ?coating ?label WHERE {
  ?coating a akg:Coating ; akg:reportedIn ?study . ?study rdfs:label ?label .
}"""
)


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
        return pd.DataFrame(columns=[column_title(c) for c in COMPARE_COLUMNS])
    shown = frame[COMPARE_COLUMNS].copy()
    for column in ("material_class", "electrolyte_family", "cell_types"):
        shown[column] = shown[column].map(cell_text)
    return shown.rename(columns={c: column_title(c) for c in COMPARE_COLUMNS})


def duration_vs_thickness(frame: pd.DataFrame) -> pd.DataFrame:
    """Coatings with both a thickness and a cycling duration: the first plot's points."""
    if frame.empty:
        return frame
    return frame.dropna(subset=["thickness_value", "cycling_h"])


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


def technique_colours(techniques: Iterable[str]) -> dict[str, str]:
    """One colour per technique, the same in every plot (sorted names → a fixed palette)."""
    import plotly.express as px

    palette = px.colors.qualitative.Plotly
    return {t: palette[i % len(palette)] for i, t in enumerate(sorted(set(techniques)))}


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
    st.dataframe(display_frame(shown), hide_index=True, width="stretch")
    if shown.empty:
        return
    colours = technique_colours(frame["technique"].dropna().unique())
    _duration_plot(shown, colours)
    _temperature_plot(shown, data["melting"], colours)
    _years_plot(shown)


def _duration_plot(shown: pd.DataFrame, colours: dict[str, str]) -> None:
    points = duration_vs_thickness(shown)
    if points.empty:
        return
    fig = px.scatter(
        points,
        x="thickness_value",
        y="cycling_h",
        color="technique",
        color_discrete_map=colours,
        facet_col="substrate",
        hover_data=["material", "study"],
        log_y=True,
        labels={"thickness_value": "coating thickness (nm)", "cycling_h": "cycling duration (h)"},
    )
    st.plotly_chart(fig, key="plot_duration")
    st.caption(
        f"Longest reported cycling duration against coating thickness for {len(points)} coatings "
        "that report both, coloured by deposition technique, one panel per substrate (log scale)."
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
                line_color="red",
                annotation_text=f"{substrate} melts at {mp:g} °C",
                annotation_position="top left",
            )
    st.plotly_chart(fig, key="plot_temperature")
    st.caption(
        "Deposition temperatures per substrate; the dashed red line is the metal's melting point "
        "(from the vocabulary), above which a process would melt the anode."
    )


def _years_plot(shown: pd.DataFrame) -> None:
    counts = counts_per_year(shown)
    if counts.empty:
        return
    fig = px.bar(
        counts, x="year", y="coatings", color="substrate", labels={"coatings": "coatings reported"}
    )
    fig.update_xaxes(dtick=1)
    st.plotly_chart(fig, key="plot_years")
    st.caption("Coatings reported per publication year of the cited study, stacked by substrate.")
