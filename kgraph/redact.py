"""Keeping credentials out of sight: the one function every display of a store location,
every CLI error and every log line goes through.

A store location may carry a password (``bolt://neo4j:secret@host:7687``). kgraph shows
the scheme, the user name, the host, the port and the path, never the password, nor a
query string or fragment (where drivers sometimes accept secrets too).

The password is found the way a person reads the URL, not the way ``urlsplit`` does:
everything between ``scheme://user:`` and the *last* ``@`` of the location is the
password, so a password holding ``@``, ``#``, ``/``, ``?`` or ``:`` (not percent-encoded,
as people type them) is still hidden whole. That reading may hide more than the password
in an odd URL; it never shows less.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "redact", "redact_location"]

#: what stands where a secret was
MASK = "***"

# A URL with a user part: scheme://user:secret@rest (the secret up to the last "@" before
# white space or a quote, so that a location quoted inside a message is cut correctly).
_WITH_PASSWORD = re.compile(
    r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^\s:/@'\"`]*):(?P<secret>[^\s'\"`]*)@"
)


def redact(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` URL in it
    replaced by ``***`` (the user name stays: it says who tried to connect).

    For free text: error messages, log lines, command lines. Idempotent.
    """
    if "://" not in text or "@" not in text:
        return text
    return _WITH_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)


def redact_location(location: str) -> str:
    """A store location as people may see it: no password, no query string, no fragment.

    ``bolt://neo4j:pw@db:7687/x?k=v`` becomes ``bolt://neo4j@db:7687/x``; a path to an
    embedded store is returned as it is.
    """
    if "://" not in location:
        return location
    scheme, _, rest = location.strip().partition("://")
    user = ""
    if "@" in rest:
        userinfo, _, rest = rest.rpartition("@")
        user = userinfo.split(":", 1)[0]
    # whatever follows the host: keep the path, drop a query string or fragment
    rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    return f"{scheme}://{user}@{rest}" if user else f"{scheme}://{rest}"
