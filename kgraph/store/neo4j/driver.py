"""One Neo4j driver per process and server, and driver errors as one-line kgraph errors.

Configuration: a ``bolt://``, ``bolt+s://``, ``neo4j://`` or ``neo4j+s://`` location (user
and password may be in it: ``bolt://user:pw@host:7687``), else ``NEO4J_URI``; credentials
from ``NEO4J_USERNAME``/``NEO4J_PASSWORD`` (no password: no authentication) and the
database from ``NEO4J_DATABASE`` (default: the server's default database).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from kgraph.errors import DuplicateError, KGraphError, StoreError
from kgraph.redact import redact_location


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
