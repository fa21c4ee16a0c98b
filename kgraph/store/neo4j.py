"""The Neo4j backend: the GraphStore contract on the official ``neo4j`` driver over Bolt.

Configuration: a ``bolt://``, ``bolt+s://``, ``neo4j://`` or ``neo4j+s://`` location (user
and password may be in it: ``bolt://user:pw@host:7687``), else ``NEO4J_URI``; credentials
from ``NEO4J_USERNAME``/``NEO4J_PASSWORD`` (no password: no authentication) and the
database from ``NEO4J_DATABASE`` (default: the server's default database). ``neo4j://``
URIs use the driver's routing; reads go to readers.

Shape of the work (as the driver manual recommends): one driver per process and server,
a session per unit of work, and ``execute_read``/``execute_write`` with transaction
functions that read what they check inside the same transaction, so a retry after a
transient failure starts over cleanly. ``transaction()`` opens one explicit Neo4j
transaction that every write (and read) of the block joins. The history is stored in the
database with the change, in the same transaction. All Cypher is in ``neo4j_cypher``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from kgraph.errors import (
    ConflictError,
    DuplicateError,
    KGraphError,
    NotFoundError,
    StoreError,
    ValidationError,
)
from kgraph.model import (
    EDGE_KINDS,
    Edge,
    Node,
    check_edge_ends,
    check_edge_kind,
    check_id,
    check_node_kind,
    edge_key,
    fold,
    node_search_text,
    validate_edge,
    validate_node,
)
from kgraph.redact import redact_location
from kgraph.store import neo4j_cypher as cy
from kgraph.store.base import (
    DEFAULT_CAP,
    Change,
    Counts,
    GraphStore,
    Subgraph,
    changed_props,
    neighbourhood_focus,
    now_iso,
    stamp_node,
)

T = TypeVar("T")

_BATCH = 5000  # rows per UNWIND statement
# Rows per statement in bulk loads: big enough that round trips and planning vanish,
# small enough that one statement's parameters stay a few megabytes.
_BULK_BATCH = 10_000
# History entries per ``(:KgraphHistoryBatch)`` of a bulk load.
_HISTORY_BATCH = 1000
_HISTORY_GROUP = 20  # batches per round trip when history() reads them
_MAX_PATH_DEPTH = 50
_NO_LIMIT = 2**62
_LUCENE_PREFIX = 200
_QUERY_WORD = re.compile(r"[0-9a-z]+")  # what a search word may contain (Lucene-safe)
_INDEX_WORD = re.compile(r"[^\W_]+")  # how stored text is cut into words

# --- one driver per process -----------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where and how to connect; ``display`` is the URI without a password."""

    uri: str
    user: str | None
    password: str | None = field(repr=False)  # never in logs or tracebacks
    database: str | None
    display: str


def parse_location(location: str | None) -> Settings:
    """Connection settings from a location URI and the ``NEO4J_*`` environment variables."""
    raw = location or os.environ.get("NEO4J_URI") or ""
    if not raw:
        raise StoreError("no Neo4j URI: pass --store bolt://HOST:7687 or set NEO4J_URI")
    # The user part ends at the last "@" (a typed password may hold "#", "/", "?" or "@",
    # which urlsplit would read as the start of a fragment, path or query), so it is cut
    # off before the rest is parsed, and nothing shown or raised ever contains it.
    scheme, _, rest = raw.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    url_user, colon, url_password = userinfo.partition(":") if at else ("", "", "")
    parts = urlsplit(f"{scheme}://{hostpart}")
    user = url_user or os.environ.get("NEO4J_USERNAME") or None
    password = url_password if colon else os.environ.get("NEO4J_PASSWORD")
    database = os.environ.get("NEO4J_DATABASE") or None
    display = redact_location(raw)
    if database:
        display += f" (database {database})"
    try:
        port = parts.port
    except ValueError:
        raise StoreError(f"invalid Neo4j location {display}: the port is not a number") from None
    host = parts.hostname or ""
    netloc = f"{host}:{port}" if port else host
    uri = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return Settings(uri, user, password or None, database, display)


_DRIVERS: dict[tuple[str, str, str], neo4j.Driver] = {}
_SCHEMA_DONE: set[tuple[str, str, str, str]] = set()
_DRIVERS_LOCK = threading.Lock()


