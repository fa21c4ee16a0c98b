"""Tables people keep: rows of an .xlsx sheet or a .csv file become nodes of one kind.

``read(source, mapping={"title": "Vraag", "cop": "CoP"}, kind=..., store=...)`` maps
columns to fields:

- ``id``: a kgraph id (with ``:``) is kept; any other value is made into one with the kind's
  prefix (``12`` -> ``kq:12``); without an id the id comes from kind and title, so
  importing the same file again adds nothing;
- ``title`` (required), ``text``, ``status`` (a status key or its Dutch/English label),
  ``owner``, ``tags`` (split on ``;``, ``,`` or newlines);
- relation fields ``cop``, ``complex_question``, ``theme``, ``landing_place``,
  ``organisation``: each value (a cell may hold several, split on ``;`` or newlines) is
  matched to a node of that kind by id, else by normalised title, in the store and in this
  file; a node is created when nothing matches. The edge is the one the model allows
  between the row's kind and the target's (``RAISED_IN``, ``FEEDS``, ``LANDS_IN``, ...);
- ``relates_to``: a question matched the same way, which must exist (``RELATES_TO``).

Columns that are not mapped are kept as properties (named after the header). A field that
is not mapped is taken from a column of the same name when there is one. The header row is
found as the first row holding every mapped column name (title rows and explanation rows
above it are skipped) unless ``header_row`` is given; empty and "Unnamed" columns and blank
rows are ignored.

Validation collects every problem first — duplicate ids (naming every row that carries
one), unknown statuses, a ``relates_to`` that points nowhere, an empty title, a relation the
model does not allow — each with file, sheet, row number as shown in the spreadsheet and
column. ``read`` raises ``InputError`` with all of them; ``read_table`` returns them with
the rows that are fine, for ``--skip-invalid``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kgraph.errors import InputError, KGraphError
from kgraph.export.safe import neutralise_cell
from kgraph.importers.base import ImportBatch
from kgraph.importers.tabular_source import SheetRows, read_rows
from kgraph.model import (
    ID_PREFIX,
    NODE_FIELDS,
    QUESTION_KINDS,
    QUESTION_STATUSES,
    STATUS_LABELS,
    SYSTEM_FIELDS,
    Edge,
    Node,
    check_id,
    check_node_kind,
    fold,
    make_id,
    normalise_title,
    parse_tags,
    preferred_edge_kind,
    slugify,
    validate_edge,
    validate_node,
)
from kgraph.store.base import GraphStore

FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "text",
    "status",
    "owner",
    "tags",
    "cop",
    "complex_question",
    "theme",
    "landing_place",
    "organisation",
    "relates_to",
)
RELATION_FIELDS: tuple[str, ...] = (
    "cop",
    "complex_question",
    "theme",
    "landing_place",
    "organisation",
)
_HEADER_SEARCH_ROWS = 30
_UNNAMED = re.compile(r"^unnamed(: ?\d+)?$", re.IGNORECASE)
_SPLIT = re.compile(r"[;\n\r]+")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, located as the spreadsheet program shows it."""

    file: str
    sheet: str | None
    row: int
    column: str  # letter
    header: str
    message: str

    def __str__(self) -> str:
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file}{sheet}, row {self.row}, column {self.column} ({self.header}): {self.message}"


@dataclass
class Reject:
    """A row left out by ``--skip-invalid``, with its cells and reasons."""

    row: int
    cells: dict[str, str]
    reasons: list[str]


