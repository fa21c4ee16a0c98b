"""The benchmark operations on a store, one small function each, backend-agnostic.

Each takes an open ``GraphStore`` (and the probes chosen by ``generate.probes``) and returns
a measurement (see ``benchmarks.measure``).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import Graph
from benchmarks.measure import Measurement, once, repeat, value
from kgraph import analysis
from kgraph.export import get_format
from kgraph.model import QUESTION_STATUSES
from kgraph.store.base import DEFAULT_CAP, GraphStore, Subgraph

Probes = dict[str, Any]
EXPORT_NODES = 10_000


def bulk_import(store: GraphStore, g: Graph) -> Measurement:
    """Load the whole generated graph in one ``bulk_load``; seconds and nodes per second."""
    (nodes, edges), took = once(lambda: store.bulk_load(g.nodes(), g.edges(), actor="bench"))
    seconds = took["seconds"]
    return {
        **took,
        "nodes": nodes,
        "edges": edges,
        "nodes_per_s": round(nodes / seconds) if seconds else None,
        "items_per_s": round((nodes + edges) / seconds) if seconds else None,
    }


def neighbourhood(store: GraphStore, focus: list[str], n: int) -> Measurement:
    """Depth-2 neighbourhood with the default 300-node cap, cycling through ``focus``."""
    sizes: list[int] = []

    def call(i: int) -> None:
        sub = store.neighbourhood([focus[i % len(focus)]], depth=2, cap=DEFAULT_CAP)
        sizes.append(len(sub.nodes))

    result = repeat(call, n)
    result["nodes_returned_max"] = max(sizes)
    return result


def shortest_path(store: GraphStore, probes: Probes, n: int) -> Measurement:
    pairs = probes["pairs"]
    lengths: list[int] = []

    def call(i: int) -> None:
        src, dst = pairs[i % len(pairs)]
        path = store.shortest_path(src, dst)
        lengths.append(len(path) - 1 if path else -1)

    result = repeat(call, n)
    result["longest_path"] = max(lengths)
    return result


def text_search(store: GraphStore, probes: Probes, n: int) -> Measurement:
    phrases = probes["search"]
    return repeat(lambda i: store.search(phrases[i % len(phrases)], limit=50), n)


def small_edit(store: GraphStore, probes: Probes, n: int) -> Measurement:
    """One status change committed (durable when it returns), on a different question each
    time."""
    targets = probes["edit"]
    statuses = itertools.cycle(QUESTION_STATUSES)

    def call(i: int) -> None:
        node_id = targets[i % len(targets)]
        node = store.get_node(node_id)
        assert node is not None
        status = next(statuses)
        if status == node.status:
            status = next(statuses)
        store.update_node(node_id, {"status": status}, actor="bench")

    # The CPU time tells the store's own work from waiting for the disk to sync.
    cpu = time.process_time()
    result = repeat(call, n)
    result["cpu_ms_each"] = round((time.process_time() - cpu) * 1000 / (n + 1), 3)
    return result


def thousand_edits(store: GraphStore, probes: Probes) -> Measurement:
    """1,000 status changes in one transaction (one commit)."""
    ids = [n.id for n in store.nodes(kinds=["knowledge_question"], limit=1000)]
    statuses = itertools.cycle(QUESTION_STATUSES)

    def run() -> None:
        with store.transaction(actor="bench"):
            for node_id in ids:
                store.update_node(node_id, {"status": next(statuses)})

    _, took = once(run)
    return {**took, "edits": len(ids)}


def export_subgraph(store: GraphStore) -> dict[str, Measurement]:
    """Fetch a 10,000-node subgraph and write it as GraphML and XLSX."""
    ids = [n.id for n in store.nodes(kinds=["knowledge_question"], limit=EXPORT_NODES)]
    ids += (
        [n.id for n in store.nodes(limit=EXPORT_NODES - len(ids))]
        if len(ids) < EXPORT_NODES
        else []
    )
    sub, took = once(lambda: store.subgraph(ids))
    out: dict[str, Measurement] = {
        "subgraph_10k": {**took, "nodes": len(sub.nodes), "edges": len(sub.edges)}
    }
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, suffix in (("graphml", ".graphml"), ("xlsx", ".xlsx")):
            out[f"export_{fmt}"] = _export(sub, fmt, Path(tmp) / f"sub{suffix}")
    return out


def _export(sub: Subgraph, fmt: str, path: Path) -> Measurement:
    write = get_format(fmt).write
    _, took = once(lambda: write(sub, path))
    return {**took, "bytes": path.stat().st_size}


def handover_coverage(store: GraphStore) -> Measurement:
    result, took = once(lambda: analysis.handover_coverage(store))
    return {**took, "places": len(result.places)}


def similar_questions(store: GraphStore) -> Measurement:
    result, took = once(lambda: analysis.find_similar(store))
    return {**took, "questions": result.questions, "pairs": len(result.pairs)}


def size_on_disk(location: str) -> Measurement:
    path = Path(location)
    total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return value(round(total / 2**20, 1), "MB")
