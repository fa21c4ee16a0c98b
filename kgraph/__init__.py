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

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: public name -> the module it comes from; imported on first use (PEP 562), so a command
#: that needs none of it (``kgraph --help``) does not pay for the model and the store
_WHERE: dict[str, str] = {
    "edits": "kgraph.edits",
    "query": "kgraph.query",
    **dict.fromkeys(
        (
            "ConflictError",
            "DuplicateError",
            "InputError",
            "KGraphError",
            "NotFoundError",
            "PermissionDenied",
            "StoreError",
            "ValidationError",
        ),
        "kgraph.errors",
    ),
    **dict.fromkeys(
        (
            "EDGE_KINDS",
            "EDGE_RULES",
            "HANDOVER_STATUSES",
            "NODE_KINDS",
            "QUESTION_STATUSES",
            "Edge",
            "Node",
            "make_id",
        ),
        "kgraph.model",
    ),
    "open_store": "kgraph.store",
    **dict.fromkeys(("Change", "Counts", "GraphStore", "Subgraph"), "kgraph.store.base"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
    module = import_module(where)
    value = module if where == f"kgraph.{name}" else getattr(module, name)
    globals()[name] = value
    return value


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
