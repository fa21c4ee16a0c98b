"""What a graph drawing shows, as plain data: one payload for the dashboard's component
and the standalone page, both drawn by the same JavaScript bundle
(``kgraph/ui/graph/assets/kgraph-graph.js``: sigma.js + graphology, vis-network where
WebGL is missing).

The payload carries user text only as JSON string values; the bundle puts them on the
canvas or in ``textContent``, never into HTML. Labels, legends and tooltips come in the
reader's language from the text catalogue and the model's labels::

    data = drawing_data(sub, lang="nl", focus=["cop:ethiek"], color_by="status")
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kgraph import texts
from kgraph.export import style
from kgraph.model import (
    EDGE_KINDS,
    HANDOVER_STATUSES,
    NODE_KINDS,
    QUESTION_STATUSES,
    Edge,
    Node,
)
from kgraph.store.values import Subgraph

#: what nodes can be coloured by (``cluster``: Louvain communities, found in the browser)
COLOR_BY = ("kind", "status", "handover", "degree", "cop", "register", "cluster")
#: what nodes can be sized by
SIZE_BY = ("degree", "uniform")
#: how a big view is grouped (``auto``: by hub above ``GROUP_THRESHOLD`` nodes)
GROUP_BY = ("auto", "none", "hubs", "clusters", "kinds")
#: a view with more nodes than this is grouped by hub unless a grouping is chosen
GROUP_THRESHOLD = 1500
#: the most nodes one drawing takes (the bundle stays smooth up to here)
MAX_DRAWN = 5000
#: how far a handover got, furthest first (what a node is coloured by for ``handover``)
HANDOVER_ORDER = ("accepted", "in_discussion", "proposed", "declined")
LABEL_MAX = 40
_EDGE_COLOURS = {
    "RAISED_IN": "#E69F00",
    "FEEDS": "#0072B2",
    "LANDS_IN": "#009E73",
    "PART_OF": "#7F7F7F",
    "CONTINUES_AS": "#CC79A7",
    "INVOLVES": "#B0B0B0",
    "RELATES_TO": "#56B4E9",
    "CONCERNS": "#D55E00",
}
_STATUS_COLOURS = {
    "open": "#E69F00",
    "in_progress": "#56B4E9",
    "answered": "#009E73",
    "parked": "#999999",
}
_TEXT_KEYS = (
    "legend",
    "edges",
    "kind",
    "status",
    "handover",
    "cop",
    "register",
    "degree",
    "cluster",
    "other",
    "none",
    "links",
    "fit",
    "fit_help",
    "rearrange",
    "rearrange_help",
    "fullscreen",
    "fullscreen_help",
    "arranging",
    "expand",
    "groups_note",
    "no_webgl",
    "results",
    "search",
)


@dataclass(frozen=True)
class DrawOptions:
    """How a view is drawn: colour, size, grouping, and what stands out."""

    color_by: str = "kind"
    size_by: str = "degree"
    group: str = "auto"
    focus: Sequence[str] = ()
    selected: str | None = None
    path: Sequence[str] = ()
    hits: Sequence[str] = ()
    expanded: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("color_by", self.color_by, COLOR_BY),
            ("size_by", self.size_by, SIZE_BY),
            ("group", self.group, GROUP_BY),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True)
class Layout:
    """Stored positions of a view: node id -> (x, y), and the nodes a person placed."""

    key: str = ""
    positions: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    pinned: Sequence[str] = ()


def short_label(title: str) -> str:
    """A node's label on the canvas: one line, at most ``LABEL_MAX`` characters."""
    title = " ".join(title.split())
    return title if len(title) <= LABEL_MAX else title[: LABEL_MAX - 1].rstrip() + "…"


def drawing_texts(lang: str) -> dict[str, str]:
    """The drawing's own words (``graph.<key>`` in the catalogue) in ``lang``."""
    return {key: texts.text(f"graph.{key}", lang) for key in _TEXT_KEYS}


def _labels(lang: str) -> dict[str, dict[str, str]]:
    return {
        "kind": {k: texts.kind_label(k, lang) for k in NODE_KINDS},
        "status": {s: texts.status_label(s, lang) for s in QUESTION_STATUSES},
        "handover": {s: texts.status_label(s, lang) for s in HANDOVER_STATUSES},
        "edge": {k: texts.edge_label(k, lang) for k in EDGE_KINDS},
        "color_by": {c: texts.text(f"graph.color_{c}", lang) for c in COLOR_BY},
    }


def _colours() -> dict[str, dict[str, str]]:
    return {
        "kind": dict(style.KIND_COLOURS),
        "status": dict(_STATUS_COLOURS),
        "handover": dict(style.HANDOVER_COLOURS),
    }


def furthest_handover(statuses: Sequence[str]) -> str | None:
    """The furthest of some handover statuses (``accepted`` beats ``in_discussion`` ...)."""
    for status in HANDOVER_ORDER:
        if status in statuses:
            return status
    return None


def edge_key(edge: Edge) -> str:
    """How the drawing names an edge when it is clicked: ``src|KIND|dst``."""
    return f"{edge.src}|{edge.kind}|{edge.dst}"


def parse_edge_key(value: str) -> tuple[str, str, str] | None:
    """``(src, kind, dst)`` of an ``edge_key``; ``None`` for anything else."""
    parts = str(value).split("|")
    if len(parts) != 3 or parts[1] not in EDGE_KINDS:
        return None
    return parts[0], parts[1], parts[2]


