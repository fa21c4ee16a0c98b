"""The one handover table: every item that can land, with its landing place and decision,
filtered, sorted, counted and paged in the store.

One row per item and landing place (``LANDS_IN`` edge), and one row (status ``none``) for an
item without any landing place. Which items are in it follows the counting rules of
``kgraph.analysis.handover`` (the kinds ``model.EDGE_RULES["LANDS_IN"]`` lets land; a
knowledge question that feeds a handed-over item and lands nowhere itself is handed over
with that item and not listed), so the table and ``handover_coverage`` always agree on
which rows there are.

``handover_table(store, TableQuery(...))`` returns one page (``TablePage``): the rows of
that page and how many rows match in all. Filtering (handover status, landing place,
CoP/theme, kind, words in the title, open actions of an owner, overdue actions, decided
from a date), sorting and paging run in the store as one SQL or Cypher query
(``kgraph.store.embedded.handover_table``, ``kgraph.store.neo4j.handover_table``), so a
page costs the same at 2,000 rows as at 26,000. Only the rows of the page are then
completed with their CoP's and themes (titles) and their open actions.

The open actions come from the ``action`` records (``kgraph.actions``); they are few
compared with the graph, so their per-row summary is handed to the query as a parameter
rather than read with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from kgraph import dates
from kgraph.decisions import DECISION_FIELDS, Seen
from kgraph.errors import ValidationError
from kgraph.model import EDGE_RULES, HANDOVER_STATUSES, edge_key, fold
from kgraph.store.base import GraphStore

#: the handover value of a row whose item has no landing place at all
NO_LANDING = "none"
#: every value the status filter takes, in the order pages show them
STATUSES: tuple[str, ...] = (*HANDOVER_STATUSES, NO_LANDING)
#: what the table can be sorted on
SORTS: tuple[str, ...] = (
    "title",
    "kind",
    "place",
    "status",
    "decided_on",
    "decided_by",
    "actions",
    "due",
    "changed",
)
#: the most rows one page may hold
MAX_LIMIT = 500
_WORD = re.compile(r"[0-9a-z]+")


def landable_kinds() -> tuple[str, ...]:
    """The kinds that may land, as ``model.EDGE_RULES`` says now (sorted)."""
    return tuple(sorted(EDGE_RULES["LANDS_IN"][0]))


@dataclass(frozen=True)
class TableQuery:
    """Which rows, in which order, which page. Empty filters mean "all".

    ``areas``: CoP or theme ids (an item belongs to the CoP's and themes it was raised in,
    and to those of the questions that feed it; a CoP to itself). ``owner``: only rows
    with an open action of this person (case ignored). ``overdue``: only rows with an open
    action past its deadline. ``decided_from``: only rows decided on or after that day.
    ``text``: every word must start a word of the item's title (case and accents ignored).
    """

    text: str = ""
    statuses: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    owner: str = ""
    overdue: bool = False
    decided_from: date | None = None
    sort: str = "title"
    descending: bool = False
    limit: int = 25
    offset: int = 0

    def checked(self) -> TableQuery:
        """This query with its values checked; ``ValidationError`` names a bad one."""
        for status in self.statuses:
            if status not in STATUSES:
                raise ValidationError(f"unknown handover status {status!r}")
        for kind in self.kinds:
            if kind not in landable_kinds():
                raise ValidationError(f"{kind!r} is not a kind that lands")
        if self.sort not in SORTS:
            raise ValidationError(f"cannot sort on {self.sort!r}; use one of {', '.join(SORTS)}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValidationError(f"a page holds 1 to {MAX_LIMIT} rows, not {self.limit}")
        if self.offset < 0:
            raise ValidationError("the offset cannot be negative")
        return replace(
            self,
            statuses=tuple(dict.fromkeys(self.statuses)),
            places=tuple(dict.fromkeys(self.places)),
            areas=tuple(dict.fromkeys(self.areas)),
            kinds=tuple(dict.fromkeys(self.kinds)),
            owner=self.owner.strip(),
        )

    def words(self) -> list[str]:
        """The words of ``text``, folded, as the store's title words are kept."""
        return list(dict.fromkeys(_WORD.findall(fold(self.text))))[:20]


