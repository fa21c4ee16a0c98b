"""A graph file as parsed, before it is turned into kgraph nodes and edges.

The format readers (GraphML, GEXF, JSON, CSV, XLSX) produce a ``RawGraph``: node ids and
edge ends with their attributes decoded to Python values. ``to_subgraph`` turns a file
kgraph wrote back into exactly the nodes and edges it came from; the graph importer
(``kgraph.importers.graph``) maps files from other tools more leniently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kgraph.errors import InputError
from kgraph.model import NODE_FIELDS, SYSTEM_FIELDS, Edge, Node, parse_tags
from kgraph.store.base import Subgraph

#: attribute names that mean an edge's ends or kind in some format; an edge property with
#: such a name (or starting with ``prop_``) is written as ``prop_<name>`` and read back
#: without the prefix, so the edge's own ``source`` (where it was found) survives
EDGE_RESERVED: frozenset[str] = frozenset({"src", "dst", "source", "target", "key", "kind", "id"})
_ESCAPE = "prop_"
#: store-set fields written as provenance (``version`` stays in the store)
PROVENANCE: tuple[str, ...] = ("created_at", "updated_at", "updated_by")


#: what one graph file may hold (the file itself is at most ``infile.MAX_INPUT_BYTES``)
MAX_NODES = 1_000_000
MAX_EDGES = 5_000_000
#: attributes of one node or edge
MAX_ATTRIBUTES = 1_000
#: characters of one attribute value (the table importer's cell limit); a list counts
#: all its items together
MAX_VALUE_CHARS = 131_072
MAX_NAME_CHARS = 256


@dataclass
class RawNode:
    id: str
    attrs: dict[str, Any]
    where: str


@dataclass
class RawEdge:
    src: str
    dst: str
    attrs: dict[str, Any]
    where: str


@dataclass
class RawGraph:
    """Parsed nodes and edges of one file; ``name`` is the file for messages."""

    name: str
    nodes: list[RawNode] = field(default_factory=list)
    edges: list[RawEdge] = field(default_factory=list)
    #: whether kgraph wrote the file (then ids and attribute names are taken as they are)
    kgraph: bool = False


def _value_chars(value: Any) -> int:
    if isinstance(value, list | tuple):
        return sum(len(str(v)) for v in value)
    return len(value) if isinstance(value, str) else 0


def _item_problem(attrs: dict[str, Any]) -> str | None:
    if len(attrs) > MAX_ATTRIBUTES:
        return f"{len(attrs):,} attributes; at most {MAX_ATTRIBUTES:,}"
    for name, value in attrs.items():
        if len(str(name)) > MAX_NAME_CHARS:
            return f"an attribute name of {len(str(name)):,} characters; at most {MAX_NAME_CHARS}"
        size = _value_chars(value)
        if size > MAX_VALUE_CHARS:
            return (
                f"attribute {str(name)[:40]!r} holds {size:,} characters; "
                f"at most {MAX_VALUE_CHARS:,}"
            )
    return None


def check_limits(raw: RawGraph) -> None:
    """Refuse a graph beyond ``MAX_NODES``/``MAX_EDGES``, or with a node or edge beyond
    ``MAX_ATTRIBUTES``, ``MAX_NAME_CHARS`` or ``MAX_VALUE_CHARS``: one ``InputError``
    naming the file and the first item at fault, before anything is built from it."""
    if len(raw.nodes) > MAX_NODES:
        raise InputError(
            f"{raw.name}: {len(raw.nodes):,} nodes; at most {MAX_NODES:,} can be imported"
        )
    if len(raw.edges) > MAX_EDGES:
        raise InputError(
            f"{raw.name}: {len(raw.edges):,} edges; at most {MAX_EDGES:,} can be imported"
        )
    items: list[RawNode | RawEdge] = [*raw.nodes, *raw.edges]
    for item in items:
        why = _item_problem(item.attrs)
        if why is not None:
            raise InputError(f"{raw.name}, {item.where}: {why}; nothing imported")


def node_fields(node: Node) -> dict[str, Any]:
    """A node's fields but its id; empty text and tags and ``None`` fields left out."""
    data: dict[str, Any] = {"kind": node.kind, "title": node.title}
    if node.text:
        data["text"] = node.text
    if node.status is not None:
        data["status"] = node.status
    if node.tags:
        data["tags"] = list(node.tags)
    if node.source is not None:
        data["source"] = node.source
    return data


def node_attrs(node: Node) -> dict[str, Any]:
    """The attributes a node is written with: fields, provenance, props (no ``None`` fields)."""
    data = node_fields(node)
    for key in PROVENANCE:
        value = getattr(node, key)
        if value is not None:
            data[key] = value
    data.update(node.props)
    return data


def edge_prop_name(name: str) -> str:
    """The attribute name an edge property is written under (see ``EDGE_RESERVED``)."""
    return _ESCAPE + name if name in EDGE_RESERVED or name.startswith(_ESCAPE) else name


def edge_prop_key(attribute: str) -> str:
    """Inverse of ``edge_prop_name``."""
    return attribute[len(_ESCAPE) :] if attribute.startswith(_ESCAPE) else attribute


def edge_attrs(edge: Edge) -> dict[str, Any]:
    """The attributes an edge is written with: its kind, props and provenance."""
    data: dict[str, Any] = {"kind": edge.kind}
    data.update((edge_prop_name(k), v) for k, v in edge.props.items())
    for key in PROVENANCE:
        value = getattr(edge, key)
        if value is not None:
            data[key] = value
    return data


def node_from_attrs(node_id: str, attrs: dict[str, Any]) -> Node:
    """A ``Node`` from attributes as ``node_attrs`` wrote them."""
    data = dict(attrs)
    data["id"] = node_id
    data["tags"] = parse_tags(data.get("tags"))
    if data.get("source") == "":
        data["source"] = None
    if data.get("status") == "":
        data["status"] = None
    return Node.from_dict(data)


def edge_from_attrs(src: str, dst: str, attrs: dict[str, Any]) -> Edge:
    """An ``Edge`` from attributes as ``edge_attrs`` wrote them."""
    props = {
        edge_prop_key(k): v
        for k, v in attrs.items()
        if k not in EDGE_RESERVED and k not in PROVENANCE
    }
    return Edge(
        src,
        str(attrs.get("kind", "")),
        dst,
        props,
        created_at=attrs.get("created_at"),
        updated_at=attrs.get("updated_at"),
        updated_by=attrs.get("updated_by"),
    )


def to_subgraph(raw: RawGraph) -> Subgraph:
    """The nodes and edges of a file kgraph wrote, as they were exported."""
    nodes = {n.id: node_from_attrs(n.id, n.attrs) for n in raw.nodes}
    edges = [edge_from_attrs(e.src, e.dst, e.attrs) for e in raw.edges]
    return Subgraph(nodes=nodes, edges=edges)


def is_field(name: str) -> bool:
    return name in NODE_FIELDS or name in SYSTEM_FIELDS
