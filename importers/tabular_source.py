"""Reading the rows of a spreadsheet or CSV file as the spreadsheet program shows them.

XLSX: formulas give their last computed value; a merged range gives its value to every cell
it covers. CSV: the encoding (UTF-8, UTF-8 with BOM, else cp1252) and the delimiter
(``;``, ``,`` or tab) are detected unless given. Row numbers are 1-based, as shown.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.errors import InputError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


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
        for merged in ws.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                row = rows[r]
                for c in range(merged.min_col - 1, min(merged.max_col, len(row))):
                    row[c] = value
        return SheetRows(path.name, ws.title, rows)
    finally:
        book.close()


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the bytes decode as such, else ``cp1252``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
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


def _csv_rows(path: Path, delimiter: str | None, encoding: str | None) -> SheetRows:
    data = path.read_bytes()
    enc = encoding or detect_encoding(data)
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{path.name}: cannot be read as {enc}: {exc}") from exc
    if delimiter in ("\\t", "tab"):
        delimiter = "\t"
    delim = delimiter or detect_delimiter(text)
    if len(delim) != 1:
        raise InputError(f"{path.name}: the delimiter must be one character, not {delim!r}")
    rows: list[list[Any]] = [
        list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    ]
    return SheetRows(path.name, None, rows)
