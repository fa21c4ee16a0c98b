"""One module per dashboard page; each runs its ``render()`` when Streamlit executes it.

``PAGES`` lists them once, in menu order: the entry point builds its navigation from it,
other pages switch to a page by ``path(name)``, and the tests open pages the same way, so
no page's file name is written anywhere else. Paths are absolute (Streamlit accepts them
in ``st.Page``, ``st.switch_page`` and ``AppTest.switch_page``), so they hold whichever
entry point started the dashboard (``kgraph serve``, ``streamlit run app.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    """A page: its short ``name`` in code, its file, its title's catalogue key and the
    last part of its URL (Dutch, as people share them)."""

    name: str
    file: str
    title_key: str
    url: str

    @property
    def path(self) -> Path:
        return FOLDER / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "overview.py", "page_overview", "overzicht"),
    PageSpec("explore", "explore.py", "page_explore", "verkennen"),
    PageSpec("questions", "questions.py", "page_questions", "vragen"),
    PageSpec("similar", "similar.py", "page_similar", "vergelijkbare-vragen"),
    PageSpec("handover", "handover.py", "page_handover", "overdracht"),
    PageSpec("gaps", "gaps.py", "page_gaps", "hiaten"),
    PageSpec("export", "export.py", "page_export", "export"),
    PageSpec("import", "import_.py", "page_import", "importeren"),
    PageSpec("history", "history.py", "page_history", "geschiedenis"),
)


def path(name: str) -> str:
    """The file of the page called ``name`` (``"explore"``), for ``st.switch_page``."""
    for page in PAGES:
        if page.name == name:
            return str(page.path)
    raise KeyError(f"no dashboard page {name!r}")
