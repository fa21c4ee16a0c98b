"""Backup and restore: a consistent snapshot of a store, taken while people keep working.

A snapshot is always one self-contained kgraph embedded store file (SQLite, rollback
journal, no ``-wal`` beside it), whatever the backend: it holds the nodes, the edges and
the whole history, and ``kgraph --store SNAPSHOT.db ...`` can read it directly.

- **Embedded store**: SQLite's online backup API (``sqlite3.Connection.backup``) copies
  every page in one step inside one read transaction, so the snapshot is the store as it
  was at one commit; in WAL mode writers carry on meanwhile and are not blocked.
- **Neo4j** (any other backend): a full export with ``kgraph.copy.copy_store`` into a new
  snapshot file. Neo4j reads are not one snapshot, so the history is the witness: the
  store's ``last_change()`` (its newest history number) is read before and after the
  copy, and if a change was committed in between the copy is made again
  (``SNAPSHOT_ATTEMPTS`` times at most). Every write adds its history in the same
  transaction, so an unchanged history means the copy belongs to one moment.

Restore refuses a store that holds anything (nodes or history) unless ``replace=True``.
Into an embedded store the snapshot's pages are copied with the same backup API, in one
write transaction: the store is the snapshot afterwards, exactly (history numbers
included), or unchanged if anything fails. Into Neo4j the snapshot is copied with
``copy_store`` (with ``replace`` the wipe is part of the same transaction). Check a
store is idle before restoring into it: a write landing between the emptiness check and
the restore would be overwritten.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kgraph.copy import copy_store
from kgraph.errors import KGraphError, StoreError
from kgraph.store.base import GraphStore
from kgraph.store.embedded import SCHEMA_VERSION, EmbeddedStore

SNAPSHOT_ATTEMPTS = 20
_BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore moved, and how long it took."""

    path: Path
    nodes: int
    edges: int
    changes: int
    seconds: float

    def describe(self, verb: str) -> str:
        return (
            f"{verb} {self.nodes} nodes, {self.edges} edges and {self.changes} history "
            f"entries ({self.path}, {self.seconds:.2f} s)"
        )


def backup(store: GraphStore, out: str | Path, *, overwrite: bool = False) -> BackupResult:
    """Write a consistent snapshot of ``store`` to ``out`` (see the module docstring).

    ``out`` appears only when the snapshot is complete and checked; an existing file is
    refused unless ``overwrite``.
    """
    started = time.perf_counter()
    store = _unguard(store, "backup")
    out = Path(out)
    if out.exists() and not overwrite:
        raise KGraphError(f"{out} exists already; choose another name or overwrite it")
    if out.is_dir():
        raise KGraphError(f"{out} is a folder; give a file name for the snapshot")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        if isinstance(store, EmbeddedStore):
            _copy_pages(store.path, tmp)
        else:
            _load_snapshot(store, tmp)
        _finish_snapshot(tmp)
        nodes, edges, changes = _snapshot_counts(tmp)
        os.replace(tmp, out)
        _fsync_folder(out.parent)
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return BackupResult(out, nodes, edges, changes, time.perf_counter() - started)


def restore(snapshot: str | Path, target: GraphStore, *, replace: bool = False) -> BackupResult:
    """Make ``target`` hold what ``snapshot`` holds (see the module docstring)."""
    started = time.perf_counter()
    target = _unguard(target, "restore")
    snapshot = Path(snapshot)
    nodes, edges, changes = _snapshot_counts(snapshot)
    check_snapshot(snapshot)
    if not target.is_empty() and not replace:
        counts = target.counts()
        raise KGraphError(
            f"{target.location} is not empty ({sum(counts.nodes.values())} nodes, "
            f"{sum(counts.edges.values())} edges and history); restore with replace "
            "(--replace) to overwrite it"
        )
    if isinstance(target, EmbeddedStore):
        _restore_pages(snapshot, target.path)
    else:
        _restore_by_copying(snapshot, target, replace)
    return BackupResult(snapshot, nodes, edges, changes, time.perf_counter() - started)


