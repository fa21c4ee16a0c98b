// Two renderers behind one interface: sigma.js (WebGL) and vis-network (canvas, the copy
// pyvis bundles) where WebGL is missing. Both take the display items of model.js and call
// the same handlers: clickNode(id, shift), doubleClickNode(id), clickEdge(id),
// hover(id | null, x, y), dragEnd(id, x, y).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowProgram, EdgeLineProgram } from "sigma/rendering";

/** Whether this browser can draw with WebGL (sigma needs it). */
export function webglAvailable() {
  try {
    const canvas = document.createElement("canvas");
    return !!(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch (e) {
    return false;
  }
}

// Labels placed in this frame: a label that would cover one is left out (it shows on
// hover, or when zooming in makes room). Sigma draws the biggest nodes' labels first.
let placed = [];

function resetLabels() {
  placed = [];
}

// A label never runs off the canvas: it goes left of its node near the right edge.
function drawLabel(context, data, settings, always = false) {
  if (!data.label) return;
  const size = settings.labelSize;
  context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
  const width = context.measureText(data.label).width;
  const ratio = window.devicePixelRatio || 1;
  const right = context.canvas.width / ratio - 4;
  let x = data.x + data.size + 3;
  if (x + width > right) x = Math.max(2, data.x - data.size - 3 - width);
  const box = [x - 2, data.y - size / 2 - 3, x + width + 2, data.y + size / 2 + 2];
  if (!always) {
    if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) return;
    placed.push(box);
  }
  context.fillStyle = "rgba(255,255,255,0.75)";
  context.fillRect(x - 2, data.y - size / 2 - 3, width + 4, size + 5);
  context.fillStyle = "#1f1f1f";
  context.fillText(data.label, x, data.y + size / 3);
}

function drawHover(context, data, settings) {
  context.beginPath();
  context.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
  context.lineWidth = 3;
  context.strokeStyle = "#111111";
  context.stroke();
  drawLabel(context, data, settings, true);
}

export class SigmaView {
  constructor(container, handlers) {
    this.name = "sigma";
    this.handlers = handlers;
    this.graph = new Graph({ type: "directed", multi: true, allowSelfLoops: true });
    this.renderer = new Sigma(this.graph, container, {
      renderEdgeLabels: true,
      enableEdgeEvents: true,
      defaultEdgeType: "arrow",
      edgeProgramClasses: { arrow: EdgeArrowProgram, line: EdgeLineProgram },
      labelDensity: 0.6,
      labelGridCellSize: 140,
      labelRenderedSizeThreshold: 7,
      labelSize: 13,
      labelFont: "system-ui, sans-serif",
      edgeLabelSize: 11,
      edgeLabelColor: { attribute: "labelColor" },
      defaultDrawNodeLabel: drawLabel,
      defaultDrawNodeHover: drawHover,
      stagePadding: 40,
      zIndex: true,
      hideEdgesOnMove: false,
    });
    this.dragging = null;
    this.moved = false;
    const r = this.renderer;
    r.on("beforeRender", resetLabels);
    r.on("clickNode", ({ node, event }) => {
      if (this.moved) return;
      handlers.clickNode(node, !!(event.original && event.original.shiftKey));
    });
    r.on("doubleClickNode", ({ node, event }) => {
      event.preventSigmaDefault();
      handlers.doubleClickNode(node);
    });
    r.on("clickEdge", ({ edge }) => handlers.clickEdge(edge));
    r.on("clickStage", () => handlers.clickStage && handlers.clickStage());
    r.on("enterNode", ({ node, event }) => handlers.hover(node, event.x, event.y));
    r.on("leaveNode", () => handlers.hover(null, 0, 0));
    r.on("downNode", ({ node, event }) => {
      if (String(node).startsWith("group:")) return;
      this.dragging = node;
      this.moved = false;
      event.preventSigmaDefault();
    });
    const captor = r.getMouseCaptor();
    captor.on("mousemovebody", (event) => {
      if (!this.dragging) return;
      const p = r.viewportToGraph(event);
      this.graph.mergeNodeAttributes(this.dragging, { x: p.x, y: p.y });
      this.moved = true;
      event.preventSigmaDefault();
      event.original.preventDefault();
      event.original.stopPropagation();
    });
    captor.on("mouseup", () => {
      if (this.dragging && this.moved) {
        const a = this.graph.getNodeAttributes(this.dragging);
        handlers.dragEnd(this.dragging, a.x, a.y);
      }
      this.dragging = null;
      setTimeout(() => { this.moved = false; }, 0);
    });
    this.firstDraw = new Promise((resolve) => r.once("afterRender", resolve));
  }

  show(items) {
    const g = this.graph;
    g.clear();
    for (const n of items.nodes) {
      g.addNode(n.id, {
        x: n.x, y: n.y, size: n.size, color: n.color, label: n.label,
        highlighted: n.highlighted, forceLabel: n.forceLabel,
        zIndex: n.highlighted ? 2 : n.badge ? 1 : 0,
      });
    }
    for (const e of items.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target)) continue;
      g.addDirectedEdgeWithKey(e.id, e.source, e.target, {
        color: e.color, size: e.size, label: e.label, labelColor: e.color,
        type: e.kind ? "arrow" : "line", zIndex: e.size > 2 ? 1 : 0,
      });
    }
    this.renderer.refresh();
  }

  move(positions) {
    this.graph.updateEachNodeAttributes((id, a) => {
      const p = positions[id];
      return p ? { ...a, x: p[0], y: p[1] } : a;
    });
  }

  centre(id) {
    if (!this.graph.hasNode(id)) return;
    const d = this.renderer.getNodeDisplayData(id);
    if (d) this.renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.5 }, { duration: 400 });
  }

  fit() {
    this.renderer.getCamera().animatedReset({ duration: 300 });
  }

  screen(id) {
    const d = this.graph.hasNode(id) && this.renderer.getNodeDisplayData(id);
    if (!d) return null;
    const p = this.renderer.framedGraphToViewport(d);
    return { x: p.x, y: p.y };
  }

  edgeScreen(id) {
    if (!this.graph.hasEdge(id)) return null;
    const a = this.screen(this.graph.source(id));
    const b = this.screen(this.graph.target(id));
    return a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : null;
  }

  resize() {
    this.renderer.resize();
    this.renderer.refresh();
  }

  destroy() {
    this.renderer.kill();
  }
}

