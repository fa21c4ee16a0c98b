"""The Overdracht page's other views: per landing place and per CoP (projections of
``handover_coverage``), everyone's actions (mine, overdue), and the meetings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from kgraph import dates, meetings
from kgraph.actions import Action, by_owner
from kgraph.analysis.handover import HandoverCoverage
from kgraph.errors import KGraphError
from kgraph.model import HANDOVER_STATUSES, fold
from kgraph.ui import date_field, i18n, state, widgets
from kgraph.ui import html_table as ht
from kgraph.ui.handover import reads
from kgraph.ui.handover.details import action_list
from kgraph.ui.i18n import t

FLASH = "handover_flash"
PAGE = 15
K_VIEW = "keep_ho_view"
#: how many meetings this session recorded (names the next form)
ADDED = "ho_meetings_added"


def _counts(counts: dict[str, int]) -> str:
    return " ".join(
        ht.chip(s, f"{counts.get(s, 0)} {i18n.status_label(s)}")
        for s in HANDOVER_STATUSES
        if counts.get(s)
    ) or ht.muted("–")


def _paged(items: Sequence[Any], key: str) -> Sequence[Any]:
    pages = max(1, -(-len(items) // PAGE))
    if int(st.session_state.get(key) or 1) > pages:
        st.session_state.pop(key, None)
    page = int(st.session_state.get(key) or 1)
    return items[(page - 1) * PAGE : page * PAGE]


def _pager(items: Sequence[Any], key: str) -> None:
    pages = max(1, -(-len(items) // PAGE))
    if pages > 1:
        st.pagination(pages, key=key, max_visible_pages=9)


def _group_rows(
    rows: Sequence[dict[str, Any]],
    columns: list[ht.Column],
    cells: Callable[[dict[str, Any]], list[str]],
    button: str,
    show: Callable[[str], None],
    key: str,
) -> None:
    with st.container(gap=None):
        head, _ = st.columns([0.84, 0.16])
        head.html(ht.header(columns))
        for r in rows:
            left, right = st.columns([0.84, 0.16], vertical_alignment="center")
            left.html(ht.row(columns, cells(r)))
            right.button(
                button,
                key=f"{key}_{r['id']}",
                on_click=_show_in_table,
                args=(show, r["id"]),
                icon=":material/table_rows:",
            )


def _show_in_table(show: Callable[[str], None], target: str) -> None:
    show(target)
    st.session_state[K_VIEW] = "table"


def places_view(coverage: HandoverCoverage, show: Callable[[str], None]) -> None:
    """Every landing place with its handovers by status, directly and through its parts."""
    st.caption(t(coverage.explanations["places"]))
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    text = c1.text_input(t("ho_find_place"), key="keep_ho_place_find")
    idle = c2.toggle(t("ho_only_idle"), key="keep_ho_place_idle")
    names = {p["id"]: p["title"] for p in coverage.places}
    words = fold(text).split()
    rows = [
        p
        for p in sorted(coverage.places, key=lambda p: str(p["title"]).casefold())
        if all(w in fold(str(p["title"])) for w in words) and (not idle or not p["received"])
    ]
    st.caption(t("ho_n_places", n=len(rows)))
    columns = [
        ht.Column(t("col_landing"), "minmax(0,2.2fr)"),
        ht.Column(t("ho_direct"), "minmax(0,2.4fr)"),
        ht.Column(t("ho_via_parts"), "minmax(0,2fr)"),
        ht.Column(t("ho_total"), "4rem"),
    ]

    def cells(p: dict[str, Any]) -> list[str]:
        whole = ", ".join(names.get(w, w) for w in p["part_of"])
        return [
            ht.text(p["title"], clamp=2, sub=t("ho_part_of", whole=whole) if whole else None),
            _counts(p["direct"]),
            _counts(p["via_parts"]) if p["parts"] else ht.muted("–"),
            ht.text(str(p["received"])),
        ]

    _group_rows(
        _paged(rows, "ho_places_page"),
        columns,
        cells,
        t("ho_in_table"),
        show,
        "ho_place",
    )
    _pager(rows, "ho_places_page")


def cops_view(coverage: HandoverCoverage, show: Callable[[str], None]) -> None:
    """Every CoP with its own handovers and those of the items that belong to it."""
    st.caption(t(coverage.explanations["cops"]))
    text = st.text_input(t("ho_find_cop"), key="keep_ho_cop_find")
    words = fold(text).split()
    rows = [
        c
        for c in sorted(coverage.cops, key=lambda c: str(c["title"]).casefold())
        if all(w in fold(str(c["title"])) for w in words)
    ]
    st.caption(t("ho_n_cops", n=len(rows)))
    columns = [
        ht.Column(t("ho_cop"), "minmax(0,2.4fr)"),
        ht.Column(t("ho_handovers"), "minmax(0,3fr)"),
        ht.Column(t("ho_items"), "5rem"),
    ]

    def cells(c: dict[str, Any]) -> list[str]:
        return [ht.text(c["title"], clamp=2), _counts(c["counts"]), ht.text(str(len(c["items"])))]

    _group_rows(_paged(rows, "ho_cops_page"), columns, cells, t("ho_in_table"), show, "ho_cop")
    _pager(rows, "ho_cops_page")


def actions_view(owners: list[str], *, can_edit: bool) -> None:
    """Everyone's actions, or one person's; open, overdue or all; grouped per owner."""
    c1, c2, c3 = st.columns([2, 1.4, 1.4], vertical_alignment="bottom")
    if st.session_state.get("keep_ho_act_owner") not in ["", *owners]:
        st.session_state["keep_ho_act_owner"] = ""
    owner = c1.selectbox(
        t("ho_filter_owner"),
        ["", *owners],
        format_func=lambda o: o or t("ho_everyone"),
        key="keep_ho_act_owner",
    )
    overdue = c2.toggle(t("ho_only_overdue"), key="keep_ho_act_overdue")
    done = c3.toggle(t("ho_also_done"), key="keep_ho_act_done")
    today = dates.today()
    items = [
        a
        for a in reads.all_actions()
        if (not owner or fold(a.owner) == fold(owner))
        and (done or a.is_open)
        and (not overdue or a.is_overdue(today))
    ]
    late = sum(1 for a in items if a.is_overdue(today))
    st.caption(t("ho_n_actions", n=len(items), late=late))
    shown = _paged(items, "ho_act_page")
    names = state.titles(sorted({a.item for a in shown} | {a.place for a in shown if a.place}))
    for person, group in by_owner(shown).items():
        st.markdown(f"**{widgets.md(person)}**")
        for a in group:
            where = names.get(a.item, a.item)
            if a.place:
                where += f" → {names.get(a.place, a.place)}"
            st.caption(widgets.md(where))
            action_list([a], key=f"ho_all_{a.id}", can_edit=can_edit)
    _pager(items, "ho_act_page")
    _actions_download()


def _actions_download() -> None:
    from kgraph.export.actions_export import actions_export

    store = state.store()
    lang = i18n.lang()  # read now: the download runs outside this script run
    day = dates.today().isoformat()
    st.download_button(
        t("ho_actions_download") + " (Excel)",
        data=lambda: actions_export(store, "xlsx", lang=lang),
        file_name=f"acties-{day}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="ho_actions_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def meetings_view(*, can_edit: bool) -> None:
    """The meetings held and planned, newest first, and a form to add one."""
    lang = i18n.lang()
    held = list(reversed(reads.all_meetings()))
    if can_edit:
        _meeting_form()
    if not held:
        st.info(t("ho_no_meetings"), icon=":material/event:")
        return
    columns = [
        ht.Column(t("ho_meeting_on"), "8rem"),
        ht.Column(t("ho_meeting_title"), "minmax(0,2fr)"),
        ht.Column(t("field_note"), "minmax(0,2fr)"),
    ]
    rows = [
        [
            ht.text(dates.format_day(m.on, lang) + (f" {m.at}" if m.at else "")),
            ht.text(m.title, clamp=2),
            ht.text(m.note or "", clamp=2),
        ]
        for m in _paged(held, "ho_meet_page")
    ]
    st.html(ht.header(columns) + "".join(ht.row(columns, r) for r in rows))
    _pager(held, "ho_meet_page")


def _meeting_form() -> None:
    # a new form after every meeting recorded: its fields start empty again
    key = f"ho_new_meeting_{st.session_state.get(ADDED, 0)}"
    with st.form(key, enter_to_submit=False):
        st.markdown(f"**{t('ho_add_meeting')}**")
        c1, c2, c3 = st.columns([1.2, 0.8, 3])
        date_field.field(c1, t("ho_meeting_on"), f"{key}_on")
        c2.text_input(t("ho_meeting_at"), key=f"{key}_at", placeholder="14:00")
        c3.text_input(t("ho_meeting_title"), key=f"{key}_title", placeholder=t("ho_meeting_hint"))
        st.text_input(t("field_note"), key=f"{key}_note")
        added = st.form_submit_button(
            t("ho_add_meeting"), icon=":material/event_available:", disabled=not state.actor()
        )
    if not added:
        return
    day, problem = date_field.read(str(st.session_state.get(f"{key}_on") or ""))
    if problem:
        st.error(t("ho_not_saved") + " " + problem, icon=":material/event_busy:")
        return
    try:
        with state.edit() as store:
            meeting = meetings.add_meeting(
                store,
                day,
                title=str(st.session_state.get(f"{key}_title") or ""),
                at=str(st.session_state.get(f"{key}_at") or "") or None,
                note=str(st.session_state.get(f"{key}_note") or "") or None,
            )
    except KGraphError as exc:
        st.error(t("ho_not_saved") + " " + widgets.md(exc), icon=":material/error:")
        return
    st.session_state[ADDED] = st.session_state.get(ADDED, 0) + 1
    st.session_state[FLASH] = t("ho_meeting_added", what=widgets.md(meeting.label(i18n.lang())))
    st.rerun()


def owners_of(items: Sequence[Action]) -> list[str]:
    """Everyone with an open action, sorted (case ignored)."""
    return sorted({a.owner for a in items if a.is_open}, key=str.casefold)
