"""The `kg` command line: thin wiring of the library, messages for people.

Library errors (IngestError, StoreError, QueryRefused, ...) become one readable line and a
non-zero exit here, and only here.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


class _Typer(typer.Typer):
    """A Typer app whose commands never end in a traceback.

    Our own errors (StoreError, QueryError, IngestError) that a command does not turn into a
    message itself become one line here; any other exception (a bug, or a dependency's error
    we did not foresee) becomes one line naming it, and exit code 1.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ingest.records import IngestError
        from kg.errors import QueryError, StoreError

        try:
            return super().__call__(*args, **kwargs)
        except (StoreError, QueryError, IngestError) as e:
            _last_word(str(e))
        except (OSError, RuntimeError, ValueError, LookupError, TypeError, RecursionError,
                MemoryError, SyntaxError, AttributeError) as e:  # fmt: skip
            text = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
            _last_word(
                f"unexpected {type(e).__name__}{': ' + text if text else ''}. Nothing was "
                "changed by it; if the input looks right, please report the command line."
            )


def _last_word(message: str) -> None:
    Console(stderr=True).print(f"[red]Error:[/red] {message}", highlight=False, soft_wrap=True)
    sys.exit(1)


app = _Typer(
    help=(
        "A knowledge graph of ALD/MLD coatings on alkali-metal anodes.\n\n"
        "Start with `kg ingest` (reads ../shared/corpus by default), then `kg stats`, "
        '`kg table coatings`, `kg ask "coatings stable over 1000 h on Na"` or '
        '`kg query "SELECT ..."`.'
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
table_app = _Typer(help="Comparison tables built from the graph.", no_args_is_help=True)
app.add_typer(table_app, name="table")

console = Console(stderr=True)
out = Console()

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = PROJECT_ROOT.parent / "shared" / "gold"

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="Store folder (default: $KG_STORE or .kg/).", show_default=False),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="SPARQL 1.1 server URL to use instead of the embedded store (or $KG_ENDPOINT).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def fail(message: str, code: int = 1) -> None:
    console.print(f"[red]Error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_any(store: str | None, endpoint: str | None, *, read_only: bool = False) -> Any:
    """The remote store when an endpoint is given, else the embedded one.

    A writer that finds another writer at work waits for it (and says so); a reader never
    waits: it reads the state before the write in progress.
    """
    from kg.stores import StoreError, open_backend

    def notify(message: str) -> None:
        console.print(f"[yellow]{message}[/yellow]", highlight=False)

    try:
        backend = open_backend(
            store_path=store, endpoint=endpoint, read_only=read_only, notify=notify
        )
    except StoreError as e:
        fail(str(e))
    for graph in getattr(backend, "recovered", []):
        console.print(
            f"[yellow]An earlier write was interrupted; put back {graph} as it was before.[/yellow]",
            highlight=False,
        )
    return backend


# ---------------------------------------------------------------------------- ingest


@app.command()
def ingest(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders: .txt, .md, .pdf, JATS .xml, .html, .bib, .ris, Scopus/WoS "
            ".csv (default: ../shared/corpus).",
            show_default=False,
        ),
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.", min=1)] = 1,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every extraction note.")
    ] = False,
) -> None:
    """Read papers, abstracts and exports into the graph, one named graph per document.

    The format is recognised from the content (else the suffix); an export (BibTeX, RIS, CSV)
    gives one document per record. Each document is reported with what it was read as (format,
    review or primary study) and what was found in it, or why nothing was.

    Idempotent: ingesting a document again replaces its graph. Every file is checked and built before anything is written, so a bad file leaves the store as it was.

    Examples: `kg ingest` (the default corpus), `kg ingest papers/ --jobs 2`, `kg ingest refs.bib --store /data/kg`.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ingest.records import IngestError
    from kg.pipeline import default_corpus
    from kg.pipeline import ingest as run_ingest
    from kg.store import StoreError

    paths = files or [default_corpus()]
    opened: list[Any] = []  # the store, opened by the pipeline once every document is built

    def open_backend() -> Any:
        opened.append(open_any(store, endpoint))
        return opened[-1]

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(
                    "Reading" if stage == "read" else "Writing", total=total
                )
            bar.update(tasks[stage], completed=done, total=total)

        try:
            result = run_ingest(paths, store=open_backend, jobs=jobs, progress=advance)
        except IngestError as e:
            fail(f"{e}\nNothing was written; the store is unchanged.")
        except StoreError as e:
            fail(str(e))
        finally:
            for backend in opened:
                if hasattr(backend, "close"):
                    backend.close()  # commit: readers see the whole batch from now on
    for doc in result.documents:
        _print_document(doc, verbose=verbose)
    console.print(
        f"Ingested {len(result.documents)} document(s) from {result.files} file(s) in "
        f"{result.seconds:.1f} s into {result.store}."
    )


def _print_document(doc: Any, *, verbose: bool) -> None:
    """One line per document: what it was read as and what was found, or why nothing was."""
    what = f"{doc.format}, {doc.kind}"
    if doc.coatings:
        console.print(
            f"[green]✓[/green] {doc.doc_id} ({what}): {doc.coatings} "
            f"{'coating' if doc.coatings == 1 else 'coatings'}, {doc.triples} triples",
            soft_wrap=True,
        )
    else:
        console.print(
            f"[yellow]✓[/yellow] {doc.doc_id} ({what}): no coating: {doc.reason}", soft_wrap=True
        )
    if verbose:
        for warning in doc.warnings:
            console.print(f"  [yellow]warning:[/yellow] {warning}", soft_wrap=True)
    elif doc.warnings:
        console.print(
            f"  {len(doc.warnings)} note(s) on facts left out (--verbose lists them)", style="dim"
        )


@app.command()
def docs(store: StoreOpt = None, endpoint: EndpointOpt = None, as_json: JsonOpt = False) -> None:
    """List the documents in the graph: id, the kind it was read as (review or primary study),
    its format, and why it was read as that kind."""
    backend = open_any(store, endpoint, read_only=True)
    described = document_kinds(backend)
    if as_json:
        out.print_json(json.dumps([described.get(d, {"doc": d}) for d in backend.documents()]))
        return
    for doc in backend.documents():
        info = described.get(doc, {})
        kind, fmt = info.get("kind") or "?", info.get("format") or "?"
        reason = f"  ({info['reason']})" if info.get("reason") else ""
        out.print(f"{doc:<40} {kind:<8} {fmt:<9}{reason}", soft_wrap=True, markup=False)


DOCUMENT_KINDS = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
SELECT ?doc ?kind ?format ?reason WHERE {
  GRAPH ?g { ?d akg:docId ?doc . OPTIONAL { ?d akg:documentKind ?kind }
             OPTIONAL { ?d akg:format ?format } OPTIONAL { ?d akg:kindReason ?reason } }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/ald-kg/graph/doc/"))
}"""


