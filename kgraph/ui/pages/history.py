"""Geschiedenis: every change in a period ("since the last meeting" by default, a chosen
meeting, last week, last month or two days), by person and item, a page at a time; and for
the steering group what changed in the period (``kgraph.analysis.changes_since``): the
handover statuses that moved, then the items and links added, removed and changed.

The page only draws: the period, the people, the page of changes and their words come from
``kgraph.history_view``; paging and counting run in the store. Times are Dutch time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from kgraph import dates
from kgraph.analysis import ChangeReport, changes_since
from kgraph.errors import KGraphError
from kgraph.history_view import (
    PERIODS,
    Period,
    change_text,
    fields_text,
    history_page,
    names,
    op_text,
    people,
    period,
    target_text,
)
from kgraph.ui import date_field, i18n, state, widgets
from kgraph.ui import html_table as ht
from kgraph.ui.handover import reads
from kgraph.ui.i18n import t

PERIOD = "keep_history_period"
MEETING = "keep_history_meeting"
FROM = "keep_history_from"
UNTIL = "keep_history_until"
PERSON = "keep_history_person"
NODE = "keep_history_node"
VIEW = "keep_history_view"
PAGE = "history_page"
SIZE = "keep_history_size"
PAGE_SIZES = (25, 50, 100)
#: above this many changes in the period the steering group's summary asks for a shorter one
REPORT_LIMIT = 20_000
ALL = ""


def _period_controls() -> Period | None:
    """The period chooser; ``None`` (with a message shown) when it cannot be used."""
    held = list(reversed(reads.all_meetings()))
    choices = [p for p in PERIODS if held or p not in ("last_meeting", "meeting")]
    if st.session_state.get(PERIOD) not in choices:
        st.session_state[PERIOD] = "last_meeting" if held else "month"
    c1, c2, c3 = st.columns([2.2, 2, 2])
    choice = c1.selectbox(
        t("hist_period"), choices, format_func=lambda p: t(f"hist_period_{p}"), key=PERIOD
    )
    store = state.store()
    try:
        if choice == "meeting":
            by_id = {m.id: m for m in held}
            if st.session_state.get(MEETING) not in by_id:
                st.session_state[MEETING] = held[0].id
            meeting = c2.selectbox(
                t("ho_meeting"),
                list(by_id),
                format_func=lambda m: by_id[m].label(i18n.lang()),
                key=MEETING,
            )
            return period(store, "meeting", meeting=meeting)
        if choice == "days":
            st.session_state.setdefault(FROM, date_field.shown(dates.today().replace(day=1)))
            st.session_state.setdefault(UNTIL, date_field.shown(dates.today()))
            first, problem = date_field.read(date_field.field(c2, t("since"), FROM))
            last, problem2 = date_field.read(
                date_field.field(c3, t("until"), UNTIL, help=t("until_help")), required=False
            )
            if problem or problem2:
                st.error(problem or problem2, icon=":material/event_busy:")
                return None
            return period(store, "days", start=first, end=last)
        found = period(store, choice)
    except KGraphError as exc:
        widgets.show_error(exc)
        return None
    if found.start is not None:
        c2.caption(t("hist_from_day", day=date_field.shown(found.start)))
    return found


def _item_filter() -> str | None:
    c1, c2 = st.columns([3, 3])
    text = c1.text_input(t("history_node"), key="history_node_search", placeholder=t("search_hint"))
    options = [ALL]
    labels = {ALL: t("all")}
    if text.strip():
        for n in state.store().search(text, limit=30):
            options.append(n.id)
            labels[n.id] = widgets.node_label(n)
    current = st.session_state.get(NODE)
    if current and current not in labels:
        options.append(current)
        labels.update(state.titles([current]))
    c2.selectbox(t("history_pick"), options, format_func=lambda i: labels.get(i, i), key=NODE)
    return st.session_state.get(NODE) or None


def _list(found: Period, person: str | None, node: str | None) -> None:
    store = state.store()
    size = int(st.session_state.get(SIZE) or PAGE_SIZES[0])
    signature = (found, person, node, size)
    if st.session_state.get("history_signature") != signature:
        st.session_state["history_signature"] = signature
        st.session_state.pop(PAGE, None)
    number = int(st.session_state.get(PAGE) or 1)
    page = history_page(
        store,
        since=found.since,
        until=found.until,
        actor=person,
        target=node,
        limit=size,
        offset=(number - 1) * size,
    )
    if page.total and not page.changes and number > 1:
        st.session_state.pop(PAGE, None)
        st.rerun()
    c1, c2 = st.columns([5, 1], vertical_alignment="bottom")
    c1.caption(t("n_changes", n=page.total))
    c2.selectbox(t("ho_rows"), PAGE_SIZES, key=SIZE)
    if not page.changes:
        st.info(t("history_none"), icon=":material/history:")
        return
    lang = i18n.lang()
    titles = names(store, page.changes)
    lookups = _lookups()
    columns = [
        ht.Column(t("col_when"), "9rem"),
        ht.Column(t("col_who"), "minmax(0,1fr)"),
        ht.Column(t("col_what"), "minmax(0,1fr)"),
        ht.Column(t("col_item"), "minmax(0,2.6fr)"),
        ht.Column(t("col_change"), "minmax(0,3fr)"),
    ]
    rows = [
        [
            ht.nowrap(dates.format_moment(c.at, lang)),
            ht.text(c.actor),
            ht.text(op_text(c, lang)),
            ht.text(target_text(c, titles, lang), clamp=3),
            ht.text(change_text(c, lang, lookups), clamp=4),
        ]
        for c in page.changes
    ]
    st.html(ht.header(columns) + "".join(ht.row(columns, r) for r in rows))
    if page.pages > 1:
        st.pagination(page.pages, key=PAGE, max_visible_pages=9)


# --- for the steering group ---------------------------------------------------------------


def _per_kind(groups: dict[str, list[dict[str, Any]]], label: Any) -> str:
    return ", ".join(f"{len(rows)} × {label(kind)}" for kind, rows in sorted(groups.items()))


def _handover_moves(report: ChangeReport) -> None:
    lang = i18n.lang()
    st.markdown(f"**{t('report_handover', n=len(report.handover))}**")
    st.caption(t(report.explanations["handover"]))
    if not report.handover:
        st.caption(t("report_none"))
        return
    columns = [
        ht.Column(t("col_item"), "minmax(0,2.4fr)"),
        ht.Column(t("col_landing"), "minmax(0,1.3fr)"),
        ht.Column(t("hist_from_to"), "minmax(0,1.6fr)"),
        ht.Column(t("hist_decided"), "minmax(0,1.3fr)"),
        ht.Column(t("field_note"), "minmax(0,1.6fr)"),
        ht.Column(t("hist_who_when"), "9rem"),
    ]
    rows = [
        [
            ht.text(m["src_title"], clamp=3),
            ht.text(m["dst_title"], clamp=2),
            ht.chip(str(m["from"] or "proposed"), i18n.status_label(m["from"]))
            + " → "
            + ht.chip(str(m["to"] or "proposed"), i18n.status_label(m["to"])),
            ht.text(dates.format_day(m.get("decided_on"), lang), sub=m.get("decided_by") or None),
            ht.text(m.get("note") or "", clamp=3),
            ht.nowrap(dates.format_moment(m["at"], lang), sub=m["by"]),
        ]
        for m in report.handover
    ]
    st.html(ht.header(columns) + "".join(ht.row(columns, r) for r in rows))


def _lookups() -> dict[str, dict[str, str]]:
    """Values named in words: a meeting's id by its title and day."""
    return {"meeting": {m.id: m.label(i18n.lang()) for m in reads.all_meetings()}}


