"""Changes since a date: what a steering group reads at the start of a meeting.

Built from the store's history. Each node and edge is reported once, by its net effect over
the period (first "before" against last "after"): added, removed or changed (with the fields
that differ). Something added and removed again within the period is left out. Handover
moves list every status change of an existing ``LANDS_IN`` edge in order, with who and
when; new and removed handovers are under the links added and removed, with their status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from kgraph.model import SYSTEM_FIELDS
from kgraph.store.base import Change, GraphStore
from kgraph.texts import Message
from kgraph.timeutil import parse_moment

#: keys that describe a node or edge rather than change with it
_SKIP = SYSTEM_FIELDS | {"created_at"}

#: part -> catalogue key (``kgraph.texts``) of what it lists
EXPLANATIONS: dict[str, str] = {
    "handover": "changes_handover_why",
    "nodes": "changes_nodes_why",
    "edges": "changes_edges_why",
}


@dataclass(frozen=True)
class ChangeReport:
    """The result of ``changes_since``; every part is plain, JSON-ready data. ``headline``
    is a catalogue message (``{"key": ..., "params": {...}}``, render it with
    ``kgraph.texts.render``); ``explanations`` maps each part to a catalogue key."""

    since: str
    until: str | None
    summary: dict[str, Any]
    handover: list[dict[str, Any]]
    nodes: dict[str, dict[str, list[dict[str, Any]]]]
    edges: dict[str, dict[str, list[dict[str, Any]]]]
    headline: dict[str, Any]
    explanations: dict[str, str] = field(default_factory=lambda: dict(EXPLANATIONS))

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
    """``{"field", "before", "after"}`` for every field that differs (bookkeeping left out)."""
    keys = sorted((set(before) | set(after)) - _SKIP)
    return [
        {"field": k, "before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    ]


def _is_edge(target: str) -> bool:
    return target.count("|") == 2


def field_changes(change: Change) -> list[dict[str, Any]]:
    """The fields one history entry changed, as ``{"field", "before", "after"}`` rows
    (empty for an add or a delete)."""
    if change.before is None or change.after is None:
        return []
    return _diff(change.before, change.after)


def day_start(day: date) -> str:
    """Midnight UTC of ``day`` as the ISO text history timestamps compare with."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat(timespec="microseconds")


def history_entries(
    store: GraphStore,
    *,
    since: str | None = None,
    until: str | None = None,
    target: str | None = None,
    actor: str | None = None,
) -> list[Change]:
    """The history entries from ``since`` (inclusive) to ``until`` (exclusive) of one
    ``target`` (all when ``None``), made by ``actor`` (everyone when ``None``), oldest first."""
    changes = store.history(since=since, until=until, target=target)
    return [c for c in changes if actor is None or c.actor == actor]


def target_titles(store: GraphStore, changes: Sequence[Change]) -> dict[str, str]:
    """Titles of the nodes ``changes`` name, edge ends included: from the history itself (so
    a deleted item keeps its name), else from the store; an unknown id maps to itself."""
    return _titles(store, list(changes))


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
                "by": change.actor,
                "at": change.at,
                "decided_by": final.get("decided_by"),
                "decided_on": final.get("decided_on"),
                "note": final.get("note"),
            }
        )
    return moves


def _headline(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The period in one sentence (for the top of a page or an email), as a catalogue
    message: the counts of ``summary`` and how many people made the changes."""
    params = {k: v for k, v in summary.items() if isinstance(v, int)}
    return Message("changes_headline", params | {"people": len(summary["by"])}).to_dict()
