"""The embedded store's write primitives (``SqliteUnit``) and its bulk load.

The rules of a write (validation, ends, stamps, history entries) are the base's
(``GraphStore.add_node`` ...); here are only the rows they turn into: a node row and its
text row in ``node_fts``, an edge row and the ``degree`` of both ends, history rows
numbered by the transaction counter in ``meta``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from kgraph.model import Edge, Node
from kgraph.store.base import (
    Change,
    Entry,
    WriteUnit,
    check_ends,
    load_entries,
    loaded_edge,
    loaded_node,
    now_iso,
    prepare_load,
)
from kgraph.store.embedded.connection import CACHE_KB, EmbeddedCore
from kgraph.store.embedded.rows import dumps
from kgraph.store.values import Record

T = TypeVar("T")

_BULK_CACHE_KB = 262144  # during bulk_load: 256 MB
_INSERT_HISTORY = (
    "INSERT INTO history(tx, at, actor, op, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class SqliteUnit:
    """``WriteUnit`` on the store's connection, inside its open write transaction."""

    def __init__(self, store: EmbeddedWrites) -> None:
        self.store = store
        self.conn = store._conn
        self.actor = store._actor(None)

    def node(self, node_id: str, *, lock: bool = False) -> Node | None:
        # BEGIN IMMEDIATE holds the write lock already: every read here is locked
        rows = self.conn.execute(
            f"SELECT {self.store._NODE_COLS} FROM nodes WHERE id = ?",  # noqa: S608
            (node_id,),
        ).fetchall()
        return self.store._node(rows[0]) if rows else None

    def kinds(self, ids: Sequence[str]) -> dict[str, str]:
        return self.store._node_kinds(ids)

    def edge(self, src: str, kind: str, dst: str, *, lock: bool = False) -> Edge | None:
        return self.store._edge_row(src, kind, dst)

    def edges_of(self, node_id: str) -> list[Edge]:
        cols = self.store._EDGE_COLS
        rows = self.conn.execute(
            f"SELECT {cols} FROM edges WHERE src = ? UNION ALL "  # noqa: S608
            f"SELECT {cols} FROM edges WHERE dst = ? AND src <> dst",
            (node_id, node_id),
        ).fetchall()
        return [self.store._edge(r) for r in rows]

    def insert_node(self, node: Node) -> None:
        cur = self.conn.execute(self.store._INSERT_TEXT, self.store._text_row(node, None))
        self.conn.execute(self.store._INSERT_STEMS, self.store._stem_row(node, cur.lastrowid))
        self.conn.execute(self.store._INSERT_NODE, self.store._node_row(node, cur.lastrowid))

    def replace_node(self, old: Node, new: Node) -> None:
        self.conn.execute(
            "UPDATE nodes SET title = ?, status = ?, body = ?, version = ?, updated_at = ?, "
            "updated_by = ? WHERE id = ?",
            (
                new.title,
                new.status,
                self.store._body(new),
                new.version,
                new.updated_at,
                new.updated_by,
                new.id,
            ),
        )
        if (new.title, new.text, new.tags) != (old.title, old.text, old.tags):
            self.store._index_text(new)

    def remove_node(self, node: Node, edges: Sequence[Edge]) -> None:
        for edge in edges:
            self.remove_edge(edge)
        for table in ("node_fts", "node_stems"):
            self.conn.execute(
                f"DELETE FROM {table} WHERE rowid = (SELECT fts FROM nodes WHERE id = ?)",  # noqa: S608
                (node.id,),
            )
        self.conn.execute("DELETE FROM nodes WHERE id = ?", (node.id,))

    def insert_edge(self, edge: Edge) -> None:
        self.store._insert_edges([edge])

    def replace_edge(self, old: Edge, new: Edge) -> None:
        self.conn.execute(
            "UPDATE edges SET props = ?, updated_at = ?, updated_by = ? "
            "WHERE src = ? AND dst = ? AND kind = ?",
            (dumps(new.props), new.updated_at, new.updated_by, new.src, new.dst, new.kind),
        )

    def remove_edge(self, edge: Edge) -> None:
        self.conn.execute(
            "DELETE FROM edges WHERE src = ? AND dst = ? AND kind = ?",
            (edge.src, edge.dst, edge.kind),
        )
        self.conn.executemany(
            "UPDATE nodes SET degree = degree - 1 WHERE id = ?", [(edge.src,), (edge.dst,)]
        )

    def append_history(self, entries: Sequence[Entry]) -> None:
        if entries:
            self.store._record_many(entries)

    def record(self, collection: str, record_id: str, *, lock: bool = False) -> Record | None:
        return self.store._record_by_id(collection, record_id)

    def insert_record(self, record: Record) -> None:
        self.conn.execute(
            f"INSERT INTO records({self.store._RECORD_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            self.store._record_row(record),
        )

    def replace_record(self, old: Record, new: Record) -> None:
        self.conn.execute(
            "UPDATE records SET ref = ?, data = ?, version = ?, updated_at = ?, updated_by = ? "
            "WHERE collection = ? AND id = ?",
            (
                new.ref,
                dumps(dict(new.data)),
                new.version,
                new.updated_at,
                new.updated_by,
                new.collection,
                new.id,
            ),
        )

    def remove_record(self, record: Record) -> None:
        self.conn.execute(
            "DELETE FROM records WHERE collection = ? AND id = ?", (record.collection, record.id)
        )


