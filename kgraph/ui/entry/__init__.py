"""The folder of the Streamlit entry point, ``app.py``, and its settings
(``.streamlit/config.toml``, which Streamlit reads beside the entry point), nothing else.

It is alone on purpose: Streamlit puts the script's folder first on ``sys.path`` (so any
module beside it would shadow a library of the same name), and treats a ``pages/`` folder
beside it as old-style pages that run directly, without the app's sign-in gate, until the
first ``st.navigation`` call. The pages are ``kgraph/ui/pages/`` (``kgraph.ui.pages.PAGES``).
"""