def _unguard(store: GraphStore, action: str) -> GraphStore:
    """A guarded store's own store, once its user's role allows ``action``."""
    from kgraph.auth.guard import GuardedStore

    return store.unwrap_for(action) if isinstance(store, GuardedStore) else store


def check_snapshot(path: Path) -> None:
    """``KGraphError`` unless ``path`` is an intact kgraph snapshot this version can read."""
    with contextlib.closing(_open_read_only(path)) as conn:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            check = conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise KGraphError(f"{path} is not a kgraph snapshot: {exc}") from exc
    if row is None:
        raise KGraphError(f"{path} is not a kgraph snapshot: it has no schema version")
    if int(row[0]) > SCHEMA_VERSION:
        raise KGraphError(f"{path} was written by a newer kgraph (schema {row[0]})")
    if check != [("ok",)]:
        raise KGraphError(f"{path} is damaged: {'; '.join(str(r[0]) for r in check[:5])}")


# --- embedded: page copies -----------------------------------------------------------------


def _backup_api(src: sqlite3.Connection, dst: sqlite3.Connection, failure: str) -> None:
    """Copy every page of ``src`` over ``dst`` in one step, then close both."""
    try:
        src.backup(dst, pages=-1)
    except sqlite3.Error as exc:
        raise StoreError(f"{failure}: {exc}") from exc
    finally:
        src.close()
        dst.close()


def _copy_pages(source: Path, dest: Path) -> None:
    """Copy every page of ``source`` in one step: one read transaction, one moment."""
    src = sqlite3.connect(str(source), timeout=_BUSY_TIMEOUT_S)
    _backup_api(src, sqlite3.connect(str(dest)), f"cannot back up {source}")


def _restore_pages(snapshot: Path, target: Path) -> None:
    """Overwrite the store at ``target`` with the snapshot's pages, in one transaction."""
    src = _open_read_only(snapshot)
    dst = sqlite3.connect(str(target), timeout=_BUSY_TIMEOUT_S)
    _backup_api(src, dst, f"cannot restore into {target}")
    # Opening it brings an older snapshot's schema up to date and checks it reads.
    EmbeddedStore(target).close()


def _finish_snapshot(path: Path) -> None:
    """Make the snapshot one self-contained file, checked, and flushed to disk."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        check = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if check != [("ok",)]:
        raise StoreError(f"the snapshot failed its integrity check: {check[:5]}")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise KGraphError(f"{path} does not exist or is not a file")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise KGraphError(f"cannot open {path}: {exc}") from exc


def _snapshot_counts(path: Path) -> tuple[int, int, int]:
    with contextlib.closing(_open_read_only(path)) as conn:
        try:
            nodes, edges, changes = (
                int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
                for table in ("nodes", "edges", "history")
            )
        except sqlite3.DatabaseError as exc:
            raise KGraphError(f"{path} is not a kgraph snapshot: {exc}") from exc
    return nodes, edges, changes


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- other backends: a copy, witnessed by the history ------------------------------------


def _load_snapshot(store: GraphStore, dest: Path) -> None:
    """Copy ``store`` into a new embedded store at ``dest``, again if it changed meanwhile."""
    for _attempt in range(SNAPSHOT_ATTEMPTS):
        before = store.last_change()
        for leftover in (dest, *_sidecars(dest)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
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


def _restore_by_copying(snapshot: Path, target: GraphStore, replace: bool) -> None:
    # Work on a copy: opening a store file may convert it (WAL, schema), and a snapshot
    # must stay as it was.
    with tempfile.TemporaryDirectory(prefix="kgraph-restore-") as folder:
        copy = Path(folder) / "snapshot.db"
        shutil.copyfile(snapshot, copy)
        with EmbeddedStore(copy) as snap:
            copy_store(snap, target, replace=replace)
