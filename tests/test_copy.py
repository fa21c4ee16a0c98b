"""Copying a store between backends: the City Deal graph survives every hop unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import neo4j_uri_or_skip, open_test_store

from kgraph.cli import cli
from kgraph.copy import copy_store
from kgraph.errors import StoreError
from kgraph.importers import apply_batch
from kgraph.importers.base import ImportBatch
from kgraph.model import RECORD_COLLECTIONS, Edge, Node
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore


def citydeal() -> ImportBatch:
    """The City Deal graph from the reviewed data files in ``data/citydeal``."""
    from kgraph.importers import seed

    return seed.read(seed_folder())


def fill(store: GraphStore) -> None:
    """The City Deal graph plus a few edits, so the history holds every kind of change."""
    batch = citydeal()
    apply_batch(store, batch, actor="importer")
    question = next(n for n in batch.nodes if n.kind == "knowledge_question")
    handover = next(e for e in batch.edges if e.kind == "LANDS_IN")
    store.update_node(question.id, {"status": "in_progress", "owner": "Ada"}, actor="ada")
    store.update_edge(
        handover.src,
        "LANDS_IN",
        handover.dst,
        {"status": "accepted", "decided_on": "2024-03-01", "decided_by": "stuurgroep"},
        actor="voorzitter",
    )
    with store.transaction(actor="bea"):
        store.add_node(Node("kq:extra", "knowledge_question", "Wie beheert de sensoren?"))
        store.add_edge(Edge("kq:extra", "RELATES_TO", question.id, {"why": "zelfde wijk"}))
    store.delete_edge("kq:extra", "RELATES_TO", question.id, actor="cas")
    store.delete_node("kq:extra", actor="cas")


def snapshot(store: GraphStore) -> dict[str, Any]:
    everything = store.export_all()
    return {
        "nodes": sorted((n.to_dict() for n in everything.nodes.values()), key=lambda d: d["id"]),
        "edges": sorted(
            (e.to_dict() for e in everything.edges), key=lambda d: (d["src"], d["kind"], d["dst"])
        ),
        "statuses": sorted((e.key, e.status) for e in everything.edges if e.kind == "LANDS_IN"),
        "history": [c.to_dict() for c in store.history()],
        "counts": store.counts().to_dict(),
    }


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "source.db", actor="tester")
    fill(store)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = open_test_store("neo4j", tmp_path)
    yield store
    store.wipe()
    store.close()


def test_embedded_to_neo4j_to_embedded_is_identical(
    filled: EmbeddedStore, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    before = snapshot(filled)
    assert len(before["nodes"]) > 50 and len(before["statuses"]) > 10
    assert {c["op"] for c in before["history"]} == {
        "add_node",
        "add_edge",
        "update_node",
        "update_edge",
        "delete_node",
        "delete_edge",
        # the import batch every import records
        "add_record",
        "update_record",
    }
    seen: list[tuple[int, int]] = []
    result = copy_store(
        filled, neo4j_store, progress=lambda done, total: seen.append((done, total))
    )
    assert (result.nodes, result.edges, result.history) == (
        len(before["nodes"]),
        len(before["edges"]),
        len(before["history"]),
    )
    # the records (import batches, source titles) come along too
    records = sum(filled.count_records(c) for c in RECORD_COLLECTIONS)
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == records + sum(
        len(before[k]) for k in ("nodes", "edges", "history")
    )
    assert snapshot(neo4j_store) == before
    back = EmbeddedStore(tmp_path / "back.db")
    copy_store(neo4j_store, back)
    assert snapshot(back) == before
    # The copy goes on numbering transactions after the copied ones.
    back.add_node(Node("kq:after", "knowledge_question", "Daarna"), actor="dan")
    neo4j_store.add_node(Node("kq:after", "knowledge_question", "Daarna"), actor="dan")
    for store in (back, neo4j_store):
        last, previous = store.history()[-1], store.history()[-2]
        assert last.tx == previous.tx + 1 and last.seq == previous.seq + 1
    back.close()


def test_embedded_to_embedded(filled: EmbeddedStore, tmp_path: Path) -> None:
    copy = EmbeddedStore(tmp_path / "copy.db")
    copy_store(filled, copy)
    assert snapshot(copy) == snapshot(filled)
    copy.close()


def test_non_empty_destination_needs_replace(filled: EmbeddedStore, tmp_path: Path) -> None:
    dest = EmbeddedStore(tmp_path / "dest.db")
    dest.add_node(Node("org:old", "organisation", "Oud"))
    with pytest.raises(StoreError, match="already holds data"):
        copy_store(filled, dest)
    assert [n.id for n in dest.nodes()] == ["org:old"]
    copy_store(filled, dest, replace=True)
    assert dest.get_node("org:old") is None
    assert snapshot(dest) == snapshot(filled)
    with pytest.raises(StoreError, match="same store"):
        copy_store(filled, EmbeddedStore(filled.location), replace=True)
    dest.close()


def test_replace_on_neo4j(filled: EmbeddedStore, neo4j_store: GraphStore) -> None:
    neo4j_store.add_node(Node("org:old", "organisation", "Oud"))
    with pytest.raises(StoreError, match="already holds data"):
        copy_store(filled, neo4j_store)
    copy_store(filled, neo4j_store, replace=True)
    assert neo4j_store.get_node("org:old") is None
    assert snapshot(neo4j_store) == snapshot(filled)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["--as", "tester", "copy", *args])


def test_cli_copy(filled: EmbeddedStore, tmp_path: Path) -> None:
    dest = tmp_path / "cli.db"
    result = invoke(filled.location, str(dest))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("copied ") and "history entries" in result.stdout
    with EmbeddedStore(dest) as copied:
        assert snapshot(copied) == snapshot(filled)

    again = invoke(filled.location, str(dest))
    assert again.exit_code == 2
    assert again.stderr.strip().splitlines() == [
        f"kgraph: error: {dest} already holds data; use --replace to overwrite it"
    ]
    assert invoke(filled.location, str(dest), "--replace").exit_code == 0

    missing = invoke(str(tmp_path / "nope.db"), str(tmp_path / "x.db"))
    assert missing.exit_code == 2 and "no store at" in missing.stderr
    assert not (tmp_path / "nope.db").exists()


def test_cli_copy_to_neo4j_and_back(
    filled: EmbeddedStore, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    uri = neo4j_uri_or_skip()
    assert invoke(filled.location, uri).exit_code == 0
    back = tmp_path / "back.db"
    result = invoke(uri, str(back))
    assert result.exit_code == 0, result.output
    with EmbeddedStore(back) as copied:
        assert snapshot(copied) == snapshot(filled)
