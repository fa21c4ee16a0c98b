"""The graph drawing in Chromium: time to first drawing of a 300-, 1,000- and 5,000-node
view and frames per second while panning the 5,000-node one, for the drawing kgraph ships
(sigma.js, WebGL, layout in a worker) beside the old vis-network page (physics until
stable, as ``render_network`` drew it before).

    python -m benchmarks.graph_drawing --scale M [--store benchmarks/out/work-M/M.db]

Both pages are standalone files of the same views (the store's capped neighbourhood of the
biggest hub, depth 2) opened in headless Debian Chromium. WebGL there is SwiftShader (on
the CPU): absolute figures are a floor for a desktop with a graphics card; the ratios
between the two drawings are what this measures. CPU seconds are the browser's own
processes (psutil), beside wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VIEW_SIZES = (300, 1000, 5000)
PAN_SECONDS = 3.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader", "--disable-background-networking"]  # fmt: skip


def old_page(sub: Any) -> str:
    """The vis-network page as kgraph drew it before: barnesHut physics for up to 150
    stabilisation iterations, then still; labels cut at 40 characters."""
    from kgraph.export.network import vis_assets
    from kgraph.export.safe import script_json

    js, css = vis_assets()
    nodes = [
        {"id": n.id, "label": n.title[:40], "shape": "dot", "size": 14} for n in sub.nodes.values()
    ]
    edges = [{"from": e.src, "to": e.dst, "arrows": "to"} for e in sub.edges]
    data = script_json({"nodes": nodes, "edges": edges})
    script = """
    var raw = JSON.parse(document.getElementById("d").textContent);
    var net = new vis.Network(document.getElementById("network"),
      {nodes: new vis.DataSet(raw.nodes), edges: new vis.DataSet(raw.edges)},
      {physics: {solver: "barnesHut", barnesHut: {gravitationalConstant: -8000, springLength: 140, damping: 0.4},
                 stabilization: {enabled: true, iterations: 150, updateInterval: 25, fit: true}},
       edges: {smooth: {type: "continuous"}}, interaction: {hover: true}});
    net.once("afterDrawing", function () { window.firstDrawAt = performance.now(); });
    net.once("stabilizationIterationsDone", function () {
      net.setOptions({physics: false}); window.readyAt = performance.now(); });
    """
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style>"
        "<style>body{margin:0}#network{width:100vw;height:100vh}</style></head><body>"
        f"<div id='network'></div><script>{js}</script>"
        f"<script type='application/json' id='d'>{data}</script><script>{script}</script></body></html>"
    )


def _cpu(_pid: int = 0) -> float:
    """CPU seconds (user + system) of the Chromium processes this process started."""
    import psutil

    procs = [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _measure(page: Any, path: Path, new: bool, pan: bool, pid: int) -> dict[str, Any]:
    cpu = _cpu(pid)
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit", timeout=900_000)
    first = "window.kgraphGraph && window.kgraphGraph.firstDrawAt" if new else "window.firstDrawAt"
    ready = "window.kgraphGraph && window.kgraphGraph.readyAt" if new else "window.readyAt"
    page.wait_for_function(f"() => !!({first})", timeout=600_000)
    page.wait_for_function(f"() => !!({ready})", timeout=600_000)
    out: dict[str, Any] = {
        "first_draw_ms": round(page.evaluate(f"() => {first}")),
        "settled_ms": round(page.evaluate(f"() => {ready}")),
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(_cpu(pid) - cpu, 2),
    }
    if pan:
        page.evaluate(
            "() => { window.frames_ = 0; const tick = () => { window.frames_++;"
            " if (!window.stop_) requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"
        )
        box = page.viewport_size
        x, y = box["width"] * 0.4, box["height"] * 0.5
        page.mouse.move(x, y)
        page.mouse.down()
        begun = time.perf_counter()
        step = 0
        while time.perf_counter() - begun < PAN_SECONDS:
            step += 1
            page.mouse.move(x + 150 * ((step // 20) % 2 * 2 - 1) * (step % 20) / 20, y + (step % 7))
        page.mouse.up()
        elapsed = time.perf_counter() - begun
        frames = page.evaluate("() => { window.stop_ = true; return window.frames_; }")
        out["pan_fps"] = round(frames / elapsed, 1)
    return out


def measure(store_location: str, hub: str | None = None) -> dict[str, Any]:
    """Figures for the views around ``hub`` (default: the node with the most links)."""
    from playwright.sync_api import sync_playwright

    from kgraph.export.network import render_network
    from kgraph.store import open_store

    store = open_store(store_location)
    try:
        if hub is None:
            counts: dict[str, int] = {}
            for e in store.edges(["LANDS_IN", "RAISED_IN"]):
                counts[e.dst] = counts.get(e.dst, 0) + 1
            hub = max(counts, key=lambda k: counts[k])
        views = {cap: store.neighbourhood([hub], 2, cap=cap) for cap in VIEW_SIZES}
    finally:
        store.close()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pid = 0
        try:
            for cap, sub in views.items():
                new_file = Path(tmp) / f"new-{cap}.html"
                old_file = Path(tmp) / f"old-{cap}.html"
                new_file.write_text(render_network(sub, lang="nl"), encoding="utf-8")
                old_file.write_text(old_page(sub), encoding="utf-8")
                pan = cap == max(VIEW_SIZES)
                row: dict[str, Any] = {"cap": cap, "nodes": len(sub.nodes), "edges": len(sub.edges)}
                for name, path, new in (("new", new_file, True), ("old", old_file, False)):
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    row[name] = _measure(page, path, new, pan, pid)
                    page.close()
                rows.append(row)
        finally:
            browser.close()
    return {"hub": hub, "rows": rows}


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"graph drawing in Chromium (views around {report['hub']}, depth 2; SwiftShader WebGL)",
        f"{'view':>12} | {'first drawing ms':>24} | {'laid out / stable ms':>24} | {'pan fps':>13} | {'browser CPU s':>14}",
        f"{'':>12} | {'sigma':>7} {'vis(old)':>8} {'ratio':>7} | {'sigma':>7} {'vis(old)':>8} {'ratio':>7} | {'sigma':>5} {'old':>6} | {'sigma':>6} {'old':>6}",
    ]
    for r in report["rows"]:
        new, old = r["new"], r["old"]
        fps_new = f"{new['pan_fps']:>5}" if "pan_fps" in new else f"{'':>5}"
        fps_old = f"{old['pan_fps']:>6}" if "pan_fps" in old else f"{'':>6}"
        lines.append(
            f"{r['nodes']:>5} n {r['edges']:>5} e | {new['first_draw_ms']:>7} {old['first_draw_ms']:>8} "
            f"{old['first_draw_ms'] / max(1, new['first_draw_ms']):>6.1f}× | {new['settled_ms']:>7} "
            f"{old['settled_ms']:>8} {old['settled_ms'] / max(1, new['settled_ms']):>6.1f}× | "
            f"{fps_new} {fps_old} | {new['cpu_s']:>6} {old['cpu_s']:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.graph_drawing", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", default="M", choices=("XS", "S", "M", "L"))
    parser.add_argument("--store", help="an existing store of that scale (default: generate one)")
    parser.add_argument(
        "--out", type=Path, help="JSON file (default benchmarks/out/drawing-SCALE.json)"
    )
    args = parser.parse_args(argv)
    location = args.store
    with tempfile.TemporaryDirectory() as tmp:
        if location is None:
            from benchmarks.generate import graph
            from kgraph.store.embedded import EmbeddedStore

            location = str(Path(tmp) / f"{args.scale}.db")
            g = graph(args.scale)
            with EmbeddedStore(location, actor="bench") as store:
                store.bulk_load(g.nodes(), g.edges())
        report = measure(location) | {"scale": args.scale}
    out = args.out or Path(__file__).resolve().parent / "out" / f"drawing-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
