"""Hostile and broken input files (``tests/data/bad/``) through the import commands.

Every file in ``make_corpus.CASES`` goes through ``kgraph import <command>`` on an embedded
store that already holds data, and must give exit status 2, one error line naming the file
(plus one indented line per problem) with its row/line and field where the format has
them, within 30 seconds of CPU time (CPU, not wall-clock: a busy machine makes the run
slower, not the work bigger), leaving the store unchanged. The zip bombs are also run in a
subprocess whose peak memory growth is measured. The awkward but legitimate files in
``make_corpus.ACCEPTED`` must import as the text they hold.

How "unchanged" is checked: the store is closed before the command runs, so its folder is
at rest (SQLite checkpoints the WAL and removes ``-wal``/``-shm`` when the last connection
closes). After the command the folder's files are hashed again (every file but ``-shm``,
which is only an index of the WAL) and must be byte-for-byte equal; a copy of the folder
is then opened and its ``iterdump()`` compared too, so a difference is shown as SQL and
a checkpoint that merely moved pages (which would change bytes, not content) would still
be told apart from a real write.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA, REPO

from kgraph.cli import cli
from kgraph.importers import apply_batch
from kgraph.importers.base import ImportBatch
from kgraph.model import Edge, Node
from kgraph.store.embedded import EmbeddedStore

BAD = DATA / "bad"
TIME_LIMIT_S = 30
RSS_LIMIT_MB = 500


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


@pytest.fixture(scope="module")
def times() -> Iterator[dict[str, float]]:
    """CPU seconds per rejected file; the figures are printed when the module is done."""
    seen: dict[str, float] = {}
    yield seen
    if seen:
        slowest = max(seen, key=lambda name: seen[name])
        print(
            f"FIGURES bad input: {len(seen)} files rejected with exit 2, store unchanged; "
            f"slowest {slowest} {seen[slowest]:.2f} CPU s"
        )


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large corpus files, written once for this module."""
    folder = tmp_path_factory.mktemp("bad-large")
    corpus.write_large(folder)
    return folder


def _source(case: Any, large: Path) -> Path:
    return (large if case.large else BAD) / case.name


@pytest.fixture
def store_db(tmp_path: Path) -> Iterator[Path]:
    """An embedded store holding a little data, closed so its files are at rest."""
    path = tmp_path / "store" / "kgraph.db"
    store = EmbeddedStore(path, actor="tester")
    apply_batch(
        store,
        ImportBatch(
            "fixture",
            nodes=[
                Node("cop:meten", "cop", "Lokaal meten"),
                Node("kq:geluid", "knowledge_question", "Hoe meet je geluid?"),
                Node("cq:borgen", "complex_question", "Hoe borgen we kennis?"),
                Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
            ],
            edges=[
                Edge("kq:geluid", "RAISED_IN", "cop:meten"),
                Edge("cq:borgen", "LANDS_IN", "lp:dmi", {"status": "accepted", "note": "ok"}),
            ],
        ),
    )
    store.close()
    yield path


def snapshot(db: Path, scratch: Path) -> tuple[dict[str, str], list[str]]:
    """Hashes of the store's files (all but ``-shm``) and the SQL dump of a copy."""
    hashes = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(db.parent.iterdir())
        if not p.name.endswith("-shm")
    }
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(db.parent, scratch)
    conn = sqlite3.connect(scratch / db.name)
    try:
        dump = list(conn.iterdump())
    finally:
        conn.close()
    return hashes, dump


def _run(db: Path, command: str, source: Path, args: tuple[str, ...]) -> tuple[Any, float]:
    """The command's result and the CPU seconds it took."""
    started = time.process_time()
    result = CliRunner().invoke(cli, ["--store", str(db), "import", command, str(source), *args])
    return result, time.process_time() - started


