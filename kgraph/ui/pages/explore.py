"""Verkennen: find anything, draw its neighbourhood, click through it, share or save the view.

The drawing is a component (``kgraph.ui.graph``) that talks back: a click selects a node
(its details show beside the drawing), a double-click refocuses, a shift-click adds to the
focus, a click on an edge shows it; the positions it laid out are stored per view, so the
same view draws the same picture in every session. Focus, depth, filters and colours live
in the URL. The page only asks and shows: views, layouts, search rows and paths are
``kgraph.views`` and ``kgraph.query``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kgraph import query, views
from kgraph.drawing import (
    COLOR_BY,
    GROUP_BY,
    MAX_DRAWN,
    SIZE_BY,
    DrawOptions,
    drawing_data,
    parse_edge_key,
)
from kgraph.errors import KGraphError
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS, QUESTION_STATUSES, Node
from kgraph.store.base import Subgraph
from kgraph.ui import graph, i18n, pages, state, widgets
from kgraph.ui.i18n import t

DRAWING_HEIGHT = 640
SEARCH_LIMIT = 50
NEIGHBOUR_LIMIT = 200
GRAPH_KEY = "explore_graph"

# session keys (``keep_`` ones survive a visit to another page)
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
COLOR = "keep_explore_color"
SIZE = "keep_explore_size"
GROUP = "keep_explore_group"
SELECTED = "keep_explore_selected"
EDGE = "keep_explore_edge"
PATH = "keep_explore_path"
PATHS = "keep_explore_paths"
PATH_NOTE = "keep_explore_path_note"
PATH_FROM = "keep_explore_path_from"
PATH_TO = "keep_explore_path_to"
AVOID_HUBS = "keep_explore_avoid_hubs"
ALL_PATHS = "keep_explore_all_paths"
EXPANDED = "keep_explore_expanded"
RELAYOUT = "keep_explore_relayout"
VIS = "keep_explore_vis"
URL_SEEN = "keep_explore_url"
VIEW_NAME = "keep_explore_view_name"


# --- the view: session <-> View <-> URL ----------------------------------------------------


def current_view() -> views.View:
    """The view the widgets describe."""
    areas = tuple(i for key in AREA.values() for i in st.session_state.get(key, []))
    return views.View(
        focus=tuple(st.session_state.get(FOCUS, [])),
        depth=int(st.session_state.get(DEPTH, 1)),
        kinds=tuple(st.session_state.get(KINDS) or ()),
        question_statuses=tuple(st.session_state.get(QSTATUS) or ()),
        handover_statuses=tuple(st.session_state.get(HSTATUS) or ()),
        areas=areas,
        cap=int(st.session_state.get(CAP, state.DRAW_CAP)),
        color_by=str(st.session_state.get(COLOR, "kind")),
        size_by=str(st.session_state.get(SIZE, "degree")),
        group=str(st.session_state.get(GROUP, "auto")),
    )


def apply_view(view: views.View) -> None:
    """Set the widgets to ``view`` (the areas sorted back to their kind)."""
    store = state.store()
    st.session_state[FOCUS] = [i for i in view.focus if store.get_node(i)]
    st.session_state[DEPTH] = max(1, view.depth)
    st.session_state[CAP] = view.cap
    st.session_state[KINDS] = list(view.kinds)
    st.session_state[QSTATUS] = list(view.question_statuses)
    st.session_state[HSTATUS] = list(view.handover_statuses)
    for kind, key in AREA.items():
        st.session_state[key] = [
            i for i in view.areas if (n := store.get_node(i)) is not None and n.kind == kind
        ]
    st.session_state[COLOR] = view.color_by
    st.session_state[SIZE] = view.size_by
    st.session_state[GROUP] = view.group
    _clear_path()
    if st.session_state[FOCUS]:
        st.session_state[SELECTED] = st.session_state[FOCUS][0]


def _read_url() -> None:
    """A link opened (in a new tab, by someone else) shows the view it names; the page's
    own links, and a visit from another page (no parameters), change nothing."""
    params = {k: st.query_params[k] for k in st.query_params}
    if params.get("renderer") == "vis":
        st.session_state[VIS] = True
    params.pop("renderer", None)
    if not params or params == st.session_state.get(URL_SEEN):
        return
    try:
        view = views.View.from_params(params)
    except KGraphError as exc:
        st.warning(t("explore_bad_link", error=widgets.md(exc)), icon=":material/link_off:")
        st.session_state[URL_SEEN] = params
        return
    apply_view(view)
    st.session_state[URL_SEEN] = params


def _write_url(view: views.View) -> None:
    params = view.to_params()
    current = {k: st.query_params[k] for k in st.query_params if k != "renderer"}
    if params != current:
        renderer = st.query_params.get("renderer")
        st.query_params.from_dict({**params, **({"renderer": renderer} if renderer else {})})
    st.session_state[URL_SEEN] = params


# --- callbacks (they run before the widgets are drawn again) -------------------------------


def _set_focus(ids: Sequence[str]) -> None:
    st.session_state[FOCUS] = list(dict.fromkeys(ids))
    _clear_path()
    if ids:
        st.session_state[SELECTED] = ids[0]
    st.session_state[EDGE] = None


def _add_focus(node_id: str) -> None:
    focus = list(st.session_state.get(FOCUS, []))
    if node_id not in focus:
        focus.append(node_id)
    st.session_state[FOCUS] = focus
    st.session_state[SELECTED] = node_id


def _select(node_id: str) -> None:
    st.session_state[SELECTED] = node_id
    st.session_state[EDGE] = None


def _set_end(which: str, node_id: str) -> None:
    st.session_state[which] = node_id


def _lower_depth() -> None:
    st.session_state[DEPTH] = max(1, int(st.session_state.get(DEPTH, 1)) - 1)


def _clear_path() -> None:
    st.session_state[PATH], st.session_state[PATHS], st.session_state[PATH_NOTE] = None, [], ""


def _find_path() -> None:
    src, dst = st.session_state.get(PATH_FROM), st.session_state.get(PATH_TO)
    if not src or not dst:
        return
    try:
        found = query.find_paths(
            state.store(),
            src,
            dst,
            avoid_hubs=bool(st.session_state.get(AVOID_HUBS)),
            all_paths=bool(st.session_state.get(ALL_PATHS)),
        )
    except KGraphError as exc:
        _clear_path()
        st.session_state[PATH_NOTE] = widgets.md(exc)
        return
    st.session_state[PATHS] = found.paths
    st.session_state[PATH] = found.paths[0] if found.paths else None
    if not found.paths:
        st.session_state[PATH_NOTE] = t("path_none")
    else:
        n = len(found.paths[0]) - 1
        key = "path_found_many_more" if found.more else "path_found_many"
        st.session_state[PATH_NOTE] = (
            t(key, n=n, count=len(found.paths)) if len(found.paths) > 1 else t("path_found", n=n)
        )
    # the path is drawn: its ends (and what lies between) join the view
    if found.paths:
        st.session_state[SELECTED] = src


# the drawing's events
def _on_selected() -> None:
    node_id = graph.value(GRAPH_KEY, "selected")
    if node_id:
        _select(str(node_id))


def _on_edge() -> None:
    key = graph.value(GRAPH_KEY, "edge")
    if key and parse_edge_key(str(key)):
        st.session_state[EDGE] = str(key)


def _on_refocus() -> None:
    node_id = graph.value(GRAPH_KEY, "refocus")
    if node_id:
        _set_focus([str(node_id)])


def _on_add_focus() -> None:
    node_id = graph.value(GRAPH_KEY, "add_focus")
    if node_id:
        _add_focus(str(node_id))


def _on_layout() -> None:
    sent = graph.value(GRAPH_KEY, "layout")
    if not isinstance(sent, dict) or sent.get("key") != current_view().layout_key():
        return  # a layout of a view no longer shown
    positions = sent.get("positions")
    if not isinstance(positions, dict):
        return
    try:
        # presentation state (no history, no role needed): every reader's drawing stays put
        views.save_layout(
            state.handle().store,
            str(sent["key"]),
            positions,
            [str(i) for i in sent.get("pinned") or []],
            actor=state.actor() or state.NOBODY,
        )
    except KGraphError as exc:
        st.session_state[PATH_NOTE] = widgets.md(exc)


def _on_expanded() -> None:
    opened = graph.value(GRAPH_KEY, "expanded")
    if isinstance(opened, list):
        expanded = dict(st.session_state.get(EXPANDED) or {})
        expanded[current_view().layout_key()] = [str(g) for g in opened]
        st.session_state[EXPANDED] = expanded


def _on_webgl() -> None:
    if graph.value(GRAPH_KEY, "webgl") is False:
        st.session_state[VIS] = True


def _open_view(saved: views.SavedView | None) -> None:
    if saved is not None:
        apply_view(saved.view)
        st.session_state[VIEW_NAME] = saved.name


# --- page parts ---------------------------------------------------------------------------


def _search() -> None:
    store = state.store()
    text = st.text_input(t("search"), key="explore_search", placeholder=t("search_hint"))
    if not text.strip():
        return
    rows = query.search_rows(store, text, limit=SEARCH_LIMIT)
    if not rows:
        st.caption(t("search_none"))
        return
    table = pd.DataFrame(
        [
            {
                t("col_title"): r.node.title,
                t("col_kind"): i18n.kind_label(r.node.kind),
                t("col_area"): ", ".join(r.areas),
            }
            for r in rows
        ]
    )
    st.caption(t("search_results_hint", n=len(rows)))
    event = widgets.table(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"explore_hits_{i18n.lang()}",
        height=min(38 + 35 * len(rows), 280),
    )
    chosen = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if not chosen:
        return
    hit = rows[chosen[0]].node
    st.markdown(f"**{widgets.md(hit.title)}**")
    b1, b2, b3, b4 = st.columns(4)
    b1.button(t("focus_only"), on_click=_set_focus, args=([hit.id],), key="explore_focus_hit")
    b2.button(t("focus_add"), on_click=_add_focus, args=(hit.id,), key="explore_add_hit")
    b3.button(t("path_set_from"), on_click=_set_end, args=(PATH_FROM, hit.id), key="hit_from")
    b4.button(t("path_set_to"), on_click=_set_end, args=(PATH_TO, hit.id), key="hit_to")


def _controls() -> None:
    focus = list(st.session_state.get(FOCUS, []))
    names = state.titles(focus)
    c1, c2, c3, c4 = st.columns([4, 1.4, 1.6, 1.6])
    c1.multiselect(
        t("focus_nodes"),
        options=focus,
        format_func=lambda i: names.get(i, i),
        key=FOCUS,
        help=t("focus_help"),
        placeholder=t("choose_focus"),
    )
    c2.slider(t("depth"), min_value=1, max_value=views.MAX_DEPTH, key=DEPTH)
    c3.selectbox(
        t("color_by"),
        COLOR_BY,
        format_func=lambda c: t(f"graph.color_{c}"),
        key=COLOR,
    )
    c4.selectbox(
        t("group_by"),
        GROUP_BY,
        format_func=lambda g: t(f"group_{g}"),
        key=GROUP,
        help=t("group_help"),
    )
    with st.expander(t("filters"), expanded=False):
        f1, f2, f3 = st.columns(3)
        widgets.filter_choice(f1, t("filter_kinds"), NODE_KINDS, KINDS, i18n.kind_label)
        widgets.filter_choice(
            f2, t("filter_qstatus"), QUESTION_STATUSES, QSTATUS, i18n.status_label
        )
        widgets.filter_choice(
            f3, t("filter_hstatus"), HANDOVER_STATUSES, HSTATUS, i18n.status_label
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
        s1, s2 = st.columns(2)
        s1.slider(t("max_nodes"), min_value=25, max_value=MAX_DRAWN, step=25, key=CAP)
        s2.selectbox(t("size_by"), SIZE_BY, format_func=lambda s: t(f"size_{s}"), key=SIZE)


def _saved_views(view: views.View) -> None:
    store = state.store()
    with st.expander(t("views_title"), expanded=False):
        saved = views.saved_views(store)
        left, right = st.columns(2)
        with left:
            if saved:
                by_name = {v.name: v for v in saved}
                choice = st.selectbox(
                    t("views_pick"),
                    list(by_name),
                    format_func=lambda n: t(
                        "views_label",
                        name=n,
                        who=by_name[n].saved_by or "",
                        when=widgets.short_time(by_name[n].saved_at),
                    ),
                    key="explore_view_pick",
                    index=None,
                    placeholder=t("choose"),
                )
                o1, o2 = st.columns(2)
                o1.button(
                    t("views_open"),
                    key="explore_view_open",
                    disabled=not choice,
                    on_click=_open_view,
                    args=(by_name[str(choice)] if choice else None,),
                )
                if o2.button(
                    t("views_delete"),
                    key="explore_view_delete",
                    disabled=not choice or not state.can("delete_record"),
                ):
                    try:
                        with state.edit() as s:
                            views.delete_view(s, str(choice))
                        st.toast(t("views_deleted", name=str(choice)))
                        st.rerun()
                    except KGraphError as exc:
                        widgets.show_error(exc)
            else:
                st.caption(t("views_none"))
        with right:
            with st.form("explore_view_save", border=False):
                name = st.text_input(t("views_name"), key="explore_view_name")
                replace = st.checkbox(t("views_replace"), key="explore_view_replace")
                submitted = st.form_submit_button(
                    t("views_save"), disabled=not state.can("add_record")
                )
            if submitted:
                try:
                    with state.edit() as s:
                        views.save_view(s, name, view, replace_existing=replace)
                    st.session_state[VIEW_NAME] = " ".join(name.split())
                    st.toast(t("views_saved", name=" ".join(name.split())))
                except KGraphError as exc:
                    widgets.show_error(exc)
            if not state.can("add_record"):
                st.caption(t("views_read_only"))


def _drawing(view: views.View, base: Subgraph, shown: Subgraph) -> None:
    if base.truncated:
        st.warning(t("truncated", cap=view.cap), icon=":material/warning:")
        st.button(
            t("depth_lower"),
            on_click=_lower_depth,
            disabled=view.depth <= 1,
            key="explore_lower",
        )
    layout = views.load_layout(state.store(), view)
    hits = []
    text = str(st.session_state.get("explore_search", "")).strip()
    if text:
        hits = [n.id for n in query.search(state.store(), text, limit=SEARCH_LIMIT)]
    options = DrawOptions(
        color_by=view.color_by,
        size_by=view.size_by,
        group=view.group,
        focus=view.focus,
        selected=st.session_state.get(SELECTED),
        path=st.session_state.get(PATH) or (),
        hits=hits,
        expanded=(st.session_state.get(EXPANDED) or {}).get(view.layout_key(), ()),
    )
    renderer = "vis" if _use_vis() else "auto"
    data = drawing_data(
        shown,
        lang=i18n.lang(),
        options=options,
        layout=layout,
        height=DRAWING_HEIGHT,
        renderer=renderer,
        relayout=int(st.session_state.get(RELAYOUT, 0)),
    )
    graph.graph(
        data,
        key=GRAPH_KEY,
        vis=renderer == "vis",
        on={
            "selected": _on_selected,
            "edge": _on_edge,
            "refocus": _on_refocus,
            "add_focus": _on_add_focus,
            "layout": _on_layout,
            "expanded": _on_expanded,
            "webgl": _on_webgl,
        },
    )
    st.caption(
        t("view_size", nodes=len(shown.nodes), edges=len(shown.edges)) + " " + t("drawing_hint")
    )


def _use_vis() -> bool:
    return bool(st.session_state.get(VIS)) or os.environ.get("KGRAPH_RENDERER") == "vis"


def _details(shown: Subgraph) -> None:
    edge_key = st.session_state.get(EDGE)
    if edge_key:
        _edge_details(str(edge_key))
    node_id = st.session_state.get(SELECTED)
    node = state.store().get_node(str(node_id)) if node_id else None
    if node is None:
        focus = [i for i in st.session_state.get(FOCUS, []) if i in shown.nodes]
        node = state.store().get_node(focus[0]) if focus else None
    if node is None:
        st.info(t("details_hint"))
        return
    st.markdown(f"#### {widgets.md(node.title)}")
    b1, b2 = st.columns(2)
    b1.button(
        t("focus_only"),
        on_click=_set_focus,
        args=([node.id],),
        key="explore_refocus",
        width="stretch",
    )
    b2.button(
        t("focus_add_short"),
        on_click=_add_focus,
        args=(node.id,),
        key="explore_add_sel",
        width="stretch",
    )
    p1, p2 = st.columns(2)
    p1.button(
        t("path_set_from"),
        on_click=_set_end,
        args=(PATH_FROM, node.id),
        key="explore_sel_from",
        width="stretch",
    )
    p2.button(
        t("path_set_to"),
        on_click=_set_end,
        args=(PATH_TO, node.id),
        key="explore_sel_to",
        width="stretch",
    )
    widgets.node_details(node)
    _similar_questions(node)
    _links_and_history(node)


def _similar_questions(node: Node) -> None:
    """The question's most similar questions, beside its details: the similar-questions
    panel (``kgraph.ui.similar_panel.render``; nothing for other kinds)."""
    from kgraph.ui import similar_panel

    similar_panel.render(node.id)


def _edge_details(key: str) -> None:
    parts = parse_edge_key(key)
    edge = state.store().get_edge(*parts) if parts else None
    if edge is None:
        return
    names = state.titles([edge.src, edge.dst])
    with st.container(border=True):
        st.markdown(f"**{widgets.md(i18n.edge_label(edge.kind))}**")
        st.markdown(f"{widgets.md(names[edge.src])} → {widgets.md(names[edge.dst])}")
        if edge.kind == "LANDS_IN":
            rows = [
                (t("col_handover"), i18n.status_label(edge.status or "proposed")),
                (t("decided_on"), str(edge.props.get("decided_on") or "–")),
                (t("decided_by"), str(edge.props.get("decided_by") or "–")),
                (t("note"), str(edge.props.get("note") or "–")),
            ]
            st.markdown("\n".join(f"- {k}: {widgets.md(v)}" for k, v in rows))


def _links_and_history(node: Node) -> None:
    tab_n, tab_h = st.tabs([t("neighbours"), t("history")])
    with tab_n:
        rows = []
        for edge, other in state.store().neighbours(node.id, limit=NEIGHBOUR_LIMIT):
            rows.append(
                {
                    t("col_direction"): "→" if edge.src == node.id else "←",
                    t("col_edge_kind"): i18n.edge_label(edge.kind),
                    t("col_name"): other.title,
                    t("col_kind"): i18n.kind_label(other.kind),
                }
            )
        if rows:
            widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption(t("no_neighbours"))
    with tab_h:
        changes = state.store().history(target=node.id, limit=50, newest_first=True)
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
                        for c in changes
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("no_history"))


def _path_finder() -> None:
    ends = [st.session_state.get(PATH_FROM), st.session_state.get(PATH_TO)]
    with st.expander(t("path_title"), expanded=bool(any(ends) or st.session_state.get(PATH))):
        names = state.titles([e for e in ends if e])
        c1, c2 = st.columns(2)
        for column, key, label in ((c1, PATH_FROM, "path_from"), (c2, PATH_TO, "path_to")):
            value = st.session_state.get(key)
            column.markdown(f"**{t(label)}:** " + (widgets.md(names[value]) if value else "–"))
        if not all(ends):
            st.caption(t("path_pick_hint"))
        o1, o2 = st.columns(2)
        o1.checkbox(t("path_avoid_hubs"), key=AVOID_HUBS, help=t("path_avoid_hubs_help"))
        o2.checkbox(t("path_all"), key=ALL_PATHS)
        b1, b2 = st.columns(2)
        b1.button(
            t("path_find"), on_click=_find_path, key="explore_find_path", disabled=not all(ends)
        )
        b2.button(t("path_clear"), on_click=_clear_path, key="explore_clear_path")
        note = st.session_state.get(PATH_NOTE)
        if note:
            st.caption(note)
        paths: list[list[str]] = st.session_state.get(PATHS) or []
        if paths:
            titles = state.titles([i for p in paths for i in p])
            # radio labels are Markdown: titles are escaped, as everywhere
            labels = {i: " → ".join(widgets.md(titles[x]) for x in p) for i, p in enumerate(paths)}
            chosen = st.radio(
                t("path_shown"),
                list(labels),
                format_func=labels.__getitem__,
                key="explore_path_choice",
                label_visibility="collapsed" if len(paths) == 1 else "visible",
            )
            if paths[int(chosen or 0)] != st.session_state.get(PATH):
                st.session_state[PATH] = paths[int(chosen or 0)]
                st.rerun()


def _defaults() -> None:
    if FOCUS not in st.session_state:
        st.session_state[FOCUS] = query.default_focus(state.store())
    for key, value in (
        (DEPTH, 1),
        (CAP, state.DRAW_CAP),
        (COLOR, "kind"),
        (SIZE, "degree"),
        (GROUP, "auto"),
    ):
        st.session_state.setdefault(key, value)


def render() -> None:
    st.title(t("page_explore"))
    _defaults()
    _read_url()
    _search()
    _controls()
    view = current_view()
    keep: list[Any] = list(st.session_state.get(PATH) or [])
    base, shown = views.select_view(
        state.store(),
        view,
        keep=keep,
        fetch=lambda focus, depth, kinds, cap: state.neighbourhood(focus, depth, kinds, cap),
    )
    if not shown.nodes and keep:
        # nothing in focus, but a path was found between two search hits: draw the path
        base = shown = state.store().subgraph(keep)
    _write_url(view)
    if not shown.nodes:
        st.info(t("choose_focus"))
        _path_finder()
        _saved_views(view)
        return
    left, right = st.columns([65, 35])
    with left:
        _drawing(view, base, shown)
        if st.button(t("export_view"), key="explore_export", icon=":material/download:"):
            st.session_state["export_view"] = {
                "ids": list(shown.nodes),
                "view": view.to_dict(),
                "name": st.session_state.get(VIEW_NAME) or "",
            }
            st.switch_page(pages.path("export"))
        _path_finder()
        _saved_views(view)
    with right:
        _details(shown)


if __name__ == "__main__":
    render()
