"""The embedded store's lists and aggregates: a ``NodeQuery`` as one SQL statement, counts
grouped in SQL, and lean rows for analyses (no JSON bodies decoded).

Conditions become ``EXISTS`` subqueries on the edge indexes (``edges`` is keyed by
``(src, dst, kind)``, ``edges_by_dst`` by ``(dst, src, kind)``); text goes through the
``node_fts`` index; titles sort by ``nodes.title_key`` (schema 3), which is indexed, so the
first page of a sorted list is read in order instead of sorting every row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kgraph.model import NODE_KINDS, Node, check_edge_kind, check_node_kind
from kgraph.store.embedded.connection import EmbeddedCore
from kgraph.store.listing import (
    STATUS_RANK,
    UNRANKED,
    AllOf,
    Among,
    AnyOf,
    Condition,
    Isolated,
    Link,
    NodeQuery,
    Not,
    OfKind,
    check_query,
)

#: an id list longer than this is passed as one JSON parameter (SQLite caps parameters)
_INLINE_IDS = 500
#: a node's status as its rank in ``QUESTION_STATUSES`` (``{n}``: the table alias and dot);
#: the same expression is indexed (schema 3), so it must stay exactly this
STATUS_ORDER_SQL = (
    "CASE {n}status "
    + " ".join(f"WHEN '{s}' THEN {i}" for s, i in STATUS_RANK.items())
    + f" ELSE {UNRANKED} END"
)
_SORT_SQL = {
    "title": ("n.title_key", "n.id"),
    "status": (STATUS_ORDER_SQL.format(n="n."), "n.title_key", "n.id"),
    "kind": ("n.kind", "n.title_key", "n.id"),
    "updated": ("n.updated_at", "n.id"),
    "id": ("n.id",),
}
#: a ``LANDS_IN`` edge's handover status; one without counts as proposed
_EDGE_STATUS = "COALESCE(json_extract({e}.props, '$.status'), 'proposed')"


def _in_list(expr: str, values: Sequence[str], params: list[Any]) -> str:
    if len(values) <= _INLINE_IDS:
        params += list(values)
        return f"{expr} IN ({','.join('?' * len(values))})"
    params.append(json.dumps(list(values)))
    return f"{expr} IN (SELECT value FROM json_each(?))"  # noqa: S608


class _Compiler:
    """A condition tree as SQL over the node whose id is the expression ``node``."""

    def __init__(self) -> None:
        self.params: list[Any] = []
        self.aliases = 0

    def condition(self, c: Condition, node: str) -> str:
        if isinstance(c, Link):
            return self.link(c, node)
        if isinstance(c, Not):
            return f"NOT ({self.condition(c.condition, node)})"
        if isinstance(c, AllOf):
            parts = [self.condition(p, node) for p in c.conditions]
            return "(" + " AND ".join(parts) + ")" if parts else "1"
        if isinstance(c, AnyOf):
            parts = [self.condition(p, node) for p in c.conditions]
            return "(" + " OR ".join(parts) + ")" if parts else "0"
        if isinstance(c, OfKind):
            kinds = [check_node_kind(k) for k in c.kinds]
            if node == "n.id":
                return _in_list("n.kind", kinds, self.params)
            test = _in_list("k.kind", kinds, self.params)
            return f"EXISTS (SELECT 1 FROM nodes k WHERE k.id = {node} AND {test})"  # noqa: S608
        if isinstance(c, Among):
            return _in_list(node, c.ids, self.params) if c.ids else "0"
        if isinstance(c, Isolated):
            if node == "n.id":
                return "n.degree = 0"
            return f"(SELECT degree FROM nodes WHERE id = {node}) = 0"  # noqa: S608
        raise TypeError(f"not a condition: {c!r}")

    def link(self, link: Link, node: str) -> str:
        self.aliases += 1
        e = f"e{self.aliases}"
        here, there = ("src", "dst") if link.direction == "out" else ("dst", "src")
        other = f"{e}.{there}"
        # only aliases and column names are spliced in; every value is a parameter
        # Out: the (kind, src) index; in: ``+kind`` keeps SQLite on the (dst, ...) index
        # rather than scanning every edge of the kind (100,000s) for each node.
        plus = "+" if link.direction == "in" else ""
        sql = f"EXISTS (SELECT 1 FROM edges {e} WHERE {e}.{here} = {node} AND {plus}{e}.kind = ?"  # noqa: S608
        self.params.append(check_edge_kind(link.kind))
        if link.ends:
            sql += " AND " + _in_list(other, link.ends, self.params)
        if link.end_kinds:
            self.aliases += 1
            m = f"m{self.aliases}"
            kinds = [check_node_kind(k) for k in link.end_kinds]
            kind_test = _in_list(f"{m}.kind", kinds, self.params)
            sql += f" AND EXISTS (SELECT 1 FROM nodes {m} WHERE {m}.id = {other} AND {kind_test})"  # noqa: S608
        if link.statuses:
            sql += " AND " + _in_list(_EDGE_STATUS.format(e=e), link.statuses, self.params)
        if link.then is not None:
            sql += f" AND {self.condition(link.then, other)}"
        return sql + ")"


def where_sql(query: NodeQuery, *, by_text: bool = False) -> tuple[str, list[Any]]:
    """`` WHERE ...`` (or nothing) over ``nodes n`` for ``query``, and its parameters.
    ``by_text``: have SQLite start from the text index's hits (a count of a rare word)."""
    compiler = _Compiler()
    params = compiler.params
    clauses: list[str] = []
    plus = "+" if by_text and query.text.strip() else ""
    if query.kinds:
        clauses.append(_in_list(f"{plus}n.kind", query.kinds, params))
    if query.statuses:
        clauses.append(_in_list(f"{plus}n.status", query.statuses, params))
    if query.ids is not None:
        clauses.append(_in_list("n.id", query.ids, params) if query.ids else "0")
    words = query.words()
    if words:
        clauses.append("n.fts IN (SELECT rowid FROM node_fts WHERE node_fts MATCH ?)")
        params.append(" AND ".join(f'"{w}"*' for w in words))
    if query.where is not None:
        clauses.append(compiler.condition(query.where, "n.id"))
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def order_sql(query: NodeQuery) -> str:
    direction = " DESC" if query.descending else ""
    return " ORDER BY " + ", ".join(term + direction for term in _SORT_SQL[query.sort])


