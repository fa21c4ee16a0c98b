"""The embedded store's plain reads: items, lists, counts, records, the history, integrity."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kgraph.errors import ValidationError
from kgraph.model import (
    EDGE_RULES,
    UNTRACKED_COLLECTIONS,
    Edge,
    Node,
    check_collection,
    check_edge_kind,
    check_node_kind,
    edge_key,
    record_target,
)
from kgraph.store.base import Change, Counts, Record
from kgraph.store.embedded.connection import EmbeddedCore


class EmbeddedReads(EmbeddedCore):
    """Reads of the embedded store (see ``EmbeddedStore``)."""

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
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Change]:
        where, params = _history_filter(since, until, actor, target)
        order = "DESC" if newest_first else ""
        sql = (
            f"SELECT seq, tx, at, actor, op, target, before, after FROM history{where} "  # noqa: S608
            f"ORDER BY seq {order} LIMIT ? OFFSET ?"
        )
        params += [-1 if limit is None else max(int(limit), 0), max(int(offset), 0)]
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

    def count_history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
    ) -> int:
        where, params = _history_filter(since, until, actor, target)
        return int(self._query(f"SELECT COUNT(*) FROM history{where}", params)[0][0])  # noqa: S608

    # --- records -----------------------------------------------------------------------

    def get_record(self, collection: str, record_id: str) -> Record | None:
        rows = self._query(
            f"SELECT {self._RECORD_COLS} FROM records WHERE collection = ? AND id = ?",  # noqa: S608
            (check_collection(collection), record_id),
        )
        return self._record(rows[0]) if rows else None

    def records(
        self,
        collection: str,
        *,
        ref: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        sql = f"SELECT {self._RECORD_COLS} FROM records WHERE collection = ?"  # noqa: S608
        params: list[Any] = [check_collection(collection)]
        if ref is not None:
            sql += " AND ref = ?"
            params.append(ref)
        sql += " ORDER BY created_at, id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else max(int(limit), 0), max(int(offset), 0)]
        return [self._record(r) for r in self._query(sql, params)]

    def count_records(self, collection: str, *, ref: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM records WHERE collection = ?"
        params: list[Any] = [check_collection(collection)]
        if ref is not None:
            sql += " AND ref = ?"
            params.append(ref)
        return int(self._query(sql, params)[0][0])

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
        live |= {
            record_target(collection, record_id)
            for collection, record_id in self._query("SELECT collection, id FROM records")
            if collection not in UNTRACKED_COLLECTIONS
        }
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


def _history_filter(
    since: str | None, until: str | None, actor: str | None, target: str | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of ``history``/``count_history`` and its parameters; a node id as
    ``target`` matches its edges too (their keys start or end with it)."""
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
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


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
