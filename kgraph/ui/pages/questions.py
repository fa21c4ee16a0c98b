"""Vragen: the knowledge and complex questions as a table; edit, add, link and delete.

The store filters, sorts, counts and pages the list (``kgraph.query.question_query``):
a run reads the one page it shows, at 100,000 questions as at a hundred.

An edit is saved with the version the form was filled from, so when someone else saved the
question in between the store refuses ("changed by X at T") and the page offers a reload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from kgraph import edits, query
from kgraph.analysis.cached import COUNTS
from kgraph.errors import ConflictError, KGraphError
from kgraph.model import QUESTION_STATUSES, Node
from kgraph.store.listing import NodeQuery
from kgraph.ui import freshness, i18n, paging, state, widgets
from kgraph.ui.dutch import hide_english_hints
from kgraph.ui.i18n import t

KINDS = ("knowledge_question", "complex_question")
SORTS = query.QUESTION_SORTS

F_SEARCH = "keep_questions_search"
F_KINDS = "keep_questions_kinds"
F_STATUS = "keep_questions_status"
F_AREA = "keep_questions_area"
F_SORT = "keep_questions_sort"
F_DESC = "keep_questions_desc"
EDITING = "keep_questions_editing"
CONFIRM = "questions_confirm_delete"
FLASH = "questions_flash"
PENDING = "questions_pending_edit"
FIELDS = ("status", "owner", "tags", "text")
#: the table's height in pixels: a page of rows scrolls inside it
TABLE_HEIGHT = 420
#: while there are at most this many complex questions the add form lists them all
PICK_ALL_UP_TO = 200


def _key(field: str, node_id: str) -> str:
    return f"q_{field}_{node_id}"


def _version_key(node_id: str) -> str:
    return f"q_version_{node_id}"


# --- the table ----------------------------------------------------------------------------


def _filters(areas: Mapping[str, str]) -> None:
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    c1.text_input(t("search"), key=F_SEARCH, placeholder=t("search_questions_hint"))
    widgets.filter_choice(c2, t("filter_kind"), KINDS, F_KINDS, i18n.kind_label)
    widgets.filter_choice(c3, t("filter_qstatus"), QUESTION_STATUSES, F_STATUS, i18n.status_label)
    widgets.filter_choice(c4, t("filter_area"), list(areas), F_AREA, lambda i: areas.get(i, i))
    s1, s2, _ = st.columns([2, 2, 6])
    s1.selectbox(t("sort_by"), SORTS, format_func=lambda s: t(f"sort_{s}"), key=F_SORT)
    s2.toggle(t("descending"), key=F_DESC)


def _table(
    rows: Sequence[Node], raised: Mapping[str, Sequence[str]], areas: Mapping[str, str]
) -> None:
    frame = pd.DataFrame(
        [
            {
                t("col_title"): q.title,
                t("col_kind"): i18n.kind_label(q.kind),
                t("field_status"): i18n.status_label(q.status),
                t("field_owner"): str(q.props.get("owner", "") or ""),
                t("field_tags"): ", ".join(q.tags),
                t("col_raised_in"): ", ".join(areas.get(a, a) for a in raised.get(q.id, ())),
                t("field_updated"): freshness.local_time(q.updated_at),
                t("col_who"): q.updated_by or "",
            }
            for q in rows
        ],
        columns=[
            t("col_title"),
            t("col_kind"),
            t("field_status"),
            t("field_owner"),
            t("field_tags"),
            t("col_raised_in"),
            t("field_updated"),
            t("col_who"),
        ],
    )
    widgets.table(
        frame,
        hide_index=True,
        width="stretch",
        height=min(TABLE_HEIGHT, 38 + 35 * max(1, len(rows))),
        column_config={
            t("col_title"): st.column_config.TextColumn(width="large"),
            t("col_raised_in"): st.column_config.TextColumn(width="medium"),
        },
    )


# --- editing ------------------------------------------------------------------------------


def _load_form(node: Node) -> None:
    """Fill the form's fields from ``node`` and remember the version they came from."""
    st.session_state[_key("status", node.id)] = node.status or "open"
    st.session_state[_key("owner", node.id)] = str(node.props.get("owner", "") or "")
    st.session_state[_key("tags", node.id)] = ", ".join(node.tags)
    st.session_state[_key("text", node.id)] = node.text
    st.session_state[_version_key(node.id)] = node.version


