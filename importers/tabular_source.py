"""Reading the rows of a spreadsheet or CSV file as the spreadsheet program shows them.

XLSX: formulas give their last computed value; a merged range gives its value to every cell
it covers. CSV: the encoding (UTF-8, UTF-8/UTF-16/UTF-32 with BOM, else cp1252) and the
delimiter (``;``, ``,`` or tab) are detected unless given. Row numbers are 1-based, as shown.

Bounded input: a workbook is checked for zip bombs before it is unpacked; a cell longer
than ``MAX_CELL`` characters, a row wider than ``MAX_COLUMNS`` and NUL bytes in a CSV
(binary data, or UTF-16 without a BOM) are refused with the line or cell.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kgraph.errors import InputError
from kgraph.export.ziplimits import check_zip
from kgraph.importers.messages import DEFAULT_LANG, render

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
#: the longest cell (csv's own field limit; Excel holds at most 32,767 characters)
MAX_CELL = 131_072
#: the widest row, as in Excel
MAX_COLUMNS = 16_384
#: cells a workbook may hold in all, counted in its XML before openpyxl builds any
#: (openpyxl keeps a few hundred bytes per cell: 2 million cells stay well under 1 GB)
MAX_CELLS = 2_000_000
#: rows x columns up to the last cell holding a value: a sheet is read as a dense grid
MAX_GRID = 10_000_000
#: characters in all cells of a sheet: one shared string repeated in every row costs
#: nothing in the file but that many characters in the store
MAX_TEXT = 32_000_000
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: words a question starts with, Dutch and English (after folding)
_QUESTION_WORDS = frozenset(
    [
        "hoe",
        "wat",
        "welke",
        "welk",
        "wie",
        "waar",
        "wanneer",
        "waarom",
        "waardoor",
        "waarmee",
        "waaraan",
        "in",
        "hoeverre",
        "kan",
        "kunnen",
        "is",
        "zijn",
        "moet",
        "moeten",
        "wordt",
        "worden",
        "hebben",
        "heeft",
        "zal",
        "zullen",
        "what",
        "which",
        "who",
        "where",
        "when",
        "why",
        "how",
        "can",
        "could",
        "should",
        "does",
        "do",
        "is",
        "are",
        "will",
    ]
)

Source = str | Path | IO[bytes]


@dataclass
class SheetRows:
    """All rows of one sheet; ``rows[i]`` is spreadsheet row ``i + 1``.

    ``notes`` says what the reader left out (workbook features openpyxl does not read)."""

    file: str
    sheet: str | None
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)


def _load(source: Source, name: str | None, lang: str) -> tuple[bytes, str]:
    """The bytes of ``source`` and the name to show for it (``name`` wins: uploads)."""
    if isinstance(source, str | Path):
        path = Path(source)
        shown = name or path.name
        if not path.is_file():
            raise InputError(render("no_file", lang, file=name or str(path)))
        return path.read_bytes(), shown
    data = source.read()
    return data, name or str(getattr(source, "name", "upload"))


def _suffix(shown: str, source: Source) -> str:
    suffix = Path(shown).suffix.lower()
    if not suffix and isinstance(source, str | Path):
        suffix = Path(source).suffix.lower()
    return suffix


def read_rows(
    source: Source,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
    lang: str = DEFAULT_LANG,
) -> SheetRows:
    """The rows of ``source`` (an .xlsx or .csv file, by path or as a binary file object);
    ``InputError`` naming the file. ``name`` is the file name to show and record (an
    upload's own name); by default the path's name. Without ``sheet`` an .xlsx gives the
    sheet with the most question-like rows (``choose_sheet``)."""
    data, shown = _load(source, name, lang)
    suffix = _suffix(shown, source)
    if suffix in SPREADSHEET_SUFFIXES:
        return _xlsx_rows(data, shown, sheet, lang)
    if suffix in CSV_SUFFIXES:
        if sheet:
            raise InputError(render("sheet_csv", lang, file=shown))
        return _csv_rows(data, shown, delimiter, encoding, lang)
    raise InputError(render("unknown_format", lang, file=shown))


def sheet_names(source: Source, *, name: str | None = None, lang: str = DEFAULT_LANG) -> list[str]:
    """The sheets of an .xlsx workbook, in order; ``[]`` for a CSV file."""
    data, shown = _load(source, name, lang)
    if _suffix(shown, source) not in SPREADSHEET_SUFFIXES:
        return []
    book, _ = _open_book(data, shown, lang, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def is_question_like(value: Any) -> bool:
    """Whether a cell reads as a question: four words or more, ending in ``?`` or starting
    with a question word (``Hoe``, ``Welke``, ``In hoeverre``, ``What``, ...)."""
    if not isinstance(value, str):
        return False
    words = value.strip().lower().split()
    if len(words) < 4:
        return False
    return value.rstrip().endswith("?") or words[0].strip("(\"'") in _QUESTION_WORDS


def question_rows(rows: Iterable[list[Any]]) -> int:
    """How many rows hold at least one question-like cell."""
    return sum(1 for row in rows if any(is_question_like(v) for v in row))


def choose_sheet(
    source: Source, *, name: str | None = None, lang: str = DEFAULT_LANG
) -> str | None:
    """The sheet with the most question-like rows (the first on a tie, also when none has
    any); ``None`` for a CSV file. A workbook whose questions are on a "Database" sheet
    behind a title sheet gives "Database"."""
    data, shown = _load(source, name, lang)
    if _suffix(shown, source) not in SPREADSHEET_SUFFIXES:
        return None
    book, _ = _open_book(data, shown, lang)
    try:
        return str(_pick(book, shown, lang)[0].title)
    finally:
        book.close()


def detect_header_row(
    rows: list[list[Any]], wanted: Iterable[str] = (), search: int = 30
) -> int | None:
    """The 1-based header row: the first of the first ``search`` rows holding every name in
    ``wanted`` (compared folded); without ``wanted``, the row with the most distinct short
    text cells that has a row with data below it. A title block (one merged value) and an
    explanation row (long sentences) score low. ``None`` when no row fits."""
    from kgraph.model import fold

    def norm(v: Any) -> str:
        return " ".join(fold(str(v)).replace("_", " ").split()) if v is not None else ""

    names = {norm(w) for w in wanted if norm(w)}
    head = rows[:search]
    if names:
        for index, row in enumerate(head):
            if names <= {norm(v) for v in row}:
                return index + 1
        return None
    best, best_score = None, 1
    for index, row in enumerate(head):
        labels = {
            norm(v)
            for v in row
            if isinstance(v, str) and v.strip() and len(v.strip()) <= 60 and not _number(v)
        }
        below = any(any(v not in (None, "") for v in r) for r in rows[index + 1 : index + 4])
        if below and len(labels) > best_score:
            best, best_score = index + 1, len(labels)
    return best


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def _count_cells(data: bytes) -> int:
    """Cells in every worksheet of the workbook, counted in the XML as it streams by."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/") or not member.filename.endswith(
                ".xml"
            ):
                continue
            tail = b""
            with archive.open(member) as handle:
                while chunk := handle.read(1 << 20):
                    block = tail + chunk
                    total += len(_CELL_TAG.findall(block))
                    # keep the last bytes, minus any tag already counted in them
                    cut = block.rfind(b"<")
                    tail = block[cut:] if cut >= len(block) - 32 else b""
                    if tail and _CELL_TAG.match(tail):
                        tail = b""
    return total


