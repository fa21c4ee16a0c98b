"""Reading the history as a person does: a period ("since the last meeting", "last week",
two days), the people who changed something in it, one page of changes newest first, and
each change in words (field names and statuses translated, dates as ``DD-MM-JJJJ``, records
such as actions and meetings named by what they say).

Paging and counting run in the store (``GraphStore.history(offset=, newest_first=)`` and
``count_history``): a page of a long history costs one page. The people of a period come
from one ``DISTINCT`` read (embedded) or the single entries and batches (Neo4j).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kgraph import dates, meetings
from kgraph.analysis.changes import field_changes, target_titles
from kgraph.errors import ValidationError
from kgraph.model import parse_record_target
from kgraph.store.base import Change, GraphStore
from kgraph.texts import catalogue, edge_label, status_label, text

#: the ways a period is chosen, in the order pages offer them
PERIODS: tuple[str, ...] = ("last_meeting", "meeting", "week", "month", "days")


@dataclass(frozen=True)
class Period:
    """From ``since`` (inclusive) to ``until`` (exclusive), as UTC ISO text (``None``:
    open); ``start``/``end`` are the days a person reads (``end`` inclusive)."""

    since: str | None
    until: str | None
    start: date | None
    end: date | None


def period(
    store: GraphStore,
    choice: str,
    *,
    meeting: str | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Period:
    """The period a choice of ``PERIODS`` means: since the last meeting held (or since
    ``meeting``), the last 7 or 30 days up to today, or from ``start`` to ``end`` (days in
    Amsterdam, both included)."""
    day = today or dates.today()
    if choice in ("last_meeting", "meeting"):
        found = (
            meetings.last_meeting(store)
            if choice == "last_meeting"
            else meetings.resolve(store, meeting or meetings.LAST)
        )
        if found is None:
            raise ValidationError("no meeting has been held yet")
        return Period(found.start(), None, found.day, None)
    if choice in ("week", "month"):
        first = day - timedelta(days=7 if choice == "week" else 30)
        return Period(dates.day_start(first), None, first, None)
    if choice == "days":
        if start and end and end < start:
            raise ValidationError("the period ends before it starts")
        return Period(
            dates.day_start(start) if start else None,
            dates.day_end(end) if end else None,
            start,
            end,
        )
    raise ValidationError(f"unknown period {choice!r}; use one of {', '.join(PERIODS)}")


def people(store: GraphStore, since: str | None = None, until: str | None = None) -> list[str]:
    """Everyone who changed something in the period, sorted (case ignored)."""
    inner: Any = store
    unwrap = getattr(store, "unwrap_for", None)
    if unwrap is not None:
        inner = unwrap("read")
    found: set[str] = set()
    if inner.backend == "embedded":
        clauses, params = [], []
        if since:
            clauses.append("at >= ?")
            params.append(since)
        if until:
            clauses.append("at < ?")
            params.append(until)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        found = {r[0] for r in inner._query(f"SELECT DISTINCT actor FROM history{where}", params)}  # noqa: S608
    elif inner.backend == "neo4j":
        single = inner._run_read(
            "MATCH (h:KgraphHistory) WHERE ($since IS NULL OR h.at >= $since) "
            "AND ($until IS NULL OR h.at < $until) RETURN DISTINCT h.actor AS a",
            since=since,
            until=until,
        )
        # a batch that overlaps the period brings all its people (batches are one
        # transaction's bulk load or copy, nearly always one person)
        batches = inner._run_read(
            "MATCH (b:KgraphHistoryBatch) WHERE ($since IS NULL OR b.max_at >= $since) "
            "AND ($until IS NULL OR b.min_at < $until) UNWIND b.actor_set AS a "
            "RETURN DISTINCT a",
            since=since,
            until=until,
        )
        found = {r["a"] for r in [*single, *batches]}
    else:
        found = {c.actor for c in store.history(since=since, until=until)}
    return sorted(found, key=str.casefold)


@dataclass(frozen=True)
class HistoryPage:
    """One page of changes, newest first, and how many match in all."""

    changes: list[Change]
    total: int
    limit: int
    offset: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


def history_page(
    store: GraphStore,
    *,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> HistoryPage:
    """One page of the history, newest first, with the number of changes that match."""
    filters: dict[str, Any] = {"since": since, "until": until, "actor": actor, "target": target}
    total = store.count_history(**filters)
    changes = store.history(**filters, limit=limit, offset=offset, newest_first=True)
    return HistoryPage(changes, total, limit, offset)


# --- in words ---------------------------------------------------------------------------------

#: record fields that hold a day (shown as DD-MM-JJJJ)
_DAY_FIELDS = frozenset({"decided_on", "due", "done_on", "on"})


def field_label(name: str, lang: str) -> str:
    """A field's name in ``lang`` (``status`` -> ``Status``, ``decided_on`` ->
    ``Besloten op``); a property without a label keeps its own name."""
    key = f"field_{name}"
    return catalogue(lang).get(key, name)


def value_text(name: str, value: Any, lang: str, limit: int = 80) -> str:
    """A field's value in words: statuses translated, days as the language writes them,
    lists comma-joined, long text cut with "…", nothing as "–"."""
    if value is None or value == "" or value == []:
        return "–"
    if name == "status" and isinstance(value, str):
        shown = status_label(value, lang)
    elif name in _DAY_FIELDS and isinstance(value, str):
        shown = dates.format_day(value, lang)
    elif isinstance(value, list):
        shown = ", ".join(map(str, value))
    elif isinstance(value, bool):
        shown = text("word_yes" if value else "word_no", lang)
    else:
        shown = str(value)
    shown = " ".join(shown.split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def record_changes(change: Change) -> list[dict[str, Any]]:
    """The data fields a record's update changed, as ``{"field", "before", "after"}``."""
    before = dict((change.before or {}).get("data") or {})
    after = dict((change.after or {}).get("data") or {})
    return [
        {"field": k, "before": before.get(k), "after": after.get(k)}
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]