def document_kinds(backend: Any) -> dict[str, dict[str, Any]]:
    """doc id → {doc, kind, format, reason}, as each document's graph records them."""
    return {
        str(row["doc"]): {
            "doc": str(row["doc"]),
            "kind": row.get("kind"),
            "format": row.get("format"),
            "reason": row.get("reason"),
        }
        for row in backend.select(DOCUMENT_KINDS)
    }


@app.command()
def remove(
    doc: Annotated[str, typer.Argument(help="Document id, as `kg docs` lists it.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Remove one document's named graph."""
    from kg.stores import StoreError, doc_graph_iri

    if not doc or any(c.isspace() or c in '<>"{}|^`\\' for c in doc):
        fail(f'No document {doc!r}: ids hold no spaces or <>"{{}}|^`\\. `kg docs` lists them.')
    backend = open_any(store, endpoint)
    try:
        # Any other text that is no document id (a bad %-escape, undecodable bytes) is
        # simply not in the list: never made into an IRI.
        removed = doc in backend.documents() and backend.remove_graph(doc_graph_iri(doc))
    except StoreError as e:
        fail(str(e))
    finally:
        if hasattr(backend, "close"):
            backend.close()
    if not removed:
        fail(f"No document {doc!r} in the store. `kg docs` lists the documents.")
    from kg.crossdoc import refresh

    refresh(backend)  # a disagreement with the removed document is gone
    console.print(f"Removed {doc}.")


# ---------------------------------------------------------------------------- inspect


STATS_QUERY = """PREFIX akg: <https://w3id.org/ald-kg/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class } FILTER(STRSTARTS(STR(?g), "https://w3id.org/ald-kg/graph/doc/"))
} GROUP BY ?class ORDER BY DESC(?n)"""


@app.command()
def stats(store: StoreOpt = None, endpoint: EndpointOpt = None, as_json: JsonOpt = False) -> None:
    """Counts per class and the documents in the graph."""
    backend = open_any(store, endpoint, read_only=True)
    counts = {
        row["class"].split("#")[-1].split("/")[-1]: row["n"] for row in backend.select(STATS_QUERY)
    }
    documents = backend.documents()
    described = document_kinds(backend)
    if as_json:
        kinds = {d: {k: described.get(d, {}).get(k) for k in ("kind", "format")} for d in documents}
        out.print_json(json.dumps({"documents": documents, "classes": counts, "kinds": kinds}))
        return
    if not documents:
        console.print("The graph is empty. Run `kg ingest` first.")
        return
    table = Table(title=f"{backend.description}: {len(documents)} document(s)")
    table.add_column("class")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)
    listed = []
    for doc in documents:
        info = described.get(doc, {})
        listed.append(f"{doc} ({info.get('kind') or '?'}, {info.get('format') or '?'})")
    out.print("Documents: " + ", ".join(listed), markup=False)


@app.command()
def validate(store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from kg.validate import validate_store

    backend = open_any(store, endpoint, read_only=True)
    report = validate_store(backend)
    if report.conforms:
        console.print("[green]✓[/green] The graph conforms to ontology/shapes.ttl: 0 violations.")
        return
    out.print(report.text)
    fail(f"{report.violations} SHACL violation(s); see the report above.")


@app.command()
def query(
    sparql: Annotated[
        str, typer.Argument(help="A SELECT, ASK, CONSTRUCT or DESCRIBE query; - reads stdin.")
    ],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    timeout: Annotated[float, typer.Option(help="Seconds before the query is stopped.")] = 10.0,
    limit: Annotated[int, typer.Option(help="Most rows returned.")] = 1000,
) -> None:
    """Run read-only SPARQL (updates, SERVICE and LOAD are refused) with a time and row limit.

    The project's prefixes (akg:, akgv:, skos:, prov:, ...) are predeclared.
    """
    from kg.query import QueryError, check_limits, run_query
    from kg.stores import StoreError

    try:
        check_limits(timeout, limit)
    except QueryError as e:
        fail(str(e), code=2)
    if sparql == "-":
        sparql = sys.stdin.read()
    backend = open_any(store, endpoint, read_only=True)
    try:
        result = run_query(backend, sparql, timeout_s=timeout, max_rows=limit)
    except (QueryError, StoreError) as e:
        fail(str(e))
    if result.form == "ASK":
        out.print(json.dumps({"boolean": result.boolean}) if as_json else str(result.boolean))
        return
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        sys.stdout.write(result.triples_nt or "")
        if result.truncated:
            console.print(
                f"[yellow]Truncated at {limit} triples[/yellow] (use --limit to see more)."
            )
        return
    print_rows(result.columns, result.rows, as_json=as_json, as_csv=as_csv)
    if result.truncated:
        console.print(f"[yellow]Truncated at {limit} rows[/yellow] (use --limit to see more).")


def print_rows(
    columns: list[str], rows: list[dict[str, Any]], *, as_json: bool, as_csv: bool, title: str = ""
) -> None:
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        return
    table = Table(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    out.print(table)
    console.print(f"{len(rows)} row(s).")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="turtle, nt, nquads, trig, json-ld (one compacted document), json-ld-dataset "
            "(named graphs kept), xml, graphml, gexf, csv or cytoscape.",
        ),
    ] = "turtle",
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Write the graph for other tools (Protégé, Gephi, Cytoscape, Neo4j, SPARQL servers)."""
    from kg.export import ExportError
    from kg.export import export as do_export

    backend = open_any(store, endpoint, read_only=True)
    try:
        if output is None:
            do_export(backend, fmt, sys.stdout.buffer)
        else:
            with output.open("wb") as fh:
                do_export(backend, fmt, fh)
    except ExportError as e:
        if output is not None and output.exists() and output.stat().st_size == 0:
            output.unlink()
        fail(str(e))
    except OSError as e:  # a folder that does not exist, a full disk, a folder given as --out
        fail(f"Cannot write {output or 'to standard output'}: {e.strerror or e}. "
             "Choose another --out (its folder must exist).")  # fmt: skip
    if output is not None:
        console.print(f"Wrote {output} ({output.stat().st_size:,} bytes, {fmt}).")


@table_app.command("coatings")
def table_coatings(
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """One row per coating: doc, ref, year, material, technique, substrate, precursors, ..."""
    from kg.table import COLUMNS, SUMMARY_COLUMNS, coatings_table, flat_row

    backend = open_any(store, endpoint, read_only=True)
    records = coatings_table(backend)
    if as_json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return
    if as_csv:
        print_rows(COLUMNS, [flat_row(r) for r in records], as_json=False, as_csv=True)
        return
    print_rows(
        SUMMARY_COLUMNS,
        [flat_row(r) for r in records],
        as_json=False,
        as_csv=False,
        title="Coatings",
    )


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[
        str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless you mean it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=0, max=65535)] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run on the server.")] = 10.0,
    limit: Annotated[int, typer.Option(help="Most rows (or triples) one answer holds.")] = 100_000,
    max_concurrent: Annotated[
        int,
        typer.Option(
            help="Queries run at once (each may take a core and 1 GB); more get 503 + Retry-After.",
            min=1,
            max=64,
        ),
    ] = 4,
) -> None:
    """Publish the store read-only as a SPARQL 1.1 endpoint (YASGUI, Protégé, curl, ...).

    Every query passes the same check as `kg query` (updates, SERVICE and foreign FROM are
    refused) and runs with a time limit and a row limit, answered from an in-memory copy of
    the store when it fits (reloaded when `kg ingest` or `kg remove` commits). Queries see the
    union of all documents' graphs. At most --max-concurrent queries run at once; one more is
    answered at once with 503 and Retry-After. Ctrl+C (or SIGTERM/SIGHUP) stops it.
    """
    from kg.query import QueryError, check_limits
    from kg.stores import StoreError, has_store, store_location
    from kg.stores.server import serve as start_server

    try:
        check_limits(timeout, limit)
    except QueryError as e:
        fail(str(e), code=2)
    location = store_location(store)
    if not has_store(location):
        fail(f"No graph at {location} yet. Run `kg ingest` first.")
    try:
        server = start_server(
            location,
            host=host,
            port=port,
            timeout_s=timeout,
            max_rows=limit,
            max_concurrent=max_concurrent,
        )
    except StoreError as e:
        fail(str(e))
    console.print(
        f"SPARQL endpoint (read-only) at [bold]{server.url}/query[/bold] — "
        f"e.g. `curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * {{?s ?p ?o}} LIMIT 5' {server.url}/query`. "
        "Ctrl+C stops it."
    )
    server.wait()


# ---------------------------------------------------------------------------- evaluation


@app.command("eval-extract")
def eval_extract(
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Gold JSON: the review's table rows (default) or the devset's gold_coatings.json."
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Ingest these documents (a file or folder) into a fresh in-memory store and "
            "score that, instead of reading --store."
        ),
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    as_json: JsonOpt = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only the per-document and overall figures.")
    ] = False,
) -> None:
    """Strict field-level precision, recall and F1 of the extracted coatings against gold.

    Extracted values that match no gold value count against precision; outcomes are compared on
    kind, value, unit and comparator; coatings that match no gold coating are listed and their
    values count as false positives. Lines: `ok` all right, `!!` matched with errors, `--` not
    extracted, `++` extracted but not in the gold.

    Examples: `kg eval-extract --corpus ../shared/corpus`,
    `kg eval-extract --gold ../shared/devset/gold_coatings.json --corpus ../shared/devset/docs`.
    """
    from kg.evaluate import evaluate_table

    gold_path = gold or GOLD_DIR / "table_rows_dev.json"
    gold_data = read_gold(gold_path, "gold_coatings.json")
    backend = (
        _scratch_store(corpus) if corpus is not None else open_any(store, endpoint, read_only=True)
    )
    try:
        report = evaluate_table(backend, gold_data)
    except ValueError as e:
        fail(f"{gold_path}: {e}")
    except (KeyError, TypeError, AttributeError) as e:
        fail(f"{gold_path}: not a gold file of the expected shape ({type(e).__name__}: {e}). "
             "Pass a file such as gold_coatings.json or table_rows_dev.json.")  # fmt: skip
    if as_json:
        out.print_json(data=report)
        return
    if not quiet:
        for line in report["lines"]:
            out.print(line, highlight=False, soft_wrap=True)
    for doc, figures in report["documents"].items():
        out.print(f"{doc}: {_figures(figures)}", highlight=False, soft_wrap=True)
    out.print(_figures(report), highlight=False, soft_wrap=True)


#: Gold files larger than this are not gold files.
GOLD_MAX_BYTES = 64 * 2**20


def read_gold(path: Path, example: str) -> Any:
    """A gold JSON file's content, or one line saying why it is not one (missing, not a
    regular file such as a FIFO or /dev/zero, too big, not JSON, nested too deep)."""
    import stat

    try:
        info = path.stat()
    except OSError as e:
        fail(f"No gold file at {path} ({e.strerror or e}). Pass --gold PATH.")
    if not stat.S_ISREG(info.st_mode):
        fail(f"{path}: not a regular file. Pass a gold file such as {example}.")
    if info.st_size > GOLD_MAX_BYTES:
        fail(f"{path}: {info.st_size / 2**20:.0f} MB is too big for a gold file. Pass a file "
             f"such as {example}.")  # fmt: skip
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as e:
        fail(f"{path}: not readable JSON ({type(e).__name__}: {str(e)[:200]}). Pass a gold file "
             f"such as {example}.")  # fmt: skip


def _figures(report: dict[str, Any]) -> str:
    return (
        f"tp {report['tp']}  fp {report['fp']}  fn {report['fn']}  precision "
        f"{report['precision']:.3f}  recall {report['recall']:.3f}  F1 {report['f1']:.3f}"
    )


def _scratch_store(corpus: Path) -> Any:
    """An in-memory store holding ``corpus``; a document that cannot be read is named, skipped."""
    from ingest.records import IngestError
    from kg.pipeline import build_path, find_documents, write
    from kg.store import open_store

    try:
        documents = find_documents([corpus])
    except IngestError as e:
        fail(str(e))
    backend = open_store(memory=True)
    backend.ensure_ontology()
    for path in documents:
        try:
            built = build_path(path)
        except IngestError as e:
            console.print(f"[yellow]skipped:[/yellow] {e}", highlight=False, soft_wrap=True)
            continue
        write(built, store=backend)
    return backend


# ---------------------------------------------------------------------------- ask, search, eval


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help='A question, e.g. "coatings stable over 1000 h on Na".')
    ],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
    limit: Annotated[int, typer.Option(help="Most rows shown.", min=1)] = 200,
    timeout: Annotated[
        float, typer.Option(help="Seconds before the question is stopped.", min=0.1, max=600)
    ] = 10.0,
) -> None:
    """Answer a question in words: how it read each word, a one-line answer, rows, evidence.

    Lists ("oxide coatings on lithium"), superlatives ("thinnest coating on Li", "best CE"),
    comparisons ("which is thicker, ZrO2 or LiAlOx?"), counts ("how many MLD coatings?"),
    values ("at what temperature was LiF deposited?"), authors ("papers by Gary Rubloff"),
    exclusions ("non-oxide coatings"). Typos are read and said; a term it cannot read gives
    an empty answer with a suggestion rather than a wider one. Runs in a worker process with
    a time limit (--timeout) and a memory budget, like kg query.
    """
    from kg.ask import QuestionError, ask_bounded
    from kg.query import QueryError

    try:
        from kg.ask import interpret

        interpret(question)  # refuse an unreadable question before opening the store
    except QuestionError as e:
        fail(str(e), code=2)
    backend = open_any(store, endpoint, read_only=True)
    try:
        answer = ask_bounded(question, backend, limit=limit, timeout_s=timeout)
    except QuestionError as e:
        fail(str(e), code=2)
    except QueryError as e:
        fail(str(e))
    if as_json:
        data = answer.to_json()
        data.pop("mode", None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        return
    if as_csv:
        print_rows(answer.columns, answer.rows, as_json=False, as_csv=True)
        return
    console.print(f"[bold]Interpretation:[/bold] {answer.interpretation}", highlight=False)
    console.print(f"[bold]Answer:[/bold] {answer.summary}", highlight=False)
    shown = [c for c in answer.columns if c not in ("evidence", "doc")]
    print_rows(shown, answer.rows, as_json=False, as_csv=False, title=question)
    for ev in answer.evidence[:10]:
        where = ", ".join(
            str(x) for x in (f"[{ev['ref']}]" if ev.get("ref") else None, ev.get("location")) if x
        )
        out.print(f"[dim]{where}:[/dim] {ev['text']}", highlight=False)


@app.command()
def search(
    words: Annotated[str, typer.Argument(help="Words to look for in labels and evidence.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    as_json: JsonOpt = False,
    limit: Annotated[int, typer.Option(help="Most hits shown.", min=0)] = 20,
) -> None:
    """Keyword search over labels, aliases and evidence sentences, best first."""
    from kg.search import search as do_search

    backend = open_any(store, endpoint, read_only=True)
    hits = do_search(words, backend, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, default=str) + "\n")
        return
    rows = [
        {
            "score": h["score"],
            "kind": h["kind"],
            "label": h["label"],
            "ref": h["source"].get("ref"),
            "location": h["source"].get("location"),
        }
        for h in hits
    ]
    print_rows(["score", "kind", "label", "ref", "location"], rows, as_json=False, as_csv=False)


@app.command("eval")
def eval_questions(
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Gold questions JSON: the review's (refs) or the devset's ({doc, ref} answers)."
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Ingest these documents (a file or folder) into a fresh in-memory store and "
            "ask that, instead of reading --store."
        ),
    ] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Precision, recall and F1 of `kg ask` per gold question, then macro-averaged.

    Examples: `kg eval --corpus ../shared/corpus`,
    `kg eval --gold ../shared/devset/questions_dev2.json --corpus ../shared/devset/docs`.
    """
    from kg.ask import QuestionError, ask_bounded
    from kg.askeval import macro, score_any
    from kg.query import QueryError

    gold_path = gold or GOLD_DIR / "questions_dev.json"
    items = read_gold(gold_path, "questions_dev.json")
    if not isinstance(items, list) or not all(isinstance(i, dict) and "q" in i for i in items):
        fail(f"{gold_path}: expected a list of questions, each with a 'q'.")
    backend = (
        _scratch_store(corpus) if corpus is not None else open_any(store, endpoint, read_only=True)
    )
    scores = []
    for item in items:
        try:
            rows = ask_bounded(item["q"], backend).rows
        except (QueryError, QuestionError) as e:
            console.print(f"[yellow]{item['q']}: {e}[/yellow]", highlight=False)
            rows = []
        score = score_any(item, rows)
        scores.append(score)
        out.print(score.line(), highlight=False, soft_wrap=True)
    total = macro(scores)
    out.print(
        f"macro precision {total['precision']:.3f}  recall {total['recall']:.3f}  "
        f"F1 {total['f1']:.3f}  labels {total['labels_ok']}/{total['labels_total']}  "
        f"({len(scores)} questions)",
        highlight=False,
    )


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
