"""Question → interpretation → SPARQL → answer, without a language model.

Everything the parser understands comes from the vocabulary (``ontology/*.ttl``): a spaCy
PhraseMatcher is generated from every surface form of every concept and material class, so a
material, precursor or cell type added to ``vocab.ttl`` is understood without code changes.
Numbers are read with the same unit code as ingest (:mod:`ingest.quantities`) and converted to
the canonical unit the graph stores. Values reach SPARQL only through
:func:`kg.query.sparql_literal` and :func:`kg.query.sparql_iri`, so no question can change the
shape of the query.

Decisions (documented here because answers depend on them):

* A technique matches itself and its narrower techniques (plasma-enhanced ALD is ALD); the
  combined ``ALD/MLD`` is its own technique, not counted as ALD nor as MLD.
* A coating's year is its table year and its study's reference-list year: when the two
  disagree, both count.
* Comparators use a measurement's range ``[numericValue, maxValue]``: ``> x`` needs the high
  end above ``x``, ``< x`` the low end below ``x``. A stored open value (``> 1000 h``, kept as
  1000) satisfies ``> x`` and ``≥ x`` when ``1000 ≥ x``; a stored ``>`` never satisfies ``<``
  (and a stored ``<`` never satisfies ``>``). ``about x`` means within ±10 %.
* "Studies" are the studies that report a coating in the graph.

The stages, one module each along the data flow: :mod:`kg.ask.words` (the English no ontology
lists) → :mod:`kg.ask.question` (question → :class:`Interpretation`) → :mod:`kg.ask.sparql`
(interpretation → query) → :mod:`kg.ask.answer` (rows → :class:`Answer`). This module only
connects them and falls back to keyword search; it re-exports the names callers import from
``kg.ask``.
"""

from __future__ import annotations

from typing import Any

from kg.ask.answer import (
    DOC_GRAPH,
    Answer,
    highlight,
    merge_details,
    shape_rows,
    shown_rows,
    value_column,
)
from kg.ask.contract import MeasureVars
from kg.ask.grades import keep_asked_grades
from kg.ask.question import (
    EXAMPLE_QUESTIONS,
    MAX_QUESTION_CHARS,
    Interpretation,
    NumericConstraint,
    QuestionError,
    check_question,
    interpret,
    normalize_question,
)
from kg.ask.sparql import (
    DETAIL_PARTS,
    PREFIXES,
    RANKING_PARTS,
    build_sparql,
    class_materials,
    details_sparql,
    kind_iris,
    technique_iris,
)
from kg.ask.summary import summarize
from kg.ask.words import ELEMENTS, HOW_PHRASES, STOPWORDS, TARGET_WORDS
from kg.namespaces import AKG
from kg.query import call_in_worker, run_generated
from kg.store import OxigraphStore

__all__ = [
    "ASK_MEMORY_MB",
    "ASK_TIMEOUT_S",
    "DOC_GRAPH",
    "ELEMENTS",
    "EXAMPLE_QUESTIONS",
    "HOW_PHRASES",
    "KEYWORD_PREFIX",
    "MAX_QUESTION_CHARS",
    "PREFIXES",
    "STOPWORDS",
    "TARGET_WORDS",
    "Answer",
    "Interpretation",
    "NumericConstraint",
    "QuestionError",
    "ask",
    "ask_bounded",
    "build_sparql",
    "check_question",
    "class_materials",
    "interpret",
    "kind_iris",
    "normalize_question",
    "technique_iris",
    "value_column",
]

KEYWORD_PREFIX = "Not understood as a structured question; showing keyword matches"


#: Limits of :func:`ask_bounded` (the ones ``kg query`` uses by default).
ASK_TIMEOUT_S = 10.0
ASK_MEMORY_MB = 1024


def ask_bounded(
    question: str,
    store: Any,
    *,
    limit: int = 200,
    timeout_s: float = ASK_TIMEOUT_S,
    memory_mb: int = ASK_MEMORY_MB,
) -> Answer:
    """:func:`ask` in a worker process stopped after ``timeout_s`` or beyond ``memory_mb``.

    What the CLI and the app call with text from outside. The question is checked here first
    (an empty or overlong one is refused without starting a worker), and the vocabulary
    matcher is built here so that the forked worker inherits it and the next question in
    this process does not build it again.

    Raises:
        QuestionError: the question is empty, too long or has a number out of range.
        kg.query.QueryError: the time or memory was exceeded or the engine failed.
    """
    check_question(question)
    interpret(question)  # bounded by the checks; warms the matcher before the fork
    # The worker uses a store opened here: opening one inside a forked child can hang on a
    # RocksDB lock copied from this process (see kg.stores.oxigraph.OxigraphStore.call).
    writer = isinstance(store, OxigraphStore) and store.path is not None and not store.read_only
    target = OxigraphStore(store.path, read_only=True) if writer else store
    try:
        return call_in_worker(
            _ask_in_worker, question, target, limit, timeout_s=timeout_s, memory_mb=memory_mb
        )
    finally:
        if writer:
            target.close()


