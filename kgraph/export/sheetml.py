"""A small, fast writer of .xlsx workbooks (SpreadsheetML in a zip), for kgraph's exports.

Why not openpyxl: it builds a Python object per cell; a whole graph at 12,500 nodes and
47,500 edges (~900,000 cells) took 13 s of CPU with it, and ~1 s written here, straight to
XML text (``BENCHMARKS.md``). What kgraph's workbooks need and no more: text cells (inline
strings), a bold header, frozen header rows, a filter on the header, column widths and a
hidden row. The reader side stays openpyxl's (read-only mode).

Cell text is written as given except what XML cannot hold: ``& < >`` are escaped, and the
caller has already put characters XML 1.0 refuses in OOXML's ``_xHHHH_`` form.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

#: the most characters Excel keeps in a cell (UTF-16 code units)
MAX_CELL = 32_767

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(index: int) -> str:
    """``1`` -> ``A``, ``27`` -> ``AA``."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


@dataclass
class Sheet:
    """One worksheet: ``rows`` of text cells (``None``/``""``: empty), the first
    ``header_rows`` of them bold and frozen, ``hidden_rows`` (1-based) hidden, a filter on
    row ``filter_row`` (0: none), and column ``widths`` in characters."""

    name: str
    rows: Iterable[Sequence[str | None]]
    header_rows: int = 1
    hidden_rows: frozenset[int] = field(default_factory=frozenset)
    filter_row: int = 0
    widths: Sequence[float] = ()

    def xml_parts(self) -> tuple[list[str], int, int]:
        """The sheet's XML (as pieces), its number of rows and of columns."""
        body: list[str] = []
        columns = 0
        number = 0
        for number, row in enumerate(self.rows, start=1):
            style = ' s="1"' if number <= self.header_rows else ""
            hidden = ' hidden="1"' if number in self.hidden_rows else ""
            cells = []
            for index, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                ref = f"{column_letter(index)}{number}"
                cells.append(
                    f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">'
                    f"{_xml(value)}</t></is></c>"
                )
            columns = max(columns, len(row))
            body.append(f'<row r="{number}"{hidden}>{"".join(cells)}</row>')
        head = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
        ]
        if self.header_rows:
            top = f"A{self.header_rows + 1}"
            head.append(
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="'
                f'{self.header_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                'state="frozen"/></sheetView></sheetViews>'
            )
        if self.widths:
            head.append("<cols>")
            for index, width in enumerate(self.widths, start=1):
                head.append(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
            head.append("</cols>")
        tail = ["</sheetData>"]
        if self.filter_row and columns and number >= self.filter_row:
            tail.append(f'<autoFilter ref="{self.filter_range(number, columns)}"/>')
        tail.append("</worksheet>")
        return [*head, "<sheetData>", *body, *tail], number, columns

    def filter_range(self, rows: int, columns: int) -> str:
        return f"A{self.filter_row}:{column_letter(columns)}{max(rows, self.filter_row)}"


def write_workbook(sheets: Sequence[Sheet], handle: IO[bytes], *, compresslevel: int = 1) -> None:
    """Write ``sheets`` as one .xlsx workbook to the binary file ``handle``."""
    with zipfile.ZipFile(
        handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
            ),
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        entries, rels, names = [], [], []
        for n, sheet in enumerate(sheets, start=1):
            parts, rows, columns = sheet.xml_parts()
            archive.writestr(f"xl/worksheets/sheet{n}.xml", "".join(parts))
            entries.append(f'<sheet name="{_xml(sheet.name)}" sheetId="{n}" r:id="rId{n}"/>')
            rels.append(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
            )
            if sheet.filter_row and columns and rows >= sheet.filter_row:
                where = _absolute(sheet.filter_range(rows, columns))
                names.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" '
                    f'hidden="1">{_xml(_quoted_sheet(sheet.name))}!{where}</definedName>'
                )
        rels.append(
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{"".join(entries)}</sheets>'
            f"{defined}</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>",
        )


def _absolute(ref: str) -> str:
    """``A2:M10`` -> ``$A$2:$M$10``."""
    out = []
    for part in ref.replace("$", "").split(":"):
        letters = "".join(ch for ch in part if ch.isalpha())
        digits = part[len(letters) :]
        out.append(f"${letters}${digits}")
    return ":".join(out)
