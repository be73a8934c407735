"""Safe, read-only SPARQL for ``kg query``, ``kg ask`` and the app.

Every user query goes through :func:`check_query` before any engine sees it: the query must parse
as SELECT, ASK, CONSTRUCT or DESCRIBE; updates, ``SERVICE`` (both rdflib and pyoxigraph would
make the HTTP request: SSRF) and ``FROM``/``FROM NAMED`` with IRIs outside the project are
refused. :func:`run_query` then runs it with a real time limit: pyoxigraph has no timeout, so the
query runs in a forked worker process that is killed when the time is up, and a row limit.

Values are inserted into SPARQL text only through :func:`sparql_literal` and :func:`sparql_iri`.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kg.errors import (
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    WorkerMemoryError,
)
from kg.namespaces import BASE
from kg.stores.base import QUERY_FORMS, QueryResult
from kg.stores.worker import WORKER_MEMORY_MB, call_in_worker

if TYPE_CHECKING:
    from kg.stores.base import Store

__all__ = [
    "DEFAULT_PREFIXES",
    "QUERY_FORMS",
    "WORKER_MEMORY_MB",
    "CheckedQuery",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "WorkerMemoryError",
    "call_in_worker",
    "canonical_text",
    "check_limits",
    "check_query",
    "is_our_graph",
    "prefix_block",
    "prepare_query",
    "result_to_json",
    "run_generated",
    "run_query",
    "sparql_iri",
    "sparql_literal",
]

READ_ONLY_HINT = "kg query runs read-only SPARQL: SELECT, ASK, CONSTRUCT or DESCRIBE."

DEFAULT_PREFIXES: dict[str, str] = {
    "akg": BASE + "ontology#",
    "akgv": BASE + "vocab/",
    "id": BASE + "id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "bibo": "http://purl.org/ontology/bibo/",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
}

# SPARQL Update operations; none of them is a keyword of the query grammar.
_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FORBIDDEN_KEYWORDS = _UPDATE_KEYWORDS | {"SERVICE"}

# Tokens to skip when looking for keywords: long and short strings, IRIs, comments, variables
# and prefixed names. Bare words are what is left.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[?$]\w+"
    r"|(?:[A-Za-z_][\w.-]*)?:[\w.:%-]*"
    r"|(?P<word>[A-Za-z_]\w*)",
    re.DOTALL,
)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')

# Codepoint escapes, which SPARQL (and rdflib) expand before parsing, anywhere in the text.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Every line break some engine honours. rdflib ends a `#` comment only at \n, Oxigraph also at
# \r: a lone \r made the checker see a comment where the engine saw SERVICE (SSRF).
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
# The graphs FROM / FROM NAMED may name: ours, path segments of plain characters only.
_OUR_GRAPH = re.compile(re.escape(BASE) + r"graph/[A-Za-z0-9_~.-]+(?:/[A-Za-z0-9_~.-]+)*")


# --------------------------------------------------------------------------- values into SPARQL


def sparql_literal(value: object) -> str:
    """A Python value as a SPARQL literal: the only safe way to put user text into a query.

    >>> sparql_literal('x" } ; DROP ALL ; #')
    '"x\\\\" } ; DROP ALL ; #"'
    >>> sparql_literal(3), sparql_literal(2.5), sparql_literal(True)
    ('3', '"2.5"^^<http://www.w3.org/2001/XMLSchema#double>', 'true')

    Raises:
        ValueError: for NaN/infinite floats and types with no literal form.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cannot put {value!r} into SPARQL: not a finite number.")
        return f'"{value!r}"^^<{DEFAULT_PREFIXES["xsd"]}double>'
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Cannot put {value!r} into SPARQL: not a finite number.")
        return f'"{value}"^^<{DEFAULT_PREFIXES["xsd"]}decimal>'
    if isinstance(value, str):
        escaped = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
            .replace("\b", "\\b")
            .replace("\f", "\\f")
        )
        return f'"{escaped}"'
    raise ValueError(
        f"Cannot put a {type(value).__name__} into SPARQL; pass str, int, float, Decimal or bool."
    )


