"""Recording a handover decision on a ``LANDS_IN`` edge, with an optimistic check.

A decision form is drawn from one reading of the edge (``Seen``). ``record_decision``
re-reads the edge inside the store transaction that writes it and refuses with
``DecisionConflict`` (who changed it, and when) when the edge changed since that reading,
so a decision made meanwhile elsewhere is never silently reverted. The decision date must
be an ISO date (``2024-03-12``); a missing or other date is refused with
``DecisionDateError``, never replaced with today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kgraph.errors import ConflictError, NotFoundError, ValidationError
from kgraph.model import Edge, check_handover_status, edge_key
from kgraph.store.base import GraphStore

#: the edge properties a decision sets
DECISION_FIELDS: tuple[str, ...] = ("status", "decided_on", "decided_by", "note")


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


class DecisionConflict(ConflictError):
    """The edge changed since the form was drawn: ``who`` changed it ``at`` (ISO time)."""

    def __init__(self, key: str, who: str | None, at: str | None) -> None:
        super().__init__(
            f"{key}: changed by {who or '?'} at {at or '?'} since it was read; "
            "reload it and decide again"
        )
        self.key, self.who, self.at = key, who, at


class DecisionDateError(ValidationError):
    """The decision date is missing (``value`` ``None``) or not an ISO date."""

    def __init__(self, value: object) -> None:
        if value is None or value == "":
            message = "decided_on: a decision needs a date (YYYY-MM-DD)"
        else:
            message = f"decided_on: {str(value)!r} is not a date in the form YYYY-MM-DD"
        super().__init__(message)
        self.value = None if value == "" else value


def decision_date(value: object) -> str:
    """``value`` (a ``date`` or ISO text) as ``YYYY-MM-DD``; ``DecisionDateError`` when it
    is missing or anything else."""
    if isinstance(value, datetime):
        raise DecisionDateError(value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise DecisionDateError(value.strip() if isinstance(value, str) else value)


def stored_date(edge: Edge) -> date | None:
    """The edge's ``decided_on`` as a date, or ``None`` when it is missing or not ISO."""
    try:
        return date.fromisoformat(decision_date(edge.props.get("decided_on")))
    except DecisionDateError:
        return None


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
    actor: str | None = None,
) -> Edge:
    """Set the decision of the handover ``src -LANDS_IN-> dst`` if the edge is still as
    ``seen``; returns the edge as stored. Refuses, changing nothing, with
    ``DecisionDateError`` (bad date), ``ValidationError`` (bad status), ``NotFoundError``
    (the edge was removed) or ``DecisionConflict`` (it changed since ``seen``)."""
    changes = {
        "status": check_handover_status(status),
        "decided_on": decision_date(decided_on),
        "decided_by": (decided_by or "").strip() or None,
        "note": (note or "").strip() or None,
    }
    key = edge_key(src, "LANDS_IN", dst)
    with store.transaction(actor):
        current = store.get_edge(src, "LANDS_IN", dst)
        if current is None:
            raise NotFoundError(f"{key}: this handover no longer exists")
        if current.updated_at != seen.updated_at or _decision(current.props) != dict(seen.props):
            raise DecisionConflict(key, current.updated_by, current.updated_at)
        return store.update_edge(src, "LANDS_IN", dst, changes, actor=actor)


def propose_landing(store: GraphStore, src: str, dst: str, *, actor: str | None = None) -> Edge:
    """Propose ``dst`` as a landing place of ``src``: a ``LANDS_IN`` edge with status
    ``proposed`` and no decision yet. The model decides which kinds may land;
    ``DuplicateError`` when that handover exists already."""
    return store.add_edge(Edge(src, "LANDS_IN", dst, {"status": "proposed"}), actor=actor)
