"""Who is using the dashboard: sign-in, the signed-in person's role, and whether the app may
serve at all. ``app.py`` calls ``sidebar()`` and then ``gate()`` on every run, before any
page; pages ask ``kgraph.ui.state`` (``actor()``, ``role()``, ``can()``, ``store()``).

The mode is read from ``kgraph.auth.signin_status`` at every run, so adding the first user
with ``kgraph users add`` turns sign-in on without a restart:

- ``oidc``: an ``[auth]`` section in ``.streamlit/secrets.toml`` and Authlib installed —
  ``st.login()`` / ``st.user`` / ``st.logout()``; the role comes from the users file or the
  ``[kgraph.roles]`` mapping (``kgraph.auth.oidc_user``).
- ``local``: the users file has someone with a password — a sign-in form (name and
  password, checked with bcrypt); a failed attempt gets one neutral message whatever was
  wrong, and after a few failures the name or the client address must wait, longer each time.
- ``both``: either way in.
- ``none``: no sign-in configured — local single-user mode as before: the sidebar's name
  field names the person, who may do everything, and the app serves on loopback only.

Serving: without sign-in the app refuses to run (an error, nothing else) when Streamlit
listens on anything but a loopback address — including the default of every interface —
so ``streamlit run app.py --server.address 0.0.0.0`` is covered as well as ``kgraph serve``.
Likewise a session whose websocket named another host or came from another origin (DNS
rebinding, see ``kgraph.auth.hostcheck``) gets only a refusal: ``kgraph serve`` already
answers such requests with 403, and this covers a plain ``streamlit run app.py`` too.

The local sign-in lives in the Streamlit session (server side): a page reload starts a new
session and asks again. Failed attempts are counted on the server, per user name and per
client address, in a table beside the users file (``kgraph.auth.throttle``), so neither a
reload, a new browser nor a second server process starts the count again; after a few
failures the name or the address must wait, twice as long after every further failure,
and no password is checked while it waits. bcrypt's cost (about a quarter of a second per
check) slows everyone on top of that.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit import config as st_config

from kgraph.auth.hostcheck import allowed_from_env, request_allowed
from kgraph.auth.oidc import OidcConfig, oidc_user
from kgraph.auth.serve import DEFAULT_ADDRESS, is_loopback
from kgraph.auth.signin import SigninStatus, signin_status
from kgraph.auth.throttle import SigninThrottle
from kgraph.auth.users import UsersFile
from kgraph.errors import KGraphError, PermissionDenied
from kgraph.store import default_location
from kgraph.ui import widgets
from kgraph.ui.i18n import t

#: session keys (never widget keys, so no widget can set them)
ACCESS = "signin_access"
SIGNED_IN = "signin_name"
#: widget keys of the sign-in form
F_NAME = "signin_form_name"
F_PASSWORD = "signin_form_password"

#: the client address the throttle counts for connections from this computer
LOCAL_CLIENT = "local"
#: with no sign-in configured, the one local person may do everything
LOCAL_ROLE = "admin"


@dataclass(frozen=True)
class SessionUser:
    """The signed-in person: ``name`` (what the history records), ``role``, and ``method``
    (``password`` or ``oidc``)."""

    name: str
    role: str
    method: str


@dataclass(frozen=True)
class Access:
    """What this run of the app may show.

    ``refusal``: why the app does not serve at all (listening on a network without
    sign-in, or unreadable sign-in settings). ``problem``: an OIDC person the provider let
    in but kgraph gives no role.
    """

    mode: str
    user: SessionUser | None = None
    refusal: str | None = None
    problem: str | None = None
    oidc: OidcConfig = field(default_factory=OidcConfig)
    address: str = DEFAULT_ADDRESS

    @property
    def may_enter(self) -> bool:
        """True when the pages may run: signed in, or no sign-in configured."""
        return self.refusal is None and (self.mode == "none" or self.user is not None)


# --- the rules (plain functions, tested without a browser or an identity provider) --------


def signin_mode(status: SigninStatus) -> str:
    """``none``, ``local``, ``oidc`` or ``both``: which ways in the configuration offers."""
    if status.oidc.configured and status.local:
        return "both"
    if status.oidc.configured:
        return "oidc"
    if status.local:
        return "local"
    return "none"


def refuses_to_listen(address: str | None, signin_configured: bool, *, serving: bool) -> bool:
    """Whether the app must not serve: no sign-in configured and Streamlit's
    ``server.address`` is not loopback (unset means every interface).

    ``serving`` is false when no server listens at all (``AppTest``); an unset address is
    moot there, while an address set explicitly is still checked.
    """
    if signin_configured:
        return False
    if not address:
        return serving
    return not is_loopback(address)


def oidc_session_user(
    claims: Mapping[str, Any], users: UsersFile, roles: Mapping[str, str]
) -> SessionUser:
    """The session user for a person ``st.login`` signed in (``st.user`` as ``claims``);
    ``PermissionDenied`` when kgraph gives them no role."""
    user = oidc_user(claims, users, roles)
    return SessionUser(user.name, user.role, "oidc")


def password_session_user(users: UsersFile, name: str) -> SessionUser | None:
    """The session user for ``name`` signed in with a password, read anew from the users
    file: a removed user is signed out and a changed role counts at once."""
    user = users.get(name)
    if user is None or not user.has_password:
        return None
    return SessionUser(user.name, user.role, "password")


# --- this run -----------------------------------------------------------------------------


def _serving() -> bool:
    # AppTest patches the config module's get_option (not the st.get_option alias).
    return not st_config.get_option("global.appTest")


def _host_refusal(address: str) -> str | None:
    """Why this session's websocket handshake is refused (another host name or origin,
    ``kgraph.auth.hostcheck``), or ``None`` when it named an allowed host."""
    headers = st.context.headers
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k in headers for v in headers.get_all(k)]
    ok, _why = request_allowed(raw, allowed_from_env(address))
    if ok:
        return None
    return t("refuse_host", host=widgets.md(headers.get("host") or "?"))


def _claims() -> dict[str, Any]:
    claims = dict(st.user.to_dict())
    return claims if claims.get("is_logged_in") else {}


def resolve() -> Access:
    """Work out this run's access from the settings, the session and ``st.user``."""
    address = st_config.get_option("server.address")
    try:
        status = signin_status(default_location())
    except KGraphError as exc:
        return Access("none", refusal=t("refuse_config", error=widgets.md(exc)))
    mode = signin_mode(status)
    host_refusal = _host_refusal(address or "") if _serving() else None
    if host_refusal is not None:
        return Access(mode, refusal=host_refusal, oidc=status.oidc, address=address or "")
    if refuses_to_listen(address, status.configured, serving=_serving()):
        shown = widgets.md(address) if address else t("every_interface")
        text = t("refuse_network", address=shown)
        return Access(mode, refusal=text, oidc=status.oidc, address=address or "")
    shown = address or DEFAULT_ADDRESS
    if mode == "none":
        return Access(mode, oidc=status.oidc, address=shown)
    users = UsersFile(status.users_file)
    name = st.session_state.get(SIGNED_IN)
    try:
        if status.local and isinstance(name, str):
            user = password_session_user(users, name)
            if user is not None:
                return Access(mode, user=user, oidc=status.oidc, address=shown)
            st.session_state.pop(SIGNED_IN, None)
        claims = _claims() if status.oidc.configured else {}
        if claims:
            try:
                user = oidc_session_user(claims, users, status.oidc.roles)
            except PermissionDenied:
                who = str(claims.get("email") or claims.get("sub") or "?")
                problem = t("signin_no_role", name=widgets.md(who))
                return Access(mode, problem=problem, oidc=status.oidc, address=shown)
            return Access(mode, user=user, oidc=status.oidc, address=shown)
    except KGraphError as exc:  # the users file became unreadable: let nobody in
        return Access(mode, refusal=t("refuse_config", error=widgets.md(exc)))
    return Access(mode, oidc=status.oidc, address=shown)


