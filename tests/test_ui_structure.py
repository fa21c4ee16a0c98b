"""How the dashboard code is put together, checked on its syntax tree so a new page keeps
the rules: every table goes through ``widgets.table`` (whose cells are defused for the
toolbar's CSV download), and the pages that only draw make no store write themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[1] / "kgraph" / "ui"
APP = Path(__file__).resolve().parents[1] / "app.py"
#: Streamlit calls that show a table with a "Download as CSV" toolbar
TABLE_CALLS = {"dataframe", "data_editor", "table"}
#: store writes: pages call ``kgraph.edits`` (or an analysis's accept/dismiss) instead
WRITES = {
    "add_node",
    "update_node",
    "delete_node",
    "add_edge",
    "update_edge",
    "delete_edge",
    "bulk_load",
    "wipe",
}
DRAW_ONLY = ["questions.py", "explore.py", "similar.py", "gaps.py", "export.py"]


def _calls(path: Path) -> list[tuple[str, str, int]]:
    """(object name, attribute, line) of every ``x.attr(...)`` call in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else ""
            out.append((name, node.func.attr, node.lineno))
    return out


def _ui_files() -> list[Path]:
    return [*sorted(UI.rglob("*.py")), APP]


@pytest.mark.parametrize("path", _ui_files(), ids=lambda p: p.name)
def test_tables_are_drawn_only_through_widgets_table(path: Path) -> None:
    if path == UI / "widgets.py":
        return
    direct = [
        f"{path.name}:{line} st.{attr}"
        for owner, attr, line in _calls(path)
        if owner == "st" and attr in TABLE_CALLS
    ]
    assert not direct, f"use widgets.table (cells defused for the CSV download): {direct}"


@pytest.mark.parametrize("name", DRAW_ONLY)
def test_pages_that_only_draw_make_no_store_write(name: str) -> None:
    writes = [
        f"{name}:{line} {owner}.{attr}()"
        for owner, attr, line in _calls(UI / "pages" / name)
        if attr in WRITES and owner != "edits"
    ]
    assert not writes, f"write through kgraph.edits instead: {writes}"