def _driver_key(settings: Settings) -> tuple[str, str, str]:
    # URI and user, plus a digest of the password so that a corrected password gets a
    # fresh driver instead of the cached one that failed.
    digest = hashlib.sha256((settings.password or "").encode()).hexdigest()[:16]
    return (settings.uri, settings.user or "", digest)


def _driver(settings: Settings) -> neo4j.Driver:
    """The process's driver for these settings, created and checked on first use."""
    key = _driver_key(settings)
    with _DRIVERS_LOCK:
        driver = _DRIVERS.get(key)
        if driver is not None:
            return driver
        auth = (
            neo4j.basic_auth(settings.user or "neo4j", settings.password)
            if settings.password
            else None
        )
        with _translate(settings.display, settings.user):
            driver = neo4j.GraphDatabase.driver(
                settings.uri,
                auth=auth,
                connection_timeout=10.0,
                max_transaction_retry_time=15.0,
                # Hints such as "this relationship type does not exist yet" are expected
                # on a young graph (counts ask for every kind); keep them off the terminal.
                notifications_min_severity="OFF",
                user_agent="kgraph",
            )
            try:
                driver.verify_connectivity()
            except BaseException:
                driver.close()
                raise
        _DRIVERS[key] = driver
        return driver


@atexit.register
def _close_drivers() -> None:
    with _DRIVERS_LOCK:
        for driver in _DRIVERS.values():
            driver.close()
        _DRIVERS.clear()


def _first_line(exc: BaseException) -> str:
    """The gist of a driver error on one line (the driver's own text spans several)."""
    text = str(getattr(exc, "message", None) or exc).strip()
    reason = re.findall(r"\(reason (.+?)\)\s*$", text, flags=re.MULTILINE)
    if reason:
        return reason[-1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0].rstrip(":") if lines else type(exc).__name__


@contextmanager
def _translate(where: str, user: str | None) -> Iterator[None]:
    """Driver errors as kgraph errors with one clear line (never a traceback for users)."""
    try:
        yield
    except KGraphError:
        raise
    except neo4j_errors.ConstraintError as exc:
        raise DuplicateError(_first_line(exc)) from exc
    except neo4j_errors.AuthError as exc:
        raise StoreError(
            f"Neo4j at {where} refused the sign-in as {user or 'neo4j'}: wrong user name or "
            "password (check NEO4J_USERNAME and NEO4J_PASSWORD)"
        ) from exc
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
        raise StoreError(
            f"cannot reach Neo4j at {where}: {_first_line(exc)} (is the server running?)"
        ) from exc
    except neo4j_errors.Neo4jError as exc:
        raise StoreError(f"Neo4j at {where}: {_first_line(exc)}") from exc
    except neo4j_errors.DriverError as exc:
        raise StoreError(f"Neo4j at {where}: {_first_line(exc)}") from exc
    except ValueError as exc:  # the driver's answer to a malformed URI
        raise StoreError(f"invalid Neo4j location {where}: {exc}") from exc


# --- values <-> rows ----------------------------------------------------------------------


def _dumps(value: Any) -> str:
    if value == {}:  # most edges have no props; skip the encoder for them
        return "{}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _words(text: str) -> str:
    return " ".join(_INDEX_WORD.findall(text))


def _node_row(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind,
        "title": node.title,
        "text": node.text,
        "status": node.status,
        "tags": list(node.tags),
        "source": node.source,
        "props": _dumps(dict(node.props)),
        "version": node.version,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
        "updated_by": node.updated_by,
        "search": _words(node_search_text(node)),
        "search_title": f" {_words(fold(node.title))} ",
    }


def _node(data: Mapping[str, Any]) -> Node:
    return Node(
        id=data["id"],
        kind=data["kind"],
        title=data["title"],
        text=data.get("text") or "",
        status=data.get("status"),
        tags=tuple(data.get("tags") or ()),
        source=data.get("source"),
        props=json.loads(data.get("props") or "{}"),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
        version=int(data.get("version") or 0),
    )


def _edge_values(edge: Edge) -> dict[str, Any]:
    status = edge.props.get("status")
    return {
        "props": _dumps(dict(edge.props)),
        # A copy of the handover status, so Cypher users can filter on it directly.
        "status": status if isinstance(status, str) else None,
        "created_at": edge.created_at,
        "updated_at": edge.updated_at,
        "updated_by": edge.updated_by,
    }


