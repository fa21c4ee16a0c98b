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

from kgraph.errors import ValidationError
from kgraph.export import csvzip, cypher, gexf, graphml, html, jsongraph, xlsx
from kgraph.export.fileio import PathOrFile
from kgraph.export.network import render_network
from kgraph.export.report import handover_report
from kgraph.export.select import select
from kgraph.store.base import Subgraph


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, file extension (with dot), MIME type and writer."""

    name: str
    extension: str
    mime: str
    description: str
    write: Callable[[Subgraph, PathOrFile], None]


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "graphml",
            ".graphml",
            "application/graphml+xml",
            "GraphML for yEd and Cytoscape",
            graphml.write,
        ),
        ExportFormat("gexf", ".gexf", "application/gexf+xml", "GEXF for Gephi", gexf.write),
        ExportFormat(
            "json", ".json", "application/json", "networkx node-link JSON", jsongraph.write
        ),
        ExportFormat(
            "csv", ".zip", "application/zip", "zip of nodes.csv and edges.csv", csvzip.write
        ),
        ExportFormat(
            "xlsx",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel workbook: Nodes, Edges, a sheet per kind",
            xlsx.write,
        ),
        ExportFormat(
            "cypher", ".cypher", "text/plain", "Cypher script (MERGE) for Neo4j", cypher.write
        ),
        ExportFormat("html", ".html", "text/html", "standalone interactive web page", html.write),
    )
}


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; ``ValidationError`` listing the formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValidationError(
            f"unknown export format {name!r}; use one of {', '.join(FORMATS)}"
        ) from None


def export_bytes(sub: Subgraph, fmt: str) -> bytes:
    """The export of ``sub`` in format ``fmt`` as bytes."""
    buffer = io.BytesIO()
    get_format(fmt).write(sub, buffer)
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
