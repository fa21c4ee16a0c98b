"""One ticked row in full: the item, where it comes from, its handover and decision, its
actions (add, mark done, reopen, change) and another landing place to propose. Every write
is one call of ``kgraph.actions`` or ``kgraph.decisions``; ids only behind "id"."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kgraph import actions, dates, decisions, sources
from kgraph.actions import Action
from kgraph.errors import ConflictError, KGraphError
from kgraph.handover_table import TableRow
from kgraph.ui import date_field, i18n, state, widgets
from kgraph.ui import html_table as ht
from kgraph.ui.handover import reads
from kgraph.ui.i18n import t

FLASH = "handover_flash"
#: how many actions this session added (names the next add form)
ADDED = "ho_actions_added"


def _flash(text: str) -> None:
    st.session_state[FLASH] = text


def _facts(row: TableRow) -> None:
    lang = i18n.lang()
    node = state.store().get_node(row.item)
    st.markdown(f"### {widgets.md(row.title)}")
    parts = [i18n.kind_label(row.kind)]
    if row.areas:
        parts.append(", ".join(a["title"] for a in row.areas))
    st.caption(widgets.md(" · ".join(parts)))
    rows = []
    if row.place:
        rows.append((t("col_landing"), ht.text(row.place_title)))
        rows.append((t("field_status"), ht.chip(row.status, i18n.status_label(row.status))))
        decided = dates.format_day(row.decided_on, lang)
        if row.decided_by:
            decided += f" · {row.decided_by}" if decided else row.decided_by
        rows.append((t("ho_decision"), ht.text(decided or "–")))
        if row.meeting:
            meeting = next((m for m in reads.all_meetings() if m.id == row.meeting), None)
            rows.append((t("ho_meeting"), ht.text(meeting.label(lang) if meeting else "–")))
        rows.append((t("field_note"), ht.text(row.note or "–")))
    else:
        rows.append((t("col_landing"), ht.chip("none", i18n.status_label("none"))))
    if node is not None:
        where = sources.describe(node.source, reads.source_titles(), lang)
        rows.append((t("field_source"), ht.text(where or "–")))
        rows.append(
            (
                t("field_created"),
                ht.text(dates.format_moment(node.created_at, lang)),
            )
        )
    rows.append(
        (
            t("field_updated"),
            ht.text(f"{dates.format_moment(row.changed_at, lang)} · {row.changed_by or '–'}"),
        )
    )
    st.html(
        ht.table(
            [ht.Column(t("col_field"), "28%"), ht.Column(t("col_value"), "72%")],
            [[ht.text(k), v] for k, v in rows],
        )
    )
    with st.popover(t("ho_ids"), icon=":material/tag:"):
        st.caption(t("ho_ids_help"))
        st.code(row.item, language=None)
        if row.place:
            st.code(row.key, language=None)


def _action_cells(a: Action) -> list[str]:
    lang = i18n.lang()
    due = dates.format_day(a.due, lang)
    if not a.is_open:
        when = t("ho_action_done_on", day=dates.format_day(a.done_on, lang), who=a.done_by or "")
        return [ht.muted(a.what), ht.muted(a.owner), ht.muted(due or "–"), ht.muted(when)]
    deadline = ht.overdue(t("ho_overdue_since", day=due)) if a.is_overdue() else ht.text(due or "–")
    return [ht.text(a.what, clamp=3), ht.text(a.owner), deadline, ht.text("")]


_ACTION_COLUMNS = [
    ht.Column("", "minmax(0,3fr)"),
    ht.Column("", "minmax(0,1.3fr)"),
    ht.Column("", "minmax(0,1.2fr)"),
    ht.Column("", "minmax(0,1.5fr)"),
]


def action_list(items: list[Action], *, key: str, can_edit: bool) -> None:
    """Actions with a done/reopen button each (and a change form) when ``can_edit``."""
    if not items:
        st.caption(t("ho_no_actions"))
        return
    columns = [
        ht.Column(t("ho_action_what"), "minmax(0,3fr)"),
        ht.Column(t("ho_action_owner"), "minmax(0,1.3fr)"),
        ht.Column(t("ho_action_due"), "minmax(0,1.2fr)"),
        ht.Column(t("ho_action_state"), "minmax(0,1.5fr)"),
    ]
    with st.container(gap=None):
        left, right = st.columns([0.8, 0.2], vertical_alignment="bottom")
        left.html(ht.header(columns))
        for a in items:
            left, right = st.columns([0.8, 0.2], vertical_alignment="center")
            left.html(ht.row(_ACTION_COLUMNS, _action_cells(a)))
            if not can_edit:
                continue
            if a.is_open:
                right.button(
                    t("ho_action_done"),
                    key=f"{key}_done_{a.id}",
                    on_click=_done,
                    args=(a,),
                    icon=":material/task_alt:",
                    disabled=not state.actor(),
                )
            else:
                right.button(
                    t("ho_action_reopen"),
                    key=f"{key}_reopen_{a.id}",
                    on_click=_reopen,
                    args=(a,),
                    icon=":material/undo:",
                    disabled=not state.actor(),
                )


def _done(a: Action) -> None:
    try:
        with state.edit() as store:
            actions.complete_action(store, a.id, expected_version=a.version)
    except ConflictError:
        _flash(t("ho_action_changed"))
        return
    except KGraphError as exc:
        _flash(str(exc))
        return
    _flash(t("ho_action_marked_done", what=widgets.md(a.what)))


def _reopen(a: Action) -> None:
    try:
        with state.edit() as store:
            actions.reopen_action(store, a.id, expected_version=a.version)
    except KGraphError as exc:
        _flash(str(exc))
        return
    _flash(t("ho_action_reopened", what=widgets.md(a.what)))


def _add_action_form(row: TableRow) -> None:
    # a new form after every action added: its fields start empty again
    key = f"ho_new_action_{row.key}_{st.session_state.get(ADDED, 0)}"
    with st.form(key, enter_to_submit=False, clear_on_submit=False):
        st.markdown(f"**{t('ho_add_action')}**")
        c1, c2, c3 = st.columns([3, 1.4, 1.1])
        c1.text_input(t("ho_action_what"), key=f"{key}_what", placeholder=t("ho_action_what_hint"))
        c2.text_input(t("ho_action_owner"), key=f"{key}_owner")
        date_field.field(c3, t("ho_action_due"), f"{key}_due")
        added = st.form_submit_button(
            t("ho_add_action"), icon=":material/add_task:", disabled=not state.actor()
        )
    if not added:
        return
    due, problem = date_field.read(str(st.session_state.get(f"{key}_due") or ""), required=False)
    if problem:
        st.error(t("ho_not_saved") + " " + problem, icon=":material/event_busy:")
        return
    try:
        with state.edit() as store:
            action = actions.add_action(
                store,
                row.item,
                row.place,
                what=str(st.session_state.get(f"{key}_what") or ""),
                owner=str(st.session_state.get(f"{key}_owner") or ""),
                due=due,
            )
    except KGraphError as exc:
        st.error(t("ho_not_saved") + " " + _why(exc), icon=":material/error:")
        return
    st.session_state[ADDED] = st.session_state.get(ADDED, 0) + 1
    _flash(t("ho_action_added", what=widgets.md(action.what)))
    st.rerun()


def _why(exc: KGraphError) -> str:
    text = str(exc)
    for field, key in (("what", "ho_action_needs_what"), ("owner", "ho_action_needs_owner")):
        if text.startswith(f"{field}:"):
            return t(key)
    return widgets.md(text)


def _propose_form(row: TableRow, places: dict[str, str]) -> None:
    have = {row.place} if row.place else set()
    options = [p for p in sorted(places, key=lambda p: places[p].casefold()) if p not in have]
    if not options:
        return
    with st.form(f"ho_propose_{row.key}", enter_to_submit=False):
        st.markdown(f"**{t('propose_title')}**")
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        place = c1.selectbox(t("col_landing"), options, format_func=places.__getitem__)
        done = c2.form_submit_button(
            t("propose"), disabled=not state.actor(), icon=":material/add_link:"
        )
    if done and place:
        try:
            with state.edit() as store:
                decisions.propose_landing(store, row.item, place)
        except KGraphError as exc:
            widgets.show_error(exc)
            return
        _flash(t("proposed_done", item=widgets.md(row.title), place=widgets.md(places[place])))
        st.rerun()


def render(row: TableRow, places: dict[str, str], *, can_edit: bool) -> None:
    """The details of one ticked row."""
    _facts(row)
    st.markdown(f"**{t('ho_actions_title')}**")
    mine: list[Any] = [a for a in reads.all_actions() if a.ref == row.key]
    mine.sort(key=lambda a: (not a.is_open, a.due is None, a.due or "", a.created_at or ""))
    action_list(mine, key=f"ho_detail_{row.key}", can_edit=can_edit)
    if can_edit:
        _add_action_form(row)
        _propose_form(row, places)
