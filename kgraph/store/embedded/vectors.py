"""The embedded store's vector table (``question_vectors``; see ``kgraph.store.vectors``).

Writes take the store's write lock and transaction like any other write, but add no
history rows: ``last_change`` (the largest history number) does not move.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from kgraph.store.embedded.connection import EmbeddedCore
from kgraph.store.embedded.rows import chunks
from kgraph.store.vectors import VectorRow

_UPSERT = (
    "INSERT INTO question_vectors(id, model, digest, lang, vector) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET model = excluded.model, digest = excluded.digest, "
    "lang = excluded.lang, vector = excluded.vector"
)


class EmbeddedVectors:
    """``VectorCache`` over one ``EmbeddedStore``."""

    def __init__(self, store: EmbeddedCore) -> None:
        self._store = store

    def read(self, model: str) -> list[VectorRow]:
        rows = self._store._query(
            "SELECT id, digest, lang, vector FROM question_vectors WHERE model = ?", (model,)
        )
        return [VectorRow(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    def write(self, model: str, rows: Sequence[VectorRow]) -> None:
        if not rows:
            return
        with self._store._write(None):
            self._store._conn.executemany(
                _UPSERT, [(r.id, model, r.digest, r.lang, r.vector) for r in rows]
            )

    def prune(self, model: str, keep: Collection[str]) -> int:
        stored = self._store._query("SELECT id, model FROM question_vectors")
        gone = [node_id for node_id, m in stored if m != model or node_id not in keep]
        if gone:
            with self._store._write(None):
                for chunk in chunks(gone, 900):
                    marks = ",".join("?" * len(chunk))
                    self._store._conn.execute(
                        f"DELETE FROM question_vectors WHERE id IN ({marks})",  # noqa: S608
                        chunk,
                    )
        return len(gone)

    def count(self, model: str) -> int:
        rows = self._store._query("SELECT COUNT(*) FROM question_vectors WHERE model = ?", (model,))
        return int(rows[0][0])
