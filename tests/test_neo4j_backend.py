"""What only the Neo4j backend has to prove: Cypher injection is impossible, the
allow-list is enforced before any query, connection problems read as one clear line,
routing URIs work, and neighbourhoods take a few round trips however big the hub.

Runs against the server in ``NEO4J_URI`` (``scripts/neo4j start``); nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner
from conftest import neo4j_uri_or_skip, open_test_store

from kgraph.cli import cli
from kgraph.errors import DuplicateError, StoreError, ValidationError
from kgraph.model import Edge, Node
from kgraph.store.neo4j import Neo4jStore
from kgraph.store.neo4j import cypher as cy
from kgraph.store.neo4j import session as backend

INJECTION = "}) DETACH DELETE n //"
HOSTILE = [
    INJECTION,
    "x'}) MATCH (m) DETACH DELETE m RETURN 1 //",
    'O\'Reilly "quoted" `backtick` \\ $param {curly}',
    "line one\nline two\r\n\ttab",
    "emoji 🏙️🤖 ß ĳ ø and a NUL-free control \x07",
    "y" * 100_000,
]
# Ids are restricted by the model; these use every character an id may contain.
ODD_IDS = ["kq:a.b_c-d:e", "kq:0.--__::", "Z"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Neo4jStore]:
    s = open_test_store("neo4j", tmp_path)
    assert isinstance(s, Neo4jStore)
    try:
        yield s
    finally:
        s.wipe()
        s.close()


def raw(query: str, **params: Any) -> list[dict[str, Any]]:
    """Ask the server directly, past kgraph, to see what really is in the database."""
    with neo4j.GraphDatabase.driver(neo4j_uri_or_skip(), auth=None) as driver:
        records, _, _ = driver.execute_query(query, params)
        return [r.data() for r in records]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_every_field_is_data(store: Neo4jStore, value: str) -> None:
    store.add_node(Node("org:keep", "organisation", "Must survive"))
    node = Node(
        "kq:1",
        "knowledge_question",
        value,
        text=value,
        tags=(value[:40].strip() or "t", "ok"),
        source=value,
        props={"owner": value, "list": [value, "b"]},
    )
    store.add_node(node, actor=value)
    store.add_node(Node("cq:1", "complex_question", value))
    store.add_node(Node("lp:1", "landing_place", value))
    store.add_edge(Edge("kq:1", "FEEDS", "cq:1", {"note": value}), actor=value)
    store.add_edge(Edge("cq:1", "LANDS_IN", "lp:1", {"note": value, "decided_by": value}))
    store.update_edge("cq:1", "LANDS_IN", "lp:1", {"status": "accepted", "note": value + "!"})
    store.update_node("kq:1", {"text": value + "?", "owner": value + "!"}, actor=value)

    got = store.get_node("kq:1")
    assert got is not None
    assert (got.title, got.text, got.source) == (value, value + "?", value)
    assert got.props == {"owner": value + "!", "list": [value, "b"]}
    assert got.updated_by == value
    edge = store.get_edge("cq:1", "LANDS_IN", "lp:1")
    assert edge is not None and edge.props["note"] == value + "!"
    assert edge.props["decided_by"] == value and edge.status == "accepted"
    assert [c.actor for c in store.history(actor=value)] == [value, value, value]
    assert {n.id for n in store.search(value)} == {"kq:1", "cq:1", "lp:1"}
    # Nothing was deleted or matched by the text: every node is still there.
    assert raw("MATCH (n:Node) RETURN count(n) AS c") == [{"c": 4}]
    assert store.get_node("org:keep") is not None


@pytest.mark.parametrize("node_id", ODD_IDS)
def test_ids_with_every_allowed_character(store: Neo4jStore, node_id: str) -> None:
    store.add_node(Node(node_id, "knowledge_question", "Vraag"))
    store.add_node(Node("cop:x", "cop", "CoP"))
    store.add_edge(Edge(node_id, "RAISED_IN", "cop:x"))
    assert store.get_node(node_id) is not None
    assert [e.key for e in store.edges(node_id=node_id)] == [f"{node_id}|RAISED_IN|cop:x"]
    assert [c.op for c in store.history(target=node_id)] == ["add_node", "add_edge"]
    store.delete_node(node_id)
    assert store.get_node(node_id) is None


def test_hostile_ids_and_lookups_change_nothing(store: Neo4jStore) -> None:
    store.add_node(Node("org:keep", "organisation", "Must survive"))
    with pytest.raises(ValidationError):
        store.add_node(Node(INJECTION, "knowledge_question", "x"))
    assert store.get_node(INJECTION) is None
    assert store.history(target=INJECTION, actor=INJECTION, since=INJECTION) == []
    assert store.search(INJECTION) == []
    assert store.nodes(statuses=[INJECTION]) == []
    assert store.subgraph([INJECTION, "org:keep"]).nodes.keys() == {"org:keep"}
    assert raw("MATCH (n:Node) RETURN count(n) AS c") == [{"c": 1}]


class NoQueries:
    """Stands in for the store's session factory: any attempt to reach the server fails."""

    calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        raise AssertionError("a query was about to be sent")


