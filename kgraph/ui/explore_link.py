"""Handing items to Verkennen from another page: the explore page reads its focus from the
session state, so a page sets the focus and switches to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from kgraph.ui import i18n
from kgraph.ui.i18n import t


def show_in_explore(ids: Sequence[str]) -> None:
    """Make ``ids`` the focus of Verkennen (the first one selected) and open that page."""
    from kgraph.ui import pages
    from kgraph.ui.pages import explore

    focus = list(dict.fromkeys(ids))
    st.session_state[explore.FOCUS] = focus
    st.session_state[explore.SELECTED] = focus[0] if focus else None
    st.session_state[explore.PATH] = None
    st.session_state[explore.PATH_NOTE] = ""
    st.switch_page(pages.path("explore"))


def picker(labels: Mapping[str, str], key: str) -> None:
    """A keyboard-usable choice among ``labels`` (node id -> label) and a button that shows
    the chosen item in Verkennen."""
    if not labels:
        return
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    # the browser keeps a choice as its shown label, and the labels name the kind in the
    # chosen language: a language switch starts a fresh picker instead of a stale one
    choice = left.selectbox(
        t("item"),
        list(labels),
        format_func=lambda i: labels.get(i, i),
        key=f"{key}_pick_{i18n.lang()}",
    )
    if (
        right.button(t("show_in_explore"), key=f"{key}_go", icon=":material/hub:", width="stretch")
        and choice
    ):
        show_in_explore([choice])
