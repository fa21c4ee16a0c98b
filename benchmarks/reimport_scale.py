"""A newer version of a large register, re-imported: the dry run's CPU time and memory, old
method beside new, at 1,000, 3,000 and 10,000 rows.

    python -m benchmarks.reimport_scale [--rows 1000,3000,10000] [--out FILE.json]

The register: the first N distinct question titles of the generated scale-L graph (Dutch,
Zipf-worded, so many questions share words, as in a national agenda), with a code
(``H.P_n``), a theme, a status code (1/2/3), a "Waar belegd" and an action holder, written as
an .xlsx workbook. Its newer version rewords 5 % of the questions, renumbers 5 % (half of
them swap codes with another question, the hard case: a code now names a different
question), adds 2 % and drops 2 %, and moves some statuses on.

Each size gets a store holding the scale-M graph (10,000 questions of its own) and the
register's first version, imported through the session. Then, each in a fresh process so
its peak memory is its own:

- **new**: ``kgraph import table V2.xlsx --mapping M.yaml --dry-run --json``, the import
  session's plan (``kgraph.importers.matching``: id, exact title, sparse top-k candidates);
- **old**: what the command did before: read the table, then compare every pair of
  questions that shares a word with difflib (``old_compare`` below, kept verbatim), with
  a limit of 10 minutes of CPU; sizes after the first it does not finish are not tried.

Printed: CPU seconds and peak RSS per size and method, old/new, how many question pairs both
methods agree on, the growth of the new method from 1,000 to 10,000 rows and the budget
(10,000 rows within 30 s of CPU). The machine is shared: compare CPU and ratios, not wall.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "reimport.json"
SIZES = (1000, 3000, 10000)
OLD_CPU_LIMIT_S = 600
BUDGET_CPU_S = 30.0
REGISTER = "bench"
MAPPING = f"""kgraph_mapping: 1
register: {REGISTER}
sheet: Database
header_row: 1
duplicates: refuse
columns: {{id: Code, title: Kennisvraag, status: Status, theme: Thema,
  placed_at: Waar belegd, organisation: Actiehouder}}
