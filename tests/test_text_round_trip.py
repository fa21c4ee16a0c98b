"""Arbitrary text survives every import: tables (CSV, XLSX) and kgraph's own exports read
back through ``kgraph import graph`` into a store.

``test_export.py`` already proves that each export format reads back exactly; these add
what a person does next: import the file into a store, and import the tables people keep.
The table importer tidies on purpose (a title's runs of whitespace become one space; text
and properties are trimmed), so those are compared tidied. NUL is refused in CSV files
(``tests/data/bad/nul_bytes.csv``) and XML cannot hold C0 controls, so those are left out.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from test_export import XML_FORMATS, comparable, random_graphs

from kgraph.export import export_bytes
from kgraph.export.safe import XML_INVALID
from kgraph.importers import apply_batch, table
from kgraph.importers import graph as graph_importer
from kgraph.store.base import Subgraph
from kgraph.store.embedded import EmbeddedStore

_ANY = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
_XML_SAFE = st.characters(
    blacklist_categories=["Cs", "Cc"],
    whitelist_characters="\t\n",
    blacklist_characters="\ufffe\uffff",
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _rows() -> st.SearchStrategy[list[tuple[str, str, str]]]:
    return st.lists(
        st.tuples(st.text(_ANY, max_size=40), st.text(_ANY), st.text(_ANY)), min_size=1, max_size=5
    )


def _check(path: Path, rows: list[tuple[str, str, str]]) -> None:
    batch = table.read(path, mapping={"title": "Vraag", "text": "Toelichting", "owner": "Eigenaar"})
    got = sorted((n.title, n.text, n.props.get("owner", "")) for n in batch.nodes)
    assert got == sorted((_tidy(t), x.strip(), o.strip()) for t, x, o in rows)


def _usable(rows: list[tuple[str, str, str]]) -> bool:
    titles = [_tidy(t) for t, _, _ in rows]
    return all(titles) and len({table.make_id("knowledge_question", t) for t in titles}) == len(
        titles
    )


@SETTINGS
@given(rows=_rows(), delimiter=st.sampled_from([";", ","]), bom=st.booleans())
def test_csv_table_keeps_any_text(
    rows: list[tuple[str, str, str]], delimiter: str, bom: bool
) -> None:
    """As Excel writes CSV (minimal quoting, CRLF), with the delimiter and BOM detected."""
    assume(_usable(rows))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Vraag", "Toelichting", "Eigenaar"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
        _check(path, rows)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(st.text(_XML_SAFE, max_size=40), st.text(_XML_SAFE), st.text(_XML_SAFE)),
        min_size=1,
        max_size=5,
    )
)
def test_xlsx_table_keeps_any_text(rows: list[tuple[str, str, str]]) -> None:
    """Text cells as a spreadsheet stores them (a leading ``=`` is text, not a formula)."""
    assume(_usable(rows))
    book = Workbook()
    sheet = book.active
    sheet.append(["Vraag", "Toelichting", "Eigenaar"])
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column)
            cell.value = value
            cell.data_type = "s"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        book.save(path)
        _check(path, rows)


SUFFIX = {"json": ".json", "graphml": ".graphml", "gexf": ".gexf", "csv": ".zip", "xlsx": ".xlsx"}


@SETTINGS
@given(sub=random_graphs(), fmt=st.sampled_from(sorted(SUFFIX)))
def test_exports_import_into_a_store_unchanged(sub: Subgraph, fmt: str) -> None:
    """Export, ``kgraph import graph`` the file into an empty store, export the store:
    the same nodes and edges (XML formats drop only what XML 1.0 cannot hold)."""
    xml = fmt in XML_FORMATS
    # a title made only of characters XML cannot hold has nothing left to write
    assume(not xml or all(XML_INVALID.sub("", n.title).strip() for n in sub.nodes.values()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"g{SUFFIX[fmt]}"
        path.write_bytes(export_bytes(sub, fmt))
        store = EmbeddedStore(Path(folder) / "s.db", actor="tester")
        try:
            apply_batch(store, graph_importer.read(path))
            back = store.export_all()
        finally:
            store.close()
    assert comparable(back, xml=xml) == comparable(sub, xml=xml)
