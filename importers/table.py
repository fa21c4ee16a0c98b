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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from kgraph.atomic import PathLike, write_atomically
from kgraph.errors import InputError, KGraphError
from kgraph.export.safe import neutralise_cell
from kgraph.importers.base import ImportBatch
from kgraph.importers.messages import DEFAULT_LANG, capped, quoted, render
from kgraph.importers.registers import register_id
from kgraph.importers.tabular_source import SheetRows, Source, detect_header_row, read_rows
from kgraph.model import (
    HANDOVER_STATUSES,
    ID_PATTERN,
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
    "placed_at",
    "handover_status",
    "relates_to",
)
RELATION_FIELDS: tuple[str, ...] = (
    "cop",
    "complex_question",
    "theme",
    "landing_place",
    "organisation",
    "placed_at",
)
#: where a "Waar belegd" value may point: a landing place (LANDS_IN) or an organisation
PLACED_KINDS: tuple[str, ...] = ("landing_place", "organisation")
DUPLICATES = ("refuse", "keep")
#: properties the importer sets itself; a column of that name is kept as column_<name>
IMPORT_PROPS = frozenset({"register", "code", "duplicate_code", "owner"})
#: problem lines shown in one error, rows listed in one message or provenance
MAX_SHOWN = 100
MAX_ROWS_LISTED = 10
_HEADER_SEARCH_ROWS = 30
_UNNAMED = re.compile(r"^unnamed(: ?\d+)?$", re.IGNORECASE)
_SPLIT = re.compile(r"[;\n\r]+")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, located as the spreadsheet program shows it.

    ``value`` is the cell as written (``2.2_1``, not the id made of it); the message is
    kept as ``key`` and ``params`` (see ``kgraph.importers.messages``) and shown in
    ``lang`` by ``str()``, or in any language by ``text(lang)``."""

    file: str
    sheet: str | None
    row: int
    column: str  # letter
    header: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    value: str = ""
    lang: str = DEFAULT_LANG

    def text(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        sheet = render("at_sheet", lang, sheet=self.sheet) if self.sheet else ""
        header = self.header or render("no_header", lang)
        where = render(
            "at", lang, file=self.file, sheet=sheet, row=self.row, column=self.column, header=header
        )
        if self.value:
            where += render("at_value", lang, value=quoted(self.value))
        return f"{where}: {render(self.key, lang, **self.params)}"

    @property
    def message(self) -> str:
        return render(self.key, self.lang, **self.params)

    def __str__(self) -> str:
        return self.text()


@dataclass
class Reject:
    """A row left out by ``--skip-invalid``, with its cells and reasons."""

    row: int
    cells: dict[str, str]
    reasons: list[str]


@dataclass
class TableResult:
    """What ``read_table`` found: the batch of good rows, the problems, the rejected rows,
    and how the table was read (sheet, 1-based header row, ``columns`` used per field,
    ``by_name`` the fields mapped only because a column bears their name, ``register``)."""

    batch: ImportBatch
    problems: list[Problem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    sheet: str | None = None
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    register: str = ""
    #: the header row's names as read (empty for an empty cell)
    headers: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    cells: list[Any]
    node: Node | None = None
    relations: list[tuple[str, int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    code: str = ""
    handover: str | None = None
    merged: bool = False


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


def _status_names(statuses: Iterable[str]) -> dict[str, str]:
    names = {}
    for status in statuses:
        names[fold(status)] = status
        names[fold(status.replace("_", " "))] = status
        for label in STATUS_LABELS[status].values():
            names[fold(label)] = status
    return names


_STATUS_NAMES = _status_names(QUESTION_STATUSES)
_HANDOVER_NAMES = _status_names(HANDOVER_STATUSES)


def _lookup(names: dict[str, str], raw: str) -> str | None:
    return names.get(fold(raw).replace("_", " ")) or names.get(fold(raw))


def relation_edge(row_kind: str, target_kind: str) -> tuple[str, bool] | None:
    """The edge kind joining a row of ``row_kind`` to a target of ``target_kind`` and
    whether it runs from the row (``True``) or towards it; ``None`` if the model has none."""
    for forward in (True, False):
        src, dst = (row_kind, target_kind) if forward else (target_kind, row_kind)
        kind = preferred_edge_kind(src, dst)
        if kind is not None:
            return kind, forward
    return None


def register_name(register: str | None, file_name: str) -> str:
    """The register's slug as it appears in ids: ``register`` or the file's stem
    (``kgraph.importers.registers.register_id``)."""
    return register_id(register, file_name)


def row_id(kind: str, value: str, register: str | None = None) -> str:
    """The node id for an id cell: a kgraph id (with ``:``) as it is, else the code made
    into one within the register (``2.2_1`` in register ``agenda`` -> ``kq:agenda:2-2-1``)."""
    if ":" in value:
        return check_id(value)
    middle = f"{register}:" if register else ""
    return check_id(f"{ID_PREFIX[kind]}:{middle}{slugify(value)}")


def _find_header(
    rows: list[list[Any]], wanted: list[str], header_row: int | None, where: str, lang: str
) -> int:
    if header_row is not None:
        if header_row < 1 or header_row > len(rows):
            raise InputError(
                render("header_outside", lang, where=where, row=header_row, rows=len(rows))
            )
        return header_row - 1
    if not wanted:  # nothing mapped: no header to look for, and no title to read
        raise InputError(render("nothing_mapped", lang, where=where))
    found = detect_header_row(rows, wanted, _HEADER_SEARCH_ROWS)
    if found is None:
        raise InputError(
            render(
                "no_header_row",
                lang,
                where=where,
                search=_HEADER_SEARCH_ROWS,
                columns=", ".join(sorted(repr(w) for w in wanted)),
            )
        )
    return found - 1


def header_names(
    table: SheetRows,
    mapping: Mapping[str, str],
    header_row: int | None = None,
    by_name: bool = False,
) -> list[str]:
    """The names in the header row ``read_table`` would use for these choices; ``[]``
    when it finds none (``read_table`` then says why)."""
    named = [c for c in mapping.values() if not _LETTERS.match(c)]
    if "title" not in mapping and by_name:
        named.append("title")
    try:
        head = _find_header(table.rows, named, header_row, table.file, DEFAULT_LANG)
    except InputError:
        return []
    return [_cell_text(v) for v in table.rows[head]]


def _prop_key(header: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_")
    if not key:
        return ""
    if not key[0].isalpha():
        key = "c_" + key
    if key in NODE_FIELDS or key in SYSTEM_FIELDS or key in IMPORT_PROPS:
        key = "column_" + key
    return key[:64]


class _Index:
    """Nodes a relation can point at: this file's rows, created targets and the store."""

    def __init__(self, store: GraphStore | None, register: str | None = None) -> None:
        self.store = store
        self.register = register
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
        if ":" in value:
            candidates = [value]
        else:
            candidates = [row_id(k, value, self.register) for k in kinds] if self.register else []
            candidates += [row_id(k, value) for k in kinds]
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


