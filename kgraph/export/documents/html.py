"""A document as one standalone HTML page: status colours, and a print stylesheet for A4
(page breaks between sections, table headers repeated on every page, the title and "stand
per" moment in every page's header, page numbers in the footer).

Nothing is loaded from elsewhere (a Content-Security-Policy forbids it) and every text is
escaped. The running header uses CSS page-margin boxes (Chromium and WeasyPrint print
them); the first page carries the same header in the page itself, for every browser.
"""

from __future__ import annotations

from kgraph.export.documents import Cell, Document, Table
from kgraph.export.safe import escape_html
from kgraph.export.status_style import OVERDUE, STATUS_FILLS


def _css_text(value: str) -> str:
    """``value`` as a CSS string literal (quotes and backslashes escaped, one line)."""
    flat = " ".join(value.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _styles(document: Document) -> str:
    fills = "".join(
        f".st-{key}{{background:{bg};color:{fg}}}" for key, (bg, fg) in STATUS_FILLS.items()
    )
    overdue_bg, overdue_fg = OVERDUE
    head = _css_text(f"{document.title} — {document.stand_per}")
    page = _css_text(document.labels.get("page", "Page"))
    of = _css_text(document.labels.get("of", "of"))
    return (
        "body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:2em auto;"
        "max-width:78em;padding:0 1.5em;color:#1d1d1d;line-height:1.35}"
        "h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.25em;margin:1.6em 0 .3em;"
        "border-bottom:1px solid #bbb;padding-bottom:.15em}"
        ".stand{font-weight:600;margin:.2em 0 .6em}.line{margin:.15em 0;color:#444}"
        ".intro{color:#444;margin:.2em 0 .6em}"
        "table{border-collapse:collapse;width:100%;margin:.4em 0 1.2em;font-size:.92em}"
        "th,td{border:1px solid #c8c8c8;padding:.25em .45em;text-align:left;"
        "vertical-align:top;overflow-wrap:break-word}"
        "th{background:#efefef;hyphens:auto}td.num{text-align:right}"
        "td.day{white-space:nowrap}tr.total td{font-weight:700}"
        ".st{white-space:normal}" + fills + f".overdue{{background:{overdue_bg};color:{overdue_fg};"
        "font-weight:600}"
        f"@page{{size:A4 landscape;margin:16mm 12mm 14mm 12mm;"
        f"@top-left{{content:{head};font:8pt system-ui,sans-serif;color:#555}}"
        f"@bottom-right{{content:{page} ' ' counter(page) ' ' {of} ' ' counter(pages);"
        "font:8pt system-ui,sans-serif;color:#555}}"
        "@media print{body{margin:0;max-width:none;padding:0;font-size:9pt}"
        "section{break-before:page}section:first-of-type{break-before:auto}"
        "thead{display:table-header-group}tr{break-inside:avoid}"
        "h2{break-after:avoid}th{background:#efefef !important}"
        "td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
    )


def _cell(cell: Cell) -> str:
    classes = []
    if cell.kind == "status":
        classes += ["st", f"st-{escape_html(str(cell.value))}"]
    if cell.kind == "int":
        classes.append("num")
    if cell.kind in ("date", "moment"):
        classes.append("day")
    if cell.flag == "overdue":
        classes.append("overdue")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{escape_html(cell.text)}</td>"


def _table(table: Table) -> str:
    widths = sum(c.width for c in table.columns) or 1
    cols = "".join(f'<col style="width:{100 * c.width / widths:.1f}%">' for c in table.columns)
    head = "".join(f"<th>{escape_html(c.header)}</th>" for c in table.columns)
    rows = []
    for i, row in enumerate(table.rows):
        total = table.total_row and i == len(table.rows) - 1
        rows.append(
            ('<tr class="total">' if total else "<tr>") + "".join(_cell(c) for c in row) + "</tr>"
        )
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def to_html(document: Document) -> str:
    parts = [
        f'<!DOCTYPE html><html lang="{escape_html(document.lang)}"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape_html(document.title)}</title><style>{_styles(document)}</style>",
        "</head><body>",
        f"<header><h1>{escape_html(document.title)}</h1>",
        f'<p class="stand">{escape_html(document.stand_per)}</p>',
        *(f'<p class="line">{escape_html(line)}</p>' for line in document.lines),
        "</header>",
    ]
    for section in document.sections:
        parts.append(f"<section><h2>{escape_html(section.title)}</h2>")
        if section.intro:
            parts.append(f'<p class="intro">{escape_html(section.intro)}</p>')
        if section.table is not None and section.table.rows:
            parts.append(_table(section.table))
        elif section.table is not None:
            parts.append(f"<p>{escape_html(section.table.empty)}</p>")
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
