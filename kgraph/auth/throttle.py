"""The sign-in throttle: failed password attempts counted per user name and per client
address, on the server, in a small SQLite table beside the users file.

Why there: a page reload starts a new Streamlit session, so a count kept in the session
starts again at zero (twenty guesses in four reloads); a count in the process is lost at a
restart and not shared by a second ``kgraph serve`` on the same users file. The table
(``<users file>.throttle.db``, mode 0600) is shared by every session and process that
uses that users file, and SQLite's locking keeps concurrent counts exact.

The rule, for each key (``name:<digest of the case-folded user name>`` and
``addr:<client address>``):
after ``free`` failures in a row the key must wait ``LOCK_S`` seconds, doubling with every
further failure up to ``MAX_LOCK_S``; during the wait no password is checked at all. A
success clears its name's count (not the address's: one good account must not reset the
count of a client guessing others); a key with no failure for ``FORGET_S`` is forgotten.
A name gets more free attempts than an address, so a stranger cannot lock a person out as
quickly as a guessing client locks itself out; the wait for a name still stops guessing
that one password from many addresses.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: failed attempts a client address may make before it has to wait
FREE_PER_ADDRESS = 5
#: failed attempts on one user name (from anywhere) before that name has to wait
FREE_PER_NAME = 10
#: the first wait; it doubles with every further failure, up to ``MAX_LOCK_S``
LOCK_S = 30.0
MAX_LOCK_S = 900.0
#: a key with no failure for this long starts again at zero
FORGET_S = 24 * 3600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL
)
"""


def lockout_seconds(failures: int, free: int = FREE_PER_ADDRESS) -> float:
    """How long a key waits after ``failures`` failed attempts in a row."""
    if failures < free:
        return 0.0
    return float(min(LOCK_S * 2 ** min(failures - free, 32), MAX_LOCK_S))


def name_key(name: str) -> str:
    """The key of a user name: a digest, not the name, since people sometimes type their
    password into the name field and the table must not keep it."""
    digest = hashlib.sha256(name.strip().casefold().encode("utf-8")).hexdigest()
    return "name:" + digest


def address_key(address: str) -> str:
    return "addr:" + address.strip().casefold()


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be checked now; if not, ``wait_s`` seconds to wait."""

    allowed: bool
    wait_s: float = 0.0


def throttle_path(users_file: Path) -> Path:
    """Where the throttle table for ``users_file`` lives."""
    return users_file.with_name(users_file.name + ".throttle.db")


class SigninThrottle:
    """The failure counts for one users file (see the module docstring).

    Every method takes ``now`` (seconds since the epoch, default: the clock), so the rule
    can be checked without waiting for it.
    """

    def __init__(self, users_file: str | Path) -> None:
        self.path = throttle_path(Path(users_file))

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():  # only the owner reads who failed from where
            with contextlib.suppress(FileExistsError):
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        con = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    @staticmethod
    def _keys(name: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(name_key(name), FREE_PER_NAME)] if name.strip() else []
        if address:
            keys.append((address_key(address), FREE_PER_ADDRESS))
        return keys

    @staticmethod
    def _wait(con: sqlite3.Connection, key: str, free: int, now: float) -> float:
        row = con.execute(
            "SELECT failures, last_failure FROM signin_failures WHERE key = ?", (key,)
        ).fetchone()
        if row is None or now - row[1] > FORGET_S:
            return 0.0
        return max(0.0, row[1] + lockout_seconds(int(row[0]), free) - now)

    def check(self, name: str, address: str | None, *, now: float | None = None) -> Verdict:
        """May an attempt for ``name`` from ``address`` be checked now?"""
        now = time.time() if now is None else now
        with self._db() as con:
            wait = max(
                (self._wait(con, key, free, now) for key, free in self._keys(name, address)),
                default=0.0,
            )
        return Verdict(wait <= 0.0, wait)

    def failed(self, name: str, address: str | None, *, now: float | None = None) -> Verdict:
        """Count a failed attempt; the verdict says how long the next one must wait."""
        now = time.time() if now is None else now
        with self._db() as con:
            con.execute("DELETE FROM signin_failures WHERE last_failure < ?", (now - FORGET_S,))
            for key, _free in self._keys(name, address):
                con.execute(
                    "INSERT INTO signin_failures (key, failures, last_failure) VALUES (?, 1, ?) "
                    "ON CONFLICT(key) DO UPDATE SET failures = failures + 1, "
                    "last_failure = excluded.last_failure",
                    (key, now),
                )
            wait = max(
                (self._wait(con, key, free, now) for key, free in self._keys(name, address)),
                default=0.0,
            )
        return Verdict(wait <= 0.0, wait)

    def succeeded(self, name: str) -> None:
        """Clear the count of ``name`` after a good password."""
        with self._db() as con:
            con.execute("DELETE FROM signin_failures WHERE key = ?", (name_key(name),))

    def failures(self, key: str) -> int:
        """The current count for a key (``name_key(...)`` or ``address_key(...)``)."""
        with self._db() as con:
            row = con.execute(
                "SELECT failures FROM signin_failures WHERE key = ?", (key,)
            ).fetchone()
        return int(row[0]) if row else 0
