"""The analysis in the dashboard, driven through Streamlit's AppTest on a temporary embedded
store seeded with the City Deal graph: the Hiaten page (gaps, handover loose ends,
centrality), the similar-question review, changes-since on the history page, and the
Overzicht chart fed by the handover coverage. Expected figures come from ``kgraph.analysis``
run on the same store, so the pages are checked against the library, not against numbers
written down here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers.similar import settle
from helpers.ui import open_page
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Expander

from kgraph import cache
from kgraph.analysis import (
    GAP_LABELS,
    centrality,
    find_gaps,
    find_similar,
    handover_coverage,
)
from kgraph.analysis.cached import CENTRALITY
from kgraph.analysis.centrality import DEFAULT_SAMPLES
from kgraph.analysis.handover import EXPLANATIONS
from kgraph.analysis.similar import DISMISSED_PROP, SimilarPair
from kgraph.model import HANDOVER_STATUSES, STATUS_LABELS, Node
from kgraph.store.embedded import EmbeddedStore
from kgraph.texts import render
from kgraph.ui.i18n import STRINGS
from kgraph.ui.pages import explore, gaps, similar

pytest_plugins = ["ui_fixtures"]

DATAGEDREVEN = "cop:datagedreven-werken-door-te-voorspellen"


def expander(at: AppTest, starts: str) -> Expander:
    found = [e for e in at.expander if e.label.startswith(starts)]
    assert len(found) == 1, f"no single expander {starts!r}: {[e.label for e in at.expander]}"
    return found[0]


def ids_in(frame: pd.DataFrame, store: EmbeddedStore, column: str = "Titel") -> set[str]:
    """The node ids whose titles a table lists."""
    by_title = {n.title: n.id for n in store.nodes()}
    return {by_title[title] for title in frame[column]}


# --- Hiaten -------------------------------------------------------------------------------


def show_list(at: AppTest, name: str) -> AppTest:
    """Pick one of the Hiaten page's lists."""
    at.pills(key=gaps.SHOW).set_value(name).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_gaps_page_shows_every_category_with_the_analysis_counts(
    db: Path, reader: EmbeddedStore
) -> None:
    found = find_gaps(reader)
    coverage = handover_coverage(reader)
    at = open_page("gaps")
    assert at.title[0].value == "Hiaten"
    expected = {name: rows for name, rows in found.groups.items()}
    expected.update({name: getattr(coverage, name) for name in gaps.HANDOVER_GAPS})
    options = at.pills(key=gaps.SHOW).options
    assert len(options) == len(expected) == len(gaps.LISTS)
    flagged = {r["id"] for rows in expected.values() for r in rows}
    assert f"Items met minstens één los eindje: {len(flagged)}." in [c.value for c in at.caption]
    for name, rows in expected.items():
        show_list(at, name)
        title = (
            STRINGS[GAP_LABELS[name]["title"]]["nl"]
            if name in GAP_LABELS
            else STRINGS[f"gaps_{name}"]["nl"]
        )
        assert f"{title} ({len(rows)})" in [h.value for h in at.subheader]
        why = GAP_LABELS[name]["help"] if name in GAP_LABELS else EXPLANATIONS[name]
        assert STRINGS[why]["nl"] in [c.value for c in at.caption]
        if rows:  # one page of the list, titles as the analysis names them
            shown = list(at.dataframe[0].value["Titel"])
            assert len(shown) == min(25, len(rows))
            if len(rows) <= 25:
                assert sorted(shown) == sorted(r["title"] for r in rows)
            else:
                assert set(shown) <= {r["title"] for r in rows}
        else:
            assert "Niets gevonden: in orde." in [x.value for x in at.success]


def test_the_city_deal_gaps_are_named(db: Path, reader: EmbeddedStore) -> None:
    """On the seed: the CoP 'Datagedreven werken door te voorspellen' lands nowhere, and the
    two 'Bestuurlijke verandering' themes have no questions and no links at all."""
    at = open_page("gaps")
    no_landing = show_list(at, "no_landing").dataframe[0].value
    assert DATAGEDREVEN in ids_in(no_landing, reader)
    for name in ("empty_themes", "isolated"):
        titles = list(show_list(at, name).dataframe[0].value["Titel"])
        assert len(titles) == 2
        assert all(t.startswith("Bestuurlijke verandering") for t in titles)
    # every complex question of the seed is only proposed: none is accepted yet
    not_accepted = ids_in(show_list(at, "not_accepted").dataframe[0].value, reader)
    assert {n.id for n in reader.nodes(["complex_question"])} <= not_accepted


