"""The Overdracht page in Streamlit's AppTest, on both backends: the one table, ticking
handovers and deciding them at once (three history entries; a refusal when one changed
meanwhile), a future date confirmed first, an item's actions, meetings, and the Dutch
widget texts."""

from __future__ import annotations

from datetime import timedelta

from helpers.review import html_markup, html_text
from helpers.ui import button, open_page
from streamlit.testing.v1 import AppTest

from kgraph import actions, dates, meetings
from kgraph.store.base import GraphStore
from kgraph.ui.handover import table_view
from kgraph.ui.handover.table_view import pick_key

pytest_plugins = ["review_fixtures"]


def _rows_shown(at: AppTest) -> list[str]:
    """The row keys of the ticks on the page, in order."""
    return [c.key for c in at.checkbox if (c.key or "").startswith("ho_pick_")]


def _key_of(reader: GraphStore, src: str, dst: str) -> str:
    return pick_key(f"{src}|LANDS_IN|{dst}")


def _proposed(reader: GraphStore, n: int) -> list:
    edges = sorted(
        (e for e in reader.edges(["LANDS_IN"]) if e.status == "proposed"), key=lambda e: e.key
    )
    return edges[:n]


def _form_key(at: AppTest, name: str) -> str:
    widgets = [*at.selectbox, *at.text_input, *at.text_area, *at.checkbox]
    keys = [w.key for w in widgets if (w.key or "").startswith(f"ho_f_{name}_")]
    assert len(keys) == 1, keys
    return str(keys[0])


def test_the_table_shows_every_handover_a_page_at_a_time(reader: GraphStore) -> None:
    at = open_page("handover")
    assert not at.exception
    rows = _rows_shown(at)
    assert len(rows) == 15
    total = sum(1 for _ in reader.edges(["LANDS_IN"])) + 1  # and the one CoP without a place
    assert any(f"Rij 1–15 van {total}" == c.value for c in at.caption)
    text = html_text(at)
    for header in ("Landingsplaats", "Status", "Besloten (op, door)", "Toelichting"):
        assert header in text
    assert "lp:" not in text and "cq:" not in text  # titles, not ids
    # Dutch widgets only: no date picker, placeholders and no "Select all" offered
    assert not at.date_input
    for box in at.multiselect:
        assert box.proto.placeholder == "alle"
    at.multiselect(key=table_view.K_STATUS).set_value(["none"]).run()
    assert len(_rows_shown(at)) == 1 and "geen landingsplaats" in html_text(at)
    at.multiselect(key=table_view.K_STATUS).set_value([]).run()
    at.text_input(key=table_view.K_TEXT).input("ethisch gesprek").run()
    assert 1 <= len(_rows_shown(at)) <= 3
    assert all("ethisch gesprek" in line.lower() for line in [html_text(at)])


def test_three_at_once_then_a_refusal_when_one_changed(reader: GraphStore) -> None:
    three = _proposed(reader, 3)
    at = open_page("handover", name="Stuurgroep Sam")
    at.multiselect(key=table_view.K_STATUS).set_value(["proposed"]).run()
    at.selectbox(key=table_view.K_SIZE).set_value(50).run()
    for e in three:
        at.checkbox(key=_key_of(reader, e.src, e.dst)).check().run()
    assert not at.exception, [x.message for x in at.exception]
    assert any("3 gekozen" in m.value for m in at.markdown)
    titles = [reader.get_node(e.src).title for e in three]  # type: ignore[union-attr]
    listing = "\n".join(m.value for m in at.markdown)
    from kgraph.export.markdown import unescape_markdown

    assert all(title in unescape_markdown(listing) for title in titles)
    today = dates.today()
    at.selectbox(key=_form_key(at, "status")).set_value("accepted")
    at.text_input(key=_form_key(at, "on")).input(today.strftime("%d-%m-%Y"))
    at.text_area(key=_form_key(at, "note")).input("Akkoord in de stuurgroep.")
    before = len(reader.history())
    button(at, "Besluit opslaan (3)").click().run()
    assert not at.exception, [x.message for x in at.exception]
    entries = reader.history()[before:]
    assert sorted(c.target for c in entries) == sorted(e.key for e in three)
    assert {c.actor for c in entries} == {"Stuurgroep Sam"} and len({c.tx for c in entries}) == 1
    for e in three:
        stored = reader.get_edge(e.src, "LANDS_IN", e.dst)
        assert stored is not None and stored.props["status"] == "accepted"
        assert stored.props["decided_on"] == today.isoformat()
    assert any("Besluit opgeslagen voor 3" in s.value for s in at.success)

    # again three, one of them changed meanwhile by someone else: nothing is written
    next_three = _proposed(reader, 3)
    at.run()
    for e in next_three:
        at.checkbox(key=_key_of(reader, e.src, e.dst)).check().run()
    reader.update_edge(
        next_three[1].src, "LANDS_IN", next_three[1].dst, {"status": "declined"}, actor="Ander"
    )
    at.text_input(key=_form_key(at, "on")).input(today.isoformat())
    before = len(reader.history())
    button(at, "Besluit opslaan (3)").click().run()
    assert len(reader.history()) == before
    refusal = "\n".join(e.value for e in at.error)
    assert "Niets opgeslagen: 1 van de gekozen overdrachten" in refusal and "Ander" in refusal
    assert reader.get_edge(next_three[0].src, "LANDS_IN", next_three[0].dst).status == "proposed"  # type: ignore[union-attr]
    button(at, "Opnieuw laden").click().run()
    assert not at.session_state[table_view.CHOSEN] and not at.error


