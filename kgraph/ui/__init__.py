"""The Streamlit dashboard: shared state, translations, widgets and one module per page.

``entry/app.py`` (the Streamlit entry point) calls ``dashboard.run``, which draws the
sidebar and the sign-in gate and routes to the pages listed once in ``pages.PAGES``.
"""
