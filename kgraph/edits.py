"""Edits the dashboard makes, as library calls: each is one store transaction (all or
nothing) and checks its input before anything is written.

A refused form value raises ``EditRefused``, a ``ValidationError`` whose ``key`` names the
reason (``title_needed``, ``feeds_only_kq``, ...) so a page can say it in its own language;
a save over someone else's newer version raises the store's ``ConflictError``::

    from kgraph import edits, open_store
    store = open_store("citydeal.db", actor="Ada")
    q = edits.add_question(store, kind="knowledge_question", title="Hoe meten we dat?",
                           areas=["cop:lokaal-meten"])
    edits.set_status(store, q.id, "in_progress", expected_version=q.version)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kgraph.errors import ValidationError
from kgraph.model import QUESTION_KINDS, QUESTION_STATUSES, Edge, Node, make_id, parse_tags
from kgraph.store.base import GraphStore

__all__ = ["EditRefused", "add_question", "delete_node", "set_status", "update_question"]


class EditRefused(ValidationError):
    """A value an edit cannot take; ``key`` names the reason for a translated message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _tags(tags: str | Iterable[str]) -> tuple[str, ...]:
    return parse_tags(tags)


def _status(status: str) -> str:
    if status not in QUESTION_STATUSES:
        raise EditRefused(
            "status_unknown",
            f"unknown question status {status!r}; use one of {', '.join(QUESTION_STATUSES)}",
        )
    return status


def add_question(
    store: GraphStore,
    *,
    kind: str,
    title: str,
    text: str = "",
    status: str = "open",
    owner: str = "",
    tags: str | Iterable[str] = (),
    areas: Sequence[str] = (),
    feeds: Sequence[str] = (),
    actor: str | None = None,
) -> Node:
    """Add a question raised in ``areas`` (CoP's/themes) and feeding the complex questions
    ``feeds``, in one transaction: when a link is refused, the question is not added either.

    ``tags`` is a list or a ``,``/``;``-separated string; ``owner`` is kept when not blank.
    The id comes from ``make_id(kind, title)``; ``DuplicateError`` when it exists.
    """
    if kind not in QUESTION_KINDS:
        raise EditRefused("kind_unknown", f"unknown question kind {kind!r}")
    if not title.strip():
        raise EditRefused("title_needed", "a question needs a title")
    if feeds and kind != "knowledge_question":
        raise EditRefused("feeds_only_kq", "only a knowledge question can feed a complex question")
    props = {"owner": owner.strip()} if owner.strip() else {}
    node = Node(
        id=make_id(kind, title),
        kind=kind,
        title=title.strip(),
        text=text,
        status=_status(status),
        tags=_tags(tags),
        props=props,
    )
    with store.transaction(actor):
        stored = store.add_node(node, actor=actor)
        for area in areas:
            store.add_edge(Edge(stored.id, "RAISED_IN", area), actor=actor)
        for cq in feeds:
            store.add_edge(Edge(stored.id, "FEEDS", cq), actor=actor)
    return stored


def update_question(
    store: GraphStore,
    node_id: str,
    *,
    status: str,
    owner: str,
    tags: str | Iterable[str],
    text: str,
    expected_version: int | None,
    actor: str | None = None,
) -> Node:
    """Save the editable fields of a question, refused with ``ConflictError`` when the
    stored version is no longer ``expected_version`` (someone saved in between).

    A blank ``owner`` removes it; ``tags`` as in ``add_question``.
    """
    changes = {
        "status": _status(status),
        "owner": owner.strip() or None,
        "tags": list(_tags(tags)),
        "text": text,
    }
    with store.transaction(actor):
        return store.update_node(node_id, changes, expected_version=expected_version, actor=actor)


def set_status(
    store: GraphStore,
    node_id: str,
    status: str,
    *,
    expected_version: int | None,
    actor: str | None = None,
) -> Node:
    """Change a question's lifecycle status, with the same version check as
    ``update_question``."""
    with store.transaction(actor):
        return store.update_node(
            node_id, {"status": _status(status)}, expected_version=expected_version, actor=actor
        )


def delete_node(store: GraphStore, node_id: str, *, actor: str | None = None) -> int:
    """Delete a node and the edges at it in one transaction; returns how many edges went."""
    with store.transaction(actor):
        links = len(store.edges(node_id=node_id))
        store.delete_node(node_id, actor=actor)
    return links