values: {{status: {{"1": open, "2": in_progress, "3": answered}}}}
"""
_REWORDINGS = (
    lambda t: t[:-1] + " en hoe meten we dat?",
    lambda t: t.replace("Hoe kunnen", "Op welke manier kunnen", 1),
    lambda t: re.sub(r"^(\w+) ", r"\1 precies ", t, count=1),
    lambda t: t[:-1] + " in 2030?",
)
_PLACES = ["Kennisprogramma Bodem", "KPP Water", "DMI-ecosysteem", "Not included", "2.1", ""]
_HOLDERS = ["Deltares", "RWS WVL", "TNO", "KNMI", "Gemeente Utrecht"]
_THEMES = ["Water", "Bodem", "Data", "Mobiliteit", "Energie", "Wonen"]


# --- the register and its newer version ------------------------------------------------


def _titles(count: int) -> list[str]:
    from benchmarks.generate import graph

    seen: dict[str, None] = {}
    for node in graph("L").nodes():
        if node.kind == "knowledge_question":
            seen.setdefault(node.title, None)
            if len(seen) == count:
                break
    return list(seen)


@dataclass
class Version:
    rows: list[list[Any]] = field(default_factory=list)


def versions(size: int, seed: int = 7) -> tuple[Version, Version, dict[str, int]]:
    """The register's two versions and what changed between them."""
    rng = random.Random(seed)
    extra = size // 50  # 2 % new
    pool = _titles(size + extra)
    first, spare = pool[:size], pool[size:]
    v1 = Version()
    for n, title in enumerate(first):
        code = f"{n // 500 + 1}.{n // 50 % 10 + 1}_{n % 50 + 1}"
        v1.rows.append(
            [code, _THEMES[n % len(_THEMES)], title, rng.choice((1, 1, 2, 3)),
             rng.choice(_PLACES), rng.choice(_HOLDERS)]
        )  # fmt: skip
    order = list(range(size))
    rng.shuffle(order)
    k = size // 20  # 5 %
    reworded, renumbered = order[:k], order[k : 2 * k]
    gone = set(order[2 * k : 2 * k + size // 50])
    v2 = Version(rows=[list(r) for r in v1.rows])
    for i in reworded:
        v2.rows[i][2] = rng.choice(_REWORDINGS)(v2.rows[i][2])
    half = len(renumbered) // 2
    for a, b in zip(renumbered[:half:2], renumbered[1:half:2], strict=False):
        v2.rows[a][0], v2.rows[b][0] = v2.rows[b][0], v2.rows[a][0]  # codes swapped
    for i in renumbered[half:]:  # moved to a new chapter
        chapter, rest = v2.rows[i][0].split(".", 1)
        v2.rows[i][0] = f"{int(chapter) + 50}.{rest}"
    for i in order[2 * k :][: size // 20]:
        v2.rows[i][3] = min(3, v2.rows[i][3] + 1)  # statuses move on
    v2.rows = [r for i, r in enumerate(v2.rows) if i not in gone]
    for n, title in enumerate(spare):
        v2.rows.append([f"99.1_{n + 1}", "Water", title, 1, "KPP Water", "Deltares"])
    changes = {"reworded": k, "renumbered": k, "new": len(spare), "gone": len(gone)}
    return v1, v2, changes


def write_xlsx(version: Version, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Database")
    sheet.append(["Code", "Thema", "Kennisvraag", "Status", "Waar belegd", "Actiehouder"])
    for row in version.rows:
        sheet.append(row)
    book.save(path)


# --- the method before (kept verbatim for comparison) ----------------------------------

THRESHOLD = 0.72


def _similarity(a: str, b: str) -> float:
    from kgraph.model import normalise_title

    return SequenceMatcher(None, normalise_title(a), normalise_title(b), autojunk=False).ratio()


def _words(title: str) -> set[str]:
    from kgraph.model import normalise_title

    return set(re.findall(r"[0-9a-z]{3,}", normalise_title(title)))


def old_match(olds: Sequence[Any], news: Sequence[Any]) -> dict[int, int]:
    """new index -> old index, as ``reimport.compare`` matched before: the same id and
    alike titles, then every pair sharing a word scored with difflib (best first), then
    the same id."""
    old_at = {n.id: i for i, n in enumerate(olds)}
    of_new: dict[int, int] = {}
    of_old: dict[int, int] = {}
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if i is not None and _similarity(olds[i].title, node.title) >= THRESHOLD:
            of_new[j], of_old[i] = i, j
    index: dict[str, set[int]] = {}
    for i, node in enumerate(olds):
        for word in _words(node.title):
            index.setdefault(word, set()).add(i)
    found = []
    for j, node in enumerate(news):
        candidates = set().union(*(index.get(w, set()) for w in _words(node.title)))
        for i in candidates:
            score = _similarity(olds[i].title, node.title)
            if score >= THRESHOLD:
                found.append((score, i, j))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    for _score, i, j in found:
        if i not in of_old and j not in of_new:
            of_new[j], of_old[i] = i, j
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if j not in of_new and i is not None and i not in of_old:
            of_new[j], of_old[i] = i, j
    return of_new


# --- workers (one fresh process each) ----------------------------------------------------


def _figures(cpu: float, wall: float, **extra: Any) -> dict[str, Any]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "peak_rss_mb": round(peak), **extra}


def _pairs(
    store: Any, news: Sequence[Any], matched: dict[int, int], olds: Sequence[Any]
) -> list[list[str]]:
    return sorted([news[j].title, olds[i].id] for j, i in matched.items())


def work_new(store_path: str, file: str, mapping: str) -> dict[str, Any]:
    """The new dry run through the command line, in this process."""
    import contextlib
    import io

    from kgraph.cli import main as kgraph

    out = io.StringIO()
    cpu, wall = time.process_time(), time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        kgraph(["--store", store_path, "import", "table", file, "--mapping", mapping, "--dry-run", "--json"])  # fmt: skip
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    plan = json.loads(out.getvalue())
    summary = {k: plan[k] for k in ("added", "changed", "unchanged", "gone")}
    return _figures(cpu, wall, summary=summary)


def work_old(store_path: str, file: str, mapping: str) -> dict[str, Any]:
    """The old dry run: read the table against the store, then the old comparison."""
    from kgraph.importers import mapping_file, table
    from kgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path, actor="bench")
    spec = mapping_file.load_spec(mapping)
    cpu, wall = time.process_time(), time.perf_counter()
    result = table.read_table(Path(file), store=store, **spec.read_options())
    olds = [n for n in store.nodes(["knowledge_question"]) if n.props.get("register") == REGISTER]
    news = [n for n in result.batch.nodes if n.kind == "knowledge_question"]
    matched = old_match(olds, news)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return _figures(cpu, wall, pairs=_pairs(store, news, matched, olds))


def work_pairs(store_path: str, file: str, mapping: str) -> dict[str, Any]:
    """The new method's pairs (for agreement with the old), not timed."""
    from kgraph.importers import mapping_file, table
    from kgraph.importers.matching import match_questions
    from kgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path, actor="bench")
    spec = mapping_file.load_spec(mapping)
    result = table.read_table(Path(file), store=store, **spec.read_options())
    olds = [n for n in store.nodes(["knowledge_question"]) if n.props.get("register") == REGISTER]
    news = [n for n in result.batch.nodes if n.kind == "knowledge_question"]
    return {"pairs": _pairs(store, news, match_questions(olds, news), olds)}


def work_first(store_path: str, file: str, mapping: str) -> dict[str, Any]:
    """The register's first version imported through the session (the store's setup)."""
    from kgraph.importers import mapping_file
    from kgraph.importers.session import ImportSession
    from kgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_path, actor="bench")
    cpu, wall = time.process_time(), time.perf_counter()
    session = ImportSession(store, Path(file), actor="bench")
    applied = session.apply(session.plan(mapping_file.load_spec(mapping)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return _figures(cpu, wall, added=applied.nodes_added)


WORKERS = {"new": work_new, "old": work_old, "pairs": work_pairs, "first": work_first}


def _limit_cpu() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (OLD_CPU_LIMIT_S, OLD_CPU_LIMIT_S + 5))


def spawn(job: str, store: Path, file: Path, mapping: Path, limit: bool = False) -> dict[str, Any]:
    """Run worker ``job`` in a fresh process; ``{"error": ...}`` when it fails or (with
    ``limit``) runs out of its CPU time."""
    command = [sys.executable, "-m", "benchmarks.reimport_scale", "--worker", job,
               str(store), str(file), str(mapping)]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True,
        preexec_fn=_limit_cpu if limit else None,
    )  # fmt: skip
    if done.returncode != 0:
        if limit and done.returncode in (-24, -9, 152):  # SIGXCPU / SIGKILL at the limit
            return {"error": f"did not finish in {OLD_CPU_LIMIT_S // 60} min of CPU"}
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the run -----------------------------------------------------------------------------


