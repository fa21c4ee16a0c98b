"""Import commands (``kgraph import FORMAT ...``) and seeding a new store."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph.cli.app import Context, cli, echo_json, pass_ctx
from kgraph.paths import seed_folder


@cli.group(name="import")
def import_() -> None:
    """Import questions and links from files (all-or-nothing)."""


def report_added(batch_summary: dict[str, dict[str, int]], nodes: int, edges: int) -> None:
    click.echo(f"added {nodes} nodes and {edges} edges")
    for kind, n in sorted(batch_summary["nodes"].items()):
        click.echo(f"  read {n:>5} {kind}")
    for kind, n in sorted(batch_summary["edges"].items()):
        click.echo(f"  read {n:>5} {kind}")


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_ctx
def report(ctx: Context, file: Path, as_json: bool) -> None:
    """Import a City Deal annual report (Markdown converted from PDF)."""
    from importers import apply_batch
    from importers.report import read as read_report

    batch = read_report(file)
    result = apply_batch(ctx.store, batch)
    if as_json:
        echo_json(
            {
                "nodes_added": result.nodes_added,
                "edges_added": result.edges_added,
                "read": batch.summary(),
                "notes": batch.notes,
            }
        )
        return
    report_added(batch.summary(), result.nodes_added, result.edges_added)
    for note in batch.notes:
        click.echo(f"note: {note}")


@cli.command()
@click.option(
    "--from",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of reviewed data files (default: the project's data/citydeal).",
)
@click.option(
    "--force", is_flag=True, help="Load even if the store is not empty (adds what is missing)."
)
@pass_ctx
def seed(ctx: Context, folder: Path | None, force: bool) -> None:
    """Fill a new, empty store with the City Deal graph from the reviewed data files."""
    from importers import apply_batch
    from importers.seed import read as read_seed

    store = ctx.store
    if not force and not store.is_empty():
        click.echo(f"store {store.location} already holds data; not seeding")
        return
    batch = read_seed(folder or seed_folder())
    result = apply_batch(store, batch)
    click.echo(f"seeded {store.location}: {result.nodes_added} nodes, {result.edges_added} edges")
