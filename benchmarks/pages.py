"""Pages measured the way people feel them, beside their budgets and floors.

    python -m benchmarks.pages --scale M [--baseline main] [--store DB] [--out FILE]

(``make bench`` runs it after the store benchmarks, on the store they loaded.) For every
dashboard page: the first render in a fresh process with the analysis cache file removed
(``cold``) and with it left by the run before (``fresh``), the run after it, a second
session in the warm process, and each interaction of ``INTERACTIONS`` (p95 of
``--repeat``), CPU of the script thread and wall; with Chromium, time to content in a real
browser against ``streamlit run``; the command line's start and the whole-graph xlsx
export; each analysis. Every figure is printed beside its budget (``BUDGETS``) and its
floor: the store query reading the same rows (pages), the analysis on a graph already in
memory (analyses; betweenness: networkx), as a ratio. A budget missed prints ``MISSED``
and the run exits with status 1.

``--baseline REF`` measures the page, browser, CLI and analysis jobs a second time on the
code of ``REF`` (a temporary ``git worktree``, its own store loaded by that code: older
stores may not read newer files), in the same run, and prints each figure beside it.

To measure a new interaction, add a line to ``INTERACTIONS``: a name and the steps (a
widget key, how to touch it, the values to cycle through).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "benchmarks" / "page_worker.py"
OUT_DIR = ROOT / "benchmarks" / "out"

#: page name -> (file under kgraph/ui/pages, URL path of the served app)
PAGES: dict[str, tuple[str, str]] = {
    "Overzicht": ("overview.py", ""),  # the default page: the root URL
    "Verkennen": ("explore.py", "verkennen"),
    "Vragen": ("questions.py", "vragen"),
    "Vergelijkbare vragen": ("similar.py", "vergelijkbare-vragen"),
    "Overdracht": ("handover.py", "overdracht"),
    "Hiaten": ("gaps.py", "hiaten"),
    "Export": ("export.py", "export"),
    "Importeren": ("import_.py", "importeren"),
    "Geschiedenis": ("history.py", "geschiedenis"),
}


def _step(how: str, key: str | None = None, *values: Any) -> dict[str, Any]:
    return {"how": how, "key": key, "values": list(values)}


#: page -> its interactions: a name and the steps of one interaction (each repeated run
#: cycles through the values). Extend freely; a step the page does not have is reported
#: ``n/a``, which is how the older code's pages show what they lacked.
INTERACTIONS: dict[str, list[dict[str, Any]]] = {
    "Overzicht": [
        {"name": "rerun (nothing changed)", "steps": [_step("rerun")]},
        {"name": "next page of landing places", "steps": [_step("click", "overview_places_next")]},
    ],
    "Verkennen": [
        {"name": "depth 1 <-> 2", "steps": [_step("slider", "keep_explore_depth", 2, 1)]},
    ],
    "Vragen": [
        {
            "name": "search 'data' / none",
            "steps": [_step("text", "keep_questions_search", "data", "")],
        },
        {
            "name": "status filter",
            "steps": [_step("multiselect", "keep_questions_status", ["open"], [])],
        },
        {
            "name": "sort by status / title",
            "steps": [_step("select", "keep_questions_sort", "status", "title")],
        },
        {"name": "next page", "steps": [_step("click", "questions_next")]},
    ],
    "Vergelijkbare vragen": [
        {"name": "top 10 / 50", "steps": [_step("number", "keep_similar_top", 10, 50)]},
    ],
    "Overdracht": [
        {
            "name": "group by CoP / place",
            "steps": [_step("radio", "keep_handover_group", "cop", "landing")],
        },
    ],
    "Hiaten": [
        {
            "name": "show another list",
            "steps": [_step("pills", "keep_gaps_show", "isolated", "no_landing")],
        },
        {
            "name": "next page of the list",
            "steps": [
                _step("pills", "keep_gaps_show", "no_landing"),
                _step("run"),
                _step("click", "gaps_no_landing_next"),
            ],
        },
    ],
    "Export": [
        {
            "name": "whole graph / focus",
            "steps": [_step("radio", "keep_export_source", "all", "focus")],
        },
    ],
    "Importeren": [{"name": "rerun (nothing changed)", "steps": [_step("rerun")]}],
    "Geschiedenis": [{"name": "rerun (nothing changed)", "steps": [_step("rerun")]}],
}


@dataclass(frozen=True)
class Budget:
    first_s: float
    interaction_s: float


#: scale -> budget (issue: M 1 s / 100 ms p95; L 2 s / 200 ms p95), CPU of the script thread
BUDGETS: dict[str, Budget] = {
    "XS": Budget(1.0, 0.1),
    "S": Budget(1.0, 0.1),
    "M": Budget(1.0, 0.1),
    "L": Budget(2.0, 0.2),
}
#: the command line's budgets at M (issue): --help, show, whole-graph xlsx export (CPU)
CLI_BUDGETS: dict[str, float] = {"cli_help": 0.15, "cli_show": 0.25, "export_xlsx": 3.0}


# --- floors: the store reads that fetch what a page shows ------------------------------------


def _floor_queries(page: str) -> list[str]:
    # constant SQL: the kinds below are literals, nothing from outside is spliced in
    q_kinds = "('knowledge_question','complex_question')"
    return {
        "Overzicht": [
            "SELECT kind, COUNT(*) FROM nodes GROUP BY kind",
            "SELECT dst, json_extract(props,'$.status'), COUNT(*) FROM edges "
            "WHERE kind='LANDS_IN' GROUP BY 1, 2",
            "SELECT seq, tx, at, actor, op, target FROM history ORDER BY seq DESC LIMIT 2000",
        ],
        "Verkennen": [
            "SELECT e.src, e.dst, e.kind FROM edges e WHERE e.src IN "
            "(SELECT id FROM nodes ORDER BY degree DESC LIMIT 1) LIMIT 300"
        ],
        "Vragen": [
            f"SELECT COUNT(*) FROM nodes WHERE kind IN {q_kinds}",  # noqa: S608
            f"SELECT id, title, status, body FROM nodes WHERE kind IN {q_kinds} "  # noqa: S608
            "ORDER BY title LIMIT 25",
        ],
        "Vergelijkbare vragen": [
            f"SELECT id, title, body FROM nodes WHERE kind IN {q_kinds}"  # noqa: S608
        ],
        "Overdracht": ["SELECT src, dst, props FROM edges WHERE kind='LANDS_IN'"],
        "Hiaten": [
            "SELECT COUNT(*) FROM nodes n WHERE kind='knowledge_question' AND NOT EXISTS "
            "(SELECT 1 FROM edges e WHERE e.src = n.id AND e.kind = 'FEEDS')",
            "SELECT id, kind, title FROM nodes WHERE degree = 0 LIMIT 25",
        ],
        "Export": ["SELECT kind, COUNT(*) FROM nodes GROUP BY kind"],
        "Importeren": ["SELECT 1"],
        "Geschiedenis": [
            "SELECT seq, tx, at, actor, op, target, before, after FROM history "
            "ORDER BY seq DESC LIMIT 50"
        ],
    }[page]


def floor_seconds(db: Path, page: str, repeat: int = 5) -> float:
    """The best of ``repeat`` CPU timings of the page's floor queries, in a fresh connection."""
    best = float("inf")
    for _ in range(repeat):
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        start = time.process_time()
        for sql in _floor_queries(page):
            conn.execute(sql).fetchall()
        best = min(best, time.process_time() - start)
        conn.close()
    return best


