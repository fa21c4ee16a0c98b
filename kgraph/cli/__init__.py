"""The ``kgraph`` command line: ``kgraph [--store STORE] [--as NAME] COMMAND ...``.

Each command group lives in its own module and registers itself on ``cli`` when it is
first used (``app.LAZY_COMMANDS``): starting ``kgraph`` imports only what the command run
needs.
"""

from kgraph.cli.app import cli, load_commands, main

__all__ = ["cli", "load_commands", "main"]
