"""The embedded store's read cache: node rows, out-edges and neighbour lists read recently.

Why: a depth-2 neighbourhood of 300 nodes at 100,000 questions spent ~2 ms turning SQLite
rows into Python objects (300 node rows, ~1,300 edge rows), while the networkx floor it is
measured against holds them in memory. Neighbourhoods overlap: a hub's first neighbours
are in every neighbourhood that reaches the hub, so rows read once are read again soon.

Correct across threads and processes:

- The store asks SQLite for ``PRAGMA data_version`` before every read that uses the cache
  (``sync``); the number changes whenever another connection, in this process or in
  another, has committed, and the cache is emptied then.
- The store's own commits do not change that number, so the store empties the cache when
  a write transaction begins and again when it ends (commit or rollback), and reads inside
  a write transaction do not use it.
- Every use happens under the store's lock (one connection per store, shared by threads).
- Callers never see cached objects: ``Node`` and ``Edge`` values are built anew on every
  read, their ``props`` dicts (and the lists in them) copied.

Bounded: at most ``max_nodes`` nodes, ``max_edges`` out-edges and ``max_links`` neighbour
entries (about 80 MB at the defaults, with 200-character texts); a table that would grow
past its bound is emptied first and fills again from the reads that follow.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Container, Mapping
from typing import Any

from kgraph.model import Edge, Node

#: Node field values (``props`` decoded), the node's degree, whether ``props`` holds lists
NodeEntry = tuple[dict[str, Any], int, bool]
#: One out-edge as SQLite gives it: src, kind, dst, props (JSON), created_at, updated_at,
#: updated_by (kept undecoded: most are read to be dropped, their far end not selected)
EdgeEntry = tuple[str, str, str, str, str, str, str | None]
#: Neighbours in the store's order as ``(id, degree)``, and whether the list is complete
Links = tuple[list[tuple[str, int]], bool]

NODE_FIELDS = (
    "id", "kind", "title", "text", "status", "tags", "source", "props",
    "created_at", "updated_at", "updated_by", "version",
)  # fmt: skip
EDGE_FIELDS = ("src", "kind", "dst", "props", "created_at", "updated_at", "updated_by")


def _plain_dataclass(cls: type, names: tuple[str, ...]) -> bool:
    """Whether ``cls`` is a dataclass with exactly the fields ``names``, no ``__post_init__``
    and no slots: then an instance can be made by giving it its ``__dict__`` directly."""
    return (
        tuple(f.name for f in dataclasses.fields(cls)) == names
        and not hasattr(cls, "__post_init__")
        and not hasattr(cls, "__slots__")
    )


# A frozen dataclass's __init__ calls object.__setattr__ once per field: a third of the
# time of building a 300-node neighbourhood went there. Reads hand the instance its dict
# instead (the same object: equal, hashed and printed the same), while the classes stay
# plain; if they ever stop being plain, the constructors are used.
_FAST_NODE = _plain_dataclass(Node, NODE_FIELDS)
_FAST_EDGE = _plain_dataclass(Edge, EDGE_FIELDS)


def new_node(values: dict[str, Any]) -> Node:
    """A ``Node`` of ``values`` (every field, by name); ``values`` becomes its own."""
    if not _FAST_NODE:
        return Node(**values)
    node = object.__new__(Node)
    object.__setattr__(node, "__dict__", values)
    return node


def new_edge(values: dict[str, Any]) -> Edge:
    """An ``Edge`` of ``values`` (every field, by name); ``values`` becomes its own."""
    if not _FAST_EDGE:
        return Edge(**values)
    edge = object.__new__(Edge)
    object.__setattr__(edge, "__dict__", values)
    return edge


def _has_list(props: Mapping[str, Any]) -> bool:
    return any(type(v) is list for v in props.values())


def _copy_props(props: dict[str, Any], has_list: bool) -> dict[str, Any]:
    """A copy no caller can change the original through (values are scalars or lists)."""
    if not props:
        return {}
    if not has_list:
        return dict(props)
    return {k: v[:] if type(v) is list else v for k, v in props.items()}


def node_entry(values: dict[str, Any], degree: int) -> NodeEntry:
    return values, degree, _has_list(values["props"])


def fresh_node(entry: NodeEntry) -> Node:
    values, _degree, has_list = entry
    mine = dict(values)
    mine["props"] = _copy_props(values["props"], has_list)
    return new_node(mine)


class ReadCache:
    """What the store read recently, valid while SQLite's ``data_version`` stays put.

    ``nodes``: id -> ``NodeEntry``; ``out``: id -> its out-edge rows by (kind, dst), or
    ``None`` for a node with too many to keep; ``links``: id -> a prefix of its neighbours
    in the order the store reads them. Not thread-safe by itself: the store's lock guards it.
    """

    def __init__(
        self, max_nodes: int = 20_000, max_edges: int = 100_000, max_links: int = 200_000
    ) -> None:
        self.max_nodes, self.max_edges, self.max_links = max_nodes, max_edges, max_links
        self.version: int | None = None
        self.nodes: dict[str, NodeEntry] = {}
        self.out: dict[str, list[EdgeEntry] | None] = {}
        self.links: dict[str, Links] = {}
        self._props: dict[str, tuple[dict[str, Any], bool]] = {}
        self._edges = self._links = 0

    def clear(self) -> None:
        self.version = None
        self.nodes.clear()
        self.out.clear()
        self.links.clear()
        self._props.clear()
        self._edges = self._links = 0

    def fresh_edges(self, rows: list[EdgeEntry], ends: Container[str]) -> list[Edge]:
        """New ``Edge`` values of the edge rows whose far end is in ``ends``; props decoded
        once per distinct JSON text (handover props repeat: ``{"status":"proposed"}``) and
        copied for each edge."""
        edges: list[Edge] = []
        known = self._props
        for row in rows:
            if row[2] not in ends:
                continue
            raw = row[3]
            if raw == "{}":
                props: dict[str, Any] = {}
            else:
                decoded = known.get(raw)
                if decoded is None:
                    if len(known) >= self.max_nodes:
                        known.clear()
                    value = json.loads(raw)
                    decoded = known[raw] = (value, _has_list(value))
                props = _copy_props(*decoded)
            values = {
                "src": row[0],
                "kind": row[1],
                "dst": row[2],
                "props": props,
                "created_at": row[4],
                "updated_at": row[5],
                "updated_by": row[6],
            }
            edges.append(new_edge(values))
        return edges

    def sync(self, version: int) -> None:
        """Empty the cache unless ``version`` (``PRAGMA data_version``) is the one its
        contents were read under."""
        if version != self.version:
            self.clear()
            self.version = version

    def put_node(self, node_id: str, entry: NodeEntry) -> None:
        if len(self.nodes) >= self.max_nodes:
            self.nodes.clear()
        self.nodes[node_id] = entry

    def put_out(self, node_id: str, edges: list[EdgeEntry] | None) -> None:
        size = len(edges) if edges else 0
        if size > self.max_edges:
            return
        if self._edges + size > self.max_edges or len(self.out) >= self.max_nodes:
            self.out.clear()
            self._edges = 0
        old = self.out.get(node_id)
        self._edges += size - (len(old) if old else 0)
        self.out[node_id] = edges

    def put_links(self, node_id: str, links: Links) -> None:
        size = len(links[0])
        if size > self.max_links:
            return
        if self._links + size > self.max_links or len(self.links) >= self.max_nodes:
            self.links.clear()
            self._links = 0
        old = self.links.get(node_id)
        self._links += size - (len(old[0]) if old else 0)
        self.links[node_id] = links
