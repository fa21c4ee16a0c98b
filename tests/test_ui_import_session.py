"""The Importeren page and ``kgraph import table`` are two front ends of one import session:
the same files with the same answers give the same store, on both backends. And on the
page: placements map to nothing and count as proposals, a renamed file is recognised as
its register, an import is undone with a button, and a mapping file that is an alias bomb
is refused in one line.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA, neo4j_uri_or_skip
from helpers.ui import button, open_page
from streamlit.testing.v1 import AppTest
from test_import_session import BOMB, PLACEMENTS

from kgraph.cli import cli
from kgraph.store import open_store
from kgraph.store.base import GraphStore
from kgraph.ui import import_form
from kgraph.ui.pages import import_ as page

REGISTERS = DATA / "registers"
sys.path.insert(0, str(REGISTERS))
import make_registers as reg  # noqa: E402

SPEC = REGISTERS / "kennisagenda.yaml"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: two registers holding the same question, no id column: each keeps its own
SAME_QUESTION = {
    "agenda-a.csv": "Vraag;CoP\nHoe meten we geluid?;Lokaal meten\nWie beheert de sensoren?;Lokaal meten\n",
    "agenda-b.csv": "Vraag;CoP\nHoe meten we geluid?;Geluid\n",
}


@pytest.fixture(params=["embedded", "neo4j"])
def location(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The app's store: a fresh embedded file, or the test Neo4j wiped first."""
    if request.param == "embedded":
        where = str(tmp_path / "ui.db")
    else:
        where = neo4j_uri_or_skip()
        with open_store(where) as store:
            store.wipe()  # type: ignore[attr-defined]
    monkeypatch.setenv("KGRAPH_STORE", where)
    _seed(where)  # as the app does on an empty store (whose handle a test run may keep)
    yield where
    if request.param == "neo4j":
        with open_store(where) as store:
            store.wipe()  # type: ignore[attr-defined]


def _seed(location: str) -> None:
    result = CliRunner().invoke(cli, ["--store", location, "seed"])
    assert result.exit_code == 0 and "seeded" in result.output, result.output


def upload(at: AppTest, name: str, data: bytes, mime: str, key: str = page.UPLOAD) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, mime)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def keys(name: str) -> tuple[str, str]:
    """The register choice and the new register's name for a file called ``name``."""
    upload_ = import_form.Upload(name, b"")
    return import_form.register_key(upload_), import_form.new_register_key(upload_)


def check_and_import(at: AppTest) -> AppTest:
    button(at, "Controleren").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    button(at, "Importeren").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("door Eva" in s.value for s in at.success), [s.value for s in at.success]
    return at


def state_of(store: GraphStore) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """Nodes, edges (store stamps left out) and what each import batch wrote."""
    stamps = ("created_at", "updated_at", "updated_by", "version")
    everything = store.export_all()
    nodes = {
        i: {k: v for k, v in n.to_dict().items() if k not in stamps}
        for i, n in everything.nodes.items()
    }
    edges = {
        e.key: {k: v for k, v in e.to_dict().items() if k not in stamps} for e in everything.edges
    }
    batches = [
        (r.data.get("source"), r.data.get("register"), r.data.get("counts"))
        for r in store.records("import_batch")
    ]
    return nodes, edges, batches


