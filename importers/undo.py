"""Undoing an import: the import batches the store recorded, and reverting one exactly.

Every apply is one transaction, recorded as an ``import_batch`` record that names it
(``tx``, see ``kgraph.importers.apply``). The history entries of that transaction are
exactly what the import changed: nodes and edges added, items updated, items deleted (a
pruned re-import), the register's record. ``undo_import`` reverts them in reverse order, in
one transaction of its own: added items are deleted, updated ones get their values back,
deleted ones come back as they were (times and version included), and the batch record
says who undid it and when. The undo is itself ordinary history.

It is refused, with the items named, when a later change touched any of the same items
(an edit, a handover decision, a link to an added question, a later import of the same
register): reverting would silently throw that work away. Undo the later import first, or
change the items by hand. A batch undone once is not undone again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kgraph.errors import ConflictError, NotFoundError
from kgraph.importers.apply import BATCHES, batch_target, transaction_of
from kgraph.importers.messages import DEFAULT_LANG, local_time, render
from kgraph.model import NODE_FIELDS, Edge, Node
from kgraph.store.base import GraphStore, now_iso
from kgraph.store.values import Change

#: history entries read per page
_PAGE = 5000
#: later changes named in a refusal
_SHOWN = 5


@dataclass(frozen=True)
class ImportBatchInfo:
    """One recorded import: its record's id, when and by whom, from which source into
    which register, what it wrote, and whether (when, by whom) it was undone."""

    id: str
    at: str
    actor: str
    source: str
    format: str
    register: str | None
    counts: Mapping[str, int]
    handovers: Mapping[str, int]
    undone_at: str | None = None
    undone_by: str | None = None

    @classmethod
    def from_record(cls, record: Any) -> ImportBatchInfo:
        data = record.data
        return cls(
            id=record.id,
            at=str(data.get("started_at") or record.created_at or ""),
            actor=str(data.get("actor") or record.updated_by or ""),
            source=str(data.get("source") or ""),
            format=str(data.get("format") or ""),
            register=data.get("register"),
            counts=dict(data.get("counts") or {}),
            handovers=dict(data.get("handovers") or {}),
            undone_at=data.get("undone_at"),
            undone_by=data.get("undone_by"),
        )


@dataclass(frozen=True)
class UndoResult:
    """What ``undo_import`` reverted."""

    batch: ImportBatchInfo
    nodes_removed: int
    edges_removed: int
    restored: int


def import_batches(store: GraphStore, *, limit: int | None = 50) -> list[ImportBatchInfo]:
    """The recorded imports, newest first (at most ``limit``)."""
    total = store.count_records(BATCHES)
    offset = max(0, total - limit) if limit is not None else 0
    records = store.records(BATCHES, limit=limit, offset=offset)
    return [ImportBatchInfo.from_record(r) for r in reversed(records)]


def last_batch(store: GraphStore) -> ImportBatchInfo | None:
    """The newest import that is not undone."""
    for batch in import_batches(store, limit=None):
        if batch.undone_at is None:
            return batch
    return None


def _entries_since(store: GraphStore, since: str) -> Iterator[Change]:
    offset = 0
    while True:
        page = store.history(since=since, limit=_PAGE, offset=offset)
        yield from page
        if len(page) < _PAGE:
            return
        offset += len(page)


def _ends(target: str) -> tuple[str, ...]:
    parts = target.split("|")
    return (parts[0], parts[2]) if len(parts) == 3 else ()


def _label(change: Change) -> str:
    values = change.after or change.before or {}
    if "|" in change.target:
        src, kind, dst = change.target.split("|")
        return f"{src} -{kind}-> {dst}"
    title = values.get("title")
    return f"{title!r} ({change.target})" if title else change.target


def _split(store: GraphStore, batch_id: str, tx: int) -> tuple[list[Change], list[Change]]:
    """The batch's own history entries and every entry made after them."""
    first = store.history(target=batch_target(batch_id), limit=1)
    if not first:
        raise ConflictError(f"import batch {batch_id}: its history entry is missing")
    own: list[Change] = []
    later: list[Change] = []
    for change in _entries_since(store, first[0].at):
        if change.tx == tx:
            own.append(change)
        elif own and change.seq > own[-1].seq:
            later.append(change)
    return own, later


def undo_transaction(store: GraphStore, batch_id: str) -> int | None:
    """The number of the transaction that undid import batch ``batch_id`` (the one that
    set its ``undone_at``), or ``None`` while it is not undone."""
    for change in store.history(target=batch_target(batch_id), newest_first=True):
        before = dict((change.before or {}).get("data") or {})
        after = dict((change.after or {}).get("data") or {})
        if after.get("undone_at") and not before.get("undone_at"):
            return change.tx
    return None


def _reverted(store: GraphStore, later: list[Change]) -> set[int]:
    """The transactions among ``later`` that cancel out: a later import that was undone,
    and its undo."""
    txs = {c.tx for c in later}
    cancelled: set[int] = set()
    for record in store.records(BATCHES):
        tx = record.data.get("tx")
        if record.data.get("undone_at") and tx in txs:
            undone_by = undo_transaction(store, record.id)
            if undone_by is not None:
                cancelled |= {int(tx), undone_by}
    return cancelled


