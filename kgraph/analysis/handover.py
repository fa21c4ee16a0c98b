"""The handover, worked out once: where every item that may land lands, with what status.

The Overzicht chart, the Overdracht page, the handover report and ``kgraph analyse
handover`` are all projections of the ``HandoverCoverage`` computed here; none of them
counts on its own.

Which kinds are handed over is read from ``model.EDGE_RULES["LANDS_IN"]`` at every call:
allowing another kind to land there puts it in the handover without a change here.

Counting rules (the steering group's view):

- The items are the nodes of every kind that may land, except one that lands nowhere of its
  own and ``FEEDS`` an item that is itself in the handover: a knowledge question that is
  part of a complex question is handed over with it, and is listed only once it lands
  somewhere itself (as the questions of a register with a "Waar belegd" column do) or
  feeds nothing.
- ``rows``: one per item and landing place, plus one row (``place`` ``None``, handover
  ``"none"``) for an item without any landing place. An item belongs to the CoP's it was
  raised in (``RAISED_IN``) and to those of the questions that feed it (``FEEDS``); a CoP
  belongs to itself.
- A landing place's ``direct`` counts are the ``LANDS_IN`` edges that end at it, by
  handover status. Its ``via_parts`` counts add the direct counts of every landing place
  that is ``PART_OF`` it, at any depth (a DMI theme's receipts are also the
  DMI-ecosysteem's). ``total`` is the sum of both.
- A landing place "receives nothing" when its total is zero: neither it nor any of its parts
  is the target of a ``LANDS_IN``. A receipt by the whole does not count for its parts,
  because it does not say which part takes the item over.
- A CoP's counts cover its own ``LANDS_IN`` edges and those of the items that belong to it
  (see ``rows``), the CoP itself left out.
- An item "has no accepted landing place" when none of its own ``LANDS_IN`` edges is
  ``accepted`` (also when it has none at all); showcases are left out of this list: they
  are examples a landing place may take up, not questions someone must take over.
- "No landing place at all" lists every item that may land but has no ``LANDS_IN`` edge.
- ``summary``: per kind that may land, how many items there are under their furthest
  status (accepted > in discussion > proposed > declined, then ``none``), and the total.
- A ``LANDS_IN`` edge without a status counts as ``proposed``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kgraph import model
from kgraph.analysis._graph import Source, fetch, item, sort_items
from kgraph.model import HANDOVER_STATUSES, edge_key

#: the handover value of an item that has no landing place at all
NO_LANDING = "none"
#: the furthest status first: an item with several landing places counts under the first
STATUS_RANK: tuple[str, ...] = ("accepted", "in_discussion", "proposed", "declined")
#: the statuses a row can have, in the order pages show them
STATUS_ORDER: tuple[str, ...] = (*HANDOVER_STATUSES, NO_LANDING)
#: kinds that may land but need no accepted landing place (see the module docstring)
ACCEPTANCE_OPTIONAL: frozenset[str] = frozenset({"showcase"})
#: the grouping kind of the "per CoP" views
COP = "cop"

#: section -> catalogue key of its plain explanation (``kgraph.texts``)
EXPLANATIONS: dict[str, str] = {
    "places": "handover_places_why",
    "cops": "handover_cops_why",
    "not_accepted": "handover_not_accepted_why",
    "no_landing": "handover_no_landing_why",
    "idle_places": "handover_idle_places_why",
}


def landing_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """(kinds that may land, kinds they land in), as ``model.EDGE_RULES`` says right now."""
    sources, targets = model.EDGE_RULES["LANDS_IN"]
    return frozenset(sources), frozenset(targets)


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
    """The result of ``handover_coverage``; every list holds plain, JSON-ready dicts.

    ``kinds`` are the kinds that may land; ``explanations`` maps each section to the
    catalogue key of its explanation (render it with ``kgraph.texts.text``).
    """

    kinds: tuple[str, ...]
    rows: list[dict[str, Any]]
    places: list[dict[str, Any]]
    cops: list[dict[str, Any]]
    not_accepted: list[dict[str, Any]]
    no_landing: list[dict[str, Any]]
    idle_places: list[dict[str, Any]]
    totals: dict[str, int]
    summary: dict[str, dict[str, int]]
    explanations: dict[str, str] = field(default_factory=lambda: dict(EXPLANATIONS))

    def row_counts(self) -> dict[str, int]:
        """Rows by handover status, ``none`` included, in ``STATUS_ORDER``."""
        counts = Counter(r["handover"] for r in self.rows)
        return {s: counts.get(s, 0) for s in STATUS_ORDER}

    def by_place(self) -> dict[str, list[dict[str, Any]]]:
        """Landing place id -> the rows landing there (every place, empty lists included)."""
        groups: dict[str, list[dict[str, Any]]] = {p["id"]: [] for p in self.places}
        for row in self.rows:
            if row["place"] is not None:
                groups.setdefault(row["place"], []).append(row)
        return groups

    def by_cop(self) -> dict[str | None, list[dict[str, Any]]]:
        """CoP id -> the rows of the items that belong to it; ``None`` -> rows of items that
        belong to no CoP. Every CoP is a key, with an empty list when nothing belongs to it."""
        groups: dict[str | None, list[dict[str, Any]]] = {c["id"]: [] for c in self.cops}
        for row in self.rows:
            for cop in row["cops"] or [None]:
                groups.setdefault(cop, []).append(row)
        return groups

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "totals": dict(self.totals),
            "summary": self.summary,
            "rows": self.rows,
            "places": self.places,
            "cops": self.cops,
            "not_accepted": self.not_accepted,
            "no_landing": self.no_landing,
            "idle_places": self.idle_places,
            "explanations": dict(self.explanations),
        }


def handover_coverage(source: Source) -> HandoverCoverage:
    """The handover of the graph in ``source`` (a store or a subgraph); see the module
    docstring for the counting rules."""
    landable, targets = landing_kinds()
    raised_from = model.EDGE_RULES["RAISED_IN"][0]
    feeders = model.EDGE_RULES["FEEDS"][0]
    node_kinds = sorted(landable | targets | raised_from | feeders | {COP})
    sub = fetch(source, node_kinds, ("LANDS_IN", "PART_OF", "RAISED_IN", "FEEDS"))
    graph = sub.to_networkx()
    kind_of: dict[str, str] = nx.get_node_attributes(graph, "kind")

    def out_edges(node_id: str, edge_kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (v, d)
            for _, v, k, d in graph.out_edges(node_id, keys=True, data=True)
            if k == edge_kind
        ]

    def in_edges(node_id: str, edge_kind: str) -> list[str]:
        return [u for u, _, k in graph.in_edges(node_id, keys=True) if k == edge_kind]

    def raised_cops(node_id: str) -> set[str]:
        return {v for v, _ in out_edges(node_id, "RAISED_IN") if kind_of.get(v) == COP}

    def cops_of(node_id: str) -> list[str]:
        if kind_of[node_id] == COP:
            return [node_id]
        cops = raised_cops(node_id)
        for feeder in in_edges(node_id, "FEEDS"):
            cops |= raised_cops(feeder)
        return sorted(cops)

    def handed_on(node_id: str) -> bool:
        # it feeds an item that is itself handed over, and lands nowhere of its own
        return not out_edges(node_id, "LANDS_IN") and any(
            kind_of.get(v) in landable for v, _ in out_edges(node_id, "FEEDS")
        )

    handed = sorted(n for n, k in kind_of.items() if k in landable and not handed_on(n))
    belongs_to = {n: cops_of(n) for n in handed}
    edges_of = {n: sorted(out_edges(n, "LANDS_IN"), key=lambda e: e[0]) for n in handed}
    none: list[tuple[str | None, dict[str, Any]]] = [(None, {})]
    rows: list[dict[str, Any]] = []
    for n in handed:
        node, belongs = sub.nodes[n], belongs_to[n]
        landed: list[tuple[str | None, dict[str, Any]]] = list(edges_of[n])
        for place, d in landed or none:
            rows.append(
                item(
                    node,
                    place=place,
                    place_title=sub.nodes[place].title if place else None,
                    edge=edge_key(n, "LANDS_IN", place) if place else None,
                    handover=_status(d) if place else NO_LANDING,
                    decided_on=d.get("decided_on"),
                    decided_by=d.get("decided_by"),
                    note=d.get("note"),
                    updated_at=d.get("updated_at"),
                    updated_by=d.get("updated_by"),
                    cops=belongs,
                )
            )
    rows.sort(key=lambda r: (r["kind"], str(r["title"]).casefold(), r["id"], r["place"] or ""))

    def landings(node_id: str) -> list[dict[str, Any]]:
        return [
            {"place": v, "place_title": sub.nodes[v].title, "status": _status(d)}
            for v, d in edges_of[node_id]
        ]

    # landing places: direct receipts, then those of their parts at any depth
    part_of = nx.DiGraph()
    part_of.add_nodes_from(n for n, k in kind_of.items() if k in targets)
    part_of.add_edges_from((u, v) for u, v, k in graph.edges(keys=True) if k == "PART_OF")
    direct = {
        place: _status_counts(
            _status(d)
            for _, _, k, d in graph.in_edges(place, keys=True, data=True)
            if k == "LANDS_IN"
        )
        for place in part_of
    }
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
                part_of=sorted(part_of.successors(place)),
                received=sum(total.values()),
            )
        )
    places = sort_items(places)

    # CoPs: their own handovers and those of the items that belong to them
    members: dict[str, set[str]] = {n: set() for n, k in kind_of.items() if k == COP}
    for n in handed:
        for cop in belongs_to[n]:
            if cop != n:
                members[cop].add(n)
    cops: list[dict[str, Any]] = []
    for cop, belong in members.items():
        own = landings(cop) if cop in edges_of else []
        theirs = [r | {"via": m} for m in sorted(belong) for r in landings(m)]
        cops.append(
            item(
                sub.nodes[cop],
                counts=_status_counts(r["status"] for r in own + theirs),
                own=own,
                items=sorted(belong),
                item_landings=theirs,
            )
        )
    cops = sort_items(cops)

    not_accepted = sort_items(
        [
            item(sub.nodes[n], landings=landings(n))
            for n in handed
            if kind_of[n] not in ACCEPTANCE_OPTIONAL
            and not any(_status(d) == "accepted" for _, d in edges_of[n])
        ]
    )
    no_landing = sort_items([item(sub.nodes[n]) for n in handed if not edges_of[n]])
    idle = [row for row in places if row["received"] == 0]
    totals = _status_counts(r["handover"] for r in rows if r["place"] is not None)
    summary: dict[str, dict[str, int]] = {}
    for kind in sorted(landable):
        counts = {s: 0 for s in (*STATUS_RANK, NO_LANDING)}
        for n in (n for n in handed if kind_of[n] == kind):
            statuses = {_status(d) for _, d in edges_of[n]}
            counts[next((s for s in STATUS_RANK if s in statuses), NO_LANDING)] += 1
        counts["total"] = sum(counts.values())
        summary[kind] = counts
    return HandoverCoverage(
        kinds=tuple(sorted(landable)),
        rows=rows,
        places=places,
        cops=cops,
        not_accepted=not_accepted,
        no_landing=no_landing,
        idle_places=idle,
        totals=totals,
        summary=summary,
    )
