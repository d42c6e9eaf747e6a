"""The ``peacegraph`` command: a thin layer over the library.

Exit codes: 0 ok; 1 validation failed (SHACL, OWL consistency); 2 input or
usage error (bad seed files, unknown question or parameter, missing graph).
Heavy libraries are imported inside the commands that need them, so that
``peacegraph query`` starts fast.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import click

from peacegraph import __version__
from peacegraph.errors import PeacegraphError

#: The canned question the build answers, to show a newcomer what the graph is for.
DEMO_QUESTION = "agreement-roles"

REASONER_OPTION = click.option(
    "--reasoner",
    type=click.Choice(["hermit", "hermit-full", "pellet"]),
    default="hermit",
    show_default=True,
    help=(
        "hermit: inference rules on pyoxigraph, HermiT's consistency check on a summary of the data; "
        "hermit-full: HermiT on all of the data, with its own inferences (slow at scale); "
        "pellet: as hermit, with Pellet (needs a newer Java than 17 with owlready2 0.50-0.51)."
    ),
)
GRAPH_DIR_OPTION = click.option(
    "--graph-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the graph is written/read (default: graph/ in the repository).",
)

VALIDATOR_OPTION = click.option(
    "--validator",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="SHACL validator: the shapes compiled to SPARQL on pyoxigraph, or pySHACL (the reference; much slower).",
)

SEEDS_OPTION = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder laid out like seeds/ (documents/, facts/) to use instead of the repository's.",
)


def handle_errors(command):
    """Turn PeacegraphError into a message on stderr and its exit code; no tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PeacegraphError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:
            # The reader stopped reading (`| head`): its choice, not an error. Point stdout at /dev/null so
            # that Python's own flush at exit does not complain either.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as err:  # the machine said no (disk full, file too large, permission): one line, not a traceback
            where = f" ({err.filename})" if err.filename else ""
            click.echo(f"error: {err.strerror or err}{where}", err=True)
            sys.exit(2)

    return wrapper


