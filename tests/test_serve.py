"""``kgraph serve`` for real: the server process is started on a free loopback port and
spoken to over sockets, as a browser (or a hostile page in one) would.

What is proven here: an HTTP request or a websocket handshake naming another host
(``Host: evil.example``, the DNS-rebinding attack) or coming from another origin gets
403, while the loopback names get the dashboard; SIGTERM stops the server and frees the
port within seconds, also with a websocket open; a busy port or an address that is not
this computer's is one line and exit status 2, not a traceback.
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.auth.hostcheck import (
    allowed_hosts,
    host_allowed,
    host_of_header,
    origin_allowed,
)
from kgraph.auth.users import UsersFile
from kgraph.cli import cli

KGRAPH = str(Path(sys.executable).with_name("kgraph"))
START_TIMEOUT = 90.0  # a busy two-core machine takes a while to import Streamlit
STOP_TIMEOUT = 5.0
PASSWORD = "lang genoeg wachtwoord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def is_listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def serve_env(tmp_path: Path) -> dict[str, str]:
    """A private HOME (no real secrets.toml) and store; no users: no sign-in."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        KGRAPH_STORE=str(tmp_path / "serve.db"),
        KGRAPH_USERS=str(tmp_path / "no-users.json"),
    )
    env.pop("KGRAPH_ALLOWED_HOSTS", None)
    return env