def _open_book(
    data: bytes, shown: str, lang: str, *, read_only: bool = False
) -> tuple[Any, list[str]]:
    """The workbook, after the zip and its cell count were checked; the warnings openpyxl
    gave (unsupported extensions, a missing style) become notes instead of stderr lines."""
    from openpyxl import load_workbook

    check_zip(io.BytesIO(data), shown)
    if not read_only:
        try:
            cells = _count_cells(data)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            cells = 0  # not a zip: openpyxl says so below
        if cells > MAX_CELLS:
            raise InputError(
                render("too_many_cells", lang, file=shown, count=cells, limit=MAX_CELLS)
            )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = load_workbook(io.BytesIO(data), data_only=True, read_only=read_only)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputError(render("not_xlsx", lang, file=shown, error=exc)) from exc
    notes = sorted({str(w.message) for w in caught})
    return book, [render("note_workbook", lang, file=shown, what=n) for n in notes]


def _sheet_grid(ws: Any, shown: str, lang: str) -> list[list[Any]]:
    """The sheet's values as a dense grid up to the last cell holding a value (not the
    sheet's declared dimension: one styled cell at XFD1048576 must not make 17 billion)."""
    from openpyxl.utils import get_column_letter

    # openpyxl keeps the cells it read in ``_cells`` ({(row, column): cell}); its public
    # ``max_row``/``max_column`` count empty styled cells too.
    used = [key for key, cell in ws._cells.items() if cell.value not in (None, "")]
    if not used:
        return []
    max_row = max(r for r, _ in used)
    max_col = max(c for _, c in used)
    if max_row * max_col > MAX_GRID:
        far = max(used, key=lambda k: k[0] * k[1])
        raise InputError(
            render(
                "too_far",
                lang,
                where=f"{shown}{render('at_sheet', lang, sheet=ws.title)}",
                cell=f"{get_column_letter(far[1])}{far[0]}",
                count=max_row * max_col,
                limit=MAX_GRID,
            )
        )
    return [
        list(r)
        for r in ws.iter_rows(
            min_row=1, max_row=max_row, min_col=1, max_col=max_col, values_only=True
        )
    ]


