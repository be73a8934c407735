"""The core query's variables that the answer reads, declared once.

:mod:`kg.ask.sparql` writes them into the query and :mod:`kg.ask.answer` reads them from the
rows; both take the names from here, so renaming one cannot silently break the other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COATING", "MATERIAL", "MeasureVars"]

COATING = "c"  # the matching coating
MATERIAL = "mat"  # its material


@dataclass(frozen=True)
class MeasureVars:
    """Variables of the measurement that numeric constraint ``i`` of the question binds."""

    i: int

    @property
    def measurement(self) -> str:
        return f"m{self.i}"

    @property
    def low(self) -> str:
        return f"lo{self.i}"

    @property
    def high(self) -> str:
        return f"hi{self.i}"

    @property
    def comparator(self) -> str:
        return f"cmp{self.i}"

    @property
    def threshold(self) -> str:
        return f"t{self.i}"

    @property
    def kind(self) -> str:
        return f"k{self.i}"

    @property
    def value_text(self) -> str:
        """Set by the details merge: the value as the document wrote it."""
        return f"vt{self.i}"

    @property
    def span(self) -> str:
        """Prefix of the merged source-span fields (``ms0Text``, ``ms0Table``…)."""
        return f"ms{self.i}"

    def by_property(self) -> dict[str, str]:
        """The variable each measurement property is bound to in the core query."""
        return {
            "akg:numericValue": self.low,
            "akg:maxValue": self.high,
            "akg:comparator": self.comparator,
        }
