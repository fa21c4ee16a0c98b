"""CSV: a zip of ``nodes.csv`` and ``edges.csv`` (UTF-8 with BOM, so Excel reads the
accents; comma-separated; every cell formula-neutralised).

The columns are described in ``kgraph.export.tabular``. CSV holds any text, so reading
the zip back gives exactly the exported graph.
"""

from __future__ import annotations

import csv
import io
import zipfile

from kgraph.errors import InputError
from kgraph.export.fileio import PathOrFile, binary_in, binary_out, display_name
from kgraph.export.rawgraph import RawGraph, to_subgraph
from kgraph.export.safe import neutralise_cell, restore_cell
from kgraph.export.tabular import edge_table, node_table, rows_to_raw
from kgraph.export.ziplimits import check_zip
from kgraph.store.base import Subgraph


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write(sub: Subgraph, out: PathOrFile) -> None:
    """Write ``sub`` as a zip of nodes.csv and edges.csv to a path or binary file."""
    nodes = node_table(sub.nodes.values())
    edges = edge_table(sub.edges)
    with (
        binary_out(out) as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("nodes.csv", _csv_bytes(*nodes))
        archive.writestr("edges.csv", _csv_bytes(*edges))


def _csv_rows(data: bytes, where: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8: {exc}") from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [], []
    return rows[0], [[restore_cell(c) for c in row] for row in rows[1:] if row]


def read_raw(src: PathOrFile) -> RawGraph:
    """Parse a zip kgraph wrote into nodes and edges."""
    name = display_name(src)
    with binary_in(src) as handle:
        check_zip(handle, name)
        try:
            with zipfile.ZipFile(handle) as archive:
                members = set(archive.namelist())
                for member in ("nodes.csv", "edges.csv"):
                    if member not in members:
                        raise InputError(f"{name}: no {member} in the zip")
                nodes = archive.read("nodes.csv")
                edges = archive.read("edges.csv")
        except zipfile.BadZipFile as exc:
            raise InputError(f"{name}: not a zip file: {exc}") from exc
    return rows_to_raw(
        name,
        _csv_rows(nodes, f"{name}/nodes.csv"),
        _csv_rows(edges, f"{name}/edges.csv"),
        f"{name}/nodes.csv",
        f"{name}/edges.csv",
    )


def read(src: PathOrFile) -> Subgraph:
    """A zip kgraph wrote, back as the subgraph it came from."""
    return to_subgraph(read_raw(src))