def _node_from_list(v: Sequence[Any]) -> Node:
    """A node from ``cy.N_LIST`` (id, kind, title, text, status, tags, source, props,
    version, created_at, updated_at, updated_by)."""
    return Node(
        id=v[0],
        kind=v[1],
        title=v[2],
        text=v[3] or "",
        status=v[4],
        tags=tuple(v[5] or ()),
        source=v[6],
        props=json.loads(v[7]) if v[7] and v[7] != "{}" else {},
        version=int(v[8] or 0),
        created_at=v[9],
        updated_at=v[10],
        updated_by=v[11],
    )


def _edge_from_list(v: Sequence[Any]) -> Edge:
    """An edge from ``cy.E_LIST`` (src, kind, dst, props, created_at, updated_at, updated_by)."""
    return Edge(
        src=v[0],
        kind=v[1],
        dst=v[2],
        props=json.loads(v[3]) if v[3] and v[3] != "{}" else {},
        created_at=v[4],
        updated_at=v[5],
        updated_by=v[6],
    )


def _sorted_edges(rows: Iterable[Sequence[Any]]) -> list[Edge]:
    """Edges from ``cy.E_LIST`` rows, ordered by (src, kind, dst)."""
    return [_edge_from_list(v) for v in sorted(rows, key=lambda v: (v[0], v[1], v[2]))]


def _edge_row(edge: Edge) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "values": _edge_values(edge)}


def _edge(data: Mapping[str, Any]) -> Edge:
    return Edge(
        src=data["src"],
        kind=data["kind"],
        dst=data["dst"],
        props=json.loads(data.get("props") or "{}"),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        updated_by=data.get("updated_by"),
    )


def _change(data: Mapping[str, Any]) -> Change:
    return Change(
        seq=data["seq"],
        tx=data["tx"],
        at=data["at"],
        actor=data["actor"],
        op=data["op"],
        target=data["target"],
        before=json.loads(data["before"]) if data.get("before") is not None else None,
        after=json.loads(data["after"]) if data.get("after") is not None else None,
    )


def _history_row(
    op: str,
    target: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    at: str,
    actor: str,
) -> dict[str, Any]:
    ends = target.split("|")
    return {
        "at": at,
        "actor": actor,
        "op": op,
        "target": target,
        # An edge's ends, so that history(target=node) finds the node's edges by index.
        "src": ends[0] if len(ends) == 3 else None,
        "dst": ends[2] if len(ends) == 3 else None,
        "before": _dumps(before) if before is not None else None,
        "after": _dumps(after) if after is not None else None,
    }


def _batch_param(changes: Sequence[Change | tuple[Any, ...]]) -> dict[str, Any]:
    """The properties of one ``(:KgraphHistoryBatch)``: entries as ``Change`` values or
    ``(op, target, before, after, at, actor)`` tuples of the writing transaction."""
    entries: list[list[Any]] = []
    for c in changes:
        if isinstance(c, Change):
            entries.append([c.tx, c.at, c.actor, c.op, c.target, c.before, c.after])
        else:
            op, target, before, after, at, actor = c
            entries.append([None, at, actor, op, target, before, after])
    touches: set[str] = set()
    for e in entries:
        ends = e[4].split("|")
        touches.update((ends[0], ends[2]) if len(ends) == 3 else (e[4],))
        touches.add(e[4])
    ats = [e[1] for e in entries]
    return {
        "size": len(entries),
        # Compressed: a transaction holds a string at ~2.7 bytes a character (215 per
        # edge entry) but bytes at one each, and the entries compress ~8x.
        "entries": zlib.compress(
            json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(),
            6,
        ),
        "touches": sorted(touches),
        "actor_set": sorted({e[2] for e in entries}),
        "min_at": min(ats),
        "max_at": max(ats),
    }


def _names(target: str, node_id: str) -> bool:
    """Whether a history entry about ``target`` belongs to ``history(target=node_id)``:
    the item itself, or an edge with ``node_id`` at one end."""
    if target == node_id:
        return True
    ends = target.split("|")
    return len(ends) == 3 and node_id in (ends[0], ends[2])


