"""Writing a file someone named without ever destroying what was there.

``atomic_write`` first refuses targets that must never be replaced (``check_output``):
a kgraph store (SQLite, WAL or journal header, or the store in use and its side files),
an input being read, a folder, FIFO or device, or any existing file unless ``overwrite``.
It then writes to a temporary file in the same folder, flushes it to disk and renames it
over the target, so the target is either the old file or the complete new one: a full
disk (ENOSPC, EFBIG), an error in the writer or Ctrl-C leaves the old file intact and
removes the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kgraph.errors import OutputError

#: the first bytes of an SQLite database, a WAL file and a rollback journal
_STORE_MAGICS: tuple[bytes, ...] = (
    b"SQLite format 3\x00",
    b"\x37\x7f\x06\x82",
    b"\x37\x7f\x06\x83",
    b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7",
)
#: files SQLite keeps beside a database
_SIDECARS: tuple[str, ...] = ("", "-wal", "-shm", "-journal")
_TEMP_SUFFIX = ".tmp"

PathLike = str | os.PathLike[str]


def temp_prefix(path: PathLike) -> str:
    """How the temporary files for ``path`` start (``.NAME.``), beside it in its folder."""
    return f".{Path(path).name}."


def _is_store_file(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return any(head.startswith(magic) for magic in _STORE_MAGICS)


def _store_files(stores: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for location in stores:
        if not location or "://" in str(location):  # a Neo4j URL holds no local file
            continue
        base = os.path.realpath(location)
        files.extend(Path(base + suffix) for suffix in _SIDECARS)
    return files


def _same(target: Path, target_stat: os.stat_result | None, other: Path) -> bool:
    if Path(os.path.realpath(other)) == target:
        return True
    if target_stat is None:
        return False
    try:
        other_stat = os.stat(other)
    except OSError:
        return False
    return (other_stat.st_dev, other_stat.st_ino) == (target_stat.st_dev, target_stat.st_ino)


def check_output(
    path: PathLike,
    *,
    overwrite: bool = False,
    inputs: Iterable[PathLike] = (),
    stores: Iterable[str] = (),
    allow_store: bool = False,
) -> Path:
    """The real path ``path`` would be written to, or ``OutputError`` saying why not.

    Refused: a missing folder; a target that is a folder, FIFO, device or socket; the same
    file as one of ``inputs``, as a store in ``stores`` (``.db`` paths; URLs are skipped)
    or one of its ``-wal``/``-shm``/``-journal`` files; a file starting with an SQLite,
    WAL or journal header unless ``allow_store``; an existing file unless ``overwrite``.
    """
    shown = str(path)
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.exists():
        raise OutputError(f"{shown}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{shown}: {folder} is not a folder")
    try:
        target_stat: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        target_stat = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot be written: {exc.strerror}") from exc
    if target_stat is not None:
        if stat.S_ISDIR(target_stat.st_mode):
            raise OutputError(f"{shown}: is a folder; name a file to write")
        if not stat.S_ISREG(target_stat.st_mode):
            raise OutputError(f"{shown}: is not a regular file (a FIFO, device or socket)")
    for store_file in _store_files(stores):
        if _same(target, target_stat, store_file):
            raise OutputError(f"{shown}: is the store in use (or one of its files); not replaced")
    for source in inputs:
        if _same(target, target_stat, Path(source)):
            raise OutputError(f"{shown}: is the file being read; not replaced")
    if target_stat is not None:
        if not allow_store and _is_store_file(target):
            raise OutputError(f"{shown}: is a kgraph store (an SQLite file); not replaced")
        if not overwrite:
            raise OutputError(f"{shown}: exists already; add --overwrite to replace it")
    return target


def _open_temp(folder: Path, prefix: str, mode: int) -> tuple[int, Path]:
    for _attempt in range(100):
        candidate = folder / f"{prefix}{secrets.token_hex(4)}{_TEMP_SUFFIX}"
        try:
            # 0o666 (or ``mode``) minus the umask, as an ordinary new file gets
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        return fd, candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be flushed
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _publish(temp: Path, target: Path, overwrite: bool) -> None:
    """Move ``temp`` onto ``target``; without ``overwrite`` never over a file that
    appeared meanwhile (a hard link fails if the name is taken)."""
    if overwrite:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise OutputError(f"{target}: exists already; add --overwrite to replace it") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise OutputError(f"{target}: exists already; add --overwrite to replace it") from None
        os.replace(temp, target)
        return
    with contextlib.suppress(OSError):  # the new file is in place; a stray name is harmless
        os.unlink(temp)


@contextmanager
def atomic_write(
    path: PathLike,
    *,
    overwrite: bool = False,
    inputs: Iterable[PathLike] = (),
    stores: Iterable[str] = (),
    allow_store: bool = False,
    mode: int | None = None,
) -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` through, all or nothing (see the module docstring).

    The keywords are those of ``check_output``; ``mode`` sets the permissions of a new
    file (default: those of the file replaced, else 0o666 minus the umask). Any error
    while writing removes the temporary file and leaves ``path`` as it was; an
    ``OSError`` (disk full, file too large) becomes ``OutputError``.
    """
    shown = str(path)
    target = check_output(
        path, overwrite=overwrite, inputs=inputs, stores=stores, allow_store=allow_store
    )
    temp: Path | None = None
    try:
        fd, temp = _open_temp(target.parent, temp_prefix(target), 0o666 if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        elif target.exists():
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        _publish(temp, target, overwrite)
        temp = None
        _fsync_folder(target.parent)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write {shown}: {reason}; nothing was changed") from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def write_atomically(
    path: PathLike,
    data: bytes,
    *,
    overwrite: bool = False,
    inputs: Iterable[PathLike] = (),
    stores: Iterable[str] = (),
    allow_store: bool = False,
    mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` through ``atomic_write`` (same keywords)."""
    with atomic_write(
        path,
        overwrite=overwrite,
        inputs=inputs,
        stores=stores,
        allow_store=allow_store,
        mode=mode,
    ) as handle:
        handle.write(data)
