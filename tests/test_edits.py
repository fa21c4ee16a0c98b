"""kgraph.edits on both backends: a question is added with its links in one transaction
(or not at all), saves and status changes are refused over someone else's newer version,
and a delete reports the links it took along."""

from __future__ import annotations

import pytest

from kgraph import edits
from kgraph.errors import ConflictError, DuplicateError, KGraphError, ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    store.bulk_load(
        [
            Node("cop:meten", "cop", "Lokaal meten"),
            Node("cq:waarden", "complex_question", "Welke waarden wegen mee?", status="open"),
            Node("kq:sensor", "knowledge_question", "Hoe ijk je een sensor?", status="open"),
        ],
        [Edge("kq:sensor", "RAISED_IN", "cop:meten"), Edge("kq:sensor", "FEEDS", "cq:waarden")],
    )
    return store


def test_add_question_with_its_links_in_one_transaction(graph: GraphStore) -> None:
    node = edits.add_question(
        graph,
        kind="knowledge_question",
        title="  Hoe meten we fijnstof?  ",
        text="Per straat.",
        owner=" Ada ",
        tags="lucht; meten, lucht",
        areas=["cop:meten"],
        feeds=["cq:waarden"],
        actor="Chris",
    )
    stored = graph.get_node(node.id)
    assert stored is not None
    assert (stored.title, stored.status, stored.tags, stored.props.get("owner")) == (
        "Hoe meten we fijnstof?",
        "open",
        ("lucht", "meten"),
        "Ada",
    )
    links = {(e.kind, e.dst) for e in graph.edges(node_id=node.id)}
    assert links == {("RAISED_IN", "cop:meten"), ("FEEDS", "cq:waarden")}
    changes = graph.history(target=node.id)
    assert {c.actor for c in changes} == {"Chris"}
    assert len({c.tx for c in changes}) == 1


def test_a_refused_link_leaves_no_question_behind(graph: GraphStore) -> None:
    before = len(graph.nodes())
    with pytest.raises(KGraphError):
        edits.add_question(
            graph,
            kind="knowledge_question",
            title="Een vraag met een verkeerde link",
            areas=["cop:meten", "cop:bestaat-niet"],
        )
    assert len(graph.nodes()) == before
    assert not graph.search("verkeerde link")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"kind": "knowledge_question", "title": "   "}, "title_needed"),
        ({"kind": "cop", "title": "Een CoP"}, "kind_unknown"),
        ({"kind": "complex_question", "title": "X?", "feeds": ["cq:waarden"]}, "feeds_only_kq"),
        ({"kind": "knowledge_question", "title": "X?", "status": "done"}, "status_unknown"),
    ],
)
def test_bad_form_values_are_refused_with_a_reason(
    graph: GraphStore, fields: dict[str, object], key: str
) -> None:
    before = len(graph.nodes())
    with pytest.raises(edits.EditRefused) as refused:
        edits.add_question(graph, **fields)  # type: ignore[arg-type]
    assert refused.value.key == key
    assert isinstance(refused.value, ValidationError)
    assert len(graph.nodes()) == before


def test_adding_the_same_question_twice_is_a_duplicate(graph: GraphStore) -> None:
    first = edits.add_question(graph, kind="knowledge_question", title="Wie ijkt de sensor?")
    with pytest.raises(DuplicateError):
        edits.add_question(graph, kind="knowledge_question", title="Wie ijkt de sensor?")
    assert [n.id for n in graph.search("wie ijkt")] == [first.id]


def test_update_question_saves_fields_and_checks_the_version(graph: GraphStore) -> None:
    read = graph.get_node("kq:sensor")
    assert read is not None
    saved = edits.update_question(
        graph,
        "kq:sensor",
        status="in_progress",
        owner="Ada",
        tags="ijken",
        text="Met een referentiestation.",
        expected_version=read.version,
        actor="Ada",
    )
    assert (saved.status, saved.props.get("owner"), saved.tags, saved.text) == (
        "in_progress",
        "Ada",
        ("ijken",),
        "Met een referentiestation.",
    )
    # a form filled from the old version is refused, and nothing changes
    with pytest.raises(ConflictError):
        edits.update_question(
            graph,
            "kq:sensor",
            status="answered",
            owner="",
            tags="",
            text="",
            expected_version=read.version,
            actor="Bob",
        )
    again = graph.get_node("kq:sensor")
    assert again is not None and again.status == "in_progress" and again.text
    # a blank owner removes it
    cleared = edits.update_question(
        graph,
        "kq:sensor",
        status="in_progress",
        owner="  ",
        tags=[],
        text="",
        expected_version=again.version,
    )
    assert "owner" not in cleared.props and cleared.tags == ()


def test_set_status_checks_the_version(graph: GraphStore) -> None:
    read = graph.get_node("kq:sensor")
    assert read is not None
    done = edits.set_status(graph, "kq:sensor", "answered", expected_version=read.version)
    assert done.status == "answered"
    with pytest.raises(ConflictError):
        edits.set_status(graph, "kq:sensor", "parked", expected_version=read.version)
    with pytest.raises(edits.EditRefused):
        edits.set_status(graph, "kq:sensor", "klaar", expected_version=done.version)
    assert graph.get_node("kq:sensor").status == "answered"  # type: ignore[union-attr]


def test_delete_node_reports_the_links_it_took(graph: GraphStore) -> None:
    assert edits.delete_node(graph, "kq:sensor", actor="Dana") == 2
    assert graph.get_node("kq:sensor") is None
    assert graph.edges(node_id="cop:meten") == []
    deletes = [c for c in graph.history(target="kq:sensor") if c.op.startswith("delete")]
    assert {c.actor for c in deletes} == {"Dana"}
