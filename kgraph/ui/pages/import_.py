"""Importeren: upload an xlsx/csv, answer the import session's questions (sheet, header row,
register, column and value mapping, how placements count), check (the session's plan:
every problem with file, sheet, row, column and the cell as written; what is new, changed,
unchanged and no longer in the source; the handovers it makes and how the steering group's
counts move), then import all-or-nothing, or only the valid rows with the others offered as
a download. Every import can be undone from this page, as with ``kgraph import undo``.

The page only asks and shows: ``kgraph.importers.session.ImportSession`` reads, checks,
compares and writes, the same code ``kgraph import table`` runs. The upload stays in
memory and keeps its own file name in every message and in the provenance of what it adds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.errors import KGraphError
from kgraph.importers import mapping_file, messages
from kgraph.importers import table as table_importer
from kgraph.importers.plan import ImportPlan
from kgraph.importers.tabular_source import CSV_SUFFIXES, SPREADSHEET_SUFFIXES
from kgraph.importers.undo import import_batches, undo_import
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t
from kgraph.ui.import_form import Choices, Upload, choose, session, uploader_texts

SUFFIXES = [s.lstrip(".") for s in (*SPREADSHEET_SUFFIXES, *CSV_SUFFIXES)]
UPLOAD = "import_upload"
CHECKED = "import_checked"
SKIP = "import_skip"
PRUNE = "import_prune"
DONE = "import_done_batch"
UNDO_SURE = "import_undo_sure"
SHOWN = 200  # rows of a diff table drawn at most (the counts are always complete)
BATCHES_SHOWN = 20


def _move(bar: Any, done: int, total: int, text: str) -> None:
    bar.progress(min(done / max(total, 1), 1.0), text=text)


def _signature(upload: Upload, choices: Choices, skip: bool) -> str:
    digest = hashlib.sha256(upload.data)
    digest.update(upload.name.encode())
    digest.update(mapping_file.dump_spec(choices.spec).encode())
    digest.update(b"skip" if skip else b"all")
    return digest.hexdigest()


def _check(upload: Upload, choices: Choices, skip: bool) -> None:
    """The session's plan (nothing is written)."""
    bar = st.progress(0.0, text=t("import_checking"))
    try:
        plan = session(upload).plan(
            choices.spec,
            skip_invalid=skip,
            progress=lambda done, total: _move(bar, done, total, t("import_checking")),
        )
    except KGraphError as exc:
        bar.empty()
        st.session_state[CHECKED] = {"error": str(exc)}  # written in the session's language
        return
    bar.empty()
    st.session_state[CHECKED] = {"signature": _signature(upload, choices, skip), "plan": plan}


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


def _problems(plan: ImportPlan) -> None:
    lang = i18n.lang()
    frame = pd.DataFrame(
        [
            {
                t("import_p_row"): p.row,
                t("import_p_column"): f"{p.column} ({p.header})",
                t("import_p_value"): p.value,
                t("import_p_message"): problem_text(p, lang),
            }
            for p in plan.problems
        ]
    )
    widgets.table(frame, hide_index=True, width="stretch")


def _rejects(upload: Upload, plan: ImportPlan) -> None:
    if not plan.rejects:
        return
    assert plan.table is not None
    st.warning(
        t("import_rejected", n=len(plan.rejects), rows=plan.table.rows_read),
        icon=":material/warning:",
    )
    _problems(plan)
    st.download_button(
        t("import_rejects_download"),
        data=table_importer.rejects_csv(plan.rejects),
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


def _comparison(plan: ImportPlan) -> None:
    """The register's items: added / changed / unchanged / no longer in the source."""
    st.markdown(f"**{t('import_diff')}**")
    items = plan.register_items
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("import_diff_added"), len(items))
    c2.metric(t("import_diff_changed"), len(plan.changed))
    c3.metric(t("import_diff_unchanged"), len(plan.unchanged))
    c4.metric(t("import_diff_gone"), len(plan.gone))
    others = len(plan.added) - len(items)
    st.caption(
        t("import_diff_others", others=others, edges=len(plan.edges), present=len(plan.present))
    )
    col_title, col_kind = t("col_title"), t("col_kind")
    _diff_table(t("import_diff_added"), [{col_title: n.title} for n in items])
    _diff_table(
        t("import_diff_changed"),
        [
            {
                col_title: new.title,
                t("import_diff_what"): "; ".join(
                    f"{name}: {widgets.short_value(_before(old, name))} → "
                    f"{widgets.short_value(after)}"
                    for name, after in changes.items()
                    if name != "source"
                ),
            }
            for old, new, changes in plan.changed
        ],
    )
    _diff_table(
        t("import_diff_gone"),
        [{col_title: n.title, t("col_source"): n.source} for n in plan.gone],
    )
    if others:
        _diff_table(
            t("import_diff_other_items"),
            [
                {col_title: n.title, col_kind: i18n.kind_label(n.kind)}
                for n in plan.added
                if n not in items
            ],
        )


