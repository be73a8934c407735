"""Safe, read-only SPARQL for ``kg query``, ``kg ask`` and the app.

Every user query goes through :func:`check_query` before any engine sees it: the query must parse
as SELECT, ASK, CONSTRUCT or DESCRIBE; updates, ``SERVICE`` (both rdflib and pyoxigraph would
make the HTTP request: SSRF) and ``FROM``/``FROM NAMED`` with IRIs outside the project are
refused. :func:`run_query` then runs it with a real time limit: pyoxigraph has no timeout, so the
query runs in a forked worker process that is killed when the time is up, and a row limit.

Values are inserted into SPARQL text only through :func:`sparql_literal` and :func:`sparql_iri`.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing as mp
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.namespaces import BASE
from kg.store import OxigraphStore, StoreError, term_to_python

if TYPE_CHECKING:
    from kg.remote import RemoteStore

__all__ = [
    "DEFAULT_PREFIXES",
    "QUERY_FORMS",
    "CheckedQuery",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "WorkerMemoryError",
    "call_in_worker",
    "canonical_text",
    "check_query",
    "is_our_graph",
    "prefix_block",
    "prepare_query",
    "result_to_json",
    "run_query",
    "sparql_iri",
    "sparql_literal",
]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
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


class QueryError(Exception):
    """Base of the errors a user query can raise; the message says what to try."""


class QueryRefused(QueryError):
    """The query would write, fetch from the network or read outside the project's graphs."""


class QuerySyntaxError(QueryError):
    """The text is not valid SPARQL; ``line`` and ``column`` (1-based) point at the problem."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class QueryTimeout(QueryError):
    """The query ran past its time limit and its worker was stopped."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            f"The query ran longer than {timeout_s:g} s and was stopped. "
            "Add LIMIT or narrower patterns, or raise --timeout."
        )
        self.timeout_s = timeout_s


@dataclass(frozen=True)
class QueryResult:
    """A query's answer as plain values, safe to pickle, print as JSON or show in a table.

    ``rows`` maps each column to a plain Python value (IRIs as strings, numbers as numbers,
    unbound as None); ``row_types`` gives each bound value's kind (``iri``, ``bnode``,
    ``literal``, ``triple``) so IRIs can be shown as links. CONSTRUCT and DESCRIBE give rows
    with ``subject``, ``predicate``, ``object`` and the same triples as N-Triples.
    """

    form: str
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    boolean: bool | None = None
    triples_nt: str | None = None
    elapsed_ms: float = 0.0
    row_types: list[dict[str, str]] = field(default_factory=list)


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
    prefixes = dict(DEFAULT_PREFIXES)
    for decl in prologue or []:
        if isinstance(decl, CompValue) and decl.name == "PrefixDecl":
            prefixes[decl.get("prefix") or ""] = str(decl["iri"])
    return prefixes


def _dataset_iri(term: Any, prefixes: dict[str, str]) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term.get("prefix") or ""
        if prefix not in prefixes:
            raise QuerySyntaxError(f"Unknown prefix '{prefix}:' in FROM. Declare it with PREFIX.")
        return prefixes[prefix] + (term.get("localname") or "")
    return str(term)


def _parse(sparql: str) -> Any:
    """rdflib's parse tree of a query, or the right refusal / syntax error."""
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
    form, has_dataset = _analyze(text)
    return CheckedQuery(text, form, has_dataset)


def _analyze(sparql: str) -> tuple[str, bool]:
    """(form, has dataset clause) of a canonical query text that passes every check."""
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


