"""Run the benchmarks at one scale, print one table and write it as JSON.

    python -m benchmarks.run --scale M|L|S|XS [--repeat N] [--out benchmarks/out/M.json]

Every job runs in its own fresh process (``benchmarks.worker``), one after the other, so
each peak-memory figure belongs to one job and the jobs do not compete for the two cores.
The embedded store is always measured; Neo4j when ``NEO4J_URI`` is set (its database is
wiped first: point it at a server kept for benchmarks); the bare-networkx baseline always.
The machine is shared and noisy: compare ratios within one run rather than absolute
figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import reimport_scale, similar_bench
from benchmarks.generate import SCALE_NAMES, graph, probes, write_questions_xlsx
from benchmarks.measure import Measurement
from benchmarks.review_rows import REVIEW_ROWS

ROOT = Path(__file__).resolve().parents[1]  # the checkout: benchmarks run from there
OUT_DIR = ROOT / "benchmarks" / "out"
COLD_STARTS = 5
WORKER_TIMEOUT_S = 1500

Column = dict[str, Measurement]  # operation -> measurement, for one backend


# --- what the table shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """A limit on one figure of one backend, at the scales it applies to."""

    key: str  # which figure of the measurement: "p95_ms", "seconds", "peak_rss_mb", ...
    limit: float
    scales: tuple[str, ...]
    backend: str = "embedded"
    at_least: bool = False  # a floor (throughput) instead of a ceiling
    vs_baseline: float | None = None  # also at most this many times the networkx figure

    def describe(self) -> str:
        unit = {
            "p95_ms": " ms p95",
            "seconds": " s",
            "cpu_s": " s CPU",
            "peak_rss_mb": " MB",
            "nodes_per_s": "/s",
        }
        sign = "≥" if self.at_least else "≤"
        text = f"{self.backend[:3]} {sign} {self.limit:g}{unit.get(self.key, '')}"
        if self.vs_baseline:
            text += f", ≤ {self.vs_baseline:g}× nx"
        return text + f" @{'/'.join(self.scales)}"


@dataclass(frozen=True)
class Row:
    op: str
    label: str
    budgets: tuple[Budget, ...] = ()


ROWS: tuple[Row, ...] = (
    Row(
        "bulk_import",
        "bulk import (whole graph)",
        (
            Budget("seconds", 60, ("L",)),
            Budget("nodes_per_s", 20_000, ("L",), backend="neo4j", at_least=True),
        ),
    ),
    Row(
        "cold_open",
        "open existing store, cold (import+open+1 read)",
        (Budget("seconds", 2, ("L",)),),
    ),
    Row(
        "nbh_hub",
        "depth-2 neighbourhood of a top hub (the 50 biggest in turn), cap 300",
        (
            Budget("p95_ms", 20, ("L",), vs_baseline=1.5),
            Budget("p95_ms", 30, ("L",), backend="neo4j"),
        ),
    ),
    Row(
        "nbh_leaf",
        "depth-2 neighbourhood of a leaf (50 leaves in turn), cap 300",
        (
            Budget("p95_ms", 20, ("L",), vs_baseline=1.5),
            Budget("p95_ms", 30, ("L",), backend="neo4j"),
        ),
    ),
    Row("ego_hub_r1", "networkx ego_graph of the hub, radius 1"),
    Row("ego_leaf_r2", "networkx ego_graph of a leaf, radius 2"),
    Row("shortest_path", "shortest path, random pairs", (Budget("p95_ms", 50, ("L",)),)),
    Row("text_search", "text search (50 best)", (Budget("p95_ms", 50, ("L",)),)),
    Row("small_edit", "one status change committed", (Budget("p95_ms", 5, ("L",)),)),
    Row("edits_1000", "1,000 edits in one transaction"),
    Row("subgraph_10k", "fetch a 10,000-node subgraph"),
    Row("export_graphml", "export it to GraphML"),
    Row("export_xlsx", "export it to XLSX"),
    Row("handover_coverage", "handover coverage"),
    Row(
        "similar_questions",
        "similar questions",
        (Budget("seconds", 60, ("M",)), Budget("peak_rss_mb", 4096, ("M",))),
    ),
    *(
        Row(op, label, tuple(Budget(k, limit, scales) for k, limit, scales in budgets))
        for op, label, budgets in similar_bench.ROWS
    ),
    Row("table_import", "kgraph import table (questions XLSX)", (Budget("seconds", 30, ("M",)),)),
    Row("verkennen_render", "Verkennen first render (AppTest)", (Budget("seconds", 3, ("L",)),)),
    *(Row(op, label, tuple(Budget(**b) for b in bs)) for op, label, bs in REVIEW_ROWS),
    Row("nx_build", "build the in-memory networkx graph"),
    Row("disk_size", "store size on disk"),
    Row("peak_rss_load", "peak RSS: bulk-import process"),
    Row("peak_rss_queries", "peak RSS: query process", (Budget("peak_rss_mb", 2048, ("L",)),)),
)


def main_figure(m: Measurement | None) -> float | None:
    """The figure a cell compares on: p95 for repeated timings, else seconds or value."""
    if not m or "na" in m:
        return None
    for key in ("p95_ms", "seconds", "peak_rss_mb", "value"):
        if key in m:
            return float(m[key])
    return None


def cell(m: Measurement | None) -> str:
    if m is None:
        return "—"
    if "na" in m:
        return "n/a"
    if "p95_ms" in m:
        return f"{m['p95_ms']:.2f} ms (med {m['median_ms']:.2f})"
    if "seconds" in m:
        return f"{m['seconds']:.2f} s"
    if "peak_rss_mb" in m:
        return f"{m['peak_rss_mb']:.0f} MB"
    if "value" in m:
        return f"{m['value']:g} {m['unit']}"
    return "?"


def ratio(a: Measurement | None, b: Measurement | None) -> str:
    x, y = main_figure(a), main_figure(b)
    if x is None or y is None or y == 0:
        return ""
    return f"{x / y:.2f}×"


def check(budget: Budget, scale: str, columns: dict[str, Column], op: str) -> str | None:
    """``ok (N× headroom)`` / ``MISSED ...`` for a budget that applies at ``scale``."""
    if scale not in budget.scales:
        return None
    m = columns.get(budget.backend, {}).get(op)
    if not m or "na" in m or budget.key not in m:
        return f"{budget.describe()}: not measured"
    got = float(m[budget.key])
    met = got >= budget.limit if budget.at_least else got <= budget.limit
    room = (got / budget.limit) if budget.at_least else (budget.limit / got if got else 0)
    verdict = f"ok ({room:.1f}× headroom)" if met else "MISSED"
    if budget.vs_baseline:
        base = main_figure(columns.get("networkx", {}).get(op))
        if base:
            times = got / base
            verdict += f"; {times:.2f}× nx " + ("ok" if times <= budget.vs_baseline else "MISSED")
    return f"{budget.describe()}: {verdict}"


def build_rows(scale: str, columns: dict[str, Column]) -> list[dict[str, Any]]:
    rows = []
    for row in ROWS:
        ms = {b: columns.get(b, {}).get(row.op) for b in ("embedded", "neo4j", "networkx")}
        if all(m is None for m in ms.values()):
            continue
        verdicts = [v for b in row.budgets if (v := check(b, scale, columns, row.op))]
        rows.append(
            {
                "op": row.op,
                "label": row.label,
                **{b: m for b, m in ms.items()},
                "embedded_vs_networkx": ratio(ms["embedded"], ms["networkx"]),
                "neo4j_vs_embedded": ratio(ms["neo4j"], ms["embedded"]),
                "budgets": verdicts,
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    head = ["operation", "embedded", "Neo4j", "networkx", "emb/nx", "neo/emb", "budget"]
    body = [
        [
            r["label"],
            cell(r["embedded"]),
            cell(r["neo4j"]),
            cell(r["networkx"]),
            r["embedded_vs_networkx"],
            r["neo4j_vs_embedded"],
            "; ".join(r["budgets"]),
        ]
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [head, *body]) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for b in body:
        lines.append(
            "| " + " | ".join(str(x).ljust(w) for x, w in zip(b, widths, strict=True)) + " |"
        )
    return "\n".join(lines)


# --- running the jobs --------------------------------------------------------------------


def run_worker(
    task: str, work: Path, scale: str, backend: str, location: str, repeat: int
) -> dict[str, Any]:
    """Run one job in a fresh process and return what it wrote (or why it failed)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.worker",
        task,
        "--work",
        str(work),
        "--scale",
        scale,
        "--backend",
        backend,
        "--location",
        location,
        "--repeat",
        str(repeat),
    ]
    out = work / f"{task}-{backend}.json"
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
            check=False,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{task} ({backend}) took over {WORKER_TIMEOUT_S} s"}
    wall = time.perf_counter() - start
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"{task} ({backend}) failed: {' / '.join(tail)}"}
    data: dict[str, Any] = json.loads(out.read_text())
    data["wall_s"] = round(wall, 3)
    print(f"  {task:<9} {backend:<9} {wall:7.1f} s  peak {data['peak_rss_mb']:.0f} MB", flush=True)
    return data


