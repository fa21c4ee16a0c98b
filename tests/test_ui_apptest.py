"""The dashboard driven through Streamlit's AppTest, page by page, on a temporary embedded
store seeded with the City Deal graph: every page runs without an exception and shows its
widgets, and edits made through the pages land in the store and in the history under the
name typed in the sidebar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers.ui import PAGES, button, open_page

from kgraph.export.markdown import unescape_markdown
from kgraph.model import Node
from kgraph.store.embedded import EmbeddedStore
from kgraph.ui.pages import explore, handover, history, questions

pytest_plugins = ["ui_fixtures"]


def first_question(store: EmbeddedStore, kind: str = "knowledge_question") -> Node:
    return store.nodes([kind])[0]


# --- every page -------------------------------------------------------------------------


def test_overview_shows_counts_chart_and_recent_changes(db: Path, reader: EmbeddedStore) -> None:
    at = open_page("overview")
    assert at.title[0].value == "Overzicht"
    metrics = {m.label: m.value for m in at.metric}
    counts = reader.counts().nodes
    assert metrics["Kennisvraag"] == str(counts["knowledge_question"])
    assert metrics["Landingsplaats"] == str(counts["landing_place"])
    assert [s.value for s in at.subheader][:3] == [
        "Aantallen per soort",
        "Overdracht per landingsplaats",
        "Overdracht per CoP",
    ]
    assert len(at.get("vega_lite_chart")) == 2, "no handover charts"
    assert "Recent gewijzigd" in [s.value for s in at.subheader]


def test_a_change_made_elsewhere_shows_at_the_next_rerun(db: Path, reader: EmbeddedStore) -> None:
    """The CLI or another dashboard writes through its own connection: the page's cached
    reads are keyed on the store's newest change, so the next rerun shows it."""
    at = open_page("overview")
    before = int({m.label: m.value for m in at.metric}["Kennisvraag"])
    reader.add_node(Node("kq:elders", "knowledge_question", "Gesteld via de opdrachtregel"))
    at.run()
    after = int({m.label: m.value for m in at.metric}["Kennisvraag"])
    assert after == before + 1


def test_every_page_runs_and_shows_its_widgets(db: Path) -> None:
    at = open_page("explore")
    assert at.text_input(key="explore_search") is not None
    assert at.multiselect(key=explore.FOCUS).value == ["lp:dmi-ecosysteem"]
    assert at.slider(key=explore.DEPTH).value == 1
    assert at.selectbox(key=explore.COLOR).value == "kind"
    assert at.get("bidi_component"), "the network is not drawn"
    assert at.markdown and "DMI-ecosysteem" in " ".join(m.value for m in at.markdown)
    assert dict(at.query_params) == {"focus": "lp:dmi-ecosysteem"}

    at.switch_page(PAGES["questions"]).run()
    assert not at.exception
    assert at.title[0].value == "Vragen"
    assert at.text_input(key=questions.F_SEARCH) is not None
    assert at.selectbox(key=questions.EDITING).value
    assert at.dataframe, "no question table"

    at.switch_page(PAGES["handover"]).run()
    assert not at.exception
    assert at.radio(key=handover.GROUP).value == "landing"
    assert at.selectbox(key=handover.DECIDE).value
    assert [m.label for m in at.metric][:4] == [
        "potentiële landingsplaats",
        "in gesprek",
        "belegd",
        "afgewezen",
    ]

    at.switch_page(PAGES["export"]).run()
    assert not at.exception
    assert at.radio(key="keep_export_source").options == [
        "Een opgeslagen weergave",
        "Focus, diepte en filters",
        "De hele graaf",
    ]

    at.switch_page(PAGES["import"]).run()
    assert not at.exception
    assert at.title[0].value == "Importeren"

    at.switch_page(PAGES["history"]).run()
    assert not at.exception
    assert at.selectbox(key=history.PERSON).value == ""
    assert len(at.date_input) == 2


def test_the_english_switch_translates_the_pages(db: Path) -> None:
    at = open_page("handover", lang="en")
    assert at.title[0].value == "Handover"
    assert [m.label for m in at.metric][:3] == ["proposed", "in discussion", "accepted"]


def test_edits_need_a_name(db: Path) -> None:
    at = open_page("questions")
    assert button(at, "Opslaan").disabled
    assert any("Vul je naam" in i.value for i in at.info)


# --- questions --------------------------------------------------------------------------


