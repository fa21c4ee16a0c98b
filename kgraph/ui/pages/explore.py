"""Verkennen: search, focus and depth, filters, the network, node details, shortest path.

The drawing (an ``st.iframe``) cannot send clicks back, so choosing and re-focusing a node happens
through ordinary (keyboard-usable) widgets next to the drawing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kgraph import query
from kgraph.errors import KGraphError
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS, QUESTION_STATUSES, Node
from kgraph.store.base import Subgraph
from kgraph.ui import i18n, pages, state, widgets
from kgraph.ui.i18n import t

NETWORK_HEIGHT = 650
SEARCH_LIMIT = 50
NEIGHBOUR_LIMIT = 200

# session keys
FOCUS = "keep_explore_focus"
DEPTH = "keep_explore_depth"
CAP = "keep_explore_cap"
KINDS = "keep_explore_kinds"
QSTATUS = "keep_explore_qstatus"
HSTATUS = "keep_explore_hstatus"
AREA = {
    "cop": "keep_explore_cop",
    "theme": "keep_explore_theme",
    "landing_place": "keep_explore_lp",
}
SELECTED = "keep_explore_selected"
PATH = "keep_explore_path"
PATH_NOTE = "keep_explore_path_note"


# --- what is drawn ------------------------------------------------------------------------


def current_view() -> tuple[Subgraph, Subgraph]:
    """(the capped neighbourhood as fetched, the filtered view that is drawn)."""
    focus = [i for i in st.session_state.get(FOCUS, []) if state.store().get_node(i)]
    if not focus:
        empty = Subgraph(nodes={}, edges=[])
        return empty, empty
    kinds = st.session_state.get(KINDS) or []
    all_kinds = not kinds or set(kinds) == set(NODE_KINDS)
    base = state.neighbourhood(
        focus,
        int(st.session_state.get(DEPTH, 1)),
        kinds=() if all_kinds else kinds,
        cap=int(st.session_state.get(CAP, state.DRAW_CAP)),
    )
    areas = [i for key in AREA.values() for i in st.session_state.get(key, [])]
    path = st.session_state.get(PATH) or []
    view = query.narrow(
        state.store(),
        base,
        keep_always=[*focus, *path],
        question_statuses=st.session_state.get(QSTATUS) or [],
        handover_statuses=st.session_state.get(HSTATUS) or [],
        areas=areas,
    )
    return base, view


# --- callbacks (they run before the widgets are drawn again) -------------------------------


def _set_focus(ids: list[str]) -> None:
    st.session_state[FOCUS] = ids
    st.session_state[PATH] = None
    st.session_state[PATH_NOTE] = ""
    if ids:
        st.session_state[SELECTED] = ids[0]


def _add_focus(node_id: str) -> None:
    focus = list(st.session_state.get(FOCUS, []))
    if node_id not in focus:
        focus.append(node_id)
    st.session_state[FOCUS] = focus
    st.session_state[SELECTED] = node_id


def _lower_depth() -> None:
    st.session_state[DEPTH] = max(1, int(st.session_state.get(DEPTH, 1)) - 1)


def _find_path() -> None:
    src, dst = st.session_state.get("explore_from"), st.session_state.get("explore_to")
    if not src or not dst:
        return
    try:
        path = state.store().shortest_path(src, dst)
    except KGraphError as exc:
        st.session_state[PATH], st.session_state[PATH_NOTE] = None, widgets.md(exc)
        return
    st.session_state[PATH] = path
    st.session_state[PATH_NOTE] = t("path_found", n=len(path) - 1) if path else t("path_none")


def _clear_path() -> None:
    st.session_state[PATH], st.session_state[PATH_NOTE] = None, ""


# --- page parts ---------------------------------------------------------------------------


def _search_and_focus() -> None:
    store = state.store()
    left, right = st.columns([3, 2])
    with left:
        text = st.text_input(t("search"), key="explore_search", placeholder=t("search_hint"))
        hits = query.search(store, text, limit=SEARCH_LIMIT)
        if text.strip() and not hits:
            st.caption(t("search_none"))
        if hits:
            labels = {n.id: widgets.node_label(n) for n in hits}
            choice = st.selectbox(
                t("search_results", n=len(hits)),
                options=list(labels),
                format_func=labels.__getitem__,
                key="explore_hit",
            )
            b1, b2 = st.columns(2)
            b1.button(
                t("focus_only"), on_click=_set_focus, args=([choice],), key="explore_focus_hit"
            )
            b2.button(t("focus_add"), on_click=_add_focus, args=(choice,), key="explore_add_hit")
    with right:
        focus = list(st.session_state.get(FOCUS, []))
        names = state.titles(focus)
        st.multiselect(
            t("focus_nodes"),
            options=focus,
            format_func=lambda i: names.get(i, i),
            key=FOCUS,
            help=t("focus_help"),
        )
        st.slider(t("depth"), min_value=1, max_value=3, key=DEPTH)


def _filters() -> None:
    with st.expander(t("filters"), expanded=False):
        c1, c2, c3 = st.columns(3)
        widgets.filter_choice(c1, t("filter_kinds"), NODE_KINDS, KINDS, i18n.kind_label)
        widgets.filter_choice(
            c2, t("filter_qstatus"), QUESTION_STATUSES, QSTATUS, i18n.status_label
        )
        widgets.filter_choice(
            c3, t("filter_hstatus"), HANDOVER_STATUSES, HSTATUS, i18n.status_label
        )
        a1, a2, a3 = st.columns(3)
        for column, (kind, key) in zip((a1, a2, a3), AREA.items(), strict=True):
            options = {n.id: n.title for n in state.nodes((kind,))}
            column.multiselect(
                i18n.kind_label(kind),
                options=list(options),
                format_func=lambda i, o=options: o.get(i, i),  # type: ignore[misc]
                key=key,
                placeholder=t("all"),
                help=t("area_help"),
            )
        st.slider(t("max_nodes"), min_value=25, max_value=state.DRAW_CAP, step=25, key=CAP)


def _network(view: Subgraph, base: Subgraph) -> None:
    from kgraph.export.network import render_network

    cap = int(st.session_state.get(CAP, state.DRAW_CAP))
    if base.truncated:
        st.warning(t("truncated", cap=cap), icon=":material/warning:")
        st.button(
            t("depth_lower"),
            on_click=_lower_depth,
            disabled=int(st.session_state.get(DEPTH, 1)) <= 1,
            key="explore_lower",
        )
    st.caption(t("view_size", nodes=len(view.nodes), edges=len(view.edges)))
    html = render_network(
        view,
        lang=i18n.lang(),
        highlight=tuple(st.session_state.get(PATH) or ()),
        # the renderer centres a selected node at full scale; a focus node is better seen
        # in the fitted overview, so only a node picked beyond the focus is passed on
        selected=_selected_beyond_focus(view),
        height=f"{NETWORK_HEIGHT}px",
    )
    st.iframe(html, height=NETWORK_HEIGHT + 20)


def _selected_beyond_focus(view: Subgraph) -> str | None:
    selected = st.session_state.get(SELECTED)
    if selected in view.nodes and selected not in st.session_state.get(FOCUS, []):
        return str(selected)
    return None


def _details(view: Subgraph) -> None:
    st.subheader(t("details"))
    order = query.reading_order(view.nodes.values())
    if not order:
        st.info(t("nothing_drawn"))
        return
    ids = [n.id for n in order]
    if st.session_state.get(SELECTED) not in view.nodes:
        focus = [i for i in st.session_state.get(FOCUS, []) if i in view.nodes]
        st.session_state[SELECTED] = focus[0] if focus else ids[0]
    labels = {n.id: widgets.node_label(n) for n in order}
    c1, c2, c3 = st.columns([3, 1.3, 1.3], vertical_alignment="bottom")
    node_id = c1.selectbox(
        t("node_in_view"),
        options=ids,
        format_func=labels.__getitem__,
        key=SELECTED,
        help=t("node_in_view_help"),
    )
    c2.button(
        t("refocus"),
        on_click=_set_focus,
        args=([node_id],),
        key="explore_refocus",
        width="stretch",
    )
    c3.button(
        t("focus_add"),
        on_click=_add_focus,
        args=(node_id,),
        key="explore_add_sel",
        width="stretch",
    )
    node = state.store().get_node(node_id)
    if node is None:
        st.info(t("node_gone"))
        return
    st.markdown(f"### {widgets.md(node.title)}")
    left, right = st.columns(2)
    with left:
        widgets.node_details(node)
    with right:
        _links_and_history(node)


def _links_and_history(node: Node) -> None:
    tab_n, tab_h = st.tabs([t("neighbours"), t("history")])
    with tab_n:
        rows = []
        for edge, other in state.store().neighbours(node.id, limit=NEIGHBOUR_LIMIT):
            outgoing = edge.src == node.id
            rows.append(
                {
                    t("col_direction"): "→" if outgoing else "←",
                    t("col_edge_kind"): i18n.edge_label(edge.kind),
                    t("col_name"): other.title,
                    t("col_kind"): i18n.kind_label(other.kind),
                    t("col_handover"): i18n.status_label(edge.status)
                    if edge.kind == "LANDS_IN"
                    else "",
                }
            )
        if rows:
            widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption(t("no_neighbours"))
    with tab_h:
        changes = state.store().history(target=node.id)[-50:]
        if changes:
            widgets.table(
                pd.DataFrame(
                    [
                        {
                            t("col_when"): widgets.short_time(c.at),
                            t("col_who"): c.actor,
                            t("col_what"): i18n.op_label(c.op),
                            t("col_change"): widgets.describe_change(c),
                        }
                        for c in reversed(changes)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("no_history"))


def _path_finder(view: Subgraph) -> None:
    with st.expander(t("path_title"), expanded=bool(st.session_state.get(PATH))):
        order = query.reading_order(view.nodes.values())
        labels = {n.id: widgets.node_label(n) for n in order}
        c1, c2 = st.columns(2)
        c1.selectbox(
            t("path_from"),
            options=list(labels),
            format_func=labels.__getitem__,
            key="explore_from",
            index=None,
            placeholder=t("choose"),
        )
        c2.selectbox(
            t("path_to"),
            options=list(labels),
            format_func=labels.__getitem__,
            key="explore_to",
            index=None,
            placeholder=t("choose"),
        )
        b1, b2 = st.columns(2)
        b1.button(t("path_find"), on_click=_find_path, key="explore_find_path")
        b2.button(t("path_clear"), on_click=_clear_path, key="explore_clear_path")
        note = st.session_state.get(PATH_NOTE)
        if note:
            st.caption(note)
        path = st.session_state.get(PATH) or []
        if path:
            names = state.titles(path)
            st.markdown(" → ".join(widgets.md(names[i]) for i in path))


def render() -> None:
    st.title(t("page_explore"))
    if FOCUS not in st.session_state:
        st.session_state[FOCUS] = query.default_focus(state.store())
    st.session_state.setdefault(DEPTH, 1)
    st.session_state.setdefault(CAP, state.DRAW_CAP)
    _search_and_focus()
    _filters()
    base, view = current_view()
    if not view.nodes:
        st.info(t("choose_focus"))
        return
    _network(view, base)
    if st.button(t("export_view"), key="explore_export", icon=":material/download:"):
        st.session_state["export_view"] = {
            "ids": list(view.nodes),
            "focus": list(st.session_state.get(FOCUS, [])),
            "depth": int(st.session_state.get(DEPTH, 1)),
        }
        st.switch_page(pages.path("export"))
    _path_finder(view)
    _details(view)


if __name__ == "__main__":
    render()
