"""Files the CLI writes (exports, the handover report) never destroy what was there.

Refused: the store in use, any other kgraph store, a FIFO, a missing folder, an existing
file without ``--overwrite``. Written through a temporary file renamed into place, so a
full disk (``RLIMIT_FSIZE``: EFBIG, SIGXFSZ ignored as Python does) or an error in the
writer leaves the old file byte-for-byte and no temporary file behind.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.atomic import atomic_write, check_output, temp_prefix, write_atomically
from kgraph.cli import cli
from kgraph.errors import OutputError
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore

OLD = b'{"the": "good export of yesterday"}\n'


def _location(store: GraphStore, backend: str) -> str:
    return store.location if backend == "embedded" else os.environ["NEO4J_URI"]


def _fill(store: GraphStore, count: int = 3, text: str = "") -> None:
    """``count`` questions, and as many complex questions landing in one place with
    ``text`` as their handover note (so both the export and the report grow with it)."""
    nodes = [Node(f"kq:q{i}", "knowledge_question", f"Vraag {i}", text=text) for i in range(count)]
    nodes += [Node(f"cq:c{i}", "complex_question", f"Complexe vraag {i}") for i in range(count)]
    nodes.append(Node("lp:dmi", "landing_place", "DMI-ecosysteem"))
    edges = [
        Edge(f"cq:c{i}", "LANDS_IN", "lp:dmi", {"status": "proposed", "note": text})
        for i in range(count)
    ]
    store.bulk_load(nodes, edges)


def _one_line_error(result: object) -> str:
    output = getattr(result, "output", "")
    assert getattr(result, "exit_code", None) == 2, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: "), output
    return lines[0]


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- what is never replaced -----------------------------------------------------------


def test_export_onto_the_store_in_use_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t1.db"
    with EmbeddedStore(db) as store:
        _fill(store)
    before = db.read_bytes()
    runner = CliRunner()
    for target in (db, tmp_path / "t1.db-wal", tmp_path / "t1.db-shm"):
        for extra in ([], ["--overwrite"]):
            result = runner.invoke(cli, ["--store", str(db), "export", "json", str(target), *extra])
            assert "store" in _one_line_error(result)
    assert db.read_bytes() == before
    with EmbeddedStore(db) as store:
        assert store.counts().nodes["knowledge_question"] == 3


def test_export_onto_another_kgraph_store_is_refused(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    _fill(store)
    other = tmp_path / "other.db"
    with EmbeddedStore(other) as second:
        second.add_node(Node("kq:kept", "knowledge_question", "Kept"))
    before = other.read_bytes()
    runner = CliRunner()
    location = _location(store, backend)
    for command in (["export", "json", str(other)], ["report", "handover", str(other)]):
        result = runner.invoke(cli, ["--store", location, *command, "--overwrite"])
        line = _one_line_error(result)
        assert "kgraph store" in line or ".md, .html, .xlsx or .pdf" in line
    assert other.read_bytes() == before


def test_existing_file_is_kept_without_overwrite(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    _fill(store)
    location = _location(store, backend)
    runner = CliRunner()
    for command, out in (
        (["export", "json"], tmp_path / "out.json"),
        (["export", "xlsx"], tmp_path / "out.xlsx"),
        (["report", "handover"], tmp_path / "handover.md"),
    ):
        out.write_bytes(OLD)
        result = runner.invoke(cli, ["--store", location, *command, str(out)])
        assert "--overwrite" in _one_line_error(result)
        assert out.read_bytes() == OLD
        result = runner.invoke(cli, ["--store", location, *command, str(out), "--overwrite"])
        assert result.exit_code == 0, result.output
        assert out.read_bytes() != OLD and out.stat().st_size > 100
    _no_temp_files(tmp_path)


def test_overwrite_keeps_the_mode_of_the_file_replaced(tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    out.write_bytes(OLD)
    out.chmod(0o640)
    write_atomically(out, b"new", overwrite=True)
    assert out.read_bytes() == b"new"
    assert out.stat().st_mode & 0o777 == 0o640


def test_missing_folder_fifo_and_folder_targets_are_refused(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    _fill(store)
    location = _location(store, backend)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "pipe.md")
    (out / "folder.md").mkdir()
    runner = CliRunner()
    for command in (["export", "json"], ["report", "handover"]):
        for target, said in (
            (out / "nope" / "out.md", "does not exist"),
            (out / "pipe.md", "not a regular file"),
        ):
            result = runner.invoke(cli, ["--store", location, *command, str(target)])
            assert said in _one_line_error(result)
        result = runner.invoke(cli, ["--store", location, *command, str(out / "folder.md")])
        assert result.exit_code == 2 and "is a directory" in result.output  # click says so
    assert sorted(p.name for p in out.iterdir()) == ["folder.md", "pipe.md"]
    assert not list((out / "folder.md").iterdir())


def test_an_input_is_never_the_output(tmp_path: Path) -> None:
    source = tmp_path / "questions.csv"
    source.write_bytes(b"title\nA\n")
    with pytest.raises(OutputError, match="being read"):
        check_output(source, overwrite=True, inputs=[tmp_path / "." / "questions.csv"])
    link = tmp_path / "alias.csv"
    link.symlink_to(source)
    with pytest.raises(OutputError, match="being read"):
        check_output(link, overwrite=True, inputs=[source])
    assert source.read_bytes() == b"title\nA\n"


# --- all or nothing -------------------------------------------------------------------


def test_an_error_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(OLD)
    with pytest.raises(KeyboardInterrupt), atomic_write(out, overwrite=True) as handle:
        handle.write(b"half of the new")
        raise KeyboardInterrupt
    assert out.read_bytes() == OLD
    _no_temp_files(tmp_path)


def test_a_new_file_appearing_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with pytest.raises(OutputError, match="exists already"), atomic_write(out) as handle:
        handle.write(b"mine")
        out.write_bytes(OLD)  # someone else creates it while the export runs
    assert out.read_bytes() == OLD
    _no_temp_files(tmp_path)


_FULL_DISK = """
import resource, sys
from kgraph.cli import main
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
main(sys.argv[2:])
"""


def _run_with_file_limit(limit: int, args: list[str]) -> subprocess.CompletedProcess[str]:
    """``kgraph ARGS`` in a process that cannot write files beyond ``limit`` bytes (the
    kernel answers EFBIG; Python ignores SIGXFSZ), as on a full disk."""
    return subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(limit), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", [["export", "json"], ["report", "handover"]])
def test_full_disk_leaves_the_old_export_intact(
    store: GraphStore, backend: str, tmp_path: Path, command: list[str]
) -> None:
    _fill(store, count=60, text="lange toelichting " * 200)  # an export of ~250 KB
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / ("out.json" if command[0] == "export" else "handover.md")
    out.write_bytes(OLD)
    location = _location(store, backend)
    result = _run_with_file_limit(100_000, ["--store", location, *command, str(out), "--overwrite"])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "too large" in lines[0], lines
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in folder.iterdir()) == [out.name]
    # the same command without the limit succeeds: the limit, not the export, failed
    result = _run_with_file_limit(
        resource.RLIM_INFINITY, ["--store", location, *command, str(out), "--overwrite"]
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 100_000
    assert not list(folder.glob(temp_prefix(out) + "*"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB file system (tmpfs), where a larger write fails with ENOSPC."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=False)


def test_no_space_left_leaves_the_old_export_intact(
    store: GraphStore, backend: str, tiny_disk: Path
) -> None:
    _fill(store, count=60, text="lange toelichting " * 200)
    out = tiny_disk / "out.json"
    out.write_bytes(OLD)
    location = _location(store, backend)
    result = CliRunner().invoke(
        cli, ["--store", location, "export", "json", str(out), "--overwrite"]
    )
    line = _one_line_error(result)
    assert "cannot write" in line and "No space left on device" in line
    assert out.read_bytes() == OLD
    assert [p.name for p in tiny_disk.iterdir()] == ["out.json"]
