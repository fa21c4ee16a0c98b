"""Editing commands for scripts: add, set, link, unlink, delete."""

from __future__ import annotations

from typing import Any

import click

from kgraph.cli.app import Context, cli, pass_ctx
from kgraph.errors import ValidationError
from kgraph.model import EDGE_KINDS, NODE_KINDS, Edge, Node, make_id


def parse_assignments(items: tuple[str, ...]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; an empty VALUE removes the property (``None``)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"expected KEY=VALUE, got {item!r}")
        out[key.strip()] = value if value != "" else None
    return out


@cli.command()
@click.argument("kind", type=click.Choice(NODE_KINDS))
@click.argument("title")
@click.option("--id", "node_id", help="The id (default: made from kind and title).")
@click.option(
    "--set", "values", multiple=True, metavar="KEY=VALUE", help="Set a field or property."
)
@pass_ctx
def add(ctx: Context, kind: str, title: str, node_id: str | None, values: tuple[str, ...]) -> None:
    """Add a node of KIND with TITLE; prints its id."""
    fields = {k: v for k, v in parse_assignments(values).items() if v is not None}
    node = Node(id=node_id or make_id(kind, title), kind=kind, title=title)
    node = node.with_changes(fields)
    stored = ctx.store.add_node(node)
    click.echo(stored.id)


@cli.command(name="set")
@click.argument("node_id")
@click.argument("values", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--if-version", type=int, help="Refuse if the node is no longer at this version.")
@pass_ctx
def set_(ctx: Context, node_id: str, values: tuple[str, ...], if_version: int | None) -> None:
    """Change fields or properties of a node (KEY= removes a property)."""
    node = ctx.store.update_node(node_id, parse_assignments(values), expected_version=if_version)
    click.echo(f"{node.id} now at version {node.version}")


@cli.command()
@click.argument("src")
@click.argument("edge_kind", type=click.Choice(EDGE_KINDS))
@click.argument("dst")
@click.option("--set", "values", multiple=True, metavar="KEY=VALUE", help="Set an edge property.")
@pass_ctx
def link(ctx: Context, src: str, edge_kind: str, dst: str, values: tuple[str, ...]) -> None:
    """Add an edge SRC -EDGE_KIND-> DST, or update the props of an existing one."""
    props = parse_assignments(values)
    store = ctx.store
    if store.get_edge(src, edge_kind, dst) is not None and props:
        store.update_edge(src, edge_kind, dst, props)
        click.echo(f"updated {src} -{edge_kind}-> {dst}")
        return
    store.add_edge(Edge(src, edge_kind, dst, {k: v for k, v in props.items() if v is not None}))
    click.echo(f"linked {src} -{edge_kind}-> {dst}")


@cli.command()
@click.argument("src")
@click.argument("edge_kind", type=click.Choice(EDGE_KINDS))
@click.argument("dst")
@pass_ctx
def unlink(ctx: Context, src: str, edge_kind: str, dst: str) -> None:
    """Remove the edge SRC -EDGE_KIND-> DST."""
    ctx.store.delete_edge(src, edge_kind, dst)
    click.echo(f"unlinked {src} -{edge_kind}-> {dst}")


@cli.command()
@click.argument("node_id")
@pass_ctx
def delete(ctx: Context, node_id: str) -> None:
    """Delete a node and its edges."""
    ctx.store.delete_node(node_id)
    click.echo(f"deleted {node_id}")
