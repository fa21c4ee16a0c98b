"""The store's questions ready to compare: vectors, words, and where each was asked.

``similarity_index(store)`` builds a ``SimilarityIndex`` (the questions, their stored
sentence vectors centred per language, their word vectors, their CoPs/themes/register/
language) and keeps the last one per store in this process, keyed by the store's change
marker: a second analysis, or the per-question panel after the pairs page, reuses it.
Building it reads the vectors with ``ensure_vectors``, which embeds stale questions
first (seconds on a new store of thousands of questions; the dashboard does that in the
background, see ``kgraph.analysis.similar_jobs``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kgraph.analysis.similar_score import Scorer, centre_by_language, word_matrix
from kgraph.analysis.vectors import Progress, ensure_vectors
from kgraph.model import QUESTION_KINDS, Node
from kgraph.store.base import GraphStore


@dataclass(frozen=True)
class QuestionContext:
    """Where a question comes from: titles of the CoPs and themes it was raised in, its
    register (the ``register`` property an import gives it; ``""`` for none) and the
    language of its text (``""``: unknown)."""

    cops: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    register: str = ""
    lang: str = ""

    @property
    def groups(self) -> frozenset[str]:
        """The CoPs and themes together: two questions sharing none come from elsewhere."""
        return frozenset(self.cops) | frozenset(self.themes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cops": list(self.cops),
            "themes": list(self.themes),
            "register": self.register,
            "lang": self.lang,
        }


@dataclass
class SimilarityIndex:
    """Everything the finder needs, row ``i`` for ``questions[i]``."""

    questions: list[Node]
    contexts: list[QuestionContext]
    scorer: Scorer
    model: str
    computed: int = 0
    row: dict[str, int] = field(default_factory=dict)
    #: ids of the CoP/theme nodes per row, for "other CoP" filters by id
    group_ids: list[frozenset[str]] = field(default_factory=list)
    #: pairs (sorted ids) already joined by ``RELATES_TO``, and pairs someone dismissed
    linked: frozenset[tuple[str, str]] = frozenset()
    dismissed: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        self.row = {q.id: i for i, q in enumerate(self.questions)}
        self._linked_to: dict[str, set[str]] | None = None

    def linked_to(self, node_id: str) -> set[str]:
        """The questions ``node_id`` is already joined to by ``RELATES_TO``."""
        if self._linked_to is None:
            by_id: dict[str, set[str]] = {}
            for a, b in self.linked:
                by_id.setdefault(a, set()).add(b)
                by_id.setdefault(b, set()).add(a)
            self._linked_to = by_id
        return self._linked_to.get(node_id, set())

    def __len__(self) -> int:
        return len(self.questions)


def question_contexts(
    store: GraphStore, questions: Sequence[Node], langs: Sequence[str]
) -> tuple[list[QuestionContext], list[frozenset[str]]]:
    """The context of each question (see ``QuestionContext``) and its CoP/theme ids."""
    wanted = {q.id for q in questions}
    raised: dict[str, list[str]] = {}
    for edge in store.edges(["RAISED_IN"]):
        if edge.src in wanted:
            raised.setdefault(edge.src, []).append(edge.dst)
    groups = {n.id: n for n in store.nodes(kinds=["cop", "theme"])}
    contexts: list[QuestionContext] = []
    ids: list[frozenset[str]] = []
    for q, lang in zip(questions, langs, strict=True):
        places = [groups[g] for g in sorted(raised.get(q.id, ())) if g in groups]
        contexts.append(
            QuestionContext(
                cops=tuple(n.title for n in places if n.kind == "cop"),
                themes=tuple(n.title for n in places if n.kind == "theme"),
                register=str(q.props.get("register") or ""),
                lang=lang,
            )
        )
        ids.append(frozenset(n.id for n in places))
    return contexts, ids


def build_index(store: GraphStore, *, progress: Progress | None = None) -> SimilarityIndex:
    """A fresh ``SimilarityIndex`` of ``store`` (embeds stale questions first)."""
    from kgraph.analysis.similar import question_text

    questions = store.nodes(kinds=sorted(QUESTION_KINDS))
    vectors = ensure_vectors(store, questions, progress=progress)
    meaning = centre_by_language(vectors.matrix, vectors.langs)
    words = word_matrix([question_text(q) for q in questions])
    contexts, group_ids = question_contexts(store, questions, vectors.langs)
    linked, dismissed = reviewed_pairs(store, questions)
    return SimilarityIndex(
        questions=questions,
        contexts=contexts,
        scorer=Scorer(meaning, words),
        model=vectors.model,
        computed=vectors.computed,
        group_ids=group_ids,
        linked=linked,
        dismissed=dismissed,
    )


def pair_key(a: str, b: str) -> tuple[str, str]:
    """A pair of ids in sorted order."""
    return (a, b) if a < b else (b, a)


def reviewed_pairs(
    store: GraphStore, questions: Sequence[Node]
) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """The pairs already linked with ``RELATES_TO`` and the pairs someone dismissed."""
    from kgraph.analysis.similar import DISMISSED_PROP

    linked = frozenset(pair_key(e.src, e.dst) for e in store.edges(["RELATES_TO"]))
    dismissed: set[tuple[str, str]] = set()
    for q in questions:
        value = q.props.get(DISMISSED_PROP) or []
        for other in value if isinstance(value, list | tuple) else [value]:
            dismissed.add(pair_key(q.id, str(other)))
    return linked, frozenset(dismissed)


_cache_lock = threading.Lock()
_cache: dict[tuple[int, str], tuple[int, SimilarityIndex]] = {}


def similarity_index(store: GraphStore, *, progress: Progress | None = None) -> SimilarityIndex:
    """The ``SimilarityIndex`` of ``store`` as it is now: the one built last in this
    process if nothing was committed since (the change marker), else a new one."""
    key = (id(_base(store)), store.location)
    marker = store.last_change()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == marker:
        return hit[1]
    index = build_index(store, progress=progress)
    with _cache_lock:
        _cache[key] = (marker, index)
    return index


def _base(store: GraphStore) -> GraphStore:
    """The store below a guard (one index serves every person's view of one store)."""
    return getattr(store, "_store", store)


def forget(store: GraphStore) -> None:
    """Drop the index kept for ``store`` (tests; a store replaced in place)."""
    with _cache_lock:
        _cache.pop((id(_base(store)), store.location), None)
