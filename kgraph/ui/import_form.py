"""The questions of an import session, drawn as widgets: sheet, header row, kind, register,
duplicates, how placements count, the column mapping and the value mapping; the answers
are an ``ImportSpec`` (the same object ``kgraph import table --mapping FILE.yaml`` reads).

Every default comes from the session (``kgraph.importers.session.ImportSession``), as in
the CLI: the sheet with the most question-like rows, the detected header row, columns
suggested from their names, the register whose layout the header row is. A mapping file
the person uploads, or the recognised register's remembered mapping, fills the widgets
instead. Widget keys carry the sheet and header row, so choosing another header row starts
again from the suggestions for its columns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.errors import InputError
from kgraph.importers import mapping_file, tabular_source
from kgraph.importers import table as table_importer
from kgraph.importers.registers import Register, register_id
from kgraph.importers.session import ImportSession
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS, QUESTION_STATUSES
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

PREVIEW_ROWS = 8
NOT_MAPPED = ""
AS_WRITTEN = ""
#: a value mapped to nothing ("Not included": no landing place)
NOTHING = "\x00nothing"
#: the register choice that starts a new register
NEW_REGISTER = "\x00new"
#: fields whose values are chosen from a fixed list (others are free text)
VALUE_CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(QUESTION_STATUSES),
    "handover_status": tuple(HANDOVER_STATUSES),
}
#: fields whose values may point at an existing landing place or organisation, or nothing
PLACE_FIELDS = ("placed_at", "landing_place", "organisation")
SPEC_UPLOAD = "import_spec_upload"
SPEC_APPLIED = "import_spec_applied"
RECOGNISED_APPLIED = "import_recognised_applied"
# "keep_" keys survive runs that do not draw them (see ``state.keep_widget_state``), so the
# choices made for one version of a register are there for the next upload
SHEET = "keep_import_sheet"
KIND = "keep_import_kind"
REGISTER = "keep_import_register"  # one per uploaded file name: see ``register_key``
DUPLICATES = "keep_import_duplicates"
PLACED = "keep_import_placed_status"


@dataclass
class Upload:
    """The uploaded table: its bytes and the name it had on the person's computer."""

    name: str
    data: bytes

    @property
    def is_csv(self) -> bool:
        return Path(self.name).suffix.lower() in tabular_source.CSV_SUFFIXES

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Choices:
    """What the person chose: the spec, and the register's name as written."""

    spec: mapping_file.ImportSpec
    register_name: str


def session(upload: Upload) -> ImportSession:
    """The import session of ``upload``, kept for the browser session (so the workbook is
    read once), on this run's store (the person's guard)."""
    key = f"import_session_{upload.digest}_{hashlib.sha1(upload.name.encode()).hexdigest()}"
    found = st.session_state.get(key)
    if not isinstance(found, ImportSession):
        for old in [k for k in st.session_state if str(k).startswith("import_session_")]:
            del st.session_state[old]  # one upload at a time: drop the last one's rows
        found = ImportSession(state.store(), upload.data, name=upload.name, lang=i18n.lang())
        st.session_state[key] = found
    found.store, found.lang, found.actor = state.store(), i18n.lang(), state.actor()
    return found


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: letters, digits, spaces and plain punctuation as
    they are, every other character as a CSS escape, so nothing can end the string or the
    style element."""
    kept = " .,:;()'-"
    return '"' + "".join(c if c.isalnum() or c in kept else f"\\{ord(c):x} " for c in text) + '"'


def uploader_texts() -> None:
    """Streamlit writes its file uploaders' button and size line in English only
    (hard-coded in its front end): replace them, by style alone, with the catalogue's
    texts in the UI language. The one HTML the dashboard writes besides the network page:
    a style element of constant rules and ``css_string`` texts, no markup, no user text."""
    button, limits = css_string(t("import_upload_button")), css_string(t("import_upload_hint"))
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        "<style>"
        f'{dropzone} [data-testid="stBaseButton-secondary"] p {{font-size: 0}}'
        f'{dropzone} [data-testid="stBaseButton-secondary"] p::after '
        f"{{content: {button}; font-size: 1rem}}"
        f'{dropzone} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0}}'
        f'{dropzone} [data-testid="stFileUploaderDropzoneInstructions"] span::after '
        f"{{content: {limits}; font-size: 0.875rem}}"
        "</style>"
    )


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
    """The register chosen for this file name (an existing one, or ``NEW_REGISTER``)."""
    return f"{REGISTER}_{hashlib.sha1(upload.name.encode()).hexdigest()[:10]}"


def new_register_key(upload: Upload) -> str:
    """The name of a new register for this file name, starting from the file's stem."""
    return register_key(upload) + "_new"


