"""The ``kgraph`` command line: ``kgraph [--store STORE] [--as NAME] COMMAND ...``.

Each command group lives in its own module and registers itself on ``cli`` here.
"""

from kgraph.cli.app import cli, main
from kgraph.cli import edit, imports, read  # noqa: F401  (registers the commands)

__all__ = ["cli", "main"]
