"""The embedded store's tables, and how a file becomes (or is refused as) a kgraph store.

A kgraph store marks itself in the SQLite header: ``PRAGMA application_id`` is
``APPLICATION_ID`` and ``user_version`` the schema version, besides the ``meta`` table.
Opening a SQLite file that holds another program's tables (or another application id)
is refused, so ``--store their.db`` never adds kgraph tables to someone else's data; a
file that does not exist (or is empty) becomes a new store, and the store says so
(``created``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from kgraph.errors import StoreError

#: "kgrf" in the SQLite header's application id field
APPLICATION_ID = 0x6B677266
SCHEMA_VERSION = 5  # 2: nodes.fts points at the node's row in node_fts; 3: records;
# 4: nodes.title_key and the list indexes; 5: question_vectors

# What the store keeps beside the graph (``GraphStore.add_record``); schema 3.
_RECORDS = """
CREATE TABLE IF NOT EXISTS records (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    ref TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,          -- JSON object
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_ref ON records(collection, ref);
CREATE INDEX IF NOT EXISTS records_by_created ON records(collection, created_at, id);
"""

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT,
    body TEXT NOT NULL,          -- JSON: text, tags, source, props
    degree INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    fts INTEGER                  -- rowid of the node's row in node_fts
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_kind_status ON nodes(kind, status);
CREATE TABLE IF NOT EXISTS edges (
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    kind TEXT NOT NULL,
    props TEXT NOT NULL,         -- JSON
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (src, dst, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges(dst, src, kind);
CREATE INDEX IF NOT EXISTS edges_by_kind ON edges(kind);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY,
    tx INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    op TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX IF NOT EXISTS history_at ON history(at);
CREATE INDEX IF NOT EXISTS history_target ON history(target);
CREATE VIRTUAL TABLE IF NOT EXISTS node_fts USING fts5(
    id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""
    + _RECORDS
)

# Sentence vectors of the questions (kgraph.store.vectors): derived data, one row per
# node, replaced when the text or the model changes; no history.
_VECTORS = """
CREATE TABLE IF NOT EXISTS question_vectors (
    id TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    digest TEXT NOT NULL,        -- of the text the vector was computed from
    lang TEXT NOT NULL,
    vector BLOB NOT NULL         -- float16, little-endian
) WITHOUT ROWID
"""


def _header(conn: sqlite3.Connection) -> tuple[int, int]:
    (app,) = conn.execute("PRAGMA application_id").fetchone()
    (objects,) = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return int(app), int(objects)


def inspect(conn: sqlite3.Connection, path: Path) -> tuple[int | None, bool]:
    """The schema version of the store at ``path`` (``None``: an empty file, a new store)
    and whether its header carries kgraph's mark. Reads only: run it before anything
    changes the file (even ``journal_mode``). ``StoreError`` for another program's file."""
    try:
        app, objects = _header(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a kgraph store (not a SQLite database: {exc})") from exc
    if app not in (0, APPLICATION_ID):
        raise StoreError(
            f"{path} is not a kgraph store (it belongs to another program: SQLite "
            f"application id {app:#x}); give the path of a kgraph .db file"
        )
    if not objects:
        return None, False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is None:
        raise StoreError(
            f"{path} is not a kgraph store (a SQLite database without kgraph's tables); "
            "kgraph leaves it alone: give the path of a kgraph .db file or a new name"
        )
    found = int(row[0])
    if found > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer kgraph (schema {found}); upgrade kgraph")
    return found, app == APPLICATION_ID


def prepare(
    conn: sqlite3.Connection,
    found: int | None,
    marked: bool,
    write: Callable[[], AbstractContextManager[None]],
) -> bool:
    """Create or bring up to date the schema ``inspect`` found; ``True`` if created.
    ``write`` opens a write transaction."""
    if found is None:
        with write():
            # another process may have created it between our look and our lock
            if _header(conn)[1]:
                return False
            _run_script(conn, _SCHEMA)
            conn.execute(_VECTORS)
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?), ('tx', '0')",
                (str(SCHEMA_VERSION),),
            )
            add_title_key(conn)
            _mark(conn)
        ensure_stems(conn, write)
        return True
    if found < SCHEMA_VERSION or not marked:
        with write():
            _migrate(conn)
    ensure_stems(conn, write)
    return False


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` in the caller's transaction (``executescript`` would
    commit it)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _mark(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a store of an older schema up to date (inside the caller's transaction)."""
    # Another process may have migrated between our read and our lock.
    (current,) = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    found = int(current)
    if found < 2:
        # node_fts.id is unindexed: finding a node's text row by id scanned the
        # whole index, so every text write cost O(nodes). Keep its rowid instead.
        conn.execute("ALTER TABLE nodes ADD COLUMN fts INTEGER")
        conn.execute(
            "UPDATE nodes SET fts = m.r FROM (SELECT rowid AS r, id FROM node_fts) AS m "
            "WHERE m.id = nodes.id"
        )
    if found < 3:
        _run_script(conn, _RECORDS)
    if found < 4:
        add_title_key(conn)
    if found < 5:
        conn.execute(_VECTORS)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
    # stores made before the header marks get them now
    _mark(conn)


# --- word stems for search (a step of its own: runs on any store that lacks the table) ------

_STEMS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS node_stems USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)


def ensure_stems(
    conn: sqlite3.Connection, write: Callable[[], AbstractContextManager[None]]
) -> None:
    """Give the store ``node_stems``: each node's word stems under the rowid of its text
    row in ``node_fts``, so search matches word forms. A store made before it gets the
    table filled from its nodes once (about 2 s per 100,000 nodes)."""
    if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'node_stems'"
    ).fetchone():
        return
    import json

    from kgraph.store.wordforms import stems_of

    with write():
        if conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'node_stems'"
        ).fetchone():
            return  # another process made it meanwhile
        conn.execute(_STEMS_TABLE)
        rows = conn.execute("SELECT fts, title, body FROM nodes WHERE fts IS NOT NULL")
        batch: list[tuple[int, str, str]] = []
        for fts, title, body in rows:
            data = json.loads(body)
            whole = " ".join([title, data.get("text") or "", " ".join(data.get("tags") or [])])
            batch.append((fts, stems_of(title), stems_of(whole)))
            if len(batch) >= 5000:
                conn.executemany(
                    "INSERT INTO node_stems(rowid, title, body) VALUES (?, ?, ?)", batch
                )
                batch = []
        conn.executemany("INSERT INTO node_stems(rowid, title, body) VALUES (?, ?, ?)", batch)


def add_title_key(conn: sqlite3.Connection) -> None:
    """Schema 4: ``nodes.title_key``, the folded title lists sort by
    (``kgraph.store.listing.title_key``), and indexes for each order a list can have, so
    a page of 50 questions is read in order instead of sorting all of them. Idempotent: a store that has
    the column keeps it; one without gets it filled from the titles (once, ~1 s at 100,000
    questions)."""
    from kgraph.store.listing import title_key

    columns = {row[1] for row in conn.execute("PRAGMA table_info(nodes)")}
    if "title_key" not in columns:
        conn.execute("ALTER TABLE nodes ADD COLUMN title_key TEXT NOT NULL DEFAULT ''")
        conn.executemany(
            "UPDATE nodes SET title_key = ? WHERE id = ?",
            [
                (title_key(title), node_id)
                for node_id, title in conn.execute("SELECT id, title FROM nodes").fetchall()
            ],
        )
    # One index per order a list can have, each led by the kind: a list of several kinds
    # is read as one ordered stream per kind, merged (see ``listing``).
    from kgraph.store.embedded.listing import STATUS_ORDER_SQL

    conn.execute("CREATE INDEX IF NOT EXISTS nodes_fts ON nodes(fts)")  # text hits -> nodes
    conn.execute("CREATE INDEX IF NOT EXISTS nodes_kind_title ON nodes(kind, title_key)")
    conn.execute("CREATE INDEX IF NOT EXISTS nodes_kind_updated ON nodes(kind, updated_at)")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS nodes_kind_status_title "
        f"ON nodes(kind, ({STATUS_ORDER_SQL.format(n='')}), title_key)"
    )
