"""JSON in networkx's node-link form: ``networkx.node_link_graph(data, edges="links")``
reads it, and so does ``kgraph import graph``.

Nodes carry ``to_dict()`` of the node (fields, props and provenance); links carry
``source``, ``target``, ``key`` (= the edge kind), ``kind``, the props and provenance.
JSON holds any text, so this format keeps every character.
"""

from __future__ import annotations

import json
import math
from typing import Any

from kgraph.errors import InputError
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawEdge, RawGraph, RawNode, edge_attrs, node_attrs, to_subgraph
from kgraph.store.base import Subgraph


def to_data(sub: Subgraph) -> dict[str, Any]:
    """The node-link dict of ``sub``."""
    nodes = [{"id": n.id, **node_attrs(n)} for n in sub.nodes.values()]
    links = [{"source": e.src, "target": e.dst, "key": e.kind, **edge_attrs(e)} for e in sub.edges]
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"name": "kgraph"},
        "nodes": nodes,
        "links": links,
    }


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write ``sub`` as indented UTF-8 JSON to a path or binary file."""
    text = json.dumps(to_data(sub), ensure_ascii=False, indent=1, allow_nan=False)
    with binary_out(out) as handle:
        handle.write(text.encode("utf-8", "surrogatepass") + b"\n")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is too large for a number")
    return value


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse node-link JSON (``links`` or ``edges``; ``source``/``target``)."""
    name = display_name(src)
    with binary_in(src) as handle:
        payload = handle.read()
    try:
        data = json.loads(
            payload.decode("utf-8-sig"), parse_constant=_refuse_constant, parse_float=_finite
        )
    except RecursionError as exc:
        raise InputError(
            f"{name}: not JSON kgraph can read: nested deeper than Python allows"
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: also integers too long
        raise InputError(f"{name}: not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise InputError(f"{name}: expected a node-link object with a 'nodes' list")
    links = data.get("links", data.get("edges", []))
    if not isinstance(links, list):
        raise InputError(f"{name}: 'links' must be a list")
    graph = data.get("graph")
    raw = RawGraph(name=name, kgraph=isinstance(graph, dict) and graph.get("name") == "kgraph")
    problems = []
    for number, item in enumerate(data["nodes"], start=1):
        if not isinstance(item, dict) or "id" not in item:
            problems.append(f"{name}: node {number}: expected an object with an 'id'")
            continue
        attrs = {k: v for k, v in item.items() if k != "id"}
        raw.nodes.append(RawNode(str(item["id"]), attrs, f"node {number} (id {item['id']!r})"))
    for number, item in enumerate(links, start=1):
        if not isinstance(item, dict) or "source" not in item or "target" not in item:
            problems.append(f"{name}: link {number}: expected an object with source and target")
            continue
        attrs = {k: v for k, v in item.items() if k not in ("source", "target")}
        src_id, dst_id = str(item["source"]), str(item["target"])
        raw.edges.append(
            RawEdge(src_id, dst_id, attrs, f"link {number} ({src_id!r} -> {dst_id!r})")
        )
    if problems:
        raise InputError(f"{name}: {len(problems)} problem(s)", problems)
    return raw


def read(src: PathOrFile) -> Subgraph:
    """A JSON file kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
