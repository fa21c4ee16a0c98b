"""The storage contract every backend fulfils, and the one write pipeline they share.

A store holds nodes and typed, directed edges (see ``kgraph.model``) and a history of
every change. Each write is validated against the model, committed before it returns and
recorded in the history in the same transaction. Several writes can be grouped with
``with store.transaction(actor=...):`` so that they land all together or not at all.

The writes are implemented here, once: validate, check the edge's ends against the model,
stamp (``created_at``/``updated_at``/``updated_by``/``version``) and build the history
entry. A backend supplies only primitives inside one write transaction (``WriteUnit``:
read the current item, write rows, append history), so the rules cannot drift apart.
Neighbourhoods likewise run one shared capped search (``kgraph.store.neighbourhood``)
over the backend's adjacency reads.

Beside the graph a store keeps *records* (``add_record`` ...): handover actions, meetings,
saved views and their layouts, import batches, source titles. They go through the same
pipeline (one transaction, history entries named ``@collection/id``) but are never nodes:
graph reads, analyses and exports do not see them.

Reads never walk the whole graph: neighbourhoods are capped (``DEFAULT_CAP`` nodes, the
focus expanded first and hubs last) and say whether they were cut.
"""

from __future__ import annotations

import abc
import getpass
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kgraph.errors import ConflictError, DuplicateError, NotFoundError, StoreError, ValidationError
from kgraph.model import (
    RECORD_COLLECTIONS,
    UNTRACKED_COLLECTIONS,
    Edge,
    Node,
    check_collection,
    check_edge_ends,
    check_edge_kind,
    check_id,
    check_record_data,
    edge_key,
    record_target,
    validate_edge,
    validate_node,
)
from kgraph.store.neighbourhood import Adjacency, Filters, check_request
from kgraph.store.neighbourhood import neighbourhood as capped_neighbourhood
from kgraph.store.values import Change, Counts, Record, Subgraph

if TYPE_CHECKING:
    from kgraph.store.listing import NodeQuery
    from kgraph.store.vectors import VectorCache

__all__ = ["DEFAULT_CAP", "Change", "Counts", "GraphStore", "Record", "Subgraph", "WriteUnit"]

DEFAULT_CAP = 300
T = TypeVar("T")

#: one history entry of a write: (op, target, before, after, at, actor)
Entry = tuple[str, str, Mapping[str, Any] | None, Mapping[str, Any] | None, str, str]


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


def stamp_edge(edge: Edge, created: str | None, updated: str, who: str | None) -> Edge:
    """``edge`` as a store keeps it, with these store fields."""
    return Edge(edge.src, edge.kind, edge.dst, edge.props, created, updated, who)


def loaded_node(node: Node, at: str, who: str, keep_times: bool) -> Node:
    """A node of a bulk load as stored: stamped now, or with its own times kept."""
    if not keep_times:
        return stamp_node(node, at, at, who, 1)
    return stamp_node(
        node,
        node.created_at or at,
        node.updated_at or at,
        node.updated_by or who,
        node.version or 1,
    )


def loaded_edge(edge: Edge, at: str, who: str, keep_times: bool) -> Edge:
    """An edge of a bulk load as stored: stamped now, or with its own times kept."""
    if not keep_times:
        return stamp_edge(edge, at, at, who)
    return stamp_edge(edge, edge.created_at or at, edge.updated_at or at, edge.updated_by or who)


def check_ends(edge: Edge, kinds: Mapping[str, str]) -> None:
    """Refuse an edge whose ends are missing from ``kinds`` (id -> kind) or not allowed."""
    for end in (edge.src, edge.dst):
        if end not in kinds:
            raise NotFoundError(f"edge {edge.key}: no node with id {end!r}")
    check_edge_ends(edge.kind, kinds[edge.src], kinds[edge.dst])


def prepare_load(
    nodes: Iterable[Node], edges: Iterable[Edge]
) -> tuple[dict[str, Node], dict[tuple[str, str, str], Edge]]:
    """A bulk load validated in full before anything is written: the nodes by id and the
    edges by (src, kind, dst), first occurrence kept."""
    batch: dict[str, Node] = {}
    for node in nodes:
        node = validate_node(node)
        batch.setdefault(node.id, node)
    wanted: dict[tuple[str, str, str], Edge] = {}
    for edge in edges:
        edge = validate_edge(edge)
        wanted.setdefault((edge.src, edge.kind, edge.dst), edge)
    return batch, wanted


