"""The dashboard's analyses follow the store's change stamp, on both backends: an
unchanged store is not computed again (calls counted, across reruns and sessions), and a
write from another process is on the page at the next run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import open_test_store
from helpers.ui import open_page

from kgraph import cache
from kgraph.cache.core import CACHE
from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.paths import seed_folder

WRITER = """
import sys
from kgraph.model import Node
from kgraph.store import open_store
store = open_store(sys.argv[1], actor="cli")
store.add_node(Node("kq:elders-gesteld", "knowledge_question", "Gesteld via de opdrachtregel"))
store.close()
"""


@pytest.fixture
def location(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded store of ``backend`` that the app uses through ``KGRAPH_STORE``."""
    store = open_test_store(backend, tmp_path)
    apply_batch(store, seed_importer.read(seed_folder()))
    where = str(tmp_path / "test.db") if backend == "embedded" else _uri()
    store.close()
    monkeypatch.setenv("KGRAPH_STORE", where)
    cache.forget()
    yield where
    cache.flush()
    cache.forget()


def _uri() -> str:
    import os

    return os.environ["NEO4J_URI"]


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the analyses the cache computes (instead of finding them)."""
    names: list[str] = []
    real = CACHE.compute

    def counting(store: Any, analysis: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(analysis.name)
        return real(store, analysis, *args, **kwargs)

    monkeypatch.setattr(CACHE, "compute", counting)
    return names


def kinds_shown(at: Any) -> int:
    return int({m.label: m.value for m in at.metric}["Kennisvraag"].replace(".", ""))


def test_overview_computes_once_per_change_and_sees_other_processes(
    location: str, computed: list[str]
) -> None:
    at = open_page("overview")
    before = kinds_shown(at)
    assert computed.count("handover_overview") == 1
    assert computed.count("counts") == 1
    # unchanged: a rerun and a second session find everything computed
    at.run()
    other = open_page("overview", lang="en")
    assert not other.exception
    assert computed.count("handover_overview") == 1
    assert computed.count("counts") == 1
    # a write by another process (the command line): the next run shows it
    subprocess.run([sys.executable, "-c", WRITER, location], check=True)
    at.run()
    assert kinds_shown(at) == before + 1
    assert computed.count("counts") == 2
    assert computed.count("handover_overview") == 2
    # the new item lands nowhere: the overview's warning counts it
    assert any(
        "zonder landingsplaats" in w.value.lower() or "landingsplaats" in w.value
        for w in at.warning
    )


def test_the_gaps_page_reads_its_counts_once_per_change(location: str, computed: list[str]) -> None:
    at = open_page("gaps")
    at.run()
    open_page("gaps")
    assert computed.count("list_counts") == 1
    subprocess.run([sys.executable, "-c", WRITER, location], check=True)
    at.run()
    assert computed.count("list_counts") == 2
