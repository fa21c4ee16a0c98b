"""``kgraph users add|remove|list``: the local users file (see ``kgraph.auth.users``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgraph.auth.users import ROLES, UsersFile, users_path
from kgraph.cli.app import Context, cli, echo_json, pass_ctx
from kgraph.errors import ValidationError


def _users_file(ctx: Context, file: Path | None) -> UsersFile:
    return UsersFile(file or users_path(ctx.location))


def _read_password(from_stdin: bool) -> str:
    """One line from stdin, or a hidden prompt asked twice on a terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise ValidationError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise ValidationError("no terminal to ask for a password: use --password-stdin")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


_FILE_OPTION = click.option(
    "--file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The users file (default: $KGRAPH_USERS, else users.json beside the store).",
)


@cli.group()
def users() -> None:
    """Manage who may sign in to the dashboard and with which role."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--oidc-only",
    is_flag=True,
    help="No password: only give a role to NAME signing in through OIDC (e-mail address).",
)
@click.option("--replace", is_flag=True, help="Replace the role and password of an existing user.")
@_FILE_OPTION
@pass_ctx
def add_user(
    ctx: Context,
    name: str,
    role: str,
    password_stdin: bool,
    oidc_only: bool,
    replace: bool,
    file: Path | None,
) -> None:
    """Add user NAME with a role; asks for the password (twice) unless --password-stdin."""
    if oidc_only and password_stdin:
        raise ValidationError("--oidc-only and --password-stdin exclude each other")
    store = _users_file(ctx, file)
    password = None if oidc_only else _read_password(password_stdin)
    user = store.add(name, role, password, replace=replace)
    click.echo(f"{user.name} is {user.role} in {store.path}")


@users.command("remove")
@click.argument("name")
@_FILE_OPTION
@pass_ctx
def remove_user(ctx: Context, name: str, file: Path | None) -> None:
    """Remove user NAME."""
    store = _users_file(ctx, file)
    user = store.remove(name)
    click.echo(f"removed {user.name} from {store.path}")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_FILE_OPTION
@pass_ctx
def list_users(ctx: Context, as_json: bool, file: Path | None) -> None:
    """List users and their roles (never their password hashes)."""
    store = _users_file(ctx, file)
    found = store.list()
    if as_json:
        echo_json({"file": str(store.path), "users": [u.to_dict() for u in found]})
        return
    if not found:
        click.echo(f"no users in {store.path}")
        return
    width = max(len(u.name) for u in found)
    for user in found:
        how = "password" if user.has_password else "OIDC only"
        click.echo(f"{user.name:<{width}}  {user.role:<6}  {how}")
