"""Changes since a date: what a steering group reads at the start of a meeting.

Built from the store's history. Each node and edge is reported once, by its net effect over
the period (first "before" against last "after"): added, removed or changed (with the fields
that differ). Something added and removed again within the period is left out. Handover
moves list every status change of an existing ``LANDS_IN`` edge in order, with who and
when; new and removed handovers are under the links added and removed, with their status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgraph.model import STATUS_LABELS, SYSTEM_FIELDS
from kgraph.store.base import Change, GraphStore
from kgraph.timeutil import parse_moment

#: keys that describe a node or edge rather than change with it
_SKIP = SYSTEM_FIELDS | {"created_at"}

EXPLANATIONS: dict[str, dict[str, str]] = {
    "handover": {
        "nl": "Overdrachten waarvan de status veranderde (van → naar), door wie en wanneer.",
        "en": "Handovers whose status moved (from → to), by whom and when.",
    },
    "nodes": {
        "nl": "Items die erbij kwamen, verdwenen of veranderden, per soort.",
        "en": "Items added, removed or changed, by kind.",
    },
    "edges": {
        "nl": "Verbindingen die erbij kwamen, verdwenen of veranderden, per soort.",
        "en": "Links added, removed or changed, by kind.",
    },
}


@dataclass(frozen=True)
class ChangeReport:
    """The result of ``changes_since``; every part is plain, JSON-ready data."""

    since: str
    until: str | None
    summary: dict[str, Any]
    handover: list[dict[str, Any]]
    nodes: dict[str, dict[str, list[dict[str, Any]]]]
    edges: dict[str, dict[str, list[dict[str, Any]]]]
    headline: dict[str, str]
    explanations: dict[str, dict[str, str]] = field(default_factory=lambda: dict(EXPLANATIONS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "headline": dict(self.headline),
            "summary": self.summary,
            "handover": self.handover,
            "nodes": self.nodes,
            "edges": self.edges,
            "explanations": self.explanations,
        }


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    keys = sorted((set(before) | set(after)) - _SKIP)
    return [
        {"field": k, "before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    ]


def _is_edge(target: str) -> bool:
    return target.count("|") == 2


def changes_since(store: GraphStore, since: str, until: str | None = None) -> ChangeReport:
    """What changed in ``store`` from ``since`` (inclusive) to ``until`` (exclusive, default
    now); both are dates or date-times as people type them (``2024-03-01``)."""
    start = parse_moment(since)
    end = parse_moment(until) if until else None
    history = store.history(since=start, until=end)

    first: dict[str, Change] = {}
    last: dict[str, Change] = {}
    actors: dict[str, set[str]] = {}
    for change in history:
        first.setdefault(change.target, change)
        last[change.target] = change
        actors.setdefault(change.target, set()).add(change.actor)

    titles = _titles(store, history)

    def title(node_id: str) -> str:
        return titles.get(node_id, node_id)

    nodes: dict[str, dict[str, list[dict[str, Any]]]] = {"added": {}, "removed": {}, "changed": {}}
    edges: dict[str, dict[str, list[dict[str, Any]]]] = {"added": {}, "removed": {}, "changed": {}}
    for target, opening in first.items():
        before, after = opening.before, last[target].after
        if before is None and after is None:
            continue  # came and went within the period
        shape = after if after is not None else before
        assert shape is not None
        what = "added" if before is None else "removed" if after is None else "changed"
        row: dict[str, Any] = {
            "by": sorted(actors[target]),
            "at": last[target].at,
        }
        if _is_edge(target):
            src, kind, dst = target.split("|")
            row |= {
                "src": src,
                "src_title": title(src),
                "kind": kind,
                "dst": dst,
                "dst_title": title(dst),
            }
            if shape.get("status") is not None:
                row["status"] = shape.get("status")
            bucket = edges
        else:
            kind = str(shape.get("kind"))
            row |= {"id": target, "kind": kind, "title": shape.get("title") or target}
            bucket = nodes
        if what == "changed":
            assert before is not None and after is not None
            row["fields"] = _diff(before, after)
            if not row["fields"]:
                continue
        bucket[what].setdefault(kind, []).append(row)
    for bucket in (nodes, edges):
        for groups in bucket.values():
            for rows in groups.values():
                rows.sort(key=lambda r: (str(r.get("title") or r.get("src_title")), r["at"]))

    handover = _handover_moves(history, title)
    summary: dict[str, Any] = {
        f"{part}_{what}": sum(len(rows) for rows in bucket[what].values())
        for part, bucket in (("nodes", nodes), ("edges", edges))
        for what in ("added", "removed", "changed")
    }
    summary["handover_moves"] = len(handover)
    summary["changes"] = len(history)
    summary["by"] = dict(Counter(c.actor for c in history).most_common())
    return ChangeReport(
        since=start,
        until=end,
        summary=summary,
        handover=handover,
        nodes=nodes,
        edges=edges,
        headline=_headline(summary),
    )


def _titles(store: GraphStore, history: list[Change]) -> dict[str, str]:
    """Titles of the nodes the changes mention: from the history itself, else the store."""
    titles: dict[str, str] = {}
    wanted: set[str] = set()
    for change in history:
        if _is_edge(change.target):
            src, _, dst = change.target.split("|")
            wanted.update((src, dst))
        else:
            for side in (change.before, change.after):
                if side is not None and side.get("title"):
                    titles[change.target] = str(side["title"])
    missing = wanted - set(titles)
    if missing:
        for node_id, node in store.subgraph(sorted(missing)).nodes.items():
            titles[node_id] = node.title
    return titles


def _handover_moves(history: list[Change], title: Any) -> list[dict[str, Any]]:
    moves = []
    for change in history:
        if not _is_edge(change.target):
            continue
        src, kind, dst = change.target.split("|")
        if kind != "LANDS_IN" or change.op != "update_edge":
            continue
        assert change.before is not None and change.after is not None
        old, new = change.before.get("status"), change.after.get("status")
        if old == new:
            continue
        final = change.after
        moves.append(
            {
                "src": src,
                "src_title": title(src),
                "dst": dst,
                "dst_title": title(dst),
                "from": old,
                "to": new,
                "from_label": STATUS_LABELS.get(str(old), {}),
                "to_label": STATUS_LABELS.get(str(new), {}),
                "by": change.actor,
                "at": change.at,
                "decided_by": final.get("decided_by"),
                "decided_on": final.get("decided_on"),
                "note": final.get("note"),
            }
        )
    return moves


def _headline(summary: Mapping[str, Any]) -> dict[str, str]:
    """One sentence per language, for the top of a page or an email."""
    s = summary
    return {
        "nl": (
            f"{s['nodes_added']} items toegevoegd, {s['nodes_changed']} gewijzigd, "
            f"{s['nodes_removed']} verwijderd; {s['edges_added']} verbindingen toegevoegd, "
            f"{s['edges_removed']} verwijderd; {s['handover_moves']} overdrachtsstatussen "
            f"veranderd ({s['changes']} wijzigingen door {len(s['by'])} personen)."
        ),
        "en": (
            f"{s['nodes_added']} items added, {s['nodes_changed']} changed, "
            f"{s['nodes_removed']} removed; {s['edges_added']} links added, "
            f"{s['edges_removed']} removed; {s['handover_moves']} handover statuses moved "
            f"({s['changes']} changes by {len(s['by'])} people)."
        ),
    }
