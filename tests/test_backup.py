"""Backup and restore: a snapshot taken while another process writes restores consistently;
restore refuses a store that holds anything unless told to replace it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import open_test_store
from helpers.numbered import check

from kgraph.auth.guard import GuardedStore
from kgraph.backup import backup, restore
from kgraph.cli import cli
from kgraph.errors import KGraphError, PermissionDenied
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore

HELPER = Path(__file__).resolve().parent / "helpers" / "numbered.py"
# Enough data that copying it takes a while on the embedded store, so the writer is
# busy during the backup; fewer on Neo4j, whose loads are slower.
BULK = {"embedded": 20_000, "neo4j": 500}
# Neo4j reads are not one snapshot: its backup needs a quiet moment between changes
# (about one change a second: ten people saving every ten seconds). On a busy machine a
# copy takes longer than that, so the pause is at least three times one quiet copy: the
# machine's speed changes how long the test takes, not whether it passes.
PAUSE = {"embedded": 0.0, "neo4j": 1.0}
QUIET_COPIES = 3
#: backups in a row the writer must keep going through (a blocked writer fails the test)
MAX_COPIES = 500


class _Acks:
    """Collects the numbers a writer acknowledges, as they arrive."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.numbers: list[int] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip().isdigit():
                self.numbers.append(int(line))

    def wait_for(self, count: int) -> None:
        """Until ``count`` numbers are in; fails if the writer ends first (no deadline: a
        busy machine only makes the writer slower)."""
        while len(self.numbers) < count:
            assert self.proc.poll() is None, "the writer stopped before it got going"
            time.sleep(0.01)


def _fill(store: GraphStore, n: int) -> None:
    store.add_node(Node("lp:dmi", "landing_place", "DMI-ecosysteem"))
    nodes = [
        Node(f"org:bulk-{i}", "organisation", f"Organisatie {i}", text="x" * 200) for i in range(n)
    ]
    edges = [Edge("lp:dmi", "INVOLVES", f"org:bulk-{i}") for i in range(n)]
    store.bulk_load(nodes, edges)


def _location(store: GraphStore, backend: str) -> str:
    import os

    return store.location if backend == "embedded" else os.environ["NEO4J_URI"]


