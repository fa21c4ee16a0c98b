"""Actions on handovers, the steering group's meetings and readable sources: records in the
store, in the history, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kgraph import actions, meetings, sources
from kgraph.dates import DateInputError
from kgraph.errors import ConflictError, NotFoundError, ValidationError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore

TODAY = date(2024, 6, 1)


@pytest.fixture
def landed(store: GraphStore) -> GraphStore:
    store.bulk_load(
        [
            Node("cq:a", "complex_question", "Hoe borgen we meetnetten?"),
            Node("kq:b", "knowledge_question", "Zonder plek"),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        ],
        [Edge("cq:a", "LANDS_IN", "lp:dmi", {"status": "proposed"})],
    )
    return store


def test_an_action_is_added_done_and_reopened_in_the_history(landed: GraphStore) -> None:
    a = actions.add_action(
        landed, "cq:a", "lp:dmi", what=" Brief  sturen ", owner="Ada", due="15-05-2024", actor="Sam"
    )
    assert (a.what, a.owner, a.due, a.ref, a.is_open) == (
        "Brief sturen",
        "Ada",
        "2024-05-15",
        "cq:a|LANDS_IN|lp:dmi",
        True,
    )
    assert a.is_overdue(TODAY) and not a.is_overdue(date(2024, 5, 15))
    done = actions.complete_action(
        landed, a.id, on="2024-05-20", expected_version=a.version, actor="Bea"
    )
    assert (done.done_on, done.done_by, done.is_open) == ("2024-05-20", "Bea", False)
    assert not done.is_overdue(TODAY)
    with pytest.raises(ConflictError):  # done already
        actions.complete_action(landed, a.id)
    with pytest.raises(ConflictError):  # an old version
        actions.reopen_action(landed, a.id, expected_version=a.version)
    again = actions.reopen_action(landed, a.id, expected_version=done.version, actor="Sam")
    assert again.is_open and again.done_by is None
    entries = [c for c in landed.history() if c.target == f"@action/{a.id}"]
    assert [(c.op, c.actor) for c in entries] == [
        ("add_record", "Sam"),
        ("update_record", "Bea"),
        ("update_record", "Sam"),
    ]


def test_an_item_without_a_place_can_have_an_action(landed: GraphStore) -> None:
    a = actions.add_action(landed, "kq:b", None, what="Plek zoeken", owner="Cor")
    assert a.ref == "kq:b" and a.due is None
    assert [x.id for x in actions.actions(landed, ref="kq:b")] == [a.id]


def test_actions_are_checked_before_anything_is_written(landed: GraphStore) -> None:
    entries = len(landed.history())
    with pytest.raises(NotFoundError):
        actions.add_action(landed, "cq:a", "lp:elders", what="x", owner="y")
    with pytest.raises(NotFoundError):
        actions.add_action(landed, "cq:nergens", None, what="x", owner="y")
    with pytest.raises(ValidationError, match="what"):
        actions.add_action(landed, "cq:a", "lp:dmi", what="  ", owner="y")
    with pytest.raises(ValidationError, match="owner"):
        actions.add_action(landed, "cq:a", "lp:dmi", what="x", owner="")
    with pytest.raises(DateInputError):
        actions.add_action(landed, "cq:a", "lp:dmi", what="x", owner="y", due="31-02-2024")
    assert len(landed.history()) == entries


def test_lists_per_owner_and_overdue(landed: GraphStore) -> None:
    first = actions.add_action(
        landed, "cq:a", "lp:dmi", what="Brief", owner="Ada", due="2024-05-01"
    )
    actions.add_action(landed, "cq:a", "lp:dmi", what="Bellen", owner="bea", due="2024-07-01")
    actions.add_action(landed, "kq:b", None, what="Zoeken", owner="ADA")
    assert [a.what for a in actions.actions(landed, owner="ada")] == ["Brief", "Zoeken"]
    assert [a.what for a in actions.actions(landed, overdue=True, today=TODAY)] == ["Brief"]
    actions.complete_action(landed, first.id, on="2024-05-02")
    assert [a.what for a in actions.actions(landed, open_only=True)] == ["Bellen", "Zoeken"]
    assert actions.owners(landed) == ["ADA", "bea"]
    summary = actions.open_summary(landed, today=TODAY)
    assert summary["cq:a|LANDS_IN|lp:dmi"].open == 1
    assert summary["cq:a|LANDS_IN|lp:dmi"].next_due == "2024-07-01"
    assert not summary["cq:a|LANDS_IN|lp:dmi"].overdue
    changed = actions.update_action(landed, first.id, owner="Cor", due=None)
    assert (changed.owner, changed.due) == ("Cor", None)


def test_meetings_and_the_last_one_held(landed: GraphStore) -> None:
    march = meetings.add_meeting(landed, "12-03-2024", title="Stuurgroep maart", at="14:00")
    meetings.add_meeting(landed, "2024-01-16", title="Stuurgroep januari")
    planned = meetings.add_meeting(landed, "2024-09-10", title="Stuurgroep september")
    assert [m.title for m in meetings.meetings(landed)] == [
        "Stuurgroep januari",
        "Stuurgroep maart",
        "Stuurgroep september",
    ]
    now = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)
    assert meetings.last_meeting(landed, now=now) == march
    assert meetings.resolve(landed, "last", now=now) == march
    assert meetings.resolve(landed, "10-09-2024") == planned
    assert meetings.resolve(landed, march.id) == march
    assert march.start() == "2024-03-12T13:00:00.000000+00:00"  # 14:00 in Amsterdam
    assert march.label("nl") == "Stuurgroep maart (12-03-2024)"
    with pytest.raises(NotFoundError):
        meetings.resolve(landed, "2020-01-01")
    with pytest.raises(ValidationError):
        meetings.add_meeting(landed, "2024-03-12", title=" ")
    with pytest.raises(ValidationError):
        meetings.add_meeting(landed, "2024-03-12", title="x", at="25:00")
    assert [c.op for c in landed.history() if c.target.startswith("@meeting/")] == [
        "add_record"
    ] * 3


def test_no_meeting_yet_is_said_plainly(landed: GraphStore) -> None:
    assert meetings.last_meeting(landed) is None
    with pytest.raises(NotFoundError, match="no meeting"):
        meetings.resolve(landed, "LAST")


def test_sources_read_as_titles(landed: GraphStore) -> None:
    assert sources.register_source(landed, sources.SEED_REPORT, "City Deal jaarverslag 2023")
    assert not sources.register_source(landed, sources.SEED_REPORT, "City Deal jaarverslag 2023")
    assert sources.register_source(landed, "kennisagenda.xlsx", "Kennisagenda DMI")
    titles = sources.source_titles(landed)
    assert sources.describe("000_4a3caf141793d018.txt:154", titles) == (
        "City Deal jaarverslag 2023, regel 154"
    )
    assert sources.describe("000_4a3caf141793d018.txt:154", titles, "en") == (
        "City Deal jaarverslag 2023, line 154"
    )
    assert sources.describe("kennisagenda.xlsx, sheet Vragen 2024, row 12", titles) == (
        "Kennisagenda DMI, blad Vragen 2024, rij 12"
    )
    assert sources.describe("kennisagenda.xlsx, rows 3, 7", titles) == (
        "Kennisagenda DMI, rijen 3, 7"
    )
    assert sources.describe("caa-research-agenda/_questions/Q1.md", titles) == (
        "caa-research-agenda, _questions/Q1.md"
    )
    assert sources.describe("onbekend.csv, row 2", titles) == "onbekend.csv, rij 2"
    assert sources.describe(None, titles) == ""
    sources.register_source(landed, "kennisagenda.xlsx", "Kennisagenda 2025")
    assert sources.source_titles(landed)["kennisagenda.xlsx"] == "Kennisagenda 2025"
    with pytest.raises(ValidationError):
        sources.register_source(landed, "x.csv", "  ")
