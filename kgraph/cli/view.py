"""``kgraph view save|list|show|delete``: views of the graph kept under a name."""

from __future__ import annotations

import click

from kgraph import views
from kgraph.cli.app import Context, cli, echo_json, json_option, pass_ctx


def _items(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@cli.group("view")
def view_group() -> None:
    """Views of the graph saved under a name (the ones Verkennen saves and opens)."""


@view_group.command("save")
@click.argument("name")
@click.option(
    "--focus", multiple=True, required=True, metavar="ID", help="Focus node (repeatable)."
)
@click.option("--depth", type=click.IntRange(1, views.MAX_DEPTH), default=1, show_default=True)
@click.option("--kinds", metavar="K,...", help="Only these node kinds.")
@click.option("--status", "statuses", metavar="S,...", help="Only questions with these statuses.")
@click.option("--handover", metavar="S,...", help="Only handovers with these statuses.")
@click.option("--areas", metavar="ID,...", help="Only what is linked to these CoP's/themes.")
@click.option("--cap", type=int, default=views.DEFAULT_CAP, show_default=True, help="Node cap.")
@click.option("--colour", default="kind", show_default=True, help="Colour nodes by.")
@click.option("--replace", "replace_existing", is_flag=True, help="Replace a view of this name.")
@pass_ctx
def save_cmd(
    ctx: Context,
    name: str,
    focus: tuple[str, ...],
    depth: int,
    kinds: str | None,
    statuses: str | None,
    handover: str | None,
    areas: str | None,
    cap: int,
    colour: str,
    replace_existing: bool,
) -> None:
    """Save a view under NAME (recorded in the history with who and when)."""
    store = ctx.store
    for node_id in (*focus, *_items(areas)):
        if store.get_node(node_id) is None:
            raise click.UsageError(f"no node with id {node_id!r}")
    view = views.View(
        focus=focus,
        depth=depth,
        kinds=_items(kinds),
        question_statuses=_items(statuses),
        handover_statuses=_items(handover),
        areas=_items(areas),
        cap=cap,
        color_by=colour,
    )
    saved = views.save_view(store, name, view, replace_existing=replace_existing)
    click.echo(f"saved view {saved.name!r}")


@view_group.command("list")
@json_option
@pass_ctx
def list_cmd(ctx: Context, as_json: bool) -> None:
    """List the saved views: name, who saved it, when."""
    found = views.saved_views(ctx.store)
    if as_json:
        echo_json(
            [
                {"name": v.name, "saved_by": v.saved_by, "saved_at": v.saved_at, **v.view.to_dict()}
                for v in found
            ]
        )
        return
    for v in found:
        click.echo(f"{v.name}\t{v.saved_by or ''}\t{v.saved_at or ''}\t{','.join(v.view.focus)}")
    if not found:
        click.echo("no saved views", err=True)


@view_group.command("show")
@click.argument("name")
@json_option
@pass_ctx
def show_cmd(ctx: Context, name: str, as_json: bool) -> None:
    """Show what the view NAME holds and the link parameters that open it."""
    saved = views.get_view(ctx.store, name)
    data = {"name": saved.name, "saved_by": saved.saved_by, "saved_at": saved.saved_at}
    data |= saved.view.to_dict()
    if as_json:
        echo_json(data | {"link": saved.view.to_params()})
        return
    for key, value in data.items():
        if value not in (None, "", [], ()):
            click.echo(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    params = "&".join(f"{k}={v}" for k, v in saved.view.to_params().items())
    click.echo(f"link: /verkennen?{params}")


@view_group.command("delete")
@click.argument("name")
@pass_ctx
def delete_cmd(ctx: Context, name: str) -> None:
    """Delete the view NAME (recorded in the history)."""
    views.delete_view(ctx.store, name)
    click.echo(f"deleted view {name!r}")
