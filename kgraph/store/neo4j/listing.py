"""The Neo4j backend's lists and aggregates: a ``NodeQuery`` as one Cypher statement,
counts grouped in Cypher, and lean rows for analyses.

Conditions become ``EXISTS { }`` patterns; relationship types and labels come only from
the model's allow-list (``cypher.with_rel``), every value is a ``$parameter``. Titles sort
by ``sort_title`` (``listing.title_key``, indexed; given once to nodes written before it
existed: ``migrate_sort_titles``). Lists come
back as one record holding a list: the driver's cost per record is what a page of rows
would otherwise pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgraph.model import EDGE_KINDS, Node, check_edge_kind, check_node_kind
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
from kgraph.store.neo4j import cypher as cy
from kgraph.store.neo4j.reads import Neo4jReads
from kgraph.store.neo4j.rows import node_from_list
from kgraph.store.neo4j.session import _Unit

_STATUS_ORDER = (
    "CASE n.status "
    + " ".join(f"WHEN '{s}' THEN {i}" for s, i in STATUS_RANK.items())
    + f" ELSE {UNRANKED} END"
)
_SORT_CYPHER = {
    "title": ("n.sort_title", "n.id"),
    "status": (_STATUS_ORDER, "n.sort_title", "n.id"),
    "kind": ("n.kind", "n.sort_title", "n.id"),
    "updated": ("n.updated_at", "n.id"),
    "id": ("n.id",),
}
_NO_LIMIT = 2**62

STATUS_COUNTS = (
    "MATCH (n:Node) RETURN n.kind AS kind, coalesce(n.status, '') AS status, count(*) AS c"
)
NODE_ROWS = (
    "MATCH (n:Node) WHERE $kinds IS NULL OR n.kind IN $kinds "
    "RETURN collect([n.id, n.kind, n.title, n.status]) AS rows"
)
EDGE_ROWS = "MATCH (a:Node)-[r:{rel}]->(b:Node) RETURN collect([a.id, b.id, r.status]) AS rows"
# The newest entry's number and time: a single entry's own node, or the batch holding it.
CHANGE_STAMP = (
    "MATCH (c:KgraphMeta {key: 'counter'}) "
    "OPTIONAL MATCH (h:KgraphHistory {seq: c.seq}) "
    "CALL (c) { OPTIONAL MATCH (b:KgraphHistoryBatch) WHERE b.first <= c.seq "
    "RETURN b.max_at AS batch_at ORDER BY b.first DESC LIMIT 1 } "
    "RETURN c.seq AS seq, coalesce(h.at, batch_at) AS at"
)


class _Compiler:
    """A condition tree as a Cypher predicate on the node variable given."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.names = 0

    def param(self, value: Any) -> str:
        self.names += 1
        name = f"p{self.names}"
        self.params[name] = value
        return f"${name}"

    def condition(self, c: Condition, node: str) -> str:
        if isinstance(c, Link):
            return self.link(c, node)
        if isinstance(c, Not):
            return f"NOT ({self.condition(c.condition, node)})"
        if isinstance(c, AllOf):
            parts = [self.condition(p, node) for p in c.conditions]
            return "(" + " AND ".join(parts) + ")" if parts else "true"
        if isinstance(c, AnyOf):
            parts = [self.condition(p, node) for p in c.conditions]
            return "(" + " OR ".join(parts) + ")" if parts else "false"
        if isinstance(c, Isolated):
            return f"NOT EXISTS {{ MATCH ({node})--() }}"
        if isinstance(c, OfKind):
            return f"{node}.kind IN {self.param([check_node_kind(k) for k in c.kinds])}"
        if isinstance(c, Among):
            return f"{node}.id IN {self.param(list(c.ids))}"
        raise TypeError(f"not a condition: {c!r}")

    def link(self, link: Link, node: str) -> str:
        self.names += 1
        e, m = f"e{self.names}", f"m{self.names}"
        arrow = "-[{e}:{{rel}}]->" if link.direction == "out" else "<-[{e}:{{rel}}]-"
        pattern = cy.with_rel(f"({node}){arrow.format(e=e)}({m}:Node)", link.kind)
        tests: list[str] = []
        if link.ends:
            tests.append(f"{m}.id IN {self.param(list(link.ends))}")
        if link.end_kinds:
            kinds = [check_node_kind(k) for k in link.end_kinds]
            tests.append(f"{m}.kind IN {self.param(kinds)}")
        if link.statuses:
            tests.append(f"coalesce({e}.status, 'proposed') IN {self.param(list(link.statuses))}")
        if link.then is not None:
            tests.append(self.condition(link.then, m))
        where = f" WHERE {' AND '.join(tests)}" if tests else ""
        return f"EXISTS {{ MATCH {pattern}{where} }}"


