"""The embedded store's adjacency reads: neighbourhoods, subgraphs and shortest paths.

The capped search itself is shared (``kgraph.store.neighbourhood``); this module gives it
the embedded store's adjacency. Adjacency comes from the ``edges`` table (indexed from
both ends) and hubs are recognised by the ``degree`` column, so no read scans a hub's
edges. Neighbourhoods without filters keep the rows they read in the read cache
(``cache``), so exploring the same part of the graph again reads nothing from SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from kgraph.errors import NotFoundError
from kgraph.model import Edge, Node, check_id
from kgraph.store.base import Subgraph
from kgraph.store.embedded.cache import EdgeEntry, NodeEntry, fresh_node, node_entry
from kgraph.store.embedded.connection import EmbeddedCore
from kgraph.store.embedded.reads import _edge_kind_filter, _node_filter
from kgraph.store.embedded.rows import chunks
from kgraph.store.neighbourhood import Adjacency, Filters, level_by_node

T = TypeVar("T")


class _FilteredAdjacency:
    """Adjacency for a neighbourhood with filters (or inside a write): read afresh, every
    node row read once (each row ends with the node's degree)."""

    def __init__(self, store: EmbeddedNeighbourhood, filters: Filters) -> None:
        self.store = store
        self.rows: dict[str, tuple[Any, ...]] = {}
        node_sql, node_params = _node_filter(filters.kinds, filters.statuses, "n")
        kind_sql, kind_params = _edge_kind_filter(filters.edge_kinds)
        self.sql = store._links_sql(kind_sql, node_sql)
        self.side = [*kind_params, *node_params]
        self.edge_kinds = filters.edge_kinds
        self._level = level_by_node(self._expand)

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        rows = self.store._node_rows(ids)
        self.rows.update(rows)
        return {node_id: row[-1] for node_id, row in rows.items()}

    def level(
        self, frontier: Sequence[str], seen: Mapping[str, None], take: int
    ) -> list[tuple[str, int]]:
        return self._level(frontier, seen, take)

    def _expand(self, node_id: str, seen: Mapping[str, None], limit: int) -> list[tuple[str, int]]:
        found = self.store._unseen_neighbours(self.sql, [node_id, *self.side], seen, limit)
        self.rows.update((row[0], row) for row in found)
        return [(row[0], row[-1]) for row in found]

    def selection(
        self, ids: Sequence[str], degree: Mapping[str, int]
    ) -> tuple[dict[str, Node], list[Edge]]:
        edges = self.store._edges_among(ids, degree, self.edge_kinds)
        found = [i for i in ids if i in self.rows]
        nodes = self.store._nodes([self.rows[i] for i in found])
        return dict(zip(found, nodes, strict=True)), edges


class _CachedAdjacency:
    """Adjacency for a neighbourhood without filters, served from the read cache where it
    can be: the same selection, read from memory when warm."""

    def __init__(self, store: EmbeddedNeighbourhood) -> None:
        self.store = store
        self.cache = store._cache
        self.cache.sync(store._conn.execute("PRAGMA data_version").fetchone()[0])
        self.rows: dict[str, tuple[Any, ...]] = {}  # read just now
        self.sql = store._links_sql("", "")
        self._level = level_by_node(self._expand)

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        cache = self.cache
        self.rows.update(self.store._node_rows([i for i in ids if i not in cache.nodes]))
        degree: dict[str, int] = {}
        for node_id in ids:
            entry = cache.nodes.get(node_id)
            if entry is not None:
                degree[node_id] = entry[1]
            elif node_id in self.rows:
                degree[node_id] = self.rows[node_id][-1]
        return degree

    def level(
        self, frontier: Sequence[str], seen: Mapping[str, None], take: int
    ) -> list[tuple[str, int]]:
        return self._level(frontier, seen, take)

    def _expand(self, node_id: str, seen: Mapping[str, None], limit: int) -> list[tuple[str, int]]:
        # the first `limit` unseen neighbours, from the cached prefix of the node's
        # neighbour list, read (longer) from SQLite when the prefix runs out
        cache, rows = self.cache, self.rows
        fetch = limit + len(seen)
        links = cache.links.get(node_id)
        while True:
            if links is None or (not links[1] and len(links[0]) < fetch):
                got = self.store._conn.execute(self.sql, (node_id, node_id, fetch)).fetchall()
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

    def selection(
        self, ids: Sequence[str], degree: Mapping[str, int]
    ) -> tuple[dict[str, Node], list[Edge]]:
        cache, rows = self.cache, self.rows
        entries: dict[str, NodeEntry] = {}
        new: list[str] = []
        for node_id in ids:
            entry = cache.nodes.get(node_id)
            if entry is None:
                new.append(node_id)
            else:
                entries[node_id] = entry
        known = set(entries)
        rows.update(self.store._node_rows([i for i in new if i not in rows]))
        # (a node deleted by another process since this call began is not in rows)
        new_rows = [rows[i] for i in new if i in rows]
        for row, body in zip(new_rows, self.store._bodies(new_rows), strict=True):
            entries[row[0]] = entry = node_entry(self.store._node_values(row, body), row[-1])
            cache.put_node(row[0], entry)
        kept = [i for i in ids if i in entries]
        edges = self.store._cached_edges_among(kept, degree, known)
        return {i: fresh_node(entries[i]) for i in kept}, edges


class EmbeddedNeighbourhood(EmbeddedCore):
    """Neighbourhoods, subgraphs and paths of the embedded store (see ``EmbeddedStore``)."""

    def _with_adjacency(self, filters: Filters, work: Callable[[Adjacency], T]) -> T:
        with self._lock:
            if not filters.any and not self._tx.depth:
                return work(_CachedAdjacency(self))
            return work(_FilteredAdjacency(self, filters))

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
        for chunk in chunks(list(ids), 500):
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


#: a node with more edges than this is probed for a meeting before its edges are read (in
#: paths), and its out-edges are not kept in the read cache unless they are this few
HUB_DEGREE = 1000
#: what one adjacency query costs, in edges read, when choosing the side to grow
_QUERY_COST = 50


def _kind_dst(row: EdgeEntry) -> tuple[str, str]:
    return row[1], row[2]


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
