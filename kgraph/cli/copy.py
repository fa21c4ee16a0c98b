"""``kgraph copy SRC DST``: copy a whole store to another one, any backend to any other."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from kgraph.cli.app import Context, cli, pass_ctx
from kgraph.copy import copy_store
from kgraph.errors import StoreError
from kgraph.store import is_neo4j_location, open_store


@cli.command(name="copy")
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
@click.option("--replace", is_flag=True, help="Overwrite DST if it already holds data.")
@pass_ctx
def copy_command(ctx: Context, source: str, destination: str, replace: bool) -> None:
    """Copy the store SRC (a .db file or a bolt:// / neo4j:// URL) to DST.

    Nodes, edges, all their properties and the whole history are copied. DST must be
    empty unless --replace is given; the copy lands all at once or not at all.
    """
    if not is_neo4j_location(source) and not Path(source).is_file():
        raise StoreError(f"no store at {source}")
    with ExitStack() as stack:
        src = stack.enter_context(open_store(source, actor=ctx.actor))
        dst = stack.enter_context(open_store(destination, actor=ctx.actor))
        bar: Any = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:  # the total is known once the source has been read
                bar = stack.enter_context(
                    click.progressbar(
                        length=max(total, 1), label=f"copying to {dst.location}", file=sys.stderr
                    )
                )
            bar.update(done - bar.pos)

        result = copy_store(src, dst, replace=replace, progress=progress)
    click.echo(
        f"copied {result.nodes} nodes, {result.edges} edges, {result.records} records and "
        f"{result.history} history entries from {src.location} to {dst.location}"
    )
