"""Opening a dashboard page in Streamlit's AppTest, and finding a button by its label."""

from __future__ import annotations

import math

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from kgraph.paths import APP as APP_PATH
from kgraph.ui import pages

APP = str(APP_PATH)
#: page name -> its file (absolute, as ``switch_page`` accepts), from the one page list
PAGES = {page.name: str(page.path) for page in pages.PAGES}
#: No wall-clock limit on a script run (AppTest's default is 3 s): on a busy machine a run
#: is slow, not wrong; a run that hangs is caught by the suite's hang guard.
TIMEOUT = math.inf


def open_page(page: str, *, name: str = "", lang: str = "nl") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    if lang != "nl":
        at.radio(key="lang").set_value(lang).run()
    if name:
        at.text_input(key="actor").input(name).run()
    at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def button(at: AppTest, label: str) -> Button:
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[0]
