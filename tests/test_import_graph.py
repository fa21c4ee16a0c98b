"""Graph files from Gephi, yEd and networkx (hand-written in their style), refused XML,
and problems reported with file and element."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.importers import apply_batch
from kgraph.importers import graph as graph_importer
from kgraph.store.base import GraphStore

GRAPHS = DATA / "graphs"


def test_gephi_gexf() -> None:
    batch = graph_importer.read(GRAPHS / "gephi.gexf")
    nodes = {n.id: n for n in batch.nodes}
    assert nodes["cop:lokaal-meten"].title == "Lokaal meten"
    assert nodes["kq:hoe-valideer-je-een-model"].props == {"Modularity_Class": 1}
    edges = {(e.src, e.kind, e.dst) for e in batch.edges}
    assert edges == {
        ("kq:hoe-valideer-je-een-model", "RAISED_IN", "cop:lokaal-meten"),
        (
            "kq:hoe-meet-je-luchtkwaliteit-in-de-wijk",
            "RAISED_IN",
            "cop:lokaal-meten",
        ),  # label raised_in
        ("kq:hoe-meet-je-luchtkwaliteit-in-de-wijk", "RELATES_TO", "kq:hoe-valideer-je-een-model"),
    }
    assert batch.notes == ["1 node(s) without a kgraph kind were read as knowledge_question"]


def test_yed_graphml() -> None:
    batch = graph_importer.read(GRAPHS / "yed.graphml")
    nodes = {n.id: n for n in batch.nodes}
    cq = nodes["cq:hoe-borgen-we-kennis-na-2024"]
    assert (cq.kind, cq.text) == ("complex_question", "Wat is een goede landingsplaats & waarom?")
    assert nodes["lp:dmi-ecosysteem"].kind == "landing_place"
    assert nodes["kq:welke-data-heb-je-nodig"].kind == "knowledge_question"  # the key's default
    edges = {(e.src, e.kind, e.dst): dict(e.props) for e in batch.edges}
    assert edges[("cq:hoe-borgen-we-kennis-na-2024", "LANDS_IN", "lp:dmi-ecosysteem")] == {
        "status": "proposed"
    }
    assert edges[("kq:welke-data-heb-je-nodig", "FEEDS", "cq:hoe-borgen-we-kennis-na-2024")] == {
        "description": "feeds it"
    }


def test_networkx_json() -> None:
    batch = graph_importer.read(GRAPHS / "networkx.json", default_kind="complex_question")
    assert sorted((n.id, n.kind) for n in batch.nodes) == [
        ("cq:hoe-betrek-je-bewoners", "complex_question"),
        ("kq:hoe-betrek-je-bewoners-bij-meten", "knowledge_question"),
    ]
    assert [(e.kind, dict(e.props)) for e in batch.edges] == [
        ("RELATES_TO", {"weight": 0.8})
    ]  # FEEDS runs kq -> cq only


@pytest.mark.parametrize("name", ["bomb.graphml", "external.gexf"])
def test_dtd_and_entities_are_refused(name: str) -> None:
    with pytest.raises(InputError, match=rf"{name}: refused: DTDForbidden"):
        graph_importer.read(GRAPHS / name)


def test_problems_name_file_and_element(tmp_path: Path, store: GraphStore) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{"graph": {"name": "kgraph"}, "nodes": ['
        '{"id": "cop:a", "kind": "cop", "title": "A"},'
        '{"id": "lp:b", "kind": "landing_place", "title": ""},'
        '{"id": "org:c", "kind": "organisation", "title": "C"}],'
        '"links": [{"source": "cop:a", "target": "nowhere", "kind": "INVOLVES"},'
        '{"source": "org:c", "target": "cop:a"},'
        '{"source": "cop:a", "target": "org:c", "kind": "FEEDS"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        graph_importer.read(path)
    problems = caught.value.problems
    assert "bad.json, node 2 (id 'lp:b'): node lp:b: title is empty" in problems
    assert "bad.json, link 1 ('cop:a' -> 'nowhere'): no node with id 'nowhere'" in problems
    assert any(
        p.startswith(
            "bad.json, link 2 ('org:c' -> 'cop:a'): no edge kind joins organisation -> cop"
        )
        for p in problems
    )
    assert any(
        p.startswith("bad.json, link 3 ('cop:a' -> 'org:c'): FEEDS cannot join cop -> organisation")
        for p in problems
    )
    before = store.counts()
    with pytest.raises(InputError):
        apply_batch(store, graph_importer.read(path))
    assert store.counts() == before


def test_not_xml_and_unknown_format(tmp_path: Path) -> None:
    broken = tmp_path / "x.graphml"
    broken.write_text("<graphml><node id='a'>", encoding="utf-8")
    with pytest.raises(InputError, match="x.graphml: not well-formed XML"):
        graph_importer.read(broken)
    other = tmp_path / "x.dot"
    other.write_text("digraph {}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown graph format"):
        graph_importer.read(other)


def test_cli_import_graph(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--store", db, "import", "graph", str(GRAPHS / "yed.graphml"), "--dry-run"]
    )
    assert result.exit_code == 0 and "3 nieuw" in result.output
    assert "2 nieuwe verbindingen" in result.output and "niets geschreven" in result.output
    result = runner.invoke(cli, ["--store", db, "import", "graph", str(GRAPHS / "yed.graphml")])
    assert "3 items en 2 verbindingen toegevoegd" in result.output
    again = ["--store", db, "import", "graph", str(GRAPHS / "yed.graphml"), "--lang", "en"]
    result = runner.invoke(cli, again)
    assert "0 items and 0 links added" in result.output and "3 were there already" in result.output
    result = runner.invoke(cli, ["--store", db, "import", "graph", str(GRAPHS / "bomb.graphml")])
    assert result.exit_code == 2 and "DTDForbidden" in result.output
