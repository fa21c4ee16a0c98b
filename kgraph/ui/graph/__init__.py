"""The graph drawing as a Streamlit component (``st.components.v2``): clicks, double-clicks,
shift-clicks, edge clicks, the positions it laid out and the groups opened come back to
Python as component state.

Two registrations of the same bundle (``assets/kgraph-graph.js``, built by
``scripts/graph-bundle`` from ``js/graph``): ``kgraph_graph`` draws with sigma.js (WebGL),
``kgraph_graph_vis`` also carries vis-network (the copy pyvis ships) and draws with it.
The browser says when it has no WebGL (state ``webgl``: false); the page then mounts the
second, so a desktop without WebGL still gets the drawing, with the same events.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

#: the component's state and trigger names (what comes back from the browser)
STATES = ("selected", "edge", "layout", "expanded", "webgl")
TRIGGERS = ("refocus", "add_focus")

_MOUNT = """
export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  return KgraphGraph.mount(parentElement, data, { setState: setStateValue, trigger: setTriggerValue });
}
"""
# vis-network is a classic script: run it as one so it sets ``window.vis``, once
_LOAD_VIS = """
if (!globalThis.vis) {
  const script = document.createElement("script");
  script.textContent = %s;
  document.head.appendChild(script);
}
"""


@cache
def bundle() -> str:
    """The drawing's JavaScript (sigma.js, graphology, ForceAtlas2, Louvain, kgraph's code)."""
    return resources.files(__name__).joinpath("assets/kgraph-graph.js").read_text("utf-8")


@cache
def _components() -> tuple[Callable[..., Any], Callable[..., Any]]:
    from streamlit.components.v2 import component

    from kgraph.export.network import vis_assets

    main = component("kgraph_graph", js=bundle() + _MOUNT, isolate_styles=True)
    vis_js, _css = vis_assets()
    fallback = component(
        "kgraph_graph_vis",
        js=(_LOAD_VIS % json.dumps(vis_js)) + bundle() + _MOUNT,
        isolate_styles=True,
    )
    return main, fallback


def graph(
    data: dict[str, Any],
    *,
    key: str,
    vis: bool = False,
    on: dict[str, Callable[[], None]] | None = None,
) -> Any:
    """Mount the drawing of ``data`` (``kgraph.drawing.drawing_data``); ``vis`` draws with
    vis-network. ``on`` maps a state or trigger name (``STATES``, ``TRIGGERS``) to a
    callback that runs before the page reruns; it reads the value with ``value(key, name)``.
    Returns the component result."""
    main, fallback = _components()
    mount = fallback if vis else main
    handlers = on or {}
    callbacks = {f"on_{name}_change": handlers.get(name, _ignore) for name in (*STATES, *TRIGGERS)}
    return mount(data=data, key=key, width="stretch", height="content", **callbacks)


def value(key: str, name: str) -> Any:
    """What the drawing mounted under ``key`` last sent as ``name`` (``None`` if nothing)."""
    import streamlit as st

    current = st.session_state.get(key)
    if current is None:
        return None
    try:
        return current[name]
    except (KeyError, TypeError):
        return getattr(current, name, None)


def _ignore() -> None:
    return None
