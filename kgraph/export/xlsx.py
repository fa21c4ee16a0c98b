"""Excel workbook: a Nodes sheet, an Edges sheet and one sheet per node kind.

Headers are readable (``Title``, ``Created at``; properties by name). Nodes and Edges hold
the columns of ``kgraph.export.tabular`` and read back exactly; the Edges sheet also shows
the titles of both ends, and the per-kind sheets are for reading only. Every text cell is
formula-neutralised. Characters XML cannot hold (and CR, which XML would turn into a
newline) are written in the OOXML form ``_x000D_`` that Excel shows as the character;
a literal ``_xHHHH_`` in the text is protected as ``_x005F_xHHHH_``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kgraph.errors import InputError
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawGraph, to_subgraph
from kgraph.export.safe import neutralise_cell, restore_cell
from kgraph.export.tabular import JSON_SUFFIX, edge_table, node_table, rows_to_raw
from kgraph.export.ziplimits import check_zip
from kgraph.model import NODE_LABELS
from kgraph.store.base import Subgraph

#: column key -> readable header
HEADERS: dict[str, str] = {
    "id": "Id",
    "kind": "Kind",
    "title": "Title",
    "text": "Text",
    "status": "Status",
    "tags": "Tags",
    "source": "Source",
    "created_at": "Created at",
    "updated_at": "Updated at",
    "updated_by": "Updated by",
    "src": "From id",
    "dst": "To id",
}
_KEYS = {label: key for key, label in HEADERS.items()}
_FROM_TITLE, _TO_TITLE = "From title", "To title"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEEDS_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_WIDTHS = {"id": 28, "title": 60, "text": 60, "kind": 18, "src": 28, "dst": 28}


def _escape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        return "_x005F" + found if len(found) > 1 else f"_x{ord(found):04X}_"

    return _NEEDS_ESCAPE.sub(one, text)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def cell_value(value: str) -> str:
    """A text cell: formula-neutralised and OOXML-escaped."""
    return _escape(neutralise_cell(value))


def _header(key: str) -> str:
    return HEADERS.get(key, key)


def _fill(sheet: Any, header: Sequence[str], rows: list[list[str]]) -> None:
    sheet.append([_header(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(c) if c != "" else None for c in row])
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, key in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 16)


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write ``sub`` as an .xlsx workbook to a path or binary file."""
    book = Workbook()
    nodes_sheet = book.active
    nodes_sheet.title = "Nodes"
    node_header, node_rows = node_table(sub.nodes.values())
    _fill(nodes_sheet, node_header, node_rows)
    edge_header, edge_rows = edge_table(sub.edges)
    titles = {n.id: n.title for n in sub.nodes.values()}
    edge_header = [*edge_header, _FROM_TITLE, _TO_TITLE]
    edge_rows = [row + [titles.get(row[0], ""), titles.get(row[2], "")] for row in edge_rows]
    _fill(book.create_sheet("Edges"), edge_header, edge_rows)
    by_kind: dict[str, list[Any]] = {}
    for node in sub.nodes.values():
        by_kind.setdefault(node.kind, []).append(node)
    for kind, nodes in by_kind.items():
        header, rows = node_table(nodes)
        keep = [i for i, h in enumerate(header) if h != "kind"]
        sheet = book.create_sheet(NODE_LABELS.get(kind, {}).get("en", kind)[:31])
        _fill(sheet, [header[i] for i in keep], [[row[i] for i in keep] for row in rows])
    buffer = io.BytesIO()
    book.save(buffer)
    with binary_out(out) as handle:
        handle.write(buffer.getvalue())


def _sheet_rows(sheet: Any, name: str = "") -> tuple[list[str], list[list[str]]]:
    from kgraph.importers.tabular_source import MAX_CELLS, MAX_TEXT

    # The declared dimension (A1:XFD1048576 costs nothing to write) must not size the rows:
    # read only the cells present, stream, and bound the cells and characters read.
    sheet.reset_dimensions()
    rows = iter(sheet.iter_rows(values_only=True))
    first = next(rows, None)
    if first is None:
        return [], []
    header = []
    for value in first:
        label = "" if value is None else str(value)
        key = label[: -len(JSON_SUFFIX)] if label.endswith(JSON_SUFFIX) else label
        header.append(_KEYS.get(key, key) + (JSON_SUFFIX if label.endswith(JSON_SUFFIX) else ""))
    body = []
    cells = chars = 0
    for row in rows:
        if all(v is None for v in row):
            continue
        cells += len(row)
        chars += sum(len(str(v)) for v in row if v is not None)
        if cells > MAX_CELLS or chars > MAX_TEXT:
            raise InputError(
                f"{name}, sheet {sheet.title}: refused: more than {MAX_CELLS:,} cells or "
                f"{MAX_TEXT:,} characters (repeated shared strings?)"
            )
        body.append([restore_cell(_unescape(str(v))) if v is not None else "" for v in row])
    return header, body


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse a workbook kgraph wrote (its Nodes and Edges sheets)."""
    name = display_name(src)
    with binary_in(src) as handle:
        data = io.BytesIO(handle.read())
        check_zip(data, name)
        try:
            book = load_workbook(data, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputError(f"{name}: not an .xlsx workbook: {exc}") from exc
    try:
        for sheet_name in ("Nodes", "Edges"):
            if sheet_name not in book.sheetnames:
                raise InputError(f"{name}: no sheet {sheet_name!r} (not a kgraph export)")
        nodes = _sheet_rows(book["Nodes"], name)
        edges = _sheet_rows(book["Edges"], name)
    finally:
        book.close()
    edge_header, edge_body = edges
    keep = [i for i, h in enumerate(edge_header) if h not in (_FROM_TITLE, _TO_TITLE)]
    edges = (
        [edge_header[i] for i in keep],
        [[r[i] for i in keep if i < len(r)] for r in edge_body],
    )
    return rows_to_raw(name, nodes, edges, f"{name}, sheet Nodes", f"{name}, sheet Edges")


def is_kgraph_workbook(src: PathOrFile) -> bool:
    """Whether an .xlsx file looks like a kgraph export (Nodes and Edges sheets)."""
    with binary_in(src) as handle:
        data = io.BytesIO(handle.read())
        try:
            check_zip(data, display_name(src))
            book = load_workbook(data, read_only=True)
        except Exception:
            return False
    try:
        return {"Nodes", "Edges"} <= set(book.sheetnames)
    finally:
        book.close()


def read(src: PathOrFile) -> Subgraph:
    """A workbook kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
