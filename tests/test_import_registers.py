"""Real registers in (issue 12): the fixture register of ``tests/data/registers`` with every
trait a Rijkswaterstaat/Deltares agenda has, imported through the CLI on both backends, and
a newer version of it re-imported."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, REPO

from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.importers import mapping_file, matching, table
from kgraph.importers.tabular_source import choose_sheet, detect_header_row, read_rows
from kgraph.store.base import GraphStore

REGISTERS = DATA / "registers"
sys.path.insert(0, str(REGISTERS))
sys.path.insert(0, str(REPO))  # benchmarks.reimport_threshold
import make_registers as reg  # noqa: E402

V1, V2 = reg.V1, reg.V2
SPEC = REGISTERS / "kennisagenda.yaml"
R = "kq:kennisagenda:"


def run(store: GraphStore, *args: str) -> object:
    result = CliRunner().invoke(cli, ["--store", store.location, *args], catch_exceptions=False)
    return result


def spec_options(**changes: object) -> dict[str, object]:
    options = mapping_file.load_spec(SPEC).read_options()
    options.update(changes)
    return options


# --- the fixture is what it claims to be ------------------------------------------------


def test_fixture_files_are_current(tmp_path: Path) -> None:
    fresh = reg.write(tmp_path)
    for path in fresh:
        old = read_rows(REGISTERS / path.name, sheet=reg.DATA_SHEET).rows
        assert read_rows(path, sheet=reg.DATA_SHEET).rows == old


def test_questions_sheet_is_not_first_and_is_chosen() -> None:
    from openpyxl import load_workbook

    book = load_workbook(V1)
    assert book.sheetnames.index(reg.DATA_SHEET) == 2
    assert book[reg.TITLE_SHEET].merged_cells.ranges  # a title block
    assert choose_sheet(V1) == reg.DATA_SHEET
    assert read_rows(V1).sheet == reg.DATA_SHEET
    # an upload: a file object with its own name
    with V1.open("rb") as handle:
        assert choose_sheet(handle, name="agenda.xlsx") == reg.DATA_SHEET


def test_header_row_is_found_below_the_explanation_rows() -> None:
    rows = read_rows(V1).rows
    assert detect_header_row(rows) == reg.HEADER_ROW  # without any mapping (the UI's start)
    assert detect_header_row(rows, ["Kennisvraag", "Code"]) == reg.HEADER_ROW
    result = table.read_table(V1, **spec_options(header_row=None, sheet=None))
    assert (result.sheet, result.header_row) == (reg.DATA_SHEET, reg.HEADER_ROW)


# --- codes, registers, duplicates --------------------------------------------------------


def test_reused_code_is_refused_by_default_naming_file_sheet_row_column_and_value() -> None:
    with pytest.raises(InputError) as caught:
        table.read(V1, **spec_options(duplicates="refuse"))
    lines = caught.value.problems
    assert len(lines) == 2
    for row in (10, 11):
        assert any(
            line.startswith(
                f'{V1.name}, blad Database, rij {row}, kolom A (Code), waarde "2.2_1": dubbele code in rijen 10, 11'
            )
            for line in lines
        ), lines
    assert "2-2-1" not in " ".join(lines)  # the value as written, not the id made of it
    with pytest.raises(InputError) as english:
        table.read(V1, **spec_options(duplicates="refuse"), lang="en")
    assert (
        'row 10, column A (Code), value "2.2_1": duplicate code in rows 10, 11'
        in english.value.problems[0]
    )


def test_keep_imports_both_rows_marked_and_namespaced(store: GraphStore) -> None:
    result = run(store, "import", "table", str(V1), "--mapping", str(SPEC))
    assert result.exit_code == 0, result.output
    first, second = store.get_node(R + "2-2-1"), store.get_node(R + "2-2-1-2")
    assert first is not None and second is not None
    assert first.title != second.title
    assert first.props["duplicate_code"] == second.props["duplicate_code"] == "2.2_1"
    assert "duplicate_code" in result.output
    questions = store.nodes(["knowledge_question"])
    assert len(questions) == len(reg.Q)
    assert all(n.id.startswith(R) for n in questions)
    assert {n.props.get("register") for n in store.nodes()} == {"kennisagenda"}  # every node
    assert first.source == f"{V1.name}, sheet Database, row 10"
    assert first.props["code"] == "2.2_1"


def test_two_agendas_with_the_same_codes_do_not_collide(store: GraphStore, tmp_path: Path) -> None:
    other = tmp_path / "andere_agenda.xlsx"
    other.write_bytes(V1.read_bytes())
    spec = mapping_file.load_spec(SPEC)
    spec.register = None  # default: the file's stem
    mapping_file.save_spec(spec, tmp_path / "m.yaml")
    assert run(store, "import", "table", str(V1), "--mapping", str(SPEC)).exit_code == 0
    # the same layout under another file name: which register is meant must be said once
    asked = run(store, "import", "table", str(other), "--mapping", str(tmp_path / "m.yaml"))
    assert asked.exit_code == 2 and 'register "kennisagenda"' in asked.output
    assert "--register andere-agenda" in asked.output
    result = run(
        store, "import", "table", str(other), "--mapping", str(tmp_path / "m.yaml"),
        "--register", "andere_agenda",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ids = {n.id for n in store.nodes(["knowledge_question"])}
    assert {R + "1-1-1", "kq:andere-agenda:1-1-1"} <= ids
    assert len(ids) == 2 * len(reg.Q)


def test_identical_text_under_two_codes_is_noted() -> None:
    batch = table.read(V1, **spec_options())
    assert any(
        "dezelfde vraagtekst" in n and '"3.1_2"' in n and '"8.1_1"' in n for n in batch.notes
    )


def test_identical_titles_without_id_column_become_one_node(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text(
        "Vraag;Thema\nHoe meet je water?;A\nIets anders, hoe?;A\nHoe meet je water?;B\n", "utf-8"
    )
    batch = table.read(path, mapping={"title": "Vraag", "theme": "Thema"})
    questions = [n for n in batch.nodes if n.kind == "knowledge_question"]
    assert len(questions) == 2
    merged = next(n for n in questions if n.title == "Hoe meet je water?")
    assert merged.source == "lijst.csv, rows 2, 4"
    assert any("rijen 2, 4" in n for n in batch.notes)
    assert {e.dst for e in batch.edges if e.src == merged.id} == {"theme:a", "theme:b"}


# --- values, unmapped columns, placement --------------------------------------------------


def test_status_codes_need_a_value_mapping_and_get_one() -> None:
    options = spec_options(values={})
    with pytest.raises(InputError) as caught:
        table.read(V1, **options)
    assert any('kolom E (Status), waarde "1": onbekende status' in p for p in caught.value.problems)
    batch = table.read(V1, **spec_options())
    status = {n.props["code"]: n.status for n in batch.nodes if n.kind == "knowledge_question"}
    assert (status["1.1_1"], status["1.1_2"], status["1.2_2"]) == (
        "in_progress",
        "open",
        "answered",
    )


def test_cli_value_option(store: GraphStore) -> None:
    args = ["import", "table", str(V1), "--map", "id=Code", "--map", "title=Kennisvraag"]
    args += ["--duplicates", "keep", "--register", "kennisagenda"]
    result = run(store, *args, "--value", "status:1=open", "--value", "status:2=in_progress")
    assert result.exit_code == 2  # 3 is not mapped: refused, naming the cell
    assert '"3": onbekende status' in result.output
    result = run(
        store,
        *args,
        *[
            f"--value=status:{k}={v}"
            for k, v in {"1": "open", "2": "parked", "3": "answered"}.items()
        ],
    )
    assert result.exit_code == 0, result.output
    assert store.get_node(R + "1-1-1").status == "parked"  # type: ignore[union-attr]


def test_an_unmapped_status_column_is_kept_as_a_property(store: GraphStore) -> None:
    mapping = {"id": "Code", "title": "Kennisvraag"}
    batch = table.read(V1, mapping=mapping, duplicates="keep", register="kennisagenda")
    node = next(n for n in batch.nodes if n.id == R + "1-1-1")
    assert node.status == "open"  # not read from the Status column
    assert node.props["column_status"] == 2  # kept, under a name that is no field
    # the CLI says when it maps a column by its name, and --no-by-name turns that off
    args = [
        "import",
        "table",
        str(V1),
        "--map",
        "id=Code",
        "--map",
        "title=Kennisvraag",
        "--duplicates",
        "keep",
        "--dry-run",
        *("--value=status:1=open", "--value=status:2=open", "--value=status:3=answered"),
    ]
    by_name = run(store, *args)
    assert "status=Status" in by_name.output and "--no-by-name" in by_name.output
    explicit = run(store, *args, "--no-by-name")
    assert explicit.exit_code == 0, explicit.output
    assert "status=Status" not in explicit.output


def test_waar_belegd_lands_in_and_involves(store: GraphStore) -> None:
    assert run(store, "import", "table", str(V1), "--mapping", str(SPEC)).exit_code == 0
    lands = {(e.src, e.dst): e for e in store.edges(["LANDS_IN"])}
    involves = {(e.src, e.dst): e for e in store.edges(["INVOLVES"])}
    # a landing place: proposed (a register's placement is no decision), with where from
    edge = lands[(R + "1-1-1", "lp:kennisprogramma-zeespiegelstijging")]
    assert edge.props["status"] == "proposed"
    assert edge.props["note"] == "uit register kennisagenda, kolom Waar belegd"
    assert "decided_on" not in edge.props and "decided_by" not in edge.props
    # an organisation named as action holder elsewhere: INVOLVES with the column as role
    assert involves[(R + "7-2-1", "org:knmi")].props["role"] in ("Waar belegd", "Actiehouder")
    assert involves[(R + "1-2-1", "org:deltares")].props["role"] in ("Waar belegd", "Actiehouder")
    # two places in one cell
    assert (R + "1-2-1", "lp:kennisprogramma-zeespiegelstijging") in lands
    assert involves[(R + "1-1-2", "org:rws-wvl")].props["role"] == "Actiehouder"
    assert store.get_node("org:knmi").kind == "organisation"  # type: ignore[union-attr]


def test_priorities_urgency_time_cost_lead_time_are_kept() -> None:
    node = next(n for n in table.read(V1, **spec_options()).nodes if n.id == R + "1-1-1")
    assert {
        k: node.props[k]
        for k in ("prioriteit_veiligheid", "prioriteit_beleid", "prioriteit_maatschappij")
    } == {
        "prioriteit_veiligheid": 5,
        "prioriteit_beleid": 5,
        "prioriteit_maatschappij": 4,
    }
    assert (node.props["urgentie"], node.props["tijdshorizon"]) == ("hoog", 2026)
    assert (node.props["kosten_k"], node.props["doorlooptijd_mnd"]) == (450, 36)


def test_upload_keeps_its_own_name_in_provenance_and_messages() -> None:
    data = V1.read_bytes()
    batch = table.read(
        io.BytesIO(data), name="Kennisagenda WVL.xlsx", **spec_options(register=None)
    )
    node = next(n for n in batch.nodes if n.kind == "knowledge_question")
    assert node.source.startswith("Kennisagenda WVL.xlsx, sheet Database, row ")  # type: ignore[union-attr]
    assert node.id.startswith("kq:kennisagenda-wvl:")
    with pytest.raises(InputError) as caught:
        table.read(
            io.BytesIO(data), name="Kennisagenda WVL.xlsx", **spec_options(duplicates="refuse")
        )
    assert caught.value.problems[0].startswith("Kennisagenda WVL.xlsx, blad Database, rij 10")


# --- mapping files -----------------------------------------------------------------------


def test_saved_mapping_reads_the_same(store: GraphStore, tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    args = ["import", "table", str(V1), "--map", "id=Code", "--map", "title=Kennisvraag"]
    args += [
        "--map",
        "placed_at=Waar belegd",
        "--value",
        "status:1=open",
        "--value",
        "status:2=open",
    ]
    args += [
        "--value",
        "status:3=answered",
        "--duplicates",
        "keep",
        "--save-mapping",
        str(saved),
        "--dry-run",
    ]
    assert run(store, *args).exit_code == 0
    spec = mapping_file.load_spec(saved)
    assert (spec.sheet, spec.header_row, spec.duplicates, spec.by_name) == (
        "Database",
        3,
        "keep",
        False,
    )
    assert spec.columns["placed_at"] == "Waar belegd" and spec.columns["status"] == "Status"
    assert spec.values["status"] == {"1": "open", "2": "open", "3": "answered"}
    again = mapping_file.parse_spec(mapping_file.dump_spec(spec), "x.yaml")
    assert again == spec
    a = table.read(V1, **spec.read_options())
    b = table.read(
        V1, mapping=spec.columns, values=spec.values, duplicates="keep", sheet="Database"
    )
    assert [n.to_dict() for n in a.nodes] == [n.to_dict() for n in b.nodes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("columns: {titel: Vraag}", "unknown field 'titel'"),
        ("colums: {title: Vraag}", "unknown key(s) colums"),
        ("header_row: nul", "header_row"),
        ("duplicates: merge", "duplicates 'merge'"),
        ("- a\n- b", "keys such as columns"),
    ],
)
def test_a_wrong_mapping_file_is_one_clear_error(text: str, expected: str) -> None:
    with pytest.raises(
        InputError, match="^m.yaml: .*" + expected.replace("(", r"\(").replace(")", r"\)")
    ):
        mapping_file.parse_spec(text, "m.yaml")


# --- a newer version ---------------------------------------------------------------------


def test_reimport_reports_and_records_changes(store: GraphStore) -> None:
    assert run(store, "import", "table", str(V1), "--mapping", str(SPEC)).exit_code == 0
    before = {n.id: n for n in store.nodes(["knowledge_question"])}
    history_before = len(store.history())
    dry = run(store, "import", "table", str(V2), "--mapping", str(SPEC), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    kept = len(reg.Q) - len(reg.DROPPED)
    assert (report["added"], report["gone"]) == (len(reg.ADDED_V2), len(reg.DROPPED))
    assert report["changed"] + report["unchanged"] == kept
    assert sorted(report["gone_ids"]) == sorted(
        R + c.replace(".", "-").replace("_", "-") for c in reg.DROPPED
    )
    assert len(store.history()) == history_before  # a dry run writes nothing
    result = run(store, "import", "table", str(V2), "--mapping", str(SPEC))
    assert result.exit_code == 0, result.output
    assert f"{len(reg.ADDED_V2)} nieuw" in result.output and "niet meer in de bron" in result.output
    after = {n.id: n for n in store.nodes(["knowledge_question"])}
    assert set(before) <= set(after)  # nothing deleted without --prune
    assert len(after) == len(before) + len(reg.ADDED_V2)
    # a renumbered question keeps its id and history; its new code and wording are updates
    node = after[R + "1-1-1"]
    assert node.title == reg.REWORDED["1.1_1"] and node.props["code"] == "1.2_1"
    # the question that had code 1.2_1 in v1 is still itself, not overwritten by the code
    assert after[R + "1-2-1"].title == before[R + "1-2-1"].title
    assert after[R + "3-1-1"].status == "answered"
    updates = [c for c in store.history(target=R + "1-1-1") if c.op == "update_node"]
    assert updates and updates[-1].after["title"] == reg.REWORDED["1.1_1"]
    assert updates[-1].before["title"] == before[R + "1-1-1"].title
    # the same version again: all unchanged
    again = run(store, "import", "table", str(V2), "--mapping", str(SPEC), "--json")
    assert json.loads(again.output)["changed"] == 0
    assert json.loads(again.output)["unchanged"] == kept + len(reg.ADDED_V2)
    pruned = run(store, "import", "table", str(V2), "--mapping", str(SPEC), "--prune", "--json")
    assert json.loads(pruned.output)["pruned"] == len(reg.DROPPED)
    assert store.get_node(R + "1-2-2") is None


def test_threshold_separates_the_fixture_pairs() -> None:
    from benchmarks.reimport_threshold import pairs

    true_scores, false_best = pairs()
    assert max(false_best) < matching.THRESHOLD <= min(true_scores)


# --- stderr, bounds, rejects -------------------------------------------------------------


def test_no_library_warnings_on_stderr(tmp_path: Path) -> None:
    import subprocess
    import zipfile

    # an extension openpyxl does not read makes it warn "... is not supported and will be removed"
    path = tmp_path / "extension.xlsx"
    sheet = "xl/worksheets/sheet3.xml"
    with zipfile.ZipFile(V1) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet:
                ext = b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}"/></extLst>'
                data = data.replace(b"</worksheet>", ext + b"</worksheet>")
            dst.writestr(item, data)
    kgraph = str(Path(sys.executable).with_name("kgraph"))
    done = subprocess.run(
        [
            kgraph,
            "--store",
            str(tmp_path / "s.db"),
            "import",
            "table",
            str(path),
            "--mapping",
            str(SPEC),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "openpyxl" not in done.stderr, done.stderr
    assert "not supported" in done.stdout  # said once, as a note


def _xlsx_with_cell_at(path: Path, ref: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Vraag"
    book.active["A2"] = "Hoe meet je water?"
    book.active[ref] = "x"
    book.save(path)


def test_a_far_cell_is_refused_before_the_grid_is_built(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    _xlsx_with_cell_at(path, "XFD1048576")
    assert path.stat().st_size < 10_000
    with pytest.raises(InputError, match=r"far\.xlsx, blad Sheet: geweigerd: .*XFD1048576"):
        table.read(path, mapping={"title": "Vraag"})
    # a styled but empty far cell is no reason to refuse
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    book = load_workbook(path)
    book.active["XFD1048576"] = None
    book.active["XFD1048576"].font = Font(bold=True)
    book.save(path)
    assert [n.title for n in table.read(path, mapping={"title": "Vraag"}).nodes] == [
        "Hoe meet je water?"
    ]


def _shared_string_bomb(path: Path, rows: int, size: int) -> None:
    """A workbook whose every row points at one long shared string (as Excel writes it)."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Vraag {r}?</t></is></c>'
        f'<c r="B{r}" t="s"><v>0</v></c></row>'
        for r in range(2, rows + 2)
    )
    files = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst {ns} count="1" uniqueCount="1"><si><t>{"x" * size}</t></si></sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Vraag</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>Toelichting</t></is></c></row>{body}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)


