"""Hiaten: the loose ends of the graph, and what holds it together.

Every gap category of ``kgraph.analysis.find_gaps`` and the open ends of the handover
(``kgraph.analysis.handover_coverage``), each with its count and a plain explanation; any
item can be shown in Verkennen. The second tab ranks items by links and bridging
(``kgraph.analysis.centrality``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis import Centrality, Gaps, centrality, find_gaps
from kgraph.model import NODE_KINDS
from kgraph.query import top_ranked
from kgraph.store.base import GraphStore
from kgraph.ui import i18n, state, widgets
from kgraph.ui.explore_link import picker
from kgraph.ui.i18n import t

#: the handover's open ends shown next to the gaps, in this order
HANDOVER_GAPS = ("no_landing", "not_accepted", "idle_places")
#: a category with at most this many items opens by itself
OPEN_UP_TO = 10
CENTRAL_KINDS = "keep_gaps_central_kinds"
CENTRAL_TOP = "keep_gaps_central_top"
TOP_DEFAULT = 20
#: how many plain-language sentences are written out under the ranking
SENTENCES = 5


@st.cache_data(ttl=state.CACHE_TTL_S, max_entries=8, show_spinner=False)
def _gaps(_store: GraphStore, loc: str, gen: tuple[int, int]) -> Gaps:
    return find_gaps(_store)


@st.cache_data(ttl=state.CACHE_TTL_S, max_entries=8, show_spinner=False)
def _centrality(_store: GraphStore, loc: str, gen: tuple[int, int]) -> Centrality:
    # every node, ranked once; the kind filter and the number shown are applied on the page
    return centrality(_store, top=None)


def gaps() -> Gaps:
    """``find_gaps`` of the dashboard's store, cached per store stamp."""
    h = state.handle()
    return _gaps(h.store, state.location(), h.stamp)


def ranking(kinds: Sequence[str], top: int) -> tuple[Centrality, list[dict[str, Any]]]:
    """The centrality result and its ``top`` rows of ``kinds`` (all when empty), ranked as
    ``kgraph.analysis.centrality(store, kinds=kinds, top=top)`` ranks them."""
    h = state.handle()
    result = _centrality(h.store, state.location(), h.stamp)
    return result, top_ranked(result.rows, kinds, top)


def _labels(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    return {r["id"]: f"{r['title']} ({i18n.kind_label(r['kind'])})" for r in rows}


def _category(name: str, title: str, why: str, rows: Sequence[dict[str, Any]]) -> None:
    icon = ":material/check_circle:" if not rows else ":material/error:"
    with st.expander(f"{title} ({len(rows)})", expanded=0 < len(rows) <= OPEN_UP_TO, icon=icon):
        st.caption(why)
        if not rows:
            st.caption(t("gaps_none"))
            return
        data = []
        for r in rows:
            entry = {t("col_title"): r["title"], t("col_kind"): i18n.kind_label(r["kind"])}
            if "landings" in r:
                entry[t("col_landing")] = (
                    "; ".join(
                        f"{x['place_title']}: {i18n.status_label(x['status'])}"
                        for x in r["landings"]
                    )
                    or "–"
                )
            data.append(entry)
        widgets.table(pd.DataFrame(data), hide_index=True, width="stretch")
        picker(_labels(rows), key=f"gaps_{name}")


def _gaps_tab() -> None:
    found = gaps()
    coverage = state.handover_coverage()
    handover_rows = {name: getattr(coverage, name) for name in HANDOVER_GAPS}
    flagged = {r["id"] for rows in (*found.groups.values(), *handover_rows.values()) for r in rows}
    st.caption(t("gaps_total", n=len(flagged)))
    st.subheader(t("gaps_graph"))
    for name, rows in found.groups.items():
        label = found.labels[name]
        _category(name, t(label["title"]), t(label["help"]), rows)
    st.subheader(t("gaps_handover"))
    for name, rows in handover_rows.items():
        _category(name, t(f"gaps_{name}"), t(coverage.explanations[name]), rows)


def _central_tab() -> None:
    st.session_state.setdefault(CENTRAL_TOP, TOP_DEFAULT)
    c1, c2 = st.columns([3, 1])
    kinds = widgets.filter_choice(c1, t("filter_kinds"), NODE_KINDS, CENTRAL_KINDS, i18n.kind_label)
    top = c2.number_input(t("central_top"), min_value=1, max_value=500, step=5, key=CENTRAL_TOP)
    result, rows = ranking(kinds, int(top))
    st.caption(t(result.explanation))
    if result.approximate:
        st.caption(t("central_approx", samples=result.samples, nodes=result.nodes))
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