def _ask_in_worker(question: str, store: Any, limit: int) -> Answer:
    """Worker body: the question on the store handle opened before the fork."""
    return ask(question, store, limit=limit)


def ask(question: str, store: Any, *, limit: int = 200) -> Answer:
    """Answer a question from the graph, in this process (no time limit: callers with text
    from outside use :func:`ask_bounded`); keyword search when it names nothing we know.

    Raises:
        QuestionError: the question is empty, too long or has a number out of range.
        kg.query.QueryError: the generated query failed.
    """
    interp = interpret(question)
    if interp.unknown or interp.out_of_scope:
        return _refused(question, interp)
    structured = interp.has_constraint or interp.target_named
    if not structured:
        return _keyword_answer(question, interp, store, limit)
    if interp.unread:
        return _refused(question, interp)
    if interp.sides:
        sparql, columns, rows, evidence = _compare_sides(interp, store, limit)
    else:
        sparql, columns, rows, evidence = _rows(interp, store, limit)
    rows, summary = summarize(interp, rows)
    if not rows:
        summary += _absent_materials(interp, store)
    kept = {(r.get("doc"), r.get("ref")) for r in rows}
    evidence = [e for e in evidence if (e.get("doc"), e.get("ref")) in kept]
    interpretation = interp.describe()
    if not rows:
        interpretation += " No matching rows in the graph."
    return Answer(
        question=question,
        interpretation=interpretation,
        sparql=sparql,
        columns=columns,
        rows=rows,
        evidence=evidence,
        mode="structured",
        understood=True,
        summary=summary,
        shape=interp.shape,
    )


