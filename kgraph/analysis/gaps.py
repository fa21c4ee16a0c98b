"""Gaps (hiaten): the loose ends of the graph that a theme lead or the steering group fixes.

- knowledge questions that feed no complex question;
- questions raised nowhere: not ``RAISED_IN`` a CoP or theme; a complex question also
  counts as raised when a knowledge question that feeds it was raised somewhere;
- CoPs that neither continue as a theme (``CONTINUES_AS``) nor land anywhere (``LANDS_IN``);
- themes without questions: no question raised in the theme, nor in a CoP that continues
  as it;
- nodes with no edges at all.

Each gap is a store query (``GAP_QUERIES``: a ``NodeQuery``), answered by the store on
either backend: a page lists one page of a gap and counts it without reading the others;
``find_gaps`` lists every gap in full (the command line, reports). Given a subgraph, the
same queries are answered in memory (``listing.select_nodes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgraph.analysis._graph import Source, item
from kgraph.store.base import Subgraph
from kgraph.store.listing import AnyOf, Isolated, Link, NodeQuery, Not, select_nodes

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

#: gap name -> the query listing it (ordered by kind, then title)
GAP_QUERIES: dict[str, NodeQuery] = {
    "unfed_knowledge_questions": NodeQuery(kinds=("knowledge_question",), where=Not(Link("FEEDS"))),
    "unraised_questions": NodeQuery(
        kinds=("complex_question", "knowledge_question"),
        where=Not(
            AnyOf(
                (
                    Link("RAISED_IN"),
                    Link("FEEDS", "in", end_kinds=("knowledge_question",), then=Link("RAISED_IN")),
                )
            )
        ),
    ),
    "stranded_cops": NodeQuery(
        kinds=("cop",), where=Not(AnyOf((Link("CONTINUES_AS"), Link("LANDS_IN"))))
    ),
    "empty_themes": NodeQuery(
        kinds=("theme",),
        where=Not(
            AnyOf(
                (
                    Link("RAISED_IN", "in"),
                    Link("CONTINUES_AS", "in", then=Link("RAISED_IN", "in")),
                )
            )
        ),
    ),
    "isolated": NodeQuery(where=Isolated()),
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Gaps:
        return cls(groups=dict(data["groups"]), labels=dict(data.get("labels") or GAP_LABELS))


def find_gaps(source: Source) -> Gaps:
    """Every gap of the graph of ``source`` (a store or a subgraph), in full."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for name, query in GAP_QUERIES.items():
        if isinstance(source, Subgraph):
            found = select_nodes(source, query)
        else:
            found = source.find_nodes(query)
        groups[name] = [item(n) for n in found]
    return Gaps(groups=groups)


def gap_counts(source: Source) -> dict[str, int]:
    """How many items each gap holds (counted by the store: nothing is listed)."""
    if isinstance(source, Subgraph):
        return {name: len(select_nodes(source, q)) for name, q in GAP_QUERIES.items()}
    return {name: source.count_nodes(q) for name, q in GAP_QUERIES.items()}
