"""kgraph.query on both backends: question filters and sorting, search, the narrowing of a
neighbourhood (status filters, areas, what always stays), and the review-table reads."""

from __future__ import annotations

import pytest

from kgraph import query
from kgraph.analysis import accept_similar, dismiss_similar
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    """Two CoP's, a theme, two landing places, a complex question and three knowledge
    questions with statuses, tags, an owner and handover links of two statuses."""
    store.bulk_load(
        [
            Node("cop:meten", "cop", "Lokaal meten"),
            Node("cop:ethiek", "cop", "Ethiek"),
            Node("theme:ai", "theme", "Ai in besluitvorming"),
            Node("lp:dmi-ecosysteem", "landing_place", "DMI-ecosysteem"),
            Node("lp:compass", "landing_place", "AI Compass"),
            Node("cq:waarden", "complex_question", "Welke waarden wegen mee?", status="open"),
            Node("kq:sensor", "knowledge_question", "Hoe ijk je een sensor?", status="open"),
            Node(
                "kq:model",
                "knowledge_question",
                "Hoe valideer je een model?",
                text="Met échte metingen",
                status="parked",
                tags=("Validatie",),
                props={"owner": "Ada"},
            ),
            Node("kq:data", "knowledge_question", "Wie deelt de data?", status="answered"),
        ],
        [
            Edge("kq:sensor", "RAISED_IN", "cop:meten"),
            Edge("kq:model", "RAISED_IN", "cop:meten"),
            Edge("kq:model", "RAISED_IN", "theme:ai"),
            Edge("kq:data", "RAISED_IN", "cop:ethiek"),
            Edge("kq:model", "FEEDS", "cq:waarden"),
            Edge("cq:waarden", "LANDS_IN", "lp:compass", {"status": "accepted"}),
            Edge("cop:meten", "LANDS_IN", "lp:dmi-ecosysteem", {"status": "proposed"}),
            Edge("cop:ethiek", "LANDS_IN", "lp:dmi-ecosysteem", {"status": "declined"}),
        ],
    )
    return store


def _ids(nodes: list[Node]) -> list[str]:
    return [n.id for n in nodes]


# --- questions ----------------------------------------------------------------------------


def test_raised_in_keeps_only_raised_in_edges(graph: GraphStore) -> None:
    raised = query.raised_in(graph.edges())
    assert {k: sorted(v) for k, v in raised.items()} == {
        "kq:sensor": ["cop:meten"],
        "kq:model": ["cop:meten", "theme:ai"],
        "kq:data": ["cop:ethiek"],
    }


def test_filter_questions_by_text_kind_status_and_area(graph: GraphStore) -> None:
    questions = graph.nodes(["knowledge_question", "complex_question"])
    raised = query.raised_in(graph.edges(["RAISED_IN"]))

    def ids(**filters: object) -> list[str]:
        return sorted(_ids(query.filter_questions(questions, raised=raised, **filters)))  # type: ignore[arg-type]

    assert ids() == ["cq:waarden", "kq:data", "kq:model", "kq:sensor"]
    assert ids(kinds=["complex_question"]) == ["cq:waarden"]
    assert ids(statuses=["open"]) == ["cq:waarden", "kq:sensor"]
    assert ids(areas=["cop:meten"]) == ["kq:model", "kq:sensor"]
    assert ids(areas=["theme:ai", "cop:ethiek"]) == ["kq:data", "kq:model"]
    # every word, in title, text, tags or owner, without case or accents
    assert ids(text="ECHTE metingen") == ["kq:model"]
    assert ids(text="validatie") == ["kq:model"]
    assert ids(text="ada hoe") == ["kq:model"]
    assert ids(text="hoe data") == []
    assert ids(text="hoe", statuses=["open"], areas=["cop:meten"]) == ["kq:sensor"]


def test_sort_questions(graph: GraphStore) -> None:
    questions = graph.nodes(["knowledge_question", "complex_question"])
    assert _ids(query.sort_questions(questions, "title")) == [
        "kq:sensor",
        "kq:model",
        "cq:waarden",
        "kq:data",
    ]
    by_status = _ids(query.sort_questions(questions, "status", descending=True))
    assert by_status[:2] == ["kq:model", "kq:data"]  # parked, answered, then the open ones
    assert set(by_status[2:]) == {"kq:sensor", "cq:waarden"}
    assert _ids(query.sort_questions(questions, "kind"))[0] == "cq:waarden"
    with pytest.raises(ValueError, match="unknown sort"):
        query.sort_questions(questions, "colour")


def test_link_count_search_titles_and_reading_order(graph: GraphStore) -> None:
    assert query.link_count(graph, "kq:model") == 3
    assert query.search(graph, "   ") == []
    assert _ids(query.search(graph, "sensor")) == ["kq:sensor"]
    assert query.titles(graph, ["cop:meten", "gone"]) == {
        "cop:meten": "Lokaal meten",
        "gone": "gone",
    }
    order = query.reading_order(graph.nodes(["cop", "theme"]))
    assert _ids(order) == ["cop:ethiek", "cop:meten", "theme:ai"]


