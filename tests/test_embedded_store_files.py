"""Which files the embedded store opens: another program's SQLite file is refused and left
as it was, a new store says it is new, a damaged one is one line of error."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import StoreError
from kgraph.model import Node
from kgraph.store.embedded import APPLICATION_ID, SCHEMA_VERSION, EmbeddedStore


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _foreign(path: Path, application_id: int = 0) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers(name) VALUES ('Ada')")
    if application_id:
        conn.execute(f"PRAGMA application_id = {application_id}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("application_id", [0, 0x4D504258])
def test_another_programs_sqlite_file_is_refused_and_untouched(
    tmp_path: Path, application_id: int
) -> None:
    foreign = _foreign(tmp_path / "foreign.db", application_id)
    before = _digest(foreign)
    with pytest.raises(StoreError, match=r"foreign\.db is not a kgraph store"):
        EmbeddedStore(foreign)
    code, out, err = _run("--store", str(foreign), "stats")
    assert code == 2
    assert err.count("\n") == 1 and "is not a kgraph store" in err and "Traceback" not in err
    # not converted: same bytes, no WAL files, still the other program's table only
    assert _digest(foreign) == before
    assert not any(foreign.with_name(foreign.name + s).exists() for s in ("-wal", "-shm"))
    conn = sqlite3.connect(foreign)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"just some notes, not a database\n" * 200)
    before = _digest(junk)
    code, _, err = _run("--store", str(junk), "stats")
    assert code == 2 and err.count("\n") == 1 and "notes.db is not a kgraph store" in err
    assert _digest(junk) == before


def test_a_new_store_is_marked_and_says_it_was_created(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "new.db"
    with EmbeddedStore(path) as store:
        assert store.created
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    with EmbeddedStore(path) as store:
        assert not store.created

    fresh = tmp_path / "other.db"
    code, _, err = _run("--store", str(fresh), "stats")
    assert code == 0 and f"created a new, empty store at {fresh}" in err
    code, _, err = _run("--store", str(fresh), "stats")
    assert code == 0 and "created" not in err


def test_a_store_from_before_the_header_mark_is_accepted_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        store.add_node(Node("cop:a", "cop", "A"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    with EmbeddedStore(path) as store:
        assert not store.created
        assert [n.id for n in store.nodes()] == ["cop:a"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_damaged_store_is_one_line_of_error(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with EmbeddedStore(path) as store:
        nodes = [Node(f"org:o{i}", "organisation", f"Org {i}", text="x" * 300) for i in range(3000)]
        store.bulk_load(nodes, [])
    size = path.stat().st_size
    # The counts ``stats`` shows are read from the kind index: overwrite its root page
    # (where SQLite starts every read of it) and pages in the middle of the file.
    conn = sqlite3.connect(path)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'nodes_kind_status'"
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(path, "r+b") as handle:
        for offset in ((root - 1) * page_size, size // 2):
            handle.seek(offset)
            handle.write(os.urandom(8192))
    code, _, err = _run("--store", str(path), "stats")
    assert code == 2
    assert err.startswith("kgraph: error:") and err.count("\n") == 1
    assert "damaged.db" in err and "Traceback" not in err
