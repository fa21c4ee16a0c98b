"""The analyses as the cache keeps them (``kgraph.cache``): one definition each, shared by
the dashboard's pages and the command line, so what one computed the other reuses.

Pages show lists a page at a time: ``LIST_PAGE`` is one page of one of the open lists
(``LISTS``: every gap and the handover's open ends), ``LIST_COUNTS`` how long each list
is and how many distinct items they name together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kgraph.analysis._graph import item
from kgraph.analysis.centrality import DEFAULT_SAMPLES, Centrality, centrality
from kgraph.analysis.gaps import GAP_QUERIES
from kgraph.analysis.handover import (
    HandoverCoverage,
    HandoverOverview,
    handover_coverage,
    handover_overview,
    no_landing_query,
    not_accepted_query,
)
from kgraph.cache import Analysis
from kgraph.store.base import GraphStore
from kgraph.store.listing import AllOf, Among, AnyOf, NodeQuery, OfKind


#: list name -> its query: the gaps, then the handover's open ends (``idle_places`` is the
#: overview's own list of landing places)
def _fixed(query: NodeQuery) -> Callable[[], NodeQuery]:
    return lambda: query


LISTS: dict[str, Callable[[], NodeQuery]] = {
    **{name: _fixed(q) for name, q in GAP_QUERIES.items()},
    # built at each call: which kinds land is read from the model then
    "no_landing": no_landing_query,
    "not_accepted": not_accepted_query,
}


def _counts(store: GraphStore) -> dict[str, Any]:
    counts = store.counts()
    return {"nodes": counts.nodes, "edges": counts.edges, "statuses": store.status_counts()}


def _list_counts(store: GraphStore) -> dict[str, Any]:
    queries = {name: make() for name, make in LISTS.items()}
    counts = {name: store.count_nodes(q) for name, q in queries.items()}
    idle = [p["id"] for p in store_overview(store).idle_places]
    counts["idle_places"] = len(idle)
    # every item named by at least one list, once
    union = AnyOf(
        (
            *(
                AllOf((OfKind(q.kinds), q.where) if q.where is not None else (OfKind(q.kinds),))
                if q.kinds
                else (q.where or AllOf(()))
                for q in queries.values()
            ),
            Among(tuple(idle)),
        )
    )
    counts["flagged"] = store.count_nodes(NodeQuery(where=union))
    return counts


def _list_page(
    store: GraphStore, name: str, offset: int, limit: int, sort: str = "kind"
) -> list[dict[str, Any]]:
    query = LISTS[name]()
    query = NodeQuery(**{**query.__dict__, "sort": sort})
    rows = [item(n) for n in store.find_nodes(query, limit=limit, offset=offset)]
    if name == "not_accepted":  # where each lands so far (the page's rows only)
        for row in rows:
            row["landings"] = [
                {"place": place.id, "place_title": place.title, "status": e.status or "proposed"}
                for e, place in store.neighbours(
                    row["id"], direction="out", edge_kinds=["LANDS_IN"]
                )
            ]
    return rows


def _centrality(
    store: GraphStore, progress: Callable[[float], None], samples: int = DEFAULT_SAMPLES
) -> Centrality:
    # every node, ranked once; kinds and how many are shown are chosen on the page
    return centrality(store, top=None, samples=samples, progress=progress)


#: nodes and edges per kind, nodes per kind and status
COUNTS: Analysis[dict[str, Any]] = Analysis("counts", _counts)
#: ``handover_overview``: the handover in numbers
HANDOVER_OVERVIEW: Analysis[HandoverOverview] = Analysis(
    "handover_overview",
    handover_overview,
    encode=HandoverOverview.to_dict,
    decode=HandoverOverview.from_dict,
)
#: ``handover_coverage``: a row per item and landing place (the handover page, the report)
HANDOVER_COVERAGE: Analysis[HandoverCoverage] = Analysis(
    "handover_coverage",
    handover_coverage,
    encode=HandoverCoverage.to_dict,
    decode=HandoverCoverage.from_dict,
)
#: how many items each of ``LISTS`` holds, ``idle_places``, and ``flagged`` (distinct)
LIST_COUNTS: Analysis[dict[str, int]] = Analysis("list_counts", _list_counts)
#: one page of one of ``LISTS``: ``cached(store, LIST_PAGE, name=..., offset=..., limit=...)``
LIST_PAGE: Analysis[list[dict[str, Any]]] = Analysis("list_page", _list_page)
#: every node ranked by betweenness, then degree (``samples`` as a parameter)
CENTRALITY: Analysis[Centrality] = Analysis(
    "centrality",
    _centrality,
    encode=Centrality.to_dict,
    decode=Centrality.from_dict,
    progress=True,
)


def store_overview(store: GraphStore) -> HandoverOverview:
    """``HANDOVER_OVERVIEW`` of ``store`` through the cache."""
    from kgraph.cache import cached

    return cached(store, HANDOVER_OVERVIEW)
