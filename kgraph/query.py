"""Reads the dashboard and scripts share: question filters and sorting, search, the
narrowing of a neighbourhood, and the rows behind the review tables.

Everything here takes a store (or values read from one) and returns nodes, a ``Subgraph``
or plain rows; nothing draws. Pages call these and only lay out the result::

    from kgraph import open_store, query
    store = open_store("citydeal.db")
    raised = query.raised_in(store.edges(["RAISED_IN"]))
    rows = query.filter_questions(store.nodes(["knowledge_question"]), text="model",
                                  raised=raised)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kgraph.model import HANDOVER_STATUSES, QUESTION_KINDS, QUESTION_STATUSES, Edge, Node, fold
from kgraph.store.base import GraphStore, Subgraph

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
    "PathResult",
    "find_paths",
    "narrow",
    "raised_in",
    "reading_order",
    "SearchRow",
    "search",
    "search_rows",
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


def link_count(store: GraphStore, node_id: str) -> int:
    """How many edges touch ``node_id`` (what deleting it takes along)."""
    return len(store.edges(node_id=node_id))


# --- finding and naming nodes -------------------------------------------------------------


def search(store: GraphStore, text: str, *, limit: int = 50) -> list[Node]:
    """``store.search`` for non-blank ``text``; no hits (and no store call) for blank."""
    return store.search(text, limit=limit) if text.strip() else []


@dataclass(frozen=True)
class SearchRow:
    """One search result as a list shows it: the node and where it was raised (titles of
    its CoP's and themes; empty for kinds that are not raised anywhere)."""

    node: Node
    areas: list[str]


def search_rows(
    store: GraphStore, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
) -> list[SearchRow]:
    """``search`` with, for each hit, the CoP's/themes it was raised in (by title)."""
    if not text.strip():
        return []
    rows = []
    for node in store.search(text, kinds=kinds, limit=limit):
        areas = []
        if node.kind in QUESTION_KINDS:
            raised = store.neighbours(node.id, direction="out", edge_kinds=["RAISED_IN"], limit=5)
            areas = sorted(other.title for _edge, other in raised)
        rows.append(SearchRow(node=node, areas=areas))
    return rows


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


# --- paths ------------------------------------------------------------------------------------

#: a node with more links than this is a hub: ``find_paths(avoid_hubs=True)`` does not pass it
HUB_DEGREE = 12
#: at most this many shortest paths are listed
PATHS_LIMIT = 25
#: a node's links are read at most this many at a time when paths are listed
_READ_LIMIT = 5000


@dataclass(frozen=True)
class PathResult:
    """Shortest paths between two nodes (node ids, ``src`` first), shortest only."""

    paths: list[list[str]]
    #: hubs the search did not pass through (``avoid_hubs``)
    avoided: list[str]
    #: more shortest paths exist than are listed
    more: bool = False


def find_paths(
    store: GraphStore,
    src: str,
    dst: str,
    *,
    avoid_hubs: bool = False,
    all_paths: bool = False,
    max_depth: int = 8,
    hub_degree: int = HUB_DEGREE,
    limit: int = PATHS_LIMIT,
) -> PathResult:
    """Shortest undirected paths from ``src`` to ``dst`` within ``max_depth`` steps.

    The plain case (one path, hubs allowed) is the store's own ``shortest_path``. With
    ``avoid_hubs`` no node with more than ``hub_degree`` links is passed through (the ends
    may be hubs); with ``all_paths`` every shortest path is listed (at most ``limit``).
    ``NotFoundError`` when an end does not exist; no paths when none is short enough.
    """
    from kgraph.errors import NotFoundError, ValidationError

    for node_id in (src, dst):
        if store.get_node(node_id) is None:
            raise NotFoundError(f"no node with id {node_id!r}")
    if not 0 <= max_depth <= 20:
        raise ValidationError("max_depth must be between 0 and 20")
    if not avoid_hubs and not all_paths:
        path = store.shortest_path(src, dst, max_depth=max_depth)
        return PathResult(paths=[path] if path else [], avoided=[])
    if src == dst:
        return PathResult(paths=[[src]], avoided=[])
    avoided: dict[str, None] = {}
    links: dict[str, list[str]] = {}

    def around(node_id: str) -> list[str]:
        if node_id not in links:
            cap = hub_degree + 1 if avoid_hubs else _READ_LIMIT
            found = store.edges(node_id=node_id, limit=cap)
            others = list(dict.fromkeys(e.dst if e.src == node_id else e.src for e in found))
            if avoid_hubs and len(found) > hub_degree and node_id not in (src, dst):
                avoided[node_id] = None
                others = []
            links[node_id] = [o for o in others if o != node_id]
        return links[node_id]

    # breadth-first from both ends, one level at a time, keeping every parent at the
    # level it was reached, until the two sides meet
    parents = ({src: []}, {dst: []})  # type: tuple[dict[str, list[str]], dict[str, list[str]]]
    frontier = ([src], [dst])
    meet: list[str] = []
    for _step in range(max_depth):
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        seen, other = parents[side], parents[1 - side]
        nxt: dict[str, list[str]] = {}
        for node_id in sorted(frontier[side]):
            if avoid_hubs and node_id not in (src, dst) and not around(node_id):
                continue
            for m in around(node_id):
                if m in seen:
                    continue
                if avoid_hubs and m not in (src, dst) and m in avoided:
                    continue
                nxt.setdefault(m, []).append(node_id)
        for m, ps in nxt.items():
            seen[m] = ps
        frontier = (list(nxt), frontier[1]) if side == 0 else (frontier[0], list(nxt))
        meet = sorted(m for m in nxt if m in other)
        if avoid_hubs:  # a hub reached can only be an end
            meet = [m for m in meet if m in (src, dst) or not _is_hub(m, around, avoided)]
        if meet:
            break
        if not nxt:
            break
    if not meet:
        return PathResult(paths=[], avoided=list(avoided))

    def walk(node_id: str, table: dict[str, list[str]]) -> list[list[str]]:
        if not table[node_id]:
            return [[node_id]]
        out = []
        for p in table[node_id]:
            for tail in walk(p, table):
                out.append([node_id, *tail])
                if len(out) > limit:
                    return out
        return out

    paths: list[list[str]] = []
    for m in meet:
        for left in walk(m, parents[0]):
            for right in walk(m, parents[1]):
                paths.append([*reversed(left), *right[1:]])
    shortest = min(len(p) for p in paths)
    paths = sorted({tuple(p): p for p in paths if len(p) == shortest}.values())
    if not all_paths:
        return PathResult(paths=paths[:1], avoided=list(avoided))
    return PathResult(paths=paths[:limit], avoided=list(avoided), more=len(paths) > limit)


def _is_hub(node_id: str, around: Callable[[str], list[str]], avoided: Mapping[str, None]) -> bool:
    around(node_id)
    return node_id in avoided
