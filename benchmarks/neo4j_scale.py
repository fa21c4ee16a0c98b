"""The Neo4j backend at scale: bulk load and the read and edit operations, against budgets.

Loads the generated graph of one scale (default ``L``: 100,000 knowledge questions, about
480,000 edges) into an empty Neo4j database with one ``bulk_load`` — as
``benchmarks.run`` does — and then times, through the ``GraphStore`` API only: depth-2
neighbourhoods (cap 300) from leaves and from the biggest hub, text search, shortest path
and one committed status change. Prints one table with the budgets of issue 7 and writes
it as JSON (``--out``).

    KGRAPH_NEO4J_PORT=7711 KGRAPH_NEO4J_HEAP=4g KGRAPH_NEO4J_PAGECACHE_MB=2048 scripts/neo4j start
    .venv/bin/python -m benchmarks.neo4j_scale --neo4j bolt://127.0.0.1:7711 --replace

``--keep`` leaves the graph in the database and ``--reuse`` measures the graph a previous
``--keep`` run left there, so read-side changes can be measured without reloading;
``--profile OP`` writes a pyinstrument profile of that operation's timed calls.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import SCALES, graph, probes
from benchmarks.measure import Measurement, once
from benchmarks.store_ops import neighbourhood, shortest_path, small_edit, text_search
from kgraph.store.neo4j import Neo4jStore

# (operation, what is reported, budget, whether more is better)
BUDGETS: dict[str, tuple[str, float, bool]] = {
    "bulk_load": ("nodes_per_s", 20_000, True),
    "nbh_leaf": ("p95_ms", 30, False),
    "nbh_hub": ("p95_ms", 30, False),
}
LABELS = {
    "bulk_load": "bulk load (one bulk_load)",
    "nbh_leaf": "depth-2 neighbourhood, leaf, cap 300",
    "nbh_hub": "depth-2 neighbourhood, biggest hub, cap 300",
    "nbh_dmi": "depth-2 neighbourhood, DMI landing place",
    "search": "text search (limit 50)",
    "shortest_path": "shortest path, random pairs",
    "small_edit": "one status change committed",
}


def _verdict(op: str, m: Measurement) -> str:
    if op not in BUDGETS:
        return ""
    key, budget, more_is_better = BUDGETS[op]
    got = m.get(key)
    if got is None:
        return ""
    ok = got >= budget if more_is_better else got <= budget
    ratio = got / budget if more_is_better else budget / got if got else float("inf")
    sign = "≥" if more_is_better else "≤"
    return f"{sign} {budget:g}: {'ok' if ok else 'MISSED'} ({ratio:.2f}×)"


def _row(op: str, m: Measurement) -> str:
    if "nodes_per_s" in m:
        figure = (
            f"{m['seconds']:.1f} s, {m['nodes_per_s']:,} nodes/s, "
            f"{m['items_per_s']:,} items/s (cpu {m['cpu_s']:.1f} s)"
        )
    else:
        figure = f"p50 {m['median_ms']:8.2f} ms  p95 {m['p95_ms']:8.2f} ms  (n={m['n']})"
    return f"{LABELS[op]:<44} {figure:<56} {_verdict(op, m)}"


def _profiled(name: str, wanted: str | None, folder: Path, call: Callable[[], Any]) -> Any:
    if wanted != name:
        return call()
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        return call()
    finally:
        profiler.stop()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"profile-{name}.txt"
        path.write_text(profiler.output_text(unicode=True, show_all=False))
        print(f"profile of {name}: {path}", file=sys.stderr)


def _load(store: Neo4jStore, g: Any, chunk: int) -> tuple[int, int]:
    """One ``bulk_load`` of the whole graph, or (``chunk`` > 0) one per slice of it."""
    if not chunk:
        return store.bulk_load(g.nodes(), g.edges(), actor="bench")
    added = [0, 0]
    for items, size, key in ((g.nodes(), chunk, 0), (g.edges(), 4 * chunk, 1)):
        while part := list(itertools.islice(items, size)):
            got = store.bulk_load(part if key == 0 else [], part if key == 1 else [])
            added[0] += got[0]
            added[1] += got[1]
    return added[0], added[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="default $NEO4J_URI")
    parser.add_argument("--scale", default="L", choices=sorted(SCALES))
    parser.add_argument("--repeat", type=int, default=100, help="timed calls per operation")
    parser.add_argument("--replace", action="store_true", help="wipe kgraph data first")
    parser.add_argument("--keep", action="store_true", help="leave the graph in the database")
    parser.add_argument("--reuse", action="store_true", help="measure the graph already there")
    parser.add_argument("--profile", choices=[*LABELS], help="profile one operation")
    parser.add_argument(
        "--chunk",
        type=int,
        default=0,
        help="load with one bulk_load per this many nodes (and 4x as many edges) instead of one",
    )
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if not args.neo4j:
        parser.error("no Neo4j: pass --neo4j bolt://... or set NEO4J_URI (scripts/neo4j start)")

    g = graph(args.scale)
    p = probes(g)
    print(
        f"scale {args.scale}: {p['nodes']:,} nodes, {p['edges']:,} edges; hub {p['hub']} "
        f"(degree {p['hub_degree']:,}); {args.neo4j}",
        file=sys.stderr,
    )
    store = Neo4jStore(args.neo4j, actor="bench")
    folder = Path("benchmarks/out")
    results: dict[str, Measurement] = {}
    try:
        if not args.reuse:
            if not store.is_empty():
                if not args.replace:
                    print("the database holds kgraph data; pass --replace", file=sys.stderr)
                    return 2
                store.wipe()
            (nodes, edges), took = _profiled(
                "bulk_load",
                args.profile,
                folder,
                lambda: once(lambda: _load(store, g, args.chunk)),
            )
            if (nodes, edges) != (p["nodes"], p["edges"]):
                raise SystemExit(f"loaded {nodes} nodes, {edges} edges; expected all of them")
            if args.chunk:
                LABELS["bulk_load"] = f"bulk load ({args.chunk:,} nodes per bulk_load)"
            results["bulk_load"] = {
                **took,
                "nodes_per_s": round(nodes / took["seconds"]),
                "items_per_s": round((nodes + edges) / took["seconds"]),
            }
            print(_row("bulk_load", results["bulk_load"]), file=sys.stderr)
        n = args.repeat
        ops: dict[str, Callable[[], Measurement]] = {
            "nbh_leaf": lambda: neighbourhood(store, p["leaves"], n),
            "nbh_hub": lambda: neighbourhood(store, [p["hub"]], n),
            "nbh_dmi": lambda: neighbourhood(store, [g.dmi], n),  # type: ignore[union-attr]
            "search": lambda: text_search(store, p, n),
            "shortest_path": lambda: shortest_path(store, p, n),
            "small_edit": lambda: small_edit(store, p, n),
        }
        for op, run in ops.items():
            results[op] = _profiled(op, args.profile, folder, run)
            print(_row(op, results[op]), file=sys.stderr)
    finally:
        if not args.keep:
            start = time.perf_counter()
            store.wipe()
            print(f"wiped in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        store.close()

    print(f"\nNeo4j backend at scale {args.scale} ({p['nodes']:,} nodes, {p['edges']:,} edges)")
    for op, m in results.items():
        print(_row(op, m))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"scale": args.scale, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
