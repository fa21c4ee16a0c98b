"""The ``kgraph`` command line: ``kgraph [--store STORE] [--as NAME] COMMAND ...``.

Each command group lives in its own module and registers itself on ``cli`` here.
"""

# Importing a command module registers its commands on ``cli``.
from kgraph.cli import (  # noqa: F401
    analyse,
    backup,
    copy,
    edit,
    export,
    import_files,
    imports,
    read,
    serve,
    users,
    view,
)
from kgraph.cli.app import cli, main

__all__ = ["cli", "main"]
