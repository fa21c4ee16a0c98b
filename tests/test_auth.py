"""Sign-in and roles: the users file, roles enforced at the store, OIDC settings and the
rule for listening on a network."""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph.auth import oidc
from kgraph.auth.guard import ACTIONS, READ_METHODS, WRITE_METHODS, GuardedStore, allows
from kgraph.auth.oidc import oidc_config, oidc_user
from kgraph.auth.serve import check_listen_address, is_loopback
from kgraph.auth.signin import signin_status
from kgraph.auth.users import UsersFile, hash_password
from kgraph.cli import cli
from kgraph.errors import (
    DuplicateError,
    InputError,
    KGraphError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore, Record

PASSWORD = "correct horse battery"


@pytest.fixture
def users(tmp_path: Path) -> UsersFile:
    return UsersFile(tmp_path / "users.json", rounds=4)


# --- the users file ------------------------------------------------------------------------


def test_passwords_are_stored_as_salted_hashes_only(users: UsersFile) -> None:
    users.add("ada", "admin", PASSWORD)
    users.add("bea", "editor", PASSWORD)
    text = users.path.read_text("utf-8")
    assert PASSWORD not in text
    entries = json.loads(text)["users"]
    assert entries["ada"]["hash"].startswith("$2b$")
    assert entries["ada"]["hash"] != entries["bea"]["hash"]  # same password, new salt
    assert hash_password(PASSWORD, rounds=4) != hash_password(PASSWORD, rounds=4)
    assert users.path.stat().st_mode & 0o777 == 0o600


def test_only_the_right_password_signs_in(users: UsersFile) -> None:
    users.add("ada@gemeente.nl", "editor", PASSWORD)
    users.add("oidc@gemeente.nl", "viewer", None)
    user = users.verify("Ada@Gemeente.nl", PASSWORD)  # names match case-insensitively
    assert user is not None and (user.name, user.role) == ("ada@gemeente.nl", "editor")
    assert users.verify("ada@gemeente.nl", PASSWORD + "!") is None
    assert users.verify("ada@gemeente.nl", "") is None
    assert users.verify("nobody", PASSWORD) is None
    assert users.verify("oidc@gemeente.nl", "") is None  # OIDC-only: no password sign-in
    assert users.verify("ada@gemeente.nl", "x" * 100) is None


def test_bad_users_and_passwords_are_refused(users: UsersFile) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        users.add("ada", "editor", "short")
    with pytest.raises(ValidationError, match="72 bytes"):
        users.add("ada", "editor", "é" * 40)
    with pytest.raises(ValidationError, match="unknown role"):
        users.add("ada", "owner", PASSWORD)
    for name in ("", " ada", "ad\na", "*"):
        with pytest.raises(ValidationError):
            users.add(name, "editor", PASSWORD)
    assert not users.path.exists()  # nothing was written
    users.add("ada", "editor", PASSWORD)
    with pytest.raises(DuplicateError):
        users.add("ADA", "admin", PASSWORD)
    users.add("ADA", "admin", PASSWORD + "2", replace=True)
    assert [(u.name, u.role) for u in users.list()] == [("ADA", "admin")]
    with pytest.raises(NotFoundError):
        users.remove("bea")
    assert users.remove("ada").name == "ADA"
    assert users.list() == []


def test_the_file_is_replaced_atomically(users: UsersFile, monkeypatch: pytest.MonkeyPatch) -> None:
    users.add("ada", "admin", PASSWORD)
    before = users.path.read_bytes()

    def crash(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        users.add("bea", "editor", PASSWORD)
    monkeypatch.undo()
    assert users.path.read_bytes() == before  # the old file, whole
    leftovers = [p.name for p in users.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_simultaneous_changes_are_all_kept(users: UsersFile) -> None:
    def add_many(prefix: str) -> None:
        own = UsersFile(users.path, rounds=4)
        for i in range(8):
            own.add(f"{prefix}{i}", "viewer", PASSWORD)

    threads = [threading.Thread(target=add_many, args=(p,)) for p in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(users.list()) == 24


@pytest.mark.parametrize(("mode", "who"), [(0o620, "its group"), (0o602, "everyone")])
def test_a_users_file_others_may_write_is_refused(
    users: UsersFile, tmp_path: Path, mode: int, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add("ada", "admin", PASSWORD)
    users.path.chmod(mode)
    expected = f"writable by {who} (mode {mode:04o})"
    for read in (users.list, lambda: users.verify("ada", PASSWORD), users.has_password_users):
        with pytest.raises(InputError, match=re.escape(expected)) as caught:
            read()
        assert str(users.path) in str(caught.value) and f"chmod 600 {users.path}" in str(
            caught.value
        )
    with pytest.raises(InputError):  # nor is it changed
        users.add("eve", "admin", PASSWORD)
    monkeypatch.setattr(oidc, "secrets_files", lambda project_dir=None: [tmp_path / "none.toml"])
    monkeypatch.delenv("KGRAPH_USERS", raising=False)  # beside the store: tmp_path/users.json
    runner = CliRunner()
    for args in (["users", "list"], ["serve", "--check"]):
        result = runner.invoke(cli, ["--store", str(tmp_path / "s.db"), *args])
        assert result.exit_code == 2, args
        assert result.stderr.startswith("kgraph: error: ") and expected in result.stderr
    users.path.chmod(0o600)
    assert [u.name for u in users.list()] == ["ada"]


def test_a_damaged_users_file_names_itself(users: UsersFile) -> None:
    users.path.write_text(
        '{"format": "kgraph-users", "version": 1, "users": {"ada": {"role": "god"}}}'
    )
    with pytest.raises(InputError) as caught:
        users.list()
    assert str(users.path) in str(caught.value) and "ada" in caught.value.problems[0]
    users.path.write_text("not json")
    with pytest.raises(InputError, match="users.json"):
        users.verify("ada", PASSWORD)


# --- roles at the store --------------------------------------------------------------------


def test_every_public_store_method_is_classified() -> None:
    public = {
        name
        for name, member in inspect.getmembers(GraphStore, callable)
        if not name.startswith("_")
    }
    assert public <= set(WRITE_METHODS) | READ_METHODS, public - set(WRITE_METHODS) - READ_METHODS
    assert not set(WRITE_METHODS) & READ_METHODS


def _calls(store: GraphStore) -> dict[str, Any]:
    """One call of every write method, on the two nodes ``_seed`` made."""
    return {
        "transaction": lambda: store.transaction().__enter__(),
        "add_node": lambda: store.add_node(Node("kq:new", "knowledge_question", "Nieuw?")),
        "update_node": lambda: store.update_node("kq:a", {"status": "answered"}),
        "add_edge": lambda: store.add_edge(Edge("kq:a", "RAISED_IN", "cop:a")),
        "update_edge": lambda: store.update_edge("kq:a", "RAISED_IN", "cop:a", {"note": "x"}),
        "delete_edge": lambda: store.delete_edge("kq:a", "RAISED_IN", "cop:a"),
        "bulk_load": lambda: store.bulk_load([Node("kq:bulk", "knowledge_question", "B?")], []),
        "delete_node": lambda: store.delete_node("kq:a"),
        "wipe": lambda: store.wipe(),
        "snapshot": lambda: store.snapshot(Path(tempfile.mkdtemp()) / "snap.db"),
        "load_snapshot": lambda: store.load_snapshot(Path(tempfile.mkdtemp()) / "x.db"),
        "add_record": lambda: store.add_record("meeting", {"title": "Stuurgroep"}),
        "update_record": lambda: store.update_record("meeting", "m0", {"title": "x"}),
        "delete_record": lambda: store.delete_record("meeting", "m0"),
        "load_records": lambda: store.load_records([Record("meeting", "m9", {"title": "y"})]),
    }


def _seed(store: GraphStore) -> None:
    store.add_node(Node("cop:a", "cop", "CoP A"))
    store.add_node(Node("kq:a", "knowledge_question", "Vraag A?"))
    store.add_record("meeting", {"title": "Stuurgroep maart"}, id="m0")


def _state(store: GraphStore) -> Any:
    return (
        [n.to_dict() for n in store.nodes()],
        [e.to_dict() for e in store.edges()],
        [c.to_dict() for c in store.history()],
        [r.to_dict() for r in store.records("meeting")],
    )


def test_viewers_are_refused_every_write_before_anything_is_touched(store: GraphStore) -> None:
    _seed(store)
    before = _state(store)
    size = Path(store.location).read_bytes() if store.backend == "embedded" else None
    viewer = GuardedStore(store, "vera", "viewer")
    calls = _calls(viewer)
    assert set(calls) == set(WRITE_METHODS)
    for call in calls.values():
        with pytest.raises(PermissionDenied, match="vera is signed in as viewer"):
            call()
    assert _state(store) == before
    if size is not None:
        assert Path(store.location).read_bytes() == size
    # and every read works
    assert viewer.get_node("kq:a") is not None and viewer.counts().nodes["cop"] == 1
    assert [n.id for n in viewer.search("vraag")] == ["kq:a"]
    assert len(viewer.history()) == 3 and not viewer.is_empty()


def test_editors_edit_under_their_own_name_but_do_not_delete_nodes(store: GraphStore) -> None:
    _seed(store)
    editor = GuardedStore(store, "eva", "editor")
    calls = _calls(editor)
    for name in ("add_node", "update_node", "add_edge", "update_edge", "delete_edge", "bulk_load"):
        calls[name]()
    for name in ("add_record", "update_record", "delete_record"):
        calls[name]()
    with editor.transaction():
        editor.update_node("kq:new", {"status": "parked"})
    for name in ("delete_node", "wipe", "load_records"):
        with pytest.raises(PermissionDenied, match="needs the admin role"):
            calls[name]()
    with pytest.raises(PermissionDenied, match="admin"):
        editor.bulk_load([], [], history=[])
    with pytest.raises(PermissionDenied, match="in the name of"):
        editor.add_node(Node("kq:fake", "knowledge_question", "Namens Ada?"), actor="ada")
    assert store.get_node("kq:fake") is None
    edits = store.history()[3:]
    assert len(edits) == 10 and {c.actor for c in edits} == {"eva"}
    node = store.get_node("kq:a")
    assert node is not None and node.updated_by == "eva"


def test_admins_may_do_everything(store: GraphStore) -> None:
    _seed(store)
    admin = GuardedStore(store, "root", "admin")
    admin.add_edge(Edge("kq:a", "RAISED_IN", "cop:a"))
    admin.delete_node("kq:a")
    assert store.get_node("kq:a") is None
    assert {c.actor for c in store.history()[3:]} == {"root"}
    assert all(allows("admin", action) for action in ACTIONS)
    assert [a for a in ACTIONS if allows("viewer", a)] == ["read", "export"]


def test_a_guard_needs_a_person_and_a_known_role(store: GraphStore) -> None:
    with pytest.raises(PermissionDenied):
        GuardedStore(store, "", "admin")
    with pytest.raises(ValidationError):
        GuardedStore(store, "ada", "superuser")
    guard = GuardedStore(store, "ada", "viewer")
    guard.close()  # leaves the shared store open
    assert store.is_empty()
    with pytest.raises(AttributeError):
        guard._conn  # noqa: B018  (the raw connection is not passed on)


# --- OIDC ----------------------------------------------------------------------------------

COMPLETE_AUTH = """
[auth]
redirect_uri = "https://kgraph.example.nl/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "kgraph"
client_secret = "s3cret"
server_metadata_url = "https://login.example.nl/.well-known/openid-configuration"

[kgraph.roles]
"Ada@Gemeente.nl" = "admin"
"*" = "viewer"
"""


def test_oidc_is_configured_only_by_a_complete_auth_section(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    assert not oidc_config([secrets]).present  # no file at all
    secrets.write_text(
        '[auth]\nredirect_uri = "https://x/oauth2callback"\n[auth.google]\nclient_id = "a"\n'
    )
    config = oidc_config([secrets])
    assert config.present and not config.configured
    assert any("cookie_secret" in p for p in config.problems)
    assert any(
        "[auth.google] has no client_secret, server_metadata_url" in p for p in config.problems
    )
    secrets.write_text(COMPLETE_AUTH)
    config = oidc_config([secrets])
    authlib = importlib.util.find_spec("authlib") is not None
    assert config.providers == ("default",)
    assert config.configured == authlib
    assert [p for p in config.problems if "Authlib" not in p] == []


def test_oidc_people_get_the_role_the_users_file_or_the_mapping_gives(
    tmp_path: Path, users: UsersFile
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(COMPLETE_AUTH)
    roles = oidc_config([secrets]).roles
    users.add("bea@gemeente.nl", "editor", None)
    claims = {"email": "ada@gemeente.nl", "email_verified": True, "sub": "123"}
    assert oidc_user(claims, users, roles).role == "admin"
    assert oidc_user({"email": "Bea@Gemeente.nl"}, users, roles).role == "editor"
    assert oidc_user({"email": "cor@elders.nl"}, users, roles).role == "viewer"
    unverified = oidc_user(
        {"email": "ada@gemeente.nl", "email_verified": False, "sub": "x9"}, users, roles
    )
    assert (unverified.name, unverified.role) == ("x9", "viewer")
    without_default = {k: v for k, v in roles.items() if k != "*"}
    with pytest.raises(PermissionDenied, match="has no role"):
        oidc_user({"email": "cor@elders.nl"}, users, without_default)
    secrets.write_text('[kgraph.roles]\n"ada" = "owner"\n')
    with pytest.raises(InputError):
        oidc_config([secrets])


# --- serving -------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_is_allowed_without_signin_and_says_so(address: str) -> None:
    assert is_loopback(address)
    message = check_listen_address(address, signin_configured=False)
    assert f"listening on {address} only" in message and "No sign-in" in message


@pytest.mark.parametrize("address", ["0.0.0.0", "", "::", "192.168.1.20", "kgraph.gemeente.nl"])
def test_other_addresses_need_signin(address: str) -> None:
    assert not is_loopback(address)
    with pytest.raises(KGraphError, match="refusing to listen"):
        check_listen_address(address, signin_configured=False)
    assert "Sign-in is required" in check_listen_address(address, signin_configured=True)


def test_serve_refuses_the_network_until_someone_can_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oidc, "secrets_files", lambda project_dir=None: [tmp_path / "none.toml"])
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", db, "serve", "--address", "0.0.0.0", "--check"])
    assert result.exit_code == 2 and "refusing to listen on 0.0.0.0" in result.stderr
    result = runner.invoke(cli, ["--store", db, "serve", "--check"])
    assert result.exit_code == 0 and "127.0.0.1 only" in result.stderr
    assert "--server.address 127.0.0.1" in result.stdout
    runner.invoke(
        cli,
        ["--store", db, "users", "add", "ada", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert signin_status(db, secrets=[tmp_path / "none.toml"]).local
    result = runner.invoke(cli, ["--store", db, "serve", "--address", "0.0.0.0", "--check"])
    assert result.exit_code == 0, result.stderr
    assert "sign-in required: local users" in result.stderr
    assert "--server.address 0.0.0.0" in result.stdout


# --- the users command ---------------------------------------------------------------------


def test_cli_users_add_list_remove(tmp_path: Path) -> None:
    file = tmp_path / "people.json"
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Any:
        return runner.invoke(cli, ["users", *args, "--file", str(file)], input=input)

    result = run("add", "ada", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0 and "ada is admin" in result.stdout
    assert run("add", "bea@gemeente.nl", "--role", "viewer", "--oidc-only").exit_code == 0
    result = run("add", "ada", "--role", "viewer", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 2 and "exists already" in result.stderr
    result = run("add", "cor", "--role", "editor")  # no terminal, no --password-stdin
    assert result.exit_code == 2 and "--password-stdin" in result.stderr
    result = run("add", "cor", "--role", "editor", "--password-stdin", input="kort\n")
    assert result.exit_code == 2 and "at least 8" in result.stderr
    result = run("list", "--json")
    listed = json.loads(result.stdout)
    assert [(u["name"], u["role"], u["has_password"]) for u in listed["users"]] == [
        ("ada", "admin", True),
        ("bea@gemeente.nl", "viewer", False),
    ]
    assert "hash" not in result.stdout and PASSWORD not in file.read_text()
    assert UsersFile(file).verify("ada", PASSWORD) is not None
    assert "OIDC only" in run("list").stdout
    assert run("remove", "ada").exit_code == 0
    assert run("remove", "ada").exit_code == 2
    assert [u.name for u in UsersFile(file).list()] == ["bea@gemeente.nl"]


def test_users_file_sits_beside_the_store_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph.auth.users import users_path

    monkeypatch.delenv("KGRAPH_USERS", raising=False)
    assert users_path(str(tmp_path / "a" / "k.db")) == tmp_path / "a" / "users.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert users_path("bolt://127.0.0.1:7687") == tmp_path / "cfg" / "kgraph" / "users.json"
    monkeypatch.setenv("KGRAPH_USERS", str(tmp_path / "elsewhere.json"))
    assert users_path(str(tmp_path / "k.db")) == tmp_path / "elsewhere.json"
