"""The steering group's review in a real browser (Debian's Chromium, Playwright) against the
real app, on both backends: decide three handovers at once and see three history entries,
then one refusal when one of them changed meanwhile (nothing written); Enter in any text
field saves nothing; a future date asks for a confirmation; an action added and marked done
shows in the meeting pack, whose print layout is rendered to PDF and looked at page by
page; every column of the table is readable at 1366 px (bounding boxes); no English widget
text; and the Overdracht page at scale M is at most three screens tall.

Screenshots (1366×768 and 1440×900, the City Deal seed and scale M) and the printed pack's
pages go to ``test-artifacts/``. The helpers are those of ``test_ui_browser``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import chromium_or_skip, neo4j_uri_or_skip
from playwright.sync_api import Browser, Page, sync_playwright
from test_ui_browser import CHROMIUM_ARGS, LOCAL_HOSTS, WAIT_MS, free_port, wait_idle

from kgraph import actions, dates
from kgraph.handover_table import TableQuery, TableRow, handover_table
from kgraph.paths import APP
from kgraph.seeding import seed_store
from kgraph.store import open_store
from kgraph.store.base import GraphStore

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: what must never show on these pages in Dutch
ENGLISH = ("Press Enter", "Select all", "Choose an option", "Choose options", "No results")


@contextmanager
def serving(location: str, folder: Path) -> Iterator[str]:
    """The packaged app on a free localhost port over the store at ``location``."""
    port = free_port()
    env = {**os.environ, "KGRAPH_STORE": location}
    log_path = folder / f"streamlit-{port}.log"
    cwd = folder / f"cwd-{port}"
    cwd.mkdir()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP),
             "--server.address", "127.0.0.1", "--server.port", str(port)],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            while True:  # until it answers or exits; a busy machine is slow, not broken
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError("streamlit did not start:\n" + log_path.read_text())
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = chromium_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _open(browser: Browser, url: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if (r.request.url.split("/")[2].split(":")[0] in LOCAL_HOSTS)
            or r.request.url.startswith(("data:", "blob:"))
            else r.abort()
        ),
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("h1", timeout=WAIT_MS)
    wait_idle(page)
    return page


def _store(backend: str, folder: Path, name: str) -> tuple[GraphStore, str]:
    location = str(folder / f"{name}.db") if backend == "embedded" else neo4j_uri_or_skip()
    store = open_store(location, actor="test")
    if backend == "neo4j":
        store.wipe()
    return store, location


def _shoot(page: Page, name: str) -> None:
    """The screen as a person sees it, and the whole page (Streamlit scrolls inside its
    main area, so the viewport is made as tall as the content for the second)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")  # lazily loaded widgets are drawn
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    size = page.viewport_size or {"width": 1366, "height": 768}
    tall = _main_height(page)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall + 40)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"))
    page.set_viewport_size(size)
    page.wait_for_timeout(300)


def _main_height(page: Page) -> int:
    return int(
        page.evaluate(
            "(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.documentElement.scrollHeight; })()"
        )
    )


def _set_name(page: Page, name: str) -> None:
    field = page.get_by_role("textbox", name="Je naam")
    field.fill(name)
    field.press("Enter")
    wait_idle(page)


def _tick(page: Page, row: TableRow) -> None:
    label = row.title + (f" → {row.place_title}" if row.place_title else "")
    page.locator("label", has=page.get_by_role("checkbox", name=label, exact=True)).click()
    wait_idle(page)


def _no_english(page: Page, where: str) -> None:
    shown = page.evaluate("document.body.innerText")
    for words in ENGLISH:
        assert words not in shown, f"{where} shows {words!r}"


