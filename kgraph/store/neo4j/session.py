"""The Neo4j backend's sessions and transactions.

Shape of the work (as the driver manual recommends): one driver per process and server
(``driver``), a session per unit of work, and ``execute_read``/``execute_write`` with
transaction functions that read what they check inside the same transaction, so a retry
after a transient failure starts over cleanly. ``transaction()`` opens one explicit Neo4j
transaction that every write (and read) of the block joins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from kgraph.errors import StoreError
from kgraph.store.base import GraphStore
from kgraph.store.neo4j import cypher as cy
from kgraph.store.neo4j.driver import _driver, _driver_key, _translate, parse_location
from kgraph.store.neo4j.rows import batch_param, chunks
from kgraph.store.values import Change

T = TypeVar("T")

# Rows per statement in bulk loads: big enough that round trips and planning vanish,
# small enough that one statement's parameters stay a few megabytes.
BULK_BATCH = 10_000
# History entries per ``(:KgraphHistoryBatch)`` of a bulk load.
_HISTORY_BATCH = 1000
_SCHEMA_DONE: set[tuple[str, str, str, str]] = set()


class _Unit:
    """One Neo4j transaction in progress, with the history's transaction number."""

    def __init__(self, tx: Any, actor: str) -> None:
        self.tx = tx
        self.actor = actor
        self.number: int | None = None

    def run(self, cypher: str, /, **params: Any) -> list[Any]:
        return [record.data() for record in self.tx.run(cypher, params)]

    def records(self, cypher: str, /, **params: Any) -> list[Any]:
        """The result as records (tuples of the returned columns): cheaper than ``run``."""
        return list(self.tx.run(cypher, params))

    def execute(self, cypher: str, /, **params: Any) -> None:
        """Run a statement whose result is not needed."""
        self.tx.run(cypher, params).consume()


class _Block(threading.local):
    depth: int = 0
    unit: _Unit | None = None


