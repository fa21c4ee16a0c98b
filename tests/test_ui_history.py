"""The Geschiedenis page in AppTest, on both backends: "since the last meeting" by default,
changes in words (field names and statuses translated, times in Dutch time), people by
the names the history records ("kgraph (seed)", never the computer's user), a page at a
time, and the steering group's summary of what changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpers.review import html_text
from helpers.ui import open_page

from kgraph import dates, decisions, meetings
from kgraph.store.base import GraphStore
from kgraph.ui.pages import history

pytest_plugins = ["review_fixtures"]


def _decide_one(reader: GraphStore) -> tuple[str, str]:
    edge = sorted(
        (e for e in reader.edges(["LANDS_IN"]) if e.status == "proposed"), key=lambda e: e.key
    )[0]
    decisions.decide(
        reader,
        [decisions.Target.of(edge)],
        status="accepted",
        decided_on=dates.today(),
        decided_by="Stuurgroep",
        note="Akkoord",
        actor="Stuurgroep Sam",
    )
    src = reader.get_node(edge.src)
    dst = reader.get_node(edge.dst)
    assert src is not None and dst is not None
    return src.title, dst.title


def test_changes_in_words_since_the_last_meeting(reader: GraphStore) -> None:
    now = datetime.now(UTC)
    meetings.add_meeting(reader, dates.today() - timedelta(days=1), title="Stuurgroep gisteren")
    item, place = _decide_one(reader)
    question = reader.nodes(["knowledge_question"])[0]
    reader.update_node(question.id, {"status": "parked"}, actor="Bob")
    at = open_page("history")
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key=history.PERIOD).value == "last_meeting"
    assert not at.date_input  # no English date picker
    people = at.selectbox(key=history.PERSON).options
    assert "kgraph (seed)" in people and "Stuurgroep Sam" in people and "Bob" in people
    assert "root" not in people and "dashboard" not in people
    text = html_text(at)
    # the meeting was yesterday: today's changes are in the period, in words
    assert "Status: potentiële landingsplaats → belegd" in text
    assert "Besloten door: – → Stuurgroep" in text and "decided_by" not in text
    assert "Status: open → geparkeerd" in text
    assert f"{item} → landt in → {place}" in text
    assert dates.format_moment(now.isoformat(), "nl")[:10] in text  # DD-MM-JJJJ, Dutch time
    assert "(UTC)" not in text
    # one person
    at.selectbox(key=history.PERSON).set_value("Bob").run()
    assert any(c.value == "1 wijzigingen" for c in at.caption)
    assert "geparkeerd" in html_text(at) and "belegd" not in html_text(at)


def test_a_long_history_is_paged_in_the_store(reader: GraphStore) -> None:
    at = open_page("history")
    at.selectbox(key=history.PERIOD).set_value("month").run()
    total = reader.count_history()
    assert any(c.value == f"{total} wijzigingen" for c in at.caption)
    pager = at.get("pagination")
    assert pager and pager[0].num_pages == -(-total // 25)
    first = html_text(at)
    pager[0].set_value(2).run()
    assert html_text(at) != first and not at.exception


def test_the_steering_summary_shows_the_handover_moves(reader: GraphStore) -> None:
    at = open_page("history")
    item, place = _decide_one(reader)
    at.run()
    at.selectbox(key=history.PERIOD).set_value("week").run()
    at.button_group[0].set_value("report").run()
    assert not at.exception, [e.message for e in at.exception]
    text = html_text(at)
    assert item in text and place in text
    assert "potentiële landingsplaats" in text and "belegd" in text
    assert "Stuurgroep Sam" in text
    headline = "\n".join(i.value for i in at.info)
    assert "1 overdrachtsstatussen veranderd" in headline