#: the longest ``ref`` a record may carry (an edge key of two 128-character ids fits)
REF_MAX = 512


def new_record_id() -> str:
    """A fresh record id: 12 random hex digits (collisions are refused, never merged)."""
    return secrets.token_hex(6)


def check_ref(ref: object) -> str:
    """``ref`` if it is a usable record reference: text of at most ``REF_MAX`` characters
    without control characters."""
    if not isinstance(ref, str):
        raise ValidationError(f"a record's ref must be text, not {type(ref).__name__}")
    if len(ref) > REF_MAX or any(ord(c) < 32 or ord(c) == 127 for c in ref):
        raise ValidationError(
            f"invalid record ref {ref[:80]!r}: at most {REF_MAX} characters, no control characters"
        )
    return ref


def record_entries(
    op: str, before: Record | None, after: Record | None, at: str, who: str
) -> list[Entry]:
    """The history entry of a record write; none for presentation state
    (``UNTRACKED_COLLECTIONS``)."""
    record = after or before
    assert record is not None
    if record.collection in UNTRACKED_COLLECTIONS:
        return []
    return [
        (
            op,
            record_target(record.collection, record.id),
            before.to_dict() if before is not None else None,
            after.to_dict() if after is not None else None,
            at,
            who,
        )
    ]


def load_entries(
    nodes: Iterable[Node], edges: Iterable[Edge], at: str, who: str
) -> Iterator[Entry]:
    """The history entries of a bulk load: one ``add_node``/``add_edge`` per item, made
    one at a time (a load's entries at once would hold every item twice over)."""
    for n in nodes:
        yield ("add_node", n.id, None, n.to_dict(), at, who)
    for e in edges:
        yield ("add_edge", e.key, None, e.to_dict(), at, who)


