"""The similarity score: meaning and words, combined into one calibrated number.

Two signals per pair of questions:

- **meaning**: the cosine of the two sentence vectors (``kgraph.analysis.embedding``)
  after each language's mean vector is taken off its questions. Without that, two
  unrelated questions in the same language share their language's direction ("How do
  you ...", "Hoe zorg je ...") and outscore a question and its own translation; with it,
  Dutch-English translations are found first (``benchmarks/similar_eval.py``). A language
  with few questions is centred mostly on a reference mean of that language
  (``language_reference``), so a store of three questions is compared sensibly too.
- **words**: the cosine of the word TF-IDF vectors (stems and stem pairs; the method the
  finder used alone before), which sees exact shared terms and names that a sentence
  model blurs, and which explains a proposal in words a person can check.

``combine`` maps them to a calibrated 0-1 score: a logistic model fitted on the hand-
labelled pairs (``benchmarks/similar_eval.py --fit`` prints the fit), so 0.5 means "as
likely as not to be judged the same or a related question by a person".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from kgraph.analysis._text import stem_ngrams

#: logistic model: score = 1 / (1 + exp(-(BIAS + MEANING * meaning + WORDS * words)))
BIAS = -4.12
MEANING = 11.58
WORDS = 9.64
#: weight of a language's reference mean against its questions' own (in questions)
MIN_GROUP = 10


@lru_cache(maxsize=1)
def reference_means() -> dict[str, np.ndarray]:
    """Each known language's mean vector over the same everyday questions
    (``language_reference``); ``""`` (unknown) gets the mean of those means."""
    from kgraph.analysis.embedding import embed
    from kgraph.analysis.language_reference import REFERENCE

    means = {lang: embed(list(questions)).mean(axis=0) for lang, questions in REFERENCE.items()}
    means[""] = np.mean(list(means.values()), axis=0)
    return means


def centre_by_language(matrix: np.ndarray, langs: Sequence[str]) -> np.ndarray:
    """Unit rows of ``matrix`` minus their language's mean (see the module docstring).

    A language's mean is its questions' mean in the store, drawn towards the reference
    mean of that language (``reference_means``) as if ``MIN_GROUP`` reference questions
    were among them: a big group is centred on itself (which also takes off what all its
    questions share, such as one register's subject), a small one mostly on the language.
    """
    out = np.array(matrix, dtype=np.float32, copy=True)
    if not len(out):
        return out
    reference = reference_means()
    codes = np.asarray(list(langs), dtype=object)
    for lang in set(langs):
        rows = codes == lang
        n = int(rows.sum())
        prior = reference.get(lang, reference[""])
        mean = (out[rows].sum(axis=0) + MIN_GROUP * prior) / (n + MIN_GROUP)
        out[rows] -= mean
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 1e-6)
    return out


def word_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit rows of word TF-IDF (stems and stem bigrams) for ``texts``: the weighting of
    scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (smoothed idf, L2 rows), built
    here with scipy so the finder does not import scikit-learn (over a second).

    On a big store a term in more than one question in a hundred (at least fifty) is left
    out: its weight is small, the meaning signal covers what it says, and each such term
    joins thousands of pairs the product would have to carry (at 10,000 questions: half
    the time of the word product). Below 5,000 questions nothing is left out.
    """
    n = len(texts)
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, text in enumerate(texts):
        for term in stem_ngrams(text):
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    if not vocabulary:
        return sparse.csr_matrix((n, 1), dtype=np.float32)
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(vocabulary))
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    kept = np.flatnonzero(df <= max(50, n // 100))
    counts = sparse.csr_matrix(counts[:, kept])
    idf = (np.log((1 + n) / (1 + df[kept])) + 1).astype(np.float32)
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1))).ravel()
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    counts.data *= np.repeat(scale, np.diff(counts.indptr)).astype(np.float32)
    counts.sort_indices()
    return sparse.csr_matrix(counts, dtype=np.float32)


