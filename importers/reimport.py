"""A newer version of a register against what the store holds of it.

The store's questions of a register (``register`` property) are matched to the rows of the
new version: first by id when the titles are alike too, then by title similarity at or
above ``THRESHOLD``, then by id alone (a retitled question kept its code). What matches is
``unchanged`` or ``changed`` (the differences become ordinary updates, so they are in the
history with who and when); what does not is ``added`` or, for the store's side, ``gone``
("no longer in the source"), which is deleted only with ``prune``.

Registers renumber their codes between versions, so a code alone is weak evidence: a code
now used for a different question must not pull the old question's history onto it.

``THRESHOLD``: ``benchmarks/reimport_threshold.py`` scores every pair of the fixture
register's two versions (``tests/data/registers/``): the same question reworded between
versions scores 0.871 or more, the closest two different questions 0.608 at most; 0.72
sits between them with room either side (0.11 and 0.15).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from kgraph.importers.base import ImportBatch
from kgraph.importers.messages import DEFAULT_LANG, render
from kgraph.model import Edge, Node, normalise_title
from kgraph.store.base import GraphStore

THRESHOLD = 0.72
#: fields compared; ``source`` (file and row) moves with every version and is not a change
_COMPARED = ("title", "text", "status", "tags")


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1: difflib's ratio of the normalised titles."""
    return SequenceMatcher(None, normalise_title(a), normalise_title(b), autojunk=False).ratio()


@dataclass
class Comparison:
    """What re-importing ``batch`` would do to the register's questions in the store."""

    register: str
    added: list[Node] = field(default_factory=list)
    changed: list[tuple[Node, Node, dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[Node, Node]] = field(default_factory=list)
    gone: list[Node] = field(default_factory=list)
    #: the other nodes (relation targets) and the edges, ids already mapped to the store's
    others: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    #: new id -> stored id for every matched question
    matched: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "gone": len(self.gone),
        }


@dataclass(frozen=True)
class ReimportResult:
    nodes_added: int
    edges_added: int
    updated: int
    deleted: int


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


def _words(title: str) -> set[str]:
    return set(re.findall(r"[0-9a-z]{3,}", normalise_title(title)))


def _pairs(olds: list[Node], news: list[Node], threshold: float) -> list[tuple[float, int, int]]:
    """(score, old index, new index) of every pair sharing a word, at or above threshold."""
    index: dict[str, set[int]] = {}
    for i, node in enumerate(olds):
        for word in _words(node.title):
            index.setdefault(word, set()).add(i)
    found = []
    for j, node in enumerate(news):
        candidates = set().union(*(index.get(w, set()) for w in _words(node.title)))
        for i in candidates:
            score = similarity(olds[i].title, node.title)
            if score >= threshold:
                found.append((score, i, j))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    return found


def compare(
    store: GraphStore,
    batch: ImportBatch,
    *,
    register: str,
    kind: str = "knowledge_question",
    threshold: float = THRESHOLD,
) -> Comparison:
    """Match ``batch`` (a register read by ``table.read_table``) to the store; read only."""
    olds = [n for n in store.nodes([kind]) if n.props.get("register") == register]
    news = [n for n in batch.nodes if n.kind == kind]
    others = [n for n in batch.nodes if n.kind != kind]
    result = Comparison(register)
    old_at = {n.id: i for i, n in enumerate(olds)}
    pair_of_new: dict[int, int] = {}
    pair_of_old: dict[int, int] = {}

    def pair(i: int, j: int) -> None:
        pair_of_new[j], pair_of_old[i] = i, j

    # 1. same id and alike titles
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if i is not None and similarity(olds[i].title, node.title) >= threshold:
            pair(i, j)
    # 2. alike titles, best first
    for _score, i, j in _pairs(olds, news, threshold):
        if i not in pair_of_old and j not in pair_of_new:
            pair(i, j)
    # 3. same id, title rewritten
    for j, node in enumerate(news):
        i = old_at.get(node.id)
        if j not in pair_of_new and i is not None and i not in pair_of_old:
            pair(i, j)
    taken = {n.id for n in store.nodes([kind])}
    for j, node in enumerate(news):
        i = pair_of_new.get(j)
        if i is None:
            node = _free_id(node, taken)
            taken.add(node.id)
            result.added.append(node)
            result.matched[news[j].id] = node.id
            continue
        old = olds[i]
        result.matched[node.id] = old.id
        changes = _changes(old, node)
        if changes:
            result.changed.append((old, node, changes))
        else:
            result.unchanged.append((old, node))
    result.gone = [n for i, n in enumerate(olds) if i not in pair_of_old]
    result.others = others
    result.edges = [_remap(e, result.matched) for e in batch.edges]
    return result


def _free_id(node: Node, taken: set[str]) -> Node:
    """``node`` under an id the store does not use (a renumbered register may give a new
    question the code an older, still present question had)."""
    if node.id not in taken:
        return node
    n = 2
    while f"{node.id}-{n}" in taken:
        n += 1
    return replace(node, id=f"{node.id}-{n}")


def _remap(edge: Edge, ids: dict[str, str]) -> Edge:
    return replace(edge, src=ids.get(edge.src, edge.src), dst=ids.get(edge.dst, edge.dst))


def apply_comparison(
    store: GraphStore,
    comparison: Comparison,
    *,
    prune: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 500,
) -> ReimportResult:
    """Add what is new, update what changed (recorded in the history) and, with
    ``prune``, delete what is no longer in the source; all in one transaction.
    ``progress(done, total)`` counts chunks of added nodes and edges, then each update and
    delete, so a bar can move while the transaction runs."""
    nodes = [*comparison.added, *comparison.others]
    parts: list[tuple[list[Node], list[Edge]]] = [
        (nodes[i : i + chunk], []) for i in range(0, len(nodes), chunk)
    ]
    edges = comparison.edges
    parts += [([], edges[i : i + chunk]) for i in range(0, len(edges), chunk)]  # nodes first
    deletes = comparison.gone if prune else []
    total = len(parts) + len(comparison.changed) + len(deletes)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    nodes_added = edges_added = 0
    with store.transaction(actor=actor):
        for part_nodes, part_edges in parts:
            n, e = store.bulk_load(part_nodes, part_edges, actor=actor)
            nodes_added, edges_added = nodes_added + n, edges_added + e
            step()
        for old, _new, changes in comparison.changed:
            store.update_node(old.id, changes, actor=actor)
            step()
        for node in deletes:
            store.delete_node(node.id, actor=actor)
            step()
    return ReimportResult(nodes_added, edges_added, len(comparison.changed), len(deletes))


def describe(comparison: Comparison, limit: int = 50, lang: str = DEFAULT_LANG) -> Iterable[str]:
    """Lines for a person: the counts, then each added (+), changed (~) and gone (-)
    question, at most ``limit`` of them."""
    yield render("reimport_counts", lang, register=comparison.register, **comparison.summary())
    shown = 0
    for node in comparison.added:
        if shown < limit:
            yield f"  + {node.id}  {node.title[:70]}"
        shown += 1
    for old, _new, changes in comparison.changed:
        if shown < limit:
            fields = ", ".join(k for k in changes if k != "source")
            yield f"  ~ {old.id}  {fields}"
        shown += 1
    for node in comparison.gone:
        if shown < limit:
            yield f"  - {node.id}  {node.title[:70]}"
        shown += 1
    if shown > limit:
        yield "  " + render("and_more", lang, count=shown - limit)
