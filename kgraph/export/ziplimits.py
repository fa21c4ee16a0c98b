"""Refusing zip bombs before anything is unpacked (.xlsx workbooks and CSV zips are zips).

The central directory declares every member's packed and unpacked size. ``check_zip``
reads only that directory and refuses an archive whose members would unpack to more than
``MAX_UNPACKED`` in all, or whose large members are packed more tightly than any real
spreadsheet (``MAX_RATIO``). A member that lies about its size cannot get past this either:
Python's ``zipfile`` stops at the declared size and then fails the checksum.
"""

from __future__ import annotations

import zipfile
from typing import IO

from kgraph.errors import InputError

#: what all members together may unpack to (a 100,000-row sheet is well below this)
MAX_UNPACKED = 256 * 1024 * 1024
#: unpacked/packed above this is a bomb, for members larger than ``RATIO_FROM``
MAX_RATIO = 200
RATIO_FROM = 8 * 1024 * 1024
MAX_MEMBERS = 10_000


def _size(count: float) -> str:
    return f"{count / 1024 / 1024:,.0f} MiB"


def check_zip(handle: IO[bytes], name: str) -> None:
    """Refuse ``handle`` (a seekable binary file) if it would unpack beyond the limits;
    a file that is not a zip is left for the real reader to report."""
    start = handle.tell()
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        handle.seek(start)
    with archive:
        members = archive.infolist()
    handle.seek(start)
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name}: refused: the zip holds {len(members):,} files")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise InputError(
            f"{name}: refused: it would unpack to {_size(total)} (at most {_size(MAX_UNPACKED)}); "
            "a zip bomb or a file too large to import"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise InputError(
                f"{name}: refused: {member.filename} would unpack to {_size(member.file_size)}, "
                f"{ratio:,.0f} times its packed size; a zip bomb"
            )
