"""Changes since a date, built from the history, on a small scripted sequence of edits."""

from __future__ import annotations

import time

import pytest

from kgraph.analysis import changes_since
from kgraph.errors import ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore, now_iso
from kgraph.texts import render


def moment() -> str:
    """A moment strictly between the writes before and after it."""
    time.sleep(0.002)
    at = now_iso()
    time.sleep(0.002)
    return at


def scripted(store: GraphStore) -> tuple[str, str]:
    """A loaded graph, then a period of edits; returns (start, a moment before Bob's move)."""
    store.bulk_load(
        [
            Node("kq:1", "knowledge_question", "Oude titel?"),
            Node("kq:2", "knowledge_question", "Weg?"),
            Node("cop:a", "cop", "CoP A"),
            Node("cq:x", "complex_question", "X?"),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        ],
        [
            Edge("kq:2", "RAISED_IN", "cop:a"),
            Edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
        ],
        actor="seed",
    )
    start = moment()
    store.add_node(Node("kq:3", "knowledge_question", "Nieuw?"), actor="Ada")
    store.add_edge(Edge("kq:3", "RAISED_IN", "cop:a"), actor="Ada")
    store.update_node("kq:1", {"title": "Tussentitel?"}, actor="Ada")
    store.update_node("kq:1", {"title": "Nieuwe titel?", "owner": "Ada"}, actor="Bob")
    store.delete_node("kq:2", actor="Ada")  # its RAISED_IN edge goes with it
    store.add_node(Node("kq:tmp", "knowledge_question", "Even?"), actor="Ada")
    store.delete_node("kq:tmp", actor="Ada")  # came and went: not reported
    store.update_node("cop:a", {"title": "CoP A"}, actor="Ada")  # no real change: no entry
    store.update_edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "in_discussion"}, actor="Ada")
    middle = moment()
    store.update_edge(
        "cq:x",
        "LANDS_IN",
        "lp:dmi",
        {"status": "accepted", "decided_by": "Stuurgroep", "decided_on": "2024-03-01"},
        actor="Bob",
    )
    return start, middle


def test_net_effect_per_node_and_edge(store: GraphStore) -> None:
    start, _ = scripted(store)
    report = changes_since(store, start)
    assert [r["id"] for r in report.nodes["added"]["knowledge_question"]] == ["kq:3"]
    assert [r["id"] for r in report.nodes["removed"]["knowledge_question"]] == ["kq:2"]
    changed = report.nodes["changed"]["knowledge_question"]
    assert [r["id"] for r in changed] == ["kq:1"]
    assert changed[0]["by"] == ["Ada", "Bob"]
    assert changed[0]["fields"] == [
        {"field": "owner", "before": None, "after": "Ada"},
        {"field": "title", "before": "Oude titel?", "after": "Nieuwe titel?"},
    ]
    assert "cop" not in report.nodes["changed"]  # a save without a difference
    added = report.edges["added"]["RAISED_IN"]
    assert [(r["src"], r["dst_title"]) for r in added] == [("kq:3", "CoP A")]
    removed = report.edges["removed"]["RAISED_IN"]
    assert [(r["src"], r["src_title"]) for r in removed] == [("kq:2", "Weg?")]
    lands = report.edges["changed"]["LANDS_IN"][0]
    assert {"field": "status", "before": "proposed", "after": "accepted"} in lands["fields"]


def test_handover_moves_in_order_with_who_and_when(store: GraphStore) -> None:
    start, _ = scripted(store)
    moves = changes_since(store, start).handover
    assert [(m["from"], m["to"], m["by"]) for m in moves] == [
        ("proposed", "in_discussion", "Ada"),
        ("in_discussion", "accepted", "Bob"),
    ]
    last = moves[-1]
    assert last["src_title"] == "X?" and last["dst_title"] == "DMI-ecosysteem"
    assert last["decided_by"] == "Stuurgroep" and last["decided_on"] == "2024-03-01"
    assert last["at"] >= start


def test_summary_and_headline(store: GraphStore) -> None:
    start, _ = scripted(store)
    report = changes_since(store, start)
    s = report.summary
    assert (s["nodes_added"], s["nodes_removed"], s["nodes_changed"]) == (1, 1, 1)
    assert (s["edges_added"], s["edges_removed"], s["edges_changed"]) == (1, 1, 1)
    assert s["handover_moves"] == 2
    assert s["by"] == {"Ada": 8, "Bob": 2}
    # a catalogue message with typed parameters, rendered in either language
    assert report.headline["key"] == "changes_headline"
    assert report.headline["params"]["handover_moves"] == 2
    assert report.headline["params"]["people"] == 2
    assert render(report.headline, "nl").startswith("1 items toegevoegd, 1 gewijzigd, 1 verwijderd")
    assert "2 handover statuses moved" in render(report.headline, "en")
    assert report.to_dict()["since"] == start


def test_until_cuts_the_period(store: GraphStore) -> None:
    start, middle = scripted(store)
    report = changes_since(store, start, until=middle)
    assert [m["to"] for m in report.handover] == ["in_discussion"]
    assert report.summary["by"] == {"Ada": 8, "Bob": 1}
    later = changes_since(store, middle)
    assert later.summary["changes"] == 1 and later.nodes == {
        "added": {},
        "removed": {},
        "changed": {},
    }


def test_dates_as_people_type_them(store: GraphStore) -> None:
    scripted(store)
    everything = changes_since(store, "2000-01-01")
    assert everything.since == "2000-01-01T00:00:00.000000+00:00"
    # kq:2 and kq:tmp were added and removed inside the period: four loaded, plus kq:3
    assert everything.summary["nodes_added"] == 5
    assert changes_since(store, "2999-01-01").summary["changes"] == 0
    with pytest.raises(ValidationError):
        changes_since(store, "1 maart")


def test_the_history_pages_helpers_live_here(store: GraphStore) -> None:
    """What the Geschiedenis page lists comes from the library: the entries of a period and
    a person, the names of what they touch (deleted items keep theirs), the fields changed."""
    from datetime import date

    from kgraph.analysis.changes import day_start, field_changes, history_entries, target_titles

    start, _ = scripted(store)
    assert day_start(date(2024, 3, 1)) == "2024-03-01T00:00:00.000000+00:00"
    bobs = history_entries(store, since=start, actor="Bob")
    assert [c.op for c in bobs] == ["update_node", "update_edge"]
    assert [c.actor for c in history_entries(store, since=start)].count("Ada") == 8
    titles = target_titles(store, history_entries(store, since=start))
    assert titles["kq:2"] == "Weg?"  # deleted, named from the history
    assert titles["lp:dmi"] == "DMI-ecosysteem"  # an edge end, named from the store
    renamed = field_changes(bobs[0])
    assert {f["field"]: (f["before"], f["after"]) for f in renamed} == {
        "title": ("Tussentitel?", "Nieuwe titel?"),
        "owner": (None, "Ada"),
    }
    assert field_changes(history_entries(store, since=start, target="kq:3")[0]) == []
