"""Vergelijkbare vragen: review the question pairs ``kgraph.analysis.find_similar`` proposes.

Accepting a pair links the two questions with ``RELATES_TO`` (``origin: similarity``);
dismissing it is remembered on both questions so the pair is not proposed again. Both are
one store transaction in the sidebar person's name, and the proposals refresh at once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis import (
    SimilarPair,
    SimilarResult,
    accept_similar,
    dismiss_similar,
    find_similar,
)
from kgraph.analysis.similar import DEFAULT_MIN_SCORE, DEFAULT_TOP, EXPLANATION
from kgraph.errors import KGraphError
from kgraph.model import QUESTION_KINDS
from kgraph.query import similar_review
from kgraph.store.base import GraphStore
from kgraph.ui import i18n, state, widgets
from kgraph.ui.explore_link import show_in_explore
from kgraph.ui.i18n import t

MIN_SCORE = "keep_similar_min_score"
TOP = "keep_similar_top"
FLASH = "similar_flash"
ERROR = "similar_error"


@st.cache_data(ttl=state.CACHE_TTL_S, max_entries=16, show_spinner=False)
def _similar(
    _store: GraphStore, loc: str, gen: tuple[int, int], min_score: float, top: int
) -> SimilarResult:
    return find_similar(_store, min_score=min_score, top=top)


def proposals(min_score: float, top: int) -> SimilarResult:
    """``find_similar`` on the dashboard's store, cached per store stamp and settings."""
    h = state.handle()
    return _similar(h.store, state.location(), h.stamp, round(min_score, 2), top)


def score_text(score: float) -> str:
    """A score with two decimals, with a decimal comma in Dutch."""
    text = f"{score:.2f}"
    return text.replace(".", ",") if i18n.lang() == "nl" else text


def _pair_names(pair: SimilarPair) -> dict[str, str]:
    return {"a": widgets.md(pair.a_title), "b": widgets.md(pair.b_title)}


# --- the edits (button callbacks: they run before the page is drawn again) ----------------


def _accept(pair: SimilarPair) -> None:
    who = state.actor()
    if not who:
        return
    try:
        with state.edit() as store:
            accept_similar(store, pair.a, pair.b, actor=who, score=pair.score)
    except KGraphError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.session_state[FLASH] = t("similar_accepted", who=widgets.md(who), **_pair_names(pair))


def _dismiss(pair: SimilarPair) -> None:
    who = state.actor()
    if not who:
        return
    try:
        with state.edit() as store:
            dismiss_similar(store, pair.a, pair.b, actor=who)
    except KGraphError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.session_state[FLASH] = t("similar_dismissed_done", who=widgets.md(who), **_pair_names(pair))


# --- page parts ---------------------------------------------------------------------------


def _pair(pair: SimilarPair, can_edit: bool) -> None:
    key = f"{pair.a}|{pair.b}"
    with st.container(border=True):
        left, right = st.columns([5, 2], vertical_alignment="center")
        with left:
            st.markdown(
                f"**{t('col_score')} {score_text(pair.score)}** · "
                + t("similar_shared", words=widgets.md(", ".join(pair.shared) or "–"))
            )
            st.markdown(
                f"- {widgets.md(pair.a_title)} ({i18n.kind_label(pair.a_kind)})\n"
                f"- {widgets.md(pair.b_title)} ({i18n.kind_label(pair.b_kind)})"
            )
        with right:
            st.button(
                t("similar_accept"),
                key=f"similar_accept_{key}",
                on_click=_accept,
                args=(pair,),
                disabled=not can_edit,
                type="primary",
                icon=":material/link:",
                width="stretch",
                help=t("similar_accept_help"),
            )
            st.button(
                t("similar_dismiss"),
                key=f"similar_dismiss_{key}",
                on_click=_dismiss,
                args=(pair,),
                disabled=not can_edit,
                icon=":material/block:",
                width="stretch",
                help=t("similar_dismiss_help"),
            )
            if st.button(
                t("similar_both"), key=f"similar_explore_{key}", icon=":material/hub:",
                width="stretch",
            ):  # fmt: skip
                show_in_explore([pair.a, pair.b])


def _reviewed() -> None:
    """What people decided so far: the accepted links and the dismissed pairs."""
    questions = {n.id: n for n in state.nodes(sorted(QUESTION_KINDS))}
    review = similar_review(questions.values(), state.edges(("RELATES_TO",)))
    linked, dismissed = review.linked, review.dismissed

    def title(node_id: str) -> str:
        node = questions.get(node_id)
        return node.title if node is not None else node_id

    with st.expander(t("similar_linked_title", n=len(linked))):
        rows: list[dict[str, Any]] = [
            {
                t("col_question_a"): title(e.src),
                t("col_question_b"): title(e.dst),
                t("col_score"): e.props.get("score"),
                t("col_who"): e.updated_by or "–",
                t("col_when"): widgets.short_time(e.updated_at),
            }
            for e in linked
        ]
        if rows:
            widgets.table(
                pd.DataFrame(rows),
                hide_index=True,
                width="stretch",
                column_config={t("col_score"): st.column_config.NumberColumn(format="%.2f")},
            )
        else:
            st.caption(t("similar_none_yet"))
    with st.expander(t("similar_dismissed_title", n=len(dismissed))):
        if dismissed:
            widgets.table(
                pd.DataFrame(
                    [
                        {t("col_question_a"): title(a), t("col_question_b"): title(b)}
                        for a, b in dismissed
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption(t("similar_none_yet"))


def render() -> None:
    st.title(t("page_similar"))
    st.caption(t(EXPLANATION))
    st.session_state.setdefault(MIN_SCORE, DEFAULT_MIN_SCORE)
    st.session_state.setdefault(TOP, DEFAULT_TOP)
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(widgets.md(error), icon=":material/error:")
    can_edit = bool(state.actor()) and state.can("edit")
    if not state.can("edit"):
        st.info(t("read_only"), icon=":material/visibility:")
    elif not can_edit:
        st.info(t("name_needed"), icon=":material/person:")
    c1, c2 = st.columns([3, 1])
    min_score = c1.slider(
        t("similar_min_score"),
        min_value=0.05,
        max_value=1.0,
        step=0.05,
        key=MIN_SCORE,
        help=t("similar_min_score_help"),
    )
    top = c2.number_input(t("similar_top"), min_value=1, max_value=500, step=10, key=TOP)
    with st.spinner(t("similar_busy")):
        result = proposals(float(min_score), int(top))
    st.caption(
        t(
            "similar_found",
            n=len(result.pairs),
            questions=result.questions,
            linked=result.skipped_linked,
            dismissed=result.skipped_dismissed,
        )
    )
    if not result.pairs:
        st.info(t("similar_none"))
    for pair in result.pairs:
        _pair(pair, can_edit)
    _reviewed()


if __name__ == "__main__":
    render()
