"""Similar questions: pairs of questions that ask (nearly) the same thing.

Each question is turned into a sparse vector of its text and every question is compared
with every other one in row chunks of a sparse matrix product, keeping only each row's best
partners, so 10,000 questions take seconds and little memory. Four methods are implemented
(see ``METHODS``); ``benchmarks/similar_eval.py`` measures them on hand-labelled pairs
(``tests/data/similar_pairs.yaml``) and ``DEFAULT_METHOD`` is the one that won.

A person reviews the proposals: ``accept_similar`` adds a ``RELATES_TO`` edge (``origin:
similarity``, the ``score`` and the shared words), ``dismiss_similar`` records the pair in
the ``dismissed_similar`` list property of both questions. Both are ordinary store writes,
so they are in the history with the actor and work on every backend; dismissed and already
linked pairs are never proposed again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from kgraph.analysis._text import content_text, shared_words, stem_ngrams, stems
from kgraph.errors import DuplicateError, NotFoundError, ValidationError
from kgraph.model import QUESTION_KINDS, Edge, Node
from kgraph.store.base import GraphStore

DISMISSED_PROP = "dismissed_similar"
ORIGIN = "similarity"
DEFAULT_MIN_SCORE = 0.3
DEFAULT_TOP = 50
_CHUNK = 1000

ChunkScores = Callable[[int, int], sparse.csr_matrix]

#: catalogue key (``kgraph.texts``) of what the proposals mean and how to review them
EXPLANATION = "similar_why"


@dataclass(frozen=True)
class SimilarPair:
    """Two questions that look alike; ``a`` sorts before ``b`` by id."""

    a: str
    b: str
    score: float
    shared: tuple[str, ...]
    a_title: str = ""
    b_title: str = ""
    a_kind: str = ""
    b_kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "shared": list(self.shared),
            "a_title": self.a_title,
            "b_title": self.b_title,
            "a_kind": self.a_kind,
            "b_kind": self.b_kind,
        }


@dataclass(frozen=True)
class SimilarResult:
    """The proposals, best first, and how they were found."""

    pairs: list[SimilarPair]
    method: str
    min_score: float
    questions: int
    skipped_linked: int = 0
    skipped_dismissed: int = 0
    explanation: str = EXPLANATION

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "min_score": self.min_score,
            "questions": self.questions,
            "skipped_linked": self.skipped_linked,
            "skipped_dismissed": self.skipped_dismissed,
            "explanation": self.explanation,
            "pairs": [p.to_dict() for p in self.pairs],
        }


# --- methods ----------------------------------------------------------------------------


def _cosine(matrix: sparse.csr_matrix) -> ChunkScores:
    """Cosine similarity of L2-normalised rows."""

    def chunk(start: int, stop: int) -> sparse.csr_matrix:
        return sparse.csr_matrix(matrix[start:stop] @ matrix.T)

    return chunk


def _word_tfidf(texts: Sequence[str]) -> ChunkScores:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer=stem_ngrams, sublinear_tf=True, min_df=1)
    return _cosine(_fit(vectoriser, texts))


def _char_tfidf(texts: Sequence[str]) -> ChunkScores:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=content_text
    )
    return _cosine(_fit(vectoriser, texts))


def _fit(vectoriser: Any, texts: Sequence[str]) -> sparse.csr_matrix:
    try:
        return sparse.csr_matrix(vectoriser.fit_transform(texts), dtype=np.float32)
    except ValueError:  # no text carries any word: nothing is similar to anything
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def _binary_stems(texts: Sequence[str]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import CountVectorizer

    return _fit(CountVectorizer(analyzer=stems, binary=True), texts)


def _jaccard(texts: Sequence[str]) -> ChunkScores:
    """|A ∩ B| / |A ∪ B| over the sets of stems."""
    binary = _binary_stems(texts)
    sizes = np.asarray(binary.sum(axis=1)).ravel()

    def chunk(start: int, stop: int) -> sparse.csr_matrix:
        inter = sparse.csr_matrix(binary[start:stop] @ binary.T).tocoo()
        union = sizes[inter.row + start] + sizes[inter.col] - inter.data
        data = np.divide(inter.data, union, out=np.zeros_like(inter.data), where=union > 0)
        return sparse.csr_matrix((data, (inter.row, inter.col)), shape=inter.shape)

    return chunk


def _bm25(texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> ChunkScores:
    """Okapi BM25 both ways, divided by the two questions' scores against themselves.

    Raw BM25 grows with the length of the query, so it cannot rank pairs across the store;
    the symmetric, self-normalised form lies between 0 and 1.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    counts = _fit(CountVectorizer(analyzer=stems), texts)
    n = counts.shape[0]
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    avg = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    coo = counts.tocoo()
    tf = coo.data
    weight = idf[coo.col] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[coo.row] / avg))
    weights = sparse.csr_matrix((weight, (coo.row, coo.col)), shape=counts.shape)
    query = sparse.csr_matrix(counts, copy=True)
    query.data[:] = 1.0
    self_score = np.asarray(query.multiply(weights).sum(axis=1)).ravel()

    def chunk(start: int, stop: int) -> sparse.csr_matrix:
        both = (query[start:stop] @ weights.T) + (weights[start:stop] @ query.T)
        both = sparse.csr_matrix(both).tocoo()
        denom = self_score[both.row + start] + self_score[both.col]
        data = np.divide(both.data, denom, out=np.zeros_like(both.data), where=denom > 0)
        return sparse.csr_matrix((data, (both.row, both.col)), shape=both.shape)

    return chunk