def test_a_long_list_is_read_a_page_at_a_time(db: Path, reader: EmbeddedStore) -> None:
    """A list longer than a page shows one page and the paging bar; the next page holds
    the next rows, in the same order as the whole list."""
    reader.bulk_load(
        [Node(f"kq:los-{i:02d}", "knowledge_question", f"Losse vraag {i:02d}?") for i in range(40)],
        [],
    )
    whole = [r["id"] for r in find_gaps(reader).groups["unfed_knowledge_questions"]]
    assert len(whole) == 40
    at = show_list(open_page("gaps"), "unfed_knowledge_questions")
    first = list(at.dataframe[0].value["Titel"])
    assert len(first) == 25
    at.button(key="gaps_unfed_knowledge_questions_next").click().run()
    second = list(at.dataframe[0].value["Titel"])
    titles = {n.id: n.title for n in reader.nodes()}
    assert first + second == [titles[i] for i in whole[: len(first) + len(second)]]
    assert any(c.value.startswith("Rijen 26–") for c in at.caption)


def test_the_gaps_page_speaks_english_on_the_switch(db: Path) -> None:
    at = open_page("gaps", lang="en")
    assert at.title[0].value == "Gaps"
    labels = at.pills(key=gaps.SHOW).options
    assert any(label.startswith("Themes without questions (") for label in labels)
    assert any(label.startswith("Without any landing place (") for label in labels)


def test_a_gap_item_is_shown_in_verkennen(db: Path, reader: EmbeddedStore) -> None:
    themes = [r["id"] for r in find_gaps(reader).groups["empty_themes"]]
    at = show_list(open_page("gaps"), "empty_themes")
    at.selectbox(key="gaps_empty_themes_pick_nl").set_value(themes[-1]).run()
    at.button(key="gaps_empty_themes_go").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Verkennen"
    assert at.multiselect(key=explore.FOCUS).value == [themes[-1]]
    assert at.session_state[explore.SELECTED] == themes[-1]  # its details beside the drawing


def test_centrality_ranks_as_the_analysis_does(db: Path, reader: EmbeddedStore) -> None:
    at = open_page("gaps")
    # computed in the background: the page does not wait for it; here the test does
    cache.wait(reader, CENTRALITY, samples=DEFAULT_SAMPLES, timeout=300)
    at.multiselect(key=gaps.CENTRAL_KINDS).set_value(["landing_place", "organisation"]).run()
    at.number_input(key=gaps.CENTRAL_TOP).set_value(5).run()
    assert not at.exception
    expected = centrality(reader, kinds=["landing_place", "organisation"], top=5).rows
    frame = at.dataframe[-1].value
    assert list(frame["Titel"]) == [r["title"] for r in expected]
    assert list(frame["Verbindingen"]) == [r["degree"] for r in expected]
    assert list(frame["#"]) == [1, 2, 3, 4, 5]
    # the plain-language sentences are the analysis' own
    words = "\n".join(t.value for t in at.text)
    assert render(expected[0]["explanation"], "nl") in words
    # the best-connected item can be shown in Verkennen
    at.selectbox(key="gaps_central_pick_nl").set_value(expected[1]["id"]).run()
    at.button(key="gaps_central_go").click().run()
    assert at.multiselect(key=explore.FOCUS).value == [expected[1]["id"]]


def test_centrality_shows_its_progress_then_the_ranking(db: Path, reader: EmbeddedStore) -> None:
    """The first visit finds no ranking yet: the page says it is being computed and does
    not wait; once the background computation is done, the next run shows it."""
    cache.forget()
    at = open_page("gaps")
    snap = cache.latest(reader, CENTRALITY, start=False, samples=DEFAULT_SAMPLES)
    if not snap.current:  # (a fast machine may have finished already)
        assert snap.running
    cache.wait(reader, CENTRALITY, samples=DEFAULT_SAMPLES, timeout=300)
    at.run()
    assert at.dataframe, "no ranking after the computation finished"


# --- Vergelijkbare vragen -------------------------------------------------------------------


def pair_key(a: str, b: str) -> str:
    return f"{a}|{b}"


def test_similar_pairs_need_a_name_to_be_reviewed(db: Path, reader: EmbeddedStore) -> None:
    pairs = find_similar(reader).pairs
    assert pairs, "the City Deal seed has similar questions"
    at = settle(open_page("similar"))
    assert at.title[0].value == "Vergelijkbare vragen"
    first = pair_key(pairs[0].a, pairs[0].b)
    assert at.button(key=f"similar_accept_{first}").disabled
    assert at.button(key=f"similar_dismiss_{first}").disabled
    assert any("Vul je naam" in i.value for i in at.info)


def test_accepting_a_pair_links_the_questions_in_the_persons_name(
    db: Path, reader: EmbeddedStore
) -> None:
    pair = find_similar(reader).pairs[0]
    at = settle(open_page("similar", name="Theo Themaleider"))
    at.button(key=f"similar_accept_{pair_key(pair.a, pair.b)}").click().run()
    settle(at)
    assert not at.exception, [e.message for e in at.exception]

    edge = reader.get_edge(pair.a, "RELATES_TO", pair.b)
    assert edge is not None
    assert edge.props["origin"] == "similarity"
    assert edge.props["score"] == round(pair.score, 4)
    last = reader.history(target=edge.key)[-1]
    assert (last.op, last.actor) == ("add_edge", "Theo Themaleider")
    # visible at once: no longer proposed, listed as linked, and said so
    keys = {b.key for b in at.button}
    assert f"similar_accept_{pair_key(pair.a, pair.b)}" not in keys
    assert expander(at, "Gekoppeld na vergelijking (").label.endswith("(1)")
    assert any("gekoppeld door Theo Themaleider" in s.value for s in at.success)
    assert (pair.a, pair.b) not in {(p.a, p.b) for p in find_similar(reader).pairs}


