"""Resolve the labels an extracted document uses to one IRI per real entity.

Known labels resolve through the vocabulary (every alias of ``ontology/vocab.ttl``); unknown ones
get an IRI minted from their normalized label, so the same unknown material written two ways
(``Foo_2O_3``, ``Foo₂O₃``) still becomes one entity. Electrolytes written as formulations
(``1 M LiPF6 in EC/EMC``) are split into salt, solvents, family and concentration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ingest.records import CoatingRecord, ExtractedDocument, ResolvedDocument, Term
from kg.namespaces import ID
from kg.vocab import Vocabulary, label_key, load_vocabulary

#: Record field → vocabulary kind.
_KIND_OF_FIELD = {
    "material": "Material",
    "technique": "Technique",
    "substrate": "Substrate",
    "precursors": "Precursor",
    "characterization": "CharacterizationMethod",
}

_CONCENTRATION = re.compile(r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>M|mol\s*L-1|m)\b")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9().,+]*")


def slug(text: str) -> str:
    """An IRI-safe slug of a label (keeps letters and digits; stable across spellings)."""
    key = label_key(text)
    cleaned = re.sub(r"[^a-z0-9+.]+", "-", key).strip("-")
    return quote(cleaned or "x", safe="+.-")


@dataclass(frozen=True)
class ElectrolyteParts:
    """An electrolyte formulation split into vocabulary terms."""

    label: str
    salts: tuple[Term, ...]
    solvents: tuple[Term, ...]
    families: tuple[Term, ...]
    concentration_M: float | None
    #: solid electrolytes named as the electrolyte ("garnet LLZO"): a substance, not a family
    substances: tuple[Term, ...] = ()


def resolve_label(vocab: Vocabulary, kind: str, label: str) -> Term:
    """The vocabulary term for ``label``, or a new term minted from its normalized label."""
    concept = vocab.lookup(kind, label)
    if concept is not None:
        return Term(concept.iri, concept.label, False, kind)
    return Term(str(ID[f"{kind.lower()}/{slug(label)}"]), label.strip(), True, kind)


def split_electrolyte(vocab: Vocabulary, text: str) -> ElectrolyteParts:
    """Find salts, solvents and family words in an electrolyte description.

    >>> parts = split_electrolyte(load_vocabulary(), "1 M LiPF6 in EC/EMC")
    >>> [t.label for t in parts.salts], [t.label for t in parts.solvents], parts.concentration_M
    (['LiPF6'], ['EC', 'EMC'], 1.0)
    >>> [t.label for t in split_electrolyte(load_vocabulary(), "ether").families]
    ['ether']
    """
    salts: dict[str, Term] = {}
    solvents: dict[str, Term] = {}
    families: dict[str, Term] = {}
    substances: dict[str, Term] = {}
    whole = vocab.lookup("ElectrolyteFamily", text)
    if whole is not None:
        families[whole.iri] = Term(whole.iri, whole.label, False, "ElectrolyteFamily")
    for token in _TOKEN.findall(text.replace("/", " ").replace("-", " ")):
        for kind, bucket in (
            ("Salt", salts),
            ("Solvent", solvents),
            ("ElectrolyteFamily", families),
        ):
            concept = vocab.lookup(kind, token.strip(".,"))
            if concept is not None:
                bucket[concept.iri] = Term(concept.iri, concept.label, False, kind)
        # a solid electrolyte named as the electrolyte ("garnet LLZO", "LATP"): its family
        substance = vocab.lookup("Substrate", token.strip(".,"))
        family = vocab.get(substance.family) if substance and substance.family else None
        if substance is not None and family is not None:
            substances[substance.iri] = Term(substance.iri, substance.label, False, "Substrate")
            families[family.iri] = Term(family.iri, family.label, False, "ElectrolyteFamily")
    # A family follows from the components when the text does not name one.
    for term in [*salts.values(), *solvents.values()]:
        concept = vocab.get(term.iri)
        if concept is not None and concept.family and not families:
            fam = vocab.get(concept.family)
            if fam is not None:
                families[fam.iri] = Term(fam.iri, fam.label, False, "ElectrolyteFamily")
    match = _CONCENTRATION.search(text)
    return ElectrolyteParts(
        label=text.strip(),
        salts=tuple(salts.values()),
        solvents=tuple(solvents.values()),
        families=tuple(families.values()),
        concentration_M=float(match.group("value")) if match else None,
        substances=tuple(substances.values()),
    )


def _labels(record: CoatingRecord) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for field_name, kind in _KIND_OF_FIELD.items():
        value = getattr(record, field_name)
        values = value if isinstance(value, tuple) else (value,)
        pairs.extend((kind, v) for v in values if v)
    pairs.extend(("Precursor", step.precursor) for step in record.steps if step.precursor)
    if record.anode_metal:
        pairs.append(("Substrate", record.anode_metal))
    for test in record.cell_tests:
        if test.cell_type:
            pairs.append(("CellType", test.cell_type))
    for m in record.measurements:
        if m.cell_type:
            pairs.append(("CellType", m.cell_type))
    return pairs


def resolve(extracted: ExtractedDocument, vocab: Vocabulary | None = None) -> ResolvedDocument:
    """Map every (kind, label) the document's records use to a Term."""
    vocab = vocab or load_vocabulary()
    terms: dict[tuple[str, str], Term] = {}
    pairs: list[tuple[str, str]] = []
    for record in extracted.coatings:
        pairs.extend(_labels(record))
    pairs.extend(("Material", m.subject) for m in extracted.material_facts if m.subject)
    pairs.extend(("CellType", m.cell_type) for m in extracted.material_facts if m.cell_type)
    for kind, label in pairs:
        if (kind, label) not in terms:
            terms[(kind, label)] = resolve_label(vocab, kind, label)
    return ResolvedDocument(extracted=extracted, terms=terms)
