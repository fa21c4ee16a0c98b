"""A Cypher script that recreates a subgraph in Neo4j (``cypher-shell -f FILE``).

Every node is ``MERGE``d on ``(:KgraphItem {id})`` and gets its kind's label as the Neo4j
backend names it (``:KnowledgeQuestion``); every edge is ``MERGE``d with its kind as
relationship type. ``KgraphItem`` is not the Neo4j backend's ``:Node``, so a script run
into a database that holds a kgraph store adds a separate copy beside the store and never
touches its nodes (whose ``props``, ``search`` and ``degree`` a user prop of that name
would otherwise overwrite); the store counts only its own nodes and relationships. Labels and types come only from the model's allow-list. Properties are
native Neo4j properties, for analysis in Neo4j Browser or Bloom (to move a whole store to a
kgraph Neo4j store, use ``kgraph copy``). User text only ever appears inside a Cypher string literal built by
``literal`` (backslash, quotes and every control character escaped), one statement per
line, so running the script twice changes nothing and no text can become code.
Properties with the value ``null`` are left out (Neo4j does not store them).
"""

from __future__ import annotations

import math
from typing import Any

from kgraph.export.fileio import PathOrFile, binary_out
from kgraph.export.rawgraph import PROVENANCE, edge_attrs, node_attrs
from kgraph.model import check_edge_kind, check_node_kind
from kgraph.store.base import Subgraph
from kgraph.store.neo4j.cypher import KIND_LABELS

#: the label every exported node is merged on (distinct from the Neo4j backend's ``Node``)
LABEL = "KgraphItem"

_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def string_literal(text: str) -> str:
    """``text`` as a single-quoted Cypher string literal."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "\u2028\u2029\x7f" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def literal(value: Any) -> str:
    """A property value as a Cypher literal (text, integer, float, boolean or a list)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} to Cypher")
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return string_literal(str(value))


def _map(props: dict[str, Any]) -> str:
    # property names come from the model's pattern [A-Za-z_][A-Za-z0-9_]*: safe as keys
    items = [f"{key}: {literal(value)}" for key, value in props.items() if value is not None]
    return "{" + ", ".join(items) + "}"


def _label(kind: str) -> str:
    check_node_kind(kind)
    return "`" + KIND_LABELS[kind] + "`"


def _type(kind: str) -> str:
    check_edge_kind(kind)
    return "`" + kind + "`"


def script(sub: Subgraph) -> str:
    """The whole script as text."""
    lines = [
        "// kgraph subgraph: run with cypher-shell -f FILE (idempotent: MERGE on id)",
        f"CREATE CONSTRAINT kgraph_item_id IF NOT EXISTS FOR (n:{LABEL}) REQUIRE n.id IS UNIQUE;",
    ]
    for node in sub.nodes.values():
        attrs = node_attrs(node)
        lines.append(
            f"MERGE (n:{LABEL} {{id: {string_literal(node.id)}}}) "
            f"SET n:{_label(node.kind)} SET n += {_map(attrs)};"
        )
    for edge in sub.edges:
        attrs = {**edge.props, **{k: v for k, v in edge_attrs(edge).items() if k in PROVENANCE}}
        lines.append(
            f"MATCH (a:{LABEL} {{id: {string_literal(edge.src)}}}), "
            f"(b:{LABEL} {{id: {string_literal(edge.dst)}}}) "
            f"MERGE (a)-[r:{_type(edge.kind)}]->(b) SET r += {_map(attrs)};"
        )
    return "\n".join(lines) + "\n"


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write the script (UTF-8) to a path or binary file."""
    with binary_out(out) as handle:
        handle.write(script(sub).encode("utf-8"))
