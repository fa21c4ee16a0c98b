"""The embedded store across processes: shared file, concurrent writers, durability."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from kgraph.errors import StoreError
from kgraph.model import Edge, Node
from kgraph.store.embedded import EmbeddedStore

WRITES = 150


def _writer(path: str, name: str, cop: str) -> None:
    store = EmbeddedStore(path, actor=name)
    for i in range(WRITES):
        node_id = f"kq:{name}-{i}"
        with store.transaction():
            store.add_node(Node(node_id, "knowledge_question", f"Vraag {i} van {name}"))
            store.add_edge(Edge(node_id, "RAISED_IN", cop))
        # read-modify-write of a shared node inside one transaction: a lost update
        # would show in the counter
        with store.transaction():
            node = store.get_node(cop)
            assert node is not None
            count = int(node.props.get("count", 0))
            store.update_node(cop, {"count": count + 1}, expected_version=node.version)
    store.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    store = EmbeddedStore(path, actor="setup")
    store.add_node(Node("cop:a", "cop", "CoP"))
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, name, "cop:a")) for name in ("ada", "bea")]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    counts = store.counts()
    assert counts.nodes["knowledge_question"] == 2 * WRITES
    assert counts.edges["RAISED_IN"] == 2 * WRITES
    cop = store.get_node("cop:a")
    assert cop is not None and cop.props["count"] == 2 * WRITES
    assert cop.version == 1 + 2 * WRITES
    history = store.history()
    assert len(history) == 1 + 2 * WRITES * 3
    assert {c.actor for c in history} == {"setup", "ada", "bea"}
    assert store.integrity_problems() == []
    store.close()


def test_a_second_process_sees_committed_changes(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    first = EmbeddedStore(path)
    second = EmbeddedStore(path)
    first.add_node(Node("cop:a", "cop", "CoP"))
    assert second.get_node("cop:a") is not None
    second.update_node("cop:a", {"title": "Nieuw"})
    node = first.get_node("cop:a")
    assert node is not None and node.title == "Nieuw"
    first.close()
    second.close()


def test_store_file_is_durable_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    store = EmbeddedStore(path)
    store.add_node(Node("cop:a", "cop", "CoP"))
    store.close()
    again = EmbeddedStore(path)
    assert again.get_node("cop:a") is not None
    assert [c.op for c in again.history()] == ["add_node"]
    again.close()


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        EmbeddedStore(junk)
