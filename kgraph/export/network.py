"""One renderer for the interactive network: the html export and the dashboard's
Verkennen page both call ``render_network``.

The page is standalone and works offline: vis-network's JS and CSS (the copy bundled in the
``pyvis`` package) are inlined, a Content-Security-Policy forbids loading anything, and no
``http://``/``https://`` address appears in the page. User text only travels as escaped
JSON inside ``<script type="application/json">`` (see ``safe.script_json``) and reaches the
page through ``textContent`` and canvas labels, never as HTML: tooltips are DOM elements
built with ``textContent`` (pyvis's own template sets ``innerHTML`` for titles containing
"href", so it is not used).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from kgraph import texts
from kgraph.export import style
from kgraph.export.safe import escape_html, script_json
from kgraph.model import EDGE_LABELS, NODE_KINDS, NODE_LABELS, STATUS_LABELS
from kgraph.store.base import Subgraph

VIS_VERSION = "9.1.2"
_LABEL_MAX = 40
_HEIGHT = re.compile(r"^\d{1,5}(px|vh|%)$")


def _text(key: str, lang: str, **params: object) -> str:
    """The page's own words, from the text catalogue (``network.<key>``)."""
    return texts.text(f"network.{key}", lang, **params)


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled by pyvis, made inert for inlining.

    ``http://``/``https://`` in the minified code (licence comments, the SVG namespace
    string) are written as ``http:\\/\\/``, which means the same inside JS strings and
    comments, so the page contains no web address at all.
    """
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pyvis package (which bundles vis-network) is not installed")
    base = Path(next(iter(spec.submodule_search_locations)))
    folder = next(
        (
            p
            for p in (
                base / "lib" / f"vis-{VIS_VERSION}",
                base / "templates" / "lib" / f"vis-{VIS_VERSION}",
            )
            if p.is_dir()
        ),
        None,
    )
    if folder is None:
        raise RuntimeError(f"vis-network {VIS_VERSION} not found in the pyvis package at {base}")
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    js = js.replace("https://", "https:\\/\\/").replace("http://", "http:\\/\\/")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower() or "://" in css:
        raise RuntimeError("the bundled vis-network cannot be inlined safely")
    return js, css


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= _LABEL_MAX else title[: _LABEL_MAX - 1].rstrip() + "…"


def _label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table.get(key, {}).get(lang, key)


def network_data(
    sub: Subgraph, *, lang: str = "nl", highlight: Sequence[str] = (), selected: str | None = None
) -> dict[str, Any]:
    """What the page draws: vis-network node and edge options plus tooltip lines."""
    marked = set(highlight)
    nodes = []
    for node in sub.nodes.values():
        tip = [node.title, f"{_text('kind', lang)}: {_label(NODE_LABELS, node.kind, lang)}"]
        if node.status:
            tip.append(f"{_text('status', lang)}: {_label(STATUS_LABELS, node.status, lang)}")
        tip.append(node.id)
        colour = style.kind_colour(node.kind)
        on = node.id in marked
        nodes.append(
            {
                "id": node.id,
                "label": _short(node.title),
                "shape": style.VIS_SHAPES.get(node.kind, "dot"),
                "color": {"background": colour, "border": "#222222" if on else colour},
                "borderWidth": 4 if on else 1,
                "size": 22 if on or node.id == selected else 14,
                "tip": tip,
            }
        )
    edges = []
    for number, edge in enumerate(sub.edges):
        status = edge.status if edge.kind == "LANDS_IN" else None
        kind_label = _label(EDGE_LABELS, edge.kind, lang)
        tip = [kind_label]
        item: dict[str, Any] = {
            "id": f"e{number}",
            "from": edge.src,
            "to": edge.dst,
            "arrows": "to",
            "color": {"color": style.edge_colour(edge.kind, status)},
            "width": 1,
        }
        if status:
            status_label = _label(STATUS_LABELS, status, lang)
            item["label"] = status_label
            item["dashes"] = style.HANDOVER_DASHED.get(status, False)
            item["width"] = 2
            tip.append(f"{_text('status', lang)}: {status_label}")
            for key in ("decided_on", "decided_by", "note"):
                if edge.props.get(key):
                    tip.append(f"{key.replace('_', ' ')}: {edge.props[key]}")
        if edge.src in marked and edge.dst in marked:
            item["width"] = 5
            item["color"] = {"color": "#222222"}
        item["tip"] = tip
        edges.append(item)
    return {"nodes": nodes, "edges": edges, "selected": selected if selected in sub.nodes else None}


def _legend(sub: Subgraph, lang: str) -> str:
    present = {n.kind for n in sub.nodes.values()}
    items = []
    for kind in NODE_KINDS:
        if kind in present:
            items.append(
                f'<li><span class="swatch" style="background:{style.kind_colour(kind)}"></span>'
                f"{escape_html(_label(NODE_LABELS, kind, lang))}</li>"
            )
    handover = []
    for status, colour in style.HANDOVER_COLOURS.items():
        line = "dashed" if style.HANDOVER_DASHED.get(status) else "solid"
        handover.append(
            f'<li><span class="line" style="border-top:3px {line} {colour}"></span>'
            f"{escape_html(_label(STATUS_LABELS, status, lang))}</li>"
        )
    note = ""
    if sub.truncated:
        note = f'<p class="note">{escape_html(_text("truncated", lang, cap=sub.cap or len(sub.nodes)))}</p>'
    if not sub.nodes:
        note += f'<p class="note">{escape_html(_text("empty", lang))}</p>'
    return (
        f'<div id="legend"><strong>{escape_html(_text("legend", lang))}</strong><ul>{"".join(items)}</ul>'
        f"<strong>{escape_html(_text('handover', lang))}</strong><ul>{''.join(handover)}</ul>{note}</div>"
    )


_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'"
)

_PAGE_CSS = """
body { margin: 0; font-family: system-ui, sans-serif; font-size: 14px; }
#wrap { display: flex; }
#network { flex: 1; border: 1px solid #ddd; }
#legend { width: 210px; padding: 8px 12px; }
#legend ul { list-style: none; padding: 0; margin: 4px 0 12px; }
#legend li { margin: 3px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; border-radius: 2px; }
.line { display: inline-block; width: 24px; margin: 0 6px 3px 0; }
.note { color: #8a4b00; }
.vis-tooltip { max-width: 360px; white-space: normal; }
.vis-tooltip .tip-title { font-weight: bold; }
"""

_PAGE_JS = """
(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("kgraph-data").textContent);
  function tip(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line, i) {
      var row = document.createElement("div");
      if (i === 0) { row.className = "tip-title"; }
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  function withTip(item) {
    var copy = Object.assign({}, item);
    copy.title = tip(item.tip);
    delete copy.tip;
    return copy;
  }
  var nodes = new vis.DataSet(raw.nodes.map(withTip));
  var edges = new vis.DataSet(raw.edges.map(withTip));
  var options = {
    physics: {
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -8000, springLength: 140, damping: 0.4 },
      stabilization: { enabled: true, iterations: 150, updateInterval: 25, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false },
    edges: { smooth: { type: "continuous" }, font: { size: 11, align: "middle" } },
    nodes: { font: { size: 13 } }
  };
  var network = new vis.Network(document.getElementById("network"),
                                { nodes: nodes, edges: edges }, options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    document.body.setAttribute("data-stabilized", "true");
  });
  if (raw.selected) {
    network.selectNodes([raw.selected]);
    network.once("stabilizationIterationsDone", function () {
      network.focus(raw.selected, { scale: 1.0, animation: false });
    });
  }
  window.kgraphNetwork = network;
})();
"""


def render_network(
    sub: Subgraph,
    *,
    lang: str = "nl",
    highlight: Sequence[str] = (),
    selected: str | None = None,
    height: str = "650px",
) -> str:
    """A full standalone HTML page drawing ``sub`` (the caller caps its size).

    ``lang`` is ``nl`` or ``en``; ``highlight`` lists node ids to emphasise (a path: the
    edges between them are emphasised too); ``selected`` is selected and centred;
    ``height`` is a CSS length such as ``650px`` or ``80vh``.
    """
    if lang not in texts.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length like 650px or 80vh, not {height!r}")
    js, css = vis_assets()
    data = network_data(sub, lang=lang, highlight=highlight, selected=selected)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>kgraph</title>\n"
        f"<style>\n{css}\n</style>\n<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        f'<div id="wrap"><div id="network" style="height:{height}"></div>{_legend(sub, lang)}</div>\n'
        f"<script>\n{js}\n</script>\n"
        f'<script type="application/json" id="kgraph-data">{script_json(data)}</script>\n'
        f"<script>{_PAGE_JS}</script>\n"
        "</body>\n</html>\n"
    )
