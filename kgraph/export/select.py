"""Choosing what to export: the whole graph, or a neighbourhood, filtered by kind/status."""

from __future__ import annotations

from collections.abc import Sequence

from kgraph.model import QUESTION_KINDS, check_node_kind, check_question_status
from kgraph.store.base import GraphStore, Subgraph

#: node cap for exports of a neighbourhood (the UI uses the store's smaller default)
EXPORT_CAP = 20_000


def select(
    store: GraphStore,
    *,
    focus: Sequence[str] = (),
    depth: int = 1,
    kinds: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    cap: int = EXPORT_CAP,
) -> Subgraph:
    """The subgraph to export.

    Without ``focus``: every node (of ``kinds``, when given) and the edges among them.
    With ``focus``: the neighbourhood within ``depth`` steps, capped at ``cap`` nodes.
    ``statuses`` filters questions by lifecycle status; nodes of other kinds have no such
    status and are kept. Focus nodes are always kept.
    """
    for kind in kinds or ():
        check_node_kind(kind)
    for status in statuses or ():
        check_question_status(status)
    if focus:
        sub = store.neighbourhood(list(focus), depth, kinds=kinds or None, cap=cap)
        nodes = sub.nodes
    else:
        sub = None
        nodes = {n.id: n for n in store.nodes(kinds or None)}
    ids = list(nodes)
    if statuses:
        wanted = set(statuses)
        ids = [
            i
            for i in ids
            if nodes[i].kind not in QUESTION_KINDS or nodes[i].status in wanted or i in focus
        ]
    chosen = store.subgraph(ids)
    if sub is None:
        return chosen
    return Subgraph(
        chosen.nodes, chosen.edges, truncated=sub.truncated, focus=sub.focus, cap=sub.cap
    )
