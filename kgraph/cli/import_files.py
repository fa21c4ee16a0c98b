"""``kgraph import table|markdown|graph|report``: the file importers behind one signature.

Every importer is ``read(source, **options) -> ImportBatch``; ``run_import`` shows what a
batch would add (``--dry-run``) or writes it all-or-nothing.
"""

from __future__ import annotations

import os
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
    from kgraph.importers.base import id_clashes
    from kgraph.importers.runner import apply_in_chunks

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
        # the write reports chunks: show its bar when the batch itself is large
        large = 1 if len(batch.nodes) + len(batch.edges) >= LARGE else LARGE
        with progress_bar("writing", large=large) as progress:
            result = apply_in_chunks(store, batch, actor=ctx.actor, progress=progress)
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

    def __init__(self, label: str, large: int) -> None:
        self.label = label
        self.large = large
        self.bar: Any = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if total < self.large:
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
def progress_bar(label: str, *, large: int = LARGE) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback that shows a bar on stderr once ``total``
    reaches ``large``."""
    bar = _Bar(label, large)
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


def _parse_values(items: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``status:1=open`` -> ``{"status": {"1": "open"}}``."""
    values: dict[str, dict[str, str]] = {}
    for item in items:
        field, colon, rest = item.partition(":")
        old, sep, new = rest.partition("=")
        if not colon or not sep or not field.strip() or not old.strip():
            raise InputError(f"--value {item!r}: write FIELD:FROM=TO, e.g. --value status:1=open")
        values.setdefault(field.strip(), {})[old.strip()] = new.strip()
    return values


_dry_run = click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")


