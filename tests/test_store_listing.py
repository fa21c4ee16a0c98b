"""Lists answered by the store (``find_nodes``/``count_nodes``), aggregates and lean rows,
on both backends, checked against the in-memory reference (``listing.select_nodes``) on a
graph with accents, capitals, statuses, hubs, handover statuses and loose nodes."""

from __future__ import annotations

import itertools

import pytest

from kgraph.errors import ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.listing import (
    SORTS,
    AllOf,
    Among,
    AnyOf,
    Isolated,
    Link,
    NodeQuery,
    Not,
    OfKind,
    select_nodes,
    title_key,
)

QUESTIONS = [
    ("kq:1", "Hoe valideer je een model?", "open", "over data en modellen"),
    ("kq:2", "Één vraag over Ethiek", "in_progress", ""),
    ("kq:3", "een vraag over ethiek, kleiner", "answered", "geïnteresseerd in privacy"),
    ("kq:4", "Zeker weten: data delen", "parked", ""),
    ("kq:5", "Apen en data", "open", "tweede regel"),
    ("kq:6", "apen-en-data", "open", ""),
    ("kq:7", "Wie beheert de digitale tweeling?", "in_progress", "digitale tweeling"),
]


def build(store: GraphStore) -> None:
    nodes = [Node(i, "knowledge_question", t, text=x, status=s) for i, t, s, x in QUESTIONS]
    nodes += [
        Node("cq:a", "complex_question", "Ethiek in het ontwerp", status="open"),
        Node("cq:b", "complex_question", "Data als bouwsteen", status="answered"),
        Node("cop:x", "cop", "Lokaal meten"),
        Node("cop:y", "cop", "Ethiek"),
        Node("theme:t", "theme", "AI in besluitvorming"),
        Node("theme:empty", "theme", "Leeg thema"),
        Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        Node("lp:part", "landing_place", "Slimme verstedelijking"),
        Node("org:alone", "organisation", "Alleen"),
        Node("value:p", "value", "privacy"),
    ]
    edges = [
        Edge("kq:1", "RAISED_IN", "cop:x"),
        Edge("kq:1", "FEEDS", "cq:a"),
        Edge("kq:2", "RAISED_IN", "cop:y"),
        Edge("kq:2", "FEEDS", "cq:a"),
        Edge("kq:3", "FEEDS", "cq:b"),
        Edge("kq:3", "CONCERNS", "value:p"),
        Edge("kq:5", "RAISED_IN", "theme:t"),
        Edge("cq:a", "LANDS_IN", "lp:dmi", {"status": "accepted"}),
        Edge("cq:b", "LANDS_IN", "lp:part"),
        Edge("kq:7", "LANDS_IN", "lp:part", {"status": "declined"}),
        Edge("lp:part", "PART_OF", "lp:dmi"),
        Edge("cop:x", "CONTINUES_AS", "theme:t"),
        Edge("cop:y", "LANDS_IN", "lp:dmi", {"status": "in_discussion"}),
    ]
    store.bulk_load(nodes, edges)


QUERIES = [
    NodeQuery(),
    NodeQuery(kinds=("knowledge_question",), sort="title"),
    NodeQuery(kinds=("knowledge_question", "complex_question"), statuses=("open", "parked")),
    NodeQuery(text="data"),
    NodeQuery(text="ETHIEK vraag", sort="title"),
    NodeQuery(text="geinteresseerd"),
    NodeQuery(text="digit twee"),
    NodeQuery(text="nergens"),
    NodeQuery(kinds=("knowledge_question",), where=Not(Link("FEEDS"))),
    NodeQuery(where=Link("RAISED_IN", ends=("cop:x", "theme:t"))),
    NodeQuery(where=Link("RAISED_IN", end_kinds=("cop",))),
    NodeQuery(where=Link("LANDS_IN", statuses=("proposed",))),
    NodeQuery(where=Not(Link("LANDS_IN", statuses=("accepted",)))),
    NodeQuery(where=Link("FEEDS", "in", then=Link("RAISED_IN"))),
    NodeQuery(
        kinds=("theme",),
        where=Not(
            AnyOf(
                (Link("RAISED_IN", "in"), Link("CONTINUES_AS", "in", then=Link("RAISED_IN", "in")))
            )
        ),
    ),
    NodeQuery(where=Isolated()),
    NodeQuery(where=Link("CONCERNS", then=Not(Isolated()))),
    NodeQuery(where=AllOf(())),
    NodeQuery(where=AnyOf(())),
    NodeQuery(where=AllOf((Link("FEEDS"), Not(Link("RAISED_IN"))))),
    NodeQuery(where=AnyOf((AllOf((OfKind(("cop",)), Link("LANDS_IN"))), Among(("kq:4", "nope"))))),
    NodeQuery(where=Link("FEEDS", "in", then=OfKind(("knowledge_question",)))),
    NodeQuery(where=Link("LANDS_IN", then=Among(("lp:part",)))),
    NodeQuery(where=Among(())),
    NodeQuery(ids=("kq:1", "cq:a", "nope")),
    NodeQuery(ids=()),
]


