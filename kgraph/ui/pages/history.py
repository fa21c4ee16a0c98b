"""Geschiedenis: every change filtered by date, person and node; what changed between two
dates, summed up per item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kgraph.store.base import Change
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

SINCE = "keep_history_since"
UNTIL = "keep_history_until"
PERSON = "keep_history_person"
NODE = "keep_history_node"
SHOW_ROWS = 2000
ALL = ""


def day_start(day: date) -> str:
    """Midnight UTC of ``day`` as the ISO text history timestamps compare with."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class NetChange:
    """How one item differs at the end of a period from its start.

    ``net`` is ``added``, ``deleted``, ``changed`` or ``added_deleted``; ``fields`` the
    keys whose value differs; ``count`` the number of changes in the period.
    """

    target: str
    net: str
    fields: list[str]
    actors: list[str]
    count: int


def net_changes(changes: Sequence[Change]) -> list[NetChange]:
    """Per item changed in ``changes`` (in order): its net change; an item changed and
    changed back is left out."""
    first: dict[str, Change] = {}
    last: dict[str, Change] = {}
    actors: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for c in changes:
        first.setdefault(c.target, c)
        last[c.target] = c
        actors.setdefault(c.target, set()).add(c.actor)
        count[c.target] = count.get(c.target, 0) + 1
    out: list[NetChange] = []
    for target, start in first.items():
        end = last[target]
        before, after = start.before, end.after
        if before is None and after is None:
            net = "added_deleted"
        elif before is None:
            net = "added"
        elif after is None:
            net = "deleted"
        else:
            net = "changed"
        keys: list[str] = []
        if net == "changed":
            merged = Change(0, 0, end.at, end.actor, "update_node", target, before, after)
            keys = list(widgets.changed_fields(merged))
            if not keys:
                continue  # changed and changed back
        out.append(NetChange(target, net, keys, sorted(actors[target]), count[target]))
    return out


def _names(changes: Sequence[Change]) -> dict[str, str]:
    """Titles for the targets of ``changes``: from the history itself (so deleted items
    keep their name), else from the store."""
    names: dict[str, str] = {}
    ends: set[str] = set()
    for c in changes:
        data = c.after or c.before or {}
        if "|" in c.target:
            src, _kind, dst = c.target.split("|", 2)
            ends.update((src, dst))
        elif data.get("title"):
            names[c.target] = str(data["title"])
    missing = sorted(ends - set(names))
    names.update(state.titles(missing))
    return names


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
    changes = state.store().history(since=since, until=until, target=node)
    actors = sorted({c.actor for c in changes}, key=str.casefold)
    if st.session_state.get(PERSON) not in [ALL, *actors]:
        st.session_state[PERSON] = ALL
    person = person_column.selectbox(
        t("person"), [ALL, *actors], format_func=lambda a: a or t("all"), key=PERSON
    )
    if person:
        changes = [c for c in changes if c.actor == person]
    st.caption(t("n_changes", n=len(changes)))
    tab_list, tab_net = st.tabs([t("history_list"), t("history_net")])
    names = _names(changes)
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
            for c in reversed(changes[-SHOW_ROWS:])
        ]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.info(t("history_none"))
    with tab_net:
        st.caption(t("history_net_help"))
        net = net_changes(changes)
        if net:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("col_item"): widgets.target_label(r.target, names),
                            t("col_net"): t(f"net_{r.net}"),
                            t("col_fields"): ", ".join(r.fields),
                            t("col_who"): ", ".join(r.actors),
                            t("col_count"): r.count,
                        }
                        for r in net
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.info(t("history_none"))


if __name__ == "__main__":
    render()
