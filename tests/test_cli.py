"""The ``kgraph`` command on a temporary embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.store.embedded import EmbeddedStore


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "t.db"
    EmbeddedStore(db).close()  # an existing store (a new one is announced on stderr)

    def invoke(*args: str, actor: str = "tester") -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--store", str(db), "--as", actor, *args])
        return result.exit_code, result.stdout, result.stderr

    invoke.db = db  # type: ignore[attr-defined]
    return invoke


def test_every_command_has_help() -> None:
    def walk(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
        out = []
        for name, command in group.commands.items():
            out.append((prefix + name, command))
            if isinstance(command, click.Group):
                out += walk(command, prefix + name + " ")
        return out

    commands = walk(cli, "")
    assert len(commands) >= 12
    for name, command in commands:
        assert command.help and command.help.strip(), f"{name} has no help text"
        result = CliRunner().invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, name


def test_add_link_show_set_history(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("add", "cop", "CoP Ethiek", "--id", "cop:ethiek")
    assert code == 0 and out.strip() == "cop:ethiek"
    code, out, _ = run(
        "add",
        "knowledge_question",
        "Hoe deel je praktische casussen?",
        "--set",
        "tags=ethiek;casus",
    )
    kq = out.strip()
    assert kq == "kq:hoe-deel-je-praktische-casussen"
    assert run("link", kq, "RAISED_IN", "cop:ethiek")[0] == 0
    code, out, _ = run("set", kq, "status=in_progress", "owner=Ada", actor="ada")
    assert code == 0 and "version 2" in out
    code, out, _ = run("show", kq, "--json")
    shown = json.loads(out)
    assert shown["node"]["status"] == "in_progress" and shown["node"]["owner"] == "Ada"
    assert shown["node"]["tags"] == ["ethiek", "casus"]
    assert shown["edges"][0]["kind"] == "RAISED_IN"
    code, out, _ = run("history", "--json")
    entries = json.loads(out)
    assert [e["op"] for e in entries] == ["add_node", "add_node", "add_edge", "update_node"]
    assert entries[-1]["actor"] == "ada" and entries[0]["actor"] == "tester"
    code, out, _ = run("search", "CASUSSEN")
    assert kq in out
    code, out, _ = run("stats", "--json")
    assert json.loads(out) == {
        "nodes": {"cop": 1, "knowledge_question": 1},
        "edges": {"RAISED_IN": 1},
    }
    assert run("unlink", kq, "RAISED_IN", "cop:ethiek")[0] == 0
    assert run("delete", kq)[0] == 0
    code, out, _ = run("stats", "--json")
    assert json.loads(out) == {"nodes": {"cop": 1}, "edges": {}}


def test_history_since_and_by(run) -> None:  # type: ignore[no-untyped-def]
    run("add", "cop", "A", actor="ada")
    run("add", "cop", "B", actor="bea")
    code, out, _ = run("history", "--by", "bea", "--json")
    assert [e["target"] for e in json.loads(out)] == ["cop:b"]
    code, out, _ = run("history", "--since", "2999-01-01", "--json")
    assert json.loads(out) == []
    code, out, _ = run("history", "--since", "2000-01-01", "--json")
    assert len(json.loads(out)) == 2
    code, _, err = run("history", "--since", "gisteren")
    assert code == 2 and "not an ISO date" in err


def test_history_pages_newest_first(run) -> None:  # type: ignore[no-untyped-def]
    for title in ("A", "B", "C", "D"):
        run("add", "cop", title)
    code, out, _ = run("history", "--newest-first", "--limit", "2", "--json")
    assert code == 0 and [e["target"] for e in json.loads(out)] == ["cop:d", "cop:c"]
    code, out, _ = run("history", "--offset", "1", "--limit", "2", "--json")
    assert [e["target"] for e in json.loads(out)] == ["cop:b", "cop:c"]
    code, _, err = run("history", "--offset", "-1")
    assert code == 2 and "-1" in err


def test_neighbourhood_and_path(run) -> None:  # type: ignore[no-untyped-def]
    run("add", "cop", "A", "--id", "cop:a")
    run("add", "knowledge_question", "Vraag een", "--id", "kq:1")
    run("add", "complex_question", "Groot", "--id", "cq:1")
    run("link", "kq:1", "RAISED_IN", "cop:a")
    run("link", "kq:1", "FEEDS", "cq:1")
    code, out, _ = run("neighbourhood", "cop:a", "--depth", "2", "--json")
    data = json.loads(out)
    assert {n["id"] for n in data["nodes"]} == {"cop:a", "kq:1", "cq:1"}
    assert data["truncated"] is False
    code, out, _ = run("path", "cop:a", "cq:1")
    assert [line.split("\t")[0] for line in out.splitlines()] == ["cop:a", "kq:1", "cq:1"]


@pytest.mark.parametrize(
    "args",
    [
        ("link", "kq:nope", "FEEDS", "cq:nope"),
        ("show", "kq:nope"),
        ("set", "kq:nope", "status=open"),
        ("add", "knowledge_question", "x", "--set", "status=klaar"),
        ("set", "kq:nope", "geen-is-teken"),
        ("delete", "kq:nope"),
    ],
)
def test_errors_are_one_line_exit_2(run, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(*args)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: ")
    assert "Traceback" not in err


def test_handover_decision_via_link(run) -> None:  # type: ignore[no-untyped-def]
    run("add", "complex_question", "Groot", "--id", "cq:1")
    run("add", "landing_place", "DMI", "--id", "lp:dmi")
    run("link", "cq:1", "LANDS_IN", "lp:dmi")
    code, out, _ = run(
        "link",
        "cq:1",
        "LANDS_IN",
        "lp:dmi",
        "--set",
        "status=accepted",
        "--set",
        "decided_by=stuurgroep",
    )
    assert code == 0 and "updated" in out
    store = EmbeddedStore(run.db)
    edge = store.get_edge("cq:1", "LANDS_IN", "lp:dmi")
    assert (
        edge is not None and edge.status == "accepted" and edge.props["decided_by"] == "stuurgroep"
    )
    store.close()
