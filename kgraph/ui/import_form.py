"""The choices of the Importeren page: sheet, header row, kind, register, duplicates, the
column mapping and the value mapping, drawn as widgets and returned as an ``ImportSpec``
(the same object ``kgraph import table --mapping FILE.yaml`` reads).

Defaults come from the library, as in the CLI: the sheet with the most question-like rows,
the detected header row, columns suggested from their names. A mapping file the person
uploads fills the widgets instead. Widget keys carry the sheet and header row, so choosing
another header row starts again from the suggestions for its columns.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.errors import InputError
from kgraph.importers import mapping, mapping_file, tabular_source
from kgraph.importers import table as table_importer
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS, QUESTION_STATUSES
from kgraph.ui import i18n, widgets
from kgraph.ui.i18n import t

PREVIEW_ROWS = 8
NOT_MAPPED = ""
AS_WRITTEN = ""
#: fields whose values are chosen from a fixed list (others are free text)
VALUE_CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(QUESTION_STATUSES),
    "handover_status": tuple(HANDOVER_STATUSES),
}
SPEC_UPLOAD = "import_spec_upload"
SPEC_APPLIED = "import_spec_applied"
# "keep_" keys survive runs that do not draw them (see ``state.keep_widget_state``), so the
# choices made for one version of a register are there for the next upload
SHEET = "keep_import_sheet"
KIND = "keep_import_kind"
REGISTER = "keep_import_register"  # one per uploaded file name: see ``register_key``
DUPLICATES = "keep_import_duplicates"


@dataclass
class Upload:
    """The uploaded table: its bytes and the name it had on the person's computer."""

    name: str
    data: bytes

    @property
    def is_csv(self) -> bool:
        return Path(self.name).suffix.lower() in tabular_source.CSV_SUFFIXES

    def file(self) -> io.BytesIO:
        return io.BytesIO(self.data)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@st.cache_data(max_entries=8, show_spinner=False)
def _rows(digest: str, name: str, sheet: str | None, _data: bytes) -> list[list[Any]]:
    """The sheet's rows, read once per upload and sheet (openpyxl is slow on big files)."""
    return tabular_source.read_rows(io.BytesIO(_data), sheet=sheet, name=name).rows


@st.cache_data(max_entries=8, show_spinner=False)
def _sheets(digest: str, name: str, _data: bytes) -> tuple[list[str], str | None]:
    names = tabular_source.sheet_names(io.BytesIO(_data), name=name)
    return names, tabular_source.choose_sheet(io.BytesIO(_data), name=name)


def field_label(name: str) -> str:
    key = f"import_field_{name}"
    return t(key) if key in i18n.STRINGS else name


def value_label(name: str, value: str) -> str:
    """A status (question or handover) in the UI language; other values as they are."""
    return i18n.status_label(value) if name in VALUE_CHOICES else value


def _labels(labels: dict[str, str]) -> Callable[[str], str]:
    """An option formatter with its texts fixed now, in this run's language: Streamlit may
    call it again outside the run, where the language cannot be looked up."""
    return lambda option: labels.get(option, option)


def _value_format(name: str) -> Callable[[str], str]:
    labels = {v: value_label(name, v) for v in VALUE_CHOICES.get(name, ())}
    return _labels({AS_WRITTEN: t("import_as_written"), **labels})


def _load_spec(upload: Upload) -> mapping_file.ImportSpec | None:
    """The mapping file the person uploaded, once: its choices are written into the
    widgets' state before they are drawn."""
    spec_file = st.file_uploader(
        t("import_spec_file"), type=["yaml", "yml"], key=SPEC_UPLOAD, help=t("import_spec_help")
    )
    if spec_file is None:
        st.session_state.pop(SPEC_APPLIED, None)
        return None
    data = spec_file.getvalue()
    try:
        spec = mapping_file.parse_spec(data.decode("utf-8-sig"), spec_file.name)
    except (InputError, UnicodeDecodeError) as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return None
    marker = hashlib.sha256(data).hexdigest() + upload.digest
    if st.session_state.get(SPEC_APPLIED) != marker:
        st.session_state[SPEC_APPLIED] = marker
        _apply_spec(spec, upload)
        st.toast(t("import_spec_loaded", name=widgets.md(spec_file.name)))
    return spec