def test_dismissing_a_pair_removes_it_from_the_proposals(db: Path, reader: EmbeddedStore) -> None:
    pair = find_similar(reader).pairs[0]
    at = settle(open_page("similar", name="Dana"))
    at.button(key=f"similar_dismiss_{pair_key(pair.a, pair.b)}").click().run()
    settle(at)
    assert not at.exception, [e.message for e in at.exception]

    assert reader.get_edge(pair.a, "RELATES_TO", pair.b) is None
    node = reader.get_node(pair.a)
    assert node is not None and pair.b in node.props[DISMISSED_PROP]
    assert {c.actor for c in reader.history(target=pair.a)[-1:]} == {"Dana"}
    again = find_similar(reader)
    assert (pair.a, pair.b) not in {(p.a, p.b) for p in again.pairs}
    assert again.skipped_dismissed == 1
    keys = {b.key for b in at.button}
    assert f"similar_dismiss_{pair_key(pair.a, pair.b)}" not in keys
    assert expander(at, "Afgewezen paren (").label.endswith("(1)")
    # a fresh session does not propose it either
    later = settle(open_page("similar", name="Dana"))
    assert f"similar_dismiss_{pair_key(pair.a, pair.b)}" not in {b.key for b in later.button}


def test_both_questions_of_a_pair_are_shown_in_verkennen(db: Path, reader: EmbeddedStore) -> None:
    pair = find_similar(reader).pairs[0]
    at = settle(open_page("similar"))
    at.button(key=f"similar_explore_{pair_key(pair.a, pair.b)}").click().run()
    settle(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Verkennen"
    assert at.multiselect(key=explore.FOCUS).value == [pair.a, pair.b]


def test_min_score_scope_and_pages(db: Path, reader: EmbeddedStore) -> None:
    at = settle(open_page("similar", name="Eva"))

    def shown() -> list[str]:
        return [b.key for b in at.button if (b.key or "").startswith("similar_accept_")]

    def keys(pairs: list[SimilarPair]) -> list[str]:
        return [f"similar_accept_{pair_key(p.a, p.b)}" for p in pairs]

    at.select_slider(key=similar.MIN_SCORE).set_value(0.05).run()
    settle(at)
    wide = find_similar(reader, min_score=0.05, top=similar.MAX_PAIRS).pairs
    assert len(wide) > similar.PAGE_SIZE
    assert shown() == keys(wide[: similar.PAGE_SIZE])
    at.button(key="similar_next").click().run()
    settle(at)
    assert shown() == keys(wide[similar.PAGE_SIZE : 2 * similar.PAGE_SIZE])
    assert any("Pagina 2 van" in m.value for m in at.markdown)
    # another minimum starts again at the first page
    at.select_slider(key=similar.MIN_SCORE).set_value(0.35).run()
    settle(at)
    strict = find_similar(reader, min_score=0.35, top=similar.MAX_PAIRS).pairs
    assert shown() == keys(strict[: similar.PAGE_SIZE])
    # each side says where it comes from
    captions = [c.value for c in at.caption]
    assert any(c.startswith("CoP: ") and c.endswith("Nederlands") for c in captions)
    # only pairs across CoPs
    at.radio(key=similar.SCOPE).set_value("cops").run()
    settle(at)
    across = find_similar(reader, min_score=0.35, top=similar.MAX_PAIRS, across_cops=True).pairs
    assert shown() == keys(across[: similar.PAGE_SIZE])
    assert all(not set(p.a_context.cops) & set(p.b_context.cops) for p in across)
    # the seed is one register: nothing to hold against another
    at.radio(key=similar.SCOPE).set_value("register").run()
    settle(at)
    assert any("twee registers" in i.value for i in at.info)
    at.radio(key=similar.SCOPE).set_value("all").run()
    settle(at)
    at.select_slider(key=similar.MIN_SCORE).set_value(1.0).run()
    settle(at)
    assert any("Geen paren" in i.value for i in at.info)


# --- Overzicht ----------------------------------------------------------------------------


def test_overview_chart_numbers_equal_the_coverage(db: Path, reader: EmbeddedStore) -> None:
    coverage = handover_coverage(reader)
    at = open_page("overview")
    tables = [e.dataframe[0].value for e in at.expander if e.label == "Als tabel"]
    assert len(tables) == 2
    for frame, rows, key in (
        (tables[0], coverage.places, "total"),
        (tables[1], coverage.cops, "counts"),
    ):
        shown = frame.set_index("Naam").to_dict("index")
        assert set(shown) == {r["title"] for r in rows}
        for r in rows:
            for status in HANDOVER_STATUSES:
                label = STATUS_LABELS[status]["nl"]
                assert shown[r["title"]].get(label, 0) == r[key][status], (r["title"], status)
