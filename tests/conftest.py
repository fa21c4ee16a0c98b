"""Shared fixtures: a ``store`` fixture run against every backend, and the seed paths.

The Neo4j backend runs when ``NEO4J_URI`` is set (``scripts/neo4j start`` prints it). In
CI (``CI`` set) a missing or unreachable Neo4j fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgraph.store.base import GraphStore

REPO = Path(__file__).resolve().parents[1]
SEED_REPORT = REPO.parent / "shared" / "seeds" / "000_4a3caf141793d018.txt"
CAA_AGENDA = REPO.parent / "shared" / "data" / "caa-research-agenda"
DATA = Path(__file__).resolve().parent / "data"

BACKENDS = ["embedded", "neo4j"]


def neo4j_uri_or_skip() -> str:
    """The test server's URI; skip locally without one, fail in CI."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        if os.environ.get("CI"):
            pytest.fail("CI is set but NEO4J_URI is not: start Neo4j with scripts/neo4j start")
        pytest.skip("NEO4J_URI not set: run scripts/neo4j start to test the Neo4j backend")
    return uri


def open_test_store(backend: str, tmp_path: Path, actor: str = "tester") -> GraphStore:
    """An empty store of ``backend``; the Neo4j database is wiped first."""
    if backend == "embedded":
        from kgraph.store.embedded import EmbeddedStore

        return EmbeddedStore(tmp_path / "test.db", actor=actor)
    uri = neo4j_uri_or_skip()
    from kgraph.store.neo4j import Neo4jStore

    store = Neo4jStore(uri, actor=actor)
    store.wipe()
    return store


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend, cleaned up after the test."""
    s = open_test_store(backend, tmp_path)
    try:
        yield s
    finally:
        if backend == "neo4j":
            s.wipe()
        s.close()


@pytest.fixture
def seed_report() -> Path:
    if not SEED_REPORT.exists():
        pytest.skip(f"the City Deal report is not at {SEED_REPORT}")
    return SEED_REPORT
