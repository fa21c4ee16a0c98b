"""``EmbeddedStore``: the GraphStore contract in one SQLite file (WAL), no server.

Why this shape: at 100,000 questions a networkx copy of the whole graph costs seconds and
a gigabyte, while an indexed SQLite lookup costs microseconds. So the durable state *is*
the SQLite file, read through indexes; networkx is used only by analyses, on the
subgraph they fetch. The parts, one concern each: ``schema`` (tables, refusing foreign
files), ``connection`` (the lock and transactions), ``writes`` (the write primitives and
bulk loads), ``reads``, ``neighbourhood`` (adjacency, subgraphs, paths), ``search``,
``listing`` (paged lists, aggregates, lean rows) and ``cache`` (rows read recently).

Every write runs in ``BEGIN IMMEDIATE`` ... ``COMMIT`` with ``synchronous=FULL``, its
history rows in the same transaction, so an acknowledged change survives a crash and a
half-made one never appears. Other processes see it at their next read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kgraph.errors import StoreError
from kgraph.store.embedded.listing import EmbeddedListing
from kgraph.store.embedded.neighbourhood import EmbeddedNeighbourhood
from kgraph.store.embedded.reads import EmbeddedReads
from kgraph.store.embedded.search import EmbeddedSearch
from kgraph.store.embedded.vectors import EmbeddedVectors
from kgraph.store.embedded.writes import EmbeddedWrites

_BUSY_TIMEOUT_S = 30.0


class EmbeddedStore(
    EmbeddedWrites, EmbeddedReads, EmbeddedListing, EmbeddedNeighbourhood, EmbeddedSearch
):
    """A GraphStore in one SQLite file; safe to share between threads of a process.

    Open with ``EmbeddedStore(path)``; the file and its folder are created if missing
    (``created`` then says so). A SQLite file of another program is refused.
    """

    def vector_cache(self) -> EmbeddedVectors:
        """The ``question_vectors`` table of this file."""
        return EmbeddedVectors(self)

    def snapshot(self, dest: Path) -> None:
        """SQLite's online backup API copies every page in one step inside one read
        transaction: the snapshot is the store as it was at one commit, and in WAL mode
        writers carry on meanwhile."""
        src = sqlite3.connect(str(self.path), timeout=_BUSY_TIMEOUT_S)
        _copy_all_pages(src, sqlite3.connect(str(dest)), f"cannot back up {self.path}")

    def load_snapshot(self, snapshot: Path, *, replace: bool = False) -> None:
        """The snapshot's pages copied over this store's in one write transaction: the
        store is the snapshot afterwards, exactly (history numbers included), or unchanged
        if anything fails."""
        with self._lock:
            self._cache.clear()
            src = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
            dst = sqlite3.connect(str(self.path), timeout=_BUSY_TIMEOUT_S)
            _copy_all_pages(src, dst, f"cannot restore into {self.path}")
            self._cache.clear()
        # Opening it brings an older snapshot's schema up to date and checks it reads.
        EmbeddedStore(self.path).close()


def _copy_all_pages(src: sqlite3.Connection, dst: sqlite3.Connection, failure: str) -> None:
    """Copy every page of ``src`` over ``dst`` in one step, then close both."""
    try:
        src.backup(dst, pages=-1)
    except sqlite3.Error as exc:
        raise StoreError(f"{failure}: {exc}") from exc
    finally:
        src.close()
        dst.close()