def _reload(node_id: str) -> None:
    for field in FIELDS:
        st.session_state.pop(_key(field, node_id), None)
    st.session_state.pop(_version_key(node_id), None)


def _editor(node: Node) -> None:
    # Streamlit drops a form's values when another page was open: fill them again then.
    if _version_key(node.id) not in st.session_state or any(
        _key(f, node.id) not in st.session_state for f in FIELDS
    ):
        _load_form(node)
    with st.form(f"q_form_{node.id}"):
        st.selectbox(
            t("field_status"),
            list(QUESTION_STATUSES),
            format_func=i18n.status_label,
            key=_key("status", node.id),
        )
        st.text_input(t("field_owner"), key=_key("owner", node.id))
        st.text_input(t("field_tags"), key=_key("tags", node.id), help=t("tags_help"))
        st.text_area(t("field_text"), key=_key("text", node.id), height=120)
        saved = st.form_submit_button(
            t("save"), type="primary", disabled=not state.actor(), icon=":material/save:"
        )
    if saved:
        try:
            with state.edit() as store:
                new = edits.update_question(
                    store,
                    node.id,
                    status=st.session_state[_key("status", node.id)],
                    owner=st.session_state[_key("owner", node.id)],
                    tags=st.session_state[_key("tags", node.id)],
                    text=st.session_state[_key("text", node.id)],
                    expected_version=st.session_state[_version_key(node.id)],
                )
        except ConflictError as exc:
            widgets.show_error(exc)
            st.button(t("reload"), on_click=_reload, args=(node.id,), key=f"q_reload_{node.id}")
            return
        except KGraphError as exc:
            widgets.show_error(exc)
            return
        st.session_state[_version_key(node.id)] = new.version
        st.session_state[FLASH] = t(
            "saved", title=widgets.md(new.title), who=widgets.md(state.actor())
        )
        st.rerun()


def _delete(node: Node) -> None:
    if st.session_state.get(CONFIRM) != node.id:
        st.button(
            t("delete"),
            key=f"q_delete_{node.id}",
            icon=":material/delete:",
            disabled=not state.actor(),
            on_click=lambda: st.session_state.__setitem__(CONFIRM, node.id),
        )
        return
    links = query.link_count(state.store(), node.id)
    st.warning(
        t("delete_confirm", title=widgets.md(node.title), links=links), icon=":material/warning:"
    )
    c1, c2 = st.columns(2)
    if c1.button(t("delete_yes"), key=f"q_delete_yes_{node.id}", type="primary"):
        try:
            with state.edit() as store:
                edits.delete_node(store, node.id)
        except KGraphError as exc:
            widgets.show_error(exc)
            return
        st.session_state.pop(CONFIRM, None)
        _reload(node.id)
        st.session_state[FLASH] = t(
            "deleted", title=widgets.md(node.title), who=widgets.md(state.actor())
        )
        st.rerun()
    c2.button(
        t("cancel"),
        key=f"q_delete_no_{node.id}",
        on_click=lambda: st.session_state.pop(CONFIRM, None),
    )


def _edit_section(rows: Sequence[Node]) -> None:
    st.subheader(t("edit_question"))
    if not rows:
        st.caption(t("no_questions"))
        return
    labels = {q.id: widgets.node_label(q) for q in rows}
    pending = st.session_state.pop(PENDING, None)
    if pending in labels:
        st.session_state[EDITING] = pending
    if st.session_state.get(EDITING) not in labels:
        st.session_state[EDITING] = rows[0].id
    node_id = st.selectbox(t("question"), list(labels), format_func=labels.__getitem__, key=EDITING)
    node = state.store().get_node(node_id)
    if node is None:
        st.info(t("node_gone"))
        return
    stored_version = st.session_state.get(_version_key(node.id))
    if stored_version is not None and stored_version != node.version:
        st.info(
            t(
                "changed_since",
                who=widgets.md(node.updated_by or "?"),
                at=widgets.short_time(node.updated_at),
            )
        )
    _editor(node)
    if state.can("delete"):  # deleting a question takes its links along: admins only
        _delete(node)


