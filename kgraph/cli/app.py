"""The root command, the shared options and the error boundary of the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kgraph.errors import KGraphError
from kgraph.redact import redact

if TYPE_CHECKING:
    from kgraph.store.base import GraphStore

F = TypeVar("F", bound=Callable[..., Any])


#: top-level command -> (the modules that define it, its one-line help): a command's
#: module (and what it imports: numpy, openpyxl, streamlit, ...) is imported only when the
#: command runs or shows its own help, so ``kgraph --help`` and ``kgraph show`` start
#: fast. A test holds each line to the command's own help.
LAZY_COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "add": (("kgraph.cli.edit",), "Add a node of KIND with TITLE; prints its id."),
    "analyse": (
        ("kgraph.cli.analyse",),
        "Answer the steering group's questions: handover, gaps, centrality, similar, changes.",
    ),
    "backup": (
        ("kgraph.cli.backup",),
        "Write a consistent snapshot of the store to OUT, also while others are editing.",
    ),
    "copy": (
        ("kgraph.cli.copy",),
        "Copy the store SRC (a .db file or a bolt:// / neo4j:// URL) to DST.",
    ),
    "delete": (("kgraph.cli.edit",), "Delete a node and its edges."),
    "export": (
        ("kgraph.cli.export",),
        "Write the graph, the selected subgraph or a saved view to OUT as FORMAT.",
    ),
    "history": (
        ("kgraph.cli.read",),
        "List recorded changes: who, when, what before and after.",
    ),
    "import": (
        ("kgraph.cli.imports", "kgraph.cli.import_files"),
        "Import questions and links from files (all-or-nothing).",
    ),
    "link": (
        ("kgraph.cli.edit",),
        "Add an edge SRC -EDGE_KIND-> DST, or update the props of an existing one.",
    ),
    "neighbourhood": (
        ("kgraph.cli.read",),
        "List the nodes within DEPTH steps of the FOCUS nodes (capped).",
    ),
    "path": (
        ("kgraph.cli.read",),
        "Show a shortest path between two nodes (edge direction ignored).",
    ),
    "handover": (("kgraph.cli.review",), "Decide handovers and follow up their actions."),
    "meeting": (
        ("kgraph.cli.review",),
        'The steering group\'s meetings ("changes since", the meeting pack).',
    ),
    "report": (("kgraph.cli.export", "kgraph.cli.review"), "Reports for the steering group."),
    "restore": (
        ("kgraph.cli.backup",),
        "Restore the store from the snapshot IN (refuses a non-empty store without --replace).",
    ),
    "search": (
        ("kgraph.cli.read",),
        "Find nodes by words in title, text, tags or id, in any word form.",
    ),
    "seed": (
        ("kgraph.cli.imports",),
        "Fill a new, empty store with the City Deal graph from the reviewed data files.",
    ),
    "serve": (
        ("kgraph.cli.serve",),
        "Start the dashboard on ADDRESS:PORT; requests naming any other host get 403.",
    ),
    "set": (
        ("kgraph.cli.edit",),
        "Change fields or properties of a node (KEY= removes a property).",
    ),
    "show": (("kgraph.cli.read",), "Show one node with its properties and edges."),
    "similar": (
        ("kgraph.cli.analyse",),
        "Review similar-question pairs found by `kgraph analyse similar`.",
    ),
    "source": (
        ("kgraph.cli.review",),
        'Titles of imported files, so sources read as "City Deal jaarverslag 2023, regel 154".',
    ),
    "stats": (("kgraph.cli.read",), "Count nodes and edges per kind."),
    "unlink": (("kgraph.cli.edit",), "Remove the edge SRC -EDGE_KIND-> DST."),
    "view": (
        ("kgraph.cli.view",),
        "Views of the graph saved under a name (the ones Verkennen saves and opens).",
    ),
    "users": (
        ("kgraph.cli.users",),
        "Manage who may sign in to the dashboard and with which role.",
    ),
}


def load_commands() -> None:
    """Import every command module (tests walking the whole command tree)."""
    for modules, _help in LAZY_COMMANDS.values():
        for module in modules:
            import_module(module)


class _Group(click.Group):
    """Turns every ``KGraphError`` into one line on stderr and exit status 2; so too an
    operating-system or SQLite error nothing below caught (a full disk, a file that
    cannot be opened), which leaves the store's transaction rolled back.

    The root group loads its commands on first use (``LAZY_COMMANDS``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *(LAZY_COMMANDS if self.name == "cli" else ())})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and self.name == "cli" and cmd_name in LAZY_COMMANDS:
            for module in LAZY_COMMANDS[cmd_name][0]:
                import_module(module)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.name != "cli":
            super().format_commands(ctx, formatter)
            return
        # the lines of commands not loaded yet come from LAZY_COMMANDS: no import for help
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is not None and command.hidden:
                continue
            text = command.get_short_help_str(limit=150) if command else LAZY_COMMANDS[name][1]
            rows.append((name, text))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

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
        from kgraph.store import default_location  # the store's code only when needed

        self.location = location or default_location()
        self.actor = actor
        self._store: GraphStore | None = None

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            from kgraph.store import open_store

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
