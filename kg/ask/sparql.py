"""Interpretation → SPARQL: the query-writing stage of ``kg ask``.

Vocabulary closures (a technique and its narrower techniques, a material class and its
members, a quantity kind and its sub-kinds) are expanded into VALUES here, so the query needs
no inference. Values reach the query only through :func:`kg.query.sparql_literal` and
:func:`kg.query.sparql_iri`, so no question can change the query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kg.ask.contract import MeasureVars
from kg.ask.question import Interpretation, NumericConstraint
from kg.namespaces import AKG, VOCAB
from kg.query import DEFAULT_PREFIXES, prefix_block, sparql_iri, sparql_literal
from kg.vocab import Concept, Vocabulary, load_vocabulary

__all__ = [
    "DETAIL_PARTS",
    "PREFIXES",
    "RANKING_PARTS",
    "build_sparql",
    "class_materials",
    "details_sparql",
    "kind_iris",
    "technique_iris",
]

# --------------------------------------------------------------------------- vocabulary closures


def _narrower(vocab: Vocabulary, iri: str) -> list[str]:
    """The concept and every concept below it through skos:broader (transitively); for an
    ontology class (akg:Host), every concept typed with it and the concepts below those."""
    out = [iri]
    frontier = [iri]
    while frontier:
        current = frontier.pop()
        for concept in vocab.concepts.values():
            below = current in concept.broader or current in concept.classes
            if below and concept.iri not in out:
                out.append(concept.iri)
                frontier.append(concept.iri)
    return out


def technique_iris(vocab: Vocabulary, concept: Concept) -> list[str]:
    """A technique and its narrower techniques (plasma-enhanced ALD is ALD).

    Combined techniques (ALD/MLD) are not counted as ALD or MLD: they are a kind of their own,
    matched when named ("ALD/MLD coatings"); the gold treats them as optional for "MLD".
    """
    return _narrower(vocab, concept.iri)


def class_materials(vocab: Vocabulary, class_iri: str) -> tuple[list[str], list[str]]:
    """(subclasses including itself, vocabulary materials typed with any of them)."""
    from rdflib import RDFS, URIRef

    classes = [str(c) for c in vocab.graph.transitive_subjects(RDFS.subClassOf, URIRef(class_iri))]
    if class_iri not in classes:
        classes.insert(0, class_iri)
    materials = [
        c.iri for c in vocab.of_kind("Material") if any(cls in c.classes for cls in classes)
    ]
    return classes, materials


def kind_iris(vocab: Vocabulary, kind: str) -> list[str]:
    return _narrower(vocab, str(VOCAB[kind]))


# --------------------------------------------------------------------------- SPARQL


def _values(var: str, iris: list[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sparql_iri(i) for i in iris)} }}"


def _lit(value: float) -> str:
    """A number literal, as an integer when it is one (shorter queries check faster)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return sparql_literal(int(value))
    return sparql_literal(float(value))


_OPEN_ABOVE = (">", "≥")
_OPEN_BELOW = ("<", "≤")
_CLOSED = ("=", "~")


