"""Who may do what: the local users file, OIDC sign-in, roles enforced at the store, and
the rule for serving on a network.

- ``users``: ``UsersFile`` (bcrypt-hashed passwords, roles viewer/editor/admin).
- ``oidc``: whether ``st.login`` is configured and which role an OIDC user gets.
- ``signin``: ``signin_status()`` — is any sign-in configured, and how.
- ``guard``: ``GuardedStore(store, user, role)`` and ``allows(role, action)``.
- ``serve``: ``check_listen_address()`` — loopback only without sign-in.
- ``hostcheck``: ``HostCheck`` — 403 for requests naming another host or origin.
- ``throttle``: ``SigninThrottle`` — failed sign-ins counted per name and address.
"""

from kgraph.auth.guard import ACTIONS, WRITE_METHODS, GuardedStore, allows, require
from kgraph.auth.oidc import OidcConfig, oidc_config, oidc_user
from kgraph.auth.serve import check_listen_address, is_loopback
from kgraph.auth.signin import SigninStatus, signin_status
from kgraph.auth.users import ROLES, User, UsersFile, users_path

__all__ = [
    "ACTIONS",
    "ROLES",
    "WRITE_METHODS",
    "GuardedStore",
    "OidcConfig",
    "SigninStatus",
    "User",
    "UsersFile",
    "allows",
    "check_listen_address",
    "is_loopback",
    "oidc_config",
    "oidc_user",
    "require",
    "signin_status",
    "users_path",
]
