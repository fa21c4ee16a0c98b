// What is drawn, independent of the renderer: seeded positions, grouping of big views
// (hubs, clusters, kinds) into badges that expand on click, colours, sizes and the legend.
import Graph from "graphology";
import louvain from "graphology-communities-louvain";

const GREY = "#b8b8b8";
const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#1f77b4", "#8c564b", "#17becf",
];
const DEGREE_RAMP = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"];
/** A node folded into a hub has at most this many links... */
const SMALL_DEGREE = 12;
/** ...and its best-linked neighbour at least this many, and this many times its own. */
const HUB_DEGREE = 8;
const HUB_RATIO = 3;
/** A hub collapses what hangs on it when that is at least this many nodes. */
const HUB_MIN_MEMBERS = 5;
/** A cluster or kind becomes one badge when it has at least this many members. */
const GROUP_MIN = 3;

// --- deterministic numbers ---------------------------------------------------------------

export function hashString(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the full graph ----------------------------------------------------------------------

/** The view's nodes and edges as a graphology graph, with degrees. */
export function buildGraph(data) {
  const graph = new Graph({ type: "directed", multi: true, allowSelfLoops: true });
  for (const n of data.nodes) graph.addNode(n.id, { ...n });
  for (const e of data.edges) {
    if (graph.hasNode(e.s) && graph.hasNode(e.t)) graph.addEdgeWithKey(e.id, e.s, e.t, { ...e });
  }
  graph.forEachNode((id) => graph.setNodeAttribute(id, "degree", graph.degree(id)));
  return graph;
}

/** Nodes without a stored position get a seeded one: near a placed neighbour, else on a
 *  disc sized to the view. Returns whether any node was new. */
export function seedPositions(graph, seed, fresh) {
  const radius = 10 * Math.sqrt(graph.order + 1);
  let placedAny = false;
  const order = graph.nodes().sort();
  const missing = [];
  for (const id of order) {
    const a = graph.getNodeAttributes(id);
    if (fresh || typeof a.x !== "number" || typeof a.y !== "number") missing.push(id);
  }
  const missingSet = new Set(missing);
  for (const id of missing) {
    const rnd = seededRandom(hashString(id) ^ seed);
    const anchor = graph.neighbors(id).find((m) => !missingSet.has(m));
    let x;
    let y;
    if (anchor) {
      const b = graph.getNodeAttributes(anchor);
      const angle = rnd() * 2 * Math.PI;
      x = b.x + Math.cos(angle) * radius * 0.1;
      y = b.y + Math.sin(angle) * radius * 0.1;
    } else {
      const angle = rnd() * 2 * Math.PI;
      const r = radius * Math.sqrt(rnd());
      x = Math.cos(angle) * r;
      y = Math.sin(angle) * r;
    }
    graph.mergeNodeAttributes(id, { x, y, seeded: true });
    placedAny = true;
  }
  return placedAny;
}

// --- grouping ----------------------------------------------------------------------------

/** Louvain communities, seeded so that the same view always gives the same clusters. */
export function communities(graph, seed) {
  const simple = new Graph({ type: "undirected" });
  graph.forEachNode((id) => simple.addNode(id));
  graph.forEachEdge((e, a, s, t) => {
    if (s !== t && !simple.hasEdge(s, t)) simple.addEdge(s, t);
  });
  if (simple.size === 0) return {};
  return louvain(simple, { rng: seededRandom(seed || 1) });
}

/** Which group each node falls in (none: drawn itself) for ``mode``. */
export function groupOf(graph, data, mode, expanded, clusters) {
  const keep = new Set([...(data.focus || []), ...(data.path || []), ...(data.hits || [])]);
  if (data.selected) keep.add(data.selected);
  const open = new Set(expanded || []);
  const groups = new Map(); // node id -> group key
  const info = new Map(); // group key -> {hub, kind, cluster, members}
  const add = (id, key, extra) => {
    groups.set(id, key);
    if (!info.has(key)) info.set(key, { ...extra, members: [] });
    info.get(key).members.push(id);
  };
  if (mode === "hubs") {
    graph.forEachNode((id, a) => {
      if (keep.has(id) || a.degree > SMALL_DEGREE) return;
      let hub = null;
      let best = -1;
      for (const m of graph.neighbors(id)) {
        const d = graph.getNodeAttribute(m, "degree");
        if (d > best || (d === best && m < hub)) {
          best = d;
          hub = m;
        }
      }
      if (hub && best >= HUB_DEGREE && best >= HUB_RATIO * a.degree) add(id, "hub:" + hub, { hub });
    });
  } else if (mode === "clusters") {
    graph.forEachNode((id) => {
      if (!keep.has(id) && clusters[id] !== undefined) add(id, "cluster:" + clusters[id], { cluster: clusters[id] });
    });
  } else if (mode === "kinds") {
    graph.forEachNode((id, a) => {
      if (!keep.has(id)) add(id, "kind:" + a.kind, { kind: a.kind });
    });
  }
  for (const [key, group] of [...info]) {
    const small = group.members.length < (group.hub ? HUB_MIN_MEMBERS : GROUP_MIN);
    if (small || open.has(key)) {
      for (const id of group.members) groups.delete(id);
      info.delete(key);
    }
  }
  // a hub that is itself absorbed elsewhere cannot carry a badge: keep its members drawn
  for (const [key, group] of [...info]) {
    if (group.hub && groups.has(group.hub)) {
      for (const id of group.members) groups.delete(id);
      info.delete(key);
    }
  }
  return { groups, info };
}

// --- colours, sizes, legend --------------------------------------------------------------

function categorical(values) {
  const counts = new Map();
  for (const v of values) if (v) counts.set(v, (counts.get(v) || 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const map = new Map();
  top.slice(0, PALETTE.length).forEach(([v], i) => map.set(v, PALETTE[i]));
  return { map, other: top.length > PALETTE.length };
}

/** ``colour(nodeAttributes)`` and the legend entries for ``data.color_by``. */
export function colouring(graph, data, clusters) {
  const by = data.color_by || "kind";
  const colours = data.colors || {};
  const labels = data.labels || {};
  const texts = data.texts || {};
  if (by === "kind" || by === "status" || by === "handover") {
    const table = colours[by] || {};
    const names = labels[by] || {};
    const present = new Set();
    graph.forEachNode((id, a) => present.add(a[by] || ""));
    const legend = Object.keys(table)
      .filter((k) => present.has(k))
      .map((k) => ({ colour: table[k], label: names[k] || k }));
    if (present.has("")) legend.push({ colour: GREY, label: texts.none || "-" });
    return { colour: (a) => table[a[by]] || GREY, legend };
  }
  if (by === "degree") {
    let max = 1;
    graph.forEachNode((id, a) => { max = Math.max(max, a.degree); });
    const step = (d) => Math.min(DEGREE_RAMP.length - 1, Math.floor((Math.log(1 + d) / Math.log(1 + max)) * (DEGREE_RAMP.length - 1) + 0.0001));
    const legend = [
      { colour: DEGREE_RAMP[0], label: `${texts.degree || "links"}: 1` },
      { colour: DEGREE_RAMP[DEGREE_RAMP.length - 1], label: `${texts.degree || "links"}: ${max}` },
    ];
    return { colour: (a) => DEGREE_RAMP[step(a.degree)], legend };
  }
  const value = by === "cluster" ? (a) => clusters[a.id] : (a) => a[by];
  const values = [];
  graph.forEachNode((id, a) => values.push(value({ ...a, id })));
  const { map, other } = categorical(values);
  const names = labels[by] || {};
  const legend = [...map.entries()].map(([v, c]) => ({
    colour: c,
    label: by === "cluster" ? `${texts.cluster || "cluster"} ${Number(v) + 1}` : names[v] || String(v),
  }));
  if (other || values.some((v) => !v && v !== 0)) legend.push({ colour: GREY, label: texts.other || "-" });
  return { colour: (a) => map.get(value(a)) || GREY, legend };
}

export function nodeSize(data, degree, maxDegree) {
  if (data.size_by === "uniform") return 6;
  return 4 + 14 * Math.sqrt(degree / Math.max(1, maxDegree));
}

export function formatCount(n, lang) {
  try {
    return new Intl.NumberFormat(lang === "en" ? "en-GB" : "nl-NL").format(n);
  } catch (e) {
    return String(n);
  }
}

/** The display graph: the nodes and edges drawn once groups are collapsed. */
export function displayItems(graph, data, mode, expanded, clusters) {
  const { groups, info } = groupOf(graph, data, mode, expanded, clusters);
  const { colour, legend } = colouring(graph, data, clusters);
  const texts = data.texts || {};
  let maxDegree = 1;
  graph.forEachNode((id, a) => { maxDegree = Math.max(maxDegree, a.degree); });
  const marked = new Set([...(data.hits || [])]);
  const path = new Set(data.path || []);
  const focus = new Set(data.focus || []);
  const nodes = [];
  graph.forEachNode((id, a) => {
    if (groups.has(id)) return;
    const hubGroup = info.get("hub:" + id);
    const extra = hubGroup ? hubGroup.members.length : 0;
    const base = a.label || id;
    nodes.push({
      id,
      x: a.x,
      y: a.y,
      label: extra ? `${base} +${formatCount(extra, data.lang)}` : base,
      color: colour({ ...a, id }),
      size: nodeSize(data, a.degree, maxDegree) + (focus.has(id) ? 4 : 0) + (extra ? Math.min(12, Math.log2(1 + extra) * 2) : 0),
      highlighted: marked.has(id) || path.has(id) || id === data.selected,
      forceLabel: focus.has(id) || path.has(id) || marked.has(id) || id === data.selected || extra > 0,
      badge: hubGroup ? "hub:" + id : null,
      count: extra,
      attrs: a,
    });
  });
  for (const [key, group] of info) {
    if (group.hub) continue; // the hub itself carries the badge
    let x = 0;
    let y = 0;
    const tally = new Map();
    let top = null;
    for (const m of group.members) {
      const a = graph.getNodeAttributes(m);
      x += a.x;
      y += a.y;
      const c = colour({ ...a, id: m });
      tally.set(c, (tally.get(c) || 0) + 1);
      if (!top || a.degree > top.degree || (a.degree === top.degree && m < top.id)) top = { id: m, degree: a.degree, label: a.label };
    }
    const n = group.members.length;
    const name = group.kind ? (data.labels.kind || {})[group.kind] || group.kind : top.label;
    const shown = group.kind ? n : n - 1;
    nodes.push({
      id: "group:" + key,
      x: x / n,
      y: y / n,
      label: `${name} +${formatCount(shown, data.lang)}`,
      color: [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0],
      size: 8 + Math.min(18, Math.log2(1 + n) * 2.5),
      highlighted: false,
      forceLabel: true,
      badge: key,
      count: n,
      attrs: { kind: group.kind || "", label: name, group: true, members: n },
    });
  }
  const where = (id) => {
    const g = groups.get(id);
    if (!g) return id;
    const group = info.get(g);
    return group.hub ? group.hub : "group:" + g;
  };
  const edges = [];
  const merged = new Map();
  graph.forEachEdge((key, a, s, t) => {
    const ds = where(s);
    const dt = where(t);
    if (ds === dt) return;
    if (ds === s && dt === t) {
      const onPath = path.has(s) && path.has(t);
      edges.push({
        id: key,
        source: s,
        target: t,
        color: onPath ? "#222222" : a.color,
        size: onPath ? 4 : a.size || 1,
        label: a.label,
        kind: a.kind,
        attrs: a,
      });
      return;
    }
    const mk = ds < dt ? ds + "\u0000" + dt : dt + "\u0000" + ds;
    if (!merged.has(mk)) merged.set(mk, { id: "bundle:" + mk, source: ds, target: dt, count: 0 });
    merged.get(mk).count += 1;
  });
  for (const m of merged.values()) {
    edges.push({
      id: m.id,
      source: m.source,
      target: m.target,
      color: "#cccccc",
      size: Math.min(6, 1 + Math.log2(m.count)),
      label: `${formatCount(m.count, data.lang)} ${texts.links || ""}`.trim(),
      kind: "",
      attrs: { bundle: true, count: m.count },
    });
  }
  return { nodes, edges, legend, groups: info.size };
}

/** The grouping mode actually used: ``auto`` groups by hub above the threshold. */
export function groupMode(data, order) {
  const mode = data.group || "auto";
  if (mode !== "auto") return mode;
  return order > (data.group_threshold || 1500) ? "hubs" : "none";
}
