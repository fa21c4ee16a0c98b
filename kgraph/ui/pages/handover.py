"""Overdracht: the steering group's review of the handover.

One table of every item that can land, with its landing place, decision, open actions and
last change (``kgraph.handover_table``: filtered, sorted and paged in the store); ticked
rows are decided together (``kgraph.decisions.decide``: one transaction, refused when any
of them changed meanwhile), one ticked row shows its details and actions. The counts on
top and the per-place and per-CoP views are projections of
``kgraph.analysis.handover_coverage``. The actions view lists everyone's or one person's
actions; meetings are recorded here; the handover report and the meeting pack download in
md, html, xlsx and pdf.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from kgraph import meetings
from kgraph.analysis.handover import STATUS_ORDER, HandoverCoverage
from kgraph.handover_table import TableRow
from kgraph.ui import html_table, i18n, state
from kgraph.ui.handover import decide_form, details, lists, reads, table_view
from kgraph.ui.i18n import t

FLASH = "handover_flash"
VIEW = lists.K_VIEW
VIEWS = ("table", "places", "cops", "actions", "meetings", "reports")
REPORT_FORMATS = {
    "md": "text/markdown",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMAT_NAMES = {"md": "Markdown", "html": "HTML", "xlsx": "Excel", "pdf": "PDF"}
PACK_SINCE = "keep_ho_pack_since"


def _metrics(coverage: HandoverCoverage) -> None:
    counts = coverage.row_counts()
    cols = st.columns(len(STATUS_ORDER))
    for col, status in zip(cols, STATUS_ORDER, strict=True):
        col.metric(i18n.status_label(status), f"{counts[status]:,}".replace(",", "."))


def _selection(rows: list[TableRow], coverage: HandoverCoverage, *, can_edit: bool) -> None:
    if not rows:
        st.caption(t("ho_tick_to_choose"))
        return
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.markdown(f"**{t('ho_n_chosen', n=len(rows))}**")
    c2.button(
        t("ho_clear_choice"),
        on_click=table_view.clear_chosen,
        icon=":material/deselect:",
        width="stretch",
    )
    landed = [r for r in rows if r.place]
    unlanded = [r for r in rows if not r.place]
    if len(rows) == 1:
        places = {p["id"]: p["title"] for p in coverage.places}
        details.render(rows[0], places, can_edit=can_edit)
    if can_edit and landed:
        decide_form.render(landed)
    if unlanded and len(rows) > 1:
        st.caption(t("ho_unlanded_not_decided", n=len(unlanded)))


def _downloads() -> None:
    from kgraph.export.pack import meeting_pack
    from kgraph.export.report import handover_report

    store = state.store()
    lang = i18n.lang()  # read now: the download runs outside this script run
    stamp = datetime.now(UTC)
    day = stamp.date().isoformat()
    st.markdown(f"**{t('report_title')}**")
    st.caption(t("ho_report_help"))
    cols = st.columns(len(REPORT_FORMATS))
    for col, (fmt, mime) in zip(cols, REPORT_FORMATS.items(), strict=True):
        col.download_button(
            t("download_as", fmt=FORMAT_NAMES[fmt]),
            data=lambda fmt=fmt: handover_report(store, fmt, lang=lang),  # type: ignore[misc]
            file_name=f"overdracht-{day}.{fmt}",
            mime=mime,
            key=f"handover_report_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
    st.markdown(f"**{t('ho_pack_title')}**")
    held = list(reversed(reads.all_meetings()))
    last = meetings.last_meeting(store)
    options = [m.id for m in held]
    if not options:
        st.caption(t("ho_pack_no_meeting"))
    if st.session_state.get(PACK_SINCE) not in options:
        st.session_state[PACK_SINCE] = last.id if last else (options[0] if options else None)
    by_id = {m.id: m for m in held}
    since = None
    if options:
        since = st.selectbox(
            t("ho_pack_since"),
            options,
            format_func=lambda m: by_id[m].label(lang),
            key=PACK_SINCE,
        )
    cols = st.columns(len(REPORT_FORMATS))
    for col, (fmt, mime) in zip(cols, REPORT_FORMATS.items(), strict=True):
        col.download_button(
            t("download_as", fmt=FORMAT_NAMES[fmt]),
            data=lambda fmt=fmt: meeting_pack(store, fmt, since_meeting=since, lang=lang),  # type: ignore[misc]
            file_name=f"vergaderstuk-{day}.{fmt}",
            mime=mime,
            key=f"handover_pack_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )


def render() -> None:
    html_table.inject_style()
    st.title(t("page_handover"))
    st.caption(t("handover_intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    can_edit = state.can("edit")
    if not can_edit:
        st.info(t("read_only"), icon=":material/visibility:")
    elif not state.actor():
        st.info(t("name_needed"), icon=":material/person:")
    coverage = state.handover_coverage()
    _metrics(coverage)
    st.session_state.setdefault(VIEW, "table")
    view = st.segmented_control(
        t("ho_view"),
        VIEWS,
        format_func=lambda v: t(f"ho_view_{v}"),
        key=VIEW,
        label_visibility="collapsed",
    )
    owners = lists.owners_of(reads.all_actions())
    if view == "places":
        lists.places_view(coverage, table_view.show_place)
    elif view == "cops":
        lists.cops_view(coverage, table_view.show_area)
    elif view == "actions":
        lists.actions_view(owners, can_edit=can_edit)
    elif view == "meetings":
        lists.meetings_view(can_edit=can_edit)
    elif view == "reports":
        _downloads()
    else:
        table_view.render(coverage, owners)
        _selection(list(table_view.chosen().values()), coverage, can_edit=can_edit)


if __name__ == "__main__":
    render()
