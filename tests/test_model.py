"""The model's rules: kinds, edge ends, statuses, ids."""

from __future__ import annotations

import pytest

from kgraph.errors import ValidationError
from kgraph.model import (
    EDGE_RULES,
    NODE_KINDS,
    Edge,
    Node,
    check_edge_ends,
    fold,
    make_id,
    normalise_title,
    parse_tags,
    validate_edge,
    validate_node,
)


def test_every_edge_kind_joins_known_node_kinds() -> None:
    assert len(NODE_KINDS) == 8 and len(EDGE_RULES) == 8
    for sources, targets in EDGE_RULES.values():
        assert sources <= set(NODE_KINDS) and targets <= set(NODE_KINDS)


@pytest.mark.parametrize(
    ("kind", "src", "dst"),
    [
        ("RAISED_IN", "knowledge_question", "cop"),
        ("RAISED_IN", "complex_question", "theme"),
        ("FEEDS", "knowledge_question", "complex_question"),
        ("LANDS_IN", "showcase", "landing_place"),
        ("LANDS_IN", "knowledge_question", "landing_place"),
        ("INVOLVES", "knowledge_question", "organisation"),
        ("PART_OF", "landing_place", "landing_place"),
        ("CONTINUES_AS", "cop", "theme"),
        ("INVOLVES", "theme", "organisation"),
        ("RELATES_TO", "complex_question", "knowledge_question"),
        ("CONCERNS", "knowledge_question", "value"),
    ],
)
def test_allowed_edges(kind: str, src: str, dst: str) -> None:
    check_edge_ends(kind, src, dst)


@pytest.mark.parametrize(
    ("kind", "src", "dst"),
    [
        ("RAISED_IN", "cop", "knowledge_question"),  # wrong direction
        ("FEEDS", "complex_question", "knowledge_question"),
        ("LANDS_IN", "knowledge_question", "organisation"),
        ("INVOLVES", "organisation", "knowledge_question"),  # wrong direction
        ("LANDS_IN", "value", "landing_place"),
        ("CONCERNS", "cop", "value"),
    ],
)
def test_forbidden_edges(kind: str, src: str, dst: str) -> None:
    with pytest.raises(ValidationError, match="cannot join"):
        check_edge_ends(kind, src, dst)


def test_make_id_is_deterministic_and_safe() -> None:
    a = make_id("knowledge_question", "Hoe valideer je een model?")
    assert a == "kq:hoe-valideer-je-een-model"
    assert make_id("knowledge_question", "Hoe  valideer je een MODEL") == a
    long = make_id("complex_question", "woord " * 40)
    assert len(long) < 80 and long.startswith("cq:woord-")
    assert make_id("complex_question", "woord " * 40) == long
    assert make_id("complex_question", "woord " * 41) != long
    assert make_id("cop", "Geïnteresseerd — één") == "cop:geinteresseerd-een"


def test_fold_and_normalise() -> None:
    assert fold("Creëren ÉÉN") == "creeren een"
    assert normalise_title("  Hoe creëren we   vertrouwen?! ") == "hoe creeren we vertrouwen"


def test_validate_node_defaults_and_errors() -> None:
    node = validate_node(Node("kq:1", "knowledge_question", "x", tags=("a", "a", " b ")))
    assert node.status == "open" and node.tags == ("a", "b")
    assert validate_node(Node("cop:1", "cop", "x")).status is None
    with pytest.raises(ValidationError, match="title is empty"):
        validate_node(Node("kq:1", "knowledge_question", ""))
    with pytest.raises(ValidationError, match="unknown node kind"):
        validate_node(Node("kq:1", "vraag", "x"))
    with pytest.raises(ValidationError, match="invalid id"):
        validate_node(Node("kq 1", "knowledge_question", "x"))
    with pytest.raises(ValidationError, match="must be text"):
        validate_node(Node("kq:1", "knowledge_question", "x", props={"owner": {"a": 1}}))


def test_validate_edge() -> None:
    edge = validate_edge(Edge("cq:1", "LANDS_IN", "lp:1"))
    assert edge.status == "proposed"
    with pytest.raises(ValidationError, match="handover status"):
        validate_edge(Edge("cq:1", "LANDS_IN", "lp:1", {"status": "done"}))
    with pytest.raises(ValidationError, match="itself"):
        validate_edge(Edge("kq:1", "RELATES_TO", "kq:1"))
    with pytest.raises(ValidationError, match="unknown edge kind"):
        validate_edge(Edge("kq:1", "LIKES", "kq:2"))


def test_node_round_trips_through_dict() -> None:
    node = Node(
        "kq:1", "knowledge_question", "T", "body", "parked", ("a",), "f.txt:3", {"owner": "Ada"}
    )
    assert Node.from_dict(node.to_dict()) == node
    edge = Edge("cq:1", "LANDS_IN", "lp:1", {"status": "accepted", "note": "n"})
    assert Edge.from_dict(edge.to_dict()) == edge


def test_parse_tags() -> None:
    assert parse_tags("a; b,c\nd;;") == ("a", "b", "c", "d")
    assert parse_tags(None) == ()
