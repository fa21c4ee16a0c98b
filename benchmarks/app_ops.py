"""Benchmark operations that go through the user-facing front doors: the Verkennen page of
the dashboard (through Streamlit's ``AppTest``) and ``kgraph import table``."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import Measurement, not_available
from kgraph.paths import PACKAGE

EXPLORE_PAGE = PACKAGE / "ui" / "pages" / "explore.py"


def _iframes(node: Any) -> list[Any]:
    """Every ``components.html`` iframe below ``node`` in an AppTest element tree."""
    found: list[Any] = []
    proto = getattr(node, "proto", None)
    if getattr(node, "type", "") == "iframe" and proto is not None:
        found.append(proto)
    for child in getattr(node, "children", {}).values():
        found += _iframes(child)
    return found


def verkennen_first_render(location: str) -> Measurement:
    """Open the dashboard on the Verkennen page as a new session does: the first run (store
    opened, default focus drawn), then a second run of the same page (caches warm)."""
    os.environ["KGRAPH_STORE"] = location
    from streamlit.testing.v1 import AppTest

    # The page file itself, as st.navigation runs it: AppTest cannot start on a page other
    # than the default one of app.py.
    app = AppTest.from_file(str(EXPLORE_PAGE), default_timeout=600)
    start = time.perf_counter()
    app.run()
    first = time.perf_counter() - start
    start = time.perf_counter()
    app.run()
    second = time.perf_counter() - start
    if app.exception:
        return not_available(f"the page raised: {app.exception[0].message}")
    html = [p.srcdoc for p in _iframes(app._tree) if getattr(p, "srcdoc", "")]
    if not html:
        return not_available("the page drew no network")
    drawn = _drawn(html[0])
    return {
        "seconds": round(first, 3),
        "second_run_s": round(second, 3),
        "html_kb": round(len(html[0].encode()) / 1024, 1),
        "nodes_drawn": drawn[0],
        "edges_drawn": drawn[1],
    }


def _drawn(html: str) -> tuple[int, int]:
    """Nodes and edges in the network page's embedded data (``-1`` if it cannot be read)."""
    found = re.search(
        r'<script type="application/json" id="kgraph-data">(.*?)</script>', html, re.S
    )
    if not found:
        return -1, -1
    data = json.loads(found.group(1))
    return len(data.get("nodes", [])), len(data.get("edges", []))


def table_import(workbook: Path, db: Path) -> Measurement:
    """``kgraph --store DB import table WORKBOOK`` in a fresh process, timed from outside."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    command = [
        str(Path(sys.executable).with_name("kgraph")),
        "--store",
        str(db),
        "--as",
        "bench",
        "import",
        "table",
        str(workbook),
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return not_available(f"kgraph import table failed: {done.stderr.strip()[:200]}")
    child_peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": round(seconds, 3),
        "output": done.stdout.strip().splitlines()[:1],
        "child_peak_rss_mb": round(child_peak_kb / 1024, 1),
    }
