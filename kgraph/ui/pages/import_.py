"""Importeren: upload an xlsx/csv, choose sheet and header row, map columns to fields
(suggested from the headers), check everything (a dry run listing every problem with its
row), then import all-or-nothing with a progress bar.

The upload stays in memory; the table importer reads files, so the bytes are written to a
private temporary folder under a fixed name (never the uploaded file's name) for the call.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.errors import InputError, KGraphError
from kgraph.export.ziplimits import check_zip
from kgraph.importers import ImportBatch, apply_batch
from kgraph.importers import table as table_importer
from kgraph.importers.tabular_source import read_rows
from kgraph.model import NODE_KINDS
from kgraph.ui import i18n, mapping, state, widgets
from kgraph.ui.i18n import t

SUFFIXES = {"xlsx": ".xlsx", "xlsm": ".xlsm", "csv": ".csv"}
UPLOAD = "import_upload"
CHECKED = "import_checked"
PREVIEW_ROWS = 8
CHUNK = 500
NOT_MAPPED = ""


@contextmanager
def as_file(data: bytes, suffix: str) -> Iterator[Path]:
    """``data`` as a file named ``upload<suffix>`` in a fresh private folder, removed after."""
    with tempfile.TemporaryDirectory(prefix="kgraph-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        yield path


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an xlsx workbook given as bytes."""
    from openpyxl import load_workbook

    # A tiny upload can inflate to gigabytes: refuse it before openpyxl unpacks anything.
    check_zip(io.BytesIO(data), "upload")
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def shown_name(text: str, display: str, suffix: str) -> str:
    """A message about the temporary file, naming the uploaded file instead."""
    return text.replace(f"upload{suffix}", display)


def apply_in_chunks(batch: ImportBatch, actor: str, progress: Any = None) -> tuple[int, int]:
    """Write ``batch`` in one transaction (all or nothing), in chunks so that a progress
    bar can move: nodes first, then edges (which may point at those nodes)."""
    parts = [
        ImportBatch(batch.source, nodes=batch.nodes[i : i + CHUNK])
        for i in range(0, len(batch.nodes), CHUNK)
    ]
    parts += [
        ImportBatch(batch.source, edges=batch.edges[i : i + CHUNK])
        for i in range(0, len(batch.edges), CHUNK)
    ]
    added_nodes = added_edges = 0
    with state.edit() as store:
        for done, part in enumerate(parts, start=1):
            result = apply_batch(store, part, actor=actor)
            added_nodes += result.nodes_added
            added_edges += result.edges_added
            if progress is not None:
                progress(done, len(parts))
    return added_nodes, added_edges


def _options(data: bytes, suffix: str) -> dict[str, Any] | None:
    """Sheet, header row, kind and mapping chosen on the page (None until a header exists)."""
    sheet = None
    if suffix != ".csv":
        try:
            sheets = sheet_names(data)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            st.error(t("import_unreadable", error=widgets.md(exc)))
            return None
        sheet = st.selectbox(t("import_sheet"), sheets, key="import_sheet")
    with as_file(data, suffix) as path:
        try:
            rows = read_rows(path, sheet=sheet).rows
        except InputError as exc:
            st.error(widgets.md(shown_name(str(exc), st.session_state[UPLOAD].name, suffix)))
            return None
    if not rows:
        st.warning(t("import_empty"))
        return None
    width = max(len(r) for r in rows[:PREVIEW_ROWS])
    preview = pd.DataFrame(
        [
            [("" if v is None else str(v)) for v in r] + [""] * (width - len(r))
            for r in rows[:PREVIEW_ROWS]
        ],
        columns=[table_importer.column_letter(i) for i in range(width)],
        index=range(1, min(len(rows), PREVIEW_ROWS) + 1),
    )
    st.caption(t("import_preview"))
    widgets.table(preview, width="stretch")
    c1, c2 = st.columns(2)
    header_row = int(
        c1.number_input(
            t("import_header_row"), min_value=1, max_value=len(rows), value=1, key="import_header"
        )
    )
    kind = c2.selectbox(
        t("import_kind"), list(NODE_KINDS), format_func=i18n.kind_label, key="import_kind"
    )
    headers = [("" if v is None else str(v).strip()) for v in rows[header_row - 1]]
    named = [h for h in headers if h]
    suggested = mapping.suggest_mapping(named, table_importer.FIELDS)
    st.markdown(f"**{t('import_mapping')}**")
    st.caption(t("import_mapping_help"))
    chosen: dict[str, str] = {}
    cols = st.columns(4)
    for i, field in enumerate(table_importer.FIELDS):
        options = [NOT_MAPPED, *named]
        default = suggested.get(field, NOT_MAPPED)
        column = cols[i % 4].selectbox(
            t(f"import_field_{field}"),
            options,
            index=options.index(default) if default in options else 0,
            format_func=lambda h: h or t("import_not_mapped"),
            key=f"import_map_{header_row}_{field}",
        )
        if column:
            chosen[field] = column
    rest = mapping.unmapped(named, chosen)
    if rest:
        st.caption(t("import_rest", columns=widgets.md(", ".join(rest))))
    return {"sheet": sheet, "header_row": header_row, "kind": kind, "mapping": chosen}


