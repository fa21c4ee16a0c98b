"""The kgraph dashboard: ``streamlit run app.py``. This file only routes; pages live in
``kgraph/ui/pages/``."""

from __future__ import annotations

import streamlit as st

from kgraph.ui import i18n, signin, state

# No page icons: Streamlit turns a ":material/...:" icon into a favicon fetched from
# fonts.gstatic.com, and the dashboard must work offline.
st.set_page_config(page_title="kgraph", layout="wide")

PAGES = (
    ("kgraph/ui/pages/overview.py", "page_overview", "overzicht"),
    ("kgraph/ui/pages/explore.py", "page_explore", "verkennen"),
    ("kgraph/ui/pages/questions.py", "page_questions", "vragen"),
    ("kgraph/ui/pages/similar.py", "page_similar", "vergelijkbare-vragen"),
    ("kgraph/ui/pages/handover.py", "page_handover", "overdracht"),
    ("kgraph/ui/pages/gaps.py", "page_gaps", "hiaten"),
    ("kgraph/ui/pages/export.py", "page_export", "export"),
    ("kgraph/ui/pages/import_.py", "page_import", "importeren"),
    ("kgraph/ui/pages/history.py", "page_history", "geschiedenis"),
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
