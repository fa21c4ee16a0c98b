"""Benchmark operations that go through the user-facing front doors: the Verkennen page of
the dashboard (through Streamlit's ``AppTest``) and ``kgraph import table``."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import Measurement, not_available
from kgraph.paths import PACKAGE

EXPLORE_PAGE = PACKAGE / "ui" / "pages" / "explore.py"


def _drawings(node: Any) -> list[str]:
    """The data (JSON) of every graph drawing component below ``node`` in an AppTest tree."""
    found: list[str] = []
    proto = getattr(node, "proto", None)
    if getattr(proto, "component_name", "") == "kgraph_graph" and getattr(proto, "json", ""):
        found.append(proto.json)
    for child in getattr(node, "children", {}).values():
        found += _drawings(child)
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
    payloads = _drawings(app._tree)
    if not payloads:
        return not_available("the page drew no network")
    data = json.loads(payloads[0])
    return {
        "seconds": round(first, 3),
        "second_run_s": round(second, 3),
        "html_kb": round(len(payloads[0].encode()) / 1024, 1),
        "nodes_drawn": len(data.get("nodes", [])),
        "edges_drawn": len(data.get("edges", [])),
    }


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
