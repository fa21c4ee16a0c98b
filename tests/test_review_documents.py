"""The handover report and the meeting pack in md, html, xlsx and pdf carry the same
numbers as ``kgraph analyse handover --json``; the workbook is formatted (widths, wrapping,
filter, frozen header, status fills, real dates, a "Stand per" cell); the PDF has the
title and date on every page. Both backends, through the command line."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kgraph import actions, decisions, meetings
from kgraph.cli import cli
from kgraph.export.pack import meeting_pack
from kgraph.export.report import handover_report
from kgraph.export.status_style import STATUS_FILLS
from kgraph.seeding import seed_store
from kgraph.store.base import GraphStore

EVIL = '=HYPERLINK("x") <script>alert(1)</script>'
NOW = datetime(2024, 6, 1, 12, 5, tzinfo=UTC)  # 14:05 in Amsterdam
KINDS = ("Complexe vraag", "Community of practice", "Showcase")


@pytest.fixture
def reviewed(store: GraphStore) -> GraphStore:
    seed_store(store)
    meetings.add_meeting(store, "2024-03-12", title="Stuurgroep maart", at="14:00")
    edges = sorted(store.edges(["LANDS_IN"]), key=lambda e: e.key)
    decisions.decide(
        store,
        [decisions.Target.of(e) for e in edges[:3]],
        status="accepted",
        decided_on="2024-05-01",
        decided_by="Stuurgroep",
        note=EVIL,
        allow_before_item=True,
        today=date(2024, 6, 1),
    )
    late = actions.add_action(
        store, edges[0].src, edges[0].dst, what="Brief sturen", owner="Ada", due="2024-05-15"
    )
    assert late.is_overdue(date(2024, 6, 1))
    actions.add_action(store, edges[1].src, edges[1].dst, what=EVIL, owner="Bea", due="2099-01-01")
    done = actions.add_action(store, edges[2].src, edges[2].dst, what="Bellen", owner="Ada")
    actions.complete_action(store, done.id, on="2024-04-01")
    return store


def _json_summary(location: str) -> dict[str, dict[str, int]]:
    result = CliRunner().invoke(cli, ["--store", location, "analyse", "handover", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["summary"]


def _expected_rows(summary: dict[str, dict[str, int]]) -> list[list[int]]:
    order = ("accepted", "in_discussion", "proposed", "declined", "none", "total")
    rows = [[c[k] for k in order] for c in summary.values() if c["total"]]
    return [*rows, [sum(r[i] for r in rows) for i in range(len(order))]]


def _numbers(line: str) -> list[int]:
    return [int(n) for n in re.findall(r"\b\d+\b", line)]


def _summary_from_text(text: str) -> list[list[int]]:
    """The summary rows (one per kind, then the total) as a reader finds them."""
    found = []
    for label in (*KINDS, "Totaal"):
        line = next(line for line in text.splitlines() if label in line and _numbers(line))
        found.append(_numbers(line)[-6:])
    return found


def _pdf_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_every_format_carries_the_numbers_of_the_analysis(
    reviewed: GraphStore, tmp_path: Path
) -> None:
    location = reviewed.location
    summary = _json_summary(location)
    expected = _expected_rows(summary)
    assert len(expected) == 4  # the seed's three kinds that have items, and the total
    runner = CliRunner()
    for command in (["report", "handover"], ["report", "meeting", "--since-meeting", "LAST"]):
        for fmt in ("md", "html", "xlsx", "pdf"):
            out = tmp_path / f"{command[1]}.{fmt}"
            result = runner.invoke(cli, ["--store", location, *command, str(out)])
            assert result.exit_code == 0, result.output
            data = out.read_bytes()
            if fmt == "md":
                found = _summary_from_text(data.decode("utf-8"))
            elif fmt == "html":
                page = data.decode("utf-8")
                rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
                text = "\n".join(
                    " | ".join(htmllib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r))
                    for r in rows
                )
                found = _summary_from_text(text)
            elif fmt == "xlsx":
                sheet = load_workbook(io.BytesIO(data))["Samenvatting"]
                found = [[c.value for c in row[1:]] for row in sheet.iter_rows(min_row=2)]
            else:
                found = _summary_from_text(_pdf_pages(data)[0])
            assert found == expected, (command, fmt)


def test_the_workbook_is_formatted(reviewed: GraphStore) -> None:
    data = meeting_pack(reviewed, "xlsx", since_meeting="LAST", now=NOW)
    book = load_workbook(io.BytesIO(data))
    cover = book["Voorblad"]
    assert cover["A1"].value == "Vergaderstuk stuurgroep"
    assert cover["A2"].value == "Stand per"
    assert cover["B2"].value == datetime(2024, 6, 1, 14, 5)  # a real date-time, Dutch time
    assert cover["B2"].number_format == "DD-MM-YYYY HH:MM"
    decided = book["Besluiten"]
    header = [c.value for c in decided[1]]
    assert header[:5] == ["Item", "Soort", "CoP / thema", "Landingsplaats", "Status"]
    assert decided.freeze_panes == "A2"
    assert decided.auto_filter.ref == f"A1:J{decided.max_row}"
    assert all(decided.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJ")
    assert decided.column_dimensions["A"].width > decided.column_dimensions["B"].width
    assert decided["A1"].font.bold and decided["A2"].alignment.wrap_text
    rows = list(decided.iter_rows(min_row=2))
    assert len(rows) == 3
    for row in rows:
        status, day = row[4], row[5]
        assert status.value == "belegd"
        assert status.fill.fgColor.rgb.endswith(STATUS_FILLS["accepted"][0].lstrip("#"))
        assert day.value == datetime(2024, 5, 1) and day.number_format == "DD-MM-YYYY"
    notes = {row[7].value for row in rows}
    assert notes == {"'" + EVIL}  # a formula is defused
    late = book["Acties"]
    cells = {row[1].value: row for row in late.iter_rows(min_row=2)}
    assert cells["Brief sturen"][3].value == datetime(2024, 5, 15)
    assert cells["Brief sturen"][3].font.bold  # overdue: red and bold
    assert not cells["'" + EVIL][3].font.bold
    english = load_workbook(io.BytesIO(meeting_pack(reviewed, "xlsx", lang="en", now=NOW)))
    assert english["Cover"]["A2"].value == "As of"
    assert [c.value for c in english["Decisions"][1]][:2] == ["Item", "Kind"]
    assert english["Decisions"]["F2"].number_format == "YYYY-MM-DD"


def test_the_pack_says_what_changed_since_the_meeting(reviewed: GraphStore) -> None:
    text = meeting_pack(reviewed, "md", since_meeting="LAST", now=NOW).decode("utf-8")
    assert "**Stand per 1 juni 2024, 14:05**" in text
    assert "Stuurgroep maart (12-03-2024)" in text
    assert "## Besluiten sinds de vorige vergadering (3)" in text
    assert "## Open acties per actiehouder (2, waarvan 1 verlopen)" in text
    assert "## Afgeronde acties sinds de vorige vergadering (1)" in text
    assert "<script>" not in text
    assert "lp:" not in text and "cq:" not in text  # titles, never ids
    page = meeting_pack(reviewed, "html", since_meeting="LAST", now=NOW).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'class="day overdue"' in page and "@page{size:A4" in page
    assert "break-before:page" in page and "thead{display:table-header-group}" in page


def test_the_pdf_has_the_title_and_date_on_every_page(reviewed: GraphStore) -> None:
    pages = _pdf_pages(meeting_pack(reviewed, "pdf", since_meeting="LAST", now=NOW))
    assert len(pages) >= 5  # a page per section
    for number, page in enumerate(pages, start=1):
        assert "Vergaderstuk stuurgroep" in page
        assert "Stand per 1 juni 2024, 14:05" in page
        assert f"Pagina {number} van {len(pages)}" in page
    assert "<script>alert(1)</script>" in "".join(pages)  # user text as text
    english = _pdf_pages(handover_report(reviewed, "pdf", lang="en", now=NOW))
    assert all("As of 1 June 2024, 14:05" in p for p in english)


def test_every_action_exports_to_a_workbook(reviewed: GraphStore) -> None:
    from kgraph.export.actions_export import actions_export

    book = load_workbook(io.BytesIO(actions_export(reviewed, "xlsx", now=NOW)))
    sheet = book["Acties"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Brief sturen", "Bellen", "'" + EVIL}
    assert rows["Bellen"][4].value == datetime(2024, 4, 1)  # done on, a real date
    assert rows["Bellen"][5].value == reviewed.actor  # done by whoever marked it done
    assert rows["Brief sturen"][3].font.bold  # overdue