def _number_filter(n: NumericConstraint, i: int) -> tuple[list[str], str]:
    """(properties the measurement needs, VALUES/FILTER text) for one numeric constraint.

    Written as one comparison against a per-comparator threshold from VALUES: kg.query checks
    every query with rdflib's parser, whose cost grows steeply with nested boolean filters.
    """
    v = MeasureVars(i)
    lo, hi, cmp, t = f"?{v.low}", f"?{v.high}", f"?{v.comparator}", f"?{v.threshold}"
    if n.op in ("max", "min"):  # a ranking: the measurement must exist, any value
        return (["akg:numericValue", "akg:maxValue", "akg:comparator"], "")
    eps = abs(n.low) * 1e-9 + 1e-12
    if n.op in (">", "<"):
        above = n.op == ">"
        x = n.low
        # A stored open value (> v) satisfies "> x" when v ≥ x: its threshold moves by eps.
        loose = x - eps if above else x + eps
        same, opposite = (_OPEN_ABOVE, _OPEN_BELOW) if above else (_OPEN_BELOW, _OPEN_ABOVE)
        del opposite  # stored values open the other way never match
        rows = [f"({sparql_literal(c)} {_lit(x)})" for c in _CLOSED]
        rows += [f"({sparql_literal(c)} {_lit(loose)})" for c in same]
        var = hi if above else lo
        return (
            ["akg:maxValue" if above else "akg:numericValue", "akg:comparator"],
            f"VALUES ({cmp} {t}) {{ {' '.join(rows)} }} FILTER({var} {n.op} {t})",
        )
    if n.op in ("≥", "≤"):
        above = n.op == "≥"
        allowed = [*_CLOSED, *(_OPEN_ABOVE if above else _OPEN_BELOW)]
        var = hi if above else lo
        symbol = ">=" if above else "<="
        return (
            ["akg:maxValue" if above else "akg:numericValue", "akg:comparator"],
            f"VALUES {cmp} {{ {' '.join(sparql_literal(c) for c in allowed)} }} "
            f"FILTER({var} {symbol} {_lit(n.low)})",
        )
    if n.op == "~":
        a, b = sorted((n.low * 0.9, n.low * 1.1))
    elif n.op == "between":
        a, b = n.low, n.high
    else:
        a, b = n.low - eps, n.low + eps
    return (["akg:numericValue", "akg:maxValue"], f"FILTER({lo} <= {_lit(b)} && {hi} >= {_lit(a)})")


def _measurement_block(owner: str, n: NumericConstraint, i: int, vocab: Vocabulary) -> str:
    """The measurement ``?m{i}`` of ``owner`` with its kind and the values the filter needs.

    Its other values, value text and source spans are fetched by :func:`details_sparql`.
    """
    m = f"?m{i}"
    needs, condition = _number_filter(n, i)
    variables = {p: f"?{name}" for p, name in MeasureVars(i).by_property().items()}
    props = " ; ".join(f"{p} {variables[p]}" for p in needs)
    lines = [
        *_kind_pattern(m, kind_iris(vocab, n.kind), MeasureVars(i).kind),
        f"{owner} akg:hasMeasurement {m} . {m} {props} .",
        condition,
    ]
    return "\n  ".join(lines)


def _kind_pattern(node: str, kinds: list[str], var: str) -> list[str]:
    """``node akg:quantityKind`` one of ``kinds``: a constant when there is one."""
    if len(kinds) == 1:
        return [f"{node} akg:quantityKind {sparql_iri(kinds[0])} ."]
    return [_values(var, kinds), f"{node} akg:quantityKind ?{var} ."]


def _current_density_block(n: NumericConstraint, i: int, attach: str | None) -> str:
    """Current density: of the measurement it qualifies, else of any test or measurement."""
    cd = f"?{MeasureVars(i).low}"
    if attach:
        pattern = (
            f"{{ {attach} akg:atCurrentDensity_mA_cm2 {cd} }} UNION "
            f"{{ {attach} akg:measuredIn/akg:currentDensity_mA_cm2 {cd} }}"
        )
    else:
        pattern = (
            f"{{ ?c akg:hasMeasurement/akg:atCurrentDensity_mA_cm2 {cd} }} UNION "
            f"{{ ?c akg:testedIn/akg:currentDensity_mA_cm2 {cd} }} UNION "
            f"{{ ?c akg:hasMeasurement ?cdm{i} . ?cdm{i} akg:quantityKind akgv:CurrentDensity ; "
            f"akg:numericValue {cd} }}"
        )
    # A current density is a condition, not an open value: compare it as a plain number.
    plain = NumericConstraint(n.kind, n.op, n.low, n.high, n.unit, n.text)
    _, condition = _number_filter(plain, i)
    condition = re.sub(
        r"VALUES \(\?cmp\d+ (\?t\d+)\) \{ \(\S+ (\S+)\).*?\} FILTER\((\?\w+) (\S+) \1\)",
        lambda m: f"FILTER({cd} {m.group(4)} {m.group(2)})",
        condition,
    )
    condition = re.sub(r"VALUES \?cmp\d+ \{[^}]*\} ", "", condition)
    condition = condition.replace(f"?{MeasureVars(i).high}", cd)
    return f"{pattern}\n  {condition}"


