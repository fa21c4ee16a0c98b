"""Recording handover decisions on ``LANDS_IN`` edges: one or many at once, all or nothing.

A decision form is drawn from one reading of each edge (``Seen``): its last change stamp
(``updated_at``, which every write of an edge moves: an edge's version) and its decision
fields. ``decide`` re-reads every chosen edge inside the one store transaction that writes
them and refuses with ``DecisionConflicts`` (which edges, who changed them, and when) when
any of them changed since that reading: nothing is written then, so a decision made
meanwhile elsewhere is never silently reverted. Otherwise each edge gets the same status,
date, decided-by, note and meeting, with one history entry per edge, all in one
transaction.

The decision date is typed as ``DD-MM-JJJJ`` or ISO (``kgraph.dates.parse_day``) and stored
as ISO; a missing or other date is refused with ``DecisionDateError``, never replaced with
today. A date in the future, or before an item was added to the store, is refused with
``DecisionNeedsConfirmation`` unless the caller confirms it (``allow_future``,
``allow_before_item``): a typo such as 2027 for 2024 then cannot slip through unseen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kgraph import dates
from kgraph.errors import ConflictError, NotFoundError, ValidationError
from kgraph.model import Edge, check_handover_status, edge_key
from kgraph.store.base import GraphStore

#: the edge properties a decision sets (``meeting``: the id of the meeting record it was
#: taken in)
DECISION_FIELDS: tuple[str, ...] = ("status", "decided_on", "decided_by", "note", "meeting")


def _decision(props: Mapping[str, Any]) -> dict[str, Any]:
    return {f: props.get(f) for f in DECISION_FIELDS}


@dataclass(frozen=True)
class Seen:
    """What a form showed of an edge: its last change stamp and its decision fields."""

    updated_at: str | None
    props: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, edge: Edge) -> Seen:
        return cls(edge.updated_at, _decision(edge.props))

    def matches(self, edge: Edge) -> bool:
        """Whether ``edge`` is still as this reading saw it."""
        return edge.updated_at == self.updated_at and _decision(edge.props) == {
            f: self.props.get(f) for f in DECISION_FIELDS
        }


@dataclass(frozen=True)
class Target:
    """One handover to decide: ``src -LANDS_IN-> dst`` as the form saw it."""

    src: str
    dst: str
    seen: Seen

    @property
    def key(self) -> str:
        return edge_key(self.src, "LANDS_IN", self.dst)

    @classmethod
    def of(cls, edge: Edge) -> Target:
        return cls(edge.src, edge.dst, Seen.of(edge))


class DecisionConflict(ConflictError):
    """The edge changed since the form was drawn: ``who`` changed it ``at`` (ISO time)."""

    def __init__(self, key: str, who: str | None, at: str | None) -> None:
        super().__init__(
            f"{key}: changed by {who or '?'} at {at or '?'} since it was read; "
            "reload it and decide again"
        )
        self.key, self.who, self.at = key, who, at


class DecisionConflicts(ConflictError):
    """One or more chosen edges changed (or went) since the form was drawn; nothing was
    written. ``conflicts`` has one ``DecisionConflict`` per edge that changed (``who`` and
    ``at`` ``None`` for one that was removed)."""

    def __init__(self, conflicts: Sequence[DecisionConflict]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(
            f"{len(self.conflicts)} of the chosen handovers changed since they were read; "
            "nothing was saved: " + "; ".join(str(c) for c in self.conflicts)
        )


class DecisionDateError(ValidationError):
    """The decision date is missing (``value`` ``None``) or not a date."""

    def __init__(self, value: object) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            message = "decided_on: a decision needs a date (DD-MM-YYYY or YYYY-MM-DD)"
            self.value: object = None
        else:
            shown = value.strip() if isinstance(value, str) else value
            message = f"decided_on: {str(shown)!r} is not a date (DD-MM-YYYY or YYYY-MM-DD)"
            self.value = shown
        super().__init__(message)


@dataclass(frozen=True)
class DateConcern:
    """Why a decision date needs a confirmation: ``reason`` is ``future`` (after
    ``today``) or ``before_item`` (before ``item`` was added, on ``since``)."""

    reason: str
    day: date
    item: str | None = None
    since: date | None = None


class DecisionNeedsConfirmation(ValidationError):
    """The date is in the future or before an item existed and was not confirmed; nothing
    was written. ``concerns`` says what, so a form can ask."""

    def __init__(self, concerns: Sequence[DateConcern]) -> None:
        self.concerns = list(concerns)
        parts = []
        for c in self.concerns:
            if c.reason == "future":
                parts.append(f"{c.day.isoformat()} is in the future (use --allow-future)")
            else:
                parts.append(
                    f"{c.day.isoformat()} is before {c.item} was added on "
                    f"{c.since.isoformat() if c.since else '?'} (use --allow-before-item)"
                )
        super().__init__("decided_on: " + "; ".join(parts))


def decision_date(value: object) -> str:
    """``value`` (a ``date``, ISO text or ``DD-MM-JJJJ``) as ``YYYY-MM-DD``;
    ``DecisionDateError`` when it is missing or anything else."""
    try:
        return dates.parse_day(value, field="decided_on").isoformat()
    except dates.DateInputError as exc:
        raise DecisionDateError(value if exc.value is not None else None) from exc


def stored_date(edge: Edge) -> date | None:
    """The edge's ``decided_on`` as a date, or ``None`` when it is missing or no date."""
    try:
        return date.fromisoformat(decision_date(edge.props.get("decided_on")))
    except (DecisionDateError, ValueError):
        return None