def _handovers(plan: ImportPlan) -> None:
    """The handovers the import makes, per status, and how the steering group's counts
    move: a warning when the count of accepted handovers (belegd) would change."""
    if not plan.handovers:
        return
    st.markdown(f"**{t('import_handovers')}**")
    rows = [
        {t("col_handover"): i18n.status_label(s), t("import_handovers_n"): n}
        for s, n in plan.handovers.items()
    ]
    widgets.table(pd.DataFrame(rows), hide_index=True, width="content")
    if not plan.steering_changes or plan.steering is None:
        return
    before, after = plan.steering["before"], plan.steering["after"]
    changed = [s for s in after if before.get(s, 0) != after.get(s, 0)]
    moves = ", ".join(
        t(
            "import_steering_move",
            status=i18n.status_label(s),
            before=before.get(s, 0),
            after=after.get(s, 0),
        )
        for s in changed
    )
    if "accepted" in changed:
        st.warning(t("import_steering_accepted", moves=moves), icon=":material/warning:")
    else:
        st.info(t("import_steering", moves=moves), icon=":material/info:")


def _show_check(upload: Upload, choices: Choices, skip: bool) -> ImportPlan | None:
    """The outcome of the last check; the plan to apply, or ``None``."""
    checked = st.session_state.get(CHECKED)
    if not checked:
        return None
    if "error" in checked:
        st.error(widgets.md(checked["error"]), icon=":material/error:")
        return None
    if checked["signature"] != _signature(upload, choices, skip):
        st.info(t("import_recheck"))
        return None
    plan: ImportPlan = checked["plan"]
    assert plan.table is not None
    if not plan.ok:
        st.error(
            t("import_problems", n=len(plan.problems), rows=plan.table.rows_read),
            icon=":material/error:",
        )
        _problems(plan)
        st.caption(t("import_skip_hint"))
        return None
    _rejects(upload, plan)
    batch = plan.batch
    good = plan.table.rows_read - len(plan.rejects)
    st.success(t("import_ok", rows=good, nodes=len(batch.nodes), edges=len(batch.edges)))
    for note in plan.notes:
        st.caption(widgets.md(note))
    _comparison(plan)
    _handovers(plan)
    return plan


def _apply(upload: Upload, plan: ImportPlan, prune: bool) -> None:
    bar = st.progress(0.0, text=t("import_writing"))
    work = session(upload)
    try:
        with state.edit() as store:
            work.store = store
            done = work.apply(
                plan,
                prune=prune,
                progress=lambda n, total: _move(bar, n, total, t("import_writing")),
            )
    except KGraphError as exc:
        bar.empty()
        widgets.show_error(exc)
        return
    bar.empty()
    st.session_state.pop(CHECKED, None)
    st.session_state[DONE] = {
        "batch": done.batch,
        "text": t(
            "import_done",
            added=done.nodes_added,
            changed=done.updated,
            removed=done.deleted,
            edges=done.edges_added,
            who=widgets.md(state.actor()),
        ),
    }