#: method name -> builder of a chunked score function over the given texts.
METHODS: dict[str, Callable[[Sequence[str]], ChunkScores]] = {
    "word_tfidf": _word_tfidf,
    "char_tfidf": _char_tfidf,
    "bm25": _bm25,
    "jaccard": _jaccard,
}
DEFAULT_METHOD = "word_tfidf"


# --- ranking ------------------------------------------------------------------------------


def rank_pairs(
    texts: Sequence[str],
    *,
    method: str = DEFAULT_METHOD,
    min_score: float = 0.0,
    per_item: int = 10,
    chunk_size: int = _CHUNK,
) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, score)`` with ``i < j``, best first.

    Each text keeps its ``per_item`` best partners scoring at least ``min_score`` (a pair
    in the overall top ``per_item`` is therefore never lost). Memory stays at one chunk of
    ``chunk_size`` rows of the score matrix.
    """
    if method not in METHODS:
        raise ValidationError(
            f"unknown similarity method {method!r}; use one of {', '.join(METHODS)}"
        )
    n = len(texts)
    if n < 2:
        return []
    scores_of = METHODS[method](texts)
    best: dict[tuple[int, int], float] = {}
    for start in range(0, n, chunk_size):
        stop = min(n, start + chunk_size)
        block = scores_of(start, stop)
        for r in range(stop - start):
            i = start + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols = block.indices[lo:hi]
            vals = block.data[lo:hi]
            keep = (cols != i) & (vals >= min_score) & (vals > 0)
            cols, vals = cols[keep], vals[keep]
            if len(vals) > per_item:
                top = np.argpartition(-vals, per_item - 1)[:per_item]
                cols, vals = cols[top], vals[top]
            for j, v in zip(cols.tolist(), vals.tolist(), strict=True):
                key = (i, j) if i < j else (j, i)
                if v > best.get(key, -1.0):
                    best[key] = min(1.0, float(v))
    return sorted(((i, j, s) for (i, j), s in best.items()), key=lambda t: (-t[2], t[0], t[1]))


def question_text(node: Node) -> str:
    """What is compared: the title (the question itself) and its tags.

    The explanatory text is left out so that a long text does not outweigh the question,
    and so that the labelled evaluation (titles only) measures what is shown.
    """
    return " ".join([node.title, *node.tags])


# --- the store ----------------------------------------------------------------------------


def _pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def find_similar(
    store: GraphStore,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    top: int = DEFAULT_TOP,
    method: str = DEFAULT_METHOD,
) -> SimilarResult:
    """The ``top`` most similar question pairs in ``store`` scoring at least ``min_score``,
    leaving out pairs already joined by ``RELATES_TO`` and pairs someone dismissed."""
    questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    linked = {_pair_key(e.src, e.dst) for e in store.edges(["RELATES_TO"])}
    dismissed: set[tuple[str, str]] = set()
    for q in questions:
        for other in _dismissed_of(q):
            dismissed.add(_pair_key(q.id, other))
    texts = [question_text(q) for q in questions]
    # ten partners per question bound the memory; linked and dismissed pairs are skipped
    # after ranking, so the counts of what was left out are reported too
    ranked = rank_pairs(texts, method=method, min_score=min_score, per_item=10)
    pairs: list[SimilarPair] = []
    skipped_linked = skipped_dismissed = 0
    for i, j, score in ranked:
        a, b = questions[i], questions[j]
        if a.id > b.id:
            a, b = b, a
        key = (a.id, b.id)
        if key in linked:
            skipped_linked += 1
            continue
        if key in dismissed:
            skipped_dismissed += 1
            continue
        if len(pairs) < top:
            pairs.append(
                SimilarPair(
                    a=a.id,
                    b=b.id,
                    score=score,
                    shared=tuple(shared_words(question_text(a), question_text(b))),
                    a_title=a.title,
                    b_title=b.title,
                    a_kind=a.kind,
                    b_kind=b.kind,
                )
            )
    return SimilarResult(
        pairs=pairs,
        method=method,
        min_score=min_score,
        questions=len(questions),
        skipped_linked=skipped_linked,
        skipped_dismissed=skipped_dismissed,
    )


def _dismissed_of(node: Node) -> list[str]:
    value = node.props.get(DISMISSED_PROP) or []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _question(store: GraphStore, node_id: str) -> Node:
    node = store.get_node(node_id)
    if node is None:
        raise NotFoundError(f"no node with id {node_id!r}")
    if node.kind not in QUESTION_KINDS:
        raise ValidationError(f"{node_id} is a {node.kind}, not a question")
    return node


def pair_score(store: GraphStore, a: str, b: str, *, method: str = DEFAULT_METHOD) -> float:
    """The similarity of two questions as ``find_similar`` would score it."""
    questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    index = {q.id: i for i, q in enumerate(questions)}
    for node_id in (a, b):
        if node_id not in index:
            _question(store, node_id)  # raises the right error
    i, j = index[a], index[b]
    scores_of = METHODS[method]([question_text(q) for q in questions])
    row = scores_of(i, i + 1)
    return min(1.0, float(row[0, j]))


def accept_similar(
    store: GraphStore,
    a: str,
    b: str,
    *,
    actor: str | None = None,
    score: float | None = None,
) -> Edge:
    """Link two questions with ``RELATES_TO`` (``origin: similarity``); in the history.

    A dismissal of the same pair is withdrawn in the same transaction. Refuses a pair that
    is already linked in either direction.
    """
    if a == b:
        raise ValidationError("a question cannot be similar to itself")
    qa, qb = _question(store, a), _question(store, b)
    if store.get_edge(a, "RELATES_TO", b) or store.get_edge(b, "RELATES_TO", a):
        raise DuplicateError(f"{a} and {b} are already linked with RELATES_TO")
    if score is None:
        score = pair_score(store, a, b)
    props: dict[str, Any] = {
        "origin": ORIGIN,
        "score": round(float(score), 4),
        "shared": shared_words(question_text(qa), question_text(qb)),
    }
    with store.transaction(actor=actor):
        for node, other in ((qa, b), (qb, a)):
            current = _dismissed_of(node)
            if other in current:
                remaining = [x for x in current if x != other]
                store.update_node(node.id, {DISMISSED_PROP: remaining or None}, actor=actor)
        return store.add_edge(Edge(a, "RELATES_TO", b, props), actor=actor)


def dismiss_similar(store: GraphStore, a: str, b: str, *, actor: str | None = None) -> None:
    """Remember that ``a`` and ``b`` are not the same question, on both nodes; in the history."""
    if a == b:
        raise ValidationError("a question cannot be similar to itself")
    qa, qb = _question(store, a), _question(store, b)
    with store.transaction(actor=actor):
        for node, other in ((qa, b), (qb, a)):
            current = _dismissed_of(node)
            if other not in current:
                store.update_node(node.id, {DISMISSED_PROP: [*current, other]}, actor=actor)


# --- evaluation ---------------------------------------------------------------------------

POSITIVE_LABELS = frozenset({"same", "related"})


def precision_at(
    ranked: Sequence[tuple[str, str]], labels: dict[frozenset[str], str], k: int
) -> tuple[float, int]:
    """Share of the first ``k`` ranked pairs labelled ``same`` or ``related``, and how many
    of those ``k`` carry no label (they count as misses)."""
    top = list(ranked[:k])
    if not top:
        return 0.0, 0
    hits = sum(1 for a, b in top if labels.get(frozenset((a, b))) in POSITIVE_LABELS)
    unlabelled = sum(1 for a, b in top if frozenset((a, b)) not in labels)
    return hits / len(top), unlabelled
