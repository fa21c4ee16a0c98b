"""Importeren: upload an xlsx/csv, choose (or take the suggested) sheet, header row, column
and value mapping, check everything (a dry run listing every problem with file, sheet, row,
column and the cell as written), then import all-or-nothing, or only the valid rows with
the others offered as a download. A newer version of a register already imported shows
what was added, changed, unchanged and no longer in the source before anything is written;
removing what is gone happens only when the person ticks it.

The page only draws: reading, checking, comparing and writing are ``kgraph.importers``,
the same code ``kgraph import table`` runs. The upload stays in memory and keeps its own
file name in every message and in the provenance of what it adds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.errors import KGraphError
from kgraph.importers import mapping_file, messages, reimport
from kgraph.importers import table as table_importer
from kgraph.importers.tabular_source import CSV_SUFFIXES, SPREADSHEET_SUFFIXES
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t
from kgraph.ui.import_form import Upload, choose

SUFFIXES = [s.lstrip(".") for s in (*SPREADSHEET_SUFFIXES, *CSV_SUFFIXES)]
UPLOAD = "import_upload"
CHECKED = "import_checked"
SKIP = "import_skip"
PRUNE = "import_prune"
SHOWN = 200  # rows of a diff table drawn at most (the counts are always complete)


def _move(bar: Any, done: int, total: int, text: str) -> None:
    bar.progress(min(done / max(total, 1), 1.0), text=text)


def _signature(upload: Upload, spec: mapping_file.ImportSpec, skip: bool) -> str:
    digest = hashlib.sha256(upload.data)
    digest.update(upload.name.encode())
    digest.update(mapping_file.dump_spec(spec).encode())
    digest.update(b"skip" if skip else b"all")
    return digest.hexdigest()


def _check(upload: Upload, spec: mapping_file.ImportSpec, skip: bool) -> None:
    """Read and check the whole table (nothing is written), and compare it with what the
    store holds of the same register."""
    bar = st.progress(0.0, text=t("import_checking"))
    store = state.store()
    try:
        result = table_importer.read_table(
            upload.file(),
            name=upload.name,
            store=store,
            skip_invalid=skip,
            progress=lambda done, total: _move(bar, done, total, t("import_checking")),
            lang=i18n.lang(),
            **spec.read_options(),
        )
        comparison = None
        if not result.problems or skip:
            comparison = reimport.compare(
                store, result.batch, register=result.register, kind=spec.kind
            )
    except KGraphError as exc:
        bar.empty()
        st.session_state[CHECKED] = {"error": str(exc)}  # read_table wrote it in ``lang``
        return
    bar.empty()
    st.session_state[CHECKED] = {
        "signature": _signature(upload, spec, skip),
        "result": result,
        "comparison": comparison,
    }


#: problems whose library text gives a command-line hint: the page says what to do here
UI_TEXTS = {"unknown_status": "import_msg_unknown_status", "duplicate_code": "import_msg_duplicate"}


def problem_text(problem: table_importer.Problem, lang: str) -> str:
    """The problem in ``lang``, naming file, sheet, row, column and the cell as written;
    a hint that names a command-line option is replaced by what to choose on this page."""
    full = problem.text(lang)
    key = UI_TEXTS.get(problem.key)
    if key is None:
        return full
    cli = messages.render(problem.key, lang, **problem.params)
    return full.removesuffix(cli) + t(key, **problem.params)


def _problems(result: table_importer.TableResult) -> None:
    lang = i18n.lang()
    frame = pd.DataFrame(
        [
            {
                t("import_p_row"): p.row,
                t("import_p_column"): f"{p.column} ({p.header})",
                t("import_p_value"): p.value,
                t("import_p_message"): problem_text(p, lang),
            }
            for p in result.problems
        ]
    )
    widgets.table(frame, hide_index=True, width="stretch")


def _rejects(upload: Upload, result: table_importer.TableResult) -> None:
    if not result.rejects:
        return
    st.warning(
        t("import_rejected", n=len(result.rejects), rows=result.rows_read),
        icon=":material/warning:",
    )
    _problems(result)
    st.download_button(
        t("import_rejects_download"),
        data=table_importer.rejects_csv(result.rejects),
        file_name=f"{Path(upload.name).stem}-rejects.csv",
        mime="text/csv",
        key="import_rejects_download",
        icon=":material/download:",
    )


def _before(node: Any, name: str) -> Any:
    return (
        getattr(node, name) if name in ("title", "text", "status", "tags") else node.props.get(name)
    )


def _diff_table(title: str, rows: list[dict[str, Any]]) -> None:
    with st.expander(f"{title} ({len(rows)})", expanded=bool(rows) and len(rows) <= 20):
        if rows:
            widgets.table(pd.DataFrame(rows[:SHOWN]), hide_index=True, width="stretch")
        else:
            st.caption(t("import_diff_none"))


def _comparison(comparison: Any) -> None:
    """Added / changed / unchanged / no longer in the source, before anything is written."""
    st.markdown(f"**{t('import_diff')}**")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("import_diff_added"), len(comparison.added))
    c2.metric(t("import_diff_changed"), len(comparison.changed))
    c3.metric(t("import_diff_unchanged"), len(comparison.unchanged))
    c4.metric(t("import_diff_gone"), len(comparison.gone))
    col_id, col_title = t("col_id"), t("col_title")
    _diff_table(
        t("import_diff_added"),
        [{col_id: n.id, col_title: n.title} for n in comparison.added],
    )
    _diff_table(
        t("import_diff_changed"),
        [
            {
                col_id: old.id,
                col_title: new.title,
                t("import_diff_what"): "; ".join(
                    f"{name}: {widgets.short_value(_before(old, name))} → "
                    f"{widgets.short_value(after)}"
                    for name, after in changes.items()
                    if name != "source"
                ),
            }
            for old, new, changes in comparison.changed
        ],
    )
    _diff_table(
        t("import_diff_gone"),
        [{col_id: n.id, col_title: n.title, t("col_source"): n.source} for n in comparison.gone],
    )


def _show_check(upload: Upload, spec: mapping_file.ImportSpec, skip: bool) -> Any:
    """The outcome of the last check; the comparison to apply, or ``None``."""
    checked = st.session_state.get(CHECKED)
    if not checked:
        return None
    if "error" in checked:
        st.error(widgets.md(checked["error"]), icon=":material/error:")
        return None
    if checked["signature"] != _signature(upload, spec, skip):
        st.info(t("import_recheck"))
        return None
    result: table_importer.TableResult = checked["result"]
    if result.problems and not skip:
        st.error(
            t("import_problems", n=len(result.problems), rows=result.rows_read),
            icon=":material/error:",
        )
        _problems(result)
        st.caption(t("import_skip_hint"))
        return None
    _rejects(upload, result)
    batch = result.batch
    good = result.rows_read - len(result.rejects)
    st.success(t("import_ok", rows=good, nodes=len(batch.nodes), edges=len(batch.edges)))
    for note in batch.notes:
        st.caption(widgets.md(note))
    comparison = checked["comparison"]
    _comparison(comparison)
    return comparison


def _apply(comparison: Any, prune: bool) -> None:
    bar = st.progress(0.0, text=t("import_writing"))
    try:
        with state.edit() as store:
            done = reimport.apply_comparison(
                store,
                comparison,
                prune=prune,
                actor=state.actor(),
                progress=lambda n, total: _move(bar, n, total, t("import_writing")),
            )
    except KGraphError as exc:
        bar.empty()
        widgets.show_error(exc)
        return
    bar.empty()
    st.session_state.pop(CHECKED, None)
    st.success(
        t(
            "import_done",
            added=done.nodes_added,
            changed=done.updated,
            removed=done.deleted,
            edges=done.edges_added,
            who=widgets.md(state.actor()),
        ),
        icon=":material/check:",
    )


def render() -> None:
    st.title(t("page_import"))
    st.caption(t("import_intro"))
    if not state.can("import"):
        st.info(t("read_only"), icon=":material/visibility:")
        return
    if not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    file = st.file_uploader(t("import_file"), type=SUFFIXES, key=UPLOAD)
    if file is None:
        st.session_state.pop(CHECKED, None)
        return
    upload = Upload(file.name, file.getvalue())
    spec = choose(upload)
    if spec is None:
        return
    st.download_button(
        t("import_spec_download"),
        data=mapping_file.dump_spec(spec).encode("utf-8"),
        file_name=f"{Path(upload.name).stem}.mapping.yaml",
        mime="application/x-yaml",
        key="import_spec_download",
        icon=":material/save:",
        help=t("import_spec_download_help"),
    )
    skip = st.checkbox(t("import_skip"), key=SKIP, help=t("import_skip_help"))
    if st.button(t("import_check"), key="import_check", icon=":material/fact_check:"):
        _check(upload, spec, skip)
    comparison = _show_check(upload, spec, skip)
    if comparison is None:
        return
    prune = False
    if comparison.gone:
        prune = st.checkbox(
            t("import_prune", n=len(comparison.gone)), key=PRUNE, help=t("import_prune_help")
        )
    if st.button(t("import_go"), key="import_go", type="primary", disabled=not state.actor()):
        _apply(comparison, prune)


if __name__ == "__main__":
    render()