@dataclass(frozen=True)
class TableRow:
    """One item and landing place (``place`` ``None``: the item lands nowhere).

    ``areas`` are the item's CoP's and themes as ``{"id", "kind", "title"}``;
    ``open_actions``/``next_due``/``overdue`` summarise its open actions; ``changed_at``/
    ``changed_by`` are the last change of the handover, its actions included (or of the
    item, without one). ``stamp`` is the handover edge's own last change and ``decision``
    its decision fields as stored: what ``seen()`` gives the optimistic check.
    """

    item: str
    kind: str
    title: str
    place: str | None
    place_title: str | None
    status: str
    decided_on: str | None = None
    decided_by: str | None = None
    note: str | None = None
    meeting: str | None = None
    changed_at: str | None = None
    changed_by: str | None = None
    areas: list[dict[str, str]] = field(default_factory=list)
    open_actions: int = 0
    next_due: str | None = None
    overdue: bool = False
    stamp: str | None = None
    decision: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The handover's edge key, or the item's id for a row without a landing place
        (what actions of the row are attached to)."""
        return edge_key(self.item, "LANDS_IN", self.place) if self.place else self.item

    def seen(self) -> Seen:
        """The handover as this row showed it, for ``kgraph.decisions.decide``."""
        return Seen(self.stamp, dict(self.decision))

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "item": self.item,
            "kind": self.kind,
            "title": self.title,
            "place": self.place,
            "place_title": self.place_title,
            "status": self.status,
            "decided_on": self.decided_on,
            "decided_by": self.decided_by,
            "note": self.note,
            "meeting": self.meeting,
            "changed_at": self.changed_at,
            "changed_by": self.changed_by,
            "areas": [dict(a) for a in self.areas],
            "open_actions": self.open_actions,
            "next_due": self.next_due,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class TablePage:
    """One page of the table: its ``rows`` and how many rows match the query (``total``)."""

    rows: list[TableRow]
    total: int
    query: TableQuery

    @property
    def pages(self) -> int:
        """How many pages of ``query.limit`` rows the matching rows fill (at least 1)."""
        return max(1, -(-self.total // self.query.limit))

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "offset": self.query.offset,
            "limit": self.query.limit,
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class Spec:
    """What a backend's query needs: the checked query, the kinds that land, the folded
    words, the row keys the action filters allow (``None``: no such filter) and per row
    key its action summary ``[open, next due, last change]`` for sorting."""

    query: TableQuery
    landable: tuple[str, ...]
    words: list[str]
    keys: list[str] | None
    actions: dict[str, list[Any]]


class Backend(Protocol):
    """What a backend supplies: the page's raw rows with the total, and the CoP's and
    themes of some items."""

    def rows(self, spec: Spec) -> tuple[list[dict[str, Any]], int]: ...

    def areas(self, items: Sequence[str]) -> dict[str, list[dict[str, str]]]: ...


def _backend(store: GraphStore) -> Backend:
    inner: Any = store
    unwrap = getattr(store, "unwrap_for", None)
    if unwrap is not None:  # a GuardedStore: reading is every role's right
        inner = unwrap("read")
    if inner.backend == "embedded":
        from kgraph.store.embedded.handover_table import EmbeddedHandoverTable

        return EmbeddedHandoverTable(inner)
    if inner.backend == "neo4j":
        from kgraph.store.neo4j.handover_table import Neo4jHandoverTable

        return Neo4jHandoverTable(inner)
    raise ValidationError(f"the {inner.backend} backend has no handover table")


def handover_table(
    store: GraphStore, query: TableQuery | None = None, *, today: date | None = None
) -> TablePage:
    """One page of the handover table of ``store`` (see the module docstring); ``today``
    (Amsterdam's by default) decides which actions are overdue."""
    from kgraph.actions import open_summary

    checked = (query or TableQuery()).checked()
    summary = open_summary(store, today=today or dates.today())
    keys: list[str] | None = None
    if checked.owner or checked.overdue:
        owner = fold(checked.owner)
        keys = [
            ref
            for ref, s in summary.items()
            if s.open
            and (not owner or owner in {fold(o) for o in s.owners})
            and (not checked.overdue or s.overdue)
        ]
    spec = Spec(
        query=checked,
        landable=landable_kinds(),
        words=checked.words(),
        keys=keys,
        actions={ref: [s.open, s.next_due, s.changed_at] for ref, s in summary.items() if s.open},
    )
    backend = _backend(store)
    raw, total = backend.rows(spec)
    areas = backend.areas([r["item"] for r in raw]) if raw else {}
    rows = []
    for r in raw:
        props = _props(r.get("props"))
        row = TableRow(
            item=r["item"],
            kind=r["kind"],
            title=r["title"],
            place=r.get("place"),
            place_title=r.get("place_title"),
            status=r["status"],
            decided_on=_text(props.get("decided_on")),
            decided_by=_text(props.get("decided_by")),
            note=_text(props.get("note")),
            meeting=_text(props.get("meeting")),
            changed_at=r.get("changed_at"),
            changed_by=r.get("changed_by"),
            areas=[a for a in areas.get(r["item"], []) if a["id"] != r["item"]],
            stamp=r.get("changed_at") if r.get("place") else None,
            decision={f: props.get(f) for f in DECISION_FIELDS} if r.get("place") else {},
        )
        s = summary.get(row.key)
        if s is not None and s.open:
            row = replace(row, open_actions=s.open, next_due=s.next_due, overdue=s.overdue)
            if s.changed_at and (row.changed_at or "") < s.changed_at:
                row = replace(row, changed_at=s.changed_at, changed_by=s.changed_by)
        rows.append(row)
    return TablePage(rows, total, checked)


def all_rows(store: GraphStore, query: TableQuery | None = None, **options: Any) -> list[TableRow]:
    """Every row matching ``query`` (its paging ignored), page by page: for reports."""
    base = replace(query or TableQuery(), limit=MAX_LIMIT, offset=0)
    rows: list[TableRow] = []
    while True:
        page = handover_table(store, replace(base, offset=len(rows)), **options)
        rows += page.rows
        if not page.rows or len(rows) >= page.total:
            return rows


def _props(value: object) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and value:
        decoded = json.loads(value)
        return decoded if isinstance(decoded, dict) else {}
    return {}


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