def _check_columns_fit(page: Page) -> None:
    """Every cell of every row lies inside the window and inside its row; none holds
    text wider than itself (wrapped or clamped with the full text on hover, never cut)."""
    page.locator(".kg-row").nth(10).wait_for()
    found = page.evaluate(
        """(() => {
          const rows = [...document.querySelectorAll('.kg-row')];
          const out = {rows: rows.length, bad: [], width: window.innerWidth,
                       scroll: document.documentElement.scrollWidth,
                       main: document.querySelector('[data-testid="stMain"]').scrollWidth,
                       mainClient: document.querySelector('[data-testid="stMain"]').clientWidth};
          for (const row of rows) {
            const r = row.getBoundingClientRect();
            const cells = [...row.children];
            out.cells = cells.length;
            for (const c of cells) {
              const b = c.getBoundingClientRect();
              if (b.right > window.innerWidth + 0.5 || b.left < r.left - 0.5
                  || b.right > r.right + 0.5 || b.width < 20)
                out.bad.push(['outside', c.innerText.slice(0, 40), b.left, b.right, r.right]);
              if (c.scrollWidth > c.clientWidth + 1)
                out.bad.push(['too wide', c.innerText.slice(0, 40), c.scrollWidth, c.clientWidth]);
              const clamped = c.querySelector('[class^="kg-clamp"]');
              if (clamped && clamped.scrollHeight > clamped.clientHeight + 1
                  && !clamped.getAttribute('title'))
                out.bad.push(['cut without hover', c.innerText.slice(0, 40)]);
            }
          }
          return out;
        })()"""
    )
    assert found["rows"] >= 10 and found["cells"] == 7, found
    assert found["scroll"] <= found["width"], f"scrolls sideways: {found}"
    assert found["main"] <= found["mainClient"], f"the main area scrolls sideways: {found}"
    assert not found["bad"], found["bad"][:5]


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
def test_the_steering_review_in_the_browser(backend: str, browser: Browser, tmp_path: Path) -> None:
    store, location = _store(backend, tmp_path, "seed")
    seed_store(store)
    try:
        with serving(location, tmp_path) as url:
            page = _open(browser, f"{url}/overdracht", 1366, 768)
            _set_name(page, "Stuurgroep Browser")
            _shoot(page, f"review-{backend}-overdracht-seed-1366x768")
            _check_columns_fit(page)
            _no_english(page, "Overdracht")
            rows = [r for r in handover_table(store, TableQuery(limit=15)).rows if r.place]
            three = rows[:3]
            for row in three:
                _tick(page, row)
            page.get_by_text("3 gekozen", exact=True).wait_for()
            form = page.locator('[data-testid="stForm"]').filter(has_text="Besloten op")
            shown = page.evaluate("document.body.innerText")
            for row in three:  # every chosen item's full title and its landing place
                assert f"{row.title} → {row.place_title}" in shown
            before = store.count_history()

            status = form.get_by_role("combobox", name="Status")
            status.click()
            status.fill("belegd")
            page.get_by_role("option", name="belegd").first.wait_for()
            status.press("Enter")
            wait_idle(page)
            # Enter in any text field saves nothing
            future = (dates.today().replace(year=dates.today().year + 2)).strftime("%d-%m-%Y")
            day = form.get_by_role("textbox", name="Besloten op")
            day.fill(future)
            day.press("Enter")
            by = form.get_by_role("textbox", name="Besloten door")
            by.fill("Stuurgroep")
            by.press("Enter")
            note = form.get_by_role("textbox", name="Toelichting")
            note.fill("Akkoord")
            note.press("Enter")
            note.press("Control+Enter")
            wait_idle(page)
            page.wait_for_timeout(1000)
            assert store.count_history() == before, "Enter saved something"
            assert not page.get_by_text("Besluit opgeslagen").count()

            # a future date asks for a confirmation first
            page.get_by_role("button", name="Besluit opslaan (3)").click()
            page.get_by_text("Klopt de datum?").wait_for()
            wait_idle(page)
            assert store.count_history() == before
            _shoot(page, f"review-{backend}-future-date")
            # a date of today needs none: three entries, one transaction
            form = page.locator('[data-testid="stForm"]').filter(has_text="Besloten op")
            form.get_by_role("textbox", name="Besloten op").fill(dates.today().strftime("%d-%m-%Y"))
            page.get_by_role("button", name="Besluit opslaan (3)").click()
            page.get_by_text("Besluit opgeslagen voor 3").wait_for()
            wait_idle(page)
            entries = store.history(newest_first=True, limit=3)
            assert sorted(c.target for c in entries) == sorted(r.key for r in three)
            assert {c.actor for c in entries} == {"Stuurgroep Browser"}
            assert len({c.tx for c in entries}) == 1

            # three more; one changes meanwhile elsewhere: one refusal, nothing written
            rows = [r for r in handover_table(store, TableQuery(limit=15)).rows if r.place]
            again = [r for r in rows if r.key not in {t.key for t in three}][:3]
            for row in again:
                _tick(page, row)
            store.update_edge(
                again[1].item, "LANDS_IN", str(again[1].place), {"note": "elders"}, actor="Ander"
            )
            before = store.count_history()
            form = page.locator('[data-testid="stForm"]').filter(has_text="Besloten op")
            form.get_by_role("textbox", name="Besloten op").fill(dates.today().strftime("%d-%m-%Y"))
            page.get_by_role("button", name="Besluit opslaan (3)").click()
            page.get_by_text("Niets opgeslagen: 1 van de gekozen overdrachten").wait_for()
            wait_idle(page)
            assert store.count_history() == before
            _shoot(page, f"review-{backend}-refused")
            page.get_by_role("button", name="Opnieuw laden").click()
            wait_idle(page)

            # an action on one handover, marked done: it is in the meeting pack
            (first,) = [r for r in handover_table(store, TableQuery(limit=15)).rows if r.place][:1]
            _tick(page, first)
            action_form = page.locator('[data-testid="stForm"]').filter(has_text="Actie toevoegen")
            action_form.get_by_role("textbox", name="Wat (volgende stap)").fill("Brief aan DMI")
            action_form.get_by_role("textbox", name="Actiehouder").fill("Ada")
            action_form.get_by_role("textbox", name="Deadline").fill("01-01-2020")
            action_form.get_by_role("textbox", name="Deadline").press("Enter")
            wait_idle(page)
            assert not actions.actions(store), "Enter added the action"
            page.get_by_role("button", name="Actie toevoegen").click()
            page.get_by_text("Actie toegevoegd: Brief aan DMI").wait_for()
            wait_idle(page)
            _shoot(page, f"review-{backend}-details-action")
            page.get_by_role("button", name="Gedaan").first.click()
            page.get_by_text("Afgerond: Brief aan DMI").wait_for()
            wait_idle(page)
            (done,) = actions.actions(store)
            assert not done.is_open and done.done_by == "Stuurgroep Browser"

            page.get_by_role("radio", name="Rapporten").click()
            wait_idle(page)
            _no_english(page, "Overdracht, rapporten")
            with page.expect_download() as download:
                page.locator('[data-testid="stDownloadButton"]').filter(
                    has_text="HTML downloaden"
                ).nth(1).click()
            pack = Path(download.value.path()).read_text(encoding="utf-8")
            assert "Vergaderstuk stuurgroep" in pack and "Brief aan DMI" in pack
            assert "Afgeronde acties sinds" in pack
            _print_pack(browser, pack, backend)

            # the history says what happened, in words and Dutch time
            history = _open(browser, f"{url}/geschiedenis", 1440, 900)
            history.locator(".kg-row").nth(3).wait_for()
            shown = history.evaluate("document.body.innerText")
            _shoot(history, f"review-{backend}-geschiedenis-1440x900")
            assert "Status:" in shown, shown[:3000]
            assert "belegd" in shown and "Stuurgroep Browser" in shown and "(UTC)" not in shown
            assert "decided_on" not in shown
            _no_english(history, "Geschiedenis")
            history.context.close()

            wide = _open(browser, f"{url}/overdracht", 1440, 900)
            _check_columns_fit(wide)
            _shoot(wide, f"review-{backend}-overdracht-seed-1440x900")
            wide.goto(f"{url}/vragen")
            wide.wait_for_selector("h1")
            wait_idle(wide)
            _no_english(wide, "Vragen")
            wide.context.close()
            page.context.close()
    finally:
        if backend == "neo4j":
            store.wipe()
        store.close()


