"""``kgraph analyse similar`` across languages, CoPs and registers, through click's runner on
a store with two registers (one Dutch, one English) and two CoPs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.model import Edge, Node
from kgraph.store.embedded import EmbeddedStore

NL = {"register": "agenda-nl"}
EN = {"register": "agenda-en"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "registers.db"
    store = EmbeddedStore(path, actor="seed")
    store.bulk_load(
        [
            Node(
                "kq:nl-licht",
                "knowledge_question",
                "Hoe betrekken we bewoners bij slimme straatverlichting?",
                props=NL,
            ),
            Node(
                "kq:nl-warmte",
                "knowledge_question",
                "Hoe financieren we een warmtenet in een bestaande wijk?",
                props=NL,
            ),
            Node(
                "kq:nl-hitte",
                "knowledge_question",
                "Hoe voorkomen we hittestress in versteende wijken?",
                props=NL,
            ),
            Node(
                "kq:nl-lantaarn",
                "knowledge_question",
                "Hoe krijgen we inwoners betrokken bij slimme lantaarnpalen?",
                props=NL,
            ),
            Node(
                "kq:en-light",
                "knowledge_question",
                "How do we involve residents in smart street lighting?",
                props=EN,
            ),
            Node(
                "kq:en-heat",
                "knowledge_question",
                "How do we finance a heat network in an existing neighbourhood?",
                props=EN,
            ),
            Node(
                "kq:en-bikes",
                "knowledge_question",
                "Why are bicycles stolen more often near the station?",
                props=EN,
            ),
            Node("cop:licht", "cop", "Slimme verlichting"),
            Node("cop:energie", "cop", "Energie"),
        ],
        [
            Edge("kq:nl-licht", "RAISED_IN", "cop:licht"),
            Edge("kq:nl-lantaarn", "RAISED_IN", "cop:licht"),
            Edge("kq:en-light", "RAISED_IN", "cop:energie"),
            Edge("kq:nl-warmte", "RAISED_IN", "cop:energie"),
            Edge("kq:en-heat", "RAISED_IN", "cop:energie"),
        ],
    )
    store.close()
    return str(path)


def run(db: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--store", db, *args])
    assert result.exit_code == 0, result.output
    return result


def pairs(db: str, *args: str) -> list[dict[str, Any]]:
    data = json.loads(run(db, "analyse", "similar", "--json", *args).stdout)
    return list(data["pairs"])


def test_translations_are_paired_with_each_side_described(db: str) -> None:
    found = {(p["a"], p["b"]): p for p in pairs(db)}
    light = found[("kq:en-light", "kq:nl-licht")]
    assert light["reason"] == "meaning" and light["shared"] == []
    assert light["a_context"] == {
        "cops": ["Energie"],
        "themes": [],
        "register": "agenda-en",
        "lang": "en",
    }
    assert light["b_context"]["cops"] == ["Slimme verlichting"]
    assert light["b_context"]["lang"] == "nl"
    assert ("kq:en-heat", "kq:nl-warmte") in found
    # the Dutch paraphrase in other words
    assert ("kq:nl-lantaarn", "kq:nl-licht") in found
    # explained in words on the terminal, in either language
    out = run(db, "analyse", "similar", "--lang", "nl").output
    assert "zelfde betekenis, andere taal (Engels – Nederlands)" in out, out[-1500:]
    assert "[Energie; register agenda-en; Engels]" in out


def test_the_partners_of_one_question(db: str) -> None:
    data = json.loads(run(db, "analyse", "similar", "--json", "--to", "kq:nl-licht").stdout)
    assert data["to"] == "kq:nl-licht"
    partners = [p["b"] for p in data["pairs"]]
    assert partners[:2] == ["kq:en-light", "kq:nl-lantaarn"] or partners[:2] == [
        "kq:nl-lantaarn",
        "kq:en-light",
    ]
    assert all(p["a"] == "kq:nl-licht" for p in data["pairs"])
    assert len(partners) == 6  # every other question, best first (no minimum with --to)
    scores = [p["score"] for p in data["pairs"]]
    assert scores == sorted(scores, reverse=True)
    top = json.loads(
        run(db, "analyse", "similar", "--json", "--to", "kq:nl-licht", "--top", "1").stdout
    )
    assert len(top["pairs"]) == 1


def test_only_pairs_across_cops_or_registers(db: str) -> None:
    across_cops = {(p["a"], p["b"]) for p in pairs(db, "--across-cops")}
    assert ("kq:nl-lantaarn", "kq:nl-licht") not in across_cops  # both Slimme verlichting
    assert ("kq:en-heat", "kq:nl-warmte") not in across_cops  # both Energie
    assert ("kq:en-light", "kq:nl-licht") in across_cops
    across_registers = {(p["a"], p["b"]) for p in pairs(db, "--across-registers")}
    assert ("kq:nl-lantaarn", "kq:nl-licht") not in across_registers
    assert {("kq:en-light", "kq:nl-licht"), ("kq:en-heat", "kq:nl-warmte")} <= across_registers
    for p in pairs(db, "--across-registers", "--min-score", "0"):
        assert p["a_context"]["register"] != p["b_context"]["register"]


def test_which_of_one_registers_questions_the_other_has(db: str) -> None:
    found = pairs(db, "--register", "agenda-en", "--against", "agenda-nl")
    best = {p["a"]: p["b"] for p in found}
    assert best == {"kq:en-light": "kq:nl-licht", "kq:en-heat": "kq:nl-warmte"}
    for p in found:
        assert p["a_context"]["register"] == "agenda-en"
        assert p["b_context"]["register"] == "agenda-nl"
    # with no minimum, every question of A gets its best partner in B
    everything = pairs(db, "--register", "agenda-en", "--against", "agenda-nl", "--min-score", "0")
    assert {p["a"] for p in everything} == {"kq:en-light", "kq:en-heat", "kq:en-bikes"}


def test_bad_requests_are_one_line_errors(db: str) -> None:
    runner = CliRunner()
    for args, words in (
        (["--register", "agenda-en"], "--register and --against go together"),
        (["--register", "x", "--against", "agenda-nl"], "no questions of register 'x'"),
        (["--to", "kq:nope"], "kq:nope"),
        (["--to", "cop:licht"], "not a question"),
        (["--to", "kq:nl-licht", "--register", "a", "--against", "b"], "cannot be combined"),
    ):
        result = runner.invoke(cli, ["--store", db, "analyse", "similar", *args])
        assert result.exit_code != 0, args
        assert words in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_embedding_shows_progress_once(db: str) -> None:
    first = run(db, "analyse", "similar", "--lang", "en")
    assert "Computing the meaning of 7 questions" in first.stderr
    second = run(db, "analyse", "similar", "--lang", "en")
    assert "Computing the meaning" not in second.stderr
