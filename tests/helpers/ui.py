"""Opening a dashboard page in Streamlit's AppTest, and finding a button by its label."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = {
    "overview": "kgraph/ui/pages/overview.py",
    "explore": "kgraph/ui/pages/explore.py",
    "questions": "kgraph/ui/pages/questions.py",
    "similar": "kgraph/ui/pages/similar.py",
    "handover": "kgraph/ui/pages/handover.py",
    "gaps": "kgraph/ui/pages/gaps.py",
    "export": "kgraph/ui/pages/export.py",
    "import": "kgraph/ui/pages/import_.py",
    "history": "kgraph/ui/pages/history.py",
}
TIMEOUT = 60


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
