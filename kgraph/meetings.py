"""The steering group's meetings: dated records that "changes since" and the meeting pack
are measured from, and that a decision can name.

A meeting is a ``meeting`` record (``GraphStore.add_record``) with its day (ISO), an
optional start time (``HH:MM``, Amsterdam) and a title; adding one is in the history like
any change. "Since a meeting" means from the meeting's start in Amsterdam: its time, or the
start of its day. The command line (``kgraph meeting add|list``, ``--since-meeting``) and
the dashboard both call the functions here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from kgraph import dates
from kgraph.errors import NotFoundError, ValidationError
from kgraph.store.base import GraphStore

COLLECTION = "meeting"
#: what ``resolve`` reads as "the last meeting held"
LAST = "LAST"
MAX_TITLE = 200
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True)
class Meeting:
    """One meeting as stored: ``on`` an ISO day, ``at`` ``HH:MM`` or ``None``."""

    id: str
    on: str
    title: str
    at: str | None = None
    note: str | None = None
    created_by: str | None = None

    @property
    def day(self) -> date:
        return date.fromisoformat(self.on)

    def start(self) -> str:
        """When the meeting began, as the UTC ISO text the history compares with: its
        time in Amsterdam, or the start of its day there."""
        if self.at is None:
            return dates.day_start(self.day)
        hour, minute = (int(x) for x in self.at.split(":"))
        moment = datetime.combine(self.day, time(hour, minute), tzinfo=dates.AMSTERDAM)
        return moment.astimezone(UTC).isoformat(timespec="microseconds")

    def label(self, lang: str = "nl") -> str:
        """``Stuurgroep maart (12-03-2024)`` as pickers show it."""
        return f"{self.title} ({dates.format_day(self.on, lang)})"

    @classmethod
    def of(cls, record: Any) -> Meeting:
        data = record.data
        return cls(
            id=record.id,
            on=str(data.get("on")),
            title=str(data.get("title") or ""),
            at=data.get("at") or None,
            note=data.get("note") or None,
            created_by=record.updated_by,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "on": self.on,
            "at": self.at,
            "title": self.title,
            "note": self.note,
            "start": self.start(),
        }


def _time(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    found = _TIME.match(value.strip())
    if not found:
        raise ValidationError(f"at: {value.strip()!r} is not a time (HH:MM)")
    return f"{int(found[1]):02d}:{found[2]}"


def add_meeting(
    store: GraphStore,
    on: object,
    *,
    title: str,
    at: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Meeting:
    """Record a meeting held (or planned) ``on`` a day (``DD-MM-JJJJ`` or ISO), with a
    title and optionally its start time (``HH:MM``) and a note."""
    day = dates.parse_day(on, field="on")
    name = " ".join((title or "").split())
    if not name:
        raise ValidationError("title: a meeting needs a title")
    if len(name) > MAX_TITLE:
        raise ValidationError(f"title: at most {MAX_TITLE} characters")
    data: dict[str, Any] = {"on": day.isoformat(), "title": name}
    if (start := _time(at)) is not None:
        data["at"] = start
    if note and note.strip():
        data["note"] = note.strip()
    record = store.add_record(COLLECTION, data, actor=actor)
    return Meeting.of(record)


def meetings(store: GraphStore) -> list[Meeting]:
    """Every meeting, earliest first (by day and time)."""
    found = [Meeting.of(r) for r in store.records(COLLECTION)]
    return sorted(found, key=lambda m: (m.on, m.at or "", m.id))


def get_meeting(store: GraphStore, meeting_id: str) -> Meeting | None:
    record = store.get_record(COLLECTION, meeting_id)
    return Meeting.of(record) if record is not None else None


def last_meeting(store: GraphStore, *, now: datetime | None = None) -> Meeting | None:
    """The latest meeting that has begun by ``now`` (planned ones are not counted)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    held = [m for m in meetings(store) if m.start() <= moment]
    return held[-1] if held else None


def resolve(store: GraphStore, spec: str, *, now: datetime | None = None) -> Meeting:
    """The meeting ``spec`` names: ``LAST`` (the last one held), its id, or its day
    (``DD-MM-JJJJ`` or ISO; the latest meeting that day). ``NotFoundError`` otherwise."""
    text = spec.strip()
    if text.upper() == LAST:
        found = last_meeting(store, now=now)
        if found is None:
            raise NotFoundError("no meeting has been held yet (kgraph meeting add DAY --title …)")
        return found
    by_id = get_meeting(store, text)
    if by_id is not None:
        return by_id
    try:
        day = dates.parse_day(text).isoformat()
    except dates.DateInputError:
        day = None
    on_day = [m for m in meetings(store) if m.on == day]
    if on_day:
        return on_day[-1]
    raise NotFoundError(f"no meeting {text!r} (give LAST, a meeting's id or its day)")
