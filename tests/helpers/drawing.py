"""Driving the graph drawing (the component in Verkennen, the standalone page) in
Chromium: wait for it, read what it drew, click its nodes where they are on screen."""

from __future__ import annotations

import os
from typing import Any

from playwright.sync_api import Page

WAIT_MS = int(os.environ.get("KGRAPH_TEST_WAIT_MS", "300000"))  # a hang bound, not a budget


def wait_drawn(page: Page) -> None:
    """Until the drawing is laid out and on screen."""
    page.wait_for_selector(".kg-wrap[data-ready=yes]", timeout=WAIT_MS)


def drawn(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.kgraphGraph.drawn()"))


def drawn_ids(page: Page) -> set[str]:
    return {n["id"] for n in drawn(page)}


def positions(page: Page) -> dict[str, list[float]]:
    return dict(page.evaluate("() => window.kgraphGraph.positions()"))


def renderer(page: Page) -> str:
    return str(page.evaluate("() => window.kgraphGraph.view.name"))


def at(page: Page, node_id: str) -> tuple[float, float]:
    point = page.evaluate("id => window.kgraphGraph.screen(id)", node_id)
    assert point, f"{node_id} is not drawn"
    return float(point["x"]), float(point["y"])


def click_node(page: Page, node_id: str, *, double: bool = False, shift: bool = False) -> None:
    """A real mouse click on the node where it is drawn (scrolled into view first)."""
    # the whole canvas in view (a wheel over it would zoom the drawing, not scroll the page)
    page.locator(".kg-canvas").first.evaluate(
        "e => e.scrollIntoView({block: 'center', behavior: 'instant'})"
    )
    x, y = at(page, node_id)
    while True:  # until a smooth scroll has come to rest
        page.wait_for_timeout(150)
        now = at(page, node_id)
        if now == (x, y):
            break
        x, y = now
    if shift:
        page.keyboard.down("Shift")
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)
    if shift:
        page.keyboard.up("Shift")
