"""The server-side sign-in throttle (``kgraph.auth.throttle``) on a real table beside a
temporary users file: counts per name and per address, the growing wait, forgetting, and
exact counts when several server processes fail at once. The dashboard's use of it across
fresh sessions is in ``test_ui_auth.py``."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from kgraph.auth import throttle
from kgraph.auth.throttle import SigninThrottle, address_key, lockout_seconds, name_key

T0 = 1_800_000_000.0  # a fixed "now" in seconds since the epoch


def test_the_wait_doubles_up_to_a_ceiling() -> None:
    free = throttle.FREE_PER_ADDRESS
    assert [lockout_seconds(n) for n in range(free)] == [0.0] * free
    assert lockout_seconds(free) == throttle.LOCK_S
    assert lockout_seconds(free + 1) == 2 * throttle.LOCK_S
    assert lockout_seconds(10**6) == throttle.MAX_LOCK_S


def test_an_address_waits_after_failures_on_any_names(tmp_path: Path) -> None:
    table = SigninThrottle(tmp_path / "users.json")
    for i in range(throttle.FREE_PER_ADDRESS - 1):
        assert table.failed(f"name {i}", "192.0.2.9", now=T0 + i).allowed
    verdict = table.failed("yet another", "192.0.2.9", now=T0 + 10)
    assert not verdict.allowed and verdict.wait_s == throttle.LOCK_S
    assert not table.check("someone new", "192.0.2.9", now=T0 + 20).allowed
    assert table.check("someone new", "192.0.2.10", now=T0 + 20).allowed  # another client
    assert table.check("someone new", "192.0.2.9", now=T0 + 10 + throttle.LOCK_S).allowed


def test_a_name_waits_after_failures_from_many_addresses(tmp_path: Path) -> None:
    table = SigninThrottle(tmp_path / "users.json")
    for i in range(throttle.FREE_PER_NAME):
        table.failed("Ada Admin", f"198.51.100.{i}", now=T0)
    assert table.failures(name_key("ada admin")) == throttle.FREE_PER_NAME  # case-folded
    assert table.failures(address_key("198.51.100.1")) == 1
    assert not table.check("ADA ADMIN", "203.0.113.5", now=T0 + 1).allowed
    assert table.check("Bea", "203.0.113.5", now=T0 + 1).allowed
    table.succeeded("Ada Admin")
    assert table.check("Ada Admin", "203.0.113.5", now=T0 + 1).allowed


def test_old_failures_are_forgotten(tmp_path: Path) -> None:
    table = SigninThrottle(tmp_path / "users.json")
    for _ in range(throttle.FREE_PER_ADDRESS + 3):
        table.failed("x", "local", now=T0)
    assert not table.check("x", "local", now=T0 + 60).allowed
    later = T0 + throttle.FORGET_S + 1
    assert table.check("x", "local", now=later).allowed
    table.failed("y", "elsewhere", now=later)  # each write sweeps out forgotten keys
    assert table.failures(address_key("local")) == 0


def test_the_table_is_private_to_the_owner(tmp_path: Path) -> None:
    table = SigninThrottle(tmp_path / "users.json")
    table.failed("x", "local")
    assert table.path == tmp_path / "users.json.throttle.db"
    assert stat.S_IMODE(table.path.stat().st_mode) == 0o600


def test_several_server_processes_count_together(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    each = 25
    script = (
        "import sys; from kgraph.auth.throttle import SigninThrottle\n"
        "t = SigninThrottle(sys.argv[1])\n"
        f"for _ in range({each}): t.failed('ada', sys.argv[2])\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(users), f"192.0.2.{i}"])
        for i in range(3)
    ]
    assert [w.wait(120) for w in workers] == [0, 0, 0]
    table = SigninThrottle(users)
    assert table.failures(name_key("ada")) == 3 * each
    assert not table.check("ada", "203.0.113.1").allowed


def test_typed_names_are_not_kept(tmp_path: Path) -> None:
    """A password typed into the name field by mistake must not end up on disk."""
    table = SigninThrottle(tmp_path / "users.json")
    table.failed("Mijn Geheime Wachtwoord", "local")
    assert table.failures(name_key("mijn geheime wachtwoord")) == 1
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("users.json.throttle.db*"))
    assert b"geheime" not in stored.lower()