def start_server(env: dict[str, str], port: int, *extra: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [KGRAPH, "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while not is_listening(port):
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"kgraph serve did not listen on {port} in time")
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """One ``kgraph serve`` without sign-in for the request tests; yields its port."""
    port = free_port()
    process = start_server(serve_env(tmp_path_factory.mktemp("serve")), port)
    try:
        yield port
    finally:
        stop(process)


def http_status(port: int, host: str, origin: str | None = None, path: str = "/") -> int:
    """The status of a GET sent to 127.0.0.1:port with exactly these headers."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    return _status(port, lines)


def websocket_status(port: int, host: str, origin: str | None = None) -> int:
    """The status of a websocket handshake to Streamlit's stream (101 = connected)."""
    return _status(port, websocket_request(host, origin))


def websocket_request(host: str, origin: str | None) -> list[str]:
    key = base64.b64encode(os.urandom(16)).decode("ascii")
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    return lines


def _status(port: int, lines: list[str], keep: list[socket.socket] | None = None) -> int:
    conn = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = b""
        while b"\r\n" not in head:
            chunk = conn.recv(1024)
            if not chunk:
                break
            head += chunk
        status = int(head.split(b" ", 2)[1])
    finally:
        if keep is None:
            conn.close()
        else:
            keep.append(conn)
    return status


# --- DNS rebinding: Host and Origin ----------------------------------------------------------


def test_http_requests_for_another_host_name_are_refused(server: int) -> None:
    port = server
    assert http_status(port, f"evil.example:{port}") == 403
    assert http_status(port, "evil.example") == 403
    assert http_status(port, f"127.0.0.1.evil.example:{port}") == 403
    assert http_status(port, f"localhost@evil.example:{port}") == 403
    assert http_status(port, f"127.0.0.1:{port}", origin=f"http://evil.example:{port}") == 403
    assert http_status(port, f"127.0.0.1:{port}") == 200
    assert http_status(port, f"localhost:{port}") == 200
    assert http_status(port, f"[::1]:{port}") == 200
    assert http_status(port, f"127.0.0.1:{port}", path="/_stcore/health") == 200
    assert http_status(port, f"evil.example:{port}", path="/_stcore/health") == 403


def test_websockets_need_a_loopback_host_and_origin(server: int) -> None:
    port = server
    local = f"http://127.0.0.1:{port}"
    evil = f"http://evil.example:{port}"
    # the rebinding attack: the page's own name in both headers
    assert websocket_status(port, f"evil.example:{port}", origin=evil) == 403
    assert websocket_status(port, f"127.0.0.1:{port}", origin=evil) == 403
    assert websocket_status(port, f"127.0.0.1:{port}", origin="null") == 403
    assert websocket_status(port, f"127.0.0.1:{port}", origin=local) == 101
    assert websocket_status(port, f"localhost:{port}", origin=f"http://localhost:{port}") == 101


def test_the_host_rules() -> None:
    loopback = allowed_hosts("127.0.0.1")
    assert {host_of_header(h) for h in ("127.0.0.1:8501", "LOCALHOST", "[::1]:1")} <= loopback
    for bad in ("", "a b", "x@127.0.0.1", "127.0.0.1/x", "127.0.0.1:port", "evil.example"):
        assert not host_allowed(bad, loopback), bad
    assert host_allowed("localhost.:8501", loopback)  # the fully qualified form
    assert origin_allowed(None, loopback)  # scripts need not send one
    assert not origin_allowed("null", loopback)
    assert not origin_allowed("file://127.0.0.1", loopback)
    assert origin_allowed("https://127.0.0.1:8501", loopback)
    wide = allowed_hosts("0.0.0.0", ["Dash.Gemeente.nl"])
    assert host_allowed("dash.gemeente.nl:443", wide) and not host_allowed("0.0.0.0", wide)
    assert host_allowed("192.0.2.7:80", allowed_hosts("192.0.2.7"))
    assert host_allowed("evil.example", allowed_hosts("0.0.0.0", ["*"]))


def test_other_host_names_need_signin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in serve_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--allow-host", "dash.example.nl", "--check"])
    assert result.exit_code == 2 and "--allow-host needs sign-in" in result.stderr
    UsersFile(os.environ["KGRAPH_USERS"], rounds=4).add("ada", "admin", PASSWORD)
    result = runner.invoke(
        cli, ["serve", "--address", "0.0.0.0", "--allow-host", "dash.example.nl", "--check"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Host names accepted: 127.0.0.1, ::1, dash.example.nl, localhost" in result.stderr


# --- stopping and starting -------------------------------------------------------------------


def test_sigterm_stops_the_server_and_frees_the_port(tmp_path: Path) -> None:
    port = free_port()
    process = start_server(serve_env(tmp_path), port)
    open_sockets: list[socket.socket] = []
    try:
        lines = websocket_request(f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
        assert _status(port, lines, keep=open_sockets) == 101  # a browser tab is open
        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while is_listening(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not is_listening(port), f"still listening {STOP_TIMEOUT} s after SIGTERM"
        process.wait(STOP_TIMEOUT)
    finally:
        for conn in open_sockets:
            conn.close()
        stop(process)


def test_a_busy_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [KGRAPH, "serve", "--port", str(port)],
            env=serve_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"kgraph: error: cannot listen on 127.0.0.1:{port}: the port is in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("kgraph: error") == 1


def test_an_address_of_another_computer_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = serve_env(tmp_path)
    UsersFile(env["KGRAPH_USERS"], rounds=4).add("ada", "admin", PASSWORD)
    for address, why in (
        ("192.0.2.1", "that address is not one of this computer's"),  # TEST-NET-1: not ours
        ("no-such-host.invalid", "unknown address"),
    ):
        result = subprocess.run(
            [KGRAPH, "serve", "--address", address, "--port", str(free_port())],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        assert f"kgraph: error: cannot listen on {address}:" in result.stderr
        assert why in result.stderr and "Traceback" not in result.stderr


def test_the_server_process_is_the_started_process(tmp_path: Path) -> None:
    """``kgraph serve`` becomes the server (exec): no parent is left to orphan it."""
    port = free_port()
    process = start_server(serve_env(tmp_path), port)
    try:
        with contextlib.suppress(FileNotFoundError):
            cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
            assert b"kgraph.cli.serve_process" in cmdline
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if children.exists():
            assert children.read_text().split() == []
    finally:
        stop(process)
