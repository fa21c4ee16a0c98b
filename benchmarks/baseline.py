"""The bare-networkx baseline: the same work done directly on an in-memory networkx graph.

It is the pure-Python floor the embedded store is compared with: no SQL, no JSON, no
durability, the whole graph held in memory (which is why the store does not do this: see
its build time and memory in the table).
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import networkx as nx

from benchmarks.generate import Graph
from benchmarks.measure import Measurement, once, repeat
from kgraph.model import Edge, fold
from kgraph.store.base import DEFAULT_CAP, Subgraph

Probes = dict[str, Any]


def build(g: Graph) -> tuple[nx.MultiDiGraph, Measurement]:
    """A ``MultiDiGraph`` of the graph keyed by edge kind, each node holding its ``Node``
    (the shape ``Subgraph.to_networkx`` gives, with the value objects kept as they are).

    Edges are added in the store's index order (by source, then target, then kind), so each
    node's successors come by target and its predecessors by source, as the store reads
    them; each node keeps its edge count as ``degree``, as the store does. With both, a
    capped search picks the same nodes as ``GraphStore.neighbourhood``, not merely as many.
    """

    def make() -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((n.id, {"node": n, "degree": 0}) for n in g.nodes())
        edges = sorted(((e.src, e.dst, e.kind, e.props) for e in g.edges()), key=_edge_order)
        graph.add_edges_from((src, dst, kind, {"props": props}) for src, dst, kind, props in edges)
        nodes = graph._node
        for src, dst, _kind, _props in edges:
            nodes[src]["degree"] += 1
            nodes[dst]["degree"] += 1
        return graph

    return once(make)


def bounded_bfs(
    graph: nx.MultiDiGraph, focus: list[str], depth: int = 2, cap: int = DEFAULT_CAP
) -> Subgraph:
    """What ``GraphStore.neighbourhood`` does, on the networkx adjacency: breadth-first in
    both directions, low degree first, at most ``cap`` nodes; then the edges among them as
    ``Edge`` values (a node with more edges than the selection is probed, not scanned)."""
    succ, pred, attrs = graph._succ, graph._pred, graph._node

    def degree(node: str) -> int:
        return int(attrs[node]["degree"])

    selected: dict[str, None] = dict.fromkeys(focus)
    frontier = list(selected)
    truncated = False
    for _level in range(depth):
        grown: list[str] = []
        for node in sorted(frontier, key=degree):
            room = cap - len(selected)
            if room <= 0:
                truncated = True
                break
            for other in itertools.chain(succ[node], pred[node]):
                if other in selected:
                    continue
                if room == 0:
                    truncated = True
                    break
                selected[other] = None
                grown.append(other)
                room -= 1
        frontier = grown
        if truncated:
            break
    size = len(selected)
    edges: list[Edge] = []
    # every edge among the selection starts at a selected node: out-edges suffice
    for node in selected:
        out = succ[node]
        ends = out if len(out) <= size else [o for o in selected if o in out]
        for other in ends:
            if other in selected:
                for kind, data in out[other].items():
                    edges.append(Edge(node, kind, other, data["props"]))
    return Subgraph(
        nodes={n: attrs[n]["node"] for n in selected},
        edges=edges,
        truncated=truncated,
        focus=tuple(focus),
        cap=cap,
    )


def _edge_order(edge: tuple[str, str, str, Any]) -> tuple[str, str, str]:
    return edge[0], edge[1], edge[2]


def neighbourhood(graph: nx.MultiDiGraph, focus: list[str], n: int) -> Measurement:
    return repeat(lambda i: bounded_bfs(graph, [focus[i % len(focus)]]), n)


def ego_graph(graph: nx.MultiDiGraph, focus: str, radius: int, n: int = 1) -> Measurement:
    sizes: list[int] = []

    def call(_i: int) -> None:
        sizes.append(nx.ego_graph(graph, focus, radius=radius, undirected=True).number_of_nodes())

    result = repeat(call, n, warmup=0)
    result["nodes_returned_max"] = max(sizes)
    return result


def shortest_path(graph: nx.MultiDiGraph, probes: Probes, n: int) -> Measurement:
    pairs = probes["pairs"]
    undirected = graph.to_undirected(as_view=True)

    def call(i: int) -> None:
        src, dst = pairs[i % len(pairs)]
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.bidirectional_shortest_path(undirected, src, dst)

    return repeat(call, n)


def text_search(graph: nx.MultiDiGraph, probes: Probes, n: int) -> Measurement:
    """A linear scan over folded texts: every word must occur; title hits first."""
    phrases = [fold(p).split() for p in probes["search"]]
    texts = [
        (node, fold(f"{d['node'].title} {d['node'].text} {node}"), fold(d["node"].title))
        for node, d in graph.nodes(data=True)
    ]

    def call(i: int) -> None:
        words = phrases[i % len(phrases)]
        hits = [
            (not all(w in title for w in words), node)
            for node, text, title in texts
            if all(w in text for w in words)
        ]
        hits.sort()
        hits[:50]

    return repeat(call, n)
