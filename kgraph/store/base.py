"""The storage contract every backend fulfils, and the values it returns.

A store holds nodes and typed, directed edges (see ``kgraph.model``) and a history of
every change. Each write is validated against the model, committed before it returns and
recorded in the history in the same transaction. Several writes can be grouped with
``with store.transaction(actor=...):`` so that they land all together or not at all.

Reads never walk the whole graph: neighbourhoods are capped (``DEFAULT_CAP`` nodes, the
focus expanded first and hubs last) and say whether they were cut.
"""

from __future__ import annotations

import abc
import getpass
import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from kgraph.errors import StoreError, ValidationError
from kgraph.model import Edge, Node, check_edge_kind, check_node_kind

DEFAULT_CAP = 300


def now_iso() -> str:
    """The current moment as an ISO-8601 UTC string with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def default_actor() -> str:
    """Who a change is attributed to when nobody is named: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry, e.g. in a bare container
        return os.environ.get("USER", "unknown")


def changed_props(props: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``props`` with ``changes`` applied; a ``None`` value removes a prop."""
    merged = dict(props)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def stamp_node(
    node: Node, created: str | None, updated: str, who: str | None, version: int
) -> Node:
    """``node`` as a store keeps it: with these store fields and its own copy of ``props``."""
    return replace(
        node,
        props=dict(node.props),
        created_at=created,
        updated_at=updated,
        updated_by=who,
        version=version,
    )


def neighbourhood_focus(
    focus: Sequence[str],
    depth: int,
    cap: int,
    kinds: Sequence[str] | None,
    edge_kinds: Sequence[str] | None,
) -> list[str]:
    """Check a neighbourhood request the same way in every backend; the focus without
    repeats, in the order given."""
    if depth < 0:
        raise ValidationError("depth must be 0 or more")
    if cap < 1:
        raise ValidationError("cap must be at least 1")
    for kind in kinds or ():
        check_node_kind(kind)
    for kind in edge_kinds or ():
        check_edge_kind(kind)
    return list(dict.fromkeys(focus))


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
    ``update_edge``, ``delete_edge``; ``target`` is a node id or an edge key
    (``src|KIND|dst``). ``before``/``after`` are ``to_dict()`` forms (``None`` for
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


class GraphStore(abc.ABC):
    """The contract; see the module docstring. Backends: ``embedded``, ``neo4j``.

    Every write takes an optional ``actor`` (who made the change); without it the store's
    ``actor`` is used. Inside ``transaction(actor=...)`` the transaction's actor applies.
    """

    #: a short name of the backend (``embedded`` or ``neo4j``)
    backend: str = ""
    #: where the store lives, as the user gave it (path or URL, without password)
    location: str = ""

    def __init__(self, actor: str | None = None) -> None:
        self.actor = actor or default_actor()

    # --- lifecycle ---------------------------------------------------------------------

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def transaction(self, actor: str | None = None) -> AbstractContextManager[None]:
        """Group writes: all of them are committed at the end, or none if an error escapes.

        Nested ``transaction()`` blocks join the outer one.
        """

    # --- writes ------------------------------------------------------------------------

    @abc.abstractmethod
    def add_node(self, node: Node, *, actor: str | None = None) -> Node:
        """Add a node; ``DuplicateError`` if the id exists. Returns it as stored."""

    @abc.abstractmethod
    def update_node(
        self,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
        expected_version: int | None = None,
    ) -> Node:
        """Change fields/props of a node (a ``None`` value removes a prop).

        With ``expected_version``, refuse with ``ConflictError`` ("changed by X at T")
        when someone else saved the node since that version was read.
        """

    @abc.abstractmethod
    def delete_node(self, node_id: str, *, actor: str | None = None) -> None:
        """Delete a node and every edge touching it (each recorded in the history)."""

    @abc.abstractmethod
    def add_edge(self, edge: Edge, *, actor: str | None = None) -> Edge:
        """Add an edge between existing nodes of allowed kinds; ``DuplicateError`` if present."""

    @abc.abstractmethod
    def update_edge(
        self,
        src: str,
        kind: str,
        dst: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
    ) -> Edge:
        """Change an edge's props (e.g. a ``LANDS_IN`` handover status and decision)."""

    @abc.abstractmethod
    def delete_edge(self, src: str, kind: str, dst: str, *, actor: str | None = None) -> None:
        """Delete one edge; ``NotFoundError`` if absent."""

    @abc.abstractmethod
    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        """Add many nodes and edges in one transaction; items already present are skipped.

        Returns ``(nodes_added, edges_added)``. With ``history``, those entries are stored
        as given (used by copy and restore) instead of new ones; ``keep_times`` keeps the
        nodes' and edges' own ``created_at``/``updated_at``.
        """

    # --- reads -------------------------------------------------------------------------

    @abc.abstractmethod
    def get_node(self, node_id: str) -> Node | None:
        """The node with that id, or ``None``."""

    @abc.abstractmethod
    def get_edge(self, src: str, kind: str, dst: str) -> Edge | None:
        """The edge, or ``None``."""

    @abc.abstractmethod
    def nodes(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        """Nodes of the given kinds/statuses (all when ``None``), ordered by kind and id."""

    @abc.abstractmethod
    def edges(
        self,
        kinds: Sequence[str] | None = None,
        *,
        node_id: str | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        """Edges of the given kinds, optionally only those touching ``node_id``."""

    @abc.abstractmethod
    def neighbours(
        self,
        node_id: str,
        *,
        direction: str = "both",
        edge_kinds: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, Node]]:
        """Edges at ``node_id`` with the node at their other end.

        ``direction`` is ``out``, ``in`` or ``both``.
        """

    @abc.abstractmethod
    def neighbourhood(
        self,
        focus: Sequence[str],
        depth: int = 1,
        *,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        edge_kinds: Sequence[str] | None = None,
        cap: int = DEFAULT_CAP,
    ) -> Subgraph:
        """The nodes within ``depth`` steps of the focus (edges in either direction).

        Expands breadth-first, focus first and low-degree nodes before hubs, and stops at
        ``cap`` nodes (``truncated`` then says so). Nodes not matching ``kinds``/
        ``statuses`` are neither returned nor walked through; focus nodes always are.
        """

    @abc.abstractmethod
    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        """The given nodes (missing ids ignored) and all edges among them."""

    @abc.abstractmethod
    def shortest_path(self, src: str, dst: str, *, max_depth: int = 8) -> list[str] | None:
        """Node ids of a shortest path ignoring edge direction, or ``None`` if none within
        ``max_depth`` steps."""

    @abc.abstractmethod
    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        """Nodes whose title, text, tags or id contain every word of ``text`` (as a word
        prefix), case- and accent-insensitive; best matches (title hits) first."""

    @abc.abstractmethod
    def last_change(self) -> int:
        """The number (``seq``) of the newest history entry, 0 for none: a cheap stamp that
        changes with every committed write, from any process (caches key on it)."""

    @abc.abstractmethod
    def counts(self) -> Counts:
        """Nodes per kind and edges per kind."""

    @abc.abstractmethod
    def history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        """Changes in the order made, filtered by time (ISO strings, ``since`` inclusive,
        ``until`` exclusive), person and target (a node id matches its edges too)."""

    def export_all(self) -> Subgraph:
        """The whole graph as one subgraph; for analysis, export and copy, not hot paths."""
        nodes = {n.id: n for n in self.nodes()}
        return Subgraph(nodes=nodes, edges=self.edges())

    def wipe(self) -> None:
        """Delete every node, edge and history entry (``copy --replace``, tests).

        Inside ``transaction()`` it joins the transaction, so a failed copy keeps the old data.
        """
        raise StoreError(f"the {self.backend or type(self).__name__} backend cannot be wiped")

    def is_empty(self) -> bool:
        counts = self.counts()
        return not counts.nodes and not self.history(limit=1)
