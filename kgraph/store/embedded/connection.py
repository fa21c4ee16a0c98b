"""The embedded store's connection: opening the file, the lock, and write transactions.

One SQLite connection per store, serialised by a re-entrant lock held for a whole
transaction, so the store is safe to share between threads. Every write runs in
``BEGIN IMMEDIATE`` ... ``COMMIT`` with ``synchronous=FULL``; a busy database (another
process writing) is waited for with a bounded retry, never shown to the user.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kgraph.errors import StoreError
from kgraph.store.base import GraphStore
from kgraph.store.embedded import schema
from kgraph.store.embedded.cache import ReadCache
from kgraph.store.embedded.rows import Rows, chunks

CACHE_KB = 65536  # page cache: 64 MB
# Pages read through a memory map skip a copy into the page cache: ~10% off a cold
# neighbourhood at 100,000 questions. Read-only (SQLite writes with write()), bounded.
_MMAP_BYTES = 256 * 1024 * 1024
_BUSY_TIMEOUT_S = 10.0
_LOCK_RETRIES = 60  # on top of the busy timeout: bounded, about a minute in all


class _TxState(threading.local):
    depth: int = 0
    tx: int | None = None
    actor: str | None = None


class EmbeddedCore(Rows, GraphStore):
    """What every part of the embedded store builds on (see ``EmbeddedStore``)."""

    backend = "embedded"
    #: whether opening the store created it (the file was missing or empty)
    created: bool = False

    def __init__(self, path: str | Path, actor: str | None = None) -> None:
        super().__init__(actor)
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.is_dir():
            raise StoreError(f"cannot open store {self.path}: it is a folder, not a .db file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(self.path),
                timeout=_BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._lock = threading.RLock()
        self._tx = _TxState()
        # Recently read rows for neighbourhoods; guarded by the lock, emptied by every write
        # transaction of this store and by every commit of another (see ``cache``).
        self._cache = ReadCache()
        try:
            # look before changing anything: another program's file stays as it was
            found, marked = schema.inspect(self._conn, self.path)
            self._pragmas()
            self.created = schema.prepare(self._conn, found, marked, lambda: self._write(None))
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path} is not a readable kgraph store: {exc}") from exc

    def _pragmas(self) -> None:
        c = self._conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        c.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")

    def close(self) -> None:
        with self._lock:
            self._cache.clear()
            self._conn.close()

    def wipe(self) -> None:
        """Delete every node, edge, record and history entry; joins an open
        ``transaction()``."""
        with self._write(None):
            self._conn.execute("DELETE FROM edges")
            self._conn.execute("DELETE FROM nodes")
            self._conn.execute("DELETE FROM node_fts")
            self._conn.execute("DELETE FROM node_stems")
            self._conn.execute("DELETE FROM history")
            self._conn.execute("DELETE FROM records")
            self._conn.execute("UPDATE meta SET value = '0' WHERE key = 'tx'")

    # --- transactions ------------------------------------------------------------------

    def _begin(self) -> None:
        """BEGIN IMMEDIATE with a bounded retry: another process may hold the write lock."""
        for attempt in range(_LOCK_RETRIES):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        raise StoreError(f"{self.path} stayed locked by another writer; try again")

    @contextmanager
    def _write(self, actor: str | None) -> Iterator[None]:
        with self._lock:
            state = self._tx
            if state.depth:
                state.depth += 1
                try:
                    yield
                finally:
                    state.depth -= 1
                return
            self._begin()
            # Our own commits leave PRAGMA data_version as it is: empty the read cache
            # here, and again once the transaction is over, whatever its outcome.
            self._cache.clear()
            state.depth, state.tx, state.actor = 1, None, actor or self.actor
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()
            finally:
                state.depth, state.tx, state.actor = 0, None, None
                self._cache.clear()

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite has already rolled back after some errors (a full disk: SQLITE_FULL);
        # a second ROLLBACK would fail and hide the real error.
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def transaction(self, actor: str | None = None) -> Any:
        """All writes inside land together or not at all; see ``GraphStore.transaction``."""
        return self._write(actor)

    def _actor(self, actor: str | None) -> str:
        return actor or self._tx.actor or self.actor

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise
                raise StoreError(f"{self.path} is damaged: {exc}") from exc

    def _node_kinds(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for chunk in chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            for node_id, kind in self._conn.execute(
                f"SELECT id, kind FROM nodes WHERE id IN ({marks})",  # noqa: S608
                chunk,
            ):
                found[node_id] = kind
        return found

    def _degrees(self, ids: Iterable[str]) -> dict[str, int]:
        ids = list(ids)
        out: dict[str, int] = {}
        for chunk in chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            out.update(
                self._query(f"SELECT id, degree FROM nodes WHERE id IN ({marks})", chunk)  # noqa: S608
            )
        return out
