"""Overdracht: the handover review for the steering group.

A projection of ``kgraph.analysis.handover_coverage``: per landing place or per CoP, every
item handed over with its status; what has no landing place stands out; a decision
(status, date, by whom, note) is recorded on the ``LANDS_IN`` edge through
``kgraph.decisions.record_decision``, which refuses it when the edge changed since the
form was drawn; the handover report downloads in md, html and xlsx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kgraph import decisions
from kgraph.analysis.handover import STATUS_ORDER, HandoverCoverage
from kgraph.decisions import DecisionConflict, DecisionDateError, Seen, record_decision, stored_date
from kgraph.errors import KGraphError
from kgraph.model import HANDOVER_STATUSES, Edge
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

GROUP = "keep_handover_group"
DECIDE = "keep_handover_edge"
FLASH = "handover_flash"
REPORT_FORMATS = {
    "md": ("text/markdown", "Markdown"),
    "html": ("text/html", "HTML"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
}
FIELDS = ("status", "decided_on", "decided_by", "note")

Row = Mapping[str, Any]


def _frame(rows: Sequence[Row], *, show_landing: bool) -> pd.DataFrame:
    data = []
    for r in rows:
        entry = {t("col_title"): r["title"], t("col_kind"): i18n.kind_label(r["kind"])}
        if show_landing:
            entry[t("col_landing")] = r["place_title"] or "–"
        entry.update(
            {
                t("col_handover"): i18n.status_label(r["handover"]),
                t("field_decided_on"): str(r["decided_on"] or ""),
                t("field_decided_by"): str(r["decided_by"] or ""),
                t("field_note"): str(r["note"] or ""),
            }
        )
        data.append(entry)
    return pd.DataFrame(data)


def _summary(rows: Sequence[Row]) -> str:
    counts = {s: sum(1 for r in rows if r["handover"] == s) for s in STATUS_ORDER}
    return ", ".join(f"{n} {i18n.status_label(s)}" for s, n in counts.items() if n)


def _metrics(coverage: HandoverCoverage) -> None:
    counts = coverage.row_counts()
    cols = st.columns(len(STATUS_ORDER))
    for col, status in zip(cols, STATUS_ORDER, strict=True):
        col.metric(i18n.status_label(status), counts[status])


def _missing(coverage: HandoverCoverage) -> None:
    missing = coverage.no_landing
    if not missing:
        st.success(t("all_landed"), icon=":material/check_circle:")
        return
    lines = "\n".join(f"- {widgets.md(r['title'])} ({i18n.kind_label(r['kind'])})" for r in missing)
    st.error(
        f"**{t('no_landing_title', n=len(missing))}**\n\n{lines}", icon=":material/priority_high:"
    )
    if state.can("edit"):
        _propose_form(coverage)


def _propose_form(coverage: HandoverCoverage) -> None:
    places = {p["id"]: p["title"] for p in coverage.places}
    if not places:
        return
    with st.expander(t("propose_title"), icon=":material/add_link:"):
        with st.form("handover_propose"):
            items = {
                r["id"]: f"{r['title']} ({i18n.kind_label(r['kind'])})" for r in coverage.no_landing
            }
            item = st.selectbox(t("item"), list(items), format_func=items.__getitem__)
            place = st.selectbox(t("col_landing"), list(places), format_func=places.__getitem__)
            done = st.form_submit_button(t("propose"), disabled=not state.actor())
        if done and item and place:
            try:
                with state.edit() as store:
                    decisions.propose_landing(store, item, place)
            except KGraphError as exc:
                widgets.show_error(exc)
                return
            st.session_state[FLASH] = t(
                "proposed_done", item=widgets.md(items[item]), place=widgets.md(places[place])
            )
            st.rerun()


def _groups(coverage: HandoverCoverage) -> None:
    group = st.radio(
        t("group_by"),
        ("landing", "cop"),
        format_func=lambda g: t(f"group_{g}"),
        key=GROUP,
        horizontal=True,
    )
    if group == "landing":
        names: dict[str | None, str] = {p["id"]: p["title"] for p in coverage.places}
        keyed: dict[str | None, list[dict[str, Any]]] = {
            k: v for k, v in coverage.by_place().items()
        }
    else:
        names = {c["id"]: c["title"] for c in coverage.cops}
        names[None] = t("no_cop")
        keyed = coverage.by_cop()
    for key in sorted(keyed, key=lambda k: (k is None, str(names.get(k) or k).casefold())):
        members = keyed[key]
        if not members:
            continue
        with st.expander(f"{widgets.md(names.get(key, key))} — {_summary(members)}"):
            widgets.table(
                _frame(members, show_landing=group != "landing"), hide_index=True, width="stretch"
            )


# --- deciding -----------------------------------------------------------------------------


def _fkey(field: str, key: str) -> str:
    return f"handover_{field}_{key}"


def _seen_key(key: str) -> str:
    return f"handover_seen_{key}"


def _load(edge: Edge) -> None:
    """Fill the form from ``edge`` and remember what it showed (for the optimistic check).
    A missing or non-ISO stored date leaves the date empty: it is never made up."""
    props = edge.props
    st.session_state[_fkey("status", edge.key)] = edge.status or "proposed"
    st.session_state[_fkey("decided_on", edge.key)] = stored_date(edge)
    st.session_state[_fkey("decided_by", edge.key)] = str(props.get("decided_by") or state.actor())
    st.session_state[_fkey("note", edge.key)] = str(props.get("note") or "")
    st.session_state[_seen_key(edge.key)] = Seen.of(edge)


def _reload(key: str) -> None:
    for f in FIELDS:
        st.session_state.pop(_fkey(f, key), None)
    st.session_state.pop(_seen_key(key), None)


def _decision_form(coverage: HandoverCoverage) -> None:
    st.subheader(t("decide_title"))
    edges = {r["edge"]: r for r in coverage.rows if r["edge"] is not None}
    if not edges:
        st.caption(t("no_handover"))
        return
    labels = {
        k: f"{r['title']} → {r['place_title']} ({i18n.status_label(r['handover'])})"
        for k, r in edges.items()
    }
    if st.session_state.get(DECIDE) not in labels:
        st.session_state[DECIDE] = next(iter(labels))
    key = st.selectbox(
        t("which_handover"), list(labels), format_func=labels.__getitem__, key=DECIDE
    )
    row = edges[key]
    edge = state.store().get_edge(row["id"], "LANDS_IN", row["place"])
    if edge is None:
        st.info(t("node_gone"))
        return
    seen: Seen | None = st.session_state.get(_seen_key(key))
    if seen is None or any(_fkey(f, key) not in st.session_state for f in FIELDS):
        _load(edge)
        seen = st.session_state[_seen_key(key)]
    elif seen.updated_at != edge.updated_at:
        st.info(
            t(
                "decision_changed_since",
                who=widgets.md(edge.updated_by or "?"),
                at=widgets.short_time(edge.updated_at),
            )
        )
    stored = edge.props.get("decided_on")
    if stored and stored_date(edge) is None:
        st.warning(t("decision_date_stored_bad", value=widgets.md(stored)))
    with st.form(f"handover_form_{key}"):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(
            t("filter_hstatus"),
            list(HANDOVER_STATUSES),
            format_func=i18n.status_label,
            key=_fkey("status", key),
        )
        c2.date_input(t("field_decided_on"), key=_fkey("decided_on", key), format="YYYY-MM-DD")
        c3.text_input(t("field_decided_by"), key=_fkey("decided_by", key))
        st.text_area(t("field_note"), key=_fkey("note", key), height=80)
        saved = st.form_submit_button(
            t("save_decision"), type="primary", disabled=not state.actor(), icon=":material/gavel:"
        )
    if saved:
        _save(row, key, seen, labels[key].rsplit(" (", 1)[0])


def _save(row: Row, key: str, seen: Seen, what: str) -> None:
    decided_on: date | None = st.session_state[_fkey("decided_on", key)]
    try:
        with state.edit() as store:
            record_decision(
                store,
                row["id"],
                row["place"],
                seen=seen,
                status=st.session_state[_fkey("status", key)],
                decided_on=decided_on,
                decided_by=st.session_state[_fkey("decided_by", key)],
                note=st.session_state[_fkey("note", key)],
            )
    except DecisionDateError as exc:
        message = "decision_date_missing" if exc.value is None else "decision_date_bad"
        st.error(t(message, value=widgets.md(exc.value)), icon=":material/event_busy:")
        return
    except DecisionConflict as exc:
        st.error(
            t("decision_conflict", who=widgets.md(exc.who or "?"), at=widgets.short_time(exc.at)),
            icon=":material/sync_problem:",
        )
        st.button(t("reload"), on_click=_reload, args=(key,), key=f"handover_reload_{key}")
        return
    except KGraphError as exc:
        widgets.show_error(exc)
        return
    _reload(key)
    st.session_state[FLASH] = t("decision_saved", what=widgets.md(what))
    st.rerun()


def _downloads() -> None:
    st.subheader(t("report_title"))
    from kgraph.export.report import handover_report

    store = state.store()
    lang = i18n.lang()  # read now: the download runs outside this script run
    today = date.today().isoformat()
    cols = st.columns(len(REPORT_FORMATS))
    for col, (fmt, (mime, name)) in zip(cols, REPORT_FORMATS.items(), strict=True):
        col.download_button(
            t("download_as", fmt=name),
            data=lambda fmt=fmt: handover_report(store, fmt, lang=lang),  # type: ignore[misc]
            file_name=f"overdracht-{today}.{fmt}",
            mime=mime,
            key=f"handover_report_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )


def render() -> None:
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
    _missing(coverage)
    _groups(coverage)
    if can_edit:
        _decision_form(coverage)
    _downloads()


if __name__ == "__main__":
    render()