def _apply_spec(spec: mapping_file.ImportSpec, upload: Upload, known: list[Register]) -> None:
    """Put the choices of a mapping file (or a register's remembered mapping) into the
    widgets' state; they are drawn after this."""
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
        slug = register_id(spec.register, upload.name)
        if any(r.id == slug for r in known):
            ss[register_key(upload)] = slug
        else:
            ss[register_key(upload)] = NEW_REGISTER
            ss[new_register_key(upload)] = spec.register
    ss[DUPLICATES] = spec.duplicates
    ss[PLACED] = spec.placed_status
    for name, values in spec.values.items():
        for old, new in values.items():
            ss[value_key(name, old)] = NOTHING if new == "" and name in PLACE_FIELDS else new


def _load_spec(upload: Upload, known: list[Register]) -> bool:
    """The mapping file the person uploaded, applied once; whether one is there."""
    spec_file = st.file_uploader(
        t("import_spec_file"), type=["yaml", "yml"], key=SPEC_UPLOAD, help=t("import_spec_help")
    )
    if spec_file is None:
        st.session_state.pop(SPEC_APPLIED, None)
        return False
    data = spec_file.getvalue()
    try:  # the same bounded loader as kgraph import table --mapping
        spec = mapping_file.parse_spec(data, spec_file.name)
    except InputError as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return True
    marker = hashlib.sha256(data).hexdigest() + upload.digest
    if st.session_state.get(SPEC_APPLIED) != marker:
        st.session_state[SPEC_APPLIED] = marker
        _apply_spec(spec, upload, known)
        st.toast(t("import_spec_loaded", name=widgets.md(spec_file.name)))
    return True


def _recognise(upload: Upload, work: ImportSession, known: list[Register], sheet: Any) -> None:
    """Fill in a known register's remembered mapping when this file's header row is its
    layout (once per upload), before any widget is drawn."""
    ss = st.session_state
    sheet_name = sheet if isinstance(sheet, str) else None
    header_row = int(ss.get(header_key(sheet_name)) or work.header_row(sheet_name))
    headers = work.headers(sheet_name, header_row)
    found = work.recognised_register(headers)
    marker = f"{upload.digest}\x00{upload.name}"
    if found is None or ss.get(RECOGNISED_APPLIED) == marker:
        return
    ss[RECOGNISED_APPLIED] = marker
    ss[register_key(upload)] = found.id
    if found.spec:
        try:
            spec = mapping_file.spec_from_dict(dict(found.spec), found.name)
        except InputError:
            return
        _apply_spec(spec, upload, known)
    st.toast(t("import_recognised", register=widgets.md(found.name)))


def _sheet(upload: Upload, work: ImportSession) -> str | None | bool:
    """The chosen sheet (``None`` for a CSV file); ``False`` when the file is unreadable."""
    if upload.is_csv:
        return None
    try:
        names, best = work.sheets, work.suggested_sheet
    except InputError as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return False
    if st.session_state.get(SHEET) not in names:
        st.session_state[SHEET] = best or names[0]
    return str(st.selectbox(t("import_sheet"), names, key=SHEET, help=t("import_sheet_help")))


def _preview(rows: list[list[Any]]) -> None:
    from kgraph.importers import mapping

    width = max((len(r) for r in rows[:PREVIEW_ROWS]), default=0)
    frame = pd.DataFrame(
        [[mapping.cell_text(v) for v in r] + [""] * (width - len(r)) for r in rows[:PREVIEW_ROWS]],
        columns=[table_importer.column_letter(i) for i in range(width)],
        index=range(1, min(len(rows), PREVIEW_ROWS) + 1),
    )
    st.caption(t("import_preview"))
    widgets.table(frame, width="stretch")


