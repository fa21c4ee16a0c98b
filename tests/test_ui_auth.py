"""Sign-in and roles in the dashboard, driven through Streamlit's AppTest on a temporary
embedded store seeded with the City Deal graph and a temporary users file (``KGRAPH_USERS``).

What is proven here: with a users file the app shows only the sign-in form until someone
signs in; a wrong password is refused with one neutral message and repeated failures make
the session wait; a viewer is offered no edit action on any page, and a write through the
viewer's own session store raises ``PermissionDenied`` and changes nothing; an editor's
change is recorded under the signed-in name, never a typed one; with no sign-in configured
the sidebar says the app is reachable on 127.0.0.1 only; on a non-loopback address without
sign-in the app refuses to serve.

OIDC (``st.login``) is tested without an identity provider — there is no network here and
no provider to talk to: the tests cover which sign-in mode a configuration selects, what
the app draws for it, and how the claims ``st.user`` would carry map to a kgraph role. The
provider round trip itself (redirect, token exchange, cookie) is not exercised, and no
passing login is simulated.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.ui import APP, PAGES, TIMEOUT, button
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from kgraph.auth import throttle
from kgraph.auth.oidc import OidcConfig
from kgraph.auth.signin import signin_status
from kgraph.auth.throttle import SigninThrottle
from kgraph.auth.users import UsersFile
from kgraph.errors import PermissionDenied
from kgraph.store.embedded import EmbeddedStore
from kgraph.ui import signin
from kgraph.ui.i18n import STRINGS
from kgraph.ui.pages import questions

pytest_plugins = ["ui_fixtures"]  # the seeded City Deal store file, ``db`` and ``reader``

PASSWORD = "lang genoeg wachtwoord"
VIEWER, EDITOR, ADMIN = "Vera Viewer", "Eva Editor", "Ada Admin"

#: button labels that change something; a viewer must never be offered one enabled
EDIT_LABELS = {
    STRINGS[key]["nl"]
    for key in (
        "save",
        "add",
        "delete",
        "delete_yes",
        "propose",
        "save_decision",
        "import_check",
        "import_go",
        "similar_accept",
        "similar_dismiss",
    )
    if key in STRINGS
}


def app_pages() -> list[str]:
    """The page files in the app's navigation (the one page list, so a page added there
    is covered here without editing this test)."""
    return list(PAGES.values())


@pytest.fixture
def db(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared fresh copy of the seeded store, with a private HOME so no real
    ``~/.streamlit/secrets.toml`` decides the sign-in mode."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KGRAPH_USERS", str(tmp_path / "no-users.json"))
    return db


@pytest.fixture
def users(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UsersFile:
    """A users file with a viewer, an editor and an admin (fast bcrypt for tests)."""
    file = UsersFile(tmp_path / "users.json", rounds=4)
    file.add(VIEWER, "viewer", PASSWORD)
    file.add(EDITOR, "editor", PASSWORD)
    file.add(ADMIN, "admin", PASSWORD)
    monkeypatch.setenv("KGRAPH_USERS", str(file.path))
    return file


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key=signin.F_NAME).input(name)
    at.text_input(key=signin.F_PASSWORD).input(password)
    button(at, "Aanmelden").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def signed_in(name: str) -> AppTest:
    at = sign_in(start(), name)
    assert any(f"Aangemeld als **{name}**" in m.value for m in at.sidebar.markdown)
    return at


def texts(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "error", "info")
    return "\n".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


# --- the sign-in form ----------------------------------------------------------------------


def test_with_a_users_file_only_the_sign_in_form_shows(users: UsersFile) -> None:
    at = start()
    assert [t.value for t in at.title] == ["Aanmelden"]
    assert at.text_input(key=signin.F_PASSWORD).proto.type == TextInputProto.PASSWORD
    assert not at.dataframe and not at.metric
    assert "actor" not in [w.key for w in at.text_input]  # no free name field
    assert "Opslag" not in texts(at)  # not even where the store is
    for page in app_pages():  # asking for a page directly gets the form too
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert [t.value for t in at.title] == ["Aanmelden"], page
        assert not at.dataframe and not at.metric and not at.get("iframe"), page


def test_a_wrong_password_is_refused_with_one_neutral_message(users: UsersFile) -> None:
    at = start()
    sign_in(at, EDITOR, "niet het wachtwoord")
    wrong_password = [e.value for e in at.error]
    sign_in(at, "Niemand Bekend", PASSWORD)
    unknown_name = [e.value for e in at.error]
    assert wrong_password == unknown_name == [STRINGS["signin_failed"]["nl"]]
    assert [t.value for t in at.title] == ["Aanmelden"]
    sign_in(at, EDITOR)
    assert [t.value for t in at.title] == ["Overzicht"]
    assert any(f"Aangemeld als **{EDITOR}** (redacteur)" in m.value for m in at.sidebar.markdown)


def test_failures_count_across_fresh_sessions_and_make_everyone_wait(users: UsersFile) -> None:
    """A reload starts a new session; the count must not start again with it."""
    wait = STRINGS["signin_wait"]["nl"].split(".")[0]
    for attempt in range(1, throttle.FREE_PER_ADDRESS + 1):
        at = sign_in(start(), ADMIN, "fout fout fout")  # every attempt in a new session
        errors = [e.value for e in at.error]
        assert errors[0] == STRINGS["signin_failed"]["nl"]
        assert any(wait in e for e in errors) == (attempt == throttle.FREE_PER_ADDRESS)
    table = SigninThrottle(users.path)
    assert table.failures(throttle.address_key(signin.LOCAL_CLIENT)) == throttle.FREE_PER_ADDRESS
    assert table.failures(throttle.name_key(ADMIN)) == throttle.FREE_PER_ADDRESS
    for name in (ADMIN, EDITOR):  # the right password, in yet another session: wait first
        at = sign_in(start(), name)
        assert any(wait in e.value for e in at.error), name
        assert [t.value for t in at.title] == ["Aanmelden"]
    # the waiting time passes (the recorded failures are moved back in time)
    with sqlite3.connect(throttle.throttle_path(users.path)) as con:
        con.execute("UPDATE signin_failures SET last_failure = last_failure - ?", (3600,))
    at = sign_in(start(), ADMIN)
    assert [t.value for t in at.title] == ["Overzicht"]
    assert table.failures(throttle.name_key(ADMIN)) == 0  # a success clears the name


def test_signing_out_forgets_the_person(users: UsersFile) -> None:
    at = signed_in(EDITOR)
    button(at, "Afmelden").click().run()
    assert [t.value for t in at.title] == ["Aanmelden"]
    assert signin.SIGNED_IN not in at.session_state


def test_a_removed_user_is_signed_out_and_a_new_role_counts_at_once(users: UsersFile) -> None:
    at = signed_in(EDITOR)
    users.add(EDITOR, "viewer", PASSWORD, replace=True)
    at.switch_page(PAGES["questions"]).run()
    assert any("(lezer)" in m.value for m in at.sidebar.markdown)
    assert any(STRINGS["read_only"]["nl"] in i.value for i in at.info)
    users.remove(EDITOR)
    at.run()
    assert [t.value for t in at.title] == ["Aanmelden"]


# --- roles -------------------------------------------------------------------------------


def test_a_viewer_sees_no_edit_action_on_any_page(users: UsersFile) -> None:
    at = signed_in(VIEWER)
    for page in app_pages():
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        offered = [b.label for b in at.button if b.label in EDIT_LABELS and not b.disabled]
        assert offered == [], (page, offered)
        assert not at.get("file_uploader"), page
        assert not [w for w in at.text_area if w.key and not w.disabled], page
    at.switch_page(PAGES["questions"]).run()
    assert at.dataframe, "a viewer still sees the questions"
    assert any(STRINGS["read_only"]["nl"] in i.value for i in at.info)


def _write_from_the_session() -> None:
    """An app run that signs in like app.py and then writes through the session's store,
    as a page that forgot to hide a button would."""
    import streamlit as st

    from kgraph.errors import PermissionDenied
    from kgraph.model import Edge, Node
    from kgraph.ui import signin, state

    signin.gate(signin.sidebar())
    target = st.session_state["target"]
    attempts = {
        "update_node": lambda: state.store().update_node(target, {"status": "parked"}),
        "add_node": lambda: state.store().add_node(Node("kq:x", "knowledge_question", "x")),
        "add_edge": lambda: state.store().add_edge(Edge(target, "RELATES_TO", target)),
        "delete_node": lambda: state.store().delete_node(target),
        "edit": lambda: state.edit().__enter__(),
    }
    results = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            results[name] = "written"
        except PermissionDenied as exc:
            results[name] = f"refused: {exc}"
    st.session_state["results"] = results


def test_a_viewers_session_store_refuses_every_write(
    users: UsersFile, reader: EmbeddedStore
) -> None:
    target = reader.nodes(["knowledge_question"])[0]
    history = len(reader.history())
    at = AppTest.from_function(_write_from_the_session, default_timeout=TIMEOUT)
    at.session_state["target"] = target.id
    at.run()
    sign_in(at, VIEWER)
    results = at.session_state["results"]
    assert set(results) == {"update_node", "add_node", "add_edge", "delete_node", "edit"}
    assert all(r.startswith(f"refused: {VIEWER} is signed in as viewer") for r in results.values())
    assert reader.get_node(target.id) == target
    assert reader.get_node("kq:x") is None
    assert len(reader.history()) == history


def test_an_editors_change_is_recorded_under_the_signed_in_name(
    users: UsersFile, reader: EmbeddedStore
) -> None:
    q = reader.nodes(["knowledge_question"])[0]
    at = signed_in(EDITOR)
    at.switch_page(PAGES["questions"]).run()
    assert "actor" not in [w.key for w in at.text_input]
    assert STRINGS["delete"]["nl"] not in [b.label for b in at.button]  # deleting: admins
    at.session_state["actor"] = "Getypte Naam"  # a typed name must not count
    at.selectbox(key=questions.EDITING).set_value(q.id).run()
    at.selectbox(key=f"q_status_{q.id}").set_value("in_progress")
    button(at, "Opslaan").click().run()
    assert not at.exception, [e.message for e in at.exception]
    stored = reader.get_node(q.id)
    assert stored is not None and (stored.status, stored.updated_by) == ("in_progress", EDITOR)
    last = reader.history(target=q.id)[-1]
    assert (last.op, last.actor) == ("update_node", EDITOR)
    assert not reader.history(actor="Getypte Naam")


def test_an_admin_may_delete(users: UsersFile, reader: EmbeddedStore) -> None:
    q = reader.nodes(["knowledge_question"])[0]
    at = signed_in(ADMIN)
    at.switch_page(PAGES["questions"]).run()
    at.selectbox(key=questions.EDITING).set_value(q.id).run()
    button(at, STRINGS["delete"]["nl"]).click().run()
    button(at, STRINGS["delete_yes"]["nl"]).click().run()
    assert reader.get_node(q.id) is None
    assert {c.actor for c in reader.history(target=q.id) if c.op == "delete_node"} == {ADMIN}


# --- no sign-in configured, and serving ----------------------------------------------------


def test_without_signin_the_sidebar_says_local_only(db: Path, tmp_path: Path) -> None:
    oidc_only = UsersFile(tmp_path / "no-users.json", rounds=4)
    oidc_only.add("bea@gemeente.nl", "viewer", None)  # no password: no local sign-in
    at = start()
    assert [t.value for t in at.title] == ["Overzicht"]
    captions = [c.value for c in at.sidebar.caption]
    assert "geen aanmelding ingesteld: alleen bereikbaar op 127.0.0.1" in captions
    assert "actor" in [w.key for w in at.text_input]  # the name field, as before


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "::", "kgraph.example.nl"])
def test_the_app_refuses_a_network_address_without_signin(db: Path, address: str) -> None:
    with patch_config_options({"server.address": address}):
        at = start()
        assert [t.value for t in at.title] == ["kgraph start hier niet"]
        assert any("geen aanmelding ingesteld" in e.value for e in at.error)
        assert not at.dataframe and not at.metric
        assert "actor" not in [w.key for w in at.text_input]
        at.switch_page(PAGES["questions"]).run()
        assert [t.value for t in at.title] == ["kgraph start hier niet"]


def test_loopback_serves_without_signin_and_a_network_address_with_it(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with patch_config_options({"server.address": "::1"}):
        at = start()
        assert [t.value for t in at.title] == ["Overzicht"]
        assert "alleen bereikbaar op ::1" in "\n".join(c.value for c in at.sidebar.caption)
    file = UsersFile(tmp_path / "users.json", rounds=4)
    file.add(ADMIN, "admin", PASSWORD)
    monkeypatch.setenv("KGRAPH_USERS", str(file.path))
    with patch_config_options({"server.address": "0.0.0.0"}):
        at = start()
        assert [t.value for t in at.title] == ["Aanmelden"]


def test_the_listen_rule() -> None:
    # unset means every interface: refused when a server listens, moot under AppTest
    assert signin.refuses_to_listen(None, False, serving=True)
    assert not signin.refuses_to_listen(None, False, serving=False)
    assert signin.refuses_to_listen("0.0.0.0", False, serving=False)
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.1.1"):
        assert not signin.refuses_to_listen(loopback, False, serving=True)
    assert not signin.refuses_to_listen("0.0.0.0", True, serving=True)
    assert not signin.refuses_to_listen(None, True, serving=True)


def test_an_unreadable_users_file_lets_nobody_in(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    monkeypatch.setenv("KGRAPH_USERS", str(broken))
    at = start()
    assert [t.value for t in at.title] == ["kgraph start hier niet"]
    assert any("niemand wordt toegelaten" in e.value for e in at.error)
    assert not at.dataframe and "actor" not in [w.key for w in at.text_input]


def test_a_users_file_others_may_write_lets_nobody_in(users: UsersFile) -> None:
    users.path.chmod(0o666)
    at = start()
    assert [t.value for t in at.title] == ["kgraph start hier niet"]
    assert any("writable by everyone" in e.value for e in at.error)
    assert not at.text_input and not at.dataframe


# --- OIDC, without an identity provider ----------------------------------------------------

AUTH = """
[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "een lange willekeurige tekst"
client_id = "kgraph"
client_secret = "geheim"
server_metadata_url = "https://login.example.nl/.well-known/openid-configuration"

[kgraph.roles]
"ada@gemeente.nl" = "admin"
"*" = "viewer"
"""


def test_the_sign_in_mode_follows_the_configuration(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH, "utf-8")
    file = UsersFile(tmp_path / "users.json", rounds=4)
    none = signin_status(users_file=file.path, secrets=[tmp_path / "absent.toml"])
    assert signin.signin_mode(none) == "none"
    file.add(EDITOR, "editor", PASSWORD)
    local = signin_status(users_file=file.path, secrets=[tmp_path / "absent.toml"])
    assert signin.signin_mode(local) == "local"
    read = signin_status(users_file=file.path, secrets=[secrets])
    assert read.oidc.providers == ("default",)
    assert read.oidc.roles == {"ada@gemeente.nl": "admin", "*": "viewer"}
    # the selection itself, for a complete provider (st.login needs Authlib for that)
    working = OidcConfig(present=True, providers=("default",), roles=read.oidc.roles)
    assert signin.signin_mode(type(read)(working, True, file.path)) == "both"
    assert signin.signin_mode(type(read)(working, False, file.path)) == "oidc"
    broken = OidcConfig(present=True, providers=(), problems=("[auth] has no cookie_secret",))
    assert signin.signin_mode(type(read)(broken, False, file.path)) == "none"


def test_oidc_claims_map_to_a_role_or_are_refused(tmp_path: Path) -> None:
    file = UsersFile(tmp_path / "users.json", rounds=4)
    file.add("bea@gemeente.nl", "editor", None)  # an OIDC-only entry
    roles = {"ada@gemeente.nl": "admin"}
    bea = signin.oidc_session_user({"email": "Bea@Gemeente.nl", "sub": "1"}, file, roles)
    assert (bea.name, bea.role, bea.method) == ("bea@gemeente.nl", "editor", "oidc")
    ada = signin.oidc_session_user({"email": "ada@gemeente.nl"}, file, roles)
    assert (ada.name, ada.role) == ("ada@gemeente.nl", "admin")
    with pytest.raises(PermissionDenied):
        signin.oidc_session_user({"email": "eve@elders.nl"}, file, roles)
    # an unverified address is not trusted as the identity: the subject is used instead
    with pytest.raises(PermissionDenied):
        signin.oidc_session_user(
            {"email": "ada@gemeente.nl", "email_verified": False, "sub": "x"}, file, roles
        )
    anyone = signin.oidc_session_user({"email": "eve@elders.nl"}, file, {"*": "viewer"})
    assert anyone.role == "viewer"


def _draw_oidc_gate() -> None:
    from kgraph.auth.oidc import OidcConfig
    from kgraph.ui import signin

    oidc = OidcConfig(present=True, providers=("default", "microsoft"))
    signin.gate(signin.Access("oidc", oidc=oidc))


def test_oidc_mode_offers_the_providers_and_nothing_else() -> None:
    at = AppTest.from_function(_draw_oidc_gate, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [b.label for b in at.button] == [
        "Aanmelden via de organisatie",
        "Aanmelden via microsoft",
    ]
    assert not at.text_input  # no password form in OIDC-only mode


def test_an_incomplete_auth_section_does_not_open_the_network(db: Path) -> None:
    """Here Authlib is not installed, so a complete ``[auth]`` section still cannot sign
    anyone in: the app must stay local-only, say why, and refuse a network address."""
    import importlib.util

    if importlib.util.find_spec("authlib") is not None:
        pytest.skip("Authlib is installed: OIDC is configured, covered by the tests above")
    home = Path.home() / ".streamlit"
    home.mkdir()
    (home / "secrets.toml").write_text(AUTH, "utf-8")
    at = start()
    captions = "\n".join(c.value for c in at.sidebar.caption)
    assert "alleen bereikbaar op 127.0.0.1" in captions
    assert "OIDC-aanmelding staat uit" in captions and "Authlib" in captions
    with patch_config_options({"server.address": "0.0.0.0"}):
        at = start()
        assert [t.value for t in at.title] == ["kgraph start hier niet"]
