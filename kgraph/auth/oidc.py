"""Sign-in through an identity provider (Streamlit's ``st.login``, OpenID Connect).

Streamlit reads the provider from an ``[auth]`` section of ``.streamlit/secrets.toml``
(in the folder the app is started from, and ``~/.streamlit/secrets.toml``). kgraph adds
which role each signed-in person gets, in the same file or in the users file::

    [auth]
    redirect_uri = "https://kgraph.example.nl/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.example.nl/.well-known/openid-configuration"

    [kgraph.roles]              # optional: e-mail address -> role
    "ada@gemeente.nl" = "admin"
    "*" = "viewer"              # everyone else the provider lets in; leave out to refuse them

A person's identity is their e-mail address (unless the provider says it is unverified),
else the ``sub`` claim. The users file wins over ``[kgraph.roles]``; without an entry in
either (and without ``"*"``) a signed-in person is refused: an account at a big provider
is not by itself a reason to see a municipality's data.
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph.auth.users import ROLES, User, UsersFile
from kgraph.errors import InputError, PermissionDenied

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def secrets_files(project_dir: Path | None = None) -> list[Path]:
    """The secrets files Streamlit reads, in order (later ones win): the home folder's, then
    the one in ``project_dir`` (default: the current folder, where ``kgraph serve`` runs)."""
    return [
        Path.home() / ".streamlit" / "secrets.toml",
        (project_dir or Path.cwd()) / ".streamlit" / "secrets.toml",
    ]


def read_secrets(files: Sequence[Path]) -> dict[str, Any]:
    """The merged top-level sections of those secrets files that exist."""
    merged: dict[str, Any] = {}
    for path in files:
        try:
            with open(path, "rb") as handle:
                merged.update(tomllib.load(handle))
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: cannot read the secrets file: {exc}") from exc
    return merged


@dataclass(frozen=True)
class OidcConfig:
    """What the secrets say about OIDC sign-in.

    ``configured`` is true only when ``st.login`` can work: an ``[auth]`` section with
    ``redirect_uri``, ``cookie_secret`` and at least one complete provider, and Authlib
    installed. ``problems`` says what is missing when an ``[auth]`` section is there but
    incomplete. ``roles`` is the ``[kgraph.roles]`` mapping (names folded to lower case).
    """

    present: bool = False
    providers: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return self.present and bool(self.providers) and not self.problems


def oidc_config(files: Sequence[Path] | None = None) -> OidcConfig:
    """Read the OIDC settings from the secrets files (default: ``secrets_files()``)."""
    secrets = read_secrets(secrets_files() if files is None else files)
    roles = _roles(secrets)
    auth = secrets.get("auth")
    if auth is None:
        return OidcConfig(roles=roles)
    if not isinstance(auth, dict):
        return OidcConfig(present=True, problems=("[auth] must be a table",), roles=roles)
    problems = [
        f"[auth] has no {key}" for key in ("redirect_uri", "cookie_secret") if key not in auth
    ]
    providers: list[str] = []
    if any(key in auth for key in PROVIDER_KEYS):
        providers.append("default")
    providers += [name for name, value in auth.items() if isinstance(value, dict)]
    complete: list[str] = []
    for name in providers:
        section = auth if name == "default" else auth[name]
        missing = [key for key in PROVIDER_KEYS if key not in section]
        if missing:
            where = "[auth]" if name == "default" else f"[auth.{name}]"
            problems.append(f"{where} has no {', '.join(missing)}")
        else:
            complete.append(name)
    if not providers:
        problems.append("[auth] names no identity provider (client_id, ...)")
    if importlib.util.find_spec("authlib") is None:
        problems.append("Authlib is not installed (pip install 'Authlib>=1.3.2')")
    return OidcConfig(True, tuple(complete), tuple(problems), roles)


def _roles(secrets: Mapping[str, Any]) -> dict[str, str]:
    section = secrets.get("kgraph", {})
    roles = section.get("roles", {}) if isinstance(section, dict) else {}
    if not isinstance(roles, dict):
        raise InputError("secrets: [kgraph.roles] must be a table of name = role")
    bad = [
        f"[kgraph.roles] {k!r}: role {v!r} is not one of {ROLES}"
        for k, v in roles.items()
        if v not in ROLES
    ]
    if bad:
        raise InputError("secrets: invalid role mapping", bad)
    return {str(k).casefold(): str(v) for k, v in roles.items()}


def identity(claims: Mapping[str, Any]) -> str:
    """Whom the provider signed in: the e-mail address unless marked unverified, else ``sub``."""
    email = claims.get("email")
    if isinstance(email, str) and email and claims.get("email_verified") is not False:
        return email
    sub = claims.get("sub")
    if isinstance(sub, str) and sub:
        return sub
    raise PermissionDenied("the identity provider sent neither an e-mail address nor a subject")


def oidc_user(claims: Mapping[str, Any], users: UsersFile, roles: Mapping[str, str]) -> User:
    """The kgraph user for a person signed in through OIDC (``st.user`` as ``claims``).

    ``PermissionDenied`` when neither the users file nor ``roles`` gives them a role.
    """
    name = identity(claims)
    listed = users.get(name)
    if listed is not None:
        return User(listed.name, listed.role, has_password=False)
    role = roles.get(name.casefold()) or roles.get("*")
    if role is None:
        raise PermissionDenied(
            f"{name} signed in but has no role in kgraph; an admin can add one with "
            f"`kgraph users add {name} --role viewer --oidc-only`"
        )
    return User(name, role, has_password=False)
