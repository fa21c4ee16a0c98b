"""The embedded store's read cache never shows stale or shared data.

Neighbourhoods are served from memory once their rows have been read (see
``kgraph.store.embedded.cache``); these tests change the graph in every way the cache could
miss (this store, another connection, another process, a rolled-back transaction, another
thread) and compare with what a filtered, uncached read gives.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from pathlib import Path

import pytest

from kgraph.model import Edge, Node
from kgraph.store.base import Subgraph
from kgraph.store.embedded import EmbeddedStore
from kgraph.store.embedded.cache import ReadCache


def _graph(store: EmbeddedStore, questions: int = 12) -> None:
    nodes = [Node("cop:a", "cop", "CoP A"), Node("value:v", "value", "Waarde")]
    edges: list[Edge] = []
    for i in range(questions):
        q = f"kq:{i:02d}"
        nodes.append(Node(q, "knowledge_question", f"Vraag {i}", props={"owner": f"o{i}"}))
        edges.append(Edge(q, "RAISED_IN", "cop:a"))
        if i % 2:
            edges.append(Edge(q, "CONCERNS", "value:v"))
    store.bulk_load(nodes, edges)


def _uncached(store: EmbeddedStore, focus: str, cap: int = 300) -> Subgraph:
    # a store opened just now has an empty cache: its first read is all SQLite
    fresh = EmbeddedStore(store.path)
    try:
        return fresh.neighbourhood([focus], depth=2, cap=cap)
    finally:
        fresh.close()


def _same(a: Subgraph, b: Subgraph) -> None:
    assert list(a.nodes) == list(b.nodes)
    assert a.nodes == b.nodes
    assert a.edges == b.edges
    assert a.truncated == b.truncated


def _warm(store: EmbeddedStore, focus: str, cap: int = 300) -> Subgraph:
    # three reads: the first reads rows, the second keeps out-edges, the third is memory
    for _ in range(3):
        sub = store.neighbourhood([focus], depth=2, cap=cap)
    return sub


@pytest.mark.parametrize("cap", [300, 5])
def test_cached_neighbourhood_equals_the_uncached_one(tmp_path: Path, cap: int) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    _graph(store)
    for focus in ("kq:03", "cop:a", "value:v"):
        _same(_warm(store, focus, cap), _uncached(store, focus, cap))
    assert store._cache.nodes  # the reads above were served from the cache
    store.close()


def test_own_writes_show_at_once(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db", actor="ada")
    _graph(store)
    _warm(store, "kq:03")
    store.update_node("kq:01", {"title": "Nieuwe titel", "owner": None})
    store.add_node(Node("kq:new", "knowledge_question", "Nieuw"))
    store.add_edge(Edge("kq:new", "RELATES_TO", "kq:03"))
    store.update_edge("kq:01", "RAISED_IN", "cop:a", {"weight": 2})
    store.delete_edge("kq:05", "CONCERNS", "value:v")
    sub = store.neighbourhood(["kq:03"], depth=2)
    _same(sub, _uncached(store, "kq:03"))
    assert sub.nodes["kq:01"].title == "Nieuwe titel" and sub.nodes["kq:01"].props == {}
    assert "kq:new" in sub.nodes
    store.close()


def test_a_rolled_back_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    _graph(store)
    before = _warm(store, "kq:03")
    with pytest.raises(RuntimeError), store.transaction():
        store.update_node("kq:01", {"title": "Nooit bewaard"})
        # a read inside the transaction sees the change, and must not keep it
        assert store.neighbourhood(["kq:03"], depth=2).nodes["kq:01"].title == "Nooit bewaard"
        raise RuntimeError("abort")
    _same(store.neighbourhood(["kq:03"], depth=2), before)
    store.close()


def test_another_connection_s_commit_empties_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    reader = EmbeddedStore(path)
    _graph(reader)
    _warm(reader, "kq:03")
    writer = EmbeddedStore(path, actor="bea")
    writer.update_node("kq:01", {"status": "answered"})
    writer.delete_node("kq:07")
    sub = reader.neighbourhood(["kq:03"], depth=2)
    assert sub.nodes["kq:01"].status == "answered" and "kq:07" not in sub.nodes
    _same(sub, _uncached(reader, "kq:03"))
    writer.close()
    reader.close()


def _write_elsewhere(path: str) -> None:
    store = EmbeddedStore(path, actor="cleo")
    store.update_node("kq:01", {"title": "Uit een ander proces"})
    store.add_edge(Edge("kq:00", "RELATES_TO", "kq:02"))
    store.close()


def test_another_process_s_commit_empties_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = EmbeddedStore(path)
    _graph(store)
    _warm(store, "kq:03")
    proc = mp.get_context("spawn").Process(target=_write_elsewhere, args=(str(path),))
    proc.start()
    proc.join(timeout=120)
    assert proc.exitcode == 0
    sub = store.neighbourhood(["kq:03"], depth=2)
    assert sub.nodes["kq:01"].title == "Uit een ander proces"
    assert any(e.key == "kq:00|RELATES_TO|kq:02" for e in sub.edges)
    _same(sub, _uncached(store, "kq:03"))
    store.close()


def test_callers_get_their_own_objects(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    store.bulk_load(
        [
            Node("kq:a", "knowledge_question", "A", props={"labels": ["x", "y"]}),
            Node("lp:b", "landing_place", "B"),
            Node("cq:c", "complex_question", "C"),
        ],
        [Edge("cq:c", "LANDS_IN", "lp:b", {"note": "n"}), Edge("kq:a", "FEEDS", "cq:c")],
    )
    first = _warm(store, "cq:c")
    first.nodes["kq:a"].props["labels"].append("z")
    first.nodes["kq:a"].props["extra"] = 1  # type: ignore[index]
    first.edges[0].props["note"] = "changed"  # type: ignore[index]
    again = store.neighbourhood(["cq:c"], depth=2)
    assert again.nodes["kq:a"].props == {"labels": ["x", "y"]}
    assert {e.key: dict(e.props) for e in again.edges}["cq:c|LANDS_IN|lp:b"] == {
        "note": "n",
        "status": "proposed",
    }
    store.close()


def test_threads_reading_and_writing_see_no_stale_rows(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db", actor="t")
    _graph(store)
    errors: list[str] = []

    def write() -> None:
        for i in range(40):
            store.update_node("kq:01", {"title": f"Titel {i}"})

    def read() -> None:
        for _ in range(80):
            with store._lock:  # the neighbourhood and the check see one moment
                got = store.neighbourhood(["kq:03"], depth=2).nodes["kq:01"].title
                stored = store.get_node("kq:01")
            if stored is None or got != stored.title:
                errors.append(f"{got} != {stored}")

    threads = [threading.Thread(target=f) for f in (write, read, read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store.close()


def test_the_cache_stays_within_its_bounds(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    _graph(store, questions=40)
    store._cache = ReadCache(max_nodes=10, max_edges=15, max_links=20)
    for i in range(40):
        _same(_warm(store, f"kq:{i:02d}"), _uncached(store, f"kq:{i:02d}"))
        cache = store._cache
        assert len(cache.nodes) <= 10 and len(cache.out) <= 10 and len(cache.links) <= 10
        assert sum(len(v) for v in cache.out.values() if v) <= 15
        assert sum(len(v[0]) for v in cache.links.values()) <= 20
    store.close()