def _constant_or_values(subject_predicate: str, var: str, iris: list[str]) -> str:
    """``subject predicate`` one of ``iris``: the constant itself when there is one."""
    if len(iris) == 1:
        return f"{subject_predicate} {sparql_iri(iris[0])} ."
    return f"{_values(var, iris)} {subject_predicate} ?{var} ."


def _year_filter(var: str, op: str, low: int, high: int) -> str:
    a, b = sparql_literal(low), sparql_literal(high)
    if op == "between":
        return f"{var} >= {a} && {var} <= {b}"
    return f"{var} {op.replace('≥', '>=').replace('≤', '<=')} {a}"


def _coating_constraints(
    interp: Interpretation, vocab: Vocabulary, *, coating: bool = True
) -> list[str]:
    """Graph patterns every matching coating ``?c`` (material ``?mat``) satisfies.

    Written so that the engine, which joins largely in the order written, starts from the
    most selective bound pattern: constants (a precursor, a substrate) first, then the
    material, measurements and the broader constraints; ``?c a akg:Coating`` comes last.
    """
    lines: list[str] = []
    c = interp.concepts
    for j, p in enumerate(c.get("Precursor", [])):
        lines.append(
            f"?precQ{j} akg:usesPrecursor {sparql_iri(p.iri)} . ?c akg:depositedBy ?precQ{j} ."
        )
    if c.get("Substrate"):
        # "on Cu", "on garnet", "on Li": what the film is on (a named kind and its narrower).
        iris: list[str] = []
        for s in c["Substrate"]:
            iris.extend(i for i in _narrower(vocab, s.iri) if i not in iris)
        lines.append(_constant_or_values("?c akg:onSubstrate", "substQ", iris))
    if c.get("Anode"):
        # "for Li metal", "with K anodes", "lithium coatings": the metal the coating serves,
        # on the metal itself or on a host or current collector that carries it.
        lines.append(_constant_or_values("?c akg:forAnode", "anodeQ", [a.iri for a in c["Anode"]]))
    lines.extend(_material_lines(interp, vocab, coating=coating))
    for j, symbol in enumerate(interp.elements):
        members = [m.iri for m in vocab.of_kind("Material") if symbol in m.elements]
        alt = f"{{ ?mat akg:containsElement ?el{j} . FILTER(STR(?el{j}) = {sparql_literal(symbol)}) }}"
        if members:
            alt = f"{{ {_values('mat', members)} }} UNION " + alt
        lines.append(alt)
    attach: str | None = None
    for i, n in enumerate(interp.numbers):
        if n.kind == "CurrentDensity":
            continue
        lines.append(_measurement_block("?c", n, i, vocab))
        if attach is None and n.kind not in (
            "Thickness",
            "DepositionTemperature",
            "DepositionCycles",
            "GrowthPerCycle",
        ):
            attach = f"?m{i}"
    for i, n in enumerate(interp.numbers):
        if n.kind == "CurrentDensity":
            lines.append(_current_density_block(n, i, attach))
    if c.get("CellType"):
        iris = []
        for ct in c["CellType"]:
            iris.extend(i for i in _narrower(vocab, ct.iri) if i not in iris)
        lines.append(
            "{ ?c akg:testedIn/akg:cellType ?ctQ } UNION "
            "{ ?c akg:hasMeasurement/akg:measuredIn/akg:cellType ?ctQ }"
        )
        lines.append(_values("ctQ", iris))
    for j, cathode in enumerate(c.get("Cathode", [])):
        lines.append(_cathode_pattern(vocab, cathode, j))
    for j, concept in enumerate(
        [*c.get("ElectrolyteFamily", []), *c.get("Salt", []), *c.get("Solvent", [])]
    ):
        ev = f"?elec{j}"
        lines.append(f"?c akg:testedIn/akg:usesElectrolyte {ev} .")
        if concept.kind == "ElectrolyteFamily":
            members = [
                x.iri
                for x in [*vocab.of_kind("Salt"), *vocab.of_kind("Solvent")]
                if x.family == concept.iri
            ]
            lines.append(
                f"{{ {_values(f'elec{j}', [concept.iri])} }} UNION "
                f"{{ {ev} akg:family|akg:salt|akg:solvent ?elecPart{j} . "
                f"{_values(f'elecPart{j}', [concept.iri, *members])} }}"
            )
        else:
            lines.append(
                f"{{ {_values(f'elec{j}', [concept.iri])} }} UNION "
                f"{{ {ev} akg:salt|akg:solvent {sparql_iri(concept.iri)} }}"
            )
    if c.get("CharacterizationMethod"):
        lines.append(_values("methodQ", [x.iri for x in c["CharacterizationMethod"]]))
        lines.append("?c akg:characterizedBy ?methodQ .")
    if c.get("Technique"):
        iris: list[str] = []
        for t in c["Technique"]:
            iris.extend(i for i in technique_iris(vocab, t) if i not in iris)
        lines.append("?c akg:depositedBy/akg:technique ?techQ .")
        lines.append(_values("techQ", iris))
    lines.extend(_study_constraints(interp, "?c"))
    lines.extend(_exclusions(interp, vocab))
    return lines


