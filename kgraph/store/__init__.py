"""Stores: the contract (``base``), the backends, and ``open_store`` to pick one.

A location is a path to a ``.db`` file (embedded SQLite store) or a ``bolt://``,
``bolt+s://``, ``neo4j://`` or ``neo4j+s://`` URL (Neo4j). Without one, ``KGRAPH_STORE``
is used, else an embedded store in the user's data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from kgraph.store.base import DEFAULT_CAP, Change, Counts, GraphStore, Subgraph

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

__all__ = [
    "DEFAULT_CAP",
    "Change",
    "Counts",
    "GraphStore",
    "Subgraph",
    "default_location",
    "is_neo4j_location",
    "open_store",
]


def default_location() -> str:
    """``KGRAPH_STORE`` if set, else ``<user data folder>/kgraph/kgraph.db``."""
    configured = os.environ.get("KGRAPH_STORE")
    if configured:
        return configured
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "kgraph" / "kgraph.db")


def is_neo4j_location(location: str) -> bool:
    return location.lower().startswith(NEO4J_SCHEMES)


def open_store(location: str | None = None, *, actor: str | None = None) -> GraphStore:
    """Open the store at ``location`` (see the module docstring)."""
    location = location or default_location()
    if is_neo4j_location(location):
        from kgraph.store.neo4j import Neo4jStore

        return Neo4jStore(location, actor=actor)
    from kgraph.store.embedded import EmbeddedStore

    return EmbeddedStore(location, actor=actor)