def _fields(rows: list[dict[str, Any]]) -> str:
    return fields_text(rows, i18n.lang(), _lookups())


def _bucket(
    bucket: dict[str, dict[str, list[dict[str, Any]]]], links: bool, title: str, why: str
) -> None:
    lang = i18n.lang()
    st.markdown(f"**{title}**")
    st.caption(why)
    if not any(bucket.values()):
        st.caption(t("report_none"))
        return
    label = i18n.edge_label if links else i18n.kind_label
    for what in ("added", "removed", "changed"):
        groups = bucket[what]
        if not groups:
            continue
        n = sum(len(rows) for rows in groups.values())
        with st.expander(f"{t(f'report_{what}')} ({n}): {_per_kind(groups, label)}"):
            columns = [ht.Column(t("col_kind"), "minmax(0,1fr)")]
            if links:
                columns += [
                    ht.Column(t("path_from"), "minmax(0,2fr)"),
                    ht.Column(t("path_to"), "minmax(0,2fr)"),
                ]
            else:
                columns.append(ht.Column(t("col_title"), "minmax(0,3fr)"))
            if what == "changed":
                columns.append(ht.Column(t("col_change"), "minmax(0,3fr)"))
            columns.append(ht.Column(t("hist_who_when"), "9rem"))
            shown = []
            for kind, rows in sorted(groups.items()):
                for r in rows[:500]:
                    cells = [ht.text(label(kind))]
                    if links:
                        status = f" ({i18n.status_label(r['status'])})" if r.get("status") else ""
                        cells += [
                            ht.text(r["src_title"], clamp=3),
                            ht.text(r["dst_title"] + status, clamp=3),
                        ]
                    else:
                        cells.append(ht.text(r["title"], clamp=3))
                    if what == "changed":
                        cells.append(ht.text(_fields(r["fields"]), clamp=4))
                    cells.append(
                        ht.nowrap(dates.format_moment(r["at"], lang), sub=", ".join(r["by"]))
                    )
                    shown.append(cells)
            st.html(ht.header(columns) + "".join(ht.row(columns, r) for r in shown))
            if n > len(shown):
                st.caption(t("hist_report_cut", n=len(shown)))


