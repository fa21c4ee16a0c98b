"""One benchmark process: ``python -m benchmarks.worker TASK --work DIR --scale M ...``.

The runner starts every task in a fresh process so that each peak memory figure (and each
cold start) belongs to one job. A task writes ``DIR/TASK-BACKEND.json``:
``{"results": {operation: measurement}, "peak_rss_mb": ...}``.

Tasks: ``load`` (bulk import into an empty store), ``queries`` (open the loaded store and
run the read, edit, export and analysis operations), ``cold`` (open and first read, as the
first thing in the process), ``similar`` (similar questions, alone for its memory),
``baseline`` (bare networkx), ``render`` (the Verkennen page through ``AppTest``) and
``table`` (``kgraph import table`` of the questions workbook).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import Measurement, not_available, peak_rss_mb

Results = dict[str, Measurement]


def _probes(work: Path) -> dict[str, Any]:
    return json.loads((work / "probes.json").read_text())


def _open(location: str) -> Any:
    from kgraph.store import open_store

    return open_store(location, actor="bench")


def task_cold(args: argparse.Namespace) -> Results:
    """Import the store code, open the store and read one node, as the first thing this
    process does (nothing of kgraph is imported before the clock starts); then count
    everything, as the dashboard's overview does first."""
    start = time.perf_counter()
    from kgraph.store import open_store

    imported = time.perf_counter()
    store = open_store(args.location, actor="bench")
    opened = time.perf_counter()
    store.get_node(_probes(args.work)["hub"])
    first_read = time.perf_counter()
    store.counts()
    counted = time.perf_counter()
    store.close()
    return {
        "cold_open": {
            "seconds": round(first_read - start, 3),
            "import_s": round(imported - start, 3),
            "open_s": round(opened - imported, 3),
            "first_read_s": round(first_read - opened, 3),
            "counts_s": round(counted - first_read, 3),
        }
    }


def task_load(args: argparse.Namespace) -> Results:
    from benchmarks.generate import graph
    from benchmarks.store_ops import bulk_import, size_on_disk

    store = _open(args.location)
    if args.backend == "neo4j":
        store.wipe()
    results = {"bulk_import": bulk_import(store, graph(args.scale))}
    store.close()
    if args.backend == "embedded":
        results["disk_size"] = size_on_disk(args.location)
    return results


def task_queries(args: argparse.Namespace) -> Results:
    from benchmarks import store_ops as ops

    probes = _probes(args.work)
    n = args.repeat
    store = _open(args.location)
    results: Results = {
        "nbh_hub": ops.neighbourhood(store, probes["hubs"], n),
        "nbh_leaf": ops.neighbourhood(store, probes["leaves"], n),
        "shortest_path": ops.shortest_path(store, probes, n),
        "text_search": ops.text_search(store, probes, n),
        "small_edit": ops.small_edit(store, probes, n),
        "edits_1000": ops.thousand_edits(store, probes),
    }
    results.update(ops.export_subgraph(store))
    results["handover_coverage"] = ops.handover_coverage(store)
    store.close()
    return results


def task_similar(args: argparse.Namespace) -> Results:
    from benchmarks.store_ops import similar_questions

    store = _open(args.location)
    result = similar_questions(store)
    store.close()
    return {"similar_questions": result}


def task_baseline(args: argparse.Namespace) -> Results:
    from benchmarks import baseline
    from benchmarks.generate import graph

    probes = _probes(args.work)
    n = args.repeat
    nxg, took = baseline.build(graph(args.scale))
    results: Results = {
        "nx_build": {**took, "nodes": nxg.number_of_nodes(), "edges": nxg.number_of_edges()},
        "nbh_hub": baseline.neighbourhood(nxg, probes["hubs"], n),
        "nbh_leaf": baseline.neighbourhood(nxg, probes["leaves"], n),
        "shortest_path": baseline.shortest_path(nxg, probes, n),
        "text_search": baseline.text_search(nxg, probes, min(n, 10)),
        "ego_hub_r1": baseline.ego_graph(nxg, probes["hub"], 1),
        "ego_leaf_r2": baseline.ego_graph(nxg, probes["leaves"][0], 2),
    }
    return results


def task_render(args: argparse.Namespace) -> Results:
    from benchmarks.app_ops import verkennen_first_render

    return {"verkennen_render": verkennen_first_render(args.location)}


def task_review(args: argparse.Namespace) -> Results:
    from benchmarks.review import measure

    return measure(args.location)


def task_table(args: argparse.Namespace) -> Results:
    from benchmarks.app_ops import table_import

    workbook = args.work / "questions.xlsx"
    if not workbook.exists():
        return {"table_import": not_available("no questions workbook at this scale")}
    return {"table_import": table_import(workbook, args.work / "table.db")}


def task_meaning(args: argparse.Namespace) -> Results:
    from benchmarks import similar_bench

    store = _open(args.location)
    results = similar_bench.task(args, store)
    store.close()
    return results


TASKS: dict[str, Callable[[argparse.Namespace], Results]] = {
    "cold": task_cold,
    "load": task_load,
    "queries": task_queries,
    "similar": task_similar,
    "meaning": task_meaning,
    "baseline": task_baseline,
    "render": task_render,
    "table": task_table,
    "review": task_review,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--scale", required=True)
    parser.add_argument("--backend", default="embedded", choices=("embedded", "neo4j", "networkx"))
    parser.add_argument("--location", default="")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    results = TASKS[args.task](args)
    out = {"task": args.task, "backend": args.backend, "results": results}
    out["peak_rss_mb"] = peak_rss_mb()
    out["pid"] = os.getpid()
    (args.work / f"{args.task}-{args.backend}.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
