"""Vergelijkbare vragen in a real browser (Chromium, a real ``streamlit run`` of the app), on
the City Deal store with English translations of some of its questions imported as a
second register: the translations are proposed beside their originals with both sides'
CoP/register/language, pages turn, a pair is linked in the person's name, and the page
stays in the browser's width. Screenshots at 1366x768 and 1440x900 go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import DATA
from playwright.sync_api import Browser, Page
from test_ui_browser import (  # the app server, the browser and the page helpers
    ARTIFACTS,
    SESSIONS,
    WAIT_MS,
    browser,
    goto,
    page,
    server,
    set_name,
    wait_idle,
)

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.model import Node
from kgraph.paths import seed_folder
from kgraph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser
__all__ = ["browser", "page", "server"]  # fixtures used here

REGISTER = "international-agenda"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The City Deal store plus English translations of eight of its questions."""
    path = tmp_path_factory.mktemp("browser-similar") / "ui.db"
    store = EmbeddedStore(path, actor="seed")
    apply_batch(store, seed_importer.read(seed_folder()))
    pairs = yaml.safe_load((DATA / "similar_pairs.yaml").read_text(encoding="utf-8"))
    chosen = [p for p in pairs["crosslang"] if p["corpus"] == "citydeal"][:8]
    for n, pair in enumerate(chosen):
        store.add_node(
            Node(f"kq:en-{n}", "knowledge_question", pair["b"], props={"register": REGISTER})
        )
    store.close()
    yield path


def settled(page: Page) -> None:
    """Until the run is over and no background computation is being waited for."""
    wait_idle(page)
    page.wait_for_function(
        "() => !document.body.innerText.includes('Vragen vergelijken')"
        " && !document.body.innerText.includes('wordt bijgewerkt')",
        timeout=WAIT_MS,
    )
    wait_idle(page)


def cards(page: Page) -> list[str]:
    """The proposals shown: each card's heading and its two questions with their origin."""
    settled(page)
    page.get_by_role("button", name="Koppelen").first.wait_for(timeout=WAIT_MS)
    blocks = page.locator("[data-testid='stVerticalBlock']").filter(has_text="Score ")
    texts = [b.inner_text() for b in blocks.all()]
    # the left column of each card: its score, reason and the two questions
    return [t for t in texts if t.count("Score ") == 1 and "Koppelen" not in t]


def test_translations_pages_and_linking_in_the_browser(
    page: Page, browser: Browser, db: Path
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    goto(page, "vergelijkbare-vragen")
    page.get_by_text("Paren vragen die (bijna) hetzelfde vragen").first.wait_for(timeout=WAIT_MS)
    # the first visit computes the vectors in the background and refreshes itself
    cards(page)
    text = page.inner_text("body")
    assert "zelfde betekenis, andere taal (Engels – Nederlands)" in text
    assert f"register: {REGISTER}" in text and "CoP: " in text
    assert "Engels" in text and "Nederlands" in text
    # no English widget words left in the Dutch page
    for english in ("Previous", "Next", "Page ", "Accept", "Dismiss"):
        assert english not in text
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="Koppelen").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "similar-1366.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the page scrolls sideways ({width} px)"

    # a lower minimum gives more than one page; the second page shows other pairs
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(9):  # 0.50 -> 0.05 in steps of 0.05
        slider.press("ArrowLeft")
    wait_idle(page)
    page.get_by_text("Pagina 1 van").first.wait_for(timeout=WAIT_MS)
    first = cards(page)
    assert len(first) == 20
    page.get_by_role("button", name="Volgende").click()
    page.get_by_text("Pagina 2 van").first.wait_for(timeout=WAIT_MS)
    second = cards(page)
    assert second and not set(second) & set(first)

    # only pairs across registers: every card holds the other register
    page.get_by_text("Tussen registers").click()
    across = cards(page)
    assert across and all(f"register: {REGISTER}" in c for c in across)

    # link the best pair across registers in the person's name
    set_name(page, "Theo Themaleider")
    page.get_by_role("button", name="Koppelen").first.click()
    wait_idle(page)
    page.get_by_text("gekoppeld door Theo Themaleider").first.wait_for(timeout=WAIT_MS)
    reader = EmbeddedStore(db)
    try:
        linked = [e for e in reader.edges(["RELATES_TO"]) if e.props.get("origin") == "similarity"]
        assert len(linked) == 1 and linked[0].updated_by == "Theo Themaleider"
        ends = [reader.get_node(linked[0].src), reader.get_node(linked[0].dst)]
        registers = {str(n.props.get("register", "")) for n in ends if n is not None}
        assert registers == {REGISTER, ""}  # a translation and a City Deal question
    finally:
        reader.close()

    page.set_viewport_size({"width": 1440, "height": 900})
    wait_idle(page)
    page.get_by_role("button", name="Koppelen").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "similar-1440.png"), full_page=True)
    assert not SESSIONS[id(page)].outside.urls
