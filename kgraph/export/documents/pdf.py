"""A document as PDF, made with fpdf2 (pure Python: installs with pip alone, no system
libraries, no browser): A4, the title and "stand per" moment in every page's header, page
numbers in the footer, each section on a new page, tables whose header row repeats on every
page, statuses filled in their colour, overdue deadlines in red. Table rows are laid out
here (text wrapped once per cell with the font's character widths, then drawn): fpdf2's
own table measured every line again at every character, eight times slower at scale M.

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
from fpdf.enums import XPos, YPos

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
        self.alias_nb_pages("{total_pages}")  # wide enough for thousands of pages

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
        self.cell(0, 4, f"{page} {self.page_no()} {of} {{total_pages}}", align="R")


Colour = tuple[int, int, int]
_PAD = 1.2  # mm inside a cell
_LEADING = 1.3  # line height as a multiple of the font size
_BORDER = (200, 200, 200)


def _colours(cell: Cell) -> tuple[Colour | None, Colour, bool]:
    """(fill, text colour, bold) of a cell."""
    if cell.flag == "overdue":
        background, colour = OVERDUE
        return _rgb(background), _rgb(colour), True
    if cell.kind == "status":
        background, colour = fill(str(cell.value))
        return _rgb(background), _rgb(colour), False
    return None, (0, 0, 0), False


def _wrap(text: str, width: float, cw: Any, scale: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (mm) at word boundaries (a word
    wider than the cell is cut), measured with the font's own character widths: one pass
    per cell instead of fpdf2's measuring of every line again at every character."""
    space = cw[32] * scale
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_w = "", 0.0
        for word in paragraph.split(" "):
            w = sum(cw[ord(ch)] for ch in word) * scale
            while w > width and word:
                cut, cut_w = "", 0.0
                for ch in word:
                    ch_w = cw[ord(ch)] * scale
                    if cut and cut_w + ch_w > width:
                        break
                    cut, cut_w = cut + ch, cut_w + ch_w
                if line:
                    lines.append(line)
                    line, line_w = "", 0.0
                lines.append(cut)
                word = word[len(cut) :]
                w = sum(cw[ord(ch)] for ch in word) * scale
            if not word:
                continue
            if line and line_w + space + w > width:
                lines.append(line)
                line, line_w = "", 0.0
            line, line_w = (f"{line} {word}", line_w + space + w) if line else (word, w)
        lines.append(line)
    return lines or [""]


def _row(
    pdf: _Pdf,
    widths: list[float],
    texts: list[str],
    styles: list[tuple[Colour | None, Colour, bool]],
    right: list[bool],
    header: tuple[list[str], list[float]] | None,
) -> None:
    """One table row at the current position, on a new page (with the header row again)
    when it does not fit."""
    size = pdf.font_size
    line_h = size * _LEADING
    wrapped = []
    for text, width, (_, _, bold) in zip(texts, widths, styles, strict=True):
        pdf.set_font(FONT, "B" if bold else "", pdf.font_size_pt)
        cw = pdf.current_font.cw  # type: ignore[union-attr]
        wrapped.append(_wrap(text, width - 2 * _PAD, cw, size / 1000))
    room = pdf.page_break_trigger - pdf.t_margin - 2 * line_h
    most = max(1, int(room / line_h))
    wrapped = [lines if len(lines) <= most else [*lines[: most - 1], lines[most - 1] + "…"]
               for lines in wrapped]  # fmt: skip
    height = max(len(lines) for lines in wrapped) * line_h + 2 * _PAD
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        if header is not None:
            _header_row(pdf, *header)
    y, x = pdf.get_y(), pdf.l_margin
    pdf.set_draw_color(*_BORDER)
    for lines, width, (background, colour, bold), align in zip(
        wrapped, widths, styles, right, strict=True
    ):
        if background is not None:
            pdf.set_fill_color(*background)
            pdf.rect(x, y, width, height, style="DF")
        else:
            pdf.rect(x, y, width, height, style="D")
        pdf.set_font(FONT, "B" if bold else "", pdf.font_size_pt)
        pdf.set_text_color(*colour)
        for i, line in enumerate(lines):
            left = x + _PAD
            if align and line:
                left = x + width - _PAD - pdf.get_string_width(line)
            pdf.text(left, y + _PAD + size * 0.82 + i * line_h, line)
        x += width
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + height)


def _header_row(pdf: _Pdf, headers: list[str], widths: list[float]) -> None:
    grey = (_HEADER_FILL, (0, 0, 0), True)
    _row(pdf, widths, headers, [grey] * len(headers), [False] * len(headers), None)


def _plain(text: str) -> str:
    """A cell's text as the page prints it: line breaks kept, tabs and other control
    characters as spaces, cut at ``CELL_CHARS``."""
    flat = "".join(
        "\n" if ch in "\r\n" else (" " if ord(ch) < 32 or ch in "\u2028\u2029" else ch)
        for ch in text.replace("\r\n", "\n")
    )
    return flat if len(flat) <= CELL_CHARS else flat[:CELL_CHARS] + "…"


def _table(pdf: _Pdf, table: Table) -> None:
    hints = [max(c.width, 4) for c in table.columns]
    widths = [pdf.epw * h / sum(hints) for h in hints]
    headers = [c.header for c in table.columns]
    right = [c.kind == "int" for c in table.columns]
    pdf.set_font(FONT, "", _SIZE)
    _header_row(pdf, headers, widths)
    for i, row in enumerate(table.rows):
        total = table.total_row and i == len(table.rows) - 1
        styles = []
        for cell in row:
            background, colour, bold = _colours(cell)
            styles.append((background, colour, bold or total))
        texts = [_plain(c.text) for c in row]
        _row(pdf, widths, texts, styles, right, (headers, widths))


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
