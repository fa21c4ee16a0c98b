"""What every importer returns; ``apply_batch`` writes one through the import write path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import InputError
from kgraph.importers.messages import DEFAULT_LANG, render
from kgraph.model import Edge, Node, script_key
from kgraph.store.base import GraphStore


@dataclass
class ImportBatch:
    """Nodes and edges read from one source, ready to be written all-or-nothing.

    ``notes`` says what the importer noticed but could not place (shown to the user).
    """

    source: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = {}
        edges: dict[str, int] = {}
        for n in self.nodes:
            nodes[n.kind] = nodes.get(n.kind, 0) + 1
        for e in self.edges:
            edges[e.kind] = edges.get(e.kind, 0) + 1
        return {"nodes": nodes, "edges": edges}


@dataclass(frozen=True)
class ImportResult:
    """What ``apply_batch`` added (items already in the store are not counted)."""

    nodes_added: int
    edges_added: int


#: clashing ids named one by one in notes; beyond this they are counted
_SHOWN = 10


def same_item(a: Node, b: Node) -> bool:
    return a.kind == b.kind and script_key(a.title) == script_key(b.title)


def id_clashes(
    store: GraphStore, batch: ImportBatch, lang: str = DEFAULT_LANG, *, only: set[str] | None = None
) -> list[str]:
    """Notes on nodes of ``batch`` whose id the store already gives to another title:
    those are not imported (the stored node is kept), and the person should know.

    Two different nodes of ``batch`` with one id are an ``InputError``: the second would
    silently be lost. ``only`` limits the notes to those ids (a register's own items are
    matched instead: see ``kgraph.importers.plan``).
    """
    first: dict[str, Node] = {}
    clashes: list[str] = []
    for node in batch.nodes:
        seen = first.setdefault(node.id, node)
        if seen is not node and not same_item(seen, node):
            clashes.append(f"id {node.id!r} is given to both {seen.title!r} and {node.title!r}")
    if clashes:
        raise InputError(
            f"{batch.source}: {len(clashes)} id(s) given to two different items; nothing imported",
            clashes,
        )
    held = store.subgraph(list(first)).nodes
    notes = [
        render("note_id_held", lang, id=node.id, held=held[node.id].title, title=node.title)
        for node in first.values()
        if (only is None or node.id in only)
        and node.id in held
        and not same_item(held[node.id], node)
    ]
    if len(notes) > _SHOWN:
        notes[_SHOWN:] = [render("note_ids_held_more", lang, count=len(notes) - _SHOWN)]
    return notes


def apply_batch(
    store: GraphStore, batch: ImportBatch, *, actor: str | None = None, format: str = "batch"
) -> ImportResult:
    """Write ``batch`` through the one import write path (``kgraph.importers.plan`` and
    ``apply``: one transaction, recorded as an import batch that can be undone); ids
    already present are left as they are, so importing the same source twice adds nothing.
    An id the store already gives to another title is said in ``batch.notes``. ``format``
    says what was read, for the batch record (``seed`` for the City Deal seed)."""
    from kgraph.importers.apply import apply_plan
    from kgraph.importers.plan import plan_batch

    plan = plan_batch(store, batch, source=batch.source)
    batch.notes[:] = plan.notes
    source = {"source": Path(batch.source).name or batch.source, "file": batch.source}
    applied = apply_plan(store, plan, actor=actor, source={**source, "format": format})
    return ImportResult(applied.nodes_added, applied.edges_added)