def date_concerns(
    store: GraphStore, items: Sequence[str], decided_on: object, *, today: date | None = None
) -> list[DateConcern]:
    """What about ``decided_on`` needs a confirmation for a decision on ``items`` (node
    ids): a day after ``today`` (Amsterdam's, by default), a day before an item was added.
    Reads only; the form asks with it before saving."""
    day = date.fromisoformat(decision_date(decided_on))
    concerns: list[DateConcern] = []
    if day > (today or dates.today()):
        concerns.append(DateConcern("future", day))
    for node_id in dict.fromkeys(items):
        node = store.get_node(node_id)
        if node is None or not node.created_at:
            continue
        added = dates.local(node.created_at).date()
        if day < added:
            concerns.append(DateConcern("before_item", day, node_id, added))
    return concerns


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def decide(
    store: GraphStore,
    targets: Sequence[Target],
    *,
    status: str,
    decided_on: object,
    decided_by: str | None,
    note: str | None,
    meeting: str | None = None,
    allow_future: bool = False,
    allow_before_item: bool = False,
    actor: str | None = None,
    today: date | None = None,
) -> list[Edge]:
    """Give every handover in ``targets`` the same decision, in one transaction with one
    history entry per edge, if every one of them is still as its ``seen``; returns the
    edges as stored.

    ``note=None`` leaves each edge's note as it is, ``""`` removes it; ``decided_by``
    empty removes it. ``meeting`` names the meeting record the decision was taken in.
    Refuses, writing nothing, with ``DecisionDateError`` (no or a bad date),
    ``ValidationError`` (bad status, no targets, an unknown meeting),
    ``DecisionNeedsConfirmation`` (a date in the future or before an item existed, not
    allowed) or ``DecisionConflicts`` (any edge changed or went since it was read).
    """
    if not targets:
        raise ValidationError("choose at least one handover to decide")
    keys = [t.key for t in targets]
    if len(set(keys)) != len(keys):
        raise ValidationError("a handover was chosen twice")
    changes: dict[str, Any] = {
        "status": check_handover_status(status),
        "decided_on": decision_date(decided_on),
        "decided_by": _text(decided_by),
        "meeting": _text(meeting),
    }
    if note is not None:
        changes["note"] = _text(note)
    with store.transaction(actor):
        if changes["meeting"] is not None:
            _check_meeting(store, changes["meeting"])
        conflicts: list[DecisionConflict] = []
        for target in targets:
            current = store.get_edge(target.src, "LANDS_IN", target.dst)
            if current is None:
                conflicts.append(DecisionConflict(target.key, None, None))
            elif not target.seen.matches(current):
                conflicts.append(
                    DecisionConflict(target.key, current.updated_by, current.updated_at)
                )
        if conflicts:
            raise DecisionConflicts(conflicts)
        concerns = [
            c
            for c in date_concerns(
                store, [t.src for t in targets], changes["decided_on"], today=today
            )
            if not (c.reason == "future" and allow_future)
            and not (c.reason == "before_item" and allow_before_item)
        ]
        if concerns:
            raise DecisionNeedsConfirmation(concerns)
        return [store.update_edge(t.src, "LANDS_IN", t.dst, changes, actor=actor) for t in targets]


def _check_meeting(store: GraphStore, meeting: str) -> None:
    from kgraph.meetings import get_meeting

    if get_meeting(store, meeting) is None:
        raise ValidationError(f"meeting: no meeting with id {meeting!r}")


def record_decision(
    store: GraphStore,
    src: str,
    dst: str,
    *,
    seen: Seen,
    status: str,
    decided_on: object,
    decided_by: str | None,
    note: str | None,
    meeting: str | None = None,
    allow_future: bool = False,
    allow_before_item: bool = False,
    actor: str | None = None,
) -> Edge:
    """Set the decision of the one handover ``src -LANDS_IN-> dst`` if it is still as
    ``seen`` (``decide`` for one edge; ``note`` ``None`` or empty removes the note).
    Refuses, changing nothing, with ``DecisionDateError``, ``ValidationError``,
    ``DecisionNeedsConfirmation``, ``NotFoundError`` (the edge was removed) or
    ``DecisionConflict`` (it changed since ``seen``)."""
    try:
        (edge,) = decide(
            store,
            [Target(src, dst, seen)],
            status=status,
            decided_on=decided_on,
            decided_by=decided_by,
            note=note or "",
            meeting=meeting,
            allow_future=allow_future,
            allow_before_item=allow_before_item,
            actor=actor,
        )
    except DecisionConflicts as exc:
        (conflict,) = exc.conflicts
        if conflict.who is None and conflict.at is None:
            raise NotFoundError(f"{conflict.key}: this handover no longer exists") from exc
        raise conflict from exc
    return edge


def propose_landing(store: GraphStore, src: str, dst: str, *, actor: str | None = None) -> Edge:
    """Propose ``dst`` as a landing place of ``src``: a ``LANDS_IN`` edge with status
    ``proposed`` and no decision yet. The model decides which kinds may land;
    ``DuplicateError`` when that handover exists already."""
    return store.add_edge(Edge(src, "LANDS_IN", dst, {"status": "proposed"}), actor=actor)
