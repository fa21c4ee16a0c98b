"""``kgraph serve``: start the dashboard, on loopback only unless sign-in is configured."""

from __future__ import annotations

import subprocess

import click

from kgraph.auth.serve import (
    DEFAULT_ADDRESS,
    DEFAULT_PORT,
    check_listen_address,
    streamlit_command,
    streamlit_env,
)
from kgraph.auth.signin import signin_status
from kgraph.cli.app import Context, cli, pass_ctx
from kgraph.errors import KGraphError
from kgraph.paths import APP


@cli.command()
@click.option(
    "--address",
    default=DEFAULT_ADDRESS,
    show_default=True,
    help="Address to listen on; other than loopback only when sign-in is configured.",
)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--check", is_flag=True, help="Only check the address and print the command.")
@pass_ctx
def serve(ctx: Context, address: str, port: int, check: bool) -> None:
    """Start the dashboard (streamlit run kgraph/ui/entry/app.py) on ADDRESS:PORT."""
    status = signin_status(ctx.location)
    click.echo(status.describe(), err=True)
    message = check_listen_address(address, status.configured)
    click.echo(message, err=True)
    app = APP
    command = streamlit_command(address, port, app)
    if check:
        click.echo(" ".join(command))
        return
    if not app.exists():
        raise KGraphError(f"the dashboard is not at {app}")
    # Run in the caller's folder: Streamlit reads .streamlit/secrets.toml from there.
    code = subprocess.call(command, env=streamlit_env(ctx.location, status.users_file))
    click.get_current_context().exit(code)
