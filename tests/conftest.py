"""Shared fixtures: a ``store`` fixture run against every backend, and the seed paths.

The Neo4j backend runs when ``NEO4J_URI`` is set (``make test`` starts a throw-away Neo4j
and sets it when Java and Maven are there; ``scripts/neo4j start`` prints it). In CI
(``CI`` set) a missing or unreachable Neo4j fails those tests instead of skipping them, and
so does a missing Chromium. Whatever was skipped is summed up in one closing line that says
how to enable it. No fixture has a wall-clock limit: a slow machine makes the suite slow,
never red.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, settings

from kgraph.paths import SOURCES
from kgraph.store.base import GraphStore

REPO = Path(__file__).resolve().parents[1]
SEED_REPORT = SOURCES / "000_4a3caf141793d018.txt"
CAA_AGENDA = SOURCES / "caa-research-agenda"
DATA = Path(__file__).resolve().parent / "data"

BACKENDS = ["embedded", "neo4j"]

# Hypothesis times each example (200 ms by default) and calls a slow one an error: on a
# busy machine that is the machine, not the code.
settings.register_profile("kgraph", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("kgraph")


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip a test whose tool or server is missing here; in CI (``CI`` set), where
    ``.ci/run`` provides them all, the missing piece is a failure instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


#: How to get the server a test reads from each variable (``make test`` starts both when
#: Java 17+ and Maven are installed).
NEO4J_HOW = {
    "NEO4J_URI": "install Java 17+ and Maven, or run scripts/neo4j start and set NEO4J_URI",
    "KGRAPH_TEST_NEO4J_AUTH_URI": "install Java 17+ and Maven, or run KGRAPH_NEO4J_AUTH=true "
    "KGRAPH_NEO4J_PORT=7688 scripts/neo4j start and set KGRAPH_TEST_NEO4J_AUTH_URI",
}


def neo4j_uri_or_skip(var: str = "NEO4J_URI") -> str:
    """The test server's URI from ``var``; skip locally without one, fail in CI."""
    uri = os.environ.get(var)
    if not uri:
        how = NEO4J_HOW.get(var, f"set {var}")
        skip_unless_ci(f"{var} is not set (to run them: {how})")
    return uri


def chromium_or_skip() -> str:
    """The Chromium binary; skip locally without one, fail in CI."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        skip_unless_ci("chromium is not installed (to run them: apt-get install chromium)")
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
    """The City Deal report, part of the repository (``data/sources/``)."""
    assert SEED_REPORT.is_file(), f"the City Deal report is missing from {SEED_REPORT}"
    return SEED_REPORT


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One closing line: how many tests were skipped, why, and how to run them."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: Counter[str] = Counter()
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    parts = "; ".join(f"{n} because {reason}" for reason, n in reasons.most_common())
    terminalreporter.write_line(f"SKIPPED {len(skipped)}: {parts}", yellow=True, bold=True)