def _print_pack(browser: Browser, pack: str, backend: str) -> None:
    """The pack's print layout as Chromium prints it (A4), each page looked at as an
    image: the title and date in every page's header, a page number in every footer."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(pack)
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    context.close()
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 4  # the sections start on pages of their own
    for number in range(len(pdf)):
        sheet = pdf[number]
        width, height = sheet.get_size()
        assert width > height  # A4 landscape, as the stylesheet asks
        text = sheet.get_textpage().get_text_range()
        assert "Vergaderstuk stuurgroep — Stand per" in text, number
        assert f"Pagina {number + 1} van {len(pdf)}" in text, number
        if number < 3:
            image = sheet.render(scale=1).to_pil()
            image.save(ARTIFACTS / f"review-{backend}-pack-print-page-{number + 1}.png")


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
def test_overdracht_at_scale_m_is_at_most_three_screens(
    backend: str, browser: Browser, tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ beside kgraph/
    from benchmarks.generate import graph

    store, location = _store(backend, tmp_path, "m")
    g = graph("M")
    store.bulk_load(g.nodes(), g.edges(), actor="bench")
    try:
        with serving(location, tmp_path) as url:
            for width, height in ((1366, 768), (1440, 900)):
                page = _open(browser, f"{url}/overdracht", width, height)
                page.locator(".kg-row").nth(10).wait_for()
                tall = _main_height(page)
                assert tall <= 3 * height, f"{tall} px at {width}×{height}"
                _check_columns_fit(page)
                _no_english(page, "Overdracht at M")
                _shoot(page, f"review-{backend}-overdracht-M-{width}x{height}")
                page.context.close()
    finally:
        if backend == "neo4j":
            store.wipe()
        store.close()
