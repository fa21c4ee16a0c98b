"""A real register through the Importeren page in Chromium: upload the fixture workbook
(questions on the third sheet, explanation rows, a reused code, status codes), choose the
sheet, map columns and values, import the valid rows, download the rejects and the mapping,
then upload the newer version with the saved mapping and see what it would change.

The app, the browser and the page fixtures are those of ``test_ui_browser``.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Locator, Page, expect
from test_ui_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    SESSIONS,
    WAIT_MS,
    browser,
    choose,
    db,
    goto,
    open_in_sidebar,
    page,
    server,
    set_name,
    wait_idle,
)

from kgraph.importers import mapping_file
from kgraph.importers.session import ImportSession
from kgraph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser

REGISTERS = Path(__file__).resolve().parent / "data" / "registers"


def _fixture_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_registers", REGISTERS / "make_registers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_registers", module)
    spec.loader.exec_module(module)
    return module


FIXTURE = _fixture_module()


def uploader(pg: Page, label: str) -> Locator:
    return (
        pg.locator('[data-testid="stFileUploader"]')
        .filter(has_text=label)
        .locator("input[type=file]")
    )


def pick(pg: Page, label: str, text: str) -> None:
    """``choose`` for a selectbox whose label is also part of another label."""
    box = pg.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(text)
    pg.get_by_role("option", name=text).first.wait_for(timeout=WAIT_MS)
    box.press("Enter")
    wait_idle(pg)


def selected(pg: Page, label: str) -> str:
    return pg.get_by_role("combobox", name=label, exact=True).input_value()


def test_a_register_and_its_newer_version_through_the_browser(
    page: Page,  # noqa: F811
    db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    pg = page
    goto(pg, "overzicht")
    set_name(pg, "Eva")
    open_in_sidebar(pg, "Importeren")
    uploader(pg, "Bestand (.xlsx of .csv)").set_input_files(str(FIXTURE.V1))
    pg.get_by_text("Kolommen koppelen").wait_for(timeout=WAIT_MS)
    wait_idle(pg)
    # the questions' sheet is proposed, not the title block in front
    assert selected(pg, "Werkblad") == FIXTURE.DATA_SHEET
    choose(pg, "Werkblad", FIXTURE.DATA_SHEET)
    assert pg.get_by_role("spinbutton", name="Rij met kolomnamen").input_value() == str(
        FIXTURE.HEADER_ROW
    )
    # map: organisation from the action holder, theme from Thema
    pick(pg, "Organisatie", "Actiehouder")
    pick(pg, "Kennisthema", "Thema")
    # a new register (the store holds none yet), named once
    assert selected(pg, "Register") == "Nieuw register…"
    register = pg.get_by_role("textbox", name="Naam van het nieuwe register")
    register.fill("kennisagenda")
    register.press("Enter")
    wait_idle(pg)
    pg.get_by_text("beide houden").click()
    wait_idle(pg)
    # map values: status 1 and 2; 3 stays unmapped, so its rows are rejected
    pg.get_by_role("tab", name="Status ← Status").click()
    counts = {str(q[3]): sum(1 for r in FIXTURE.Q if r[3] == q[3]) for q in FIXTURE.Q}
    pick(pg, f"1 ({counts['1']}×)", "open")
    pick(pg, f"2 ({counts['2']}×)", "in behandeling")
    pg.get_by_text("Alleen de goede rijen importeren").click()
    wait_idle(pg)
    pg.get_by_role("button", name="Controleren").click()
    rejected = [q for q in FIXTURE.Q if q[3] == 3]
    pg.get_by_text(f"{len(rejected)} van de {len(FIXTURE.Q)} rijen afgekeurd").wait_for(
        timeout=WAIT_MS
    )

    # the rejects, with their reasons in Dutch naming the file, sheet, row, column, value
    with pg.expect_download() as got:
        pg.get_by_role("button", name="Afgekeurde rijen downloaden (.csv)").click()
    rejects = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text("utf-8-sig"))))
    assert sorted(r["Kennisvraag"] for r in rejects) == sorted(q[2] for q in rejected)
    assert all(
        f'{FIXTURE.V1.name}, blad {FIXTURE.DATA_SHEET}, rij {r["row"]}, kolom E (Status), waarde "3"'
        in r["reasons"]
        for r in rejects
    )
    # the mapping, as the file the CLI reads with --mapping
    with pg.expect_download() as got:
        pg.get_by_role("button", name="Koppeling opslaan").click()
    saved = tmp_path / "kennisagenda.mapping.yaml"
    saved.write_bytes(Path(got.value.path()).read_bytes())
    spec = mapping_file.load_spec(saved)
    assert (spec.sheet, spec.header_row, spec.register, spec.duplicates) == (
        FIXTURE.DATA_SHEET,
        FIXTURE.HEADER_ROW,
        "kennisagenda",
        "keep",
    )
    assert spec.columns["organisation"] == "Actiehouder"
    assert spec.values["status"] == {"1": "open", "2": "in_progress"}

    pg.get_by_role("button", name="Importeren", exact=True).click()
    pg.get_by_text("door Eva").wait_for(timeout=WAIT_MS)
    reader = EmbeddedStore(db, actor="reader")
    try:
        stored = [
            n
            for n in reader.nodes(["knowledge_question"])
            if n.props.get("register") == "kennisagenda"
        ]
        assert sorted(n.title for n in stored) == sorted(q[2] for q in FIXTURE.Q if q[3] != 3)
        assert all(n.source.startswith(f"{FIXTURE.V1.name}, ") for n in stored)

        # months later, in a new session: the newer version, read with the saved mapping
        pg = pg.context.new_page()
        SESSIONS[id(pg)] = SESSIONS[id(page)]
        goto(pg, "overzicht")
        set_name(pg, "Eva")
        open_in_sidebar(pg, "Importeren")
        uploader(pg, "Bestand (.xlsx of .csv)").set_input_files(str(FIXTURE.V2))
        pg.get_by_text("Kolommen koppelen").wait_for(timeout=WAIT_MS)
        wait_idle(pg)
        # its header row is the register's: recognised, with the mapping it was imported with
        expect(pg.get_by_role("combobox", name="Register", exact=True)).to_have_value(
            "kennisagenda", timeout=WAIT_MS
        )
        uploader(pg, "Opgeslagen koppeling gebruiken").set_input_files(str(saved))
        wait_idle(pg)
        # the saved mapping fills the same choices, the register among them
        assert selected(pg, "Register") == "kennisagenda"
        assert selected(pg, "Organisatie") == "Actiehouder"
        pg.get_by_role("tab", name="Status ← Status").click()
        v2_finished = sum(1 for q in FIXTURE._v2_rows() if q[3] == 3)
        pick(pg, f"3 ({v2_finished}×)", "beantwoord")
        pg.get_by_role("button", name="Controleren").click()
        pg.get_by_text("Vergeleken met wat er al van dit register is").wait_for(timeout=WAIT_MS)
        wait_idle(pg)
        spec.values["status"]["3"] = "answered"
        expected = ImportSession(reader, FIXTURE.V2).plan(spec, skip_invalid=True)
        shown = {
            m.get_by_test_id("stMetricLabel").inner_text(): int(
                m.get_by_test_id("stMetricValue").inner_text()
            )
            for m in pg.get_by_test_id("stMetric").all()
        }
        assert shown == {
            "Nieuw": len(expected.register_items),
            "Gewijzigd": len(expected.changed),
            "Ongewijzigd": len(expected.unchanged),
            "Niet meer in de bron": len(expected.gone),
        }
        # the dropped questions that the first import took in are no longer in the source
        dropped = {q[2] for q in FIXTURE.Q if q[0] in FIXTURE.DROPPED and q[3] != 3}
        assert {n.title for n in expected.gone} == dropped
        assert expected.changed and len(expected.register_items) >= len(FIXTURE.ADDED_V2)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.wait_for_load_state("networkidle")
        pg.screenshot(path=str(ARTIFACTS / "importeren-register.png"), full_page=True)
        pg.get_by_text("Vergeleken met wat er al van dit register is").scroll_into_view_if_needed()
        pg.screenshot(path=str(ARTIFACTS / "importeren-vergelijking.png"))

        pg.get_by_role("button", name="Importeren", exact=True).click()
        pg.get_by_text("door Eva").wait_for(timeout=WAIT_MS)
        after = {n.id for n in reader.nodes(["knowledge_question"])}
        assert {n.id for n in stored} <= after  # nothing deleted without the explicit choice
        reworded = [
            n
            for n in reader.nodes(["knowledge_question"])
            if n.title in set(FIXTURE.REWORDED.values())
        ]
        assert reworded and all(n.id in {s.id for s in stored} for n in reworded)
    finally:
        reader.close()
    assert not SESSIONS[id(pg)].outside.urls