def context(sheet: str | None, header_row: int) -> str:
    return hashlib.sha1(f"{sheet}\x00{header_row}".encode()).hexdigest()[:10]


def header_key(sheet: str | None) -> str:
    return f"keep_import_header_{sheet}"


def map_key(ctx: str, name: str) -> str:
    return f"keep_import_map_{ctx}_{name}"


def value_key(name: str, value: str) -> str:
    """The widget key of what ``value`` in the column mapped to ``name`` becomes."""
    return "keep_import_val_" + hashlib.sha1(f"{name}\x00{value}".encode()).hexdigest()[:12]


def register_key(upload: Upload) -> str:
    """Each file name has its own register field, starting from the file's stem: typing
    one for a file never leaks into the next, and nothing has to overwrite the field."""
    return f"{REGISTER}_{hashlib.sha1(upload.name.encode()).hexdigest()[:10]}"


def _apply_spec(spec: mapping_file.ImportSpec, upload: Upload) -> None:
    """Put the file's choices into the widgets' state (they are drawn after this)."""
    ss = st.session_state
    if spec.sheet:
        ss[SHEET] = spec.sheet
    if spec.header_row:
        ss[header_key(spec.sheet)] = spec.header_row
        ctx = context(spec.sheet, spec.header_row)
        for name in table_importer.FIELDS:
            ss[map_key(ctx, name)] = spec.columns.get(name, NOT_MAPPED)
    ss[KIND] = spec.kind
    if spec.register:
        ss[register_key(upload)] = spec.register
    ss[DUPLICATES] = spec.duplicates
    for name, values in spec.values.items():
        for old, new in values.items():
            ss[value_key(name, old)] = new


def _sheet(upload: Upload) -> str | None | bool:
    """The chosen sheet (``None`` for a CSV file); ``False`` when the file is unreadable."""
    if upload.is_csv:
        return None
    try:
        names, best = _sheets(upload.digest, upload.name, upload.data)
    except InputError as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return False
    if st.session_state.get("import_sheet") not in names:
        st.session_state[SHEET] = best or names[0]
    return str(st.selectbox(t("import_sheet"), names, key=SHEET, help=t("import_sheet_help")))


def _preview(rows: list[list[Any]]) -> None:
    width = max((len(r) for r in rows[:PREVIEW_ROWS]), default=0)
    frame = pd.DataFrame(
        [[mapping.cell_text(v) for v in r] + [""] * (width - len(r)) for r in rows[:PREVIEW_ROWS]],
        columns=[table_importer.column_letter(i) for i in range(width)],
        index=range(1, min(len(rows), PREVIEW_ROWS) + 1),
    )
    st.caption(t("import_preview"))
    widgets.table(frame, width="stretch")


def _columns_table(headers: list[str], body: list[list[Any]], chosen: dict[str, str]) -> None:
    """Every named column with sample values and the field it fills."""
    field_of = {column: name for name, column in chosen.items()}
    table = [
        {
            t("import_col_letter"): table_importer.column_letter(i),
            t("import_col_header"): h,
            t("import_col_samples"): " · ".join(mapping.samples(body, i)),
            t("import_col_field"): field_label(field_of[h])
            if h in field_of
            else t("import_as_property"),
        }
        for i, h in enumerate(headers)
        if h
    ]
    widgets.table(pd.DataFrame(table), hide_index=True, width="stretch")


def _mapping(headers: list[str], ctx: str) -> dict[str, str]:
    named = [h for h in headers if h]
    suggested = mapping.suggest_mapping(named, table_importer.FIELDS)
    chosen: dict[str, str] = {}
    options = [NOT_MAPPED, *dict.fromkeys(named)]
    cols = st.columns(4)
    for i, name in enumerate(table_importer.FIELDS):
        key = map_key(ctx, name)
        if st.session_state.get(key) not in options:
            st.session_state[key] = suggested.get(name, NOT_MAPPED)
        column = cols[i % 4].selectbox(
            field_label(name),
            options,
            format_func=_labels({NOT_MAPPED: t("import_not_mapped")}),
            key=key,
        )
        if column:
            chosen[name] = column
    return chosen


