"""The Markdown question register importer on the CAA research agenda."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CAA_AGENDA, DATA

from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.importers import apply_batch, markdown_register
from kgraph.importers.base import ImportBatch
from kgraph.store.base import GraphStore


@pytest.fixture(scope="module")
def agenda() -> ImportBatch:
    if not CAA_AGENDA.exists():
        pytest.skip(f"the CAA research agenda is not at {CAA_AGENDA}")
    return markdown_register.read(CAA_AGENDA)


def _theme_rows() -> list[dict[str, str]]:
    with (CAA_AGENDA / "_data" / "themes.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_questions_and_themes(agenda: ImportBatch) -> None:
    files = list((CAA_AGENDA / "_questions").glob("*.md"))
    themes = {r["theme"] for r in _theme_rows()}
    assert agenda.summary()["nodes"] == {"knowledge_question": len(files), "theme": len(themes)}
    assert agenda.summary()["edges"]["RAISED_IN"] == len(files)
    assert {n.title for n in agenda.nodes if n.kind == "theme"} == themes


def test_question_fields(agenda: ImportBatch) -> None:
    q1 = next(n for n in agenda.nodes if n.props.get("question_code") == "Q1")
    assert q1.id == "kq:caa-research-agenda-q1"
    assert (
        q1.title
        == "What common errors do students make when answering online assessment questions?"
    )
    assert q1.props["previous_question_code"] == "Q5"
    assert q1.props["question_num"] == 1
    assert "Tim Lowe" in q1.props["contributors"]
    assert q1.props["subtheme"] == "Student errors" and q1.tags == ("Student errors",)
    assert q1.props["lead_author"] == "Ian Jones"  # "Ian" in themes.csv, one contributor Ian
    assert "{% link" not in q1.text and "Q11" in q1.text
    assert q1.source == "caa-research-agenda/_questions/Q1.md"


def test_previous_question_code_is_not_a_link(agenda: ImportBatch) -> None:
    """Q1 was Q5 in an earlier draft; today's Q5 is another question."""
    q1 = "kq:caa-research-agenda-q1"
    q5 = "kq:caa-research-agenda-q5"
    linked = {(e.src, e.dst) for e in agenda.edges}
    assert (q1, q5) not in linked and (q5, q1) not in linked


def test_related_questions_become_relates_to(agenda: ImportBatch) -> None:
    related = {(e.src, e.dst) for e in agenda.edges if e.kind == "RELATES_TO"}
    assert ("kq:caa-research-agenda-q1", "kq:caa-research-agenda-q11") in related
    assert ("kq:caa-research-agenda-q1", "kq:caa-research-agenda-q2") in related
    assert all(src != dst for src, dst in related)


def test_theme_properties(agenda: ImportBatch) -> None:
    theme = next(n for n in agenda.nodes if n.title == "Errors and feedback")
    assert theme.props["subthemes"] == [
        "Student errors",
        "Feedback design",
        "Emulating teacher feedback",
        "Optimising feedback efforts",
    ]
    assert set(theme.props["lead_authors"]) == {"Ian Jones", "George Kinnear"}


def test_import_twice_adds_nothing(store: GraphStore, agenda: ImportBatch) -> None:
    first = apply_batch(store, agenda)
    assert first.nodes_added == len(agenda.nodes)
    again = apply_batch(store, markdown_register.read(CAA_AGENDA))
    assert (again.nodes_added, again.edges_added) == (0, 0)


def test_broken_register_names_every_file_and_line(tmp_path: Path) -> None:
    folder = DATA / "import" / "register-broken"
    with pytest.raises(InputError) as caught:
        markdown_register.read(folder)
    problems = caught.value.problems
    assert any(p.startswith("_questions/Q2.md, line 1: no YAML front matter") for p in problems)
    assert any(p.startswith("_questions/Q3.md, line ") and "not valid YAML" in p for p in problems)
    assert "_data/themes.csv, row 3, column question_num: empty" in problems
    db = tmp_path / "b.db"
    result = CliRunner().invoke(cli, ["--store", str(db), "import", "markdown", str(folder)])
    assert result.exit_code == 2 and "Q2.md" in result.output


def test_cli_markdown_import(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", db, "import", "markdown", str(CAA_AGENDA), "--dry-run"])
    assert result.exit_code == 0 and "60 nieuw" in result.output
    result = runner.invoke(
        cli, ["--store", db, "import", "markdown", str(CAA_AGENDA), "--register", "caa"]
    )
    assert result.exit_code == 0 and "60 items en" in result.output
    result = runner.invoke(cli, ["--store", db, "show", "kq:caa-q1"])
    assert "previous_question_code: Q5" in result.output
