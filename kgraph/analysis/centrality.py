"""Centrality: which landing places, organisations and questions hold the graph together.

Two measures, on the graph with edge direction ignored:

- **degree**: how many links an item has (its direct reach);
- **betweenness**: the share of shortest connections between two other items that run
  through it (how much it bridges parts of the graph that would otherwise be far apart).

Betweenness is exact up to ``EXACT_LIMIT`` nodes; above that it is estimated from
``samples`` randomly chosen start nodes with a fixed seed, so the answer is fast and the
same every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kgraph.analysis._graph import Source, fetch, item
from kgraph.model import check_node_kind

EXACT_LIMIT = 1000
DEFAULT_SAMPLES = 300
SEED = 42

#: catalogue key (``kgraph.texts``) of what the two measures mean
EXPLANATION = "central_why"


@dataclass(frozen=True)
class Centrality:
    """The result of ``centrality``: rows best first, and how betweenness was computed."""

    rows: list[dict[str, Any]]
    nodes: int
    approximate: bool
    samples: int | None
    kinds: tuple[str, ...] = ()
    explanation: str = EXPLANATION

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "approximate": self.approximate,
            "samples": self.samples,
            "kinds": list(self.kinds),
            "explanation": self.explanation,
            "rows": self.rows,
        }


def _explain(title: str, kind: str, degree: int, share: float) -> dict[str, Any]:
    """A row in plain words, as a catalogue key and its parameters (``kgraph.texts``)."""
    key = "central_row_no_bridge" if share == 0 else "central_row_bridge"
    return {"key": key, "params": {"kind": kind, "title": title, "degree": degree, "share": share}}


def centrality(
    source: Source,
    *,
    kinds: Sequence[str] | None = None,
    top: int | None = 20,
    samples: int = DEFAULT_SAMPLES,
    seed: int = SEED,
) -> Centrality:
    """Degree and betweenness of the nodes of ``kinds`` (all when ``None``), measured on the
    whole graph of ``source``; the ``top`` rows by betweenness, then degree."""
    for kind in kinds or ():
        check_node_kind(kind)
    sub = fetch(source)
    multi = sub.to_networkx()
    simple = nx.Graph(multi.to_undirected(as_view=True))
    n = simple.number_of_nodes()
    approximate = n > EXACT_LIMIT and samples < n
    between = nx.betweenness_centrality(
        simple, k=samples if approximate else None, seed=seed, normalized=True
    )
    rows = []
    for node_id, node in sub.nodes.items():
        if kinds and node.kind not in kinds:
            continue
        degree = int(multi.degree(node_id))
        share = float(between.get(node_id, 0.0))
        rows.append(
            item(
                node,
                degree=degree,
                betweenness=round(share, 6),
                explanation=_explain(node.title, node.kind, degree, share),
            )
        )
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))
    if top is not None:
        rows = rows[:top]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return Centrality(
        rows=rows,
        nodes=n,
        approximate=approximate,
        samples=samples if approximate else None,
        kinds=tuple(kinds or ()),
    )
