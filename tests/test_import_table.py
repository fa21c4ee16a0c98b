"""Table import: real CSV, multi-header XLSX, encodings and delimiters, every validation
error with row and column, --skip-invalid, --dry-run, re-import, relations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CAA_AGENDA, DATA
from openpyxl import Workbook

from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.importers import apply_batch, table
from kgraph.model import Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore

IMPORT = DATA / "import"
QUESTIONS = {
    "id": "id",
    "title": "Vraag",
    "status": "Status",
    "cop": "CoP",
    "theme": "Thema",
    "owner": "Eigenaar",
}


def snapshot(store: GraphStore) -> tuple[dict[str, int], dict[str, int], int]:
    counts = store.counts()
    return counts.nodes, counts.edges, len(store.history())


# --- real data -----------------------------------------------------------------------


def test_caa_themes_table(store: GraphStore) -> None:
    path = CAA_AGENDA / "_data" / "themes.csv"
    mapping = {"id": "question_num", "title": "subtheme", "theme": "theme", "owner": "lead_author"}
    batch = table.read(path, mapping=mapping, store=store)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    themes = {r["theme"] for r in rows}
    assert batch.summary()["nodes"] == {"knowledge_question": len(rows), "theme": len(themes)}
    assert batch.summary()["edges"] == {"RAISED_IN": len(rows)}
    first = next(n for n in batch.nodes if n.id == "kq:themes:1")  # namespaced by register
    assert first.props["owner"] == rows[0]["lead_author"]
    assert first.props["theme_url"] == rows[0]["theme_url"]  # unmapped columns are kept
    assert first.source == "themes.csv, row 2"
    result = apply_batch(store, batch)
    assert result.nodes_added == len(rows) + len(themes)
    again = apply_batch(store, table.read(path, mapping=mapping, store=store))
    assert (again.nodes_added, again.edges_added) == (0, 0)


# --- delimiters and encodings --------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["questions_semicolon_utf8.csv", "questions_comma_bom.csv", "questions_semicolon_cp1252.csv"],
)
def test_csv_delimiter_and_encoding_are_detected(name: str) -> None:
    batch = table.read(IMPORT / name, mapping=QUESTIONS)
    questions = {n.id: n for n in batch.nodes if n.kind == "knowledge_question"}
    r = "kq:" + name.removesuffix(".csv").replace("_", "-") + ":"
    assert set(questions) == {r + "q1", r + "q2", r + "q3"}
    q3 = questions[r + "q3"]
    assert q3.title == "Wie is eigenaar van de data (€)?"
    assert (q3.status, q3.props["owner"], q3.props["toelichting"]) == (
        "answered",
        "Cécile",
        "Geïnteresseerd",
    )
    assert questions[r + "q2"].status == "in_progress"
    assert questions[r + "q2"].props["toelichting"] == "Meetnet; sensoren"
    cops = {n.title for n in batch.nodes if n.kind == "cop"}
    assert cops == {"Datagedreven werken", "Lokaal meten"}
    raised = sorted((e.src, e.dst) for e in batch.edges if e.src == r + "q3")
    assert raised == [(r + "q3", "cop:datagedreven-werken"), (r + "q3", "cop:lokaal-meten")]


def test_delimiter_and_encoding_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    path.write_bytes("Vraag\tEigenaar\nHoe test je één ding?\tZoë\n".encode("cp1252"))
    batch = table.read(path, mapping={"title": "Vraag"}, delimiter="tab", encoding="cp1252")
    assert [(n.title, n.props["eigenaar"]) for n in batch.nodes] == [
        ("Hoe test je één ding?", "Zoë")
    ]


# --- a spreadsheet as people keep it --------------------------------------------------


def _messy_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kennisvragen 2024"
    sheet["A1"] = "Kennisvragen City Deal — stand maart 2024"
    sheet.merge_cells("A1:F1")
    sheet.append(
        [
            "De community waar de vraag gesteld is",
            "Formuleer de vraag als open vraag",
            "Zie de legenda",
            None,
            None,
            "Vrij veld",
        ]
    )
    sheet.append(["CoP", "Vraag", "Status", None, "Unnamed: 4", "Opmerking"])
    sheet.append(["Lokaal meten", "Hoe meet je luchtkwaliteit?", "open", None, None, "zie notitie"])
    sheet.append([None, "Hoe ijk je een sensor?", "Beantwoord", None, None, None])
    sheet.merge_cells("A4:A5")  # one CoP cell for two questions
    sheet.append(["Ethiek", "Wanneer is een algoritme eerlijk?", None, None, 7, 12.0])
    for _ in range(5):
        sheet.append([None, None, None, None, None, None])
    book.save(path)


def test_multi_header_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "vragen.xlsx"
    _messy_workbook(path)
    seen: list[tuple[int, int]] = []
    batch = table.read(
        path,
        mapping={"title": "Vraag", "status": "Status", "cop": "CoP"},
        progress=lambda d, t: seen.append((d, t)),
    )
    questions = {n.title: n for n in batch.nodes if n.kind == "knowledge_question"}
    assert list(questions) == [
        "Hoe meet je luchtkwaliteit?",
        "Hoe ijk je een sensor?",
        "Wanneer is een algoritme eerlijk?",
    ]
    assert questions["Hoe ijk je een sensor?"].status == "answered"
    assert (
        questions["Hoe ijk je een sensor?"].source == "vragen.xlsx, sheet Kennisvragen 2024, row 5"
    )
    assert questions["Hoe meet je luchtkwaliteit?"].props == {
        "opmerking": "zie notitie",
        "register": "vragen",
    }
    assert questions["Wanneer is een algoritme eerlijk?"].props == {
        "opmerking": 12,
        "register": "vragen",
    }
    raised = {(e.src, e.dst) for e in batch.edges}
    assert ("kq:hoe-ijk-je-een-sensor", "cop:lokaal-meten") in raised  # merged cell filled down
    assert any("E (Unnamed: 4)" in note for note in batch.notes), batch.notes
    assert seen[-1] == (3, 3)


def test_header_row_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "vragen.xlsx"
    _messy_workbook(path)
    batch = table.read(path, mapping={"title": "B"}, header_row=3, sheet="Kennisvragen 2024")
    assert len([n for n in batch.nodes if n.kind == "knowledge_question"]) == 3
    with pytest.raises(InputError, match="no sheet 'Blad1'"):
        table.read(path, mapping={"title": "Vraag"}, sheet="Blad1", lang="en")
    with pytest.raises(InputError, match="geen blad 'Blad1'"):
        table.read(path, mapping={"title": "Vraag"}, sheet="Blad1")
    with pytest.raises(InputError, match="no column 'Vraagtekst'"):
        table.read(path, mapping={"title": "Vraagtekst"}, header_row=3, lang="en")


# --- validation ----------------------------------------------------------------------

ERRORS = IMPORT / "errors.csv"
ERROR_MAP = {"id": "id", "title": "Vraag", "status": "Status", "relates_to": "Gerelateerd"}


def _problems() -> list[str]:
    with pytest.raises(InputError) as caught:
        table.read(ERRORS, mapping=ERROR_MAP, lang="en")
    assert "nothing imported" in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize(
    "expected",
    [
        'errors.csv, row 2, column A (id), value "Q1": duplicate code in rows 2, 4',
        'errors.csv, row 4, column A (id), value "Q1": duplicate code in rows 2, 4',
        'errors.csv, row 3, column C (Status), value "klaar": unknown status',
        'errors.csv, row 5, column D (Gerelateerd), value "Bestaat niet": matches no question',
        "errors.csv, row 6, column B (Vraag): title is empty",
    ],
)
def test_each_problem_names_row_and_column(expected: str) -> None:
    assert any(p.startswith(expected) for p in _problems()), _problems()


def test_all_problems_are_reported_and_nothing_else() -> None:
    assert sorted(int(p.split("row ")[1].split(",")[0]) for p in _problems()) == [2, 3, 4, 5, 6]


def test_a_relation_the_model_forbids_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Naam;Thema\nEthiek;Ethiek 2024\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        table.read(path, mapping={"title": "Naam", "theme": "Thema"}, kind="theme")
    assert caught.value.problems == [
        't.csv, rij 2, kolom B (Thema), waarde "Ethiek 2024": een theme kan niet gekoppeld worden aan een theme'
    ]


def test_bad_file_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    store.add_node(Node("kq:bestaand", "knowledge_question", "Bestaande vraag"))
    before = snapshot(store)
    result = CliRunner().invoke(
        cli,
        ["--store", _location(store, tmp_path), "import", "table", str(ERRORS), *_maps(ERROR_MAP)],
    )
    assert result.exit_code == 2
    assert "rij 3, kolom C (Status)" in result.output
    assert snapshot(store) == before


def test_skip_invalid_imports_the_rest_and_writes_rejects(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    rejects = tmp_path / "rejects.csv"
    result = CliRunner().invoke(
        cli,
        [
            "--store",
            str(db),
            "import",
            "table",
            str(ERRORS),
            *_maps(ERROR_MAP),
            "--skip-invalid",
            str(rejects),
        ],
    )
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(db)
    # Q5 is valid itself but relates to the rejected Q2, so it goes too; Q7 finds Q6 by title
    assert sorted(n.id for n in store.nodes()) == ["kq:errors:q6", "kq:errors:q7"]
    assert [e.key for e in store.edges()] == ["kq:errors:q7|RELATES_TO|kq:errors:q6"]
    store.close()
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["row"] for r in rows] == ["2", "3", "4", "5", "6", "7"]
    assert 'waarde "klaar": onbekende status' in rows[1]["reasons"]
    assert 'waarde "Q2": verwijst naar rij 3, die is afgewezen' in rows[5]["reasons"]
    assert rows[1]["Vraag"] == "Hoe meet je fijnstof?"


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    runner = CliRunner()
    path = IMPORT / "questions_semicolon_utf8.csv"
    result = runner.invoke(
        cli, ["--store", str(db), "import", "table", str(path), *_maps(QUESTIONS), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "6 nieuw" in result.output and "5 nieuwe verbindingen" in result.output
    assert "proefdraai: niets geschreven" in result.output
    assert "kq:questions-semicolon-utf8:q3" in result.output
    store = EmbeddedStore(db)
    assert store.is_empty()
    store.close()
    result = runner.invoke(
        cli, ["--store", str(db), "import", "table", str(path), *_maps(QUESTIONS)]
    )
    assert "6 items en 5 verbindingen toegevoegd" in result.output
    result = runner.invoke(
        cli, ["--store", str(db), "import", "table", str(path), *_maps(QUESTIONS), "--lang", "en"]
    )
    assert "0 items and 0 links added" in result.output
    assert "0 new, 0 changed, 3 unchanged" in result.output  # the same register again


# --- relations -----------------------------------------------------------------------


def test_relations_reuse_nodes_by_title_in_store_and_file(
    store: GraphStore, tmp_path: Path
) -> None:
    store.add_node(Node("cop:lm", "cop", "Lokaal Meten"))
    store.add_node(Node("lp:dmi", "landing_place", "DMI-ecosysteem"))
    path = tmp_path / "cq.csv"
    path.write_text(
        "Vraag,CoP,Landingsplaats,Verwant\n"
        "Hoe borgen we meetnetten?,lokaal meten!,dmi ecosysteem;AI Compass,\n"
        "Hoe delen we meetdata?,Lokaal meten,lp:dmi,Hoe borgen we meetnetten\n",
        encoding="utf-8",
    )
    mapping = {
        "title": "Vraag",
        "cop": "CoP",
        "landing_place": "Landingsplaats",
        "relates_to": "Verwant",
    }
    batch = table.read(path, mapping=mapping, kind="complex_question", store=store)
    assert sorted(n.id for n in batch.nodes) == [
        "cq:hoe-borgen-we-meetnetten",
        "cq:hoe-delen-we-meetdata",
        "lp:ai-compass",
    ]
    edges = {(e.src, e.kind, e.dst): dict(e.props) for e in batch.edges}
    assert edges[("cq:hoe-borgen-we-meetnetten", "RAISED_IN", "cop:lm")] == {}
    assert edges[("cq:hoe-borgen-we-meetnetten", "LANDS_IN", "lp:dmi")] == {
        "status": "proposed",
        "note": "uit register cq, kolom Landingsplaats",
    }
    assert ("cq:hoe-borgen-we-meetnetten", "LANDS_IN", "lp:ai-compass") in edges
    assert ("cq:hoe-delen-we-meetdata", "LANDS_IN", "lp:dmi") in edges
    assert ("cq:hoe-delen-we-meetdata", "RELATES_TO", "cq:hoe-borgen-we-meetnetten") in edges
    apply_batch(store, batch)
    assert store.get_node("lp:ai-compass") is not None


def test_reverse_relation_direction(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("Organisatie;Landingsplaats\nTU Delft;DMI-ecosysteem\n", encoding="utf-8")
    batch = table.read(
        path,
        mapping={"title": "Organisatie", "landing_place": "Landingsplaats"},
        kind="organisation",
    )
    assert [(e.src, e.kind, e.dst) for e in batch.edges] == [
        ("lp:dmi-ecosysteem", "INVOLVES", "org:tu-delft")
    ]


def test_large_file_reports_progress(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["Vraag;Status"] + [f"Vraag nummer {i}?;open" for i in range(1200)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    batch = table.read(path, mapping={"title": "Vraag"}, progress=lambda d, t: seen.append((d, t)))
    assert len(batch.nodes) == 1200
    assert seen == [(200, 1200), (400, 1200), (600, 1200), (800, 1200), (1000, 1200), (1200, 1200)]
    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "b.db"), "import", "table", str(path), "--map", "title=Vraag"],
    )
    assert result.exit_code == 0 and "1200 items en 0 verbindingen toegevoegd" in result.output
    # one bar while reading, one while the single transaction writes its chunks
    assert "reading big.csv" in result.stderr and "writing" in result.stderr


# --- helpers -------------------------------------------------------------------------


def _maps(mapping: dict[str, str]) -> list[str]:
    return [arg for field, column in mapping.items() for arg in ("--map", f"{field}={column}")]


def _location(store: GraphStore, tmp_path: Path) -> str:
    return store.location