def report_section(report: ChangeReport) -> None:
    """What changed in the period, grouped so a steering group reads it in a minute."""
    why = report.explanations
    st.caption(t("history_report_help"))
    st.info(i18n.render(report.headline), icon=":material/summarize:")
    _handover_moves(report)
    _bucket(report.nodes, False, t("report_items"), t(why["nodes"]))
    _bucket(report.edges, True, t("report_links"), t(why["edges"]))


def _report(found: Period) -> None:
    store = state.store()
    count = store.count_history(since=found.since, until=found.until)
    if count > REPORT_LIMIT:
        st.info(
            t("hist_report_too_long", n=count, limit=REPORT_LIMIT), icon=":material/date_range:"
        )
        return
    since = found.since or dates.day_start(date(1970, 1, 1))
    report_section(changes_since(store, since, found.until))


def render() -> None:
    ht.inject_style()
    st.title(t("page_history"))
    found = _period_controls()
    if found is None:
        return
    c1, c2 = st.columns([2, 4])
    everyone = people(state.store(), found.since, found.until)
    if st.session_state.get(PERSON) not in [ALL, *everyone]:
        st.session_state[PERSON] = ALL
    person = c1.selectbox(
        t("person"), [ALL, *everyone], format_func=lambda a: a or t("ho_everyone"), key=PERSON
    )
    with c2:
        node = _item_filter()
    st.session_state.setdefault(VIEW, "list")
    view = st.segmented_control(
        t("ho_view"),
        ("list", "report"),
        format_func=lambda v: t("history_list" if v == "list" else "history_report"),
        key=VIEW,
        label_visibility="collapsed",
    )
    if view == "report":
        _report(found)
    else:
        _list(found, person or None, node)


if __name__ == "__main__":
    render()
