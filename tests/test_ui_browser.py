"""The dashboard in a real browser: Debian's Chromium driven by Playwright against
``streamlit run kgraph/ui/entry/app.py``, started from an empty folder on a free localhost
port, on a temporary store seeded with the City Deal graph. Screenshots of every page go to ``test-artifacts/``.

Never downloads a browser: Chromium is the system one (``.ci/run`` installs it); without it
these tests are skipped (failed in CI). No fixture has a wall-clock limit, and every wait
allows ``WAIT_MS`` (five minutes, against 30 s by default): a page on a busy machine is
slow, not broken; the bound only keeps a broken page from hanging the suite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import chromium_or_skip
from helpers import drawing
from helpers.drawing import click_node, drawn_ids, wait_drawn
from playwright.sync_api import Browser, Dialog, Page, Route

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.model import Edge, Node
from kgraph.paths import APP, seed_folder
from kgraph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS_TITLE = '<img src=x onerror="alert(1)"><script>alert(2)</script> Hoe lekt data?'
XSS_ID = "kq:xss-proef"
MD_TITLE = "![x](http://127.0.0.1:9/x.png) <b>x</b> https://evil.example a@b.nl\n# H"
MD_ID = "cq:markdown-proef"
PAGES = {
    "overzicht": "",
    "verkennen": "verkennen",
    "vragen": "vragen",
    "overdracht": "overdracht",
    "export": "export",
    "importeren": "importeren",
    "geschiedenis": "geschiedenis",
    "vergelijkbare-vragen": "vergelijkbare-vragen",
    "hiaten": "hiaten",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
WAIT_MS = 300_000  # a hang bound, far beyond any slowness


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "ui.db"
    store = EmbeddedStore(path, actor="seed")
    apply_batch(store, seed_importer.read(seed_folder()))
    cop = store.nodes(["cop"])[0]
    store.add_node(Node(XSS_ID, "knowledge_question", XSS_TITLE, text="<b>vet?</b>"))
    store.add_edge(Edge(XSS_ID, "RAISED_IN", cop.id))
    store.add_node(Node(MD_ID, "complex_question", MD_TITLE))  # no landing place: listed
    store.close()
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    """The packaged app, with its own Streamlit settings (beside it), started from an
    empty folder on a free port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "KGRAPH_STORE": str(db)}
    log = (db.parent / "streamlit.log").open("wb")
    folder = db.parent / "cwd"  # nothing of the checkout around it
    folder.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
        ],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        # Until it answers or exits; no deadline: a busy machine only makes this slower.
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(
                    "streamlit did not start:\n" + (db.parent / "streamlit.log").read_text()
                )
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Outside:
    """Every request a page or any of its frames makes to a host other than localhost."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def check(self, url: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname not in LOCAL_HOSTS:
            self.urls.append(url)


@dataclass
class Session:
    """What a test page was opened with, and what it saw."""

    base: str
    outside: Outside
    dialogs: list[str]


SESSIONS: dict[int, Session] = {}


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh browser page (a new Streamlit session); requests leaving localhost are
    blocked, recorded, and fail the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 1500})
    outside = Outside()

    def route(r: Route) -> None:
        outside.check(r.request.url)
        if urlparse(r.request.url).hostname in LOCAL_HOSTS or r.request.url.startswith("data:"):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    context.set_default_timeout(WAIT_MS)  # for every wait and action
    pg = context.new_page()
    pg.on("request", lambda req: outside.check(req.url))
    pg.on("requestfailed", lambda req: outside.check(req.url))
    dialogs: list[str] = []

    def dialog(d: Dialog) -> None:
        dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", dialog)
    SESSIONS[id(pg)] = Session(server, outside, dialogs)
    yield pg
    SESSIONS.pop(id(pg), None)
    context.close()
    assert not outside.urls, f"requests outside localhost: {outside.urls}"
    assert not dialogs, f"dialogs fired: {dialogs}"


def goto(page: Page, name: str) -> None:
    page.goto(f"{SESSIONS[id(page)].base}/{PAGES[name]}")
    page.wait_for_selector("h1", timeout=WAIT_MS)
    wait_idle(page)


def wait_idle(page: Page) -> None:
    """Until Streamlit has finished the current run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS
    )
    page.wait_for_timeout(300)


