"""A document as a formatted Excel workbook: a summary sheet with the title and a "Stand
per" cell (a real date-time), then one sheet per section's table, each with column widths,
wrapped text, a bold filled header row that stays in view (frozen) and carries an
autofilter, status cells filled in their colour, overdue deadlines in red, dates as real
date cells (``DD-MM-JJJJ`` in Dutch), numbers as numbers. Every sheet prints on A4 with
the title and "stand per" in its page header.

Text cells are formula-neutralised and OOXML-escaped (``kgraph.export.xlsx.cell_value``).
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kgraph import dates
from kgraph.export.documents import Cell, Document, Table
from kgraph.export.status_style import OVERDUE, fill
from kgraph.export.xlsx import cell_value

HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _day_format(lang: str) -> str:
    return "DD-MM-YYYY" if lang == "nl" else "YYYY-MM-DD"


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", name).strip()[:31] or "Blad"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#").upper())


def _write_cell(sheet: Worksheet, row: int, col: int, cell: Cell, lang: str) -> None:
    target = sheet.cell(row=row, column=col)
    if cell.kind == "date" and cell.value is not None and not isinstance(cell.value, str):
        target.value = cell.value
        target.number_format = _day_format(lang)
    elif cell.kind == "int":
        target.value = int(cell.value)
    elif cell.kind == "moment" and cell.value:
        target.value = dates.local(str(cell.value)).replace(tzinfo=None)
        target.number_format = _day_format(lang) + " HH:MM"
    else:
        target.value = cell_value(cell.text) if cell.text else None
    target.alignment = _WRAP
    if cell.kind == "status":
        background, colour = fill(str(cell.value))
        target.fill = _solid(background)
        target.font = Font(color=colour.lstrip("#").upper())
    if cell.flag == "overdue":
        background, colour = OVERDUE
        target.fill = _solid(background)
        target.font = Font(color=colour.lstrip("#").upper(), bold=True)


def _page_setup(sheet: Worksheet, document: Document) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    # "&" starts a code in Excel's header language: double it in our own words
    sheet.oddHeader.left.text = document.title.replace("&", "&&")
    sheet.oddHeader.right.text = document.stand_per.replace("&", "&&")
    sheet.oddFooter.right.text = "&P / &N"


def _table_sheet(sheet: Worksheet, table: Table, document: Document) -> None:
    for col, column in enumerate(table.columns, start=1):
        head = sheet.cell(row=1, column=col, value=cell_value(column.header))
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="bottom")
        sheet.column_dimensions[get_column_letter(col)].width = max(8, min(column.width, 80))
    for r, row in enumerate(table.rows, start=2):
        for col, cell in enumerate(row, start=1):
            _write_cell(sheet, r, col, cell, document.lang)
        if table.total_row and r == len(table.rows) + 1:
            for col in range(1, len(row) + 1):
                current = sheet.cell(row=r, column=col)
                current.font = Font(bold=True, color=current.font.color)
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    _page_setup(sheet, document)


def to_xlsx(document: Document) -> bytes:
    book = Workbook()
    summary = book.active
    taken: set[str] = set()
    summary.title = _sheet_name(document.labels.get("summary_sheet", "Samenvatting"), taken)
    summary["A1"] = cell_value(document.title)
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = document.labels.get("stand_per", "Stand per")
    summary["A2"].font = Font(bold=True)
    summary["B2"] = dates.local(document.moment).replace(tzinfo=None)
    summary["B2"].number_format = _day_format(document.lang) + " HH:MM"
    summary["B2"].alignment = Alignment(horizontal="left")
    row = 3
    for line in document.lines:
        summary.cell(row=row, column=1, value=cell_value(line))
        row += 1
    row += 1
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 22
    contents_header = summary.cell(row=row, column=1, value=document.labels.get("contents", ""))
    contents_header.font = Font(bold=True)
    for section in document.sections:
        row += 1
        table = section.table
        if table is None:
            continue
        name = _sheet_name(table.sheet, taken)
        summary.cell(row=row, column=1, value=cell_value(section.title))
        summary.cell(row=row, column=2, value=len(table.rows) - (1 if table.total_row else 0))
        sheet: Any = book.create_sheet(name)
        _table_sheet(sheet, table, document)
        if not table.rows and table.empty:
            sheet.cell(row=2, column=1, value=cell_value(table.empty))
    _page_setup(summary, document)
    summary.print_title_rows = None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
