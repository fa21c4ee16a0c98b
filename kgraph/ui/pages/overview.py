"""Overzicht: counts per kind, handover progress per landing place and per CoP (the
handover's counts, ``kgraph.analysis.handover_overview``), recent changes.

Every figure comes from the analysis cache (``kgraph.cache``): computed once per change of
the store, shared by every session; the charts show the landing places and CoPs that
receive the most, the rest in a paged table, so the page is as tall at 100,000 questions
as at a hundred.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis.cached import COUNTS, HANDOVER_OVERVIEW
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS
from kgraph.ui import freshness, i18n, paging, state, widgets
from kgraph.ui.i18n import t

RECENT_TX = 12
#: bars per chart; the rest are in the table below it
TOP = 12
#: how far back "recently changed" reads at most (entries, newest first)
RECENT_ENTRIES = 2000
#: how long a page run waits for the handover figures before showing the last ones
WAIT_S = 1.0
#: pixels of a landing place's or CoP's name shown beside its bar
LABEL_LIMIT = 200


def progress_frame(rows: list[dict[str, Any]], counts_key: str) -> pd.DataFrame:
    """One row per landing place/CoP, one column per handover status label."""
    statuses = [s for s in HANDOVER_STATUSES if any(r[counts_key].get(s) for r in rows)]
    data = []
    for row in rows:
        entry: dict[str, object] = {t("col_name"): row["title"]}
        for status in statuses:
            entry[i18n.status_label(status)] = row[counts_key].get(status, 0)
        data.append(entry)
    return pd.DataFrame(data, columns=[t("col_name"), *[i18n.status_label(s) for s in statuses]])


def ranked(rows: list[dict[str, Any]], counts_key: str) -> list[dict[str, Any]]:
    """Rows that received anything, most first (then by title): what the chart shows."""
    busy = [r for r in rows if sum(r[counts_key].values())]
    return sorted(busy, key=lambda r: (-sum(r[counts_key].values()), str(r["title"]).casefold()))


def progress_chart(frame: pd.DataFrame) -> Any:
    """Horizontal stacked bars, one per row of ``frame``, most first: names readable to
    ``LABEL_LIMIT`` pixels, a bar's height per row, the legend under the chart (it never
    runs out of a half-width column)."""
    import altair as alt

    name = t("col_name")
    series = [c for c in frame.columns if c != name]
    long = frame.melt(id_vars=[name], value_vars=series, var_name="status", value_name="n")
    order = list(frame[name])
    labels = [i18n.status_label(s) for s in HANDOVER_STATUSES]
    colours = [widgets.STATUS_COLOURS[s] for s in HANDOVER_STATUSES]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{name}:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False),
            ),
            x=alt.X("n:Q", title=t("col_items"), stack="zero"),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(orient="bottom", columns=1, title=None),
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[f"{name}:N", "status:N", "n:Q"],
        )
        .transform_calculate(
            status_rank=" + ".join(
                f"(datum.status == {json.dumps(label)} ? {i} : 0)" for i, label in enumerate(labels)
            )
        )
        .properties(height=chart_height(len(frame)))
    )


def chart_height(rows: int) -> int:
    """Pixels of the bars of ``rows`` rows (the axis and legend come on top)."""
    return max(120, 28 * rows)


def _counts_section() -> None:
    st.subheader(t("counts_title"))
    counts = state.cached(COUNTS)
    cols = st.columns(4)
    for i, kind in enumerate(NODE_KINDS):
        cols[i % 4].metric(i18n.kind_label(kind), paging.count(counts["nodes"].get(kind, 0)))
    with st.expander(t("edge_counts")):
        widgets.table(
            pd.DataFrame(
                [
                    {t("col_edge_kind"): i18n.edge_label(k), t("col_count"): n}
                    for k, n in counts["edges"].items()
                ]
            ),
            hide_index=True,
        )


def _progress_section(
    rows: list[dict[str, Any]], counts_key: str, title: str, why: str, key: str
) -> None:
    st.subheader(title)
    st.caption(why)
    busy = ranked(rows, counts_key)
    frame = progress_frame(busy[:TOP], counts_key)
    if frame.empty or len(frame.columns) == 1:
        st.info(t("no_handover"))
        return
    st.altair_chart(progress_chart(frame), width="stretch", height=chart_height(len(frame)) + 150)
    label = t("as_table") if len(busy) <= TOP else t("as_table_all", n=paging.count(len(rows)))
    with st.expander(label):
        page = paging.pager(f"overview_{key}", len(rows))
        everything = ranked(rows, counts_key) + [r for r in rows if r not in busy]
        widgets.table(
            progress_frame(everything[page.offset : page.offset + page.limit], counts_key),
            hide_index=True,
            width="stretch",
        )


def _recent_section() -> None:
    st.subheader(t("recent_title"))
    # The newest entries first, a bounded number: a seed or an import is one transaction
    # of thousands of entries, and it is one line here.
    changes = recent_changes()
    if not changes:
        st.info(t("recent_none_at_all"))
        return
    by_tx: dict[int, list[Any]] = {}
    for change in changes:
        by_tx.setdefault(change.tx, []).append(change)
    for cs in by_tx.values():
        cs.sort(key=lambda c: c.seq)
    recent = sorted(by_tx.values(), key=lambda cs: cs[-1].seq, reverse=True)[:RECENT_TX]
    # the oldest transaction read may go on before the window: its count is "at least"
    cut = changes[-1].tx if len(changes) >= RECENT_ENTRIES else None
    ids = [cs[0].target.split("|")[0] for cs in recent]
    names = state.titles(ids)
    rows = [
        {
            t("col_when_local"): freshness.local_time(cs[-1].at),
            t("col_who"): cs[0].actor,
            t("col_what"): widgets.change_summary(cs, names),
            t("col_count"): paging.count(len(cs)) + ("+" if cs[0].tx == cut else ""),
        }
        for cs in recent
    ]
    widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")


def recent_changes() -> list[Any]:
    """The newest history entries, at most ``RECENT_ENTRIES``, newest first (a history
    page: nothing older is read or decoded)."""
    return state.store().history(limit=RECENT_ENTRIES, newest_first=True)


def render() -> None:
    st.title(t("page_overview"))
    st.caption(t("overview_intro"))
    _counts_section()
    snap = state.latest(HANDOVER_OVERVIEW, wait_s=WAIT_S)
    freshness.show(snap, HANDOVER_OVERVIEW)
    overview = snap.value
    if overview is not None:
        why = overview.explanations
        left, right = st.columns(2)
        with left:
            _progress_section(
                overview.places, "total", t("progress_landing"), t(why["places"]), "places"
            )
        with right:
            _progress_section(overview.cops, "counts", t("progress_cop"), t(why["cops"]), "cops")
        if overview.no_landing:
            st.warning(
                t("no_landing_title", n=overview.no_landing) + ". " + t("see_handover"),
                icon=":material/priority_high:",
            )
    _recent_section()


if __name__ == "__main__":
    render()
