"""Gaps (hiaten): the loose ends of the graph that a theme lead or the steering group fixes.

- knowledge questions that feed no complex question;
- questions raised nowhere: not ``RAISED_IN`` a CoP or theme; a complex question also
  counts as raised when a knowledge question that feeds it was raised somewhere;
- CoPs that neither continue as a theme (``CONTINUES_AS``) nor land anywhere (``LANDS_IN``);
- themes without questions: no question raised in the theme, nor in a CoP that continues
  as it;
- nodes with no edges at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kgraph.analysis._graph import Source, fetch, item, sort_items
from kgraph.model import QUESTION_KINDS

#: gap name -> catalogue keys (``kgraph.texts``) of its title and explanation, in the order
#: they are shown
GAP_LABELS: dict[str, dict[str, str]] = {
    name: {"title": f"gap_{name}", "help": f"gap_{name}_help"}
    for name in (
        "unfed_knowledge_questions",
        "unraised_questions",
        "stranded_cops",
        "empty_themes",
        "isolated",
    )
}


@dataclass(frozen=True)
class Gaps:
    """The result of ``find_gaps``: per gap name a list of plain dicts naming nodes, and per
    gap name the catalogue keys of its title and explanation."""

    groups: dict[str, list[dict[str, Any]]]
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: dict(GAP_LABELS))

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.groups.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "counts": {name: len(rows) for name, rows in self.groups.items()},
            "groups": self.groups,
            "labels": self.labels,
        }


def find_gaps(source: Source) -> Gaps:
    """The gaps in the graph of ``source`` (a store or a subgraph); see the module docstring."""
    sub = fetch(source)
    graph = sub.to_networkx()
    kind_of: dict[str, str] = nx.get_node_attributes(graph, "kind")

    def targets(node_id: str, edge_kind: str) -> list[str]:
        return [v for _, v, k in graph.out_edges(node_id, keys=True) if k == edge_kind]

    def sources(node_id: str, edge_kind: str) -> list[str]:
        return [u for u, _, k in graph.in_edges(node_id, keys=True) if k == edge_kind]

    def of_kind(*kinds: str) -> list[str]:
        return [n for n, k in kind_of.items() if k in kinds]

    unfed = [n for n in of_kind("knowledge_question") if not targets(n, "FEEDS")]

    raised = {n for n in of_kind(*QUESTION_KINDS) if targets(n, "RAISED_IN")}
    for kq in list(raised):
        if kind_of[kq] == "knowledge_question":
            raised.update(targets(kq, "FEEDS"))
    unraised = [n for n in of_kind(*QUESTION_KINDS) if n not in raised]

    stranded = [
        n for n in of_kind("cop") if not targets(n, "CONTINUES_AS") and not targets(n, "LANDS_IN")
    ]

    def has_questions(theme: str) -> bool:
        if sources(theme, "RAISED_IN"):
            return True
        return any(sources(cop, "RAISED_IN") for cop in sources(theme, "CONTINUES_AS"))

    empty_themes = [n for n in of_kind("theme") if not has_questions(n)]
    isolated = [n for n in graph if graph.degree(n) == 0]

    def rows(ids: list[str]) -> list[dict[str, Any]]:
        return sort_items([item(sub.nodes[n]) for n in ids])

    return Gaps(
        groups={
            "unfed_knowledge_questions": rows(unfed),
            "unraised_questions": rows(unraised),
            "stranded_cops": rows(stranded),
            "empty_themes": rows(empty_themes),
            "isolated": rows(isolated),
        }
    )
