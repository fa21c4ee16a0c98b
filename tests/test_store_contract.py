"""The storage contract, run against every backend through the ``store`` fixture."""

from __future__ import annotations

import pytest

from kgraph.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


def q(node_id: str, title: str, **kw: object) -> Node:
    return Node(id=node_id, kind="knowledge_question", title=title, **kw)  # type: ignore[arg-type]


def small_graph(store: GraphStore) -> None:
    """cop:a <- kq:1, kq:2 ; kq:1 -> cq:x -> lp:dmi ; lp:th PART_OF lp:dmi."""
    store.bulk_load(
        [
            Node("cop:a", "cop", "CoP Lokaal meten"),
            q("kq:1", "Hoe valideer je een model?", text="Over gevalideerde modellen"),
            q("kq:2", "Hoe organiseer je lokaal meten?", tags=("meten", "proces")),
            Node("cq:x", "complex_question", "Hoe creëren we vertrouwen in de data?"),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
            Node("lp:th", "landing_place", "Slimme verstedelijking"),
        ],
        [
            Edge("kq:1", "RAISED_IN", "cop:a"),
            Edge("kq:2", "RAISED_IN", "cop:a"),
            Edge("kq:1", "FEEDS", "cq:x"),
            Edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
            Edge("lp:th", "PART_OF", "lp:dmi"),
        ],
    )


# --- nodes ------------------------------------------------------------------------------


def test_add_and_get_node(store: GraphStore) -> None:
    stored = store.add_node(q("kq:1", "Hoe valideer je een model?", tags=("ai",)))
    got = store.get_node("kq:1")
    assert got == stored
    assert got is not None
    assert got.status == "open"  # questions start open
    assert got.tags == ("ai",)
    assert got.version == 1
    assert got.created_at and got.updated_at and got.updated_by == "tester"
    assert store.get_node("missing") is None


def test_duplicate_node_refused(store: GraphStore) -> None:
    store.add_node(q("kq:1", "A"))
    with pytest.raises(DuplicateError):
        store.add_node(q("kq:1", "B"))
    node = store.get_node("kq:1")
    assert node is not None and node.title == "A"


@pytest.mark.parametrize(
    "node",
    [
        Node("bad id", "knowledge_question", "x"),
        Node("kq:1", "question", "x"),
        Node("kq:1", "knowledge_question", "   "),
        Node("kq:1", "knowledge_question", "x", status="done"),
        Node("kq:1", "knowledge_question", "x", props={"version": 3}),
        Node("kq:1", "knowledge_question", "x", props={"bad key": 1}),
    ],
)
def test_invalid_nodes_refused(store: GraphStore, node: Node) -> None:
    with pytest.raises(ValidationError):
        store.add_node(node)
    assert store.counts().nodes == {}
    assert store.history() == []


def test_update_node_records_before_and_after(store: GraphStore) -> None:
    store.add_node(q("kq:1", "Oud"))
    new = store.update_node(
        "kq:1", {"title": "Nieuw", "status": "answered", "owner": "Ada"}, actor="ada"
    )
    assert new.title == "Nieuw" and new.status == "answered" and new.props["owner"] == "Ada"
    assert new.version == 2 and new.updated_by == "ada"
    last = store.history()[-1]
    assert last.op == "update_node" and last.actor == "ada" and last.target == "kq:1"
    assert last.before is not None and last.before["title"] == "Oud"
    assert last.after is not None and last.after["status"] == "answered"
    removed = store.update_node("kq:1", {"owner": None})
    assert "owner" not in removed.props


def test_update_with_stale_version_is_refused(store: GraphStore) -> None:
    store.add_node(q("kq:1", "Oud"))
    store.update_node("kq:1", {"title": "Door Bea"}, actor="bea", expected_version=1)
    with pytest.raises(ConflictError, match="changed by bea"):
        store.update_node("kq:1", {"title": "Door Cas"}, actor="cas", expected_version=1)
    node = store.get_node("kq:1")
    assert node is not None and node.title == "Door Bea"


