"""The capped breadth-first search behind every backend's ``neighbourhood``.

Hubs (the DMI-ecosysteem, a big CoP) touch almost everything, so a neighbourhood is
grown level by level from the focus, each level's nodes expanded low degree first (ties
by id) and hubs last, and it stops at ``cap`` nodes, saying so (``truncated``). That
order, the cap and the flag are decided here, once, for every backend.

A backend supplies only an ``Adjacency``: the focus nodes' degrees, one level's new
neighbours (``level``; the embedded store probes node by node through its indexes and
read cache, Neo4j asks for a whole level in one round trip), and the selected nodes with
the edges among them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from kgraph.errors import NotFoundError, ValidationError
from kgraph.model import Edge, Node, check_edge_kind, check_node_kind
from kgraph.store.values import Subgraph

#: ``expand(node_id, seen, n)``: up to ``n`` neighbours of one node not in ``seen``, as
#: ``(id, degree)`` in the backend's order
Expand = Callable[[str, Mapping[str, None], int], list[tuple[str, int]]]


@dataclass(frozen=True)
class Filters:
    """What a neighbourhood may walk through (``None``: anything)."""

    kinds: list[str] | None = None
    statuses: list[str] | None = None
    edge_kinds: list[str] | None = None

    @property
    def any(self) -> bool:
        return bool(self.kinds or self.statuses or self.edge_kinds)


class Adjacency(Protocol):
    """What a backend reads for one neighbourhood, inside one read transaction."""

    def degrees(self, ids: Sequence[str]) -> dict[str, int]:
        """The degrees of those of ``ids`` that exist."""
        ...

    def level(
        self, frontier: Sequence[str], seen: Mapping[str, None], take: int
    ) -> list[tuple[str, int]]:
        """The first ``take`` distinct neighbours not in ``seen`` (passing the filters),
        as ``(id, degree)``: every new neighbour of ``frontier[0]`` before any of
        ``frontier[1]`` and so on; among one node's, which come first is the backend's
        choice (each backend reads no more than ``take`` of a hub's neighbours)."""
        ...

    def selection(
        self, ids: Sequence[str], degree: Mapping[str, int]
    ) -> tuple[dict[str, Node], list[Edge]]:
        """The nodes ``ids`` (by id) and the edges among them (passing the edge filter),
        sorted by (src, kind, dst)."""
        ...


def check_request(
    focus: Sequence[str],
    depth: int,
    cap: int,
    kinds: Sequence[str] | None,
    statuses: Sequence[str] | None,
    edge_kinds: Sequence[str] | None,
) -> tuple[list[str], Filters]:
    """Check a neighbourhood request; the focus without repeats (in the order given) and
    the filters."""
    if depth < 0:
        raise ValidationError("depth must be 0 or more")
    if cap < 1:
        raise ValidationError("cap must be at least 1")
    for kind in kinds or ():
        check_node_kind(kind)
    for kind in edge_kinds or ():
        check_edge_kind(kind)
    filters = Filters(
        list(kinds) if kinds else None,
        list(statuses) if statuses else None,
        list(edge_kinds) if edge_kinds else None,
    )
    return list(dict.fromkeys(focus)), filters


def frontier_order(frontier: Sequence[str], degree: Mapping[str, int]) -> list[str]:
    """Low degree first (a hub would fill the cap with its own leaves), ties by id."""
    return sorted(frontier, key=lambda i: (degree.get(i, 0), i))


def capped_bfs(
    focus: Sequence[str],
    depth: int,
    cap: int,
    degree: dict[str, int],
    level: Callable[[Sequence[str], Mapping[str, None], int], list[tuple[str, int]]],
) -> tuple[list[str], bool]:
    """The ids a neighbourhood selects (focus first), and whether the cap cut it short.

    ``degree`` holds the focus nodes' degrees and collects the others'; ``level`` is
    ``Adjacency.level``.
    """
    selected: dict[str, None] = dict.fromkeys(focus[:cap])
    truncated = len(focus) > cap
    frontier = list(selected)
    for _level in range(depth):
        if truncated or not frontier:
            break
        room = cap - len(selected)
        if room <= 0:
            truncated = True
            break
        # one more than fits: finding it is how a cut is known
        found = level(frontier_order(frontier, degree), selected, room + 1)
        if len(found) > room:
            found = found[:room]
            truncated = True
        frontier = []
        for other, other_degree in found:
            selected[other] = None
            degree[other] = other_degree
            frontier.append(other)
    return list(selected), truncated


def level_by_node(expand: Expand) -> Callable[..., list[tuple[str, int]]]:
    """``Adjacency.level`` from a per-node ``expand``: each frontier node asked in turn for
    as many new neighbours as still fit."""

    def level(
        frontier: Sequence[str], seen: Mapping[str, None], take: int
    ) -> list[tuple[str, int]]:
        known = dict(seen)
        found: list[tuple[str, int]] = []
        for node_id in frontier:
            room = take - len(found)
            if room <= 0:
                break
            for other, other_degree in expand(node_id, known, room):
                known[other] = None
                found.append((other, other_degree))
        return found

    return level


def neighbourhood(adjacency: Adjacency, focus: list[str], depth: int, cap: int) -> Subgraph:
    """The capped neighbourhood of ``focus`` read through ``adjacency``."""
    degree = adjacency.degrees(focus)
    for node_id in focus:
        if node_id not in degree:
            raise NotFoundError(f"no node with id {node_id!r}")
    ids, truncated = capped_bfs(focus, depth, cap, degree, adjacency.level)
    nodes, edges = adjacency.selection(ids, degree)
    # (a node deleted by another process meanwhile is not in ``nodes``)
    ordered = {i: nodes[i] for i in ids if i in nodes}
    return Subgraph(nodes=ordered, edges=edges, truncated=truncated, focus=tuple(focus), cap=cap)