class WriteUnit(Protocol):
    """The primitives a backend offers inside one write transaction.

    Reads see the transaction's own writes; ``lock`` asks for the item to be write-locked
    before it is read (so a check made on it cannot race another writer).
    """

    #: who the transaction's changes are attributed to when a write names nobody
    actor: str

    def node(self, node_id: str, *, lock: bool = False) -> Node | None: ...

    def kinds(self, ids: Sequence[str]) -> dict[str, str]:
        """The kinds of those of ``ids`` that exist."""
        ...

    def edge(self, src: str, kind: str, dst: str, *, lock: bool = False) -> Edge | None: ...

    def edges_of(self, node_id: str) -> list[Edge]:
        """Every edge touching ``node_id``."""
        ...

    def insert_node(self, node: Node) -> None: ...

    def replace_node(self, old: Node, new: Node) -> None: ...

    def remove_node(self, node: Node, edges: Sequence[Edge]) -> None:
        """Delete the node and its ``edges`` (all of them; the other ends' degrees drop)."""
        ...

    def insert_edge(self, edge: Edge) -> None: ...

    def replace_edge(self, old: Edge, new: Edge) -> None: ...

    def remove_edge(self, edge: Edge) -> None: ...

    def append_history(self, entries: Sequence[Entry]) -> None:
        """Number and store history entries in this transaction."""
        ...

    def record(self, collection: str, record_id: str, *, lock: bool = False) -> Record | None: ...

    def insert_record(self, record: Record) -> None: ...

    def replace_record(self, old: Record, new: Record) -> None: ...

    def remove_record(self, record: Record) -> None: ...


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

    # --- writes: the one pipeline ---------------------------------------------------------

    def _write_unit(self, work: Callable[[WriteUnit], T], actor: str | None) -> T:
        """Run ``work`` in one write transaction (joining an open ``transaction()``) and
        commit it. ``work`` may be run again from the start after a transient failure.

        Every backend implements it; a wrapper (e.g. ``auth.guard``) that passes the
        public writes on to its store does not need to.
        """
        raise StoreError(f"{type(self).__name__} has no write transactions of its own")

    def add_node(self, node: Node, *, actor: str | None = None) -> Node:
        """Add a node; ``DuplicateError`` if the id exists. Returns it as stored."""
        node = validate_node(node)

        def work(w: WriteUnit) -> Node:
            if w.node(node.id) is not None:
                raise DuplicateError(f"node {node.id} exists already")
            at, who = now_iso(), actor or w.actor
            stored = stamp_node(node, at, at, who, 1)
            w.insert_node(stored)
            w.append_history([("add_node", node.id, None, stored.to_dict(), at, who)])
            return stored

        return self._write_unit(work, actor)

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

        def work(w: WriteUnit) -> Node:
            old = _require(w.node(node_id, lock=True), f"no node with id {node_id!r}")
            if expected_version is not None and old.version != expected_version:
                raise ConflictError(
                    f"{node_id} was changed by {old.updated_by} at {old.updated_at}; "
                    "reload to see the new version"
                )
            new = validate_node(old.with_changes(changes))
            if new == old:
                return old
            at, who = now_iso(), actor or w.actor
            new = stamp_node(new, old.created_at, at, who, old.version + 1)
            w.replace_node(old, new)
            w.append_history([("update_node", node_id, old.to_dict(), new.to_dict(), at, who)])
            return new

        return self._write_unit(work, actor)

    def delete_node(self, node_id: str, *, actor: str | None = None) -> None:
        """Delete a node and every edge touching it (each recorded in the history)."""

        def work(w: WriteUnit) -> None:
            old = _require(w.node(node_id, lock=True), f"no node with id {node_id!r}")
            at, who = now_iso(), actor or w.actor
            edges = w.edges_of(node_id)
            entries: list[Entry] = [
                ("delete_edge", e.key, e.to_dict(), None, at, who) for e in edges
            ]
            entries.append(("delete_node", node_id, old.to_dict(), None, at, who))
            w.remove_node(old, edges)
            w.append_history(entries)

        self._write_unit(work, actor)

    def add_edge(self, edge: Edge, *, actor: str | None = None) -> Edge:
        """Add an edge between existing nodes of allowed kinds; ``DuplicateError`` if present."""
        edge = validate_edge(edge)

        def work(w: WriteUnit) -> Edge:
            check_ends(edge, w.kinds([edge.src, edge.dst]))
            if w.edge(edge.src, edge.kind, edge.dst) is not None:
                raise DuplicateError(f"edge {edge.key} exists already")
            at, who = now_iso(), actor or w.actor
            stored = stamp_edge(edge, at, at, who)
            w.insert_edge(stored)
            w.append_history([("add_edge", stored.key, None, stored.to_dict(), at, who)])
            return stored

        return self._write_unit(work, actor)

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
        check_edge_kind(kind)

        def work(w: WriteUnit) -> Edge:
            old = _require(w.edge(src, kind, dst, lock=True), f"no edge {edge_key(src, kind, dst)}")
            new = validate_edge(Edge(src, kind, dst, changed_props(old.props, changes)))
            if new.props == old.props:
                return old
            at, who = now_iso(), actor or w.actor
            new = stamp_edge(new, old.created_at, at, who)
            w.replace_edge(old, new)
            w.append_history([("update_edge", new.key, old.to_dict(), new.to_dict(), at, who)])
            return new

        return self._write_unit(work, actor)

    def delete_edge(self, src: str, kind: str, dst: str, *, actor: str | None = None) -> None:
        """Delete one edge; ``NotFoundError`` if absent."""
        check_edge_kind(kind)

        def work(w: WriteUnit) -> None:
            old = _require(w.edge(src, kind, dst, lock=True), f"no edge {edge_key(src, kind, dst)}")
            w.remove_edge(old)
            w.append_history(
                [("delete_edge", old.key, old.to_dict(), None, now_iso(), actor or w.actor)]
            )

        self._write_unit(work, actor)

    # --- records: what the store keeps beside the graph ----------------------------------

    def add_record(
        self,
        collection: str,
        data: Mapping[str, Any],
        *,
        id: str | None = None,
        ref: str = "",
        actor: str | None = None,
    ) -> Record:
        """Keep a new record of ``collection`` (``kgraph.model.RECORD_COLLECTIONS``) and
        return it as stored. ``id`` is generated when not given; ``DuplicateError`` when a
        record of that collection has it already. Recorded in the history as
        ``add_record`` of ``@collection/id`` (not for ``UNTRACKED_COLLECTIONS``)."""
        collection = check_collection(collection)
        clean = check_record_data(collection, data)
        record_id = check_id(id) if id is not None else new_record_id()
        ref = check_ref(ref)

        def work(w: WriteUnit) -> Record:
            if w.record(collection, record_id, lock=True) is not None:
                raise DuplicateError(f"{collection} record {record_id} exists already")
            at, who = now_iso(), actor or w.actor
            stored = Record(collection, record_id, clean, ref, at, at, who, 1)
            w.insert_record(stored)
            w.append_history(record_entries("add_record", None, stored, at, who))
            return stored

        return self._write_unit(work, actor)

    def update_record(
        self,
        collection: str,
        record_id: str,
        changes: Mapping[str, Any],
        *,
        ref: str | None = None,
        expected_version: int | None = None,
        actor: str | None = None,
    ) -> Record:
        """Change keys of a record's data (a ``None`` value removes a key) and, given,
        its ``ref``. With ``expected_version``, ``ConflictError`` when someone else saved
        the record since that version was read. The read and the write are one
        transaction, so concurrent updates of different keys never lose each other."""
        collection = check_collection(collection)
        if ref is not None:
            ref = check_ref(ref)

        def work(w: WriteUnit) -> Record:
            old = _require(
                w.record(collection, record_id, lock=True),
                f"no {collection} record with id {record_id!r}",
            )
            if expected_version is not None and old.version != expected_version:
                raise ConflictError(
                    f"{collection} record {record_id} was changed by {old.updated_by} at "
                    f"{old.updated_at}; reload to see the new version"
                )
            data = check_record_data(collection, changed_props(old.data, changes))
            new_ref = old.ref if ref is None else ref
            if data == dict(old.data) and new_ref == old.ref:
                return old
            at, who = now_iso(), actor or w.actor
            new = replace(
                old, data=data, ref=new_ref, updated_at=at, updated_by=who, version=old.version + 1
            )
            w.replace_record(old, new)
            w.append_history(record_entries("update_record", old, new, at, who))
            return new

        return self._write_unit(work, actor)

    def delete_record(self, collection: str, record_id: str, *, actor: str | None = None) -> None:
        """Remove a record (``NotFoundError`` if absent); its history stays."""
        collection = check_collection(collection)

        def work(w: WriteUnit) -> None:
            old = _require(
                w.record(collection, record_id, lock=True),
                f"no {collection} record with id {record_id!r}",
            )
            w.remove_record(old)
            w.append_history(
                record_entries("delete_record", old, None, now_iso(), actor or w.actor)
            )

        self._write_unit(work, actor)

    def load_records(self, records: Iterable[Record], *, actor: str | None = None) -> int:
        """Keep records exactly as given (times, author and version included) in one
        transaction, without history entries: for copy and restore, whose history comes
        along separately. Records already present are skipped; returns how many were added."""
        given = [
            replace(
                r,
                collection=check_collection(r.collection),
                id=check_id(r.id),
                data=check_record_data(r.collection, r.data),
                ref=check_ref(r.ref),
            )
            for r in records
        ]

        def work(w: WriteUnit) -> int:
            added = 0
            for r in given:
                if w.record(r.collection, r.id) is None:
                    w.insert_record(r)
                    added += 1
            return added

        return self._write_unit(work, actor)

    @abc.abstractmethod
    def get_record(self, collection: str, record_id: str) -> Record | None:
        """The record, or ``None``."""

    @abc.abstractmethod
    def records(
        self,
        collection: str,
        *,
        ref: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        """Records of ``collection`` (only those with that ``ref`` when given), oldest
        first (by ``created_at``, then id)."""

    @abc.abstractmethod
    def count_records(self, collection: str, *, ref: str | None = None) -> int:
        """How many records ``records`` would return without a limit."""

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
        The search is ``kgraph.store.neighbourhood``'s; the backend supplies the reads.
        """
        ids, filters = check_request(focus, depth, cap, kinds, statuses, edge_kinds)
        return self._with_adjacency(
            filters, lambda adjacency: capped_neighbourhood(adjacency, ids, depth, cap)
        )

    def _with_adjacency(self, filters: Filters, work: Callable[[Adjacency], T]) -> T:
        """Run ``work`` with this backend's adjacency reads, in one read transaction
        (every backend implements it; see ``_write_unit`` on wrappers)."""
        raise StoreError(f"{type(self).__name__} has no adjacency reads of its own")

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

    # --- lists, aggregates and lean rows (``kgraph.store.listing``) ---------------------
    # Pages and analyses read what they show through these; both backends answer them in
    # the store (SQL / Cypher). The defaults here go through the reads above, in memory:
    # correct for any wrapper or new backend, and the reference the backends are tested on.

    def find_nodes(
        self, query: NodeQuery, *, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        """The nodes ``query`` holds, in its order; with ``limit``, one page of them
        starting at ``offset``. Filtering, sorting and paging are done by the store."""
        from kgraph.store.listing import select_nodes

        found = select_nodes(self.export_all(), query)
        return found[offset : None if limit is None else offset + limit]

    def count_nodes(self, query: NodeQuery) -> int:
        """How many nodes ``query`` holds (counted by the store)."""
        from kgraph.store.listing import select_nodes

        return len(select_nodes(self.export_all(), query))

    def status_counts(self) -> dict[str, dict[str, int]]:
        """Nodes per kind and status: kind -> status (``""`` for none) -> count; kinds
        without nodes are left out."""
        out: dict[str, dict[str, int]] = {}
        for node in self.nodes():
            per = out.setdefault(node.kind, {})
            per[node.status or ""] = per.get(node.status or "", 0) + 1
        return out

    def node_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        """``(id, kind, title, status)`` of the nodes of ``kinds`` (all when ``None``), in no
        particular order: what analyses need of a node, without its text and properties."""
        return [(n.id, n.kind, n.title, n.status) for n in self.nodes(kinds)]

    def edge_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        """``(src, kind, dst, status)`` of the edges of ``kinds`` (all when ``None``), in no
        particular order; ``status`` is the edge's ``status`` property (a ``LANDS_IN``
        edge's handover status) or ``None``."""
        out = []
        for e in self.edges(kinds):
            status = e.props.get("status")
            out.append((e.src, e.kind, e.dst, status if isinstance(status, str) else None))
        return out

    def change_stamp(self) -> str:
        """``last_change()`` with the time of that change (``"1234@2026-..."``): equal only
        for the same history, so a cache keyed on it cannot mistake a store that was wiped
        or replaced and has reached the same number again for the one it knew."""
        return f"{self.last_change()}@"

    @abc.abstractmethod
    def history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Change]:
        """Changes in the order made (``newest_first``: the other way round), filtered by
        time (ISO strings, ``since`` inclusive, ``until`` exclusive), person and target (a
        node id matches its edges too); ``offset`` entries of that order skipped, at most
        ``limit`` returned. Only the entries returned are decoded, so a page of a long
        history costs its page."""

    @abc.abstractmethod
    def count_history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
    ) -> int:
        """How many entries ``history`` would return with these filters and no limit."""

    def export_all(self) -> Subgraph:
        """The whole graph as one subgraph; for analysis, export and copy, not hot paths."""
        nodes = {n.id: n for n in self.nodes()}
        return Subgraph(nodes=nodes, edges=self.edges())

    def wipe(self) -> None:
        """Delete every node, edge and history entry (``copy --replace``, tests).

        Inside ``transaction()`` it joins the transaction, so a failed copy keeps the old data.
        """
        raise StoreError(f"the {self.backend or type(self).__name__} backend cannot be wiped")

    def snapshot(self, dest: Path) -> None:
        """Write the whole store as it was at one moment to ``dest`` (a path that does not
        exist yet) as a self-contained embedded store file: nodes, edges and history.

        This default copies through the contract, again while the history shows a change
        was committed meanwhile (see ``kgraph.store.snapshot``); a backend with a cheaper
        consistent read overrides it.
        """
        from kgraph.store.snapshot import copy_snapshot

        copy_snapshot(self, dest)

    def load_snapshot(self, snapshot: Path, *, replace: bool = False) -> None:
        """Make this store hold what the snapshot file holds (``replace``: wipe it first, in
        the same transaction). Callers check the snapshot and the store's emptiness."""
        from kgraph.store.snapshot import copy_from_snapshot

        copy_from_snapshot(snapshot, self, replace=replace)

    def vector_cache(self) -> VectorCache:
        """Where this store keeps derived question vectors (``kgraph.store.vectors``):
        outside the history, readable and writable by anyone who may read the store."""
        raise StoreError(f"the {self.backend or type(self).__name__} backend keeps no vectors")

    def is_empty(self) -> bool:
        counts = self.counts()
        return (
            not counts.nodes
            and not self.history(limit=1)
            and not any(self.count_records(c) for c in RECORD_COLLECTIONS)
        )


def _require(item: T | None, missing: str) -> T:
    if item is None:
        raise NotFoundError(missing)
    return item
