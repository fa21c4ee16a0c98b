"""The ``kgraph import`` group (its commands live in ``import_files``) and seeding a new store."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph.cli.app import Context, cli, pass_ctx
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


@cli.command()
@click.option(
    "--from",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of reviewed data files (default: the City Deal seed shipped with kgraph).",
)
@click.option(
    "--force", is_flag=True, help="Load even if the store is not empty (adds what is missing)."
)
@pass_ctx
def seed(ctx: Context, folder: Path | None, force: bool) -> None:
    """Fill a new, empty store with the City Deal graph from the reviewed data files."""
    from kgraph.importers import apply_batch
    from kgraph.importers.seed import read as read_seed

    store = ctx.store
    if not force and not store.is_empty():
        click.echo(f"store {store.location} already holds data; not seeding")
        return
    batch = read_seed(folder or seed_folder())
    result = apply_batch(store, batch, format="seed")
    click.echo(f"seeded {store.location}: {result.nodes_added} nodes, {result.edges_added} edges")