class EmbeddedWrites(EmbeddedCore):
    """Writes of the embedded store (see ``EmbeddedStore``)."""

    def _write_unit(self, work: Callable[[WriteUnit], T], actor: str | None) -> T:
        with self._write(actor):
            return work(SqliteUnit(self))

    def _record_by_id(self, collection: str, record_id: str) -> Record | None:
        rows = self._conn.execute(
            f"SELECT {self._RECORD_COLS} FROM records WHERE collection = ? AND id = ?",  # noqa: S608
            (collection, record_id),
        ).fetchall()
        return self._record(rows[0]) if rows else None

    def _edge_row(self, src: str, kind: str, dst: str) -> Edge | None:
        rows = self._conn.execute(
            f"SELECT {self._EDGE_COLS} FROM edges WHERE src = ? AND dst = ? AND kind = ?",  # noqa: S608
            (src, dst, kind),
        ).fetchall()
        return self._edge(rows[0]) if rows else None

    def _record_many(self, entries: Iterable[Entry]) -> None:
        """History rows of the current transaction, numbered with its ``tx``."""
        state = self._tx
        if state.tx is None:
            row = self._conn.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'tx' "
                "RETURNING value"
            ).fetchone()
            state.tx = int(row[0])
        tx = state.tx
        self._conn.executemany(
            _INSERT_HISTORY,
            (
                (
                    tx,
                    at,
                    who,
                    op,
                    target,
                    dumps(before) if before is not None else None,
                    dumps(after) if after is not None else None,
                )
                for op, target, before, after, at, who in entries
            ),
        )

    def _insert_nodes(self, nodes: Sequence[Node]) -> None:
        """Insert new nodes with their text rows (rowids numbered on from the highest)."""
        (top,) = self._conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM node_fts").fetchone()
        self._conn.executemany(
            self._INSERT_TEXT, (self._text_row(n, top + i) for i, n in enumerate(nodes, 1))
        )
        self._conn.executemany(
            self._INSERT_STEMS, (self._stem_row(n, top + i) for i, n in enumerate(nodes, 1))
        )
        self._conn.executemany(
            self._INSERT_NODE, (self._node_row(n, top + i) for i, n in enumerate(nodes, 1))
        )

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
        (rowid,) = self._conn.execute("SELECT fts FROM nodes WHERE id = ?", (node.id,)).fetchone()
        self._conn.execute(self._INSERT_STEMS, self._stem_row(node, rowid))

    def _insert_edges(self, edges: Sequence[Edge]) -> None:
        self._conn.executemany(
            "INSERT INTO edges(src, dst, kind, props, created_at, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.src,
                    e.dst,
                    e.kind,
                    dumps(e.props) if e.props else "{}",
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

    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        batch, wanted = prepare_load(nodes, edges)
        # A big load writes index pages all over the file; a bigger page cache for its
        # duration keeps them in memory instead of spilling and re-reading them.
        with self._lock:
            self._conn.execute(f"PRAGMA cache_size=-{_BULK_CACHE_KB}")
            try:
                with self._write(actor):
                    return self._bulk_load(batch, wanted, actor, history, keep_times)
            finally:
                self._conn.execute(f"PRAGMA cache_size=-{CACHE_KB}")

    def _bulk_load(
        self,
        batch: dict[str, Node],
        wanted: dict[tuple[str, str, str], Edge],
        actor: str | None,
        history: Iterable[Change] | None,
        keep_times: bool,
    ) -> tuple[int, int]:
        who = self._actor(actor)
        at = now_iso()
        present = set(self._node_kinds(batch))
        stored_nodes = [
            loaded_node(node, at, who, keep_times)
            for node in batch.values()
            if node.id not in present
        ]
        self._insert_nodes(stored_nodes)
        added = {n.id for n in stored_nodes}
        kinds = {node.id: node.kind for node in batch.values()}
        ends = [x for ident in wanted for x in (ident[0], ident[2])]
        kinds.update(self._node_kinds([i for i in dict.fromkeys(ends) if i not in kinds]))
        fresh: list[Edge] = []
        for ident, e in wanted.items():
            check_ends(e, kinds)
            # an edge touching a node added just now cannot be there already
            if e.src not in added and e.dst not in added and self._edge_row(*ident):
                continue
            fresh.append(loaded_edge(e, at, who, keep_times))
        self._insert_edges(fresh)
        if history is None:
            self._record_many(load_entries(stored_nodes, fresh, at, who))
        else:
            self._load_history(history)
        return len(stored_nodes), len(fresh)

    def _load_history(self, history: Iterable[Change]) -> None:
        self._conn.executemany(
            _INSERT_HISTORY,
            [
                (
                    c.tx,
                    c.at,
                    c.actor,
                    c.op,
                    c.target,
                    dumps(c.before) if c.before is not None else None,
                    dumps(c.after) if c.after is not None else None,
                )
                for c in history
            ],
        )
        self._conn.execute(
            "UPDATE meta SET value = (SELECT COALESCE(MAX(tx), 0) FROM history) WHERE key = 'tx'"
        )


__all__ = ["EmbeddedWrites", "SqliteUnit"]
