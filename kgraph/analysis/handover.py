"""Handover coverage: where complex questions and CoPs land, with what status, what is open.

Counting rules (the steering group's view):

- A landing place's ``direct`` counts are the ``LANDS_IN`` edges that end at it, by
  handover status. Its ``via_parts`` counts add the direct counts of every landing place
  that is ``PART_OF`` it, at any depth (a DMI theme's receipts are also the
  DMI-ecosysteem's). ``total`` is the sum of both.
- A landing place "receives nothing" when its total is zero: neither it nor any of its parts
  is the target of a ``LANDS_IN``. A receipt by the whole does not count for its parts,
  because it does not say which part takes the item over.
- A CoP's counts cover its own ``LANDS_IN`` edges and those of its complex questions: the
  complex questions ``RAISED_IN`` the CoP and those fed (``FEEDS``) by knowledge questions
  raised in it.
- A complex question or CoP "has no accepted landing place" when none of its own
  ``LANDS_IN`` edges is ``accepted`` (also when it has none at all).
- "No landing place at all" lists complex questions, CoPs and showcases without any
  ``LANDS_IN`` edge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kgraph.analysis._graph import Source, fetch, item, sort_items
from kgraph.model import HANDOVER_STATUSES

_NODE_KINDS = ("knowledge_question", "complex_question", "cop", "showcase", "landing_place")
_EDGE_KINDS = ("LANDS_IN", "PART_OF", "RAISED_IN", "FEEDS")
_HANDED = ("complex_question", "cop", "showcase")

EXPLANATIONS: dict[str, dict[str, str]] = {
    "places": {
        "nl": "Per landingsplaats het aantal overdrachten per status; 'via onderdelen' telt "
        "wat bij onderdelen (zoals DMI-thema's) landt mee voor het geheel.",
        "en": "Per landing place the handovers by status; 'via parts' adds what lands in its "
        "parts (such as DMI themes) to the whole.",
    },
    "cops": {
        "nl": "Per CoP de overdrachten van de CoP zelf en van haar complexe vragen, per status.",
        "en": "Per CoP the handovers of the CoP itself and of its complex questions, by status.",
    },
    "not_accepted": {
        "nl": "Complexe vragen en CoP's zonder landingsplaats die de overdracht heeft "
        "geaccepteerd (belegd).",
        "en": "Complex questions and CoPs without a landing place that has accepted them.",
    },
    "no_landing": {
        "nl": "Complexe vragen, CoP's en showcases zonder enige (potentiële) landingsplaats.",
        "en": "Complex questions, CoPs and showcases without any landing place, not even a "
        "proposed one.",
    },
    "idle_places": {
        "nl": "Landingsplaatsen waar niets landt, ook niet bij hun onderdelen.",
        "en": "Landing places that receive nothing, not even through their parts.",
    },
}


def _zero() -> dict[str, int]:
    return {status: 0 for status in HANDOVER_STATUSES}


def _add(into: dict[str, int], counts: Mapping[str, int]) -> None:
    for status, n in counts.items():
        into[status] = into.get(status, 0) + n


def _status(props: Mapping[str, Any]) -> str:
    """The handover status of a ``LANDS_IN`` edge's properties (``proposed`` when unset)."""
    return str(props.get("status") or "proposed")


