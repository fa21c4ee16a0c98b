"""Deciding the ticked handovers: one form for one or many, saved by its button only.

The form lists every chosen item with its full title and landing place, takes status,
date (``DD-MM-JJJJ``), decided-by, the meeting and a note, and calls
``kgraph.decisions.decide`` once: one transaction, one history entry per handover, nothing
written when any of them changed since it was shown. Enter never submits (the form is made
with ``enter_to_submit=False``). A date in the future, or before an item was added, is
saved only after the person ticks the confirmation the page then shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import streamlit as st

from kgraph import decisions
from kgraph.decisions import DecisionConflicts, DecisionNeedsConfirmation, Target
from kgraph.errors import KGraphError
from kgraph.handover_table import TableRow
from kgraph.model import HANDOVER_STATUSES
from kgraph.ui import date_field, i18n, state, widgets
from kgraph.ui.handover import reads
from kgraph.ui.handover.table_view import clear_chosen
from kgraph.ui.i18n import t

FLASH = "handover_flash"
#: signature -> (date ISO, concerns) of a save that needs a confirmation
PENDING = "ho_decide_pending"
#: signature -> the conflicts of the last refused save
REFUSED = "ho_decide_refused"
NO_MEETING = ""


def signature(rows: Sequence[TableRow]) -> str:
    """Which rows the form is for: a new choice gets fresh fields."""
    joined = "\n".join(sorted(r.key for r in rows))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]


def _key(name: str, sig: str) -> str:
    return f"ho_f_{name}_{sig}"


def _defaults(rows: Sequence[TableRow]) -> dict[str, Any]:
    """What the fields start with: one handover's own decision; for several, their
    common status and nothing else (a note left empty keeps each note)."""
    if len(rows) == 1:
        row = rows[0]
        return {
            "status": row.status if row.status in HANDOVER_STATUSES else "proposed",
            "on": date_field.shown(row.decided_on) if row.decided_on else "",
            "by": row.decided_by or state.actor(),
            "note": row.note or "",
            "meeting": row.meeting or NO_MEETING,
        }
    statuses = {r.status for r in rows}
    common = statuses.pop() if len(statuses) == 1 else "accepted"
    return {
        "status": common if common in HANDOVER_STATUSES else "accepted",
        "on": "",
        "by": state.actor(),
        "note": "",
        "meeting": NO_MEETING,
    }


def _listing(rows: Sequence[TableRow]) -> None:
    lines = [
        f"- **{widgets.md(r.title)}** → {widgets.md(r.place_title or '–')} "
        f"({widgets.md(i18n.status_label(r.status))})"
        for r in rows
    ]
    if len(rows) <= 6:
        st.markdown("\n".join(lines))
        return
    # many: a box of its own that scrolls, so the form stays in view
    with st.container(height=240, border=True):
        st.markdown("\n".join(lines))


def _concern_text(concern: decisions.DateConcern, titles: dict[str, str]) -> str:
    day = date_field.shown(concern.day)
    if concern.reason == "future":
        return t("ho_concern_future", day=day)
    return t(
        "ho_concern_before_item",
        day=day,
        item=widgets.md(titles.get(concern.item or "", concern.item or "")),
        since=date_field.shown(concern.since),
    )


def render(rows: Sequence[TableRow]) -> None:
    """The decision form for the ticked ``rows`` that have a landing place."""
    st.markdown(f"**{t('ho_decide_title', n=len(rows))}**")
    _listing(rows)
    sig = signature(rows)
    values = _defaults(rows)
    for name, value in values.items():
        st.session_state.setdefault(_key(name, sig), value)
    meetings = {m.id: m for m in reversed(reads.all_meetings())}
    if st.session_state.get(_key("meeting", sig)) not in [NO_MEETING, *meetings]:
        st.session_state[_key("meeting", sig)] = NO_MEETING
    titles = {r.item: r.title for r in rows}
    pending = st.session_state.get(PENDING, {}).get(sig)
    refused = st.session_state.get(REFUSED, {}).get(sig)
    if refused:
        _show_refusal(refused, rows, sig)
    if pending:
        st.warning(
            t("ho_confirm_needed")
            + "\n\n"
            + "\n".join(f"- {_concern_text(c, titles)}" for c in pending[1]),
            icon=":material/event_busy:",
        )
    with st.form(f"ho_decide_{sig}", enter_to_submit=False):
        c1, c2, c3, c4 = st.columns([1.3, 1, 1.3, 1.6])
        c1.selectbox(
            t("field_status"),
            list(HANDOVER_STATUSES),
            format_func=i18n.status_label,
            key=_key("status", sig),
        )
        date_field.field(c2, t("field_decided_on"), _key("on", sig))
        c3.text_input(t("field_decided_by"), key=_key("by", sig))
        c4.selectbox(
            t("ho_meeting"),
            [NO_MEETING, *meetings],
            format_func=lambda m: meetings[m].label(i18n.lang()) if m else t("ho_no_meeting"),
            key=_key("meeting", sig),
        )
        st.text_area(
            t("field_note"),
            key=_key("note", sig),
            height=80,
            help=t("ho_note_keeps") if len(rows) > 1 else None,
        )
        if pending:
            st.checkbox(t("ho_confirm_date"), key=_key("confirm", sig))
        saved = st.form_submit_button(
            t("ho_save_decision", n=len(rows)),
            type="primary",
            disabled=not state.actor(),
            icon=":material/gavel:",
        )
    if saved:
        _save(rows, sig, titles)


def _show_refusal(conflicts: list[dict[str, Any]], rows: Sequence[TableRow], sig: str) -> None:
    titles = {r.key: f"{r.title} → {r.place_title}" for r in rows}
    lines = []
    for c in conflicts:
        what = widgets.md(titles.get(c["key"], c["key"]))
        if c["who"] is None:
            lines.append(f"- {what}: {t('ho_conflict_gone')}")
        else:
            lines.append(
                f"- {what}: "
                + t(
                    "ho_conflict_changed",
                    who=widgets.md(c["who"]),
                    at=widgets.short_time(c["at"]),
                )
            )
    st.error(
        t("ho_conflict", n=len(conflicts)) + "\n\n" + "\n".join(lines),
        icon=":material/sync_problem:",
    )
    st.button(t("reload"), key=f"ho_reload_{sig}", on_click=_reload, icon=":material/refresh:")


def _reload() -> None:
    """Forget the choice and its refusal: the table shows the handovers as they are now."""
    st.session_state.pop(REFUSED, None)
    st.session_state.pop(PENDING, None)
    clear_chosen()


def _save(rows: Sequence[TableRow], sig: str, titles: dict[str, str]) -> None:
    day, problem = date_field.read(str(st.session_state.get(_key("on", sig)) or ""))
    if problem:
        st.error(t("ho_not_saved") + " " + problem, icon=":material/event_busy:")
        return
    assert day is not None
    pending = st.session_state.get(PENDING, {}).get(sig)
    confirmed = bool(
        pending and pending[0] == day.isoformat() and st.session_state.get(_key("confirm", sig))
    )
    note = str(st.session_state.get(_key("note", sig)) or "")
    try:
        with state.edit() as store:
            decisions.decide(
                store,
                [Target(r.item, str(r.place), r.seen()) for r in rows],
                status=st.session_state[_key("status", sig)],
                decided_on=day,
                decided_by=st.session_state.get(_key("by", sig)),
                # several at once: an empty note keeps each note; one: it is that note
                note=note if (note.strip() or len(rows) == 1) else None,
                meeting=st.session_state.get(_key("meeting", sig)) or None,
                allow_future=confirmed,
                allow_before_item=confirmed,
            )
    except DecisionNeedsConfirmation as exc:
        st.session_state.setdefault(PENDING, {})[sig] = (day.isoformat(), exc.concerns)
        st.rerun()
    except DecisionConflicts as exc:
        st.session_state.setdefault(REFUSED, {})[sig] = [
            {"key": c.key, "who": c.who, "at": c.at} for c in exc.conflicts
        ]
        st.rerun()
    except KGraphError as exc:
        widgets.show_error(exc)
        return
    st.session_state.get(PENDING, {}).pop(sig, None)
    st.session_state[FLASH] = t("ho_decided", n=len(rows))
    clear_chosen()
    st.rerun()