def _complex_options() -> dict[str, str]:
    """Complex questions to link a new question to: all of them while they are few, else
    those matching the search field above the form (and those picked already)."""
    store = state.store()
    total = state.cached(COUNTS)["nodes"].get("complex_question", 0)
    if total <= PICK_ALL_UP_TO:
        found = store.find_nodes(NodeQuery(kinds=("complex_question",), sort="title"))
    else:
        st.text_input(
            t("link_complex_search"), key="q_add_complex_search", placeholder=t("search_hint")
        )
        words = str(st.session_state.get("q_add_complex_search") or "")
        found = query.search(store, words, limit=PICK_ALL_UP_TO) if words.strip() else []
        found = [n for n in found if n.kind == "complex_question"]
    options = {n.id: n.title for n in found}
    for picked in st.session_state.get("q_add_feeds") or []:
        options.setdefault(picked, state.titles([picked])[picked])
    return options


def _add_section(areas: Mapping[str, str]) -> None:
    with st.expander(t("add_question"), icon=":material/add:"):
        complex_qs = _complex_options()
        with st.form("q_add", clear_on_submit=False):
            kind = st.selectbox(
                t("col_kind"), list(KINDS), format_func=i18n.kind_label, key="q_add_kind"
            )
            title = st.text_input(t("col_title"), key="q_add_title")
            text = st.text_area(t("field_text"), key="q_add_text", height=100)
            c1, c2 = st.columns(2)
            status = c1.selectbox(
                t("field_status"),
                list(QUESTION_STATUSES),
                format_func=i18n.status_label,
                key="q_add_status",
            )
            owner = c2.text_input(t("field_owner"), key="q_add_owner")
            tags = st.text_input(t("field_tags"), key="q_add_tags", help=t("tags_help"))
            raised = st.multiselect(
                t("link_area"),
                list(areas),
                format_func=lambda i: areas.get(i, i),
                key="q_add_areas",
                placeholder=t("choose_options"),
                select_all=False,
            )
            feeds = st.multiselect(
                t("link_complex"),
                list(complex_qs),
                format_func=lambda i: complex_qs.get(i, i),
                key="q_add_feeds",
                help=t("link_complex_help"),
                placeholder=t("choose_options"),
                select_all=False,
            )
            added = st.form_submit_button(
                t("add"), disabled=not state.actor(), icon=":material/add:"
            )
        if added:
            try:
                with state.edit() as store:
                    node = edits.add_question(
                        store,
                        kind=kind,
                        title=title,
                        text=text,
                        status=status,
                        owner=owner,
                        tags=tags,
                        areas=raised,
                        feeds=feeds,
                    )
            except KGraphError as exc:
                widgets.show_error(exc)
                return
            st.session_state[PENDING] = node.id
            st.session_state[FLASH] = t(
                "added", title=widgets.md(node.title), who=widgets.md(state.actor())
            )
            st.rerun()


def render() -> None:
    hide_english_hints()
    st.title(t("page_questions"))
    can_edit = state.can("edit")
    if not can_edit:
        st.info(t("read_only"), icon=":material/visibility:")
    elif not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    st.session_state.setdefault(F_SORT, "title")
    areas = {n.id: n.title for n in state.nodes(("cop", "theme"))}
    _filters(areas)
    filters = {
        "text": str(st.session_state.get(F_SEARCH, "") or ""),
        "kinds": list(st.session_state.get(F_KINDS) or []),
        "statuses": list(st.session_state.get(F_STATUS) or []),
        "areas": [a for a in st.session_state.get(F_AREA) or [] if a in areas],
        "sort": st.session_state.get(F_SORT, "title"),
        "descending": bool(st.session_state.get(F_DESC)),
    }
    wanted = query.question_query(**filters)
    store = state.store()
    total = store.count_nodes(wanted)
    every = sum(state.cached(COUNTS)["nodes"].get(k, 0) for k in KINDS)
    st.caption(t("n_of_m", n=paging.count(total), m=paging.count(every)))
    page = paging.pager("questions", total, reset=filters)
    rows = store.find_nodes(wanted, limit=page.limit, offset=page.offset)
    _table(rows, query.raised_in_of(store, [q.id for q in rows]), areas)
    if not can_edit:
        return
    left, right = st.columns([3, 2])
    with left:
        _edit_section(rows)
    with right:
        _add_section(areas)


if __name__ == "__main__":
    render()
