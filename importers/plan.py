"""What an import would do, worked out before anything is written: the *plan*.

Every importer returns an ``ImportBatch`` (every node and edge its source holds). Planning
holds it against the store, read only:

- the items of a *register* (a table or a Markdown register; ``register`` on each node) are
  matched to the register's items in the store by ``kgraph.importers.matching``: each is
  ``unchanged``, ``changed`` (the differences become ordinary updates in the history) or
  ``added``; what the store holds of the register and the source no longer does is
  ``gone`` (deleted only when the person asks for it);
- every other node (a theme or landing place a cell names, the nodes of a graph file or a
  report) is ``added`` when the store lacks its id, else ``present`` and left as it is;
- edges are ``edges`` (new, ends mapped to the store's ids) or already present;
- how many handovers (``LANDS_IN``) of each status the import creates, and, when it creates
  any, the steering group's handover counts before and after (``steering``).

A register's item whose id the store already gives to another item (the same title in
another register, a code used elsewhere) is added under a suffixed id (``...-2``), so that
each register keeps its own items and can be compared on its own; a note says so. An id
another *title* holds is not imported at all (``base.id_clashes``), nor its links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kgraph.importers.base import ImportBatch, id_clashes, same_item
from kgraph.importers.matching import match_questions
from kgraph.importers.messages import DEFAULT_LANG, render
from kgraph.importers.table import Problem, Reject, TableResult
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.values import Subgraph

Progress = Callable[[int, int], None]
#: fields compared; ``source`` (file and row) moves with every version and is not a change
_COMPARED = ("title", "text", "status", "tags")
#: suffixed ids named one by one in notes; beyond this they are counted
_SHOWN = 10


@dataclass
class ImportPlan:
    """What applying the import would write; see the module docstring.

    ``source`` is the display name of what was read (an upload's own name); ``register``
    the register's id (its slug), ``None`` for a source that is no register; ``kind`` the
    kind of the register's items. ``details`` holds the mapping used (``spec``) and the
    header row (``headers``) that the register's record keeps.
    """

    source: str
    batch: ImportBatch
    register: str | None = None
    kind: str = "knowledge_question"
    added: list[Node] = field(default_factory=list)
    changed: list[tuple[Node, Node, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[Node, Node]] = field(default_factory=list)
    gone: list[Node] = field(default_factory=list)
    present: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    edges_present: int = 0
    #: the source's id -> the store's id, for every item that is written or matched
    ids: dict[str, str] = field(default_factory=dict)
    handovers: dict[str, int] = field(default_factory=dict)
    #: {"before": {status: n}, "after": {status: n}} over every kind that may land
    steering: dict[str, dict[str, int]] | None = None
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    #: how a table was read: sheet, header row, columns, every problem, the rejected rows
    table: TableResult | None = None
    #: ``False`` while a problem stops the import (the table's problems, nothing skipped)
    ok: bool = True

    @property
    def problems(self) -> list[Problem]:
        return self.table.problems if self.table is not None else []

    @property
    def rejects(self) -> list[Reject]:
        return self.table.rejects if self.table is not None else []

    @property
    def register_items(self) -> list[Node]:
        """The added nodes that are the register's own items (not relation targets)."""
        return [n for n in self.added if self._is_item(n)]

    def _is_item(self, node: Node) -> bool:
        return self.register is not None and node.kind == self.kind

    def summary(self) -> dict[str, int]:
        """Counts for a person: added (all nodes), changed, unchanged, gone, present, new
        edges, edges already present."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "gone": len(self.gone),
            "present": len(self.present),
            "edges": len(self.edges),
            "edges_present": self.edges_present,
        }

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.edges or self.gone)

    @property
    def steering_changes(self) -> bool:
        """Whether the steering group's handover counts would move."""
        return self.steering is not None and self.steering["before"] != self.steering["after"]


def _changes(old: Node, new: Node) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in _COMPARED:
        if getattr(old, name) != getattr(new, name):
            changes[name] = list(new.tags) if name == "tags" else getattr(new, name)
    for key, value in new.props.items():
        if old.props.get(key) != value:
            changes[key] = value
    if "duplicate_code" in old.props and "duplicate_code" not in new.props:
        changes["duplicate_code"] = None
    if changes:
        changes["source"] = new.source
    return changes


def _held(store: GraphStore, ids: Iterable[str]) -> dict[str, Node]:
    """The nodes of ``ids`` the store holds (one read)."""
    return store.subgraph(list(dict.fromkeys(ids))).nodes


def _free_ids(store: GraphStore, nodes: Sequence[Node], taken: set[str]) -> dict[str, str]:
    """id -> a suffixed id neither the store nor ``taken`` uses, for each of ``nodes``."""
    free: dict[str, str] = {}
    suffix = {n.id: 2 for n in nodes}
    waiting = [n.id for n in nodes]
    while waiting:
        proposed = {i: f"{i}-{suffix[i]}" for i in waiting}
        held = _held(store, proposed.values())
        still: list[str] = []
        for node_id, candidate in proposed.items():
            if candidate in held or candidate in taken:
                suffix[node_id] += 1
                still.append(node_id)
            else:
                free[node_id] = candidate
                taken.add(candidate)
        waiting = still
    return free


def _existing_edges(store: GraphStore, edges: Sequence[Edge]) -> set[str]:
    """Keys of ``edges`` the store holds already (one read of the edges among their ends)."""
    ends = {end for e in edges for end in (e.src, e.dst)}
    return {e.key for e in store.subgraph(list(ends)).edges} if ends else set()


def plan_batch(
    store: GraphStore,
    batch: ImportBatch,
    *,
    source: str,
    register: str | None = None,
    kind: str = "knowledge_question",
    lang: str = DEFAULT_LANG,
) -> ImportPlan:
    """The plan of writing ``batch`` (read from ``source``) into ``store``; reads only.

    With ``register``, the batch's nodes of ``kind`` are that register's items and are
    matched to what the store holds of it; every other node is added when its id is new.
    """
    plan = ImportPlan(source=source, batch=batch, register=register, kind=kind)
    items = [n for n in batch.nodes if register is not None and n.kind == kind]
    others = [n for n in batch.nodes if not (register is not None and n.kind == kind)]
    held = _held(store, (n.id for n in batch.nodes))
    # a node whose id the store gives to another title is not imported, nor are its links
    # (a register's own items only when no item of the register matched them, below)
    clashed = {n.id for n in others if n.id in held and not same_item(held[n.id], n)}
    own_ids: dict[str, str] = {}
    if register is not None:
        olds = [n for n in store.nodes([kind]) if n.props.get("register") == register]
        pairs = match_questions(olds, items)
        matched_old = set(pairs.values())
        fresh: list[Node] = []
        for j, node in enumerate(items):
            i = pairs.get(j)
            if i is None:
                fresh.append(node)
                continue
            old = olds[i]
            plan.ids[node.id] = old.id
            changes = _changes(old, node)
            if changes:
                plan.changed.append((old, node, changes))
            else:
                plan.unchanged.append((old, node))
        plan.gone = [n for i, n in enumerate(olds) if i not in matched_old]
        # a fresh item whose id the same item holds elsewhere (the same title in another
        # register, say) gets a suffixed id of its own; one whose id another title holds is
        # not imported
        clashed |= {n.id for n in fresh if n.id in held and not same_item(held[n.id], n)}
        taken = {n.id for n in batch.nodes}
        busy = [n for n in fresh if n.id in held and n.id not in clashed]
        own_ids = _free_ids(store, busy, taken)
        for node in fresh:
            if node.id in clashed:
                continue
            new_id = own_ids.get(node.id, node.id)
            plan.ids[node.id] = new_id
            plan.added.append(node if new_id == node.id else replace(node, id=new_id))
    for node in others:
        if node.id in clashed:
            continue
        if node.id in held:
            plan.present.append(held[node.id])
        else:
            plan.added.append(node)
            plan.ids[node.id] = node.id
    for node in plan.present:
        plan.ids.setdefault(node.id, node.id)
    notes = [*batch.notes, *id_clashes(store, batch, lang, only=clashed)]
    if own_ids:
        shown = [f"{held[i].title!r}: {i} -> {own_ids[i]}" for i in list(own_ids)[:_SHOWN]]
        more = len(own_ids) - len(shown)
        notes.append(
            render("note_own_ids", lang, count=len(own_ids), register=register)
            + "; ".join(shown)
            + (" " + render("and_more", lang, count=more) if more > 0 else "")
        )
    edges: dict[str, Edge] = {}
    for edge in batch.edges:
        if edge.src in clashed or edge.dst in clashed:
            continue  # an id held by another title: neither the node nor its links
        mapped = replace(
            edge, src=plan.ids.get(edge.src, edge.src), dst=plan.ids.get(edge.dst, edge.dst)
        )
        edges.setdefault(mapped.key, mapped)
    present = _existing_edges(store, list(edges.values()))
    plan.edges = [e for k, e in edges.items() if k not in present]
    plan.edges_present = len(edges) - len(plan.edges)
    plan.handovers = dict(
        Counter(
            str(e.props.get("status") or "proposed") for e in plan.edges if e.kind == "LANDS_IN"
        )
    )
    if plan.handovers:
        plan.steering = steering_counts(store, plan)
    plan.notes = notes
    return plan


def _status_totals(summary: dict[str, dict[str, int]]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for counts in summary.values():
        for status, n in counts.items():
            if status != "total":
                totals[status] += n
    return dict(totals)


def steering_counts(store: GraphStore, plan: ImportPlan) -> dict[str, dict[str, int]]:
    """The steering group's handover counts (``kgraph.analysis.handover``: items under their
    furthest status, per status over every kind that may land) now and after ``plan``."""
    from kgraph import model
    from kgraph.analysis.handover import COP, handover_coverage, landing_kinds

    kinds = ("LANDS_IN", "PART_OF", "RAISED_IN", "FEEDS")
    landable, targets = landing_kinds()
    wanted = landable | targets | model.EDGE_RULES["RAISED_IN"][0] | {COP}
    wanted |= model.EDGE_RULES["FEEDS"][0] | model.EDGE_RULES["FEEDS"][1]
    nodes = {n.id: n for n in store.nodes(sorted(wanted))}
    base = Subgraph(nodes=nodes, edges=store.edges(list(kinds)))
    before = _status_totals(handover_coverage(base).summary)
    after_nodes = dict(nodes)
    after_nodes.update((n.id, n) for n in plan.added)
    for old, new, _ in plan.changed:
        after_nodes[old.id] = replace(new, id=old.id)
    after_edges = [*base.edges, *(e for e in plan.edges if e.kind in kinds)]
    after = _status_totals(
        handover_coverage(Subgraph(nodes=after_nodes, edges=after_edges)).summary
    )
    return {"before": before, "after": after}
