"""The kgraph dashboard: ``kgraph serve`` (or ``streamlit run kgraph/ui/entry/app.py``).
This file only routes; the pages are ``kgraph/ui/pages/``, named relative to this file (as
Streamlit resolves them), so the installed package serves from any folder. Why it sits in a
folder of its own: ``kgraph/ui/entry/__init__.py``."""

from __future__ import annotations

import streamlit as st

from kgraph.ui import i18n, signin, state

# No page icons: Streamlit turns a ":material/...:" icon into a favicon fetched from
# fonts.gstatic.com, and the dashboard must work offline.
st.set_page_config(page_title="kgraph", layout="wide")

PAGES = (
    ("../pages/overview.py", "page_overview", "overzicht"),
    ("../pages/explore.py", "page_explore", "verkennen"),
    ("../pages/questions.py", "page_questions", "vragen"),
    ("../pages/similar.py", "page_similar", "vergelijkbare-vragen"),
    ("../pages/handover.py", "page_handover", "overdracht"),
    ("../pages/gaps.py", "page_gaps", "hiaten"),
    ("../pages/export.py", "page_export", "export"),
    ("../pages/import_.py", "page_import", "importeren"),
    ("../pages/history.py", "page_history", "geschiedenis"),
)

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
    st.Page(path, title=i18n.t(label), url_path=url, default=i == 0)
    for i, (path, label, url) in enumerate(PAGES)
]
st.navigation(pages).run()
