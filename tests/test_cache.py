"""The analysis cache (``kgraph.cache``) on both backends: an unchanged store never
recomputes (calls counted), a write from another process makes the next lookup compute
afresh, results outlive the process in the file beside the store, expensive analyses run
in the background with the last result shown meanwhile."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kgraph import cache
from kgraph.cache import Analysis
from kgraph.model import Node
from kgraph.store.base import GraphStore

WRITER = """
import sys
from kgraph.model import Node
from kgraph.store import open_store
store = open_store(sys.argv[1], actor="elsewhere")
store.add_node(Node(sys.argv[2], "knowledge_question", "Gesteld in een ander proces"))
store.close()
"""


def write_elsewhere(store: GraphStore, node_id: str) -> None:
    """Add a node through another process (its own connection or driver)."""
    location = store.location if store.backend == "embedded" else _neo4j_uri()
    subprocess.run([sys.executable, "-c", WRITER, location, node_id], check=True)


def _neo4j_uri() -> str:
    import os

    return os.environ["NEO4J_URI"]


class Counted:
    """An analysis that counts how often it is computed: the questions in the store."""

    def __init__(self, name: str) -> None:
        self.calls = 0
        self.analysis: Analysis[list[str]] = Analysis(name, self.compute)

    def compute(self, store: GraphStore, **params: Any) -> list[str]:
        self.calls += 1
        return sorted(n.id for n in store.nodes(["knowledge_question"]))


@pytest.fixture(autouse=True)
def fresh_memory() -> Iterator[None]:
    cache.forget()
    yield
    cache.flush()
    cache.forget()


def seed(store: GraphStore) -> None:
    store.add_node(Node("kq:1", "knowledge_question", "Eerste vraag?"))


def test_an_unchanged_store_is_computed_once_per_process_and_once_in_all(
    store: GraphStore, tmp_path: Path
) -> None:
    seed(store)
    counted = Counted(f"count-{uuid.uuid4().hex}")
    assert cache.cached(store, counted.analysis) == ["kq:1"]
    assert cache.cached(store, counted.analysis) == ["kq:1"]
    assert counted.calls == 1
    cache.flush()
    cache.forget()  # as a new process: memory empty, the file holds the result
    assert cache.cached(store, counted.analysis) == ["kq:1"]
    assert counted.calls == 1
    # parameters are part of the key
    cache.cached(store, counted.analysis, variant=2)
    assert counted.calls == 2


def test_a_write_from_another_process_is_seen_at_the_next_lookup(
    store: GraphStore, tmp_path: Path
) -> None:
    seed(store)
    counted = Counted(f"elsewhere-{uuid.uuid4().hex}")
    assert cache.cached(store, counted.analysis) == ["kq:1"]
    write_elsewhere(store, "kq:2")
    assert cache.cached(store, counted.analysis) == ["kq:1", "kq:2"]
    assert counted.calls == 2
    assert cache.cached(store, counted.analysis) == ["kq:1", "kq:2"]
    assert counted.calls == 2


def test_threads_asking_at_once_share_one_computation(store: GraphStore, tmp_path: Path) -> None:
    seed(store)
    gate = threading.Event()
    calls = []

    def slow(s: GraphStore) -> int:
        calls.append(1)
        gate.wait(5)
        return len(s.nodes())

    analysis: Analysis[int] = Analysis(f"slow-{uuid.uuid4().hex}", slow)
    got: list[int] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.cached(store, analysis))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert got == [1, 1, 1, 1]
    assert len(calls) == 1


def test_a_background_analysis_never_blocks_and_shows_the_last_result(
    store: GraphStore, tmp_path: Path
) -> None:
    seed(store)
    gate = threading.Event()
    seen: list[float] = []

    def slow(s: GraphStore, progress: Any) -> list[str]:
        progress(0.5)
        seen.append(0.5)
        gate.wait(10)
        return sorted(n.id for n in s.nodes())

    analysis: Analysis[list[str]] = Analysis(f"bg-{uuid.uuid4().hex}", slow, progress=True)
    first = cache.latest(store, analysis)
    assert first.result is None and first.running and not first.current
    gate.set()
    done = cache.wait(store, analysis, timeout=30)
    assert done.current and done.value == ["kq:1"]
    # a change: the last result is shown (not current) while the new one is computed
    gate.clear()
    store.add_node(Node("kq:2", "knowledge_question", "Tweede vraag?"))
    stale = cache.latest(store, analysis)
    assert stale.value == ["kq:1"] and not stale.current and stale.running
    assert stale.result is not None and stale.result.computed_at
    gate.set()
    assert cache.wait(store, analysis, timeout=30).value == ["kq:1", "kq:2"]


def test_a_failed_background_analysis_says_why_and_is_not_retried_for_the_same_state(
    store: GraphStore, tmp_path: Path
) -> None:
    seed(store)
    calls = []

    def broken(s: GraphStore, progress: Any) -> int:
        calls.append(1)
        raise RuntimeError("kapot")

    analysis: Analysis[int] = Analysis(f"broken-{uuid.uuid4().hex}", broken, progress=True)
    failed = cache.wait(store, analysis, timeout=30)
    assert failed.error == "kapot" and failed.value is None
    assert cache.latest(store, analysis).error == "kapot"
    assert len(calls) == 1


def test_results_of_another_version_or_a_replaced_store_are_not_read(tmp_path: Path) -> None:
    from kgraph.store.embedded import EmbeddedStore

    path = tmp_path / "s.db"
    store = EmbeddedStore(path)
    seed(store)
    counted = Counted("versioned")
    cache.cached(store, counted.analysis)
    cache.flush()
    assert cache.cache_file(store) == str(path) + ".analyses"
    cache.forget()
    newer: Analysis[list[str]] = Analysis("versioned", counted.compute, version=2)
    cache.cached(store, newer)
    assert counted.calls == 2
    cache.flush()
    # the store file deleted and made again with the same number of changes: other times
    store.close()
    for leftover in tmp_path.glob("s.db*"):
        if not leftover.name.endswith(".analyses"):
            leftover.unlink()
    cache.forget()
    store = EmbeddedStore(path)
    store.add_node(Node("kq:9", "knowledge_question", "Een andere vraag?"))
    assert cache.cached(store, newer) == ["kq:9"]
    store.close()


def test_without_a_writable_folder_the_cache_works_from_memory(tmp_path: Path) -> None:
    from kgraph.cache import disk

    (tmp_path / "file-not-folder").write_text("")  # a file where the folder should be
    broken = disk.DiskCache([tmp_path / "file-not-folder" / "x.analyses"])
    assert broken.path is None
    assert broken.head(("s", "a", 1, "{}")) is None
    broken.put(("s", "a", 1, "{}"), disk.Stored("1@", 0.0, "", 0.0), b"")
    assert broken.claim(("s", "a", 1, "{}"), "1@") is None


def test_a_result_is_json_in_the_file_never_a_pickle(tmp_path: Path) -> None:
    from kgraph.cache import disk
    from kgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "j.db")
    seed(store)
    cache.cached(store, Counted("as-json").analysis)
    cache.flush()
    files = disk.DiskCache([Path(str(tmp_path / "j.db") + ".analyses")])
    [(data,)] = files._conn.execute("SELECT data FROM results").fetchall()  # type: ignore[union-attr]
    assert disk.decode(data) == ["kq:1"]
    store.close()