def choose(page: Page, label: str, text: str) -> None:
    """Pick the option containing ``text`` in the selectbox labelled ``label``, by keyboard."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(text)
    page.get_by_role("option", name=text).first.wait_for(timeout=WAIT_MS)
    box.press("Enter")
    wait_idle(page)


def set_name(page: Page, name: str) -> None:
    field = page.get_by_role("textbox", name="Je naam")
    field.fill(name)
    field.press("Enter")
    wait_idle(page)


def open_in_sidebar(page: Page, title: str) -> None:
    """Navigate inside the session (keeps the sidebar's name), as a user would."""
    page.get_by_role("link", name=title).first.click()
    page.wait_for_function(
        f"() => [...document.querySelectorAll('h1')].some(h => h.textContent.includes({title!r}))",
        timeout=WAIT_MS,
    )
    wait_idle(page)


# --- tests ------------------------------------------------------------------------------


def test_explore_draws_the_network_for_a_focus_node(page: Page) -> None:
    goto(page, "verkennen")
    wait_drawn(page)
    size = page.locator(".kg-canvas").first.bounding_box()
    assert size is not None and size["width"] > 300 and size["height"] > 300
    ids = drawn_ids(page)
    assert "lp:dmi-ecosysteem" in ids and len(ids) > 5
    legend = page.locator(".kg-legend").first.inner_text()
    assert "Legenda" in legend and "Landingsplaats" in legend
    resources = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(urlparse(u).hostname in LOCAL_HOSTS for u in resources if "://" in u)


def test_search_and_select_shows_the_details(page: Page, db: Path) -> None:
    reader = EmbeddedStore(db, actor="reader")
    hit = reader.search("lokaal meten")[0]
    neighbour = min((n for _, n in reader.neighbours(hit.id)), key=lambda n: n.id)
    reader.close()
    goto(page, "verkennen")
    search = page.get_by_role("textbox", name="Zoeken")
    search.fill("lokaal meten")
    search.press("Enter")
    wait_idle(page)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=WAIT_MS)
    area = grid.bounding_box()
    assert area is not None
    page.mouse.click(area["x"] + 18, area["y"] + 35 + 17)  # the first result's row
    wait_idle(page)
    page.get_by_role("button", name="Focus hierop").first.click()
    wait_idle(page)
    page.get_by_role("heading", name=hit.title, level=4).wait_for(timeout=WAIT_MS)
    wait_drawn(page)
    assert hit.id in drawn_ids(page)
    # a click on another node in the drawing: its details replace the first
    click_node(page, neighbour.id)
    page.get_by_role("heading", name=neighbour.title[:40], level=4).first.wait_for(timeout=WAIT_MS)
    page.get_by_text(neighbour.id).first.wait_for(state="visible")
    page.get_by_role("tab", name="Buren").click()
    page.get_by_text(hit.title).last.wait_for(state="visible")  # in Buren, not the results


def test_a_handover_decision_without_a_date_is_refused_in_the_browser(page: Page, db: Path) -> None:
    """The decision form never makes a date up: saving without one says so and writes
    nothing (the stored decision is checked with AppTest on both backends)."""
    reader = EmbeddedStore(db, actor="reader")
    try:
        edge = next(e for e in reader.edges(["LANDS_IN"]) if e.status != "accepted")
        item = reader.get_node(edge.src)
        assert item is not None
        goto(page, "overzicht")
        set_name(page, "Stuurgroep Browser")
        open_in_sidebar(page, "Overdracht")
        choose(page, "Overdracht (item → landingsplaats)", item.title[:30])
        choose(page, "Status overdracht", "belegd")
        page.get_by_label("Toelichting").fill("Belegd, besloten in de browser.")
        page.get_by_role("button", name="Besluit opslaan").click()
        page.get_by_text("vul de datum van het besluit in").wait_for(timeout=WAIT_MS)
        stored = reader.get_edge(edge.src, edge.kind, edge.dst)
        assert stored is not None and stored.props == edge.props
        assert reader.history(target=edge.key)[-1].actor != "Stuurgroep Browser"
    finally:
        reader.close()


def test_an_xss_title_is_shown_as_text_and_no_dialog_fires(page: Page) -> None:
    page.goto(f"{SESSIONS[id(page)].base}/verkennen?focus={XSS_ID}")
    wait_drawn(page)
    heading = page.get_by_role("heading", level=4).filter(has_text="Hoe lekt data?")
    heading.wait_for(timeout=WAIT_MS)
    assert "<script>alert(2)</script>" in heading.inner_text()
    assert "<img src=x" in heading.inner_text()
    drawn = {n["id"]: n["label"] for n in page.evaluate("() => window.kgraphGraph.drawn()")}
    assert drawn[XSS_ID].startswith("<img src=x")
    # hovering shows the title as text; no element was made from it
    x, y = drawing.at(page, XSS_ID)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    goto(page, "vragen")
    page.wait_for_timeout(1000)
    assert not SESSIONS[id(page)].dialogs


