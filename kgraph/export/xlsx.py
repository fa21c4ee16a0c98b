"""Excel workbook: a Nodes sheet, an Edges sheet and one sheet per node kind, in the
reader's language (Dutch: Knopen, Verbindingen, Kennisvraag, ...).

Headers, sheet names, kinds, statuses and edge kinds are in the chosen language; the
columns' keys (``id``, ``kind``, ``title``, property names) are in a hidden first row,
so ``read`` (``kgraph import graph``) gives back exactly what was written, in either
language, and labels of either language typed in a cell are understood. Nodes and Edges
hold the columns of ``kgraph.export.tabular``; the Edges sheet also shows the titles of
both ends, and the per-kind sheets are for reading only. Workbooks written before the
hidden row (English headers) are read as before.

Excel keeps at most 32,767 characters in a cell: a longer text is cut into pieces
(``PIECE``), the rest in continuation columns at the end of the row (``Tekst (vervolg 2)``,
key ``text (+2)``), and joined again on reading: nothing is cut off silently.

Every text cell is formula-neutralised (each piece of a long one too). Characters XML
cannot hold (and CR, which XML would turn into a newline) are written in the OOXML form
``_x000D_`` that Excel shows as the character; a literal ``_xHHHH_`` in the text is
protected as ``_x005F_xHHHH_``. Written by ``kgraph.export.sheetml`` (plain XML, fast);
read by openpyxl in read-only mode.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from openpyxl import load_workbook

from kgraph import texts
from kgraph.errors import InputError
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawGraph, to_subgraph
from kgraph.export.safe import neutralise_cell, restore_cell
from kgraph.export.sheetml import Sheet, write_workbook
from kgraph.export.tabular import JSON_SUFFIX, edge_table, node_table, rows_to_raw
from kgraph.export.ziplimits import check_zip
from kgraph.model import EDGE_LABELS, NODE_LABELS, STATUS_LABELS, Node
from kgraph.store.base import Subgraph

#: column key -> readable header of workbooks written before headers were translated
#: (read back still)
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
_FROM_TITLE, _TO_TITLE = "from_title", "to_title"
_LEGACY_TITLES = {"From title": _FROM_TITLE, "To title": _TO_TITLE}
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEEDS_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_WIDTHS = {"id": 28, "title": 60, "text": 60, "kind": 18, "src": 28, "dst": 28}
#: a text longer than this (UTF-16 code units) goes on in continuation cells: Excel keeps
#: at most 32,767 in a cell, less the ``'`` a formula-like piece gets
PIECE = 32_000
#: a continuation column's key: the column's key and the piece's number
_CONTINUED = re.compile(r"^(?P<key>.+) \(\+(?P<n>[0-9]+)\)$")


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


def _t(key: str, lang: str, **params: Any) -> str:
    return texts.text(f"xlsx_{key}", lang, **params)


def sheet_names(lang: str) -> tuple[str, str]:
    """The names of the Nodes and Edges sheets in ``lang``."""
    return _t("sheet_nodes", lang), _t("sheet_edges", lang)


def _units(text: str) -> int:
    """``text``'s length as Excel counts it (UTF-16 code units)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def pieces(text: str, size: int = PIECE) -> list[str]:
    """``text`` cut into pieces of at most ``size`` UTF-16 code units (never inside a
    character), in order: joined, they are ``text`` again."""
    if _units(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        while _units(text[start:end]) > size:  # astral characters count twice
            end -= max(1, (_units(text[start:end]) - size) // 2)
        out.append(text[start:end])
        start = end
    return out


def _header_label(key: str, lang: str) -> str:
    """The readable header of a column key in ``lang``: fixed columns from the catalogue,
    properties by their own name."""
    base, is_json = (key[: -len(JSON_SUFFIX)], True) if key.endswith(JSON_SUFFIX) else (key, False)
    label = _t(f"col_{base}", lang) if f"xlsx_col_{base}" in texts.catalogue(lang) else base
    return label + (JSON_SUFFIX if is_json else "")


def _translate(rows: list[list[str]], header: Sequence[str], lang: str, *, edges: bool) -> None:
    """Kinds, statuses and edge kinds in ``rows`` as the language's labels (in place)."""
    for index, key in enumerate(header):
        label: Callable[[str, str], str]
        if key == "kind":
            label = texts.edge_label if edges else texts.kind_label
        elif key == "status":
            label = texts.status_label
        else:
            continue
        seen: dict[str, str] = {}
        for row in rows:
            value = row[index]
            if value:
                shown = seen.get(value)
                if shown is None:
                    shown = seen[value] = label(value, lang)
                row[index] = shown


def _untranslate(rows: list[list[str]], header: Sequence[str], *, edges: bool) -> None:
    """The labels of either language back to kinds, statuses and edge kinds (in place)."""
    for index, key in enumerate(header):
        if key == "kind":
            table = EDGE_LABELS if edges else NODE_LABELS
        elif key == "status":
            table = STATUS_LABELS
        else:
            continue
        back = {label: k for k, labels in table.items() for label in labels.values()}
        for row in rows:
            if index < len(row) and row[index] in back:
                row[index] = back[row[index]]


def _with_continuations(
    header: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    """Cells longer than ``PIECE`` cut, the rest of each in continuation columns at the
    end (``text (+2)``, ``text (+3)``, ...); rows without long cells are left as they are."""
    extra: dict[int, int] = {}  # column -> most pieces
    long_rows: list[tuple[int, int, list[str]]] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if len(value) > PIECE // 2 and _units(value) > PIECE:
                cut = pieces(value)
                long_rows.append((r, c, cut))
                extra[c] = max(extra.get(c, 1), len(cut))
    if not extra:
        return header, rows
    added = [(c, n) for c in sorted(extra) for n in range(2, extra[c] + 1)]
    position = {spot: len(header) + i for i, spot in enumerate(added)}
    header = [*header, *(f"{header[c]} (+{n})" for c, n in added)]
    width = len(header)
    for row in rows:
        row.extend([""] * (width - len(row)))
    for r, c, cut in long_rows:
        rows[r][c] = cut[0]
        for n, piece in enumerate(cut[1:], start=2):
            rows[r][position[(c, n)]] = piece
    return header, rows


def _sheet(
    name: str, header: list[str], rows: list[list[str]], lang: str, *, titles: bool = False
) -> Sheet:
    """A sheet: the column keys in a hidden first row (what ``read`` goes by), the readable
    header in the second, then the rows; every text cell defused and escaped."""
    header, rows = _with_continuations(header, rows)
    labels = []
    for key in header:
        found = _CONTINUED.match(key)
        if found:
            labels.append(
                _t("continued", lang, column=_header_label(found["key"], lang), n=found["n"])
            )
        elif titles and key in (_FROM_TITLE, _TO_TITLE):
            labels.append(_t(f"col_{key}", lang))
        else:
            labels.append(_header_label(key, lang))

    def cells() -> Iterator[list[str | None]]:
        yield [cell_value(k) for k in header]
        yield [cell_value(label) for label in labels]
        for row in rows:
            yield [cell_value(c) if c else None for c in row]

    return Sheet(
        name=name,
        rows=cells(),
        header_rows=2,
        hidden_rows=frozenset({1}),
        filter_row=2,
        widths=[_WIDTHS.get(k, 16) for k in header],
    )


def write(sub: Subgraph, out: PathOrFile, *, lang: str = texts.DEFAULT_LANG) -> None:
    """Write ``sub`` as an .xlsx workbook to a path or binary file: headers, sheet names,
    kinds, statuses and edge kinds in ``lang`` (``nl`` or ``en``), the column keys in a
    hidden first row, so ``read`` gives back exactly what was written in either language.
    A text longer than Excel keeps in a cell goes on in continuation columns."""
    nodes_name, edges_name = sheet_names(lang)
    node_header, node_rows = node_table(sub.nodes.values())
    _translate(node_rows, node_header, lang, edges=False)
    edge_header, edge_rows = edge_table(sub.edges)
    titles = {n.id: n.title for n in sub.nodes.values()}
    edge_rows = [row + [titles.get(row[0], ""), titles.get(row[2], "")] for row in edge_rows]
    _translate(edge_rows, edge_header, lang, edges=True)
    edge_header = [*edge_header, _FROM_TITLE, _TO_TITLE]
    sheets = [
        _sheet(nodes_name, node_header, node_rows, lang),
        _sheet(edges_name, edge_header, edge_rows, lang, titles=True),
    ]
    by_kind: dict[str, list[Node]] = {}
    for node in sub.nodes.values():
        by_kind.setdefault(node.kind, []).append(node)
    used = {nodes_name, edges_name}
    for kind, nodes in by_kind.items():
        header, rows = node_table(nodes)
        _translate(rows, header, lang, edges=False)
        keep = [i for i, h in enumerate(header) if h != "kind"]
        name = _sheet_name(texts.kind_label(kind, lang), used)
        sheets.append(
            _sheet(name, [header[i] for i in keep], [[row[i] for i in keep] for row in rows], lang)
        )
    with binary_out(out) as handle:
        write_workbook(sheets, handle)


def _sheet_name(label: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no brackets, colons, stars, question
    marks or slashes), unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", label).strip()[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
        n += 1
    used.add(name)
    return name


def _sheet_rows(sheet: Any, name: str = "") -> tuple[list[str], list[list[str]]]:
    from kgraph.importers.tabular_source import MAX_CELLS, MAX_TEXT

    # The declared dimension (A1:XFD1048576 costs nothing to write) must not size the rows:
    # read only the cells present, stream, and bound the cells and characters read.
    sheet.reset_dimensions()
    rows = iter(sheet.iter_rows(values_only=True))
    first = next(rows, None)
    if first is None:
        return [], []
    cells = [restore_cell(_unescape(str(v))) if v is not None else "" for v in first]
    if "id" in cells or "src" in cells:
        header = cells  # the hidden row of column keys
        next(rows, None)  # the readable header under it
    else:  # a workbook written before: readable English headers only
        header = []
        for label in cells:
            key = label[: -len(JSON_SUFFIX)] if label.endswith(JSON_SUFFIX) else label
            key = _LEGACY_TITLES.get(key) or _KEYS.get(key, key)
            header.append(key + (JSON_SUFFIX if label.endswith(JSON_SUFFIX) else ""))
    body = []
    count = chars = 0
    for row in rows:
        if all(v is None for v in row):
            continue
        count += len(row)
        chars += sum(len(str(v)) for v in row if v is not None)
        if count > MAX_CELLS or chars > MAX_TEXT:
            raise InputError(
                f"{name}, sheet {sheet.title}: refused: more than {MAX_CELLS:,} cells or "
                f"{MAX_TEXT:,} characters (repeated shared strings?)"
            )
        body.append([restore_cell(_unescape(str(v))) if v is not None else "" for v in row])
    return _joined(header, body, f"{name}, sheet {sheet.title}")


def _joined(
    header: list[str], body: list[list[str]], where: str
) -> tuple[list[str], list[list[str]]]:
    """Continuation columns (``text (+2)``, ...) appended to their column again."""
    pieces_of: dict[int, list[tuple[int, int]]] = {}
    keep: list[int] = []
    index = {key: i for i, key in enumerate(header)}
    for i, key in enumerate(header):
        found = _CONTINUED.match(key)
        if found and found["key"] in index:
            pieces_of.setdefault(index[found["key"]], []).append((int(found["n"]), i))
        else:
            keep.append(i)
    if not pieces_of:
        return header, body
    for row in body:
        for base, parts in pieces_of.items():
            for _n, column in sorted(parts):
                if column < len(row) and row[column]:
                    if base >= len(row):
                        raise InputError(f"{where}: a continuation cell without its first part")
                    row[base] += row[column]
    return [header[i] for i in keep], [[row[i] for i in keep if i < len(row)] for row in body]


def _find_sheet(book: Any, role: int, name: str) -> Any:
    """The Nodes (``role`` 0) or Edges (1) sheet, named in either language."""
    names = {sheet_names(lang)[role] for lang in texts.LANGUAGES}
    for sheet_name in book.sheetnames:
        if sheet_name in names:
            return book[sheet_name]
    wanted = " or ".join(repr(n) for n in sorted(names))
    raise InputError(f"{name}: no sheet {wanted} (not a kgraph export)")


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse a workbook kgraph wrote (its Nodes and Edges sheets, in either language)."""
    name = display_name(src)
    with binary_in(src) as handle:
        data = io.BytesIO(handle.read())
        check_zip(data, name)
        try:
            book = load_workbook(data, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputError(f"{name}: not an .xlsx workbook: {exc}") from exc
    try:
        nodes_sheet = _find_sheet(book, 0, name)
        edges_sheet = _find_sheet(book, 1, name)
        nodes = _sheet_rows(nodes_sheet, name)
        edges = _sheet_rows(edges_sheet, name)
        nodes_title, edges_title = nodes_sheet.title, edges_sheet.title
    finally:
        book.close()
    _untranslate(nodes[1], nodes[0], edges=False)
    edge_header, edge_body = edges
    _untranslate(edge_body, edge_header, edges=True)
    keep = [i for i, h in enumerate(edge_header) if h not in (_FROM_TITLE, _TO_TITLE)]
    edges = (
        [edge_header[i] for i in keep],
        [[r[i] for i in keep if i < len(r)] for r in edge_body],
    )
    return rows_to_raw(
        name, nodes, edges, f"{name}, sheet {nodes_title}", f"{name}, sheet {edges_title}"
    )


def is_kgraph_workbook(src: PathOrFile) -> bool:
    """Whether an .xlsx file looks like a kgraph export (Nodes and Edges sheets, named in
    either language)."""
    with binary_in(src) as handle:
        data = io.BytesIO(handle.read())
        try:
            check_zip(data, display_name(src))
            book = load_workbook(data, read_only=True)
        except Exception:
            return False
    try:
        names = set(book.sheetnames)
        return any(set(sheet_names(lang)) <= names for lang in texts.LANGUAGES)
    finally:
        book.close()


def read(src: PathOrFile) -> Subgraph:
    """A workbook kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
