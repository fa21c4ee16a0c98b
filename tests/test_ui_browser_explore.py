"""Verkennen in a real browser, on both backends: Debian's Chromium (Playwright) against
the packaged app on a free localhost port, on a store seeded with the City Deal graph.

One browser session per backend walks the issue's list: click a node and see its
details, double-click and see the new focus, reload and see identical positions, open
the copied link in a fresh context and see the same view, save a view and reopen it,
find a path between a knowledge question and the DMI-ecosysteem from an empty drawing,
open the exported page offline and use its search; then the vis-network fallback, forced
and detected. Screenshots of every step go to ``test-artifacts/explore-<backend>-*.png``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import chromium_or_skip, neo4j_uri_or_skip
from helpers import drawing
from helpers.drawing import WAIT_MS, click_node, drawn_ids, positions, renderer, wait_drawn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from test_ui_browser import CHROMIUM_ARGS, free_port

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.paths import APP, seed_folder
from kgraph.store.base import GraphStore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "kq:hoe-valideer-je-een-model"
DMI = "lp:dmi-ecosysteem"


def _open(backend: str, folder: Path) -> tuple[GraphStore, str]:
    if backend == "embedded":
        from kgraph.store.embedded import EmbeddedStore

        path = folder / "explore.db"
        return EmbeddedStore(path, actor="seed"), str(path)
    from kgraph.store.neo4j import Neo4jStore

    uri = neo4j_uri_or_skip()
    store = Neo4jStore(uri, actor="seed")
    store.wipe()
    return store, uri


@pytest.fixture(params=["embedded", "neo4j"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(backend, base URL, store location) of the app on a freshly seeded store."""
    backend = str(request.param)
    store, location = _open(backend, tmp_path)
    apply_batch(store, seed_importer.read(seed_folder()))
    port = free_port()
    env = {**os.environ, "KGRAPH_STORE": location}
    log = (tmp_path / "streamlit.log").open("wb")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP),
         "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while True:  # until it answers or exits; no deadline
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "streamlit.log").read_text())
            time.sleep(0.3)
        yield backend, url, location
    finally:
        proc.terminate()
        proc.wait()
        log.close()
        if backend == "neo4j":
            store.wipe()
        store.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    chromium_or_skip()
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    b = playwright.chromium.launch(
        executable_path=chromium_or_skip(), args=CHROMIUM_ARGS, headless=True
    )
    yield b
    b.close()


def _shot(page: Page, backend: str, step: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"explore-{backend}-{step}.png"), full_page=True)


def _idle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT_MS
    )


def _wait_focus(page: Page, node_id: str, *, present: bool = True) -> None:
    """Until the address bar's focus does (or no longer does) name ``node_id``."""
    page.wait_for_function(
        "([id, present]) => new URLSearchParams(location.search).get('focus')?.split(',')"
        ".includes(id) === present",
        arg=[node_id, present],
        timeout=WAIT_MS,
    )


def _details_title(page: Page, title: str) -> None:
    page.get_by_role("heading", name=title[:40], level=4).first.wait_for(timeout=WAIT_MS)


def _search_and_pick(page: Page, text: str) -> None:
    """Type in the search box and click the first row of the results list."""
    box = page.get_by_role("textbox", name="Zoeken")
    box.fill(text)
    box.press("Enter")
    _idle(page)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=WAIT_MS)
    area = grid.bounding_box()
    assert area is not None
    page.mouse.click(area["x"] + 18, area["y"] + 35 + 17)  # the first row's selector
    _idle(page)


