"""What every run of the dashboard does before a page draws: the page settings, the
sidebar (language, your name or who is signed in, the store), the sign-in gate, then the
navigation built from ``kgraph.ui.pages.PAGES``.

Both entry points call ``run()``: ``kgraph/ui/entry/app.py`` (what ``kgraph serve`` and an
installed kgraph start) and ``app.py`` at the root of a checkout (``streamlit run app.py``),
so they serve the same pages behind the same gate.
"""

from __future__ import annotations

import streamlit as st

from kgraph.ui import i18n, signin, state
from kgraph.ui.pages import PAGES


def run() -> None:
    """Draw the sidebar, stop at the sign-in gate if need be, and run the chosen page."""
    # No page icons: Streamlit turns a ":material/...:" icon into a favicon fetched from
    # fonts.gstatic.com, and the dashboard must work offline.
    st.set_page_config(page_title="kgraph", layout="wide")
    state.keep_widget_state()
    with st.sidebar:
        st.radio(
            i18n.t("language"),
            options=list(i18n.LANGUAGES),
            format_func=lambda code: i18n.LANGUAGES[code],
            key="lang",
            horizontal=True,
        )
        access = signin.sidebar()  # the name field, or who is signed in
        if access.may_enter:
            st.caption(i18n.t("store_at", location=state.shown_location()))

    signin.gate(access)  # the sign-in form or the refusal to serve; no page runs before

    pages = [
        st.Page(page.path, title=i18n.t(page.title_key), url_path=page.url, default=i == 0)
        for i, page in enumerate(PAGES)
    ]
    st.navigation(pages).run()
