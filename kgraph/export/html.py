"""A standalone interactive web page of a subgraph (works offline; see ``network``)."""

from __future__ import annotations

from kgraph.export.fileio import PathOrFile, binary_out
from kgraph.export.network import render_network
from kgraph.store.base import Subgraph


def write(sub: Subgraph, out: PathOrFile, *, lang: str = "nl") -> None:
    """Write the page for ``sub`` (UTF-8) to a path or binary file."""
    with binary_out(out) as handle:
        handle.write(render_network(sub, lang=lang, highlight=sub.focus).encode("utf-8"))