# --- running jobs on one version of the code ------------------------------------------------


@dataclass(frozen=True)
class Code:
    """A version of the code: where its ``kgraph`` is and the store it loaded."""

    label: str
    root: Path
    store: Path | str  # a .db file, or a Neo4j URI (kept a string: a Path folds its //)


def run_job(code: Code, job: str, timeout: float, **options: Any) -> dict[str, Any]:
    """Run one worker job on ``code`` in a fresh process; its JSON, or why not."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [sys.executable, str(WORKER), job, "--store", str(code.store), "--out", str(out)]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            command.append(flag)
        elif value not in (None, False):
            command += [flag, str(value)]
    env = {**os.environ, "PYTHONPATH": str(code.root), "KGRAPH_STORE": str(code.store)}
    try:
        done = subprocess.run(
            command,
            env=env,
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"na": f"took over {timeout:.0f} s"}
    if done.returncode != 0 or not out.exists() or not out.read_text():
        tail = (done.stderr or done.stdout).strip().splitlines()[-2:]
        return {"na": "failed: " + " / ".join(tail)[:300]}
    data: dict[str, Any] = json.loads(out.read_text())
    out.unlink(missing_ok=True)
    return data


def load_store(code_root: Path, scale: str, db: Path) -> None:
    """A store of the generated graph at ``scale``, loaded by the code at ``code_root``."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    script = (
        "import sys\n"
        "from benchmarks.generate import graph\n"
        "from kgraph.store.embedded import EmbeddedStore\n"
        "g = graph(sys.argv[1]); s = EmbeddedStore(sys.argv[2], actor='bench')\n"
        "s.bulk_load(g.nodes(), g.edges(), actor='bench'); s.close()\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{code_root}{os.pathsep}{ROOT}"}
    subprocess.run(
        [sys.executable, "-c", script, scale, str(db)],
        env=env,
        cwd=tempfile.gettempdir(),
        check=True,
    )


