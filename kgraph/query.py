"""Reads the dashboard and scripts share: question filters and sorting, search, the
narrowing of a neighbourhood, and the rows behind the review tables.

Everything here takes a store (or values read from one) and returns nodes, a ``Subgraph``
or plain rows; nothing draws. Pages call these and only lay out the result::

    from kgraph import open_store, query
    store = open_store("citydeal.db")
    q = query.question_query(text="model", areas=["cop:lokaal-meten"], sort="title")
    store.count_nodes(q), store.find_nodes(q, limit=25, offset=0)   # filtered in the store
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kgraph.model import HANDOVER_STATUSES, QUESTION_KINDS, QUESTION_STATUSES, Edge, Node, fold
from kgraph.store.base import GraphStore, Subgraph
from kgraph.store.listing import Link, NodeQuery

#: the ways ``sort_questions`` orders questions
QUESTION_SORTS = ("title", "status", "kind", "updated")
#: where Verkennen starts when nothing is chosen yet
DEFAULT_FOCUS = "lp:dmi-ecosysteem"

__all__ = [
    "DEFAULT_FOCUS",
    "QUESTION_SORTS",
    "SimilarReview",
    "default_focus",
    "filter_questions",
    "link_count",
    "narrow",
    "question_query",
    "raised_in",
    "raised_in_of",
    "reading_order",
    "search",
    "similar_review",
    "sort_questions",
    "titles",
    "top_ranked",
]


# --- questions ----------------------------------------------------------------------------


def raised_in(edges: Iterable[Edge]) -> dict[str, list[str]]:
    """Question id -> ids of the CoP's and themes it was raised in, from ``RAISED_IN``
    edges (other kinds are ignored)."""
    out: dict[str, list[str]] = {}
    for e in edges:
        if e.kind == "RAISED_IN":
            out.setdefault(e.src, []).append(e.dst)
    return out


def filter_questions(
    questions: Iterable[Node],
    *,
    text: str = "",
    kinds: Sequence[str] = (),
    statuses: Sequence[str] = (),
    areas: Sequence[str] = (),
    raised: Mapping[str, Sequence[str]] | None = None,
) -> list[Node]:
    """The questions matching every given filter; an empty filter matches all.

    ``text``: every word occurs (case- and accent-insensitive) in the title, text, tags or
    owner. ``areas``: raised in at least one of these CoP's/themes, per ``raised`` (see
    ``raised_in``).
    """
    words = fold(text).split()
    wanted_areas = set(areas)
    raised = raised or {}
    out = []
    for q in questions:
        if kinds and q.kind not in kinds:
            continue
        if statuses and q.status not in statuses:
            continue
        if wanted_areas and not wanted_areas & set(raised.get(q.id, ())):
            continue
        if words:
            owner = str(q.props.get("owner", "") or "")
            hay = fold(" ".join([q.title, q.text, " ".join(q.tags), owner]))
            if not all(w in hay for w in words):
                continue
        out.append(q)
    return out


def sort_questions(questions: Iterable[Node], how: str, descending: bool = False) -> list[Node]:
    """``questions`` ordered by one of ``QUESTION_SORTS``: title (accent-insensitive),
    lifecycle status (in ``QUESTION_STATUSES`` order), kind then title, or last update."""
    keys: dict[str, Callable[[Node], Any]] = {
        "title": lambda q: fold(q.title),
        "status": lambda q: (
            QUESTION_STATUSES.index(q.status) if q.status in QUESTION_STATUSES else 9
        ),
        "kind": lambda q: (q.kind, fold(q.title)),
        "updated": lambda q: q.updated_at or "",
    }
    if how not in keys:
        raise ValueError(f"unknown sort {how!r}; use one of {', '.join(QUESTION_SORTS)}")
    return sorted(questions, key=keys[how], reverse=descending)


def question_query(
    *,
    text: str = "",
    kinds: Sequence[str] = (),
    statuses: Sequence[str] = (),
    areas: Sequence[str] = (),
    sort: str = "title",
    descending: bool = False,
) -> NodeQuery:
    """The questions list as a store query (``GraphStore.find_nodes``/``count_nodes``):
    the store filters, sorts, counts and pages it. ``text``: every word starts a word of
    the title, text, tags or id (the store's text index, as in search); ``kinds``: of
    ``QUESTION_KINDS`` (all when empty); ``areas``: raised in at least one of these CoP's
    or themes; ``sort``: one of ``QUESTION_SORTS``."""
    if sort not in QUESTION_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(QUESTION_SORTS)}")
    wanted = tuple(k for k in kinds if k in QUESTION_KINDS) or tuple(sorted(QUESTION_KINDS))
    return NodeQuery(
        kinds=wanted,
        statuses=tuple(statuses),
        text=text,
        where=Link("RAISED_IN", ends=tuple(areas)) if areas else None,
        sort=sort,
        descending=descending,
    )


def raised_in_of(store: GraphStore, ids: Iterable[str]) -> dict[str, list[str]]:
    """Question id -> ids of the CoP's and themes it was raised in, for ``ids`` only (a
    page of a list; one adjacency read each)."""
    return {
        node_id: [
            e.dst for e, _ in store.neighbours(node_id, direction="out", edge_kinds=["RAISED_IN"])
        ]
        for node_id in ids
    }


def link_count(store: GraphStore, node_id: str) -> int:
    """How many edges touch ``node_id`` (what deleting it takes along)."""
    return len(store.edges(node_id=node_id))


# --- finding and naming nodes -------------------------------------------------------------


def search(store: GraphStore, text: str, *, limit: int = 50) -> list[Node]:
    """``store.search`` for non-blank ``text``; no hits (and no store call) for blank."""
    return store.search(text, limit=limit) if text.strip() else []


def titles(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Titles of the given node ids; an id that no longer exists maps to itself."""
    out: dict[str, str] = {}
    for node_id in ids:
        node = store.get_node(node_id)
        out[node_id] = node.title if node is not None else node_id
    return out