def current() -> Access | None:
    """This session's access as ``sidebar()`` worked it out for the current run."""
    value = st.session_state.get(ACCESS)
    return value if isinstance(value, Access) else None


# --- drawing ------------------------------------------------------------------------------


def role_label(role: str) -> str:
    return t(f"role_{role}")


def _sign_out() -> None:
    """Forget everything this session knew (keeping the language) and end an OIDC sign-in."""
    access = current()
    lang = st.session_state.get("lang")
    st.session_state.clear()
    if lang is not None:
        st.session_state["lang"] = lang
    if access is not None and (access.problem or (access.user and access.user.method == "oidc")):
        st.logout()


def sidebar() -> Access:
    """Work out this run's access, remember it for the pages, and draw the sidebar part:
    the name field (no sign-in configured) or who is signed in and a sign-out button."""
    access = resolve()
    st.session_state[ACCESS] = access
    if access.refusal is not None:
        return access
    if access.mode == "none":
        st.text_input(t("your_name"), key="actor", help=t("your_name_help"))
        if not str(st.session_state.get("actor") or "").strip():
            st.caption(t("name_needed"))
        # a loopback address (an IP literal or "localhost"): nothing Markdown acts on
        st.caption(t("local_only", address=access.address))
        if access.oidc.problems:
            st.caption(t("oidc_incomplete", problems=widgets.md("; ".join(access.oidc.problems))))
    elif access.user is not None:
        st.markdown(
            t("signed_in_as", name=widgets.md(access.user.name), role=role_label(access.user.role))
        )
        st.button(t("signout"), key="signin_signout", on_click=_sign_out)
    return access


