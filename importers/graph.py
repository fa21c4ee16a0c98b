"""Graph files: what kgraph exports (JSON, GraphML, GEXF, CSV zip, XLSX) and what Gephi,
yEd, Cytoscape and networkx write.

Files kgraph wrote come back exactly: ids, kinds, fields, properties and edge kinds.
For files from other tools:

- a node's kind is its ``kind`` (or ``type``) attribute when that is a kgraph node kind,
  else ``default_kind``; its title is ``title``, else ``label``/``name`` (yEd's node label,
  Gephi's label), else its id; ``description`` becomes the text;
- its id is kept when it has a valid kind and a kgraph-style id (``prefix:name``, as
  when a kgraph export was edited in Gephi); otherwise the id is made from kind and title
  (``make_id``), so importing the same drawing again adds nothing — positional ids such
  as yEd's ``n0`` or Gephi's ``0`` change whenever a drawing is edited;
- an edge's kind is its ``kind``, ``label``, ``type`` or ``key`` when that names a kgraph
  edge kind (case-insensitive), else the one edge kind the model allows between its ends;
- other attributes are kept as properties (names made safe: ``d3 weight`` -> ``d3_weight``),
  except drawing attributes (position, size, colour).

Every problem is collected and reported together (``InputError``); nothing is returned
half. In a file kgraph wrote, an unknown node or edge kind is a problem, not a default;
a file without nodes is refused. XML is parsed with ``defusedxml``: no DTD, no entities.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kgraph.errors import InputError, KGraphError
from kgraph.export import csvzip, gexf, graphml, jsongraph, xlsx
from kgraph.export.rawgraph import (
    PROVENANCE,
    RawGraph,
    check_limits,
    edge_from_attrs,
    node_from_attrs,
)
from kgraph.importers.base import ImportBatch
from kgraph.infile import check_file
from kgraph.model import (
    EDGE_KINDS,
    EDGE_RULES,
    ID_PATTERN,
    NODE_FIELDS,
    NODE_KINDS,
    SYSTEM_FIELDS,
    Edge,
    Node,
    check_edge_ends,
    check_node_kind,
    make_id,
    parse_tags,
    preferred_edge_kind,
    validate_edge,
    validate_node,
)

READERS = {
    ".json": jsongraph.read_raw,
    ".graphml": graphml.read_raw,
    ".xml": graphml.read_raw,
    ".gexf": gexf.read_raw,
    ".zip": csvzip.read_raw,
    ".xlsx": xlsx.read_raw,
}
#: attributes that only say how a node or edge was drawn
DRAWING = frozenset(
    {"x", "y", "z", "size", "r", "g", "b", "color", "colour", "shape", "width", "height"}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def read_raw(source: str | Path) -> RawGraph:
    """Parse ``source`` by its extension (json, graphml, gexf, zip of CSV, xlsx), within
    the limits of ``rawgraph.check_limits``."""
    path = Path(source)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{path.name}: unknown graph format; use {', '.join(sorted(READERS))}")
    check_file(path)
    raw = reader(path)
    check_limits(raw)
    return raw


def _prop_name(name: str, *, node: bool = True) -> str:
    key = _UNSAFE.sub("_", name).strip("_") or "attribute"
    if not key[0].isalpha():
        key = "a_" + key
    if key in SYSTEM_FIELDS or (
        node and (key in NODE_FIELDS or key in ("label", "name", "description"))
    ):
        key = "attr_" + key
    return key[:64]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(
        isinstance(v, str | bool | int | float) for v in value
    ):
        return list(value)
    return str(value)


def _edge_kind(attrs: dict[str, Any], src_kind: str, dst_kind: str) -> str | None:
    for key in ("kind", "label", "type", "key"):
        value = attrs.get(key)
        if isinstance(value, str) and value.strip().upper() in EDGE_RULES:
            return value.strip().upper()
    return preferred_edge_kind(src_kind, dst_kind)


def _is_kgraph_node(raw: RawGraph, attrs: dict[str, Any], node_id: str) -> bool:
    return (
        raw.kgraph
        and attrs.get("kind") in NODE_KINDS
        # stripped: an id with a stray newline or space is refused, not silently replaced
        and bool(ID_PATTERN.match(node_id.strip()))
        and "title" in attrs
    )


def to_batch(raw: RawGraph, *, default_kind: str = "knowledge_question") -> ImportBatch:
    """Nodes and edges of ``raw`` as an ``ImportBatch``; ``InputError`` with every problem."""
    check_node_kind(default_kind)
    if not raw.nodes:
        raise InputError(f"{raw.name}: no nodes found; nothing to import")
    batch = ImportBatch(source=raw.name)
    problems: list[str] = []
    ids: dict[str, str] = {}  # file id -> kgraph id
    kinds: dict[str, str] = {}  # kgraph id -> kind
    defaulted = 0
    for item in raw.nodes:
        where = f"{raw.name}, {item.where}"
        attrs = dict(item.attrs)
        try:
            if raw.kgraph and "kind" in attrs and attrs["kind"] not in NODE_KINDS:
                raise KGraphError(
                    f"unknown kind {attrs['kind']!r}; expected one of {', '.join(NODE_KINDS)}"
                )
            if _is_kgraph_node(raw, attrs, item.id):
                node = validate_node(node_from_attrs(item.id, attrs))
            else:
                node = validate_node(_foreign_node(item.id, attrs, default_kind))
                defaulted += (
                    attrs.get("kind") not in NODE_KINDS and attrs.get("type") not in NODE_KINDS
                )
        except KGraphError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if item.id in ids:
            problems.append(f"{where}: id {item.id!r} appears twice")
            continue
        if node.id in kinds:
            # two drawings of the same thing (same kind and title): one node
            ids[item.id] = node.id
            continue
        ids[item.id] = node.id
        kinds[node.id] = node.kind
        batch.nodes.append(node)
    seen: set[tuple[str, str, str]] = set()
    for link in raw.edges:
        where = f"{raw.name}, {link.where}"
        missing = [end for end in (link.src, link.dst) if end not in ids]
        if missing:
            problems.append(f"{where}: no node with id {missing[0]!r}")
            continue
        src, dst = ids[link.src], ids[link.dst]
        given = link.attrs.get("kind")
        if raw.kgraph and given is not None and given not in EDGE_RULES:
            problems.append(
                f"{where}: unknown edge kind {given!r}; expected one of {', '.join(EDGE_KINDS)}"
            )
            continue
        kind = _edge_kind(link.attrs, kinds[src], kinds[dst])
        if kind is None:
            problems.append(
                f"{where}: no edge kind joins {kinds[src]} -> {kinds[dst]}; give the edge a "
                f"'kind' attribute (one of {', '.join(EDGE_KINDS)})"
            )
            continue
        try:
            if raw.kgraph and link.attrs.get("kind") == kind:
                edge = edge_from_attrs(src, dst, link.attrs)
            else:
                props = {
                    _prop_name(k, node=False): _plain(v)
                    for k, v in link.attrs.items()
                    if k not in ("kind", "label", "type", "key", "id") and k.lower() not in DRAWING
                }
                edge = Edge(src, kind, dst, props)
            edge = validate_edge(edge)
            check_edge_ends(kind, kinds[src], kinds[dst])
        except KGraphError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if (edge.src, edge.kind, edge.dst) in seen:
            continue
        seen.add((edge.src, edge.kind, edge.dst))
        batch.edges.append(edge)
    if problems:
        raise InputError(f"{raw.name}: {len(problems)} problem(s); nothing imported", problems)
    if defaulted:
        batch.notes.append(f"{defaulted} node(s) without a kgraph kind were read as {default_kind}")
    return batch


def _foreign_node(file_id: str, attrs: dict[str, Any], default_kind: str) -> Node:
    kind = next((attrs[k] for k in ("kind", "type") if attrs.get(k) in NODE_KINDS), default_kind)
    title = next(
        (
            str(attrs[k]).strip()
            for k in ("title", "label", "name", "Label", "Name")
            if str(attrs.get(k) or "").strip()
        ),
        file_id,
    )
    text = str(attrs.get("text") or attrs.get("description") or "")
    keep = attrs.get("kind") in NODE_KINDS and ":" in file_id and ID_PATTERN.match(file_id)
    node_id = file_id if keep else make_id(kind, title)
    skip = {"kind", "type", "title", "label", "name", "text", "description", "id", *PROVENANCE}
    props = {}
    for key, value in attrs.items():
        if key in skip or key.lower() in DRAWING or key.lower() in ("label", "name"):
            continue
        if key in ("tags", "status", "source"):
            continue
        props[_prop_name(key)] = _plain(value)
    if (
        str(attrs.get("label") or "").strip()
        and "title" in attrs
        and attrs["label"] != attrs["title"]
    ):
        props["label"] = str(attrs["label"])
    return Node(
        id=node_id,
        kind=kind,
        title=title,
        text=text,
        status=str(attrs["status"]) if attrs.get("status") else None,
        tags=parse_tags(attrs.get("tags")),
        source=str(attrs["source"]) if attrs.get("source") else None,
        props=props,
    )


def read(source: str | Path, *, default_kind: str = "knowledge_question", **_: Any) -> ImportBatch:
    """Read a graph file (see the module docstring) into an ``ImportBatch``."""
    batch = to_batch(read_raw(source), default_kind=default_kind)
    batch.source = str(source)
    return batch
