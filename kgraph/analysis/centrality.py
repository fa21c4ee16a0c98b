"""Centrality: which landing places, organisations and questions hold the graph together.

Two measures, on the graph with edge direction ignored:

- **degree**: how many links an item has (its direct reach);
- **betweenness**: the share of shortest connections between two other items that run
  through it (how much it bridges parts of the graph that would otherwise be far apart).

Betweenness is exact up to ``EXACT_LIMIT`` nodes; above that it is estimated from
``samples`` randomly chosen start nodes with a fixed seed, so the answer is fast and the
same every run.

Computed by networkit (MIT; C++): measured at 12,547 nodes / 47,574 edges (scale M), 300
samples took 0.6 s of CPU against networkx's 13.6 s, with the same top 10 as the exact
ranking; rustworkx (Apache-2.0) has no sampled betweenness, and its exact one took 18 s
(``BENCHMARKS.md``). Importing networkit costs about a second (it loads scikit-learn), so
graphs up to ``EXACT_LIMIT`` nodes are left to networkx, exactly. The graph is read as lean
rows (ids and kinds, no texts). Without networkit, networkx does it all (slowly). The estimate is made in ``STEPS`` rounds of fresh
seeds, averaged, so a long run reports its progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kgraph.analysis._graph import Source, item, lean
from kgraph.model import check_node_kind

EXACT_LIMIT = 1000
DEFAULT_SAMPLES = 300
SEED = 42
#: rounds a sampled estimate is made in (progress is reported after each)
STEPS = 10

#: catalogue key (``kgraph.texts``) of what the two measures mean
EXPLANATION = "central_why"

#: networkit's random source is one per process: one computation at a time
_NETWORKIT = threading.Lock()


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Centrality:
        return cls(
            rows=list(data["rows"]),
            nodes=int(data["nodes"]),
            approximate=bool(data["approximate"]),
            samples=data.get("samples"),
            kinds=tuple(data.get("kinds") or ()),
            explanation=str(data.get("explanation") or EXPLANATION),
        )


def _explain(title: str, kind: str, degree: int, share: float) -> dict[str, Any]:
    """A row in plain words, as a catalogue key and its parameters (``kgraph.texts``)."""
    key = "central_row_no_bridge" if share == 0 else "central_row_bridge"
    return {"key": key, "params": {"kind": kind, "title": title, "degree": degree, "share": share}}


def _betweenness_networkit(
    n: int,
    pairs: list[tuple[int, int]],
    samples: int | None,
    seed: int,
    progress: Callable[[float], None],
) -> list[float]:
    import networkit as nk
    import numpy as np

    graph = nk.Graph(n)
    if pairs:
        ends = np.array(pairs, dtype=np.uint64)
        graph.addEdges((ends[:, 0], ends[:, 1]))
    with _NETWORKIT:
        nk.engineering.setNumberOfThreads(1)  # the dashboard's other sessions keep a core
        if samples is None:
            exact = nk.centrality.Betweenness(graph, normalized=True)
            exact.run()
            progress(1.0)
            return list(exact.scores())
        steps = max(1, min(STEPS, samples))
        total = [0.0] * n
        done = 0
        for step in range(steps):
            size = samples // steps + (1 if step < samples % steps else 0)
            nk.setSeed(seed + step, False)
            estimate = nk.centrality.EstimateBetweenness(
                graph, size, normalized=True, parallel=False
            )
            estimate.run()
            for i, score in enumerate(estimate.scores()):
                total[i] += score * size
            done += size
            progress(done / samples)
        return [x / samples for x in total]


def _betweenness_networkx(
    n: int, pairs: list[tuple[int, int]], samples: int | None, seed: int
) -> list[float]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(pairs)
    between = nx.betweenness_centrality(graph, k=samples, seed=seed, normalized=True)
    return [between[i] for i in range(n)]


def betweenness(
    n: int,
    pairs: list[tuple[int, int]],
    samples: int | None,
    seed: int = SEED,
    progress: Callable[[float], None] | None = None,
    *,
    engine: str = "networkit",
) -> list[float]:
    """Normalised betweenness of the nodes ``0 .. n-1`` of the undirected simple graph with
    edges ``pairs``: exact when ``samples`` is ``None``, else estimated from that many
    start nodes. ``engine``: ``networkit`` (for graphs over ``EXACT_LIMIT`` nodes; falls back
    to networkx when missing) or ``networkx`` (the reference the benchmark compares with)."""
    report = progress or (lambda _done: None)
    # networkit's import costs about a second (it loads scikit-learn): worth it for a big
    # graph only; networkx computes a small one exactly in less
    if engine == "networkit" and n > EXACT_LIMIT:
        try:
            return _betweenness_networkit(n, pairs, samples, seed, report)
        except ImportError:
            pass
    scores = _betweenness_networkx(n, pairs, samples, seed)
    report(1.0)
    return scores


def centrality(
    source: Source,
    *,
    kinds: Sequence[str] | None = None,
    top: int | None = 20,
    samples: int = DEFAULT_SAMPLES,
    seed: int = SEED,
    progress: Callable[[float], None] | None = None,
    engine: str = "networkit",
) -> Centrality:
    """Degree and betweenness of the nodes of ``kinds`` (all when ``None``), measured on the
    whole graph of ``source``; the ``top`` rows by betweenness, then degree. ``progress``
    is called with the fraction done while betweenness is estimated."""
    for kind in kinds or ():
        check_node_kind(kind)
    graph = lean(source)
    ids = list(graph.nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    degree = [0] * len(ids)
    pairs: set[tuple[int, int]] = set()
    for src, _kind, dst, _status in graph.edges:
        a, b = index[src], index[dst]
        degree[a] += 1
        degree[b] += 1
        if a != b:
            pairs.add((a, b) if a < b else (b, a))
    n = len(ids)
    approximate = n > EXACT_LIMIT and samples < n
    between = betweenness(
        n, sorted(pairs), samples if approximate else None, seed, progress, engine=engine
    )
    rows = []
    for i, node_id in enumerate(ids):
        row = graph.nodes[node_id]
        if kinds and row[1] not in kinds:
            continue
        share = float(between[i]) if n else 0.0
        rows.append(
            item(
                row,
                degree=degree[i],
                betweenness=round(share, 6),
                explanation=_explain(row[2], row[1], degree[i], share),
            )
        )
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))
    if top is not None:
        rows = rows[:top]
    for rank, ranked in enumerate(rows, start=1):
        ranked["rank"] = rank
    return Centrality(
        rows=rows,
        nodes=n,
        approximate=approximate,
        samples=samples if approximate else None,
        kinds=tuple(kinds or ()),
    )