def _rows_text(numbers: list[int], lang: str) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_ROWS_LISTED])
    if len(numbers) > MAX_ROWS_LISTED:
        shown += " " + render("and_more", lang, count=len(numbers) - MAX_ROWS_LISTED).lstrip(". ")
    return shown


def _check_values(
    values: Mapping[str, Mapping[str, str]] | None, lang: str
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, pairs in (values or {}).items():
        if name not in FIELDS:
            raise InputError(
                render("unknown_field", lang, field=repr(name), fields=", ".join(FIELDS))
            )
        out[name] = {fold(str(k)).strip(): str(v) for k, v in pairs.items()}
    return out


def read_table(
    source: Source,
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
    name: str | None = None,
    register: str | None = None,
    duplicates: str = "refuse",
    values: Mapping[str, Mapping[str, str]] | None = None,
    by_name: bool = False,
    placed_status: str = "proposed",
    lang: str = DEFAULT_LANG,
    rows: SheetRows | None = None,
) -> TableResult:
    """Read and check a table; see the module docstring. ``store`` is only read.

    ``name`` is the file name to show and record (an upload's name); ``register`` (default:
    the file's stem) namespaces ids made from codes and is recorded on every node;
    ``duplicates="keep"`` imports rows sharing a code under suffixed ids, marked
    ``duplicate_code``; ``values`` maps cell values per field before they are read
    (``{"status": {"1": "open"}}``); ``by_name`` maps a field nobody mapped to a column of
    the same name (off: such a column is kept as a property); ``lang`` is the language of
    the messages (``nl`` or ``en``); ``placed_status`` is the handover status of a "Waar
    belegd" placement (a proposal unless the register's keeper says otherwise); ``rows`` are
    the sheet's rows when they were read already (``source`` is then not read again)."""
    check_node_kind(kind)
    if placed_status not in HANDOVER_STATUSES:
        raise InputError(f"placed_status {placed_status!r}: one of {', '.join(HANDOVER_STATUSES)}")
    mapping = dict(mapping or {})
    for field_name in mapping:
        if field_name not in FIELDS:
            raise InputError(
                render("unknown_field", lang, field=repr(field_name), fields=", ".join(FIELDS))
            )
    if duplicates not in DUPLICATES:
        raise InputError(f"--duplicates {duplicates!r}: refuse or keep")
    value_map = _check_values(values, lang)
    table = rows or read_rows(
        source, sheet=sheet, delimiter=delimiter, encoding=encoding, name=name, lang=lang
    )
    reg = register_name(register, table.file)
    where = table.file + (render("at_sheet", lang, sheet=table.sheet) if table.sheet else "")
    named = [c for c in mapping.values() if not _LETTERS.match(c)]
    if "title" not in mapping and by_name:
        named.append("title")
    head = _find_header(table.rows, named, header_row, where, lang)
    header = [_cell_text(v) for v in table.rows[head]] if table.rows else []
    columns, auto = _map_columns(header, mapping, where, by_name, lang)
    ignored, prop_columns = _other_columns(header, columns, table.rows[head + 1 :])
    body = [
        _Row(number, row)
        for number, row in enumerate(table.rows[head + 1 :], start=head + 2)
        if any(_cell_text(v) for v in row)
    ]
    total = len(body)
    if not total:
        raise InputError(render("no_rows", lang, where=where, row=head + 1))
    problem = _problem_maker(table, header, lang)
    reader = _RowReader(kind, columns, prop_columns, table, problem, value_map, reg, header)
    for done, row in enumerate(body, start=1):
        reader.read(row)
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)
    notes = _check_duplicates(body, columns, problem, duplicates, lang)
    body = [r for r in body if not r.merged]
    accepted = [r for r in body if r.node is not None and (not skip_invalid or not r.problems)]
    while True:
        kept = {id(r) for r in accepted}
        rejected = [r for r in body if r.node is not None and id(r) not in kept]
        edges, created, relation_problems, placed_new = _resolve(
            accepted,
            rejected,
            store,
            problem,
            reg,
            header,
            _Placement(placed_status, register or reg, lang),
        )
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
    batch = ImportBatch(source=table.file)
    batch.nodes = [
        r.node for r in accepted if r.node is not None and not (skip_invalid and r.problems)
    ]
    batch.nodes += created
    batch.edges = edges
    batch.notes.extend(table.notes)
    batch.notes.extend(capped(notes, MAX_ROWS_LISTED, lang))
    if placed_new:
        batch.notes.append(
            render("note_placed_created", lang, names=", ".join(placed_new[:MAX_ROWS_LISTED]))
        )
    if ignored:
        batch.notes.append(render("note_ignored_columns", lang, columns=", ".join(ignored)))
    result = TableResult(
        batch=batch,
        rows_read=total,
        sheet=table.sheet,
        header_row=head + 1,
        columns={
            f: header[i] if i < len(header) and header[i] else column_letter(i)
            for f, i in columns.items()
        },
        by_name=auto,
        register=reg,
        headers=header,
    )
    for row in body:
        result.problems.extend(row.problems)
        if row.problems:
            cells = {
                h or column_letter(i): _cell_text(v)
                for i, (h, v) in enumerate(zip(header, row.cells, strict=False))
            }
            result.rejects.append(Reject(row.number, cells, [str(p) for p in row.problems]))
    return result


