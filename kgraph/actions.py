"""Open actions on handovers: what happens next, who does it, by when, and when it was done.

An action belongs to one handover (``item -LANDS_IN-> place``) or, while an item has no
landing place yet, to the item itself. It is an ``action`` record in the store
(``GraphStore.add_record``), its ``ref`` the handover's edge key (or the item's id), so
every change is in the history like any other, on both backends. The dashboard and the
command line (``kgraph handover action add|done``, ``kgraph handover actions``) both call
the functions here.

Dates are typed as ``DD-MM-JJJJ`` or ISO (``kgraph.dates.parse_day``) and kept as ISO text.
An action is *open* until it is done, and *overdue* when it is open and its deadline lies
before today (Amsterdam).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kgraph import dates
from kgraph.errors import ConflictError, NotFoundError, ValidationError
from kgraph.model import edge_key, fold
from kgraph.store.base import GraphStore

COLLECTION = "action"
#: the longest "what" and owner name kept
MAX_WHAT = 2000
MAX_OWNER = 200


@dataclass(frozen=True)
class Action:
    """One action as stored (``due``/``done_on`` ISO dates or ``None``)."""

    id: str
    item: str
    place: str | None
    what: str
    owner: str
    due: str | None = None
    done_on: str | None = None
    done_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    version: int = 0

    @property
    def ref(self) -> str:
        """The handover's edge key, or the item's id while it has no landing place."""
        return edge_key(self.item, "LANDS_IN", self.place) if self.place else self.item

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def is_overdue(self, today: date | None = None) -> bool:
        """Open, with a deadline before ``today`` (Amsterdam's by default)."""
        return (
            self.is_open
            and self.due is not None
            and self.due < (today or dates.today()).isoformat()
        )

    @classmethod
    def of(cls, record: Any) -> Action:
        data = record.data
        return cls(
            id=record.id,
            item=str(data.get("item") or ""),
            place=data.get("place") or None,
            what=str(data.get("what") or ""),
            owner=str(data.get("owner") or ""),
            due=data.get("due") or None,
            done_on=data.get("done_on") or None,
            done_by=data.get("done_by") or None,
            created_at=record.created_at,
            updated_at=record.updated_at,
            updated_by=record.updated_by,
            version=record.version,
        )

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "ref": self.ref,
            "item": self.item,
            "place": self.place,
            "what": self.what,
            "owner": self.owner,
            "due": self.due,
            "done_on": self.done_on,
            "done_by": self.done_by,
            "open": self.is_open,
            "overdue": self.is_overdue(today),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "version": self.version,
        }


def _clean(value: str | None, name: str, limit: int, *, required: bool) -> str | None:
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise ValidationError(f"{name}: an action needs {name}")
        return None
    if len(text) > limit:
        raise ValidationError(f"{name}: at most {limit} characters")
    return text


