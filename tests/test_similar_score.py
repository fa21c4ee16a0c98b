"""The combined score's fast all-pairs path against a plain computation of every pair."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from kgraph.analysis.similar_score import Scorer, combine


def random_scorer(n: int, seed: int) -> Scorer:
    rng = np.random.default_rng(seed)
    meaning = rng.normal(size=(n, 16)).astype(np.float32)
    meaning /= np.linalg.norm(meaning, axis=1, keepdims=True)
    words = sparse.random(n, 30, density=0.1, random_state=seed, dtype=np.float32, format="csr")
    norms = np.sqrt(np.asarray(words.multiply(words).sum(axis=1))).ravel()
    words = sparse.csr_matrix(sparse.diags(1 / np.where(norms > 0, norms, 1)) @ words)
    return Scorer(meaning, words)


@pytest.mark.parametrize(("n", "chunk", "per_item"), [(40, 7, 3), (41, 40, 5), (25, 100, 2)])
def test_every_questions_best_partners_are_kept_with_their_scores(
    n: int, chunk: int, per_item: int
) -> None:
    scorer = random_scorer(n, seed=n)
    full, meaning, words = scorer.block(0, n)
    assert np.allclose(full, combine(meaning, words))
    found = scorer.all_best(per_item, 0.0, chunk)
    got = {(i, j): s for i, j, s in found}
    assert all(i < j for i, j in got)
    assert [s for *_, s in found] == sorted((s for *_, s in found), reverse=True)
    for i in range(n):
        row = full[i].copy()
        row[i] = -np.inf
        for j in np.argsort(-row)[:per_item]:
            key = (min(i, int(j)), max(i, int(j)))
            assert key in got, (i, j)
            assert got[key] == pytest.approx(float(full[i, j]), abs=1e-5)
    # a pair's score is what the plain computation and ``pair`` give
    i, j, s = found[0]
    assert scorer.pair(i, j)[0] == pytest.approx(s, abs=1e-5)


def test_a_minimum_and_a_mask_are_respected() -> None:
    n = 30
    scorer = random_scorer(n, seed=3)
    full = scorer.block(0, n)[0]
    allowed = np.add.outer(np.arange(n), np.arange(n)) % 2 == 1  # odd sums only

    def mask_of(start: int, stop: int) -> np.ndarray:
        return allowed[start:stop]

    found = scorer.all_best(4, 0.3, 8, mask_of)
    assert found and all(s >= 0.3 and (i + j) % 2 == 1 for i, j, s in found)
    assert all(full[i, j] == pytest.approx(s, abs=1e-5) for i, j, s in found)


def test_word_weights_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from kgraph.analysis._text import stem_ngrams
    from kgraph.analysis.similar_score import word_matrix

    texts = [
        "Hoe organiseer je lokaal meten?",
        "Hoe start je een goed proces rondom lokaal meten? Lokaal!",
        "How can comparative judgement be used for e-assessment?",
        "hoe wat",  # no word
        "Wat kost een warmtenet?",
    ]
    ours = word_matrix(texts)
    theirs = TfidfVectorizer(analyzer=stem_ngrams, sublinear_tf=True).fit_transform(texts)
    assert np.allclose((ours @ ours.T).toarray(), (theirs @ theirs.T).toarray(), atol=1e-5)
    assert word_matrix(["hoe", "wat"]).nnz == 0
