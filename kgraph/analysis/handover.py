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

How: from lean rows (``analysis._graph.lean``: ids, kinds, titles, statuses) into dicts,
once; no networkx copy of the graph. ``handover_overview`` gives the counts alone (what
Overzicht and Hiaten show) without building a row per item; ``no_landing_query`` and
``not_accepted_query`` give the two lists as store queries, so a page reads one page of
them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kgraph import model
from kgraph.analysis._graph import Lean, NodeRow, Source, item, lean, sort_items
from kgraph.model import HANDOVER_STATUSES, edge_key
from kgraph.store.listing import AllOf, Link, NodeQuery, Not
from kgraph.store.values import Subgraph

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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HandoverCoverage:
        """The result ``to_dict`` gave (e.g. read back from the analysis cache)."""
        return cls(
            kinds=tuple(data["kinds"]),
            rows=list(data["rows"]),
            places=list(data["places"]),
            cops=list(data["cops"]),
            not_accepted=list(data["not_accepted"]),
            no_landing=list(data["no_landing"]),
            idle_places=list(data["idle_places"]),
            totals=dict(data["totals"]),
            summary=dict(data["summary"]),
            explanations=dict(data.get("explanations") or EXPLANATIONS),
        )


@dataclass(frozen=True)
class HandoverOverview:
    """The handover in numbers, without a row per item (``handover_overview``): the same
    ``places`` as ``HandoverCoverage`` (``direct``, ``via_parts``, ``total``, ``parts``,
    ``part_of``, ``received``), ``cops`` with their ``counts`` only, ``summary``,
    ``totals``, ``idle_places`` and how many items are in each open list."""

    kinds: tuple[str, ...]
    places: list[dict[str, Any]]
    cops: list[dict[str, Any]]
    idle_places: list[dict[str, Any]]
    totals: dict[str, int]
    summary: dict[str, dict[str, int]]
    no_landing: int
    not_accepted: int
    explanations: dict[str, str] = field(default_factory=lambda: dict(EXPLANATIONS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "places": self.places,
            "cops": self.cops,
            "idle_places": self.idle_places,
            "totals": dict(self.totals),
            "summary": self.summary,
            "no_landing": self.no_landing,
            "not_accepted": self.not_accepted,
            "explanations": dict(self.explanations),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HandoverOverview:
        return cls(
            kinds=tuple(data["kinds"]),
            places=list(data["places"]),
            cops=list(data["cops"]),
            idle_places=list(data["idle_places"]),
            totals=dict(data["totals"]),
            summary=dict(data["summary"]),
            no_landing=int(data["no_landing"]),
            not_accepted=int(data["not_accepted"]),
            explanations=dict(data.get("explanations") or EXPLANATIONS),
        )


_EDGE_KINDS = ("LANDS_IN", "PART_OF", "RAISED_IN", "FEEDS")


def _node_kinds() -> list[str]:
    landable, targets = landing_kinds()
    raised_from = model.EDGE_RULES["RAISED_IN"][0]
    feeders = model.EDGE_RULES["FEEDS"][0]
    return sorted(landable | targets | raised_from | feeders | {COP})


class _Handover:
    """The structure every handover view is counted from, read once into dicts."""

    def __init__(self, graph: Lean) -> None:
        self.landable, self.targets = landing_kinds()
        self.nodes = graph.nodes
        kind = {n: row[1] for n, row in graph.nodes.items()}
        self.kind = kind
        self.lands: dict[str, list[tuple[str, str]]] = {}  # item -> [(place, status)]
        self.received: dict[str, list[str]] = {}  # place -> statuses of its LANDS_IN
        self.raised_cops: dict[str, set[str]] = {}
        self.feeds: dict[str, list[str]] = {}
        self.fed_by: dict[str, list[str]] = {}
        self.parts_of: dict[str, list[str]] = {}  # whole -> its direct parts
        self.wholes: dict[str, list[str]] = {}  # part -> the wholes it is directly part of
        for src, edge_kind, dst, status in graph.edges:
            if edge_kind == "LANDS_IN":
                self.lands.setdefault(src, []).append((dst, status or "proposed"))
                self.received.setdefault(dst, []).append(status or "proposed")
            elif edge_kind == "RAISED_IN":
                if kind[dst] == COP:
                    self.raised_cops.setdefault(src, set()).add(dst)
            elif edge_kind == "FEEDS":
                self.feeds.setdefault(src, []).append(dst)
                self.fed_by.setdefault(dst, []).append(src)
            elif edge_kind == "PART_OF":
                self.parts_of.setdefault(dst, []).append(src)
                self.wholes.setdefault(src, []).append(dst)
        for landed in self.lands.values():
            landed.sort()
        self.handed = sorted(
            n for n, k in kind.items() if k in self.landable and not self._handed_on(n)
        )
        self.belongs = {n: self._cops_of(n) for n in self.handed}

    def _handed_on(self, node_id: str) -> bool:
        # it feeds an item that is itself handed over, and lands nowhere of its own
        return node_id not in self.lands and any(
            self.kind.get(v) in self.landable for v in self.feeds.get(node_id, ())
        )

    def _cops_of(self, node_id: str) -> list[str]:
        if self.kind[node_id] == COP:
            return [node_id]
        cops = set(self.raised_cops.get(node_id, ()))
        for feeder in self.fed_by.get(node_id, ()):
            cops |= self.raised_cops.get(feeder, set())
        return sorted(cops)

    def landings(self, node_id: str) -> list[dict[str, Any]]:
        return [
            {"place": v, "place_title": self.nodes[v][2], "status": status}
            for v, status in self.lands.get(node_id, ())
        ]

    def places(self) -> list[dict[str, Any]]:
        """Landing places: direct receipts, then those of their parts at any depth."""
        all_places = [n for n, k in self.kind.items() if k in self.targets]
        direct = {p: _status_counts(self.received.get(p, ())) for p in all_places}
        out: list[dict[str, Any]] = []
        for place in all_places:
            parts: set[str] = set()
            todo = list(self.parts_of.get(place, ()))
            while todo:  # every part at any depth (edges go part -> whole)
                part = todo.pop()
                if part not in parts and part != place:
                    parts.add(part)
                    todo += self.parts_of.get(part, ())
            via = _zero()
            for part in parts:
                _add(via, direct[part])
            total = _zero()
            _add(total, direct[place])
            _add(total, via)
            out.append(
                item(
                    self.nodes[place],
                    direct=direct[place],
                    via_parts=via,
                    total=total,
                    parts=sorted(parts),
                    part_of=sorted(set(self.wholes.get(place, ()))),
                    received=sum(total.values()),
                )
            )
        return sort_items(out)

    def members(self) -> dict[str, set[str]]:
        """CoP -> the items that belong to it (itself left out)."""
        members: dict[str, set[str]] = {n: set() for n, k in self.kind.items() if k == COP}
        for n in self.handed:
            for cop in self.belongs[n]:
                if cop != n:
                    members[cop].add(n)
        return members

    def cop_counts(self, cop: str, belong: set[str]) -> dict[str, int]:
        statuses = [s for _, s in self.lands.get(cop, ())]
        for m in belong:
            statuses += [s for _, s in self.lands.get(m, ())]
        return _status_counts(statuses)

    def not_accepted(self) -> list[str]:
        return [
            n
            for n in self.handed
            if self.kind[n] not in ACCEPTANCE_OPTIONAL
            and not any(s == "accepted" for _, s in self.lands.get(n, ()))
        ]

    def no_landing(self) -> list[str]:
        return [n for n in self.handed if n not in self.lands]

    def totals(self) -> dict[str, int]:
        return _status_counts(s for n in self.handed for _, s in self.lands.get(n, ()))

    def summary(self) -> dict[str, dict[str, int]]:
        summary: dict[str, dict[str, int]] = {}
        for kind in sorted(self.landable):
            counts = {s: 0 for s in (*STATUS_RANK, NO_LANDING)}
            for n in (n for n in self.handed if self.kind[n] == kind):
                statuses = {s for _, s in self.lands.get(n, ())}
                counts[next((s for s in STATUS_RANK if s in statuses), NO_LANDING)] += 1
            counts["total"] = sum(counts.values())
            summary[kind] = counts
        return summary


def _read(source: Source) -> _Handover:
    return _Handover(lean(source, _node_kinds(), _EDGE_KINDS))


def handover_overview(source: Source) -> HandoverOverview:
    """The handover's counts (see the module docstring) without a row per item: what the
    overview and the gaps page show, at a fraction of ``handover_coverage``'s cost."""
    h = _read(source)
    places = h.places()
    cops = sort_items(
        [
            item(h.nodes[cop], counts=h.cop_counts(cop, belong))
            for cop, belong in h.members().items()
        ]
    )
    return HandoverOverview(
        kinds=tuple(sorted(h.landable)),
        places=places,
        cops=cops,
        idle_places=[p for p in places if p["received"] == 0],
        totals=h.totals(),
        summary=h.summary(),
        no_landing=len(h.no_landing()),
        not_accepted=len(h.not_accepted()),
    )


def _decisions(source: Source) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Each ``LANDS_IN`` edge's decision fields, by (item, place)."""
    edges = source.edges if isinstance(source, Subgraph) else source.edges(["LANDS_IN"])
    return {
        (e.src, e.dst): {
            "decided_on": e.props.get("decided_on"),
            "decided_by": e.props.get("decided_by"),
            "note": e.props.get("note"),
            "updated_at": e.updated_at,
            "updated_by": e.updated_by,
        }
        for e in edges
        if e.kind == "LANDS_IN"
    }


def handover_coverage(source: Source) -> HandoverCoverage:
    """The handover of the graph in ``source`` (a store or a subgraph); see the module
    docstring for the counting rules."""
    h = _read(source)
    decided = _decisions(source)
    nothing: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for n in h.handed:
        node: NodeRow = h.nodes[n]
        landed: list[tuple[str | None, str]] = list(h.lands.get(n, [])) or [(None, NO_LANDING)]
        for place, status in landed:
            d = decided.get((n, place), nothing) if place else nothing
            rows.append(
                item(
                    node,
                    place=place,
                    place_title=h.nodes[place][2] if place else None,
                    edge=edge_key(n, "LANDS_IN", place) if place else None,
                    handover=status,
                    decided_on=d.get("decided_on"),
                    decided_by=d.get("decided_by"),
                    note=d.get("note"),
                    updated_at=d.get("updated_at"),
                    updated_by=d.get("updated_by"),
                    cops=h.belongs[n],
                )
            )
    rows.sort(key=lambda r: (r["kind"], str(r["title"]).casefold(), r["id"], r["place"] or ""))
    places = h.places()
    cops: list[dict[str, Any]] = []
    for cop, belong in h.members().items():
        own = h.landings(cop)
        theirs = [r | {"via": m} for m in sorted(belong) for r in h.landings(m)]
        cops.append(
            item(
                h.nodes[cop],
                counts=_status_counts(r["status"] for r in own + theirs),
                own=own,
                items=sorted(belong),
                item_landings=theirs,
            )
        )
    return HandoverCoverage(
        kinds=tuple(sorted(h.landable)),
        rows=rows,
        places=places,
        cops=sort_items(cops),
        not_accepted=sort_items(
            [item(h.nodes[n], landings=h.landings(n)) for n in h.not_accepted()]
        ),
        no_landing=sort_items([item(h.nodes[n]) for n in h.no_landing()]),
        idle_places=[row for row in places if row["received"] == 0],
        totals=h.totals(),
        summary=h.summary(),
    )


# --- the open lists as store queries (a page reads one page of them) ----------------------


def _handed_on() -> Any:
    """Lands nowhere of its own and feeds an item that may land (see the module docstring)."""
    landable, _ = landing_kinds()
    return AllOf((Not(Link("LANDS_IN")), Link("FEEDS", end_kinds=tuple(sorted(landable)))))


def no_landing_query(sort: str = "kind") -> NodeQuery:
    """The items without any landing place (``HandoverCoverage.no_landing``) as a query."""
    landable, _ = landing_kinds()
    return NodeQuery(
        kinds=tuple(sorted(landable)),
        where=AllOf((Not(Link("LANDS_IN")), Not(_handed_on()))),
        sort=sort,
    )


def not_accepted_query(sort: str = "kind") -> NodeQuery:
    """The items without an accepted landing place (``HandoverCoverage.not_accepted``)."""
    landable, _ = landing_kinds()
    return NodeQuery(
        kinds=tuple(sorted(landable - ACCEPTANCE_OPTIONAL)),
        where=AllOf((Not(Link("LANDS_IN", statuses=("accepted",))), Not(_handed_on()))),
        sort=sort,
    )


__all__ = [
    "ACCEPTANCE_OPTIONAL",
    "EXPLANATIONS",
    "NO_LANDING",
    "STATUS_ORDER",
    "STATUS_RANK",
    "HandoverCoverage",
    "HandoverOverview",
    "handover_coverage",
    "handover_overview",
    "landing_kinds",
    "no_landing_query",
    "not_accepted_query",
]
