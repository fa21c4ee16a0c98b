"""The one handover table, filtered, sorted, counted and paged in the store: the same rows
as ``handover_coverage``, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kgraph import actions
from kgraph.analysis.handover import handover_coverage
from kgraph.errors import ValidationError
from kgraph.handover_table import TableQuery, all_rows, handover_table
from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.model import Edge, Node
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore

TODAY = date(2024, 6, 1)


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    nodes = [
        Node("cop:ethiek", "cop", "Ethiek"),
        Node("cop:meten", "cop", "Lokaal meten"),
        Node("theme:ai", "theme", "AI in besluitvorming"),
        Node("cq:borgen", "complex_question", "Hoe borgen we meetnetten?"),
        Node("cq:gesprek", "complex_question", "Hoe voeren we het ethisch gesprek?"),
        Node("cq:los", "complex_question", "Wie neemt de geïnteresseerde gemeenten mee?"),
        Node("kq:fed", "knowledge_question", "Welke sensoren kiezen we?"),
        Node("kq:alone", "knowledge_question", "Zonder complexe vraag"),
        Node("kq:placed", "knowledge_question", "Zelf belegd"),
        Node("showcase:breda", "showcase", "Breda Hazeldonk"),
        Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
        Node("lp:aic", "landing_place", "AI Compass"),
        Node("lp:leeg", "landing_place", "Buyer Groups"),
    ]
    edges = [
        Edge("kq:fed", "RAISED_IN", "cop:meten"),
        Edge("kq:fed", "FEEDS", "cq:borgen"),
        Edge("kq:placed", "FEEDS", "cq:borgen"),
        Edge("kq:placed", "LANDS_IN", "lp:aic", {"status": "accepted", "decided_on": "2024-03-12"}),
        Edge("kq:alone", "RAISED_IN", "theme:ai"),
        Edge("cq:gesprek", "RAISED_IN", "cop:ethiek"),
        Edge(
            "cq:borgen",
            "LANDS_IN",
            "lp:dmi",
            {"status": "accepted", "decided_on": "2024-05-01", "decided_by": "Stuurgroep"},
        ),
        Edge("cq:borgen", "LANDS_IN", "lp:aic", {"status": "declined", "decided_on": "2023-11-02"}),
        Edge("cq:gesprek", "LANDS_IN", "lp:dmi", {"status": "in_discussion", "note": "Loopt"}),
        Edge("cop:ethiek", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
        Edge("showcase:breda", "LANDS_IN", "lp:aic", {"status": "proposed"}),
    ]
    store.bulk_load(nodes, edges, actor="seed")
    return store


def _keys(store: GraphStore, **query: object) -> list[str]:
    page = handover_table(store, TableQuery(limit=100, **query), today=TODAY)  # type: ignore[arg-type]
    return [r.key for r in page.rows]


def test_the_rows_are_those_of_the_coverage(graph: GraphStore) -> None:
    rows = all_rows(graph, today=TODAY)
    assert sorted((r.item, r.place) for r in rows) == sorted(
        (r["id"], r["place"]) for r in handover_coverage(graph).rows
    )
    by_key = {r.key: r for r in rows}
    # fed and not landing itself: handed over with its complex question, not listed
    assert "kq:fed" not in {r.item for r in rows}
    # feeding nothing and landing nowhere: a row without a place
    assert by_key["kq:alone"].status == "none" and by_key["kq:alone"].place is None
    assert by_key["kq:placed|LANDS_IN|lp:aic"].status == "accepted"
    row = by_key["cq:borgen|LANDS_IN|lp:dmi"]
    assert (row.title, row.place_title, row.decided_on, row.decided_by) == (
        "Hoe borgen we meetnetten?",
        "DMI-ecosysteem",
        "2024-05-01",
        "Stuurgroep",
    )
    # its CoP through the question that feeds it
    assert [a["title"] for a in row.areas] == ["Lokaal meten"]
    assert [a["id"] for a in by_key["kq:alone"].areas] == ["theme:ai"]


def test_the_seed_table_has_the_coverage_rows(store: GraphStore) -> None:
    apply_batch(store, seed_importer.read(seed_folder()))
    rows = all_rows(store)
    assert sorted((r.item, r.place or "") for r in rows) == sorted(
        (r["id"], r["place"] or "") for r in handover_coverage(store).rows
    )


def test_filters(graph: GraphStore) -> None:
    # by title: "Lokaal meten", "Wie neemt ...", "Zonder complexe vraag"
    assert _keys(graph, statuses=("none",)) == ["cop:meten", "cq:los", "kq:alone"]
    assert set(_keys(graph, statuses=("accepted", "declined"))) == {
        "cq:borgen|LANDS_IN|lp:dmi",
        "cq:borgen|LANDS_IN|lp:aic",
        "kq:placed|LANDS_IN|lp:aic",
    }
    assert set(_keys(graph, places=("lp:aic",))) == {
        "cq:borgen|LANDS_IN|lp:aic",
        "kq:placed|LANDS_IN|lp:aic",
        "showcase:breda|LANDS_IN|lp:aic",
    }
    assert _keys(graph, places=("lp:leeg",)) == []
    assert set(_keys(graph, kinds=("cop", "showcase"))) == {
        "cop:ethiek|LANDS_IN|lp:dmi",
        "cop:meten",
        "showcase:breda|LANDS_IN|lp:aic",
    }
    # a CoP: its own handover, what was raised in it, what is fed from there
    assert set(_keys(graph, areas=("cop:ethiek",))) == {
        "cop:ethiek|LANDS_IN|lp:dmi",
        "cq:gesprek|LANDS_IN|lp:dmi",
    }
    assert set(_keys(graph, areas=("cop:meten",))) == {
        "cop:meten",
        "cq:borgen|LANDS_IN|lp:dmi",
        "cq:borgen|LANDS_IN|lp:aic",
    }
    assert _keys(graph, areas=("theme:ai",)) == ["kq:alone"]
    # words start words of the title, accents and case ignored
    assert _keys(graph, text="GEINTERESSEERD gemeent") == ["cq:los"]
    assert set(_keys(graph, text="hoe")) == {
        "cq:borgen|LANDS_IN|lp:dmi",
        "cq:borgen|LANDS_IN|lp:aic",
        "cq:gesprek|LANDS_IN|lp:dmi",
    }
    assert _keys(graph, text="oe") == []
    assert set(_keys(graph, decided_from=date(2024, 3, 12))) == {
        "cq:borgen|LANDS_IN|lp:dmi",
        "kq:placed|LANDS_IN|lp:aic",
    }
    # combined
    assert _keys(graph, places=("lp:dmi",), statuses=("in_discussion",)) == [
        "cq:gesprek|LANDS_IN|lp:dmi"
    ]


def test_action_filters_and_summary(graph: GraphStore) -> None:
    actions.add_action(graph, "cq:borgen", "lp:dmi", what="Brief", owner="Ada", due="2024-05-20")
    actions.add_action(graph, "cq:borgen", "lp:dmi", what="Bellen", owner="Bea", due="2024-07-01")
    later = actions.add_action(graph, "cq:gesprek", "lp:dmi", what="Agenda", owner="ada")
    actions.add_action(graph, "kq:alone", None, what="Plek zoeken", owner="Cor", due="01-05-2024")
    assert set(_keys(graph, owner="ADA")) == {
        "cq:borgen|LANDS_IN|lp:dmi",
        "cq:gesprek|LANDS_IN|lp:dmi",
    }
    assert set(_keys(graph, overdue=True)) == {"cq:borgen|LANDS_IN|lp:dmi", "kq:alone"}
    assert _keys(graph, owner="Bea", overdue=True) == ["cq:borgen|LANDS_IN|lp:dmi"]
    actions.complete_action(graph, later.id, on="2024-05-30")
    assert _keys(graph, owner="ada") == ["cq:borgen|LANDS_IN|lp:dmi"]
    rows = {r.key: r for r in all_rows(graph, today=TODAY)}
    borgen = rows["cq:borgen|LANDS_IN|lp:dmi"]
    assert (borgen.open_actions, borgen.next_due, borgen.overdue) == (2, "2024-05-20", True)
    assert rows["cq:gesprek|LANDS_IN|lp:dmi"].open_actions == 0
    # most open actions first, then the earliest deadline
    assert _keys(graph, sort="actions", descending=True)[:2] == [
        "cq:borgen|LANDS_IN|lp:dmi",
        "kq:alone",
    ]
    assert _keys(graph, sort="due")[:2] == ["kq:alone", "cq:borgen|LANDS_IN|lp:dmi"]


def test_sorting_keeps_empty_values_last(graph: GraphStore) -> None:
    titles = [r.title for r in handover_table(graph, TableQuery(limit=100)).rows]
    assert titles == sorted(titles, key=str.casefold)
    down = _keys(graph, sort="decided_on", descending=True)
    assert down[:3] == [
        "cq:borgen|LANDS_IN|lp:dmi",
        "kq:placed|LANDS_IN|lp:aic",
        "cq:borgen|LANDS_IN|lp:aic",
    ]
    up = _keys(graph, sort="decided_on")
    assert up[:3] == down[:3][::-1]
    rows = handover_table(graph, TableQuery(sort="status", limit=100)).rows
    assert [r.status for r in rows] == sorted(
        (r.status for r in rows),
        key=("proposed", "in_discussion", "accepted", "declined", "none").index,
    )
    places = [
        r.place_title for r in handover_table(graph, TableQuery(sort="place", limit=100)).rows
    ]
    assert places[-2:] == [None, None] and places[0] == "AI Compass"


def test_paging_counts_every_match(graph: GraphStore) -> None:
    everything = _keys(graph)
    assert len(everything) == 9
    pages = [handover_table(graph, TableQuery(limit=4, offset=o), today=TODAY) for o in (0, 4, 8)]
    assert [len(p.rows) for p in pages] == [4, 4, 1]
    assert {p.total for p in pages} == {9} and pages[0].pages == 3
    assert [k.key for p in pages for k in p.rows] == everything
    past = handover_table(graph, TableQuery(limit=3, offset=30), today=TODAY)
    assert past.rows == [] and past.total == 9
    assert handover_table(graph, TableQuery(places=("lp:leeg",))).total == 0


def test_bad_queries_are_refused(graph: GraphStore) -> None:
    for bad in (
        TableQuery(statuses=("done",)),
        TableQuery(kinds=("organisation",)),
        TableQuery(sort="id"),
        TableQuery(limit=0),
        TableQuery(offset=-1),
    ):
        with pytest.raises(ValidationError):
            handover_table(graph, bad)
    # user text is data: quotes and FTS syntax in the words change nothing
    assert _keys(graph, text='"; DROP TABLE nodes; -- {title} : *') == []
    assert len(_keys(graph, text="'")) == 9


def test_a_guarded_store_reads_the_same(graph: GraphStore) -> None:
    from kgraph.auth.guard import GuardedStore

    viewer = GuardedStore(graph, "Vera", "viewer")
    query = replace(TableQuery(), limit=100)
    assert [r.key for r in handover_table(viewer, query).rows] == _keys(graph)
