"""The Neo4j backend's vectors: one ``(:KgraphVector)`` node per question (see
``kgraph.store.vectors``), unique on ``id``, the vector a byte-array property.

Why not a property of the question node or a vector index: a property would travel with
every node read, export and history entry, and a Neo4j vector index answers one query at
a time, while the similarity analysis needs all pairs, which one chunked matrix product
in numpy does (``benchmarks/similar_bench.py`` measures reading them back). Writes go
around the store's writer lock and add no history: they are derived data.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from kgraph.store.neo4j.rows import chunks
from kgraph.store.neo4j.session import Neo4jCore
from kgraph.store.vectors import VectorRow

READ = (
    "MATCH (v:KgraphVector) WHERE v.model = $model "
    "RETURN v.id AS id, v.digest AS digest, v.lang AS lang, v.vector AS vector"
)
WRITE = (
    "UNWIND $rows AS row MERGE (v:KgraphVector {id: row.id}) "
    "SET v.model = $model, v.digest = row.digest, v.lang = row.lang, v.vector = row.vector"
)
STORED = "MATCH (v:KgraphVector) RETURN v.id AS id, v.model AS model"
DELETE = "UNWIND $ids AS id MATCH (v:KgraphVector {id: id}) DELETE v"
COUNT = "MATCH (v:KgraphVector) WHERE v.model = $model RETURN count(v) AS n"
_BATCH = 2000


class Neo4jVectors:
    """``VectorCache`` over one ``Neo4jStore``."""

    def __init__(self, store: Neo4jCore) -> None:
        self._store = store

    def _run(self, cypher: str, write: bool, **params: Any) -> list[Any]:
        with self._store._errors(), self._store._session() as session:
            work = session.execute_write if write else session.execute_read
            return work(lambda tx: list(tx.run(cypher, params)))

    def read(self, model: str) -> list[VectorRow]:
        return [
            VectorRow(r["id"], r["digest"], r["lang"] or "", bytes(r["vector"]))
            for r in self._run(READ, False, model=model)
        ]

    def write(self, model: str, rows: Sequence[VectorRow]) -> None:
        for start in range(0, len(rows), _BATCH):
            batch = [
                {"id": r.id, "digest": r.digest, "lang": r.lang, "vector": bytearray(r.vector)}
                for r in rows[start : start + _BATCH]
            ]
            self._run(WRITE, True, model=model, rows=batch)

    def prune(self, model: str, keep: Collection[str]) -> int:
        gone = [
            r["id"] for r in self._run(STORED, False) if r["model"] != model or r["id"] not in keep
        ]
        for chunk in chunks(gone, _BATCH):
            self._run(DELETE, True, ids=list(chunk))
        return len(gone)

    def count(self, model: str) -> int:
        return int(self._run(COUNT, False, model=model)[0]["n"])