def test_a_repeated_shared_string_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.xlsx"
    _shared_string_bomb(path, 1_100, 32_000)  # 35 million characters from one string
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"geweigerd: de cellen bevatten samen 35\."):
        table.read(path, mapping={"title": "Vraag"})
    small = tmp_path / "small.xlsx"
    _shared_string_bomb(small, 20, 1_000)
    assert len(table.read(small, mapping={"title": "Vraag"}).nodes) == 20


def test_too_many_cells_are_refused_from_the_xml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph.importers import tabular_source

    monkeypatch.setattr(tabular_source, "MAX_CELLS", 100)
    path = tmp_path / "cells.xlsx"
    _xlsx_with_cell_at(path, "J20")
    from openpyxl import load_workbook

    book = load_workbook(path)
    for r in range(1, 12):
        for c in range(1, 11):
            book.active.cell(r, c, f"c{r}{c}")
    book.save(path)
    with pytest.raises(InputError, match="cellen; hoogstens 100"):
        table.read(path, mapping={"title": "Vraag"})


def test_twenty_thousand_identical_rows_give_short_messages(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "same.csv"
    path.write_text(
        "id;Vraag\n" + "".join("q1;Hoe meet je water?\n" for _ in range(20_000)), "utf-8"
    )
    result = run(store, "import", "table", str(path), "--map", "id=id", "--map", "title=Vraag")
    assert result.exit_code == 2
    assert len(result.output) < 30_000, len(result.output)
    assert "en nog 19990" in result.output and "... en nog 19900" in result.output
    titles = tmp_path / "titles.csv"
    titles.write_text("Vraag\n" + "Hoe meet je water?\n" * 20_000, "utf-8")
    result = run(store, "import", "table", str(titles), "--map", "title=Vraag")
    assert result.exit_code == 0, result.output[:500]
    assert len(result.output) < 5_000
    (node,) = store.nodes(["knowledge_question"])
    assert len(node.source or "") < 200 and "en nog 19990" in (node.source or "")


def test_rejects_never_overwrite_the_input_or_an_existing_file(tmp_path: Path) -> None:
    errors = DATA / "import" / "errors.csv"
    source = tmp_path / "errors.csv"
    source.write_bytes(errors.read_bytes())
    db = str(tmp_path / "s.db")
    args = [
        "--store",
        db,
        "import",
        "table",
        str(source),
        "--map",
        "id=id",
        "--map",
        "title=Vraag",
        "--map",
        "status=Status",
    ]
    runner = CliRunner()
    result = runner.invoke(cli, [*args, "--skip-invalid", str(source)])
    assert result.exit_code == 2 and "is the file being read; not replaced" in result.output
    assert source.read_bytes() == errors.read_bytes()
    alias = tmp_path / "sub" / ".." / "errors.csv"
    (tmp_path / "sub").mkdir()
    assert runner.invoke(cli, [*args, "--skip-invalid", str(alias)]).exit_code == 2
    existing = tmp_path / "rejects.csv"
    existing.write_text("keep me", "utf-8")
    result = runner.invoke(cli, [*args, "--skip-invalid", str(existing)])
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert existing.read_text("utf-8") == "keep me"
    result = runner.invoke(cli, [*args, "--skip-invalid", str(existing), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert existing.read_text("utf-8-sig").startswith("row,reasons")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_graph_workbook_with_a_far_cell_reads_in_bounded_memory(tmp_path: Path) -> None:
    """kgraph's own .xlsx export read back (``import graph``) with a cell at XFD1048576."""
    import subprocess

    from openpyxl import load_workbook

    from kgraph.export import xlsx
    from kgraph.model import Node
    from kgraph.store.base import Subgraph

    path = tmp_path / "graph.xlsx"
    node = Node("kq:a", "knowledge_question", "Hoe meet je water?")
    xlsx.write(Subgraph(nodes={node.id: node}, edges=[]), path)
    book = load_workbook(path)
    book.worksheets[0]["XFD1048576"] = "x"  # the Nodes sheet, in the export's language
    book.save(path)
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from kgraph.importers import graph; from kgraph.errors import InputError\n"
        "try:\n  b = graph.read(sys.argv[1]); print(sorted(n.id for n in b.nodes))\n"
        "except InputError as e:\n  print('refused', e)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "kq:a" in done.stdout or "refused" in done.stdout


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "xlsx"])
def test_question_handover_and_involvement_survive_every_export(
    store: GraphStore, tmp_path: Path, fmt: str
) -> None:
    """The new edges (question LANDS_IN landing place, question INVOLVES organisation)
    are written by every export and read back by ``import graph`` into a fresh store."""
    from kgraph.store.embedded import EmbeddedStore

    assert run(store, "import", "table", str(V1), "--mapping", str(SPEC)).exit_code == 0
    wanted = {
        (e.src, e.kind, e.dst, e.props.get("status"), e.props.get("role"))
        for e in store.edges(["LANDS_IN", "INVOLVES"])
        if e.src.startswith(R)
    }
    assert {k for _, k, _, _, _ in wanted} == {"LANDS_IN", "INVOLVES"}
    ext = {"csv": ".zip"}.get(fmt, "." + fmt)
    out = tmp_path / f"out{ext}"
    result = run(store, "export", fmt, str(out))
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.db"
    done = CliRunner().invoke(cli, ["--store", str(back), "import", "graph", str(out)])
    assert done.exit_code == 0, done.output
    with EmbeddedStore(back) as copy:
        got = {
            (e.src, e.kind, e.dst, e.props.get("status"), e.props.get("role"))
            for e in copy.edges(["LANDS_IN", "INVOLVES"])
            if e.src.startswith(R)
        }
    assert got == wanted


def test_a_placement_nothing_matches_is_a_landing_place_unless_written_as_an_org_id() -> None:
    data = b"Code;Vraag;Waar belegd\nA1;Hoe meet je water vandaag?;Meetnet Water\nA2;Hoe meet je wind?;Meetnet Wind\n"
    batch = table.read(
        io.BytesIO(data),
        name="t.csv",
        mapping={"id": "Code", "title": "Vraag", "placed_at": "Waar belegd"},
        values={"placed_at": {"Meetnet Wind": "org:meetnet-wind"}},
    )
    kinds = {n.id: n.kind for n in batch.nodes}
    assert kinds["lp:meetnet-water"] == "landing_place"
    assert kinds["org:meetnet-wind"] == "organisation"
    assert {(e.src, e.kind, e.dst) for e in batch.edges} == {
        ("kq:t:a1", "LANDS_IN", "lp:meetnet-water"),
        ("kq:t:a2", "INVOLVES", "org:meetnet-wind"),
    }
    assert any("Meetnet Water" in n and "landingsplaats" in n for n in batch.notes)


def test_a_table_with_nothing_mapped_says_so(tmp_path: Path) -> None:
    path = tmp_path / "vragen.csv"
    path.write_text("title\nHoe valideer je een model?\n", encoding="utf-8")
    with pytest.raises(InputError, match="geen kolom gekoppeld"):
        table.read(path)
    with pytest.raises(InputError, match="no column is mapped"):
        table.read(path, lang="en")
