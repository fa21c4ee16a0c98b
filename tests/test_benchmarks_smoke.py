"""The benchmark generator and runner work, at the tiny scale XS (the benchmarks themselves
are run with ``make bench``, not by the test suite)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# benchmarks/ sits beside the package, not inside it: import it from the project folder
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import baseline
from benchmarks.generate import SCALES, GeneratedGraph, graph, probes, write_questions_xlsx
from benchmarks.run import run
from kgraph.model import EDGE_KINDS, NODE_KINDS, check_edge_ends, validate_edge, validate_node
from kgraph.store.embedded import EmbeddedStore


def test_generator_is_deterministic_valid_and_complete() -> None:
    first = GeneratedGraph(SCALES["XS"])
    second = GeneratedGraph(SCALES["XS"], seed=first.seed)
    nodes = list(first.nodes())
    edges = list(first.edges())
    assert nodes == list(second.nodes())
    assert edges == list(second.edges())
    assert [n.title for n in graph("XS", seed=1).nodes()] != [n.title for n in nodes]

    kinds = {n.id: validate_node(n).kind for n in nodes}
    assert len(kinds) == len(nodes)
    for e in edges:
        validate_edge(e)
        check_edge_ends(e.kind, kinds[e.src], kinds[e.dst])
    assert len({(e.src, e.kind, e.dst) for e in edges}) == len(edges)
    assert set(Counter(kinds.values())) == set(NODE_KINDS)
    assert set(Counter(e.kind for e in edges)) == set(EDGE_KINDS)


def test_degrees_are_skewed_with_one_big_hub() -> None:
    chosen = probes(graph("XS"))
    assert chosen["hub"] == "cop:datagedreven-werken-door-te-voorspellen"
    top = chosen["top_degrees"]
    assert top[0] > 2 * top[1]
    assert top[0] > chosen["edges"] / 10
    assert chosen["leaves"] and all(":" in i for i in chosen["leaves"])


def test_questions_workbook_has_one_row_per_knowledge_question(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    g = GeneratedGraph(SCALES["XS"])
    rows = write_questions_xlsx(g, tmp_path / "q.xlsx")
    sheet = load_workbook(tmp_path / "q.xlsx", read_only=True).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0] == ("id", "title", "text", "status", "tags", "owner", "cop")
    assert rows == len(table) - 1 == g.spec.knowledge_questions


def test_baseline_bfs_selects_what_the_store_selects(tmp_path: Path) -> None:
    g = graph("XS")
    store = EmbeddedStore(tmp_path / "xs.db", actor="test")
    store.bulk_load(g.nodes(), g.edges())
    nxg, _ = baseline.build(g)
    chosen = probes(g)
    leaves = chosen["leaves"][:5]
    assert leaves
    for focus in leaves:
        want = store.neighbourhood([focus], depth=1)
        got = baseline.bounded_bfs(nxg, [focus], depth=1)
        assert not want.truncated and not got.truncated
        assert set(got.nodes) == set(want.nodes)
        assert {e.key for e in got.edges} == {e.key for e in want.edges}
    hub = baseline.bounded_bfs(nxg, [chosen["hub"]], depth=2)
    assert hub.truncated and len(hub.nodes) == 300
    store.close()


def test_runner_at_xs_prints_every_operation_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "XS.json"
    report = run("XS", repeat=3, out=out, work=tmp_path / "work", keep=False, pages=False)
    assert report["errors"] == []
    assert not (tmp_path / "work").exists()
    saved = json.loads(out.read_text())
    rows = {r["op"]: r for r in saved["rows"]}
    embedded = {op: r["embedded"] for op, r in rows.items()}
    assert embedded["bulk_import"]["nodes"] == saved["graph"]["nodes"]
    assert embedded["bulk_import"]["edges"] == saved["graph"]["edges"]
    for op in ("nbh_hub", "nbh_leaf", "shortest_path", "text_search", "small_edit"):
        assert embedded[op]["n"] == 3
        assert 0 < embedded[op]["median_ms"] <= embedded[op]["p95_ms"]
        assert rows[op]["networkx"] is None or rows[op]["networkx"]["n"] >= 3
    assert embedded["nbh_hub"]["nodes_returned_max"] == 300
    assert embedded["cold_open"]["seconds"] > 0
    assert embedded["peak_rss_queries"]["peak_rss_mb"] > 0
    assert rows["nbh_hub"]["embedded_vs_networkx"].endswith("×")
    assert rows["ego_hub_r1"]["networkx"]["nodes_returned_max"] > 1


def test_the_page_harness_measures_a_page_and_flags_a_missed_budget(tmp_path: Path) -> None:
    """One page job in a fresh process (first render, warm session, one interaction), and
    the report prints MISSED for a figure over its budget."""
    from benchmarks import pages

    db = tmp_path / "XS.db"
    pages.load_store(pages.ROOT, "XS", db)
    code = pages.Code("new", pages.ROOT, db)
    done = pages.run_job(
        code,
        "page",
        600,
        page_file="questions.py",
        interactions=json.dumps(pages.INTERACTIONS["Vragen"][:1]),
        repeat=2,
        limit=600,
    )
    assert "error" not in done and "na" not in done, done
    assert done["first"]["cpu_s"] > 0 and done["first"]["wall_s"] >= done["first"]["cpu_s"] / 4
    [(name, figure)] = done["interactions"].items()
    assert figure["n"] == 2 and figure["cpu_p95_s"] > 0, (name, figure)
    fake = {
        "label": "new",
        "pages": {
            page: {"cold": {"first": {"cpu_s": 5.0, "wall_s": 6.0}}, "fresh": done}
            for page in pages.PAGES
        },
        "cli": {"cli_help": {"cpu_s": 0.1, "wall_s": 0.1}},
        "analyses": {},
    }
    lines: list[str] = []
    missed = pages.report("M", fake, None, {p: 0.001 for p in pages.PAGES}, echo=lines.append)
    assert any("MISSED" in line for line in lines)
    assert len([m for m in missed if "cache file removed" in m]) == len(pages.PAGES)


def test_register_reimport_benchmark_runs_old_beside_new(tmp_path: Path) -> None:
    from benchmarks import reimport_scale

    out = tmp_path / "reimport.json"
    assert reimport_scale.main(["--rows", "60", "--scale", "XS", "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text())["sizes"]
    assert row["changes"] == {"reworded": 3, "renumbered": 3, "new": 1, "gone": 1}
    for method in ("new", "old"):
        assert row[method]["cpu_s"] >= 0 and row[method]["peak_rss_mb"] > 0, row
    assert row["agreement"]["same"] == row["agreement"]["old"] == row["agreement"]["new"]
