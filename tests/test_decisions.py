"""Recording a handover decision: the optimistic check and the decision date, both backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kgraph.decisions import (
    DecisionConflict,
    DecisionDateError,
    Seen,
    decision_date,
    propose_landing,
    record_decision,
    stored_date,
)
from kgraph.errors import DuplicateError, NotFoundError, ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


@pytest.fixture
def landed(store: GraphStore) -> GraphStore:
    store.bulk_load(
        [
            Node("cq:a", "complex_question", "Hoe borgen we meetnetten?"),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        ],
        [Edge("cq:a", "LANDS_IN", "lp:dmi", {"status": "proposed"})],
    )
    return store


def _edge(store: GraphStore) -> Edge:
    edge = store.get_edge("cq:a", "LANDS_IN", "lp:dmi")
    assert edge is not None
    return edge


def test_a_decision_on_the_edge_as_seen_is_stored(landed: GraphStore) -> None:
    seen = Seen.of(_edge(landed))
    stored = record_decision(
        landed,
        "cq:a",
        "lp:dmi",
        seen=seen,
        status="accepted",
        decided_on=date(2024, 3, 12),
        decided_by=" Stuurgroep ",
        note="",
        allow_before_item=True,
        actor="Sam",
    )
    assert stored.props["status"] == "accepted"
    assert stored.props["decided_on"] == "2024-03-12"
    assert stored.props["decided_by"] == "Stuurgroep" and "note" not in stored.props
    last = landed.history(target=stored.key)[-1]
    assert (last.op, last.actor) == ("update_edge", "Sam")


def test_a_decision_made_meanwhile_is_never_reverted(landed: GraphStore) -> None:
    seen = Seen.of(_edge(landed))
    landed.update_edge(
        "cq:a",
        "LANDS_IN",
        "lp:dmi",
        {"status": "declined", "decided_on": "2024-05-01"},
        actor="Ander",
    )
    meanwhile = _edge(landed)
    entries = len(landed.history())
    with pytest.raises(DecisionConflict) as caught:
        record_decision(
            landed,
            "cq:a",
            "lp:dmi",
            seen=seen,
            status="accepted",
            decided_on="2024-06-01",
            decided_by="Sam",
            note=None,
            allow_before_item=True,
            actor="Sam",
        )
    assert caught.value.who == "Ander" and caught.value.at == meanwhile.updated_at
    assert "changed by Ander" in str(caught.value)
    assert _edge(landed).props == meanwhile.props and len(landed.history()) == entries
    # decided again from what is there now, it goes through
    record_decision(
        landed,
        "cq:a",
        "lp:dmi",
        seen=Seen.of(meanwhile),
        status="accepted",
        decided_on="2024-06-01",
        decided_by="Sam",
        note=None,
        allow_before_item=True,
    )
    assert _edge(landed).props["status"] == "accepted"


@pytest.mark.parametrize(
    "value", [None, "", "  ", "12 maart 2024", "2024-3-1", "2024-02-30", "30-02-2024", 20240301]
)
def test_a_missing_or_other_date_is_refused_not_replaced(landed: GraphStore, value: object) -> None:
    before = _edge(landed)
    entries = len(landed.history())
    with pytest.raises(DecisionDateError) as caught:
        record_decision(
            landed,
            "cq:a",
            "lp:dmi",
            seen=Seen.of(before),
            status="accepted",
            decided_on=value,
            decided_by="Sam",
            note=None,
        )
    assert "decided_on" in str(caught.value)
    assert _edge(landed).props == before.props and len(landed.history()) == entries
    assert date.today().isoformat() not in str(_edge(landed).props)


def test_dates_and_statuses_are_checked_before_anything_is_read(landed: GraphStore) -> None:
    assert decision_date("2024-03-12") == "2024-03-12" == decision_date(date(2024, 3, 12))
    # typed the Dutch way: DD-MM-JJJJ (also with one digit, / or .)
    for typed in ("12-03-2024", "12-3-2024", "12/03/2024", " 12.03.2024 "):
        assert decision_date(typed) == "2024-03-12"
    with pytest.raises(DecisionDateError):
        decision_date(datetime(2024, 3, 12, 10, 0))
    with pytest.raises(ValidationError):
        record_decision(
            landed,
            "cq:a",
            "lp:dmi",
            seen=Seen.of(_edge(landed)),
            status="done",
            decided_on="2024-03-12",
            decided_by=None,
            note=None,
        )


def test_a_removed_handover_is_reported(landed: GraphStore) -> None:
    seen = Seen.of(_edge(landed))
    landed.delete_edge("cq:a", "LANDS_IN", "lp:dmi")
    with pytest.raises(NotFoundError):
        record_decision(
            landed,
            "cq:a",
            "lp:dmi",
            seen=seen,
            status="accepted",
            decided_on="2024-03-12",
            decided_by=None,
            note=None,
        )


def test_stored_date_only_reads_iso_dates(landed: GraphStore) -> None:
    assert stored_date(_edge(landed)) is None
    landed.update_edge("cq:a", "LANDS_IN", "lp:dmi", {"decided_on": "maart 2024"})
    assert stored_date(_edge(landed)) is None
    landed.update_edge("cq:a", "LANDS_IN", "lp:dmi", {"decided_on": "2024-03-12"})
    assert stored_date(_edge(landed)) == date(2024, 3, 12)


def test_a_proposal_is_a_proposed_handover_and_only_once(landed: GraphStore) -> None:
    landed.add_node(Node("lp:aic", "landing_place", "AI Compass"))
    edge = propose_landing(landed, "cq:a", "lp:aic", actor="Ada")
    assert edge.props["status"] == "proposed" and "decided_on" not in edge.props
    assert landed.history(target="cq:a")[-1].actor == "Ada"
    with pytest.raises(DuplicateError):
        propose_landing(landed, "cq:a", "lp:aic")
    with pytest.raises(ValidationError):  # the model decides which kinds may land
        propose_landing(landed, "lp:dmi", "lp:aic")