def reading_order(nodes: Iterable[Node]) -> list[Node]:
    """Nodes by kind, then title (case-insensitive): the order pickers list them in."""
    return sorted(nodes, key=lambda n: (n.kind, n.title.casefold()))


# --- neighbourhoods -----------------------------------------------------------------------


def default_focus(store: GraphStore) -> list[str]:
    """Where exploring starts: the DMI-ecosysteem when present, else the first landing
    place, else any node; empty for an empty store."""
    if store.get_node(DEFAULT_FOCUS) is not None:
        return [DEFAULT_FOCUS]
    first = store.nodes(["landing_place"], limit=1) or store.nodes(limit=1)
    return [first[0].id] if first else []


def narrow(
    store: GraphStore,
    base: Subgraph,
    *,
    keep_always: Sequence[str] = (),
    question_statuses: Sequence[str] = (),
    handover_statuses: Sequence[str] = (),
    areas: Sequence[str] = (),
) -> Subgraph:
    """``base`` filtered: questions by lifecycle status, ``LANDS_IN`` edges by handover
    status, and with ``areas`` (CoP's, themes, landing places) only what is directly
    linked to them. An empty filter (or one naming every status) keeps everything.

    ``keep_always`` (the focus and a shortest path) stays, and is fetched from ``store``
    when ``base`` lacks it; so are the ``areas``. ``truncated``, ``focus`` and ``cap`` are
    those of ``base``.
    """
    extra = [i for i in dict.fromkeys((*keep_always, *areas)) if i not in base.nodes]
    sub = store.subgraph([*base.nodes, *extra]) if extra or areas else base
    keep = set(sub.nodes)
    if areas:
        wanted = set(areas)
        near = set(wanted)
        for e in sub.edges:
            if e.src in wanted:
                near.add(e.dst)
            if e.dst in wanted:
                near.add(e.src)
        keep &= near
    if question_statuses and set(question_statuses) != set(QUESTION_STATUSES):
        keep = {
            i
            for i in keep
            if sub.nodes[i].kind not in QUESTION_KINDS or sub.nodes[i].status in question_statuses
        }
    keep |= {i for i in keep_always if i in sub.nodes}
    edges = [e for e in sub.edges if e.src in keep and e.dst in keep]
    if handover_statuses and set(handover_statuses) != set(HANDOVER_STATUSES):
        edges = [
            e
            for e in edges
            if e.kind != "LANDS_IN" or (e.status or "proposed") in handover_statuses
        ]
    nodes = {i: n for i, n in sub.nodes.items() if i in keep}
    return Subgraph(
        nodes=nodes, edges=edges, truncated=base.truncated, focus=base.focus, cap=base.cap
    )


# --- review tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarReview:
    """What people decided about proposed similar pairs so far."""

    #: ``RELATES_TO`` edges the similarity review made
    linked: list[Edge]
    #: dismissed pairs as ``(smaller id, larger id)``, sorted
    dismissed: list[tuple[str, str]]


def similar_review(questions: Iterable[Node], relates_to: Iterable[Edge]) -> SimilarReview:
    """The accepted links (``origin: similarity``) among ``relates_to`` and the pairs
    dismissed on ``questions`` (each pair once, however many sides remember it)."""
    # imported here: the similarity module pulls in numpy/scipy, which plain reads skip
    from kgraph.analysis.similar import DISMISSED_PROP, ORIGIN

    linked = [
        e for e in relates_to if e.kind == "RELATES_TO" and (e.props or {}).get("origin") == ORIGIN
    ]
    dismissed: set[tuple[str, str]] = set()
    for q in questions:
        others = q.props.get(DISMISSED_PROP) or []
        for other in others if isinstance(others, list) else [others]:
            dismissed.add((min(q.id, str(other)), max(q.id, str(other))))
    return SimilarReview(linked=linked, dismissed=sorted(dismissed))


def top_ranked(
    rows: Iterable[Mapping[str, Any]], kinds: Sequence[str] = (), top: int | None = None
) -> list[dict[str, Any]]:
    """The first ``top`` of already-ranked ``rows`` (dicts with a ``kind``) of ``kinds``
    (all when empty), each with its ``rank`` (1-based) among those kept."""
    kept = [r for r in rows if not kinds or r["kind"] in kinds]
    if top is not None:
        kept = kept[:top]
    return [dict(r) | {"rank": i} for i, r in enumerate(kept, start=1)]