def _term_kind(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return "iri"
    if isinstance(term, ox.BlankNode):
        return "bnode"
    if isinstance(term, ox.Literal):
        return "literal"
    return "triple"


def _execute(store: ox.Store, sparql: str, form: str, union: bool, max_rows: int) -> dict[str, Any]:
    """Run a checked query and return its answer as picklable plain values."""
    result = store.query(sparql, use_default_graph_as_union=union, prefixes=DEFAULT_PREFIXES)
    if form == "ASK":
        return {"columns": [], "rows": [], "truncated": False, "boolean": bool(result)}
    rows: list[dict[str, Any]] = []
    types: list[dict[str, str]] = []
    truncated = False
    if form == "SELECT":
        columns = [v.value for v in result.variables]
        for solution in result:
            if len(rows) == max_rows:
                truncated = True
                break
            values = [(c, solution[c]) for c in columns]
            rows.append({c: term_to_python(t) for c, t in values})
            types.append({c: _term_kind(t) for c, t in values if t is not None})
        return {"columns": columns, "rows": rows, "row_types": types, "truncated": truncated}
    columns = ["subject", "predicate", "object"]
    triples = []
    for triple in result:
        if len(triples) == max_rows:
            truncated = True
            break
        triples.append(triple)
        terms = zip(columns, (triple.subject, triple.predicate, triple.object), strict=True)
        terms = list(terms)
        rows.append({c: term_to_python(t) for c, t in terms})
        types.append({c: _term_kind(t) for c, t in terms})
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return {
        "columns": columns,
        "rows": rows,
        "row_types": types,
        "truncated": truncated,
        "triples_nt": nt.decode("utf-8"),
    }


def _execute_read_only(
    path: str, sparql: str, form: str, union: bool, max_rows: int
) -> dict[str, Any]:
    """Open the on-disk store read-only and run the query, retrying a few times because the
    writer may compact away a file between our reading its manifest and opening the file."""
    attempts = 10
    for attempt in range(attempts):
        try:
            return _execute(ox.Store.read_only(path), sparql, form, union, max_rows)
        except (OSError, RuntimeError) as e:
            transient = any(s in str(e) for s in ("No such file", "Corruption", "IO error"))
            if not transient or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))  # up to ~2 s in all, on a busy machine
    raise AssertionError("unreachable")  # pragma: no cover


#: Memory a worker may allocate beyond what it inherited, unless the caller says otherwise.
WORKER_MEMORY_MB = 1024


class WorkerMemoryError(QueryError):
    """The worker needed more memory than its budget and was stopped."""


def _limit_memory(budget_mb: int) -> None:
    """Cap this process's address space at what it maps now plus ``budget_mb``."""
    import os
    import resource

    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + budget_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _call_worker(conn: Any, func: Any, args: tuple[Any, ...], memory_mb: int | None) -> None:
    """Child process body: call ``func(*args)``, send the outcome on ``conn`` and exit."""
    try:
        if memory_mb is not None:
            with contextlib.suppress(OSError, ValueError):  # no /proc or no rlimit: no budget
                _limit_memory(memory_mb)
        conn.send(("ok", func(*args)))
    except MemoryError:
        conn.send(("memory", ""))
    except SyntaxError as e:
        conn.send(("syntax", str(e)))
    except BaseException as e:
        try:
            conn.send(("raise", e))
        except Exception:  # an exception that does not pickle: its text is enough
            conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def call_in_worker(
    func: Any, *args: Any, timeout_s: float, memory_mb: int | None = WORKER_MEMORY_MB
) -> Any:
    """``func(*args)`` in a forked child killed after ``timeout_s`` or beyond ``memory_mb``.

    The one time-and-memory limit of the package: user SPARQL (:func:`run_query`) and whole
    ``kg ask`` questions run through it. Fork: the child inherits the imported modules and any
    in-memory store (copy-on-write), so starting costs milliseconds; an on-disk store must be
    reopened inside ``func`` (RocksDB handles are not meant to cross a fork). An exception
    ``func`` raises is raised here as it was when it pickles, else as :class:`QueryError`.

    Raises:
        QueryTimeout: the time was up. WorkerMemoryError: the memory budget was exceeded.
    """
    if "fork" not in mp.get_all_start_methods():  # pragma: no cover - Windows
        return func(*args)
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_call_worker, args=(sender, func, args, memory_mb), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            process.kill()
            raise QueryTimeout(timeout_s)
        try:
            kind, payload = receiver.recv()
        except EOFError:
            process.join(1)
            raise WorkerMemoryError(
                f"The worker stopped unexpectedly (exit code {process.exitcode}), most likely "
                f"out of its {memory_mb} MB memory budget. Ask a narrower question or add LIMIT."
            ) from None
    finally:
        receiver.close()
        process.join(5)
    if kind == "memory":
        raise WorkerMemoryError(
            f"The work needed more than its {memory_mb} MB memory budget and was stopped. "
            "Ask a narrower question or add LIMIT."
        )
    if kind == "syntax":
        raise _syntax_from_engine(payload)
    if kind == "raise":
        raise payload
    if kind == "error":
        raise QueryError(f"The query failed: {payload}")
    return payload


