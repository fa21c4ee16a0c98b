"""The Streamlit dashboard: shared state, translations, widgets and one module per page.

``app.py`` at the project root only routes; each page lives in ``kgraph/ui/pages/``.
"""
