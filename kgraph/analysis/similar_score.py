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

from collections.abc import Sequence
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