def sparql_iri(iri: str) -> str:
    """An IRI in angle brackets, after checking it cannot close the brackets or the query.

    >>> sparql_iri("https://w3id.org/ald-kg/id/coating/1")
    '<https://w3id.org/ald-kg/id/coating/1>'

    Raises:
        ValueError: if the IRI is empty, relative or holds spaces or any of ``<>"{}|^`\\``.
    """
    if not isinstance(iri, str) or not iri:
        raise ValueError(f"Not an IRI: {iri!r}.")
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise ValueError(
            f"Not a valid IRI: {iri!r} contains {bad.group()!r}. "
            'IRIs cannot hold spaces or any of <>"{}|^`\\; percent-encode them.'
        )
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise ValueError(f"Not an absolute IRI: {iri!r}. Give a scheme such as https://.")
    return f"<{iri}>"


def prefix_block(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX`` lines for the project's namespaces, for the editor and generated queries."""
    items = (prefixes or DEFAULT_PREFIXES).items()
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in items)


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class CheckedQuery:
    """A user query that passed every check, in the exact text the engine must run.

    ``text`` is the canonical form (:func:`canonical_text`), never the text as typed: the check
    holds only for the text it read, so callers run ``text`` and nothing else.
    """

    text: str
    form: str
    has_dataset: bool


def _expand_escape(m: re.Match[str]) -> str:
    code = int(m.group(1) or m.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QuerySyntaxError(f"{m.group()} is not a Unicode character. Write the character.")
    return chr(code)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def canonical_text(sparql: str) -> str:
    """The one text both the checker and the engine read: escapes expanded, line ends ``\\n``.

    Engines differ on what ends a comment (rdflib: ``\\n``; Oxigraph: ``\\r`` too) and on where
    ``\\uXXXX`` escapes count (rdflib expands them everywhere first, Oxigraph only inside
    strings and IRIs). After this there is nothing left to differ on: no escape (expanded until
    none is left), no line break but ``\\n``, no other control character.

    >>> canonical_text("ASK { # \\r SERVICE <http://h/> {} \\n }")
    'ASK { # \\n SERVICE <http://h/> {} \\n }'

    Raises:
        QuerySyntaxError: a control character or an escape that is not a character.
    """
    text = sparql
    while True:  # each round shortens the text, so this ends
        expanded = _ESCAPE.sub(_expand_escape, text)
        if expanded == text:
            break
        text = expanded
    text = _LINE_BREAK.sub("\n", text)
    bad = _CONTROL.search(text)
    if bad:
        line, column = _position(text, bad.start())
        raise QuerySyntaxError(
            f"The query holds control character U+{ord(bad.group()):04X} at line {line}, "
            f"column {column}. Delete it and retype that part.",
            line,
            column,
        )
    return text


def is_our_graph(iri: str) -> bool:
    """Whether ``iri`` is a plain graph IRI of this knowledge graph (no dot segments, no
    percent-escapes, query or fragment), the only graphs FROM may name.

    >>> is_our_graph("https://w3id.org/ald-kg/graph/doc/review")
    True
    >>> is_our_graph("https://w3id.org/ald-kg/../../127.0.0.1/x")
    False
    """
    if not _OUR_GRAPH.fullmatch(iri):
        return False
    return not any(seg in (".", "..") for seg in iri[len(BASE) :].split("/"))


def _bare_words(sparql: str) -> Iterator[tuple[str, int]]:
    """Upper-cased keywords outside strings, IRIs and comments, with their offsets."""
    for m in _TOKEN.finditer(sparql):
        word = m.group("word")
        if word:
            yield word.upper(), m.start()


def _refuse(keyword: str, why: str) -> QueryRefused:
    return QueryRefused(f"Refused: {keyword} {why}. {READ_ONLY_HINT}")


_WHY = {
    "SERVICE": "would send part of the query to another server over the network",
    "LOAD": "would fetch a document from the network and write it into the store",
    "WITH": "starts an update that would change the store",
}


def _refuse_keyword(keyword: str) -> QueryRefused:
    return _refuse(keyword, _WHY.get(keyword, "is an update that would change the store"))


def _walk(node: Any) -> Iterator[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):  # ParseResults is a list subclass
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):
            stack.extend(list(item))


