"""The steering group's pages and documents, measured the way a person meets them.

- ``overdracht`` / ``geschiedenis``: the page file run in Streamlit's ``AppTest`` in a fresh
  process (its first render: store opened, first page of the table or history drawn), then
  each interaction a person makes (another page of rows, a filter, another order, ticking a
  row; for the history another page, a person, a period) repeated and summed up as p95,
  CPU time beside wall time.
- ``handover_table``: the store query behind one page of the table alone (the floor the
  page's interactions stand on).
- ``meeting_pack``: building the pack (summary, decisions, proposals, actions, items
  without a landing place) in md, html, xlsx and pdf.

    python -m benchmarks.review --scale M [--location PATH_OR_URI]

``benchmarks.run`` runs the same as its ``review`` job at every scale, on each backend.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import Measurement, not_available, percentile
from kgraph.paths import PACKAGE

PAGES = PACKAGE / "ui" / "pages"
#: samples per interaction
ROUNDS = 8


def _timed(call: Callable[[], Any]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def _summary(walls: list[float], cpus: list[float], **extra: Any) -> Measurement:
    return {
        "median_ms": round(statistics.median(walls), 2),
        "p95_ms": round(percentile(walls, 95), 2),
        "cpu_p95_ms": round(percentile(cpus, 95), 2),
        "n": len(walls),
        **extra,
    }


def _page(name: str) -> Any:
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=600)


def overdracht(location: str) -> dict[str, Measurement]:
    """First render of Overdracht and its interactions (see the module docstring)."""
    os.environ["KGRAPH_STORE"] = location
    from kgraph.ui.handover import table_view

    app = _page("handover")
    wall, cpu = _timed(app.run)
    if app.exception:
        return {"overdracht_render": not_available(f"the page raised: {app.exception[0].message}")}
    first: Measurement = {"seconds": round(wall / 1000, 3), "cpu_s": round(cpu / 1000, 3)}
    rows = [c for c in app.checkbox if (c.key or "").startswith("ho_pick_")]
    first["rows_shown"] = len(rows)
    walls: list[float] = []
    cpus: list[float] = []
    kinds: dict[str, list[float]] = {}

    def step(kind: str, change: Callable[[], Any]) -> None:
        w, c = _timed(lambda: change().run())
        walls.append(w)
        cpus.append(c)
        kinds.setdefault(kind, []).append(c)

    statuses = ["proposed", "accepted", "none", "in_discussion"]
    sorts = ["status", "decided_on", "place", "title"]
    for i in range(ROUNDS):
        pager = app.get("pagination")
        if pager:
            step("page", lambda p=pager[0], i=i: p.set_value(1 + (i + 1) % p.num_pages))
        step(
            "filter",
            lambda i=i: app.multiselect(key=table_view.K_STATUS).set_value([statuses[i % 4]]),
        )
        step("sort", lambda i=i: app.selectbox(key=table_view.K_SORT).set_value(sorts[i % 4]))
        step("clear", lambda: app.multiselect(key=table_view.K_STATUS).set_value([]))
        boxes = [c for c in app.checkbox if (c.key or "").startswith("ho_pick_")]
        if boxes:
            box = boxes[i % len(boxes)]
            step("tick", lambda b=box: b.check())
            step("untick", lambda b=box: b.uncheck())
    interactions = _summary(
        walls,
        cpus,
        cpu_p95_by_kind={k: round(percentile(v, 95), 2) for k, v in kinds.items()},
    )
    return {"overdracht_render": first, "overdracht_interaction": interactions}


def geschiedenis(location: str) -> dict[str, Measurement]:
    """First render of Geschiedenis and its interactions."""
    os.environ["KGRAPH_STORE"] = location
    from kgraph.ui.pages import history

    app = _page("history")
    wall, cpu = _timed(app.run)
    if app.exception:
        return {
            "geschiedenis_render": not_available(f"the page raised: {app.exception[0].message}")
        }
    first: Measurement = {"seconds": round(wall / 1000, 3), "cpu_s": round(cpu / 1000, 3)}
    walls: list[float] = []
    cpus: list[float] = []
    periods = ["week", "month"]
    for i in range(ROUNDS):
        pager = app.get("pagination")
        if pager:
            w, c = _timed(lambda p=pager[0], i=i: p.set_value(1 + (i + 1) % p.num_pages).run())
            walls.append(w)
            cpus.append(c)
        people = app.selectbox(key=history.PERSON).options
        who = people[1 + i % (len(people) - 1)] if len(people) > 1 else ""
        for change in (
            lambda who=who: app.selectbox(key=history.PERSON).set_value(who),
            lambda: app.selectbox(key=history.PERSON).set_value(""),
            lambda i=i: app.selectbox(key=history.PERIOD).set_value(periods[i % 2]),
        ):
            w, c = _timed(lambda ch=change: ch().run())
            walls.append(w)
            cpus.append(c)
    return {"geschiedenis_render": first, "geschiedenis_interaction": _summary(walls, cpus)}


def handover_table_query(location: str) -> Measurement:
    """One page of the handover table from the store: default, a filter, another order,
    a far page."""
    from kgraph.handover_table import TableQuery, handover_table
    from kgraph.store import open_store

    store = open_store(location, actor="bench")
    total = handover_table(store).total
    queries = [
        TableQuery(),
        TableQuery(statuses=("proposed",)),
        TableQuery(sort="status", descending=True),
        TableQuery(offset=max(0, total - 20)),
        TableQuery(text="data"),
    ]
    walls, cpus = [], []
    for i in range(ROUNDS * len(queries)):
        w, c = _timed(lambda i=i: handover_table(store, queries[i % len(queries)]))
        walls.append(w)
        cpus.append(c)
    store.close()
    return _summary(walls, cpus, rows=total)


def meeting_pack(location: str) -> Measurement:
    """The meeting pack in each format, built from the store."""
    from kgraph.export.pack import FORMATS
    from kgraph.export.pack import meeting_pack as build
    from kgraph.store import open_store

    store = open_store(location, actor="bench")
    per_format: dict[str, Any] = {}
    total_wall = total_cpu = 0.0
    for fmt in FORMATS:
        size = 0

        def make(fmt: str = fmt) -> None:
            nonlocal size
            size = len(build(store, fmt))

        w, c = _timed(make)
        per_format[fmt] = {
            "seconds": round(w / 1000, 3),
            "cpu_s": round(c / 1000, 3),
            "kb": size // 1024,
        }
        total_wall += w
        total_cpu += c
    store.close()
    return {
        "seconds": round(total_wall / 1000, 3),
        "cpu_s": round(total_cpu / 1000, 3),
        "formats": per_format,
    }


def measure(location: str) -> dict[str, Measurement]:
    """Everything above, on the store at ``location``."""
    results: dict[str, Measurement] = {}
    results["handover_table_page"] = handover_table_query(location)
    results.update(overdracht(location))
    results.update(geschiedenis(location))
    results["meeting_pack"] = meeting_pack(location)
    return results


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import SCALE_NAMES, graph

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M", choices=SCALE_NAMES)
    parser.add_argument("--location", help="an existing store (default: a fresh embedded one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        location = args.location
        if location is None:
            from kgraph.store.embedded import EmbeddedStore

            location = str(Path(folder) / "review.db")
            store = EmbeddedStore(location, actor="bench")
            g = graph(args.scale)
            store.bulk_load(g.nodes(), g.edges(), actor="bench")
            store.close()
        results = measure(location)
        results["load_average"] = {"value": round(os.getloadavg()[0], 2), "unit": "(1 min)"}
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
