"""The Overdracht decision form on both backends: a decision made meanwhile elsewhere is
refused (not silently reverted), and a missing or non-ISO decision date is refused (never
replaced with today)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from conftest import neo4j_uri_or_skip
from helpers.ui import button, open_page

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.model import Edge
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore
from kgraph.ui.pages import handover

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


def test_a_decision_made_meanwhile_is_refused_not_reverted(other: GraphStore) -> None:
    edge = _first(other)
    at = open_page("handover", name="Stuurgroep Sam")
    at.selectbox(key=handover.DECIDE).set_value(edge.key).run()
    # the form is drawn; meanwhile someone else decides
    other.update_edge(
        edge.src,
        "LANDS_IN",
        edge.dst,
        {"status": "declined", "decided_on": "2024-05-01", "decided_by": "AI Compass"},
    )
    meanwhile = _get(other, edge)
    at.selectbox(key=f"handover_status_{edge.key}").set_value("accepted")
    at.date_input(key=f"handover_decided_on_{edge.key}").set_value(date(2024, 6, 1))
    button(at, "Besluit opslaan").click().run()
    assert not at.exception, [e.message for e in at.exception]

    assert _get(other, edge).props == meanwhile.props  # their decision stands
    assert other.history(target=edge.key)[-1].actor == "Ander"
    errors = [e.value for e in at.error]
    assert any("intussen gewijzigd door Ander" in e for e in errors), errors
    # reloading shows their decision; deciding again from it goes through
    button(at, "Opnieuw laden").click().run()
    assert at.selectbox(key=f"handover_status_{edge.key}").value == "declined"
    at.selectbox(key=f"handover_status_{edge.key}").set_value("accepted")
    button(at, "Besluit opslaan").click().run()
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
    at.selectbox(key=handover.DECIDE).set_value(edge.key).run()
    # the date field starts empty: nothing is made up
    assert at.date_input(key=f"handover_decided_on_{edge.key}").value is None
    if stored:
        assert any(stored in w.value for w in at.warning)
    at.selectbox(key=f"handover_status_{edge.key}").set_value("accepted")
    button(at, "Besluit opslaan").click().run()
    assert not at.exception, [e.message for e in at.exception]

    assert _get(other, edge).props == before.props  # nothing written, no date of today
    errors = [e.value for e in at.error]
    assert any("vul de datum van het besluit in" in e for e in errors), errors


def test_proposing_a_landing_place_stores_a_proposed_handover(other: GraphStore) -> None:
    at = open_page("handover", name="Stuurgroep Sam")
    item = next(s for s in at.selectbox if s.label == "Item")
    place = next(s for s in at.selectbox if s.label == "Landingsplaats")
    item_id = item.value  # the first item without a landing place, an id
    places = [n.id for n in other.nodes(["landing_place"])]
    chosen = next(p for p in places if other.get_edge(item_id, "LANDS_IN", p) is None)
    item.set_value(item_id)
    place.set_value(chosen)
    button(at, "Voorstellen").click().run()
    assert not at.exception, [e.message for e in at.exception]

    stored = other.get_edge(item_id, "LANDS_IN", chosen)
    assert stored is not None and stored.props["status"] == "proposed"
    assert "decided_on" not in stored.props
    assert other.history(target=stored.key)[-1].actor == "Stuurgroep Sam"
    assert any("voorgesteld als landingsplaats" in m.value for m in at.success)