def _base_store(work: Path, scale: str) -> Path:
    """A store holding the generated graph of ``scale`` (the register is imported into
    copies of it)."""
    from benchmarks.generate import graph
    from kgraph.store.embedded import EmbeddedStore

    path = work / "base.db"
    store = EmbeddedStore(path, actor="bench")
    g = graph(scale)
    store.bulk_load(g.nodes(), g.edges(), actor="bench")
    store.close()
    return path


def run(sizes: Sequence[int], work: Path, *, old: bool = True, scale: str = "M") -> dict[str, Any]:
    base = _base_store(work, scale)
    mapping = work / "bench.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    results: list[dict[str, Any]] = []
    old_gave_up = not old
    for size in sizes:
        v1, v2, changes = versions(size)
        first, second = work / f"register-{size}-v1.xlsx", work / f"register-{size}-v2.xlsx"
        write_xlsx(v1, first)
        write_xlsx(v2, second)
        store = work / f"store-{size}.db"
        shutil.copy(base, store)
        row: dict[str, Any] = {"rows": size, "changes": changes}
        row["first_import"] = spawn("first", store, first, mapping)
        row["new"] = spawn("new", store, second, mapping)
        if old_gave_up:
            row["old"] = {
                "error": "not tried" if not old else "not tried: a smaller one did not finish"
            }
        else:
            row["old"] = spawn("old", store, second, mapping, limit=True)
            old_gave_up = "error" in row["old"]
            if not old_gave_up:
                new_pairs = spawn("pairs", store, second, mapping)["pairs"]
                old_pairs = row["old"].pop("pairs")
                same = len({tuple(p) for p in new_pairs} & {tuple(p) for p in old_pairs})
                row["agreement"] = {"same": same, "old": len(old_pairs), "new": len(new_pairs)}
        results.append(row)
        print(f"{size:,} rows measured", flush=True)
    return {"sizes": results, "scale": scale, "load_average": os.getloadavg()}