# --- neighbourhoods -----------------------------------------------------------------------


def test_default_focus_prefers_the_dmi_ecosysteem(graph: GraphStore) -> None:
    assert query.default_focus(graph) == ["lp:dmi-ecosysteem"]
    graph.delete_node("lp:dmi-ecosysteem")
    assert query.default_focus(graph) == ["lp:compass"]


def test_default_focus_without_landing_places(store: GraphStore) -> None:
    assert query.default_focus(store) == []
    store.add_node(Node("cop:x", "cop", "X"))
    assert query.default_focus(store) == ["cop:x"]


def test_narrow_filters_statuses_and_keeps_the_focus(graph: GraphStore) -> None:
    base = graph.neighbourhood(["lp:dmi-ecosysteem"], 3)
    assert {"kq:sensor", "kq:model", "kq:data"} <= set(base.nodes)
    same = query.narrow(graph, base)
    assert set(same.nodes) == set(base.nodes) and len(same.edges) == len(base.edges)

    only_open = query.narrow(graph, base, question_statuses=["open"])
    assert "kq:sensor" in only_open.nodes
    assert not {"kq:model", "kq:data"} & set(only_open.nodes)
    assert {"lp:dmi-ecosysteem", "cop:meten"} <= set(only_open.nodes)  # not questions
    assert all(e.src in only_open.nodes and e.dst in only_open.nodes for e in only_open.edges)

    # a question on the path stays even when its status is filtered out
    kept = query.narrow(graph, base, keep_always=["kq:model"], question_statuses=["open"])
    assert "kq:model" in kept.nodes

    both = graph.neighbourhood(["lp:dmi-ecosysteem", "lp:compass"], 3)
    accepted = query.narrow(graph, both, handover_statuses=["accepted"])
    landings = {(e.src, e.dst) for e in accepted.edges if e.kind == "LANDS_IN"}
    assert landings == {("cq:waarden", "lp:compass")}
    assert "cop:ethiek" in accepted.nodes  # the edge goes, the CoP stays
    proposed = query.narrow(graph, both, handover_statuses=["proposed"])
    landings = {(e.src, e.dst) for e in proposed.edges if e.kind == "LANDS_IN"}
    assert landings == {("cop:meten", "lp:dmi-ecosysteem")}
    assert (accepted.truncated, accepted.focus, accepted.cap) == (
        both.truncated,
        both.focus,
        both.cap,
    )


def test_narrow_to_an_area_keeps_what_is_linked_to_it(graph: GraphStore) -> None:
    base = graph.neighbourhood(["kq:sensor"], 1)
    assert "theme:ai" not in base.nodes
    # the area is fetched when the neighbourhood lacks it, and only its direct links stay
    near = query.narrow(graph, base, keep_always=["kq:sensor"], areas=["theme:ai"])
    assert set(near.nodes) == {"theme:ai", "kq:sensor"}
    meten = query.narrow(graph, graph.neighbourhood(["lp:dmi-ecosysteem"], 3), areas=["cop:meten"])
    assert set(meten.nodes) == {"cop:meten", "kq:sensor", "kq:model", "lp:dmi-ecosysteem"}


# --- review tables ------------------------------------------------------------------------


def test_similar_review_lists_accepted_links_and_dismissed_pairs(graph: GraphStore) -> None:
    graph.add_edge(Edge("kq:data", "RELATES_TO", "kq:sensor", {"origin": "person"}))
    accept_similar(graph, "kq:model", "kq:sensor", actor="Ada", score=0.5)
    dismiss_similar(graph, "kq:data", "kq:model", actor="Bob")
    review = query.similar_review(graph.nodes(["knowledge_question"]), graph.edges(["RELATES_TO"]))
    assert [(e.src, e.dst) for e in review.linked] in (
        [("kq:model", "kq:sensor")],
        [("kq:sensor", "kq:model")],
    )
    assert review.dismissed == [("kq:data", "kq:model")]


def test_top_ranked_filters_kinds_and_renumbers() -> None:
    rows = [
        {"id": "a", "kind": "cop"},
        {"id": "b", "kind": "theme"},
        {"id": "c", "kind": "cop"},
        {"id": "d", "kind": "cop"},
    ]
    assert query.top_ranked(rows, ["cop"], 2) == [
        {"id": "a", "kind": "cop", "rank": 1},
        {"id": "c", "kind": "cop", "rank": 2},
    ]
    assert [r["rank"] for r in query.top_ranked(rows)] == [1, 2, 3, 4]
    assert "rank" not in rows[0]  # the input is left alone
