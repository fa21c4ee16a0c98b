"""The steering group's handover report: where every complex question, CoP and showcase
lands, with what status, decided when and by whom.

``handover_report(store, fmt)`` gives the report as Markdown, HTML or XLSX bytes: a summary
table first (per kind of item: how many are accepted, in discussion, proposed, declined or
not landed at all; an item with several landing places counts under its furthest status,
accepted > in discussion > proposed > declined), then one section per landing place, one
per CoP (the CoP's own handover and that of each complex question raised in it or fed by
its knowledge questions), and the list of items that have no landing place.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from kgraph.export.markdown import escape_markdown
from kgraph.export.safe import escape_html
from kgraph.export.xlsx import cell_value
from kgraph.model import NODE_LABELS, STATUS_LABELS, Edge, Node
from kgraph.store.base import GraphStore

FORMATS = ("md", "html", "xlsx")
ITEM_KINDS = ("complex_question", "cop", "showcase")
#: furthest first: the status an item with several landing places is counted under
STATUS_RANK = ("accepted", "in_discussion", "proposed", "declined")

_TEXT = {
    "nl": {
        "title": "Overdrachtsrapportage",
        "summary": "Samenvatting",
        "kind": "Soort",
        "total": "Totaal",
        "not_landed": "niet geland",
        "by_place": "Per landingsplaats",
        "by_cop": "Per community of practice",
        "unlanded": "Nog niet geland",
        "item": "Onderdeel",
        "place": "Landingsplaats",
        "status": "Status",
        "decided_on": "Besloten op",
        "decided_by": "Besloten door",
        "note": "Toelichting",
        "part_of": "onderdeel van",
        "nothing": "Geen.",
        "cop_itself": "(de CoP zelf)",
    },
    "en": {
        "title": "Handover report",
        "summary": "Summary",
        "kind": "Kind",
        "total": "Total",
        "not_landed": "not landed",
        "by_place": "Per landing place",
        "by_cop": "Per community of practice",
        "unlanded": "Not landed yet",
        "item": "Item",
        "place": "Landing place",
        "status": "Status",
        "decided_on": "Decided on",
        "decided_by": "Decided by",
        "note": "Note",
        "part_of": "part of",
        "nothing": "None.",
        "cop_itself": "(the CoP itself)",
    },
}


@dataclass(frozen=True)
class Row:
    """One handover: an item, where it lands and the decision (empty place: not landed)."""

    item: Node
    place: Node | None
    status: str | None
    decided_on: str
    decided_by: str
    note: str


@dataclass
class Section:
    node: Node
    parent: Node | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class HandoverData:
    """Everything the report shows, independent of the output format."""

    summary: dict[str, dict[str, int]]
    places: list[Section]
    cops: list[Section]
    unlanded: list[Node]


def _row(item: Node, edge: Edge | None, place: Node | None) -> Row:
    props = edge.props if edge is not None else {}
    return Row(
        item=item,
        place=place,
        status=edge.status if edge is not None else None,
        decided_on=str(props.get("decided_on") or ""),
        decided_by=str(props.get("decided_by") or ""),
        note=str(props.get("note") or ""),
    )


def _order(rows: Iterable[Row]) -> list[Row]:
    rank = {s: i for i, s in enumerate(STATUS_RANK)}
    return sorted(rows, key=lambda r: (rank.get(r.status or "", 9), r.item.title.casefold()))


def collect(store: GraphStore) -> HandoverData:
    """Read the handover from ``store`` (landing places, items, LANDS_IN, RAISED_IN, FEEDS)."""
    nodes = {n.id: n for n in store.nodes(["landing_place", "knowledge_question", *ITEM_KINDS])}
    lands = [e for e in store.edges(["LANDS_IN"]) if e.src in nodes and e.dst in nodes]
    parents = {e.src: nodes.get(e.dst) for e in store.edges(["PART_OF"])}
    by_item: dict[str, list[Edge]] = {}
    for edge in lands:
        by_item.setdefault(edge.src, []).append(edge)
    places = []
    for place in sorted(
        (n for n in nodes.values() if n.kind == "landing_place"), key=lambda n: n.title.casefold()
    ):
        rows = [_row(nodes[e.src], e, place) for e in lands if e.dst == place.id]
        places.append(Section(place, parents.get(place.id), _order(rows)))
    raised: dict[str, set[str]] = {}
    feeds: dict[str, set[str]] = {}
    for edge in store.edges(["RAISED_IN", "FEEDS"]):
        (raised if edge.kind == "RAISED_IN" else feeds).setdefault(edge.src, set()).add(edge.dst)
    cops = []
    for cop in sorted(
        (n for n in nodes.values() if n.kind == "cop"), key=lambda n: n.title.casefold()
    ):
        questions = {q for q, where in raised.items() if cop.id in where}
        complex_ids = {q for q in questions if nodes.get(q) and nodes[q].kind == "complex_question"}
        for question in questions:
            complex_ids |= {c for c in feeds.get(question, set()) if c in nodes}
        rows = [_row(cop, e, nodes[e.dst]) for e in by_item.get(cop.id, [])]
        for cq in complex_ids:
            edges = by_item.get(cq, [])
            rows += [_row(nodes[cq], e, nodes[e.dst]) for e in edges] or [
                _row(nodes[cq], None, None)
            ]
        cops.append(Section(cop, None, _order(rows)))
    items = [n for n in nodes.values() if n.kind in ITEM_KINDS]
    unlanded = sorted(
        (n for n in items if n.id not in by_item), key=lambda n: (n.kind, n.title.casefold())
    )
    summary: dict[str, dict[str, int]] = {}
    for kind in ITEM_KINDS:
        counts = {s: 0 for s in (*STATUS_RANK, "not_landed")}
        for item in (n for n in items if n.kind == kind):
            statuses = {e.status for e in by_item.get(item.id, [])}
            best = next((s for s in STATUS_RANK if s in statuses), "not_landed")
            counts[best] += 1
        counts["total"] = sum(counts.values())
        summary[kind] = counts
    return HandoverData(summary, places, cops, unlanded)


def _status(status: str | None, lang: str) -> str:
    if status is None:
        return _TEXT[lang]["not_landed"]
    return STATUS_LABELS.get(status, {}).get(lang, status)


def _kind(kind: str, lang: str) -> str:
    return NODE_LABELS.get(kind, {}).get(lang, kind)


def _summary_rows(data: HandoverData, lang: str) -> tuple[list[str], list[list[str]]]:
    t = _TEXT[lang]
    header = [t["kind"], *(_status(s, lang) for s in STATUS_RANK), t["not_landed"], t["total"]]
    rows = []
    for kind, counts in data.summary.items():
        rows.append(
            [_kind(kind, lang), *(str(counts[s]) for s in (*STATUS_RANK, "not_landed", "total"))]
        )
    return header, rows


def _row_cells(row: Row, lang: str, cop: Node | None = None) -> list[str]:
    item = row.item.title if cop is None or row.item.id != cop.id else _TEXT[lang]["cop_itself"]
    return [
        item,
        _kind(row.item.kind, lang),
        row.place.title if row.place else "",
        _status(row.status, lang),
        row.decided_on,
        row.decided_by,
        row.note,
    ]


def _row_header(lang: str) -> list[str]:
    t = _TEXT[lang]
    return [
        t["item"],
        t["kind"],
        t["place"],
        t["status"],
        t["decided_on"],
        t["decided_by"],
        t["note"],
    ]


# --- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    return escape_markdown(text)  # one line, no markup, no autolinks


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines + [""]


def to_markdown(data: HandoverData, lang: str = "nl") -> str:
    t = _TEXT[lang]
    lines = [f"# {t['title']}", "", f"## {t['summary']}", ""]
    lines += _md_table(*_summary_rows(data, lang))
    lines += [f"## {t['by_place']}", ""]
    for section in data.places:
        heading = _md(section.node.title)
        if section.parent is not None:
            heading += f" ({t['part_of']} {_md(section.parent.title)})"
        lines += [f"### {heading}", ""]
        rows = [_row_cells(r, lang) for r in section.rows]
        lines += _md_table(_row_header(lang), rows) if rows else [t["nothing"], ""]
    lines += [f"## {t['by_cop']}", ""]
    for section in data.cops:
        lines += [f"### {_md(section.node.title)}", ""]
        rows = [_row_cells(r, lang, section.node) for r in section.rows]
        lines += _md_table(_row_header(lang), rows) if rows else [t["nothing"], ""]
    lines += [f"## {t['unlanded']}", ""]
    if data.unlanded:
        lines += [f"- {_md(n.title)} ({_md(_kind(n.kind, lang))})" for n in data.unlanded]
    else:
        lines.append(t["nothing"])
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
    t = _TEXT[lang]
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape_html(t['title'])}</title><style>{_HTML_CSS}</style></head><body>",
        f"<h1>{escape_html(t['title'])}</h1><h2>{escape_html(t['summary'])}</h2>",
        _html_table(*_summary_rows(data, lang)),
        f"<h2>{escape_html(t['by_place'])}</h2>",
    ]
    for section in data.places:
        heading = escape_html(section.node.title)
        if section.parent is not None:
            heading += (
                f" <small>({escape_html(t['part_of'])} {escape_html(section.parent.title)})</small>"
            )
        parts.append(f"<h3>{heading}</h3>")
        rows = [_row_cells(r, lang) for r in section.rows]
        parts.append(
            _html_table(_row_header(lang), rows) if rows else f"<p>{escape_html(t['nothing'])}</p>"
        )
    parts.append(f"<h2>{escape_html(t['by_cop'])}</h2>")
    for section in data.cops:
        parts.append(f"<h3>{escape_html(section.node.title)}</h3>")
        rows = [_row_cells(r, lang, section.node) for r in section.rows]
        parts.append(
            _html_table(_row_header(lang), rows) if rows else f"<p>{escape_html(t['nothing'])}</p>"
        )
    parts.append(f"<h2>{escape_html(t['unlanded'])}</h2>")
    if data.unlanded:
        items = "".join(
            f"<li>{escape_html(n.title)} ({escape_html(_kind(n.kind, lang))})</li>"
            for n in data.unlanded
        )
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append(f"<p>{escape_html(t['nothing'])}</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- XLSX ---------------------------------------------------------------------------------


def to_xlsx(data: HandoverData, lang: str = "nl") -> bytes:
    t = _TEXT[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = t["summary"][:31]
    header, summary = _summary_rows(data, lang)
    _sheet_table(sheet, header, [[r[0], *(int(c) for c in r[1:])] for r in summary])
    places = book.create_sheet(t["by_place"][:31])
    header = [t["place"] + " (" + t["part_of"] + ")", *_row_header(lang)]
    rows = []
    for section in data.places:
        parent = f" ({section.parent.title})" if section.parent else ""
        rows += [[section.node.title + parent, *_row_cells(r, lang)] for r in section.rows]
    _sheet_table(places, header, rows)
    cops = book.create_sheet("CoP")
    rows = []
    for section in data.cops:
        rows += [[section.node.title, *_row_cells(r, lang, section.node)] for r in section.rows]
    _sheet_table(cops, ["CoP", *_row_header(lang)], rows)
    unlanded = book.create_sheet(t["unlanded"][:31])
    _sheet_table(
        unlanded, [t["item"], t["kind"]], [[n.title, _kind(n.kind, lang)] for n in data.unlanded]
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


def handover_report(store: GraphStore, fmt: str, *, lang: str = "nl") -> bytes:
    """The report as bytes in ``fmt`` (``md``, ``html`` or ``xlsx``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use md, html or xlsx")
    if lang not in _TEXT:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    data = collect(store)
    if fmt == "md":
        return to_markdown(data, lang).encode("utf-8")
    if fmt == "html":
        return to_html(data, lang).encode("utf-8")
    return to_xlsx(data, lang)
