"""Analyses of the graph for theme leads and the steering group.

Every analysis reads what it needs from the store (lean rows and store queries, or, for
similar questions, sentence vectors kept in the store and sparse word vectors) or from a
subgraph, so both backends give the same answers; each returns a frozen dataclass of plain
values with ``to_dict()`` for JSON, the CLI and the dashboard. ``kgraph.analysis.cached``
defines them for the analysis cache (``kgraph.cache``): computed once per change of the
store.

- ``handover_coverage``: where complex questions and CoPs land, by handover status;
- ``find_gaps``: loose ends (hiaten);
- ``centrality``: what holds the graph together;
- ``find_similar`` / ``similar_to`` / ``accept_similar`` / ``dismiss_similar``: questions
  asked twice, in any language;
- ``changes_since``: what moved since a date.

The names below are imported on first use (PEP 562): ``import kgraph.analysis`` costs
nothing, and the command line's start does not pay for numpy, scipy and scikit-learn.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: public name -> the module that defines it
_WHERE: dict[str, str] = {
    "Centrality": "centrality",
    "centrality": "centrality",
    "ChangeReport": "changes",
    "changes_since": "changes",
    "GAP_LABELS": "gaps",
    "Gaps": "gaps",
    "find_gaps": "gaps",
    "HandoverCoverage": "handover",
    "handover_coverage": "handover",
    "DEFAULT_METHOD": "similar",
    "METHODS": "similar",
    "SimilarPair": "similar",
    "SimilarResult": "similar",
    "accept_similar": "similar",
    "dismiss_similar": "similar",
    "find_similar": "similar",
    "pair_score": "similar",
    "rank_pairs": "similar",
    "similar_to": "similar",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kgraph.analysis' has no attribute {name!r}")
    value = getattr(import_module(f"kgraph.analysis.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
