"""Serving the dashboard: on loopback only unless sign-in is configured.

The rule: with no sign-in configured the app listens on 127.0.0.1 only and says so; asked
to listen on any other address without sign-in it refuses to start. ``kgraph serve``
applies it before starting the dashboard's server (``kgraph.cli.serve_process``), which
also refuses requests for host names other than the allowed ones
(``kgraph.auth.hostcheck``).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from kgraph.errors import KGraphError

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def is_loopback(address: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (``127.0.0.0/8``, ``::1``).

    Any other host name counts as not loopback: a name can resolve to anything. An empty
    address means every interface to Streamlit, so it is not loopback either.
    """
    host = address.strip().strip("[]")
    if host.casefold() == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def check_listen_address(address: str, signin_configured: bool) -> str:
    """A message saying where the app will listen; ``KGraphError`` if it must not.

    Without sign-in only loopback addresses are allowed: anyone who can reach the port
    could otherwise read and change every question and decision.
    """
    shown = address or "every interface"
    if signin_configured:
        return f"Sign-in is required; listening on {shown}."
    if is_loopback(address):
        return (
            f"No sign-in is configured: listening on {address} only, reachable from this "
            "computer alone. Add users (kgraph users add NAME --role admin) or an [auth] "
            "section in .streamlit/secrets.toml to serve on a network."
        )
    raise KGraphError(
        f"refusing to listen on {shown}: no sign-in is configured, so anyone on the network "
        "could read and change the data. Add users with `kgraph users add NAME --role "
        "admin` or configure [auth] in .streamlit/secrets.toml, or listen on 127.0.0.1."
    )


def streamlit_env(store_location: str, users_file: Path) -> dict[str, str]:
    """The environment for the app: the same store and users file as the command line."""
    env = dict(os.environ)
    env["KGRAPH_STORE"] = store_location
    env["KGRAPH_USERS"] = str(users_file)
    return env