def _prologue_prefixes(prologue: Any) -> dict[str, str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    prefixes = dict(DEFAULT_PREFIXES)
    for decl in prologue or []:
        if isinstance(decl, CompValue) and decl.name == "PrefixDecl":
            prefixes[decl.get("prefix") or ""] = str(decl["iri"])
    return prefixes


def _dataset_iri(term: Any, prefixes: dict[str, str]) -> str:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term.get("prefix") or ""
        if prefix not in prefixes:
            raise QuerySyntaxError(f"Unknown prefix '{prefix}:' in FROM. Declare it with PREFIX.")
        return prefixes[prefix] + (term.get("localname") or "")
    return str(term)


def _parse(sparql: str) -> Any:
    """rdflib's parse tree of a query, or the right refusal / syntax error.

    rdflib's SPARQL grammar is imported here, not with the module: building it takes ~0.3 s,
    and generated queries (every question) never need it (:func:`run_generated`)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseQuery(sparql)
    except ParseException as e:
        query_error = e
    # Not a query. Is it an update (or a query with an update glued on)?
    words = [w for w, _ in _bare_words(sparql)]
    update_words = [w for w in words if w in _UPDATE_KEYWORDS]
    try:
        parseUpdate(sparql)
        is_update = True
    except ParseException:
        is_update = False
    if update_words:
        raise _refuse_keyword(update_words[0]) from None
    if is_update:
        raise _refuse("this text", "is a SPARQL Update that would change the store") from None
    if "SERVICE" in words:
        raise _refuse_keyword("SERVICE") from None
    line, col = query_error.lineno, query_error.col
    lines = sparql.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    raise QuerySyntaxError(
        f"SPARQL syntax error at line {line}, column {col}: {query_error.msg}.\n"
        f"  {shown}\n  {' ' * (col - 1)}^",
        line,
        col,
    ) from None


def prepare_query(sparql: str) -> CheckedQuery:
    """Check a user query and return the text to run: the one entry point for user SPARQL.

    Raises:
        QueryRefused: updates, SERVICE, FROM/FROM NAMED outside the project's graphs.
        QuerySyntaxError: not SPARQL; with ``line`` and ``column``.
    """
    if not isinstance(sparql, str) or not sparql.strip():
        raise QuerySyntaxError("The query is empty. " + READ_ONLY_HINT, 1, 1)
    text = canonical_text(sparql)
    try:
        form, has_dataset = _analyze(text)
    except RecursionError:  # rdflib's parser recurses once per level of nesting
        raise QuerySyntaxError(
            "The query nests groups or expressions too deeply to be checked. Flatten it "
            "(fewer nested { } or ( )).",
            1,
            1,
        ) from None
    return CheckedQuery(text, form, has_dataset)


def _analyze(sparql: str) -> tuple[str, bool]:
    """(form, has dataset clause) of a canonical query text that passes every check."""
    from rdflib.plugins.sparql.parserutils import CompValue

    parsed = _parse(sparql)
    prologue, body = parsed[0], parsed[1]
    form = body.name.removesuffix("Query").upper()
    if form not in QUERY_FORMS:  # pragma: no cover - the grammar has no other query forms
        raise _refuse(form, "is not a query form")
    prefixes = _prologue_prefixes(prologue)
    has_dataset = False
    for node in _walk(body):
        if not isinstance(node, CompValue):
            continue
        if node.name == "ServiceGraphPattern":
            raise _refuse_keyword("SERVICE")
        if node.name == "DatasetClause":
            has_dataset = True
            named = "named" in node
            iri = _dataset_iri(node.get("named") if named else node.get("default"), prefixes)
            if not is_our_graph(iri):
                keyword = "FROM NAMED" if named else "FROM"
                raise _refuse(
                    f"{keyword} <{iri}>",
                    f"names no graph of this knowledge graph (graphs are {BASE}graph/... "
                    "without ./ or ../ segments) and some engines would fetch it from the web; "
                    "drop the clause to query every graph",
                )
    # Defence in depth: a bare SERVICE/update keyword cannot occur in a valid query.
    for word, _ in _bare_words(sparql):
        if word in _FORBIDDEN_KEYWORDS:
            raise _refuse_keyword(word)
    return form, has_dataset


def check_query(sparql: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE) if it is safe to run.

    >>> check_query('SELECT * WHERE { ?s ?p "INSERT" }')
    'SELECT'

    Raises:
        QueryRefused: updates, SERVICE, FROM/FROM NAMED outside the project's graphs.
        QuerySyntaxError: not SPARQL; with ``line`` and ``column``.
    """
    return prepare_query(sparql).form


# --------------------------------------------------------------------------- running


def run_query(
    store: Store,
    sparql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 1000,
) -> QueryResult:
    """Check a user query, then run it with a time limit and a row limit.

    The text run is the checked one (:func:`prepare_query`), never the text as given. Queries
    see the union of all graphs unless they name graphs with FROM. Rows (or CONSTRUCT
    triples) beyond ``max_rows`` are dropped and ``truncated`` is set.

    Raises:
        QueryRefused, QuerySyntaxError: from :func:`prepare_query`, before anything runs.
        QueryTimeout: the query ran longer than ``timeout_s`` and was stopped.
        QueryError: the engine failed for another reason (or a limit is not a number > 0).
    """
    check_limits(timeout_s, max_rows)
    checked = prepare_query(sparql)
    start = time.perf_counter()
    result = store.query(
        checked.text,
        form=checked.form,
        union=not checked.has_dataset,
        prefixes=DEFAULT_PREFIXES,
        timeout_s=timeout_s,
        max_rows=max_rows,
    )
    return replace(result, elapsed_ms=(time.perf_counter() - start) * 1000)


def check_limits(timeout_s: float, max_rows: int) -> None:
    """Refuse limits that would not bound anything (0, negative, NaN, infinite).

    Raises:
        QueryError: with the value and what to give instead.
    """
    if not isinstance(timeout_s, int | float) or not math.isfinite(timeout_s) or timeout_s <= 0:
        raise QueryError(
            f"The time limit must be a number of seconds above 0, not {timeout_s!r}. "
            "Try --timeout 10."
        )
    if not isinstance(max_rows, int) or max_rows < 0:
        raise QueryError(
            f"The row limit must be a whole number, 0 or more, not {max_rows!r}. Try --limit 1000."
        )


def run_generated(
    store: Store, sparql: str, *, max_rows: int = 1000, timeout_s: float | None = None
) -> QueryResult:
    """Run a SELECT that this package generated (kg.ask, the app), in-process by default.

    Generated queries are safe by construction: values enter them only through
    :func:`sparql_literal` and :func:`sparql_iri`, and their patterns start from typed,
    selective nodes, so they are bounded without a worker. Skipping the parse check and the
    worker saves ~20-60 ms per question. Give ``timeout_s`` to run it in the killable worker
    (``QueryTimeout`` after that many seconds). User-typed SPARQL must go through
    :func:`run_query`.
    """
    start = time.perf_counter()
    result = store.query(
        sparql, form="SELECT", prefixes=DEFAULT_PREFIXES, timeout_s=timeout_s, max_rows=max_rows
    )
    return replace(result, elapsed_ms=(time.perf_counter() - start) * 1000)


def result_to_json(result: QueryResult) -> str:
    """The result as one JSON object (for ``kg query --json``)."""
    return json.dumps(
        {
            "form": result.form,
            "columns": result.columns,
            "rows": result.rows,
            "truncated": result.truncated,
            "boolean": result.boolean,
            "elapsed_ms": round(result.elapsed_ms, 1),
        },
        ensure_ascii=False,
        default=str,
    )