def test_explore_by_hand(browser: Browser, served: tuple[str, str, str], tmp_path: Path) -> None:
    backend, url, location = served
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # 1. the default view is drawn, sigma (WebGL) by default, with legend and toolbar
    page.goto(f"{url}/verkennen")
    wait_drawn(page)
    _idle(page)
    assert renderer(page) == "sigma"
    ids = drawn_ids(page)
    assert DMI in ids and len(ids) > 5
    assert (
        page.locator(".kg-legend").inner_text().startswith("▾")
        or page.locator(".kg-legend").is_visible()
    )
    _shot(page, backend, "1-drawn")

    # 2. a click on a node opens its details beside the drawing
    target = sorted(i for i in ids if i.startswith("cq:"))[0]
    click_node(page, target)
    _idle(page)
    title = page.evaluate("id => window.kgraphGraph.graph.getNodeAttribute(id, 'title')", target)
    _details_title(page, title)
    _shot(page, backend, "2-click-details")

    # hovering shows title, kind and status in the UI language (as text, in a tooltip)
    x, y = drawing.at(page, target)
    page.mouse.move(x, y)
    tip = page.locator(".kg-tip")
    tip.wait_for(state="visible")
    assert "Complexe vraag" in tip.inner_text() and title[:30] in tip.inner_text()

    # a click on a handover edge shows its kind and decision
    edge = page.evaluate(
        "() => [...window.kgraphGraph.edgeById.values()].find(e => e.kind === 'LANDS_IN').id"
    )
    point = page.evaluate("id => window.kgraphGraph.edgeScreen(id)", edge)
    page.mouse.move(point["x"], point["y"] + 40)
    page.mouse.click(point["x"], point["y"])
    page.get_by_text("Besloten op").first.wait_for()
    _shot(page, backend, "2b-edge-decision")

    # 3. a double-click refocuses: the URL and the focus say so, and the view is redrawn
    click_node(page, target, double=True)
    _wait_focus(page, target)
    wait_drawn(page)
    _idle(page)
    assert target in drawn_ids(page)
    _shot(page, backend, "3-double-click-focus")

    # 4. reload: the same positions, exactly (stored per view in the store)
    page.wait_for_timeout(1500)  # the layout reported back has been stored
    before = positions(page)
    page.reload()
    wait_drawn(page)
    _idle(page)
    assert positions(page) == before
    _shot(page, backend, "4-reloaded-same-positions")

    # 5. the copied link in a fresh context (another person) shows the same view
    link = page.url
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    second = other.new_page()
    second.set_default_timeout(WAIT_MS)
    second.goto(link)
    wait_drawn(second)
    assert drawn_ids(second) == drawn_ids(page)
    assert positions(second) == before
    _shot(second, backend, "5-link-in-fresh-context")
    other.close()

    # 6. save the view under a name, go elsewhere, open it again
    name_box = page.get_by_role("textbox", name="Je naam")
    name_box.fill("Ada")
    name_box.press("Enter")
    _idle(page)
    page.get_by_text("Weergaven bewaren en openen").click()
    page.get_by_role("textbox", name="Naam van deze weergave").fill("Browserweergave")
    page.get_by_role("button", name="Weergave opslaan").click()
    page.get_by_text('Weergave "Browserweergave" opgeslagen.').wait_for()
    elsewhere = DMI if DMI in drawn_ids(page) else sorted(drawn_ids(page) - {target})[0]
    click_node(page, elsewhere, double=True)
    _shot(page, backend, "6a-elsewhere")
    _wait_focus(page, target, present=False)
    wait_drawn(page)
    _idle(page)
    pick = page.get_by_role("combobox", name="Opgeslagen weergave")
    if not pick.is_visible():  # the section may still be open from saving
        page.get_by_text("Weergaven bewaren en openen").click()
    pick.click()
    pick.fill("Browserweergave")
    page.get_by_role("option").filter(has_text="Browserweergave").first.wait_for()
    pick.press("Enter")
    _idle(page)
    page.get_by_role("button", name="Openen").click()
    _wait_focus(page, target)
    wait_drawn(page)
    _shot(page, backend, "6-saved-view-reopened")

    # 7. from an empty drawing: a path between a knowledge question and the DMI-ecosysteem
    page.goto(f"{url}/verkennen?focus=")
    page.get_by_text("Kies een of meer focusknopen via zoeken.").wait_for()
    _idle(page)
    _search_and_pick(page, "hoe valideer je een model")
    page.get_by_role("button", name="Pad van hier").first.click()
    _idle(page)
    _search_and_pick(page, "DMI-ecosysteem")
    page.get_by_role("button", name="Pad naar hier").first.click()
    _idle(page)
    page.get_by_role("button", name="Zoek kortste pad").click()
    page.get_by_text(re.compile(r"Pad van \d+ stappen")).wait_for()
    wait_drawn(page)
    shown = drawn_ids(page)
    assert QUESTION in shown and DMI in shown
    _shot(page, backend, "7-path-from-search")

    # 8. the exported page, offline: its search finds word forms and opens details
    out = tmp_path / "ethiek.html"
    subprocess.run(
        [str(Path(sys.executable).parent / "kgraph"), "--store", location, "export", "html",
         str(out), "--view", "Browserweergave"],
        check=True, capture_output=True,
    )  # fmt: skip
    offline = browser.new_context(viewport={"width": 1366, "height": 768}, offline=True)
    sheet = offline.new_page()
    sheet.set_default_timeout(WAIT_MS)
    sheet.goto(out.as_uri())
    wait_drawn(sheet)
    assert "Browserweergave" in sheet.title()
    # "waardering" is no prefix of "waarderen" (in the saved focus's title): a word form
    sheet.fill("#kg-search", "waardering")
    rows = sheet.locator(".kg-row")
    rows.first.wait_for()
    assert title[:30] in " ".join(rows.all_inner_texts())
    rows.first.click()
    sheet.locator("#kg-details h2").wait_for()
    assert sheet.locator("#kg-details h2").inner_text() in {
        r.split("\n")[0] for r in rows.all_inner_texts()
    }
    _shot(sheet, backend, "8-export-offline-search")
    offline.close()

    # 9. the vis-network fallback, forced by the link: same events, same details
    page.goto(f"{url}/verkennen?focus={DMI}&renderer=vis")
    wait_drawn(page)
    _idle(page)
    assert renderer(page) == "vis"
    other_id = sorted(i for i in drawn_ids(page) if i.startswith("cq:"))[0]
    click_node(page, other_id)
    _idle(page)
    _details_title(
        page,
        page.evaluate("id => window.kgraphGraph.graph.getNodeAttribute(id, 'title')", other_id),
    )
    _shot(page, backend, "9-vis-fallback")
    assert dialogs == []
    context.close()


def test_without_webgl_the_browser_asks_for_the_fallback(
    playwright: Playwright, served: tuple[str, str, str]
) -> None:
    """A browser without WebGL (a locked-down desktop) gets the vis-network drawing."""
    backend, url, _location = served
    b = playwright.chromium.launch(
        executable_path=chromium_or_skip(),
        args=[*CHROMIUM_ARGS, "--disable-webgl", "--disable-3d-apis"],
        headless=True,
    )
    try:
        page = b.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(WAIT_MS)
        page.goto(f"{url}/verkennen")
        wait_drawn(page)
        assert renderer(page) == "vis"
        assert page.locator(".kg-wrap[data-renderer=vis]").get_attribute("data-webgl") == "no"
        _shot(page, backend, "10-no-webgl-detected")
    finally:
        b.close()