def cold_starts(work: Path, scale: str, backend: str, location: str) -> Measurement:
    """The median of several cold starts, each the first thing a fresh process does."""
    runs = [run_worker("cold", work, scale, backend, location, 1) for _ in range(COLD_STARTS)]
    good = [r["results"]["cold_open"] for r in runs if "results" in r]
    if not good:
        return {"na": runs[0].get("error", "failed")}
    good.sort(key=lambda m: m["seconds"])
    middle = dict(good[len(good) // 2])
    middle["runs_s"] = [m["seconds"] for m in good]
    middle["wall_s"] = sorted(r["wall_s"] for r in runs if "wall_s" in r)
    return middle


def measure_backend(
    backend: str, location: str, work: Path, scale: str, repeat: int, errors: list[str]
) -> Column:
    column: Column = {}

    def take(task: str, rss_row: str | None = None) -> None:
        data = run_worker(task, work, scale, backend, location, repeat)
        if "error" in data:
            errors.append(data["error"])
            return
        column.update(data["results"])
        if rss_row:
            column[rss_row] = {"peak_rss_mb": data["peak_rss_mb"]}
        else:
            for m in data["results"].values():
                m.setdefault("peak_rss_mb", data["peak_rss_mb"])

    take("load", "peak_rss_load")
    if "bulk_import" not in column:
        return column
    column["cold_open"] = cold_starts(work, scale, backend, location)
    take("queries", "peak_rss_queries")
    if scale in ("XS", "S", "M"):
        take("similar")
    else:
        column["similar_questions"] = {"na": "measured at M"}
    take("review")
    take("meaning")
    if backend == "embedded":
        take("render")
        if scale in ("XS", "M"):
            take("table")
        else:
            column["table_import"] = {"na": "measured at M"}
    return column


def machine() -> dict[str, Any]:
    import psutil

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run(
    scale: str,
    repeat: int,
    out: Path,
    work: Path,
    keep: bool,
    pages: bool = True,
    baseline: str | None = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    print(f"scale {scale}: choosing probes ...", flush=True)
    g = graph(scale)
    chosen = probes(g)
    (work / "probes.json").write_text(json.dumps(chosen))
    if scale in ("XS", "M"):
        write_questions_xlsx(g, work / "questions.xlsx")
    del g
    errors: list[str] = []
    columns: dict[str, Column] = {}
    targets: list[tuple[str, str]] = [("embedded", str(work / f"{scale}.db"))]
    if os.environ.get("NEO4J_URI"):
        targets.append(("neo4j", os.environ["NEO4J_URI"]))
    for backend, location in targets:
        columns[backend] = measure_backend(backend, location, work, scale, repeat, errors)
    base = run_worker("baseline", work, scale, "networkx", "", repeat)
    if "error" in base:
        errors.append(base["error"])
    else:
        columns["networkx"] = base["results"]
        columns["networkx"]["peak_rss_queries"] = {"peak_rss_mb": base["peak_rss_mb"]}
    if "neo4j" not in columns:
        columns["neo4j"] = {
            r.op: {"na": "NEO4J_URI not set"} for r in ROWS if r.op in columns["embedded"]
        }
    rows = build_rows(scale, columns)
    drawing = drawing_figures(str(work / f"{scale}.db"), chosen["hub"], errors)
    report = {
        "scale": scale,
        "graph": {k: chosen[k] for k in ("nodes", "edges", "hub", "hub_degree", "top_degrees")},
        "repeat": repeat,
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "duration_s": round(time.perf_counter() - started, 1),
        "rows": rows,
        "errors": errors,
        "raw": columns,
        "drawing": drawing,
    }
    if pages:  # the pages, the command line and the analyses (``benchmarks.pages``)
        from benchmarks.pages import run_pages

        report["pages"], _missed = run_pages(
            scale,
            work / f"{scale}.db",
            baseline,
            10,
            900,
            out.with_name(f"pages-{scale}.json"),
            os.environ.get("NEO4J_URI"),
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def drawing_figures(store: str, hub: str, errors: list[str]) -> dict[str, Any] | None:
    """The graph drawing in Chromium (``benchmarks.graph_drawing``), when Chromium is here."""
    from benchmarks.graph_drawing import CHROMIUM, measure

    if not Path(CHROMIUM).exists():
        return None
    try:
        return measure(store, hub)
    except Exception as exc:  # a broken browser must not lose the store figures
        errors.append(f"graph drawing: {exc}")
        return None


def print_report(report: dict[str, Any], out: Path, echo: Callable[[str], None] = print) -> None:
    g = report["graph"]
    echo(
        f"\nscale {report['scale']}: {g['nodes']:,} nodes, {g['edges']:,} edges; biggest hub "
        f"{g['hub']} (degree {g['hub_degree']:,}); {report['repeat']} repeats; "
        f"load average at the end {report['machine']['load_average']}"
    )
    echo(format_table(report["rows"]))
    for row in report["rows"]:
        for backend in ("embedded", "neo4j"):
            m = row[backend]
            if m and "na" in m and m["na"] != "NEO4J_URI not set":
                echo(f"n/a: {row['label']} ({backend}): {m['na']}")
    if not os.environ.get("NEO4J_URI"):
        echo("Neo4j: not measured (NEO4J_URI not set; scripts/neo4j start gives a local one)")
    if report.get("drawing"):
        from benchmarks.graph_drawing import format_report

        echo(format_report(report["drawing"]))
    for error in report["errors"]:
        echo(f"error: {error}")
    echo(f"took {report['duration_s']:.0f} s; written to {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", default="M", choices=SCALE_NAMES)
    parser.add_argument(
        "--repeat", type=int, default=50, help="samples per timed query (default 50)"
    )
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/out/SCALE.json)")
    parser.add_argument(
        "--work", type=Path, help="scratch folder for stores (default benchmarks/out/work-SCALE)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder and its stores"
    )
    parser.add_argument("--no-pages", action="store_true", help="skip benchmarks.pages")
    parser.add_argument("--baseline", metavar="REF", help="pages also on the code of REF (git)")
    args = parser.parse_args(argv)
    out = args.out or OUT_DIR / f"{args.scale}.json"
    work = (args.work or OUT_DIR / f"work-{args.scale}").resolve()
    report = run(args.scale, args.repeat, out, work, args.keep, not args.no_pages, args.baseline)
    print_report(report, out)
    missed = any("MISSED" in v for row in report["rows"] for v in row["budgets"])
    missed = missed or bool(report.get("pages", {}).get("missed"))
    if args.scale == "M":  # a large register re-imported: benchmarks/reimport_scale.py
        reimport_scale.main(["--out", str(OUT_DIR / "reimport-M.json")])
    return 1 if report["errors"] or missed else 0


if __name__ == "__main__":
    sys.exit(main())