def _match(query: NodeQuery) -> tuple[str, dict[str, Any]]:
    """``MATCH``/``CALL`` ... ``WHERE`` binding ``n`` to the nodes ``query`` holds."""
    compiler = _Compiler()
    tests: list[str] = []
    words = query.words()
    if words:
        # every word as a word prefix, through the full-text index (as ``search`` does)
        head = (
            f"CALL db.index.fulltext.queryNodes('{cy.SEARCH_INDEX}', "
            f"{compiler.param(' '.join(f'+{w[:200]}*' for w in words))}) YIELD node AS n"
        )
        words_param = compiler.param([f" {w}" for w in words])
        tests.append(f"all(w IN {words_param} WHERE (' ' + n.search) CONTAINS w)")
    else:
        head = "MATCH (n:Node)"
    if query.kinds:
        tests.append(f"n.kind IN {compiler.param(list(query.kinds))}")
    if query.statuses:
        tests.append(f"n.status IN {compiler.param(list(query.statuses))}")
    if query.ids is not None:
        tests.append(f"n.id IN {compiler.param(list(query.ids))}")
    if query.where is not None:
        tests.append(compiler.condition(query.where, "n"))
    where = f" WHERE {' AND '.join(tests)}" if tests else ""
    return head + where, compiler.params


class Neo4jListing(Neo4jReads):
    """Lists and aggregates of the Neo4j backend (see ``Neo4jStore``)."""

    def find_nodes(
        self, query: NodeQuery, *, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        check_query(query)
        match, params = _match(query)
        direction = " DESC" if query.descending else ""
        order = ", ".join(t + direction for t in _SORT_CYPHER[query.sort])
        cypher = (
            f"{match} WITH n ORDER BY {order} SKIP $offset LIMIT $limit "
            f"RETURN collect({cy.N_LIST}) AS rows"
        )
        params.update(
            offset=max(0, int(offset)), limit=_NO_LIMIT if limit is None else max(0, int(limit))
        )
        rows = self._read(lambda unit: unit.records(cypher, **params))
        return [node_from_list(v) for v in rows[0][0]] if rows else []

    def count_nodes(self, query: NodeQuery) -> int:
        check_query(query)
        match, params = _match(query)
        rows = self._read(lambda unit: unit.records(f"{match} RETURN count(n) AS c", **params))
        return int(rows[0][0]) if rows else 0

    def status_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self._run_read(STATUS_COUNTS):
            out.setdefault(r["kind"], {})[r["status"]] = int(r["c"])
        return out

    def node_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        checked = [check_node_kind(k) for k in kinds] if kinds else None
        rows = self._read(lambda unit: unit.records(NODE_ROWS, kinds=checked))
        return [(v[0], v[1], v[2], v[3]) for v in rows[0][0]] if rows else []

    def edge_rows(
        self, kinds: Sequence[str] | None = None
    ) -> list[tuple[str, str, str, str | None]]:
        wanted = [check_edge_kind(k) for k in kinds] if kinds else list(EDGE_KINDS)

        def work(unit: _Unit) -> list[tuple[str, str, str, str | None]]:
            out: list[tuple[str, str, str, str | None]] = []
            for kind in dict.fromkeys(wanted):
                [(rows,)] = unit.records(cy.with_rel(EDGE_ROWS, kind))
                out += [(v[0], kind, v[1], v[2]) for v in rows]
            return out

        return self._read(work)

    def change_stamp(self) -> str:
        rows = self._run_read(CHANGE_STAMP)
        if not rows or rows[0]["seq"] is None:
            return "0@"
        return f"{int(rows[0]['seq'])}@{rows[0]['at'] or ''}"


SORT_TITLE_DONE = "MATCH (m:KgraphMeta {key: 'sort_title'}) RETURN m.key"
MISSING_SORT_TITLES = (
    "MATCH (n:Node) WHERE n.sort_title IS NULL RETURN n.id AS id, n.title AS title LIMIT 10000"
)
SET_SORT_TITLES = "UNWIND $rows AS row MATCH (n:Node {id: row[0]}) SET n.sort_title = row[1]"
MARK_SORT_TITLE_DONE = "MERGE (m:KgraphMeta {key: 'sort_title'})"


def migrate_sort_titles(session: Any) -> None:
    """Once per database: give nodes written before ``sort_title`` existed their key
    (computed here: the folding is Python's), 10,000 per transaction."""
    from kgraph.store.listing import title_key

    if list(session.run(SORT_TITLE_DONE)):
        return
    while True:
        missing = [(r["id"], r["title"]) for r in session.run(MISSING_SORT_TITLES)]
        if not missing:
            break
        rows = [[node_id, title_key(title or "")] for node_id, title in missing]
        session.run(SET_SORT_TITLES, rows=rows).consume()
    session.run(MARK_SORT_TITLE_DONE).consume()