class LazyGroup(click.Group):
    """A group whose heavier subcommands are imported only when invoked (click's lazy-loading pattern)."""

    def __init__(self, *args, lazy_subcommands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            import importlib

            module, _, attribute = self.lazy_subcommands[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, cmd_name)


#: Subcommands that live beside their library code, imported on use so `peacegraph query` starts fast.
LAZY_SUBCOMMANDS = {
    "export": "peacegraph.export.command:export_command",
    "docs": "peacegraph.docs:docs_command",
    "add-document": "peacegraph.curate.commands:add_document_command",
    "draft": "peacegraph.curate.commands:draft_command",
    "accept": "peacegraph.curate.commands:accept_command",
}


@click.group(cls=LazyGroup, lazy_subcommands=LAZY_SUBCOMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peacegraph")
def main() -> None:
    """A sourced knowledge graph of the Armenia-Azerbaijan conflict and peace process.

    Exit codes: 0 ok, 1 validation failed, 2 input or usage error.
    """


def _status_lines(report) -> list[str]:
    cur = report.curation
    lines = [f"PASS load: {len(cur.documents)} documents, {len(cur.entities)} entities, {len(cur.facts)} facts, every quote found verbatim"]
    if report.violations:
        lines.append(f"FAIL shacl: {len(report.violations)} violation(s)")
        lines += [f"  {v}" for v in report.violations]
    else:
        lines.append("PASS shacl: 0 violations")
    status = report.reasoning.status
    word = {"consistent": "PASS", "inconsistent": "FAIL", "skipped": "SKIP"}[status]
    lines.append(f"{word} reasoning: {report.reasoning.detail}")
    lines += [f"  {c}" for c in report.reasoning.culprits]
    from peacegraph.validate.quality import report_lines

    lines += report_lines(report.qc, max_rows=20)
    return lines


@main.command()
@SEEDS_OPTION
@click.option("--reason/--no-reason", default=True, show_default=True, help="Run the OWL reasoner (HermiT, needs Java).")
@REASONER_OPTION
@VALIDATOR_OPTION
@handle_errors
def check(seeds_dir: Path | None, reason: bool, reasoner: str, validator: str) -> None:
    """Run every check on seeds/ and ontology/; write nothing. Prints PASS/FAIL lines."""
    from peacegraph.build import Inputs
    from peacegraph.build import check as run_check

    report = run_check(Inputs.from_seeds(seeds_dir), reason=reason, reasoner=reasoner, validator=validator)
    for line in _status_lines(report):
        click.echo(line)
    sys.exit(0 if report.ok else 1)


@main.command()
@SEEDS_OPTION
@GRAPH_DIR_OPTION
@click.option("--reason/--no-reason", default=True, show_default=True, help="Run the OWL reasoner (HermiT, needs Java).")
@REASONER_OPTION
@click.option("--quiet", is_flag=True, help="Print only errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the inputs have not changed since the last build.")
@VALIDATOR_OPTION
@handle_errors
def build(seeds_dir: Path | None, graph_dir: Path | None, reason: bool, reasoner: str, quiet: bool, force: bool, validator: str) -> None:
    """Check seeds/ and write graph/ (atomically), then answer one canned question.

    When seeds, ontology, shapes, quality rules, options and tool are those graph/ was built from,
    nothing is rebuilt (graph/build-inputs.json records them); --force rebuilds.
    """
    from peacegraph import paths, progress
    from peacegraph.build import Inputs
    from peacegraph.build import build as run_build
    from peacegraph.write.files import GraphWriteError

    progress.set_quiet(quiet)
    started = time.perf_counter()
    try:
        report = run_build(
            Inputs.from_seeds(seeds_dir), graph_dir=graph_dir, reason=reason, reasoner=reasoner, validator=validator, force=force
        )
    except OSError as err:  # before the switch (write_files reports its own): graph/ is untouched
        where = f" ({err.filename})" if err.filename else ""
        raise GraphWriteError(f"the build failed: {err.strerror or err}{where}; graph/ was left as it was") from None
    if report is None:
        if not quiet:
            where = graph_dir or paths.GRAPH_DIR
            click.echo(
                f"PASS build: {where} is up to date: its inputs have not changed since it was built "
                f"({time.perf_counter() - started:.2f}s); nothing rebuilt (--force rebuilds)"
            )
            _demo(graph_dir)
        return
    if quiet:
        return
    for line in _status_lines(report):
        click.echo(line)
    total = time.perf_counter() - started
    click.echo(f"PASS write: {', '.join(str(p.name) for p in report.written)} in {report.written[0].parent}")
    if report.reasoning.inferred is None:
        click.echo("  (no inferred triples: reasoning did not run)")
    click.echo("")
    click.echo(
        f"{len(report.curation.entities)} entities; {len(report.curation.facts)} facts; "
        f"{len(report.data)} triples in {paths.DATA_FILE_NAME} (data and provenance), "
        f"{report.full_size} in {paths.FULL_FILE_NAME} (with the ontology and statement properties)"
    )
    click.echo("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()) + f"; total {total:.2f}s")
    click.echo("")
    from peacegraph.query.results import format_table

    click.echo(
        format_table(
            ["class", "instances", "triples"], [{"class": c, "instances": str(n), "triples": str(t)} for c, n, t in report.class_counts()]
        )
    )
    click.echo("")
    _demo(graph_dir)


def _demo(graph_dir: Path | None) -> None:
    """Answer the demo question, to show a newcomer what the graph is for."""
    from peacegraph.query.canned import get_query, run
    from peacegraph.query.results import render

    question = get_query(DEMO_QUESTION)
    click.echo(f"Canned question '{DEMO_QUESTION}': {question.summary}")
    click.echo(render(run(DEMO_QUESTION, graph_dir=graph_dir), "table"))


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format; json is the SPARQL 1.1 JSON results format. CONSTRUCT/DESCRIBE print Turtle.",
)
ENDPOINT_OPTION = click.option(
    "--endpoint", metavar="URL", default=None, help="Run on this SPARQL 1.1 endpoint instead of the embedded store."
)
INFERRED_OPTION = click.option(
    "--inferred/--asserted-only",
    default=False,
    show_default=True,
    help="Also query the triples the OWL reasoner inferred (graph/peacegraph-inferred.ttl).",
)


class Seconds(click.ParamType):
    """A finite number of seconds from 0.1 to 86400 (``nan``, ``inf`` and ``1e300`` are refused)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        from peacegraph.query.limits import check_timeout

        try:
            return check_timeout(value)
        except (TypeError, ValueError) as err:
            self.fail(str(err) if "seconds" in str(err) else f"{value!r} is not a number of seconds", param, ctx)


TIMEOUT_OPTION = click.option(
    "--timeout",
    type=Seconds(),
    default=30.0,
    show_default=True,
    help="Seconds the whole command may take (0.1 to 86400); past them the query is stopped.",
)
MAX_ROWS_OPTION = click.option(
    "--max-rows",
    type=click.IntRange(1, 10**9),
    default=100_000,
    show_default=True,
    help="Refuse an answer with more rows (CONSTRUCT: triples) than this.",
)
MAX_BYTES_OPTION = click.option(
    "--max-bytes",
    type=click.IntRange(1, 2**40),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Refuse a remote answer, or a Turtle result, of more bytes than this.",
)
WIDE_OPTION = click.option(
    "--wide",
    is_flag=True,
    help="Table: show every cell whole, however wide (by default long cells are cut with an ellipsis to fit the terminal).",
)


def _table_width(wide: bool) -> int | None:
    """Characters per table line: the terminal's width, or $COLUMNS when output is not a terminal; None for --wide or neither."""
    import os
    import shutil

    if wide:
        return None
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"parameter {item!r} is not NAME=VALUE")
        values[key.strip()] = value
    return values


#: Output formats written row by row as the embedded engine streams an ad-hoc answer (a table needs every row for its widths).
STREAMED_FORMATS = ("csv", "tsv", "json", "markdown")


def _emit(result, fmt: str, width: int | None = None) -> None:
    from peacegraph.query.results import ResultSet, RowStream, render, render_pieces

    if isinstance(result, RowStream):
        for piece in render_pieces(result.columns, result.chunks, fmt):
            click.echo(piece, nl=False)
        click.echo("")
    elif isinstance(result, ResultSet):
        click.echo(render(result, fmt, width))
        for hint in result.hints:
            click.echo(f"hint: {hint}", err=True)
    else:
        click.echo(result.decode("utf-8") if isinstance(result, bytes) else str(result), nl=False)


@main.command()
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value: an IRI, ent:<id>, label or alias, date or text.",
)
@FORMAT_OPTION
@ENDPOINT_OPTION
@TIMEOUT_OPTION
@MAX_ROWS_OPTION
@MAX_BYTES_OPTION
@INFERRED_OPTION
@click.option(
    "--all-ranks",
    is_flag=True,
    help="Also show statements deprecated as known errors of their source (questions with a rank column).",
)
@WIDE_OPTION
@click.option("--brief", is_flag=True, help="Leave out the quote columns (the source's sentence behind each fact); the source id stays.")
@GRAPH_DIR_OPTION
@handle_errors
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    inferred: bool,
    all_ranks: bool,
    wide: bool,
    brief: bool,
    graph_dir: Path | None,
) -> None:
    """List the canned questions, or run one by NAME with -p name=value parameters."""
    from peacegraph.query.canned import list_queries, run
    from peacegraph.query.engines import make_engine

    if name is None:
        for q in list_queries():
            click.echo(f"{q.name}: {q.summary}")
            for p in q.params:
                flag = "required" if p.required else "optional"
                default = f", default {q.defaults[p.name]}" if p.name in q.defaults else ""
                click.echo(f"    -p {p.name}=...  ({p.describe()}; {flag}{default})")
        return
    engine = make_engine(endpoint, graph_dir, timeout, inferred=inferred, max_rows=max_rows, max_bytes=max_bytes)
    result = run(name, _parse_params(params), engine=engine, all_ranks=all_ranks)
    if brief:
        from peacegraph.query.results import QUOTE_COLUMNS, ResultSet, without_columns

        result = without_columns(result, QUOTE_COLUMNS) if isinstance(result, ResultSet) else result
    _emit(result, fmt, _table_width(wide))


