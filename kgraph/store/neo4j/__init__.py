"""The Neo4j backend (Bolt, Neo4j 5.26); see ``kgraph.store.neo4j.store``."""

from kgraph.store.neo4j.driver import Settings, parse_location
from kgraph.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore", "Settings", "parse_location"]
