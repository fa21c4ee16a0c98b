"""First figures for the Neo4j backend, side by side with the embedded store.

One generated graph of about 10,000 knowledge questions (with complex questions, CoPs,
themes, landing places with one DMI hub, organisations and values) is bulk-loaded into
both backends; then the same depth-2 neighbourhoods (cap 300) are asked of each.

    scripts/neo4j start
    .venv/bin/python -m benchmarks.neo4j_first_figures --neo4j bolt://127.0.0.1:7687

The Neo4j database must hold no kgraph data (or pass ``--replace``); it is wiped after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore
from kgraph.store.neo4j import Neo4jStore


def generate(questions: int, seed: int = 7) -> tuple[list[Node], list[Edge]]:
    """A graph shaped like a large programme: skewed CoP sizes, one hub landing place."""
    rng = random.Random(seed)
    n_cq = max(questions // 20, 1)
    cops = [Node(f"cop:{i}", "cop", f"CoP {i}") for i in range(max(questions // 200, 2))]
    themes = [Node(f"theme:{i}", "theme", f"Thema {i}") for i in range(10)]
    places = [Node("lp:dmi", "landing_place", "DMI-ecosysteem")] + [
        Node(f"lp:{i}", "landing_place", f"Landingsplaats {i}") for i in range(20)
    ]
    orgs = [Node(f"org:{i}", "organisation", f"Organisatie {i}") for i in range(100)]
    values = [Node(f"value:{i}", "value", f"Waarde {i}") for i in range(7)]
    words = [
        "data",
        "model",
        "sensor",
        "wijk",
        "ethiek",
        "privacy",
        "meten",
        "beleid",
        "stad",
        "energie",
        "mobiliteit",
    ]
    kqs = [
        Node(
            f"kq:{i}",
            "knowledge_question",
            f"Hoe {' '.join(rng.sample(words, 3))} vraag {i}?",
            text=" ".join(rng.choices(words, k=20)),
            tags=tuple(rng.sample(words, 2)),
        )
        for i in range(questions)
    ]
    cqs = [Node(f"cq:{i}", "complex_question", f"Complexe vraag {i}") for i in range(n_cq)]
    edges: list[Edge] = []
    cop_weights = [1 / (rank + 1) for rank in range(len(cops))]  # Zipf: a few big CoPs
    for kq in kqs:
        edges.append(Edge(kq.id, "RAISED_IN", rng.choices(cops, cop_weights)[0].id))
        if rng.random() < 0.5:
            edges.append(Edge(kq.id, "FEEDS", rng.choice(cqs).id))
        if rng.random() < 0.2:
            edges.append(Edge(kq.id, "CONCERNS", rng.choice(values).id))
    for _ in range(questions // 5):
        a, b = rng.sample(kqs, 2)
        edges.append(Edge(a.id, "RELATES_TO", b.id))
    for cq in cqs:
        edges.append(Edge(cq.id, "LANDS_IN", "lp:dmi", {"status": "proposed"}))
        if rng.random() < 0.3:
            edges.append(Edge(cq.id, "LANDS_IN", rng.choice(places[1:]).id))
    for lp in places[1:]:
        edges.append(Edge(lp.id, "PART_OF", "lp:dmi"))
    for cop in cops:
        edges.append(Edge(cop.id, "CONTINUES_AS", rng.choice(themes).id))
        for org in rng.sample(orgs, 3):
            edges.append(Edge(cop.id, "INVOLVES", org.id, {"role": "lid"}))
    unique = list({(e.src, e.kind, e.dst): e for e in edges}.values())
    return [*cops, *themes, *places, *orgs, *values, *kqs, *cqs], unique


def measure(
    store: GraphStore, nodes: list[Node], edges: list[Edge], focus: list[str]
) -> dict[str, float]:
    start = time.perf_counter()
    added_nodes, added_edges = store.bulk_load(nodes, edges, actor="bench")
    load_s = time.perf_counter() - start
    assert (added_nodes, added_edges) == (len(nodes), len(edges))
    for node_id in focus[:20]:  # warm caches and query plans
        store.neighbourhood([node_id], 2)
    times: list[float] = []
    sizes: list[int] = []
    for node_id in focus:
        t = time.perf_counter()
        sub = store.neighbourhood([node_id], 2)
        times.append((time.perf_counter() - t) * 1000)
        sizes.append(len(sub.nodes))
    times.sort()
    return {
        "load_s": load_s,
        "nodes_per_s": len(nodes) / load_s,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "mean_nodes": statistics.mean(sizes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200, help="neighbourhoods per backend")
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="default $NEO4J_URI")
    parser.add_argument("--replace", action="store_true", help="wipe kgraph data in Neo4j first")
    args = parser.parse_args(argv)
    if not args.neo4j:
        parser.error("no Neo4j: pass --neo4j bolt://... or set NEO4J_URI (scripts/neo4j start)")

    nodes, edges = generate(args.questions)
    rng = random.Random(11)
    focus = [n.id for n in rng.sample(nodes, args.queries)]
    # Always include the hub and the biggest CoP: the worst cases for a neighbourhood.
    focus[:2] = ["lp:dmi", "cop:0"]
    print(
        f"graph: {len(nodes)} nodes ({args.questions} questions), {len(edges)} edges; "
        f"{len(focus)} depth-2 neighbourhoods, cap 300"
    )

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(Path(folder) / "bench.db")
        results["embedded"] = measure(embedded, nodes, edges, focus)
        embedded.close()
    neo = Neo4jStore(args.neo4j)
    if not neo.is_empty():
        if not args.replace:
            print(f"{neo.location} holds kgraph data; pass --replace to wipe it", file=sys.stderr)
            return 2
        neo.wipe()
    try:
        results["neo4j"] = measure(neo, nodes, edges, focus)
    finally:
        neo.wipe()
        neo.close()

    print(
        f"{'backend':<10} {'load s':>8} {'nodes/s':>9} {'median ms':>10} {'p95 ms':>8} {'avg nodes':>10}"
    )
    for name, r in results.items():
        print(
            f"{name:<10} {r['load_s']:>8.2f} {r['nodes_per_s']:>9.0f} {r['median_ms']:>10.2f} "
            f"{r['p95_ms']:>8.2f} {r['mean_nodes']:>10.0f}"
        )
    e, n = results["embedded"], results["neo4j"]
    print(
        f"neo4j/embedded: load time x{n['load_s'] / e['load_s']:.1f}, "
        f"median x{n['median_ms'] / e['median_ms']:.1f}, p95 x{n['p95_ms'] / e['p95_ms']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