def test_status_change_on_vragen_is_stored_with_the_name(db: Path, reader: EmbeddedStore) -> None:
    q = first_question(reader)
    at = open_page("questions", name="Ada Lovelace")
    at.selectbox(key=questions.EDITING).set_value(q.id).run()
    at.selectbox(key=f"q_status_{q.id}").set_value("in_progress")
    at.text_input(key=f"q_owner_{q.id}").input("Ada")
    button(at, "Opslaan").click().run()
    assert not at.exception

    stored = reader.get_node(q.id)
    assert stored is not None
    assert (stored.status, stored.props.get("owner"), stored.updated_by) == (
        "in_progress",
        "Ada",
        "Ada Lovelace",
    )
    last = reader.history(target=q.id)[-1]
    assert (last.op, last.actor) == ("update_node", "Ada Lovelace")
    assert (last.before or {})["status"] == "open" and (last.after or {})["status"] == "in_progress"
    assert any("opgeslagen door Ada Lovelace" in s.value for s in at.success)

    # the history page shows the change under that name
    at.switch_page(PAGES["history"]).run()
    at.selectbox(key=history.PERSON).set_value("Ada Lovelace").run()
    frame = at.dataframe[0].value
    assert list(frame["Door"]) == ["Ada Lovelace"]
    assert "status: open → in_progress" in frame["Wijziging"].iloc[0]


def test_a_stale_save_is_refused_with_the_stores_message(db: Path, reader: EmbeddedStore) -> None:
    q = first_question(reader)
    at = open_page("questions", name="Ada")
    at.selectbox(key=questions.EDITING).set_value(q.id).run()
    reader.update_node(q.id, {"status": "parked"}, actor="Bob")  # someone else saves first
    at.selectbox(key=f"q_status_{q.id}").set_value("answered")
    button(at, "Opslaan").click().run()
    assert not at.exception
    assert any("changed by Bob" in e.value for e in at.error), [e.value for e in at.error]
    assert reader.get_node(q.id).status == "parked"  # type: ignore[union-attr]
    # reloading shows Bob's version, and saving then works
    button(at, "Opnieuw laden").click().run()
    assert at.selectbox(key=f"q_status_{q.id}").value == "parked"
    at.selectbox(key=f"q_status_{q.id}").set_value("answered")
    button(at, "Opslaan").click().run()
    assert reader.get_node(q.id).status == "answered"  # type: ignore[union-attr]


def test_add_a_question_linked_to_a_cop_and_a_complex_question(
    db: Path, reader: EmbeddedStore
) -> None:
    cop = reader.nodes(["cop"])[0]
    cq = reader.nodes(["complex_question"])[0]
    at = open_page("questions", name="Chris")
    at.text_input(key="q_add_title").input("Hoe meten we luchtkwaliteit per straat?")
    at.text_area(key="q_add_text").input("Met sensoren van bewoners.")
    at.multiselect(key="q_add_areas").set_value([cop.id])
    at.multiselect(key="q_add_feeds").set_value([cq.id])
    button(at, "Toevoegen").click().run()
    assert not at.exception, [e.message for e in at.exception]

    added = reader.search("luchtkwaliteit per straat")
    assert [n.title for n in added] == ["Hoe meten we luchtkwaliteit per straat?"]
    node = added[0]
    links = {(e.kind, e.dst) for e in reader.edges(node_id=node.id)}
    assert links == {("RAISED_IN", cop.id), ("FEEDS", cq.id)}
    changes = reader.history(target=node.id)
    assert {c.actor for c in changes} == {"Chris"}
    assert len({c.tx for c in changes}) == 1  # one transaction


def test_delete_asks_for_confirmation(db: Path, reader: EmbeddedStore) -> None:
    q = first_question(reader)
    links = len(reader.edges(node_id=q.id))
    at = open_page("questions", name="Dana")
    at.selectbox(key=questions.EDITING).set_value(q.id).run()
    button(at, "Verwijderen…").click().run()
    assert reader.get_node(q.id) is not None  # nothing yet: a confirmation is asked
    assert any(f"{links} verbindingen" in w.value for w in at.warning)
    button(at, "Ja, verwijderen").click().run()
    assert not at.exception
    assert reader.get_node(q.id) is None
    deletes = [c for c in reader.history(target=q.id) if c.op.startswith("delete")]
    assert {c.actor for c in deletes} == {"Dana"}


# --- handover ---------------------------------------------------------------------------


def test_handover_decision_is_stored_and_in_the_history(db: Path, reader: EmbeddedStore) -> None:
    edge = reader.edges(["LANDS_IN"])[0]
    at = open_page("handover", name="Stuurgroep Sam")
    at.selectbox(key=handover.DECIDE).set_value(edge.key).run()
    at.selectbox(key=f"handover_status_{edge.key}").set_value("accepted")
    at.text_area(key=f"handover_note_{edge.key}").input("Akkoord in de stuurgroep van maart.")
    at.date_input(key=f"handover_decided_on_{edge.key}").set_value(date(2024, 3, 12))
    button(at, "Besluit opslaan").click().run()
    assert not at.exception, [e.message for e in at.exception]

    stored = reader.get_edge(edge.src, edge.kind, edge.dst)
    assert stored is not None
    assert stored.props["status"] == "accepted"
    assert stored.props["note"] == "Akkoord in de stuurgroep van maart."
    assert stored.props["decided_by"] == "Stuurgroep Sam"
    assert stored.props["decided_on"] == "2024-03-12"
    last = reader.history(target=edge.key)[-1]
    assert (last.op, last.actor) == ("update_edge", "Stuurgroep Sam")
    # the page shows it at once: one more "belegd"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["belegd"] == str(
        sum(1 for e in reader.edges(["LANDS_IN"]) if e.status == "accepted")
    )


