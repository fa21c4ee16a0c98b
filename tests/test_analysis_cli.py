"""``kgraph analyse ...`` and ``kgraph similar accept|dismiss`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.model import Edge, Node
from kgraph.store.embedded import EmbeddedStore


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.db"
    store = EmbeddedStore(path, actor="seed")
    store.bulk_load(
        [
            Node("kq:1", "knowledge_question", "Hoe organiseer je lokaal meten?"),
            Node("kq:2", "knowledge_question", "Hoe start je een goed proces rondom lokaal meten?"),
            Node("kq:3", "knowledge_question", "Wat kost een warmtenet?"),
            Node("cq:x", "complex_question", "Hoe borgen we de meetdata?"),
            Node("cop:a", "cop", "Lokaal meten"),
            Node("lp:dmi", "landing_place", "DMI-ecosysteem"),
            Node("lp:ai", "landing_place", "AI Compass"),
            Node("theme:t", "theme", "Leeg thema"),
        ],
        [
            Edge("kq:1", "RAISED_IN", "cop:a"),
            Edge("kq:2", "RAISED_IN", "cop:a"),
            Edge("kq:1", "FEEDS", "cq:x"),
            Edge("cq:x", "RAISED_IN", "cop:a"),
            Edge("cq:x", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
        ],
    )
    store.close()
    return str(path)


def run(db: str, *args: str, actor: str | None = None) -> Any:
    prefix = ["--store", db] + (["--as", actor] if actor else [])
    result = CliRunner().invoke(cli, [*prefix, *args])
    assert result.exit_code == 0, result.output
    return result


def run_json(db: str, *args: str) -> Any:
    return json.loads(run(db, *args, "--json").stdout)


def test_handover_json(db: str) -> None:
    data = run_json(db, "analyse", "handover")
    assert data["totals"]["proposed"] == 1
    # by kind, then title; kq:1 goes with cq:x, which it feeds; kq:2 and kq:3 feed nothing
    assert [r["id"] for r in data["not_accepted"]] == ["cq:x", "cop:a", "kq:2", "kq:3"]
    assert [r["id"] for r in data["no_landing"]] == ["cop:a", "kq:2", "kq:3"]
    assert [r["id"] for r in data["idle_places"]] == ["lp:ai"]
    cop = data["cops"][0]
    assert cop["id"] == "cop:a" and cop["counts"]["proposed"] == 1


def test_gaps_json(db: str) -> None:
    data = run_json(db, "analyse", "gaps")
    assert [r["id"] for r in data["groups"]["unfed_knowledge_questions"]] == ["kq:2", "kq:3"]
    assert [r["id"] for r in data["groups"]["unraised_questions"]] == ["kq:3"]
    assert [r["id"] for r in data["groups"]["stranded_cops"]] == ["cop:a"]
    assert [r["id"] for r in data["groups"]["isolated"]] == ["kq:3", "lp:ai", "theme:t"]


def test_central_json_with_kind(db: str) -> None:
    data = run_json(db, "analyse", "central", "--kind", "cop")
    assert [r["id"] for r in data["rows"]] == ["cop:a"]
    assert data["rows"][0]["degree"] == 3
    assert data["kinds"] == ["cop"]


def test_similar_dismiss_then_accept(db: str) -> None:
    data = run_json(db, "analyse", "similar", "--min-score", "0.2", "--top", "5")
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("kq:1", "kq:2")]
    assert data["pairs"][0]["shared"] == ["lokaal", "meten"]

    assert (
        "dismissed kq:1 ~ kq:2" in run(db, "similar", "dismiss", "kq:1", "kq:2", actor="Bob").output
    )
    after = run_json(db, "analyse", "similar", "--min-score", "0.2")
    assert after["pairs"] == [] and after["skipped_dismissed"] == 1

    out = run(db, "similar", "accept", "kq:2", "kq:1", actor="Ada").output
    assert "linked kq:2 -RELATES_TO-> kq:1" in out
    after = run_json(db, "analyse", "similar", "--min-score", "0.2")
    assert after["pairs"] == [] and after["skipped_linked"] == 1 and after["skipped_dismissed"] == 0

    history = json.loads(run(db, "history", "--json").stdout)
    assert [(h["op"], h["actor"]) for h in history[-5:]] == [
        ("update_node", "Bob"),
        ("update_node", "Bob"),
        ("update_node", "Ada"),
        ("update_node", "Ada"),
        ("add_edge", "Ada"),
    ]


def test_changes_json(db: str) -> None:
    run(db, "link", "cq:x", "LANDS_IN", "lp:dmi", "--set", "status=accepted", actor="Ada")
    data = run_json(db, "analyse", "changes", "--since", "2000-01-01")
    assert [(m["from"], m["to"], m["by"]) for m in data["handover"]] == [
        ("proposed", "accepted", "Ada")
    ]
    assert data["summary"]["nodes_added"] == 8
    future = run_json(db, "analyse", "changes", "--since", "2999-01-01", "--until", "2999-02-01")
    assert future["summary"]["changes"] == 0


def test_text_output_reads_in_plain_words(db: str) -> None:
    assert "Landing places that receive nothing (1)" in run(db, "analyse", "handover").output
    assert (
        "Kennisvragen die geen complexe vraag voeden (2)"
        in run(db, "analyse", "gaps", "--lang", "nl").output
    )
    assert "links and lies on" in run(db, "analyse", "central").output
    assert "shared: lokaal, meten" in run(db, "analyse", "similar", "--min-score", "0.2").output
    assert "items added" in run(db, "analyse", "changes", "--since", "2000-01-01").output


def test_errors_are_one_line_and_change_nothing(db: str) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["--store", db, "analyse", "changes", "--since", "gisteren"])
    assert bad.exit_code == 2 and "not an ISO date" in bad.stderr
    missing = runner.invoke(cli, ["--store", db, "similar", "accept", "kq:1", "kq:nope"])
    assert missing.exit_code == 2 and "kq:nope" in missing.stderr
    assert json.loads(run(db, "history", "--json").stdout)[-1]["op"] == "add_edge"  # the load


@pytest.mark.parametrize(
    "command",
    [
        ["analyse"],
        ["analyse", "handover"],
        ["analyse", "gaps"],
        ["analyse", "central"],
        ["analyse", "similar"],
        ["analyse", "changes"],
        ["similar"],
        ["similar", "accept"],
        ["similar", "dismiss"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("\n\n")[1].strip()) > 20
