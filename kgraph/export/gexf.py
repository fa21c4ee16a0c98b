"""GEXF 1.2 for Gephi: write a subgraph, read GEXF back.

The node label is the title; kind, status, text, tags, provenance and properties are
typed node attributes (see ``kgraph.export.xmlattrs``), and ``viz:color``/``viz:shape``
give each kind its colour and LANDS_IN edges their handover colour. The edge label is the
edge kind. Reading accepts kgraph's own files and Gephi's (1.1-1.3), with ``defusedxml``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kgraph.export import style, xmlattrs
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawEdge, RawGraph, RawNode, edge_attrs, node_attrs, to_subgraph
from kgraph.export.safe import escape_xml_attr as attr
from kgraph.export.xmlparse import check_root, local, parse_xml
from kgraph.store.base import Subgraph

NS = "http://www.gexf.net/1.2draft"
#: GEXF's namespaces start so, whatever the version (Gephi and networkx write several)
GEXF_NAMESPACES = ("http://www.gexf.net/", "http://gexf.net/", "https://gexf.net/")
NS_VIZ = "http://www.gexf.net/1.2draft/viz"


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write ``sub`` as GEXF 1.2 (UTF-8) to a path or binary file."""
    nodes = []
    for node in sub.nodes.values():
        attrs = node_attrs(node)
        title = attrs.pop("title")
        nodes.append((node, title, attrs))
    edges = [(e, edge_attrs(e)) for e in sub.edges]
    node_types = xmlattrs.attr_types(a for _, _, a in nodes)
    edge_types = xmlattrs.attr_types(a for _, a in edges)
    today = datetime.now(UTC).date().isoformat()
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NS}" xmlns:viz="{NS_VIZ}" version="1.2">',
        f'  <meta lastmodifieddate="{today}"><creator>kgraph</creator></meta>',
        '  <graph mode="static" defaultedgetype="directed">',
    ]
    for domain, prefix, types in (("node", "n", node_types), ("edge", "e", edge_types)):
        lines.append(f'    <attributes class="{domain}">')
        for name, kind in types.items():
            lines.append(
                f'      <attribute id="{attr(xmlattrs.attr_id(prefix, name, kind))}" '
                f'title="{attr(name)}" type="{xmlattrs.XML_TYPES[kind]}"/>'
            )
        lines.append("    </attributes>")
    lines.append("    <nodes>")
    for node, title, attrs in nodes:
        r, g, b = style.rgb(style.kind_colour(node.kind))
        lines.append(f'      <node id="{attr(node.id)}" label="{attr(title)}">')
        lines.extend(_attvalues("n", attrs, node_types))
        lines.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        lines.append(f'        <viz:shape value="{style.GEXF_SHAPES.get(node.kind, "disc")}"/>')
        lines.append("      </node>")
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for number, (edge, attrs) in enumerate(edges):
        status = edge.status if edge.kind == "LANDS_IN" else None
        r, g, b = style.rgb(style.edge_colour(edge.kind, status))
        lines.append(
            f'      <edge id="{number}" source="{attr(edge.src)}" target="{attr(edge.dst)}" '
            f'label="{attr(edge.kind)}">'
        )
        lines.extend(_attvalues("e", attrs, edge_types))
        lines.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        lines.append("      </edge>")
    lines.append("    </edges>")
    lines.append("  </graph>")
    lines.append("</gexf>")
    with binary_out(out) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))


def _attvalues(prefix: str, attrs: dict[str, Any], types: dict[str, str]) -> list[str]:
    rows = ["        <attvalues>"]
    for name, value in attrs.items():
        kind = types[name]
        rows.append(
            f'          <attvalue for="{attr(xmlattrs.attr_id(prefix, name, kind))}" '
            f'value="{attr(xmlattrs.encode(name, value, kind))}"/>'
        )
    rows.append("        </attvalues>")
    return rows


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse a GEXF file into nodes and edges with decoded attributes.

    A node's ``label`` becomes ``title`` when no ``title`` attribute is declared; an edge's
    ``label`` is kept as ``label`` (kgraph writes the edge kind there).
    """
    name = display_name(src)
    with binary_in(src) as handle:
        root = parse_xml(handle, name)
    check_root(root, name, "gexf", GEXF_NAMESPACES, "GEXF")
    declared: dict[str, dict[str, tuple[str, str, bool]]] = {"node": {}, "edge": {}}
    defaults: dict[str, dict[str, Any]] = {"node": {}, "edge": {}}
    for group in root.iter():
        if local(group.tag) != "attributes":
            continue
        domain = group.get("class", "node")
        if domain not in declared:
            continue
        for item in group:
            if local(item.tag) != "attribute":
                continue
            att_id = item.get("id", "")
            title = item.get("title") or att_id
            kind = item.get("type", "string")
            is_json = att_id.startswith("j_")
            declared[domain][att_id] = (title, kind, is_json)
            for child in item:
                if local(child.tag) == "default" and (child.text or "").strip():
                    defaults[domain][title] = xmlattrs.decode(child.text or "", kind, is_json)
    creator = next((e.text for e in root.iter() if local(e.tag) == "creator"), None)
    raw = RawGraph(name=name, kgraph=(creator or "").strip() == "kgraph")
    for number, element in enumerate(e for e in root.iter() if local(e.tag) == "node"):
        node_id = element.get("id", "")
        attrs = dict(defaults["node"])
        attrs.update(_values(element, declared["node"]))
        label = element.get("label")
        if label is not None:
            attrs.setdefault("title", label)
        raw.nodes.append(RawNode(node_id, attrs, f"node {number + 1} (id {node_id!r})"))
    for number, element in enumerate(e for e in root.iter() if local(e.tag) == "edge"):
        attrs = dict(defaults["edge"])
        attrs.update(_values(element, declared["edge"]))
        label = element.get("label")
        if label is not None and "kind" not in attrs:
            attrs["label"] = label
        weight = element.get("weight")
        if weight is not None and "weight" not in attrs:
            attrs["weight"] = xmlattrs.decode(weight, "double", False)
        src_id, dst_id = element.get("source", ""), element.get("target", "")
        raw.edges.append(
            RawEdge(src_id, dst_id, attrs, f"edge {number + 1} ({src_id!r} -> {dst_id!r})")
        )
    return raw


def _values(element: Any, declared: dict[str, tuple[str, str, bool]]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for group in element:
        if local(group.tag) != "attvalues":
            continue
        for item in group:
            if local(item.tag) != "attvalue":
                continue
            att_id = item.get("for") or item.get("id") or ""
            title, kind, is_json = declared.get(att_id, (att_id, "string", False))
            attrs[title] = xmlattrs.decode(item.get("value", ""), kind, is_json)
    return attrs


def read(src: PathOrFile) -> Subgraph:
    """A GEXF file kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