def test_a_markdown_title_renders_as_typed_without_links_or_images(page: Page) -> None:
    shown = " ".join(MD_TITLE.split())
    made = (
        "() => [...document.querySelectorAll('a[href], img')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src'))"
        ".filter(u => !u.startsWith('#') && /evil|127\\.0\\.0\\.1:9|mailto:/.test(u))"
    )
    page.goto(f"{SESSIONS[id(page)].base}/verkennen?focus={MD_ID}")
    wait_drawn(page)
    heading = page.get_by_role("heading", level=4).filter(has_text="evil.example")
    heading.wait_for(timeout=WAIT_MS)
    assert heading.inner_text().replace("\u2060", "").strip() == shown
    assert page.evaluate(made) == []
    goto(page, "overdracht")
    listed = page.get_by_text("evil.example", exact=False).first
    listed.wait_for(timeout=WAIT_MS)
    assert shown in listed.inner_text().replace("\u2060", "")
    assert page.evaluate(made) == []
    headings = "[...document.querySelectorAll('h1, h2, h3')].map(h => h.textContent.trim())"
    assert "H" not in page.evaluate(headings)  # the title's second line made no heading


def test_import_checks_every_row_then_imports(page: Page, db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "vragen.csv"
    bad.write_text(
        "Kennisvraag;Toelichting;Status;CoP;Trekker\n"
        "Hoe meten we hittestress?;Met sensoren;open;Lokaal meten;Eva\n"
        "Hoe delen we meetdata?;;onbekend;Lokaal meten;Eva\n",
        encoding="utf-8",
    )
    goto(page, "overzicht")
    set_name(page, "Eva")
    open_in_sidebar(page, "Importeren")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_text("Kolommen koppelen").wait_for(timeout=WAIT_MS)
    wait_idle(page)
    page.get_by_role("button", name="Controleren").click()
    page.get_by_text("1 problemen in 2 gelezen rijen").wait_for(timeout=WAIT_MS)
    reader = EmbeddedStore(db, actor="reader")
    try:
        assert not reader.search("hittestress")  # the dry run changed nothing
        good = tmp_path / "vragen2.csv"
        good.write_text(bad.read_text(encoding="utf-8").replace("onbekend", "in behandeling"))
        page.set_input_files("input[type=file]", str(good))
        page.get_by_text("vragen2.csv").wait_for(timeout=WAIT_MS)
        wait_idle(page)
        # a new file clears the earlier check
        page.get_by_text("1 problemen").wait_for(state="detached", timeout=WAIT_MS)
        page.get_by_role("button", name="Controleren").click()
        page.get_by_text("2 rijen in orde").wait_for(timeout=WAIT_MS)
        page.get_by_role("button", name="Importeren", exact=True).click()
        page.get_by_text("toegevoegd door Eva").wait_for(timeout=WAIT_MS)
        added = reader.search("hittestress")
        assert [n.title for n in added] == ["Hoe meten we hittestress?"]
        assert added[0].props["owner"] == "Eva" and added[0].updated_by == "Eva"
        assert {(e.kind, e.dst) for e in reader.edges(node_id=added[0].id)} == {
            ("RAISED_IN", "cop:lokaal-meten")
        }
    finally:
        reader.close()


def test_screenshots_of_every_page_and_nothing_leaves_localhost(page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name in PAGES:
        goto(page, name)
        if name == "verkennen":
            wait_drawn(page)
        page.wait_for_load_state("networkidle")  # lazily loaded widgets (tables) are drawn
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    assert not SESSIONS[id(page)].outside.urls


def test_a_laptop_screen_and_the_keyboard_are_enough(browser: Browser, server: str) -> None:
    """At 1366×768 no page scrolls sideways, and a person can reach another page and a
    field with Tab and Enter alone (no mouse)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if urlparse(r.request.url).hostname in LOCAL_HOSTS or r.request.url.startswith("data:")
            else r.abort()
        ),
    )
    context.set_default_timeout(WAIT_MS)
    pg = context.new_page()
    try:
        for name in PAGES:
            pg.goto(f"{server}/{PAGES[name]}")
            pg.wait_for_selector("h1", timeout=WAIT_MS)
            wait_idle(pg)
            wide = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{name} scrolls sideways by {wide}px at 1366 wide"

        pg.goto(server)
        pg.wait_for_selector("h1", timeout=WAIT_MS)
        wait_idle(pg)

        def tab_to(accessible: str, limit: int = 80) -> None:
            for _ in range(limit):
                pg.keyboard.press("Tab")
                label = pg.evaluate(
                    "(() => { const e = document.activeElement;"
                    " return (e.getAttribute('aria-label') || e.textContent || '').trim(); })()"
                )
                if label == accessible:
                    return
            raise AssertionError(f"Tab never reached {accessible!r}")

        tab_to("Vragen")
        pg.keyboard.press("Enter")
        pg.wait_for_function(
            "() => [...document.querySelectorAll('h1')].some(h => h.textContent.includes('Vragen'))",
            timeout=WAIT_MS,
        )
        wait_idle(pg)
        tab_to("Je naam")
        pg.keyboard.type("Toetsenbord Tessa")
        pg.keyboard.press("Enter")
        wait_idle(pg)
        assert pg.get_by_role("textbox", name="Je naam").input_value() == "Toetsenbord Tessa"
    finally:
        context.close()
