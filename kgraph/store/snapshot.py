"""Snapshots through the store contract, for backends without a consistent bulk read.

Neo4j reads are not one snapshot, so the history is the witness: the store's
``last_change()`` (its newest history number) is read before and after a full copy into
a new embedded store file, and if a change was committed in between the copy is made
again (``SNAPSHOT_ATTEMPTS`` times at most). Every write adds its history in the same
transaction, so an unchanged history means the copy belongs to one moment.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kgraph.errors import KGraphError, StoreError

if TYPE_CHECKING:
    from kgraph.store.base import GraphStore

SNAPSHOT_ATTEMPTS = 20


def sidecars(path: Path) -> list[Path]:
    """The files SQLite may keep beside a database file."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def remove_with_sidecars(path: Path) -> None:
    for leftover in (path, *sidecars(path)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def copy_snapshot(store: GraphStore, dest: Path) -> None:
    """Copy ``store`` into a new embedded store at ``dest``, again if it changed meanwhile."""
    from kgraph.copy import copy_store
    from kgraph.store.embedded import EmbeddedStore

    for _attempt in range(SNAPSHOT_ATTEMPTS):
        before = store.last_change()
        remove_with_sidecars(dest)
        failure: KGraphError | None = None
        with EmbeddedStore(dest, actor=store.actor) as snap:
            try:
                copy_store(store, snap)
            except KGraphError as exc:  # e.g. an edge read whose new node was not
                failure = exc
        if store.last_change() == before:
            if failure is not None:  # nothing changed meanwhile: a real problem
                raise failure
            return
        time.sleep(0.05)
    raise StoreError(
        f"{store.location} kept changing during {SNAPSHOT_ATTEMPTS} attempts to copy it; "
        "try the backup again when fewer people are editing"
    )


def copy_from_snapshot(snapshot: Path, target: GraphStore, *, replace: bool) -> None:
    """Copy the snapshot file into ``target`` (``replace``: its wipe in the same transaction)."""
    from kgraph.copy import copy_store
    from kgraph.store.embedded import EmbeddedStore

    # Work on a copy: opening a store file may convert it (WAL, schema), and a snapshot
    # must stay as it was.
    with tempfile.TemporaryDirectory(prefix="kgraph-restore-") as folder:
        copy = Path(folder) / "snapshot.db"
        shutil.copyfile(snapshot, copy)
        with EmbeddedStore(copy) as snap:
            copy_store(snap, target, replace=replace)