def combine(meaning: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The calibrated score of each pair from its two signals (same shapes)."""
    z = BIAS + MEANING * np.asarray(meaning, dtype=np.float32) + WORDS * np.asarray(words)
    return _sigmoid(z)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def _logit(score: float) -> float:
    """The linear part a score needs (``-inf`` for 0: every pair)."""
    if score <= 0:
        return -np.inf
    if score >= 1:
        return np.inf
    return float(np.log(score / (1 - score)))


class Scorer:
    """Scores of question ``i`` against every question, a block of rows at a time."""

    def __init__(self, meaning: np.ndarray, words: sparse.csr_matrix) -> None:
        self.meaning = meaning
        self.words = words
        self.words_t = words.T.tocsr()
        self.n = len(meaning)

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(combined, meaning, words) for rows ``start:stop`` against all, dense."""
        m = self.meaning[start:stop] @ self.meaning.T
        w = (self.words[start:stop] @ self.words_t).toarray()
        return combine(m, w), m, w

    def all_best(
        self,
        per_item: int,
        min_score: float,
        chunk: int,
        mask_of: Callable[[int, int], np.ndarray | None] = lambda start, stop: None,
    ) -> list[tuple[int, int, float]]:
        """Pairs ``(i, j, score)`` with ``i < j``, best first: for every question its
        ``per_item`` best partners among the questions after it and among those before it
        (so at least its ``per_item`` best overall), scoring at least ``min_score``.
        ``mask_of(start, stop)`` marks the allowed cells of rows ``start:stop`` (all
        columns), or is ``None``.

        Each pair is scored once: row blocks are multiplied only with the columns from the
        block on (the upper triangle, half the products of a full square); the best
        partners before a question are gathered column by column as the blocks pass.
        The linear part of the score is ranked (the logistic is monotone) and the logistic
        is applied to the pairs kept only.
        """
        n, k = self.n, per_item
        if n < 2 or k <= 0:
            return []
        floor = _logit(min_score)
        words_by_column = self.words_t.tocsc()
        col_val = np.full((n, k), -np.inf, dtype=np.float32)
        col_idx = np.full((n, k), -1, dtype=np.int64)
        found_i: list[np.ndarray] = []
        found_j: list[np.ndarray] = []
        found_z: list[np.ndarray] = []
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            b, width = stop - start, n - start
            z = self.meaning[start:stop] @ self.meaning[start:].T
            z *= MEANING
            z += BIAS
            w = self.words[start:stop] @ words_by_column[:, start:]
            if w.nnz > z.size // 20:  # dense enough: one vectorised pass beats scattered adds
                z += WORDS * w.toarray()
            else:
                coo = w.tocoo()
                z[coo.row, coo.col] += WORDS * coo.data
            z[np.tril_indices(b)] = -np.inf  # a question itself, and pairs met before
            mask = mask_of(start, stop)
            if mask is not None:
                z[~mask[:, start:]] = -np.inf
            # the best partners after each row
            kk = min(k, width)
            top = np.argpartition(z, width - kk, axis=1)[:, -kk:]
            picked = np.take_along_axis(z, top, axis=1)
            found_i.append(np.repeat(np.arange(start, stop), kk))
            found_j.append((top + start).ravel())
            found_z.append(picked.ravel())
            # the best partners before each column, merged with earlier blocks'
            kr = min(k, b)
            by_column = np.ascontiguousarray(z.T)  # partitions along rows in memory order
            rows = np.argpartition(by_column, b - kr, axis=1)[:, -kr:]
            values = np.take_along_axis(by_column, rows, axis=1)
            both_val = np.concatenate([col_val[start:], values], axis=1)
            both_idx = np.concatenate([col_idx[start:], rows + start], axis=1)
            keep = np.argpartition(both_val, both_val.shape[1] - k, axis=1)[:, -k:]
            col_val[start:] = np.take_along_axis(both_val, keep, axis=1)
            col_idx[start:] = np.take_along_axis(both_idx, keep, axis=1)
        found_i.append(col_idx.ravel())
        found_j.append(np.repeat(np.arange(n), k))
        found_z.append(col_val.ravel())
        i_all = np.concatenate(found_i)
        j_all = np.concatenate(found_j)
        z_all = np.concatenate(found_z)
        good = np.isfinite(z_all) & (z_all >= floor) & (i_all >= 0)
        i_all, j_all, z_all = i_all[good], j_all[good], z_all[good]
        _, first = np.unique(i_all * n + j_all, return_index=True)
        i_all, j_all, z_all = i_all[first], j_all[first], z_all[first]
        order = np.lexsort((j_all, i_all, -z_all))
        scores = _sigmoid(z_all[order])
        return list(
            zip(
                i_all[order].tolist(),
                j_all[order].tolist(),
                np.minimum(scores, 1.0).tolist(),
                strict=True,
            )
        )

    def pair(self, i: int, j: int) -> tuple[float, float, float]:
        """(combined, meaning, words) of one pair."""
        m = float(self.meaning[i] @ self.meaning[j])
        a, b = self.words, self.words
        lo_i, hi_i = a.indptr[i], a.indptr[i + 1]
        lo_j, hi_j = b.indptr[j], b.indptr[j + 1]
        common, at_i, at_j = np.intersect1d(
            a.indices[lo_i:hi_i], b.indices[lo_j:hi_j], assume_unique=True, return_indices=True
        )
        w = float(a.data[lo_i:hi_i][at_i] @ b.data[lo_j:hi_j][at_j]) if len(common) else 0.0
        return float(combine(np.array(m), np.array(w))), m, w
