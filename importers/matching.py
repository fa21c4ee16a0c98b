"""Which question of a register's newer version is which question already in the store, in
near-linear time.

A register keeps its questions between versions but renumbers codes, rewords some, drops
some and adds some. The store's questions of the register (``olds``) are matched to the
new version's (``news``) in four steps, each only over what the steps before left over:

1. the same id, when the titles are alike too (``similarity`` at or above ``THRESHOLD``);
2. the same normalised title (identical questions: one dictionary lookup each);
3. title similarity at or above ``THRESHOLD``, best pair first, among candidate pairs: each
   new question's ``TOP_K`` nearest old questions by TF-IDF cosine over word stems and
   stem pairs (``kgraph.analysis._text``), computed as a sparse matrix product in chunks
   that keep only those ``TOP_K``: never all pairs;
4. the same id whatever the title (the question kept its code and was rewritten).

Registers renumber their codes, so a code alone is weak evidence: a code now used for a
different question must not pull the old question's history onto it (hence step 1 asks
for alike titles and step 4 comes last).

``THRESHOLD``: ``benchmarks/reimport_threshold.py`` scores every pair of the fixture
register's two versions (``tests/data/registers/``): the same question reworded between
versions scores 0.871 or more, the closest two different questions 0.608 at most; 0.72
sits between them with room either side (0.11 and 0.15). Steps 1-4 give the same pairs as
comparing every pair sharing a word (the method before, kept in
``benchmarks/reimport_scale.py``) on that fixture; ``make bench`` times both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from kgraph.importers.batching import batches
from kgraph.model import Node, fold, normalise_title

THRESHOLD = 0.72
#: candidates kept per new question in step 3
TOP_K = 10
#: new questions per sparse product in step 3 (bounds the dense block a product makes)
CHUNK = 2000
_WORD = re.compile(r"[a-z0-9]+")


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1: difflib's ratio of the normalised titles."""
    return _ratio(normalise_title(a), normalise_title(b))


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio()


def _features(title: str) -> list[str]:
    """Stems and stem pairs; a title of stop words only keeps its folded words."""
    # here: importing kgraph.analysis loads every analysis, which a first import never needs
    from kgraph.analysis._text import stem_ngrams

    return stem_ngrams(title) or _WORD.findall(fold(title))


def _candidates(
    old_titles: Sequence[str], new_titles: Sequence[str], k: int
) -> list[tuple[int, int]]:
    """(old index, new index) of each new title's ``k`` nearest old titles by cosine."""
    import numpy as np  # here: planning a first import never needs them
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not old_titles or not new_titles:
        return []
    vectorizer = TfidfVectorizer(analyzer=_features, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([*old_titles, *new_titles])
    except ValueError:  # no features at all (titles of punctuation only)
        return []
    olds = sparse.csr_matrix(matrix[: len(old_titles)])
    news = sparse.csr_matrix(matrix[len(old_titles) :])
    olds_t = olds.T.tocsc()
    pairs: list[tuple[int, int]] = []
    for rows in batches(range(news.shape[0]), CHUNK):
        assert isinstance(rows, range)
        start = rows.start
        block = (news[start : rows.stop] @ olds_t).tocsr()
        for row in range(block.shape[0]):
            lo, hi = block.indptr[row], block.indptr[row + 1]
            if lo == hi:
                continue
            scores = block.data[lo:hi]
            cols = block.indices[lo:hi]
            if hi - lo > k:
                keep = np.argpartition(-scores, k - 1)[:k]
                cols = cols[keep]
            pairs.extend((int(i), start + row) for i in cols)
    return pairs


def match_questions(
    olds: Sequence[Node],
    news: Sequence[Node],
    *,
    threshold: float = THRESHOLD,
    k: int = TOP_K,
) -> dict[int, int]:
    """new index -> old index for every new question matched (see the module docstring)."""
    old_norm = [normalise_title(n.title) for n in olds]
    new_norm = [normalise_title(n.title) for n in news]
    old_at = {n.id: i for i, n in enumerate(olds)}
    of_new: dict[int, int] = {}
    of_old: dict[int, int] = {}

    def pair(i: int, j: int) -> None:
        of_new[j], of_old[i] = i, j

    # 1. the same id and alike titles
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if i is not None and i not in of_old and _ratio(old_norm[i], new_norm[j]) >= threshold:
            pair(i, j)
    # 2. the same normalised title, in order (as best-first would pair score 1.0)
    by_title: dict[str, list[int]] = {}
    for i, title in enumerate(old_norm):
        if i not in of_old:
            by_title.setdefault(title, []).append(i)
    for j, title in enumerate(new_norm):
        waiting = by_title.get(title)
        if j not in of_new and waiting:
            pair(waiting.pop(0), j)
    # 3. alike titles among each new question's nearest old ones, best pair first
    left_old = [i for i in range(len(olds)) if i not in of_old]
    left_new = [j for j in range(len(news)) if j not in of_new]
    scored: list[tuple[float, int, int]] = []
    candidates = _candidates(
        [olds[i].title for i in left_old], [news[j].title for j in left_new], k
    )
    for a, b in candidates:
        i, j = left_old[a], left_new[b]
        matcher = SequenceMatcher(None, old_norm[i], new_norm[j], autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        score = matcher.ratio()
        if score >= threshold:
            scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    for _score, i, j in scored:
        if i not in of_old and j not in of_new:
            pair(i, j)
    # 4. the same id, the title rewritten
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if j not in of_new and i is not None and i not in of_old:
            pair(i, j)
    return of_new
