"""Roles enforced at the store: a ``GraphStore`` that checks the signed-in person's role.

``GuardedStore(store, user, role)`` answers every read from ``store`` and lets a write
through only when ``role`` allows it, recording ``user`` as the actor in the history. A
refused write raises ``PermissionDenied`` before the wrapped store is touched, so nothing
is written and no transaction is opened.

What each role may do (``WRITE_METHODS`` and ``ACTIONS`` are the single source of truth;
pages use ``allows(role, action)`` to hide what a person cannot do):

- ``viewer``: read, search, explore, export what they can see. No write at all.
- ``editor``: also add and change nodes, add, change and remove edges (links and handover
  decisions), and import files (``bulk_load`` of new items, recorded under their name).
- ``admin``: also delete nodes (a delete takes every edge with it), wipe the store, load items with
  history or timestamps carried over from elsewhere (``bulk_load(history=...)`` or
  ``keep_times=True``, as copy and restore do), back up and restore, manage users.

Nobody may write in someone else's name: a write that names another ``actor`` is refused.

Use in the dashboard: open the store once per process (``st.cache_resource``) and wrap it
per session after sign-in; the guard is cheap and does not close the shared store::

    base = get_store()                                   # cached, shared by sessions
    user = current_user()                                # from st.login or the users file
    store = GuardedStore(base, user.name, user.role)     # per session
    if allows(user.role, "edit"):
        ...show the edit form...                         # pages check, the store checks too
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.auth.users import ROLES, check_role
from kgraph.errors import PermissionDenied
from kgraph.model import Edge, Node
from kgraph.store.base import DEFAULT_CAP, Change, Counts, GraphStore, Record, Subgraph
from kgraph.store.listing import NodeQuery

if TYPE_CHECKING:
    from kgraph.store.vectors import VectorCache

#: the least role each write method of ``GraphStore`` needs
WRITE_METHODS: dict[str, str] = {
    "transaction": "editor",
    "add_node": "editor",
    "update_node": "editor",
    "add_edge": "editor",
    "update_edge": "editor",
    "delete_edge": "editor",
    "add_record": "editor",
    "update_record": "editor",
    "delete_record": "editor",
    "bulk_load": "editor",  # admin with history= or keep_times=True (see module docstring)
    "delete_node": "admin",
    "load_records": "admin",  # records with their own times and authors: copy and restore
    "wipe": "admin",
    "snapshot": "admin",  # writes a file: what ``backup`` does
    "load_snapshot": "admin",  # what ``restore`` does
}

#: methods of ``GraphStore`` that only read; every viewer may call them
READ_METHODS: frozenset[str] = frozenset(
    {
        "get_node",
        "get_edge",
        "nodes",
        "edges",
        "neighbours",
        "neighbourhood",
        "subgraph",
        "shortest_path",
        "search",
        "counts",
        "last_change",
        "history",
        "count_history",
        "get_record",
        "records",
        "count_records",
        "export_all",
        "is_empty",
        "close",
        # lists, aggregates and lean rows (``kgraph.store.listing``)
        "find_nodes",
        "count_nodes",
        "status_counts",
        "node_rows",
        "edge_rows",
        "change_stamp",
        # derived vectors (kgraph.store.vectors): computed from what any reader can read,
        # outside the history, so a viewer's first visit may fill them in
        "vector_cache",
    }
)

#: actions the dashboard and command line offer, and the least role each needs
ACTIONS: dict[str, str] = {
    "read": "viewer",
    "export": "viewer",
    "edit": "editor",
    "import": "editor",
    "delete": "admin",
    "load_history": "admin",
    "backup": "admin",
    "restore": "admin",
    "manage_users": "admin",
}

# Extra read-only methods some backends have that the guard passes on.
_PASS_THROUGH = frozenset({"integrity_problems"})


def allows(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (a key of ``ACTIONS`` or of ``WRITE_METHODS``)."""
    needed = ACTIONS.get(action) or WRITE_METHODS.get(action)
    if needed is None:
        raise KeyError(f"unknown action {action!r}")
    return ROLES.index(check_role(role)) >= ROLES.index(needed)


def require(user: str, role: str, action: str) -> None:
    """``PermissionDenied`` unless ``role`` may do ``action``."""
    if not allows(role, action):
        needed = ACTIONS.get(action) or WRITE_METHODS[action]
        raise PermissionDenied(
            f"{user} is signed in as {role} and may not {action.replace('_', ' ')}; "
            f"that needs the {needed} role"
        )


