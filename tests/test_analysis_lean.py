"""The lean analyses agree with the full ones, on both backends, on the City Deal graph and
a generated graph with hubs: the handover's counts (``handover_overview``) with
``handover_coverage``, its open lists as store queries with the coverage's lists, the gaps
answered by the store with the gaps answered in memory, and a page of a list with the
whole list."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kgraph.analysis import centrality, find_gaps, handover_coverage
from kgraph.analysis.cached import LISTS, _list_counts
from kgraph.analysis.gaps import GAP_QUERIES, gap_counts
from kgraph.analysis.handover import handover_overview, no_landing_query, not_accepted_query
from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.generate import graph


@pytest.fixture(params=["citydeal", "generated"])
def loaded(request: pytest.FixtureRequest, store: GraphStore) -> GraphStore:
    if request.param == "citydeal":
        apply_batch(store, seed_importer.read(seed_folder()))
    else:
        g = graph("XS")
        store.bulk_load(g.nodes(), g.edges())
    return store


def test_the_handover_counts_are_the_coverages(loaded: GraphStore) -> None:
    full = handover_coverage(loaded)
    counts = handover_overview(loaded)
    assert counts.places == full.places
    assert [(c["id"], c["counts"]) for c in counts.cops] == [
        (c["id"], c["counts"]) for c in full.cops
    ]
    assert counts.summary == full.summary and counts.totals == full.totals
    assert counts.idle_places == full.idle_places
    assert counts.no_landing == len(full.no_landing)
    assert counts.not_accepted == len(full.not_accepted)
    # the same from a subgraph in memory
    assert handover_coverage(loaded.export_all()) == full


def test_the_open_lists_as_queries_are_the_coverages(loaded: GraphStore) -> None:
    full = handover_coverage(loaded)
    assert {n.id for n in loaded.find_nodes(no_landing_query())} == {
        r["id"] for r in full.no_landing
    }
    assert {n.id for n in loaded.find_nodes(not_accepted_query())} == {
        r["id"] for r in full.not_accepted
    }


def test_gaps_from_the_store_are_the_gaps_in_memory(loaded: GraphStore) -> None:
    in_store = find_gaps(loaded)
    in_memory = find_gaps(loaded.export_all())
    assert in_store.groups == in_memory.groups
    assert gap_counts(loaded) == {name: len(rows) for name, rows in in_store.groups.items()}
    # a page of a list is that part of the whole list
    for name, query in GAP_QUERIES.items():
        whole = [n.id for n in loaded.find_nodes(query)]
        assert [n.id for n in loaded.find_nodes(query, limit=7, offset=3)] == whole[3:10], name


def test_the_list_counts_name_each_item_once(loaded: GraphStore) -> None:
    counts = _list_counts(loaded)
    full = handover_coverage(loaded)
    named: set[str] = set()
    for name, make in LISTS.items():
        ids = {n.id for n in loaded.find_nodes(make())}
        assert counts[name] == len(ids), name
        named |= ids
    named |= {p["id"] for p in full.idle_places}
    assert counts["idle_places"] == len(full.idle_places)
    assert counts["flagged"] == len(named)


def test_centrality_from_the_store_is_the_one_in_memory(loaded: GraphStore) -> None:
    """The same ranking, degrees and (to the sixth decimal) shares; the last bits of a
    float sum may differ with the order the nodes were read in."""

    def ranked(source: object) -> list[tuple[str, int, float]]:
        rows = centrality(source, top=None).rows  # type: ignore[arg-type]
        return [(r["id"], r["degree"], r["betweenness"]) for r in rows]

    assert ranked(loaded) == ranked(loaded.export_all())