def _undo(batch: str) -> None:
    try:
        with state.edit() as store:
            result = undo_import(store, batch, actor=state.actor(), lang=i18n.lang())
    except KGraphError as exc:
        widgets.show_error(exc)
        return
    st.session_state.pop(DONE, None)
    st.session_state.pop(UNDO_SURE, None)
    st.success(
        t(
            "import_undone",
            source=widgets.md(result.batch.source),
            nodes=result.nodes_removed,
            edges=result.edges_removed,
            restored=result.restored,
        ),
        icon=":material/undo:",
    )


def _done() -> None:
    """The last import's outcome, with a button to undo it straight away."""
    done = st.session_state.get(DONE)
    if not done:
        return
    st.success(done["text"], icon=":material/check:")
    if not state.can("delete"):
        return
    if st.button(t("import_undo_this"), key="import_undo_this", icon=":material/undo:"):
        _undo(done["batch"])


def _batches() -> None:
    """The recorded imports, newest first, and undoing the newest one not undone."""
    store = state.store()
    found = import_batches(store, limit=BATCHES_SHOWN)
    with st.expander(t("import_batches", n=store.count_records("import_batch"))):
        if not found:
            st.caption(t("import_batches_none"))
            return
        rows = [
            {
                t("import_b_when"): messages.local_time(b.at),
                t("import_b_who"): b.actor,
                t("import_b_source"): t("import_b_seed") if b.format == "seed" else b.source,
                t("import_b_register"): b.register or "",
                t("import_b_added"): b.counts.get("nodes_added", 0),
                t("import_b_changed"): b.counts.get("updated", 0),
                t("import_b_removed"): b.counts.get("deleted", 0),
                t("import_b_undone"): (
                    t("import_b_undone_by", at=messages.local_time(b.undone_at), who=b.undone_by)
                    if b.undone_at
                    else ""
                ),
            }
            for b in found
        ]
        widgets.table(pd.DataFrame(rows), hide_index=True, width="stretch")
        newest = next((b for b in found if b.undone_at is None), None)
        if newest is None:
            return
        if not state.can("delete"):  # undoing deletes what the import added
            st.caption(t("import_undo_admin"))
            return
        st.caption(t("import_undo_help"))
        sure = st.checkbox(
            t(
                "import_undo_sure",
                source=widgets.md(newest.source),
                at=messages.local_time(newest.at),
            ),
            key=UNDO_SURE,
        )
        if st.button(
            t("import_undo_last"),
            key="import_undo_last",
            icon=":material/undo:",
            disabled=not sure or not state.actor(),
        ):
            _undo(newest.id)


def render() -> None:
    st.title(t("page_import"))
    st.caption(t("import_intro"))
    if not state.can("import"):
        st.info(t("read_only"), icon=":material/visibility:")
        return
    if not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    uploader_texts()
    file = st.file_uploader(t("import_file"), type=SUFFIXES, key=UPLOAD)
    if file is not None:
        _upload(Upload(file.name, file.getvalue()))
    else:
        st.session_state.pop(CHECKED, None)
    _done()  # where the plan was, so it is in view after the button was pressed
    _batches()


def _upload(upload: Upload) -> None:
    choices = choose(upload)
    if choices is None:
        return
    st.download_button(
        t("import_spec_download"),
        data=mapping_file.dump_spec(choices.spec).encode("utf-8"),
        file_name=f"{Path(upload.name).stem}.mapping.yaml",
        mime="application/x-yaml",
        key="import_spec_download",
        icon=":material/save:",
        help=t("import_spec_download_help"),
    )
    skip = st.checkbox(t("import_skip"), key=SKIP, help=t("import_skip_help"))
    if st.button(t("import_check"), key="import_check", icon=":material/fact_check:"):
        st.session_state.pop(DONE, None)
        _check(upload, choices, skip)
    plan = _show_check(upload, choices, skip)
    if plan is None:
        return
    prune = False
    if plan.gone and state.can("delete"):
        prune = st.checkbox(
            t("import_prune", n=len(plan.gone)), key=PRUNE, help=t("import_prune_help")
        )
    elif plan.gone:
        st.caption(t("import_prune_admin", n=len(plan.gone)))
    if st.button(t("import_go"), key="import_go", type="primary", disabled=not state.actor()):
        _apply(upload, plan, prune)
        st.rerun()


if __name__ == "__main__":
    render()