def _due(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return dates.parse_day(value, field="due").isoformat()


def _check_handover(store: GraphStore, item: str, place: str | None) -> None:
    if store.get_node(item) is None:
        raise NotFoundError(f"no item with id {item!r}")
    if place is not None and store.get_edge(item, "LANDS_IN", place) is None:
        raise NotFoundError(f"{item} does not land in {place}: no handover to act on")
    if place is None:
        places = sorted(e.dst for e in store.edges(["LANDS_IN"], node_id=item) if e.src == item)
        if places:
            raise ValidationError(
                f"place: {item} lands in {', '.join(places)}; name the handover the action "
                "is for (an action without a landing place is for an item that has none)"
            )


def add_action(
    store: GraphStore,
    item: str,
    place: str | None,
    *,
    what: str,
    owner: str,
    due: object = None,
    actor: str | None = None,
) -> Action:
    """Add an open action to the handover ``item -> place`` (``place`` ``None``: to the
    item, which lands nowhere yet). ``what`` and ``owner`` are required, ``due`` is a
    date (``DD-MM-JJJJ`` or ISO) or nothing; ``NotFoundError`` for a missing handover."""
    data = {
        "item": item,
        "place": place,
        "what": _clean(what, "what", MAX_WHAT, required=True),
        "owner": _clean(owner, "owner", MAX_OWNER, required=True),
        "due": _due(due),
    }
    with store.transaction(actor):
        _check_handover(store, item, place)
        ref = edge_key(item, "LANDS_IN", place) if place else item
        record = store.add_record(
            COLLECTION, {k: v for k, v in data.items() if v is not None}, ref=ref, actor=actor
        )
    return Action.of(record)


def get_action(store: GraphStore, action_id: str) -> Action | None:
    record = store.get_record(COLLECTION, action_id)
    return Action.of(record) if record is not None else None


def _require(store: GraphStore, action_id: str) -> Action:
    found = get_action(store, action_id)
    if found is None:
        raise NotFoundError(f"no action with id {action_id!r}")
    return found


def update_action(
    store: GraphStore,
    action_id: str,
    *,
    what: str | None = None,
    owner: str | None = None,
    due: object = ...,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Action:
    """Change what, owner and/or deadline of an action (``due=None`` removes the
    deadline; leave it out to keep it). ``ConflictError`` when ``expected_version`` no
    longer holds."""
    changes: dict[str, Any] = {}
    if what is not None:
        changes["what"] = _clean(what, "what", MAX_WHAT, required=True)
    if owner is not None:
        changes["owner"] = _clean(owner, "owner", MAX_OWNER, required=True)
    if due is not ...:
        changes["due"] = _due(due)
    with store.transaction(actor):
        _require(store, action_id)
        record = store.update_record(
            COLLECTION, action_id, changes, expected_version=expected_version, actor=actor
        )
    return Action.of(record)


def complete_action(
    store: GraphStore,
    action_id: str,
    *,
    on: object = None,
    by: str | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Action:
    """Mark an action done ``on`` a day (today, Amsterdam, by default) ``by`` someone (the
    actor by default). ``ConflictError`` when it is done already or changed since
    ``expected_version``."""
    day = dates.today() if on is None else dates.parse_day(on, field="done_on")
    with store.transaction(actor):
        current = _require(store, action_id)
        if not current.is_open:
            raise ConflictError(
                f"action {action_id} was done already on {current.done_on} by {current.done_by}"
            )
        who = _clean(by, "done_by", MAX_OWNER, required=False) or actor or store.actor
        record = store.update_record(
            COLLECTION,
            action_id,
            {"done_on": day.isoformat(), "done_by": who},
            expected_version=expected_version,
            actor=actor,
        )
    return Action.of(record)


def reopen_action(
    store: GraphStore,
    action_id: str,
    *,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Action:
    """Open a done action again (its done date and person removed)."""
    with store.transaction(actor):
        _require(store, action_id)
        record = store.update_record(
            COLLECTION,
            action_id,
            {"done_on": None, "done_by": None},
            expected_version=expected_version,
            actor=actor,
        )
    return Action.of(record)


def actions(
    store: GraphStore,
    *,
    ref: str | None = None,
    owner: str | None = None,
    open_only: bool = False,
    overdue: bool = False,
    today: date | None = None,
) -> list[Action]:
    """Actions (of one handover ``ref`` when given), of ``owner`` (case ignored), open
    ones or overdue ones only, ordered by deadline (none last), then when they were added."""
    day = today or dates.today()
    wanted = fold(owner.strip()) if owner and owner.strip() else None
    found = [Action.of(r) for r in store.records(COLLECTION, ref=ref)]
    chosen = [
        a
        for a in found
        if (wanted is None or fold(a.owner) == wanted)
        and (not open_only or a.is_open)
        and (not overdue or a.is_overdue(day))
    ]
    return sorted(chosen, key=lambda a: (a.due is None, a.due or "", a.created_at or "", a.id))


@dataclass
class Summary:
    """The actions of one handover: how many are open, the earliest open deadline, whether
    one is overdue, whose they are, and the last change among them."""

    open: int = 0
    next_due: str | None = None
    overdue: bool = False
    owners: list[str] = field(default_factory=list)
    changed_at: str | None = None
    changed_by: str | None = None


def open_summary(store: GraphStore, *, today: date | None = None) -> dict[str, Summary]:
    """Per ``ref`` (handover edge key or item id) the ``Summary`` of its actions."""
    day = (today or dates.today()).isoformat()
    found: dict[str, Summary] = {}
    for record in store.records(COLLECTION):
        a = Action.of(record)
        s = found.setdefault(a.ref, Summary())
        if (a.updated_at or "") > (s.changed_at or ""):
            s.changed_at, s.changed_by = a.updated_at, a.updated_by
        if not a.is_open:
            continue
        s.open += 1
        if a.due is not None and (s.next_due is None or a.due < s.next_due):
            s.next_due = a.due
        s.overdue = s.overdue or (a.due is not None and a.due < day)
        if a.owner not in s.owners:
            s.owners.append(a.owner)
    return found


def owners(store: GraphStore) -> list[str]:
    """Everyone who holds an open action, sorted (case ignored)."""
    names = {a.owner for a in actions(store, open_only=True)}
    return sorted(names, key=str.casefold)


def by_owner(items: Sequence[Action]) -> dict[str, list[Action]]:
    """``items`` grouped per owner (owners sorted, case ignored)."""
    groups: dict[str, list[Action]] = {}
    for a in items:
        groups.setdefault(a.owner, []).append(a)
    return {k: groups[k] for k in sorted(groups, key=str.casefold)}
