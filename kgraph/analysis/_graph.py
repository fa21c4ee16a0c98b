"""What the analyses share: reading the part of the graph they need, and naming items.

Analyses read *lean rows* (``GraphStore.node_rows``/``edge_rows``: id, kind, title, status;
src, kind, dst, status) into plain dicts, never a networkx copy of the whole store: at
100,000 questions the full nodes with their texts and a ``MultiDiGraph`` of them cost
seconds and a gigabyte, the rows a fraction of that. An analysis given a ``Subgraph``
reads the same rows from it, so both give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kgraph.model import Node
from kgraph.store.base import GraphStore, Subgraph

Source = GraphStore | Subgraph

#: ``(id, kind, title, status)``
NodeRow = tuple[str, str, str, str | None]
#: ``(src, kind, dst, status)``
EdgeRow = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Lean:
    """Nodes of some kinds (id -> row) and the edges of some kinds among them."""

    nodes: dict[str, NodeRow]
    edges: list[EdgeRow]


def lean(
    source: Source, node_kinds: Sequence[str] | None = None, edge_kinds: Sequence[str] | None = None
) -> Lean:
    """The lean rows of the nodes of ``node_kinds`` and the edges of ``edge_kinds`` (all
    when ``None``) whose ends are both among those nodes: a consistent graph."""
    if isinstance(source, Subgraph):
        nodes = {
            n.id: (n.id, n.kind, n.title, n.status)
            for n in source.nodes.values()
            if node_kinds is None or n.kind in node_kinds
        }
        edge_rows: list[EdgeRow] = []
        for e in source.edges:
            if edge_kinds is None or e.kind in edge_kinds:
                status = e.props.get("status")
                edge_rows.append(
                    (e.src, e.kind, e.dst, status if isinstance(status, str) else None)
                )
    else:
        nodes = {r[0]: r for r in source.node_rows(list(node_kinds) if node_kinds else None)}
        edge_rows = source.edge_rows(list(edge_kinds) if edge_kinds else None)
    edges = [e for e in edge_rows if e[0] in nodes and e[2] in nodes]
    return Lean(nodes=nodes, edges=edges)


def fetch(
    source: Source, node_kinds: Sequence[str] | None = None, edge_kinds: Sequence[str] | None = None
) -> Subgraph:
    """Whole nodes and edges of the given kinds (all when ``None``), edges among the
    fetched nodes only; for analyses that need texts (similar questions)."""
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


def item(node: Node | NodeRow, **extra: Any) -> dict[str, Any]:
    """A result row naming a node (a ``Node`` or a lean row): id, kind, title, status,
    plus ``extra``."""
    if isinstance(node, Node):
        row: dict[str, Any] = {
            "id": node.id,
            "kind": node.kind,
            "title": node.title,
            "status": node.status,
        }
    else:
        row = {"id": node[0], "kind": node[1], "title": node[2], "status": node[3]}
    row.update(extra)
    return row


def sort_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in a stable, readable order: by kind, then title, then id."""
    return sorted(rows, key=lambda r: (r["kind"], str(r["title"]).casefold(), r["id"]))
