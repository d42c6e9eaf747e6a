"""``peacegraph add-document``, ``peacegraph draft`` and ``peacegraph accept``: taking in the next article.

Registered in cli.LAZY_SUBCOMMANDS, so spaCy, trafilatura and dateparser are
imported only when one of these runs. Exit codes as everywhere: 0 ok, 2 bad
input (nothing written), and for ``accept`` 2 with every problem of the
draft listed as ``file:line: what; fix``.
"""

from __future__ import annotations

from pathlib import Path

import click

from peacegraph.cli import SEEDS_OPTION
from peacegraph.cli import handle_errors as _handle_errors


@click.command("add-document")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The article's title (default: from the page's metadata, or the text's first line).")
@click.option("--author", help="Entity id or name of the author (default: from the page's metadata).")
@click.option("--publisher", help="Entity id or name of the publisher (default: the page's site name).")
@click.option("--published", metavar="YYYY[-MM[-DD]]", help="Publication date (default: from the page's metadata).")
@click.option("--url", help="Where the article was published (kept in the record's note).")
@SEEDS_OPTION
@_handle_errors
def add_document_command(path: Path, title, author, publisher, published, url, seeds_dir: Path | None) -> None:
    """Add PATH (a .txt file or a saved .html page) as the next source document.

    \b
    Writes its text byte for byte to seeds/documents/NNN_<sha256:16>.txt and appends
    its record to seeds/documents/documents.yaml; says which fields it inferred and
    from where. Refuses binary, empty, non-English and duplicate texts and files
    outside the working tree (exit 2, nothing written).
    """
    from peacegraph.curate.ingest import add_document
    from peacegraph.load.documents import display_path

    added = add_document(path, seeds_dir, title=title, author=author, publisher=publisher, published=published, url=url)
    click.echo(f"added {added.doc_id}: {display_path(added.text_path)} ({added.words} words); record appended to documents.yaml")
    for line in added.inferred:
        click.echo(f"  inferred {line}")
    for line in added.notes:
        click.echo(f"  to do: {line}")
    click.echo(f"next: peacegraph draft {added.doc_id}")


@click.command("draft")
@click.argument("doc_id", metavar="DNNN")
@click.option("--force", is_flag=True, help="Overwrite an existing draft (and any edits in it).")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="Leave out candidate facts below this confidence (default 0.5; lower it for more candidates and more noise).",
)
@SEEDS_OPTION
@_handle_errors
def draft_command(doc_id: str, force: bool, min_confidence: float | None, seeds_dir: Path | None) -> None:
    """Write seeds/drafts/DNNN.yaml: candidate facts, new aliases and entities for review.

    Every record carries a 'candidate:' mapping (confidence, reason); review the file,
    then run 'peacegraph accept DNNN'. The build never reads seeds/drafts/.
    """
    from peacegraph.curate.draft import MIN_CONFIDENCE, write_draft
    from peacegraph.load.documents import display_path

    written = write_draft(doc_id, seeds_dir, force, MIN_CONFIDENCE if min_confidence is None else min_confidence)
    d = written.draft
    click.echo(
        f"wrote {display_path(written.path)}: {len(d.candidates)} candidate facts, {len(d.new_aliases)} new aliases,"
        f" {len(d.new_entities)} new entities, {len({m.entity for m in d.mentions})} known entities named;"
        f" {len(d.no_candidate)} sentences with no candidate"
    )
    if d.skipped_known:
        click.echo(f"  left out {d.skipped_known} candidates already curated from {doc_id}")
    click.echo(f"next: review it, then peacegraph accept {doc_id}")


@click.command("accept")
@click.argument("doc_id", metavar="DNNN")
@SEEDS_OPTION
@_handle_errors
def accept_command(doc_id: str, seeds_dir: Path | None) -> None:
    """Move the reviewed records of seeds/drafts/DNNN.yaml into seeds/facts/.

    Facts go to seeds/facts/DNNN.yaml, entities and aliases to seeds/facts/DNNN-extra.yaml,
    each record's 'candidate:' mapping removed, only if every record passes the loader's
    checks; otherwise every problem is listed as file:line and nothing is moved.
    """
    from peacegraph.curate.accept import accept
    from peacegraph.load.documents import display_path

    done = accept(doc_id, seeds_dir)
    counts = ", ".join(f"{n} {key}" for key, n in done.counts.items() if n)
    click.echo(
        f"accepted {doc_id}: {counts} -> {', '.join(display_path(p) for p in done.written)}; removed {display_path(done.draft_removed)}"
    )
    click.echo("next: peacegraph coverage (what is still uncovered), peacegraph build")
