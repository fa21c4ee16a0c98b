"""The similarity score: meaning and words, combined into one calibrated number.

Two signals per pair of questions:

- **meaning**: the cosine of the two sentence vectors (``kgraph.analysis.embedding``)
  after each language's mean vector is taken off its questions. Without that, two
  unrelated questions in the same language share their language's direction ("How do
  you ...", "Hoe zorg je ...") and outscore a question and its own translation; with it,
  Dutch-English translations are found first (``benchmarks/similar_eval.py``). A language
  with fewer than ``MIN_GROUP`` questions uses the store's overall mean.
- **words**: the cosine of the word TF-IDF vectors (stems and stem pairs; the method the
  finder used alone before), which sees exact shared terms and names that a sentence
  model blurs, and which explains a proposal in words a person can check.

``combine`` maps them to a calibrated 0-1 score: a logistic model fitted on the hand-
labelled pairs (``benchmarks/similar_eval.py --fit`` prints the fit), so 0.5 means "as
likely as not to be judged the same or a related question by a person".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from kgraph.analysis._text import stem_ngrams

#: logistic model: score = 1 / (1 + exp(-(BIAS + MEANING * meaning + WORDS * words)))
BIAS = -4.02
MEANING = 11.56
WORDS = 9.75
#: a language needs this many questions for its own mean vector
MIN_GROUP = 10


def centre_by_language(matrix: np.ndarray, langs: Sequence[str]) -> np.ndarray:
    """Unit rows of ``matrix`` minus their language's mean (see the module docstring)."""
    out = np.array(matrix, dtype=np.float32, copy=True)
    if not len(out):
        return out
    overall = out.mean(axis=0)
    codes = np.asarray(list(langs), dtype=object)
    small = np.ones(len(out), dtype=bool)
    for lang in set(langs):
        rows = codes == lang
        if lang and rows.sum() >= MIN_GROUP:
            out[rows] -= out[rows].mean(axis=0)
            small &= ~rows
    out[small] -= overall
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 1e-6)
    return out


def word_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Unit rows of word TF-IDF (stems and stem bigrams) for ``texts``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer=stem_ngrams, sublinear_tf=True, min_df=1)
    try:
        return sparse.csr_matrix(vectoriser.fit_transform(texts), dtype=np.float32)
    except ValueError:  # no text carries any word
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def combine(meaning: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The calibrated score of each pair from its two signals (same shapes)."""
    z = BIAS + MEANING * np.asarray(meaning, dtype=np.float32) + WORDS * np.asarray(words)
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


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

    def pair(self, i: int, j: int) -> tuple[float, float, float]:
        """(combined, meaning, words) of one pair."""
        m = float(self.meaning[i] @ self.meaning[j])
        w = float(self.words[i].multiply(self.words[j]).sum())
        return float(combine(np.array(m), np.array(w))), m, w
