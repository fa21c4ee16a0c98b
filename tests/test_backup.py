"""Backup and restore: a snapshot taken while another process writes restores consistently;
restore refuses a store that holds anything unless told to replace it."""

from __future__ import annotations

import os
import shutil
import signal
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
# (about one change a second: ten people saving every ten seconds).
PAUSE = {"embedded": 0.0, "neo4j": 1.0}


class _Acks:
    """Collects the numbers a writer acknowledges, as they arrive."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.numbers: list[int] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip().isdigit():
                self.numbers.append(int(line))

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.numbers) < count:
            assert time.monotonic() < deadline, "the writer did not get going"
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
        proc = subprocess.Popen(
            [
                sys.executable,
                str(HELPER),
                _location(store, backend),
                "--pause",
                str(PAUSE[backend]),
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
        # back up repeatedly for a while; the writer must keep acknowledging meanwhile
        deadline = time.monotonic() + 1.5
        copies = 0
        while time.monotonic() < deadline:
            backup(store, tmp_path / f"copy-{copies}.db")
            copies += 1
        assert len(acks.numbers) > before, "the writer was blocked by the backups"
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


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "kgraph-tmp" in p.name or p.suffix == ".tmp")


def test_backup_refuses_a_store_file_another_process_has_open(backend: str, tmp_path: Path) -> None:
    """Renaming a snapshot over a database in use corrupted it: refused, on both backends."""
    store = open_test_store(backend, tmp_path)
    live = tmp_path / "elsewhere" / "live.db"
    live.parent.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(live)], stdout=subprocess.PIPE, text=True
    )
    try:
        store.add_node(Node("cop:a", "cop", "A"))
        acks = _Acks(proc)
        acks.wait_for(5)
        with pytest.raises(KGraphError, match="in use"):
            backup(store, live, overwrite=True)
        acks.wait_for(len(acks.numbers) + 5)  # the writer is not disturbed
        proc.kill()
        proc.wait()
        with EmbeddedStore(live) as other:
            last, problems = check(other, set(acks.numbers))
            assert problems == [] and last >= max(acks.numbers)
            assert other.integrity_problems() == []
        assert _temps(live.parent) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if backend == "neo4j":
            store.wipe()
        store.close()


def test_cli_backup_onto_the_store_itself_is_refused(tmp_path: Path) -> None:
    """``kgraph --store live.db backup live.db --overwrite`` while a writer has it open."""
    live = tmp_path / "live.db"
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), str(live)], stdout=subprocess.PIPE, text=True
    )
    try:
        acks = _Acks(proc)
        acks.wait_for(5)
        result = CliRunner().invoke(cli, ["--store", str(live), "backup", str(live), "--overwrite"])
        assert result.exit_code == 2
        assert "is the store being backed up" in result.stderr
        acks.wait_for(len(acks.numbers) + 5)
        proc.kill()
        proc.wait()
        with EmbeddedStore(live) as store:
            last, problems = check(store, set(acks.numbers))
            assert problems == [] and last >= max(acks.numbers)
            assert store.integrity_problems() == []
            # the same file under another name (a hard link) is the store too
            twin = tmp_path / "twin.db"
            os.link(live, twin)
            with pytest.raises(KGraphError, match="is the store being backed up"):
                backup(store, twin, overwrite=True)
        assert _temps(tmp_path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_backup_removes_temporaries_of_killed_backups(backend: str, tmp_path: Path) -> None:
    """A backup killed mid-way (SIGKILL) leaves its temporary file: the next one removes
    it, and never one of a backup still running."""
    store = open_test_store(backend, tmp_path / "s")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    out = tmp_path / "out"
    out.mkdir()
    stale = [
        out / f".snap.db.{dead.pid}-0123abcd.kgraph-tmp",
        out / f".snap.db.{dead.pid}-0123abcd.kgraph-tmp-journal",
    ]
    busy = out / f".snap.db.{running.pid}-4567cdef.kgraph-tmp"
    try:
        for path in [*stale, busy]:
            path.write_bytes(b"half a snapshot")
        store.add_node(Node("cop:a", "cop", "A"))
        backup(store, out / "snap.db")
        assert _temps(out) == [busy.name]
        with EmbeddedStore(out / "snap.db") as snap:
            assert [n.id for n in snap.nodes()] == ["cop:a"]
    finally:
        running.kill()
        running.wait()
        if backend == "neo4j":
            store.wipe()
        store.close()


def test_cli_backup_stopped_by_sigterm_leaves_no_temporary(tmp_path: Path) -> None:
    """SIGTERM during a backup: the process cleans up before it ends."""
    store = EmbeddedStore(tmp_path / "big.db")
    _fill(store, BULK["embedded"])
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    for _attempt in range(10):
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "kgraph"), "--store", str(tmp_path / "big.db")]
            + ["backup", str(out / "snap.db"), "--overwrite"],
            stderr=subprocess.PIPE,
            text=True,
        )
        seen = False
        while proc.poll() is None:
            if _temps(out):
                proc.send_signal(signal.SIGTERM)
                seen = True
                break
            time.sleep(0.001)
        proc.wait()
        if seen and proc.returncode != 0:
            break
    else:
        pytest.fail("never caught a backup while it was writing its temporary file")
    assert proc.returncode == 128 + signal.SIGTERM
    assert _temps(out) == []


def test_backup_of_an_empty_store_is_refused_unless_asked(backend: str, tmp_path: Path) -> None:
    """A mistyped --store path is a new, empty store: it is not backed up as 0 nodes."""
    store = open_test_store(backend, tmp_path / "s")
    try:
        with pytest.raises(KGraphError, match="is empty"):
            backup(store, tmp_path / "snap.db")
        assert not (tmp_path / "snap.db").exists()
        result = backup(store, tmp_path / "snap.db", allow_empty=True)
        assert (result.nodes, result.edges, result.changes) == (0, 0, 0)
    finally:
        store.close()


def test_cli_backup_of_a_mistyped_store_path_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "tpyo.db"), "backup", str(tmp_path / "snap.db")]
    )
    assert result.exit_code == 2
    assert "created a new, empty store" in result.stderr and "is empty" in result.stderr
    assert not (tmp_path / "snap.db").exists()
