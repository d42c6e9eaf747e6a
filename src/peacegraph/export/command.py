"""``peacegraph export VIEW --format F [-o PATH] [-p NAME=VALUE ...]``.

Exit codes as everywhere in peacegraph: 0 ok, 2 unknown view, format or
parameter, missing graph, or a renderer (Graphviz) that is missing or fails.
Registered in cli.LAZY_SUBCOMMANDS, so it is imported only when used.
"""

from __future__ import annotations

from pathlib import Path

import click

from peacegraph.cli import handle_errors as _handle_errors  # noqa: E402  (cli imports this module lazily, so no cycle)


def _views_help() -> str:
    from peacegraph.export.views import list_views

    lines = []
    for view in list_views():
        spec = " ".join(("" if p.required else "[") + f"-p {p.name}=..." + ("" if p.required else "]") for p in view.query.params)
        lines.append(f"{view.name}: {view.query.summary}" + (f"  {spec}" if spec else ""))
    return "\n".join(lines)


@click.command("export")
@click.argument("view", required=False)
@click.option("-f", "--format", "fmt", default="turtle", show_default=True, metavar="FORMAT", help="Output format; --list shows them all.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (a folder for csv). Default: standard output for text formats.",
)
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A view parameter, e.g. -p entity=Nagorno-Karabakh -p depth=2."
)
@click.option(
    "--graph-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the graph is read from (default: graph/ in the repository).",
)
@click.option("--list", "list_all", is_flag=True, help="List the views and formats, and exit.")
@_handle_errors
def export_command(
    view: str | None, fmt: str, output: Path | None, params: tuple[str, ...], graph_dir: Path | None, list_all: bool
) -> None:
    """Export VIEW (a named slice of the graph) to RDF, GraphML, GEXF, DOT/SVG/PNG, Mermaid,
    Cytoscape JSON, Neo4j CSV, an interactive HTML page or a timeline.

    \b
    Examples:
      peacegraph export actor-network --format html -o actors.html
      peacegraph export neighbourhood -p entity=Nagorno-Karabakh -p depth=2 --format svg -o nk.svg
      peacegraph export whole-graph --format csv -o neo4j/
    """
    from peacegraph.export import EXPORTERS, export

    if list_all or view is None:
        click.echo("Views:\n" + "\n".join("  " + line for line in _views_help().splitlines()))
        click.echo("Formats:\n" + "\n".join(f"  {e.name}: {e.description}" for e in EXPORTERS.values()))
        if view is None and not list_all:
            raise click.UsageError("give a VIEW to export")
        return
    if fmt not in EXPORTERS:
        raise click.BadParameter(f"'{fmt}' is not a format; choose from {', '.join(EXPORTERS)}", param_hint="--format")
    exporter = EXPORTERS[fmt]
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-p")
        values[key.strip()] = value
    if output is None and (exporter.binary or exporter.folder):
        raise click.UsageError(f"--format {fmt} needs -o PATH ({'a folder' if exporter.folder else 'a file'})")
    from peacegraph.progress import stage

    # A spinner on a terminal (standard error): the whole graph as PNG or HTML takes seconds at scale.
    with stage(f"exporting {view} as {fmt}"):
        result = export(view, fmt, values, graph_dir=graph_dir)
    if exporter.folder:
        output.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        for name, data in sorted(result.items()):
            (output / name).write_bytes(data)  # type: ignore[operator]
        click.echo(f"wrote {', '.join(sorted(result))} in {output}", err=True)
    elif output is None:
        click.echo(result.decode("utf-8"), nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(result)
        click.echo(f"wrote {output} ({len(result):,} bytes)", err=True)
