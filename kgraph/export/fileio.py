"""Paths or open binary files, as every reader and writer here accepts both."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeAlias

#: a file name or an open binary file
PathOrFile: TypeAlias = str | os.PathLike[str] | IO[bytes]


@contextmanager
def binary_out(out: PathOrFile) -> Iterator[IO[bytes]]:
    """A binary file to write to; a path is opened (and closed) here."""
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as handle:
            yield handle
    else:
        yield out


@contextmanager
def binary_in(src: PathOrFile) -> Iterator[IO[bytes]]:
    """A binary file to read from; a path is opened (and closed) here."""
    if isinstance(src, str | os.PathLike):
        with open(src, "rb") as handle:
            yield handle
    else:
        yield src


def display_name(src: PathOrFile) -> str:
    """How a source is named in messages."""
    if isinstance(src, str | os.PathLike):
        return Path(src).name
    return str(getattr(src, "name", "<file>"))
