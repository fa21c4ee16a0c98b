"""CPU time per call of the store's hot operations, for comparing two versions of the code.

    python -m benchmarks.store_cpu STORE.db PROBES.json [--rounds N]

Wall-clock figures on a shared machine swing 2-3× between identical runs; CPU time
(``time.process_time``) of many calls in one process swings far less. Run it for the old
and the new code in turn (e.g. with ``PYTHONPATH`` pointing at a checkout of each), on
copies of the same store (``benchmarks.worker load`` makes one; ``probes.json`` is what
``benchmarks.run`` writes beside it), and compare the medians of the rounds. The store
file is changed (status edits): pass a copy.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kgraph.model import QUESTION_STATUSES
from kgraph.store import open_store

FILTER = ["knowledge_question", "cop", "theme", "landing_place", "organisation"]


def measure(store_path: str, probes: dict[str, Any]) -> dict[str, float]:
    store = open_store(store_path, actor="bench")
    hubs, leaves, pairs, words = probes["hubs"], probes["leaves"], probes["pairs"], probes["search"]
    questions = [n.id for n in store.nodes(["knowledge_question"], limit=200)]
    statuses = sorted(QUESTION_STATUSES)
    out: dict[str, float] = {}

    def cpu(name: str, call: Callable[[int], object], n: int) -> None:
        call(0)
        start = time.process_time()
        for i in range(n):
            call(i)
        out[name] = round((time.process_time() - start) / n * 1000, 3)

    cpu("nbh_hub_ms", lambda i: store.neighbourhood([hubs[i % len(hubs)]], depth=2), 200)
    cpu("nbh_leaf_ms", lambda i: store.neighbourhood([leaves[i % len(leaves)]], depth=2), 200)
    cpu(
        "nbh_filtered_ms",
        lambda i: store.neighbourhood([hubs[i % len(hubs)]], depth=2, kinds=FILTER),
        100,
    )
    cpu("path_ms", lambda i: store.shortest_path(*pairs[i % len(pairs)]), 100)
    cpu("search_ms", lambda i: store.search(words[i % len(words)]), 100)
    cpu(
        "update_node_ms",
        lambda i: store.update_node(
            questions[i % len(questions)], {"status": statuses[i % len(statuses)]}
        ),
        200,
    )
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_cpu")
    parser.add_argument("store")
    parser.add_argument("probes", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    probes = json.loads(args.probes.read_text())
    for _round in range(args.rounds):
        print(json.dumps(measure(args.store, probes)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
