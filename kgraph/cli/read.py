"""Read-only commands: stats, show, search, neighbourhood, path, history."""

from __future__ import annotations

import click

from kgraph import query
from kgraph.cli.app import Context, cli, echo_json, json_option, pass_ctx
from kgraph.errors import NotFoundError
from kgraph.model import NODE_KINDS
from kgraph.store.base import DEFAULT_CAP
from kgraph.timeutil import parse_moment


@cli.command()
@json_option
@pass_ctx
def stats(ctx: Context, as_json: bool) -> None:
    """Count nodes and edges per kind."""
    counts = ctx.store.counts()
    if as_json:
        echo_json(counts.to_dict())
        return
    click.echo(f"store: {ctx.store.location}")
    for title, table in (("nodes", counts.nodes), ("edges", counts.edges)):
        click.echo(f"{title}: {sum(table.values())}")
        for kind, n in sorted(table.items()):
            click.echo(f"  {kind:<20} {n:>7}")


@cli.command()
@click.argument("node_id")
@json_option
@pass_ctx
def show(ctx: Context, node_id: str, as_json: bool) -> None:
    """Show one node with its properties and edges."""
    store = ctx.store
    node = store.get_node(node_id)
    if node is None:
        raise NotFoundError(f"no node with id {node_id!r}")
    links = store.neighbours(node_id, limit=500)
    if as_json:
        echo_json(
            {
                "node": node.to_dict(),
                "edges": [e.to_dict() for e, _ in links],
            }
        )
        return
    for key, value in node.to_dict().items():
        if value not in (None, "", [], {}):
            click.echo(f"{key}: {value}")
    if links:
        click.echo("edges:")
    for edge, other in links:
        arrow = f"-{edge.kind}->" if edge.src == node_id else f"<-{edge.kind}-"
        status = f" [{edge.status}]" if edge.status else ""
        click.echo(f"  {arrow} {other.id} ({other.kind}) {other.title}{status}")


@cli.command()
@click.argument("text")
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(NODE_KINDS), help="Only these kinds."
)
@click.option("--limit", default=50, show_default=True, help="At most this many results.")
@json_option
@pass_ctx
def search(ctx: Context, text: str, kinds: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find nodes by words in title, text, tags or id (case and accents ignored; other
    word forms too: gesprekken finds gesprek). Prints id, kind, title and the CoP's/themes
    a question was raised in."""
    found = query.search_rows(ctx.store, text, kinds=kinds or None, limit=limit)
    if as_json:
        echo_json([r.node.to_dict() | {"raised_in": r.areas} for r in found])
        return
    for row in found:
        node = row.node
        click.echo(f"{node.id}\t{node.kind}\t{node.title}\t{'; '.join(row.areas)}")
    if not found:
        click.echo("no matches", err=True)


@cli.command()
@click.argument("focus", nargs=-1, required=True)
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 5))
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(NODE_KINDS), help="Only these kinds."
)
@click.option("--cap", default=DEFAULT_CAP, show_default=True, help="At most this many nodes.")
@json_option
@pass_ctx
def neighbourhood(
    ctx: Context,
    focus: tuple[str, ...],
    depth: int,
    kinds: tuple[str, ...],
    cap: int,
    as_json: bool,
) -> None:
    """List the nodes within DEPTH steps of the FOCUS nodes (capped)."""
    sub = ctx.store.neighbourhood(list(focus), depth, kinds=kinds or None, cap=cap)
    if as_json:
        echo_json(
            {
                "focus": list(sub.focus),
                "truncated": sub.truncated,
                "nodes": [n.to_dict() for n in sub.nodes.values()],
                "edges": [e.to_dict() for e in sub.edges],
            }
        )
        return
    for node in sub.nodes.values():
        click.echo(f"{node.id}\t{node.kind}\t{node.title}")
    click.echo(f"{len(sub.nodes)} nodes, {len(sub.edges)} edges", err=True)
    if sub.truncated:
        click.echo(f"cut at {cap} nodes: narrow with --kind or a smaller --depth", err=True)


@cli.command()
@click.argument("src")
@click.argument("dst")
@click.option("--max-depth", default=8, show_default=True, type=click.IntRange(0, 20))
@click.option(
    "--avoid-hubs",
    is_flag=True,
    help="Do not pass through nodes with more than --hub-degree links.",
)
@click.option(
    "--hub-degree",
    default=query.HUB_DEGREE,
    show_default=True,
    type=click.IntRange(min=1),
    help="What counts as a hub for --avoid-hubs.",
)
@click.option("--all", "all_paths", is_flag=True, help="List every shortest path (at most 25).")
@json_option
@pass_ctx
def path(
    ctx: Context,
    src: str,
    dst: str,
    max_depth: int,
    avoid_hubs: bool,
    hub_degree: int,
    all_paths: bool,
    as_json: bool,
) -> None:
    """Show a shortest path between two nodes (edge direction ignored); with --all every
    shortest path, with --avoid-hubs none through a hub. SRC and DST are node ids (find
    them with kgraph search)."""
    found = query.find_paths(
        ctx.store,
        src,
        dst,
        avoid_hubs=avoid_hubs,
        all_paths=all_paths,
        max_depth=max_depth,
        hub_degree=hub_degree,
    )
    if not found.paths:
        avoided = " avoiding hubs" if avoid_hubs else ""
        raise NotFoundError(f"no path between {src} and {dst} within {max_depth} steps{avoided}")
    sub = ctx.store.subgraph({i for p in found.paths for i in p})
    if as_json:
        echo_json({"paths": found.paths, "avoided": found.avoided, "more": found.more})
        return
    for number, ids in enumerate(found.paths, start=1):
        if len(found.paths) > 1:
            click.echo(f"path {number}:")
        for node_id in ids:
            node = sub.nodes[node_id]
            click.echo(f"{node.id}\t{node.kind}\t{node.title}")
    if found.more:
        click.echo("more shortest paths exist than are listed", err=True)


@cli.command()
@click.option("--since", metavar="ISO-DATE", help="Only changes at or after this moment.")
@click.option("--until", metavar="ISO-DATE", help="Only changes before this moment.")
@click.option("--by", "actor", metavar="NAME", help="Only changes by this person.")
@click.option("--node", "target", metavar="ID", help="Only changes of this node and its edges.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many entries.")
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Skip this many entries first (with --limit: one page of a long history).",
)
@click.option("--newest-first", is_flag=True, help="The latest change first.")
@json_option
@pass_ctx
def history(
    ctx: Context,
    since: str | None,
    until: str | None,
    actor: str | None,
    target: str | None,
    limit: int | None,
    offset: int,
    newest_first: bool,
    as_json: bool,
) -> None:
    """List recorded changes: who, when, what before and after."""
    changes = ctx.store.history(
        since=parse_moment(since) if since else None,
        until=parse_moment(until) if until else None,
        actor=actor,
        target=target,
        limit=limit,
        offset=offset,
        newest_first=newest_first,
    )
    if as_json:
        echo_json([c.to_dict() for c in changes])
        return
    for c in changes:
        click.echo(f"{c.at}\t{c.actor}\t{c.op}\t{c.target}")