def _move(bar: Any, done: int, total: int, text: str) -> None:
    bar.progress(done / max(total, 1), text=text)


def _signature(data: bytes, options: dict[str, Any]) -> str:
    digest = hashlib.sha256(data)
    digest.update(repr(sorted(options.items(), key=lambda kv: kv[0])).encode())
    return digest.hexdigest()


def _check(data: bytes, suffix: str, options: dict[str, Any]) -> None:
    display = st.session_state[UPLOAD].name
    bar = st.progress(0.0, text=t("import_checking"))
    with as_file(data, suffix) as path:
        try:
            result = table_importer.read_table(
                path,
                mapping=options["mapping"],
                kind=options["kind"],
                sheet=options["sheet"],
                header_row=options["header_row"],
                store=state.store(),
                progress=lambda done, total: _move(bar, done, total, t("import_checking")),
            )
        except KGraphError as exc:
            bar.empty()
            st.session_state[CHECKED] = {"error": shown_name(str(exc), display, suffix)}
            return
    bar.empty()
    st.session_state[CHECKED] = {
        "signature": _signature(data, options),
        "rows": result.rows_read,
        "problems": [shown_name(str(p), display, suffix) for p in result.problems],
        "batch": result.batch if not result.problems else None,
    }


def _show_check(data: bytes, options: dict[str, Any]) -> ImportBatch | None:
    checked = st.session_state.get(CHECKED)
    if not checked:
        return None
    if "error" in checked:
        st.error(widgets.md(checked["error"]), icon=":material/error:")
        return None
    if checked["signature"] != _signature(data, options):
        st.info(t("import_recheck"))
        return None
    if checked["problems"]:
        st.error(
            t("import_problems", n=len(checked["problems"]), rows=checked["rows"]),
            icon=":material/error:",
        )
        widgets.table(
            pd.DataFrame({t("import_problem"): checked["problems"]}),
            hide_index=True,
            width="stretch",
        )
        return None
    batch: ImportBatch = checked["batch"]
    summary = batch.summary()
    st.success(t("import_ok", rows=checked["rows"], nodes=len(batch.nodes), edges=len(batch.edges)))
    table = [
        {t("col_kind"): i18n.kind_label(k), t("col_count"): n} for k, n in summary["nodes"].items()
    ]
    table += [
        {t("col_kind"): i18n.edge_label(k), t("col_count"): n} for k, n in summary["edges"].items()
    ]
    widgets.table(pd.DataFrame(table), hide_index=True)
    for note in batch.notes:
        st.caption(widgets.md(note))
    return batch


def render() -> None:
    st.title(t("page_import"))
    st.caption(t("import_intro"))
    if not state.can("import"):
        st.info(t("read_only"), icon=":material/visibility:")
        return
    if not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    upload = st.file_uploader(t("import_file"), type=list(SUFFIXES), key=UPLOAD)
    if upload is None:
        st.session_state.pop(CHECKED, None)
        return
    suffix = SUFFIXES.get(Path(upload.name).suffix.lower().lstrip("."), "")
    if not suffix:
        st.error(t("import_type"))
        return
    data = upload.getvalue()
    options = _options(data, suffix)
    if options is None:
        return
    if st.button(t("import_check"), key="import_check", icon=":material/fact_check:"):
        _check(data, suffix, options)
    batch = _show_check(data, options)
    if batch is None:
        return
    if st.button(t("import_go"), key="import_go", type="primary", disabled=not state.actor()):
        bar = st.progress(0.0, text=t("import_writing"))
        try:
            nodes, edges = apply_in_chunks(
                batch,
                state.actor(),
                lambda done, total: _move(bar, done, total, t("import_writing")),
            )
        except KGraphError as exc:
            bar.empty()
            widgets.show_error(exc)
            return
        bar.empty()
        st.session_state.pop(CHECKED, None)
        st.success(
            t("import_done", nodes=nodes, edges=edges, who=widgets.md(state.actor())),
            icon=":material/check:",
        )


if __name__ == "__main__":
    render()