def _execute_in_child(
    store: ox.Store | None, path: str | None, sparql: str, form: str, union: bool, max_rows: int
) -> dict[str, Any]:
    if store is not None:
        return _execute(store, sparql, form, union, max_rows)
    return _execute_read_only(path or "", sparql, form, union, max_rows)


def _syntax_from_engine(message: str) -> QuerySyntaxError:
    m = re.search(r"error at (\d+):(\d+)", message)
    line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    return QuerySyntaxError(f"SPARQL syntax error: {message}", line, col)


def _run_in_worker(
    store: OxigraphStore, sparql: str, form: str, union: bool, timeout_s: float, max_rows: int
) -> dict[str, Any]:
    in_memory = store.path is None
    try:
        return call_in_worker(
            _execute_in_child,
            store.raw if in_memory else None,
            None if in_memory else str(store.path),
            sparql,
            form,
            union,
            max_rows,
            timeout_s=timeout_s,
            memory_mb=None,
        )
    except (QueryError, StoreError):
        raise
    except Exception as e:  # the engine's own errors (OSError, RuntimeError, ValueError)
        raise QueryError(f"The query failed: {type(e).__name__}: {e}") from None


def run_query(
    store: OxigraphStore | RemoteStore,
    sparql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 1000,
) -> QueryResult:
    """Check a user query, then run it with a time limit and a row limit.

    Queries see the union of all graphs unless they name graphs with FROM. Rows beyond
    ``max_rows`` are dropped and ``truncated`` is set.

    Raises:
        QueryRefused, QuerySyntaxError: from :func:`check_query`, before anything runs.
        QueryTimeout: the query ran longer than ``timeout_s`` and was stopped.
        QueryError: the engine failed for another reason.
    """
    checked = prepare_query(sparql)
    form, has_dataset, sparql = checked.form, checked.has_dataset, checked.text
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be positive, not {timeout_s}.")
    if max_rows < 0:
        raise ValueError(f"max_rows must be 0 or more, not {max_rows}.")
    start = time.perf_counter()
    if isinstance(store, OxigraphStore):
        payload = _run_in_worker(store, sparql, form, not has_dataset, timeout_s, max_rows)
    else:
        payload = store.execute(
            prefix_block(_missing_prefixes(sparql)) + sparql,
            form,
            timeout_s=timeout_s,
            max_rows=max_rows,
        )
    return QueryResult(
        form=form,
        columns=payload["columns"],
        rows=payload["rows"],
        truncated=payload["truncated"],
        boolean=payload.get("boolean"),
        triples_nt=payload.get("triples_nt"),
        elapsed_ms=(time.perf_counter() - start) * 1000,
        row_types=payload.get("row_types", []),
    )


def run_generated(
    store: OxigraphStore | RemoteStore, sparql: str, *, max_rows: int = 1000
) -> QueryResult:
    """Run a SELECT that this package generated (kg.ask, the app), in-process.

    Generated queries are safe by construction: values enter them only through
    :func:`sparql_literal` and :func:`sparql_iri`, and their patterns start from typed,
    selective nodes, so they are bounded without a worker. Skipping the parse check and the
    worker saves ~20-60 ms per question. User-typed SPARQL must go through :func:`run_query`.
    """
    start = time.perf_counter()
    if isinstance(store, OxigraphStore):
        payload = _execute(store.raw, sparql, "SELECT", True, max_rows)
    else:
        payload = store.execute(
            prefix_block(_missing_prefixes(sparql)) + sparql,
            "SELECT",
            timeout_s=10.0,
            max_rows=max_rows,
        )
    return QueryResult(
        form="SELECT",
        columns=payload["columns"],
        rows=payload["rows"],
        truncated=payload["truncated"],
        elapsed_ms=(time.perf_counter() - start) * 1000,
        row_types=payload.get("row_types", []),
    )


def _missing_prefixes(sparql: str) -> dict[str, str]:
    """Default prefixes the query uses without declaring (a remote server does not know them)."""
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w.-]*):", sparql)}
    return {k: v for k, v in DEFAULT_PREFIXES.items() if k not in declared}


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
