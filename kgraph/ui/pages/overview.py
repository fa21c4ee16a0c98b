"""Overzicht: counts per kind, handover progress per landing place and per CoP (a projection
of ``kgraph.analysis.handover_coverage``), recent changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.model import HANDOVER_STATUSES, NODE_KINDS
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

RECENT_DAYS = 30
RECENT_TX = 12


def progress_frame(rows: list[dict[str, Any]], counts_key: str) -> pd.DataFrame:
    """One row per landing place/CoP (coverage rows), one column per handover status label."""
    statuses = [s for s in HANDOVER_STATUSES if any(r[counts_key].get(s) for r in rows)]
    data = []
    for row in rows:
        entry: dict[str, object] = {t("col_name"): row["title"]}
        for status in statuses:
            entry[i18n.status_label(status)] = row[counts_key].get(status, 0)
        data.append(entry)
    return pd.DataFrame(data, columns=[t("col_name"), *[i18n.status_label(s) for s in statuses]])


def _counts_section() -> None:
    st.subheader(t("counts_title"))
    counts = state.counts()
    cols = st.columns(4)
    for i, kind in enumerate(NODE_KINDS):
        cols[i % 4].metric(i18n.kind_label(kind), counts.nodes.get(kind, 0))
    with st.expander(t("edge_counts")):
        widgets.table(
            pd.DataFrame(
                [
                    {t("col_edge_kind"): i18n.edge_label(k), t("col_count"): n}
                    for k, n in counts.edges.items()
                ]
            ),
            hide_index=True,
        )


def _progress_section(rows: list[dict[str, Any]], counts_key: str, title: str, why: str) -> None:
    st.subheader(title)
    st.caption(why)
    frame = progress_frame(rows, counts_key)
    if frame.empty or len(frame.columns) == 1:
        st.info(t("no_handover"))
        return
    series = [c for c in frame.columns if c != t("col_name")]
    colours: list[Any] = [
        widgets.STATUS_COLOURS[s] for s in HANDOVER_STATUSES if i18n.status_label(s) in series
    ]
    st.bar_chart(
        frame,
        x=t("col_name"),
        y=series,
        color=colours,
        horizontal=True,
        stack=True,
        sort=False,
        height=max(220, 30 * len(frame) + 90),
        x_label="",
        y_label=t("col_items"),
    )
    with st.expander(t("as_table")):
        widgets.table(frame, hide_index=True)


def _recent_section() -> None:
    st.subheader(t("recent_title"))
    since = (datetime.now(UTC) - timedelta(days=RECENT_DAYS)).isoformat()
    changes = state.store().history(since=since)
    if not changes:
        st.info(t("recent_none", days=RECENT_DAYS))
        return
    # One line per transaction: a seed or an import is one change, not hundreds.
    by_tx: dict[int, list] = {}
    for change in changes:
        by_tx.setdefault(change.tx, []).append(change)
    recent = sorted(by_tx.values(), key=lambda cs: cs[-1].seq, reverse=True)[:RECENT_TX]
    ids = [cs[0].target.split("|")[0] for cs in recent]
    names = state.titles(ids)
    rows = [
        {
            t("col_when"): widgets.short_time(cs[-1].at),
            t("col_who"): cs[0].actor,
            t("col_what"): widgets.change_summary(cs, names),
            t("col_count"): len(cs),
        }
        for cs in recent
    ]
    widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("page_overview"))
    st.caption(t("overview_intro"))
    _counts_section()
    coverage = state.handover_coverage()  # the Overdracht page and the report count the same
    why = coverage.explanations
    left, right = st.columns(2)
    with left:
        _progress_section(coverage.places, "total", t("progress_landing"), t(why["places"]))
    with right:
        _progress_section(coverage.cops, "counts", t("progress_cop"), t(why["cops"]))
    if coverage.no_landing:
        st.warning(
            t("no_landing_title", n=len(coverage.no_landing)) + ". " + t("see_handover"),
            icon=":material/priority_high:",
        )
    _recent_section()


if __name__ == "__main__":
    render()
