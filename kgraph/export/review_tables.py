"""The tables the handover report and the meeting pack share, built from
``handover_coverage``, the handover table's rows and the actions: the summary per kind,
handover rows, items without a landing place, landing places that receive nothing, actions
per owner. Words come from the text catalogue in the document's language; ids never show
(titles do)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from kgraph.actions import Action, Summary
from kgraph.analysis.handover import NO_LANDING, STATUS_RANK, HandoverCoverage
from kgraph.export.documents import Cell, Column, Table, day, number, status, text
from kgraph.handover_table import TableRow
from kgraph.texts import kind_label
from kgraph.texts import text as words


def w(key: str, lang: str, **params: Any) -> str:
    """A report text (``hreport_<key>``) in ``lang``."""
    return words(f"hreport_{key}", lang, **params)


def summary_table(coverage: HandoverCoverage, lang: str) -> Table:
    """Per kind that has items: how many are accepted, in discussion, proposed, declined or
    not landed (each item under its furthest status), and the total; a total row last.
    Kinds without any item are left out."""
    keys = (*STATUS_RANK, NO_LANDING, "total")
    columns = [
        Column(w("kind", lang), 22),
        *(
            Column(w("not_landed", lang) if s == NO_LANDING else _status_name(s, lang), 13, "int")
            for s in (*STATUS_RANK, NO_LANDING)
        ),
        Column(w("total", lang), 10, "int"),
    ]
    rows: list[list[Cell]] = []
    sums = dict.fromkeys(keys, 0)
    for kind, counts in coverage.summary.items():
        if not counts.get("total"):
            continue
        rows.append([text(kind_label(kind, lang)), *(number(counts[k]) for k in keys)])
        for k in keys:
            sums[k] += counts[k]
    rows.append([text(w("total", lang)), *(number(sums[k]) for k in keys)])
    return Table(columns, rows, w("summary", lang), total_row=True)


def _status_name(key: str, lang: str) -> str:
    from kgraph.texts import status_label

    return status_label(key, lang)


#: CoP's and themes named per row before "and N more"
AREAS_SHOWN = 3


def _areas(row: TableRow, lang: str) -> str:
    names = [a["title"] for a in row.areas]
    if len(names) <= AREAS_SHOWN:
        return ", ".join(names)
    more = words("and_more", lang, n=len(names) - AREAS_SHOWN)
    return ", ".join(names[:AREAS_SHOWN]) + " " + more


def handover_columns(lang: str, *, first: Column | None = None) -> list[Column]:
    columns = [
        Column(w("item", lang), 38),
        Column(w("kind", lang), 15),
        Column(w("area", lang), 22),
        Column(w("place", lang), 22),
        Column(w("status", lang), 16, "status"),
        Column(w("decided_on", lang), 15, "date"),
        Column(w("decided_by", lang), 17),
        Column(w("note", lang), 26),
        Column(w("open_actions", lang), 9, "int"),
        Column(w("next_due", lang), 15, "date"),
    ]
    return [first, *columns] if first else columns


def handover_cells(row: TableRow, lang: str, today: date) -> list[Cell]:
    overdue = bool(row.next_due and row.next_due < today.isoformat())
    return [
        text(row.title),
        text(kind_label(row.kind, lang)),
        text(_areas(row, lang)),
        text(row.place_title or ""),
        status(row.status, lang, w("not_landed", lang) if row.status == NO_LANDING else None),
        day(row.decided_on, lang),
        text(row.decided_by),
        text(row.note),
        number(row.open_actions, blank_zero=True),
        day(row.next_due, lang, overdue=overdue),
    ]


def rows_table(rows: Iterable[TableRow], lang: str, today: date, sheet: str, empty: str) -> Table:
    body = [handover_cells(r, lang, today) for r in rows]
    return Table(handover_columns(lang), body, sheet, empty)


def order(rows: Iterable[TableRow]) -> list[TableRow]:
    """Furthest status first (accepted, in discussion, proposed, declined, none), then
    by title."""
    rank = {s: i for i, s in enumerate(STATUS_RANK)}
    return sorted(rows, key=lambda r: (rank.get(r.status, 9), r.title.casefold(), r.item))


def grouped_table(
    groups: Iterable[tuple[str, Sequence[TableRow]]],
    header: str,
    lang: str,
    today: date,
    sheet: str,
    empty: str,
) -> Table:
    """One table of several groups (a landing place, a CoP) with the group in the first
    column."""
    body: list[list[Cell]] = []
    for name, rows in groups:
        body += [[text(name), *handover_cells(r, lang, today)] for r in order(rows)]
    return Table(handover_columns(lang, first=Column(header, 26)), body, sheet, empty)


def unlanded_table(coverage: HandoverCoverage, areas: Mapping[str, str], lang: str) -> Table:
    """Items without any landing place: title, kind, CoP/theme."""
    rows = [
        [text(n["title"]), text(kind_label(n["kind"], lang)), text(areas.get(n["id"], ""))]
        for n in coverage.no_landing
    ]
    return Table(
        [Column(w("item", lang), 60), Column(w("kind", lang), 18), Column(w("area", lang), 36)],
        rows,
        w("unlanded", lang),
        w("nothing", lang),
    )


def idle_table(coverage: HandoverCoverage, lang: str) -> Table:
    """Landing places that receive nothing, not even through their parts."""
    names = {p["id"]: p["title"] for p in coverage.places}
    rows = [
        [text(p["title"]), text(", ".join(names.get(x, x) for x in p["part_of"]))]
        for p in coverage.idle_places
    ]
    return Table(
        [Column(w("place", lang), 50), Column(w("part_of_col", lang), 40)],
        rows,
        w("idle_sheet", lang),
        w("nothing", lang),
    )


def actions_table(
    items: Sequence[Action], titles: Mapping[str, str], lang: str, today: date, *, done: bool
) -> Table:
    """Actions per owner (owners in order), with what, the handover, the deadline (red
    when overdue) and, when ``done``, when and by whom it was done."""
    columns = [
        Column(w("owner", lang), 18),
        Column(w("what", lang), 40),
        Column(w("handover", lang), 44),
        Column(w("due", lang), 15, "date"),
    ]
    if done:
        columns += [Column(w("done_on", lang), 15, "date"), Column(w("done_by", lang), 17)]
    rows: list[list[Cell]] = []
    for a in sorted(items, key=lambda a: (a.owner.casefold(), a.due or "9999", a.what)):
        where = titles.get(a.item, a.item)
        if a.place:
            where += f" → {titles.get(a.place, a.place)}"
        cells = [
            text(a.owner),
            text(a.what),
            text(where),
            day(a.due, lang, overdue=a.is_overdue(today)),
        ]
        if done:
            cells += [day(a.done_on, lang), text(a.done_by)]
        rows.append(cells)
    return Table(columns, rows, w("actions_sheet", lang), w("no_actions", lang))


def with_actions(
    rows: Iterable[Mapping[str, Any]], summary: Mapping[str, Summary], areas: Mapping[str, str]
) -> list[TableRow]:
    """``handover_coverage`` rows as table rows, with their open actions and the titles
    (``areas``: id -> title) of their CoP's."""
    found = []
    for r in rows:
        key = r["edge"] or r["id"]
        s = summary.get(key)
        found.append(
            TableRow(
                item=r["id"],
                kind=r["kind"],
                title=str(r["title"]),
                place=r["place"],
                place_title=r["place_title"],
                status=r["handover"],
                decided_on=_text(r.get("decided_on")),
                decided_by=_text(r.get("decided_by")),
                note=_text(r.get("note")),
                areas=[
                    {"id": c, "kind": "cop", "title": areas.get(c, c)}
                    for c in r.get("cops") or []
                    if c != r["id"]
                ],
                open_actions=s.open if s else 0,
                next_due=s.next_due if s else None,
                overdue=bool(s and s.overdue),
            )
        )
    return found


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
