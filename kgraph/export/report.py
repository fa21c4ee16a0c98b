"""The steering group's handover report: where every item handed over lands, with what
status, decided when and by whom.

A projection of ``kgraph.analysis.handover_coverage``, which does all the counting:
``handover_report(store, fmt)`` gives the report as Markdown, HTML or XLSX bytes: a summary
table first (per kind of item: how many are accepted, in discussion, proposed, declined or
not landed at all; an item with several landing places counts under its furthest status,
accepted > in discussion > proposed > declined), then one section per landing place, one
per CoP (the CoP's own handover and that of each item that belongs to it), and the list of
items that have no landing place. Its words come from the text catalogue (``kgraph.texts``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from kgraph.analysis._graph import Source
from kgraph.analysis.handover import NO_LANDING, STATUS_RANK, HandoverCoverage, handover_coverage
from kgraph.export.markdown import escape_markdown
from kgraph.export.safe import escape_html
from kgraph.export.xlsx import cell_value
from kgraph.texts import LANGUAGES, kind_label, status_label, text

FORMATS = ("md", "html", "xlsx")

Row = Mapping[str, Any]


@dataclass
class Section:
    """One landing place or CoP (``node``: its coverage row), what it is part of, its rows."""

    node: Row
    parents: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


@dataclass
class HandoverData:
    """Everything the report shows, grouped, independent of the output format."""

    summary: dict[str, dict[str, int]]
    places: list[Section]
    cops: list[Section]
    unlanded: list[dict[str, Any]]


def _order(rows: Iterable[Row]) -> list[Row]:
    rank = {s: i for i, s in enumerate(STATUS_RANK)}
    return sorted(rows, key=lambda r: (rank.get(r["handover"], 9), str(r["title"]).casefold()))


def collect(source: Source | HandoverCoverage) -> HandoverData:
    """The report's sections from the handover of ``source`` (a store, a subgraph or an
    already computed ``HandoverCoverage``)."""
    coverage = source if isinstance(source, HandoverCoverage) else handover_coverage(source)
    by_id = {p["id"]: p for p in coverage.places}
    per_place = coverage.by_place()
    places = [
        Section(p, [by_id[w] for w in p["part_of"] if w in by_id], _order(per_place[p["id"]]))
        for p in sorted(coverage.places, key=lambda p: str(p["title"]).casefold())
    ]
    per_cop = coverage.by_cop()
    cops = [
        Section(c, [], _order(per_cop[c["id"]]))
        for c in sorted(coverage.cops, key=lambda c: str(c["title"]).casefold())
    ]
    return HandoverData(coverage.summary, places, cops, coverage.no_landing)


def _t(key: str, lang: str) -> str:
    return text(f"hreport_{key}", lang)


def _status(status: str, lang: str) -> str:
    return _t("not_landed", lang) if status == NO_LANDING else status_label(status, lang)


def _summary_rows(data: HandoverData, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [
        _t("kind", lang),
        *(_status(s, lang) for s in STATUS_RANK),
        _t("not_landed", lang),
        _t("total", lang),
    ]
    rows = []
    for kind, counts in data.summary.items():
        rows.append(
            [kind_label(kind, lang), *(str(counts[s]) for s in (*STATUS_RANK, NO_LANDING, "total"))]
        )
    return header, rows


def _row_cells(row: Row, lang: str, cop: Row | None = None) -> list[str]:
    itself = cop is not None and row["id"] == cop["id"]
    return [
        _t("cop_itself", lang) if itself else str(row["title"]),
        kind_label(row["kind"], lang),
        str(row["place_title"] or ""),
        _status(row["handover"], lang),
        str(row["decided_on"] or ""),
        str(row["decided_by"] or ""),
        str(row["note"] or ""),
    ]


def _row_header(lang: str) -> list[str]:
    return [
        _t(k, lang) for k in ("item", "kind", "place", "status", "decided_on", "decided_by", "note")
    ]


def _parents(section: Section) -> str:
    return ", ".join(str(p["title"]) for p in section.parents)


# --- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    return escape_markdown(text)  # one line, no markup, no autolinks


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines + [""]


def to_markdown(data: HandoverData, lang: str = "nl") -> str:
    lines = [f"# {_t('title', lang)}", "", f"## {_t('summary', lang)}", ""]
    lines += _md_table(*_summary_rows(data, lang))
    lines += [f"## {_t('by_place', lang)}", ""]
    for section in data.places:
        heading = _md(str(section.node["title"]))
        if section.parents:
            heading += f" ({_t('part_of', lang)} {_md(_parents(section))})"
        lines += [f"### {heading}", ""]
        rows = [_row_cells(r, lang) for r in section.rows]
        lines += _md_table(_row_header(lang), rows) if rows else [_t("nothing", lang), ""]
    lines += [f"## {_t('by_cop', lang)}", ""]
    for section in data.cops:
        lines += [f"### {_md(str(section.node['title']))}", ""]
        rows = [_row_cells(r, lang, section.node) for r in section.rows]
        lines += _md_table(_row_header(lang), rows) if rows else [_t("nothing", lang), ""]
    lines += [f"## {_t('unlanded', lang)}", ""]
    if data.unlanded:
        lines += [
            f"- {_md(n['title'])} ({_md(kind_label(n['kind'], lang))})" for n in data.unlanded
        ]
    else:
        lines.append(_t("nothing", lang))
    return "\n".join(lines) + "\n"


# --- HTML ---------------------------------------------------------------------------------

_HTML_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:75em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}.accepted{color:#00734f}.declined{color:#a33}"
)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape_html(h)}</th>" for h in header)
    body = ["<tr>" + "".join(f"<td>{escape_html(c)}</td>" for c in row) + "</tr>" for row in rows]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(data: HandoverData, lang: str = "nl") -> str:
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape_html(_t('title', lang))}</title><style>{_HTML_CSS}</style></head><body>",
        f"<h1>{escape_html(_t('title', lang))}</h1><h2>{escape_html(_t('summary', lang))}</h2>",
        _html_table(*_summary_rows(data, lang)),
        f"<h2>{escape_html(_t('by_place', lang))}</h2>",
    ]
    for section in data.places:
        heading = escape_html(str(section.node["title"]))
        if section.parents:
            heading += (
                f" <small>({escape_html(_t('part_of', lang))} "
                f"{escape_html(_parents(section))})</small>"
            )
        parts.append(f"<h3>{heading}</h3>")
        rows = [_row_cells(r, lang) for r in section.rows]
        parts.append(
            _html_table(_row_header(lang), rows)
            if rows
            else f"<p>{escape_html(_t('nothing', lang))}</p>"
        )
    parts.append(f"<h2>{escape_html(_t('by_cop', lang))}</h2>")
    for section in data.cops:
        parts.append(f"<h3>{escape_html(str(section.node['title']))}</h3>")
        rows = [_row_cells(r, lang, section.node) for r in section.rows]
        parts.append(
            _html_table(_row_header(lang), rows)
            if rows
            else f"<p>{escape_html(_t('nothing', lang))}</p>"
        )
    parts.append(f"<h2>{escape_html(_t('unlanded', lang))}</h2>")
    if data.unlanded:
        items = "".join(
            f"<li>{escape_html(n['title'])} ({escape_html(kind_label(n['kind'], lang))})</li>"
            for n in data.unlanded
        )
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append(f"<p>{escape_html(_t('nothing', lang))}</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- XLSX ---------------------------------------------------------------------------------


def to_xlsx(data: HandoverData, lang: str = "nl") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _t("summary", lang)[:31]
    header, summary = _summary_rows(data, lang)
    _sheet_table(sheet, header, [[r[0], *(int(c) for c in r[1:])] for r in summary])
    places = book.create_sheet(_t("by_place", lang)[:31])
    header = [_t("place", lang) + " (" + _t("part_of", lang) + ")", *_row_header(lang)]
    rows = []
    for section in data.places:
        parent = f" ({_parents(section)})" if section.parents else ""
        rows += [[str(section.node["title"]) + parent, *_row_cells(r, lang)] for r in section.rows]
    _sheet_table(places, header, rows)
    cops = book.create_sheet("CoP")
    rows = []
    for section in data.cops:
        rows += [
            [str(section.node["title"]), *_row_cells(r, lang, section.node)] for r in section.rows
        ]
    _sheet_table(cops, ["CoP", *_row_header(lang)], rows)
    unlanded = book.create_sheet(_t("unlanded", lang)[:31])
    _sheet_table(
        unlanded,
        [_t("item", lang), _t("kind", lang)],
        [[n["title"], kind_label(n["kind"], lang)] for n in data.unlanded],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_table(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_value(c) if isinstance(c, str) else c for c in row])
    sheet.freeze_panes = "A2"


def handover_report(source: Source | HandoverCoverage, fmt: str, *, lang: str = "nl") -> bytes:
    """The report of ``source`` (a store, a subgraph or a computed ``HandoverCoverage``) as
    bytes in ``fmt`` (``md``, ``html`` or ``xlsx``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use md, html or xlsx")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    data = collect(source)
    if fmt == "md":
        return to_markdown(data, lang).encode("utf-8")
    if fmt == "html":
        return to_html(data, lang).encode("utf-8")
    return to_xlsx(data, lang)
