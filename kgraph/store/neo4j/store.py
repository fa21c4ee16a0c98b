"""``Neo4jStore``: the GraphStore contract on the official ``neo4j`` driver over Bolt.

``neo4j://`` URIs use the driver's routing; reads go to readers. The history is stored in
the database with the change, in the same transaction. The parts, one concern each:
``driver`` (one driver per process, errors as one line), ``session`` (units of work and
transactions), ``cypher`` (every statement, as constants), ``rows`` (values <-> rows),
``writes`` (write primitives, bulk loads), ``reads`` and ``listing`` (paged lists,
aggregates, lean rows).
"""

from __future__ import annotations

from kgraph.store.neo4j.listing import Neo4jListing
from kgraph.store.neo4j.vectors import Neo4jVectors
from kgraph.store.neo4j.writes import Neo4jWrites


class Neo4jStore(Neo4jWrites, Neo4jListing):
    """A GraphStore in a Neo4j database; see ``kgraph.store.neo4j.driver`` for
    configuration. Safe to share between threads; ``transaction()`` blocks are per thread.
    """

    def vector_cache(self) -> Neo4jVectors:
        """The ``(:KgraphVector)`` nodes of this database."""
        return Neo4jVectors(self)