def test_backup_during_writes_restores_a_consistent_store(backend: str, tmp_path: Path) -> None:
    store = open_test_store(backend, tmp_path)
    snapshot = tmp_path / "snapshot.db"
    proc = None
    try:
        _fill(store, BULK[backend])
        bulk_entries = len(store.history())
        pause = PAUSE[backend]
        if pause:
            started = time.perf_counter()
            backup(store, tmp_path / "quiet.db")
            pause = max(pause, QUIET_COPIES * (time.perf_counter() - started))
        proc = subprocess.Popen(
            [
                sys.executable,
                str(HELPER),
                _location(store, backend),
                "--pause",
                f"{pause:.2f}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        acks = _Acks(proc)
        acks.wait_for(5)
        acked_before = set(acks.numbers)
        started = time.perf_counter()
        result = backup(store, snapshot)
        seconds = time.perf_counter() - started
        during = len(acks.numbers) - len(acked_before)
        acks.wait_for(len(acks.numbers) + 3)  # the writer carries on after the backup
        proc.kill()
        proc.wait()

        # the snapshot itself is an intact store
        probe = tmp_path / "probe.db"
        shutil.copyfile(snapshot, probe)
        with EmbeddedStore(probe) as snap:
            assert snap.integrity_problems() == []

        # restore refuses the (non-empty) live store, then replaces it when told to
        with pytest.raises(KGraphError, match="not empty"):
            restore(snapshot, store)
        restored = restore(snapshot, store, replace=True)
        assert (restored.nodes, restored.edges) == (result.nodes, result.edges)
        last, problems = check(store, acked_before)
        assert problems == []
        assert last >= max(acked_before)
        assert len(store.nodes(["organisation"])) == BULK[backend]
        assert len(store.history()) == bulk_entries + 1 + 3 * last + last // 10
        if backend == "embedded":
            assert store.integrity_problems() == []
        print(
            f"\nFIGURES backup {backend}: {result.nodes} nodes, {result.edges} edges, "
            f"{result.changes} history entries in {seconds:.2f} s; snapshot at change {last}; "
            f"{during} changes acknowledged while the backup ran"
        )
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if backend == "neo4j":
            store.wipe()
        store.close()


def test_embedded_backup_does_not_stop_the_writer(tmp_path: Path) -> None:
    """SQLite's online backup reads one snapshot while a writer goes on committing."""
    store = EmbeddedStore(tmp_path / "live.db")
    _fill(store, BULK["embedded"])
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(store.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        acks = _Acks(proc)
        acks.wait_for(5)
        before = len(acks.numbers)
        # back up over and over; the writer must keep acknowledging meanwhile. Counted in
        # backups, not seconds, so a busy machine cannot make it fail.
        copies = 0
        while len(acks.numbers) <= before + 2 and copies < MAX_COPIES:
            backup(store, tmp_path / "copy.db", overwrite=True)
            copies += 1
        assert len(acks.numbers) > before + 2, "the writer was blocked by the backups"
    finally:
        proc.kill()
        proc.wait()
        store.close()


def test_restore_into_an_empty_store_is_exact(backend: str, tmp_path: Path) -> None:
    source = EmbeddedStore(tmp_path / "source.db", actor="ada")
    source.add_node(Node("cop:ethiek", "cop", "Ethiek"))
    source.add_node(Node("lp:dmi", "landing_place", "DMI-ecosysteem"))
    source.add_edge(Edge("cop:ethiek", "LANDS_IN", "lp:dmi", {"status": "proposed"}))
    source.update_edge("cop:ethiek", "LANDS_IN", "lp:dmi", {"status": "accepted"}, actor="bea")
    source.delete_node("lp:dmi", actor="bea")
    backup(source, tmp_path / "snap.db")
    target = open_test_store(backend, tmp_path / "t")
    try:
        restore(tmp_path / "snap.db", target)
        assert [n.to_dict() for n in target.nodes()] == [n.to_dict() for n in source.nodes()]
        assert target.edges() == source.edges()
        old = [(c.tx, c.at, c.actor, c.op, c.target, c.before, c.after) for c in source.history()]
        new = [(c.tx, c.at, c.actor, c.op, c.target, c.before, c.after) for c in target.history()]
        assert new == old
    finally:
        if backend == "neo4j":
            target.wipe()
        target.close()
        source.close()


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    db, other, snap = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "snap.db"

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, list(args))
        return result.exit_code, result.stdout, result.stderr

    assert run("--store", str(db), "add", "cop", "CoP Ethiek", "--id", "cop:ethiek")[0] == 0
    code, out, _ = run("--store", str(db), "backup", str(snap))
    assert code == 0 and "backed up 1 nodes" in out
    code, _, err = run("--store", str(db), "backup", str(snap))
    assert code == 2 and "exists already" in err
    assert run("--store", str(other), "add", "cop", "Iets anders", "--id", "cop:x")[0] == 0
    code, _, err = run("--store", str(other), "restore", str(snap))
    assert code == 2 and "not empty" in err and "--replace" in err
    with EmbeddedStore(other) as check_store:
        assert [n.id for n in check_store.nodes()] == ["cop:x"]  # refused: unchanged
    code, out, _ = run("--store", str(other), "restore", str(snap), "--replace")
    assert code == 0 and "restored 1 nodes" in out
    with EmbeddedStore(other) as check_store:
        assert [n.id for n in check_store.nodes()] == ["cop:ethiek"]


def test_restore_refuses_what_is_not_a_snapshot(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    target = EmbeddedStore(tmp_path / "t.db")
    with pytest.raises(KGraphError, match="junk.db"):
        restore(junk, target)
    with pytest.raises(KGraphError, match="does not exist"):
        restore(tmp_path / "missing.db", target)
    assert target.is_empty()
    target.close()


def test_only_admins_back_up_and_restore(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    store.add_node(Node("cop:a", "cop", "A"))
    for role in ("viewer", "editor"):
        with pytest.raises(PermissionDenied):
            backup(GuardedStore(store, "ed", role), tmp_path / f"{role}.db")
        assert not (tmp_path / f"{role}.db").exists()
    backup(GuardedStore(store, "root", "admin"), tmp_path / "admin.db")
    with pytest.raises(PermissionDenied):
        restore(tmp_path / "admin.db", GuardedStore(store, "ed", "editor"), replace=True)
    restore(tmp_path / "admin.db", GuardedStore(store, "root", "admin"), replace=True)
    store.close()