def _rows(
    interp: Interpretation, store: Any, limit: int
) -> tuple[str, list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """(query, columns, rows, evidence) of one reading: the core query, then its details."""
    sparql = build_sparql(interp)
    core = run_generated(store, sparql, max_rows=50_000).rows
    core = keep_asked_grades(interp.grades, core, store)
    raw = _with_details(interp, core, store, limit)
    columns, rows, evidence = shape_rows(interp, raw, limit)
    return sparql, columns, rows, evidence


def _compare_sides(
    interp: Interpretation, store: Any, limit: int
) -> tuple[str, list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Each side of a comparison answered with its own constraints; every row says which
    side it answers (``compared``), so the summary compares side with side."""
    from kg.ask.question import own_parts

    queries: list[str] = []
    columns: list[str] = ["compared"]
    rows: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for n, side in enumerate(interp.sides, 1):
        sparql, side_columns, side_rows, side_evidence = _rows(side, store, limit)
        label = f"{n}: " + "; ".join(own_parts(side))
        queries.append(f"# side {label}\n{sparql}")
        columns.extend(c for c in side_columns if c not in columns)
        rows.extend({"compared": label, **row} for row in side_rows)
        evidence.extend(side_evidence)
    return "\n\n".join(queries), columns, rows, evidence


def _absent_materials(interp: Interpretation, store: Any) -> str:
    """For an empty answer: which named materials the vocabulary knows but no coating has."""
    from kg.query import sparql_iri

    absent = []
    for concept in interp.concepts.get("Material", []):
        query = f"SELECT ?c WHERE {{ ?c <{AKG.hasMaterial}> {sparql_iri(concept.iri)} }} LIMIT 1"
        if not run_generated(store, query, max_rows=1).rows:
            absent.append(concept.label)
    if not absent:
        return ""
    names = ", ".join(absent)
    return f" {names}: in the vocabulary, but no coating of it is in the graph."


def _refused(question: str, interp: Interpretation) -> Answer:
    """A question with a word that looks like a term but names none: answered by nothing,
    since leaving the word out would answer a wider question than the one asked."""
    _, summary = summarize(interp, [])
    return Answer(
        question=question,
        interpretation=interp.describe(),
        sparql="",
        columns=[],
        rows=[],
        evidence=[],
        mode="refused",
        understood=False,
        summary=summary,
        shape=interp.shape,
    )


def _with_details(
    interp: Interpretation, core: list[dict[str, Any]], store: Any, limit: int
) -> list[dict[str, Any]]:
    """The core rows merged with their details, fetched in full only for the rows shown.

    When more entities match than ``limit``, the details that decide which are shown and in
    what order (:data:`~kg.ask.sparql.RANKING_PARTS`) come first, for every match; the rest
    (labels, source spans, techniques: most of the rows) only for the entities shown. The
    answer is the same as with every detail of every match (tests/kg/test_ask_pushdown.py).
    """
    if len({_node(interp, r) for r in core}) <= limit:  # all shown: one query
        return merge_details(interp, core, _details(interp, core, store))
    ranking = _details(interp, core, store, RANKING_PARTS)
    shown = shown_rows(interp, merge_details(interp, core, ranking), limit)
    rest = _details(interp, shown, store, DETAIL_PARTS - RANKING_PARTS)
    return merge_details(interp, core, ranking + rest)


def _node(interp: Interpretation, row: dict[str, Any]) -> Any:
    """What one answer entity is at most, in a core row (several rows of a study are one)."""
    if interp.target == "values":
        return row.get("mv")
    if interp.target == "precursors":
        return (row.get("c"), row.get("prec"))
    return row.get("c")


def _details(
    interp: Interpretation,
    core: list[dict[str, Any]],
    store: Any,
    parts: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the second query: labels, study, graph and evidence of the nodes found
    (only the kinds of fact in ``parts``, when given)."""

    def found(*names: str) -> list[str]:
        return list(dict.fromkeys(r[n] for r in core for n in names if r.get(n) is not None))

    measures = [
        MeasureVars(i).measurement
        for i, n in enumerate(interp.numbers)
        if n.kind != "CurrentDensity"
    ]
    precursors = None
    if interp.target == "precursors":
        precursors = list(dict.fromkeys((r["proc"], r["prec"]) for r in core))
    wanted = DETAIL_PARTS if parts is None else parts
    cited = wanted & _CITED_PARTS
    first = (wanted - _CITED_PARTS) | ({"study"} if cited else set())
    args = (found("c"), found("mv", *measures), found("mat"), precursors, tuple(interp.show))
    query = details_sparql(*args, first)
    rows = [] if query is None else run_generated(store, query, max_rows=500_000).rows
    studies = list(dict.fromkeys(r["study"] for r in rows if r.get("part") == "study"))
    if cited and studies:
        # The citations of the studies just found, from them (not from every coating again).
        query = details_sparql(*args, cited, studies=studies)
        rows += run_generated(store, query, max_rows=500_000).rows if query else []
    if "study" not in wanted:
        rows = [r for r in rows if r.get("part") != "study"]
    return rows


#: Detail parts read from the coatings' studies (see :func:`_details`).
_CITED_PARTS = frozenset(["cite", "described"])


def _keyword_answer(question: str, interp: Interpretation, store: Any, limit: int) -> Answer:
    from kg.search import INDEX_QUERY, search

    hits = search(question, store, limit=min(limit, 20))
    rows = []
    evidence = []
    for hit in hits:
        source = hit.get("source") or {}
        rows.append(
            {
                "kind": hit["kind"],
                "label": hit["label"],
                "score": hit["score"],
                "ref": source.get("ref"),
                "doc": source.get("doc"),
                "location": source.get("location"),
                "evidence": source.get("text"),
            }
        )
        if source.get("text"):
            evidence.append(
                {
                    "ref": source.get("ref"),
                    "doc": source.get("doc"),
                    "text": source["text"],
                    "location": source.get("location"),
                    "highlight": highlight(source["text"], question.split()),
                }
            )
    ignored = ", ".join(f"'{w}'" for w in [*interp.ignored, *(w for w, _ in interp.unread)])
    ignored = ignored or "none"
    interpretation = (
        f"{KEYWORD_PREFIX} ({len(rows)} found). No material, substrate, technique, precursor, "
        f"cell type, electrolyte, year or number was recognized; words not understood: {ignored}."
    )
    return Answer(
        question=question,
        interpretation=interpretation,
        sparql=INDEX_QUERY,
        columns=["kind", "label", "score", "ref", "location", "evidence", "doc"],
        rows=rows,
        evidence=evidence,
        mode="keyword",
        understood=False,
        summary=f"{len(rows)} keyword match(es) for: {question.strip()}"
        if rows
        else ("Nothing in the graph matches these words."),
    )
