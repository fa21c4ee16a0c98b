"""Model values as the Neo4j backend's rows and parameters, and back.

Node fields are native properties except ``props`` (a JSON string, lossless for any value
the model allows, and never a native property of its own: a user prop called ``degree``
or ``search`` cannot reach the backend's fields); ``search``/``search_title`` hold the
folded words for text search.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from kgraph.model import Edge, Node, fold, node_search_text
from kgraph.store.values import Change, Record
from kgraph.store.wordforms import node_stems

T = TypeVar("T")

BATCH = 5000  # rows per UNWIND statement
_INDEX_WORD = re.compile(r"[^\W_]+")  # how stored text is cut into words


def dumps(value: Any) -> str:
    if value == {}:  # most edges have no props; skip the encoder for them
        return "{}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def words(text: str) -> str:
    return " ".join(_INDEX_WORD.findall(text))


def node_row(node: Node) -> dict[str, Any]:
    title_stems, all_stems = node_stems(node)
    return {
        "id": node.id,
        "kind": node.kind,
        "title": node.title,
        "text": node.text,
        "status": node.status,
        "tags": list(node.tags),
        "source": node.source,
        "props": dumps(dict(node.props)),
        "version": node.version,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
        "updated_by": node.updated_by,
        "search": words(node_search_text(node)),
        "search_title": f" {words(fold(node.title))} ",
        # word forms: the stems of the node's words, space-delimited for whole-stem tests
        "stems": f" {all_stems} ",
        "stems_title": f" {title_stems} ",
    }


def node_of(data: Mapping[str, Any]) -> Node:
    return Node(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        text=data.get("text") or "",
        status=data.get("status"),
        tags=tuple(data.get("tags") or ()),
        source=data.get("source"),
        props=json.loads(data.get("props") or "{}"),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
        version=int(data.get("version") or 0),
    )


def edge_values(edge: Edge) -> dict[str, Any]:
    status = edge.props.get("status")
    return {
        "props": dumps(dict(edge.props)),
        # A copy of the handover status, so Cypher users can filter on it directly.
        "status": status if isinstance(status, str) else None,
        "created_at": edge.created_at,
        "updated_at": edge.updated_at,
        "updated_by": edge.updated_by,
    }


def node_from_list(v: Sequence[Any]) -> Node:
    """A node from ``cy.N_LIST`` (id, kind, title, text, status, tags, source, props,
    version, created_at, updated_at, updated_by)."""
    return Node(
        id=v[0],
        kind=v[1],
        title=v[2],
        text=v[3] or "",
        status=v[4],
        tags=tuple(v[5] or ()),
        source=v[6],
        props=json.loads(v[7]) if v[7] and v[7] != "{}" else {},
        version=int(v[8] or 0),
        created_at=v[9],
        updated_at=v[10],
        updated_by=v[11],
    )


def edge_from_list(v: Sequence[Any]) -> Edge:
    """An edge from ``cy.E_LIST`` (src, kind, dst, props, created_at, updated_at, updated_by)."""
    return Edge(
        src=v[0],
        kind=v[1],
        dst=v[2],
        props=json.loads(v[3]) if v[3] and v[3] != "{}" else {},
        created_at=v[4],
        updated_at=v[5],
        updated_by=v[6],
    )


def sorted_edges(rows: Iterable[Sequence[Any]]) -> list[Edge]:
    """Edges from ``cy.E_LIST`` rows, ordered by (src, kind, dst)."""
    return [edge_from_list(v) for v in sorted(rows, key=lambda v: (v[0], v[1], v[2]))]


def edge_row(edge: Edge) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "values": edge_values(edge)}


def edge_of(data: Mapping[str, Any]) -> Edge:
    return Edge(
        src=data["src"],
        kind=data["kind"],
        dst=data["dst"],
        props=json.loads(data.get("props") or "{}"),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
    )


def change_of(data: Mapping[str, Any]) -> Change:
    return Change(
        seq=data["seq"],
        tx=data["tx"],
        at=data["at"],
        actor=data["actor"],
        op=data["op"],
        target=data["target"],
        before=json.loads(data["before"]) if data.get("before") is not None else None,
        after=json.loads(data["after"]) if data.get("after") is not None else None,
    )


def record_key(collection: str, record_id: str) -> str:
    """A record's unique key in the database: ``collection/id``."""
    return f"{collection}/{record_id}"


def record_row(record: Record) -> dict[str, Any]:
    return {
        "key": record_key(record.collection, record.id),
        "collection": record.collection,
        "id": record.id,
        "ref": record.ref,
        "data": json.dumps(
            dict(record.data), ensure_ascii=False, separators=(",", ":"), sort_keys=True
        ),
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "updated_by": record.updated_by,
    }


def record_of(data: Mapping[str, Any]) -> Record:
    return Record(
        collection=data["collection"],
        id=data["id"],
        ref=data.get("ref") or "",
        data=json.loads(data.get("data") or "{}"),
        version=int(data.get("version") or 0),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
    )


def history_row(
    op: str,
    target: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    at: str,
    actor: str,
) -> dict[str, Any]:
    ends = target.split("|")
    return {
        "at": at,
        "actor": actor,
        "op": op,
        "target": target,
        # An edge's ends, so that history(target=node) finds the node's edges by index.
        "src": ends[0] if len(ends) == 3 else None,
        "dst": ends[2] if len(ends) == 3 else None,
        "before": dumps(before) if before is not None else None,
        "after": dumps(after) if after is not None else None,
    }


def batch_param(changes: Sequence[Change | tuple[Any, ...]]) -> dict[str, Any]:
    """The properties of one ``(:KgraphHistoryBatch)``: entries as ``Change`` values or
    ``(op, target, before, after, at, actor)`` tuples of the writing transaction."""
    entries: list[list[Any]] = []
    for c in changes:
        if isinstance(c, Change):
            entries.append([c.tx, c.at, c.actor, c.op, c.target, c.before, c.after])
        else:
            op, target, before, after, at, actor = c
            entries.append([None, at, actor, op, target, before, after])
    touches: set[str] = set()
    for e in entries:
        ends = e[4].split("|")
        touches.update((ends[0], ends[2]) if len(ends) == 3 else (e[4],))
        touches.add(e[4])
    ats = [e[1] for e in entries]
    return {
        "size": len(entries),
        # Compressed: a transaction holds a string at ~2.7 bytes a character (215 per
        # edge entry) but bytes at one each, and the entries compress ~8x.
        "entries": zlib.compress(
            json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(),
            6,
        ),
        "touches": sorted(touches),
        "actor_set": sorted({e[2] for e in entries}),
        "min_at": min(ats),
        "max_at": max(ats),
    }


def names_item(target: str, node_id: str) -> bool:
    """Whether a history entry about ``target`` belongs to ``history(target=node_id)``:
    the item itself, or an edge with ``node_id`` at one end."""
    if target == node_id:
        return True
    ends = target.split("|")
    return len(ends) == 3 and node_id in (ends[0], ends[2])


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def optional(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None