def _cathode_pattern(vocab: Vocabulary, cathode: Concept, j: int) -> str:
    """Tested against ``cathode``: a cell test that names it, or a cell of a type it makes
    (skos:related: LiFePO4 → Li-LFP, sulfur → Li-S, Na-S, K-S) and the narrower types."""
    from rdflib import SKOS, URIRef

    types: list[str] = []
    for related in vocab.graph.objects(URIRef(cathode.iri), SKOS.related):
        types.extend(i for i in _narrower(vocab, str(related)) if i not in types)
    named = f"{{ ?c akg:testedIn/akg:cathode {sparql_iri(cathode.iri)} }}"
    if not types:
        return named
    v = f"?cathCt{j}"
    return (
        f"{named} UNION {{ {_values(v[1:], types)} "
        f"{{ ?c akg:testedIn/akg:cellType {v} }} UNION "
        f"{{ ?c akg:hasMeasurement/akg:measuredIn/akg:cellType {v} }} }}"
    )


def _exclusions(interp: Interpretation, vocab: Vocabulary) -> list[str]:
    """FILTER NOT EXISTS for each excluded concept ("excluding Al2O3", "non-oxide")."""
    lines = []
    for j, concept in enumerate(interp.excluded):
        x = f"?x{j}"
        if concept.kind == "Material":
            body = f"?c akg:hasMaterial {sparql_iri(concept.iri)}"
        elif concept.kind == "MaterialClass":
            classes, members = class_materials(vocab, concept.iri)
            body = (
                f"?c akg:hasMaterial {x} . {{ {_values(x[1:], members or [concept.iri])} }} "
                f"UNION {{ {x} a ?xc{j} . {_values(f'xc{j}', classes)} }}"
            )
        elif concept.kind == "Technique":
            body = f"?c akg:depositedBy/akg:technique {x} . {_values(x[1:], technique_iris(vocab, concept))}"
        elif concept.kind == "Substrate":
            body = f"?c akg:onSubstrate|akg:forAnode {sparql_iri(concept.iri)}"
        elif concept.kind == "Precursor":
            body = f"?c akg:depositedBy/akg:usesPrecursor {sparql_iri(concept.iri)}"
        else:  # CellType
            body = (
                f"{{ ?c akg:testedIn/akg:cellType {x} }} UNION "
                f"{{ ?c akg:hasMeasurement/akg:measuredIn/akg:cellType {x} }} "
                f"{_values(x[1:], _narrower(vocab, concept.iri))}"
            )
        lines.append(f"FILTER NOT EXISTS {{ {body} }}")
    return lines


