"""What each column of a coatings table holds, read from its header words and unit.

A column is found by what its header means, never by its position: ``Thickness (nm)``,
``T (°C)``, ``Growth temp.``, ``Current density (mA cm−2)``, ``CE (%)``, ``Lifetime`` or
``Ref.`` in any order. A value column carries the quantity kind it holds and the unit its
header gives, so a bare ``150`` under ``T (°C)`` is 150 °C. Roles are tried in order, the more
specific first (``Thickness and ALD cycles`` before ``Thickness``, ``Cycle life`` before
``Cycles``), and each role is given to one column only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.quantities import UnitError, kind_for_unit, parse_unit
from ingest.records import TableBlock, TableRow

__all__ = ["Column", "Columns", "columns", "missing_identifying_columns"]


@dataclass(frozen=True)
class Role:
    """A kind of column: the header words that name it, the quantity kind and unit it holds."""

    name: str
    pattern: re.Pattern[str]
    kind: str | None = None  # quantity kind of a value column (None: decided by the unit)
    unit: str | None = None  # unit when neither the header nor the cell gives one


def _role(name: str, words: str, kind: str | None = None, unit: str | None = None) -> Role:
    return Role(name, re.compile(words, re.I), kind, unit)


#: Roles in the order they are tried on a header cell (the first unused match wins).
ROLES: tuple[Role, ...] = (
    _role("number", r"^\s*(?:no\.?|#|entry|sample)\s*$"),
    _role("ignored", r"\b(?:anneal\w*|test(?:ing)?|operat\w*|cycling|melting)\s+temp"),
    _role("thickness_cycles", r"thickness\b.*\b(?:and|&|/|,)\s*(?:\w+\s+)?cycles"),
    _role("gpc", r"\bGPC\b|growth\s+(?:per\s+cycle|rate)", "GrowthPerCycle", "nm/cycle"),
    _role("thickness", r"thickness|\bthick\b", "Thickness", "nm"),
    _role(
        "cycles",
        r"\b(?:ALD|MLD|deposition|coating)\s+cycles?\b|\bno\.?\s+of\s+cycles|^\s*(?:number\s+of\s+)?cycles?\s*(?:\(|$)"
        r"|^\s*(?:ALD\s+|MLD\s+)?doses?\b(?!\s*(?:time|pulse|length))",
        "DepositionCycles",
        "cycle",
    ),
    _role(
        "temperature",
        r"temp|^\s*T\s*(?:[(/\[]|$)|^\s*T[\s_\-]*(?:dep|growth|ALD|MLD)|°\s*C|℃",
        "DepositionTemperature",
        "°C",
    ),
    _role("technique", r"^\s*(?:deposition\s+)?(?:method|technique|route|approach)\b"),
    _role("process", r"process|precursor|chemistry|reactant|recipe"),
    _role("electrolyte", r"electrolyte"),
    _role(
        "current_density", r"current\s+density|\bcurrent\b|\brate\b", "CurrentDensity", "mA/cm^2"
    ),
    _role(
        "areal_capacity",
        r"areal\s+capacity|capacity\s*\(\s*mA\s*h?\s*cm",
        "ArealCapacity",
        "mAh/cm^2",
    ),
    _role(
        "specific_capacity",
        r"specific\s+capacity|capacity\s*\(\s*mA\s*h?\s*g",
        "SpecificCapacity",
        "mAh/g",
    ),
    _role("retention", r"retention", "CapacityRetention", "%"),
    _role("ce", r"\bCE\b|coulomb", "CoulombicEfficiency", "%"),
    _role("overpotential", r"overpotential|hysteresis|polari[sz]ation", "Overpotential", "mV"),
    _role(
        "resistance",
        r"resistance|impedance|\bASR\b|\bR\s*_?(?:int|ct|SEI)\b",
        "InterfacialResistance",
        "ohm*cm^2",
    ),
    _role(
        "voltage_window",
        r"voltage\s+(?:window|range)|cut-?off|potential\s+window",
        "VoltageWindow",
        "V",
    ),
    _role("conductivity", r"conductivity", "IonicConductivity", "S/cm"),
    _role(
        "cycle_life", r"cycle\s+(?:life|number)|cycles?\s+(?:at|to|before)\b", "CycleCount", "cycle"
    ),
    _role(
        "lifetime", r"life\s*time|life\s*span|\blife\b|duration|cycling\s+time|stability", None, "h"
    ),
    _role("cell", r"^\s*(?:test\s+)?cells?\b|cell\s+(?:type|config\w*)|configuration|battery"),
    _role("material", r"material|coating|\bfilm\b|\blayer\b"),
    _role(
        "substrate",
        r"substrate|\banode\b|electrode|^\s*metal\b|\bhost\b|current\s+collector"
        r"|\b(?:grown|deposited|coated)\s+on\b|^\s*on\s*$",
    ),
    _role("performance", r"performance|electrochem|result|outcome|finding|cycling"),
    _role("year", r"^\s*(?:year|date)\b"),
    _role(
        "ref",
        r"^\s*refs?\b|reference|citation|^\s*(?:source|work)\s*$"
        r"|^\s*(?:study|paper|authors?|first\s+author)\b(?!\s*(?:type|design|aim))",
    ),
)
ROLE_BY_NAME = {r.name: r for r in ROLES}
#: Value columns whose numbers are outcomes of the row's cell test.
OUTCOME_ROLES = (
    "areal_capacity",
    "specific_capacity",
    "retention",
    "ce",
    "overpotential",
    "resistance",
    "voltage_window",
    "conductivity",
    "cycle_life",
    "lifetime",
)
#: Without these a review's row cannot be traced to a cited study.
IDENTIFYING = ("ref",)

_UNIT_IN_HEADER = re.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]|/\s*([A-Za-zμµÅ°%][^/()]*)$")


@dataclass(frozen=True)
class Column:
    """One column: its role, position, header text, and the unit its numbers are in."""

    role: str
    index: int
    header: str
    kind: str | None
    unit: str | None


def header_unit(header: str) -> str | None:
    """The unit a header names (``Thickness (nm)``, ``Temp./(°C)``, ``J [mA cm−2]``), or None.

    >>> header_unit("Thickness (nm)"), header_unit("Temp./(°C)"), header_unit("Growth temp.")
    ('nm', 'degC', None)
    """
    for m in _UNIT_IN_HEADER.finditer(header):
        text = (m.group(1) or m.group(2) or "").strip()
        try:
            return parse_unit(text)
        except UnitError:
            continue
    return None


@dataclass(frozen=True)
class Columns:
    """The columns of one table by role."""

    by_role: dict[str, Column]

    def __contains__(self, role: str) -> bool:
        return role in self.by_role

    def get(self, role: str) -> Column | None:
        return self.by_role.get(role)

    def cell(self, row: TableRow | tuple[str, ...] | list[str], role: str) -> str:
        """The text of ``role``'s cell in ``row`` ("" when the table has no such column)."""
        cells = row.cells if isinstance(row, TableRow) else row
        column = self.by_role.get(role)
        if column is None or column.index >= len(cells):
            return ""
        return cells[column.index].strip()

    @property
    def roles(self) -> set[str]:
        return set(self.by_role)


def _role_by_unit(unit: str | None, text: str) -> Role | None:
    """The value role a header's unit alone implies (``J (mA cm−2)`` is a current density)."""
    if unit is None:
        return None
    kind = kind_for_unit(unit, text)
    return next((r for r in ROLES if kind and r.kind == kind), None)


def columns(header: tuple[str, ...]) -> Columns:
    """Each header cell's role: the first role not yet taken that its words match, else the
    role its unit implies."""
    found: dict[str, Column] = {}
    for i, text in enumerate(header):
        unit = header_unit(text)
        role = next((r for r in ROLES if r.name not in found and r.pattern.search(text)), None)
        role = role or _role_by_unit(unit, text)
        if role is not None and role.name not in found:
            found[role.name] = Column(role.name, i, text, role.kind, unit or role.unit)
    return Columns(found)


def missing_identifying_columns(table: TableBlock, *, kind: str = "review") -> list[str]:
    """Columns a review's coating table (one with a material column) needs but lacks.

    A primary study's table has no reference column because its rows are the document's own
    results, so nothing is missing there.
    """
    if kind == "primary":
        return []
    found = columns(table.header)
    if "material" not in found:
        return []
    return [role for role in IDENTIFYING if role not in found]
