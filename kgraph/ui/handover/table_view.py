"""The one handover table on the Overdracht page: filters, sorting, a page of rows with a
tick box each, and paging. Everything is asked of ``kgraph.handover_table`` (filtered,
sorted, counted and paged in the store); the page draws one page of rows.

Ticked rows are kept in ``CHOSEN`` (row key -> the row as it was shown) across pages and
filter changes, so a person can choose handovers on several pages and decide them at once;
the row as shown is what the optimistic check compares with when they are saved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import streamlit as st

from kgraph import dates
from kgraph.analysis.handover import HandoverCoverage
from kgraph.handover_table import SORTS, STATUSES, TablePage, TableQuery, TableRow, landable_kinds
from kgraph.ui import html_table as ht
from kgraph.ui import i18n, widgets
from kgraph.ui.handover import reads
from kgraph.ui.i18n import t

K_TEXT = "keep_ho_text"
K_STATUS = "keep_ho_status"
K_PLACE = "keep_ho_place"
K_AREA = "keep_ho_area"
K_KIND = "keep_ho_kind"
K_OWNER = "keep_ho_owner"
K_OVERDUE = "keep_ho_overdue"
K_SORT = "keep_ho_sort"
K_DESC = "keep_ho_desc"
K_SIZE = "keep_ho_size"
#: the page shown (not kept when another page is open: Streamlit may not set a pager)
K_PAGE = "ho_page"
K_SIGNATURE = "keep_ho_signature"
#: row key -> ``TableRow`` as it was shown when ticked
CHOSEN = "keep_ho_chosen"
PAGE_SIZES = (10, 15, 25, 50)
DEFAULT_SIZE = 15
EVERYONE = ""


def pick_key(row_key: str) -> str:
    """The tick box of a row (a digest: row keys may hold characters keys should not)."""
    return "ho_pick_" + hashlib.sha1(row_key.encode("utf-8")).hexdigest()[:16]


def chosen() -> dict[str, TableRow]:
    """The ticked rows, in the order they were ticked."""
    value = st.session_state.get(CHOSEN)
    if not isinstance(value, dict):
        value = {}
        st.session_state[CHOSEN] = value
    return value


def clear_chosen() -> None:
    for key in list(chosen()):
        st.session_state.pop(pick_key(key), None)
    st.session_state[CHOSEN] = {}


def _toggle(row: TableRow) -> None:
    picked = chosen()
    if st.session_state.get(pick_key(row.key)):
        picked[row.key] = row
    else:
        picked.pop(row.key, None)


def _columns() -> list[ht.Column]:
    return [
        ht.Column(t("ho_col_item"), "minmax(0,2.8fr)"),
        ht.Column(t("col_landing"), "minmax(0,1.3fr)"),
        ht.Column(t("field_status"), "7.4rem"),
        ht.Column(t("ho_col_decided"), "6.4rem"),
        ht.Column(t("field_note"), "minmax(0,1.5fr)"),
        ht.Column(t("ho_col_actions"), "6rem"),
        ht.Column(t("ho_col_changed"), "7.6rem"),
    ]


def _areas(row: TableRow) -> str:
    names = [a["title"] for a in row.areas]
    if len(names) > 2:
        return ", ".join(names[:2]) + " " + t("and_more", n=len(names) - 2)
    return ", ".join(names)


def _cells(row: TableRow) -> list[str]:
    lang = i18n.lang()
    sub = i18n.kind_label(row.kind)
    if row.areas:
        sub += " · " + _areas(row)
    if row.open_actions:
        due = dates.format_day(row.next_due, lang) if row.next_due else ""
        count = t("ho_open_actions", n=row.open_actions)
        actions = ht.text(count)
        if due:
            actions += "<div>" + (
                ht.overdue(t("ho_due", day=due)) if row.overdue else ht.text(t("ho_due", day=due))
            )
            actions += "</div>"
    else:
        actions = ht.muted("–")
    changed = dates.format_moment(row.changed_at, lang)
    return [
        ht.text(row.title, clamp=2, sub=sub, sub_clamp=1),
        ht.text(row.place_title, clamp=3) if row.place else ht.muted("–"),
        ht.chip(row.status, i18n.status_label(row.status)),
        ht.text(dates.format_day(row.decided_on, lang), sub=row.decided_by or None, sub_clamp=2),
        ht.text(row.note, clamp=2),
        actions,
        ht.nowrap(changed, sub=row.changed_by or None),
    ]


def _filters(coverage: HandoverCoverage, owners: list[str]) -> None:
    places = {p["id"]: p["title"] for p in coverage.places}
    areas = {c["id"]: c["title"] for c in coverage.cops}
    c1, c2, c3, c4 = st.columns([3, 2, 3, 3])
    c1.text_input(t("ho_search"), key=K_TEXT, placeholder=t("ho_search_hint"))
    _multi(c2, t("field_status"), list(STATUSES), K_STATUS, i18n.status_label)
    _multi(
        c3, t("col_landing"), sorted(places, key=lambda i: places[i].casefold()), K_PLACE, places
    )
    _multi(c4, t("ho_filter_cop"), sorted(areas, key=lambda i: areas[i].casefold()), K_AREA, areas)
    d1, d2, d3, d4, d5, d6 = st.columns([2, 2, 1.9, 2, 1.4, 1.1], vertical_alignment="bottom")
    _multi(d1, t("col_kind"), list(landable_kinds()), K_KIND, i18n.kind_label)
    if st.session_state.get(K_OWNER) not in [EVERYONE, *owners]:
        st.session_state[K_OWNER] = EVERYONE
    d2.selectbox(
        t("ho_filter_owner"),
        [EVERYONE, *owners],
        format_func=lambda o: o or t("ho_everyone"),
        key=K_OWNER,
    )
    d3.toggle(t("ho_only_overdue"), key=K_OVERDUE)
    d4.selectbox(t("sort_by"), SORTS, format_func=lambda s: t(f"ho_sort_{s}"), key=K_SORT)
    d5.toggle(t("descending"), key=K_DESC)
    d6.selectbox(t("ho_rows"), PAGE_SIZES, key=K_SIZE)


def _multi(where: Any, label: str, options: list[str], key: str, names: Any) -> None:
    show = names.get if isinstance(names, Mapping) else names
    current = [v for v in st.session_state.get(key, []) if v in options]
    if current != st.session_state.get(key, []):
        st.session_state[key] = current
    where.multiselect(
        label,
        options,
        format_func=lambda v: str(show(v) if show(v) is not None else v),
        key=key,
        placeholder=t("all"),
        select_all=False,
    )


def defaults() -> None:
    st.session_state.setdefault(K_SIZE, DEFAULT_SIZE)
    st.session_state.setdefault(K_SORT, "title")


def query() -> TableQuery:
    """The query the filters describe (page 1 when any filter changed)."""
    defaults()
    base = TableQuery(
        text=str(st.session_state.get(K_TEXT) or ""),
        statuses=tuple(st.session_state.get(K_STATUS) or ()),
        places=tuple(st.session_state.get(K_PLACE) or ()),
        areas=tuple(st.session_state.get(K_AREA) or ()),
        kinds=tuple(st.session_state.get(K_KIND) or ()),
        owner=str(st.session_state.get(K_OWNER) or ""),
        overdue=bool(st.session_state.get(K_OVERDUE)),
        sort=str(st.session_state.get(K_SORT) or "title"),
        descending=bool(st.session_state.get(K_DESC)),
        limit=int(st.session_state.get(K_SIZE) or DEFAULT_SIZE),
    )
    if st.session_state.get(K_SIGNATURE) != base:
        st.session_state[K_SIGNATURE] = base
        st.session_state.pop(K_PAGE, None)  # the pager starts on page 1 again
    page = int(st.session_state.get(K_PAGE) or 1)
    return TableQuery(**{**base.__dict__, "offset": (page - 1) * base.limit})


def show_place(place: str) -> None:
    """Show only the handovers to ``place`` (from the per-place view)."""
    st.session_state[K_PLACE] = [place]
    for key in (K_STATUS, K_AREA, K_KIND):
        st.session_state[key] = []
    st.session_state[K_TEXT] = ""


def show_area(area: str) -> None:
    """Show only the items of the CoP or theme ``area``."""
    st.session_state[K_AREA] = [area]
    for key in (K_STATUS, K_PLACE, K_KIND):
        st.session_state[key] = []
    st.session_state[K_TEXT] = ""


def render(coverage: HandoverCoverage, owners: list[str]) -> TablePage:
    """The filters, one page of the table with a tick box per row, and paging."""
    defaults()
    _filters(coverage, owners)
    q = query()
    page = reads.table(q)
    if page.total and q.offset >= page.total:  # the rows shrank under the page
        st.session_state.pop(K_PAGE, None)
        q = query()
        page = reads.table(q)
    first = q.offset + 1 if page.total else 0
    st.caption(
        t(
            "ho_rows_shown",
            first=first,
            last=q.offset + len(page.rows),
            total=page.total,
        )
    )
    columns = _columns()
    picked = chosen()
    with st.container(gap=None):
        box, head = st.columns([0.04, 0.96], gap="small", vertical_alignment="bottom")
        head.html(ht.header(columns))
        for row in page.rows:
            key = pick_key(row.key)
            if key not in st.session_state:
                st.session_state[key] = row.key in picked
            elif st.session_state[key] and row.key in picked:
                picked[row.key] = picked[row.key]  # keep the row as first shown
            box, cells = st.columns([0.04, 0.96], gap="small", vertical_alignment="top")
            label = row.title + (f" → {row.place_title}" if row.place_title else "")
            # a label is Markdown: user text made inert (no link, image or markup)
            box.checkbox(
                widgets.md(label),
                key=key,
                on_change=_toggle,
                args=(row,),
                label_visibility="collapsed",
            )
            cells.html(ht.row(columns, _cells(row), picked=row.key in picked))
    if not page.rows:
        st.info(t("ho_no_rows"), icon=":material/filter_alt_off:")
    if page.pages > 1:
        st.pagination(page.pages, key=K_PAGE, max_visible_pages=9)
    return page