def _map_columns(
    header: list[str], mapping: dict[str, str], where: str, by_name: bool, lang: str
) -> tuple[dict[str, int], dict[str, str]]:
    normalised = [_norm_header(h) for h in header]
    columns: dict[str, int] = {}
    for name, column in mapping.items():
        if _norm_header(column) in normalised:
            columns[name] = normalised.index(_norm_header(column))
        elif _LETTERS.match(column):
            columns[name] = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(column))) - 1
        else:
            shown = ", ".join(repr(h) for h in header if h)
            raise InputError(
                render("no_column", lang, where=where, column=repr(column), field=name, shown=shown)
            )
    auto: dict[str, str] = {}
    if by_name:
        for name in FIELDS:
            if name not in columns and _norm_header(name) in normalised:
                index = normalised.index(_norm_header(name))
                if index not in columns.values():
                    columns[name] = index
                    auto[name] = header[index]
    if "title" not in columns:
        raise InputError(render("no_title", lang, where=where))
    return columns, auto


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


MakeProblem = Callable[..., Problem]


def _problem_maker(table: SheetRows, header: list[str], lang: str) -> MakeProblem:
    def make(row: int, column: int, key: str, value: str = "", **params: Any) -> Problem:
        name = header[column] if column < len(header) and header[column] else ""
        return Problem(
            table.file, table.sheet, row, column_letter(column), name, key, params, value, lang
        )

    return make


