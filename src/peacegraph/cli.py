"""The ``peacegraph`` command: a thin layer over the library.

Exit codes: 0 ok; 1 validation failed (SHACL, OWL consistency); 2 input or
usage error (bad seed files, unknown question or parameter, missing graph).
Heavy libraries are imported inside the commands that need them, so that
``peacegraph query`` starts fast.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import click

from peacegraph import __version__
from peacegraph.errors import PeacegraphError

#: The canned question the build answers, to show a newcomer what the graph is for.
DEMO_QUESTION = "agreement-roles"

GRAPH_DIR_OPTION = click.option(
    "--graph-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the graph is written/read (default: graph/ in the repository).",
)

SEEDS_OPTION = click.option(
    "--seeds", "seeds_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
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

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    return lines


@main.command()
@SEEDS_OPTION
@click.option("--reason/--no-reason", default=True, show_default=True, help="Run the OWL reasoner (HermiT, needs Java).")
@handle_errors
def check(seeds_dir: Path | None, reason: bool) -> None:
    """Run every check on seeds/ and ontology/; write nothing. Prints PASS/FAIL lines."""
    from peacegraph.build import Inputs
    from peacegraph.build import check as run_check

    report = run_check(Inputs.from_seeds(seeds_dir), reason=reason)
    for line in _status_lines(report):
        click.echo(line)
    sys.exit(0 if report.ok else 1)


@main.command()
@SEEDS_OPTION
@GRAPH_DIR_OPTION
@click.option("--reason/--no-reason", default=True, show_default=True, help="Run the OWL reasoner (HermiT, needs Java).")
@click.option("--quiet", is_flag=True, help="Print only errors.")
@handle_errors
def build(seeds_dir: Path | None, graph_dir: Path | None, reason: bool, quiet: bool) -> None:
    """Check seeds/ and write graph/ (atomically), then answer one canned question."""
    from peacegraph.build import Inputs
    from peacegraph.build import build as run_build

    started = time.perf_counter()
    report = run_build(Inputs.from_seeds(seeds_dir), graph_dir=graph_dir, reason=reason)
    if quiet:
        return
    for line in _status_lines(report):
        click.echo(line)
    total = time.perf_counter() - started
    click.echo(f"PASS write: {', '.join(str(p.name) for p in report.written)} in {report.written[0].parent}")
    click.echo("")
    click.echo(f"{len(report.data)} triples; {len(report.curation.entities)} entities; {len(report.curation.facts)} facts")
    click.echo("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()) + f"; total {total:.2f}s")
    click.echo("")
    from peacegraph.canned import format_table

    click.echo(format_table(["class", "instances", "triples"], [
        {"class": c, "instances": str(n), "triples": str(t)} for c, n, t in report.class_counts()
    ]))
    click.echo("")
    from peacegraph.canned import get_query, run

    question = get_query(DEMO_QUESTION)
    columns, rows = run(DEMO_QUESTION, graph_dir=graph_dir)
    click.echo(f"Canned question '{DEMO_QUESTION}': {question.summary}")
    click.echo(format_table(columns, rows))


@main.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value: an IRI, prefixed name, label or alias.")
@GRAPH_DIR_OPTION
@handle_errors
def query(name: str | None, params: tuple[str, ...], graph_dir: Path | None) -> None:
    """List the canned questions, or run one by NAME."""
    from peacegraph.canned import format_table, list_queries, run

    if name is None:
        for q in list_queries():
            spec = " ".join(("" if p.required else "[") + f"-p {p.name}=<{p.kind}>" + ("" if p.required else "]") for p in q.params)
            click.echo(f"{q.name}: {q.summary}" + (f"\n    {spec}" if spec else ""))
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"parameter {item!r} is not NAME=VALUE")
        values[key.strip()] = value
    columns, rows = run(name, values, graph_dir=graph_dir)
    click.echo(format_table(columns, rows))
