"""One job of the page benchmark, in a fresh process, on one version of the code.

    python benchmarks/page_worker.py JOB --store DB --out FILE [--page NAME] ...

Run as a script (not ``-m``), with ``PYTHONPATH`` naming the checkout whose ``kgraph`` is
measured: the same file measures the code of an older commit (``--baseline``). It imports
nothing else from ``benchmarks`` for that reason; the interactions come as JSON.

Jobs:

- ``page``: one dashboard page in Streamlit's AppTest: the first render in this fresh
  process, the run after it, a second session (the process warm), then every interaction
  of the page (``--interactions`` JSON), each timed ``--repeat`` times. CPU is the script
  thread's own (``time.thread_time`` around the page's run), so background computations
  on other threads do not count towards it; wall time is from outside ``AppTest.run``.
- ``browser``: time to content of every page in headless Chromium against a real server.
- ``cli``: ``kgraph --help``, ``kgraph show ID`` and the whole-graph xlsx export, CPU of
  the child process.
- ``analyses``: each analysis on the store, CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WRAPPER = """
import runpy, sys, time
_cpu = time.thread_time()
try:
    runpy.run_path({page!r}, run_name="__main__")
finally:
    sys.modules["_kgraph_bench_cpu"].RUNS.append(time.thread_time() - _cpu)
"""


def _cpu_log() -> list[float]:
    """CPU seconds of each page run, appended by the wrapper script in the script thread."""
    import types

    probe = sys.modules.get("_kgraph_bench_cpu")
    if probe is None:
        probe = types.ModuleType("_kgraph_bench_cpu")
        probe.RUNS = []  # type: ignore[attr-defined]
        sys.modules["_kgraph_bench_cpu"] = probe
    runs: list[float] = probe.RUNS  # type: ignore[attr-defined]
    return runs


def _code_root() -> Path:
    import kgraph

    return Path(kgraph.__file__).resolve().parent


def _page_file(page: str) -> Path:
    return _code_root() / "ui" / "pages" / page


def _timed_run(app: Any) -> tuple[float, float]:
    """One run of the page: (CPU of the script thread, wall time), in seconds."""
    before = len(_cpu_log())
    start = time.perf_counter()
    app.run()
    wall = time.perf_counter() - start
    cpu = sum(_cpu_log()[before:])
    return cpu, wall


def _exception(app: Any) -> str | None:
    if app.exception:
        return str(app.exception[0].message)[:300]
    return None


def _busy(app: Any) -> bool:
    """Whether the page still shows a background computation's progress."""
    try:
        return bool(app.get("progress"))
    except Exception:
        return False