def _pick(book: Any, shown: str, lang: str) -> tuple[Any, list[list[Any]]]:
    """The sheet with the most question-like rows and its grid (the first on a tie)."""
    best: tuple[Any, list[list[Any]]] | None = None
    best_count = -1
    for ws in book.worksheets:
        grid = _sheet_grid(ws, shown, lang)
        count = question_rows(grid)
        if count > best_count:
            best, best_count = (ws, grid), count
    if best is None:
        raise InputError(render("not_xlsx", lang, file=shown, error="no sheets"))
    return best


def _xlsx_rows(data: bytes, shown: str, sheet: str | None, lang: str) -> SheetRows:
    book, notes = _open_book(data, shown, lang)
    try:
        if sheet is None:
            ws, rows = _pick(book, shown, lang)
        elif sheet in book.sheetnames:
            ws = book[sheet]
            rows = _sheet_grid(ws, shown, lang)
        else:
            raise InputError(
                render(
                    "no_sheet",
                    lang,
                    file=shown,
                    sheet=repr(sheet),
                    sheets=", ".join(book.sheetnames),
                )
            )
        where = f"{shown}{render('at_sheet', lang, sheet=ws.title)}"
        _check_bounds(rows, where, lang)
        for merged in ws.merged_cells.ranges:
            if merged.min_row > len(rows):
                continue
            value = (
                rows[merged.min_row - 1][merged.min_col - 1]
                if merged.min_col <= len(rows[0])
                else None
            )
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                row = rows[r]
                for c in range(merged.min_col - 1, min(merged.max_col, len(row))):
                    row[c] = value
        _check_text(rows, where, lang)
        return SheetRows(shown, ws.title, rows, notes)
    finally:
        book.close()


def _check_bounds(rows: list[list[Any]], where: str, lang: str = DEFAULT_LANG) -> None:
    from openpyxl.utils import get_column_letter

    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            raise InputError(
                render("too_wide", lang, where=where, row=number, count=len(row), limit=MAX_COLUMNS)
            )
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise InputError(
                    render(
                        "cell_too_long",
                        lang,
                        where=where,
                        row=number,
                        column=get_column_letter(index + 1),
                        limit=MAX_CELL,
                        count=len(value),
                    )
                )


def _check_text(rows: list[list[Any]], where: str, lang: str = DEFAULT_LANG) -> None:
    total = sum(len(v) for row in rows for v in row if isinstance(v, str))
    if total > MAX_TEXT:
        raise InputError(render("too_much_text", lang, where=where, count=total, limit=MAX_TEXT))


def _line(data: bytes | str, offset: int) -> int:
    if isinstance(data, bytes):
        return data[:offset].count(b"\n") + 1
    return data[:offset].count("\n") + 1


def detect_encoding(data: bytes) -> str:
    """The encoding its BOM names (UTF-8, UTF-16, UTF-32), else ``utf-8`` when the bytes
    decode as such, else ``cp1252``."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one that splits the first lines most consistently."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _refuse_nul(shown: str, line: int, lang: str) -> None:
    raise InputError(render("csv_nul", lang, file=shown, line=line))


def _csv_rows(
    data: bytes, shown: str, delimiter: str | None, encoding: str | None, lang: str
) -> SheetRows:
    enc = encoding or detect_encoding(data)
    if not enc.lower().startswith(("utf-16", "utf-32", "utf16", "utf32")) and b"\x00" in data:
        _refuse_nul(shown, _line(data, data.index(b"\x00")), lang)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(
            render(
                "csv_decode",
                lang,
                file=shown,
                line=_line(data, exc.start),
                encoding=enc,
                reason=exc.reason,
                byte=repr(data[exc.start : exc.start + 1]),
            )
        ) from exc
    except LookupError as exc:
        raise InputError(render("csv_encoding", lang, file=shown, encoding=enc, error=exc)) from exc
    if "\x00" in text:
        _refuse_nul(shown, _line(text, text.index("\x00")), lang)
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"
    delim = delimiter or detect_delimiter(text)
    if len(delim) != 1:
        raise InputError(render("csv_delimiter", lang, file=shown, delimiter=repr(delim)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        rows: list[list[Any]] = [list(r) for r in reader]
    except csv.Error as exc:
        line = reader.line_num
        if "field larger" in str(exc):
            raise InputError(
                render("csv_cell_long", lang, file=shown, line=line, limit=MAX_CELL)
            ) from exc
        raise InputError(render("csv_broken", lang, file=shown, line=line, error=exc)) from exc
    _check_bounds(rows, shown, lang)
    _check_text(rows, shown, lang)
    return SheetRows(shown, None, rows)