#: the fields a change lists first, in this order (the rest follow by name)
_FIRST = ("title", "status", "decided_on", "decided_by", "meeting", "note", "what", "owner", "due")


def fields_text(
    rows: Sequence[Mapping[str, Any]],
    lang: str,
    lookups: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """``Status: voorgesteld → belegd; Besloten op: – → 12-03-2024`` for ``{"field",
    "before", "after"}`` rows; ``lookups`` names values by field (a meeting's id -> its
    title)."""
    rank = {f: i for i, f in enumerate(_FIRST)}
    named = lookups or {}

    def shown(field: str, value: Any) -> str:
        if isinstance(value, str) and value in named.get(field, {}):
            return named[field][value]
        return value_text(field, value, lang)

    ordered = sorted(rows, key=lambda r: (rank.get(r["field"], len(rank)), r["field"]))
    return "; ".join(
        f"{field_label(r['field'], lang)}: {shown(r['field'], r['before'])} → "
        f"{shown(r['field'], r['after'])}"
        for r in ordered
    )


def change_text(
    change: Change, lang: str, lookups: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """What an update changed, in words (see ``fields_text``); empty for an add or a
    delete."""
    if not change.op.startswith("update"):
        return ""
    rows = record_changes(change) if change.op == "update_record" else field_changes(change)
    return fields_text(rows, lang, lookups)


def names(store: GraphStore, changes: Sequence[Change]) -> dict[str, str]:
    """Titles of the items ``changes`` name (edge ends and what records point at
    included): from the history itself, else from the store."""
    graph = [c for c in changes if not c.target.startswith("@")]
    found = target_titles(store, graph)
    wanted: set[str] = set()
    for c in changes:
        if parse_record_target(c.target) is None:
            continue
        data = (c.after or c.before or {}).get("data") or {}
        wanted.update(str(data[k]) for k in ("item", "place") if data.get(k))
    missing = sorted(wanted - set(found))
    if missing:
        found.update({i: n.title for i, n in store.subgraph(missing).nodes.items()})
    return found


def target_text(change: Change, titles: Mapping[str, str], lang: str) -> str:
    """What a change is about, in words: a node's title, ``A → landt in → B`` for an
    edge, ``Actie: Brief sturen (A → B)`` for an action, ``Vergadering: …`` for a
    meeting."""
    record = parse_record_target(change.target)
    if record is not None:
        collection, record_id = record
        data = (change.after or change.before or {}).get("data") or {}
        label = (
            text(f"record_{collection}", lang)
            if f"record_{collection}" in catalogue(lang)
            else collection
        )
        if collection == "action":
            where = titles.get(str(data.get("item")), str(data.get("item") or ""))
            if data.get("place"):
                where += f" → {titles.get(str(data['place']), str(data['place']))}"
            return f"{label}: {data.get('what', record_id)} ({where})"
        if collection == "meeting":
            return f"{label}: {data.get('title', record_id)} ({dates.format_day(data.get('on'), lang)})"
        if collection == "source":
            return f"{label}: {data.get('file', record_id)} — {data.get('title', '')}"
        name = data.get("name") or data.get("title") or record_id
        return f"{label}: {name}"
    if change.target.count("|") == 2:
        src, kind, dst = change.target.split("|")
        return f"{titles.get(src, src)} → {edge_label(kind, lang)} → {titles.get(dst, dst)}"
    return titles.get(change.target, change.target)


def op_text(change: Change, lang: str) -> str:
    """What was done (``toegevoegd``, ``verbinding gewijzigd`` ...)."""
    key = f"op_{change.op}"
    return text(key, lang) if key in catalogue(lang) else change.op