def _status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many of ``statuses`` there are of each, every handover status included."""
    counts = _zero()
    _add(counts, Counter(statuses))
    return counts


@dataclass(frozen=True)
class HandoverCoverage:
    """The result of ``handover_coverage``; every list holds plain, JSON-ready dicts."""

    places: list[dict[str, Any]]
    cops: list[dict[str, Any]]
    not_accepted: list[dict[str, Any]]
    no_landing: list[dict[str, Any]]
    idle_places: list[dict[str, Any]]
    totals: dict[str, int]
    explanations: dict[str, dict[str, str]] = field(default_factory=lambda: dict(EXPLANATIONS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "totals": dict(self.totals),
            "places": self.places,
            "cops": self.cops,
            "not_accepted": self.not_accepted,
            "no_landing": self.no_landing,
            "idle_places": self.idle_places,
            "explanations": self.explanations,
        }


def handover_coverage(source: Source) -> HandoverCoverage:
    """Handover coverage of the graph in ``source`` (a store or a subgraph); see the module
    docstring for the counting rules."""
    sub = fetch(source, _NODE_KINDS, _EDGE_KINDS)
    graph = sub.to_networkx()
    kind_of = nx.get_node_attributes(graph, "kind")

    def out_edges(node_id: str, edge_kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (v, d)
            for _, v, k, d in graph.out_edges(node_id, keys=True, data=True)
            if k == edge_kind
        ]

    def in_edges(node_id: str, edge_kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (u, d) for u, _, k, d in graph.in_edges(node_id, keys=True, data=True) if k == edge_kind
        ]

    def landings(node_id: str) -> list[dict[str, Any]]:
        return sorted(
            (
                {
                    "place": v,
                    "place_title": sub.nodes[v].title,
                    "status": _status(d),
                }
                for v, d in out_edges(node_id, "LANDS_IN")
            ),
            key=lambda r: r["place"],
        )

    # landing places: direct receipts, then those of their parts at any depth
    part_of = nx.DiGraph()
    part_of.add_nodes_from(n for n, k in kind_of.items() if k == "landing_place")
    part_of.add_edges_from((u, v) for u, v, k in graph.edges(keys=True) if k == "PART_OF")
    direct: dict[str, dict[str, int]] = {}
    for place in part_of:
        direct[place] = _status_counts(_status(d) for _, d in in_edges(place, "LANDS_IN"))
    places: list[dict[str, Any]] = []
    for place in part_of:
        parts = nx.ancestors(part_of, place) - {place}  # edges go part -> whole
        via = _zero()
        for part in parts:
            _add(via, direct[part])
        total = _zero()
        _add(total, direct[place])
        _add(total, via)
        places.append(
            item(
                sub.nodes[place],
                direct=direct[place],
                via_parts=via,
                total=total,
                parts=sorted(parts),
                received=sum(total.values()),
            )
        )
    places = sort_items(places)

    # CoPs: their own handovers and those of their complex questions
    cops: list[dict[str, Any]] = []
    for cop in (n for n, k in kind_of.items() if k == "cop"):
        complex_qs = {
            u for u, _ in in_edges(cop, "RAISED_IN") if kind_of.get(u) == "complex_question"
        }
        for kq, _ in in_edges(cop, "RAISED_IN"):
            if kind_of.get(kq) == "knowledge_question":
                complex_qs.update(v for v, _ in out_edges(kq, "FEEDS"))
        own = landings(cop)
        theirs = [row | {"via": cq} for cq in sorted(complex_qs) for row in landings(cq)]
        cops.append(
            item(
                sub.nodes[cop],
                counts=_status_counts(r["status"] for r in own + theirs),
                own=own,
                complex_questions=sorted(complex_qs),
                complex_question_landings=theirs,
            )
        )
    cops = sort_items(cops)

    handed = {n: landings(n) for n, k in kind_of.items() if k in _HANDED}
    not_accepted = sort_items(
        [
            item(sub.nodes[n], landings=rows)
            for n, rows in handed.items()
            if kind_of[n] in ("complex_question", "cop")
            and not any(r["status"] == "accepted" for r in rows)
        ]
    )
    no_landing = sort_items([item(sub.nodes[n]) for n, rows in handed.items() if not rows])
    idle = [row for row in places if row["received"] == 0]
    totals = _status_counts(
        _status(d) for _, _, k, d in graph.edges(keys=True, data=True) if k == "LANDS_IN"
    )
    return HandoverCoverage(
        places=places,
        cops=cops,
        not_accepted=not_accepted,
        no_landing=no_landing,
        idle_places=idle,
        totals=totals,
    )