def _edge_label(edge: Edge, lang: str) -> str:
    label = texts.edge_label(edge.kind, lang)
    if edge.kind == "LANDS_IN":
        return f"{label}: {texts.status_label(edge.status or 'proposed', lang)}"
    return label


def _edge_colour(edge: Edge) -> str:
    if edge.kind == "LANDS_IN":
        return style.HANDOVER_COLOURS.get(edge.status or "proposed", _EDGE_COLOURS["LANDS_IN"])
    return _EDGE_COLOURS.get(edge.kind, style.EDGE_COLOUR)


def _node_row(
    node: Node,
    cop: str | None,
    cop_title: str | None,
    handover: str | None,
    layout: Layout,
    full: bool,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": node.id,
        "label": short_label(node.title),
        "title": node.title,
        "kind": node.kind,
        "status": node.status or "",
        "handover": handover or "",
        "cop": cop or "",
        "register": str(node.props.get("register") or ""),
    }
    if node.id in layout.positions:
        x, y = layout.positions[node.id]
        row["x"], row["y"] = float(x), float(y)
    if full:  # the standalone page shows details and searches without a store
        row["text"] = node.text[:1200]
        row["tags"] = list(node.tags)
        row["cop_title"] = cop_title or ""
    return row


def drawing_data(
    sub: Subgraph,
    *,
    lang: str = "nl",
    options: DrawOptions | None = None,
    layout: Layout | None = None,
    height: int = 640,
    renderer: str = "auto",
    relayout: int = 0,
    standalone: bool = False,
) -> dict[str, Any]:
    """The payload the drawing bundle takes for ``sub``.

    ``layout`` gives stored positions (nodes without one are placed by the browser, seeded
    from their id, then laid out with ForceAtlas2 and reported back); ``renderer`` is
    ``auto`` (sigma.js where WebGL works, vis-network otherwise) or ``vis``; ``relayout``
    changes when a person asks to lay the view out again; ``standalone`` adds what the
    exported page needs without a store (texts of nodes).
    """
    if lang not in texts.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    if renderer not in ("auto", "vis"):
        raise ValueError(f"renderer must be auto or vis, not {renderer!r}")
    options = options or DrawOptions()
    layout = layout or Layout()
    raised: dict[str, str] = {}
    lands: dict[str, list[str]] = {}
    for edge in sub.edges:
        if edge.kind == "RAISED_IN" and edge.dst in sub.nodes:
            current = raised.get(edge.src)
            # a question raised in several places is coloured by its first CoP/theme by id
            if current is None or edge.dst < current:
                raised[edge.src] = edge.dst
        elif edge.kind == "LANDS_IN":
            lands.setdefault(edge.src, []).append(edge.status or "proposed")
    nodes = []
    for node in sub.nodes.values():
        cop = raised.get(node.id)
        cop_title = sub.nodes[cop].title if cop else None
        nodes.append(
            _node_row(
                node,
                cop,
                cop_title,
                furthest_handover(lands.get(node.id, [])),
                layout,
                standalone,
            )
        )
    edges = []
    present: dict[str, None] = {}
    for number, edge in enumerate(sub.edges):
        if edge.src not in sub.nodes or edge.dst not in sub.nodes:
            continue
        present.setdefault(edge.kind, None)
        edges.append(
            {
                "id": f"e{number}",
                "s": edge.src,
                "t": edge.dst,
                "kind": edge.kind,
                "status": edge.status or "" if edge.kind == "LANDS_IN" else "",
                "label": _edge_label(edge, lang),
                "color": _edge_colour(edge),
                "size": 2 if edge.kind in ("LANDS_IN", "FEEDS") else 1,
                "key": edge_key(edge),
            }
        )
    labels = _labels(lang)
    # CoP values are node ids: name them by title for the legend
    labels["cop"] = {cop: sub.nodes[cop].title for cop in set(raised.values())}
    edge_legend = [
        {"colour": _EDGE_COLOURS[k], "label": labels["edge"][k], "width": 2}
        for k in EDGE_KINDS
        if k in present and k != "LANDS_IN"
    ]
    if "LANDS_IN" in present:
        edge_legend += [
            {
                "colour": style.HANDOVER_COLOURS[s],
                "label": f"{labels['edge']['LANDS_IN']}: {labels['handover'][s]}",
                "width": 3,
            }
            for s in HANDOVER_STATUSES
        ]
    data: dict[str, Any] = {
        "key": layout.key,
        "lang": lang,
        "renderer": renderer,
        "height": int(height),
        "nodes": nodes,
        "edges": edges,
        "focus": [i for i in options.focus if i in sub.nodes],
        "selected": options.selected if options.selected in sub.nodes else None,
        "path": [i for i in options.path if i in sub.nodes],
        "hits": [i for i in options.hits if i in sub.nodes],
        "expanded": list(options.expanded),
        "pinned": [i for i in layout.pinned if i in sub.nodes],
        "color_by": options.color_by,
        "size_by": options.size_by,
        "group": options.group,
        "group_threshold": GROUP_THRESHOLD,
        "relayout": relayout,
        "colors": _colours(),
        "labels": labels,
        "edge_legend": edge_legend,
        "texts": drawing_texts(lang),
    }
    # the bundle redraws only when this changes (Streamlit hands the same data on reruns)
    data["v"] = hashlib.sha1(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:16]
    return data