@import_.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="Sheet of an .xlsx file (default: the one with most questions).")
@click.option(
    "--header-row",
    type=click.IntRange(min=1),
    help="Row number of the column names (default: found).",
)
@click.option(
    "--kind",
    type=click.Choice(NODE_KINDS),
    default=None,
    help="Kind of node each row becomes (default: knowledge_question).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Take FIELD (id, title, text, status, owner, tags, cop, complex_question, theme, "
    "landing_place, organisation, placed_at, handover_status, relates_to) from COLUMN (its "
    "name, or a letter). Repeatable.",
)
@click.option(
    "--value",
    "value_maps",
    multiple=True,
    metavar="FIELD:FROM=TO",
    help="Read the value FROM of FIELD as TO, e.g. status:1=open. Repeatable.",
)
@click.option(
    "--by-name/--no-by-name",
    default=None,
    help="Map a field nobody mapped to a column of the same name (default: on, or as the "
    "--mapping file says); off keeps such a column as a property.",
)
@click.option(
    "--register",
    help="Name of the register: ids made from codes become kq:REGISTER:CODE and every node "
    "records it (default: the file's stem). The same name again re-imports a newer version.",
)
@click.option(
    "--duplicates",
    type=click.Choice(["refuse", "keep"]),
    default=None,
    help="Rows sharing a code: refuse (default) or keep both (suffixed id, duplicate_code).",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.yaml",
    help="Read sheet, header row, columns and value mappings from FILE.yaml (as the "
    "Importeren page saves it); options given here win.",
)
@click.option(
    "--save-mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.yaml",
    help="Save the mapping used to FILE.yaml for the next version (or the Importeren page).",
)
@click.option("--prune", is_flag=True, help="Delete the register's questions no longer in FILE.")
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
@click.option("--overwrite", is_flag=True, help="Replace an existing REJECTS.csv.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=lambda: os.environ.get("KGRAPH_LANG", "nl"),
    show_default="nl, or $KGRAPH_LANG",
    help="Language of the messages.",
)
@_dry_run
@json_option
@pass_ctx
def table_cmd(
    ctx: Context,
    file: Path,
    sheet: str | None,
    header_row: int | None,
    kind: str | None,
    maps: tuple[str, ...],
    value_maps: tuple[str, ...],
    by_name: bool | None,
    register: str | None,
    duplicates: str | None,
    mapping_file: Path | None,
    save_mapping: Path | None,
    prune: bool,
    delimiter: str | None,
    encoding: str | None,
    rejects: Path | None,
    overwrite: bool,
    lang: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import the rows of an .xlsx or .csv FILE as nodes; all-or-nothing unless
    --skip-invalid. Importing the same register again reports what was added, changed,
    unchanged and is no longer in the source, and records the changes in the history."""
    from kgraph.importers import mapping_file as specs
    from kgraph.importers import reimport, table
    from kgraph.importers.messages import render

    check_file(file)
    spec = specs.load_spec(mapping_file) if mapping_file else specs.ImportSpec(by_name=True)
    spec.columns.update(_parse_maps(maps))
    for field, pairs in _parse_values(value_maps).items():
        spec.values.setdefault(field, {}).update(pairs)
    spec.sheet = sheet or spec.sheet
    spec.header_row = header_row or spec.header_row
    spec.kind = kind or spec.kind
    spec.register = register or spec.register
    spec.duplicates = duplicates or spec.duplicates
    if by_name is not None:
        spec.by_name = by_name
    if rejects is not None:
        table.check_rejects_path(rejects, inputs=[file], overwrite=overwrite, lang=lang)
    with progress_bar(f"reading {file.name}") as progress:
        result = table.read_table(
            file,
            **spec.read_options(),
            delimiter=delimiter,
            encoding=encoding,
            store=ctx.store,
            skip_invalid=rejects is not None,
            progress=progress,
            lang=lang,
        )
    if result.problems and rejects is None:
        raise table.problems_error(
            file.name, result.problems, lang, render("hint_skip_invalid", lang)
        )
    shown = ", ".join(f"{f}={c}" for f, c in result.by_name.items())
    if shown:
        click.echo(render("by_name_shown", lang, shown=shown), err=True)
    if rejects is not None and result.rejects:
        if not dry_run:
            table.write_rejects(
                rejects, result.rejects, inputs=[file], overwrite=overwrite, lang=lang
            )
        written = "" if dry_run else render("rejects_written", lang, path=rejects)
        count = len(result.rejects)
        click.echo(
            render("rejected_rows", lang, count=count, rows=result.rows_read) + written, err=True
        )
    if save_mapping is not None:
        spec.sheet, spec.header_row, spec.register = (
            result.sheet,
            result.header_row,
            result.register,
        )
        spec.columns = dict(result.columns)
        spec.by_name = False  # the columns are written out: the file says everything
        specs.save_spec(spec, save_mapping)
        click.echo(render("mapping_saved", lang, path=save_mapping), err=True)
    comparison = reimport.compare(ctx.store, result.batch, register=result.register, kind=spec.kind)
    if comparison.unchanged or comparison.changed or comparison.gone:
        _run_reimport(
            ctx, comparison, result.batch, prune=prune, dry_run=dry_run, as_json=as_json, lang=lang
        )
        return
    run_import(ctx, result.batch, dry_run=dry_run, as_json=as_json)


def _run_reimport(
    ctx: Context,
    comparison: Any,
    batch: Any,
    *,
    prune: bool,
    dry_run: bool,
    as_json: bool,
    lang: str,
) -> None:
    """Report (and unless ``dry_run`` apply) a newer version of a register in the store."""
    from kgraph.importers import reimport

    result = None
    if not dry_run:
        with progress_bar("writing") as progress:
            result = reimport.apply_comparison(
                ctx.store, comparison, prune=prune, actor=ctx.actor, progress=progress
            )
    if as_json:
        echo_json(
            {
                "dry_run": dry_run,
                "register": comparison.register,
                **comparison.summary(),
                "added_ids": [n.id for n in comparison.added],
                "changed_fields": {
                    o.id: sorted(k for k in c if k != "source") for o, _, c in comparison.changed
                },
                "gone_ids": [n.id for n in comparison.gone],
                "pruned": result.deleted if result else 0,
                "edges_added": result.edges_added if result else 0,
                "notes": batch.notes,
            }
        )
        return
    from kgraph.importers.messages import render

    for line in reimport.describe(comparison, lang=lang):
        click.echo(line)
    if dry_run:
        click.echo(render("dry_run", lang))
    elif result is not None:
        click.echo(
            render(
                "reimport_done",
                lang,
                nodes=result.nodes_added,
                edges=result.edges_added,
                updated=result.updated,
                deleted=result.deleted,
            )
        )
        if comparison.gone and not prune:
            click.echo(render("reimport_kept", lang, count=len(comparison.gone)))
    for note in batch.notes:
        click.echo(f"note: {note}")


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