def _values(
    headers: list[str], rows: list[list[Any]], header_row: int, chosen: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Per mapped column, its distinct values and what each becomes."""
    mappable = [n for n in chosen if n not in ("id", "title", "text")]
    if not mappable:
        return {}
    st.markdown(f"**{t('import_values')}**")
    st.caption(t("import_values_help"))
    out: dict[str, dict[str, str]] = {}
    tabs = st.tabs([f"{field_label(n)} ← {widgets.md(chosen[n])}" for n in mappable])
    for tab, name in zip(tabs, mappable, strict=True):
        column = headers.index(chosen[name])
        found = mapping.distinct_values(rows[header_row:], column)
        with tab:
            if not found:
                st.caption(t("import_values_none"))
                continue
            choices = VALUE_CHOICES.get(name)
            grid = st.columns(3)
            for i, (value, count) in enumerate(found):
                key = value_key(name, value)
                label = t("import_value_from", value=widgets.md(value), n=count)
                if choices is not None:
                    options = [AS_WRITTEN, *choices]
                    if st.session_state.get(key) not in options:
                        st.session_state[key] = AS_WRITTEN
                    target = grid[i % 3].selectbox(
                        label, options, format_func=_value_format(name), key=key
                    )
                else:
                    target = grid[i % 3].text_input(label, key=key, placeholder=value)
                target = str(target or "").strip()
                if target and target != value:
                    out.setdefault(name, {})[value] = target
    return out


def choose(upload: Upload) -> mapping_file.ImportSpec | None:
    """Draw every choice for ``upload``; the resulting spec, or ``None`` while the table
    cannot be read (the reason is shown)."""
    st.session_state.setdefault(
        register_key(upload), table_importer.register_name(None, upload.name)
    )
    _load_spec(upload)
    sheet = _sheet(upload)
    if sheet is False:
        return None
    sheet_name = sheet if isinstance(sheet, str) else None
    try:
        rows = _rows(upload.digest, upload.name, sheet_name, upload.data)
    except InputError as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return None
    if not rows:
        st.warning(t("import_empty"))
        return None
    _preview(rows)
    detected = tabular_source.detect_header_row(rows) or 1
    c1, c2, c3, c4 = st.columns(4)
    hkey = header_key(sheet_name)
    if not 1 <= int(st.session_state.get(hkey, 0)) <= len(rows):
        st.session_state[hkey] = detected
    # no max_value: a bound that changes with the file would make Streamlit treat the
    # field as a new widget and forget the row chosen for the previous version
    header_row = min(
        int(
            c1.number_input(
                t("import_header_row"),
                min_value=1,
                step=1,
                key=hkey,
                help=t("import_header_help", row=detected),
            )
        ),
        len(rows),
    )
    st.session_state.setdefault(KIND, "knowledge_question")
    kind = str(
        c2.selectbox(
            t("import_kind"),
            list(NODE_KINDS),
            format_func=_labels({k: i18n.kind_label(k) for k in NODE_KINDS}),
            key=KIND,
        )
    )
    register = str(
        c3.text_input(
            t("import_register"), key=register_key(upload), help=t("import_register_help")
        )
    ).strip()
    st.session_state.setdefault(DUPLICATES, "refuse")
    duplicates = str(
        c4.radio(
            t("import_duplicates"),
            ["refuse", "keep"],
            format_func=_labels({d: t(f"import_duplicates_{d}") for d in ("refuse", "keep")}),
            key=DUPLICATES,
            help=t("import_duplicates_help"),
        )
    )
    headers = [mapping.cell_text(v) for v in rows[header_row - 1]]
    ctx = context(sheet_name, header_row)
    st.markdown(f"**{t('import_mapping')}**")
    st.caption(t("import_mapping_help"))
    chosen = _mapping(headers, ctx)
    _columns_table(headers, rows[header_row:], chosen)
    values = _values(headers, rows, header_row, chosen)
    return mapping_file.ImportSpec(
        kind=kind,
        sheet=sheet_name,
        header_row=header_row,
        register=register or None,
        columns=chosen,
        values=values,
        duplicates=duplicates,
        by_name=False,
    )
