"""Deciding several handovers at once: one transaction, one history entry per edge, all or
nothing with the optimistic check per edge; dates that need a confirmation. Both backends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kgraph import dates
from kgraph.decisions import (
    DecisionConflicts,
    DecisionDateError,
    DecisionNeedsConfirmation,
    Target,
    date_concerns,
    decide,
)
from kgraph.errors import ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore

ITEMS = ("cq:a", "cq:b", "cq:c")


@pytest.fixture
def three(store: GraphStore) -> GraphStore:
    store.bulk_load(
        [
            *(Node(i, "complex_question", f"Vraag {i}") for i in ITEMS),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        ],
        [Edge(i, "LANDS_IN", "lp:dmi", {"status": "proposed", "note": f"over {i}"}) for i in ITEMS],
        actor="seed",
    )
    return store


def _targets(store: GraphStore) -> list[Target]:
    found = []
    for i in ITEMS:
        edge = store.get_edge(i, "LANDS_IN", "lp:dmi")
        assert edge is not None
        found.append(Target.of(edge))
    return found


def test_three_at_once_are_one_transaction_with_an_entry_each(three: GraphStore) -> None:
    before = len(three.history())
    today = dates.today()
    stored = decide(
        three,
        _targets(three),
        status="accepted",
        decided_on=today.strftime("%d-%m-%Y"),
        decided_by="Stuurgroep",
        note="Akkoord voor alle drie.",
        actor="Sam",
    )
    assert [e.src for e in stored] == list(ITEMS)
    entries = three.history()[before:]
    assert [(c.op, c.target, c.actor) for c in entries] == [
        ("update_edge", f"{i}|LANDS_IN|lp:dmi", "Sam") for i in ITEMS
    ]
    assert len({c.tx for c in entries}) == 1
    for i in ITEMS:
        edge = three.get_edge(i, "LANDS_IN", "lp:dmi")
        assert edge is not None
        assert edge.props == {
            "status": "accepted",
            "decided_on": today.isoformat(),
            "decided_by": "Stuurgroep",
            "note": "Akkoord voor alle drie.",
        }


def test_one_changed_meanwhile_refuses_them_all(three: GraphStore) -> None:
    targets = _targets(three)
    three.update_edge("cq:b", "LANDS_IN", "lp:dmi", {"status": "declined"}, actor="Ander")
    changed = three.get_edge("cq:b", "LANDS_IN", "lp:dmi")
    assert changed is not None
    entries = len(three.history())
    with pytest.raises(DecisionConflicts) as caught:
        decide(
            three,
            targets,
            status="accepted",
            decided_on=dates.today(),
            decided_by="Sam",
            note=None,
            actor="Sam",
        )
    (conflict,) = caught.value.conflicts
    assert conflict.key == "cq:b|LANDS_IN|lp:dmi"
    assert (conflict.who, conflict.at) == ("Ander", changed.updated_at)
    assert len(three.history()) == entries  # nothing written
    assert [three.get_edge(i, "LANDS_IN", "lp:dmi").status for i in ITEMS] == [  # type: ignore[union-attr]
        "proposed",
        "declined",
        "proposed",
    ]


def test_a_removed_handover_refuses_them_all(three: GraphStore) -> None:
    targets = _targets(three)
    three.delete_edge("cq:c", "LANDS_IN", "lp:dmi")
    with pytest.raises(DecisionConflicts) as caught:
        decide(
            three, targets, status="accepted", decided_on=dates.today(), decided_by=None, note=None
        )
    assert [(c.key, c.who) for c in caught.value.conflicts] == [("cq:c|LANDS_IN|lp:dmi", None)]
    assert three.get_edge("cq:a", "LANDS_IN", "lp:dmi").status == "proposed"  # type: ignore[union-attr]


def test_a_future_date_needs_a_confirmation(three: GraphStore) -> None:
    tomorrow = dates.today() + timedelta(days=1)
    entries = len(three.history())
    with pytest.raises(DecisionNeedsConfirmation) as caught:
        decide(
            three,
            _targets(three),
            status="accepted",
            decided_on=tomorrow,
            decided_by=None,
            note=None,
        )
    assert [c.reason for c in caught.value.concerns] == ["future"]
    assert "--allow-future" in str(caught.value)
    assert len(three.history()) == entries
    stored = decide(
        three,
        _targets(three),
        status="accepted",
        decided_on=tomorrow,
        decided_by=None,
        note=None,
        allow_future=True,
    )
    assert {e.props["decided_on"] for e in stored} == {tomorrow.isoformat()}


def test_a_date_before_the_item_was_added_needs_a_confirmation(three: GraphStore) -> None:
    long_ago = date(2019, 1, 1)
    concerns = date_concerns(three, list(ITEMS), long_ago)
    assert [(c.reason, c.item) for c in concerns] == [("before_item", i) for i in ITEMS]
    assert all(c.since == dates.today() for c in concerns)
    with pytest.raises(DecisionNeedsConfirmation):
        decide(
            three,
            _targets(three)[:1],
            status="declined",
            decided_on=long_ago,
            decided_by=None,
            note=None,
        )
    decide(
        three,
        _targets(three)[:1],
        status="declined",
        decided_on="01-01-2019",
        decided_by=None,
        note=None,
        allow_before_item=True,
    )
    assert three.get_edge("cq:a", "LANDS_IN", "lp:dmi").props["decided_on"] == "2019-01-01"  # type: ignore[union-attr]


def test_notes_are_kept_unless_one_is_given_or_cleared(three: GraphStore) -> None:
    today = dates.today()
    decide(
        three, _targets(three), status="in_discussion", decided_on=today, decided_by="S", note=None
    )
    assert three.get_edge("cq:a", "LANDS_IN", "lp:dmi").props["note"] == "over cq:a"  # type: ignore[union-attr]
    decide(
        three,
        _targets(three)[:1],
        status="in_discussion",
        decided_on=today,
        decided_by="S",
        note="",
    )
    assert "note" not in three.get_edge("cq:a", "LANDS_IN", "lp:dmi").props  # type: ignore[union-attr]


@pytest.mark.parametrize("typed", [None, "", "2024-13-01", "31-04-2024", "morgen"])
def test_bad_dates_and_bad_choices_write_nothing(three: GraphStore, typed: object) -> None:
    entries = len(three.history())
    with pytest.raises(DecisionDateError):
        decide(
            three, _targets(three), status="accepted", decided_on=typed, decided_by=None, note=None
        )
    with pytest.raises(ValidationError):
        decide(three, [], status="accepted", decided_on=dates.today(), decided_by=None, note=None)
    with pytest.raises(ValidationError):
        twice = _targets(three)[:1] * 2
        decide(
            three, twice, status="accepted", decided_on=dates.today(), decided_by=None, note=None
        )
    assert len(three.history()) == entries