class GuardedStore(GraphStore):
    """``store`` seen by ``user`` with ``role``; see the module docstring.

    ``owns_store``: close the wrapped store when the guard is closed (default: leave it
    open, as the dashboard shares one store between sessions).
    """

    def __init__(
        self, store: GraphStore, user: str, role: str, *, owns_store: bool = False
    ) -> None:
        if not user:
            raise PermissionDenied("nobody is signed in")
        super().__init__(actor=user)
        self._store = store
        self.user = user
        self.role = check_role(role)
        self.backend = store.backend
        self.location = store.location
        self._owns_store = owns_store

    def __repr__(self) -> str:
        return f"GuardedStore({self._store!r}, user={self.user!r}, role={self.role!r})"

    def _check(self, method: str, actor: str | None) -> str:
        require(self.user, self.role, method)
        if actor is not None and actor != self.user:
            raise PermissionDenied(f"{self.user} may not make changes in the name of {actor}")
        return self.user

    def unwrap_for(self, action: str) -> GraphStore:
        """The wrapped store itself, for an ``action`` (e.g. ``backup``, ``restore``) that
        works below the store contract; ``PermissionDenied`` unless the role allows it."""
        require(self.user, self.role, action)
        return self._store

    def __getattr__(self, name: str) -> Any:
        if name in _PASS_THROUGH:
            return getattr(self._store, name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    # --- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_store:
            self._store.close()

    def transaction(self, actor: str | None = None) -> AbstractContextManager[None]:
        return self._store.transaction(actor=self._check("transaction", actor))

    # --- writes ------------------------------------------------------------------------

    def add_node(self, node: Node, *, actor: str | None = None) -> Node:
        return self._store.add_node(node, actor=self._check("add_node", actor))

    def update_node(
        self,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
        expected_version: int | None = None,
    ) -> Node:
        who = self._check("update_node", actor)
        return self._store.update_node(
            node_id, changes, actor=who, expected_version=expected_version
        )

    def delete_node(self, node_id: str, *, actor: str | None = None) -> None:
        self._store.delete_node(node_id, actor=self._check("delete_node", actor))

    def wipe(self) -> None:
        self._check("wipe", None)
        self._store.wipe()

    def add_edge(self, edge: Edge, *, actor: str | None = None) -> Edge:
        return self._store.add_edge(edge, actor=self._check("add_edge", actor))

    def update_edge(
        self,
        src: str,
        kind: str,
        dst: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
    ) -> Edge:
        who = self._check("update_edge", actor)
        return self._store.update_edge(src, kind, dst, changes, actor=who)

    def delete_edge(self, src: str, kind: str, dst: str, *, actor: str | None = None) -> None:
        self._store.delete_edge(src, kind, dst, actor=self._check("delete_edge", actor))

    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        who = self._check("bulk_load", actor)
        if history is not None or keep_times:
            require(self.user, self.role, "load_history")
        return self._store.bulk_load(
            nodes, edges, actor=who, history=history, keep_times=keep_times
        )

    def add_record(
        self,
        collection: str,
        data: Mapping[str, Any],
        *,
        id: str | None = None,
        ref: str = "",
        actor: str | None = None,
    ) -> Record:
        who = self._check("add_record", actor)
        return self._store.add_record(collection, data, id=id, ref=ref, actor=who)

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
        who = self._check("update_record", actor)
        return self._store.update_record(
            collection, record_id, changes, ref=ref, expected_version=expected_version, actor=who
        )

    def delete_record(self, collection: str, record_id: str, *, actor: str | None = None) -> None:
        self._store.delete_record(collection, record_id, actor=self._check("delete_record", actor))

    def load_records(self, records: Iterable[Record], *, actor: str | None = None) -> int:
        return self._store.load_records(records, actor=self._check("load_records", actor))

    # --- reads -------------------------------------------------------------------------

    def get_record(self, collection: str, record_id: str) -> Record | None:
        return self._store.get_record(collection, record_id)

    def records(
        self,
        collection: str,
        *,
        ref: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        return self._store.records(collection, ref=ref, limit=limit, offset=offset)

    def count_records(self, collection: str, *, ref: str | None = None) -> int:
        return self._store.count_records(collection, ref=ref)

    def get_node(self, node_id: str) -> Node | None:
        return self._store.get_node(node_id)

    def get_edge(self, src: str, kind: str, dst: str) -> Edge | None:
        return self._store.get_edge(src, kind, dst)

    def nodes(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        return self._store.nodes(kinds, statuses, limit=limit, offset=offset)

    def edges(
        self,
        kinds: Sequence[str] | None = None,
        *,
        node_id: str | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        return self._store.edges(kinds, node_id=node_id, limit=limit)

    def neighbours(
        self,
        node_id: str,
        *,
        direction: str = "both",
        edge_kinds: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, Node]]:
        return self._store.neighbours(
            node_id, direction=direction, edge_kinds=edge_kinds, limit=limit
        )

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
        return self._store.neighbourhood(
            focus, depth, kinds=kinds, statuses=statuses, edge_kinds=edge_kinds, cap=cap
        )

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        return self._store.subgraph(node_ids)

    def shortest_path(self, src: str, dst: str, *, max_depth: int = 8) -> list[str] | None:
        return self._store.shortest_path(src, dst, max_depth=max_depth)

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        return self._store.search(text, kinds=kinds, limit=limit)

    def counts(self) -> Counts:
        return self._store.counts()

    def last_change(self) -> int:
        return self._store.last_change()

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
        return self._store.history(
            since=since,
            until=until,
            actor=actor,
            target=target,
            limit=limit,
            offset=offset,
            newest_first=newest_first,
        )

    def count_history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
    ) -> int:
        return self._store.count_history(since=since, until=until, actor=actor, target=target)

    def export_all(self) -> Subgraph:
        return self._store.export_all()

    # lists, aggregates and lean rows: answered by the wrapped store itself
    def find_nodes(
        self, query: NodeQuery, *, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        return self._store.find_nodes(query, limit=limit, offset=offset)

    def count_nodes(self, query: NodeQuery) -> int:
        return self._store.count_nodes(query)

    def status_counts(self) -> dict[str, dict[str, int]]:
        return self._store.status_counts()

    def node_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        return self._store.node_rows(kinds)

    def edge_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        return self._store.edge_rows(kinds)

    def change_stamp(self) -> str:
        return self._store.change_stamp()

    def is_empty(self) -> bool:
        return self._store.is_empty()

    def vector_cache(self) -> VectorCache:
        return self._store.vector_cache()

    def snapshot(self, dest: Path) -> None:
        self._check("snapshot", None)
        self._store.snapshot(dest)

    def load_snapshot(self, snapshot: Path, *, replace: bool = False) -> None:
        self._check("load_snapshot", None)
        self._store.load_snapshot(snapshot, replace=replace)
