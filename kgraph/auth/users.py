"""The local users file: who may sign in, with which role, and a bcrypt hash of the password.

The file is JSON, readable only by its owner (mode 0600; a file its group or everyone may
write is refused with a one-line error, since whoever can write it can make themselves
admin)::

    {"format": "kgraph-users", "version": 1,
     "users": {"ada": {"role": "admin", "hash": "$2b$12$...", "created_at": "..."},
               "bea@gemeente.nl": {"role": "editor", "hash": null, ...}}}

A plain password is never written: only its salted bcrypt hash (a fresh salt each time, so
the same password twice gives two different hashes). An entry whose ``hash`` is ``null``
cannot sign in with a password; it only gives a role to a person who signs in through OIDC
(``st.login``) with that name or e-mail address.

Every change rewrites the whole file atomically (a temporary file in the same folder,
flushed to disk, then ``os.replace``) under an exclusive lock, so a crash or two
administrators at once never leave a half-written or mixed file.

Where the file is: ``$KGRAPH_USERS``; else ``users.json`` beside an embedded store's file;
else (a Neo4j store) ``$XDG_CONFIG_HOME/kgraph/users.json`` (``~/.config/kgraph``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt

from kgraph.atomic import write_atomically
from kgraph.errors import DuplicateError, InputError, NotFoundError, ValidationError
from kgraph.store.base import now_iso

try:  # POSIX advisory locks; elsewhere the atomic replace alone still prevents torn files
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

#: the roles, weakest first; each role may do everything the ones before it may
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")

FORMAT = "kgraph-users"
VERSION = 1
DEFAULT_ROUNDS = 12  # bcrypt work factor: about a quarter of a second per check here
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores (bcrypt 5 refuses) anything longer
MAX_NAME_CHARS = 200


@functools.cache
def _dummy_hash(rounds: int) -> bytes:
    """A hash of a random secret: checking an unknown name against it costs as long as
    checking a known one, so the time taken does not tell which names exist."""
    return bcrypt.hashpw(os.urandom(16).hex().encode("ascii"), bcrypt.gensalt(rounds))


@dataclass(frozen=True)
class User:
    """A person who may sign in: ``name`` (as written in the history) and ``role``.

    ``has_password`` is false for entries that only map an OIDC identity to a role.
    """

    name: str
    role: str
    has_password: bool = True
    created_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "has_password": self.has_password,
            "created_at": self.created_at,
        }


def check_role(role: object) -> str:
    """``role`` if it is one of ``ROLES``; ``ValidationError`` otherwise."""
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return str(role)


def check_name(name: object) -> str:
    """A user name: 1-200 characters, no control characters or surrounding spaces."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise ValidationError(f"user name {name!r} must be non-empty without surrounding spaces")
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(f"user name is longer than {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise ValidationError(f"user name {name!r} contains a control character")
    if name == "*":
        raise ValidationError("'*' is reserved for the default role of OIDC sign-ins")
    return name


def check_password(password: str) -> bytes:
    """The password as UTF-8 bytes, if bcrypt can hash it and it is long enough."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValidationError(f"the password must be at most {MAX_PASSWORD_BYTES} bytes (UTF-8)")
    if "\x00" in password:
        raise ValidationError("the password contains a NUL character")
    return raw


def hash_password(password: str, rounds: int = DEFAULT_ROUNDS) -> str:
    """A salted bcrypt hash of ``password`` (a new random salt on every call)."""
    return bcrypt.hashpw(check_password(password), bcrypt.gensalt(rounds)).decode("ascii")


def users_path(store_location: str | None = None) -> Path:
    """Where the users file is for a store at ``store_location`` (see the module docstring)."""
    configured = os.environ.get("KGRAPH_USERS")
    if configured:
        return Path(configured)
    from kgraph.store import is_neo4j_location

    if store_location and not is_neo4j_location(store_location):
        return Path(store_location).parent / "users.json"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kgraph" / "users.json"


class UsersFile:
    """The users file at ``path`` (it need not exist yet: then there are no users).

    ``rounds`` is the bcrypt work factor for new hashes; existing hashes carry their own.
    """

    def __init__(self, path: str | Path, *, rounds: int = DEFAULT_ROUNDS) -> None:
        self.path = Path(path)
        self.rounds = rounds

    # --- reading -----------------------------------------------------------------------

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.path, "rb") as handle:
                check_not_writable_by_others(self.path, os.fstat(handle.fileno()).st_mode)
                raw = handle.read()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read the users file: {exc}") from exc
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{self.path}: not a kgraph users file: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{self.path}: not a kgraph users file (format is not {FORMAT!r})")
        if data.get("version") != VERSION:
            raise InputError(f"{self.path}: users file version {data.get('version')!r} unknown")
        users = data.get("users")
        if not isinstance(users, dict):
            raise InputError(f"{self.path}: field 'users' must be an object")
        problems = []
        for name, entry in users.items():
            if not isinstance(entry, dict) or entry.get("role") not in ROLES:
                problems.append(f"{self.path}: user {name!r}: field 'role' must be one of {ROLES}")
            elif entry.get("hash") is not None and not isinstance(entry["hash"], str):
                problems.append(f"{self.path}: user {name!r}: field 'hash' must be text or null")
        if problems:
            raise InputError(f"{self.path}: invalid users file", problems)
        return users

    def _find(self, users: dict[str, dict[str, Any]], name: str) -> str | None:
        """The stored spelling of ``name``; names match case-insensitively (e-mail addresses)."""
        if name in users:
            return name
        folded = name.casefold()
        return next((n for n in users if n.casefold() == folded), None)

    @staticmethod
    def _user(name: str, entry: dict[str, Any]) -> User:
        return User(name, entry["role"], entry.get("hash") is not None, entry.get("created_at"))

    def list(self) -> list[User]:
        """Every user, sorted by name."""
        users = self._load()
        return [self._user(n, users[n]) for n in sorted(users, key=str.casefold)]

    def get(self, name: str) -> User | None:
        """The user called ``name`` (case-insensitive), or ``None``."""
        users = self._load()
        found = self._find(users, name)
        return self._user(found, users[found]) if found is not None else None

    def has_password_users(self) -> bool:
        """True when at least one person can sign in with a password (local sign-in is on)."""
        return any(u.has_password for u in self.list())

    def verify(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else ``None`` (unknown name, wrong password,
        or an OIDC-only entry). Takes about as long whichever it is."""
        users = self._load()
        found = self._find(users, name)
        stored = users[found].get("hash") if found is not None else None
        candidate = password.encode("utf-8")
        if stored is None or len(candidate) > MAX_PASSWORD_BYTES:
            bcrypt.checkpw(candidate[:MAX_PASSWORD_BYTES], _dummy_hash(self.rounds))
            return None
        try:
            ok = bcrypt.checkpw(candidate, stored.encode("ascii"))
        except ValueError:  # a damaged hash in the file: nobody gets in with it
            return None
        return self._user(found, users[found]) if ok and found is not None else None

    # --- writing -----------------------------------------------------------------------

    def add(self, name: str, role: str, password: str | None, *, replace: bool = False) -> User:
        """Add a user (``password=None``: an OIDC-only entry). ``DuplicateError`` if the
        name exists, unless ``replace`` (then role and password are set anew)."""
        check_name(name)
        check_role(role)
        hashed = hash_password(password, self.rounds) if password is not None else None
        with self._locked() as users:
            found = self._find(users, name)
            if found is not None and not replace:
                raise DuplicateError(f"user {found!r} exists already in {self.path}")
            entry = {"role": role, "hash": hashed, "created_at": now_iso()}
            if found is not None:
                entry["created_at"] = users[found].get("created_at") or entry["created_at"]
                del users[found]
            users[name] = entry
        return self._user(name, entry)

    def remove(self, name: str) -> User:
        """Remove a user; ``NotFoundError`` if there is none by that name."""
        with self._locked() as users:
            found = self._find(users, name)
            if found is None:
                raise NotFoundError(f"no user {name!r} in {self.path}")
            entry = users.pop(found)
        return self._user(found, entry)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, dict[str, Any]]]:
        """Read-modify-write under an exclusive lock; the file is replaced at the end."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                users = self._load()
                yield users
                self._write(users)
            finally:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _write(self, users: dict[str, dict[str, Any]]) -> None:
        data = {"format": FORMAT, "version": VERSION, "users": users}
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        # kgraph.atomic: temporary file beside it (created 0600), flushed, renamed over it
        write_atomically(self.path, text.encode("utf-8"), overwrite=True, mode=0o600)


def check_not_writable_by_others(path: Path, mode: int) -> None:
    """``InputError`` when the users file's ``mode`` lets its group or everyone write it.

    Whoever can write the file can make themselves admin, so such a file is refused, not
    just warned about: nobody signs in until the owner runs ``chmod 600`` on it.
    """
    loose = stat.S_IMODE(mode) & (stat.S_IWGRP | stat.S_IWOTH)
    if loose:
        who = "everyone" if loose & stat.S_IWOTH else "its group"
        raise InputError(
            f"{path}: the users file is writable by {who} (mode {stat.S_IMODE(mode):04o}), "
            f"so anyone could make themselves admin; refusing it until you run: "
            f"chmod 600 {path}"
        )
