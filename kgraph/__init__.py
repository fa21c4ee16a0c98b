"""kgraph: knowledge questions, communities of practice, themes and landing places as one graph.

The public API::

    from kgraph import open_store, Node, Edge
    store = open_store("citydeal.db", actor="Ada")
    store.add_node(Node("kq:1", "knowledge_question", "Hoe valideer je een model?"))

Reads pages and scripts share (filters, search, narrowing a neighbourhood) are in
``kgraph.query``; edits that span several writes (a question with its links, a status
change with the version check) are in ``kgraph.edits``.

Everything kgraph raises on purpose is a ``KGraphError``.
"""

from kgraph import edits, query
from kgraph.errors import (
    ConflictError,
    DuplicateError,
    InputError,
    KGraphError,
    NotFoundError,
    PermissionDenied,
    StoreError,
    ValidationError,
)
from kgraph.model import (
    EDGE_KINDS,
    EDGE_RULES,
    HANDOVER_STATUSES,
    NODE_KINDS,
    QUESTION_STATUSES,
    Edge,
    Node,
    make_id,
)
from kgraph.store import open_store
from kgraph.store.base import Change, Counts, GraphStore, Subgraph

__version__ = "0.1.0"

__all__ = [
    "EDGE_KINDS",
    "EDGE_RULES",
    "HANDOVER_STATUSES",
    "NODE_KINDS",
    "QUESTION_STATUSES",
    "Change",
    "ConflictError",
    "Counts",
    "DuplicateError",
    "Edge",
    "GraphStore",
    "InputError",
    "KGraphError",
    "Node",
    "NotFoundError",
    "PermissionDenied",
    "StoreError",
    "Subgraph",
    "ValidationError",
    "edits",
    "make_id",
    "open_store",
    "query",
]
