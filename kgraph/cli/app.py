"""The root command, the shared options and the error boundary of the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kgraph.errors import KGraphError
from kgraph.redact import redact
from kgraph.store import default_location, open_store
from kgraph.store.base import GraphStore

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns every ``KGraphError`` into one line on stderr and exit status 2; so too an
    operating-system or SQLite error nothing below caught (a full disk, a file that
    cannot be opened), which leaves the store's transaction rolled back."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGraphError as exc:
            # redact(): a message that quotes a location must never carry its password
            click.echo(f"kgraph: error: {redact(str(exc))}", err=True)
            for problem in getattr(exc, "problems", [])[:200]:
                click.echo(f"  {redact(str(problem))}", err=True)
            ctx.exit(2)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kgraph: error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except sqlite3.OperationalError as exc:  # e.g. a full disk
            click.echo(f"kgraph: error: the store failed: {exc}", err=True)
            ctx.exit(2)
        except sqlite3.DatabaseError as exc:  # a damaged store file met mid-command
            store = redact(getattr(ctx.obj, "location", "the store"))
            click.echo(f"kgraph: error: {store} is damaged or unreadable: {exc}", err=True)
            ctx.exit(2)
        except sqlite3.Error as exc:
            click.echo(f"kgraph: error: the store failed: {exc}", err=True)
            ctx.exit(2)


class Context:
    """What every command gets: where the store is and who is acting; opens lazily."""

    def __init__(self, location: str | None, actor: str | None) -> None:
        self.location = location or default_location()
        self.actor = actor
        self._store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.location, actor=self.actor)
            if getattr(self._store, "created", False):
                # a mistyped path must not pass for a store that happens to be empty
                click.echo(f"kgraph: created a new, empty store at {self.location}", err=True)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "location",
    metavar="STORE",
    help="A .db file (embedded store) or a bolt:// / neo4j:// URL. "
    "Default: $KGRAPH_STORE, else an embedded store in your data folder.",
)
@click.option(
    "--as",
    "actor",
    metavar="NAME",
    help="Who makes the changes, as recorded in the history (default: your user name).",
)
@click.version_option(package_name="kgraph")
@click.pass_context
def cli(ctx: click.Context, location: str | None, actor: str | None) -> None:
    """kgraph: knowledge questions, CoPs, themes and landing places as one graph."""
    state = Context(location, actor)
    ctx.obj = state
    ctx.call_on_close(state.close)


pass_ctx = click.make_pass_decorator(Context)

#: the ``--json`` flag of every command that can print JSON for scripts
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


#: the one ``--lang`` option: the language of a command's messages and reports
lang_option = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=lambda: os.environ.get("KGRAPH_LANG", "nl"),
    show_default="nl, or $KGRAPH_LANG",
    help="Language of the messages (nl or en).",
)


def terminal_text(value: object) -> str:
    """User text as one line for a terminal: control characters (escape sequences, new
    lines, bidirectional overrides) become spaces, so a title cannot move the cursor,
    recolour the screen or hide what follows."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(value)
    )


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kgraph`` console script."""
    cli.main(args=argv, prog_name="kgraph")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
