"""The per-question panel ``kgraph.ui.similar_panel.render(node_id)`` in Streamlit's AppTest,
on a copy of the City Deal store, as any page would place it (with the sidebar's name
field): the partners and their order come from ``similar_to`` on the same store."""

from __future__ import annotations

from pathlib import Path

from helpers.similar import settle
from helpers.ui import TIMEOUT
from streamlit.testing.v1 import AppTest

from kgraph.analysis import similar_to
from kgraph.analysis.similar import DISMISSED_PROP
from kgraph.store.embedded import EmbeddedStore
from kgraph.ui import similar_panel

pytest_plugins = ["ui_fixtures"]

MODEL = "kq:hoe-valideer-je-een-model"
ETHICS = "kq:hoe-organiseer-je-het-ethische-gesprek"


def host() -> None:
    """A page that places the panel beside a question, with the sidebar of the app."""
    import streamlit as st

    from kgraph.ui import signin, similar_panel

    with st.sidebar:
        st.radio("lang", ["nl", "en"], key="lang")
        signin.sidebar()
    similar_panel.render(st.session_state.get("panel_node", ""))


def panel(node_id: str, *, name: str = "", lang: str = "nl") -> AppTest:
    at = AppTest.from_function(host, default_timeout=TIMEOUT)
    at.session_state["panel_node"] = node_id
    at.run()
    if lang != "nl":
        at.radio(key="lang").set_value(lang).run()
    settle(at)
    if name:
        at.text_input(key="actor").input(name).run()
    return settle(at)


def accept_keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith("similar_panel_accept_")]


def test_the_panel_lists_the_best_partners_with_where_they_come_from(
    db: Path, reader: EmbeddedStore
) -> None:
    expected = similar_to(reader, MODEL, top=similar_panel.SHOWN).pairs
    at = panel(MODEL)
    assert at.markdown[0].value == "**Vergelijkbare vragen**"
    assert accept_keys(at) == [f"similar_panel_accept_{p.b}" for p in expected]
    assert all(b.disabled for b in at.button if b.key in accept_keys(at))  # nobody named
    words = " ".join(m.value for m in at.markdown)
    assert expected[0].b_title.split()[0] in words
    captions = [c.value for c in at.caption]
    assert any("CoP: Datagedreven werken door te voorspellen" in c for c in captions)
    assert any("Nederlands" in c for c in captions)
    assert any("gedeelde woorden: model" in c for c in captions)
    # more partners on request
    at.button(key=similar_panel.MORE + "_button").click().run()
    settle(at)
    more = similar_to(reader, MODEL, top=similar_panel.SHOWN_MORE).pairs
    assert accept_keys(at) == [f"similar_panel_accept_{p.b}" for p in more]


def test_only_questions_from_other_cops(db: Path, reader: EmbeddedStore) -> None:
    at = panel(ETHICS)
    everywhere = similar_to(reader, ETHICS, top=similar_panel.SHOWN).pairs
    assert any(p.b_context.cops == ("Ethiek",) for p in everywhere)
    at.toggle(key=similar_panel.ELSEWHERE).set_value(True).run()
    settle(at)
    elsewhere = similar_to(reader, ETHICS, top=similar_panel.SHOWN, elsewhere=True).pairs
    assert accept_keys(at) == [f"similar_panel_accept_{p.b}" for p in elsewhere]
    assert all(p.b_context.cops != ("Ethiek",) for p in elsewhere)


def test_accept_and_dismiss_from_the_panel(db: Path, reader: EmbeddedStore) -> None:
    first, second = similar_to(reader, MODEL, top=2).pairs
    at = panel(MODEL, name="Theo Themaleider")
    at.button(key=f"similar_panel_accept_{first.b}").click().run()
    settle(at)
    assert not at.exception, [e.message for e in at.exception]
    edge = reader.get_edge(MODEL, "RELATES_TO", first.b)
    assert edge is not None and edge.props["origin"] == "similarity"
    assert reader.history(target=edge.key)[-1].actor == "Theo Themaleider"
    assert any("gekoppeld door Theo Themaleider" in s.value for s in at.success)
    assert f"similar_panel_accept_{first.b}" not in accept_keys(at)

    at.button(key=f"similar_panel_dismiss_{second.b}").click().run()
    settle(at)
    node = reader.get_node(MODEL)
    assert node is not None and second.b in node.props[DISMISSED_PROP]
    assert f"similar_panel_accept_{second.b}" not in accept_keys(at)


def test_in_english_and_nothing_for_other_kinds(db: Path) -> None:
    at = panel(MODEL, lang="en")
    assert at.markdown[0].value == "**Similar questions**"
    assert at.toggle(key=similar_panel.ELSEWHERE).label == "Only from other CoPs/registers"
    assert any("Dutch" in c.value for c in at.caption)
    cop = panel("cop:ethiek")
    assert not cop.markdown and not cop.button
