"""Shared fixtures: a ``store`` fixture run against every backend, and the seed paths.

The Neo4j backend runs when ``NEO4J_URI`` is set (``scripts/neo4j start`` prints it). In
CI (``CI`` set) a missing or unreachable Neo4j fails those tests instead of skipping them,
and so does a missing Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from kgraph.store.base import GraphStore

REPO = Path(__file__).resolve().parents[1]
SEED_REPORT = REPO / "data" / "sources" / "000_4a3caf141793d018.txt"
CAA_AGENDA = REPO / "data" / "sources" / "caa-research-agenda"
DATA = Path(__file__).resolve().parent / "data"

BACKENDS = ["embedded", "neo4j"]


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip a test whose tool or server is missing here; in CI (``CI`` set), where
    ``.ci/run`` provides them all, the missing piece is a failure instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def neo4j_uri_or_skip(var: str = "NEO4J_URI") -> str:
    """The test server's URI from ``var``; skip locally without one, fail in CI."""
    uri = os.environ.get(var)
    if not uri:
        skip_unless_ci(f"{var} is not set: start Neo4j with scripts/neo4j start")
    return uri


def chromium_or_skip() -> str:
    """The Chromium binary; skip locally without one, fail in CI."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        skip_unless_ci("chromium is not installed")
    return chromium


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