class Neo4jCore(GraphStore):
    """A GraphStore in a Neo4j database; see the module docstring for configuration.

    Safe to share between threads; ``transaction()`` blocks are per thread.
    """

    backend = "neo4j"

    def __init__(self, location: str | None = None, actor: str | None = None) -> None:
        super().__init__(actor)
        self.settings = parse_location(location)
        self.location = self.settings.display
        self._driver = _driver(self.settings)
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        self._block = _Block()
        self._closed = False
        self._ensure_schema()

    # --- plumbing ------------------------------------------------------------------------

    def _errors(self) -> Any:
        return _translate(self.location, self.settings.user)

    def _session(self) -> neo4j.Session:
        if self._closed:
            raise StoreError(f"store {self.location} is closed")
        return self._driver.session(
            database=self.settings.database, bookmark_manager=self._bookmarks
        )

    def _ensure_schema(self) -> None:
        """Constraints and indexes, created once per process and database."""
        key = (*_driver_key(self.settings), self.settings.database or "")
        if key in _SCHEMA_DONE:
            return
        with self._errors(), self._session() as session:
            for statement in cy.SCHEMA:
                try:
                    session.run(statement).consume()
                except neo4j_errors.ClientError as exc:
                    # Another process created the same rule at the same moment.
                    if "AlreadyExists" not in (exc.code or ""):
                        raise
            session.run(cy.AWAIT_INDEXES).consume()
            if not list(session.run(cy.DEGREE_DONE)):
                session.run(cy.MIGRATE_DEGREE).consume()
                session.run(cy.MARK_DEGREE_DONE).consume()
            if not list(session.run(cy.STEMS_DONE)):
                _migrate_stems(session)
        _SCHEMA_DONE.add(key)

    def close(self) -> None:
        """Forget this store; the shared driver stays open for other stores (closed at exit)."""
        self._closed = True

    def wipe(self) -> None:
        """Delete every node, edge and history entry of kgraph in this database.

        Inside ``transaction()`` it is part of that transaction; otherwise it deletes in
        batches of its own, so a big graph needs no huge transaction.
        """
        unit = self._block.unit
        if unit is not None:
            with self._errors():
                unit.run(cy.WIPE_IN_TX)
            return
        with self._errors(), self._session() as session:
            session.run(cy.WIPE).consume()

    def _write(self, work: Callable[[_Unit], T], actor: str | None) -> T:
        unit = self._block.unit
        if unit is not None:
            with self._errors():
                return work(unit)
        who = actor or self.actor

        def locked(tx: neo4j.ManagedTransaction) -> T:
            tx.run(cy.LOCK_WRITERS).consume()
            return work(_Unit(tx, who))

        with self._errors(), self._session() as session:
            return session.execute_write(locked)

    def _read(self, work: Callable[[_Unit], T]) -> T:
        unit = self._block.unit
        if unit is not None:  # read your own uncommitted writes
            return work(unit)
        with self._errors(), self._session() as session:
            return session.execute_read(lambda tx: work(_Unit(tx, self.actor)))

    def _run_read(self, cypher: str, /, **params: Any) -> list[Any]:
        return self._read(lambda u: u.run(cypher, **params))

    @contextmanager
    def _transaction(self, actor: str | None) -> Iterator[None]:
        block = self._block
        if block.unit is not None:
            block.depth += 1
            try:
                yield
            finally:
                block.depth -= 1
            return
        with self._errors():
            session = self._session()
            try:
                tx = session.begin_transaction()
                tx.run(cy.LOCK_WRITERS).consume()
            except BaseException:
                session.close()
                raise
        block.unit, block.depth = _Unit(tx, actor or self.actor), 1
        try:
            try:
                yield
            except BaseException:
                with suppress(neo4j_errors.DriverError, neo4j_errors.Neo4jError):
                    tx.rollback()
                raise
            with self._errors():
                tx.commit()
        finally:
            block.unit, block.depth = None, 0
            with suppress(neo4j_errors.DriverError, neo4j_errors.Neo4jError):
                tx.close()
            session.close()

    def transaction(self, actor: str | None = None) -> Any:
        """One Neo4j transaction for the whole block; see ``GraphStore.transaction``."""
        return self._transaction(actor)

    def _record(self, unit: _Unit, rows: list[dict[str, Any]]) -> None:
        for chunk in chunks(rows, BULK_BATCH):
            bump = 1 if unit.number is None else 0
            got = unit.run(cy.RECORD, rows=list(chunk), bump=bump, tx=unit.number or 0)
            if unit.number is None:
                unit.number = int(got[0]["tx"])

    def _record_batches(
        self, unit: _Unit, changes: Sequence[Change | tuple[Any, ...]], *, copied: bool = False
    ) -> None:
        """Write history as ``(:KgraphHistoryBatch)`` records (bulk loads and copies);
        ``copied`` entries keep their own transaction numbers."""
        for chunk in chunks(changes, _HISTORY_BATCH):
            bump = 0 if copied or unit.number is not None else 1
            got = unit.records(
                cy.RECORD_BATCH, batch=batch_param(chunk), bump=bump, tx=unit.number or 0
            )
            if bump:
                unit.number = int(got[0][0])

    def _who(self, unit: _Unit, actor: str | None) -> str:
        return actor or unit.actor

    def _kinds_of(self, unit: _Unit, ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(list(dict.fromkeys(ids)), 10_000):
            for row in unit.run(cy.KINDS_OF, ids=list(chunk)):
                found[row["id"]] = row["kind"]
        return found


def _migrate_stems(session: neo4j.Session) -> None:
    """Give nodes stored before word forms were indexed their stems (once per database)."""
    from kgraph.store.wordforms import stems_of

    while True:
        rows = list(session.run(cy.NODES_WITHOUT_STEMS, limit=5000))
        if not rows:
            break
        update = []
        for r in rows:
            title = r["title"] or ""
            whole = " ".join([title, r["text"] or "", " ".join(r["tags"] or [])])
            update.append(
                {
                    "id": r["id"],
                    "stems": f" {stems_of(whole)} ",
                    "stems_title": f" {stems_of(title)} ",
                }
            )
        session.run(cy.SET_STEMS, rows=update).consume()
    session.run(cy.MARK_STEMS_DONE).consume()
