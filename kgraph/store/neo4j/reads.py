"""The Neo4j backend's reads: items, lists, neighbourhoods, paths, search, history."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from kgraph.errors import NotFoundError, ValidationError
from kgraph.model import (
    EDGE_KINDS,
    Edge,
    Node,
    check_collection,
    check_edge_kind,
    check_id,
    check_node_kind,
)
from kgraph.store.neighbourhood import Adjacency, Filters
from kgraph.store.neo4j import cypher as cy
from kgraph.store.neo4j.rows import (
    change_of,
    chunks,
    edge_of,
    names_item,
    node_from_list,
    node_of,
    optional,
    record_key,
    record_of,
    sorted_edges,
)
from kgraph.store.neo4j.session import Neo4jCore, _Unit
from kgraph.store.values import Change, Counts, Record, Subgraph
from kgraph.store.wordforms import query_stem, query_terms

T = TypeVar("T")

_HISTORY_GROUP = 20  # batches per round trip when history() reads them
_MAX_PATH_DEPTH = 50
_NO_LIMIT = 2**62
_LUCENE_PREFIX = 200


class _Adjacency:
    """A neighbourhood's reads in one read transaction: a whole level per round trip
    (``cy.LEVEL``), and the selection's nodes and edges in one more (``cy.SELECTION``)."""

    def __init__(self, unit: _Unit, filters: Filters) -> None:
        self.unit = unit
        self.filters = {
            "kinds": filters.kinds,
            "statuses": filters.statuses,
            "edge_kinds": filters.edge_kinds,
        }

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        return {r[0]: r[1] for r in self.unit.records(cy.FOCUS, ids=list(ids))}

    def level(
        self, frontier: Sequence[str], seen: Mapping[str, None], take: int
    ) -> list[tuple[str, int]]:
        [(found,)] = self.unit.records(
            cy.LEVEL,
            frontier=list(frontier),
            seen=dict.fromkeys(seen, True),
            take=take,
            **self.filters,
        )
        return [(node_id, degree) for node_id, degree in found]

    def selection(
        self, ids: Sequence[str], degree: Mapping[str, int]
    ) -> tuple[dict[str, Node], list[Edge]]:
        params = Neo4jReads._among_params(ids, degree, self.filters["edge_kinds"])
        [(node_rows, edge_rows)] = self.unit.records(cy.SELECTION, ids=list(ids), **params)
        return {v[0]: node_from_list(v) for v in node_rows}, sorted_edges(edge_rows)


