"""``kgraph serve``: start the dashboard, on loopback only unless sign-in is configured."""

from __future__ import annotations

import click

from kgraph.auth.hostcheck import ANY, ENV_ALLOWED, allowed_hosts
from kgraph.auth.serve import (
    DEFAULT_ADDRESS,
    DEFAULT_PORT,
    check_listen_address,
    streamlit_env,
)
from kgraph.auth.signin import signin_status
from kgraph.cli.app import Context, cli, pass_ctx
from kgraph.errors import KGraphError
from kgraph.paths import PROJECT_ROOT


@cli.command()
@click.option(
    "--address",
    default=DEFAULT_ADDRESS,
    show_default=True,
    help="Address to listen on; other than loopback only when sign-in is configured.",
)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another host name browsers may use to reach the dashboard (repeatable; '*' for "
    "any, behind a proxy that checks it; only with sign-in). Loopback names and the "
    "listen address are always allowed.",
)
@click.option("--check", is_flag=True, help="Only check the address and print the command.")
@pass_ctx
def serve(ctx: Context, address: str, port: int, allow_hosts: tuple[str, ...], check: bool) -> None:
    """Start the dashboard on ADDRESS:PORT; requests naming any other host get 403."""
    status = signin_status(ctx.location)
    click.echo(status.describe(), err=True)
    message = check_listen_address(address, status.configured)
    click.echo(message, err=True)
    if allow_hosts and not status.configured:
        raise KGraphError(
            "--allow-host needs sign-in: without it only this computer may use the "
            "dashboard, under a loopback name"
        )
    allowed = allowed_hosts(address, allow_hosts)
    shown = "any" if ANY in allowed else ", ".join(sorted(allowed))
    click.echo(f"Host names accepted: {shown}.", err=True)
    # imported here: the server process runs that module, which must not be half-imported
    from kgraph.cli.serve_process import check_can_listen, exec_server, server_command

    app = PROJECT_ROOT / "app.py"
    command = server_command(address, port, app)
    if check:
        click.echo(" ".join(command))
        return
    if not app.exists():
        raise KGraphError(f"the dashboard is not at {app}")
    check_can_listen(address, port)
    env = streamlit_env(ctx.location, status.users_file)
    env[ENV_ALLOWED] = ",".join(allow_hosts)
    exec_server(command, env, PROJECT_ROOT)
