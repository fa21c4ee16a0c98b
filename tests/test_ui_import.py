"""The Importeren page driven through Streamlit's AppTest on both backends, with the fixture
register of ``tests/data/registers`` (a Rijkswaterstaat/Deltares-like workbook: questions
on the third sheet, explanation rows above the header, a reused code, status codes 1/2/3)
and its second version.

What the page shows is compared with what the library (the code ``kgraph import table``
runs) computes for the same choices, and what it writes is read back from the store.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import DATA, neo4j_uri_or_skip
from helpers.ui import button, open_page
from streamlit.testing.v1 import AppTest

from kgraph.importers import mapping_file
from kgraph.importers import table as table_importer
from kgraph.importers.session import ImportSession
from kgraph.store import open_store
from kgraph.store.base import GraphStore
from kgraph.ui import import_form
from kgraph.ui.pages import import_ as page

REGISTERS = DATA / "registers"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_CODES = {"1": "open", "2": "in_progress", "3": "answered"}


def _fixture_module() -> ModuleType:
    """``make_registers.py``: the fixture's own description of its traits."""
    spec = importlib.util.spec_from_file_location("make_registers", REGISTERS / "make_registers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_registers", module)
    spec.loader.exec_module(module)
    return module


FIXTURE = _fixture_module()
V1: Path = FIXTURE.V1
V2: Path = FIXTURE.V2
SPEC = REGISTERS / "kennisagenda.yaml"