def test_the_cli_and_the_page_give_the_same_store(location: str, tmp_path: Path) -> None:
    """The same files with the same answers, once through ``kgraph import table``, once
    through the page, each on the seeded store: the same nodes, edges, properties,
    provenance and import batches."""
    files = {}
    for name, text in SAME_QUESTION.items():
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    runner = CliRunner()
    for name in SAME_QUESTION:
        result = runner.invoke(
            cli,
            ["--store", location, "--as", "Eva", "import", "table", str(files[name]),
             "--map", "title=Vraag", "--map", "cop=CoP", "--no-by-name"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    args = ["--store", location, "--as", "Eva", "import", "table", str(reg.V1), "--mapping"]
    assert runner.invoke(cli, [*args, str(SPEC)]).exit_code == 0
    with open_store(location) as store:
        by_cli = state_of(store)
        store.wipe()  # type: ignore[attr-defined]
    _seed(location)

    at = open_page("import", name="Eva")
    for name, text in SAME_QUESTION.items():
        upload(at, name, text.encode(), CSV)
        choice, new_name = keys(name)
        assert at.selectbox(key=choice).value == import_form.NEW_REGISTER
        assert at.text_input(key=new_name).value == Path(name).stem
        check_and_import(at)
    upload(at, reg.V1.name, reg.V1.read_bytes(), XLSX)
    upload(at, SPEC.name, SPEC.read_bytes(), "application/x-yaml", key=import_form.SPEC_UPLOAD)
    check_and_import(at)
    with open_store(location) as store:
        by_page = state_of(store)

    assert by_page[0] == by_cli[0]
    assert by_page[1] == by_cli[1]
    assert by_page[2] == by_cli[2]
    # the documented behaviour: each register keeps its own question
    nodes = by_page[0]
    assert nodes["kq:hoe-meten-we-geluid"]["register"] == "agenda-a"
    assert nodes["kq:hoe-meten-we-geluid-2"]["register"] == "agenda-b"
    assert nodes["kq:hoe-meten-we-geluid-2"]["source"] == "agenda-b.csv, row 2"


def test_placements_on_the_page(location: str, tmp_path: Path) -> None:
    """Not included maps to nothing; placements are proposals by default and the page
    counts them before writing; choosing 'accepted' warns that the steering group's count
    of accepted items changes."""
    at = upload(open_page("import", name="Eva"), "agenda.csv", PLACEMENTS.encode(), CSV)
    ctx = import_form.context(None, 1)
    assert at.selectbox(key=import_form.map_key(ctx, "placed_at")).value == "Waar belegd"
    assert at.radio(key=import_form.PLACED).value == "proposed"
    nothing = at.selectbox(key=import_form.value_key("placed_at", "Not included"))
    # nothing, or any landing place or organisation the store holds, by its title
    assert nothing.options[:3] == ["(zoals geschreven)", "(niets)", "Landingsplaats: AI Compass"]
    nothing.set_value(import_form.NOTHING).run()
    button(at, "Controleren").click().run()
    table = [d.value for d in at.dataframe if "Aantal" in d.value.columns][-1]
    assert dict(zip(table["Overdracht"], table["Aantal"], strict=True)) == {
        "potentiële landingsplaats": 4
    }
    assert not at.warning  # proposals do not change what is accepted
    assert any("overdrachtscijfers" in i.value for i in at.info)
    at.radio(key=import_form.PLACED).set_value("accepted").run()
    button(at, "Controleren").click().run()
    assert any("belegd" in w.value and "0 → 4" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    with open_store(location) as store:  # checking wrote nothing
        assert not [e for e in store.edges(["LANDS_IN"]) if e.src.startswith("kq:agenda:")]
        before = len(store.edges(["LANDS_IN"]))
    at.radio(key=import_form.PLACED).set_value("proposed").run()
    check_and_import(at)
    with open_store(location) as store:
        new = [e for e in store.edges(["LANDS_IN"]) if e.src.startswith("kq:agenda:")]
        assert len(store.edges(["LANDS_IN"])) == before + 4
        assert {e.props["status"] for e in new} == {"proposed"}
        assert store.get_node("lp:not-included") is None


def test_a_renamed_file_is_recognised_and_an_import_undone(location: str, tmp_path: Path) -> None:
    at = upload(open_page("import", name="Eva"), reg.V1.name, reg.V1.read_bytes(), XLSX)
    upload(at, SPEC.name, SPEC.read_bytes(), "application/x-yaml", key=import_form.SPEC_UPLOAD)
    check_and_import(at)
    at.file_uploader(key=import_form.SPEC_UPLOAD).clear().run()
    renamed = tmp_path / "kennisagenda-v3.xlsx"
    shutil.copy(reg.V1, renamed)
    # a new upload whose header row is the register's: proposed, with its mapping
    upload(at, renamed.name, renamed.read_bytes(), XLSX)
    choice, _ = keys(renamed.name)
    assert at.selectbox(key=choice).value == "kennisagenda"
    assert at.radio(key=import_form.DUPLICATES).value == "keep"
    button(at, "Controleren").click().run()
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics == {
        "Nieuw": 0,
        "Gewijzigd": 0,
        "Ongewijzigd": len(reg.Q),
        "Niet meer in de bron": 0,
    }
    with open_store(location) as store:
        count = len(store.nodes(["knowledge_question"]))
    # undo the register's import from the list of earlier imports
    sure = at.checkbox(key=page.UNDO_SURE)
    assert reg.V1.name in sure.label.replace("\\", "")  # Markdown-escaped on the page
    assert button(at, "Laatste import ongedaan maken").disabled
    sure.check().run()
    button(at, "Laatste import ongedaan maken").click().run()
    assert any("ongedaan gemaakt" in s.value for s in at.success), [s.value for s in at.success]
    with open_store(location) as store:
        assert len(store.nodes(["knowledge_question"])) == count - len(reg.Q)
        assert not [n for n in store.nodes() if n.props.get("register") == "kennisagenda"]
        assert store.records("register") == []


def test_an_alias_bomb_mapping_is_refused_on_the_page(location: str) -> None:
    at = upload(open_page("import", name="Eva"), reg.V1.name, reg.V1.read_bytes(), XLSX)
    upload(at, "bomb.yaml", BOMB.encode(), "application/x-yaml", key=import_form.SPEC_UPLOAD)
    errors = [e.value.replace("\\", "") for e in at.error]  # Markdown-escaped on the page
    assert errors == [
        "bomb.yaml, line 1: anchors and aliases (&name, *name) are not allowed in a mapping "
        "file; write the values out"
    ]
