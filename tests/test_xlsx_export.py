"""The data workbook (``kgraph export xlsx``): in the reader's language, read back exactly
in either language, and texts longer than an Excel cell kept whole over continuation
cells."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kgraph.cli import cli
from kgraph.export import export_bytes, xlsx
from kgraph.export.sheetml import MAX_CELL
from kgraph.model import Edge, Node
from kgraph.store.base import Subgraph
from kgraph.store.embedded import EmbeddedStore


def graph(long_text: str = "") -> Subgraph:
    nodes = {
        "kq:lang": Node(
            "kq:lang",
            "knowledge_question",
            "Een heel lange vraag",
            text=long_text,
            status="in_progress",
            tags=("ai", "data"),
            props={"owner": "Ada", "notes": long_text[:40_000] or "kort"},
        ),
        "cq:x": Node("cq:x", "complex_question", "=Complexe vraag", status="answered"),
        "lp:dmi": Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        "cop:a": Node("cop:a", "cop", "Lokaal meten"),
    }
    edges = [
        Edge("kq:lang", "FEEDS", "cq:x"),
        Edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "accepted", "note": "ok"}),
        Edge("cop:a", "LANDS_IN", "lp:dmi", {"status": "in_discussion"}),
        Edge("kq:lang", "RAISED_IN", "cop:a"),
    ]
    return Subgraph(nodes=nodes, edges=edges)


def same(a: Subgraph, b: Subgraph) -> None:
    assert {k: n.to_dict() for k, n in a.nodes.items()} == {
        k: n.to_dict() for k, n in b.nodes.items()
    }
    key = lambda e: (e.src, e.kind, e.dst)  # noqa: E731
    assert sorted((key(e), e.props) for e in a.edges) == sorted((key(e), e.props) for e in b.edges)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_50000_character_text_comes_back_exactly(lang: str) -> None:
    # every kind of character, an astral one (two UTF-16 units) across the 32,000 boundary,
    # and a piece that would start like a formula
    unit = "Regel één\twith tab; emoji 🌍 and CR\r\n= not a formula "
    text = (unit * (50_000 // len(unit) + 1))[:50_000]
    text = text[:31_999] + "🌍" + text[32_000:]
    text = text[:32_000] + "=1+1" + text[32_004:]
    assert len(text) == 50_000
    data = export_bytes(graph(text), "xlsx", lang=lang)
    book = load_workbook(io.BytesIO(data), read_only=True)
    longest = max(
        len(str(cell))
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    book.close()
    # no cell holds more than Excel keeps (each CR is written as _x000D_: count it once)
    assert longest <= MAX_CELL * 7
    back = xlsx.read(io.BytesIO(data))
    assert back.nodes["kq:lang"].text == text
    assert back.nodes["kq:lang"].props["notes"] == text[:40_000]
    same(back, graph(text))


def test_no_cell_is_longer_than_excel_keeps() -> None:
    text = "x" * 100_000
    data = export_bytes(graph(text), "xlsx")
    book = load_workbook(io.BytesIO(data), read_only=True)
    lengths = [
        len(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    book.close()
    assert max(lengths) <= MAX_CELL
    assert sum(1 for n in lengths if n >= 30_000) >= 4  # 100,000 characters in pieces


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_labels_in_the_language_and_keys_in_the_hidden_row(lang: str) -> None:
    data = export_bytes(graph(), "xlsx", lang=lang)
    book = load_workbook(io.BytesIO(data))
    nodes, edges = (book.worksheets[0], book.worksheets[1])
    assert nodes.row_dimensions[1].hidden and edges.row_dimensions[1].hidden
    keys = [c.value for c in nodes[1]]
    header = [c.value for c in nodes[2]]
    rows = {r[0].value: [c.value for c in r] for r in nodes.iter_rows(min_row=3)}
    kind, status = keys.index("kind"), keys.index("status")
    if lang == "nl":
        assert (nodes.title, edges.title) == ("Knopen", "Verbindingen")
        assert header[keys.index("title")] == "Titel"
        assert rows["kq:lang"][kind] == "Kennisvraag"
        assert rows["kq:lang"][status] == "in behandeling"
        edge_kinds = {c.value for c in edges["B"][2:]}
        assert "landt in" in edge_kinds
        assert "Kennisvraag" in book.sheetnames
    else:
        assert (nodes.title, edges.title) == ("Nodes", "Edges")
        assert rows["kq:lang"][kind] == "Knowledge question"
        assert rows["kq:lang"][status] == "in progress"
        assert "lands in" in {c.value for c in edges["B"][2:]}
    # a formula-like title is defused, and read back as typed
    assert rows["cq:x"][keys.index("title")] == "'=Complexe vraag"
    same(xlsx.read(io.BytesIO(data)), graph())


def test_kgraph_import_graph_reads_an_export_back_in_both_languages(tmp_path: Path) -> None:
    source = EmbeddedStore(tmp_path / "a.db")
    sub = graph("tekst " * 10_000)
    source.bulk_load(sub.nodes.values(), sub.edges)
    source.close()
    for lang in ("nl", "en"):
        out = tmp_path / f"graaf-{lang}.xlsx"
        result = CliRunner().invoke(
            cli, ["--store", str(tmp_path / "a.db"), "export", "xlsx", str(out), "--lang", lang]
        )
        assert result.exit_code == 0, result.output
        target = tmp_path / f"b-{lang}.db"
        result = CliRunner().invoke(cli, ["--store", str(target), "import", "graph", str(out)])
        assert result.exit_code == 0, result.output
        copy = EmbeddedStore(target)
        got = {n.id: (n.kind, n.title, n.text, n.status, n.tags, n.props) for n in copy.nodes()}
        want = {
            n.id: (n.kind, n.title, n.text, n.status, n.tags, dict(n.props))
            for n in sub.nodes.values()
        }
        assert got == want
        assert sorted(
            (e.src, e.kind, e.dst, e.props.get("status")) for e in copy.edges()
        ) == sorted((e.src, e.kind, e.dst, e.props.get("status")) for e in sub.edges)
        copy.close()


def test_a_workbook_of_the_earlier_layout_still_reads(tmp_path: Path) -> None:
    """English headers in the first row and keys as values (what kgraph wrote before)."""
    from openpyxl import Workbook

    book = Workbook()
    nodes = book.active
    nodes.title = "Nodes"
    nodes.append(["Id", "Kind", "Title", "Status"])
    nodes.append(["kq:1", "knowledge_question", "Oude vraag", "open"])
    nodes.append(["cq:1", "complex_question", "Oude complexe vraag", "open"])
    edges = book.create_sheet("Edges")
    edges.append(["From id", "kind", "To id", "From title", "To title"])
    edges.append(["kq:1", "FEEDS", "cq:1", "Oude vraag", "Oude complexe vraag"])
    path = tmp_path / "oud.xlsx"
    book.save(path)
    back = xlsx.read(path)
    assert back.nodes["kq:1"].title == "Oude vraag"
    assert [(e.src, e.kind, e.dst) for e in back.edges] == [("kq:1", "FEEDS", "cq:1")]
