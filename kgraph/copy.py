"""Copying a whole store to another one, between any two backends.

Nodes, edges (with every property, the handover status included), their own timestamps
and versions, the records kept beside the graph (actions, meetings, views, ...) and the
full history are copied as they are. The destination must be empty
unless ``replace`` is given; the copy is one transaction on the destination, so a failure
leaves it as it was (with ``replace``, the old content is back too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kgraph.errors import StoreError
from kgraph.model import RECORD_COLLECTIONS
from kgraph.store.base import GraphStore

T = TypeVar("T")

#: called as ``progress(done, total)`` with the number of items (nodes, edges and history
#: entries) written so far and in all
Progress = Callable[[int, int], None]

BATCH = 2000


@dataclass(frozen=True)
class CopyResult:
    """How many items were copied."""

    nodes: int
    edges: int
    history: int
    records: int = 0


def same_store(a: GraphStore, b: GraphStore) -> bool:
    """True when both name the same embedded file or the same Neo4j database."""
    if a is b:
        return True
    if a.backend != b.backend:
        return False
    if a.backend == "embedded":
        return Path(a.location).resolve() == Path(b.location).resolve()
    return a.location == b.location


def copy_store(
    source: GraphStore,
    destination: GraphStore,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> CopyResult:
    """Copy everything in ``source`` into ``destination``; see the module docstring.

    Raises ``StoreError`` when the destination holds data and ``replace`` is false, or
    when both are the same store.
    """
    if same_store(source, destination):
        raise StoreError(f"source and destination are the same store ({source.location})")
    if not replace and not destination.is_empty():
        raise StoreError(
            f"{destination.location} already holds data; use --replace to overwrite it"
        )
    nodes = source.nodes()
    edges = source.edges()
    records = [r for collection in RECORD_COLLECTIONS for r in source.records(collection)]
    history = source.history()
    total = len(nodes) + len(edges) + len(records) + len(history)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    advance(0)
    with destination.transaction():
        if replace:
            destination.wipe()
        # ``history=[]`` stores no new history entries: the source's own follow at the end.
        for node_batch in _batches(nodes, batch_size):
            destination.bulk_load(node_batch, [], history=[], keep_times=True)
            advance(len(node_batch))
        for edge_batch in _batches(edges, batch_size):
            destination.bulk_load([], edge_batch, history=[], keep_times=True)
            advance(len(edge_batch))
        for record_batch in _batches(records, batch_size):
            destination.load_records(record_batch)
            advance(len(record_batch))
        for change_batch in _batches(history, batch_size):
            destination.bulk_load([], [], history=change_batch)
            advance(len(change_batch))
    return CopyResult(
        nodes=len(nodes), edges=len(edges), history=len(history), records=len(records)
    )


def _batches(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
