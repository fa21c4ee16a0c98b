"""The values a store returns: subgraphs, history entries, counts and records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgraph.model import Edge, Node


@dataclass(frozen=True)
class Subgraph:
    """A selection of the graph: nodes, the edges among them, and how it was made.

    ``truncated`` is true when the node cap cut the selection; ``focus`` lists the ids it
    was grown from.
    """

    nodes: dict[str, Node]
    edges: list[Edge]
    truncated: bool = False
    focus: tuple[str, ...] = ()
    cap: int | None = None

    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph`` with node and edge attributes as in ``to_dict``."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for node in self.nodes.values():
            graph.add_node(node.id, **node.to_dict())
        for edge in self.edges:
            graph.add_edge(edge.src, edge.dst, key=edge.kind, **edge.to_dict())
        return graph


@dataclass(frozen=True)
class Change:
    """One entry of the history: who changed what, when, and the values before and after.

    ``op`` is one of ``add_node``, ``update_node``, ``delete_node``, ``add_edge``,
    ``update_edge``, ``delete_edge``, ``add_record``, ``update_record``, ``delete_record``;
    ``target`` is a node id, an edge key (``src|KIND|dst``) or a record
    (``@collection/id``, see ``kgraph.model.record_target``). ``before``/``after`` are ``to_dict()`` forms (``None`` for
    the side that does not exist). Changes made in one transaction share ``tx``.
    """

    seq: int
    tx: int
    at: str
    actor: str
    op: str
    target: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "tx": self.tx,
            "at": self.at,
            "actor": self.actor,
            "op": self.op,
            "target": self.target,
            "before": dict(self.before) if self.before is not None else None,
            "after": dict(self.after) if self.after is not None else None,
        }


@dataclass(frozen=True)
class Counts:
    """Number of nodes per kind and edges per kind (kinds with none are left out)."""

    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(self.nodes), "edges": dict(self.edges)}


@dataclass(frozen=True)
class Record:
    """Something a store keeps beside the graph: a handover action, a meeting, a saved
    view, a layout, an import batch, a source's title (``kgraph.model.RECORD_COLLECTIONS``).

    ``ref`` names what the record belongs to (an edge key, a node id, a view's name) and
    is indexed, so ``GraphStore.records(collection, ref=...)`` finds a record's kind by it;
    ``data`` holds the rest as JSON values. The store sets ``created_at``, ``updated_at``,
    ``updated_by`` and ``version`` (1 for a new record, one more with every change).
    """

    collection: str
    id: str
    data: Mapping[str, Any] = field(default_factory=dict)
    ref: str = ""
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "id": self.id,
            "ref": self.ref,
            "data": dict(self.data),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        return cls(
            collection=data["collection"],
            id=data["id"],
            data=dict(data.get("data") or {}),
            ref=data.get("ref") or "",
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            updated_by=data.get("updated_by"),
            version=int(data.get("version") or 0),
        )
