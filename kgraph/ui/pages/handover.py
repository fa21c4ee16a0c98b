"""Overdracht: the handover review for the steering group.

Per landing place or per CoP, every complex question, CoP and showcase with its handover
status; what has no landing place stands out; a decision (status, date, by whom, note) is
recorded on the ``LANDS_IN`` edge; the handover report downloads in md, html and xlsx.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from kgraph.errors import KGraphError
from kgraph.model import HANDOVER_STATUSES, Edge
from kgraph.ui import i18n, state, widgets
from kgraph.ui.handover_data import (
    NO_LANDING,
    STATUS_ORDER,
    HandoverRow,
    handover_rows,
    without_landing,
)
from kgraph.ui.i18n import t

GROUP = "keep_handover_group"
DECIDE = "keep_handover_edge"
FLASH = "handover_flash"
REPORT_FORMATS = {
    "md": ("text/markdown", "Markdown"),
    "html": ("text/html", "HTML"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
}
FIELDS = ("status", "decided_on", "decided_by", "note")


def _rows() -> list[HandoverRow]:
    nodes = state.nodes(("complex_question", "cop", "showcase", "landing_place"))
    edges = state.edges(("LANDS_IN", "RAISED_IN", "FEEDS"))
    return handover_rows(nodes, edges)


def _frame(rows: Sequence[HandoverRow], *, show_landing: bool) -> pd.DataFrame:
    data = []
    for r in rows:
        props = r.edge.props if r.edge is not None else {}
        entry = {
            t("col_title"): r.item.title,
            t("col_kind"): i18n.kind_label(r.item.kind),
        }
        if show_landing:
            entry[t("col_landing")] = r.landing.title if r.landing is not None else "–"
        entry.update(
            {
                t("col_handover"): i18n.status_label(r.status),
                t("field_decided_on"): str(props.get("decided_on") or ""),
                t("field_decided_by"): str(props.get("decided_by") or ""),
                t("field_note"): str(props.get("note") or ""),
            }
        )
        data.append(entry)
    return pd.DataFrame(data)


def _summary(counter: Counter[str]) -> str:
    return ", ".join(f"{counter[s]} {i18n.status_label(s)}" for s in STATUS_ORDER if counter.get(s))


def _metrics(rows: Sequence[HandoverRow]) -> None:
    counter = Counter(r.status for r in rows)
    cols = st.columns(len(STATUS_ORDER))
    for col, status in zip(cols, STATUS_ORDER, strict=True):
        col.metric(i18n.status_label(status), counter.get(status, 0))


def _missing(rows: Sequence[HandoverRow]) -> None:
    missing = without_landing(rows)
    if not missing:
        st.success(t("all_landed"), icon=":material/check_circle:")
        return
    lines = "\n".join(f"- {widgets.md(n.title)} ({i18n.kind_label(n.kind)})" for n in missing)
    st.error(
        f"**{t('no_landing_title', n=len(missing))}**\n\n{lines}", icon=":material/priority_high:"
    )
    if state.can("edit"):
        _propose_form(missing)


def _propose_form(missing: Sequence) -> None:
    places = {n.id: n.title for n in state.nodes(("landing_place",))}
    if not places:
        return
    with st.expander(t("propose_title"), icon=":material/add_link:"):
        with st.form("handover_propose"):
            items = {n.id: widgets.node_label(n) for n in missing}
            item = st.selectbox(t("item"), list(items), format_func=items.__getitem__)
            place = st.selectbox(t("col_landing"), list(places), format_func=places.__getitem__)
            done = st.form_submit_button(t("propose"), disabled=not state.actor())
        if done and item and place:
            try:
                with state.edit() as store:
                    store.add_edge(Edge(item, "LANDS_IN", place, {"status": "proposed"}))
            except KGraphError as exc:
                widgets.show_error(exc)
                return
            st.session_state[FLASH] = t(
                "proposed_done", item=widgets.md(items[item]), place=widgets.md(places[place])
            )
            st.rerun()


def _groups(rows: Sequence[HandoverRow]) -> None:
    group = st.radio(
        t("group_by"),
        ("landing", "cop"),
        format_func=lambda g: t(f"group_{g}"),
        key=GROUP,
        horizontal=True,
    )
    if group == "landing":
        names = {n.id: n.title for n in state.nodes(("landing_place",))}
        keyed: dict[str, list[HandoverRow]] = {}
        for r in rows:
            if r.landing is not None:
                keyed.setdefault(r.landing.id, []).append(r)
        show_landing = False
    else:
        names = {n.id: n.title for n in state.nodes(("cop",))}
        keyed = {}
        for r in rows:
            for cop in r.cops or (NO_LANDING,):
                keyed.setdefault(cop, []).append(r)
        names[NO_LANDING] = t("no_cop")
        show_landing = True
    for key in sorted(keyed, key=lambda k: (k == NO_LANDING, str(names.get(k) or k).casefold())):
        members = keyed[key]
        counter = Counter(r.status for r in members)
        with st.expander(f"{widgets.md(names.get(key, key))} — {_summary(counter)}"):
            widgets.table(
                _frame(members, show_landing=show_landing), hide_index=True, width="stretch"
            )


# --- deciding -----------------------------------------------------------------------------


def _fkey(field: str, key: str) -> str:
    return f"handover_{field}_{key}"


def _load(edge: Edge) -> None:
    props = edge.props
    st.session_state[_fkey("status", edge.key)] = edge.status or "proposed"
    try:
        decided = date.fromisoformat(str(props.get("decided_on")))
    except ValueError:
        decided = date.today()
    st.session_state[_fkey("decided_on", edge.key)] = decided
    st.session_state[_fkey("decided_by", edge.key)] = str(props.get("decided_by") or state.actor())
    st.session_state[_fkey("note", edge.key)] = str(props.get("note") or "")


def _decision_form(rows: Sequence[HandoverRow]) -> None:
    st.subheader(t("decide_title"))
    edges = {r.edge.key: r for r in rows if r.edge is not None}
    if not edges:
        st.caption(t("no_handover"))
        return
    labels = {
        k: f"{r.item.title} → {r.landing.title if r.landing else r.edge.dst if r.edge else ''}"
        f" ({i18n.status_label(r.status)})"
        for k, r in edges.items()
    }
    if st.session_state.get(DECIDE) not in labels:
        st.session_state[DECIDE] = next(iter(labels))
    key = st.selectbox(
        t("which_handover"), list(labels), format_func=labels.__getitem__, key=DECIDE
    )
    row = edges[key]
    edge = row.edge
    assert edge is not None
    if any(_fkey(f, key) not in st.session_state for f in FIELDS):
        _load(edge)
    with st.form(f"handover_form_{key}"):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(
            t("filter_hstatus"),
            list(HANDOVER_STATUSES),
            format_func=i18n.status_label,
            key=_fkey("status", key),
        )
        c2.date_input(t("field_decided_on"), key=_fkey("decided_on", key), format="YYYY-MM-DD")
        c3.text_input(t("field_decided_by"), key=_fkey("decided_by", key))
        st.text_area(t("field_note"), key=_fkey("note", key), height=80)
        saved = st.form_submit_button(
            t("save_decision"), type="primary", disabled=not state.actor(), icon=":material/gavel:"
        )
    if saved:
        decided_on = st.session_state[_fkey("decided_on", key)]
        changes = {
            "status": st.session_state[_fkey("status", key)],
            "decided_on": decided_on.isoformat() if decided_on else None,
            "decided_by": st.session_state[_fkey("decided_by", key)].strip() or None,
            "note": st.session_state[_fkey("note", key)].strip() or None,
        }
        try:
            with state.edit() as store:
                store.update_edge(edge.src, edge.kind, edge.dst, changes)
        except KGraphError as exc:
            widgets.show_error(exc)
            return
        for f in FIELDS:
            st.session_state.pop(_fkey(f, key), None)
        st.session_state[FLASH] = t(
            "decision_saved", what=widgets.md(labels[key].rsplit(" (", 1)[0])
        )
        st.rerun()


def _downloads() -> None:
    st.subheader(t("report_title"))
    from kgraph.export.report import handover_report

    store = state.store()
    lang = i18n.lang()  # read now: the download runs outside this script run
    today = date.today().isoformat()
    cols = st.columns(len(REPORT_FORMATS))
    for col, (fmt, (mime, name)) in zip(cols, REPORT_FORMATS.items(), strict=True):
        col.download_button(
            t("download_as", fmt=name),
            data=lambda fmt=fmt: handover_report(store, fmt, lang=lang),  # type: ignore[misc]
            file_name=f"overdracht-{today}.{fmt}",
            mime=mime,
            key=f"handover_report_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )


def render() -> None:
    st.title(t("page_handover"))
    st.caption(t("handover_intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    can_edit = state.can("edit")
    if not can_edit:
        st.info(t("read_only"), icon=":material/visibility:")
    elif not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    rows = _rows()
    _metrics(rows)
    _missing(rows)
    _groups(rows)
    if can_edit:
        _decision_form(rows)
    _downloads()


if __name__ == "__main__":
    render()
