"""The graph drawing as a Streamlit component (``st.components.v2``): clicks, double-clicks,
shift-clicks, edge clicks, the positions it laid out and the groups opened come back to
Python as component state.

One component, ``kgraph_graph``, runs the bundle (``assets/kgraph-graph.js``, built by
``scripts/graph-bundle`` from ``js/graph``) and draws with sigma.js (WebGL). The browser
says when it has no WebGL (state ``webgl``: false); the page then mounts it again with
``vis=True``, which hands vis-network (the copy pyvis ships) along with the data, and the
same component draws with it: a desktop without WebGL still gets the drawing, with the
same events, and only such a desktop loads vis-network.
"""

from __future__ import annotations

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


@cache
def bundle() -> str:
    """The drawing's JavaScript (sigma.js, graphology, ForceAtlas2, Louvain, kgraph's code)."""
    return resources.files(__name__).joinpath("assets/kgraph-graph.js").read_text("utf-8")


@cache
def _component() -> Callable[..., Any]:
    from streamlit.components.v2 import component

    return component("kgraph_graph", js=bundle() + _MOUNT, isolate_styles=True)


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
    if vis:
        from kgraph.export.network import vis_assets

        data = {**data, "renderer": "vis", "vis_code": vis_assets()[0]}
    handlers = on or {}
    callbacks = {f"on_{name}_change": handlers.get(name, _ignore) for name in (*STATES, *TRIGGERS)}
    return _component()(data=data, key=key, width="stretch", height="content", **callbacks)


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
