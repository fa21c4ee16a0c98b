"""How fresh an analysis on the page is: "stand van <time>" (Europe/Amsterdam) under a
result computed from an older state, a progress bar while the current one is computed in
the background, and a rerun of the page once it is there. The page never waits for it.

    snap = state.latest(CENTRALITY, wait_s=0.5, samples=300)
    freshness.show(snap, CENTRALITY, samples=300)   # caption / progress, polls while running
    if snap.value is not None:
        draw(snap.value)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from kgraph.cache import Analysis, Latest
from kgraph.ui import i18n, widgets
from kgraph.ui.i18n import t

ZONE = "Europe/Amsterdam"
#: how often a page looks whether a background computation is done
POLL_S = 1.0


def local_time(iso: str | None) -> str:
    """An ISO timestamp (UTC) as ``2026-12-08 01:15`` in Europe/Amsterdam."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(ZONE))
    except Exception:  # no time-zone data on this machine: say UTC
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def _pct(progress: float | None) -> str:
    if progress is None:
        return ""
    from kgraph import texts

    return texts.number(progress * 100, i18n.lang(), 0) + "%"


def show(snap: Latest[Any], analysis: Analysis[Any], **params: Any) -> None:
    """The caption or progress bar for ``snap`` (nothing when it is current); while a
    computation runs, the page looks again every ``POLL_S`` seconds and redraws itself
    when it is done."""
    if snap.error and not snap.running:
        st.warning(t("analysis_failed", error=widgets.md(snap.error)), icon=":material/error:")
    if snap.result is not None and not snap.current:
        st.caption(t("analysis_as_of", when=local_time(snap.result.computed_at)))
    if snap.running:
        _poll(analysis, params, first=snap.result is None)


@st.fragment(run_every=POLL_S)
def _poll_fragment(analysis: Analysis[Any], params: dict[str, Any], first: bool) -> None:
    from kgraph.ui import state

    snap = state.latest(analysis, **params)
    if not snap.running:
        st.rerun()  # the whole page, now with the new result
        return
    key = "analysis_running_first" if first else "analysis_running"
    st.progress(snap.progress or 0.0, text=t(key, pct=_pct(snap.progress)))


def _poll(analysis: Analysis[Any], params: dict[str, Any], first: bool) -> None:
    _poll_fragment(analysis, params, first)
