"""Paths or open binary files, as every reader and writer here accepts both."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, TypeAlias

from kgraph.infile import open_regular

#: a file name or an open binary file
PathOrFile: TypeAlias = str | os.PathLike[str] | IO[bytes]


@contextmanager
def _binary(target: PathOrFile, mode: str) -> Iterator[IO[bytes]]:
    """``target`` itself when it is an open file; a path is opened (and closed) here."""
    if isinstance(target, str | os.PathLike):
        if mode == "rb":  # only a regular file is read: a FIFO would block
            with open_regular(target) as handle:
                yield handle
        else:
            with open(target, mode) as handle:
                yield handle
    else:
        yield target


def binary_out(out: PathOrFile) -> AbstractContextManager[IO[bytes]]:
    """A binary file to write to; a path is opened (and closed) here."""
    return _binary(out, "wb")


def binary_in(src: PathOrFile) -> AbstractContextManager[IO[bytes]]:
    """A binary file to read from; a path is opened (and closed) here."""
    return _binary(src, "rb")


def display_name(src: PathOrFile) -> str:
    """How a source is named in messages."""
    if isinstance(src, str | os.PathLike):
        return Path(src).name
    return str(getattr(src, "name", "<file>"))
