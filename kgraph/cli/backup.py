"""``kgraph backup OUT`` and ``kgraph restore IN``: snapshots of the store (``kgraph.backup``)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from kgraph.backup import backup as take_backup
from kgraph.backup import restore as restore_snapshot
from kgraph.cli.app import Context, cli, pass_ctx


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists (never a store in use).")
@click.option("--allow-empty", is_flag=True, help="Back up a store that holds nothing.")
@pass_ctx
def backup(ctx: Context, out: Path, overwrite: bool, allow_empty: bool) -> None:
    """Write a consistent snapshot of the store to OUT, also while others are editing."""
    with _terminate_cleanly():
        result = take_backup(ctx.store, out, overwrite=overwrite, allow_empty=allow_empty)
    click.echo(result.describe("backed up"))


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM as an exception for the duration, so the backup removes its temporary file
    on the way out (the default action would end the process on the spot)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command()
@click.argument("snapshot", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a store that is not empty.")
@pass_ctx
def restore(ctx: Context, snapshot: Path, replace: bool) -> None:
    """Restore the store from the snapshot IN (refuses a non-empty store without --replace)."""
    result = restore_snapshot(snapshot, ctx.store, replace=replace)
    click.echo(result.describe("restored") + f" into {ctx.store.location}")
