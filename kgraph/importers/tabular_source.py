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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.errors import InputError
from kgraph.export.ziplimits import check_zip

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
#: the longest cell (csv's own field limit; Excel holds at most 32,767 characters)
MAX_CELL = 131_072
#: the widest row, as in Excel
MAX_COLUMNS = 16_384
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass
class SheetRows:
    """All rows of one sheet; ``rows[i]`` is spreadsheet row ``i + 1``."""

    file: str
    sheet: str | None
    rows: list[list[Any]]


def read_rows(
    source: str | Path,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> SheetRows:
    """The rows of ``source`` (an .xlsx or .csv file); ``InputError`` naming the file."""
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _xlsx_rows(path, sheet)
    if suffix in CSV_SUFFIXES:
        if sheet:
            raise InputError(f"{path.name}: --sheet applies to .xlsx files only")
        return _csv_rows(path, delimiter, encoding)
    raise InputError(f"{path.name}: unknown table format; use .xlsx or .csv")


def _xlsx_rows(path: Path, sheet: str | None) -> SheetRows:
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        check_zip(handle, path.name)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(f"{path.name}: cannot be read as an .xlsx workbook: {exc}") from exc
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise InputError(
                f"{path.name}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        _check_bounds(rows, f"{path.name}, sheet {ws.title}")
        for merged in ws.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                row = rows[r]
                for c in range(merged.min_col - 1, min(merged.max_col, len(row))):
                    row[c] = value
        return SheetRows(path.name, ws.title, rows)
    finally:
        book.close()


def _check_bounds(rows: list[list[Any]], where: str) -> None:
    from openpyxl.utils import get_column_letter

    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS and any(v not in (None, "") for v in row[MAX_COLUMNS:]):
            raise InputError(
                f"{where}, row {number}: {len(row):,} columns; at most {MAX_COLUMNS} (as in Excel)"
            )
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise InputError(
                    f"{where}, row {number}, column {get_column_letter(index + 1)}: the cell is longer "
                    f"than {MAX_CELL:,} characters ({len(value):,})"
                )


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


def _refuse_nul(path: Path, line: int) -> None:
    raise InputError(
        f"{path.name}, line {line}: NUL bytes: this is binary data or UTF-16 without a "
        "byte order mark; save it as CSV UTF-8"
    )


def _csv_rows(path: Path, delimiter: str | None, encoding: str | None) -> SheetRows:
    data = path.read_bytes()
    enc = encoding or detect_encoding(data)
    if not enc.lower().startswith(("utf-16", "utf-32", "utf16", "utf32")) and b"\x00" in data:
        _refuse_nul(path, _line(data, data.index(b"\x00")))
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name}, line {_line(data, exc.start)}: cannot be read as {enc}: {exc.reason} "
            f"(byte {data[exc.start : exc.start + 1]!r}); give --encoding"
        ) from exc
    except LookupError as exc:
        raise InputError(f"{path.name}: cannot be read as {enc}: {exc}") from exc
    if "\x00" in text:
        _refuse_nul(path, _line(text, text.index("\x00")))
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"
    delim = delimiter or detect_delimiter(text)
    if len(delim) != 1:
        raise InputError(f"{path.name}: the delimiter must be one character, not {delim!r}")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        rows: list[list[Any]] = [list(r) for r in reader]
    except csv.Error as exc:
        line = reader.line_num
        why = (
            f"a cell is longer than {MAX_CELL:,} characters"
            if "field larger" in str(exc)
            else f"{exc} (a quote that is not closed?)"
        )
        raise InputError(f"{path.name}, line {line}: {why}") from exc
    _check_bounds(rows, path.name)
    return SheetRows(path.name, None, rows)
