"""The Overdracht decision form on both backends: a decision made meanwhile elsewhere is
refused (not silently reverted), a missing or other decision date is refused (never
replaced with today), and a landing place proposed for an item without one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from conftest import neo4j_uri_or_skip
from helpers.ui import button, open_page
from streamlit.testing.v1 import AppTest

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.model import Edge
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore
from kgraph.ui.handover import table_view
from kgraph.ui.handover.table_view import pick_key

pytest_plugins = ["ui_fixtures"]


@pytest.fixture
def other(
    backend: str, seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[GraphStore]:
    """The City Deal graph in a store of ``backend`` that the app uses (``KGRAPH_STORE``),
    and a second connection to it: someone else, elsewhere."""
    st.cache_data.clear()
    st.cache_resource.clear()  # the app keeps one store per location: start afresh
    store: GraphStore
    if backend == "embedded":
        from kgraph.store.embedded import EmbeddedStore

        path = tmp_path / "ui.db"
        shutil.copy(seeded_file, path)
        location = str(path)
        store = EmbeddedStore(path, actor="Ander")
    else:
        from kgraph.store.neo4j import Neo4jStore

        location = neo4j_uri_or_skip()
        store = Neo4jStore(location, actor="Ander")
        store.wipe()
        apply_batch(store, seed_importer.read(seed_folder()))
    monkeypatch.setenv("KGRAPH_STORE", location)
    try:
        yield store
    finally:
        st.cache_resource.clear()
        if backend == "neo4j":
            store.wipe()
        store.close()


def _first(store: GraphStore) -> Edge:
    return sorted(store.edges(["LANDS_IN"]), key=lambda e: e.key)[0]


def _get(store: GraphStore, edge: Edge) -> Edge:
    found = store.get_edge(edge.src, edge.kind, edge.dst)
    assert found is not None
    return found


def _tick(at: AppTest, key: str) -> None:
    """Show only this row (by its item's title) and tick it."""
    src = key.split("|")[0]
    title = next(n.title for n in _titles(at) if n.id == src)
    at.text_input(key=table_view.K_TEXT).input(title[:60]).run()
    at.checkbox(key=pick_key(key)).check().run()


def _titles(at: AppTest) -> list:
    import os

    from kgraph.store import open_store

    store = open_store(os.environ["KGRAPH_STORE"], actor="reader")
    try:
        return store.nodes()
    finally:
        store.close()


def _field(at: AppTest, name: str) -> str:
    widgets = [*at.selectbox, *at.text_input, *at.text_area]
    (key,) = [w.key for w in widgets if (w.key or "").startswith(f"ho_f_{name}_")]
    return str(key)


def test_a_decision_made_meanwhile_is_refused_not_reverted(other: GraphStore) -> None:
    edge = _first(other)
    at = open_page("handover", name="Stuurgroep Sam")
    _tick(at, edge.key)
    # the form is drawn; meanwhile someone else decides
    other.update_edge(
        edge.src,
        "LANDS_IN",
        edge.dst,
        {"status": "declined", "decided_on": "2024-05-01", "decided_by": "AI Compass"},
    )
    meanwhile = _get(other, edge)
    at.selectbox(key=_field(at, "status")).set_value("accepted")
    at.text_input(key=_field(at, "on")).input("01-06-2024")
    button(at, "Besluit opslaan (1)").click().run()
    assert not at.exception, [e.message for e in at.exception]

    assert _get(other, edge).props == meanwhile.props  # their decision stands
    assert other.history(target=edge.key)[-1].actor == "Ander"
    errors = [e.value for e in at.error]
    assert any("gewijzigd door Ander" in e for e in errors), errors
    # reloading shows their decision; deciding again from it goes through
    button(at, "Opnieuw laden").click().run()
    at.checkbox(key=pick_key(edge.key)).check().run()
    assert at.selectbox(key=_field(at, "status")).value == "declined"
    assert at.text_input(key=_field(at, "on")).value == "01-05-2024"
    at.selectbox(key=_field(at, "status")).set_value("accepted")
    button(at, "Besluit opslaan (1)").click().run()
    confirm = [c for c in at.checkbox if (c.key or "").startswith("ho_f_confirm_")]
    confirm[0].check()
    button(at, "Besluit opslaan (1)").click().run()
    assert _get(other, edge).props["status"] == "accepted"
    assert _get(other, edge).props["decided_on"] == "2024-05-01"


@pytest.mark.parametrize("stored", [None, "maart 2024"])
def test_a_missing_or_non_iso_date_is_refused_never_today(
    other: GraphStore, stored: str | None
) -> None:
    edge = _first(other)
    other.update_edge(edge.src, "LANDS_IN", edge.dst, {"decided_on": stored})
    before = _get(other, edge)
    at = open_page("handover", name="Stuurgroep Sam")
    _tick(at, edge.key)
    # the date field shows what is stored, never a made-up date
    assert at.text_input(key=_field(at, "on")).value == (stored or "")
    at.selectbox(key=_field(at, "status")).set_value("accepted")
    button(at, "Besluit opslaan (1)").click().run()
    assert not at.exception, [e.message for e in at.exception]

    assert _get(other, edge).props == before.props  # nothing written, no date of today
    errors = "\n".join(e.value for e in at.error)
    expected = "„maart 2024” is geen datum" if stored else "Vul een datum in"
    assert expected in errors, errors


def test_proposing_a_landing_place_stores_a_proposed_handover(other: GraphStore) -> None:
    at = open_page("handover", name="Stuurgroep Sam")
    at.multiselect(key=table_view.K_STATUS).set_value(["none"]).run()
    (tick,) = [c for c in at.checkbox if (c.key or "").startswith("ho_pick_")][:1]
    tick.check().run()
    place = next(s for s in at.selectbox if s.label == "Landingsplaats")
    chosen = place.options[0]
    item = next(
        n
        for n in other.nodes(["cop", "complex_question", "knowledge_question", "showcase"])
        if not other.edges(["LANDS_IN"], node_id=n.id) and pick_key(n.id) == tick.key
    )
    place_id = next(n.id for n in other.nodes(["landing_place"]) if n.title == chosen)
    place.set_value(chosen)
    button(at, "Voorstellen").click().run()
    assert not at.exception, [e.message for e in at.exception]

    stored = other.get_edge(item.id, "LANDS_IN", place_id)
    assert stored is not None and stored.props["status"] == "proposed"
    assert "decided_on" not in stored.props
    assert other.history(target=stored.key)[-1].actor == "Stuurgroep Sam"
    assert any("voorgesteld als landingsplaats" in m.value for m in at.success)
