"""Cell tests: which cell type and electrolytes a sentence names, merged into one test each.

A coating is tested in a few cells (symmetric, Li-Cu, Li-S...) with named electrolytes; prose
repeats them with more or fewer words. These rules keep one test per cell type and formulation,
and point each outcome at the test its conditions name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.prose.attribution import _Draft
from ingest.prose.matcher import Mention, VocabularyMatcher
from ingest.prose.words import (
    _ELECTROLYTE_PHRASE,
    _GENERIC_CELLS,
    _HALF_CELL,
    _clean_electrolyte,
    _is_alkali,
    quantity_key,
)
from ingest.records import CellTest
from kg.formulas import parse_formula
from kg.vocab import Concept, Vocabulary, label_key

#: A cathode named by a plain word ("sulfur") is one only when "cathode" follows it.
_PLAIN_WORD = re.compile(r"[a-z][a-z ]+")
_CATHODE_NOUN = r"(?:[\w-]*\s+){0,2}?(?:cathodes?|positive electrodes?)\b"
#: A cathode of any kind, named or not ("a high-voltage cathode").
_CATHODE_WORD = re.compile(r"\bcathodes?\b|\bpositive electrodes?\b", re.I)
_FORMULA_TOKEN = re.compile(r"(?<![\w-])(?:Li|Na|K)[A-Z][\w.()]*")


@dataclass(frozen=True)
class _Cathode:
    """A cathode of the vocabulary (akg:Cathode): how papers name it, the element sets of
    its formulas, and the cell types it makes with a metal anode (its skos:related)."""

    pattern: re.Pattern[str]
    elements: frozenset[frozenset[str]]
    cells: tuple[Concept, ...]

    def first(self, text: str) -> int | None:
        """Where the text first names this cathode (its name, or a formula of its elements)."""
        hits = [m.start() for m in [self.pattern.search(text)] if m]
        for m in _FORMULA_TOKEN.finditer(text):
            formula = parse_formula(m.group(0))
            if formula is not None and frozenset(formula.elements) in self.elements:
                hits.append(m.start())
        return min(hits, default=None)

    def cell_for(self, metal: str) -> Concept | None:
        """The cell type this cathode makes with ``metal`` (``LiFePO4`` with Li → Li-LFP)."""
        for cell in self.cells:
            if any(f.startswith((f"{metal}-", f"{metal} ")) for f in cell.surface_forms):
                return cell
        return None


def _form_regex(form: str) -> str:
    """One surface form as a regex: an acronym may carry composition digits (``NCM811``),
    a plain word must be followed by "cathode"."""
    body = re.escape(form).replace(r"\ ", r"\s+").replace(r"\-", "[-–—‐−]")
    if re.fullmatch(r"[A-Z]{2,}", form):
        return body + r"\d*"
    if _PLAIN_WORD.fullmatch(form) and not re.search(r"cathode|electrode", form):
        return rf"(?i:{body})\b{_CATHODE_NOUN}"
    return body


def _cathodes(vocab: Vocabulary) -> tuple[_Cathode, ...]:
    out = []
    for concept in vocab.of_kind("Cathode"):
        forms = sorted(concept.surface_forms, key=len, reverse=True)
        body = "|".join(_form_regex(f) for f in forms)
        formulas = (parse_formula(f) for f in forms)
        cells = (vocab.get(iri) for iri in concept.related)
        out.append(
            _Cathode(
                re.compile(rf"(?<![\w-])(?:{body})(?![\w])"),
                frozenset(frozenset(f.elements) for f in formulas if f is not None),
                tuple(c for c in cells if c is not None),
            )
        )
    return tuple(out)


_CELL_WORD = re.compile(r"\bcells?\b|\bbatter(?:y|ies)\b|\bpaired\b|\bcoupled\b", re.I)
#: The sentence reports a test, not the promise of one ("batteries with high-voltage cathodes
#: are sought after" is background).
_TEST_WORD = re.compile(
    r"\bdemonstrat\w*|\bassembl\w*|\btested\b|\bcycl\w*|\bdeliver\w*|\bretain\w*|\bkept\b"
    r"|\bkeeps?\b|\bshow(?:s|ed|n)?\b|\bexhibit\w*|\bachiev\w*|\bpaired\b|\bcoupled\b"
    r"|\bbuilt\b|\bconstructed\b|\bran\b|\d",
    re.I,
)


class CellTests:
    """Cell-test rules over one vocabulary (families of electrolytes are cached per text)."""

    def __init__(self, matcher: VocabularyMatcher) -> None:
        self.matcher = matcher
        self.vocab = matcher.vocab
        self._families = {label_key(c.label) for c in self.vocab.of_kind("ElectrolyteFamily")}
        self._family_cache: dict[str, frozenset[str]] = {}
        self._cathodes = _cathodes(self.vocab)

    def cell_label(self, cells: list[Mention], metal: str | None = None) -> str | None:
        """The most specific cell type named: ``K-Cu`` over ``asymmetric cells``.

        A generic half cell on a known metal becomes that metal's ``X-Cu`` cell when the
        vocabulary has one.
        """
        if not cells:
            return None
        labels = list(dict.fromkeys(m.label for m in cells))
        specific = [lab for lab in labels if lab not in _GENERIC_CELLS]
        if specific:
            return specific[0]
        if labels[0] == _HALF_CELL and metal:
            concept = self.vocab.lookup("CellType", f"{metal}-Cu")
            if concept is not None:
                return concept.label
        return labels[0]

    def cathode_cell(self, text: str, metal: str | None) -> str | None:
        """The full cell a sentence tests the anode in when it names the cell's cathode.

        A named cathode gives the vocabulary's cell type for the metal (``LiFePO4`` with Li →
        ``Li-LFP``); an unnamed one ("a high-voltage cathode") a full cell. Only a sentence
        about a cell or battery that reports a test counts.
        """
        if not (_CELL_WORD.search(text) and _TEST_WORD.search(text)):
            return None
        named = sorted(
            (at, i) for i, c in enumerate(self._cathodes) if (at := c.first(text)) is not None
        )
        if not named and not _CATHODE_WORD.search(text):
            return None
        for _, i in named:  # the cathode named first
            cell = self._cathodes[i].cell_for(metal) if metal else None
            if cell is not None:
                return cell.label
        return "full cell"

    @staticmethod
    def metal_of(mentions: list[Mention], draft: _Draft) -> str | None:
        metals = [m.label for m in mentions if m.kind == "Substrate" and _is_alkali(m.label)]
        if metals:
            return metals[0]
        substrate = draft.table.substrate if draft.table is not None else draft.substrate
        return substrate if _is_alkali(substrate) else None

    def electrolytes(self, text: str, mentions: list[Mention]) -> tuple[str, ...]:
        """Electrolytes as written, the family words the text uses, and the family of its salts
        and solvents when no formulation is written out."""
        found: list[str] = []
        salts = [m for m in mentions if m.kind == "Salt"]
        if not salts and not re.search(r"electrolyte", text, re.I):
            return ()  # a solvent alone (soaking in PC, sulfur in DME) is no cell electrolyte
        for m in _ELECTROLYTE_PHRASE.finditer(text):
            if any(m.start() <= s.start < m.end() for s in salts):
                phrase = re.sub(r"\s*\([^)]*=[^)]*\)$", "", m.group(0).strip())
                found.append(_clean_electrolyte(phrase))
        formulations = bool(found)  # a formulation implies its family: kg.build derives it
        for m in mentions:
            if m.kind == "ElectrolyteFamily":
                found.append(m.label)
            elif m.kind in ("Salt", "Solvent") and m.concept.family and not formulations:
                family = self.vocab.get(m.concept.family)
                if family is not None:
                    found.append(family.label)
        return tuple(dict.fromkeys(found))

    def _family_keys(self, electrolyte: str) -> frozenset[str]:
        """The families an electrolyte names or implies: ``1 M LiTFSI in DME`` → ether."""
        key = label_key(electrolyte)
        if key in self._families:
            return frozenset({key})
        if key not in self._family_cache:
            found: set[str] = set()
            for m in self.matcher.find(electrolyte):
                if m.kind == "ElectrolyteFamily":
                    found.add(label_key(m.label))
                elif m.kind in ("Salt", "Solvent") and m.concept.family:
                    family = self.vocab.get(m.concept.family)
                    if family is not None:
                        found.add(label_key(family.label))
            self._family_cache[key] = frozenset(found)
        return self._family_cache[key]

    def _match_test(
        self, tests: Sequence[CellTest], cell: str | None, electrolytes: Sequence[str]
    ) -> CellTest | None:
        """The known test of the same cell type that these electrolytes name, if exactly one.

        Specific formulations must agree; a family word alone (``ether``) fits a test whose
        formulation is of that family; no electrolyte at all fits the only test of that type.
        """
        same = [t for t in tests if label_key(t.cell_type or "") == label_key(cell or "")]
        keys = {label_key(_clean_electrolyte(e)) for e in electrolytes}
        specific = keys - self._families
        fits: list[CellTest] = []
        for t in same:
            t_keys = {label_key(_clean_electrolyte(e)) for e in t.electrolytes}
            t_specific = t_keys - self._families
            if specific:
                ok = specific == t_specific
            elif keys and t_specific:
                ok = keys <= set().union(*(self._family_keys(e) for e in t.electrolytes))
            else:  # families only (a comparison of two families is its own test), or nothing
                ok = not keys or keys == t_keys
            if ok and t not in fits:
                fits.append(t)
        if len(fits) > 1:  # the same electrolytes as written, else the one named formulation
            exact = [t for t in fits if {label_key(e) for e in t.electrolytes} == keys]
            named = [t for t in fits if {label_key(e) for e in t.electrolytes} - self._families]
            fits = exact if len(exact) == 1 else named
        if len(fits) == 1 or (specific and fits):
            return fits[0]
        return None

    def add_test(self, draft: _Draft, test: CellTest) -> None:
        """Add a cell test, or merge it into the one test it repeats (one per cell/electrolyte)."""
        table_tests = draft.table.cell_tests if draft.table is not None else ()
        target = self._match_test(
            [*draft.cell_tests, *table_tests], test.cell_type, test.electrolytes
        )
        if target is None:
            same = [
                t
                for t in [*draft.cell_tests, *table_tests]
                if label_key(t.cell_type or "") == label_key(test.cell_type or "")
            ]
            if same and not test.electrolytes and not test.current_densities:
                return  # "symmetric cells" again, with nothing new
            draft.cell_tests.append(test)
            return
        implied = set().union(*(self._family_keys(e) for e in target.electrolytes))
        known = {label_key(e) for e in target.electrolytes}
        extra = tuple(
            e
            for e in test.electrolytes
            if label_key(e) not in known and label_key(e) not in implied
        )
        known_cds = {quantity_key(q) for q in target.current_densities}
        new_cds = tuple(
            q
            for q in test.current_densities
            if quantity_key(q) not in known_cds and not known_cds.add(quantity_key(q))
        )
        if target in draft.cell_tests:
            merged = CellTest(
                target.cell_type,
                (*target.electrolytes, *extra),
                (*target.current_densities, *new_cds),
            )
            draft.cell_tests[draft.cell_tests.index(target)] = merged
        elif extra or new_cds:  # the table's test: prose adds only what it lacks
            draft.cell_tests.append(
                CellTest(target.cell_type, (*target.electrolytes, *extra), new_cds)
            )

    def solid_electrolyte(self, draft: _Draft) -> None:
        """A film on a solid electrolyte (garnet, LATP) is tested with that electrolyte: the
        substance, not only its family, is each cell test's electrolyte ("the garnet
        electrolyte" read as solid-state becomes the garnet itself)."""
        if draft.table is not None or not draft.substrate:
            return
        concept = self.vocab.lookup("Substrate", draft.substrate)
        family = self.vocab.get(concept.family) if concept and concept.family else None
        if concept is None or family is None:
            return

        def named(electrolytes: Sequence[str]) -> tuple[str, ...]:
            rest = [e for e in electrolytes if label_key(e) != label_key(family.label)]
            return tuple(dict.fromkeys([concept.label, *rest]))

        if not draft.cell_tests:
            draft.cell_tests.append(CellTest(None, (concept.label,), ()))
        draft.cell_tests[:] = [
            replace(t, electrolytes=named(t.electrolytes)) for t in draft.cell_tests
        ]
        draft.measurements[:] = [
            replace(m, electrolytes=named(m.electrolytes)) if m.electrolytes else m
            for m in draft.measurements
        ]

    def settle_measurements(self, draft: _Draft) -> None:
        """Point each measurement at the merged cell test its conditions name."""
        tests = [*draft.cell_tests, *(draft.table.cell_tests if draft.table else ())]
        for i, m in enumerate(draft.measurements):
            if not (m.cell_type or m.electrolytes):
                continue
            electrolytes = tuple(dict.fromkeys(_clean_electrolyte(e) for e in m.electrolytes))
            target = self._match_test(tests, m.cell_type, electrolytes)
            if target is not None and m.electrolytes:
                electrolytes = target.electrolytes
            draft.measurements[i] = replace(m, electrolytes=electrolytes)
