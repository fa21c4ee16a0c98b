"""Exports of any subgraph to the tools analysts use, one module per format.

``FORMATS`` maps a format name to its file extension, MIME type and ``write(sub, out)``
(``out`` a path or a binary file); ``export_bytes(sub, name)`` gives the file as bytes
(the dashboard's download buttons). Formats that can be read back have a ``read`` in their
module: ``graphml``, ``gexf``, ``jsongraph``, ``csvzip``, ``xlsx``. The handover report is
in ``kgraph.export.report``; the interactive network page in ``kgraph.export.network``.

What each format keeps of user text: JSON, CSV, XLSX and Cypher keep every character;
GraphML and GEXF drop the characters XML 1.0 cannot hold (C0 controls other than tab,
newline and CR; U+FFFE, U+FFFF) and keep everything else exactly.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from kgraph.errors import ValidationError
from kgraph.export.fileio import PathOrFile
from kgraph.store.base import Subgraph

if TYPE_CHECKING:
    from kgraph.export.network import render_network
    from kgraph.export.report import handover_report
    from kgraph.export.select import select


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, file extension (with dot), MIME type and writer (the
    ``write`` of module ``kgraph.export.<module>``, imported on first use: a format's
    libraries are loaded only when something is written in it)."""

    name: str
    extension: str
    mime: str
    description: str
    module: str
    #: ``write`` takes ``lang=``: headers and labels in the reader's language
    translated: bool = False

    @property
    def write(self) -> Callable[[Subgraph, PathOrFile], None]:
        writer: Callable[[Subgraph, PathOrFile], None] = import_module(
            f"kgraph.export.{self.module}"
        ).write
        return writer


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "graphml",
            ".graphml",
            "application/graphml+xml",
            "GraphML for yEd and Cytoscape",
            "graphml",
        ),
        ExportFormat("gexf", ".gexf", "application/gexf+xml", "GEXF for Gephi", "gexf"),
        ExportFormat("json", ".json", "application/json", "networkx node-link JSON", "jsongraph"),
        ExportFormat("csv", ".zip", "application/zip", "zip of nodes.csv and edges.csv", "csvzip"),
        ExportFormat(
            "xlsx",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel workbook: Nodes, Edges, a sheet per kind",
            "xlsx",
            translated=True,
        ),
        ExportFormat(
            "cypher", ".cypher", "text/plain", "Cypher script (MERGE) for Neo4j", "cypher"
        ),
        ExportFormat("html", ".html", "text/html", "standalone interactive web page", "html"),
    )
}

#: names re-exported from the format modules, imported on first use (PEP 562)
_LAZY = {
    "render_network": "network",
    "handover_report": "report",
    "select": "select",
}
_MODULES = frozenset(
    {
        "csvzip",
        "cypher",
        "gexf",
        "graphml",
        "html",
        "jsongraph",
        "xlsx",
        "network",
        "report",
        "select",
        "rawgraph",
        "tabular",
        "safe",
        "markdown",
        "style",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f"kgraph.export.{_LAZY[name]}"), name)
    elif name in _MODULES:
        value = import_module(f"kgraph.export.{name}")
    else:
        raise AttributeError(f"module 'kgraph.export' has no attribute {name!r}")
    globals()[name] = value
    return value


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; ``ValidationError`` listing the formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValidationError(
            f"unknown export format {name!r}; use one of {', '.join(FORMATS)}"
        ) from None


def export_bytes(sub: Subgraph, fmt: str, *, lang: str | None = None) -> bytes:
    """The export of ``sub`` in format ``fmt`` as bytes; ``lang`` (``nl``/``en``) for a
    format whose headers and labels are in a language (xlsx)."""
    buffer = io.BytesIO()
    chosen = get_format(fmt)
    if lang and chosen.translated:
        chosen.write(sub, buffer, lang=lang)  # type: ignore[call-arg]
    else:
        chosen.write(sub, buffer)
    return buffer.getvalue()


__all__ = [
    "FORMATS",
    "ExportFormat",
    "export_bytes",
    "get_format",
    "handover_report",
    "render_network",
    "select",
]
