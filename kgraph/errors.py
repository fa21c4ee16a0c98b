"""Exceptions of kgraph, all under one root so callers can catch ``KGraphError``.

The CLI turns these into one line on stderr and exit status 2; nothing below the CLI
prints or exits.
"""

from __future__ import annotations


class KGraphError(Exception):
    """Root of every error kgraph raises on purpose."""


class ValidationError(KGraphError):
    """A value breaks the model: unknown kind, bad id, wrong status, forbidden edge."""


class NotFoundError(KGraphError):
    """A node or edge that was asked for does not exist."""


class DuplicateError(KGraphError):
    """A node or edge with that identity exists already."""


class ConflictError(KGraphError):
    """Someone else changed the item since it was read (optimistic concurrency)."""


class StoreError(KGraphError):
    """The store cannot be opened or reached (bad path, server down, wrong password)."""


class InputError(KGraphError):
    """An input file cannot be imported; the message names file, row and field.

    Carries every problem found, so a person can fix them all in one go.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class PermissionDenied(KGraphError):
    """The signed-in person's role does not allow the action."""


class OutputError(KGraphError):
    """A file cannot be written: it would replace a store, an input or an existing file
    without ``--overwrite``, its folder is missing, or the disk is full. The file that was
    there is left intact."""
