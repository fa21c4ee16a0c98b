// The layout itself, shared by the worker and the main-thread fallback (when a page may
// not start workers). Deterministic: no randomness, iteration counts fixed by the caller.

/** Positions {id: [x, y]} after ForceAtlas2 and Noverlap; ``fixed`` nodes stay put. */
export function runLayout(Graph, forceAtlas2, noverlap, nodes, edges, iterations, progress) {
  const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  for (const n of nodes) {
    graph.addNode(n.id, { x: n.x, y: n.y, size: n.size || 5, fixed: !!n.fixed });
  }
  for (const [s, t] of edges) {
    if (s !== t && graph.hasNode(s) && graph.hasNode(t) && !graph.hasEdge(s, t)) graph.addEdge(s, t);
  }
  if (graph.order > 1 && nodes.some((n) => !n.fixed)) {
    const settings = forceAtlas2.inferSettings(graph);
    settings.barnesHutOptimize = graph.order > 400;
    settings.adjustSizes = false;
    // progress (an animation while it settles) only where the layout takes a while
    const step = graph.order > 800 ? Math.max(1, Math.floor(iterations / 3)) : iterations;
    for (let done = 0; done < iterations; done += step) {
      forceAtlas2.assign(graph, { iterations: Math.min(step, iterations - done), settings });
      if (progress && done + step < iterations) progress(done + step, collect(graph));
    }
    const ratio = spread(graph);
    noverlap.assign(graph, {
      // it settles in a few rounds; on big views each round is costly (5,000 nodes: ~40 ms)
      maxIterations: graph.order > 1000 ? 15 : 60,
      settings: { margin: ratio * 0.6, ratio: 1.0, expansion: 1.1, gridSize: 20 },
    });
  }
  return collect(graph);
}

// a typical edge length, so Noverlap's margin scales with the drawing
function spread(graph) {
  let total = 0;
  let count = 0;
  graph.forEachEdge((e, a, s, t, sa, ta) => {
    total += Math.hypot(sa.x - ta.x, sa.y - ta.y);
    count += 1;
  });
  return count ? total / count / 4 : 1;
}

function collect(graph) {
  const out = {};
  graph.forEachNode((id, a) => {
    out[id] = [Math.round(a.x * 100) / 100, Math.round(a.y * 100) / 100];
  });
  return out;
}
