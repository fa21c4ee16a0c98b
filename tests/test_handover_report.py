"""The steering group's handover report in Markdown, HTML and XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kgraph.cli import cli
from kgraph.export.report import collect, handover_report
from kgraph.importers import seed
from kgraph.model import Edge, Node
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore

EVIL = "<script>alert('x')</script> | =cmd"


@pytest.fixture
def handover(store: GraphStore) -> GraphStore:
    nodes = [
        Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        Node("lp:slim", "landing_place", "Slimme verstedelijking"),
        Node("lp:aic", "landing_place", "AI Compass"),
        Node("cop:lm", "cop", "Lokaal meten"),
        Node("cop:eth", "cop", "Ethiek"),
        Node("cq:a", "complex_question", "Hoe borgen we meetnetten?"),
        Node("cq:b", "complex_question", EVIL),
        Node("cq:c", "complex_question", "Hoe verder zonder landingsplaats?"),
        Node("kq:1", "knowledge_question", "Hoe meet je geluid?"),
        Node("showcase:d", "showcase", "Deventer (De Kien)"),
    ]
    edges = [
        Edge("lp:slim", "PART_OF", "lp:dmi"),
        Edge(
            "cq:a",
            "LANDS_IN",
            "lp:slim",
            {
                "status": "accepted",
                "decided_on": "2024-03-12",
                "decided_by": "Stuurgroep",
                "note": "Belegd bij DMI",
            },
        ),
        Edge(
            "cq:a",
            "LANDS_IN",
            "lp:aic",
            {"status": "declined", "decided_on": "2024-02-01", "decided_by": "AI Compass"},
        ),
        Edge("cq:b", "LANDS_IN", "lp:aic", {"status": "in_discussion", "note": EVIL}),
        Edge("cop:lm", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
        Edge("kq:1", "RAISED_IN", "cop:lm"),
        Edge("kq:1", "FEEDS", "cq:a"),
        Edge("cq:c", "RAISED_IN", "cop:lm"),
    ]
    store.bulk_load(nodes, edges)
    return store


def test_summary_counts_each_item_once_under_its_furthest_status(handover: GraphStore) -> None:
    data = collect(handover)
    assert data.summary["complex_question"] == {
        "accepted": 1,
        "in_discussion": 1,
        "proposed": 0,
        "declined": 0,
        "none": 1,
        "total": 3,
    }
    assert data.summary["cop"]["proposed"] == 1 and data.summary["cop"]["none"] == 1
    assert data.summary["showcase"]["none"] == 1
    assert [n["id"] for n in data.unlanded] == ["cq:c", "cop:eth", "showcase:d"]


def test_sections_per_landing_place_and_cop(handover: GraphStore) -> None:
    data = collect(handover)
    places = {s.node["id"]: s for s in data.places}
    assert [p["id"] for p in places["lp:slim"].parents] == ["lp:dmi"]
    row = places["lp:slim"].rows[0]
    assert (row["id"], row["handover"], row["decided_on"], row["decided_by"], row["note"]) == (
        "cq:a",
        "accepted",
        "2024-03-12",
        "Stuurgroep",
        "Belegd bij DMI",
    )
    assert [r["handover"] for r in places["lp:aic"].rows] == ["in_discussion", "declined"]
    cop = next(s for s in data.cops if s.node["id"] == "cop:lm")
    # the CoP's own handover, cq:a through its knowledge question (two places), cq:c raised in it
    assert sorted((r["id"], r["place"]) for r in cop.rows) == [
        ("cop:lm", "lp:dmi"),
        ("cq:a", "lp:aic"),
        ("cq:a", "lp:slim"),
        ("cq:c", None),
    ]


def test_markdown(handover: GraphStore) -> None:
    text = handover_report(handover, "md").decode("utf-8")
    assert text.startswith("# Overdrachtsrapportage\n\n**Stand per ")
    assert "| Complexe vraag | 1 | 1 | 0 | 0 | 1 | 3 |" in text
    # a kind without any item has no row (no "Kennisvraag 0 0 0 0 0 0")
    assert "| Kennisvraag |" not in text
    assert "| **Totaal** | **1** | **1** | **1** | **0** | **3** | **6** |" in text
    assert (
        "| Slimme verstedelijking (onderdeel van DMI-ecosysteem) | Hoe borgen we meetnetten? "
        "| Complexe vraag | Lokaal meten | Slimme verstedelijking | belegd | 12-03-2024 "
        "| Stuurgroep | Belegd bij DMI |  |  |" in text
    )
    assert "<script>" not in text and "\\| =cmd" in text
    assert "## Nog niet geland" in text and "| Ethiek | Community of practice |  |" in text
    english = handover_report(handover, "md", lang="en").decode("utf-8")
    assert english.startswith("# Handover report\n\n**As of ") and "| accepted |" in english
    assert "| 2024-03-12 |" in english


def test_html_escapes_user_text(handover: GraphStore) -> None:
    page = handover_report(handover, "html").decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert (
        page.index("Samenvatting")
        < page.index("Per landingsplaats")
        < page.index("Nog niet geland")
    )
    assert '<td class="st st-accepted">belegd</td>' in page


def test_xlsx(handover: GraphStore) -> None:
    book = load_workbook(io.BytesIO(handover_report(handover, "xlsx")))
    assert book.sheetnames == [
        "Voorblad",
        "Samenvatting",
        "Per landingsplaats",
        "Per CoP",
        "Nog niet geland",
        "Zonder overdracht",
        "Acties",
    ]
    summary = [[c.value for c in row] for row in book["Samenvatting"].iter_rows()]
    assert summary[1] == ["Complexe vraag", 1, 1, 0, 0, 1, 3]
    values = [
        c.value
        for row in book["Per landingsplaats"].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert EVIL in values  # text that does not start like a formula is left as it is
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)


def test_real_citydeal_report_and_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "cd.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", db, "seed"]).exit_code == 0
    for suffix in ("md", "html", "xlsx", "pdf"):
        out = tmp_path / f"handover.{suffix}"
        result = runner.invoke(cli, ["--store", db, "report", "handover", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 500
    text = (tmp_path / "handover.md").read_text(encoding="utf-8")
    batch = seed.read(seed_folder())
    landed = {e.dst for e in batch.edges if e.kind == "LANDS_IN"}
    for place in (n for n in batch.nodes if n.kind == "landing_place" and n.id in landed):
        assert f"| {place.title}" in text.replace("\\", "")
    bad = runner.invoke(cli, ["--store", db, "report", "handover", str(tmp_path / "x.txt")])
    assert bad.exit_code == 2 and ".md, .html, .xlsx or .pdf" in bad.output


def test_report_projects_the_handover_analysis(handover: GraphStore) -> None:
    """The report counts nothing itself: its summary and rows are the analysis's."""
    from kgraph.analysis import handover_coverage

    coverage = handover_coverage(handover)
    data = collect(coverage)
    assert data.summary == coverage.summary
    assert sorted(r["edge"] for s in data.places for r in s.rows) == sorted(
        r["edge"] for r in coverage.rows if r["edge"]
    )
    assert handover_report(coverage, "md") == handover_report(handover, "md")


def test_a_knowledge_question_is_handed_over_with_what_it_feeds(handover: GraphStore) -> None:
    """kq:1 feeds cq:a and lands nowhere itself: it goes with cq:a. A question that feeds
    nothing and lands nowhere is open; one that lands itself is listed with its landing."""
    handover.add_node(Node("kq:2", "knowledge_question", "Waar landt deze vraag?"))
    handover.add_node(Node("kq:3", "knowledge_question", "Deze vraag landt zelf"))
    handover.add_edge(Edge("kq:3", "FEEDS", "cq:a"))
    handover.add_edge(Edge("kq:3", "LANDS_IN", "lp:aic", {"status": "accepted"}))
    data = collect(handover)
    assert data.summary["knowledge_question"]["none"] == 1
    assert data.summary["knowledge_question"]["accepted"] == 1
    assert data.summary["knowledge_question"]["total"] == 2
    assert "kq:2" in [n["id"] for n in data.unlanded]
    assert "kq:1" not in [n["id"] for n in data.unlanded]
