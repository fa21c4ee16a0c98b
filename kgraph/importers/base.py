"""What every importer returns, and the one place a batch is written to a store."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


@dataclass
class ImportBatch:
    """Nodes and edges read from one source, ready to be written all-or-nothing.

    ``notes`` says what the importer noticed but could not place (shown to the user).
    """

    source: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = {}
        edges: dict[str, int] = {}
        for n in self.nodes:
            nodes[n.kind] = nodes.get(n.kind, 0) + 1
        for e in self.edges:
            edges[e.kind] = edges.get(e.kind, 0) + 1
        return {"nodes": nodes, "edges": edges}


@dataclass(frozen=True)
class ImportResult:
    """What ``apply_batch`` added (items already in the store are not counted)."""

    nodes_added: int
    edges_added: int


def apply_batch(store: GraphStore, batch: ImportBatch, *, actor: str | None = None) -> ImportResult:
    """Write ``batch`` in one transaction; ids already present are left as they are,
    so importing the same source twice adds nothing."""
    added_nodes, added_edges = store.bulk_load(batch.nodes, batch.edges, actor=actor)
    return ImportResult(added_nodes, added_edges)