export class VisView {
  constructor(container, handlers) {
    this.name = "vis";
    const vis = globalThis.vis;
    this.nodes = new vis.DataSet([]);
    this.edges = new vis.DataSet([]);
    this.scale = 1;
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, {
      physics: false,
      interaction: { hover: true, tooltipDelay: 3600000, multiselect: false },
      edges: { smooth: false, font: { size: 11, align: "middle", strokeWidth: 3 } },
      nodes: { shape: "dot", font: { size: 13, strokeWidth: 3, strokeColor: "#ffffff" } },
    });
    const n = this.network;
    n.on("click", (p) => {
      if (p.nodes.length) handlers.clickNode(p.nodes[0], !!(p.event && p.event.srcEvent && p.event.srcEvent.shiftKey));
      else if (p.edges.length) handlers.clickEdge(p.edges[0]);
      else if (handlers.clickStage) handlers.clickStage();
    });
    n.on("doubleClick", (p) => { if (p.nodes.length) handlers.doubleClickNode(p.nodes[0]); });
    n.on("hoverNode", (p) => handlers.hover(p.node, p.pointer.DOM.x, p.pointer.DOM.y));
    n.on("blurNode", () => handlers.hover(null, 0, 0));
    n.on("dragEnd", (p) => {
      for (const id of p.nodes) {
        if (String(id).startsWith("group:")) continue;
        const pos = n.getPosition(id);
        handlers.dragEnd(id, pos.x / this.scale, -pos.y / this.scale);
      }
    });
    this.firstDraw = new Promise((resolve) => n.once("afterDrawing", resolve));
  }

  show(items) {
    // graph coordinates are scaled so a typical view spans about as many pixels as sigma shows
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (const n of items.nodes) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    }
    const extent = Math.max(1e-9, maxX - minX, maxY - minY);
    this.scale = (120 * Math.sqrt(items.nodes.length + 1)) / extent;
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(items.nodes.map((n) => ({
      id: n.id, label: n.label, x: n.x * this.scale, y: -n.y * this.scale, size: n.size,
      color: { background: n.color, border: n.highlighted ? "#111111" : n.color },
      borderWidth: n.highlighted ? 4 : 1,
    })));
    this.edges.add(items.edges.map((e) => ({
      id: e.id, from: e.source, to: e.target, arrows: e.kind ? "to" : "",
      color: { color: e.color }, width: e.size,
      label: e.attrs && e.attrs.status ? e.label : undefined,
    })));
    this.network.fit({ animation: false });
  }

  move(positions) {
    this.nodes.update(Object.entries(positions).filter(([id]) => this.nodes.get(id)).map(([id, p]) => ({ id, x: p[0] * this.scale, y: -p[1] * this.scale })));
  }

  centre(id) {
    if (this.nodes.get(id)) this.network.focus(id, { scale: 1.0, animation: { duration: 300 } });
  }

  fit() {
    this.network.fit({ animation: { duration: 300 } });
  }

  screen(id) {
    if (!this.nodes.get(id)) return null;
    return this.network.canvasToDOM(this.network.getPosition(id));
  }

  edgeScreen(id) {
    const e = this.edges.get(id);
    if (!e) return null;
    const a = this.screen(e.from);
    const b = this.screen(e.to);
    return a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : null;
  }

  resize() {
    this.network.redraw();
  }

  destroy() {
    this.network.destroy();
  }
}
