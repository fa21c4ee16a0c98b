"""Writing an import with progress: the same all-or-nothing write as ``apply_batch``, cut
into steps so a progress bar (the CLI's click bar, the Importeren page's ``st.progress``)
can move while one transaction holds them all. (A re-import of a newer version, with its
updates and deletions, reports progress the same way: ``reimport.apply_comparison``.)
"""

from __future__ import annotations

from collections.abc import Callable

from kgraph.importers.base import ImportBatch, ImportResult, id_clashes
from kgraph.store.base import GraphStore

#: progress(done, total) in chunks written
Progress = Callable[[int, int], None]
CHUNK = 500


def chunks(batch: ImportBatch, size: int = CHUNK) -> list[ImportBatch]:
    """``batch`` as parts of at most ``size`` items: nodes first, then edges (which may
    point at those nodes)."""
    if size < 1:
        raise ValueError("chunk size must be 1 or more")
    parts = [
        ImportBatch(batch.source, nodes=batch.nodes[i : i + size])
        for i in range(0, len(batch.nodes), size)
    ]
    parts += [
        ImportBatch(batch.source, edges=batch.edges[i : i + size])
        for i in range(0, len(batch.edges), size)
    ]
    return parts


def apply_in_chunks(
    store: GraphStore,
    batch: ImportBatch,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> ImportResult:
    """Write ``batch`` in one transaction (everything or nothing), reporting
    ``progress(done, total)`` after each chunk; ids already present are left as they are,
    and an id the store already gives to another title is said in ``batch.notes``, as with
    ``apply_batch``."""
    batch.notes.extend(id_clashes(store, batch))
    parts = chunks(batch, chunk)
    added_nodes = added_edges = 0
    with store.transaction(actor):
        for done, part in enumerate(parts, start=1):
            nodes, edges = store.bulk_load(part.nodes, part.edges, actor=actor)
            added_nodes += nodes
            added_edges += edges
            if progress is not None:
                progress(done, len(parts))
    return ImportResult(added_nodes, added_edges)