def client_address() -> str:
    """The address the sign-in throttle counts this session's attempts against: the
    websocket's remote address, or ``LOCAL_CLIENT`` for this computer (Streamlit reports
    loopback connections, and AppTest, as no address)."""
    try:
        address = st.context.ip_address
    except Exception:  # no client context outside a served session
        address = None
    # AppTest gives a stand-in object, not text: count it as this computer
    return address if isinstance(address, str) and address else LOCAL_CLIENT


def _wait_message(seconds: float) -> str:
    return t("signin_wait", seconds=max(1, math.ceil(seconds)))


def _attempt(users: UsersFile, name: str, password: str) -> None:
    """Check one sign-in attempt against the server-side throttle and the users file; on
    success remember the person and start again."""
    throttle = SigninThrottle(users.path)
    who, address = name.strip(), client_address()
    try:
        verdict = throttle.check(who, address)
        if not verdict.allowed:  # no password is checked while the name or address waits
            st.error(_wait_message(verdict.wait_s), icon=":material/timer:")
            return
        user = users.verify(who, password) if who and password else None
        if user is None:
            verdict = throttle.failed(who, address)
            st.error(t("signin_failed"), icon=":material/lock:")
            if not verdict.allowed:
                st.error(_wait_message(verdict.wait_s), icon=":material/timer:")
            return
        throttle.succeeded(user.name)
    except (sqlite3.Error, OSError) as exc:  # fail closed: no count, no sign-in
        st.error(t("signin_throttle_broken", error=widgets.md(exc)), icon=":material/block:")
        return
    st.session_state[SIGNED_IN] = user.name
    st.rerun()


def _oidc_buttons(oidc: OidcConfig) -> None:
    for provider in oidc.providers:
        args: tuple[str, ...] = () if provider == "default" else (provider,)
        label = t("signin_oidc_default") if not args else t("signin_oidc", provider=provider)
        st.button(
            label,
            key=f"signin_oidc_{provider}",
            type="primary",
            on_click=st.login,
            args=args,
            icon=":material/login:",
        )


def _form(access: Access) -> None:
    st.title(t("signin_title"))
    st.caption(t("signin_intro"))
    if access.problem:
        st.error(access.problem, icon=":material/block:")
        st.button(t("signout"), key="signin_signout_refused", on_click=_sign_out)
    if access.mode in ("oidc", "both"):
        _oidc_buttons(access.oidc)
    if access.mode not in ("local", "both"):
        return
    if access.mode == "both":
        st.caption(t("signin_local"))
    with st.form("signin_form", clear_on_submit=True, enter_to_submit=True):
        name = st.text_input(t("signin_name"), key=F_NAME, autocomplete="username")
        password = st.text_input(
            t("signin_password"), key=F_PASSWORD, type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("signin_submit"), type="primary")
    if submitted:
        status = signin_status(default_location())
        _attempt(UsersFile(status.users_file), name, password)


def gate(access: Access) -> None:
    """Return when the pages may run; otherwise draw the refusal or the sign-in form and
    end this run, so no page content is ever drawn for someone not let in."""
    if access.may_enter:
        return
    if access.refusal is not None:
        st.title(t("refuse_title"))
        st.error(access.refusal, icon=":material/block:")
    else:
        _form(access)
    st.stop()
