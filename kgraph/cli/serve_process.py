"""The dashboard's server process: Streamlit's own server (``st.App`` on uvicorn) with the
host check (``kgraph.auth.hostcheck``) in front of every request.

``kgraph serve`` checks everything it can first (sign-in, address, a free port), then
*replaces itself* with this process (``exec``), so the process a supervisor, a shell or a
test started is the server: SIGTERM or Ctrl+C reach uvicorn directly, which closes the
listening socket and exits; nothing is left listening behind a dead parent.

Run by hand as ``python -m kgraph.cli.serve_process APP --server.address A --server.port P``
(``streamlit run``'s option names); the allowed host names come from
``KGRAPH_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kgraph.auth.hostcheck import allowed_from_env
from kgraph.errors import KGraphError

#: the module ``kgraph serve`` runs
MODULE = "kgraph.cli.serve_process"


def server_command(address: str, port: int, app: Path) -> list[str]:
    """The command line of the server process for the dashboard ``app``."""
    return [
        sys.executable,
        "-m",
        MODULE,
        str(app),
        "--server.address",
        address,
        "--server.port",
        str(port),
    ]


def check_can_listen(address: str, port: int) -> None:
    """``KGraphError`` (one line) unless a socket can listen on ``address:port`` now.

    Checked before the server starts so that a busy port or an address that is not this
    computer's is a plain message, not a server log and a traceback.
    """
    shown = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    try:
        infos = socket.getaddrinfo(
            address or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise KGraphError(f"cannot listen on {shown}: unknown address ({exc.strerror})") from exc
    family, kind, proto, _name, sockaddr = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(sockaddr)
            probe.listen(1)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                why = "the port is in use (is another dashboard running? try --port)"
            elif exc.errno == errno.EADDRNOTAVAIL:
                why = "that address is not one of this computer's"
            elif exc.errno == errno.EACCES:
                why = "permission denied (ports below 1024 need privileges)"
            else:
                why = exc.strerror or str(exc)
            raise KGraphError(f"cannot listen on {shown}: {why}") from exc


def host_check(address: str, log: Callable[[str], None] | None = None) -> list[Any]:
    """The middleware that puts the host check in front of the dashboard listening on
    ``address``: what ``kgraph serve`` runs and what ``app.py`` of a checkout gives
    ``streamlit run``."""
    from starlette.middleware import Middleware

    from kgraph.auth.hostcheck import HostCheck

    return [Middleware(HostCheck, allowed=allowed_from_env(address), log=log or _log)]


def exec_server(command: Sequence[str], env: dict[str, str], cwd: Path) -> None:
    """Become the server process (never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(cwd)
    os.execve(command[0], list(command), env)


def _log(line: str) -> None:
    print(f"kgraph: {line}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the dashboard script with the host check in front (see the module docstring)."""
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    parser.add_argument("app")
    parser.add_argument("--server.address", dest="address", default="127.0.0.1")
    parser.add_argument("--server.port", dest="port", type=int, default=8501)
    args = parser.parse_args(argv)

    from streamlit.starlette import App

    app = App(args.app, middleware=host_check(args.address))
    # st.App takes the script-level config folder (.streamlit/ beside the dashboard, as
    # `streamlit run` does) from argv[0], and passes the rest of argv to the script.
    sys.argv = [str(Path(args.app).resolve())]
    app.run(
        config={
            "server.address": args.address,
            "server.port": args.port,
            "server.headless": True,
            "browser.gatherUsageStats": False,
        }
    )


if __name__ == "__main__":  # pragma: no cover - the server process itself
    try:
        main()
    except KGraphError as exc:
        print(f"kgraph: error: {exc}", file=sys.stderr)
        sys.exit(2)