def _material_lines(interp: Interpretation, vocab: Vocabulary, *, coating: bool) -> list[str]:
    """The material ``?mat``: one of the named materials, and a member of each named class.

    Several classes ("alucone and zircone coatings"), or materials and classes compared
    ("Al2O3 vs alucone"), are alternatives: one union of all their members and classes.
    """
    materials = [m.iri for m in interp.concepts.get("Material", [])]
    named = interp.concepts.get("MaterialClass", [])
    alternatives = len(named) > 1 or (named and materials and interp.shape == "comparison")
    lines = []
    if materials and not alternatives:
        lines.append(_values("mat", materials))
    if coating:
        lines.append("?c akg:hasMaterial ?mat .")
    groups = [named] if alternatives else [[cls] for cls in named]
    for group in groups:
        classes: list[str] = []
        members: list[str] = list(materials) if alternatives else []
        for cls in group:
            more, of_class = class_materials(vocab, cls.iri)
            classes.extend(x for x in more if x not in classes)
            members.extend(x for x in (of_class or [cls.iri]) if x not in members)
        lines.append(
            f"{{ {_values('mat', members)} }} UNION "
            f"{{ ?mat a ?matClass . {_values('matClass', classes)} }}"
        )
    return lines


def _study_of(owner: str, study: str, then: str = "") -> str:
    """``study`` is the study ``owner`` is reported in: the one it cites, or the study a
    primary document is (akg:describedBy the document its facts were read from); ``then``
    is what the study must also satisfy.

    ``then`` is repeated inside each branch (``{A . T} UNION {B . T}``, the same rows as
    ``{A} UNION {B} . T``): the engine evaluates a group on its own, and the second branch
    alone joins every source span of every node (3.3 s at 100k triples; 32 ms so).
    """
    return (
        f"{{ {owner} akg:reportedIn {study} . {then} }} UNION "
        f"{{ {owner} prov:wasDerivedFrom/akg:document {study}Doc . "
        f"{study} akg:describedBy {study}Doc . {then} }}"
    )


def _study_constraints(interp: Interpretation, owner: str) -> list[str]:
    """Year (table or reference list: both count), DOI and author constraints."""
    lines: list[str] = []
    for j, (op, low, high) in enumerate(interp.years):
        y = f"?year{j}"
        lines.append(
            f"{{ {owner} akg:year {y} }} UNION "
            f"{_study_of(owner, f'?yearStudy{j}', f'?yearStudy{j} akg:year {y}')}"
            f"\n  FILTER({_year_filter(y, op, low, high)})"
        )
    for j, doi in enumerate(interp.dois):
        lines.append(
            _study_of(
                owner,
                f"?doiStudy{j}",
                f"?doiStudy{j} bibo:doi ?doi{j} "
                f"FILTER(LCASE(STR(?doi{j})) = {sparql_literal(doi)})",
            )
        )
    for j, name in enumerate(interp.authors):
        lit = sparql_literal(name.lower())
        # The surname as a whole word of the author list: "Sun" is not "Sundaram".
        word = sparql_literal(rf"(^|[^\p{{L}}]){re.escape(name.lower())}([^\p{{L}}]|$)")
        first = f"{{ ?authStudy{j} akg:firstAuthor ?fa{j} FILTER(LCASE(STR(?fa{j})) = {lit}) }}"
        if name not in interp.first_authors:
            first += (
                f" UNION {{ ?authStudy{j} akg:authorsText ?at{j} "
                f"FILTER(REGEX(LCASE(STR(?at{j})), {word})) }}"
            )
        lines.append(_study_of(owner, f"?authStudy{j}", first))
    return lines


#: The prefixes generated queries use (a short query is checked faster by kg.query).
PREFIXES = ("akg", "akgv", "rdfs", "skos", "prov", "bibo")


