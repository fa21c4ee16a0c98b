"""One-line errors, exit 2 and nothing written for what used to give a traceback, hang
or slip through: ids and property names with a trailing newline, graph files without
limits, a missing folder, a FIFO given as input, a full disk while importing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgraph.cli import cli
from kgraph.errors import ValidationError
from kgraph.export import rawgraph
from kgraph.model import Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore


def _location(store: GraphStore, backend: str) -> str:
    return store.location if backend == "embedded" else os.environ["NEO4J_URI"]


def _state(store: GraphStore) -> tuple[dict[str, int], dict[str, int], int]:
    counts = store.counts()
    return counts.nodes, counts.edges, len(store.history())


def _one_line_error(result: Result, *said: str) -> None:
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: "), output
    for text in said:
        assert text in lines[0], lines[0]


# --- ids and property names -------------------------------------------------------------


@pytest.mark.parametrize("bad", ["kq:a\n", "kq:a\r\n", " kq:a", "kq:a\t", "kq:a\x00"])
def test_ids_with_whitespace_or_control_characters_are_refused(
    store: GraphStore, backend: str, bad: str
) -> None:
    with pytest.raises(ValidationError, match="spaces, a newline or control characters"):
        store.add_node(Node(bad, "knowledge_question", "Vraag"))
    before = _state(store)
    result = CliRunner().invoke(
        cli, ["--store", _location(store, backend), "add", "knowledge_question", "V", "--id", bad]
    )
    _one_line_error(result, "invalid id")
    assert _state(store) == before


@pytest.mark.parametrize("bad", ["owner\n", "owner ", "\nowner"])
def test_property_names_with_whitespace_are_refused(
    store: GraphStore, backend: str, bad: str
) -> None:
    store.add_node(Node("kq:a", "knowledge_question", "Vraag"))
    with pytest.raises(ValidationError, match="invalid property name"):
        store.update_node("kq:a", {bad: "x"})
    with pytest.raises(ValidationError, match="invalid property name"):
        store.add_node(Node("kq:b", "knowledge_question", "B", props={bad: "x"}))
    assert store.get_node("kq:a").props == {}  # type: ignore[union-attr]


def test_graph_file_ids_and_names_with_a_newline_are_refused(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    location = _location(store, backend)
    for node in (
        {"id": "kq:a\n", "kind": "knowledge_question", "title": "A"},
        {"id": "kq:a", "kind": "knowledge_question", "title": "A", "owner\n": "x"},
    ):
        path = tmp_path / "g.json"
        path.write_text(json.dumps({"graph": {"name": "kgraph"}, "nodes": [node], "links": []}))
        result = runner.invoke(cli, ["--store", location, "import", "graph", str(path)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "invalid id 'kq:a\\n'" in result.output or "'owner\\n'" in result.output
    assert store.is_empty()


# --- graph files have limits -------------------------------------------------------------


def _graph(nodes: list[dict[str, object]]) -> str:
    return json.dumps({"directed": True, "nodes": nodes, "links": []})


def test_graph_import_bounds_values_attributes_and_counts(
    store: GraphStore, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    location = _location(store, backend)
    big = "x" * 131_073  # one more than the limit (rawgraph.MAX_VALUE_CHARS)
    cases = {
        "value.json": (_graph([{"id": "a", "label": "A", "note": big}]), "131,072"),
        "list.json": (_graph([{"id": "a", "label": "A", "tags": [big[:70_000]] * 2}]), "tags"),
        "wide.json": (
            _graph([{"id": "a", "label": "A", **{f"a{i}": i for i in range(1_001)}}]),
            "1,002 attributes",
        ),
        "value.graphml": (
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<key id="d0" for="node" attr.name="note" attr.type="string"/>'
            f'<graph edgedefault="directed"><node id="n0"><data key="d0">{big}</data></node>'
            "</graph></graphml>",
            "'note' holds 131,073 characters",
        ),
    }
    for name, (text, said) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(cli, ["--store", location, "import", "graph", str(path)])
        _one_line_error(result, name, said)
    monkeypatch.setattr(rawgraph, "MAX_NODES", 5)
    path = tmp_path / "many.json"
    path.write_text(_graph([{"id": str(i), "label": f"Q {i}"} for i in range(6)]))
    result = runner.invoke(cli, ["--store", location, "import", "graph", str(path)])
    _one_line_error(result, "many.json: 6 nodes; at most 5")
    assert store.is_empty()


# --- missing folders and FIFOs -------------------------------------------------------------


def test_missing_paths_give_one_line(store: GraphStore, backend: str, tmp_path: Path) -> None:
    runner = CliRunner()
    location = _location(store, backend)
    nope = tmp_path / "nope"
    for command in (
        ["import", "markdown", str(nope)],
        ["import", "report", str(nope / "report.md")],
        ["import", "table", str(nope / "q.csv")],
        ["import", "graph", str(nope / "g.json")],
        ["export", "json", str(nope / "out.json")],
        ["report", "handover", str(nope / "handover.md")],
    ):
        result = runner.invoke(cli, ["--store", location, *command])
        _one_line_error(result, str(nope))
    assert not nope.exists() and store.is_empty()


_KGRAPH = [sys.executable, "-c", "import sys; from kgraph.cli import main; main(sys.argv[1:])"]


def _kgraph(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process, so that a read blocking on a FIFO cannot hang the
    test run: it fails on the timeout instead."""
    return subprocess.run(
        [*_KGRAPH, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_fifos_are_refused_not_waited_on(store: GraphStore, backend: str, tmp_path: Path) -> None:
    location = _location(store, backend)
    register = tmp_path / "register"
    (register / "_questions").mkdir(parents=True)
    os.mkfifo(register / "_questions" / "q1.md")
    pipes = tmp_path / "pipes"
    pipes.mkdir()
    for name in ("report.md", "q.csv", "g.json", "folder"):
        os.mkfifo(pipes / name)
    for command, said in (
        (["import", "report", str(pipes / "report.md")], "not a regular file"),
        (["import", "table", str(pipes / "q.csv")], "not a regular file"),
        (["import", "graph", str(pipes / "g.json")], "not a regular file"),
        (["import", "markdown", str(pipes / "folder")], "is not a folder"),
        (["import", "markdown", str(register)], "q1.md: is not a regular file"),
    ):
        done = _kgraph("--store", location, *command)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("kgraph: error: ") and said in done.stderr, done.stderr
    assert store.is_empty()


# --- a full disk while importing -------------------------------------------------------------

_FULL_DISK = """
import resource, sys
from kgraph.cli import main
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
main(sys.argv[2:])
"""


def test_full_disk_during_an_import_gives_one_line_and_keeps_the_store(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with EmbeddedStore(db) as store:
        store.add_node(Node("kq:kept", "knowledge_question", "Kept"))
    sizes = sum(p.stat().st_size for p in tmp_path.iterdir())
    path = tmp_path / "many.csv"
    path.write_text(
        "title;text\n" + "".join(f"Vraag {i};{'toelichting ' * 40}\n" for i in range(3_000)),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(sizes + 200_000), "--store", str(db)]
        + ["import", "table", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    # progress labels and the by-name mapping notice may come first; the error is one line
    lines = [line for line in done.stderr.splitlines() if line.startswith("kgraph:")]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: "), done.stderr
    assert done.stderr.rstrip().endswith(lines[0]) and "Traceback" not in done.stderr
    assert "disk" in lines[0] or "too large" in lines[0], lines[0]  # EFBIG: "disk I/O error"
    with EmbeddedStore(db) as store:
        assert [n.id for n in store.nodes()] == ["kq:kept"]
        assert store.integrity_problems() == []