class Neo4jReads(Neo4jCore):
    """Reads of the Neo4j backend (see ``Neo4jStore``)."""

    def get_node(self, node_id: str) -> Node | None:
        rows = self._run_read(cy.GET_NODE, id=node_id)
        return node_of(rows[0]["n"]) if rows else None

    def get_edge(self, src: str, kind: str, dst: str) -> Edge | None:
        if kind not in EDGE_KINDS:  # no such edge can exist; never build the query
            return None
        rows = self._run_read(cy.with_rel(cy.GET_EDGE, kind), src=src, dst=dst)
        return edge_of(rows[0]["e"]) if rows else None

    def nodes(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        for k in kinds or ():
            check_node_kind(k)
        rows = self._run_read(
            cy.LIST_NODES,
            kinds=optional(kinds),
            statuses=optional(statuses),
            offset=offset,
            limit=_NO_LIMIT if limit is None else limit,
        )
        return [node_of(r["n"]) for r in rows]

    def edges(
        self,
        kinds: Sequence[str] | None = None,
        *,
        node_id: str | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        for k in kinds or ():
            check_edge_kind(k)
        query = cy.LIST_EDGES if node_id is None else cy.EDGES_OF_NODE
        rows = self._run_read(
            query, id=node_id, kinds=optional(kinds), limit=_NO_LIMIT if limit is None else limit
        )
        return [edge_of(r["e"]) for r in rows]

    def neighbours(
        self,
        node_id: str,
        *,
        direction: str = "both",
        edge_kinds: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, Node]]:
        if direction not in cy.NEIGHBOURS:
            raise ValidationError(f"direction must be out, in or both, not {direction!r}")
        for k in edge_kinds or ():
            check_edge_kind(k)
        rows = self._run_read(
            cy.NEIGHBOURS[direction],
            id=node_id,
            kinds=optional(edge_kinds),
            limit=_NO_LIMIT if limit is None else limit,
        )
        return [(edge_of(r["e"]), node_of(r["m"])) for r in rows]

    def _with_adjacency(self, filters: Filters, work: Callable[[Adjacency], T]) -> T:
        return self._read(lambda unit: work(_Adjacency(unit, filters)))

    @staticmethod
    def _among_params(
        ids: Sequence[str], degree: Mapping[str, int], edge_kinds: list[str] | None
    ) -> dict[str, Any]:
        """Parameters of ``cy.EDGES_AMONG``: which members are expanded, which probed."""
        small = [i for i in ids if degree.get(i, 0) <= len(ids)]
        big = [i for i in ids if degree.get(i, 0) > len(ids)]
        return {
            "small": small,
            "big": big,
            "member": dict.fromkeys(ids, True),
            "bigs": dict.fromkeys(big, True),
            "edge_kinds": edge_kinds,
        }

    def _edges_among(
        self,
        unit: _Unit,
        ids: Sequence[str],
        degree: Mapping[str, int],
        edge_kinds: list[str] | None,
    ) -> list[Edge]:
        rows = unit.records(cy.EDGES_AMONG, **self._among_params(ids, degree, edge_kinds))
        return sorted_edges(r[0] for r in rows)

    def _nodes_by_id(self, unit: _Unit, ids: Sequence[str]) -> dict[str, Node]:
        got: dict[str, Node] = {}
        for chunk in chunks(list(ids), 10_000):
            for row in unit.records(cy.NODES_BY_ID, ids=list(chunk)):
                node = node_from_list(row[0])
                got[node.id] = node
        return {i: got[i] for i in ids if i in got}

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        wanted = list(dict.fromkeys(node_ids))

        def work(unit: _Unit) -> Subgraph:
            degree = {r["id"]: r["degree"] for r in unit.run(cy.FOCUS, ids=wanted)}
            nodes = self._nodes_by_id(unit, [i for i in wanted if i in degree])
            edges = self._edges_among(unit, list(nodes), degree, None)
            return Subgraph(nodes=nodes, edges=edges)

        return self._read(work)

    def shortest_path(self, src: str, dst: str, *, max_depth: int = 8) -> list[str] | None:
        check_id(src)
        check_id(dst)
        depth = int(max_depth)
        if not 0 <= depth <= _MAX_PATH_DEPTH:
            raise ValidationError(f"max_depth must be between 0 and {_MAX_PATH_DEPTH}")
        query = cy.SHORTEST_PATH.replace("{depth}", str(depth))

        def work(unit: _Unit) -> list[str] | None:
            kinds = self._kinds_of(unit, [src, dst])
            for node_id in (src, dst):
                if node_id not in kinds:
                    raise NotFoundError(f"no node with id {node_id!r}")
            if src == dst:
                return [src]
            if depth == 0:
                return None
            rows = unit.run(query, src=src, dst=dst)
            return list(rows[0]["ids"]) if rows else None

        return self._read(work)

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        words = query_terms(text)
        if not words or limit <= 0:
            return []
        for k in kinds or ():
            check_node_kind(k)
        # Every word as a word prefix; the words hold only [0-9a-z], nothing Lucene parses.
        # Lucene cuts stored words at 255 characters and refuses huge prefixes, so it gets
        # at most _LUCENE_PREFIX characters of a word and the query re-checks whole words.
        query = " ".join(f"+{w[:_LUCENE_PREFIX]}*" for w in words)
        rows = self._run_read(
            cy.SEARCH,
            query=query,
            words=[f" {w}" for w in words],
            kinds=optional(kinds),
            limit=limit,
        )
        found = [node_of(r["n"]) for r in rows]
        stems = [query_stem(w) for w in words]
        if len(found) < limit and any(stems):
            more = self._run_read(
                cy.SEARCH_STEMS,
                query=" OR ".join(sorted({s for s in stems if s})),
                words=[f" {w}" for w in words],
                # a stem is matched whole; a word without one matches as a prefix only
                stems=[f" {s} " if s else "\u0000" for s in stems],
                found=[n.id for n in found],
                kinds=optional(kinds),
                limit=limit - len(found),
            )
            found += [node_of(r["n"]) for r in more]
        return found

    def last_change(self) -> int:
        rows = self._run_read(cy.LAST_CHANGE)
        return int(rows[0]["seq"] or 0) if rows else 0

    def counts(self) -> Counts:
        def work(unit: _Unit) -> Counts:
            nodes = {r["kind"]: r["c"] for r in unit.run(cy.COUNT_NODES) if r["c"]}
            edges = {r["kind"]: r["c"] for r in unit.run(cy.COUNT_EDGES) if r["c"]}
            return Counts(nodes=dict(sorted(nodes.items())), edges=dict(sorted(edges.items())))

        return self._read(work)

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
        since, until, actor, target = since or None, until or None, actor or None, target or None
        if offset > 0 or newest_first:
            return self._history_page(
                _Filter(since, until, actor, target), max(int(offset), 0), limit, newest_first
            )
        cut = _NO_LIMIT if limit is None else max(int(limit), 0)
        filters = {"since": since, "until": until, "actor": actor, "target": target}

        def work(unit: _Unit) -> list[Change]:
            single = [
                change_of(r["h"])
                for r in unit.run(cy.HISTORY_OF if target else cy.HISTORY, **filters, limit=cut)
            ]
            # Entries of bulk loads, filtered here exactly as the query above filters, read
            # in order of their numbers until no later batch can be among the first ``cut``.
            merged = [(c.seq, c) for c in single]
            firsts = [r[0] for r in unit.records(cy.HISTORY_BATCHES, **filters)]
            for group in chunks(firsts, _HISTORY_GROUP):
                if len(merged) >= cut:
                    merged.sort(key=lambda m: m[0])
                    del merged[cut:]
                    if not merged or merged[-1][0] < group[0]:
                        break
                for first, tx, packed in unit.records(cy.HISTORY_ENTRIES, firsts=list(group)):
                    for i, (etx, at, who, op, item, before, after) in enumerate(
                        json.loads(zlib.decompress(packed))
                    ):
                        if (
                            (since is not None and at < since)
                            or (until is not None and at >= until)
                            or (actor is not None and who != actor)
                            or (target is not None and not names_item(item, target))
                        ):
                            continue
                        change = Change(
                            first + i, tx if etx is None else etx, at, who, op, item, before, after
                        )
                        merged.append((change.seq, change))
            merged.sort(key=lambda m: m[0])
            return [c for _seq, c in merged[:cut]]

        return self._read(work)

    def count_history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
    ) -> int:
        wanted = _Filter(since or None, until or None, actor or None, target or None)

        def work(unit: _Unit) -> int:
            singles, blocks = self._history_layout(unit, wanted)
            return len(singles) + sum(block.count for block in blocks)

        return self._read(work)

    def _history_layout(self, unit: _Unit, wanted: _Filter) -> tuple[list[int], list[_Block]]:
        """The numbers of the matching single entries, and the bulk batches that hold
        matching entries with how many. A batch all of whose entries match (the usual
        case: no person or item filter, or a window around the whole batch) is counted
        from its size without being decoded; only a batch that matches in part is."""
        params = wanted.params()
        query = cy.HISTORY_SEQS_OF if wanted.target else cy.HISTORY_SEQS
        singles = [r[0] for r in unit.records(query, **params)]
        blocks: list[_Block] = []
        for first, size, min_at, max_at, actors in unit.records(cy.HISTORY_BATCH_INFO, **params):
            whole = (
                wanted.target is None
                and (wanted.actor is None or list(actors) == [wanted.actor])
                and (wanted.since is None or min_at >= wanted.since)
                and (wanted.until is None or max_at < wanted.until)
            )
            if whole:
                blocks.append(_Block(first, int(size), None))
                continue
            changes = [c for c in self._batch_changes(unit, [first]) if wanted.matches(c)]
            if changes:
                blocks.append(_Block(first, len(changes), changes))
        return singles, blocks

    def _batch_changes(self, unit: _Unit, firsts: Sequence[int]) -> list[Change]:
        """Every entry of the given batches, in order."""
        changes: list[Change] = []
        for first, tx, packed in unit.records(cy.HISTORY_ENTRIES, firsts=list(firsts)):
            for i, (etx, at, who, op, item, before, after) in enumerate(
                json.loads(zlib.decompress(packed))
            ):
                changes.append(
                    Change(first + i, tx if etx is None else etx, at, who, op, item, before, after)
                )
        changes.sort(key=lambda c: c.seq)
        return changes

    def _history_page(
        self, wanted: _Filter, offset: int, limit: int | None, newest_first: bool
    ) -> list[Change]:
        """One page of the history in either order: the layout says which single entries
        and which batches the page covers, and only those are read and decoded."""

        def work(unit: _Unit) -> list[Change]:
            singles, blocks = self._history_layout(unit, wanted)
            # Segments in order of their numbers: a single entry, or a batch's block
            # (a batch's numbers are consecutive, so nothing falls inside one).
            segments: list[tuple[int, int, _Block | None]] = [(s, 1, None) for s in singles]
            segments += [(b.first, b.count, b) for b in blocks]
            segments.sort(key=lambda seg: seg[0], reverse=newest_first)
            end = _NO_LIMIT if limit is None else offset + max(int(limit), 0)
            picked: list[tuple[int, _Block | None, int, int]] = []  # (seq, block, lo, hi)
            position = 0
            for seq, count, block in segments:
                if position >= end:
                    break
                lo, hi = max(offset - position, 0), min(end - position, count)
                if lo < hi:
                    picked.append((seq, block, lo, hi))
                position += count
            single_seqs = [seq for seq, block, _lo, _hi in picked if block is None]
            by_seq = {
                c.seq: c
                for chunk in chunks(single_seqs, 10_000)
                for c in (change_of(r["h"]) for r in unit.run(cy.HISTORY_BY_SEQ, seqs=list(chunk)))
            }
            page: list[Change] = []
            for seq, block, lo, hi in picked:
                if block is None:
                    page.append(by_seq[seq])
                    continue
                entries = block.changes
                if entries is None:
                    entries = self._batch_changes(unit, [block.first])
                ordered = entries[::-1] if newest_first else entries
                page.extend(ordered[lo:hi])
            return page

        return self._read(work)

    # --- records -----------------------------------------------------------------------

    def get_record(self, collection: str, record_id: str) -> Record | None:
        rows = self._run_read(
            cy.GET_RECORD, key=record_key(check_collection(collection), record_id)
        )
        return record_of(rows[0]["r"]) if rows else None

    def records(
        self,
        collection: str,
        *,
        ref: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        rows = self._run_read(
            cy.LIST_RECORDS,
            collection=check_collection(collection),
            ref=ref,
            offset=max(int(offset), 0),
            limit=_NO_LIMIT if limit is None else max(int(limit), 0),
        )
        return [record_of(r["r"]) for r in rows]

    def count_records(self, collection: str, *, ref: str | None = None) -> int:
        rows = self._run_read(cy.COUNT_RECORDS, collection=check_collection(collection), ref=ref)
        return int(rows[0]["c"]) if rows else 0

    def is_empty(self) -> bool:
        return (
            not self.counts().nodes
            and not self._run_read(cy.ANY_HISTORY)
            and not self._run_read(cy.ANY_RECORD)
        )


class _Filter:
    """The filters of a history read, applied exactly to decoded batch entries."""

    def __init__(
        self, since: str | None, until: str | None, actor: str | None, target: str | None
    ) -> None:
        self.since, self.until, self.actor, self.target = since, until, actor, target

    def params(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "actor": self.actor,
            "target": self.target,
        }

    def matches(self, c: Change) -> bool:
        return not (
            (self.since is not None and c.at < self.since)
            or (self.until is not None and c.at >= self.until)
            or (self.actor is not None and c.actor != self.actor)
            or (self.target is not None and not names_item(c.target, self.target))
        )


class _Block:
    """A bulk batch's share of a history read: its first number, how many of its entries
    match, and those entries when they had to be decoded to know."""

    def __init__(self, first: int, count: int, changes: list[Change] | None) -> None:
        self.first, self.count, self.changes = first, count, changes
