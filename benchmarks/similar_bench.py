"""Similar questions by meaning: what the vectors cost and how fast the finder answers.

Run by ``benchmarks.run`` (task ``meaning`` of ``benchmarks.worker``, one fresh process per
backend) on the generated store; each figure has its wall time and this process's CPU
time (the machine is shared: CPU time says more):

- ``sim_model_load``: loading the sentence model (once per process);
- ``sim_vectors_first``: every question's vector computed and stored, as on the first use
  of a store (its stored vectors are deleted first); budget 60 s CPU at M;
- ``sim_vectors_changed``: one question's title changed, then the vectors brought up to
  date (only that one embedded); budget 1 s at M;
- ``sim_vectors_read``: reading every stored vector back (no embedding);
- ``sim_pairs``: ``find_similar`` once the vectors exist, building its index first
  (questions, vectors, words, CoPs: what a new process or a changed store pays);
  budget 2 s at M;
- ``sim_pairs_warm``: the same with the index already built in this process;
- ``sim_to``: ``similar_to`` for 20 questions with the index built (what the per-question
  panel pays per click); budget 100 ms p95 at M;
- ``sim_neo4j_index`` (Neo4j only): the alternative not taken, the same question answered
  by a Neo4j vector index (the vectors copied to a scratch label as float lists, the index
  built and queried for the same 20 questions, then dropped); a store-side index answers
  one question at a time, while the finder needs all pairs;
- the peak memory of the process is the row ``sim_peak``.

    python -m benchmarks.run --scale M      (the whole table)
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from benchmarks.measure import Measurement, once, repeat

#: (op, label, budgets as (figure, limit, scales)) for ``benchmarks.run``'s table
ROWS: tuple[tuple[str, str, tuple[tuple[str, float, tuple[str, ...]], ...]], ...] = (
    ("sim_model_load", "similar: load the sentence model", ()),
    ("sim_vectors_first", "similar: vectors of every question", (("cpu_s", 60, ("M",)),)),
    ("sim_vectors_changed", "similar: vectors after one title change", (("seconds", 1, ("M",)),)),
    ("sim_vectors_read", "similar: read every stored vector", ()),
    ("sim_pairs", "similar: all pairs (index built)", (("seconds", 2, ("M",)),)),
    ("sim_pairs_warm", "similar: all pairs (index kept)", ()),
    ("sim_to", "similar: one question's partners", (("p95_ms", 100, ("M",)),)),
    ("sim_neo4j_index", "similar: one question's partners, Neo4j vector index", ()),
    ("sim_peak", "similar: peak RSS of that process", ()),
)


def task(args: argparse.Namespace, store: Any) -> dict[str, Measurement]:
    """Every figure of the module docstring on ``store`` (the generated graph)."""
    from benchmarks.measure import peak_rss_mb
    from kgraph.analysis import embedding, find_similar, similar_to
    from kgraph.analysis.similar_index import forget, similarity_index
    from kgraph.analysis.vectors import ensure_vectors
    from kgraph.model import QUESTION_KINDS

    results: dict[str, Measurement] = {}
    _, results["sim_model_load"] = once(lambda: embedding.embed(["warm up"]))
    cache = store.vector_cache()
    cache.prune("", set())  # as on first use: no vector stored
    questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    first, took = once(lambda: ensure_vectors(store, questions))
    results["sim_vectors_first"] = {
        **took,
        "questions": len(questions),
        "ms_cpu_per_question": round(took["cpu_s"] * 1000 / max(1, first.computed), 2),
    }
    target = questions[len(questions) // 2]
    changed = f"{target.title} (herzien {time.time():.0f})"

    def after_change() -> Any:
        store.update_node(target.id, {"title": changed}, actor="bench")
        return ensure_vectors(store)

    again, results["sim_vectors_changed"] = once(after_change)
    results["sim_vectors_changed"]["computed"] = again.computed
    _, results["sim_vectors_read"] = once(lambda: cache.read(embedding.model_id()))
    forget(store)
    pairs, results["sim_pairs"] = once(lambda: find_similar(store))
    results["sim_pairs"]["pairs"] = len(pairs.pairs)
    _, results["sim_pairs_warm"] = once(lambda: find_similar(store))
    index = similarity_index(store)
    rng = random.Random(7)
    picks = [index.questions[rng.randrange(len(index))].id for _ in range(20)]
    results["sim_to"] = repeat(lambda i: similar_to(store, picks[i % len(picks)]), 20)
    if store.backend == "neo4j":
        results["sim_neo4j_index"] = neo4j_vector_index(store, index, picks)
    results["sim_peak"] = {"peak_rss_mb": peak_rss_mb()}
    return results


_SCRATCH = (
    "UNWIND $rows AS row CREATE (v:KgraphVectorBench {id: row.id}) SET v.embedding = row.vector"
)
_INDEX = (
    "CREATE VECTOR INDEX kgraph_vector_bench IF NOT EXISTS FOR (v:KgraphVectorBench) "
    "ON v.embedding OPTIONS {indexConfig: {`vector.dimensions`: $dims, "
    "`vector.similarity_function`: 'cosine'}}"
)
_QUERY = (
    "MATCH (q:KgraphVectorBench {id: $id}) "
    "CALL db.index.vector.queryNodes('kgraph_vector_bench', 11, q.embedding) "
    "YIELD node, score RETURN node.id AS id, score"
)


def neo4j_vector_index(store: Any, index: Any, picks: list[str]) -> Measurement:
    """p95 of the Neo4j vector index answering the 20 questions (see the docstring)."""
    session = store._driver.session(database=store.settings.database)
    try:
        session.run("MATCH (v:KgraphVectorBench) DETACH DELETE v").consume()
        matrix = index.scorer.meaning
        rows = [
            {"id": q.id, "vector": [float(x) for x in matrix[i]]}
            for i, q in enumerate(index.questions)
        ]
        for start in range(0, len(rows), 2000):
            session.run(_SCRATCH, rows=rows[start : start + 2000]).consume()
        session.run(
            "CREATE INDEX kgraph_vector_bench_id IF NOT EXISTS FOR (v:KgraphVectorBench) ON (v.id)"
        ).consume()
        session.run(_INDEX, dims=int(matrix.shape[1])).consume()
        session.run("CALL db.awaitIndexes(600)").consume()
        return repeat(lambda i: list(session.run(_QUERY, id=picks[i % len(picks)])), 20)
    finally:
        session.run("DROP INDEX kgraph_vector_bench IF EXISTS").consume()
        session.run("DROP INDEX kgraph_vector_bench_id IF EXISTS").consume()
        session.run("MATCH (v:KgraphVectorBench) CALL (v) { DELETE v } IN TRANSACTIONS").consume()
        session.close()
