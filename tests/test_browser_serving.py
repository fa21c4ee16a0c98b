"""The served dashboard against a real browser: Debian's Chromium (Playwright) talks to
``kgraph serve`` and to a plain ``streamlit run app.py`` on free loopback ports.

DNS rebinding is staged without any network: Chromium's ``--host-resolver-rules`` makes
``evil.example`` resolve to 127.0.0.1, which is exactly what a rebinding attacker's DNS
does, so the page at ``http://evil.example:PORT/`` is the attacker's page talking to the
dashboard with its own ``Host`` and ``Origin``. ``kgraph serve`` answers it 403; a plain
``streamlit run`` gets as far as the app, which shows only a refusal.

The sign-in throttle is checked the way the attack went: wrong passwords, each after a
page reload (a new Streamlit session), until the right password must wait too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import chromium_or_skip
from playwright.sync_api import Browser, Page
from test_serve import free_port, is_listening, serve_env, start_server, stop

from kgraph.auth import throttle
from kgraph.auth.users import UsersFile
from kgraph.ui.i18n import STRINGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
WAIT_MS = 60_000
PASSWORD = "lang genoeg wachtwoord"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the attacker's DNS answer, given locally: nothing leaves this computer
    "--host-resolver-rules=MAP evil.example 127.0.0.1",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``kgraph serve`` without sign-in; yields the port."""
    port = free_port()
    process = start_server(serve_env(tmp_path_factory.mktemp("served")), port)
    try:
        yield port
    finally:
        stop(process)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``streamlit run app.py`` started by hand, without ``kgraph serve``; yields the port."""
    port = free_port()
    env = serve_env(tmp_path_factory.mktemp("plain"))
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while not is_listening(port):
        assert process.poll() is None and time.monotonic() < deadline, "streamlit did not start"
        time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(15)


def test_a_rebinding_page_gets_403_from_kgraph_serve(page: Page, served: int) -> None:
    response = page.goto(f"http://evil.example:{served}/")
    assert response is not None and response.status == 403
    assert "403 Forbidden" in page.content()
    response = page.goto(f"http://127.0.0.1:{served}/")
    assert response is not None and response.status == 200
    page.get_by_text(STRINGS["your_name"]["nl"]).first.wait_for(timeout=WAIT_MS)


def test_a_rebinding_page_gets_only_a_refusal_from_a_plain_streamlit_run(
    page: Page, plain: int
) -> None:
    refusal = STRINGS["refuse_host"]["nl"].split(" {host}")[0]
    page.goto(f"http://evil.example:{plain}/")
    page.get_by_text(refusal).first.wait_for(timeout=WAIT_MS)
    assert page.get_by_text(STRINGS["your_name"]["nl"]).count() == 0
    page.goto(f"http://127.0.0.1:{plain}/")
    page.get_by_text(STRINGS["your_name"]["nl"]).first.wait_for(timeout=WAIT_MS)
    assert page.get_by_text(refusal).count() == 0


def test_reloading_does_not_reset_the_sign_in_throttle(page: Page, tmp_path: Path) -> None:
    env = serve_env(tmp_path)
    users = UsersFile(env["KGRAPH_USERS"], rounds=4)
    users.add("ada", "admin", PASSWORD)
    port = free_port()
    process = start_server(env, port)
    failed = STRINGS["signin_failed"]["nl"]
    wait = STRINGS["signin_wait"]["nl"].split(".")[0]

    def attempt(password: str) -> None:
        page.goto(f"http://127.0.0.1:{port}/")  # every attempt after a reload
        page.get_by_label(STRINGS["signin_name"]["nl"]).fill("ada")
        page.get_by_label(STRINGS["signin_password"]["nl"]).fill(password)
        page.get_by_role("button", name=STRINGS["signin_submit"]["nl"]).click()

    try:
        for _ in range(throttle.FREE_PER_ADDRESS):
            attempt("fout fout fout")
            page.get_by_text(failed).first.wait_for(timeout=WAIT_MS)
        attempt(PASSWORD)
        page.get_by_text(wait).first.wait_for(timeout=WAIT_MS)
        assert page.get_by_text("Aangemeld als").count() == 0
    finally:
        stop(process)
    assert os.path.exists(throttle.throttle_path(users.path))