def _hub(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT id FROM nodes ORDER BY degree DESC LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def _cache_file(store: str) -> Path:
    """Where the analysis cache of ``store`` lives (removed for the cold first render)."""
    if "://" not in store:
        return Path(store + ".analyses")
    from kgraph.cache import disk
    from kgraph.store.neo4j.driver import parse_location

    return disk.file_for("neo4j", parse_location(store).display)[0]


def load_neo4j(uri: str, scale: str) -> None:
    """The generated graph at ``scale`` in the Neo4j database at ``uri`` (wiped first)."""
    from benchmarks.generate import graph
    from kgraph.store.neo4j import Neo4jStore

    store = Neo4jStore(uri, actor="bench")
    store.wipe()
    g = graph(scale)
    store.bulk_load(g.nodes(), g.edges(), actor="bench")
    store.close()


def measure(
    code: Code,
    scale: str,
    repeat: int,
    timeout: float,
    browser: bool,
    pages_only: bool = False,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """Every job on one version of the code (``pages_only``: the page jobs alone; ``only``:
    these pages, the others reported as not measured)."""
    results: dict[str, Any] = {"pages": {}, "label": code.label}
    cache_file = _cache_file(str(code.store))
    for page, (page_file, _url) in PAGES.items():
        if only is not None and page not in only:
            skipped = {"na": "not measured in this run (--pages)"}
            results["pages"][page] = {"cold": skipped, "fresh": skipped}
            continue
        runs: dict[str, Any] = {}
        for mode in ("cold", "fresh"):
            if mode == "cold":
                cache_file.unlink(missing_ok=True)
            interactions = INTERACTIONS.get(page, []) if mode == "fresh" else []
            runs[mode] = run_job(
                code,
                "page",
                timeout,
                page_file=page_file,
                interactions=json.dumps(interactions),
                repeat=repeat,
                limit=timeout,
            )
        results["pages"][page] = runs
        first = runs["cold"].get("first", {})
        print(f"  {code.label:<9} {page:<22} first {first.get('cpu_s', '—')} s CPU", flush=True)
    if pages_only:
        return results
    if browser:
        urls = {page: url for page, (_f, url) in PAGES.items()}
        results["browser"] = run_job(
            code, "browser", timeout * len(PAGES), urls=json.dumps(urls), limit=timeout
        )
    results["cli"] = run_job(code, "cli", timeout, node=_hub(Path(code.store)))
    # at L betweenness (and its networkx floor, ~10 minutes) is left to a run of its own
    results["analyses"] = run_job(code, "analyses", timeout * 3, skip_centrality=(scale == "L"))
    return results


def worktree(ref: str) -> Path:
    """A temporary checkout of ``ref`` (removed by ``drop_worktree``)."""
    place = Path(tempfile.mkdtemp(prefix="kgraph-baseline-")) / "code"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(place), ref],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return place


def drop_worktree(place: Path) -> None:
    subprocess.run(
        ["git", "worktree", "remove", "--force", str(place)], cwd=ROOT, check=False,
        capture_output=True,
    )  # fmt: skip
    shutil.rmtree(place.parent, ignore_errors=True)


# --- the table ------------------------------------------------------------------------------


def _fmt(m: dict[str, Any] | None, key: str = "cpu_s") -> str:
    if not m:
        return "—"
    if "na" in m:
        return "n/a"
    if "error" in m and key not in m:
        return "error"
    value = m.get(key)
    return "—" if value is None else f"{value:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return ""
    return f"{a / b:.1f}×"


def _verdict(value: float | None, limit: float, missed: list[str], what: str) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return f"ok (≤ {limit:g})"
    missed.append(f"{what}: {value:.3f} s > {limit:g} s")
    return f"MISSED (> {limit:g})"


#: the Neo4j backend's pages may take at most this many times the embedded store's
NEO4J_RATIO = 2.0


def report_neo4j(
    scale: str, new: dict[str, Any], neo: dict[str, Any], echo: Callable[[str], None] = print
) -> list[str]:
    """Neo4j beside the embedded store, page by page; the budgets missed."""
    missed: list[str] = []
    echo(f"\n### Neo4j beside the embedded store at {scale} (CPU of the script thread, s)")
    echo("| page | what | embedded | Neo4j | Neo4j/embedded | budget |")
    echo("|---|---|---|---|---|---|")
    for page in PAGES:
        pairs = [
            (
                "first render, new process",
                new["pages"][page]["fresh"].get("first"),
                neo["pages"].get(page, {}).get("fresh", {}).get("first"),
            )
        ]
        for name, m in (new["pages"][page]["fresh"].get("interactions") or {}).items():
            o = (neo["pages"].get(page, {}).get("fresh", {}).get("interactions") or {}).get(name)
            pairs.append((f"{name} (p95)", _p95(m), _p95(o)))
        for label, e, n in pairs:
            ev = e.get("cpu_s") if e and "na" not in e else None
            nv = n.get("cpu_s") if n and "na" not in n else None
            ratio = nv / ev if ev and nv is not None else None
            limit = BUDGETS[scale].interaction_s if "(p95)" in label else BUDGETS[scale].first_s
            # within 2x of the embedded store, or within the page's own budget anyway
            if ratio is None:
                verdict = "not measured"
            elif ratio <= NEO4J_RATIO or (nv is not None and nv <= limit):
                verdict = "ok"
            else:
                verdict = f"MISSED (> {NEO4J_RATIO:g}× and > {limit:g} s)"
                missed.append(f"Neo4j {page}: {label}: {nv:.3f} s, {ratio:.1f}× embedded")
            echo(
                f"| {page} | {label} | {_fmt(e)} | {_fmt(n)} | {'' if ratio is None else f'{ratio:.1f}×'} | {verdict} |"
            )
    return missed


def report(
    scale: str,
    new: dict[str, Any],
    old: dict[str, Any] | None,
    floors: dict[str, float],
    echo: Callable[[str], None] = print,
) -> list[str]:
    """Print the tables; the budgets missed."""
    budget = BUDGETS[scale]
    missed: list[str] = []
    base = f" | old ({old['label']})" if old else ""
    echo(
        f"\n### Pages at {scale} — CPU of the script thread, seconds (wall in brackets)\n"
        f"| page | what | new{base} | budget | floor | new/floor |"
    )
    echo("|---|---|---|" + ("---|" if old else "") + "---|---|---|")
    for page in PAGES:
        runs = new["pages"][page]
        old_runs = old["pages"].get(page, {}) if old else {}
        floor = floors.get(page)
        rows: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None, float | None]] = []
        for mode, label in (
            ("cold", "first render, cache file removed"),
            ("fresh", "first render, new process"),
        ):
            rows.append(
                (
                    label,
                    runs[mode].get("first"),
                    old_runs.get(mode, {}).get("first"),
                    budget.first_s,
                )
            )
        rows.append(
            (
                "second session (warm)",
                runs["fresh"].get("warm_first"),
                old_runs.get("fresh", {}).get("warm_first"),
                budget.first_s,
            )
        )
        for name, m in (runs["fresh"].get("interactions") or {}).items():
            o = (old_runs.get("fresh", {}).get("interactions") or {}).get(name)
            rows.append((f"{name} (p95)", _p95(m), _p95(o), budget.interaction_s))
        for label, m, o, limit in rows:
            value = m.get("cpu_s") if m and "na" not in m else None
            verdict = _verdict(value, limit, missed, f"{page}: {label}")
            wall = f" ({_fmt(m, 'wall_s')})" if m and "wall_s" in m else ""
            old_cell = f" | {_fmt(o)}" if old else ""
            echo(
                f"| {page} | {label} | {_fmt(m)}{wall}{old_cell} | {verdict} | "
                f"{floor:.4f} | {_ratio(value, floor)} |"
            )
        if "na" in runs["cold"] and "first" not in runs["cold"]:
            echo(f"| {page} | not measured | {runs['cold']['na']} |")
            continue
        if "error" in runs["cold"]:
            echo(f"| {page} | error | {runs['cold']['error'][:120]} |")
    if "browser" in new:
        echo(f"\n### Time to content in Chromium at {scale} (wall, seconds, first visit)")
        echo("| page | new" + (" | old" if old else "") + " |")
        for page in PAGES:
            o = f" | {_fmt((old or {}).get('browser', {}).get(page), 'wall_s')}" if old else ""
            echo(f"| {page} | {_fmt(new['browser'].get(page), 'wall_s')}{o} |")
    echo(f"\n### Command line at {scale} (CPU of the process, seconds)")
    for name, label in (
        ("cli_help", "kgraph --help"),
        ("cli_show", "kgraph show HUB"),
        ("export_xlsx", "kgraph export xlsx (whole graph)"),
    ):
        m = new["cli"].get(name)
        value = m.get("cpu_s") if m and "na" not in m else None
        limit = CLI_BUDGETS[name] if scale == "M" else None
        verdict = _verdict(value, limit, missed, label) if limit else ""
        o = f" | old {_fmt((old or {}).get('cli', {}).get(name))}" if old else ""
        echo(f"| {label} | {_fmt(m)}{o} | {verdict} |")
    echo(
        f"\n### Analyses at {scale} (CPU, seconds; floor: the same on a graph in memory, betweenness by networkx)"
    )
    a = new["analyses"]
    for name, floor_name in (
        ("handover_overview", "handover_coverage_floor"),
        ("handover_coverage", "handover_coverage_floor"),
        ("gaps", "gaps_floor"),
        ("centrality", "centrality_floor"),
    ):
        m = a.get(name)
        f = a.get(floor_name)
        o = f" | old {_fmt((old or {}).get('analyses', {}).get(name))}" if old else ""
        value = m.get("cpu_s") if m and "na" not in m else None
        fv = f.get("cpu_s") if f and "na" not in f else None
        echo(f"| {name} | {_fmt(m)}{o} | floor {_fmt(f)} | {_ratio(value, fv)} |")
    return missed


