"""Where computed analyses outlive a process: one small SQLite file per store.

Why a file of its own and not a table in the store: writing a cached result into the store
would wake every other process's read cache (SQLite's ``data_version`` moves with any
commit) and travel with every backup; a Neo4j user may not be allowed to write at all.
Why SQLite: one row per analysis, read by its key in well under a millisecond, safe
between processes (WAL), in the standard library.

Results are stored as zlib-compressed JSON, never pickles: a file anyone who can write the
store's folder can change must not be able to run code in the dashboard.

Besides results, ``jobs`` says which process is computing what right now (``owner``,
``beat`` refreshed every few seconds, ``progress``), so a second process shows that
progress instead of starting the same hour-long computation again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sqlite3
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: a claim whose owner has not beaten for this long is taken to be dead
STALE_S = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    store TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, params TEXT NOT NULL,
    stamp TEXT NOT NULL, read_at REAL NOT NULL, computed_at TEXT NOT NULL,
    seconds REAL NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (store, name, version, params)
);
CREATE TABLE IF NOT EXISTS jobs (
    store TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, params TEXT NOT NULL,
    stamp TEXT NOT NULL, owner TEXT NOT NULL, beat REAL NOT NULL, progress REAL,
    PRIMARY KEY (store, name, version, params)
);
"""
#: who this process is in ``jobs.owner``
OWNER = f"{socket.gethostname()}:{os.getpid()}"

Key = tuple[str, str, int, str]  # store, analysis name, version, params (canonical JSON)


@dataclass(frozen=True)
class Stored:
    """A result as the file holds it (``data`` still encoded)."""

    stamp: str
    read_at: float
    computed_at: str
    seconds: float


@dataclass(frozen=True)
class Claim:
    """Another process computing an analysis: for which stamp, and how far it is."""

    stamp: str
    owner: str
    progress: float | None


def encode(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return zlib.compress(text.encode("utf-8"), 1)


def decode(data: bytes) -> Any:
    return json.loads(zlib.decompress(data).decode("utf-8"))


def cache_home() -> Path:
    """The user's cache folder for kgraph (``$XDG_CACHE_HOME/kgraph``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kgraph"


def file_for(backend: str, location: str) -> list[Path]:
    """Where the cache of a store lives, best first: beside an embedded store's file (it
    moves and is deleted with it), else in the user's cache folder, named by a hash of the
    location (a Neo4j URI and database, without the password)."""
    hashed = hashlib.sha256(f"{backend}:{location}".encode()).hexdigest()[:24]
    fallback = cache_home() / "analyses" / f"{hashed}.sqlite"
    if backend == "embedded":
        path = Path(location)
        return [path.with_name(path.name + ".analyses"), fallback]
    return [fallback]


class DiskCache:
    """The results and job claims of one cache file; every method swallows the file's own
    failures (a full disk, a read-only folder): the cache then works from memory alone."""

    def __init__(self, candidates: list[Path]) -> None:
        self.path: Path | None = None
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        for path in candidates:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    str(path), timeout=5.0, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # a lost result is recomputed
                conn.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                log.info("analysis cache: cannot use %s: %s", path, exc)
                continue
            self.path, self._conn = path, conn
            break

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any] | None:
        if self._conn is None:
            return None
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                log.info("analysis cache %s: %s", self.path, exc)
                return None

    def head(self, key: Key) -> Stored | None:
        """The stored result's stamp and times, without its data."""
        rows = self._run(
            "SELECT stamp, read_at, computed_at, seconds FROM results "
            "WHERE store = ? AND name = ? AND version = ? AND params = ?",
            key,
        )
        return Stored(*rows[0]) if rows else None

    def data(self, key: Key, stamp: str) -> Any | None:
        """The stored result's value if it is still the one of ``stamp``."""
        rows = self._run(
            "SELECT data FROM results WHERE store = ? AND name = ? AND version = ? "
            "AND params = ? AND stamp = ?",
            (*key, stamp),
        )
        if not rows:
            return None
        try:
            return decode(rows[0][0])
        except (ValueError, zlib.error) as exc:  # a damaged row is recomputed
            log.info("analysis cache %s: unreadable result: %s", self.path, exc)
            return None

    def put(self, key: Key, stored: Stored, payload: bytes) -> None:
        """Keep ``payload`` unless the file holds a result of a later state already (one
        whose stamp was read later: a slow computation of an old state loses)."""
        self._run(
            "INSERT INTO results(store, name, version, params, stamp, read_at, computed_at, "
            "seconds, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(store, name, version, params) DO UPDATE SET stamp = excluded.stamp, "
            "read_at = excluded.read_at, computed_at = excluded.computed_at, "
            "seconds = excluded.seconds, data = excluded.data "
            "WHERE excluded.read_at >= results.read_at",
            (*key, stored.stamp, stored.read_at, stored.computed_at, stored.seconds, payload),
        )

    # --- who computes what ---------------------------------------------------------------

    def claim(self, key: Key, stamp: str) -> Claim | None:
        """Claim the computation of ``key`` at ``stamp`` for this process; ``None`` when
        claimed, else the live claim of another process (which then goes on)."""
        if self._conn is None:
            return None
        now = time.time()
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                row = self._conn.execute(
                    "SELECT stamp, owner, beat, progress FROM jobs WHERE store = ? AND "
                    "name = ? AND version = ? AND params = ?",
                    key,
                ).fetchone()
                if row is not None and row[1] != OWNER and row[0] == stamp and _alive(row, now):
                    self._conn.execute("COMMIT")
                    return Claim(row[0], row[1], row[3])
                self._conn.execute(
                    "INSERT OR REPLACE INTO jobs(store, name, version, params, stamp, owner, "
                    "beat, progress) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                    (*key, stamp, OWNER, now),
                )
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                log.info("analysis cache %s: %s", self.path, exc)
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
        return None

    def other_claim(self, key: Key, stamp: str) -> Claim | None:
        """A live claim by another process of ``key`` at ``stamp``, if there is one."""
        rows = self._run(
            "SELECT stamp, owner, beat, progress FROM jobs WHERE store = ? AND name = ? AND "
            "version = ? AND params = ?",
            key,
        )
        if not rows:
            return None
        row = rows[0]
        if row[1] == OWNER or row[0] != stamp or not _alive(row, time.time()):
            return None
        return Claim(row[0], row[1], row[3])

    def beat(self, key: Key, progress: float | None) -> None:
        self._run(
            "UPDATE jobs SET beat = ?, progress = ? WHERE store = ? AND name = ? AND "
            "version = ? AND params = ? AND owner = ?",
            (time.time(), progress, *key, OWNER),
        )

    def release(self, key: Key) -> None:
        self._run(
            "DELETE FROM jobs WHERE store = ? AND name = ? AND version = ? AND params = ? "
            "AND owner = ?",
            (*key, OWNER),
        )

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _alive(row: tuple[Any, ...], now: float) -> bool:
    """Whether the owner of a ``jobs`` row still works on it: it beat lately, and on this
    machine its process still exists."""
    if now - float(row[2]) > STALE_S:
        return False
    host, _, pid = str(row[1]).rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True
