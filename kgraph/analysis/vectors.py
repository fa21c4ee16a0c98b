"""Question vectors kept in the store: computed once, recomputed only when stale.

``ensure_vectors`` reads what the store holds for the current model, embeds the questions
whose text changed since (or that are new, or were embedded by another model), writes
those back in batches (so an interrupted run keeps what it finished, and another process
sees it) and returns every question's vector and language. A question whose title has not
changed is never embedded again; deleted questions' vectors are pruned.

What is embedded is the question itself (its title): the explanatory text would dilute
the question in the vector, as it would in the word method (``similar.question_text``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kgraph.analysis import embedding
from kgraph.analysis.language import detect_language
from kgraph.model import QUESTION_KINDS, Node
from kgraph.store.base import GraphStore
from kgraph.store.vectors import VectorRow, pack, unpack_all

#: questions embedded and written per step: a step's vectors are durable at its end
STEP = 256

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class QuestionVectors:
    """Every question's unit vector (rows of ``matrix``, in the order of ``ids``), its
    language, the model, and how many vectors this call had to compute."""

    ids: list[str]
    matrix: np.ndarray
    langs: list[str]
    model: str
    computed: int = 0


def vector_text(node: Node) -> str:
    """What is embedded for a question."""
    return " ".join(node.title.split())


def digest(text: str) -> str:
    """A short fingerprint of the embedded text: a stored vector is stale when it differs."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def stale(store: GraphStore, questions: Sequence[Node] | None = None) -> list[Node]:
    """The questions whose stored vector is missing or stale (cheap: no embedding)."""
    if questions is None:
        questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    stored = {r.id: r.digest for r in store.vector_cache().read(embedding.model_id())}
    return [q for q in questions if stored.get(q.id) != digest(vector_text(q))]


def ensure_vectors(
    store: GraphStore,
    questions: Sequence[Node] | None = None,
    *,
    progress: Progress | None = None,
) -> QuestionVectors:
    """Every question's vector, computing and storing the missing and stale ones first.

    ``questions`` must be all of the store's questions (read when not given): stored
    vectors of ids not among them are deleted.

    ``progress(done, total)`` reports the embedding of the stale ones (not called when
    nothing is stale).
    """
    if questions is None:
        questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    model = embedding.model_id()
    cache = store.vector_cache()
    rows = {r.id: r for r in cache.read(model)}
    texts = {q.id: vector_text(q) for q in questions}
    todo = [
        q for q in questions if (r := rows.get(q.id)) is None or r.digest != digest(texts[q.id])
    ]
    if todo and progress is not None:
        progress(0, len(todo))
    for start in range(0, len(todo), STEP):
        step = todo[start : start + STEP]
        base = start

        def report(done: int, _total: int, base: int = base) -> None:
            if progress is not None:
                progress(base + done, len(todo))

        vectors = embedding.embed([texts[q.id] for q in step], progress=report)
        fresh = [
            VectorRow(q.id, digest(texts[q.id]), detect_language(texts[q.id]), pack(v))
            for q, v in zip(step, vectors, strict=True)
        ]
        cache.write(model, fresh)
        rows.update((r.id, r) for r in fresh)
    ids = [q.id for q in questions]
    if len(rows) > len(ids):  # vectors of deleted questions (or of other kinds now)
        cache.prune(model, set(ids))
    ordered = [rows[i] for i in ids]
    matrix = unpack_all(ordered, embedding.DIMENSIONS)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return QuestionVectors(
        ids=ids,
        matrix=matrix,
        langs=[r.lang for r in ordered],
        model=model,
        computed=len(todo),
    )
