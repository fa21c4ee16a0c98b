"""Node lists answered by the store: filtered, sorted, counted and paged where the data is.

A page of 110,000 questions must not bring 110,000 rows into Python to show 50 of them.
``NodeQuery`` says which nodes a list holds and in what order; a backend turns it into one
SQL or Cypher statement (``GraphStore.find_nodes`` reads one page of it,
``GraphStore.count_nodes`` counts it), so filtering, sorting, counting and paging happen
in the store, through its indexes.

Conditions on a node's links form a small tree (``Link``, ``Not``, ``AllOf``, ``AnyOf``,
``Isolated``) that both backends compile the same way: SQL ``EXISTS`` subqueries on the
embedded store's edge indexes, Cypher ``EXISTS { }`` patterns on Neo4j. Edge and node
kinds in a condition come only from the model's allow-lists::

    # knowledge questions that feed no complex question, by title, page 3 of 50
    q = NodeQuery(kinds=("knowledge_question",), where=Not(Link("FEEDS")), sort="title")
    store.count_nodes(q), store.find_nodes(q, limit=50, offset=100)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from kgraph.errors import ValidationError
from kgraph.model import (
    HANDOVER_STATUSES,
    QUESTION_STATUSES,
    check_edge_kind,
    check_node_kind,
    fold,
)

if TYPE_CHECKING:
    from kgraph.model import Edge, Node
    from kgraph.store.values import Subgraph

#: the orders a list can have: by title (accent- and case-insensitive), by lifecycle status
#: (``QUESTION_STATUSES`` order, then title), by kind then title, by last change, by id
SORTS: tuple[str, ...] = ("title", "status", "kind", "updated", "id")
#: ``Link.direction``: the node is the edge's source (``out``) or its target (``in``)
DIRECTIONS: tuple[str, ...] = ("out", "in")


@dataclass(frozen=True)
class Link:
    """The node has at least one edge of ``kind`` in ``direction`` whose other end is one
    of ``ends`` (ids; any when empty) and of ``end_kinds`` (any when empty), whose handover
    status (a ``LANDS_IN`` edge without one is ``proposed``) is one of ``statuses`` (any
    when empty), and whose other end meets ``then`` (a condition; none when ``None``)."""

    kind: str
    direction: str = "out"
    ends: tuple[str, ...] = ()
    end_kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    then: Condition | None = None


@dataclass(frozen=True)
class Not:
    """The node does not meet ``condition``."""

    condition: Condition


@dataclass(frozen=True)
class AllOf:
    """The node meets every one of ``conditions`` (an empty list: always)."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """The node meets at least one of ``conditions`` (an empty list: never)."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Isolated:
    """The node has no edge at all."""


@dataclass(frozen=True)
class OfKind:
    """The node is of one of ``kinds``."""

    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Among:
    """The node is one of ``ids``."""

    ids: tuple[str, ...]


Condition = Union[Link, Not, AllOf, AnyOf, Isolated, OfKind, Among]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True)
class NodeQuery:
    """Which nodes a list holds and their order; every filter left empty matches all.

    ``text``: every word occurs as the start of a word in the title, text, tags or id
    (accent- and case-insensitive), as in ``GraphStore.search``. ``where``: a condition
    on the node's links (see the module docstring). ``sort``: one of ``SORTS``; ties are
    broken by id, so pages never overlap or skip a node.
    """

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    text: str = ""
    where: Condition | None = None
    sort: str = "kind"
    descending: bool = False
    #: nodes with exactly these ids only (``None``: no such filter)
    ids: tuple[str, ...] | None = field(default=None)

    def words(self) -> list[str]:
        """The text filter's words, folded (what both backends match on)."""
        return words_of(self.text)


def words_of(text: str) -> list[str]:
    """The search words of ``text``: folded, split on anything but letters and digits."""
    return re.findall(r"[0-9a-z]+", fold(text))


#: how much of a title its sort key keeps (Neo4j indexes at most ~8 KB of a property)
TITLE_KEY_LEN = 200


def title_key(title: str) -> str:
    """The key titles sort by: folded, words only, one space between them, at most
    ``TITLE_KEY_LEN`` characters (titles equal that far are ordered by id). Both backends
    keep it with the node (``title_key`` column, ``sort_title`` property) and index it."""
    return " ".join(re.findall(r"[^\W_]+", fold(title)))[:TITLE_KEY_LEN]


def check_query(query: NodeQuery) -> NodeQuery:
    """``query`` if every kind, status and sort in it is one the model knows, else
    ``ValidationError`` (backends only ever see checked names)."""
    for kind in query.kinds:
        check_node_kind(kind)
    if query.sort not in SORTS:
        raise ValidationError(f"unknown sort {query.sort!r}; use one of {', '.join(SORTS)}")
    if query.where is not None:
        _check_condition(query.where)
    return query


