"""The standalone interactive page (``kgraph export html``): the dashboard's drawing (the
same bundle and payload, ``kgraph.drawing``) with a header (title, "stand per" date,
source store, focus and filters), a search box with a list of hits, the legend and a
details panel, in one file.

The page works offline: the bundle and vis-network (the copy pyvis ships, the fallback
where WebGL is missing) are inlined, a Content-Security-Policy forbids loading anything
(the layout's web worker runs from a ``blob:`` made in the page), and no
``http://``/``https://`` address appears in it. User text only travels as escaped JSON
inside ``<script type="application/json">`` (``safe.script_json``) and reaches the page
through ``textContent`` and canvas labels, never as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from kgraph import texts
from kgraph.export.safe import escape_html, script_json
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


@dataclass(frozen=True)
class PageMeta:
    """What the page's header says: a title, the source store, the date the data stands
    at (``stand per``), and the view's focus and filters as sentences."""

    title: str = ""
    store: str = ""
    stamp: date | None = None
    focus: Sequence[str] = ()
    filters: str = ""


_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; worker-src blob:"
)

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; color: #1f1f1f; }
body { display: flex; flex-direction: column; }
#kg-head { padding: 10px 16px 8px; border-bottom: 1px solid #e3e3e8; display: flex; gap: 16px; align-items: flex-end; flex-wrap: wrap; }
#kg-head h1 { font-size: 20px; margin: 0 0 2px; }
#kg-head .meta { margin: 0; color: #555; }
#kg-head .grow { flex: 1 1 420px; min-width: 0; }
#kg-search { font: inherit; padding: 6px 10px; width: 280px; border: 1px solid #c9c9d1; border-radius: 5px; }
main { flex: 1; display: flex; min-height: 0; }
#kg-root { flex: 1; min-width: 0; padding: 8px; }
#kg-root .kg-wrap { height: 100%; }
aside { width: 340px; overflow: auto; border-left: 1px solid #e3e3e8; padding: 8px 12px; }
aside h2 { font-size: 16px; margin: 8px 0; }
aside dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; }
aside dt { color: #555; }
aside dd { margin: 0; }
.kg-text { white-space: pre-wrap; }
.kg-links { list-style: none; padding: 0; margin: 0; }
.kg-link, .kg-row { font: inherit; text-align: left; background: none; border: 0; border-bottom: 1px solid #eee; padding: 4px 2px; width: 100%; cursor: pointer; display: flex; justify-content: space-between; gap: 8px; }
.kg-link:hover, .kg-row:hover, .kg-row:focus-visible { background: #f3f3f6; }
.kg-row-kind { color: #555; white-space: nowrap; }
.kg-count { color: #555; margin: 4px 0; }
"""


def _header(meta: PageMeta, lang: str, nodes: int) -> str:
    title = meta.title or _text("title_default", lang)
    parts = [_text("stamp", lang, date=(meta.stamp or date.today()).strftime("%d-%m-%Y"))]
    if meta.store:
        parts.append(_text("source", lang, store=meta.store))
    if meta.focus:
        parts.append(_text("focus", lang, focus=", ".join(meta.focus)))
    if meta.filters:
        parts.append(meta.filters)
    parts.append(_text("size", lang, nodes=nodes))
    line = " · ".join(escape_html(p) for p in parts)
    return (
        f'<header id="kg-head"><div class="grow"><h1>{escape_html(title)}</h1>'
        f'<p class="meta">{line}</p></div>'
        f'<input id="kg-search" type="search" aria-label="{escape_html(_text("search", lang))}" '
        f'placeholder="{escape_html(_text("search", lang))}"></header>'
    )


def render_network(
    sub: Subgraph,
    *,
    lang: str = "nl",
    highlight: Sequence[str] = (),
    selected: str | None = None,
    height: str = "100%",
    meta: PageMeta | None = None,
) -> str:
    """A full standalone HTML page drawing ``sub`` (the caller caps its size).

    ``lang`` is ``nl`` or ``en``; ``highlight`` lists node ids to emphasise (a path: the
    edges between them are emphasised too); ``selected`` is selected; ``height`` is a CSS
    length for the drawing (it fills the window below the header by default).
    """
    from kgraph.drawing import DrawOptions, drawing_data
    from kgraph.ui.graph import bundle

    if lang not in texts.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length like 650px or 80vh, not {height!r}")
    meta = meta or PageMeta()
    js, _css = vis_assets()
    options = DrawOptions(focus=sub.focus, selected=selected, path=tuple(highlight))
    data = drawing_data(sub, lang=lang, options=options, height=0, standalone=True)
    code = bundle()
    if "</script" in code.lower() or "<!--" in code or "://" in code:
        raise RuntimeError("the drawing bundle cannot be inlined safely")
    title = meta.title or _text("title_default", lang)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)} – kgraph</title>\n"
        f"<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        f"{_header(meta, lang, len(sub.nodes))}\n"
        f'<main><div id="kg-root" style="height:{height}"></div>'
        '<aside><div id="kg-results"></div><div id="kg-details"></div></aside></main>\n'
        f"<script>\n{js}\n</script>\n"
        f"<script>\n{code}\n</script>\n"
        f'<script type="application/json" id="kgraph-data">{script_json(data)}</script>\n'
        "<script>KgraphGraph.mountPage("
        'JSON.parse(document.getElementById("kgraph-data").textContent));</script>\n'
        "</body>\n</html>\n"
    )
