"""Rows of the embedded store's tables as model values, and back.

Nodes are one row each (the common fields as columns, text/tags/source/props as one JSON
``body``), edges one row each (props as JSON); both are built through the cache's fast
constructors (``cache.new_node``/``new_edge``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kgraph.model import Edge, Node, fold, node_search_text
from kgraph.store.embedded.cache import new_edge, new_node
from kgraph.store.values import Record
from kgraph.store.wordforms import node_stems


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON (the form every JSON column holds)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Rows:
    """Row conversion shared by the embedded store's parts (all static)."""

    _NODE_COLS = "id, kind, title, status, body, version, created_at, updated_at, updated_by"
    _EDGE_COLS = "src, kind, dst, props, created_at, updated_at, updated_by"
    # the same columns of the joined tables ``n`` (nodes) and ``e`` (edges)
    _N_COLS = ", ".join(f"n.{c.strip()}" for c in _NODE_COLS.split(","))
    _E_COLS = ", ".join(f"e.{c.strip()}" for c in _EDGE_COLS.split(","))

    _RECORD_COLS = "collection, id, ref, data, version, created_at, updated_at, updated_by"

    @staticmethod
    def _record(row: Sequence[Any]) -> Record:
        """The ``Record`` of a row of ``_RECORD_COLS``."""
        return Record(
            collection=row[0],
            id=row[1],
            ref=row[2],
            data=json.loads(row[3]),
            version=row[4],
            created_at=row[5],
            updated_at=row[6],
            updated_by=row[7],
        )

    @staticmethod
    def _record_row(record: Record) -> tuple[Any, ...]:
        """``record`` as the values of ``_RECORD_COLS``."""
        return (
            record.collection,
            record.id,
            record.ref,
            dumps(dict(record.data)),
            record.version,
            record.created_at,
            record.updated_at,
            record.updated_by,
        )

    @staticmethod
    def _node(row: Sequence[Any], body: Mapping[str, Any] | None = None) -> Node:
        """The ``Node`` of a row of ``_NODE_COLS`` (more columns after them are ignored);
        ``body`` is its decoded JSON body when the caller has decoded it already."""
        return new_node(Rows._node_values(row, body))

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
        return dumps(
            {"text": node.text, "tags": list(node.tags), "source": node.source, "props": node.props}
        )

    _INSERT_NODE = (
        "INSERT INTO nodes(id, kind, title, status, body, version, created_at, updated_at, "
        "updated_by, fts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    _INSERT_TEXT = "INSERT INTO node_fts(rowid, id, title, body) VALUES (?, ?, ?, ?)"
    _INSERT_STEMS = "INSERT OR REPLACE INTO node_stems(rowid, title, body) VALUES (?, ?, ?)"

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

    @staticmethod
    def _stem_row(node: Node, fts: int | None) -> tuple[Any, ...]:
        """The node's word stems, in ``node_stems`` under the rowid of its text row."""
        return (fts, *node_stems(node))
