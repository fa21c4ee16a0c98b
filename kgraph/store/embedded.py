"""The embedded backend: one SQLite file (WAL), no server.

Why this shape: at 100,000 questions a networkx copy of the whole graph costs seconds and
a gigabyte, while an indexed SQLite lookup costs microseconds. So the durable state *is*
the SQLite file, read through indexes: adjacency comes from the ``edges`` table (indexed
from both ends), hubs are recognised by a ``degree`` column kept up to date on every edge
write, and text search uses an FTS5 table over accent-folded text. networkx is used only
by analyses, on the subgraph they fetch.

Neighbourhoods keep the rows they read in a bounded in-process cache (``embedded_cache``)
that SQLite's ``data_version`` and the store's own writes invalidate, so exploring the
same part of the graph again reads nothing from SQLite.

Every write runs in ``BEGIN IMMEDIATE`` ... ``COMMIT`` with ``synchronous=FULL``, its
history rows in the same transaction, so an acknowledged change survives a crash and a
half-made one never appears. Other processes see it at their next read. A busy database
(another process writing) is waited for with a bounded retry, never shown to the user.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kgraph.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from kgraph.model import (
    EDGE_RULES,
    Edge,
    Node,
    check_edge_ends,
    check_edge_kind,
    check_id,
    check_node_kind,
    edge_key,
    fold,
    node_search_text,
    validate_edge,
    validate_node,
)
from kgraph.store.base import (
    DEFAULT_CAP,
    Change,
    Counts,
    GraphStore,
    Subgraph,
    changed_props,
    neighbourhood_focus,
    now_iso,
    stamp_node,
)
from kgraph.store.embedded_cache import (
    EdgeEntry,
    NodeEntry,
    ReadCache,
    fresh_node,
    new_edge,
    new_node,
    node_entry,
)

SCHEMA_VERSION = 2  # 2: nodes.fts points at the node's row in node_fts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT,
    body TEXT NOT NULL,          -- JSON: text, tags, source, props
    degree INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    fts INTEGER                  -- rowid of the node's row in node_fts
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_kind_status ON nodes(kind, status);
CREATE TABLE IF NOT EXISTS edges (
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    kind TEXT NOT NULL,
    props TEXT NOT NULL,         -- JSON
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (src, dst, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges(dst, src, kind);
CREATE INDEX IF NOT EXISTS edges_by_kind ON edges(kind);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY,
    tx INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    op TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS history_at ON history(at);
CREATE INDEX IF NOT EXISTS history_target ON history(target);
CREATE VIRTUAL TABLE IF NOT EXISTS node_fts USING fts5(
    id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

#: a search ranks at most this many hits of a very common word (see ``_ranked_hits``)
RANK_WINDOW = 5000
_CACHE_KB = 65536  # page cache: 64 MB
# Pages read through a memory map skip a copy into the page cache: ~10% off a cold
# neighbourhood at 100,000 questions. Read-only (SQLite writes with write()), bounded.
_MMAP_BYTES = 256 * 1024 * 1024
_BULK_CACHE_KB = 262144  # during bulk_load: 256 MB
_BUSY_TIMEOUT_S = 10.0
_LOCK_RETRIES = 60  # on top of the busy timeout: bounded, about a minute in all
_WORD = re.compile(r"[0-9a-z]+")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class _TxState(threading.local):
    depth: int = 0
    tx: int | None = None
    actor: str | None = None


class EmbeddedStore(GraphStore):
    """A GraphStore in one SQLite file; safe to share between threads of a process.

    Open with ``EmbeddedStore(path)``; the file and its folder are created if missing.
    """

    backend = "embedded"

    def __init__(self, path: str | Path, actor: str | None = None) -> None:
        super().__init__(actor)
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(self.path),
                timeout=_BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        # One connection, serialised by a re-entrant lock held for a whole transaction.
        self._lock = threading.RLock()
        self._tx = _TxState()
        # Recently read rows for neighbourhoods; guarded by the lock, emptied by every write
        # transaction of this store and by every commit of another (see embedded_cache).
        self._cache = ReadCache()
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path} is not a kgraph store: {exc}") from exc

    def _setup(self) -> None:
        c = self._conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute(f"PRAGMA cache_size=-{_CACHE_KB}")
        c.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
        row = None
        try:
            row = c.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is None:
            with self._write(None):
                for statement in _SCHEMA.split(";\n"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?), ('tx', '0')",
                    (str(SCHEMA_VERSION),),
                )
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer kgraph (schema {row[0]}); upgrade kgraph"
            )
        elif int(row[0]) < SCHEMA_VERSION:
            self._migrate(int(row[0]))

    def _migrate(self, found: int) -> None:
        """Bring a store of an older schema up to date, in one transaction."""
        c = self._conn
        with self._write(None):
            # Another process may have migrated between our read and our lock.
            (current,) = c.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if int(current) >= SCHEMA_VERSION:
                return
            if found < 2:
                # node_fts.id is unindexed: finding a node's text row by id scanned the
                # whole index, so every text write cost O(nodes). Keep its rowid instead.
                c.execute("ALTER TABLE nodes ADD COLUMN fts INTEGER")
                c.execute(
                    "UPDATE nodes SET fts = m.r FROM (SELECT rowid AS r, id FROM node_fts) AS m "
                    "WHERE m.id = nodes.id"
                )
            c.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        with self._lock:
            self._cache.clear()
            self._conn.close()

    def wipe(self) -> None:
        """Delete every node, edge and history entry; joins an open ``transaction()``."""
        with self._write(None):
            self._conn.execute("DELETE FROM edges")
            self._conn.execute("DELETE FROM nodes")
            self._conn.execute("DELETE FROM node_fts")
            self._conn.execute("DELETE FROM history")
            self._conn.execute("UPDATE meta SET value = '0' WHERE key = 'tx'")

    # --- transactions ------------------------------------------------------------------

    def _begin(self) -> None:
        """BEGIN IMMEDIATE with a bounded retry: another process may hold the write lock."""
        for attempt in range(_LOCK_RETRIES):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        raise StoreError(f"{self.path} stayed locked by another writer; try again")

    @contextmanager
    def _write(self, actor: str | None) -> Iterator[None]:
        with self._lock:
            state = self._tx
            if state.depth:
                state.depth += 1
                try:
                    yield
                finally:
                    state.depth -= 1
                return
            self._begin()
            # Our own commits leave PRAGMA data_version as it is: empty the read cache
            # here, and again once the transaction is over, whatever its outcome.
            self._cache.clear()
            state.depth, state.tx, state.actor = 1, None, actor or self.actor
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()
            finally:
                state.depth, state.tx, state.actor = 0, None, None
                self._cache.clear()

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite has already rolled back after some errors (a full disk: SQLITE_FULL);
        # a second ROLLBACK would fail and hide the real error.
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def transaction(self, actor: str | None = None) -> Any:
        """All writes inside land together or not at all; see ``GraphStore.transaction``."""
        return self._write(actor)

    def _actor(self, actor: str | None) -> str:
        return actor or self._tx.actor or self.actor

    def _record(
        self,
        actor: str | None,
        op: str,
        target: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        at: str,
    ) -> None:
        self._record_many(actor, [(op, target, before, after, at)])

    def _record_many(
        self,
        actor: str | None,
        entries: Iterable[tuple[str, str, Mapping[str, Any] | None, Mapping[str, Any] | None, str]],
    ) -> None:
        """History rows ``(op, target, before, after, at)`` of the current transaction."""
        state = self._tx
        if state.tx is None:
            row = self._conn.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'tx' "
                "RETURNING value"
            ).fetchone()
            state.tx = int(row[0])
        tx, who = state.tx, self._actor(actor)
        self._conn.executemany(
            "INSERT INTO history(tx, at, actor, op, target, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    tx,
                    at,
                    who,
                    op,
                    target,
                    _dumps(before) if before is not None else None,
                    _dumps(after) if after is not None else None,
                )
                for op, target, before, after, at in entries
            ),
        )

    # --- row conversion ----------------------------------------------------------------

    _NODE_COLS = "id, kind, title, status, body, version, created_at, updated_at, updated_by"
    _EDGE_COLS = "src, kind, dst, props, created_at, updated_at, updated_by"
    # the same columns of the joined tables ``n`` (nodes) and ``e`` (edges)
    _N_COLS = ", ".join(f"n.{c.strip()}" for c in _NODE_COLS.split(","))
    _E_COLS = ", ".join(f"e.{c.strip()}" for c in _EDGE_COLS.split(","))

    @staticmethod
    def _node(row: Sequence[Any], body: Mapping[str, Any] | None = None) -> Node:
        """The ``Node`` of a row of ``_NODE_COLS`` (more columns after them are ignored);
        ``body`` is its decoded JSON body when the caller has decoded it already."""
        return new_node(EmbeddedStore._node_values(row, body))

    @staticmethod
    def _node_values(row: Sequence[Any], body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        if body is None:
            body = json.loads(row[4])
        return {
            "id": row[0],
            "kind": row[1],
            "title": row[2],
            "text": body.get("text", ""),
            "status": row[3],
            "tags": tuple(body.get("tags", ())),
            "source": body.get("source"),
            "props": body.get("props", {}),
            "created_at": row[6],
            "updated_at": row[7],
            "updated_by": row[8],
            "version": row[5],
        }

    @classmethod
    def _nodes(cls, rows: Sequence[Sequence[Any]]) -> list[Node]:
        """``_node`` of each row, the JSON bodies decoded in one call (each is a JSON object
        written by ``_body``): per-call overhead was half the decoding time."""
        bodies = cls._bodies(rows)
        return [cls._node(row, body) for row, body in zip(rows, bodies, strict=True)]

    @staticmethod
    def _bodies(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """The JSON bodies of node rows, decoded in one call."""
        return json.loads("[" + ",".join(row[4] for row in rows) + "]") if rows else []

    @staticmethod
    def _edge(row: Sequence[Any]) -> Edge:
        return new_edge(
            {
                "src": row[0],
                "kind": row[1],
                "dst": row[2],
                "props": json.loads(row[3]) if row[3] != "{}" else {},
                "created_at": row[4],
                "updated_at": row[5],
                "updated_by": row[6],
            }
        )

    @staticmethod
    def _body(node: Node) -> str:
        return _dumps(
            {"text": node.text, "tags": list(node.tags), "source": node.source, "props": node.props}
        )

    _INSERT_NODE = (
        "INSERT INTO nodes(id, kind, title, status, body, version, created_at, updated_at, "
        "updated_by, fts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    _INSERT_TEXT = "INSERT INTO node_fts(rowid, id, title, body) VALUES (?, ?, ?, ?)"

    def _node_row(self, node: Node, fts: int | None) -> tuple[Any, ...]:
        return (
            node.id,
            node.kind,
            node.title,
            node.status,
            self._body(node),
            node.version,
            node.created_at,
            node.updated_at,
            node.updated_by,
            fts,
        )

    @staticmethod
    def _text_row(node: Node, fts: int | None) -> tuple[Any, ...]:
        return (fts, node.id, fold(node.title), node_search_text(node))

    def _insert_nodes(self, nodes: Sequence[Node]) -> None:
        """Insert new nodes with their text rows (rowids numbered on from the highest)."""
        (top,) = self._conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM node_fts").fetchone()
        self._conn.executemany(
            self._INSERT_TEXT, (self._text_row(n, top + i) for i, n in enumerate(nodes, 1))
        )
        self._conn.executemany(
            self._INSERT_NODE, (self._node_row(n, top + i) for i, n in enumerate(nodes, 1))
        )

    def _insert_node(self, node: Node) -> None:
        cur = self._conn.execute(self._INSERT_TEXT, self._text_row(node, None))
        self._conn.execute(self._INSERT_NODE, self._node_row(node, cur.lastrowid))

    def _index_text(self, node: Node) -> None:
        """Rewrite the text row of an existing node in place (found by its kept rowid)."""
        fold_title, text = self._text_row(node, None)[2:]
        cur = self._conn.execute(
            "UPDATE node_fts SET title = ?, body = ? "
            "WHERE rowid = (SELECT fts FROM nodes WHERE id = ?)",
            (fold_title, text, node.id),
        )
        if cur.rowcount == 0:  # a node without a text row: give it one
            cur = self._conn.execute(self._INSERT_TEXT, self._text_row(node, None))
            self._conn.execute("UPDATE nodes SET fts = ? WHERE id = ?", (cur.lastrowid, node.id))

    # --- writes ------------------------------------------------------------------------

    def add_node(self, node: Node, *, actor: str | None = None) -> Node:
        node = validate_node(node)
        with self._write(actor):
            if self._exists(node.id):
                raise DuplicateError(f"node {node.id} exists already")
            at = now_iso()
            who = self._actor(actor)
            stored = stamp_node(node, at, at, who, 1)
            self._insert_node(stored)
            self._record(actor, "add_node", node.id, None, stored.to_dict(), at)
        return stored

    def _exists(self, node_id: str) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM nodes WHERE id = ?", (node_id,)).fetchone()
            is not None
        )

    def _require_node(self, node_id: str) -> Node:
        node = self.get_node(node_id)
        if node is None:
            raise NotFoundError(f"no node with id {node_id!r}")
        return node

    def update_node(
        self,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
        expected_version: int | None = None,
    ) -> Node:
        with self._write(actor):
            old = self._require_node(node_id)
            if expected_version is not None and old.version != expected_version:
                raise ConflictError(
                    f"{node_id} was changed by {old.updated_by} at {old.updated_at}; "
                    "reload to see the new version"
                )
            new = validate_node(old.with_changes(changes))
            if new == old:
                return old
            at = now_iso()
            new = stamp_node(new, old.created_at, at, self._actor(actor), old.version + 1)
            self._conn.execute(
                "UPDATE nodes SET title = ?, status = ?, body = ?, version = ?, updated_at = ?, "
                "updated_by = ? WHERE id = ?",
                (new.title, new.status, self._body(new), new.version, at, new.updated_by, node_id),
            )
            if (new.title, new.text, new.tags) != (old.title, old.text, old.tags):
                self._index_text(new)
            self._record(actor, "update_node", node_id, old.to_dict(), new.to_dict(), at)
        return new

    def delete_node(self, node_id: str, *, actor: str | None = None) -> None:
        with self._write(actor):
            old = self._require_node(node_id)
            for edge in self.edges(node_id=node_id):
                self.delete_edge(edge.src, edge.kind, edge.dst, actor=actor)
            self._conn.execute(
                "DELETE FROM node_fts WHERE rowid = (SELECT fts FROM nodes WHERE id = ?)",
                (node_id,),
            )
            self._conn.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
            self._record(actor, "delete_node", node_id, old.to_dict(), None, now_iso())

    def _node_kinds(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for chunk in _chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            for node_id, kind in self._conn.execute(
                f"SELECT id, kind FROM nodes WHERE id IN ({marks})",  # noqa: S608
                chunk,
            ):
                found[node_id] = kind
        return found

    def _check_ends(self, edge: Edge) -> None:
        kinds = self._node_kinds([edge.src, edge.dst])
        for end in (edge.src, edge.dst):
            if end not in kinds:
                raise NotFoundError(f"edge {edge.key}: no node with id {end!r}")
        check_edge_ends(edge.kind, kinds[edge.src], kinds[edge.dst])

    def add_edge(self, edge: Edge, *, actor: str | None = None) -> Edge:
        edge = validate_edge(edge)
        with self._write(actor):
            self._check_ends(edge)
            if self.get_edge(edge.src, edge.kind, edge.dst) is not None:
                raise DuplicateError(f"edge {edge.key} exists already")
            at = now_iso()
            stored = Edge(edge.src, edge.kind, edge.dst, edge.props, at, at, self._actor(actor))
            self._insert_edges([stored])
            self._record(actor, "add_edge", stored.key, None, stored.to_dict(), at)
        return stored

    def _insert_edges(self, edges: Sequence[Edge]) -> None:
        self._conn.executemany(
            "INSERT INTO edges(src, dst, kind, props, created_at, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.src,
                    e.dst,
                    e.kind,
                    _dumps(e.props) if e.props else "{}",
                    e.created_at,
                    e.updated_at,
                    e.updated_by,
                )
                for e in edges
            ],
        )
        degree: dict[str, int] = {}
        for e in edges:
            degree[e.src] = degree.get(e.src, 0) + 1
            degree[e.dst] = degree.get(e.dst, 0) + 1
        self._conn.executemany(
            "UPDATE nodes SET degree = degree + ? WHERE id = ?",
            [(n, node_id) for node_id, n in degree.items()],
        )

    def update_edge(
        self,
        src: str,
        kind: str,
        dst: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
    ) -> Edge:
        check_edge_kind(kind)
        with self._write(actor):
            old = self.get_edge(src, kind, dst)
            if old is None:
                raise NotFoundError(f"no edge {edge_key(src, kind, dst)}")
            new = validate_edge(Edge(src, kind, dst, changed_props(old.props, changes)))
            if new.props == old.props:
                return old
            at = now_iso()
            new = Edge(src, kind, dst, new.props, old.created_at, at, self._actor(actor))
            self._conn.execute(
                "UPDATE edges SET props = ?, updated_at = ?, updated_by = ? "
                "WHERE src = ? AND dst = ? AND kind = ?",
                (_dumps(new.props), at, new.updated_by, src, dst, kind),
            )
            self._record(actor, "update_edge", new.key, old.to_dict(), new.to_dict(), at)
        return new

    def delete_edge(self, src: str, kind: str, dst: str, *, actor: str | None = None) -> None:
        check_edge_kind(kind)
        with self._write(actor):
            old = self.get_edge(src, kind, dst)
            if old is None:
                raise NotFoundError(f"no edge {edge_key(src, kind, dst)}")
            self._conn.execute(
                "DELETE FROM edges WHERE src = ? AND dst = ? AND kind = ?", (src, dst, kind)
            )
            self._conn.executemany(
                "UPDATE nodes SET degree = degree - 1 WHERE id = ?", [(src,), (dst,)]
            )
            self._record(actor, "delete_edge", old.key, old.to_dict(), None, now_iso())

    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        # A big load writes index pages all over the file; a bigger page cache for its
        # duration keeps them in memory instead of spilling and re-reading them.
        with self._lock:
            self._conn.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KB}")
            try:
                return self._bulk_load(nodes, edges, actor, history, keep_times)
            finally:
                self._conn.execute(f"PRAGMA cache_size=-{_CACHE_KB}")

    def _bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        actor: str | None,
        history: Iterable[Change] | None,
        keep_times: bool,
    ) -> tuple[int, int]:
        with self._write(actor):
            who = self._actor(actor)
            at = now_iso()
            record = history is None
            new_nodes: list[Node] = []
            batch_kinds: dict[str, str] = {}
            for node in nodes:
                node = validate_node(node)
                if node.id in batch_kinds:
                    continue
                batch_kinds[node.id] = node.kind
                new_nodes.append(node)
            present = set(self._node_kinds(batch_kinds))
            stored_nodes: list[Node] = []
            for node in new_nodes:
                if node.id in present:
                    continue
                stored = (
                    stamp_node(
                        node,
                        node.created_at or at,
                        node.updated_at or at,
                        node.updated_by or who,
                        node.version or 1,
                    )
                    if keep_times
                    else stamp_node(node, at, at, who, 1)
                )
                stored_nodes.append(stored)
            self._insert_nodes(stored_nodes)
            if record:
                self._record_many(
                    actor, (("add_node", n.id, None, n.to_dict(), at) for n in stored_nodes)
                )
            added_nodes = len(stored_nodes)
            added = {n.id for n in stored_nodes}
            edge_list = [validate_edge(e) for e in edges]
            ends = [e.src for e in edge_list] + [e.dst for e in edge_list]
            missing = [i for i in dict.fromkeys(ends) if i not in batch_kinds]
            kinds = {**self._node_kinds(missing), **batch_kinds}
            fresh: list[Edge] = []
            seen: set[tuple[str, str, str]] = set()
            for e in edge_list:
                for end in (e.src, e.dst):
                    if end not in kinds:
                        raise NotFoundError(f"edge {e.key}: no node with id {end!r}")
                check_edge_ends(e.kind, kinds[e.src], kinds[e.dst])
                ident = (e.src, e.kind, e.dst)
                if ident in seen:
                    continue
                # an edge touching a node added just now cannot be there already
                if e.src not in added and e.dst not in added and self.get_edge(*ident):
                    continue
                seen.add(ident)
                if keep_times:
                    fresh.append(
                        Edge(
                            e.src,
                            e.kind,
                            e.dst,
                            e.props,
                            e.created_at or at,
                            e.updated_at or at,
                            e.updated_by or who,
                        )
                    )
                else:
                    fresh.append(Edge(e.src, e.kind, e.dst, e.props, at, at, who))
            self._insert_edges(fresh)
            if record:
                self._record_many(
                    actor, (("add_edge", e.key, None, e.to_dict(), at) for e in fresh)
                )
            else:
                self._load_history(history or ())
        return added_nodes, len(fresh)

    def _load_history(self, history: Iterable[Change]) -> None:
        self._conn.executemany(
            "INSERT INTO history(tx, at, actor, op, target, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.tx,
                    c.at,
                    c.actor,
                    c.op,
                    c.target,
                    _dumps(c.before) if c.before is not None else None,
                    _dumps(c.after) if c.after is not None else None,
                )
                for c in history
            ],
        )
        self._conn.execute(
            "UPDATE meta SET value = (SELECT COALESCE(MAX(tx), 0) FROM history) WHERE key = 'tx'"
        )

    # --- reads -------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def get_node(self, node_id: str) -> Node | None:
        rows = self._query(f"SELECT {self._NODE_COLS} FROM nodes WHERE id = ?", (node_id,))  # noqa: S608
        return self._node(rows[0]) if rows else None

    def get_edge(self, src: str, kind: str, dst: str) -> Edge | None:
        rows = self._query(
            f"SELECT {self._EDGE_COLS} FROM edges WHERE src = ? AND dst = ? AND kind = ?",  # noqa: S608
            (src, dst, kind),
        )
        return self._edge(rows[0]) if rows else None

    def nodes(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        where, params = _filters(kinds, statuses)
        sql = f"SELECT {self._NODE_COLS} FROM nodes{where} ORDER BY kind, id"  # noqa: S608
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return self._nodes(self._query(sql, params))

    def edges(
        self,
        kinds: Sequence[str] | None = None,
        *,
        node_id: str | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        clauses: list[str] = []
        params: list[Any] = []
        if kinds:
            for k in kinds:
                check_edge_kind(k)
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += list(kinds)
        if node_id is not None:
            base = " AND ".join(clauses)
            extra = f" AND {base}" if base else ""
            sql = (
                f"SELECT {self._EDGE_COLS} FROM edges WHERE src = ?{extra} UNION ALL "  # noqa: S608
                f"SELECT {self._EDGE_COLS} FROM edges WHERE dst = ?{extra}"
            )
            params = [node_id, *params, node_id, *params]
        else:
            where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
            sql = f"SELECT {self._EDGE_COLS} FROM edges{where} ORDER BY src, kind, dst"  # noqa: S608
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._edge(r) for r in self._query(sql, params)]

    def neighbours(
        self,
        node_id: str,
        *,
        direction: str = "both",
        edge_kinds: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, Node]]:
        if direction not in ("out", "in", "both"):
            raise ValidationError(f"direction must be out, in or both, not {direction!r}")
        kind_sql, kind_params = _edge_kind_filter(edge_kinds)
        parts: list[str] = []
        params: list[Any] = []
        cols = f"{self._E_COLS}, {self._N_COLS}"
        if direction in ("out", "both"):
            parts.append(
                f"SELECT {cols} FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ?{kind_sql}"  # noqa: S608
            )
            params += [node_id, *kind_params]
        if direction in ("in", "both"):
            parts.append(
                f"SELECT {cols} FROM edges e JOIN nodes n ON n.id = e.src WHERE e.dst = ?{kind_sql}"  # noqa: S608
            )
            params += [node_id, *kind_params]
        sql = " UNION ALL ".join(parts)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(self._edge(r[:7]), self._node(r[7:])) for r in self._query(sql, params)]

    def _degrees(self, ids: Iterable[str]) -> dict[str, int]:
        ids = list(ids)
        out: dict[str, int] = {}
        for chunk in _chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            out.update(
                self._query(f"SELECT id, degree FROM nodes WHERE id IN ({marks})", chunk)  # noqa: S608
            )
        return out

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
        focus = neighbourhood_focus(focus, depth, cap, kinds, edge_kinds)
        with self._lock:
            if not (kinds or statuses or edge_kinds) and not self._tx.depth:
                return self._cached_neighbourhood(focus, depth, cap)
            # The search reads whole node rows (each row ends with the node's degree), so
            # the selection's nodes are built from rows already read, not fetched again.
            rows = self._node_rows(focus)
            for node_id in focus:
                if node_id not in rows:
                    raise NotFoundError(f"no node with id {node_id!r}")
            degree = {node_id: row[-1] for node_id, row in rows.items()}
            node_sql, node_params = _node_filter(kinds, statuses, "n")
            kind_sql, kind_params = _edge_kind_filter(edge_kinds)
            sql = self._links_sql(kind_sql, node_sql)
            side = [*kind_params, *node_params]

            def expand(node_id: str, seen: Mapping[str, None], limit: int) -> list[tuple[str, int]]:
                found = self._unseen_neighbours(sql, [node_id, *side], seen, limit)
                rows.update((row[0], row) for row in found)
                return [(row[0], row[-1]) for row in found]

            ids, truncated = bounded_bfs(focus, depth, cap, degree, expand)
            edges = self._edges_among(ids, degree, edge_kinds)
        nodes = dict(zip(ids, self._nodes([rows[i] for i in ids]), strict=True))
        return Subgraph(nodes=nodes, edges=edges, truncated=truncated, focus=tuple(focus), cap=cap)

    def _cached_neighbourhood(self, focus: list[str], depth: int, cap: int) -> Subgraph:
        """``neighbourhood`` without filters, served from the read cache where it can be
        (see ``embedded_cache``): the same selection, read from memory when warm."""
        cache = self._cache
        cache.sync(self._conn.execute("PRAGMA data_version").fetchone()[0])
        rows = self._node_rows([i for i in focus if i not in cache.nodes])  # read just now
        degree: dict[str, int] = {}
        for node_id in focus:
            entry = cache.nodes.get(node_id)
            if entry is None and node_id not in rows:
                raise NotFoundError(f"no node with id {node_id!r}")
            degree[node_id] = entry[1] if entry is not None else rows[node_id][-1]
        sql = self._links_sql("", "")

        def expand(node_id: str, seen: Mapping[str, None], limit: int) -> list[tuple[str, int]]:
            # the first `limit` unseen neighbours, from the cached prefix of the node's
            # neighbour list, read (longer) from SQLite when the prefix runs out
            fetch = limit + len(seen)
            links = cache.links.get(node_id)
            while True:
                if links is None or (not links[1] and len(links[0]) < fetch):
                    got = self._conn.execute(sql, (node_id, node_id, fetch)).fetchall()
                    rows.update((row[0], row) for row in got)
                    links = ([(row[0], row[-1]) for row in got], len(got) < fetch)
                    cache.put_links(node_id, links)
                found: dict[str, int] = {}
                for other, deg in links[0]:
                    if other not in seen and other not in found:
                        found[other] = deg
                        if len(found) >= limit:
                            return list(found.items())
                if links[1]:
                    return list(found.items())
                fetch = max(fetch, len(links[0])) * 2
                links = None

        ids, truncated = bounded_bfs(focus, depth, cap, degree, expand)
        entries: dict[str, NodeEntry] = {}
        new: list[str] = []
        for node_id in ids:
            entry = cache.nodes.get(node_id)
            if entry is None:
                new.append(node_id)
            else:
                entries[node_id] = entry
        known = set(entries)
        rows.update(self._node_rows([i for i in new if i not in rows]))
        # (a node deleted by another process since this call began is not in rows)
        new_rows = [rows[i] for i in new if i in rows]
        for row, body in zip(new_rows, self._bodies(new_rows), strict=True):
            entries[row[0]] = entry = node_entry(self._node_values(row, body), row[-1])
            cache.put_node(row[0], entry)
        ids = [i for i in ids if i in entries]
        edges = self._cached_edges_among(ids, degree, known)
        nodes = {i: fresh_node(entries[i]) for i in ids}
        return Subgraph(nodes=nodes, edges=edges, truncated=truncated, focus=tuple(focus), cap=cap)

    def _cached_edges_among(
        self, ids: Sequence[str], degree: Mapping[str, int], known: set[str]
    ) -> list[Edge]:
        """``_edges_among`` without a kind filter, helped by cached out-edge lists.

        A node selected for the first time (not in ``known``) has its edges read as
        ``_edges_among`` reads them: only those ending in the selection. From its second
        time on, all its out-edges are read once (at most ``HUB_DEGREE``; a node with more
        is never kept) and kept, and later selections filter them in memory. So a cold
        neighbourhood costs what it cost without the cache, and a warm one reads nothing.
        """
        cache = self._cache
        outs: dict[str, list[EdgeEntry] | None] = {}
        fill: list[str] = []
        once: list[str] = []
        for node_id in ids:
            if node_id in cache.out:
                outs[node_id] = cache.out[node_id]
            elif node_id not in known:
                once.append(node_id)
            elif degree.get(node_id, 0) <= HUB_DEGREE or not self._out_edges_over(
                node_id, HUB_DEGREE
            ):
                fill.append(node_id)
            else:
                outs[node_id] = None
                cache.put_out(node_id, None)
        if fill:
            grouped: dict[str, list[EdgeEntry]] = {node_id: [] for node_id in fill}
            for row in self._conn.execute(
                f"SELECT {self._EDGE_COLS} FROM edges "  # noqa: S608
                "WHERE src IN (SELECT value FROM json_each(?))",
                (json.dumps(fill),),
            ):
                grouped[row[0]].append(row)
            for node_id, out in grouped.items():
                out.sort(key=_kind_dst)
                outs[node_id] = out
                cache.put_out(node_id, out)
        first: dict[str, list[Edge]] = {}
        if once:
            for edge in self._edges_among(ids, degree, None, sources=once):
                first.setdefault(edge.src, []).append(edge)
        members = set(ids)
        edges: list[Edge] = []
        for src in sorted(ids):
            if src in first:
                edges += first[src]
            elif src in outs:
                kept = outs[src]
                if kept is None:
                    edges += self._edges_among_probe(src, ids, "", [])
                else:
                    edges += cache.fresh_edges(kept, members)
        return edges

    def _out_edges_over(self, node_id: str, count: int) -> bool:
        """Whether ``node_id`` has more than ``count`` out-edges (reads at most ``count + 1``)."""
        (n,) = self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM edges WHERE src = ? LIMIT ?)",
            (node_id, count + 1),
        ).fetchone()
        return bool(n > count)

    def _node_rows(self, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """Rows of ``_NODE_COLS`` plus ``degree`` of the nodes ``ids`` that exist, by id."""
        if not ids:
            return {}
        cols = f"{self._NODE_COLS}, degree"
        return {
            row[0]: row
            for row in self._conn.execute(
                f"SELECT {cols} FROM nodes WHERE id IN (SELECT value FROM json_each(?))",  # noqa: S608
                (json.dumps(list(ids)),),
            )
        }

    def _links_sql(self, kind_sql: str, node_sql: str) -> str:
        """The neighbours of a node (parameters: id, filter values, id, filter values,
        limit) as rows of ``_NODE_COLS`` plus ``degree``: out-neighbours by id, then
        in-neighbours by id, in index order; one row per edge."""
        cols = f"{self._N_COLS}, n.degree"
        return (
            f"SELECT {cols} FROM edges e JOIN nodes n ON n.id = e.dst "  # noqa: S608
            f"WHERE e.src = ?{kind_sql}{node_sql} UNION ALL "
            f"SELECT {cols} FROM edges e JOIN nodes n ON n.id = e.src "
            f"WHERE e.dst = ?{kind_sql}{node_sql} LIMIT ?"
        )

    def _unseen_neighbours(
        self, sql: str, side: list[Any], seen: Mapping[str, None], limit: int
    ) -> list[tuple[Any, ...]]:
        """Up to ``limit`` neighbours not in ``seen``, as rows of ``sql`` (``_links_sql``;
        ``side`` is the node's id and the filter values).

        At most ``limit + len(seen)`` rows are read (more only when one neighbour is joined
        by several edges), so a hub's adjacency is never scanned; out-neighbours first.
        """
        fetch = limit + len(seen)
        while True:
            rows = self._conn.execute(sql, [*side, *side, fetch]).fetchall()
            found: dict[str, tuple[Any, ...]] = {}
            for row in rows:
                other = row[0]
                if other not in seen and other not in found:
                    found[other] = row
                    if len(found) >= limit:
                        return list(found.values())
            if len(rows) < fetch:
                return list(found.values())
            fetch *= 2

    def _edges_among(
        self,
        ids: Sequence[str],
        degree: Mapping[str, int],
        edge_kinds: Sequence[str] | None,
        sources: Sequence[str] | None = None,
    ) -> list[Edge]:
        """Edges with both ends in ``ids`` (and their source in ``sources``, if given),
        sorted by (src, kind, dst), without scanning a hub's adjacency.

        Every such edge starts at one of ``ids``, so only out-edges are read, and SQLite
        keeps only those ending in ``ids`` (the ids go in as one JSON list: no chunks, no
        limit on their number). A node with more out-edges than the selection (counted up
        to that number) is probed for each id as the far end instead (index lookups); the
        hubs of a kgraph have many in-edges but few out-edges, so that is rare.
        """
        size = len(ids)
        kind_sql, kind_params = _edge_kind_filter(edge_kinds)
        cols = self._E_COLS
        starts = ids if sources is None else sources
        big = [i for i in starts if degree.get(i, 0) > size and self._out_edges_over(i, size)]
        members = json.dumps(list(ids))
        small = json.dumps([i for i in starts if i not in big]) if big or sources else members
        rows = self._conn.execute(
            f"SELECT {cols} FROM edges e WHERE e.src IN (SELECT value FROM json_each(?)) "  # noqa: S608
            f"AND +e.dst IN (SELECT value FROM json_each(?)){kind_sql}",
            [small, members, *kind_params],
        ).fetchall()
        rows.sort()  # (src, kind, dst) is unique, so the sort never looks further
        edges = [self._edge(r) for r in rows]
        for node_id in big:
            edges += self._edges_among_probe(node_id, members, kind_sql, kind_params)
        if big:
            edges.sort(key=lambda e: (e.src, e.kind, e.dst))
        return edges

    def _edges_among_probe(
        self, src: str, ids: Sequence[str] | str, kind_sql: str, kind_params: list[Any]
    ) -> list[Edge]:
        """Edges from ``src`` to any of ``ids`` (a JSON list or ids), by index lookups."""
        cols = self._E_COLS
        members = ids if isinstance(ids, str) else json.dumps(list(ids))
        rows = self._conn.execute(
            f"SELECT {cols} FROM edges e WHERE e.src = ? "  # noqa: S608
            f"AND e.dst IN (SELECT value FROM json_each(?)){kind_sql}",
            [src, members, *kind_params],
        ).fetchall()
        rows.sort()
        return [self._edge(r) for r in rows]

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        ids = list(dict.fromkeys(node_ids))
        with self._lock:
            rows = self._node_rows(ids)
            found = [i for i in ids if i in rows]
            degree = {i: rows[i][-1] for i in found}
            edges = self._edges_among(found, degree, None)
        nodes = dict(zip(found, self._nodes([rows[i] for i in found]), strict=True))
        return Subgraph(nodes=nodes, edges=edges)

    def _adjacent(self, node_id: str) -> list[tuple[str, int]]:
        """Neighbour ids of ``node_id`` (either direction) with their degrees."""
        return self._conn.execute(
            "SELECT n.id, n.degree FROM edges e JOIN nodes n ON n.id = e.dst WHERE e.src = ? "
            "UNION ALL "
            "SELECT n.id, n.degree FROM edges e JOIN nodes n ON n.id = e.src WHERE e.dst = ?",
            (node_id, node_id),
        ).fetchall()

    def _adjacent_among(self, node_id: str, ids: Iterable[str]) -> str | None:
        """One of ``ids`` joined to ``node_id`` by an edge, found by index probes (one per
        id), so a hub's adjacency is not read; ``None`` if there is none."""
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            row = self._conn.execute(
                f"SELECT dst FROM edges WHERE src = ? AND dst IN ({marks}) UNION ALL "  # noqa: S608
                f"SELECT src FROM edges WHERE dst = ? AND src IN ({marks}) LIMIT 1",
                [node_id, *chunk, node_id, *chunk],
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def shortest_path(self, src: str, dst: str, *, max_depth: int = 8) -> list[str] | None:
        check_id(src)
        check_id(dst)
        with self._lock:
            degree = self._degrees([src, dst])
            for node_id in (src, dst):
                if node_id not in degree:
                    raise NotFoundError(f"no node with id {node_id!r}")
            return bidirectional_bfs(
                src, dst, self._adjacent, self._adjacent_among, degree, max_depth
            )

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        words = _WORD.findall(fold(text))
        if not words or limit <= 0:
            return []
        for k in kinds or ():
            check_node_kind(k)
        match = " AND ".join(f'"{w}"*' for w in words)
        # Title hits first, then the rest. Ranking every hit of a common word (half the
        # graph at 100,000 questions) costs ~100 ms; ranking the title hits alone is
        # enough whenever they fill the page, and rare words are cheap either way.
        found: dict[str, Node] = {}
        with self._lock:
            for phase in (f"{{title}} : ({match})", match):
                need = limit - len(found)
                if need <= 0:
                    break
                for row in self._ranked_hits(phase, kinds, need + len(found)):
                    if row[0] not in found and len(found) < limit:
                        found[row[0]] = self._node(row)
        return list(found.values())

    def _ranked_hits(self, match: str, kinds: Sequence[str] | None, limit: int) -> list[Any]:
        """Node rows matching the FTS expression ``match``, best (BM25) first."""
        cols = self._N_COLS
        rank = "bm25(node_fts, 0, 5.0, 1.0)"
        if kinds:
            # rank after joining, so the kind filter does not cut the page short
            sql = (
                f"SELECT {cols} FROM node_fts f JOIN nodes n ON n.id = f.id "  # noqa: S608
                f"WHERE node_fts MATCH ? AND n.kind IN ({','.join('?' * len(kinds))}) "
                f"ORDER BY {rank}, n.id LIMIT ?"
            )
            return self._conn.execute(sql, [match, *kinds, limit]).fetchall()
        # BM25 costs ~1 µs per hit: a word in 30,000 titles would take 30-50 ms. Rank only
        # the RANK_WINDOW most recently indexed hits then (found by rowid, ~2 ms): every
        # one of them matches as well, and the page still shows title hits first.
        window = self._conn.execute(
            "SELECT rowid FROM node_fts WHERE node_fts MATCH ? ORDER BY rowid DESC "
            "LIMIT 1 OFFSET ?",
            (match, RANK_WINDOW - 1),
        ).fetchone()
        # rank in the text index alone, then join only the page
        sql = (
            f"SELECT {cols} FROM (SELECT id, {rank} AS score FROM node_fts "  # noqa: S608
            f"WHERE node_fts MATCH ? AND rowid >= ? ORDER BY score, id LIMIT ?) f "
            f"JOIN nodes n ON n.id = f.id ORDER BY f.score, n.id"
        )
        return self._conn.execute(sql, [match, window[0] if window else 0, limit]).fetchall()

    def last_change(self) -> int:
        # MAX of the INTEGER PRIMARY KEY is read from the end of the b-tree: O(1).
        return int(self._query("SELECT COALESCE(MAX(seq), 0) FROM history")[0][0])

    def counts(self) -> Counts:
        nodes = dict(self._query("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind"))
        edges = dict(self._query("SELECT kind, COUNT(*) FROM edges GROUP BY kind ORDER BY kind"))
        return Counts(nodes=nodes, edges=edges)

    def history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        clauses: list[str] = []
        params: list[Any] = []
        if since:
            clauses.append("at >= ?")
            params.append(since)
        if until:
            clauses.append("at < ?")
            params.append(until)
        if actor:
            clauses.append("actor = ?")
            params.append(actor)
        if target:
            clauses.append("(target = ? OR target LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')")
            esc = target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [target, esc + "|%", "%|" + esc]
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = (
            f"SELECT seq, tx, at, actor, op, target, before, after FROM history{where} ORDER BY seq"  # noqa: S608
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            Change(
                seq=r[0],
                tx=r[1],
                at=r[2],
                actor=r[3],
                op=r[4],
                target=r[5],
                before=json.loads(r[6]) if r[6] is not None else None,
                after=json.loads(r[7]) if r[7] is not None else None,
            )
            for r in self._query(sql, params)
        ]

    # --- maintenance -------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check plus kgraph's invariants; empty when all is well."""
        problems: list[str] = []
        rows = self._query("PRAGMA integrity_check")
        if rows != [("ok",)]:
            problems += [f"sqlite: {r[0]}" for r in rows]
        kinds = dict(self._query("SELECT id, kind FROM nodes"))
        degree: dict[str, int] = {}
        edge_rows = self._query("SELECT src, kind, dst FROM edges")
        # History consistent with the graph: every node and edge there was last added or
        # changed, never deleted; everything the history last added or changed is there.
        last = dict(
            self._query(
                "SELECT target, op FROM history "
                "WHERE seq IN (SELECT MAX(seq) FROM history GROUP BY target)"
            )
        )
        live = set(kinds) | {edge_key(*row) for row in edge_rows}
        for target in sorted(live):
            if last.get(target, "delete").startswith("delete"):
                problems.append(f"{target}: present but its history ends with {last.get(target)}")
        for target, op in last.items():
            if not op.startswith("delete") and target not in live:
                problems.append(f"{target}: history ends with {op} but it is absent")
        for src, kind, dst in edge_rows:
            if src not in kinds or dst not in kinds:
                problems.append(f"edge {edge_key(src, kind, dst)} joins a missing node")
                continue
            sources, targets = EDGE_RULES.get(kind, (frozenset(), frozenset()))
            if kinds[src] not in sources or kinds[dst] not in targets:
                problems.append(f"edge {edge_key(src, kind, dst)} joins forbidden kinds")
            degree[src] = degree.get(src, 0) + 1
            degree[dst] = degree.get(dst, 0) + 1
        for node_id, stored in self._query("SELECT id, degree FROM nodes"):
            if stored != degree.get(node_id, 0):
                problems.append(
                    f"node {node_id}: degree {stored} but {degree.get(node_id, 0)} edges"
                )
        return problems


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _filters(kinds: Sequence[str] | None, statuses: Sequence[str] | None) -> tuple[str, list[Any]]:
    sql, params = _node_filter(kinds, statuses, None)
    return (f" WHERE {sql[5:]}" if sql else ""), params


def _node_filter(
    kinds: Sequence[str] | None, statuses: Sequence[str] | None, alias: str | None
) -> tuple[str, list[Any]]:
    """`` AND kind IN (...) AND status IN (...)`` for the given filters (may be empty)."""
    prefix = f"{alias}." if alias else ""
    sql = ""
    params: list[Any] = []
    if kinds:
        for k in kinds:
            check_node_kind(k)
        sql += f" AND {prefix}kind IN ({','.join('?' * len(kinds))})"
        params += list(kinds)
    if statuses:
        sql += f" AND {prefix}status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    return sql, params


def _edge_kind_filter(edge_kinds: Sequence[str] | None) -> tuple[str, list[Any]]:
    if not edge_kinds:
        return "", []
    for k in edge_kinds:
        check_edge_kind(k)
    return f" AND e.kind IN ({','.join('?' * len(edge_kinds))})", list(edge_kinds)


#: a node with more edges than this is probed for a meeting before its edges are read (in
#: paths), and its out-edges are not kept in the read cache unless they are this few
HUB_DEGREE = 1000
#: what one adjacency query costs, in edges read, when choosing the side to grow
_QUERY_COST = 50


def _kind_dst(row: EdgeEntry) -> tuple[str, str]:
    return row[1], row[2]


def bounded_bfs(
    focus: Sequence[str],
    depth: int,
    cap: int,
    degree: dict[str, int],
    expand: Callable[[str, Mapping[str, None], int], list[tuple[str, int]]],
) -> tuple[list[str], bool]:
    """The ids ``neighbourhood`` selects, and whether the cap cut the search short.

    Breadth-first from ``focus``, at most ``cap`` nodes, each level's nodes expanded low
    degree first (a hub would fill the cap with its own leaves). ``expand(id, seen, n)``
    gives up to ``n`` neighbours of ``id`` not in ``seen``, as ``(id, degree)``, in the
    store's order; ``degree`` holds the focus nodes' degrees and collects the others'.
    """
    selected: dict[str, None] = dict.fromkeys(focus[:cap])
    truncated = len(focus) > cap
    frontier = list(selected)
    for _level in range(depth):
        if truncated or not frontier:
            break
        next_frontier: list[str] = []
        for node_id in sorted(frontier, key=lambda i: degree.get(i, 0)):
            room = cap - len(selected)
            if room <= 0:
                truncated = True
                break
            found = expand(node_id, selected, room + 1)
            if len(found) > room:
                found = found[:room]
                truncated = True
            for other, deg in found:
                selected[other] = None
                degree[other] = deg
                next_frontier.append(other)
        frontier = next_frontier
    return list(selected), truncated


def bidirectional_bfs(
    src: str,
    dst: str,
    adjacent: Callable[[str], list[tuple[str, int]]],
    adjacent_among: Callable[[str, Iterable[str]], str | None],
    degree: dict[str, int],
    max_depth: int,
) -> list[str] | None:
    """Shortest undirected path, growing one level of whichever side is cheaper.

    ``adjacent(id)`` lists ``(neighbour, degree)``; ``adjacent_among(id, ids)`` finds one of
    ``ids`` next to ``id`` by index probes; ``degree`` holds the degrees of ``src`` and
    ``dst`` (and collects those seen). Why so: most nodes are a step or two from a hub
    with ~100,000 edges, and reading those rows is what made paths slow. So a side's cost counts
    its edges and its queries, low-degree nodes are grown first (a meeting found there
    ends the search), and before a hub is read it is probed against the other side's
    nodes, which finds the usual meeting "through the hub" with a few index lookups.
    """
    if src == dst:
        return [src]
    parents: tuple[dict[str, str | None], dict[str, str | None]] = ({src: None}, {dst: None})
    frontiers: list[list[str]] = [[src], [dst]]
    for _step in range(max_depth):
        costs = [sum(degree[n] for n in f) + _QUERY_COST * len(f) for f in frontiers]
        side = 0 if costs[0] <= costs[1] else 1
        mine, theirs = parents[side], parents[1 - side]
        grown: list[str] = []
        for node_id in sorted(frontiers[side], key=degree.__getitem__):
            if degree[node_id] > HUB_DEGREE and len(theirs) < degree[node_id]:
                meet = adjacent_among(node_id, theirs)
                if meet is not None:
                    return _join_path(node_id, meet, parents, side)
            for other, deg in adjacent(node_id):
                if other in mine:
                    continue
                mine[other] = node_id
                degree[other] = deg
                if other in theirs:
                    return _join_path(node_id, other, parents, side)
                grown.append(other)
        if not grown:
            return None
        frontiers[side] = grown
    return None


def _join_path(
    near: str,
    far: str,
    parents: tuple[dict[str, str | None], dict[str, str | None]],
    side: int,
) -> list[str]:
    """The path through the edge ``near``-``far``, ``near`` reached from ``side``'s end and
    ``far`` from the other end."""

    def walk(table: dict[str, str | None], start: str) -> list[str]:
        out: list[str] = []
        cur: str | None = start
        while cur is not None:
            out.append(cur)
            cur = table[cur]
        return out

    if side == 1:
        near, far = far, near
    head = walk(parents[0], near)[::-1]
    tail = walk(parents[1], far)
    return head + tail
