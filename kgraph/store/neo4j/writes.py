"""The Neo4j backend's write primitives (``Neo4jUnit``) and its bulk load.

The rules of a write (validation, ends, stamps, history entries) are the base's
(``GraphStore.add_node`` ...); here are only the statements they turn into. Writes are
batched with ``UNWIND $rows``; every write transaction first takes the writers' lock on
the counter (``cy.LOCK_WRITERS``) and records its history in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

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
from kgraph.store.neo4j import cypher as cy
from kgraph.store.neo4j.rows import (
    chunks,
    edge_of,
    edge_row,
    edge_values,
    history_row,
    node_of,
    node_row,
    record_key,
    record_of,
    record_row,
)
from kgraph.store.neo4j.session import BULK_BATCH, Neo4jCore, _Unit
from kgraph.store.values import Record

T = TypeVar("T")
_NO_LIMIT = 2**62


class Neo4jUnit:
    """``WriteUnit`` inside one Neo4j write transaction (``unit``)."""

    def __init__(self, store: Neo4jWrites, unit: _Unit) -> None:
        self.store = store
        self.unit = unit
        self.actor = unit.actor

    def node(self, node_id: str, *, lock: bool = False) -> Node | None:
        rows = self.unit.run(cy.LOCK_NODE if lock else cy.GET_NODE, id=node_id)
        return node_of(rows[0]["n"]) if rows else None

    def kinds(self, ids: Sequence[str]) -> dict[str, str]:
        return self.store._kinds_of(self.unit, ids)

    def edge(self, src: str, kind: str, dst: str, *, lock: bool = False) -> Edge | None:
        query = cy.with_rel(cy.LOCK_EDGE if lock else cy.GET_EDGE, kind)
        rows = self.unit.run(query, src=src, dst=dst)
        return edge_of(rows[0]["e"]) if rows else None

    def edges_of(self, node_id: str) -> list[Edge]:
        rows = self.unit.run(cy.EDGES_OF_NODE, id=node_id, kinds=None, limit=_NO_LIMIT)
        return [edge_of(r["e"]) for r in rows]

    def insert_node(self, node: Node) -> None:
        self.unit.run(cy.with_label(cy.CREATE_NODES, node.kind), rows=[node_row(node)])

    def replace_node(self, old: Node, new: Node) -> None:
        self.unit.run(cy.UPDATE_NODE, id=new.id, row=node_row(new))

    def remove_node(self, node: Node, edges: Sequence[Edge]) -> None:
        # one statement deletes the node with all its edges and lowers the ends' degrees
        self.unit.run(cy.DELETE_NODE, id=node.id)

    def insert_edge(self, edge: Edge) -> None:
        self.unit.execute(
            cy.with_rel(cy.CREATE_EDGE, edge.kind),
            src=edge.src,
            dst=edge.dst,
            values=edge_values(edge),
        )

    def replace_edge(self, old: Edge, new: Edge) -> None:
        self.unit.run(
            cy.with_rel(cy.UPDATE_EDGE, new.kind), src=new.src, dst=new.dst, values=edge_values(new)
        )

    def remove_edge(self, edge: Edge) -> None:
        self.unit.run(cy.with_rel(cy.DELETE_EDGE, edge.kind), src=edge.src, dst=edge.dst)

    def append_history(self, entries: Sequence[Entry]) -> None:
        if entries:
            self.store._record(self.unit, [history_row(*entry) for entry in entries])

    def record(self, collection: str, record_id: str, *, lock: bool = False) -> Record | None:
        query = cy.LOCK_RECORD if lock else cy.GET_RECORD
        rows = self.unit.run(query, key=record_key(collection, record_id))
        return record_of(rows[0]["r"]) if rows else None

    def insert_record(self, record: Record) -> None:
        self.unit.execute(cy.CREATE_RECORDS, rows=[record_row(record)])

    def replace_record(self, old: Record, new: Record) -> None:
        row = record_row(new)
        self.unit.execute(cy.UPDATE_RECORD, key=row.pop("key"), row=row)

    def remove_record(self, record: Record) -> None:
        self.unit.execute(cy.DELETE_RECORD, key=record_key(record.collection, record.id))


class Neo4jWrites(Neo4jCore):
    """Writes of the Neo4j backend (see ``Neo4jStore``)."""

    def _write_unit(self, work: Callable[[WriteUnit], T], actor: str | None) -> T:
        return self._write(lambda unit: work(Neo4jUnit(self, unit)), actor)

    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        # Validate everything (and build every query string) before touching the server.
        batch, wanted = prepare_load(nodes, edges)
        node_queries = {
            k: cy.with_label(cy.CREATE_NODES, k) for k in {n.kind for n in batch.values()}
        }
        edge_queries = {k: cy.with_rel(cy.CREATE_EDGES, k) for k in {i[1] for i in wanted}}
        given = list(history) if history is not None else None

        def work(unit: _Unit) -> tuple[int, int]:
            who = self._who(unit, actor)
            at = now_iso()
            # Into an empty graph (a first load, a copy) nothing can be present already.
            empty = not unit.run(cy.ANY_NODE)
            present = {} if empty else self._kinds_of(unit, batch)
            fresh: list[Node] = []
            rows_by_kind: dict[str, list[dict[str, Any]]] = {}
            # A new node's edges are all new: its degree is known before it is created.
            degree: dict[str, int] = {}
            for src, _kind, dst in wanted:
                degree[src] = degree.get(src, 0) + 1
                if dst != src:
                    degree[dst] = degree.get(dst, 0) + 1
            for node in batch.values():
                if node.id in present:
                    continue
                node = loaded_node(node, at, who, keep_times)
                fresh.append(node)
                row = node_row(node)
                row["degree"] = degree.pop(node.id, 0)
                rows_by_kind.setdefault(node.kind, []).append(row)
            for kind, rows in rows_by_kind.items():
                for chunk in chunks(rows, BULK_BATCH):
                    unit.execute(node_queries[kind], rows=chunk)
            # Ends outside the batch must be in the graph already.
            kinds = {n.id: n.kind for n in batch.values()}
            outside = {x for ident in wanted for x in (ident[0], ident[2]) if x not in kinds}
            before = dict(present)
            if outside and not empty:
                found = self._kinds_of(unit, outside)
                kinds.update(found)
                before.update(found)
            for e in wanted.values():
                check_ends(e, kinds)
            # Only an edge between two nodes that were there before can exist already.
            old = [i for i in wanted if i[0] in before and i[2] in before]
            existing = self._existing_edges(unit, old) if old else set()
            new_edges: list[Edge] = []
            rows_by_rel: dict[str, list[dict[str, Any]]] = {}
            for ident, e in wanted.items():
                if ident in existing:
                    for end in {ident[0], ident[2]}:
                        if end in degree:
                            degree[end] -= 1
                    continue
                e = loaded_edge(e, at, who, keep_times)
                new_edges.append(e)
                rows_by_rel.setdefault(e.kind, []).append(edge_row(e))
            for kind, rows in rows_by_rel.items():
                for chunk in chunks(rows, BULK_BATCH):
                    unit.execute(edge_queries[kind], rows=chunk)
            # What is left in ``degree`` are nodes that were there before.
            grown = [[i, d] for i, d in degree.items() if d]
            for part in chunks(grown, BULK_BATCH):
                unit.execute(cy.ADD_DEGREES, rows=list(part))
            if given is None:
                self._record_batches(unit, list(load_entries(fresh, new_edges, at, who)))
            else:
                self._load_history(unit, given)
            return len(fresh), len(new_edges)

        return self._write(work, actor)

    def _existing_edges(
        self, unit: _Unit, idents: Sequence[tuple[str, str, str]]
    ) -> set[tuple[str, str, str]]:
        by_kind: dict[str, list[dict[str, str]]] = {}
        for s, k, d in idents:
            by_kind.setdefault(k, []).append({"src": s, "dst": d})
        found: set[tuple[str, str, str]] = set()
        for kind, rows in by_kind.items():
            query = cy.with_rel(cy.EXISTING_EDGES, kind)
            for chunk in chunks(rows, BULK_BATCH):
                for r in unit.run(query, rows=chunk):
                    found.add((r["src"], kind, r["dst"]))
        return found

    def _load_history(self, unit: _Unit, changes: Sequence[Change]) -> None:
        """Store copied history entries as given (renumbered after any already present)."""
        if not changes:
            return
        self._record_batches(unit, changes, copied=True)
        unit.run(cy.RAISE_TX, tx=max(c.tx for c in changes))

    # --- reads ---------------------------------------------------------------------------