def _p95(m: dict[str, Any] | None) -> dict[str, Any] | None:
    if not m or "na" in m:
        return m
    return {"cpu_s": m["cpu_p95_s"], "wall_s": m["wall_p95_s"]}


def run_pages(
    scale: str,
    store: Path | None,
    baseline: str | None,
    repeat: int,
    timeout: float,
    out: Path,
    neo4j: str | None = None,
    only: set[str] | None = None,
    old_only: set[str] | None = None,
    browser: bool = True,
) -> tuple[dict[str, Any], list[str]]:
    """The whole page benchmark; the report and the budgets missed."""
    work = Path(tempfile.mkdtemp(prefix=f"kgraph-pages-{scale}-"))
    if store is None:
        store = work / f"{scale}.db"
        print(f"pages: loading the {scale} store ...", flush=True)
        load_store(ROOT, scale, store)
    else:  # a copy: the page jobs write the cache file beside it
        shutil.copy(store, work / store.name)
        store = work / store.name
    browser = browser and bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    new = measure(Code("new", ROOT, store), scale, repeat, timeout, browser, only=only)
    floors = {page: floor_seconds(store, page) for page in PAGES}
    old = None
    if baseline:
        place = worktree(baseline)
        try:
            old_store = work / f"{scale}-old.db"
            print(f"pages: loading the {scale} store with {baseline} ...", flush=True)
            load_store(place, scale, old_store)
            old = measure(
                Code(baseline, place, old_store),
                scale,
                repeat,
                timeout,
                browser,
                only=old_only if old_only is not None else only,
            )
        finally:
            drop_worktree(place)
    missed = report(scale, new, old, floors)
    neo = None
    if neo4j:
        print(f"pages: loading the {scale} graph into {neo4j} ...", flush=True)
        load_neo4j(neo4j, scale)
        neo = measure(Code("neo4j", ROOT, neo4j), scale, repeat, timeout, False, True, only=only)
        missed += report_neo4j(scale, new, neo)
    result = {
        "scale": scale,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "new": new,
        "old": old,
        "neo4j": neo,
        "floors": floors,
        "missed": missed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average {result['load_average']}; written to {out}")
    for line in missed:
        print(f"MISSED: {line}")
    return result, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", default="M", choices=sorted(BUDGETS))
    parser.add_argument("--store", type=Path, help="a store of that scale (default: load one)")
    parser.add_argument("--baseline", metavar="REF", help="also measure the code of REF (git)")
    parser.add_argument("--repeat", type=int, default=10, help="runs per interaction")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per job")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--neo4j", metavar="URI", help="also the pages on Neo4j at URI (its database is wiped)"
    )
    parser.add_argument("--pages", help="only these pages (comma-separated names)")
    parser.add_argument("--baseline-pages", help="only these pages on the baseline's code")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium")
    args = parser.parse_args(argv)
    out = args.out or OUT_DIR / f"pages-{args.scale}.json"

    def names(text: str | None) -> set[str] | None:
        return {n.strip() for n in text.split(",")} if text else None

    _result, missed = run_pages(
        args.scale,
        args.store,
        args.baseline,
        args.repeat,
        args.timeout,
        out,
        args.neo4j,
        names(args.pages),
        names(args.baseline_pages),
        not args.no_browser,
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