def _columns_table(
    work: ImportSession, headers: list[str], rows: list[list[Any]], chosen: dict[str, str]
) -> None:
    """Every named column with sample values and the field it fills."""
    from kgraph.importers import mapping

    field_of = {column: name for name, column in chosen.items()}
    table = [
        {
            t("import_col_letter"): table_importer.column_letter(i),
            t("import_col_header"): h,
            t("import_col_samples"): " · ".join(mapping.samples(rows, i)),
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
    suggested = ImportSession.suggested_columns(headers)
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


def _place_options(name: str) -> dict[str, str]:
    """The existing landing places and organisations a value of ``name`` may point at,
    id -> "Kind: title"."""
    kinds = ("landing_place", "organisation") if name == "placed_at" else (name,)
    nodes = state.nodes(list(kinds))
    return {n.id: f"{i18n.kind_label(n.kind)}: {n.title}" for n in nodes}


def _value_widget(
    grid: Any, i: int, name: str, value: str, count: int, places: dict[str, str] | None
) -> str | None:
    """What ``value`` becomes: as written (``None``), nothing (``""``) or another value."""
    key = value_key(name, value)
    label = t("import_value_from", value=widgets.md(value), n=count)
    choices = VALUE_CHOICES.get(name)
    if choices is not None or places is not None:
        if places is not None:
            options = [AS_WRITTEN, NOTHING, *places]
            labels = {
                AS_WRITTEN: t("import_as_written_place"),
                NOTHING: t("import_value_nothing"),
                **places,
            }
        else:
            options = [AS_WRITTEN, *(choices or ())]
            labels = {AS_WRITTEN: t("import_as_written")}
            labels.update({v: value_label(name, v) for v in choices or ()})
        if st.session_state.get(key) not in options:
            st.session_state[key] = AS_WRITTEN
        target = str(grid[i % 3].selectbox(label, options, format_func=_labels(labels), key=key))
    else:
        target = str(grid[i % 3].text_input(label, key=key, placeholder=value) or "").strip()
    if target == NOTHING:
        return ""
    return target if target and target != value else None


def _values(
    work: ImportSession,
    sheet: str | None,
    headers: list[str],
    header_row: int,
    chosen: dict[str, str],
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
        found = work.column_values(sheet, header_row, headers.index(chosen[name]))
        places = _place_options(name) if name in PLACE_FIELDS else None
        with tab:
            if not found:
                st.caption(t("import_values_none"))
                continue
            if places is not None:
                st.caption(t("import_values_place_help"))
            grid = st.columns(3)
            for i, (value, count) in enumerate(found):
                target = _value_widget(grid, i, name, value, count, places)
                if target is not None:
                    out.setdefault(name, {})[value] = target
    return out


def _register(column: Any, upload: Upload, known: list[Register]) -> str:
    """The register chosen (an existing one, or a new one named here); its name."""
    key, new_key = register_key(upload), new_register_key(upload)
    options = [NEW_REGISTER, *(r.id for r in known)]
    names = {r.id: r.name for r in known}
    stem = register_id(None, upload.name)
    if st.session_state.get(key) not in options:
        st.session_state[key] = stem if stem in names else NEW_REGISTER
    st.session_state.setdefault(new_key, Path(upload.name).stem)
    labels = {NEW_REGISTER: t("import_register_new"), **names}
    chosen = str(
        column.selectbox(
            t("import_register"),
            options,
            format_func=_labels(labels),
            key=key,
            help=t("import_register_help"),
        )
    )
    if chosen != NEW_REGISTER:
        return names[chosen]
    return str(column.text_input(t("import_register_name"), key=new_key)).strip()


def choose(upload: Upload) -> Choices | None:
    """Draw every question of the import of ``upload``; the answers, or ``None`` while
    the table cannot be read (the reason is shown)."""
    work = session(upload)
    known = state.registers()
    has_spec_file = _load_spec(upload, known)
    if not has_spec_file and (upload.is_csv or _readable(work)):
        try:
            guess = None
            if not upload.is_csv:
                kept = st.session_state.get(SHEET)
                guess = kept if kept in work.sheets else work.suggested_sheet
            _recognise(upload, work, known, guess)
        except InputError:
            pass  # said below, where the sheet is read
    sheet = _sheet(upload, work)
    if sheet is False:
        return None
    sheet_name = sheet if isinstance(sheet, str) else None
    try:
        rows = work.rows(sheet_name)
    except InputError as exc:
        st.error(widgets.md(exc), icon=":material/error:")
        return None
    if not rows:
        st.warning(t("import_empty"))
        return None
    _preview(rows)
    detected = work.header_row(sheet_name)
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
    register = _register(c3, upload, known)
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
    headers = work.headers(sheet_name, header_row)
    ctx = context(sheet_name, header_row)
    st.markdown(f"**{t('import_mapping')}**")
    st.caption(t("import_mapping_help"))
    chosen = _mapping(headers, ctx)
    _columns_table(work, headers, rows[header_row:], chosen)
    placed_status = _placed_status(chosen)
    values = _values(work, sheet_name, headers, header_row, chosen)
    spec = mapping_file.ImportSpec(
        kind=kind,
        sheet=sheet_name,
        header_row=header_row,
        register=register or None,
        columns=chosen,
        values=values,
        duplicates=duplicates,
        by_name=False,
        placed_status=placed_status,
    )
    return Choices(spec, register)


def _readable(work: ImportSession) -> bool:
    try:
        work.sheets  # noqa: B018 - reads the workbook's sheet names once
    except InputError:
        return False
    return True


def _placed_status(chosen: dict[str, str]) -> str:
    """How a "Waar belegd" placement counts: a proposal unless the person says the
    register records decisions (asked only when the column is mapped)."""
    st.session_state.setdefault(PLACED, "proposed")
    if "placed_at" not in chosen:
        return str(st.session_state[PLACED])
    statuses = list(mapping_file.PLACED_STATUSES)
    return str(
        st.radio(
            t("import_placed_status"),
            statuses,
            format_func=_labels({s: i18n.status_label(s) for s in statuses}),
            key=PLACED,
            horizontal=True,
            help=t("import_placed_status_help"),
        )
    )
