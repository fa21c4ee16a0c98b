"""A standalone interactive web page of a subgraph (works offline; see ``network``)."""

from __future__ import annotations

from kgraph.export.fileio import PathOrFile, binary_out
from kgraph.export.network import PageMeta, render_network
from kgraph.store.base import Subgraph


def write(
    sub: Subgraph, out: PathOrFile, *, lang: str = "nl", meta: PageMeta | None = None
) -> None:
    """Write the page for ``sub`` (UTF-8) to a path or binary file; ``meta`` fills its
    header (title, source store, date, focus and filters)."""
    with binary_out(out) as handle:
        page = render_network(sub, lang=lang, meta=meta)
        handle.write(page.encode("utf-8"))