def _check_condition(condition: Condition) -> None:
    if isinstance(condition, Link):
        check_edge_kind(condition.kind)
        if condition.direction not in DIRECTIONS:
            raise ValidationError(f"a link's direction is out or in, not {condition.direction!r}")
        for kind in condition.end_kinds:
            check_node_kind(kind)
        for status in condition.statuses:
            if status not in HANDOVER_STATUSES:
                raise ValidationError(f"unknown handover status {status!r}")
        if condition.then is not None:
            _check_condition(condition.then)
    elif isinstance(condition, Not):
        _check_condition(condition.condition)
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.conditions:
            _check_condition(part)
    elif isinstance(condition, OfKind):
        for kind in condition.kinds:
            check_node_kind(kind)
    elif not isinstance(condition, Isolated | Among):
        raise ValidationError(f"not a condition: {condition!r}")


#: a status outside ``QUESTION_STATUSES`` (or none) sorts after them
STATUS_RANK: dict[str, int] = {s: i for i, s in enumerate(QUESTION_STATUSES)}
UNRANKED = len(QUESTION_STATUSES)


# --- the same lists over a subgraph in memory: the reference the backends are tested on ----


def sort_key(node: Node, sort: str) -> tuple[Any, ...]:
    """What ``sort`` orders ``node`` by (the backends' ORDER BY, as a Python key)."""
    if sort == "title":
        return (title_key(node.title), node.id)
    if sort == "status":
        rank = STATUS_RANK.get(node.status or "", UNRANKED)
        return (rank, title_key(node.title), node.id)
    if sort == "kind":
        return (node.kind, title_key(node.title), node.id)
    if sort == "updated":
        return (node.updated_at or "", node.id)
    return (node.id,)


class _Memory:
    """A subgraph indexed for evaluating conditions."""

    def __init__(self, sub: Subgraph) -> None:
        self.nodes = sub.nodes
        self.out: dict[str, list[Edge]] = {}
        self.into: dict[str, list[Edge]] = {}
        for e in sub.edges:
            self.out.setdefault(e.src, []).append(e)
            self.into.setdefault(e.dst, []).append(e)

    def meets(self, c: Condition, node_id: str) -> bool:
        if isinstance(c, Link):
            edges = (
                self.out.get(node_id, []) if c.direction == "out" else self.into.get(node_id, [])
            )
            for e in edges:
                other = e.dst if c.direction == "out" else e.src
                if e.kind != c.kind or (c.ends and other not in c.ends):
                    continue
                if c.end_kinds and (
                    other not in self.nodes or self.nodes[other].kind not in c.end_kinds
                ):
                    continue
                if c.statuses and str(e.props.get("status") or "proposed") not in c.statuses:
                    continue
                if c.then is not None and not self.meets(c.then, other):
                    continue
                return True
            return False
        if isinstance(c, Not):
            return not self.meets(c.condition, node_id)
        if isinstance(c, AllOf):
            return all(self.meets(p, node_id) for p in c.conditions)
        if isinstance(c, AnyOf):
            return any(self.meets(p, node_id) for p in c.conditions)
        if isinstance(c, OfKind):
            return node_id in self.nodes and self.nodes[node_id].kind in c.kinds
        if isinstance(c, Among):
            return node_id in c.ids
        return not self.out.get(node_id) and not self.into.get(node_id)


def select_nodes(sub: Subgraph, query: NodeQuery) -> list[Node]:
    """Every node of ``sub`` that ``query`` holds, in its order: what ``find_nodes`` gives
    without ``limit``, computed in memory (the reference for the backends, and the answer
    for an analysis given a subgraph)."""
    from kgraph.model import node_search_text

    check_query(query)
    memory = _Memory(sub)
    words = query.words()
    wanted_ids = set(query.ids) if query.ids is not None else None
    found = []
    for node in sub.nodes.values():
        if query.kinds and node.kind not in query.kinds:
            continue
        if query.statuses and node.status not in query.statuses:
            continue
        if wanted_ids is not None and node.id not in wanted_ids:
            continue
        if words:
            have = re.findall(r"[0-9a-z]+", node_search_text(node))
            if not all(any(h.startswith(w) for h in have) for w in words):
                continue
        if query.where is not None and not memory.meets(query.where, node.id):
            continue
        found.append(node)
    found.sort(key=lambda n: sort_key(n, query.sort), reverse=query.descending)
    return found
