"""Geschiedenis: every change filtered by date, person and node; and for the steering group
what changed between two dates (``kgraph.analysis.changes_since``): the handover statuses
that moved, then the items and links added, removed and changed, per kind.

The page only draws: which entries, their titles and the fields they changed come from
``kgraph.analysis.changes``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kgraph.analysis import ChangeReport, changes_since
from kgraph.analysis.changes import day_start, history_entries, target_titles
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

SINCE = "keep_history_since"
UNTIL = "keep_history_until"
PERSON = "keep_history_person"
NODE = "keep_history_node"
SHOW_ROWS = 2000
ALL = ""


# --- for the steering group ---------------------------------------------------------------


def _per_kind(groups: dict[str, list[dict[str, Any]]], label: Any) -> str:
    return ", ".join(f"{len(rows)} × {label(kind)}" for kind, rows in sorted(groups.items()))


def _handover_moves(report: ChangeReport) -> None:
    st.markdown(f"**{t('report_handover', n=len(report.handover))}**")
    st.caption(t(report.explanations["handover"]))
    if not report.handover:
        st.caption(t("report_none"))
        return
    rows = [
        {
            t("col_item"): m["src_title"],
            t("col_landing"): m["dst_title"],
            t("path_from"): i18n.status_label(m["from"]),
            t("path_to"): i18n.status_label(m["to"]),
            t("col_who"): m["by"],
            t("col_when"): widgets.short_time(m["at"]),
            t("field_decided_by"): m.get("decided_by") or "",
            t("field_note"): m.get("note") or "",
        }
        for m in report.handover
    ]
    widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")


def _bucket(
    bucket: dict[str, dict[str, list[dict[str, Any]]]], links: bool, title: str, why: str
) -> None:
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
            data = []
            for kind, rows in sorted(groups.items()):
                for r in rows:
                    entry: dict[str, Any] = {t("col_kind"): label(kind)}
                    if links:
                        entry[t("path_from")] = r["src_title"]
                        entry[t("path_to")] = r["dst_title"]
                        entry[t("col_handover")] = (
                            i18n.status_label(r["status"]) if r.get("status") else ""
                        )
                    else:
                        entry[t("col_title")] = r["title"]
                    if what == "changed":
                        entry[t("col_change")] = widgets.describe_fields(r["fields"])
                    entry[t("col_who")] = ", ".join(r["by"])
                    entry[t("col_when")] = widgets.short_time(r["at"])
                    data.append(entry)
            widgets.table(pd.DataFrame(data), hide_index=True, width="stretch")


def report_section(report: ChangeReport) -> None:
    """What changed in the period, grouped so a steering group reads it in a minute."""
    why = report.explanations
    st.caption(t("history_report_help"))
    st.info(i18n.render(report.headline), icon=":material/summarize:")
    _handover_moves(report)
    _bucket(report.nodes, False, t("report_items"), t(why["nodes"]))
    _bucket(report.edges, True, t("report_links"), t(why["edges"]))


def _filters() -> tuple[str | None, str | None, str | None, DeltaGenerator]:
    """The date and item filters; returns (since, until, node id, where the person filter goes)."""
    today = date.today()
    st.session_state.setdefault(SINCE, today - timedelta(days=30))
    st.session_state.setdefault(UNTIL, today)
    c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 3, 3])
    since = c1.date_input(t("since"), key=SINCE, format="YYYY-MM-DD")
    until = c2.date_input(t("until"), key=UNTIL, format="YYYY-MM-DD", help=t("until_help"))
    text = c4.text_input(t("history_node"), key="history_node_search", placeholder=t("search_hint"))
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
    c5.selectbox(t("history_pick"), options, format_func=lambda i: labels.get(i, i), key=NODE)
    return (
        day_start(since) if isinstance(since, date) else None,
        day_start(until + timedelta(days=1)) if isinstance(until, date) else None,
        st.session_state.get(NODE) or None,
        c3,
    )


def render() -> None:
    st.title(t("page_history"))
    since, until, node, person_column = _filters()
    store = state.store()
    everyone = history_entries(store, since=since, until=until, target=node)
    actors = sorted({c.actor for c in everyone}, key=str.casefold)
    if st.session_state.get(PERSON) not in [ALL, *actors]:
        st.session_state[PERSON] = ALL
    person = person_column.selectbox(
        t("person"), [ALL, *actors], format_func=lambda a: a or t("all"), key=PERSON
    )
    changes = [c for c in everyone if c.actor == person] if person else everyone
    st.caption(t("n_changes", n=len(changes)))
    tab_list, tab_report = st.tabs([t("history_list"), t("history_report")])
    shown = changes[-SHOW_ROWS:]
    names = target_titles(store, shown)  # only the rows listed need names
    with tab_list:
        if len(changes) > SHOW_ROWS:
            st.info(t("history_cut", n=SHOW_ROWS))
        rows = [
            {
                t("col_when"): widgets.short_time(c.at),
                t("col_who"): c.actor,
                t("col_what"): i18n.op_label(c.op),
                t("col_item"): widgets.target_label(c.target, names),
                t("col_change"): widgets.describe_change(c),
            }
            for c in reversed(shown)
        ]
        if rows:
            widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.info(t("history_none"))
    with tab_report:
        report_section(changes_since(store, since or day_start(date.min), until))


if __name__ == "__main__":
    render()
