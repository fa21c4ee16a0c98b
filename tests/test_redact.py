"""Credentials in a store location are never shown: not in the dashboard, the CLI's output
or errors, the history, nor an object's or exception's repr. ``kgraph.redact`` is the one
function that hides them; these tests drive the real dashboard (AppTest), the real CLI
and a real Neo4j, with passwords people actually type (``#``, ``/``, ``?``, ``@``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import neo4j_uri_or_skip, open_test_store
from streamlit.testing.v1 import AppTest

from kgraph.cli import cli
from kgraph.errors import StoreError
from kgraph.model import Node
from kgraph.redact import MASK, redact, redact_location
from kgraph.store.neo4j import Neo4jStore, parse_location

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ["s3cret", "pa#ss", "pa/ss", "pa?ss", "p@ss", "pa:ss", "1234#x"]


@pytest.mark.parametrize("secret", SECRETS)
def test_locations_are_shown_without_their_password(secret: str) -> None:
    location = f"bolt://ada:{secret}@db.example:7687"
    assert redact_location(location) == "bolt://ada@db.example:7687"
    assert redact_location(location + "/kg?token=abc#frag") == "bolt://ada@db.example:7687/kg"
    text = f"cannot reach Neo4j at {location}: refused"
    assert redact(text) == f"cannot reach Neo4j at bolt://ada:{MASK}@db.example:7687: refused"
    assert redact(redact(text)) == redact(text)
    quoted = f"store '{location}' is closed"
    assert secret not in redact(quoted) and "db.example:7687'" in redact(quoted)


def test_text_without_a_password_is_left_alone() -> None:
    for text in (
        "bolt://127.0.0.1:7687",
        "bolt://neo4j@127.0.0.1:7687",
        "/home/ada/kgraph.db",
        "mail ada@gemeente.nl about http://example.org:80/x",
    ):
        assert redact(text) == text
        assert redact_location(text) == text


@pytest.mark.parametrize("secret", SECRETS)
def test_a_typed_password_reaches_the_driver_whole(secret: str) -> None:
    settings = parse_location(f"bolt://ada:{secret}@db.example:7687")
    assert settings.password == secret and settings.user == "ada"
    assert settings.uri == "bolt://db.example:7687"
    assert secret not in settings.display and secret not in repr(settings)


def test_a_bad_port_is_one_line_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        parse_location("bolt://ada:s3cret@db.example:noport")
    assert str(caught.value) == (
        "invalid Neo4j location bolt://ada@db.example:noport: the port is not a number"
    )
    result = CliRunner().invoke(cli, ["--store", "bolt://ada:pa#ss@127.0.0.1:x", "stats"])
    assert result.exit_code == 2 and "pa#ss" not in result.output and "pa" not in result.stderr
    assert "Traceback" not in result.output


def test_neo4j_never_shows_the_password(tmp_path: Path) -> None:
    uri = neo4j_uri_or_skip()
    secret = "pa#ss/w?rd@x"
    location = uri.replace("://", f"://ada:{secret}@", 1)
    store = Neo4jStore(location, actor="ada")  # the test server accepts any password
    try:
        store.wipe()
        store.add_node(Node("kq:geheim", "knowledge_question", "Een vraag"))
        seen: list[Any] = [store.location, repr(store), store.settings, store.history()]
        seen += [change.actor for change in store.history()]
        runner = CliRunner()
        for args in (["stats"], ["show", "kq:geheim"], ["history"], ["show", "kq:none"]):
            result = runner.invoke(cli, ["--store", location, *args])
            seen += [result.output, result.stderr]
        assert any("bolt://ada@" in str(s) for s in seen)
    finally:
        store.wipe()
        store.close()
    with pytest.raises(StoreError) as caught:
        store.get_node("kq:geheim")  # a closed store says so, naming it without secrets
    seen += [str(caught.value), repr(caught.value)]
    unreachable = location.rsplit(":", 1)[0] + ":1"
    result = CliRunner().invoke(cli, ["--store", unreachable, "stats"])
    assert result.exit_code == 2 and "cannot reach Neo4j at bolt://ada@" in result.stderr
    seen += [result.output, result.stderr]
    for value in seen:
        assert secret not in str(value) and "pa#ss" not in repr(value), value


# --- the dashboard ---------------------------------------------------------------------------


def texts(node: Any) -> Iterator[str]:
    """Every text the app's element tree holds (each element's protobuf, as text)."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield str(proto)
    children = getattr(node, "children", {})
    for child in children.values() if isinstance(children, dict) else children:
        yield from texts(child)


@pytest.fixture
def dashboard_location(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str]]:
    """The app's store location (a password in it for Neo4j) and what may be shown."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KGRAPH_USERS", str(tmp_path / "no-users.json"))
    store = open_test_store(backend, tmp_path)  # wiped; the app seeds it
    try:
        if backend == "embedded":
            location = shown = store.location
        else:
            uri = neo4j_uri_or_skip()
            location = uri.replace("://", "://ada:s3cret#1@", 1)
            shown = uri.replace("://", "://ada@", 1)
        monkeypatch.setenv("KGRAPH_STORE", location)
        yield location, shown
    finally:
        if backend == "neo4j":
            store.wipe()
        store.close()


def test_the_dashboard_never_shows_the_password(dashboard_location: tuple[str, str]) -> None:
    location, shown = dashboard_location
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    captions = [c.value for c in at.sidebar.caption]
    assert any(f"`{shown}`" in c for c in captions), captions
    everything = "\n".join(texts(at._tree))
    assert "s3cret" not in everything
    assert location == shown or location not in everything
