"""The embedded backend (SQLite file, no server); see ``kgraph.store.embedded.store``."""

from kgraph.store.embedded.schema import APPLICATION_ID, SCHEMA_VERSION
from kgraph.store.embedded.store import EmbeddedStore

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "EmbeddedStore"]
