"""``kgraph backup OUT`` and ``kgraph restore IN``: snapshots of the store (``kgraph.backup``)."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph.backup import backup as take_backup
from kgraph.backup import restore as restore_snapshot
from kgraph.cli.app import Context, cli, pass_ctx


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
@pass_ctx
def backup(ctx: Context, out: Path, overwrite: bool) -> None:
    """Write a consistent snapshot of the store to OUT, also while others are editing."""
    result = take_backup(ctx.store, out, overwrite=overwrite)
    click.echo(result.describe("backed up"))


@cli.command()
@click.argument("snapshot", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a store that is not empty.")
@pass_ctx
def restore(ctx: Context, snapshot: Path, replace: bool) -> None:
    """Restore the store from the snapshot IN (refuses a non-empty store without --replace)."""
    result = restore_snapshot(snapshot, ctx.store, replace=replace)
    click.echo(result.describe("restored") + f" into {ctx.store.location}")