BAD_KINDS = ["KNOWS", INJECTION, "RAISED_IN]->() DETACH DELETE n //", "Node", ""]


@pytest.mark.parametrize("bad", BAD_KINDS, ids=range(len(BAD_KINDS)))
def test_unknown_kinds_are_refused_before_any_query(
    store: Neo4jStore, bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.bulk_load(
        [Node("kq:1", "knowledge_question", "Een"), Node("cop:a", "cop", "CoP")],
        [Edge("kq:1", "RAISED_IN", "cop:a")],
    )
    guard = NoQueries()
    monkeypatch.setattr(store, "_session", guard)
    attempts = [
        lambda: store.add_node(Node("kq:2", bad, "x")),
        lambda: store.add_edge(Edge("kq:1", bad, "cop:a")),
        lambda: store.update_edge("kq:1", bad, "cop:a", {"note": "x"}),
        lambda: store.delete_edge("kq:1", bad, "cop:a"),
        lambda: store.edges([bad]),
        lambda: store.nodes([bad]),
        lambda: store.neighbours("kq:1", edge_kinds=[bad]),
        lambda: store.neighbourhood(["kq:1"], kinds=[bad]),
        lambda: store.neighbourhood(["kq:1"], edge_kinds=[bad]),
        lambda: store.search("een", kinds=[bad]),
        lambda: store.bulk_load([Node("kq:3", bad, "x")], []),
        lambda: store.bulk_load([], [Edge("kq:1", bad, "cop:a")]),
        lambda: cy.with_label(cy.CREATE_NODES, bad),
        lambda: cy.with_rel(cy.GET_EDGE, bad),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assert store.get_edge("kq:1", bad, "cop:a") is None
    assert guard.calls == 0
    monkeypatch.undo()
    assert store.counts().to_dict() == {
        "nodes": {"cop": 1, "knowledge_question": 1},
        "edges": {"RAISED_IN": 1},
    }


def test_labels_constraints_and_history_live_in_the_database(store: Neo4jStore) -> None:
    store.add_node(Node("kq:1", "knowledge_question", "Een"))
    store.add_node(Node("lp:1", "landing_place", "Plek"))
    store.add_node(Node("cq:1", "complex_question", "Complex"))
    store.add_edge(Edge("cq:1", "LANDS_IN", "lp:1", {"status": "in_discussion"}))
    labels = raw("MATCH (n:Node {id: 'kq:1'}) RETURN labels(n) AS l")[0]["l"]
    assert sorted(labels) == ["KnowledgeQuestion", "Node"]
    assert raw("MATCH ()-[r:LANDS_IN]->() RETURN r.status AS s") == [{"s": "in_discussion"}]
    names = {r["name"] for r in raw("SHOW CONSTRAINTS YIELD name")}
    assert {"kgraph_node_id", "kgraph_history_seq"} <= names
    stored = raw("MATCH (h:KgraphHistory) RETURN h.seq AS seq, h.op AS op ORDER BY seq")
    assert [(c.seq, c.op) for c in store.history()] == [(r["seq"], r["op"]) for r in stored]
    with pytest.raises(DuplicateError):
        store.add_node(Node("kq:1", "knowledge_question", "Twee"))


def test_wipe_leaves_other_data_alone(store: Neo4jStore) -> None:
    raw("CREATE (:SomeoneElses {name: 'keep'})")
    try:
        store.add_node(Node("kq:1", "knowledge_question", "Een"))
        store.wipe()
        assert store.is_empty()
        assert raw("MATCH (n:SomeoneElses) RETURN n.name AS name") == [{"name": "keep"}]
    finally:
        raw("MATCH (n:SomeoneElses) DELETE n")


def test_transaction_is_one_neo4j_transaction(store: Neo4jStore) -> None:
    store.add_node(Node("cop:a", "cop", "CoP"))
    with store.transaction(actor="ada"):
        store.add_node(Node("kq:1", "knowledge_question", "Een"))
        # Not visible to anyone else before the commit ...
        assert raw("MATCH (n:Node {id: 'kq:1'}) RETURN n.id AS id") == []
        # ... but the block reads its own writes.
        assert store.get_node("kq:1") is not None
        store.add_edge(Edge("kq:1", "RAISED_IN", "cop:a"))
    assert raw("MATCH (n:Node {id: 'kq:1'}) RETURN n.id AS id") == [{"id": "kq:1"}]
    assert len({c.tx for c in store.history()[-2:]}) == 1


def test_neighbourhood_of_a_hub_takes_a_few_round_trips(
    store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = Node("lp:hub", "landing_place", "DMI-ecosysteem")
    cqs = [Node(f"cq:{i:04d}", "complex_question", f"Vraag {i}") for i in range(3000)]
    store.bulk_load([hub, *cqs], [Edge(c.id, "LANDS_IN", "lp:hub") for c in cqs])
    queries: list[str] = []

    def counted(name: str) -> Any:
        original = getattr(backend._Unit, name)

        def counting(self: Any, cypher: str, /, **params: Any) -> Any:
            queries.append(cypher)
            return original(self, cypher, **params)

        return counting

    # every way a unit of work sends a statement to the server
    for name in ("run", "records", "execute"):
        monkeypatch.setattr(backend._Unit, name, counted(name))
    sub = store.neighbourhood(["cq:0000"], 2, cap=100)
    assert len(sub.nodes) == 100 and sub.truncated
    assert list(sub.nodes)[:2] == ["cq:0000", "lp:hub"]
    assert len(sub.edges) == 99
    assert 1 <= len(queries) <= 5  # focus, two levels, edges among, nodes
    queries.clear()
    hub_first = store.neighbourhood(["lp:hub"], 1, cap=300)
    assert len(hub_first.nodes) == 300 and hub_first.truncated
    assert 1 <= len(queries) <= 4


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StoreError) as caught:
        Neo4jStore("bolt://ada:s3cret@127.0.0.1:1")
    message = str(caught.value)
    assert "cannot reach Neo4j at bolt://ada@127.0.0.1:1" in message
    assert "\n" not in message and "s3cret" not in message


def test_unknown_database_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_DATABASE", "nosuchdatabase")
    with pytest.raises(StoreError) as caught:
        Neo4jStore(neo4j_uri_or_skip())
    assert "nosuchdatabase" in str(caught.value) and "\n" not in str(caught.value)


def test_cli_prints_one_line_without_traceback(tmp_path: Path) -> None:
    for location in ("bolt://127.0.0.1:1", "neo4j://ada:s3cret@127.0.0.1:1"):
        result = CliRunner().invoke(cli, ["--store", location, "stats"])
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kgraph: error: cannot reach Neo4j")
        assert "Traceback" not in result.output and "s3cret" not in result.output


def test_wrong_password_is_one_clear_error() -> None:
    """Needs a server with authentication (the local script runs without)."""
    uri = neo4j_uri_or_skip("KGRAPH_TEST_NEO4J_AUTH_URI")  # .ci/run starts one
    with pytest.raises(StoreError) as caught:
        Neo4jStore(uri.replace("://", "://neo4j:definitely-wrong@", 1))
    message = str(caught.value)
    assert "wrong user name or password" in message
    assert "\n" not in message and "definitely-wrong" not in message


def test_password_is_never_shown(store: Neo4jStore) -> None:
    uri = neo4j_uri_or_skip()
    with_password = uri.replace("://", "://ada:s3cret@", 1)
    other = Neo4jStore(with_password, actor="ada")  # this server accepts any password
    assert "s3cret" not in other.location and "ada@" in other.location
    assert "s3cret" not in repr(other.settings)


def test_routing_uri_works_against_a_single_server(store: Neo4jStore) -> None:
    uri = neo4j_uri_or_skip().replace("bolt://", "neo4j://", 1)
    routed = Neo4jStore(uri, actor="router")
    routed.add_node(Node("kq:r", "knowledge_question", "Gerouteerde vraag"))
    got = routed.get_node("kq:r")
    assert got is not None and got.updated_by == "router"
    assert [n.id for n in routed.search("gerouteerde")] == ["kq:r"]
    assert store.get_node("kq:r") == got  # the same database through Bolt directly


# --- a Cypher export run into the store's own database ------------------------------------


def test_cypher_export_run_into_the_store_database_leaves_the_store_intact(
    store: Neo4jStore,
) -> None:
    """User props named like the backend's own fields (``props``, ``search``, ``degree``,
    ``search_title``) reach the database as native properties only in an export; running
    that export into the store's database must not change what the store reads."""
    from kgraph.export import cypher as export_cypher

    clashing = {"props": "niet-json", "search": "zzz", "degree": 10_000, "search_title": "zzz"}
    store.add_node(Node("cop:ethiek", "cop", "Ethiek", props=clashing))
    store.add_node(Node("lp:dmi", "landing_place", "DMI-ecosysteem", props={"degree": -5}))
    store.add_node(Node("org:tud", "organisation", "TU Delft"))
    store.add_edge(Edge("cop:ethiek", "LANDS_IN", "lp:dmi", {"status": "accepted"}))
    store.add_edge(Edge("lp:dmi", "INVOLVES", "org:tud", {"role": "lead"}))
    before = {
        "nodes": [n.to_dict() for n in store.nodes()],
        "edges": [e.to_dict() for e in store.edges()],
        "counts": store.counts().to_dict(),
        "history": len(store.history()),
        "search": [n.id for n in store.search("ethiek")],
        "around": sorted(store.neighbourhood(["lp:dmi"], depth=1).nodes),
    }
    script = export_cypher.script(store.export_all())
    with (
        neo4j.GraphDatabase.driver(neo4j_uri_or_skip(), auth=None) as driver,
        driver.session() as session,
    ):
        for line in script.splitlines():
            if line and not line.startswith("//"):
                session.run(line).consume()  # type: ignore[arg-type]
    # the store reads exactly as before
    after = {
        "nodes": [n.to_dict() for n in store.nodes()],
        "edges": [e.to_dict() for e in store.edges()],
        "counts": store.counts().to_dict(),
        "history": len(store.history()),
        "search": [n.id for n in store.search("ethiek")],
        "around": sorted(store.neighbourhood(["lp:dmi"], depth=1).nodes),
    }
    assert after == before
    assert store.get_node("cop:ethiek") is not None
    assert store.get_node("cop:ethiek").props == clashing  # type: ignore[union-attr]
    assert raw("MATCH (n:Node {id: 'lp:dmi'}) RETURN n.degree AS d") == [{"d": 2}]
    # the export is there, as its own copy
    exported = raw("MATCH (n:KgraphItem) RETURN n.id AS id, n.degree AS degree ORDER BY id")
    assert [r["id"] for r in exported] == ["cop:ethiek", "lp:dmi", "org:tud"]
    assert exported[0]["degree"] == 10_000
    # the store still writes and deletes normally beside the copy
    store.delete_node("lp:dmi")
    assert store.counts().edges == {}
    assert [r["id"] for r in raw("MATCH (n:KgraphItem) RETURN n.id AS id ORDER BY id")] == [
        "cop:ethiek",
        "lp:dmi",
        "org:tud",
    ]
    raw("MATCH (n:KgraphItem) DETACH DELETE n")
