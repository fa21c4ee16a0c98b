"""Nodes and edges as rows of text cells, shared by the CSV and XLSX exports.

Columns: the node fields (``id kind title text status tags source``), provenance
(``created_at updated_at updated_by``) and one column per property. A property column
holds plain text when every value is non-empty text; otherwise its header gets the
suffix `` (json)`` and every cell is JSON, so numbers, true/false, lists and empty text come
back as they were. Tags are joined with ``; `` — or, when a tag holds ``;``, ``,`` or a
newline, the column is ``tags (json)``. An empty cell is an absent value. Cells are not yet formula-neutralised: the format modules do that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from kgraph.errors import InputError
from kgraph.export.rawgraph import PROVENANCE, RawEdge, RawGraph, RawNode, edge_prop_name
from kgraph.export.xmlattrs import plain_tags
from kgraph.model import NODE_FIELDS, Edge, Node

JSON_SUFFIX = " (json)"
NODE_COLUMNS: tuple[str, ...] = (*NODE_FIELDS, *PROVENANCE)
EDGE_COLUMNS: tuple[str, ...] = ("src", "kind", "dst")


def _prop_columns(prop_maps: Iterable[dict[str, Any]]) -> list[tuple[str, bool]]:
    plain: dict[str, bool] = {}
    for props in prop_maps:
        for key, value in props.items():
            ok = isinstance(value, str) and value != ""
            plain[key] = plain.get(key, True) and ok
    return [(key, not ok) for key, ok in plain.items()]


def _header(fixed: Sequence[str], props: list[tuple[str, bool]]) -> list[str]:
    return [*fixed, *(key + JSON_SUFFIX if is_json else key for key, is_json in props)]


def _prop_cells(props: dict[str, Any], columns: list[tuple[str, bool]]) -> list[str]:
    cells = []
    for key, is_json in columns:
        if key not in props:
            cells.append("")
        elif is_json:
            cells.append(json.dumps(props[key], ensure_ascii=False, allow_nan=False))
        else:
            cells.append(str(props[key]))
    return cells


def node_table(nodes: Iterable[Node]) -> tuple[list[str], list[list[str]]]:
    """Header and rows for ``nodes``."""
    items = list(nodes)
    columns = _prop_columns(dict(n.props) for n in items)
    json_tags = not plain_tags(t for n in items for t in n.tags)
    rows = []
    for n in items:
        tags = (
            (json.dumps(list(n.tags), ensure_ascii=False) if n.tags else "")
            if json_tags
            else "; ".join(n.tags)
        )
        fixed = [n.id, n.kind, n.title, n.text, n.status or "", tags, n.source or ""]
        fixed += [getattr(n, key) or "" for key in PROVENANCE]
        rows.append(fixed + _prop_cells(dict(n.props), columns))
    fixed_header = [c + JSON_SUFFIX if c == "tags" and json_tags else c for c in NODE_COLUMNS]
    return _header(fixed_header, columns), rows


def edge_table(edges: Iterable[Edge]) -> tuple[list[str], list[list[str]]]:
    """Header and rows for ``edges`` (kind, ends, props, then provenance)."""
    items = [(e, {edge_prop_name(k): v for k, v in e.props.items()}) for e in edges]
    columns = _prop_columns(props for _, props in items)
    rows = []
    for e, props in items:
        row = [e.src, e.kind, e.dst, *_prop_cells(props, columns)]
        rows.append(row + [getattr(e, key) or "" for key in PROVENANCE])
    return [*_header(EDGE_COLUMNS, columns), *PROVENANCE], rows


def _decode(header: str, cell: str, where: str) -> tuple[str, Any]:
    if header.endswith(JSON_SUFFIX):
        try:
            return header[: -len(JSON_SUFFIX)], json.loads(cell)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}, column {header!r}: not JSON: {exc}") from exc
    return header, cell


def rows_to_raw(
    name: str,
    node_rows: tuple[list[str], list[list[str]]],
    edge_rows: tuple[list[str], list[list[str]]],
    where_nodes: str,
    where_edges: str,
) -> RawGraph:
    """Rows as ``node_table``/``edge_table`` wrote them (empty cells = absent) back to a graph."""
    raw = RawGraph(name=name, kgraph=True)
    header, rows = node_rows
    if "id" not in header:
        raise InputError(f"{where_nodes}: no 'id' column")
    for number, row in enumerate(rows, start=2):
        where = f"{where_nodes}, row {number}"
        attrs: dict[str, Any] = {}
        node_id = ""
        for column, cell in zip(header, row, strict=False):
            if column == "id":
                node_id = cell
            elif cell != "" or column == "title":
                key, value = _decode(column, cell, where)
                attrs[key] = value
        raw.nodes.append(RawNode(node_id, attrs, where))
    header, rows = edge_rows
    for column in ("src", "dst"):
        if column not in header:
            raise InputError(f"{where_edges}: no {column!r} column")
    for number, row in enumerate(rows, start=2):
        where = f"{where_edges}, row {number}"
        attrs = {}
        ends = {"src": "", "dst": ""}
        for column, cell in zip(header, row, strict=False):
            if column in ends:
                ends[column] = cell
            elif cell != "":
                key, value = _decode(column, cell, where)
                attrs[key] = value
        raw.edges.append(RawEdge(ends["src"], ends["dst"], attrs, where))
    return raw
