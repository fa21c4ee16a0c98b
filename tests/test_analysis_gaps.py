"""Gaps on a small hand-built graph with known answers."""

from __future__ import annotations

from kgraph.analysis import GAP_LABELS, find_gaps
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.texts import text


def kq(node_id: str) -> Node:
    return Node(node_id, "knowledge_question", f"Vraag {node_id}?")


def build(store: GraphStore) -> None:
    store.bulk_load(
        [
            kq("kq:1"),
            kq("kq:2"),
            kq("kq:3"),
            kq("kq:4"),
            Node("cq:x", "complex_question", "X?"),
            Node("cq:y", "complex_question", "Y?"),
            Node("cop:a", "cop", "A"),
            Node("cop:b", "cop", "B"),
            Node("cop:c", "cop", "C"),
            Node("theme:t1", "theme", "T1"),
            Node("theme:t2", "theme", "T2"),
            Node("theme:t3", "theme", "T3"),
            Node("theme:t4", "theme", "T4"),
            Node("lp:l", "landing_place", "L"),
            Node("org:o", "organisation", "O"),
            Node("org:lonely", "organisation", "Alleen"),
            Node("value:v", "value", "Privacy"),
        ],
        [
            Edge("kq:1", "RAISED_IN", "cop:a"),
            Edge("kq:1", "FEEDS", "cq:x"),  # cq:x counts as raised through kq:1
            Edge("kq:2", "RAISED_IN", "cop:a"),
            Edge("kq:3", "CONCERNS", "value:v"),
            Edge("kq:4", "RAISED_IN", "theme:t2"),
            Edge("cq:y", "LANDS_IN", "lp:l"),
            Edge("cop:a", "CONTINUES_AS", "theme:t1"),  # t1 inherits cop:a's questions
            Edge("cop:b", "LANDS_IN", "lp:l"),
            Edge("cop:c", "INVOLVES", "org:o"),
            Edge("theme:t3", "INVOLVES", "org:o"),
        ],
    )


def test_each_gap_lists_exactly_the_known_nodes(store: GraphStore) -> None:
    build(store)
    groups = {name: [r["id"] for r in rows] for name, rows in find_gaps(store).groups.items()}
    assert groups == {
        "unfed_knowledge_questions": ["kq:2", "kq:3", "kq:4"],
        "unraised_questions": ["cq:y", "kq:3"],
        "stranded_cops": ["cop:c"],
        "empty_themes": ["theme:t3", "theme:t4"],
        "isolated": ["org:lonely", "theme:t4"],
    }


def test_result_is_plain_data_with_labels_in_both_languages(store: GraphStore) -> None:
    build(store)
    data = find_gaps(store).to_dict()
    assert data["counts"]["unfed_knowledge_questions"] == 3
    assert data["total"] == 3 + 2 + 1 + 2 + 2
    assert set(data["labels"]) == set(GAP_LABELS) == set(data["groups"])
    for label in data["labels"].values():  # catalogue keys, in both languages
        for key in (label["title"], label["help"]):
            assert text(key, "nl") and text(key, "en") and text(key, "nl") != text(key, "en")


def test_fixing_a_gap_removes_it(store: GraphStore) -> None:
    build(store)
    store.add_edge(Edge("kq:2", "FEEDS", "cq:x"))
    store.add_edge(Edge("cop:c", "CONTINUES_AS", "theme:t3"))
    gaps = find_gaps(store).groups
    assert [r["id"] for r in gaps["unfed_knowledge_questions"]] == ["kq:3", "kq:4"]
    assert gaps["stranded_cops"] == []
    # t3 now has cop:c continuing as it, but cop:c raised no questions: still empty
    assert [r["id"] for r in gaps["empty_themes"]] == ["theme:t3", "theme:t4"]


def test_empty_store_has_no_gaps(store: GraphStore) -> None:
    assert find_gaps(store).total == 0