def _chunks(items: Sequence[T], size: int = _BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _optional(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


# --- units of work --------------------------------------------------------------------------


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


class Neo4jStore(GraphStore):
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
        for chunk in _chunks(rows, _BULK_BATCH):
            bump = 1 if unit.number is None else 0
            got = unit.run(cy.RECORD, rows=list(chunk), bump=bump, tx=unit.number or 0)
            if unit.number is None:
                unit.number = int(got[0]["tx"])

    def _record_batches(
        self, unit: _Unit, changes: Sequence[Change | tuple[Any, ...]], *, copied: bool = False
    ) -> None:
        """Write history as ``(:KgraphHistoryBatch)`` records (bulk loads and copies);
        ``copied`` entries keep their own transaction numbers."""
        for chunk in _chunks(changes, _HISTORY_BATCH):
            bump = 0 if copied or unit.number is not None else 1
            got = unit.records(
                cy.RECORD_BATCH, batch=_batch_param(chunk), bump=bump, tx=unit.number or 0
            )
            if bump:
                unit.number = int(got[0][0])

    def _who(self, unit: _Unit, actor: str | None) -> str:
        return actor or unit.actor

    # --- writes --------------------------------------------------------------------------

    def add_node(self, node: Node, *, actor: str | None = None) -> Node:
        node = validate_node(node)
        create = cy.with_label(cy.CREATE_NODES, node.kind)

        def work(unit: _Unit) -> Node:
            if unit.run(cy.GET_NODE, id=node.id):
                raise DuplicateError(f"node {node.id} exists already")
            at = now_iso()
            who = self._who(unit, actor)
            stored = stamp_node(node, at, at, who, 1)
            unit.run(create, rows=[_node_row(stored)])
            self._record(unit, [_history_row("add_node", node.id, None, stored.to_dict(), at, who)])
            return stored

        return self._write(work, actor)

    def _locked_node(self, unit: _Unit, node_id: str) -> Node:
        rows = unit.run(cy.LOCK_NODE, id=node_id)
        if not rows:
            raise NotFoundError(f"no node with id {node_id!r}")
        return _node(rows[0]["n"])

    def update_node(
        self,
        node_id: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
        expected_version: int | None = None,
    ) -> Node:
        def work(unit: _Unit) -> Node:
            old = self._locked_node(unit, node_id)
            if expected_version is not None and old.version != expected_version:
                raise ConflictError(
                    f"{node_id} was changed by {old.updated_by} at {old.updated_at}; "
                    "reload to see the new version"
                )
            new = validate_node(old.with_changes(changes))
            if new == old:
                return old
            at = now_iso()
            who = self._who(unit, actor)
            new = stamp_node(new, old.created_at, at, who, old.version + 1)
            row = _node_row(new)
            unit.run(cy.UPDATE_NODE, id=node_id, row=row)
            self._record(
                unit,
                [_history_row("update_node", node_id, old.to_dict(), new.to_dict(), at, who)],
            )
            return new

        return self._write(work, actor)

    def delete_node(self, node_id: str, *, actor: str | None = None) -> None:
        def work(unit: _Unit) -> None:
            old = self._locked_node(unit, node_id)
            at = now_iso()
            who = self._who(unit, actor)
            edges = [
                _edge(r["e"])
                for r in unit.run(cy.EDGES_OF_NODE, id=node_id, kinds=None, limit=_NO_LIMIT)
            ]
            rows = [_history_row("delete_edge", e.key, e.to_dict(), None, at, who) for e in edges]
            rows.append(_history_row("delete_node", node_id, old.to_dict(), None, at, who))
            unit.run(cy.DELETE_NODE, id=node_id)
            self._record(unit, rows)

        self._write(work, actor)

    def _kinds_of(self, unit: _Unit, ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 10_000):
            for row in unit.run(cy.KINDS_OF, ids=list(chunk)):
                found[row["id"]] = row["kind"]
        return found

    def add_edge(self, edge: Edge, *, actor: str | None = None) -> Edge:
        edge = validate_edge(edge)
        get = cy.with_rel(cy.GET_EDGE, edge.kind)
        create = cy.with_rel(cy.CREATE_EDGE, edge.kind)

        def work(unit: _Unit) -> Edge:
            kinds = self._kinds_of(unit, [edge.src, edge.dst])
            for end in (edge.src, edge.dst):
                if end not in kinds:
                    raise NotFoundError(f"edge {edge.key}: no node with id {end!r}")
            check_edge_ends(edge.kind, kinds[edge.src], kinds[edge.dst])
            if unit.run(get, src=edge.src, dst=edge.dst):
                raise DuplicateError(f"edge {edge.key} exists already")
            at = now_iso()
            who = self._who(unit, actor)
            stored = Edge(edge.src, edge.kind, edge.dst, edge.props, at, at, who)
            unit.execute(create, src=stored.src, dst=stored.dst, values=_edge_values(stored))
            self._record(
                unit, [_history_row("add_edge", stored.key, None, stored.to_dict(), at, who)]
            )
            return stored

        return self._write(work, actor)

    @staticmethod
    def _locked_edge(unit: _Unit, lock: str, src: str, kind: str, dst: str) -> Edge:
        """The edge, write-locked by ``lock`` (``cy.LOCK_EDGE`` for its kind)."""
        rows = unit.run(lock, src=src, dst=dst)
        if not rows:
            raise NotFoundError(f"no edge {edge_key(src, kind, dst)}")
        return _edge(rows[0]["e"])

    def update_edge(
        self,
        src: str,
        kind: str,
        dst: str,
        changes: Mapping[str, Any],
        *,
        actor: str | None = None,
    ) -> Edge:
        lock = cy.with_rel(cy.LOCK_EDGE, kind)
        update = cy.with_rel(cy.UPDATE_EDGE, kind)

        def work(unit: _Unit) -> Edge:
            old = self._locked_edge(unit, lock, src, kind, dst)
            new = validate_edge(Edge(src, kind, dst, changed_props(old.props, changes)))
            if new.props == old.props:
                return old
            at = now_iso()
            who = self._who(unit, actor)
            new = Edge(src, kind, dst, new.props, old.created_at, at, who)
            unit.run(update, src=src, dst=dst, values=_edge_values(new))
            self._record(
                unit, [_history_row("update_edge", new.key, old.to_dict(), new.to_dict(), at, who)]
            )
            return new

        return self._write(work, actor)

    def delete_edge(self, src: str, kind: str, dst: str, *, actor: str | None = None) -> None:
        lock = cy.with_rel(cy.LOCK_EDGE, kind)
        delete = cy.with_rel(cy.DELETE_EDGE, kind)

        def work(unit: _Unit) -> None:
            old = self._locked_edge(unit, lock, src, kind, dst)
            unit.run(delete, src=src, dst=dst)
            at = now_iso()
            self._record(
                unit,
                [
                    _history_row(
                        "delete_edge", old.key, old.to_dict(), None, at, self._who(unit, actor)
                    )
                ],
            )

        self._write(work, actor)

    def bulk_load(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        actor: str | None = None,
        history: Iterable[Change] | None = None,
        keep_times: bool = False,
    ) -> tuple[int, int]:
        # Validate everything (and build every query string) before touching the server.
        batch: dict[str, Node] = {}
        for node in nodes:
            node = validate_node(node)
            batch.setdefault(node.id, node)
        wanted: dict[tuple[str, str, str], Edge] = {}
        for edge in edges:
            edge = validate_edge(edge)
            wanted.setdefault((edge.src, edge.kind, edge.dst), edge)
        node_queries = {
            k: cy.with_label(cy.CREATE_NODES, k) for k in {n.kind for n in batch.values()}
        }
        edge_queries = {k: cy.with_rel(cy.CREATE_EDGES, k) for k in {i[1] for i in wanted}}
        given = list(history) if history is not None else None

        def work(unit: _Unit) -> tuple[int, int]:
            who = self._who(unit, actor)
            at = now_iso()
            # Into an empty graph (a first load, a copy) nothing can be present already.
            empty = not unit.run(cy.ANY_NODE)
            present = {} if empty else self._kinds_of(unit, batch)
            fresh: list[Node] = []
            rows_by_kind: dict[str, list[dict[str, Any]]] = {}
            # A new node's edges are all new: its degree is known before it is created.
            degree: dict[str, int] = {}
            for src, _kind, dst in wanted:
                degree[src] = degree.get(src, 0) + 1
                if dst != src:
                    degree[dst] = degree.get(dst, 0) + 1
            for node in batch.values():
                if node.id in present:
                    continue
                if keep_times:
                    node = stamp_node(
                        node,
                        node.created_at or at,
                        node.updated_at or at,
                        node.updated_by or who,
                        node.version or 1,
                    )
                else:
                    node = stamp_node(node, at, at, who, 1)
                fresh.append(node)
                row = _node_row(node)
                row["degree"] = degree.pop(node.id, 0)
                rows_by_kind.setdefault(node.kind, []).append(row)
            for kind, rows in rows_by_kind.items():
                for chunk in _chunks(rows, _BULK_BATCH):
                    unit.execute(node_queries[kind], rows=chunk)
            # Ends outside the batch must be in the graph already.
            kinds = {n.id: n.kind for n in batch.values()}
            outside = {x for ident in wanted for x in (ident[0], ident[2]) if x not in kinds}
            before = dict(present)
            if outside and not empty:
                found = self._kinds_of(unit, outside)
                kinds.update(found)
                before.update(found)
            for (src, kind, dst), e in wanted.items():
                for end in (src, dst):
                    if end not in kinds:
                        raise NotFoundError(f"edge {e.key}: no node with id {end!r}")
                check_edge_ends(kind, kinds[src], kinds[dst])
            # Only an edge between two nodes that were there before can exist already.
            old = [i for i in wanted if i[0] in before and i[2] in before]
            existing = self._existing_edges(unit, old) if old else set()
            new_edges: list[Edge] = []
            rows_by_rel: dict[str, list[dict[str, Any]]] = {}
            for ident, e in wanted.items():
                if ident in existing:
                    for end in {ident[0], ident[2]}:
                        if end in degree:
                            degree[end] -= 1
                    continue
                if keep_times:
                    e = Edge(
                        e.src,
                        e.kind,
                        e.dst,
                        e.props,
                        e.created_at or at,
                        e.updated_at or at,
                        e.updated_by or who,
                    )
                else:
                    e = Edge(e.src, e.kind, e.dst, e.props, at, at, who)
                new_edges.append(e)
                rows_by_rel.setdefault(e.kind, []).append(_edge_row(e))
            for kind, rows in rows_by_rel.items():
                for chunk in _chunks(rows, _BULK_BATCH):
                    unit.execute(edge_queries[kind], rows=chunk)
            # What is left in ``degree`` are nodes that were there before.
            grown = [[i, d] for i, d in degree.items() if d]
            for part in _chunks(grown, _BULK_BATCH):
                unit.execute(cy.ADD_DEGREES, rows=list(part))
            if given is None:
                entries = [("add_node", n.id, None, n.to_dict(), at, who) for n in fresh]
                entries += [("add_edge", e.key, None, e.to_dict(), at, who) for e in new_edges]
                self._record_batches(unit, entries)
            else:
                self._load_history(unit, given)
            return len(fresh), len(new_edges)

        return self._write(work, actor)

    def _existing_edges(
        self, unit: _Unit, idents: Sequence[tuple[str, str, str]]
    ) -> set[tuple[str, str, str]]:
        by_kind: dict[str, list[dict[str, str]]] = {}
        for s, k, d in idents:
            by_kind.setdefault(k, []).append({"src": s, "dst": d})
        found: set[tuple[str, str, str]] = set()
        for kind, rows in by_kind.items():
            query = cy.with_rel(cy.EXISTING_EDGES, kind)
            for chunk in _chunks(rows, _BULK_BATCH):
                for r in unit.run(query, rows=chunk):
                    found.add((r["src"], kind, r["dst"]))
        return found

    def _load_history(self, unit: _Unit, changes: Sequence[Change]) -> None:
        """Store copied history entries as given (renumbered after any already present)."""
        if not changes:
            return
        self._record_batches(unit, changes, copied=True)
        unit.run(cy.RAISE_TX, tx=max(c.tx for c in changes))

    # --- reads ---------------------------------------------------------------------------

    def get_node(self, node_id: str) -> Node | None:
        rows = self._run_read(cy.GET_NODE, id=node_id)
        return _node(rows[0]["n"]) if rows else None

    def get_edge(self, src: str, kind: str, dst: str) -> Edge | None:
        if kind not in EDGE_KINDS:  # no such edge can exist; never build the query
            return None
        rows = self._run_read(cy.with_rel(cy.GET_EDGE, kind), src=src, dst=dst)
        return _edge(rows[0]["e"]) if rows else None

    def nodes(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Node]:
        for k in kinds or ():
            check_node_kind(k)
        rows = self._run_read(
            cy.LIST_NODES,
            kinds=_optional(kinds),
            statuses=_optional(statuses),
            offset=offset,
            limit=_NO_LIMIT if limit is None else limit,
        )
        return [_node(r["n"]) for r in rows]

    def edges(
        self,
        kinds: Sequence[str] | None = None,
        *,
        node_id: str | None = None,
        limit: int | None = None,
    ) -> list[Edge]:
        for k in kinds or ():
            check_edge_kind(k)
        query = cy.LIST_EDGES if node_id is None else cy.EDGES_OF_NODE
        rows = self._run_read(
            query, id=node_id, kinds=_optional(kinds), limit=_NO_LIMIT if limit is None else limit
        )
        return [_edge(r["e"]) for r in rows]

    def neighbours(
        self,
        node_id: str,
        *,
        direction: str = "both",
        edge_kinds: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[tuple[Edge, Node]]:
        if direction not in cy.NEIGHBOURS:
            raise ValidationError(f"direction must be out, in or both, not {direction!r}")
        for k in edge_kinds or ():
            check_edge_kind(k)
        rows = self._run_read(
            cy.NEIGHBOURS[direction],
            id=node_id,
            kinds=_optional(edge_kinds),
            limit=_NO_LIMIT if limit is None else limit,
        )
        return [(_edge(r["e"]), _node(r["m"])) for r in rows]

    def neighbourhood(
        self,
        focus: Sequence[str],
        depth: int = 1,
        *,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        edge_kinds: Sequence[str] | None = None,
        cap: int = DEFAULT_CAP,
    ) -> Subgraph:
        focus = neighbourhood_focus(focus, depth, cap, kinds, edge_kinds)
        filters = {
            "kinds": _optional(kinds),
            "statuses": _optional(statuses),
            "edge_kinds": _optional(edge_kinds),
        }

        def work(unit: _Unit) -> Subgraph:
            degree = {r[0]: r[1] for r in unit.records(cy.FOCUS, ids=focus)}
            for node_id in focus:
                if node_id not in degree:
                    raise NotFoundError(f"no node with id {node_id!r}")
            selected: dict[str, None] = dict.fromkeys(focus[:cap])
            truncated = len(focus) > cap
            frontier = list(selected)
            for _level in range(depth):
                if truncated or not frontier:
                    break
                room = cap - len(selected)
                if room <= 0:
                    truncated = True
                    break
                # Low-degree nodes first: a hub would fill the cap with its own leaves.
                ordered = sorted(frontier, key=lambda i: degree.get(i, 0))
                [(found,)] = unit.records(
                    cy.LEVEL,
                    frontier=ordered,
                    seen=dict.fromkeys(selected, True),
                    take=room + 1,
                    **filters,
                )
                if len(found) > room:
                    found = found[:room]
                    truncated = True
                frontier = []
                for node_id, node_degree in found:
                    selected[node_id] = None
                    degree[node_id] = node_degree
                    frontier.append(node_id)
            ids = list(selected)
            params = self._among_params(ids, degree, filters["edge_kinds"])
            [(node_rows, edge_rows)] = unit.records(cy.SELECTION, ids=ids, **params)
            got = {v[0]: _node_from_list(v) for v in node_rows}
            nodes = {i: got[i] for i in ids if i in got}
            edges = _sorted_edges(edge_rows)
            return Subgraph(
                nodes=nodes, edges=edges, truncated=truncated, focus=tuple(focus), cap=cap
            )

        return self._read(work)

    @staticmethod
    def _among_params(
        ids: Sequence[str], degree: Mapping[str, int], edge_kinds: list[str] | None
    ) -> dict[str, Any]:
        """Parameters of ``cy.EDGES_AMONG``: which members are expanded, which probed."""
        small = [i for i in ids if degree.get(i, 0) <= len(ids)]
        big = [i for i in ids if degree.get(i, 0) > len(ids)]
        return {
            "small": small,
            "big": big,
            "member": dict.fromkeys(ids, True),
            "bigs": dict.fromkeys(big, True),
            "edge_kinds": edge_kinds,
        }

    def _edges_among(
        self,
        unit: _Unit,
        ids: Sequence[str],
        degree: Mapping[str, int],
        edge_kinds: list[str] | None,
    ) -> list[Edge]:
        rows = unit.records(cy.EDGES_AMONG, **self._among_params(ids, degree, edge_kinds))
        return _sorted_edges(r[0] for r in rows)

    def _nodes_by_id(self, unit: _Unit, ids: Sequence[str]) -> dict[str, Node]:
        got: dict[str, Node] = {}
        for chunk in _chunks(list(ids), 10_000):
            for row in unit.records(cy.NODES_BY_ID, ids=list(chunk)):
                node = _node_from_list(row[0])
                got[node.id] = node
        return {i: got[i] for i in ids if i in got}

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        wanted = list(dict.fromkeys(node_ids))

        def work(unit: _Unit) -> Subgraph:
            degree = {r["id"]: r["degree"] for r in unit.run(cy.FOCUS, ids=wanted)}
            nodes = self._nodes_by_id(unit, [i for i in wanted if i in degree])
            edges = self._edges_among(unit, list(nodes), degree, None)
            return Subgraph(nodes=nodes, edges=edges)

        return self._read(work)

    def shortest_path(self, src: str, dst: str, *, max_depth: int = 8) -> list[str] | None:
        check_id(src)
        check_id(dst)
        depth = int(max_depth)
        if not 0 <= depth <= _MAX_PATH_DEPTH:
            raise ValidationError(f"max_depth must be between 0 and {_MAX_PATH_DEPTH}")
        query = cy.SHORTEST_PATH.replace("{depth}", str(depth))

        def work(unit: _Unit) -> list[str] | None:
            kinds = self._kinds_of(unit, [src, dst])
            for node_id in (src, dst):
                if node_id not in kinds:
                    raise NotFoundError(f"no node with id {node_id!r}")
            if src == dst:
                return [src]
            if depth == 0:
                return None
            rows = unit.run(query, src=src, dst=dst)
            return list(rows[0]["ids"]) if rows else None

        return self._read(work)

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        words = _QUERY_WORD.findall(fold(text))
        if not words:
            return []
        for k in kinds or ():
            check_node_kind(k)
        # Every word as a word prefix; the words hold only [0-9a-z], nothing Lucene parses.
        # Lucene cuts stored words at 255 characters and refuses huge prefixes, so it gets
        # at most _LUCENE_PREFIX characters of a word and the query re-checks whole words.
        query = " ".join(f"+{w[:_LUCENE_PREFIX]}*" for w in words)
        rows = self._run_read(
            cy.SEARCH,
            query=query,
            words=[f" {w}" for w in words],
            kinds=_optional(kinds),
            limit=limit,
        )
        return [_node(r["n"]) for r in rows]

    def last_change(self) -> int:
        rows = self._run_read(cy.LAST_CHANGE)
        return int(rows[0]["seq"] or 0) if rows else 0

    def counts(self) -> Counts:
        def work(unit: _Unit) -> Counts:
            nodes = {r["kind"]: r["c"] for r in unit.run(cy.COUNT_NODES) if r["c"]}
            edges = {r["kind"]: r["c"] for r in unit.run(cy.COUNT_EDGES) if r["c"]}
            return Counts(nodes=dict(sorted(nodes.items())), edges=dict(sorted(edges.items())))

        return self._read(work)

    def history(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        target: str | None = None,
        limit: int | None = None,
    ) -> list[Change]:
        since, until, actor, target = since or None, until or None, actor or None, target or None
        cut = _NO_LIMIT if limit is None else limit
        filters = {"since": since, "until": until, "actor": actor, "target": target}

        def work(unit: _Unit) -> list[Change]:
            single = [
                _change(r["h"])
                for r in unit.run(cy.HISTORY_OF if target else cy.HISTORY, **filters, limit=cut)
            ]
            # Entries of bulk loads, filtered here exactly as the query above filters, read
            # in order of their numbers until no later batch can be among the first ``cut``.
            merged = [(c.seq, c) for c in single]
            firsts = [r[0] for r in unit.records(cy.HISTORY_BATCHES, **filters)]
            for group in _chunks(firsts, _HISTORY_GROUP):
                if len(merged) >= cut:
                    merged.sort(key=lambda m: m[0])
                    del merged[cut:]
                    if not merged or merged[-1][0] < group[0]:
                        break
                for first, tx, packed in unit.records(cy.HISTORY_ENTRIES, firsts=list(group)):
                    for i, (etx, at, who, op, item, before, after) in enumerate(
                        json.loads(zlib.decompress(packed))
                    ):
                        if (
                            (since is not None and at < since)
                            or (until is not None and at >= until)
                            or (actor is not None and who != actor)
                            or (target is not None and not _names(item, target))
                        ):
                            continue
                        change = Change(
                            first + i, tx if etx is None else etx, at, who, op, item, before, after
                        )
                        merged.append((change.seq, change))
            merged.sort(key=lambda m: m[0])
            return [c for _seq, c in merged[:cut]]

        return self._read(work)

    def is_empty(self) -> bool:
        return not self.counts().nodes and not self._run_read(cy.ANY_HISTORY)