def _get(row: _Row, index: int | None) -> Any:
    if index is None or index >= len(row.cells):
        return None
    return row.cells[index]


@dataclass
class _RowReader:
    """Turns one row into a node, its relation values and its problems."""

    kind: str
    columns: dict[str, int]
    prop_columns: dict[int, str]
    table: SheetRows
    problem: MakeProblem
    values: dict[str, dict[str, str]]
    register: str
    header: list[str]

    def mapped(self, name: str, raw: str) -> str:
        """``raw`` after the ``--value`` mapping of field ``name``."""
        pairs = self.values.get(name)
        if not pairs or not raw:
            return raw
        return pairs.get(fold(raw).strip(), raw)

    def cell(self, row: _Row, name: str) -> str:
        return self.mapped(name, _cell_text(_get(row, self.columns.get(name))))

    def read(self, row: _Row) -> None:
        columns, problem = self.columns, self.problem
        title_col = columns["title"]
        title = " ".join(self.cell(row, "title").split())
        if not title:
            row.problems.append(problem(row.number, title_col, "title_empty"))
        node_id = ""
        raw_id = _cell_text(_get(row, columns.get("id")))
        if raw_id:
            row.code = raw_id
            try:
                node_id = row_id(self.kind, self.mapped("id", raw_id), self.register)
            except KGraphError:
                row.problems.append(problem(row.number, columns["id"], "bad_id", raw_id))
        elif title:
            node_id = make_id(self.kind, title)
        status = self._status(row)
        raw_handover = _cell_text(_get(row, columns.get("handover_status")))
        if raw_handover:
            row.handover = _lookup(_HANDOVER_NAMES, self.mapped("handover_status", raw_handover))
            if row.handover is None:
                row.problems.append(
                    problem(
                        row.number,
                        columns["handover_status"],
                        "unknown_handover",
                        raw_handover,
                        expected=", ".join(HANDOVER_STATUSES),
                    )
                )
        props: dict[str, Any] = {"register": self.register}
        if row.code:
            props["code"] = row.code
        owner = self.cell(row, "owner")
        if owner:
            props["owner"] = owner
        for index, key in self.prop_columns.items():
            value = _cell_value(_get(row, index))
            if value not in (None, ""):
                props[key] = value
        for name in (*RELATION_FIELDS, "relates_to"):
            if name in columns:
                raw = _cell_text(_get(row, columns[name]))
                # a value mapped to "" means nothing ("Not included": no landing place)
                mapped = (self.mapped(name, v.strip()) for v in _SPLIT.split(raw) if v.strip())
                found = [v.strip() for v in mapped if v.strip()]
                if found:
                    row.relations.append((name, columns[name], list(dict.fromkeys(found))))
        if not node_id or not title:
            return
        sheet = f", sheet {self.table.sheet}" if self.table.sheet else ""
        try:
            row.node = validate_node(
                Node(
                    id=node_id,
                    kind=self.kind,
                    title=title,
                    text=self.cell(row, "text"),
                    status=status,
                    tags=parse_tags(self.cell(row, "tags")),
                    source=f"{self.table.file}{sheet}, row {row.number}",
                    props=props,
                )
            )
        except KGraphError as exc:
            row.problems.append(problem(row.number, title_col, "invalid", error=str(exc)))

    def _status(self, row: _Row) -> str | None:
        raw = _cell_text(_get(row, self.columns.get("status")))
        if not raw:
            return None
        value = self.mapped("status", raw)
        if self.kind not in QUESTION_KINDS:
            return value
        status = _lookup(_STATUS_NAMES, value)
        if status is None:
            row.problems.append(
                self.problem(
                    row.number,
                    self.columns["status"],
                    "unknown_status",
                    raw,
                    expected=", ".join(QUESTION_STATUSES),
                    raw=raw,
                )
            )
        return status


