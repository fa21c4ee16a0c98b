"""What the analyses share: fetching the graph from a store and naming items in results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgraph.model import Node
from kgraph.store.base import GraphStore, Subgraph

Source = GraphStore | Subgraph


def fetch(
    source: Source, node_kinds: Sequence[str] | None = None, edge_kinds: Sequence[str] | None = None
) -> Subgraph:
    """The part of the graph an analysis needs, from a store or an already fetched subgraph.

    With a store only the given node and edge kinds are read (all when ``None``); edges
    whose ends were not fetched are dropped, so every analysis sees a consistent graph.
    """
    if isinstance(source, Subgraph):
        nodes = {
            k: n for k, n in source.nodes.items() if node_kinds is None or n.kind in node_kinds
        }
        edges = [
            e
            for e in source.edges
            if (edge_kinds is None or e.kind in edge_kinds) and e.src in nodes and e.dst in nodes
        ]
        return Subgraph(nodes=nodes, edges=edges)
    if node_kinds is None and edge_kinds is None:
        return source.export_all()
    found = {n.id: n for n in source.nodes(kinds=list(node_kinds) if node_kinds else None)}
    edges = [
        e
        for e in source.edges(kinds=list(edge_kinds) if edge_kinds else None)
        if e.src in found and e.dst in found
    ]
    return Subgraph(nodes=found, edges=edges)


def item(node: Node, **extra: Any) -> dict[str, Any]:
    """A result row naming a node: id, kind, title, status, plus ``extra``."""
    row: dict[str, Any] = {
        "id": node.id,
        "kind": node.kind,
        "title": node.title,
        "status": node.status,
    }
    row.update(extra)
    return row


def sort_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in a stable, readable order: by kind, then title, then id."""
    return sorted(rows, key=lambda r: (r["kind"], str(r["title"]).casefold(), r["id"]))