def _cell(m: dict[str, Any], key: str, unit: str) -> str:
    return (
        m["error"]
        if "error" in m
        else f"{m[key]:,.1f}{unit}"
        if key == "cpu_s"
        else f"{m[key]:,}{unit}"
    )


def _line(row: dict[str, Any]) -> str:
    new, old = row["new"], row["old"]
    ratio = (
        f"{old['cpu_s'] / max(new['cpu_s'], 0.01):.0f}x"
        if "error" not in old and "error" not in new
        else "-"
    )
    agree = row.get("agreement")
    same = f"{agree['same']:,}/{agree['old']:,}" if agree else "-"
    return (
        f"{row['rows']:>7,}  {_cell(new, 'cpu_s', ' s'):>10} {_cell(new, 'peak_rss_mb', ' MB'):>9}  "
        f"{_cell(old, 'cpu_s', ' s'):>10} {_cell(old, 'peak_rss_mb', ' MB') if 'error' not in old else '':>9}"
        f"  {ratio:>8}  {same:>13}"
    )


def report(result: dict[str, Any]) -> None:
    sizes = result["sizes"]
    print(
        "\nre-import dry run, a register against its earlier version (5 % reworded, 5 % "
        f"renumbered, 2 % new, 2 % gone), store: the scale-{result['scale']} graph + the register"
    )
    print(
        f"{'rows':>7}  {'new CPU':>10} {'new RSS':>9}  {'old CPU':>10} {'old RSS':>9}  {'old/new':>8}  {'same pairs':>13}"
    )
    for row in sizes:
        print(_line(row))
    ok = [r for r in sizes if "error" not in r["new"]]
    if len(ok) >= 2 and ok[0]["new"]["cpu_s"] > 0:
        growth = ok[-1]["new"]["cpu_s"] / ok[0]["new"]["cpu_s"]
        print(f"new method, {ok[0]['rows']:,} -> {ok[-1]['rows']:,} rows "
              f"(x{ok[-1]['rows'] / ok[0]['rows']:.0f}): CPU x{growth:.1f}")  # fmt: skip
    biggest = next((r for r in sizes if r["rows"] == 10000), None)
    if biggest is not None and "error" not in biggest["new"]:
        cpu = biggest["new"]["cpu_s"]
        verdict = "ok" if cpu <= BUDGET_CPU_S else "OVER BUDGET"
        print(f"budget: 10,000 rows within {BUDGET_CPU_S:g} s of CPU: {cpu:.1f} s, {verdict}")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in result['load_average'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--skip-old", action="store_true", help="time the new method only")
    parser.add_argument("--scale", default="M", help="the generated graph beside the register")
    parser.add_argument("--worker", nargs=4, metavar=("JOB", "STORE", "FILE", "MAPPING"))
    args = parser.parse_args(argv)
    if args.worker:
        job, store, file, mapping = args.worker
        print(json.dumps(WORKERS[job](store, file, mapping)))
        return 0
    sizes = [int(s) for s in args.rows.split(",")]
    with tempfile.TemporaryDirectory(prefix="kgraph-reimport-") as folder:
        result = run(sizes, Path(folder), old=not args.skip_old, scale=args.scale)
    report(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