def _conflicts(
    own: list[Change], later: list[Change], batch_id: str, cancelled: set[int]
) -> list[Change]:
    """Later entries touching an item of the batch (see the module docstring); those of
    later imports that were undone, and of their undoing, cancel out."""
    mine = batch_target(batch_id)
    touched = {c.target for c in own if c.target != mine}
    added = {c.target for c in own if c.op == "add_node"}
    found = []
    for change in later:
        if change.target == mine or change.tx in cancelled:
            continue
        if change.target in touched or any(end in added for end in _ends(change.target)):
            found.append(change)
    return found


def _restore_node(store: GraphStore, change: Change, actor: str | None) -> None:
    before = Node.from_dict(change.before or {})
    after = Node.from_dict(change.after or {})
    changes: dict[str, Any] = {
        f: getattr(before, f) for f in NODE_FIELDS if f not in ("id", "kind")
    }
    changes["tags"] = list(before.tags)
    changes.update({k: None for k in after.props if k not in before.props})
    changes.update(before.props)
    store.update_node(before.id, changes, actor=actor, expected_version=after.version)


def _restore_record(store: GraphStore, change: Change, actor: str | None) -> None:
    before = dict((change.before or {}).get("data") or {})
    after = dict((change.after or {}).get("data") or {})
    changes: dict[str, Any] = {k: None for k in after if k not in before}
    changes.update(before)
    collection, record_id = change.target[1:].split("/", 1)
    store.update_record(collection, record_id, changes, actor=actor)


def _revert(store: GraphStore, change: Change, actor: str | None) -> None:
    op, target = change.op, change.target
    if op == "add_node":
        store.delete_node(target, actor=actor)
    elif op == "add_edge":
        src, kind, dst = target.split("|")
        store.delete_edge(src, kind, dst, actor=actor)
    elif op == "update_node":
        _restore_node(store, change, actor)
    elif op == "delete_node":
        store.bulk_load([Node.from_dict(change.before or {})], [], actor=actor, keep_times=True)
    elif op == "delete_edge":
        store.bulk_load([], [Edge.from_dict(change.before or {})], actor=actor, keep_times=True)
    elif op == "update_edge":
        before = Edge.from_dict(change.before or {})
        after = Edge.from_dict(change.after or {})
        changes = {k: None for k in after.props if k not in before.props}
        changes.update(before.props)
        store.update_edge(before.src, before.kind, before.dst, changes, actor=actor)
    elif op == "add_record":
        collection, record_id = target[1:].split("/", 1)
        store.delete_record(collection, record_id, actor=actor)
    elif op == "update_record":
        _restore_record(store, change, actor)
    elif op == "delete_record":
        data = dict(change.before or {})
        collection, record_id = target[1:].split("/", 1)
        store.add_record(
            collection,
            dict(data.get("data") or {}),
            id=record_id,
            ref=data.get("ref", ""),
            actor=actor,
        )


def undo_import(
    store: GraphStore,
    batch_id: str | None = None,
    *,
    actor: str | None = None,
    lang: str = DEFAULT_LANG,
) -> UndoResult:
    """Revert import batch ``batch_id`` (default: the newest not undone) in one transaction;
    ``ConflictError`` naming what later changes touched, ``NotFoundError`` when there is no
    such batch (see the module docstring)."""
    if batch_id is None:
        newest = last_batch(store)
        if newest is None:
            raise NotFoundError(render("undo_nothing", lang))
        batch_id = newest.id
    record = store.get_record(BATCHES, batch_id)
    if record is None:
        raise NotFoundError(render("undo_unknown", lang, batch=batch_id))
    batch = ImportBatchInfo.from_record(record)
    if batch.undone_at is not None:
        raise ConflictError(
            render(
                "undo_done_already", lang, batch=batch_id, at=batch.undone_at, who=batch.undone_by
            )
        )
    tx = int(record.data.get("tx") or transaction_of(store, batch_id))
    own, later = _split(store, batch_id, tx)
    conflicts = _conflicts(own, later, batch_id, _reverted(store, later))
    if conflicts:
        shown = [
            render("undo_conflict_item", lang, item=_label(c), who=c.actor, at=local_time(c.at))
            for c in conflicts[:_SHOWN]
        ]
        more = len(conflicts) - len(shown)
        raise ConflictError(
            render("undo_conflicts", lang, source=batch.source, count=len(conflicts))
            + "; ".join(shown)
            + (" " + render("and_more", lang, count=more) if more > 0 else "")
        )
    mine = batch_target(batch_id)
    removed_nodes = sum(1 for c in own if c.op == "add_node")
    removed_edges = sum(1 for c in own if c.op == "add_edge")
    restored = sum(
        1 for c in own if c.op in ("update_node", "delete_node", "update_edge", "delete_edge")
    )
    with store.transaction(actor=actor):
        for change in reversed(own):
            if change.target != mine:
                _revert(store, change, actor)
        store.update_record(
            BATCHES,
            batch_id,
            {"undone_at": now_iso(), "undone_by": actor or store.actor},
            actor=actor,
        )
    undone = ImportBatchInfo.from_record(store.get_record(BATCHES, batch_id))
    return UndoResult(undone, removed_nodes, removed_edges, restored)