@main.command()
@click.argument("text", required=False)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Read the query from a .rq file.")
@FORMAT_OPTION
@ENDPOINT_OPTION
@TIMEOUT_OPTION
@MAX_ROWS_OPTION
@MAX_BYTES_OPTION
@click.option("--allow-update", is_flag=True, help="Allow SPARQL Update on a remote --endpoint (never on the embedded graph).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE, which makes this machine query other servers (embedded graph).")
@click.option("--prefixes", "show_prefixes", is_flag=True, help="Print the predeclared PREFIX lines and exit.")
@INFERRED_OPTION
@WIDE_OPTION
@GRAPH_DIR_OPTION
@handle_errors
def sparql(
    text: str | None,
    file: Path | None,
    fmt: str,
    endpoint: str | None,
    timeout: float,
    max_rows: int,
    max_bytes: int,
    allow_update: bool,
    allow_service: bool,
    show_prefixes: bool,
    inferred: bool,
    wide: bool,
    graph_dir: Path | None,
) -> None:
    """Run ad-hoc SPARQL: TEXT, or -f FILE.

    The project's prefixes (pg:, ent:, rdfs:, skos: ...) are predeclared, so
    'SELECT ?s WHERE { ?s a pg:State }' runs as it is; --prefixes lists them,
    and a PREFIX in the query wins. Updates are refused unless allowed, and
    SERVICE unless --allow-service.
    """
    from peacegraph.errors import QueryError

    if show_prefixes:
        from peacegraph.query.sparqltext import prefix_lines

        click.echo(prefix_lines(), nl=False)
        return
    from peacegraph.query.engines import make_engine

    if (text is None) == (file is None):
        raise click.UsageError("give the query as TEXT or with -f FILE (one of them)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise QueryError(f"{file} is not UTF-8 text") from err
    assert text is not None
    engine = make_engine(
        endpoint,
        graph_dir,
        timeout,
        allow_update=allow_update,
        inferred=inferred,
        max_rows=max_rows,
        max_bytes=max_bytes,
        allow_service=allow_service,
    )
    _emit(engine.run(text, timeout=timeout, stream=fmt in STREAMED_FORMATS), fmt, _table_width(wide))


@main.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind; anything but 127.0.0.1 exposes the graph to the network."
)
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option(
    "--engine",
    type=click.Choice(["web", "oxigraph"]),
    default="web",
    show_default=True,
    help="web: pages, search, question forms, REST API and SPARQL endpoint; oxigraph: the bare oxigraph server (SPARQL endpoint and its query page only).",
)
@click.option(
    "--location",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --engine oxigraph: folder for the server's store, emptied and loaded again each time (default: a temporary folder, removed on exit).",
)
@click.option(
    "--timeout", type=click.IntRange(1, 86400), default=30, show_default=True, help="Seconds before the server stops a SPARQL query."
)
@click.option(
    "--row-cap",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="With --engine web: most rows a free SPARQL query returns.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="With --engine oxigraph: let queries use SERVICE, which makes this machine query any URL a visitor names.",
)
@GRAPH_DIR_OPTION
@handle_errors
def serve(
    host: str, port: int, engine: str, location: Path | None, timeout: int, row_cap: int, allow_service: bool, graph_dir: Path | None
) -> None:
    """Serve graph/ read-only: web pages, question forms, REST API and SPARQL endpoint (or the bare oxigraph server).

    Updates and SERVICE are refused (--engine oxigraph --allow-service lets SERVICE through). Stop with Ctrl-C.
    """
    from peacegraph import paths
    from peacegraph.web.server import listening_socket

    local = host in ("127.0.0.1", "localhost", "::1")
    if engine == "oxigraph":
        from peacegraph.web.server import serve as run_server

        run_server([paths.graph_file(graph_dir)], host, port, location, timeout, allow_service, echo=click.echo)
        return
    if allow_service:
        raise click.UsageError("the web engine never runs SERVICE; use --engine oxigraph --allow-service")
    import uvicorn

    from peacegraph.web.app import create_app

    sock = listening_socket(host, port)  # first, so a busy port is one line before any work
    try:
        app = create_app(graph_dir=graph_dir, timeout=float(timeout), row_cap=row_cap)
        base = f"http://{host}:{port}"
        click.echo(f"Serving {paths.graph_file(graph_dir)} READ-ONLY on {base}/")
        click.echo(f"  pages: {base}/   questions: {base}/questions   REST API: {base}/api (OpenAPI: {base}/api/openapi.json)")
        click.echo(f"  SPARQL endpoint: {base}/sparql   query page: {base}/query")
        if not local:
            click.echo(f"  warning: bound to {host}, so other machines can reach it", err=True)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the site to (created if missing).",
)
@click.option("--graphs/--no-graphs", default=True, show_default=True, help="Write a neighbourhood graph page for every entity.")
@GRAPH_DIR_OPTION
@handle_errors
def site(output: Path, graphs: bool, graph_dir: Path | None) -> None:
    """Write the entity, document and question pages as a static site (the REST API and free SPARQL need 'serve')."""
    from peacegraph.web.site import write_site

    started = time.perf_counter()
    written = write_site(output, graphs=graphs, graph_dir=graph_dir)
    click.echo(f"Wrote {len(written)} files to {output} in {time.perf_counter() - started:.1f}s; open {output / 'index.html'}")


