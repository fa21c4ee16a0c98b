"""Fixtures for the steering group's pages in AppTest, on both backends: the City Deal
seed (as ``kgraph seed`` makes it, attributed to "kgraph (seed)") in an embedded file or
the test Neo4j, used by the app through ``KGRAPH_STORE``, and a second connection to it.

Test modules load them with ``pytest_plugins = ["review_fixtures"]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_test_store

from kgraph.seeding import seed_store
from kgraph.store.base import GraphStore


@pytest.fixture
def location(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded store of ``backend``, which the app opens through ``KGRAPH_STORE``."""
    store = open_test_store(backend, tmp_path, actor="seed")
    seed_store(store)
    where = str(tmp_path / "test.db") if backend == "embedded" else store.location
    if backend == "neo4j":
        import os

        where = os.environ["NEO4J_URI"]
    store.close()
    monkeypatch.setenv("KGRAPH_STORE", where)
    yield where


@pytest.fixture
def reader(location: str, backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """A second connection to the app's store, as another process would have."""
    from kgraph.store import open_store

    store = open_store(location, actor="reader")
    yield store
    if backend == "neo4j":
        store.wipe()
    store.close()