def test_corpus_is_big_enough_and_on_disk() -> None:
    names = [c.name for c in corpus.CASES]
    assert len(names) == len(set(names)) >= 30
    missing = [c.name for c in corpus.CASES if not c.large and not (BAD / c.name).exists()]
    assert not missing, "run tests/data/bad/make_corpus.py"
    assert all(c.command in ("table", "graph", "markdown", "report") for c in corpus.CASES)


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda c: c.name)
def test_bad_file_is_refused_and_changes_nothing(
    case: Any, store_db: Path, large: Path, tmp_path: Path, times: dict[str, float]
) -> None:
    source = _source(case, large)
    before = snapshot(store_db, tmp_path / "before")
    result, cpu = _run(store_db, case.command, source, case.args)
    times[case.name] = cpu
    assert cpu < TIME_LIMIT_S, f"{cpu:.1f} CPU seconds to refuse {case.name}"
    stderr = result.stderr
    assert result.exit_code == 2, (result.output, result.exception)
    lines = stderr.splitlines()
    assert lines and lines[0].startswith("kgraph: error: "), stderr
    assert all(line.startswith("  ") for line in lines[1:]), stderr
    assert case.name in lines[0], stderr
    for fragment in case.expect:
        assert fragment in stderr, (fragment, stderr)
    assert "Traceback" not in result.output
    after = snapshot(store_db, tmp_path / "after")
    assert after[1] == before[1], "the store's content changed"
    assert after[0] == before[0], "the store's files changed"


@pytest.mark.parametrize("case", corpus.ACCEPTED, ids=lambda c: c.name)
def test_awkward_file_imports_as_written(case: Any, tmp_path: Path, large: Path) -> None:
    source = _source(case, large)
    db = tmp_path / "ok.db"
    args = corpus.TABLE if case.command == "table" else ()
    result, cpu = _run(db, case.command, source, args)
    assert result.exit_code == 0, result.output
    assert cpu < TIME_LIMIT_S, f"{cpu:.1f} CPU seconds to import {case.name}"
    store = EmbeddedStore(db)
    try:
        titles = {n.title for n in store.nodes()}
    finally:
        store.close()
    assert titles == set(case.titles)


_MEASURE = """
import json, resource, sys, time
from click.testing import CliRunner
from kgraph.cli import cli
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
result = CliRunner().invoke(cli, sys.argv[1:])
print(json.dumps({
    "exit": result.exit_code,
    "stderr": result.stderr,
    "seconds": time.process_time() - started,
    "grew_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
}))
"""


@pytest.mark.parametrize("case", [c for c in corpus.CASES if c.bomb], ids=lambda c: c.name)
def test_zip_bomb_is_refused_in_bounded_memory(case: Any, large: Path, tmp_path: Path) -> None:
    """Peak RSS growth of a fresh process (measured after its imports, with ``ru_maxrss``)
    stays below ``RSS_LIMIT_MB`` while it refuses a file that inflates to gigabytes."""
    source = large / case.name
    args = ["--store", str(tmp_path / "s.db"), "import", case.command, str(source), *case.args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"FIGURES bomb {case.name}: {(source.stat().st_size) / 1024:,.0f} KiB refused in "
        f"{figures['seconds']:.2f} CPU s, peak RSS growth {figures['grew_mb']:.0f} MB"
    )
    assert figures["exit"] == 2, figures
    assert case.name in figures["stderr"]
    assert figures["seconds"] < TIME_LIMIT_S
    assert figures["grew_mb"] < RSS_LIMIT_MB


def test_bombs_really_inflate_to_gigabytes(large: Path) -> None:
    """The bombs are what they claim: a few MB that declare gigabytes (or, for the ratio
    case, hundreds of megabytes from a few hundred kilobytes)."""
    import zipfile

    for case in (c for c in corpus.CASES if c.bomb and "lying" not in c.name):
        path = large / case.name
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        assert path.stat().st_size < 8 * 1024 * 1024
        if "ratio" in case.name:
            assert unpacked > 500 * path.stat().st_size
        else:
            assert unpacked > 3 * 1024**3


@pytest.mark.parametrize("name", ["zip_bomb.xlsx", "zip_bomb_ratio.xlsx"])
def test_dashboard_upload_refuses_a_zip_bomb(name: str, large: Path) -> None:
    """The Importeren page lists an upload's sheets and picks one before any import
    (``tabular_source.sheet_names`` and ``choose_sheet`` on the bytes in memory): both
    must refuse a bomb too, before openpyxl inflates it."""
    import io

    from kgraph.errors import InputError
    from kgraph.importers.tabular_source import choose_sheet, sheet_names

    data = (large / name).read_bytes()
    for step in (sheet_names, choose_sheet):
        with pytest.raises(InputError, match="refused"):
            step(io.BytesIO(data), name=name, lang="en")