def _check_duplicates(
    body: list[_Row], columns: dict[str, int], problem: MakeProblem, duplicates: str, lang: str
) -> list[str]:
    """Rows sharing an id: with an id column refused (or, with ``keep``, imported under
    suffixed ids and marked ``duplicate_code``); made from the same title, merged into one
    node whose provenance names every row. Returns the notes to show."""
    notes: list[str] = []
    rows_by_id: dict[str, list[_Row]] = {}
    for row in body:
        if row.node is not None:
            rows_by_id.setdefault(row.node.id, []).append(row)
    taken = set(rows_by_id)
    for node_id, rows in rows_by_id.items():
        if len(rows) < 2:
            continue
        numbers = [r.number for r in rows]
        listed = _rows_text(numbers, lang)
        if "id" not in columns:
            _merge(rows, listed)
            notes.append(render("note_same_title", lang, rows=listed, id=node_id))
        elif duplicates == "refuse":
            for row in rows:
                row.problems.append(
                    problem(row.number, columns["id"], "duplicate_code", row.code, rows=listed)
                )
        else:
            ids = [node_id]
            for n, row in enumerate(rows[1:], start=2):
                new_id, k = f"{node_id}-{n}", n
                while new_id in taken:
                    k += 1
                    new_id = f"{node_id}-{k}"
                taken.add(new_id)
                ids.append(new_id)
                assert row.node is not None
                row.node = replace(row.node, id=new_id)
            for row in rows:
                assert row.node is not None
                row.node = replace(row.node, props={**row.node.props, "duplicate_code": row.code})
            notes.append(
                render(
                    "note_duplicate_kept",
                    lang,
                    code=quoted(rows[0].code),
                    rows=listed,
                    ids=", ".join(ids[:MAX_ROWS_LISTED]),
                )
            )
    if "id" in columns:
        by_title: dict[str, list[_Row]] = {}
        for row in body:
            if row.node is not None:
                by_title.setdefault(normalise_title(row.node.title), []).append(row)
        for rows in by_title.values():
            codes = {r.code for r in rows}
            if len(rows) > 1 and len(codes) > 1:
                notes.append(
                    render(
                        "note_same_text_codes",
                        lang,
                        rows=_rows_text([r.number for r in rows], lang),
                        codes=", ".join(quoted(c) for c in list(codes)[:MAX_ROWS_LISTED]),
                    )
                )
    return notes


def _merge(rows: list[_Row], listed: str) -> None:
    """Rows with the identical title (no id column): one node, every row in its source."""
    first = rows[0]
    assert first.node is not None
    source = (first.node.source or "").rsplit(", row ", 1)[0]
    first.node = replace(first.node, source=f"{source}, rows {listed}")
    for row in rows[1:]:
        first.relations.extend(row.relations)
        first.problems.extend(row.problems)
        row.merged = True


def _resolve(
    rows: list[_Row],
    rejected: list[_Row],
    store: GraphStore | None,
    problem: MakeProblem,
    register: str,
    header: list[str],
    placement: _Placement,
) -> tuple[list[Edge], list[Node], dict[int, list[Problem]], list[str]]:
    index = _Index(store, register)
    for row in rows:
        if row.node is not None:
            index.add(row.node)
    left_out = _Index(None, register)  # only to say why a relation to a rejected row fails
    numbers: dict[str, int] = {}
    for row in rejected:
        if row.node is not None:
            left_out.add(row.node)
            numbers.setdefault(row.node.id, row.number)
    edges: dict[tuple[str, str, str], Edge] = {}
    created: dict[str, Node] = {}
    placed_new: list[str] = []
    problems: dict[int, list[Problem]] = {}
    # "Waar belegd" last: an organisation named as action holder in a later row is found
    work = [(r, rel) for r in rows if r.node is not None for rel in r.relations]
    work.sort(key=lambda item: item[1][0] == "placed_at")
    for row, (name, column, values) in work:
        node = row.node
        assert node is not None
        target_kinds: tuple[str, ...]
        if name == "relates_to":
            target_kinds = tuple(sorted(QUESTION_KINDS))
        elif name == "placed_at":
            target_kinds = PLACED_KINDS
        else:
            target_kinds = (name,)
        for value in values:
            target = index.find(value, target_kinds)
            if target is None and name == "relates_to":
                other = left_out.find(value, target_kinds)
                if other is not None:
                    found = problem(
                        row.number, column, "relates_rejected", value, other=numbers[other.id]
                    )
                else:
                    found = problem(row.number, column, "relates_nowhere", value)
                problems.setdefault(id(row), []).append(found)
                continue
            if target is None:
                target = _new_target(name, value, node, register)
                if name == "placed_at" and target.kind == "landing_place" and ":" not in value:
                    placed_new.append(value)  # each once: the index finds it next time
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
                        row.number,
                        column,
                        "forbidden_link",
                        value,
                        src=node.kind,
                        dst=target.kind,
                    )
                )
                continue
            if target.id == node.id:
                problems.setdefault(id(row), []).append(
                    problem(row.number, column, "self_link", value)
                )
                continue
            edge_kind, forward = rule
            src, dst = (node.id, target.id) if forward else (target.id, node.id)
            props = placement.props(
                edge_kind, name, row, header[column] if column < len(header) else ""
            )
            edges.setdefault((src, edge_kind, dst), validate_edge(Edge(src, edge_kind, dst, props)))
    return list(edges.values()), list(created.values()), problems, placed_new


