"""GraphML for yEd and Cytoscape: write a subgraph, read GraphML back.

Nodes carry every field, provenance and property as typed ``<data>`` (see
``kgraph.export.xmlattrs``) plus a yFiles ``ShapeNode`` (colour, shape and the title as
label) so yEd shows the graph as kgraph does; edges carry their kind, handover and a yFiles
line style. Reading accepts kgraph's own files and those of yEd, Gephi and networkx, with
``defusedxml`` (no DTD, no entity expansion). Characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

from typing import Any

from kgraph.export import style, xmlattrs
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawEdge, RawGraph, RawNode, edge_attrs, node_attrs, to_subgraph
from kgraph.export.safe import escape_xml_attr as attr
from kgraph.export.safe import escape_xml_text as text
from kgraph.export.xmlparse import check_root, local, parse_xml
from kgraph.model import EDGE_LABELS
from kgraph.store.base import Subgraph

NS = "http://graphml.graphdrawing.org/xmlns"
NS_Y = "http://www.yworks.com/xml/graphml"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write ``sub`` as GraphML (UTF-8) to a path or binary file."""
    nodes = [(n, node_attrs(n)) for n in sub.nodes.values()]
    edges = [(e, edge_attrs(e)) for e in sub.edges]
    node_types = xmlattrs.attr_types(a for _, a in nodes)
    edge_types = xmlattrs.attr_types(a for _, a in edges)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{NS}" xmlns:y="{NS_Y}" xmlns:xsi="{NS_XSI}" xsi:schemaLocation="{SCHEMA}">',
    ]
    for domain, prefix, types in (("node", "n", node_types), ("edge", "e", edge_types)):
        for name, kind in types.items():
            key = xmlattrs.attr_id(prefix, name, kind)
            lines.append(
                f'  <key id="{attr(key)}" for="{domain}" attr.name="{attr(name)}" '
                f'attr.type="{xmlattrs.XML_TYPES[kind]}"/>'
            )
    lines.append('  <key id="n_graphics" for="node" yfiles.type="nodegraphics"/>')
    lines.append('  <key id="e_graphics" for="edge" yfiles.type="edgegraphics"/>')
    lines.append('  <graph id="kgraph" edgedefault="directed">')
    for node, attrs in nodes:
        lines.append(f'    <node id="{attr(node.id)}">')
        lines.extend(_data("n", attrs, node_types))
        lines.append(
            '      <data key="n_graphics"><y:ShapeNode>'
            f'<y:Geometry height="30.0" width="{max(30, min(240, 7 * len(node.title)))}.0"/>'
            f'<y:Fill color="{style.kind_colour(node.kind)}" transparent="false"/>'
            f"<y:NodeLabel>{text(node.title)}</y:NodeLabel>"
            f'<y:Shape type="{style.YED_SHAPES.get(node.kind, "ellipse")}"/>'
            "</y:ShapeNode></data>"
        )
        lines.append("    </node>")
    for number, (edge, attrs) in enumerate(edges):
        lines.append(
            f'    <edge id="e{number}" source="{attr(edge.src)}" target="{attr(edge.dst)}">'
        )
        lines.extend(_data("e", attrs, edge_types))
        status = edge.status if edge.kind == "LANDS_IN" else None
        dashed = "dashed" if status and style.HANDOVER_DASHED.get(status) else "line"
        label = EDGE_LABELS.get(edge.kind, {}).get("nl", edge.kind)
        if status:
            label += f" ({status})"
        lines.append(
            '      <data key="e_graphics"><y:PolyLineEdge>'
            f'<y:LineStyle color="{style.edge_colour(edge.kind, status)}" type="{dashed}" width="1.0"/>'
            '<y:Arrows source="none" target="standard"/>'
            f"<y:EdgeLabel>{text(label)}</y:EdgeLabel>"
            "</y:PolyLineEdge></data>"
        )
        lines.append("    </edge>")
    lines.append("  </graph>")
    lines.append("</graphml>")
    with binary_out(out) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))


def _data(prefix: str, attrs: dict[str, Any], types: dict[str, str]) -> list[str]:
    rows = []
    for name, value in attrs.items():
        kind = types[name]
        key = xmlattrs.attr_id(prefix, name, kind)
        rows.append(
            f'      <data key="{attr(key)}">{text(xmlattrs.encode(name, value, kind))}</data>'
        )
    return rows


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse a GraphML file into nodes and edges with decoded attributes.

    yEd's node and edge labels (``y:NodeLabel``/``y:EdgeLabel``) become ``label``; key
    defaults apply to elements that lack the attribute.
    """
    name = display_name(src)
    with binary_in(src) as handle:
        root = parse_xml(handle, name)
    check_root(root, name, "graphml", (NS,), "GraphML")
    keys: dict[str, tuple[str, str, bool]] = {}
    defaults: dict[str, dict[str, Any]] = {"node": {}, "edge": {}}
    for key in root.iter():
        if local(key.tag) != "key":
            continue
        key_id = key.get("id", "")
        attr_name = key.get("attr.name") or key_id
        declared = key.get("attr.type", "string")
        is_json = key_id.startswith("j_")
        if key.get("yfiles.type"):
            continue
        keys[key_id] = (attr_name, declared, is_json)
        for child in key:
            if local(child.tag) == "default" and (child.text or "").strip():
                domain = key.get("for", "all")
                value = xmlattrs.decode(child.text or "", declared, is_json)
                for target in ("node", "edge") if domain == "all" else (domain,):
                    if target in defaults:
                        defaults[target][attr_name] = value
    raw = RawGraph(name=name, kgraph="n_kind" in keys and "n_title" in keys)
    for number, element in enumerate(e for e in root.iter() if local(e.tag) == "node"):
        node_id = element.get("id", "")
        attrs = dict(defaults["node"])
        attrs.update(_read_data(element, keys, "NodeLabel"))
        raw.nodes.append(RawNode(node_id, attrs, f"node {number + 1} (id {node_id!r})"))
    for number, element in enumerate(e for e in root.iter() if local(e.tag) == "edge"):
        attrs = dict(defaults["edge"])
        attrs.update(_read_data(element, keys, "EdgeLabel"))
        src_id, dst_id = element.get("source", ""), element.get("target", "")
        raw.edges.append(
            RawEdge(src_id, dst_id, attrs, f"edge {number + 1} ({src_id!r} -> {dst_id!r})")
        )
    return raw


def _read_data(
    element: Any, keys: dict[str, tuple[str, str, bool]], label_tag: str
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    graphics_label = None
    for data in element:
        if local(data.tag) != "data":
            continue
        key = keys.get(data.get("key", ""))
        if key is None:  # yFiles graphics: only the label text is data
            for child in data.iter():
                if local(child.tag) == label_tag and (child.text or "").strip():
                    graphics_label = (child.text or "").strip()
                    break
            continue
        attr_name, declared, is_json = key
        attrs[attr_name] = xmlattrs.decode(data.text or "", declared, is_json)
    # kgraph's own files carry the title (nodes) and kind (edges) as data; the drawn
    # label there is only a picture of them
    named = {"title", "label"} if label_tag == "NodeLabel" else {"kind", "label"}
    if graphics_label and not named & attrs.keys():
        attrs["label"] = graphics_label
    return attrs


def read(src: PathOrFile) -> Subgraph:
    """A GraphML file kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
