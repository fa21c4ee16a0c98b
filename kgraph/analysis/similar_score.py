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

from collections.abc import Iterator, Sequence
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
    """Unit rows of word TF-IDF (stems and stem bigrams) for ``texts``.

    On a big store a term in more than one question in a hundred (at least fifty) is left
    out: its weight is small, the meaning signal covers what it says, and each such term
    joins thousands of pairs the product would have to carry (at 10,000 questions: half
    the time of the word product). Below 5,000 questions nothing is left out.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer=stem_ngrams,
        sublinear_tf=True,
        min_df=1,
        max_df=max(50, len(texts) // 100),
    )
    try:
        return sparse.csr_matrix(vectoriser.fit_transform(texts), dtype=np.float32)
    except ValueError:  # no text carries any word
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


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

    def best(
        self,
        start: int,
        stop: int,
        per_item: int,
        min_score: float,
        mask: np.ndarray | None = None,
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """``(i, columns, scores)``: each row's ``per_item`` best partners by the combined
        score, at least ``min_score``, itself left out; ``mask`` marks allowed cells.

        The fast path of ``block``: the logistic is monotone, so rows are ranked on its
        linear part, built in place in the meaning product (no second dense pass for the
        words, which are added where they are non-zero), and the logistic is applied only
        to the partners kept.
        """
        z = self.meaning[start:stop] @ self.meaning.T
        z *= MEANING
        z += BIAS
        w = self.words[start:stop] @ self.words_t
        if w.nnz > z.size // 20:  # dense enough: one vectorised pass beats scattered adds
            z += WORDS * w.toarray()
        else:
            coo = w.tocoo()
            z[coo.row, coo.col] += WORDS * coo.data
        rows = np.arange(stop - start)
        own = rows + start
        z[rows, own] = -np.inf
        if mask is not None:
            z[~mask] = -np.inf
        floor = _logit(min_score)
        k = min(per_item, z.shape[1])
        if k <= 0:
            return
        top = np.argpartition(z, z.shape[1] - k, axis=1)[:, -k:]  # no negated copy
        picked = np.take_along_axis(z, top, axis=1)
        for r in range(stop - start):
            keep = np.isfinite(picked[r]) & (picked[r] >= floor)
            cols = top[r][keep]
            yield start + r, cols, _sigmoid(picked[r][keep])

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