def build_sparql(interp: Interpretation, vocab: Vocabulary | None = None) -> str:
    """The core SELECT for an interpretation (PREFIX lines included, runnable as is).

    It answers the question: the matching coatings (``?c``, material ``?mat``), their
    matching measurements (``?m0``… with the values the filters used) and, for precursor
    questions, the process and precursor; for value questions the values (``?mv``). It has no
    OPTIONAL and no GRAPH: labels, study, year, technique, substrate, document graph and the
    evidence spans of the found nodes come from a second query, :func:`details_sparql`, whose
    rows :func:`kg.ask.answer.merge_details` joins in. (One query with all of that, nested
    OPTIONALs for the spans, took > 30 s at 1M triples.)
    """
    vocab = vocab or load_vocabulary()
    head = prefix_block({k: DEFAULT_PREFIXES[k] for k in PREFIXES})
    if interp.target == "values":
        return head + _value_query(interp, vocab)
    lines = _coating_constraints(interp, vocab)
    variables = ["?c", "?mat"]
    for i, n in enumerate(interp.numbers):
        if n.kind == "CurrentDensity":
            variables.append(f"?{MeasureVars(i).low}")
            continue
        needs, _ = _number_filter(n, i)
        v = MeasureVars(i)
        variables.append(f"?{v.measurement}")
        variables.extend(f"?{v.by_property()[p]}" for p in needs)
    if interp.target == "precursors":
        lines.append("?c akg:depositedBy ?proc . ?proc akg:usesPrecursor ?prec .")
        variables.extend(["?proc", "?prec"])
    lines.append("?c a akg:Coating .")
    return head + f"SELECT DISTINCT {' '.join(variables)} WHERE {{\n  " + "\n  ".join(lines) + "\n}"


def _value_query(interp: Interpretation, vocab: Vocabulary) -> str:
    """Values of the asked kinds: on matching coatings, and material facts (ofMaterial)."""
    kinds: list[str] = []
    for kind in interp.asked_kinds:
        kinds.extend(i for i in kind_iris(vocab, kind) if i not in kinds)
    kind = _values("kind", kinds) + " ?mv akg:quantityKind ?kind ."
    coating = "\n    ".join(
        [
            kind,
            "?c akg:hasMeasurement ?mv .",
            *_coating_constraints(interp, vocab),
            "?c a akg:Coating .",
        ]
    )
    branches = [f"{{\n    {coating}\n  }}"]
    if not interp.coating_level:
        # Material facts (shear modulus of LiF) belong to no coating: only material, year and
        # author constraints apply to them.
        material = "\n    ".join(
            [
                kind,
                "?mv akg:ofMaterial ?mat .",
                *_material_constraints(interp, vocab),
                *_study_constraints(interp, "?mv"),
            ]
        )
        branches.append(f"{{\n    {material}\n  }}")
    return "SELECT DISTINCT ?mv ?kind ?c ?mat WHERE {\n  " + "\n  UNION\n  ".join(branches) + "\n}"


def _values_rows(variables: list[str], rows: list[tuple[str, ...]]) -> str:
    body = " ".join(f"({' '.join(sparql_iri(x) for x in row)})" for row in rows)
    return f"VALUES ({' '.join('?' + v for v in variables)}) {{ {body} }}"


def _span_branch(node: str, iris: list[str], part: str) -> str:
    """Source spans of the given nodes; each OPTIONAL binds one variable of the bound span."""
    return (
        f"{{ {_values(node, iris)} ?{node} prov:wasDerivedFrom ?s . ?s akg:sourceText ?sText . "
        "OPTIONAL { ?s akg:tableNumber ?sTable } OPTIONAL { ?s akg:rowNumber ?sRow } "
        "OPTIONAL { ?s akg:tableHeader ?sHeader } "
        "OPTIONAL { ?s akg:section ?sSection } OPTIONAL { ?s akg:sentenceIndex ?sSentence } "
        f"BIND({sparql_literal(part)} AS ?part) }}"
    )


