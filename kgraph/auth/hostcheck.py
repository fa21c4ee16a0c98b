"""Refusing requests for other host names: the guard against DNS rebinding.

A web page on ``evil.example`` can make its own name resolve to 127.0.0.1 and then talk
to a dashboard on this computer as if it were its own site: the browser sends
``Host: evil.example:8501`` and ``Origin: http://evil.example:8501``, and a server that
only compares the two (as a websocket's same-origin check does) lets it in. Without
sign-in that page could read and change everything. So every HTTP request and every
websocket handshake must name an allowed host in ``Host``, and a request that carries an
``Origin`` (every browser websocket does) must come from an allowed host as well;
anything else gets ``403 Forbidden`` before Streamlit sees it.

Allowed hosts: the loopback names (``127.0.0.1``, ``localhost``, ``[::1]``), the address
the server listens on when it is a specific one, and the names given with
``kgraph serve --allow-host NAME`` (or ``KGRAPH_ALLOWED_HOSTS``, comma-separated), which
is how a dashboard served with sign-in on a network address gets its public name. Only
``--allow-host '*'`` turns the check off (say, behind a proxy that checks ``Host``
itself); it is refused without sign-in. Ports are not compared: the socket already
decided which server answers.

``HostCheck`` is a plain ASGI middleware, so it sits in front of Streamlit's Starlette
app (``kgraph.cli.serve_process``) and is tested on its own.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

#: the names every local dashboard answers to
LOOPBACK_HOSTS: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1"})
#: addresses that mean "every interface": they name no host a browser would use
WILDCARD_ADDRESSES: frozenset[str] = frozenset({"", "0.0.0.0", "::"})
#: the environment variable ``kgraph serve`` passes the allow-list in
ENV_ALLOWED = "KGRAPH_ALLOWED_HOSTS"
#: the allow-list entry that switches the check off
ANY = "*"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def normalise_host(host: str) -> str:
    """A host name as compared: lower case, no brackets, no trailing dot; an IPv6
    literal in its compressed form."""
    name = host.strip().strip("[]").rstrip(".").casefold()
    try:
        return ipaddress.ip_address(name).compressed
    except ValueError:
        return name


def allowed_hosts(address: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names a dashboard listening on ``address`` answers to (see the module
    docstring); ``extra`` adds names (``*`` for any)."""
    names = set(LOOPBACK_HOSTS)
    if address.strip() not in WILDCARD_ADDRESSES:
        names.add(normalise_host(address))
    names.update(ANY if e.strip() == ANY else normalise_host(e) for e in extra if e.strip())
    return frozenset(names)


def allowed_from_env(address: str) -> frozenset[str]:
    """``allowed_hosts`` with the extra names from ``KGRAPH_ALLOWED_HOSTS``."""
    return allowed_hosts(address, os.environ.get(ENV_ALLOWED, "").split(","))


def host_of_header(value: str) -> str | None:
    """The host name in a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), or
    ``None`` when the value is not a plain host and port (user info, a path, junk)."""
    value = value.strip()
    if not value or any(ch in value for ch in "/@?#\\ \t"):
        return None
    try:
        parts = urlsplit(f"//{value}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    return normalise_host(parts.hostname) if parts.hostname else None


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's ``Host`` header names an allowed host (a missing one is not)."""
    if ANY in allowed:
        return True
    host = host_of_header(host_header or "")
    return host is not None and host in allowed


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """Whether an ``Origin`` header is from an allowed host. No header at all is allowed
    (browsers always send one on websockets and cross-site requests; scripts need not);
    ``null`` and anything but an http(s) origin are not."""
    if origin is None:
        return True
    if ANY in allowed:
        return True
    try:
        parts = urlsplit(origin.strip())
        parts.port  # noqa: B018
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.username is not None or parts.path not in ("", "/"):
        return False
    return normalise_host(parts.hostname) in allowed


def request_allowed(
    headers: Iterable[tuple[bytes, bytes]], allowed: frozenset[str]
) -> tuple[bool, str]:
    """Whether an ASGI request's raw headers pass, and if not, why (for the log)."""
    hosts: list[str] = []
    origins: list[str] = []
    for key, value in headers:
        name = key.decode("latin-1").casefold()
        if name == "host":
            hosts.append(value.decode("latin-1"))
        elif name == "origin":
            origins.append(value.decode("latin-1"))
    if len(hosts) != 1 or not host_allowed(hosts[0], allowed):
        return False, f"Host {hosts!r} is not an allowed host name"
    if len(origins) > 1 or not origin_allowed(origins[0] if origins else None, allowed):
        return False, f"Origin {origins!r} is not an allowed origin"
    return True, ""


FORBIDDEN_BODY = (
    b"403 Forbidden: this kgraph dashboard does not answer to that host name. "
    b"Open it as http://127.0.0.1:PORT/ or, for a network name, start it with "
    b"kgraph serve --allow-host NAME.\n"
)


class HostCheck:
    """ASGI middleware: ``403`` for an HTTP request or websocket handshake whose ``Host``
    or ``Origin`` is not allowed; everything else goes to ``app`` untouched."""

    def __init__(
        self, app: ASGIApp, allowed: Iterable[str], log: Callable[[str], None] | None = None
    ) -> None:
        self.app = app
        self.allowed = frozenset(allowed)
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)  # lifespan events carry no headers
            return
        ok, why = request_allowed(scope.get("headers") or [], self.allowed)
        if ok:
            await self.app(scope, receive, send)
            return
        if self.log is not None:
            self.log(f"refused {scope['type']} {scope.get('path', '')!r}: {why}")
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(FORBIDDEN_BODY)).encode("ascii")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": FORBIDDEN_BODY})
