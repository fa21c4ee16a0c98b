"""Backup and restore: a consistent snapshot of a store, taken while people keep working.

A snapshot is always one self-contained kgraph embedded store file (SQLite, rollback
journal, no ``-wal`` beside it), whatever the backend: it holds the nodes, the edges and
the whole history, and ``kgraph --store SNAPSHOT.db ...`` can read it directly. The store
makes it (``GraphStore.snapshot``): the embedded store copies its pages with SQLite's
online backup API in one read transaction; Neo4j copies through the contract, witnessed by
its history (``kgraph.store.snapshot``).

The snapshot is written to a temporary name in the destination folder, checked, flushed
and renamed over ``OUT``: ``OUT`` is either the old file or the whole new snapshot. A
temporary file is removed on any error; one left by a killed backup (its process gone) is
removed by the next backup into that folder. ``OUT`` is refused when it is the store
itself, or a database in use (SQLite's ``-wal``/``-shm`` files beside it): renaming a
file over a database another process has open corrupts that database. An empty store
(no nodes, no history: often a mistyped ``--store`` path) is not backed up unless asked.

Restore refuses a store that holds anything (nodes or history) unless ``replace=True``,
and hands the checked snapshot to the store (``GraphStore.load_snapshot``): into an
embedded store its pages are copied in one write transaction (exact, history numbers
included, or unchanged on failure); into Neo4j it is copied (with ``replace`` the wipe is
part of the same transaction). Check a store is idle before restoring into it: a write
landing between the emptiness check and the restore would be overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from kgraph.errors import KGraphError, StoreError
from kgraph.store.base import GraphStore
from kgraph.store.embedded import SCHEMA_VERSION
from kgraph.store.snapshot import remove_with_sidecars, sidecars

_TEMP_SUFFIX = ".kgraph-tmp"


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


def backup(
    store: GraphStore, out: str | Path, *, overwrite: bool = False, allow_empty: bool = False
) -> BackupResult:
    """Write a consistent snapshot of ``store`` to ``out`` (see the module docstring).

    ``out`` appears only when the snapshot is complete and checked; an existing file is
    refused unless ``overwrite``, the store itself or a database in use always, an empty
    store unless ``allow_empty``.
    """
    started = time.perf_counter()
    store = _unguard(store, "backup")
    out = Path(out)
    if out.is_dir():
        raise KGraphError(f"{out} is a folder; give a file name for the snapshot")
    refuse_live_target(store, out)
    if out.exists() and not overwrite:
        raise KGraphError(f"{out} exists already; choose another name or overwrite it")
    if not allow_empty and store.is_empty():
        raise KGraphError(
            f"{store.location} is empty (no nodes, no history): not writing an empty "
            "snapshot; check the --store path (or allow an empty backup)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out.parent)
    tmp = out.with_name(f".{out.name}.{os.getpid()}-{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    try:
        store.snapshot(tmp)
        _finish_snapshot(tmp)
        nodes, edges, changes = _snapshot_counts(tmp)
        refuse_live_target(store, out)  # again, just before the rename
        os.replace(tmp, out)
        _fsync_folder(out.parent)
    finally:
        remove_with_sidecars(tmp)
    return BackupResult(out, nodes, edges, changes, time.perf_counter() - started)


def refuse_live_target(store: GraphStore, out: Path) -> None:
    """``KGraphError`` if ``out`` is the store's own file or a SQLite database in use."""
    own = getattr(store, "path", None)
    if isinstance(own, Path) and _same_file(own, out):
        raise KGraphError(f"{out} is the store being backed up; write the snapshot elsewhere")
    live = [p.name for p in sidecars(out)[:2] if p.exists()]
    if live:
        raise KGraphError(
            f"{out} is a database in use ({', '.join(live)} beside it): a snapshot renamed "
            "over it would corrupt it; choose another name"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


_TEMP_NAME = re.compile(
    r"^\..+\.(\d+)-[0-9a-f]{8}" + re.escape(_TEMP_SUFFIX) + r"(-wal|-shm|-journal)?$"
)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove snapshot temporaries in ``folder`` whose backup process is gone (killed
    before it could clean up); those of running backups are left alone."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = _TEMP_NAME.match(entry.name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


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
    target.load_snapshot(snapshot, replace=replace)
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


# --- snapshot files ------------------------------------------------------------


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


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