@pytest.fixture(params=["embedded", "neo4j"])
def location(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Where the app's store is for this test: a fresh embedded file, or the test Neo4j
    wiped first. The app seeds it with the City Deal graph when it is empty."""
    if request.param == "embedded":
        where = str(tmp_path / "ui.db")
    else:
        where = neo4j_uri_or_skip()
        with open_store(where) as store:
            store.wipe()  # type: ignore[attr-defined]
    monkeypatch.setenv("KGRAPH_STORE", where)
    yield where
    if request.param == "neo4j":
        with open_store(where) as store:
            store.wipe()  # type: ignore[attr-defined]


@pytest.fixture
def reader(location: str) -> Iterator[GraphStore]:
    """A second connection to the app's store, as another process would have."""
    store = open_store(location, actor="reader")
    yield store
    store.close()


def upload(at: AppTest, path: Path, key: str = page.UPLOAD, mime: str = XLSX) -> AppTest:
    at.file_uploader(key=key).set_value((path.name, path.read_bytes(), mime)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_key(field: str, sheet: str = FIXTURE.DATA_SHEET, row: int = FIXTURE.HEADER_ROW) -> str:
    return import_form.map_key(import_form.context(sheet, row), field)


def register_key(path: Path) -> str:
    """The register chosen for ``path`` (an existing register's id, or a new one)."""
    return import_form.register_key(import_form.Upload(path.name, b""))


def new_register_key(path: Path) -> str:
    """The name of a new register for ``path``."""
    return import_form.new_register_key(import_form.Upload(path.name, b""))


def library_plan(path: Path, spec: mapping_file.ImportSpec, store: GraphStore, **kw):  # type: ignore[no-untyped-def]
    """What the import session (the code ``kgraph import table`` runs) plans for ``path``."""
    return ImportSession(store, path).plan(spec, **kw)


def set_status_codes(at: AppTest, codes: dict[str, str]) -> None:
    for code, status in codes.items():
        at.selectbox(key=import_form.value_key("status", code)).set_value(status)
    at.run()


def check(at: AppTest, label: str = "Controleren") -> AppTest:
    button(at, label).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def register_spec(**changes: object) -> mapping_file.ImportSpec:
    spec = mapping_file.parse_spec(SPEC.read_text(encoding="utf-8"), SPEC.name)
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def frame(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    """The table on the page that has ``column``."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[-1]


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


# --- defaults: sheet, header row, suggestions, values ---------------------------------------


def test_the_question_sheet_header_and_columns_are_suggested(location: str) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    # not the first sheet (a title block) nor the legend: the one with the questions
    assert at.selectbox(key=import_form.SHEET).options[0] == FIXTURE.TITLE_SHEET
    assert at.selectbox(key=import_form.SHEET).value == FIXTURE.DATA_SHEET
    # the explanation rows above the header are skipped, as the CLI does
    assert (
        at.number_input(key=import_form.header_key(FIXTURE.DATA_SHEET)).value == FIXTURE.HEADER_ROW
    )
    suggested = {f: at.selectbox(key=map_key(f)).value for f in table_importer.FIELDS}
    assert suggested["id"] == "Code"
    assert suggested["title"] == "Kennisvraag"
    assert suggested["status"] == "Status"
    assert suggested["placed_at"] == "Waar belegd"
    assert suggested["organisation"] == "Actiehouder"
    # every column with sample values, as written in the sheet
    columns = at.dataframe[1].value
    samples = dict(zip(columns["Kolomnaam"], columns["Voorbeelden"], strict=True))
    first = FIXTURE.Q[0]
    assert samples["Code"].startswith(first[0])
    assert samples["Kennisvraag"].startswith(first[2])
    assert set(samples["Status"].split(" · ")) <= {"1", "2", "3"}
    assert dict(zip(columns["Kolomnaam"], columns["Wordt"], strict=True))["Urgentie"] == (
        "extra eigenschap"
    )
    # the status column's distinct values are listed for mapping
    labels = [s.label for s in at.selectbox if s.key and s.key.startswith("keep_import_val_")]
    written = {str(q[3]) for q in FIXTURE.Q}
    assert {label.split(" ")[0] for label in labels} >= written


def test_a_register_imports_with_value_mapping_and_keeps_the_file_name(
    location: str, reader: GraphStore
) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    at.text_input(key=new_register_key(V1)).input("kennisagenda")
    at.radio(key=import_form.DUPLICATES).set_value("keep").run()
    set_status_codes(at, STATUS_CODES)
    check(at)
    assert not at.error, [e.value for e in at.error]
    expected = library_plan(V1, register_spec(), reader)
    assert metrics(at)["Nieuw"] == len(expected.register_items) == len(FIXTURE.Q)
    button(at, "Importeren").click().run()
    assert not at.exception
    assert any("door Eva" in s.value for s in at.success), [s.value for s in at.success]

    questions = [
        n for n in reader.nodes(["knowledge_question"]) if n.props.get("register") == "kennisagenda"
    ]
    assert len(questions) == len(FIXTURE.Q)
    by_code: dict[str, list] = {}
    for node in questions:
        by_code.setdefault(str(node.props.get("code")), []).append(node)
    for code, _theme, text, status, *_ in FIXTURE.Q:
        assert text in {n.title for n in by_code[code]}
        node = next(n for n in by_code[code] if n.title == text)
        assert node.status == STATUS_CODES[str(status)]
        # provenance: the uploaded file's own name, its sheet and row
        assert node.source.startswith(f"{V1.name}, ")
        assert FIXTURE.DATA_SHEET in node.source
        assert node.updated_by == "Eva"
    # the reused code: both questions, both marked for review
    reused = by_code[FIXTURE.REUSED_CODE]
    assert len(reused) == 2 and all(n.props.get("duplicate_code") for n in reused)
    assert len({n.id for n in reused}) == 2


# --- problems in the UI language, rejects ---------------------------------------------------


def test_problems_name_file_sheet_row_column_and_the_cell_as_written(location: str) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    check(at)
    assert "niets geïmporteerd" in at.error[0].value
    problems = frame(at, "Probleem")
    texts = list(problems["Probleem"])
    reused = [t for t in texts if f'"{FIXTURE.REUSED_CODE}"' in t]
    assert reused, texts[:5]
    assert all(t.startswith(f"{V1.name}, blad {FIXTURE.DATA_SHEET}, rij ") for t in texts)
    assert FIXTURE.REUSED_CODE in set(problems["Staat er"])  # as written, not kq:...:2-2-1
    status_rows = problems[problems["Kolom"] == "E (Status)"]
    assert len(status_rows) == len(FIXTURE.Q)  # every code 1/2/3 is unknown until mapped
    assert set(status_rows["Staat er"]) == {str(q[3]) for q in FIXTURE.Q}
    # what to do is said in terms of this page, not of command-line options
    assert not [t for t in texts if "--" in t]
    assert all("Waarden vertalen" in t for t in status_rows["Probleem"])

    at = upload(open_page("import", name="Eva", lang="en"), V1)
    check(at, "Check")
    assert "nothing was imported" in at.error[0].value
    texts = list(frame(at, "Problem")["Problem"])
    assert all(t.startswith(f"{V1.name}, sheet {FIXTURE.DATA_SHEET}, row ") for t in texts)


def test_valid_rows_import_and_the_rejects_are_offered(location: str, reader: GraphStore) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    at.text_input(key=new_register_key(V1)).input("kennisagenda")
    at.radio(key=import_form.DUPLICATES).set_value("keep").run()
    set_status_codes(at, {"1": "open", "2": "in_progress"})  # 3 left unmapped: rejected
    at.checkbox(key=page.SKIP).check().run()
    check(at)
    finished = [q for q in FIXTURE.Q if q[3] == 3]
    assert finished
    assert f"{len(finished)} van de {len(FIXTURE.Q)} rijen afgekeurd" in at.warning[0].value
    assert [d.label for d in at.get("download_button")][-1] == "Afgekeurde rijen downloaden (.csv)"
    button(at, "Importeren").click().run()
    titles = {
        n.title
        for n in reader.nodes(["knowledge_question"])
        if n.props.get("register") == "kennisagenda"
    }
    assert titles == {q[2] for q in FIXTURE.Q if q[3] != 3}


# --- unmapping, saved mappings -------------------------------------------------------------


def test_an_unmapped_status_column_is_kept_as_a_property(location: str, reader: GraphStore) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    at.text_input(key=new_register_key(V1)).input("kennisagenda")
    at.radio(key=import_form.DUPLICATES).set_value("keep").run()
    at.selectbox(key=map_key("status")).set_value(import_form.NOT_MAPPED).run()
    check(at)
    assert not at.error, [e.value for e in at.error]
    button(at, "Importeren").click().run()
    code, _theme, text, status, *_ = FIXTURE.Q[0]
    node = next(
        n
        for n in reader.nodes(["knowledge_question"])
        if n.props.get("code") == code and n.props.get("register") == "kennisagenda"
    )
    assert node.title == text
    assert node.status != STATUS_CODES[str(status)]  # the column was not used as status
    assert status in node.props.values() or str(status) in node.props.values()


def test_a_saved_mapping_file_fills_every_choice(location: str) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    upload(at, SPEC, key=import_form.SPEC_UPLOAD, mime="application/x-yaml")
    spec = register_spec()
    assert at.selectbox(key=import_form.SHEET).value == spec.sheet
    assert at.selectbox(key=register_key(V1)).value == import_form.NEW_REGISTER
    assert at.text_input(key=new_register_key(V1)).value == spec.register
    assert at.radio(key=import_form.DUPLICATES).value == spec.duplicates
    for name in table_importer.FIELDS:
        assert at.selectbox(key=map_key(name)).value == spec.columns.get(name, ""), name
    for code, status in spec.values["status"].items():
        assert at.selectbox(key=import_form.value_key("status", code)).value == status
    check(at)
    assert not at.error, [e.value for e in at.error]


# --- a newer version ----------------------------------------------------------------------


def test_a_newer_version_shows_the_diff_and_prunes_only_when_asked(
    location: str, reader: GraphStore
) -> None:
    at = upload(open_page("import", name="Eva"), V1)
    upload(at, SPEC, key=import_form.SPEC_UPLOAD, mime="application/x-yaml")
    check(at)
    button(at, "Importeren").click().run()
    before = {n.id for n in reader.nodes(["knowledge_question"])}

    upload(at, V2)
    # the mapping file names the register for the new file too: the one in the store
    assert at.selectbox(key=register_key(V2)).value == "kennisagenda"
    check(at)
    assert not at.error, [e.value for e in at.error]
    expected = library_plan(V2, register_spec(), reader)
    shown = metrics(at)
    assert shown == {
        "Nieuw": len(expected.register_items),
        "Gewijzigd": len(expected.changed),
        "Ongewijzigd": len(expected.unchanged),
        "Niet meer in de bron": len(expected.gone),
    }
    # the fixture's own account of version 2
    assert len(expected.register_items) == len(FIXTURE.ADDED_V2)
    assert {n.props["code"] for n in expected.gone} == set(FIXTURE.DROPPED)
    assert at.checkbox(key=page.PRUNE).value is False

    button(at, "Importeren").click().run()
    assert not at.exception
    after = {n.id for n in reader.nodes(["knowledge_question"])}
    assert before <= after  # nothing deleted without the explicit choice
    reworded = next(iter(FIXTURE.REWORDED.values()))
    changed = [n for n in reader.nodes(["knowledge_question"]) if n.title == reworded]
    assert len(changed) == 1 and changed[0].id in before  # an update, not a new question
    last = reader.history(target=changed[0].id)[-1]
    assert (last.op, last.actor) == ("update_node", "Eva")

    # again, now with prune: what is gone from the source goes from the store
    check(at)
    assert metrics(at)["Niet meer in de bron"] == len(FIXTURE.DROPPED)
    at.checkbox(key=page.PRUNE).check().run()
    button(at, "Importeren").click().run()
    dropped = {q[2] for q in FIXTURE.Q if q[0] in FIXTURE.DROPPED}
    left = {n.title for n in reader.nodes(["knowledge_question"])}
    assert dropped and not left & dropped
