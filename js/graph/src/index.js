// kgraph's graph drawing: one controller for the dashboard component (st.components.v2)
// and the standalone page. User text only ever reaches the page as canvas labels and
// textContent, never as HTML.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import noverlap from "graphology-layout-noverlap";
import workerSource from "../build/layout.worker.txt";
import { runLayout } from "./layout-core.js";
import { buildGraph, communities, displayItems, groupMode, seedPositions } from "./model.js";
import { SigmaView, VisView, webglAvailable } from "./renderers.js";
import { foldWords, searchStem, stem } from "./stem.js";
import CSS from "./style.css";

const instances = new WeakMap();

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function iterationsFor(order) {
  if (order <= 300) return 400;
  if (order <= 1000) return 200;
  if (order <= 3000) return 100;
  return 60;
}

/** Lay out in a worker (main thread when a worker cannot start); resolves positions. */
function layout(nodes, edges, onProgress) {
  const iterations = iterationsFor(nodes.length);
  return new Promise((resolve) => {
    let worker = null;
    let url = null;
    try {
      url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      worker = new Worker(url);
    } catch (e) {
      worker = null;
    }
    const inline = () => {
      if (url) URL.revokeObjectURL(url);
      resolve(runLayout(Graph, forceAtlas2, noverlap, nodes, edges, iterations, null));
    };
    if (!worker) {
      setTimeout(inline, 0);
      return;
    }
    worker.onmessage = (m) => {
      if (m.data.done) {
        worker.terminate();
        URL.revokeObjectURL(url);
        resolve(m.data.positions);
      } else if (onProgress) {
        onProgress(m.data.positions);
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      inline();
    };
    worker.postMessage({ nodes, edges, iterations, token: 1 });
  });
}

class Controller {
  constructor(root, host) {
    this.host = host;
    this.root = root;
    this.expanded = new Set();
    this.version = null;
    this.layoutRun = 0;
    this.ready = false;
    const style = el("style");
    style.textContent = CSS;
    root.appendChild(style);
    this.wrap = el("div", "kg-wrap");
    this.canvas = el("div", "kg-canvas");
    this.tools = el("div", "kg-tools");
    this.legend = el("div", "kg-legend");
    this.tip = el("div", "kg-tip");
    this.status = el("div", "kg-status");
    this.wrap.append(this.tools, this.canvas, this.legend, this.tip, this.status);
    root.appendChild(this.wrap);
    this.wrap.addEventListener("fullscreenchange", () => setTimeout(() => this.view && this.view.resize(), 50));
    window.kgraphGraph = this;
  }

  // --- data in ---------------------------------------------------------------------------

  update(data) {
    if (data.v && data.v === this.version) return;
    const first = this.version === null;
    const relayout = !first && data.relayout !== this.data.relayout;
    this.version = data.v;
    this.data = data;
    this.wrap.style.height = data.height ? `${data.height}px` : "";
    this.wrap.dataset.height = data.height || "";
    if (data.expanded) this.expanded = new Set(data.expanded);
    if (!this.view) this.startView();
    if (!this.view) return;
    this.toolbar();
    this.graph = buildGraph(data);
    this.mode = groupMode(data, this.graph.order);
    this.clusters = this.mode === "clusters" || data.color_by === "cluster" ? communities(this.graph, 7) : {};
    const fresh = relayout;
    const needs = seedPositions(this.graph, 1, fresh);
    this.draw();
    if (needs) this.arrange(fresh);
    else this.markReady();
  }

  startView() {
    if (this.data.vis_code && !globalThis.vis) {
      // vis-network is a classic script: run it as one, so it sets window.vis
      const script = document.createElement("script");
      script.textContent = this.data.vis_code;
      document.head.appendChild(script);
      this.status.textContent = "";
    }
    const forced = this.data.renderer === "vis";
    const gl = !forced && webglAvailable();
    this.wrap.dataset.webgl = gl ? "yes" : "no";
    const handlers = {
      clickNode: (id, shift) => this.clickNode(id, shift),
      doubleClickNode: (id) => this.doubleClickNode(id),
      clickEdge: (id) => this.clickEdge(id),
      clickStage: () => this.hover(null),
      hover: (id, x, y) => this.hover(id, x, y),
      dragEnd: (id, x, y) => this.dragEnd(id, x, y),
    };
    if (gl) {
      this.view = new SigmaView(this.canvas, handlers);
    } else if (globalThis.vis) {
      this.view = new VisView(this.canvas, handlers);
    } else {
      // no WebGL here and vis-network not on the page: ask the host for the fallback
      this.status.textContent = (this.data.texts || {}).no_webgl || "";
      this.host.setState("webgl", false);
      return;
    }
    this.wrap.dataset.renderer = this.view.name;
    const started = performance.now();
    this.view.firstDraw.then(() => {
      this.firstDrawAt = performance.now();
      this.firstDrawMs = this.firstDrawAt - started;
      this.wrap.dataset.firstDraw = String(Math.round(this.firstDrawMs));
    });
  }

  toolbar() {
    const t = this.data.texts || {};
    this.tools.replaceChildren();
    const button = (label, title, action, name) => {
      const b = el("button", "kg-button", label);
      b.type = "button";
      b.title = title;
      b.setAttribute("aria-label", title);
      b.dataset.action = name;
      b.addEventListener("click", action);
      this.tools.appendChild(b);
    };
    button(t.fit || "Fit", t.fit_help || "", () => this.view.fit(), "fit");
    button(t.rearrange || "Re-arrange", t.rearrange_help || "", () => this.arrange(true), "rearrange");
    button(t.fullscreen || "Full screen", t.fullscreen_help || "", () => this.fullscreen(), "fullscreen");
  }

  fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (this.wrap.requestFullscreen) this.wrap.requestFullscreen();
  }

  // --- drawing -----------------------------------------------------------------------------

  draw() {
    this.items = displayItems(this.graph, this.data, this.mode, this.expanded, this.clusters);
    this.byId = new Map(this.items.nodes.map((n) => [n.id, n]));
    this.edgeById = new Map(this.items.edges.map((e) => [e.id, e]));
    this.view.show(this.items);
    this.drawLegend();
  }

  drawLegend() {
    const t = this.data.texts || {};
    this.legend.replaceChildren();
    const head = el("div", "kg-legend-head", t.legend || "Legend");
    head.setAttribute("role", "button");
    head.tabIndex = 0;
    const toggle = () => {
      this.legendClosed = !this.legendClosed;
      this.legend.classList.toggle("kg-closed", this.legendClosed);
    };
    head.addEventListener("click", toggle);
    head.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") toggle(); });
    this.legend.classList.toggle("kg-closed", !!this.legendClosed);
    this.legend.appendChild(head);
    const title = el("div", "kg-legend-title", (this.data.labels.color_by || {})[this.data.color_by || "kind"] || "");
    this.legend.appendChild(title);
    for (const item of this.items.legend) {
      const row = el("div", "kg-legend-row");
      const dot = el("span", "kg-dot");
      dot.style.background = item.colour;
      row.append(dot, el("span", "", item.label));
      this.legend.appendChild(row);
    }
    if ((this.data.edge_legend || []).length) {
      this.legend.appendChild(el("div", "kg-legend-title", t.edges || ""));
      for (const item of this.data.edge_legend) {
        const row = el("div", "kg-legend-row");
        const line = el("span", "kg-line");
        line.style.borderTopColor = item.colour;
        line.style.borderTopWidth = `${item.width || 2}px`;
        row.append(line, el("span", "", item.label));
        this.legend.appendChild(row);
      }
    }
    if (this.items.groups) {
      this.legend.appendChild(el("div", "kg-legend-note", t.groups_note || ""));
    }
  }

  arrange(fresh) {
    const run = ++this.layoutRun;
    if (fresh) seedPositions(this.graph, 1, true);
    const nodes = [];
    this.graph.forEachNode((id, a) => nodes.push({ id, x: a.x, y: a.y, fixed: !fresh && !a.seeded, size: 5 }));
    nodes.sort((a, b) => (a.id < b.id ? -1 : 1));
    const edges = [];
    this.graph.forEachEdge((e, a, s, t) => edges.push([s, t]));
    this.ready = false;
    this.wrap.dataset.ready = "no";
    this.status.textContent = (this.data.texts || {}).arranging || "";
    layout(nodes, edges, (positions) => {
      if (run !== this.layoutRun) return;
      // while it settles, only move what is drawn (a full redraw waits for the end)
      this.graph.updateEachNodeAttributes((id, a) => {
        const p = positions[id];
        return p ? { ...a, x: p[0], y: p[1] } : a;
      });
      this.view.move(positions);
    }).then((positions) => {
      if (run !== this.layoutRun) return;
      this.applyPositions(positions);
      this.graph.forEachNode((id) => this.graph.removeNodeAttribute(id, "seeded"));
      this.status.textContent = "";
      this.host.setState("layout", { key: this.data.key, positions, pinned: this.data.pinned || [] });
      this.markReady();
    });
  }

  applyPositions(positions) {
    this.graph.updateEachNodeAttributes((id, a) => {
      const p = positions[id];
      return p ? { ...a, x: p[0], y: p[1] } : a;
    });
    this.draw();
  }

  markReady() {
    this.ready = true;
    this.view.firstDraw.then(() => {
      if (this.readyAt === undefined) this.readyAt = performance.now();
      this.wrap.dataset.ready = "yes";
    });
  }

  // --- events ------------------------------------------------------------------------------

  clickNode(id, shift) {
    const item = this.byId.get(id);
    if (item && item.badge) {
      this.expanded.add(item.badge);
      this.host.setState("expanded", [...this.expanded]);
      this.draw();
      if (String(id).startsWith("group:")) return;
    }
    if (shift) {
      this.host.trigger("add_focus", id);
      return;
    }
    this.host.setState("selected", id);
  }

  doubleClickNode(id) {
    if (String(id).startsWith("group:")) return;
    this.host.trigger("refocus", id);
  }

  clickEdge(id) {
    const edge = this.edgeById.get(id);
    if (edge && edge.attrs && edge.attrs.key) this.host.setState("edge", edge.attrs.key);
  }

  dragEnd(id, x, y) {
    const positions = {};
    this.graph.mergeNodeAttributes(id, { x, y });
    this.graph.forEachNode((n, a) => { positions[n] = [Math.round(a.x * 100) / 100, Math.round(a.y * 100) / 100]; });
    const pinned = new Set(this.data.pinned || []);
    pinned.add(id);
    this.data.pinned = [...pinned];
    this.host.setState("layout", { key: this.data.key, positions, pinned: [...pinned] });
  }

  hover(id, x, y) {
    if (!id) {
      this.tip.style.display = "none";
      return;
    }
    const item = this.byId.get(id);
    if (!item) return;
    const t = this.data.texts || {};
    const labels = this.data.labels || {};
    const a = item.attrs || {};
    this.tip.replaceChildren();
    this.tip.appendChild(el("div", "kg-tip-title", a.title || a.label || item.label));
    if (a.kind) this.tip.appendChild(el("div", "", `${t.kind || ""}: ${(labels.kind || {})[a.kind] || a.kind}`));
    if (a.status) this.tip.appendChild(el("div", "", `${t.status || ""}: ${(labels.status || {})[a.status] || a.status}`));
    if (a.handover) this.tip.appendChild(el("div", "", `${t.handover || ""}: ${(labels.handover || {})[a.handover] || a.handover}`));
    if (item.count) this.tip.appendChild(el("div", "kg-tip-more", t.expand || ""));
    this.tip.style.display = "block";
    const box = this.wrap.getBoundingClientRect();
    const top = this.canvas.offsetTop;
    const left = Math.min(x + 14, box.width - 290);
    this.tip.style.left = `${Math.max(4, left)}px`;
    this.tip.style.top = `${Math.max(4, top + y + 14)}px`;
  }

  // --- for tests and the benchmark -------------------------------------------------------------

  positions() {
    const out = {};
    this.graph.forEachNode((id, a) => { out[id] = [a.x, a.y]; });
    return out;
  }

  screen(id) {
    const p = this.view.screen(id);
    if (!p) return null;
    const box = this.canvas.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  edgeScreen(id) {
    const p = this.view.edgeScreen(id);
    if (!p) return null;
    const box = this.canvas.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  drawn() {
    return this.items ? this.items.nodes.map((n) => ({ id: n.id, label: n.label, badge: n.badge })) : [];
  }
}

/** Mount (or update) the drawing in ``root`` with ``data``; ``host`` has
 *  ``setState(name, value)`` and ``trigger(name, value)``. Returns a cleanup function. */
export function mount(root, data, host) {
  let controller = instances.get(root);
  if (!controller) {
    controller = new Controller(root, host);
    instances.set(root, controller);
  }
  controller.host = host;
  controller.update(data);
  return () => {};
}

// --- the standalone page -----------------------------------------------------------------------

function matcher(query) {
  const words = foldWords(query).slice(0, 16);
  return (tokens) => words.every((w) => {
    const s = searchStem(w);
    return tokens.some((tok) => tok.startsWith(w) || searchStem(tok) === s);
  });
}

/** The exported page: header, search, drawing, legend and a details panel. */
export function mountPage(data) {
  const root = document.getElementById("kg-root");
  const details = document.getElementById("kg-details");
  const results = document.getElementById("kg-results");
  const input = document.getElementById("kg-search");
  const t = data.texts || {};
  const tokens = new Map(data.nodes.map((n) => [n.id, foldWords(`${n.title} ${n.text || ""} ${(n.tags || []).join(" ")}`)]));
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  let current = { ...data };
  const show = (id) => {
    const n = byId.get(id);
    details.replaceChildren();
    if (!n) return;
    details.appendChild(el("h2", "", n.title));
    const facts = [
      [t.kind, (data.labels.kind || {})[n.kind] || n.kind],
      [t.status, n.status ? (data.labels.status || {})[n.status] || n.status : ""],
      [t.handover, n.handover ? (data.labels.handover || {})[n.handover] || n.handover : ""],
      [t.cop, n.cop_title || ""],
      [t.register, n.register || ""],
    ];
    const list = el("dl");
    for (const [k, v] of facts) {
      if (!v) continue;
      list.append(el("dt", "", k), el("dd", "", v));
    }
    details.appendChild(list);
    if (n.text) details.appendChild(el("p", "kg-text", n.text));
    const links = el("ul", "kg-links");
    for (const e of data.edges) {
      if (e.s !== id && e.t !== id) continue;
      const other = byId.get(e.s === id ? e.t : e.s);
      if (!other) continue;
      const li = el("li");
      const b = el("button", "kg-link", `${e.s === id ? "→" : "←"} ${e.label || e.kind}: ${other.title}`);
      b.type = "button";
      b.addEventListener("click", () => select(other.id));
      li.appendChild(b);
      links.appendChild(li);
    }
    details.appendChild(links);
  };
  const host = {
    setState: (name, value) => {
      if (name === "selected") select(value);
    },
    trigger: (name, value) => {
      if (name === "refocus" || name === "add_focus") select(value, true);
    },
  };
  const select = (id, centre) => {
    current = { ...current, selected: id, v: `${data.v}:${id}:${(current.hits || []).join(",")}` };
    mount(root, current, host);
    show(id);
    if (centre) window.kgraphGraph.view.centre(id);
  };
  input.addEventListener("input", () => {
    const text = input.value.trim();
    results.replaceChildren();
    const hits = [];
    if (text) {
      const match = matcher(text);
      for (const n of data.nodes) if (match(tokens.get(n.id))) hits.push(n.id);
    }
    current = { ...current, hits, v: `${data.v}:${current.selected}:${hits.join(",")}` };
    mount(root, current, host);
    if (text) results.appendChild(el("div", "kg-count", (t.results || "{n}").replace("{n}", String(hits.length))));
    for (const id of hits.slice(0, 50)) {
      const n = byId.get(id);
      const row = el("button", "kg-row");
      row.type = "button";
      row.append(el("span", "kg-row-title", n.title), el("span", "kg-row-kind", (data.labels.kind || {})[n.kind] || n.kind));
      row.addEventListener("click", () => select(id, true));
      results.appendChild(row);
    }
  });
  mount(root, current, host);
}

export { searchStem, stem };
