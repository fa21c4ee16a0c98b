"""Centrality on graphs whose degree and betweenness are known by hand."""

from __future__ import annotations

import pytest

from kgraph.analysis import centrality
from kgraph.errors import ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore, Subgraph
from kgraph.texts import render


def build(store: GraphStore) -> None:
    """A tree: three complex questions land in lp:hub, lp:hub and two others are part of lp:top.

    With n = 7, normalised betweenness divides by (n-1)(n-2)/2 = 15 pairs: lp:hub lies on
    3*3 + 3 = 12 of them (0.8), lp:top on 2*4 + 1 = 9 (0.6), every leaf on none.
    """
    store.bulk_load(
        [
            Node("lp:hub", "landing_place", "Hub"),
            Node("lp:top", "landing_place", "Top"),
            Node("lp:l1", "landing_place", "L1"),
            Node("lp:l2", "landing_place", "L2"),
            *(Node(f"cq:{i}", "complex_question", f"Vraag {i}?") for i in range(3)),
        ],
        [
            *(Edge(f"cq:{i}", "LANDS_IN", "lp:hub") for i in range(3)),
            Edge("lp:hub", "PART_OF", "lp:top"),
            Edge("lp:l1", "PART_OF", "lp:top"),
            Edge("lp:l2", "PART_OF", "lp:top"),
        ],
    )


def test_degree_and_betweenness_match_the_hand_count(store: GraphStore) -> None:
    build(store)
    result = centrality(store)
    first, second = result.rows[:2]
    assert (first["id"], first["degree"], first["betweenness"]) == ("lp:hub", 4, 0.8)
    assert (second["id"], second["degree"], second["betweenness"]) == ("lp:top", 3, 0.6)
    assert all(r["betweenness"] == 0 for r in result.rows[2:])
    assert [r["rank"] for r in result.rows] == list(range(1, 8))
    assert not result.approximate


def test_explained_in_plain_words(store: GraphStore) -> None:
    build(store)
    row = centrality(store).rows[0]
    # a catalogue key with typed parameters, not a sentence
    assert row["explanation"] == {
        "key": "central_row_bridge",
        "params": {"kind": "landing_place", "title": "Hub", "degree": 4, "share": 0.8},
    }
    assert render(row["explanation"], "en") == (
        "landing place 'Hub' has 4 links and lies on 80.0% of the shortest routes between other items."
    )
    nl = render(row["explanation"], "nl")
    assert "80,0%" in nl and "4 verbindingen" in nl
    leaf = centrality(store, kinds=["complex_question"]).rows[0]
    assert "no bridge" in render(leaf["explanation"], "en")


def test_kind_filter_and_top(store: GraphStore) -> None:
    build(store)
    only = centrality(store, kinds=["complex_question"], top=2)
    assert len(only.rows) == 2
    assert {r["kind"] for r in only.rows} == {"complex_question"}
    assert only.to_dict()["kinds"] == ["complex_question"]
    with pytest.raises(ValidationError):
        centrality(store, kinds=["question"])


def test_big_graphs_are_sampled_with_a_seed() -> None:
    """A path of 1,500 nodes: estimated, the same every run, the middle still ranks first."""
    n = 1500
    nodes = {f"lp:{i}": Node(f"lp:{i}", "landing_place", f"P{i}") for i in range(n)}
    edges = [Edge(f"lp:{i}", "PART_OF", f"lp:{i + 1}") for i in range(n - 1)]
    sub = Subgraph(nodes=nodes, edges=edges)
    one = centrality(sub, top=5, samples=100)
    two = centrality(sub, top=5, samples=100)
    assert one.approximate and one.samples == 100
    assert one.rows == two.rows
    middle = int(one.rows[0]["id"].split(":")[1])
    assert abs(middle - n // 2) < n // 5
