"""A document as PDF, made with fpdf2 (pure Python: installs with pip alone, no system
libraries, no browser): A4, the title and "stand per" moment in every page's header, page
numbers in the footer, each section on a new page, tables whose header row repeats on every
page, statuses filled in their colour, overdue deadlines in red.

The text is set in DejaVu Sans Condensed, shipped beside this module (Bitstream Vera
licence, see ``fonts/LICENSE-DejaVu.txt``): it holds Latin, Greek and Cyrillic letters and
the punctuation titles use; fpdf2 embeds only the letters a document uses. A character the
font lacks (Chinese, emoji) is drawn with the font's replacement box rather than breaking
the document. A cell longer than ``CELL_CHARS`` is cut there with "…" (a table row
must fit on one page); the other formats carry the whole text.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from kgraph.export.documents import Cell, Document, Table
from kgraph.export.status_style import OVERDUE, fill

FONT = "DejaVuSansCondensed"
#: the most characters of one cell a page shows (a row must fit on one page); the html,
#: xlsx and md carry the whole text
CELL_CHARS = 1200
_SIZE = 8.5
_HEADER_FILL = (230, 230, 230)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.document = document
        self.set_margins(12, 16, 12)
        self.set_auto_page_break(True, margin=14)
        fonts = resources.files("kgraph.export.documents").joinpath("fonts")
        with resources.as_file(fonts / f"{FONT}.ttf") as regular:
            self.add_font(FONT, "", str(regular))
        with resources.as_file(fonts / f"{FONT}-Bold.ttf") as bold:
            self.add_font(FONT, "B", str(bold))
        self.set_title(document.title)
        self.set_creator("kgraph")
        self.set_lang(document.lang)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.set_y(7)
        self.cell(0, 4, self.document.title, new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(0, 4, self.document.stand_per, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, 12, self.w - self.r_margin, 12)
        self.set_y(16)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90, 90, 90)
        page = self.document.labels.get("page", "Page")
        of = self.document.labels.get("of", "of")
        self.cell(0, 4, f"{page} {self.page_no()} {of} {{nb}}", align="R")


def _style(cell: Cell, bold: bool) -> FontFace | None:
    emphasis = "B" if bold else ""
    if cell.flag == "overdue":
        background, colour = OVERDUE
        return FontFace(emphasis="B", color=_rgb(colour), fill_color=_rgb(background))
    if cell.kind == "status":
        background, colour = fill(str(cell.value))
        return FontFace(emphasis=emphasis, color=_rgb(colour), fill_color=_rgb(background))
    return FontFace(emphasis=emphasis) if bold else None


def _table(pdf: _Pdf, table: Table) -> None:
    widths = [max(c.width, 4) for c in table.columns]
    with pdf.table(
        col_widths=widths,
        text_align=["RIGHT" if c.kind == "int" else "LEFT" for c in table.columns],
        line_height=pdf.font_size * 1.35,
        headings_style=FontFace(emphasis="B", fill_color=_HEADER_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
        repeat_headings=1,
        padding=(0.8, 1.2, 0.8, 1.2),
        v_align="TOP",
    ) as grid:
        head = grid.row()
        for column in table.columns:
            head.cell(column.header)
        for i, row in enumerate(table.rows):
            bold = table.total_row and i == len(table.rows) - 1
            line: Any = grid.row()
            for cell in row:
                shown = cell.text if len(cell.text) <= CELL_CHARS else cell.text[:CELL_CHARS] + "…"
                line.cell(shown, style=_style(cell, bold))


def to_pdf(document: Document) -> bytes:
    pdf = _Pdf(document)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, document.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, document.stand_per, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for line in document.lines:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for index, section in enumerate(document.sections):
        if index:
            pdf.add_page()
        else:
            pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, section.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if section.intro:
            pdf.set_font(FONT, "", 8.5)
            pdf.set_text_color(70, 70, 70)
            pdf.multi_cell(0, 4.5, section.intro, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
        pdf.ln(1.5)
        pdf.set_font(FONT, "", _SIZE)
        if section.table is not None and section.table.rows:
            _table(pdf, section.table)
        elif section.table is not None:
            pdf.multi_cell(0, 5, section.table.empty, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
