"""``kgraph export FORMAT OUT`` and ``kgraph report handover OUT``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from kgraph import views
from kgraph.atomic import atomic_write, check_output, write_atomically
from kgraph.cli.app import Context, cli, pass_ctx
from kgraph.errors import NotFoundError, ValidationError
from kgraph.export import FORMATS, select
from kgraph.export import html as html_page
from kgraph.export.report import FORMATS as REPORT_FORMATS
from kgraph.export.report import handover_report
from kgraph.export.select import EXPORT_CAP

#: ``--overwrite`` of every command that writes a file someone names
overwrite_option = click.option(
    "--overwrite",
    is_flag=True,
    help="Replace OUT if it exists (never a kgraph store or the store in use).",
)


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS)))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--focus", multiple=True, metavar="ID", help="Export the neighbourhood of ID (repeatable)."
)
@click.option(
    "--depth",
    type=click.IntRange(0, 10),
    default=1,
    show_default=True,
    help="Steps from the focus.",
)
@click.option("--kinds", metavar="K,...", help="Only these node kinds (comma-separated).")
@click.option("--status", "statuses", metavar="S,...", help="Only questions with these statuses.")
@click.option(
    "--cap",
    type=click.IntRange(min=1),
    default=EXPORT_CAP,
    show_default=True,
    help="Node cap for --focus.",
)
@click.option(
    "--view",
    "view_name",
    metavar="NAME",
    help="Export the view saved under NAME (kgraph view list), as Verkennen draws it.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the html page.",
)
@click.option("--title", help="Title in the html page's header (default: the view's name).")
@overwrite_option
@pass_ctx
def export_cmd(
    ctx: Context,
    fmt: str,
    out: Path,
    focus: tuple[str, ...],
    depth: int,
    kinds: str | None,
    statuses: str | None,
    cap: int,
    view_name: str | None,
    lang: str,
    title: str | None,
    overwrite: bool,
) -> None:
    """Write the graph, the selected subgraph or a saved view to OUT as FORMAT: graphml
    (yEd, Cytoscape), gexf (Gephi), json (node-link), csv (zip), xlsx, cypher (Neo4j) or
    html (standalone page). OUT is written whole or not at all; an existing OUT is kept
    unless --overwrite."""
    check_output(out, overwrite=overwrite, stores=[ctx.location])
    store = ctx.store
    if view_name and (focus or kinds or statuses or depth != 1):
        raise ValidationError(
            "--view cannot be combined with --focus, --depth, --kinds or --status"
        )
    for node_id in focus:
        if store.get_node(node_id) is None:
            raise NotFoundError(f"no node with id {node_id!r}")
    if depth != 1 and not focus:
        raise ValidationError("--depth needs --focus")
    if view_name:
        saved = views.get_view(store, view_name)
        _base, sub = views.select_view(store, saved.view)
        meta = views.page_meta(store, saved.view, name=saved.name, lang=lang)
    else:
        sub = select(
            store, focus=focus, depth=depth, kinds=_split(kinds), statuses=_split(statuses), cap=cap
        )
        shown = views.View(focus=tuple(focus), depth=min(depth, views.MAX_DEPTH)) if focus else None
        meta = views.page_meta(store, shown, lang=lang)
    if title:
        meta = replace(meta, title=title)
    with atomic_write(out, overwrite=overwrite, stores=[ctx.location]) as handle:
        if fmt == "html":
            html_page.write(sub, handle, lang=lang, meta=meta)
        else:
            FORMATS[fmt].write(sub, handle)
    click.echo(
        f"wrote {out}: {len(sub.nodes)} nodes, {len(sub.edges)} edges ({FORMATS[fmt].description})"
    )
    if sub.truncated:
        click.echo(
            f"note: the neighbourhood was cut at {sub.cap} nodes; raise --cap or narrow the selection",
            err=True,
        )


@cli.group()
def report() -> None:
    """Reports for the steering group."""


@report.command("handover")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language."
)
@overwrite_option
@pass_ctx
def handover_cmd(ctx: Context, out: Path, lang: str, overwrite: bool) -> None:
    """Write the handover report to OUT (.md, .html or .xlsx): per landing place and per
    CoP every complex question with status, decision date, decided by and note; what has
    not landed; a summary first. OUT is written whole or not at all; an existing OUT is
    kept unless --overwrite."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        raise ValidationError(f"{out.name}: the report is written as .md, .html or .xlsx")
    check_output(out, overwrite=overwrite, stores=[ctx.location])
    data = handover_report(ctx.store, fmt, lang=lang)
    write_atomically(out, data, overwrite=overwrite, stores=[ctx.location])
    click.echo(f"wrote {out}")
