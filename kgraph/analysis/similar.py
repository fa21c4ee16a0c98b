"""Similar questions: pairs of questions that ask (nearly) the same thing, in any language.

Each question has a sentence vector (what it means, kept in the store:
``kgraph.analysis.vectors``) and a word vector (which words it uses); every question is
compared with every other one in row chunks of a matrix product, keeping only each row's
best partners, so 10,000 questions take a second or two and little memory. The methods
(see ``METHODS``) are the word methods, meaning alone, and the two combined into one
calibrated score (``kgraph.analysis.similar_score``); ``benchmarks/similar_eval.py``
measures them on hand-labelled pairs (``tests/data/similar_pairs.yaml``) and
``DEFAULT_METHOD`` is the one that won. Every proposal says why: the words the two share,
or, where they share none, that they mean the same in other words or another language.

``find_similar`` lists pairs over the whole store (optionally only pairs across CoPs or
registers, or one register against another); ``similar_to`` lists one question's best
partners. Both carry each side's CoP/theme/register/language.

A person reviews the proposals: ``accept_similar`` adds a ``RELATES_TO`` edge (``origin:
similarity``, the ``score`` and the shared words), ``dismiss_similar`` records the pair in
the ``dismissed_similar`` list property of both questions. Both are ordinary store writes,
so they are in the history with the actor and work on every backend; dismissed and already
linked pairs are never proposed again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from kgraph.analysis._text import content_text, shared_words, stem_ngrams, stems
from kgraph.analysis.similar_index import QuestionContext, SimilarityIndex
from kgraph.errors import DuplicateError, NotFoundError, ValidationError
from kgraph.model import QUESTION_KINDS, Edge, Node
from kgraph.store.base import GraphStore

DISMISSED_PROP = "dismissed_similar"
ORIGIN = "similarity"
#: on the calibrated scale: at least as likely as not to be judged similar by a person
DEFAULT_MIN_SCORE = 0.5
DEFAULT_TOP = 50
_CHUNK = 1000

#: rows of a score block: the chunk shrinks on big stores so a block stays ~40 MB
_BLOCK_CELLS = 10_000_000

ChunkScores = Callable[[int, int], "sparse.csr_matrix | np.ndarray"]

#: catalogue key (``kgraph.texts``) of what the proposals mean and how to review them
EXPLANATION = "similar_why"


@dataclass(frozen=True)
class SimilarPair:
    """Two questions that look alike. In ``find_similar`` ``a`` sorts before ``b`` by id
    (with ``--register A --against B``: ``a`` is A's); in ``similar_to`` ``a`` is the
    question asked about.

    ``shared``: the words they share; ``reason`` is ``words`` when there are any, else
    ``meaning`` (the same meaning in other words, or in another language: compare
    ``a_context.lang`` and ``b_context.lang``). ``meaning``/``words``: the two signals
    behind ``score`` (``None`` for a word method).
    """

    a: str
    b: str
    score: float
    shared: tuple[str, ...]
    a_title: str = ""
    b_title: str = ""
    a_kind: str = ""
    b_kind: str = ""
    a_context: QuestionContext = QuestionContext()
    b_context: QuestionContext = QuestionContext()
    meaning: float | None = None
    words: float | None = None

    @property
    def reason(self) -> str:
        """``words`` (they share words) or ``meaning`` (same meaning, other words/language)."""
        return "words" if self.shared else "meaning"

    @property
    def meaning_reason(self) -> str:
        """The catalogue key saying why a pair that shares no word is proposed: the same
        (or, below ``DEFAULT_MIN_SCORE``, a related) meaning, in another language (fill in
        ``a``/``b`` with the two language names) or in other words."""
        near = "" if self.score >= DEFAULT_MIN_SCORE else "_near"
        what = "language" if self.other_language else "words"
        return f"similar_reason_{what}{near}"

    @property
    def other_language(self) -> bool:
        """Whether the two are in different (known) languages."""
        a, b = self.a_context.lang, self.b_context.lang
        return bool(a and b and a != b)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "shared": list(self.shared),
            "reason": self.reason,
            "meaning": None if self.meaning is None else round(self.meaning, 4),
            "words": None if self.words is None else round(self.words, 4),
            "a_title": self.a_title,
            "b_title": self.b_title,
            "a_kind": self.a_kind,
            "b_kind": self.b_kind,
            "a_context": self.a_context.to_dict(),
            "b_context": self.b_context.to_dict(),
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
    #: the sentence model the vectors come from, and how many this call had to compute
    model: str = ""
    computed: int = 0
    #: what was asked: ``to`` (one question's partners), the filters
    to: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "min_score": self.min_score,
            "questions": self.questions,
            "skipped_linked": self.skipped_linked,
            "skipped_dismissed": self.skipped_dismissed,
            "explanation": self.explanation,
            "model": self.model,
            "computed": self.computed,
            "to": self.to,
            "filters": dict(self.filters),
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


def _meaning_scorer(texts: Sequence[str]) -> Any:
    """A ``Scorer`` over ``texts`` embedded now (no store): for evaluating methods."""
    from kgraph.analysis.embedding import embed
    from kgraph.analysis.language import detect_language
    from kgraph.analysis.similar_score import Scorer, centre_by_language, word_matrix

    langs = [detect_language(t) for t in texts]
    meaning = centre_by_language(embed(list(texts)), langs)
    return Scorer(meaning, word_matrix(texts))


def _meaning(texts: Sequence[str]) -> ChunkScores:
    """Sentence-vector cosine, each language's mean taken off (``similar_score``)."""
    scorer = _meaning_scorer(texts)
    return lambda start, stop: scorer.block(start, stop)[1]


def _meaning_words(texts: Sequence[str]) -> ChunkScores:
    """Meaning and word TF-IDF combined into the calibrated score (``similar_score``)."""
    scorer = _meaning_scorer(texts)
    return lambda start, stop: scorer.block(start, stop)[0]


#: method name -> builder of a chunked score function over the given texts.
METHODS: dict[str, Callable[[Sequence[str]], ChunkScores]] = {
    "meaning_words": _meaning_words,
    "meaning": _meaning,
    "word_tfidf": _word_tfidf,
    "char_tfidf": _char_tfidf,
    "bm25": _bm25,
    "jaccard": _jaccard,
}
#: the methods that need sentence vectors
MEANING_METHODS = frozenset({"meaning_words", "meaning"})
DEFAULT_METHOD = "meaning_words"
#: the method the finder used alone before meaning was added (the evaluation's baseline)
WORDS_ONLY = "word_tfidf"


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValidationError(
            f"unknown similarity method {method!r}; use one of {', '.join(METHODS)}"
        )


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
    _check_method(method)
    n = len(texts)
    if n < 2:
        return []
    scores_of = METHODS[method](texts)
    best: dict[tuple[int, int], float] = {}
    for start in range(0, n, chunk_size):
        stop = min(n, start + chunk_size)
        block = scores_of(start, stop)
        for i, cols, vals in _row_candidates(block, start, per_item, min_score):
            _keep_best(best, i, cols, vals)
    return _sorted_pairs(best)


def _row_candidates(
    block: Any, start: int, per_item: int, min_score: float, mask: np.ndarray | None = None
) -> Any:
    """``(i, columns, scores)`` of each row's best ``per_item`` partners in a score block
    (sparse or dense), itself left out; ``mask`` (dense, same shape) marks allowed cells."""
    if sparse.issparse(block):
        block = sparse.csr_matrix(block)
        for r in range(block.shape[0]):
            i = start + r
            lo, hi = block.indptr[r], block.indptr[r + 1]
            cols = block.indices[lo:hi]
            vals = block.data[lo:hi]
            keep = (cols != i) & (vals >= min_score) & (vals > 0)
            if mask is not None:
                keep &= mask[r, cols]
            cols, vals = cols[keep], vals[keep]
            if len(vals) > per_item:
                top = np.argpartition(-vals, per_item - 1)[:per_item]
                cols, vals = cols[top], vals[top]
            yield i, cols, vals
        return
    dense = np.array(block, dtype=np.float32, copy=True)
    rows = np.arange(dense.shape[0])
    own = rows + start
    inside = own < dense.shape[1]
    dense[rows[inside], own[inside]] = -np.inf
    if mask is not None:
        dense[~mask] = -np.inf
    k = min(per_item, dense.shape[1])
    if k <= 0:
        return
    top = np.argpartition(-dense, k - 1, axis=1)[:, :k]
    for r in range(dense.shape[0]):
        cols = top[r]
        vals = dense[r, cols]
        keep = (vals >= min_score) & (vals > 0) & np.isfinite(vals)
        yield start + r, cols[keep], vals[keep]


def _keep_best(best: dict[tuple[int, int], float], i: int, cols: Any, vals: Any) -> None:
    for j, v in zip(np.asarray(cols).tolist(), np.asarray(vals).tolist(), strict=True):
        key = (i, j) if i < j else (j, i)
        if v > best.get(key, -1.0):
            best[key] = min(1.0, float(v))


def _sorted_pairs(best: dict[tuple[int, int], float]) -> list[tuple[int, int, float]]:
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


def _block_scores(index: SimilarityIndex, method: str, start: int, stop: int) -> np.ndarray:
    """Dense scores of rows ``start:stop`` against every question, by ``method``."""
    if method in ("meaning_words", "meaning", WORDS_ONLY):
        combined, meaning, words = index.scorer.block(start, stop)
        return {"meaning_words": combined, "meaning": meaning, WORDS_ONLY: words}[method]
    texts = [question_text(q) for q in index.questions]
    block: Any = METHODS[method](texts)(start, stop)
    return np.asarray(block.toarray() if sparse.issparse(block) else block, dtype=np.float32)


def _row_scores(index: SimilarityIndex, method: str, i: int) -> np.ndarray:
    return _block_scores(index, method, i, i + 1)[0]


@dataclass(frozen=True)
class _Filter:
    """Which pairs may be proposed (see ``find_similar``)."""

    across_cops: bool = False
    across_registers: bool = False
    #: from another CoP/theme *or* another register
    elsewhere: bool = False

    def mask(self, index: SimilarityIndex, rows: range) -> np.ndarray | None:
        """Allowed cells of the block of ``rows`` (``None``: every cell)."""
        if not (self.across_cops or self.across_registers or self.elsewhere):
            return None
        registers = np.array([c.register for c in index.contexts], dtype=object)
        other_register = registers[np.array(list(rows))][:, None] != registers[None, :]
        other_group = ~_shared_groups(index, rows)
        allowed = np.ones((len(rows), len(index)), dtype=bool)
        if self.across_registers:
            allowed &= other_register
        if self.across_cops:
            allowed &= other_group
        if self.elsewhere:
            allowed &= other_register | other_group
        return allowed

    def to_dict(self) -> dict[str, Any]:
        return {
            "across_cops": self.across_cops,
            "across_registers": self.across_registers,
            "elsewhere": self.elsewhere,
        }


def _shared_groups(index: SimilarityIndex, rows: range) -> np.ndarray:
    """Whether row ``i`` and column ``j`` share a CoP or theme; two questions raised
    nowhere count as sharing (neither is known to come from elsewhere)."""
    names = sorted({g for ids in index.group_ids for g in ids})
    col = {g: k for k, g in enumerate(names)}
    none = len(names)
    data_rows, data_cols = [], []
    for i, ids in enumerate(index.group_ids):
        for g in ids or ("",):
            data_rows.append(i)
            data_cols.append(col[g] if g else none)
    member = sparse.csr_matrix(
        (np.ones(len(data_rows), dtype=np.float32), (data_rows, data_cols)),
        shape=(len(index), none + 1),
    )
    return np.asarray((member[rows.start : rows.stop] @ member.T).toarray() > 0)


def _make_pair(index: SimilarityIndex, i: int, j: int, score: float, method: str) -> SimilarPair:
    a, b = index.questions[i], index.questions[j]
    signals: tuple[float | None, float | None] = (None, None)
    if method in MEANING_METHODS:
        _, meaning, words = index.scorer.pair(i, j)
        signals = (meaning, words)
    return SimilarPair(
        a=a.id,
        b=b.id,
        score=score,
        shared=tuple(shared_words(question_text(a), question_text(b))),
        a_title=a.title,
        b_title=b.title,
        a_kind=a.kind,
        b_kind=b.kind,
        a_context=index.contexts[i],
        b_context=index.contexts[j],
        meaning=signals[0],
        words=signals[1],
    )


def _index(store: GraphStore, progress: Any) -> SimilarityIndex:
    from kgraph.analysis.similar_index import similarity_index

    return similarity_index(store, progress=progress)


#: partners kept per question while ranking (so a pair in a question's top ten is never lost)
_PER_ITEM = 10


def _ranked_all(
    index: SimilarityIndex, method: str, min_score: float, filters: _Filter
) -> list[tuple[int, int, float]]:
    """Every question's best partners by ``method``, in row blocks of the score matrix."""
    n = len(index)
    chunk = max(16, min(_CHUNK, _BLOCK_CELLS // max(n, 1)))
    best: dict[tuple[int, int], float] = {}
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        block = _block_scores(index, method, start, stop)
        mask = filters.mask(index, range(start, stop))
        for i, cols, vals in _row_candidates(block, start, _PER_ITEM, min_score, mask):
            _keep_best(best, i, cols, vals)
    return _sorted_pairs(best)


def _ranked_against(
    index: SimilarityIndex,
    method: str,
    min_score: float,
    filters: _Filter,
    register: str,
    against: str,
) -> list[tuple[int, int, float]]:
    """``(i, j, score)`` with ``i`` a question of ``register`` and ``j`` one of its best
    partners in ``against``, best first."""
    registers = [c.register for c in index.contexts]
    for name in (register, against):
        if name not in registers:
            known = ", ".join(sorted({r for r in registers if r})) or "none"
            raise NotFoundError(f"no questions of register {name!r} (registers: {known})")
    rows = [i for i, r in enumerate(registers) if r == register]
    in_b = np.array([r == against for r in registers], dtype=bool)
    found: list[tuple[int, int, float]] = []
    for i in rows:
        scores = np.where(in_b, _row_scores(index, method, i), -np.inf)
        mask = filters.mask(index, range(i, i + 1))
        if mask is not None:
            scores[~mask[0]] = -np.inf
        for j in np.argsort(-scores, kind="stable")[:_PER_ITEM]:
            value = float(scores[j])
            if np.isfinite(value) and value >= min_score and value > 0:
                found.append((i, int(j), min(1.0, value)))
    return sorted(found, key=lambda t: (-t[2], t[0], t[1]))


def find_similar(
    store: GraphStore,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    top: int = DEFAULT_TOP,
    method: str = DEFAULT_METHOD,
    across_cops: bool = False,
    across_registers: bool = False,
    register: str | None = None,
    against: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimilarResult:
    """The ``top`` most similar question pairs in ``store`` scoring at least ``min_score``,
    leaving out pairs already joined by ``RELATES_TO`` and pairs someone dismissed.

    ``across_cops``: only pairs whose questions share no CoP or theme; ``across_registers``:
    only pairs from different registers. ``register`` with ``against``: which of
    ``register``'s questions ``against`` already has: each of its questions with its best
    partner in ``against`` (``a`` is ``register``'s). ``progress(done, total)`` reports the
    embedding of questions whose vectors are missing or stale.
    """
    _check_method(method)
    if (register is None) != (against is None):
        raise ValidationError("give both a register and the register to hold it against")
    index = _index(store, progress)
    linked, dismissed = index.linked, index.dismissed
    filters = _Filter(across_cops, across_registers)
    n = len(index)
    if register is not None and against is not None:
        ranked = _ranked_against(index, method, min_score, filters, register, against)
    elif method == "meaning_words":
        chunk = max(16, min(_CHUNK, _BLOCK_CELLS // max(n, 1)))
        ranked = index.scorer.all_best(
            _PER_ITEM, min_score, chunk, lambda a, b: filters.mask(index, range(a, b))
        )
    else:
        ranked = _ranked_all(index, method, min_score, filters)
    pairs: list[SimilarPair] = []
    skipped_linked = skipped_dismissed = 0
    done_rows: set[int] = set()
    for i, j, score in ranked:
        if register is None and index.questions[i].id > index.questions[j].id:
            i, j = j, i
        key = _pair_key(index.questions[i].id, index.questions[j].id)
        if key in linked:
            skipped_linked += 1
            continue
        if key in dismissed:
            skipped_dismissed += 1
            continue
        if register is not None:
            if i in done_rows:
                continue  # one partner per question of A: its best one left
            done_rows.add(i)
        if len(pairs) < top:
            pairs.append(_make_pair(index, i, j, score, method))
    return SimilarResult(
        pairs=pairs,
        method=method,
        min_score=min_score,
        questions=n,
        skipped_linked=skipped_linked,
        skipped_dismissed=skipped_dismissed,
        model=index.model if method in MEANING_METHODS else "",
        computed=index.computed,
        filters=filters.to_dict()
        | ({"register": register, "against": against} if register is not None else {}),
    )


def similar_to(
    store: GraphStore,
    node_id: str,
    *,
    top: int = 10,
    min_score: float = 0.0,
    method: str = DEFAULT_METHOD,
    across_cops: bool = False,
    across_registers: bool = False,
    elsewhere: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SimilarResult:
    """The ``top`` best partners of one question (``a`` is that question in every pair),
    leaving out questions already linked to it or dismissed; filters as ``find_similar``,
    and ``elsewhere``: only questions from another CoP/theme or another register."""
    _check_method(method)
    index = _index(store, progress)
    if node_id not in index.row:
        _question(store, node_id)  # NotFoundError / not a question
        raise NotFoundError(f"no question with id {node_id!r}")  # pragma: no cover
    i = index.row[node_id]
    focus = index.questions[i]
    scores = _row_scores(index, method, i).copy()
    scores[i] = -np.inf
    filters = _Filter(across_cops, across_registers, elsewhere)
    mask = filters.mask(index, range(i, i + 1))
    if mask is not None:
        scores[~mask[0]] = -np.inf
    linked = index.linked_to(node_id)
    dismissed = set(_dismissed_of(focus))
    pairs: list[SimilarPair] = []
    skipped_linked = skipped_dismissed = 0
    # the best few first: a partial sort, widened only when many are left out
    want = min(len(scores), top + len(linked) + len(dismissed) + 1)
    order = (
        np.argpartition(-scores, want - 1)[:want] if want < len(scores) else np.arange(len(scores))
    )
    order = order[np.argsort(-scores[order], kind="stable")]
    for j in order:
        value = float(scores[j])
        if not np.isfinite(value) or value < min_score or value <= 0 or len(pairs) >= top:
            break
        other = index.questions[int(j)].id
        if other in linked:
            skipped_linked += 1
            continue
        if other in dismissed:
            skipped_dismissed += 1
            continue
        pairs.append(_make_pair(index, i, int(j), min(1.0, value), method))
    return SimilarResult(
        pairs=pairs,
        method=method,
        min_score=min_score,
        questions=len(index),
        skipped_linked=skipped_linked,
        skipped_dismissed=skipped_dismissed,
        model=index.model if method in MEANING_METHODS else "",
        computed=index.computed,
        to=node_id,
        filters=filters.to_dict(),
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
    from kgraph.analysis.similar_index import similarity_index

    _check_method(method)
    index = similarity_index(store)
    for node_id in (a, b):
        if node_id not in index.row:
            _question(store, node_id)  # raises the right error
    i, j = index.row[a], index.row[b]
    return min(1.0, float(_row_scores(index, method, i)[j]))


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