class EmbeddedListing(EmbeddedCore):
    """Lists and aggregates of the embedded store (see ``EmbeddedStore``)."""

    def find_nodes(
        self, query: NodeQuery, *, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        check_query(query)
        direction = " DESC" if query.descending else ""
        if query.sort == "id":
            where, params = where_sql(query)
            sql = f"SELECT {self._N_COLS} FROM nodes n{where}{order_sql(query)}"  # noqa: S608
        else:
            # One arm per kind, each read in order from its (kind, key) index, merged by
            # SQLite (MERGE UNION ALL): a page costs its rows, not a sort of every match.
            keys = _SORT_SQL[query.sort]
            picked = ", ".join(f"{k} AS s{i}" for i, k in enumerate(keys))
            arms: list[str] = []
            params = []
            for kind in query.kinds or NODE_KINDS:
                where, more = where_sql(replace(query, kinds=(kind,)))
                arms.append(f"SELECT {self._N_COLS}, {picked} FROM nodes n{where}")  # noqa: S608
                params += more
            order = ", ".join(f"s{i}{direction}" for i in range(len(keys)))
            sql = " UNION ALL ".join(arms) + f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [max(0, int(limit)), max(0, int(offset))]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            params.append(max(0, int(offset)))
        return self._nodes(self._query(sql, params))

    def count_nodes(self, query: NodeQuery) -> int:
        check_query(query)
        where, params = where_sql(query, by_text=True)
        return int(self._query(f"SELECT COUNT(*) FROM nodes n{where}", params)[0][0])  # noqa: S608

    def status_counts(self) -> dict[str, dict[str, int]]:
        # one pass over the (kind, status) index
        out: dict[str, dict[str, int]] = {}
        for kind, status, n in self._query(
            "SELECT kind, COALESCE(status, ''), COUNT(*) FROM nodes GROUP BY kind, status"
        ):
            out.setdefault(kind, {})[status] = out.get(kind, {}).get(status, 0) + n
        return out

    def node_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        params: list[Any] = []
        where = ""
        if kinds:
            where = " WHERE " + _in_list("kind", [check_node_kind(k) for k in kinds], params)
        sql = f"SELECT id, kind, title, status FROM nodes{where}"  # noqa: S608
        return [tuple(r) for r in self._query(sql, params)]

    def edge_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        params: list[Any] = []
        where = ""
        if kinds:
            where = " WHERE " + _in_list("kind", [check_edge_kind(k) for k in kinds], params)
        sql = (
            "SELECT src, kind, dst, CASE WHEN props = '{}' THEN NULL "  # noqa: S608
            f"ELSE json_extract(props, '$.status') END FROM edges{where}"
        )
        return [tuple(r) for r in self._query(sql, params)]

    def change_stamp(self) -> str:
        # the newest entry's number and time: a wiped or replaced store that has reached
        # the same number again has other times
        rows = self._query("SELECT seq, at FROM history ORDER BY seq DESC LIMIT 1")
        return f"{rows[0][0]}@{rows[0][1]}" if rows else "0@"
