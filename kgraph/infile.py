"""Opening a file or folder someone named for reading, without hanging or a traceback.

A FIFO (named pipe) blocks ``open`` until someone writes to it, and a device can be
endless, so only regular files are read: the file is opened non-blocking and checked
with ``fstat`` on the open descriptor (no gap between the check and the read). Every
refusal is an ``InputError`` naming the path.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from kgraph.errors import InputError

#: the largest input file read whole (as large as a zip may unpack to)
MAX_INPUT_BYTES = 256 * 1024 * 1024


def _not_regular(shown: str, mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError(f"{shown}: is a folder, not a file")
    return InputError(f"{shown}: is not a regular file (a FIFO, device or socket); give a file")


def check_file(path: str | os.PathLike[str]) -> Path:
    """``path`` if it names an existing regular file, else ``InputError`` saying what it is."""
    shown = str(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{shown}: file not found") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise _not_regular(shown, mode)
    return Path(path)


def check_folder(path: str | os.PathLike[str]) -> Path:
    """``path`` if it names an existing folder, else ``InputError``."""
    shown = str(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{shown}: folder not found") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISDIR(mode):
        raise InputError(f"{shown}: is not a folder")
    return Path(path)


def open_regular(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> IO[bytes]:
    """``path`` opened for binary reading if it is a regular file of at most ``limit``
    bytes; ``InputError`` otherwise (never blocks on a FIFO)."""
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{shown}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(shown, info.st_mode)
        if info.st_size > limit:
            raise InputError(
                f"{shown}: {info.st_size / 1024 / 1024:,.0f} MiB; at most "
                f"{limit / 1024 / 1024:,.0f} MiB can be imported"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The contents of the regular file ``path`` (see ``open_regular``)."""
    with open_regular(path, limit=limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew after it was checked
        raise InputError(f"{path}: more than {limit / 1024 / 1024:,.0f} MiB; not imported")
    return data
