"""Analyses of the graph for theme leads and the steering group.

Every analysis runs on networkx (or, for similar questions, sentence and word vectors) over what
it fetches from the store, so both backends give the same answers; each returns a frozen
dataclass of plain values with ``to_dict()`` for JSON, the CLI and the dashboard.

- ``handover_coverage``: where complex questions and CoPs land, by handover status;
- ``find_gaps``: loose ends (hiaten);
- ``centrality``: what holds the graph together;
- ``find_similar`` / ``similar_to`` / ``accept_similar`` / ``dismiss_similar``: questions
  asked twice, in any language;
- ``changes_since``: what moved since a date.
"""

from kgraph.analysis.centrality import Centrality, centrality
from kgraph.analysis.changes import ChangeReport, changes_since
from kgraph.analysis.gaps import GAP_LABELS, Gaps, find_gaps
from kgraph.analysis.handover import HandoverCoverage, handover_coverage
from kgraph.analysis.similar import (
    DEFAULT_METHOD,
    METHODS,
    SimilarPair,
    SimilarResult,
    accept_similar,
    dismiss_similar,
    find_similar,
    pair_score,
    rank_pairs,
    similar_to,
)

__all__ = [
    "DEFAULT_METHOD",
    "GAP_LABELS",
    "METHODS",
    "Centrality",
    "ChangeReport",
    "Gaps",
    "HandoverCoverage",
    "SimilarPair",
    "SimilarResult",
    "accept_similar",
    "centrality",
    "changes_since",
    "dismiss_similar",
    "find_gaps",
    "find_similar",
    "handover_coverage",
    "pair_score",
    "rank_pairs",
    "similar_to",
]
