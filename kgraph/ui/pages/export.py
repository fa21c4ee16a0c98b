"""Export: pick a subgraph (the view handed over by Verkennen, focus + depth + filters, or
everything) and download it in every format the export module offers."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import streamlit as st

from kgraph import query, views
from kgraph.export import html
from kgraph.export.network import PageMeta
from kgraph.export.select import EXPORT_CAP, select
from kgraph.model import NODE_KINDS, QUESTION_STATUSES
from kgraph.store.base import Subgraph
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

SOURCE = "keep_export_source"
FOCUS = "keep_export_focus"
DEPTH = "keep_export_depth"
KINDS = "keep_export_kinds"
STATUSES = "keep_export_statuses"
CAP = "keep_export_cap"
SAVED = "keep_export_saved"
PREVIEW_ROWS = 50


def _from_view() -> tuple[Subgraph | None, views.View | None, str]:
    handed = st.session_state.get("export_view")
    if not handed:
        return None, None, ""
    view = views.View.from_dict(handed["view"]) if handed.get("view") else None
    return state.store().subgraph(handed["ids"]), view, str(handed.get("name") or "")


def _from_saved() -> tuple[Subgraph | None, views.View | None, str]:
    saved = {v.name: v for v in views.saved_views(state.store())}
    if not saved:
        st.caption(t("views_none"))
        return None, None, ""
    name = st.selectbox(t("views_pick"), list(saved), key=SAVED)
    if not name:
        return None, None, ""
    view = saved[name].view
    _base, sub = views.select_view(state.store(), view)
    return sub, view, name


def _from_focus() -> Subgraph | None:
    store = state.store()
    text = st.text_input(t("search"), key="export_search", placeholder=t("search_hint"))
    hits = query.search(store, text, limit=50)
    picked = list(st.session_state.get(FOCUS, []))
    labels = state.titles(picked)
    labels.update({n.id: widgets.node_label(n) for n in hits})
    st.multiselect(
        t("focus_nodes"),
        options=list(labels),
        format_func=lambda i: labels.get(i, i),
        key=FOCUS,
        help=t("export_focus_help"),
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.slider(t("depth"), 0, 3, key=DEPTH)
    widgets.filter_choice(c2, t("filter_kinds"), NODE_KINDS, KINDS, i18n.kind_label)
    widgets.filter_choice(c3, t("filter_qstatus"), QUESTION_STATUSES, STATUSES, i18n.status_label)
    c4.number_input(t("max_nodes"), min_value=1, max_value=EXPORT_CAP, step=100, key=CAP)
    focus = [i for i in st.session_state.get(FOCUS, []) if store.get_node(i)]
    if not focus:
        return None
    return select(
        store,
        focus=focus,
        depth=int(st.session_state.get(DEPTH, 1)),
        kinds=st.session_state.get(KINDS) or None,
        statuses=st.session_state.get(STATUSES) or None,
        cap=int(st.session_state.get(CAP, EXPORT_CAP)),
    )


def _file(sub: Subgraph, fmt: str, meta: PageMeta) -> bytes:
    from kgraph.export import export_bytes

    if fmt != "html":
        return export_bytes(sub, fmt)
    buffer = io.BytesIO()
    html.write(sub, buffer, lang=i18n.lang(), meta=meta)
    return buffer.getvalue()


def _downloads(sub: Subgraph, view: views.View | None, name: str) -> None:
    from kgraph.export import FORMATS

    st.subheader(t("download_title"))
    store = state.store()
    stem = views.download_stem(store, view, name=name, whole=t("export_name_all"))
    stamp = f"{stem}-{date.today().isoformat()}"
    meta = views.page_meta(store, view, name=name, lang=i18n.lang())
    st.caption(t("export_names", name=stamp))
    names = list(FORMATS)
    per_row = 4
    for start in range(0, len(names), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, names[start : start + per_row], strict=False):
            fmt = FORMATS[name]
            col.download_button(
                t("download_as", fmt=name),
                data=lambda name=name: _file(sub, name, meta),  # type: ignore[misc]
                file_name=f"{stamp}{fmt.extension}",
                help=t(f"export_fmt_{name}"),
                mime=fmt.mime,
                key=f"export_{name}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )


def render() -> None:
    st.title(t("page_export"))
    st.caption(t("export_intro"))
    has_view = bool(st.session_state.get("export_view"))
    options = (["view"] if has_view else []) + ["saved", "focus", "all"]
    if st.session_state.get(SOURCE) not in options:
        st.session_state[SOURCE] = options[0]
    st.session_state.setdefault(DEPTH, 1)
    st.session_state.setdefault(CAP, 1000)
    source = st.radio(
        t("export_source"),
        options,
        format_func=lambda s: t(f"export_src_{s}"),
        key=SOURCE,
        horizontal=True,
    )
    view: views.View | None = None
    name = ""
    if source == "view":
        sub, view, name = _from_view()
    elif source == "saved":
        sub, view, name = _from_saved()
    elif source == "focus":
        sub = _from_focus()
        focus = tuple(i for i in st.session_state.get(FOCUS, []) if state.store().get_node(i))
        depth = max(1, min(int(st.session_state.get(DEPTH, 1)), views.MAX_DEPTH))
        view = views.View(focus=focus, depth=depth) if focus else None
    else:
        counts = state.counts()
        st.caption(
            t("export_all_size", nodes=sum(counts.nodes.values()), edges=sum(counts.edges.values()))
        )
        sub = state.everything()
    if sub is None or not sub.nodes:
        st.info(t("export_nothing"))
        return
    if sub.truncated:
        st.warning(t("export_truncated", cap=sub.cap), icon=":material/warning:")
    st.markdown(t("export_size", nodes=len(sub.nodes), edges=len(sub.edges)))
    preview = query.reading_order(sub.nodes.values())
    with st.expander(t("preview")):
        widgets.table(
            pd.DataFrame(
                [
                    {t("col_title"): n.title, t("col_kind"): i18n.kind_label(n.kind), "id": n.id}
                    for n in preview[:PREVIEW_ROWS]
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    _downloads(sub, view, name)


if __name__ == "__main__":
    render()
