"""Writing a plan: the one write path of every import and re-import.

``apply_plan`` writes an ``ImportPlan`` in one store transaction (everything or nothing):
new nodes, then new edges, in parts (``batching``), then the updates of changed items and,
when asked, the deletion of what is no longer in the source, then the register's record.
``progress(done, total)`` is called after each step, so a bar can move while the one
transaction runs.

Every apply is recorded as one *import batch*, a record in the ``import_batch`` collection
written first in the same transaction: who, when, what source, which register, the counts,
and the number of the transaction (``tx``) whose history entries are exactly what the
import changed, so ``kgraph.importers.undo`` can revert it.

The plan was made from what the store held when it was checked. A changed item or one to
be deleted that someone else saved since is refused (``ConflictError``: check again), so a
re-import never overwrites an edit it did not see; nodes and edges that appeared meanwhile
are simply not added twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph import sources
from kgraph.errors import ConflictError, ValidationError
from kgraph.importers import registers
from kgraph.importers.batching import batches, count
from kgraph.importers.plan import ImportPlan
from kgraph.model import Node
from kgraph.store.base import GraphStore, check_ref, now_iso

Progress = Callable[[int, int], None]
#: the collection import batches are recorded in
BATCHES = "import_batch"


@dataclass(frozen=True)
class AppliedImport:
    """What ``apply_plan`` wrote: the batch record's id, the counts and the transaction."""

    batch: str
    nodes_added: int
    edges_added: int
    updated: int
    deleted: int
    tx: int


def batch_target(batch_id: str) -> str:
    """The history target of an import batch's record."""
    return f"@{BATCHES}/{batch_id}"


def transaction_of(store: GraphStore, batch_id: str) -> int:
    """The number of the transaction that wrote import batch ``batch_id`` (from the
    history entry that added its record)."""
    entries = store.history(target=batch_target(batch_id), limit=1)
    if not entries:
        raise ConflictError(f"import batch {batch_id}: its history entry is missing")
    return entries[0].tx


def apply_plan(
    store: GraphStore,
    plan: ImportPlan,
    *,
    prune: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
    register_name: str | None = None,
    source: Mapping[str, Any] | None = None,
) -> AppliedImport:
    """Write ``plan`` in one transaction and record it as an import batch (see the module
    docstring). ``prune`` also deletes what is ``gone``; ``register_name`` is the register's
    name as written; ``source`` describes what was read (display name, file, digest), kept
    on the batch record."""
    nodes = plan.added
    edges = plan.edges
    deletes = plan.gone if prune else []
    total = count(nodes) + count(edges) + len(plan.changed) + len(deletes) + 1
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    started = now_iso()
    data: dict[str, Any] = {
        "source": plan.source,
        **dict(source or {}),
        "register": plan.register,
        "kind": plan.kind,
        "prune": prune,
        "started_at": started,
        "actor": actor or store.actor,
    }
    nodes_added = edges_added = 0
    with store.transaction(actor=actor):
        record = store.add_record(
            BATCHES,
            {k: v for k, v in data.items() if v is not None},
            ref=plan.register or "",
            actor=actor,
        )
        tx = transaction_of(store, record.id)
        for node_part in batches(nodes):
            added, _ = store.bulk_load(node_part, [], actor=actor)
            nodes_added += added
            step()
        for edge_part in batches(edges):
            _, added = store.bulk_load([], edge_part, actor=actor)
            edges_added += added
            step()
        for old, _new, changes in plan.changed:
            store.update_node(old.id, changes, actor=actor, expected_version=old.version)
            step()
        for node in deletes:
            current = store.get_node(node.id)
            if current is not None and current.version != node.version:
                raise ConflictError(
                    f"{node.id} was changed by {current.updated_by} at {current.updated_at} "
                    "after the import was checked; check again"
                )
            if current is not None:
                store.delete_node(node.id, actor=actor)
            step()
        if plan.register is not None:
            registers.remember(
                store,
                plan.register,
                name=register_name or plan.register,
                kind=plan.kind,
                spec=plan.details.get("spec"),
                headers=plan.details.get("headers") or (),
                source=plan.source,
                batch=record.id,
                actor=actor,
            )
        _title_sources(store, nodes, plan.source, register_name or plan.register, actor)
        counts = {
            "nodes_added": nodes_added,
            "edges_added": edges_added,
            "updated": len(plan.changed),
            "deleted": len(deletes),
        }
        store.update_record(
            BATCHES,
            record.id,
            {
                "tx": tx,
                "counts": counts,
                "handovers": dict(plan.handovers),
                "finished_at": now_iso(),
            },
            actor=actor,
        )
        step()
    return AppliedImport(record.id, nodes_added, edges_added, len(plan.changed), len(deletes), tx)


def _title_sources(
    store: GraphStore,
    nodes: Iterable[Node],
    source: str | None,
    register: str | None,
    actor: str | None,
) -> None:
    """Give the file this import read a readable title (``kgraph.sources``) when it has
    none yet and the added items cite it: the register's name, else the file's name
    without its extension, so a source reads "Kennisagenda, blad Vragen, rij 12". A title
    given before (``kgraph source title``, the seed's) is kept, and so are the sources
    items carry from elsewhere (a graph file's items cite the files they came from)."""
    if not source:
        return
    own = {source, Path(source).name}
    cited = {sources.parse(n.source).file for n in nodes if n.source} & own
    titled = sources.source_titles(store)
    for file in sorted(cited - set(titled)):
        try:
            check_ref(file)
        except ValidationError:  # a name no record can be found by: leave it as it is
            continue
        title = register or Path(file).stem.replace("_", " ").strip() or file
        sources.register_source(store, file, title, actor=actor)
