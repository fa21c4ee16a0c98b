"""Paths between any two items (both backends): one shortest, all shortest, around hubs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph import query
from kgraph.cli import cli
from kgraph.errors import NotFoundError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore


def _diamond(store: GraphStore) -> None:
    """kq:a raised in two CoP's that both land in lp:z; a hub links kq:a to lp:z directly
    through many organisations' worth of links."""
    nodes = [
        Node("kq:a", "knowledge_question", "Vraag A"),
        Node("cop:1", "cop", "Een"),
        Node("cop:2", "cop", "Twee"),
        Node("lp:z", "landing_place", "Doel"),
        Node("lp:hub", "landing_place", "Knooppunt"),
        Node("kq:b", "knowledge_question", "Vraag B"),
        Node("cq:c", "complex_question", "Complex C"),
    ]
    nodes += [Node(f"kq:x{i}", "knowledge_question", f"Vulling {i}") for i in range(14)]
    edges = [
        Edge("kq:a", "RAISED_IN", "cop:1"),
        Edge("kq:a", "RAISED_IN", "cop:2"),
        Edge("cop:1", "LANDS_IN", "lp:z"),
        Edge("cop:2", "LANDS_IN", "lp:z"),
        Edge("kq:b", "LANDS_IN", "lp:hub"),
        Edge("kq:b", "FEEDS", "cq:c"),
        Edge("cq:c", "LANDS_IN", "lp:z"),
        Edge("kq:a", "LANDS_IN", "lp:hub"),
    ]
    edges += [Edge(f"kq:x{i}", "LANDS_IN", "lp:hub") for i in range(14)]
    store.bulk_load(nodes, edges)


def test_one_and_all_shortest_paths(store: GraphStore) -> None:
    _diamond(store)
    one = query.find_paths(store, "kq:a", "lp:z")
    assert len(one.paths) == 1 and len(one.paths[0]) == 3
    every = query.find_paths(store, "kq:a", "lp:z", all_paths=True)
    assert every.paths == [["kq:a", "cop:1", "lp:z"], ["kq:a", "cop:2", "lp:z"]]
    assert not every.more


def test_avoiding_hubs_takes_another_way(store: GraphStore) -> None:
    _diamond(store)
    plain = query.find_paths(store, "kq:b", "kq:a", all_paths=True)
    assert plain.paths == [["kq:b", "lp:hub", "kq:a"]]
    around = query.find_paths(store, "kq:b", "kq:a", avoid_hubs=True, hub_degree=12)
    assert around.avoided == ["lp:hub"]
    assert around.paths and "lp:hub" not in around.paths[0]
    assert around.paths[0][0] == "kq:b" and around.paths[0][-1] == "kq:a"
    # a hub may be an end
    assert query.find_paths(store, "lp:hub", "kq:b", avoid_hubs=True).paths == [["lp:hub", "kq:b"]]


def test_no_path_and_missing_ends(store: GraphStore) -> None:
    _diamond(store)
    store.add_node(Node("org:eiland", "organisation", "Eiland"))
    assert query.find_paths(store, "kq:a", "org:eiland", all_paths=True).paths == []
    with pytest.raises(NotFoundError):
        query.find_paths(store, "kq:a", "kq:weg")


def test_cli_path_all_and_avoid_hubs(tmp_path: Path) -> None:
    location = str(tmp_path / "paths.db")
    with EmbeddedStore(location) as store:
        _diamond(store)
    runner = CliRunner()
    out = runner.invoke(cli, ["--store", location, "path", "kq:a", "lp:z", "--all"])
    assert out.exit_code == 0, out.output
    assert out.output.count("path ") == 2
    out = runner.invoke(
        cli, ["--store", location, "path", "kq:b", "kq:a", "--avoid-hubs", "--hub-degree", "12"]
    )
    assert out.exit_code == 0 and "lp:hub" not in out.output