@dataclass
class TableResult:
    """What ``read_table`` found: the batch of good rows, the problems, the rejected rows."""

    batch: ImportBatch
    problems: list[Problem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0


@dataclass
class _Row:
    number: int
    cells: list[Any]
    node: Node | None = None
    relations: list[tuple[str, int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm_header(value: Any) -> str:
    return " ".join(fold(str(value)).replace("_", " ").split()) if value is not None else ""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _status_names() -> dict[str, str]:
    names = {}
    for status in QUESTION_STATUSES:
        names[fold(status)] = status
        names[fold(status.replace("_", " "))] = status
        for label in STATUS_LABELS[status].values():
            names[fold(label)] = status
    return names


_STATUS_NAMES = _status_names()


def relation_edge(row_kind: str, target_kind: str) -> tuple[str, bool] | None:
    """The edge kind joining a row of ``row_kind`` to a target of ``target_kind`` and
    whether it runs from the row (``True``) or towards it; ``None`` if the model has none."""
    for forward in (True, False):
        src, dst = (row_kind, target_kind) if forward else (target_kind, row_kind)
        kind = preferred_edge_kind(src, dst)
        if kind is not None:
            return kind, forward
    return None


def row_id(kind: str, value: str) -> str:
    """The node id for an id cell: a kgraph id (with ``:``) as it is, else prefixed."""
    return check_id(value) if ":" in value else f"{ID_PREFIX[kind]}:{slugify(value)}"


def _find_header(
    rows: list[list[Any]], wanted: Iterable[str], header_row: int | None, where: str
) -> int:
    if header_row is not None:
        if header_row < 1 or header_row > len(rows):
            raise InputError(
                f"{where}: header row {header_row} is outside the sheet (1-{len(rows)})"
            )
        return header_row - 1
    names = {_norm_header(w) for w in wanted}
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        present = {_norm_header(v) for v in row}
        if names and names <= present:
            return index
    raise InputError(
        f"{where}: no header row among the first {_HEADER_SEARCH_ROWS} rows holds the column(s) "
        f"{', '.join(sorted(repr(w) for w in wanted))}; give --header-row N or check --map"
    )


def _prop_key(header: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_")
    if not key:
        return ""
    if not key[0].isalpha():
        key = "c_" + key
    if key in NODE_FIELDS or key in SYSTEM_FIELDS:
        key = "column_" + key
    return key[:64]


class _Index:
    """Nodes a relation can point at: this file's rows, created targets and the store."""

    def __init__(self, store: GraphStore | None) -> None:
        self.store = store
        self.by_id: dict[str, Node] = {}
        self.by_title: dict[tuple[str, str], Node] = {}
        self._loaded: set[str] = set()

    def add(self, node: Node) -> None:
        self.by_id.setdefault(node.id, node)
        self.by_title.setdefault((node.kind, normalise_title(node.title)), node)

    def _load(self, kind: str) -> None:
        if self.store is None or kind in self._loaded:
            return
        self._loaded.add(kind)
        for node in self.store.nodes([kind]):
            self.by_title.setdefault((kind, normalise_title(node.title)), node)

    def _by_id(self, node_id: str) -> Node | None:
        node = self.by_id.get(node_id)
        if node is None and self.store is not None:
            node = self.store.get_node(node_id)
        return node

    def find(self, value: str, kinds: Iterable[str]) -> Node | None:
        """By id (as given, or as the id column would make it), else by normalised title."""
        kinds = tuple(kinds)
        candidates = [value] if ":" in value else [row_id(kind, value) for kind in kinds]
        for candidate in candidates:
            node = self._by_id(candidate)
            if node is not None and node.kind in kinds:
                return node
        for kind in kinds:
            self._load(kind)
            node = self.by_title.get((kind, normalise_title(value)))
            if node is not None:
                return node
        return None


def read_table(
    source: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    kind: str = "knowledge_question",
    sheet: str | None = None,
    header_row: int | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    store: GraphStore | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> TableResult:
    """Read and check a table; see the module docstring. ``store`` is only read."""
    check_node_kind(kind)
    mapping = dict(mapping or {})
    for name in mapping:
        if name not in FIELDS:
            raise InputError(f"unknown field {name!r} in --map; fields: {', '.join(FIELDS)}")
    table = read_rows(source, sheet=sheet, delimiter=delimiter, encoding=encoding)
    where = table.file + (f", sheet {table.sheet}" if table.sheet else "")
    named = [c for c in mapping.values() if not _LETTERS.match(c)]
    if "title" not in mapping:
        named.append("title")
    head = _find_header(table.rows, named, header_row, where)
    header = [_cell_text(v) for v in table.rows[head]] if table.rows else []
    columns = _map_columns(header, mapping, where)
    ignored, prop_columns = _other_columns(header, columns, table.rows[head + 1 :])
    body = [
        _Row(number, row)
        for number, row in enumerate(table.rows[head + 1 :], start=head + 2)
        if any(_cell_text(v) for v in row)
    ]
    total = len(body)
    if not total:
        raise InputError(f"{where}: no rows below the header (row {head + 1}); nothing to import")
    problem = _problem_maker(table, header)
    for done, row in enumerate(body, start=1):
        _read_row(row, kind, columns, prop_columns, table, problem)
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    _check_duplicates(body, columns, problem)
    accepted = [r for r in body if r.node is not None and (not skip_invalid or not r.problems)]
    while True:
        kept = {id(r) for r in accepted}
        rejected = [r for r in body if r.node is not None and id(r) not in kept]
        edges, created, relation_problems = _resolve(accepted, rejected, store, problem)
        failing = {id(r) for r in accepted if relation_problems.get(id(r))}
        if not skip_invalid or not failing:
            break
        for row in accepted:
            row.problems.extend(relation_problems.get(id(row), []))
        accepted = [r for r in accepted if id(r) not in failing]
    if not skip_invalid:
        for row in body:
            row.problems.extend(relation_problems.get(id(row), []))
        accepted = [r for r in body if r.node is not None]
    batch = ImportBatch(source=str(source))
    batch.nodes = [
        r.node for r in accepted if r.node is not None and not (skip_invalid and r.problems)
    ]
    batch.nodes += created
    batch.edges = edges
    if ignored:
        batch.notes.append(f"ignored columns without a usable header: {', '.join(ignored)}")
    result = TableResult(batch=batch, rows_read=total)
    for row in body:
        result.problems.extend(row.problems)
        if row.problems:
            cells = {
                h or column_letter(i): _cell_text(v)
                for i, (h, v) in enumerate(zip(header, row.cells, strict=False))
            }
            result.rejects.append(Reject(row.number, cells, [str(p) for p in row.problems]))
    if store is not None:
        present = sum(1 for n in batch.nodes if store.get_node(n.id) is not None)
        if present:
            batch.notes.append(
                f"{present} node(s) are in the store already and are left as they are"
            )
    return result


def _map_columns(header: list[str], mapping: dict[str, str], where: str) -> dict[str, int]:
    normalised = [_norm_header(h) for h in header]
    columns: dict[str, int] = {}
    for name, column in mapping.items():
        if _norm_header(column) in normalised:
            columns[name] = normalised.index(_norm_header(column))
        elif _LETTERS.match(column):
            columns[name] = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(column))) - 1
        else:
            shown = ", ".join(repr(h) for h in header if h)
            raise InputError(f"{where}: no column {column!r} for {name}; the columns are {shown}")
    for name in FIELDS:
        if name not in columns and _norm_header(name) in normalised:
            index = normalised.index(_norm_header(name))
            if index not in columns.values():
                columns[name] = index
    if "title" not in columns:
        raise InputError(f"{where}: which column holds the title? give --map title=COLUMN")
    return columns


def _other_columns(
    header: list[str], columns: dict[str, int], body: list[list[Any]]
) -> tuple[list[str], dict[int, str]]:
    used = set(columns.values())
    ignored: list[str] = []
    props: dict[int, str] = {}
    taken: set[str] = set()
    for index, name in enumerate(header):
        if index in used:
            continue
        key = _prop_key(name) if name and not _UNNAMED.match(name) else ""
        if not key:
            if any(index < len(r) and _cell_text(r[index]) for r in body):
                ignored.append(column_letter(index) + (f" ({name})" if name else ""))
            continue
        base, n = key, 2
        while key in taken:
            key = f"{base[:60]}_{n}"
            n += 1
        taken.add(key)
        props[index] = key
    return ignored, props


def _problem_maker(table: SheetRows, header: list[str]) -> Callable[[int, int, str], Problem]:
    def make(row: int, column: int, message: str) -> Problem:
        name = header[column] if column < len(header) and header[column] else "no header"
        return Problem(table.file, table.sheet, row, column_letter(column), name, message)

    return make


def _get(row: _Row, index: int | None) -> Any:
    if index is None or index >= len(row.cells):
        return None
    return row.cells[index]


def _read_row(
    row: _Row,
    kind: str,
    columns: dict[str, int],
    prop_columns: dict[int, str],
    table: SheetRows,
    problem: Callable[[int, int, str], Problem],
) -> None:
    title_col = columns["title"]
    title = " ".join(_cell_text(_get(row, title_col)).split())
    if not title:
        row.problems.append(problem(row.number, title_col, "title is empty"))
    node_id = ""
    raw_id = _cell_text(_get(row, columns.get("id")))
    if raw_id:
        try:
            node_id = row_id(kind, raw_id)
        except KGraphError as exc:
            row.problems.append(problem(row.number, columns["id"], str(exc)))
    elif title:
        node_id = make_id(kind, title)
    status = None
    raw_status = _cell_text(_get(row, columns.get("status")))
    if raw_status:
        if kind in QUESTION_KINDS:
            status = _STATUS_NAMES.get(fold(raw_status).replace("_", " ")) or _STATUS_NAMES.get(
                fold(raw_status)
            )
            if status is None:
                row.problems.append(
                    problem(
                        row.number,
                        columns["status"],
                        f"unknown status {raw_status!r}; expected one of {', '.join(QUESTION_STATUSES)}",
                    )
                )
        else:
            status = raw_status
    props: dict[str, Any] = {}
    owner = _cell_text(_get(row, columns.get("owner")))
    if owner:
        props["owner"] = owner
    for index, key in prop_columns.items():
        value = _cell_value(_get(row, index))
        if value not in (None, ""):
            props[key] = value
    for name in (*RELATION_FIELDS, "relates_to"):
        if name in columns:
            values = [
                v.strip() for v in _SPLIT.split(_cell_text(_get(row, columns[name]))) if v.strip()
            ]
            if values:
                row.relations.append((name, columns[name], list(dict.fromkeys(values))))
    if not node_id or not title:
        return
    sheet = f", sheet {table.sheet}" if table.sheet else ""
    try:
        row.node = validate_node(
            Node(
                id=node_id,
                kind=kind,
                title=title,
                text=_cell_text(_get(row, columns.get("text"))),
                status=status,
                tags=parse_tags(_cell_text(_get(row, columns.get("tags")))),
                source=f"{table.file}{sheet}, row {row.number}",
                props=props,
            )
        )
    except KGraphError as exc:
        row.problems.append(problem(row.number, title_col, str(exc)))


def _check_duplicates(
    body: list[_Row], columns: dict[str, int], problem: Callable[[int, int, str], Problem]
) -> None:
    rows_by_id: dict[str, list[_Row]] = {}
    for row in body:
        if row.node is not None:
            rows_by_id.setdefault(row.node.id, []).append(row)
    column = columns.get("id", columns["title"])
    for node_id, rows in rows_by_id.items():
        if len(rows) < 2:
            continue
        numbers = ", ".join(str(r.number) for r in rows)
        how = "" if "id" in columns else " (made from the same title)"
        for row in rows:
            row.problems.append(
                problem(row.number, column, f"duplicate id {node_id!r}{how} in rows {numbers}")
            )


def _resolve(
    rows: list[_Row],
    rejected: list[_Row],
    store: GraphStore | None,
    problem: Callable[[int, int, str], Problem],
) -> tuple[list[Edge], list[Node], dict[int, list[Problem]]]:
    index = _Index(store)
    for row in rows:
        if row.node is not None:
            index.add(row.node)
    left_out = _Index(None)  # only to say why a relation to a rejected row fails
    numbers: dict[str, int] = {}
    for row in rejected:
        if row.node is not None:
            left_out.add(row.node)
            numbers.setdefault(row.node.id, row.number)
    edges: dict[tuple[str, str, str], Edge] = {}
    created: dict[str, Node] = {}
    problems: dict[int, list[Problem]] = {}
    for row in rows:
        node = row.node
        if node is None:
            continue
        for name, column, values in row.relations:
            if name == "relates_to":
                target_kinds: tuple[str, ...] = tuple(sorted(QUESTION_KINDS))
            else:
                target_kinds = (name,)
            for value in values:
                target = index.find(value, target_kinds)
                if target is None and name == "relates_to":
                    other = left_out.find(value, target_kinds)
                    why = (
                        f"points at row {numbers[other.id]}, which is rejected"
                        if other is not None
                        else "matches no question (by id or title)"
                    )
                    problems.setdefault(id(row), []).append(
                        problem(row.number, column, f"relates_to {value!r} {why}")
                    )
                    continue
                if target is None:
                    target = Node(make_id(name, value), name, value, source=node.source)
                    created[target.id] = target
                    index.add(target)
                if name == "relates_to":
                    rule: tuple[str, bool] | None = (
                        ("RELATES_TO", True) if node.kind in QUESTION_KINDS else None
                    )
                else:
                    rule = relation_edge(node.kind, target.kind)
                if rule is None:
                    problems.setdefault(id(row), []).append(
                        problem(
                            row.number, column, f"a {node.kind} cannot be linked to a {target.kind}"
                        )
                    )
                    continue
                if target.id == node.id:
                    problems.setdefault(id(row), []).append(
                        problem(row.number, column, f"{value!r} is this row itself")
                    )
                    continue
                edge_kind, forward = rule
                src, dst = (node.id, target.id) if forward else (target.id, node.id)
                edges.setdefault((src, edge_kind, dst), validate_edge(Edge(src, edge_kind, dst)))
    return list(edges.values()), list(created.values()), problems


def read(source: str | Path, **options: Any) -> ImportBatch:
    """Read a table into an ``ImportBatch`` (options as ``read_table``); ``InputError``
    listing every problem when any row is wrong."""
    options.pop("skip_invalid", None)
    result = read_table(source, **options)
    if result.problems:
        rows = len({p.row for p in result.problems})
        raise InputError(
            f"{Path(source).name}: {len(result.problems)} problem(s) in {rows} row(s); nothing imported",
            [str(p) for p in result.problems],
        )
    return result.batch


def write_rejects(path: str | Path, rejects: list[Reject]) -> None:
    """Rejected rows with their reasons as CSV (UTF-8 with BOM, cells formula-neutralised)."""
    columns: dict[str, None] = {}
    for reject in rejects:
        columns.update(dict.fromkeys(reject.cells))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", "reasons", *columns])
    for reject in rejects:
        cells = [reject.cells.get(c, "") for c in columns]
        writer.writerow(
            [neutralise_cell(v) for v in [str(reject.row), " | ".join(reject.reasons), *cells]]
        )
    Path(path).write_bytes(buffer.getvalue().encode("utf-8-sig"))