#: Detail parts that decide which rows an answer shows and in what order (graph, study,
#: citation, years, the values of measurements, precursor steps); the others (labels,
#: substrate, technique, source spans, electrolyte, cell) are needed for shown rows only.
RANKING_PARTS = frozenset(
    ["graph", "study", "cite", "described", "year", "value", "mstudy", "mgraph", "mdocs", "step"]
)
#: Every detail part (the ``?part`` names of :func:`details_sparql`).
DETAIL_PARTS = RANKING_PARTS | frozenset(
    ["substrate", "technique", "span", "electrolyte", "cell", "mspan", "mat", "prec"]
)


def details_sparql(
    coatings: list[str],
    measurements: list[str],
    materials: list[str],
    precursors: list[tuple[str, str]] | None = None,
    show: tuple[str, ...] = (),
    parts: Collection[str] | None = None,
    studies: list[str] | None = None,
) -> str | None:
    """What the answer shows about nodes the core query found: one flat UNION, one branch per
    kind of fact (``?part`` names it), each starting from the nodes given in VALUES.

    Coatings: document graph, study (citation number, label, year), table year, substrate,
    technique, source spans. Measurements: values, value text, cycles, current density,
    study and graph (material facts), source spans. Materials: label. ``precursors``:
    (process, precursor) pairs: label, full name, step index. ``parts``: only these kinds
    of fact (all when None). ``studies``: the coatings' studies when already known (the rows
    of part ``study``): the citations (``cite``, ``described``) are then read from them
    rather than found again from every coating. None when nothing was found.
    """
    branches = [
        *_coating_details(coatings, show, studies),
        *_measurement_details(measurements),
        *_other_details(materials, precursors),
    ]
    chosen = [text for part, text in branches if parts is None or part in parts]
    if not chosen:
        return None
    head = prefix_block({k: DEFAULT_PREFIXES[k] for k in PREFIXES})
    return head + "SELECT * WHERE {\n  " + "\n  UNION\n  ".join(chosen) + "\n}"


def _coating_details(
    coatings: list[str], show: tuple[str, ...], known: list[str] | None = None
) -> list[tuple[str, str]]:
    """(part, UNION branch) of the details of coatings (see :func:`details_sparql`)."""
    if not coatings:
        return []
    vc = _values("c", coatings)

    def branch(body: str, part: str, start: str = vc) -> tuple[str, str]:
        return part, f"{{ {start} {body} BIND({sparql_literal(part)} AS ?part) }}"

    # Each coating's studies once (a primary document's study is reached through every
    # source span of the coating, so without DISTINCT it would repeat per span).
    studies = f"{{ SELECT DISTINCT ?c ?study WHERE {{ {vc} {_study_of('?c', '?study')} }} }}"
    # The citations of the studies: from the studies found already when given (finding the
    # studies again from the coatings is most of the time of these branches at 1M triples).
    cited = studies if known is None else _values("study", known)
    branches = [
        # With the file name of the graph's document: a record of an export file
        # (BibTeX, RIS, CSV) is named "file.bib#3". The OPTIONAL stands outside the
        # GRAPH (the same rows): inside it, the engine paired every coating with every
        # file name of the store before matching graphs (0.7 s at 1M triples; 50 ms so).
        branch(
            "GRAPH ?g { ?c a akg:Coating } "
            "OPTIONAL { GRAPH ?g { ?docNode akg:fileName ?fileName } }",
            "graph",
        ),
        branch(
            "OPTIONAL { ?study akg:citationNumber ?ref } "
            "OPTIONAL { ?study rdfs:label ?studyLabel } OPTIONAL { ?study akg:year ?refYear } "
            "OPTIONAL { ?study bibo:doi ?doi }",
            "study",
            studies,
        ),
        # The number each citing document gives the study (akg:Citation, in its graph),
        # and the document that is the study itself (its rows have no number).
        branch(
            "?cit akg:citedStudy ?study ; "
            "akg:citationNumber ?citRef ; akg:citingDocument/akg:docId ?citDoc .",
            "cite",
            cited,
        ),
        branch("?study akg:describedBy/akg:docId ?described .", "described", cited),
        branch("?c akg:year ?tableYear .", "year"),
        branch("?c akg:onSubstrate ?subst .", "substrate"),
        branch("?c akg:depositedBy ?proc . ?proc akg:technique ?tech .", "technique"),
        ("span", _span_branch("c", coatings, "span")),
    ]
    if "electrolyte" in show:
        branches.append(
            branch(
                "?c akg:testedIn/akg:usesElectrolyte ?elec . "
                "OPTIONAL { ?elec rdfs:label ?elecLabel }",
                "electrolyte",
            )
        )
    if "cell_type" in show:
        branches.append(branch("?c akg:testedIn/akg:cellType ?cellType .", "cell"))
    return branches


