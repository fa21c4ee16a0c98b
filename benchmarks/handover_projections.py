"""The handover worked out once, shown four ways: what each projection costs on top.

    python -m benchmarks.handover_projections [--scale XS|S|M|L]

Loads the generated graph of ``--scale`` into a temporary embedded store, computes
``handover_coverage`` once, then times every projection of that one result (the report in
md, html and xlsx, the Overdracht groupings, the CLI's JSON) and prints each figure with
its ratio to the computation itself. The machine is shared: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import SCALE_NAMES, graph
from kgraph.analysis import handover_coverage
from kgraph.export.report import handover_report
from kgraph.store.embedded import EmbeddedStore


def _best(call: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M", choices=SCALE_NAMES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "bench.db", actor="bench")
        g = graph(args.scale)
        store.bulk_load(g.nodes(), g.edges(), actor="bench")
        coverage = handover_coverage(store)
        base = _best(lambda: handover_coverage(store), args.repeat)
        print(
            f"scale {args.scale}: {len(coverage.rows)} handover rows, {len(coverage.places)} "
            f"landing places, {len(coverage.cops)} CoPs"
        )
        print(f"{'handover_coverage (from the store)':<40} {base * 1000:9.1f} ms   1.00×")
        projections: dict[str, Callable[[], Any]] = {
            "report md": lambda: handover_report(coverage, "md"),
            "report html": lambda: handover_report(coverage, "html"),
            "report xlsx": lambda: handover_report(coverage, "xlsx"),
            "Overdracht groupings": lambda: (coverage.by_place(), coverage.by_cop()),
            "CLI --json": lambda: json.dumps(coverage.to_dict()),
        }
        for name, call in projections.items():
            took = _best(call, args.repeat)
            print(f"{name + ' (from the result)':<40} {took * 1000:9.1f} ms   {took / base:.2f}×")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
