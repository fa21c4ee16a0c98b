"""Hiaten: the loose ends of the graph, and what holds it together.

Every gap (``kgraph.analysis.gaps``) and the open ends of the handover
(``kgraph.analysis.handover``), each with its count and a plain explanation; one list at a
time, read from the store a page at a time, and any item can be shown in Verkennen. The
second tab ranks items by links and bridging (``kgraph.analysis.centrality``), computed in
the background: the page shows the last ranking, with its time, meanwhile.

Counts and pages come from the analysis cache (``kgraph.analysis.cached``): computed once
per change of the store, shared by every session and process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis.cached import CENTRALITY, HANDOVER_OVERVIEW, LIST_COUNTS, LIST_PAGE
from kgraph.analysis.centrality import DEFAULT_SAMPLES, Centrality
from kgraph.analysis.gaps import GAP_LABELS
from kgraph.analysis.handover import EXPLANATIONS
from kgraph.model import NODE_KINDS
from kgraph.query import top_ranked
from kgraph.ui import freshness, i18n, paging, state, widgets
from kgraph.ui.explore_link import picker
from kgraph.ui.i18n import t

#: the handover's open ends shown next to the gaps, in this order
HANDOVER_GAPS = ("no_landing", "not_accepted", "idle_places")
#: every list the page can show, in the order offered
LISTS = (*GAP_LABELS, *HANDOVER_GAPS)
SHOW = "keep_gaps_show"
CENTRAL_KINDS = "keep_gaps_central_kinds"
CENTRAL_TOP = "keep_gaps_central_top"
TOP_DEFAULT = 20
#: how many plain-language sentences are written out under the ranking
SENTENCES = 5
#: how long a page run waits for fresh counts before showing the last ones
WAIT_S = 1.0
TABLE_HEIGHT = 420


def title_of(name: str) -> str:
    """A list's title in the chosen language."""
    return t(GAP_LABELS[name]["title"]) if name in GAP_LABELS else t(f"gaps_{name}")


def help_of(name: str) -> str:
    """What a list means, in the chosen language."""
    return t(GAP_LABELS[name]["help"]) if name in GAP_LABELS else t(EXPLANATIONS[name])


def ranking(kinds: Sequence[str], top: int) -> tuple[Centrality | None, list[dict[str, Any]]]:
    """The newest centrality result (``None`` while the first is being computed) and its
    ``top`` rows of ``kinds`` (all when empty), as ``centrality(store, kinds=kinds,
    top=top)`` ranks them."""
    snap = state.latest(CENTRALITY, samples=DEFAULT_SAMPLES)
    freshness.show(snap, CENTRALITY, samples=DEFAULT_SAMPLES)
    if snap.value is None:
        return None, []
    return snap.value, top_ranked(snap.value.rows, kinds, top)


def _labels(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    return {r["id"]: f"{r['title']} ({i18n.kind_label(r['kind'])})" for r in rows}


def _rows(name: str, total: int) -> list[dict[str, Any]]:
    page = paging.pager(f"gaps_{name}", total)
    if not total:
        return []
    if name == "idle_places":
        overview = state.cached(HANDOVER_OVERVIEW)
        return overview.idle_places[page.offset : page.offset + page.limit]
    return state.cached(LIST_PAGE, name=name, offset=page.offset, limit=page.limit)


def _list(name: str, total: int) -> None:
    st.subheader(f"{title_of(name)} ({paging.count(total)})")
    st.caption(help_of(name))
    rows = _rows(name, total)
    if not rows:
        st.success(t("gaps_none"), icon=":material/check_circle:")
        return
    data = []
    for r in rows:
        entry = {t("col_title"): r["title"], t("col_kind"): i18n.kind_label(r["kind"])}
        if "landings" in r:
            entry[t("col_landing")] = (
                "; ".join(
                    f"{x['place_title']}: {i18n.status_label(x['status'])}" for x in r["landings"]
                )
                or "–"
            )
        data.append(entry)
    widgets.table(
        pd.DataFrame(data),
        hide_index=True,
        width="stretch",
        height=min(TABLE_HEIGHT, 38 + 35 * len(data)),
    )
    picker(_labels(rows), key=f"gaps_{name}")


def _gaps_tab() -> None:
    snap = state.latest(LIST_COUNTS, wait_s=WAIT_S)
    freshness.show(snap, LIST_COUNTS)
    counts = snap.value
    if counts is None:
        return
    st.caption(t("gaps_total", n=paging.count(counts["flagged"])))
    if st.session_state.get(SHOW) not in LISTS:
        st.session_state[SHOW] = next((n for n in LISTS if counts.get(n)), LISTS[0])
    shown = st.pills(
        t("gaps_show"),
        LISTS,
        format_func=lambda n: f"{title_of(n)} ({paging.count(counts.get(n, 0))})",
        key=SHOW,
        selection_mode="single",
    )
    name = shown or st.session_state.get(SHOW) or LISTS[0]
    _list(name, counts.get(name, 0))


def _central_tab() -> None:
    st.session_state.setdefault(CENTRAL_TOP, TOP_DEFAULT)
    c1, c2 = st.columns([3, 1])
    kinds = widgets.filter_choice(c1, t("filter_kinds"), NODE_KINDS, CENTRAL_KINDS, i18n.kind_label)
    top = c2.number_input(t("central_top"), min_value=1, max_value=500, step=5, key=CENTRAL_TOP)
    result, rows = ranking(kinds, int(top))
    if result is None:
        return
    st.caption(t(result.explanation))
    if result.approximate:
        st.caption(t("central_approx", samples=result.samples, nodes=paging.count(result.nodes)))
    if not rows:
        st.info(t("search_none"))
        return
    widgets.table(
        pd.DataFrame(
            [
                {
                    t("col_rank"): r["rank"],
                    t("col_title"): r["title"],
                    t("col_kind"): i18n.kind_label(r["kind"]),
                    t("col_links"): r["degree"],
                    t("col_bridging"): round(100 * r["betweenness"], 1),
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        height=min(TABLE_HEIGHT, 38 + 35 * len(rows)),
        column_config={t("col_bridging"): st.column_config.NumberColumn(format="%.1f")},
    )
    st.markdown(t("central_in_words"))
    st.text("\n".join(f"{r['rank']}. {i18n.render(r['explanation'])}" for r in rows[:SENTENCES]))
    picker(_labels(rows), key="gaps_central")


def render() -> None:
    st.title(t("page_gaps"))
    st.caption(t("gaps_intro"))
    tab_gaps, tab_central = st.tabs([t("gaps_tab"), t("central_tab")])
    with tab_gaps:
        _gaps_tab()
    with tab_central:
        _central_tab()


if __name__ == "__main__":
    render()