def _measurement_details(measurements: list[str]) -> list[tuple[str, str]]:
    """(part, UNION branch) of the details of measurements (see :func:`details_sparql`)."""
    if not measurements:
        return []
    vm = _values("m", measurements)
    props = {
        "lo": "akg:numericValue",
        "hi": "akg:maxValue",
        "cmp": "akg:comparator",
        "vt": "akg:valueText",
        "after": "akg:afterCycles",
        "cd": "akg:atCurrentDensity_mA_cm2",
    }
    optionals = " ".join(f"OPTIONAL {{ ?m {p} ?{v} }}" for v, p in props.items())
    return [
        ("value", f'{{ {vm} ?m akg:quantityKind ?kind . {optionals} BIND("value" AS ?part) }}'),
        (
            "mstudy",
            f"{{ {vm} ?m akg:reportedIn ?study . OPTIONAL {{ ?study akg:citationNumber ?ref }} "
            "OPTIONAL { ?study rdfs:label ?studyLabel } OPTIONAL { ?study akg:year ?refYear } "
            'BIND("mstudy" AS ?part) }',
        ),
        ("mgraph", f'{{ {vm} GRAPH ?g {{ ?m akg:ofMaterial ?ofm }} BIND("mgraph" AS ?part) }}'),
        # The documents that state each value (a coating shared by documents that
        # disagree: only the one saying "1000 h" answers "> 1000 h").
        ("mdocs", f'{{ {vm} GRAPH ?g {{ ?m akg:quantityKind ?mk }} BIND("mdocs" AS ?part) }}'),
        ("mspan", _span_branch("m", measurements, "mspan")),
    ]


def _other_details(
    materials: list[str], precursors: list[tuple[str, str]] | None
) -> list[tuple[str, str]]:
    """(part, UNION branch) of material labels and precursor uses (see :func:`details_sparql`)."""
    branches = []
    if materials:
        branches.append(
            (
                "mat",
                f"{{ {_values('mat', materials)} ?mat skos:prefLabel ?matLabel . "
                'BIND("mat" AS ?part) }',
            )
        )
    if precursors:
        precs = list(dict.fromkeys(p for _, p in precursors))
        procs = list(dict.fromkeys(proc for proc, _ in precursors))
        branches += [
            (
                "prec",
                f"{{ {_values('prec', precs)} OPTIONAL {{ ?prec skos:prefLabel ?precLabel }} "
                'OPTIONAL { ?prec akg:fullName ?precFull } BIND("prec" AS ?part) }',
            ),
            (
                "step",
                f"{{ {_values('proc', procs)} ?proc akg:hasStep ?step . "
                "?step akg:usesPrecursor ?prec ; akg:stepIndex ?stepIndex . "
                'BIND("step" AS ?part) }',
            ),
        ]
    return branches


def _material_constraints(interp: Interpretation, vocab: Vocabulary) -> list[str]:
    only = Interpretation()
    only.concepts["Material"] = list(interp.concepts.get("Material", []))
    only.concepts["MaterialClass"] = list(interp.concepts.get("MaterialClass", []))
    only.elements = list(interp.elements)
    return _coating_constraints(only, vocab, coating=False)


# Keep the ontology constants referenced (namespace typos fail at import, not at query time).
_ = (AKG.Coating, AKG.hasMeasurement)