def test_update_missing_or_invalid(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.update_node("nope", {"title": "x"})
    store.add_node(q("kq:1", "x"))
    with pytest.raises(ValidationError):
        store.update_node("kq:1", {"status": "closed"})
    with pytest.raises(ValidationError):
        store.update_node("kq:1", {"kind": "cop"})


def test_delete_node_removes_its_edges(store: GraphStore) -> None:
    small_graph(store)
    store.delete_node("kq:1")
    assert store.get_node("kq:1") is None
    assert store.get_edge("kq:1", "RAISED_IN", "cop:a") is None
    assert store.counts().edges == {"RAISED_IN": 1, "LANDS_IN": 1, "PART_OF": 1}
    ops = [c.op for c in store.history(target="kq:1")]
    assert ops[-3:] == ["delete_edge", "delete_edge", "delete_node"]
    with pytest.raises(NotFoundError):
        store.delete_node("kq:1")


# --- edges ------------------------------------------------------------------------------


def test_edges_follow_the_rules(store: GraphStore) -> None:
    small_graph(store)
    with pytest.raises(ValidationError, match="cannot join"):
        store.add_edge(Edge("cop:a", "FEEDS", "cq:x"))
    with pytest.raises(NotFoundError):
        store.add_edge(Edge("kq:9", "RAISED_IN", "cop:a"))
    with pytest.raises(ValidationError):
        store.add_edge(Edge("kq:1", "KNOWS", "kq:2"))
    with pytest.raises(DuplicateError):
        store.add_edge(Edge("kq:1", "RAISED_IN", "cop:a"))
    with pytest.raises(ValidationError):
        store.add_edge(Edge("cq:x", "LANDS_IN", "lp:th", {"status": "maybe"}))


def test_lands_in_defaults_to_proposed_and_updates(store: GraphStore) -> None:
    small_graph(store)
    edge = store.add_edge(Edge("cop:a", "LANDS_IN", "lp:th"))
    assert edge.status == "proposed"
    new = store.update_edge(
        "cop:a",
        "LANDS_IN",
        "lp:th",
        {
            "status": "accepted",
            "decided_on": "2024-03-01",
            "decided_by": "stuurgroep",
            "note": "ok",
        },
        actor="voorzitter",
    )
    assert new.status == "accepted" and new.props["decided_by"] == "stuurgroep"
    got = store.get_edge("cop:a", "LANDS_IN", "lp:th")
    assert got is not None and got.props["note"] == "ok"
    last = store.history()[-1]
    assert (last.op, last.actor) == ("update_edge", "voorzitter")
    assert last.before is not None and last.before["status"] == "proposed"
    store.delete_edge("cop:a", "LANDS_IN", "lp:th")
    assert store.get_edge("cop:a", "LANDS_IN", "lp:th") is None
    with pytest.raises(NotFoundError):
        store.delete_edge("cop:a", "LANDS_IN", "lp:th")


def test_listing_and_counts(store: GraphStore) -> None:
    small_graph(store)
    assert [n.id for n in store.nodes(["knowledge_question"])] == ["kq:1", "kq:2"]
    store.update_node("kq:2", {"status": "parked"})
    assert [n.id for n in store.nodes(["knowledge_question"], ["parked"])] == ["kq:2"]
    assert len(store.nodes(limit=2)) == 2
    counts = store.counts()
    assert counts.nodes == {
        "complex_question": 1,
        "cop": 1,
        "knowledge_question": 2,
        "landing_place": 2,
    }
    assert counts.edges == {"FEEDS": 1, "LANDS_IN": 1, "PART_OF": 1, "RAISED_IN": 2}
    assert {e.key for e in store.edges(["RAISED_IN"])} == {
        "kq:1|RAISED_IN|cop:a",
        "kq:2|RAISED_IN|cop:a",
    }
    assert len(store.edges(node_id="kq:1")) == 2


def test_neighbours(store: GraphStore) -> None:
    small_graph(store)
    around = {(e.kind, n.id) for e, n in store.neighbours("kq:1")}
    assert around == {("RAISED_IN", "cop:a"), ("FEEDS", "cq:x")}
    incoming = {n.id for _, n in store.neighbours("cop:a", direction="in")}
    assert incoming == {"kq:1", "kq:2"}
    assert store.neighbours("cop:a", direction="out") == []
    only = store.neighbours("kq:1", edge_kinds=["FEEDS"])
    assert [n.id for _, n in only] == ["cq:x"]


# --- neighbourhoods, paths, search -----------------------------------------------------


def test_neighbourhood_depth_and_filters(store: GraphStore) -> None:
    small_graph(store)
    one = store.neighbourhood(["kq:1"], 1)
    assert set(one.nodes) == {"kq:1", "cop:a", "cq:x"}
    assert not one.truncated
    assert {e.key for e in one.edges} == {"kq:1|RAISED_IN|cop:a", "kq:1|FEEDS|cq:x"}
    two = store.neighbourhood(["kq:1"], 2)
    assert set(two.nodes) == {"kq:1", "cop:a", "cq:x", "kq:2", "lp:dmi"}
    filtered = store.neighbourhood(["kq:1"], 3, kinds=["knowledge_question", "cop"])
    assert set(filtered.nodes) == {"kq:1", "cop:a", "kq:2"}
    assert store.neighbourhood(["kq:1"], 0).nodes.keys() == {"kq:1"}
    with pytest.raises(NotFoundError):
        store.neighbourhood(["nope"], 1)


def _hub_graph(store: GraphStore) -> list[str]:
    """cop:a with a few neighbours and one hub (lp:dmi, 30 organisations); the hub's own
    leaves, returned, are what a cut at the hub picks from."""
    leaves = [f"org:o{i:02d}" for i in range(30)]
    nodes = [
        Node("cop:a", "cop", "CoP"),
        Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        Node("theme:t", "theme", "Thema"),
        Node("cq:x", "complex_question", "Complexe vraag"),
        *(q(f"kq:{i}", f"Vraag {i}") for i in (1, 2, 3)),
        *(Node(o, "organisation", o) for o in leaves),
    ]
    edges = [Edge("lp:dmi", "INVOLVES", o) for o in leaves]
    edges += [Edge("cop:a", "INVOLVES", o) for o in ("org:o01", "org:o02")]
    edges += [
        Edge("cop:a", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
        Edge("cop:a", "CONTINUES_AS", "theme:t"),
        Edge("theme:t", "INVOLVES", "org:o03"),
        *(Edge(f"kq:{i}", "RAISED_IN", "cop:a") for i in (1, 2, 3)),
        Edge("kq:1", "FEEDS", "cq:x"),
        Edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
    ]
    store.bulk_load(nodes, edges)
    return leaves


def _reference_selection(
    store: GraphStore, focus: str, depth: int, cap: int, kinds: list[str] | None = None
) -> tuple[set[str], bool]:
    """The selection the shared search makes over the public contract alone (every
    neighbour list read in full through ``neighbours``)."""
    from kgraph.store.neighbourhood import capped_bfs, level_by_node

    def degree(node_id: str) -> int:
        return len(store.edges(node_id=node_id))

    def expand(node_id: str, seen: object, n: int) -> list[tuple[str, int]]:
        found: dict[str, int] = {}
        for _edge, other in store.neighbours(node_id):
            if other.id in seen or other.id in found:  # type: ignore[operator]
                continue
            if kinds and other.kind not in kinds:
                continue
            found[other.id] = degree(other.id)
            if len(found) >= n:
                break
        return list(found.items())

    ids, truncated = capped_bfs([focus], depth, cap, {focus: degree(focus)}, level_by_node(expand))
    return set(ids), truncated


def test_neighbourhood_follows_the_shared_search(store: GraphStore) -> None:
    """Each backend reads adjacency its own way (Neo4j a whole level per round trip);
    what is selected is the shared search's: focus first, low degree before hubs, cut at
    the cap (only which of a hub's leaves fill the last places is the backend's choice)."""
    leaves = set(_hub_graph(store))
    for depth, kinds in ((1, None), (2, None), (2, ["cop", "organisation", "theme"])):
        sub = store.neighbourhood(["cop:a"], depth=depth, kinds=kinds)
        ref, truncated = _reference_selection(store, "cop:a", depth, 300, kinds)
        assert set(sub.nodes) == ref and sub.truncated is truncated is False
        members = set(sub.nodes)
        assert [e.key for e in sub.edges] == [
            e.key for e in store.edges() if e.src in members and e.dst in members
        ]
    # depth 1 selects 8 nodes; 5 more fit: the hub goes last, so cq:x (via kq:1) and
    # org:o03 (via theme:t) come before 3 of the hub's leaves
    sub = store.neighbourhood(["cop:a"], depth=2, cap=13)
    ref, truncated = _reference_selection(store, "cop:a", 2, 13)
    assert sub.truncated and truncated and len(sub.nodes) == len(ref) == 13
    assert {"cq:x", "org:o03"} <= set(sub.nodes)
    assert set(sub.nodes) - leaves == ref - leaves
    assert len(set(sub.nodes) & leaves) == len(ref & leaves)
    assert list(sub.nodes)[0] == "cop:a"


def test_neighbourhood_is_capped_and_says_so(store: GraphStore) -> None:
    hub = Node("lp:hub", "landing_place", "DMI-ecosysteem")
    cqs = [Node(f"cq:{i:03d}", "complex_question", f"Vraag {i}") for i in range(120)]
    edges = [Edge(c.id, "LANDS_IN", "lp:hub") for c in cqs]
    store.bulk_load([hub, *cqs], edges)
    sub = store.neighbourhood(["cq:000"], 2, cap=50)
    assert len(sub.nodes) == 50
    assert sub.truncated
    assert "cq:000" in sub.nodes and "lp:hub" in sub.nodes  # focus and its own neighbour first
    assert all(e.src in sub.nodes and e.dst in sub.nodes for e in sub.edges)
    full = store.neighbourhood(["cq:000"], 2, cap=500)
    assert len(full.nodes) == 121 and not full.truncated


def test_shortest_path(store: GraphStore) -> None:
    small_graph(store)
    assert store.shortest_path("kq:2", "lp:th") == [
        "kq:2",
        "cop:a",
        "kq:1",
        "cq:x",
        "lp:dmi",
        "lp:th",
    ]
    assert store.shortest_path("kq:1", "kq:1") == ["kq:1"]
    assert store.shortest_path("kq:2", "lp:th", max_depth=2) is None
    store.add_node(Node("org:x", "organisation", "Eenzaam"))
    assert store.shortest_path("kq:1", "org:x") is None


def test_search_ignores_case_and_accents(store: GraphStore) -> None:
    small_graph(store)
    assert [n.id for n in store.search("CREEREN vertrouwen")] == ["cq:x"]
    assert [n.id for n in store.search("creëren")] == ["cq:x"]
    assert {n.id for n in store.search("valid")} == {"kq:1"}
    assert [n.id for n in store.search("proces")] == ["kq:2"]  # tag
    assert store.search("lokaal", kinds=["cop"])[0].id == "cop:a"
    assert store.search("   ") == []
    assert store.search('" OR 1=1 --') == []


# --- transactions and history ----------------------------------------------------------


def test_transaction_is_all_or_nothing(store: GraphStore) -> None:
    small_graph(store)
    before = store.counts()
    history_len = len(store.history())
    with pytest.raises(NotFoundError), store.transaction(actor="ada"):
        store.add_node(q("kq:3", "Nieuwe vraag"))
        store.update_node("kq:1", {"status": "answered"})
        store.add_edge(Edge("kq:3", "RAISED_IN", "cop:missing"))
    assert store.counts() == before
    assert store.get_node("kq:3") is None
    node = store.get_node("kq:1")
    assert node is not None and node.status == "open"
    assert len(store.history()) == history_len


def test_transaction_commits_together_with_one_tx_id(store: GraphStore) -> None:
    small_graph(store)
    with store.transaction(actor="ada"):
        store.add_node(q("kq:3", "Nieuwe vraag"))
        store.add_edge(Edge("kq:3", "RAISED_IN", "cop:a"))
    last_two = store.history()[-2:]
    assert [c.op for c in last_two] == ["add_node", "add_edge"]
    assert {c.actor for c in last_two} == {"ada"}
    assert last_two[0].tx == last_two[1].tx


def test_history_filters(store: GraphStore) -> None:
    store.add_node(q("kq:1", "Een"), actor="ada")
    middle = store.history()[-1].at
    store.add_node(q("kq:2", "Twee"), actor="bea")
    store.add_node(Node("cop:a", "cop", "CoP"), actor="bea")
    store.add_edge(Edge("kq:2", "RAISED_IN", "cop:a"), actor="cas")
    assert [c.target for c in store.history(actor="bea")] == ["kq:2", "cop:a"]
    since = store.history(since=middle)
    assert since[0].target == "kq:1" and len(since) == 4
    assert [c.target for c in store.history(until=middle)] == []
    assert [c.op for c in store.history(target="kq:2")] == ["add_node", "add_edge"]
    assert len(store.history(limit=2)) == 2


def test_bulk_load_is_idempotent(store: GraphStore) -> None:
    small_graph(store)
    counts = store.counts()
    history_len = len(store.history())
    small_graph(store)
    assert store.counts() == counts
    assert len(store.history()) == history_len


def test_bulk_load_with_a_bad_edge_writes_nothing(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.bulk_load(
            [q("kq:1", "Een"), Node("cop:a", "cop", "CoP")],
            [Edge("kq:1", "RAISED_IN", "cop:a"), Edge("kq:1", "RAISED_IN", "cop:none")],
        )
    assert store.counts().nodes == {}
    assert store.history() == []


def test_subgraph_and_export_all(store: GraphStore) -> None:
    small_graph(store)
    sub = store.subgraph(["kq:1", "cop:a", "missing"])
    assert set(sub.nodes) == {"kq:1", "cop:a"}
    assert [e.key for e in sub.edges] == ["kq:1|RAISED_IN|cop:a"]
    everything = store.export_all()
    assert len(everything.nodes) == 6 and len(everything.edges) == 5
    graph = everything.to_networkx()
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 5


HOSTILE = [
    'O\'Reilly "quoted"',
    "`backtick` ${x}",
    "}) DETACH DELETE n //",
    "line one\nline two\r\nline three",
    "emoji 🏙️🤖 and ß, ĳ, ø",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "x" * 100_000,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_are_stored_verbatim(store: GraphStore, value: str) -> None:
    store.add_node(q("kq:1", value, text=value, tags=(value[:50],), props={"owner": value}))
    store.add_node(Node("lp:a", "landing_place", "Plek"))
    store.add_node(Node("cq:a", "complex_question", "Vraag"))
    store.add_edge(Edge("cq:a", "LANDS_IN", "lp:a", {"note": value}))
    node = store.get_node("kq:1")
    assert node is not None
    assert node.title == value and node.text == value and node.props["owner"] == value
    expected_tags = (value[:50].strip(),) if value[:50].strip() else ()
    assert node.tags == expected_tags
    edge = store.get_edge("cq:a", "LANDS_IN", "lp:a")
    assert edge is not None and edge.props["note"] == value
    assert store.counts().nodes["knowledge_question"] == 1


def test_last_change_moves_with_every_committed_write(store: GraphStore) -> None:
    assert store.last_change() == 0
    store.add_node(q("kq:1", "Een"))
    first = store.last_change()
    assert first > 0
    store.get_node("kq:1")
    store.search("een")
    assert store.last_change() == first  # reads leave it alone
    store.update_node("kq:1", {"status": "parked"})
    assert store.last_change() > first
    before = store.last_change()
    with pytest.raises(NotFoundError), store.transaction():
        store.update_node("kq:1", {"status": "open"})
        store.add_edge(Edge("kq:1", "RAISED_IN", "cop:none"))
    assert store.last_change() == before  # a rolled-back transaction leaves no trace
    assert store.last_change() == store.history()[-1].seq
