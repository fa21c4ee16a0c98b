"""Whether sign-in is configured, and how: OIDC (``st.login``), the local users file, or both.

The dashboard asks ``signin_status(...)`` at start: with neither configured it runs
without sign-in (and ``kgraph serve`` keeps it on 127.0.0.1); otherwise every visitor
must sign in and gets the role the users file or the OIDC role mapping gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kgraph.auth.oidc import OidcConfig, oidc_config
from kgraph.auth.users import UsersFile, users_path


@dataclass(frozen=True)
class SigninStatus:
    """``oidc``: the OIDC settings; ``local``: someone can sign in with a password;
    ``users_file``: where the users file is."""

    oidc: OidcConfig
    local: bool
    users_file: Path

    @property
    def configured(self) -> bool:
        return self.oidc.configured or self.local

    def describe(self) -> str:
        """One line for people: which sign-in is on, or why none is."""
        ways = []
        if self.oidc.configured:
            ways.append(f"OIDC via st.login ({', '.join(self.oidc.providers)})")
        if self.local:
            ways.append(f"local users in {self.users_file}")
        if ways:
            return "sign-in required: " + " and ".join(ways)
        text = f"no sign-in configured (no users with a password in {self.users_file}"
        text += ", no complete [auth] section in .streamlit/secrets.toml)"
        if self.oidc.problems:
            text += "; OIDC settings incomplete: " + "; ".join(self.oidc.problems)
        return text


def signin_status(
    store_location: str | None = None,
    *,
    users_file: Path | None = None,
    secrets: Sequence[Path] | None = None,
) -> SigninStatus:
    """The sign-in configuration for a store (the users file is found from its location)."""
    path = users_file or users_path(store_location)
    return SigninStatus(oidc_config(secrets), UsersFile(path).has_password_users(), path)
