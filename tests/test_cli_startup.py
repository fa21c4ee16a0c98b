"""The command line's front door stays light: ``kgraph --help`` and the light commands
import only what they need (no pandas, numpy, scipy, scikit-learn, networkx, networkit,
openpyxl or streamlit), checked by what the process imported, not by a clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from kgraph.cli import cli, load_commands
from kgraph.cli.app import LAZY_COMMANDS
from kgraph.model import Node
from kgraph.store.embedded import EmbeddedStore

HEAVY = (
    "pandas",
    "numpy",
    "scipy",
    "sklearn",
    "networkx",
    "networkit",
    "openpyxl",
    "streamlit",
    "neo4j",
    "pyvis",
)

PROBE = """
import json, sys
from kgraph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules})
print("\\nMODULES " + json.dumps(loaded))
"""


def imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line.removeprefix("MODULES ")))


def test_help_imports_nothing_heavy() -> None:
    loaded = imported("--help")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_show_and_stats_import_nothing_heavy(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = EmbeddedStore(db)
    store.add_node(Node("kq:1", "knowledge_question", "Hoe valideer je een model?"))
    store.close()
    for command in (["show", "kq:1"], ["stats"], ["search", "model"]):
        loaded = imported("--store", str(db), *command)
        assert not loaded & set(HEAVY), (command, sorted(loaded & set(HEAVY)))


def test_the_help_lines_of_unloaded_commands_are_the_commands_own() -> None:
    """``kgraph --help`` shows ``LAZY_COMMANDS``' lines without importing the commands:
    each must be the start of the command's own help."""
    load_commands()
    assert set(LAZY_COMMANDS) == set(cli.commands)
    for name, (modules, line) in LAZY_COMMANDS.items():
        command = cli.commands[name]
        assert command.callback is None or command.callback.__module__ in modules, name
        own = " ".join((command.help or "").split())
        assert own.startswith(line.rstrip(".")), (name, line, own[:120])


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.splitlines()[1:] if line.startswith("  ")}
    assert set(LAZY_COMMANDS) <= listed
    assert isinstance(cli, click.Group)