def test_handover_lists_what_has_no_landing_place(db: Path, reader: EmbeddedStore) -> None:
    reader.add_node(Node("cq:zonder-plek", "complex_question", "Vraag <b>zonder</b> plek"))
    at = open_page("handover")
    box = "\n".join(e.value for e in at.error)
    assert "zonder landingsplaats" in box
    # escaped: shown as text, not markup
    assert "<b>" not in box and "Vraag <b>zonder</b> plek" in unescape_markdown(box)


# --- explore and export -----------------------------------------------------------------


def test_explore_refocus_path_and_export_this_view(db: Path, reader: EmbeddedStore) -> None:
    at = open_page("explore")
    target = sorted(e.src for e in reader.edges(["LANDS_IN"]) if e.dst == "lp:dmi-ecosysteem")[0]
    at.session_state[explore.SELECTED] = target  # what a click in the drawing sets
    at.run()
    button(at, "Focus hierop").click().run()
    assert not at.exception
    assert at.multiselect(key=explore.FOCUS).value == [target]
    assert dict(at.query_params)["focus"] == target

    at.slider(key=explore.DEPTH).set_value(2).run()
    button(at, "Pad van hier").click().run()
    at.session_state[explore.SELECTED] = "lp:dmi-ecosysteem"
    at.run()
    button(at, "Pad naar hier").click().run()
    button(at, "Zoek kortste pad").click().run()
    path = at.session_state[explore.PATH]
    assert path[0] == target and path[-1] == "lp:dmi-ecosysteem"
    assert len(path) == len(reader.shortest_path(target, "lp:dmi-ecosysteem") or [])

    button(at, "Deze weergave exporteren").click().run()
    assert not at.exception
    assert at.title[0].value == "Export"
    assert at.radio(key="keep_export_source").value == "view"
    assert set(at.session_state["export_view"]["ids"]) >= set(path)
    assert len(at.get("download_button")) >= 7, "no download button per export format"
    assert any("-d2-" in c.value for c in at.caption)


def test_explore_opens_the_view_a_link_names(db: Path) -> None:
    at = open_page("explore")
    at.query_params["focus"] = "cop:ethiek"
    at.query_params["depth"] = "2"
    at.query_params["colour"] = "status"
    at.run()
    assert not at.exception
    assert at.multiselect(key=explore.FOCUS).value == ["cop:ethiek"]
    assert at.slider(key=explore.DEPTH).value == 2
    assert at.selectbox(key=explore.COLOR).value == "status"
    at.query_params["depth"] = "9"  # a broken link: said, and the view stays
    at.run()
    assert any("geen geldige weergave" in w.value for w in at.warning)
    assert at.slider(key=explore.DEPTH).value == 2


def test_explore_saves_a_view_and_opens_it_again(db: Path, reader: EmbeddedStore) -> None:
    at = open_page("explore", name="Ada")
    at.query_params["focus"] = "cop:ethiek"
    at.run()
    at.text_input(key="explore_view_name").input("Ethiek rond")
    button(at, "Weergave opslaan").click().run()
    assert not at.exception
    from kgraph import views

    saved = views.get_view(reader, "ethiek rond")
    assert saved.view.focus == ("cop:ethiek",) and saved.saved_by == "Ada"
    assert [c.op for c in reader.history(target="@view/" + saved.id)] == ["add_record"]
    at.session_state[explore.SELECTED] = "lp:dmi-ecosysteem"  # a click in the drawing
    at.run()
    button(at, "Focus hierop").click().run()
    assert at.multiselect(key=explore.FOCUS).value == ["lp:dmi-ecosysteem"]
    at.selectbox(key="explore_view_pick").set_value("Ethiek rond").run()
    button(at, "Openen").click().run()
    assert at.multiselect(key=explore.FOCUS).value == ["cop:ethiek"]


def test_explore_search_adds_a_focus_node(db: Path, reader: EmbeddedStore) -> None:
    at = open_page("explore")
    at.text_input(key="explore_search").input("gesprekken").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(reader.search("gesprekken")) >= 3
    assert "Ethiek" in set(table["CoP / thema"])


def test_explore_narrowing_caps_and_filters(db: Path) -> None:
    at = open_page("explore")
    at.slider(key=explore.DEPTH).set_value(3).run()
    at.slider(key=explore.CAP).set_value(25).run()
    assert any("afgekapt op 25" in w.value for w in at.warning)
    assert any("25 knopen" in c.value for c in at.caption)
    button(at, "Diepte verlagen").click().run()
    assert at.slider(key=explore.DEPTH).value == 2
    at.multiselect(key=explore.KINDS).set_value(["landing_place"]).run()
    assert not at.exception
    assert dict(at.query_params)["kinds"] == "landing_place"
