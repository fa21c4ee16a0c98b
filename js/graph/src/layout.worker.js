// The layout, run in a web worker so a 5,000-node view never freezes the page.
// ForceAtlas2 for a fixed number of iterations from the positions it is given (seeded by
// the caller), then Noverlap: the same input always gives the same picture.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import noverlap from "graphology-layout-noverlap";
import { runLayout } from "./layout-core.js";

self.onmessage = (message) => {
  const { nodes, edges, iterations, token } = message.data;
  const result = runLayout(Graph, forceAtlas2, noverlap, nodes, edges, iterations, (done, positions) => {
    self.postMessage({ token, done: false, progress: done, positions });
  });
  self.postMessage({ token, done: true, positions: result });
};
