"""Records (what a store keeps beside the graph) and pages of the history, on every backend."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kgraph.auth.guard import GuardedStore
from kgraph.copy import copy_store
from kgraph.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore
from kgraph.store.values import Record


def test_a_record_is_kept_with_its_stamps_and_found_by_ref(store: GraphStore) -> None:
    first = store.add_record(
        "action", {"what": "Bel DMI", "owner": "Ada", "due": "2024-05-01"}, ref="cq:a|LANDS_IN|lp:b"
    )
    assert len(first.id) == 12 and first.version == 1 and first.updated_by == "tester"
    assert first.created_at == first.updated_at
    second = store.add_record("action", {"what": "Stuur verslag"}, id="a2", ref="other")
    store.add_record("meeting", {"title": "Stuurgroep maart", "on": "2024-03-12"}, id="m1")

    assert store.get_record("action", first.id) == first
    assert store.get_record("meeting", first.id) is None
    assert [r.id for r in store.records("action")] == [first.id, "a2"]
    assert store.records("action", ref="cq:a|LANDS_IN|lp:b") == [first]
    assert store.count_records("action") == 2
    assert store.count_records("action", ref="other") == 1
    assert store.records("action", limit=1, offset=1) == [second]
    assert store.records("view") == [] and store.count_records("view") == 0
    # never part of the graph
    assert store.nodes() == [] and store.counts().nodes == {}
    assert store.search("verslag") == []
    assert not store.is_empty()


def test_a_record_id_is_unique_per_collection(store: GraphStore) -> None:
    store.add_record("view", {"focus": ["cop:ethiek"]}, id="ethiek")
    with pytest.raises(DuplicateError):
        store.add_record("view", {}, id="ethiek")
    store.add_record("layout", {"positions": {}}, id="ethiek")  # another collection: fine
    assert store.get_record("view", "ethiek") is not None


def test_updates_merge_keys_count_versions_and_detect_conflicts(store: GraphStore) -> None:
    rec = store.add_record("action", {"what": "Bel DMI", "owner": "Ada"}, id="a1")
    changed = store.update_record("action", "a1", {"owner": "Bo", "what": None, "done_on": "x"})
    assert dict(changed.data) == {"owner": "Bo", "done_on": "x"}
    assert changed.version == 2 and changed.ref == ""
    moved = store.update_record("action", "a1", {}, ref="elsewhere", expected_version=2)
    assert moved.ref == "elsewhere" and moved.version == 3
    with pytest.raises(ConflictError, match="changed by tester"):
        store.update_record("action", "a1", {"owner": "Cy"}, expected_version=rec.version)
    assert store.get_record("action", "a1") == moved
    # nothing to change: no new version, no history entry
    seq = store.last_change()
    assert store.update_record("action", "a1", {"owner": "Bo"}) == moved
    assert store.last_change() == seq
    with pytest.raises(NotFoundError):
        store.update_record("action", "nope", {"owner": "Bo"})


def test_record_writes_are_in_the_history(store: GraphStore) -> None:
    rec = store.add_record("meeting", {"title": "Stuurgroep"}, id="m1", actor="Ada")
    store.update_record("meeting", "m1", {"title": "Stuurgroep maart"}, actor="Bo")
    store.delete_record("meeting", "m1", actor="Cy")
    assert store.get_record("meeting", "m1") is None
    changes = store.history(target="@meeting/m1")
    assert [(c.op, c.actor) for c in changes] == [
        ("add_record", "Ada"),
        ("update_record", "Bo"),
        ("delete_record", "Cy"),
    ]
    assert changes[0].before is None and changes[0].after == rec.to_dict()
    assert changes[1].after is not None and changes[1].after["data"] == {
        "title": "Stuurgroep maart"
    }
    assert changes[2].after is None and Record.from_dict(changes[2].before or {}).version == 2
    with pytest.raises(NotFoundError):
        store.delete_record("meeting", "m1")


def test_layouts_are_presentation_state_outside_the_history(store: GraphStore) -> None:
    store.add_node(Node("cop:a", "cop", "A"))
    seq = store.last_change()
    store.add_record("layout", {"positions": {"cop:a": [0.5, -1.25]}}, id="v1")
    store.update_record("layout", "v1", {"positions": {"cop:a": [1.0, 2.0]}})
    assert store.last_change() == seq
    assert store.get_record("layout", "v1") is not None
    assert dict(store.get_record("layout", "v1").data) == {"positions": {"cop:a": [1.0, 2.0]}}
    assert all(not c.target.startswith("@") for c in store.history())


def test_a_failed_transaction_keeps_no_record(store: GraphStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_record("action", {"what": "x"}, id="a1")
        store.add_node(Node("cop:a", "cop", "A"))
        raise RuntimeError("stop")
    assert store.get_record("action", "a1") is None and store.get_node("cop:a") is None
    with store.transaction():
        store.add_record("action", {"what": "x"}, id="a1")
        store.update_record("action", "a1", {"what": "y"})
    assert store.get_record("action", "a1").data == {"what": "y"}
    assert len({c.tx for c in store.history(target="@action/a1")}) == 1


@pytest.mark.parametrize(
    ("collection", "data", "kwargs", "message"),
    [
        ("actions", {}, {}, "record collection"),
        ("action", {"when": {1, 2}}, {}, "must be text"),
        ("action", {"score": float("nan")}, {}, "finite"),
        ("action", {1: "x"}, {}, "key that is not text"),
        ("action", ["x"], {}, "mapping"),
        ("action", {}, {"id": "has space"}, "invalid id"),
        ("action", {}, {"id": "a/b"}, "invalid id"),
        ("action", {}, {"ref": "line\nbreak"}, "control characters"),
        ("action", {}, {"ref": "x" * 600}, "at most 512"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_written(
    store: GraphStore, collection: str, data: object, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        store.add_record(collection, data, **kwargs)
    assert store.last_change() == 0 and store.count_records("action") == 0


def test_nested_json_values_round_trip(store: GraphStore) -> None:
    data = {
        "filters": {"kinds": ["cop", "theme"], "depth": 2, "statuses": []},
        "positions": {"kq:a": [0.1, -3.5e-7], "cop:b": [1e10, 2]},
        "note": 'Zeggen "ja" <b>& nee</b> — één',
        "empty": None,
        "flag": False,
    }
    rec = store.add_record("view", data, id="v")
    assert store.get_record("view", "v") == rec and dict(rec.data) == data


def test_wipe_removes_records(store: GraphStore) -> None:
    store.add_record("meeting", {"title": "x"}, id="m1")
    store.add_record("layout", {"positions": {}}, id="l1")
    store.wipe()
    assert store.count_records("meeting") == 0 and store.count_records("layout") == 0
    assert store.is_empty()


def test_concurrent_updates_of_one_record_lose_nothing(store: GraphStore) -> None:
    store.add_record("action", {}, id="a1")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                store.update_record("action", "a1", {f"w{n}_{i}": i})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rec = store.get_record("action", "a1")
    assert rec is not None and len(rec.data) == 60 and rec.version == 61
    assert len(store.history(target="@action/a1")) == 61


def test_the_role_guard_covers_records(store: GraphStore) -> None:
    viewer = GuardedStore(store, "Vera", "viewer")
    with pytest.raises(PermissionDenied):
        viewer.add_record("view", {}, id="v")
    editor = GuardedStore(store, "Eddy", "editor")
    rec = editor.add_record("view", {"depth": 1}, id="v")
    assert rec.updated_by == "Eddy" and viewer.records("view") == [rec]
    assert viewer.get_record("view", "v") == rec and viewer.count_records("view") == 1
    with pytest.raises(PermissionDenied):
        editor.add_record("view", {}, id="w", actor="Someone else")
    with pytest.raises(PermissionDenied):
        editor.load_records([Record("view", "w", {}, "", "2024", "2024", "x", 3)])
    editor.update_record("view", "v", {"depth": 2})
    editor.delete_record("view", "v")
    assert store.count_records("view") == 0


def test_copy_carries_records_with_their_stamps(store: GraphStore, tmp_path: Path) -> None:
    store.add_node(Node("cop:a", "cop", "A"))
    action = store.add_record("action", {"what": "Bel"}, id="a1", ref="x")
    action = store.update_record("action", "a1", {"owner": "Ada"})
    layout = store.add_record("layout", {"positions": {"cop:a": [1, 2]}}, id="l1")
    with EmbeddedStore(tmp_path / "copy.db") as copy:
        result = copy_store(store, copy)
        assert result.records == 2
        assert copy.get_record("action", "a1") == action
        assert copy.get_record("layout", "l1") == layout
        assert [c.op for c in copy.history(target="@action/a1")] == ["add_record", "update_record"]
        assert copy.integrity_problems() == []
        snap = tmp_path / "snap.db"
        copy.snapshot(snap)
    with EmbeddedStore(snap) as again:
        assert again.get_record("action", "a1") == action


def test_integrity_check_counts_records_as_live(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s.db") as store:
        store.add_record("meeting", {"title": "x"}, id="m1")
        store.add_record("meeting", {"title": "y"}, id="m2")
        store.delete_record("meeting", "m2")
        assert store.integrity_problems() == []
        conn = sqlite3.connect(tmp_path / "s.db")
        conn.execute("DELETE FROM records WHERE id = 'm1'")
        conn.commit()
        conn.close()
        assert store.integrity_problems() == [
            "@meeting/m1: history ends with add_record but it is absent"
        ]


def test_a_store_of_schema_2_gains_the_records_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        store.add_node(Node("cop:a", "cop", "A"))
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE records")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with EmbeddedStore(path) as store:
        assert [n.id for n in store.nodes()] == ["cop:a"]
        store.add_record("meeting", {"title": "x"}, id="m1")
        assert store.count_records("meeting") == 1


# --- pages of the history -----------------------------------------------------------------


def _history_of_both_kinds(store: GraphStore) -> None:
    """Single entries before and after two bulk loads (Neo4j keeps a bulk load's entries
    in compressed batches, so pages must cross both kinds), by three people."""
    store.add_node(Node("cop:a", "cop", "Ethiek"), actor="Ada")
    store.bulk_load(
        [Node(f"kq:q{i:04d}", "knowledge_question", f"Vraag {i}") for i in range(2300)],
        [Edge(f"kq:q{i:04d}", "RAISED_IN", "cop:a") for i in range(0, 2300, 7)],
        actor="Bo",
    )
    for i in range(12):
        store.update_node(f"kq:q{i:04d}", {"status": "in_progress"}, actor="Ada" if i % 2 else "Cy")
    store.add_record("meeting", {"title": "Stuurgroep"}, id="m1", actor="Cy")
    store.bulk_load([Node("cop:b", "cop", "Lokaal meten")], [], actor="Cy")
    store.update_node("cop:a", {"text": "Het ethisch gesprek"}, actor="Bo")


def test_history_pages_match_slices_of_the_whole(store: GraphStore) -> None:
    _history_of_both_kinds(store)
    everything = store.history()
    assert [c.seq for c in everything] == sorted(c.seq for c in everything)
    total = len(everything)
    assert total == 1 + 2300 + 329 + 12 + 1 + 1 + 1
    assert store.count_history() == total
    newest = everything[::-1]
    for offset, limit in [(0, 25), (5, 25), (1990, 40), (total - 3, 10), (total, 5), (0, None)]:
        end = None if limit is None else offset + limit
        assert store.history(offset=offset, limit=limit) == everything[offset:end]
        assert store.history(offset=offset, limit=limit, newest_first=True) == newest[offset:end]
    assert store.history(limit=0, newest_first=True) == []


@pytest.mark.parametrize(
    "filters",
    [
        {"actor": "Ada"},
        {"actor": "Bo"},
        {"target": "cop:a"},
        {"target": "kq:q0003"},
        {"target": "@meeting/m1"},
        {"actor": "Cy", "target": "kq:q0002"},
    ],
)
def test_filtered_history_pages_match_filtered_slices(
    store: GraphStore, filters: dict[str, str]
) -> None:
    _history_of_both_kinds(store)
    everything = store.history()
    wanted = [
        c
        for c in everything
        if ("actor" not in filters or c.actor == filters["actor"])
        and (
            "target" not in filters
            or c.target == filters["target"]
            or filters["target"] in c.target.split("|")[::2]
        )
    ]
    assert store.history(**filters) == wanted
    assert store.count_history(**filters) == len(wanted)
    newest = wanted[::-1]
    for offset, limit in [(0, 3), (1, 2), (len(wanted) - 1, 5)]:
        got = store.history(offset=offset, limit=limit, newest_first=True, **filters)
        assert got == newest[offset : offset + limit]
        assert (
            store.history(offset=offset, limit=limit, **filters) == wanted[offset : offset + limit]
        )


def test_history_pages_filtered_by_time(store: GraphStore) -> None:
    _history_of_both_kinds(store)
    everything = store.history()
    cut = everything[len(everything) // 2].at
    later = [c for c in everything if c.at >= cut]
    earlier = [c for c in everything if c.at < cut]
    assert store.count_history(since=cut) == len(later)
    assert store.count_history(until=cut) == len(earlier)
    assert store.history(since=cut, newest_first=True, limit=7) == later[::-1][:7]
    assert store.history(until=cut, offset=3, limit=4) == earlier[3:7]
