"""The Neo4j backend (Bolt, Neo4j 5.26); see ``kgraph.store.neo4j.store``.

``Neo4jStore`` and the connection settings are loaded on first use: the driver is a big
import, and ``kgraph.store.neo4j.cypher`` (the label allow-list the Cypher export uses)
must stay cheap for processes that never talk to Neo4j.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgraph.store.neo4j.driver import Settings, parse_location
    from kgraph.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore", "Settings", "parse_location"]


def __getattr__(name: str) -> Any:
    if name == "Neo4jStore":
        from kgraph.store.neo4j.store import Neo4jStore

        return Neo4jStore
    if name in ("Settings", "parse_location"):
        from kgraph.store.neo4j import driver

        return getattr(driver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