def test_a_future_date_is_saved_only_after_a_confirmation(reader: GraphStore) -> None:
    (edge,) = _proposed(reader, 1)
    at = open_page("handover", name="Sam")
    at.multiselect(key=table_view.K_STATUS).set_value(["proposed"]).run()
    at.checkbox(key=_key_of(reader, edge.src, edge.dst)).check().run()
    future = (dates.today() + timedelta(days=400)).strftime("%d-%m-%Y")
    at.text_input(key=_form_key(at, "on")).input(future)
    at.selectbox(key=_form_key(at, "status")).set_value("accepted")
    button(at, "Besluit opslaan (1)").click().run()
    assert reader.get_edge(edge.src, "LANDS_IN", edge.dst).status == "proposed"  # type: ignore[union-attr]
    warning = "\n".join(w.value for w in at.warning)
    assert "Klopt de datum?" in warning and f"{future} ligt in de toekomst" in warning
    confirm = [c for c in at.checkbox if (c.key or "").startswith("ho_f_confirm_")]
    assert len(confirm) == 1
    confirm[0].check()
    button(at, "Besluit opslaan (1)").click().run()
    stored = reader.get_edge(edge.src, "LANDS_IN", edge.dst)
    assert stored is not None and stored.props["decided_on"] == dates.parse_day(future).isoformat()


def test_a_bad_date_is_refused_in_dutch(reader: GraphStore) -> None:
    (edge,) = _proposed(reader, 1)
    at = open_page("handover", name="Sam")
    at.multiselect(key=table_view.K_STATUS).set_value(["proposed"]).run()
    at.checkbox(key=_key_of(reader, edge.src, edge.dst)).check().run()
    at.text_input(key=_form_key(at, "on")).input("31-02-2024")
    button(at, "Besluit opslaan (1)").click().run()
    assert any("„31-02-2024” is geen datum" in e.value for e in at.error)
    assert reader.get_edge(edge.src, "LANDS_IN", edge.dst).status == "proposed"  # type: ignore[union-attr]


def test_one_row_shows_its_details_and_actions(reader: GraphStore) -> None:
    (edge,) = _proposed(reader, 1)
    title = reader.get_node(edge.src).title  # type: ignore[union-attr]
    at = open_page("handover", name="Sam")
    at.multiselect(key=table_view.K_STATUS).set_value(["proposed"]).run()
    at.checkbox(key=_key_of(reader, edge.src, edge.dst)).check().run()
    assert any(title in h.value.replace("\\", "") for h in at.markdown)
    details = html_text(at)
    assert "City Deal jaarverslag 2023, regel" in details  # a readable source
    form = f"ho_new_action_{edge.src}|LANDS_IN|{edge.dst}_0"
    at.text_input(key=f"{form}_what").input("Overdrachtsdocument opstellen")
    at.text_input(key=f"{form}_owner").input("Ada")
    at.text_input(key=f"{form}_due").input("01-01-2020")
    button(at, "Actie toevoegen").click().run()
    assert not at.exception, [x.message for x in at.exception]
    (added,) = actions.actions(reader, ref=edge.key)
    assert (added.what, added.owner, added.due) == (
        "Overdrachtsdocument opstellen",
        "Ada",
        "2020-01-01",
    )
    assert "verlopen: 01-01-2020" in html_text(at)
    assert at.text_input(key=form[:-1] + "1_what").value == ""  # a fresh form
    done = [b for b in at.button if (b.key or "").endswith(f"_done_{added.id}")]
    done[0].click().run()
    (finished,) = actions.actions(reader, ref=edge.key)
    assert not finished.is_open and finished.done_by == "Sam"
    # the table row shows its open actions; none are left
    at.checkbox(key=_key_of(reader, edge.src, edge.dst)).uncheck().run()
    assert "1 open" not in html_text(at)


def test_meetings_and_actions_views(reader: GraphStore) -> None:
    at = open_page("handover", name="Sam")
    at.button_group[0].set_value("meetings").run()
    assert any("Nog geen vergaderingen" in i.value for i in at.info)
    at.text_input(key="ho_new_meeting_0_on").input("12-03-2024")
    at.text_input(key="ho_new_meeting_0_at").input("14:00")
    at.text_input(key="ho_new_meeting_0_title").input("Stuurgroep maart")
    button(at, "Vergadering vastleggen").click().run()
    (meeting,) = meetings.meetings(reader)
    assert (meeting.on, meeting.at, meeting.title) == ("2024-03-12", "14:00", "Stuurgroep maart")
    assert "Stuurgroep maart" in html_text(at)
    edge = _proposed(reader, 1)[0]
    actions.add_action(reader, edge.src, edge.dst, what="Bellen", owner="Bea", due="2020-01-01")
    actions.add_action(reader, edge.src, edge.dst, what="Mailen", owner="Ada", due="2999-01-01")
    at.button_group[0].set_value("actions").run()
    assert any("2 acties, waarvan 1 verlopen" in c.value for c in at.caption)
    at.toggle(key="keep_ho_act_overdue").set_value(True).run()
    text = html_text(at)
    assert "Bellen" in text and "Mailen" not in text
    at.button_group[0].set_value("places").run()
    assert not at.exception and "DMI-ecosysteem" in html_text(at)
    at.button_group[0].set_value("reports").run()
    assert len(at.get("download_button")) == 8  # the report and the pack, four formats each


def test_the_page_in_english(reader: GraphStore) -> None:
    at = open_page("handover", lang="en")
    assert at.title[0].value == "Handover"
    assert [m.label for m in at.metric][:3] == ["proposed", "in discussion", "accepted"]
    markup = html_markup(at)
    assert "Decided (on, by)" in markup and "Last changed" in markup