@main.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) or http://host:3030/ds/data (Fuseki).",
)
@click.option("--graph", "graph_iri", metavar="IRI", default=None, help="Named graph to write (default: the default graph).")
@click.option("--merge", is_flag=True, help="POST (add to what is there) instead of PUT (replace).")
@click.option("--user", default=None, help="User name for basic or digest authentication.")
@click.option("--password", default=None, envvar="PEACEGRAPH_PASSWORD", help="Password (or set PEACEGRAPH_PASSWORD).")
@click.option("--timeout", type=Seconds(), default=60.0, show_default=True, help="Seconds the upload may take in all (0.1 to 86400).")
@click.option(
    "--chunk-triples",
    type=click.IntRange(min=1000),
    default=None,
    metavar="N",
    help="Send graph/peacegraph.nt in batches of N triples (first PUT, then POST), for stores that cap a request's size; "
    "not atomic: a failure says which batches the store holds.",
)
@GRAPH_DIR_OPTION
@handle_errors
def publish(
    endpoint: str,
    graph_iri: str | None,
    merge: bool,
    user: str | None,
    password: str | None,
    timeout: float,
    chunk_triples: int | None,
    graph_dir: Path | None,
) -> None:
    """Push graph/peacegraph.ttl to a store through the SPARQL 1.1 Graph Store Protocol.

    Success only on HTTP 200, 201 or 204 from the URL given; a redirect is
    reported, never followed (it would turn the upload into a GET elsewhere).
    """
    from peacegraph.write.publish import publish as run_publish

    report = run_publish(
        endpoint,
        graph_iri,
        replace=not merge,
        graph_dir=graph_dir,
        timeout=timeout,
        user=user,
        password=password,
        chunk_triples=chunk_triples,
    )
    click.echo(str(report))


@main.command()
@SEEDS_OPTION
@click.option(
    "--min", "minimum", type=click.FloatRange(0, 100), default=95.0, show_default=True, help="Coverage (percent) every document must reach."
)
@click.option("--quiet", is_flag=True, help="Print the figures only, not the uncovered sentences and unlinked entities.")
@handle_errors
def coverage(seeds_dir: Path | None, minimum: float, quiet: bool) -> None:
    """How much of each article the facts cover; exit 1 below --min or with unjustified uncovered sentences."""
    from peacegraph.build import Inputs
    from peacegraph.curate.coverage import measure, report_text
    from peacegraph.load.loader import load_curation

    inputs = Inputs.from_seeds(seeds_dir)
    results = measure(load_curation(inputs.facts_dir, inputs.documents_path))
    click.echo(report_text(results, verbose=not quiet))
    failing = [r.doc_id for r in results if r.percent < minimum or r.uncovered]
    if failing:
        click.echo(f"FAIL coverage: below {minimum:g}% or with uncovered sentences: {', '.join(failing)}")
        sys.exit(1)
    click.echo(f"PASS coverage: every document at or above {minimum:g}%, every uncovered sentence justified")
