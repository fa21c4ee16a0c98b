"""The Streamlit dashboard: shared state, translations, widgets and one module per page.

``entry/app.py`` (the Streamlit entry point) only routes; each page lives in ``pages/``.
"""
