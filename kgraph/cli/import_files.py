"""``kgraph import table|markdown|graph|report``: the file importers behind one signature.

Every importer is ``read(source, **options) -> ImportBatch``; ``run_import`` shows what a
batch would add (``--dry-run``) or writes it all-or-nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kgraph.cli.app import Context, echo_json, json_option, pass_ctx
from kgraph.cli.imports import import_, report_added
from kgraph.errors import InputError
from kgraph.infile import check_file, check_folder
from kgraph.model import NODE_KINDS
from kgraph.store.base import GraphStore

#: progress bars appear from this many rows on
LARGE = 500


def _importers() -> dict[str, Callable[..., Any]]:
    """Format name -> ``read(source, **options)``; all share the ``ImportBatch`` shape."""
    from kgraph.importers import graph, markdown_register, report, table

    return {
        "table": table.read,
        "markdown": markdown_register.read,
        "graph": graph.read,
        "report": report.read,
    }


def new_items(store: GraphStore, batch: Any) -> tuple[list[Any], list[Any]]:
    """The nodes and edges of ``batch`` that the store does not hold yet (one read)."""
    ends = [i for e in batch.edges for i in (e.src, e.dst)]
    held = store.subgraph([*(n.id for n in batch.nodes), *ends])
    held_edges = {e.key for e in held.edges}
    nodes = [n for n in dict((n.id, n) for n in batch.nodes).values() if n.id not in held.nodes]
    edges = [e for e in batch.edges if e.key not in held_edges]
    return nodes, edges


def run_import(ctx: Context, batch: Any, *, dry_run: bool, as_json: bool) -> None:
    """Show or apply ``batch``."""
    from kgraph.importers import apply_batch
    from kgraph.importers.base import id_clashes

    store = ctx.store
    if dry_run:
        batch.notes.extend(id_clashes(store, batch))
        nodes, edges = new_items(store, batch)
        if as_json:
            echo_json(
                {
                    "dry_run": True,
                    "would_add_nodes": [
                        {"id": n.id, "kind": n.kind, "title": n.title} for n in nodes
                    ],
                    "would_add_edges": [e.key for e in edges],
                    "read": batch.summary(),
                    "notes": batch.notes,
                }
            )
            return
        click.echo(
            f"dry run: would add {len(nodes)} nodes and {len(edges)} edges (nothing written)"
        )
        for node in nodes[:50]:
            click.echo(f"  + {node.kind:<18} {node.id}  {node.title[:70]}")
        if len(nodes) > 50:
            click.echo(f"  ... and {len(nodes) - 50} more nodes")
        for edge in edges[:50]:
            click.echo(f"  + {edge.src} -{edge.kind}-> {edge.dst}")
        if len(edges) > 50:
            click.echo(f"  ... and {len(edges) - 50} more edges")
    else:
        result = apply_batch(store, batch, actor=ctx.actor)
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


class _Bar:
    """A click progress bar on stderr, opened on the first report of a large input."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if total < LARGE:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback that shows a bar on stderr for large inputs."""
    bar = _Bar(label)
    try:
        yield bar.update
    finally:
        bar.close()


def _parse_maps(maps: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in maps:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InputError(f"--map {item!r}: write FIELD=COLUMN, e.g. --map title=Vraag")
        mapping[field.strip()] = column.strip()
    return mapping


_dry_run = click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")


@import_.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="Sheet of an .xlsx file (default: the first).")
@click.option(
    "--header-row",
    type=click.IntRange(min=1),
    help="Row number of the column names (default: found).",
)
@click.option(
    "--kind",
    type=click.Choice(NODE_KINDS),
    default="knowledge_question",
    show_default=True,
    help="Kind of node each row becomes.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Take FIELD (id, title, text, status, owner, tags, cop, complex_question, theme, "
    "landing_place, organisation, relates_to) from COLUMN (its name, or a letter). Repeatable.",
)
@click.option("--delimiter", help="CSV delimiter (default: ; or , detected; 'tab' for tabs).")
@click.option(
    "--encoding", help="CSV encoding (default: UTF-8, UTF-8 with BOM or cp1252 detected)."
)
@click.option(
    "--skip-invalid",
    "rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REJECTS.csv",
    help="Import the valid rows; write the others with their reasons to REJECTS.csv.",
)
@_dry_run
@json_option
@pass_ctx
def table_cmd(
    ctx: Context,
    file: Path,
    sheet: str | None,
    header_row: int | None,
    kind: str,
    maps: tuple[str, ...],
    delimiter: str | None,
    encoding: str | None,
    rejects: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import the rows of an .xlsx or .csv FILE as nodes; all-or-nothing unless
    --skip-invalid. Re-importing the same file adds nothing."""
    from kgraph.importers import table

    check_file(file)
    with progress_bar(f"reading {file.name}") as progress:
        result = table.read_table(
            file,
            mapping=_parse_maps(maps),
            kind=kind,
            sheet=sheet,
            header_row=header_row,
            delimiter=delimiter,
            encoding=encoding,
            store=ctx.store,
            skip_invalid=rejects is not None,
            progress=progress,
        )
    if result.problems and rejects is None:
        rows = len({p.row for p in result.problems})
        raise InputError(
            f"{file.name}: {len(result.problems)} problem(s) in {rows} row(s); nothing imported "
            "(use --skip-invalid REJECTS.csv to import the valid rows)",
            [str(p) for p in result.problems],
        )
    if rejects is not None and result.rejects:
        if not dry_run:
            table.write_rejects(rejects, result.rejects)
        click.echo(
            f"rejected {len(result.rejects)} of {result.rows_read} rows"
            + ("" if dry_run else f"; written with their reasons to {rejects}"),
            err=True,
        )
    run_import(ctx, result.batch, dry_run=dry_run, as_json=as_json)


@import_.command("markdown")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--register", help="Name of the register in ids (default: the folder name).")
@_dry_run
@json_option
@pass_ctx
def markdown_cmd(
    ctx: Context, folder: Path, register: str | None, dry_run: bool, as_json: bool
) -> None:
    """Import a question register kept as Markdown (one question per file with YAML front
    matter, _data/themes.csv, _contributors/), such as the CAA research agenda."""
    batch = _importers()["markdown"](check_folder(folder), register=register)
    run_import(ctx, batch, dry_run=dry_run, as_json=as_json)


@import_.command("graph")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    "default_kind",
    type=click.Choice(NODE_KINDS),
    default="knowledge_question",
    show_default=True,
    help="Kind of nodes that carry no kgraph kind (files from Gephi, yEd, ...).",
)
@_dry_run
@json_option
@pass_ctx
def graph_cmd(ctx: Context, file: Path, default_kind: str, dry_run: bool, as_json: bool) -> None:
    """Import a graph FILE: .json (node-link), .graphml, .gexf as kgraph, Gephi, yEd or
    networkx write them, or kgraph's own .zip (CSV) and .xlsx exports."""
    batch = _importers()["graph"](check_file(file), default_kind=default_kind)
    run_import(ctx, batch, dry_run=dry_run, as_json=as_json)


@import_.command("report")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_dry_run
@json_option
@pass_ctx
def report_cmd(ctx: Context, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import a City Deal annual report (Markdown converted from PDF): CoPs, their
    knowledge and complex questions, landing places, organisations, themes, showcases
    and values; prints what it added."""
    batch = _importers()["report"](check_file(file))
    run_import(ctx, batch, dry_run=dry_run, as_json=as_json)