_ORGANISATION_HEADERS = frozenset({"organisatie", "organisation", "organization", "organisaties"})


@dataclass(frozen=True)
class _Placement:
    """How a register's placements become handovers: ``status`` for a "Waar belegd"
    placement (``proposed`` unless the mapping says the register records decisions), and
    the register named in the handover's note."""

    status: str
    register: str
    lang: str

    def props(self, edge_kind: str, field_name: str, row: _Row, header: str) -> dict[str, Any]:
        """A handover on LANDS_IN (the row's own handover status, else ``status`` for a
        placement and ``proposed`` for a landing place, noted "from register X, column Y";
        never a decision: no date, no one who decided), the column's header as the
        ``role`` on INVOLVES ("Actiehouder", "Waar belegd")."""
        if edge_kind == "LANDS_IN":
            default = self.status if field_name == "placed_at" else "proposed"
            note = render("note_placed_from", self.lang, register=self.register, column=header)
            return {"status": row.handover or default, "note": note}
        if edge_kind == "INVOLVES" and header and _norm_header(header) not in _ORGANISATION_HEADERS:
            return {"role": header}
        return {}


def _new_target(name: str, value: str, node: Node, register: str) -> Node:
    """A node for a relation value nothing matched; a ``placed_at`` value is a landing place
    unless it is written as an id of another placeable kind (``org:deltares``)."""
    kind = name
    title = value
    if name == "placed_at":
        kind = "landing_place"
        prefix, sep, rest = value.partition(":")
        for candidate in PLACED_KINDS:
            if sep and ID_PREFIX[candidate] == prefix and ID_PATTERN.match(value):
                kind, title = candidate, rest.replace("-", " ").strip() or value
                return Node(value, kind, title, source=node.source, props={"register": register})
    return Node(make_id(kind, title), kind, title, source=node.source, props={"register": register})


def problem_lines(problems: list[Problem], lang: str = DEFAULT_LANG) -> list[str]:
    """The problems as lines in ``lang``, at most ``MAX_SHOWN`` and "... and N more"."""
    return capped([p.text(lang) for p in problems], MAX_SHOWN, lang)


def problems_error(
    file: str, problems: list[Problem], lang: str = DEFAULT_LANG, hint: str = ""
) -> InputError:
    """One ``InputError`` for ``problems``: a summary line naming the file, then the lines."""
    rows = len({p.row for p in problems})
    message = render("problems", lang, file=file, count=len(problems), rows=rows) + hint
    return InputError(message, problem_lines(problems, lang))


def read(source: Source, **options: Any) -> ImportBatch:
    """Read a table into an ``ImportBatch`` (options as ``read_table``); ``InputError``
    listing every problem when any row is wrong."""
    options.pop("skip_invalid", None)
    result = read_table(source, **options)
    if result.problems:
        raise problems_error(
            result.batch.source, result.problems, options.get("lang", DEFAULT_LANG)
        )
    return result.batch


def rejects_csv(rejects: list[Reject]) -> bytes:
    """Rejected rows with their reasons as CSV bytes (UTF-8 with BOM, cells
    formula-neutralised), e.g. for a download button."""
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
    return buffer.getvalue().encode("utf-8-sig")


def write_rejects(
    path: PathLike,
    rejects: list[Reject],
    *,
    inputs: Iterable[PathLike] = (),
    stores: Iterable[str] = (),
    overwrite: bool = False,
) -> None:
    """Write ``rejects_csv`` to ``path`` through ``kgraph.atomic``: whole or not at all,
    never onto an input, a store (also with ``overwrite``) or its side files, and onto an
    existing file only with ``overwrite``."""
    write_atomically(path, rejects_csv(rejects), overwrite=overwrite, inputs=inputs, stores=stores)