def _act(app: Any, step: dict[str, Any], i: int) -> None:
    """Apply one interaction step (a widget, how to touch it, the values it cycles)."""
    values = step.get("values") or [None]
    value = values[i % len(values)]
    how, key = step["how"], step.get("key")
    if how == "rerun":
        return
    if how == "run":  # a run before the next step (e.g. a list chosen, then its next page)
        app.run()
        return
    if how == "click":
        app.button(key=key).click()
    elif how == "text":
        app.text_input(key=key).input(value)
    elif how == "select":
        app.selectbox(key=key).set_value(value)
    elif how == "multiselect":
        app.multiselect(key=key).set_value(value)
    elif how == "radio":
        app.radio(key=key).set_value(value)
    elif how == "number":
        app.number_input(key=key).set_value(value)
    elif how == "slider":
        app.slider(key=key).set_value(value)
    elif how == "toggle":
        app.toggle(key=key).set_value(value)
    elif how == "pills":
        app.pills(key=key).set_value(value)
    else:
        raise ValueError(f"unknown interaction {how!r}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def job_page(args: argparse.Namespace) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    page = _page_file(args.page_file)
    if not page.exists():
        return {"na": f"no page {args.page_file} in this code"}
    wrapper = Path(tempfile.mkdtemp()) / f"bench_{page.stem}.py"
    wrapper.write_text(WRAPPER.format(page=str(page)))

    def fresh() -> Any:
        return AppTest.from_file(str(wrapper), default_timeout=args.limit)

    app = fresh()
    cpu, wall = _timed_run(app)
    out: dict[str, Any] = {"first": {"cpu_s": round(cpu, 4), "wall_s": round(wall, 4)}}
    failed = _exception(app)
    if failed:
        out["error"] = failed
        return out
    # background computations: how long until the page shows them (polled as the page does)
    start = time.perf_counter()
    while _busy(app) and time.perf_counter() - start < args.limit:
        time.sleep(0.5)
        app.run()
    out["complete_s"] = round(wall + (time.perf_counter() - start), 3)
    cpu, wall = _timed_run(app)
    out["rerun"] = {"cpu_s": round(cpu, 4), "wall_s": round(wall, 4)}
    other = fresh()
    cpu, wall = _timed_run(other)
    out["warm_first"] = {"cpu_s": round(cpu, 4), "wall_s": round(wall, 4)}
    interactions: dict[str, Any] = {}
    for item in json.loads(args.interactions or "[]"):
        cpus, walls = [], []
        try:
            for i in range(args.repeat):
                for step in item["steps"]:
                    _act(app, step, i)
                cpu, wall = _timed_run(app)
                failed = _exception(app)
                if failed:
                    raise RuntimeError(failed)
                cpus.append(cpu)
                walls.append(wall)
        except Exception as exc:
            interactions[item["name"]] = {"na": f"{type(exc).__name__}: {str(exc)[:200]}"}
            app = fresh()  # a broken session: start again for the next interaction
            _timed_run(app)
            continue
        interactions[item["name"]] = {
            "cpu_p95_s": round(_p95(cpus), 4),
            "wall_p95_s": round(_p95(walls), 4),
            "cpu_median_s": round(sorted(cpus)[len(cpus) // 2], 4),
            "n": len(cpus),
        }
    out["interactions"] = interactions
    return out


def _child_cpu(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.returncode


def job_cli(args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    work = tempfile.mkdtemp()
    kgraph = [sys.executable, "-c", "import sys; from kgraph.cli import main; main(sys.argv[1:])"]
    out: dict[str, Any] = {}
    runs: dict[str, list[str]] = {
        "cli_help": ["--help"],
        "cli_show": ["--store", args.store, "show", args.node],
        "export_xlsx": [
            "--store",
            args.store,
            "export",
            "xlsx",
            str(Path(work) / "g.xlsx"),
            "--overwrite",
        ],  # fmt: skip
    }
    for name, tail in runs.items():
        samples = []
        for _ in range(1 if name == "export_xlsx" else 3):
            cpu, wall, code = _child_cpu([*kgraph, *tail], env, work)
            if code != 0:
                samples = []
                out[name] = {"na": f"exit status {code}"}
                break
            samples.append((cpu, wall))
        if samples:
            samples.sort()
            cpu, wall = samples[len(samples) // 2]
            out[name] = {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3)}
    return out


def _cpu_of(call: Callable[[], Any]) -> dict[str, float]:
    start, wall = time.process_time(), time.perf_counter()
    call()
    return {
        "cpu_s": round(time.process_time() - start, 3),
        "wall_s": round(time.perf_counter() - wall, 3),
    }


def job_analyses(args: argparse.Namespace) -> dict[str, Any]:
    from kgraph.analysis import centrality, find_gaps, handover_coverage
    from kgraph.store import open_store

    store = open_store(args.store, actor="bench")
    out: dict[str, Any] = {
        "handover_coverage": _cpu_of(lambda: handover_coverage(store)),
        "gaps": _cpu_of(lambda: find_gaps(store)),
    }
    try:
        from kgraph.analysis.handover import handover_overview

        out["handover_overview"] = _cpu_of(lambda: handover_overview(store))
    except ImportError:
        out["handover_overview"] = {"na": "not in this code"}
    if args.skip_centrality:
        out["centrality"] = {"na": "skipped at this scale (takes too long in this code)"}
    else:
        out["centrality"] = _cpu_of(lambda: centrality(store, top=None, samples=300))
    # the floors: the same analyses on a graph already in memory, betweenness by networkx
    sub = store.export_all()
    out["handover_coverage_floor"] = _cpu_of(lambda: handover_coverage(sub))
    out["gaps_floor"] = _cpu_of(lambda: find_gaps(sub))
    if not args.skip_centrality:
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(sub.nodes)
        graph.add_edges_from((e.src, e.dst) for e in sub.edges if e.src != e.dst)
        out["centrality_floor"] = _cpu_of(
            lambda: nx.betweenness_centrality(graph, k=300, seed=42, normalized=True)
        )
    store.close()
    return out


def job_browser(args: argparse.Namespace) -> dict[str, Any]:
    import shutil
    import socket
    import urllib.request

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return {"na": "chromium is not installed"}
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = _code_root() / "ui" / "entry" / "app.py"
    if not app.exists():
        app = _code_root().parent / "app.py"
    env = {**os.environ, "KGRAPH_STORE": args.store}
    work = tempfile.mkdtemp()
    log = open(Path(work) / "server.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        idle = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                args=["--headless", "--no-sandbox", "--disable-gpu"],
                headless=True,
            )
            for page_name, path in json.loads(args.urls).items():
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                tab = context.new_page()
                try:
                    start = time.perf_counter()
                    tab.goto(f"{url}/{path}", timeout=args.limit * 1000)
                    tab.wait_for_selector("h1", timeout=args.limit * 1000)
                    tab.wait_for_function(idle, timeout=args.limit * 1000)
                    out[page_name] = {"wall_s": round(time.perf_counter() - start, 3)}
                except Exception as exc:
                    out[page_name] = {"na": f"{type(exc).__name__}: {str(exc)[:160]}"}
                finally:
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()
        log.close()
    return out


JOBS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "page": job_page,
    "cli": job_cli,
    "analyses": job_analyses,
    "browser": job_browser,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/page_worker.py")
    parser.add_argument("job", choices=sorted(JOBS))
    parser.add_argument("--store", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--page-file", default="")
    parser.add_argument("--interactions", default="[]")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--limit", type=float, default=600)
    parser.add_argument("--node", default="")
    parser.add_argument("--urls", default="{}")
    parser.add_argument("--skip-centrality", action="store_true")
    args = parser.parse_args(argv)
    os.environ["KGRAPH_STORE"] = args.store
    result = JOBS[args.job](args)
    result["code"] = str(_code_root())
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