def ids(nodes: list[Node]) -> list[str]:
    return [n.id for n in nodes]


def test_lists_match_the_reference_in_every_order(store: GraphStore) -> None:
    build(store)
    everything = store.export_all()
    for query, sort, descending in itertools.product(QUERIES, SORTS, (False, True)):
        q = NodeQuery(**{**query.__dict__, "sort": sort, "descending": descending})
        expected = ids(select_nodes(everything, q))
        assert ids(store.find_nodes(q)) == expected, q
        assert store.count_nodes(q) == len(expected), q


def test_pages_cover_the_list_once(store: GraphStore) -> None:
    build(store)
    q = NodeQuery(sort="title")
    whole = ids(store.find_nodes(q))
    pages = [ids(store.find_nodes(q, limit=4, offset=o)) for o in range(0, len(whole), 4)]
    assert [i for page in pages for i in page] == whole
    assert store.find_nodes(q, limit=4, offset=len(whole)) == []
    assert ids(store.find_nodes(q, offset=3)) == whole[3:]


def test_titles_sort_folded_on_both_backends(store: GraphStore) -> None:
    build(store)
    found = [
        n.title for n in store.find_nodes(NodeQuery(kinds=("knowledge_question",), sort="title"))
    ]
    assert found == sorted(found, key=title_key)
    # accents and capitals do not move a title: "Één" sorts with "een"
    assert found.index("Één vraag over Ethiek") == found.index("een vraag over ethiek, kleiner") - 1
    assert title_key("Apen-en-data!") == "apen en data"


def test_unknown_names_are_refused_before_the_store_is_asked(store: GraphStore) -> None:
    for bad in (
        NodeQuery(kinds=("question",)),
        NodeQuery(sort="colour"),
        NodeQuery(where=Link("KNOWS")),
        NodeQuery(where=Link("FEEDS", direction="up")),
        NodeQuery(where=Link("LANDS_IN", statuses=("maybe",))),
        NodeQuery(where=Link("FEEDS", end_kinds=("person",))),
    ):
        with pytest.raises(ValidationError):
            store.find_nodes(bad)
        with pytest.raises(ValidationError):
            store.count_nodes(bad)


def test_user_text_in_a_query_is_data(store: GraphStore) -> None:
    build(store)
    for text in ['"; DROP TABLE nodes; --', "' OR 1=1 //", "x) MATCH (n) DETACH DELETE n //"]:
        assert store.find_nodes(NodeQuery(text=text)) == []
        assert store.find_nodes(NodeQuery(where=Link("FEEDS", ends=(text,)))) == []
    assert store.count_nodes(NodeQuery()) == 17


def test_status_counts_node_and_edge_rows(store: GraphStore) -> None:
    build(store)
    counts = store.status_counts()
    assert counts["knowledge_question"] == {"open": 3, "in_progress": 2, "answered": 1, "parked": 1}
    assert counts["complex_question"] == {"open": 1, "answered": 1}
    assert counts["landing_place"] == {"": 2}
    rows = sorted(store.node_rows(["landing_place", "cop"]))
    assert rows == [
        ("cop:x", "cop", "Lokaal meten", None),
        ("cop:y", "cop", "Ethiek", None),
        ("lp:dmi", "landing_place", "DMI-ecosysteem", None),
        ("lp:part", "landing_place", "Slimme verstedelijking", None),
    ]
    lands = sorted(store.edge_rows(["LANDS_IN"]))
    assert lands == [
        ("cop:y", "LANDS_IN", "lp:dmi", "in_discussion"),
        ("cq:a", "LANDS_IN", "lp:dmi", "accepted"),
        ("cq:b", "LANDS_IN", "lp:part", "proposed"),
        ("kq:7", "LANDS_IN", "lp:part", "declined"),
    ]
    assert len(store.edge_rows()) == 13
    assert sorted(store.node_rows()) == sorted(
        (n.id, n.kind, n.title, n.status) for n in store.nodes()
    )


def test_the_change_stamp_moves_with_every_write_and_tells_histories_apart(
    store: GraphStore,
) -> None:
    empty = store.change_stamp()
    build(store)
    loaded = store.change_stamp()
    assert loaded != empty and loaded.startswith(f"{store.last_change()}@")
    store.update_node("kq:1", {"status": "parked"})
    edited = store.change_stamp()
    assert edited != loaded and edited.startswith(f"{store.last_change()}@")
    assert store.change_stamp() == edited  # reading moves nothing
    # the same number reached again by another history is another stamp
    store.wipe()
    build(store)
    store.update_node("kq:1", {"status": "parked"})
    assert store.last_change() == int(edited.split("@")[0])
    assert store.change_stamp() != edited
