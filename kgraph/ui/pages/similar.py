"""Vergelijkbare vragen: review the question pairs ``kgraph.analysis.find_similar`` proposes.

Pairs are found by meaning and words, across languages; each side shows where it comes
from (CoP/theme, register, language) and why the pair is proposed. The list can be
limited to pairs across CoPs or registers, or hold one register against another, and is
paged. The finder runs in the background (``similar_view.computed``): while the
questions' vectors are computed the page shows the progress and the last list it had.

Accepting a pair links the two questions with ``RELATES_TO`` (``origin: similarity``);
dismissing it is remembered on both questions so the pair is not proposed again. Both are
one store transaction in the sidebar person's name, and the proposals refresh at once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis import SimilarPair, SimilarResult, find_similar
from kgraph.analysis.similar import DEFAULT_MIN_SCORE, EXPLANATION
from kgraph.model import QUESTION_KINDS
from kgraph.query import similar_review
from kgraph.ui import i18n, similar_view, state, widgets
from kgraph.ui.explore_link import show_in_explore
from kgraph.ui.i18n import t

MIN_SCORE = "keep_similar_min_score"
SCOPE = "keep_similar_scope"
REGISTER_A = "keep_similar_register_a"
REGISTER_B = "keep_similar_register_b"
PAGE = "similar_page"
FLASH = "similar_flash"
ERROR = "similar_error"
#: pairs on one page of the list, and the most the finder is asked for
PAGE_SIZE = 20
MAX_PAIRS = 500
SCOPES = ("all", "cops", "registers", "register")
#: the minimum scores offered: 0.05 to 1 in steps of 0.05
SCORE_STEPS = tuple(round(0.05 * i, 2) for i in range(1, 21))


def score_text(score: float) -> str:
    """A score with two decimals, with a decimal comma in Dutch."""
    return similar_view.score_text(score)


def proposals(
    min_score: float, scope: str = "all", register: str | None = None, against: str | None = None
) -> tuple[SimilarResult | None, Any]:
    """``find_similar`` on the dashboard's store for these settings: the result (or the
    last one while a new one is computed in the background, or ``None``) and the task."""
    h = state.handle()
    store = h.store
    settings = (round(min_score, 2), scope, register, against)
    family = ("similar", state.location(), settings)
    key = (*family, h.stamp)

    def work(progress: Any) -> SimilarResult:
        return find_similar(
            store,
            min_score=settings[0],
            top=MAX_PAIRS,
            across_cops=scope == "cops",
            across_registers=scope == "registers",
            register=register if scope == "register" else None,
            against=against if scope == "register" else None,
            progress=progress,
        )

    return similar_view.computed(key, family, work)


# --- page parts ---------------------------------------------------------------------------


def _pair(pair: SimilarPair, can_edit: bool) -> None:
    key = f"{pair.a}|{pair.b}"
    with st.container(border=True):
        left, right = st.columns([5, 2], vertical_alignment="center")
        with left:
            st.markdown(
                f"**{t('col_score')} {score_text(pair.score)}** · " + similar_view.reason_line(pair)
            )
            for title, kind, ctx in (
                (pair.a_title, pair.a_kind, pair.a_context),
                (pair.b_title, pair.b_kind, pair.b_context),
            ):
                st.markdown(f"- {widgets.md(title)} ({i18n.kind_label(kind)})")
                st.caption(similar_view.context_line(ctx))
        with right:
            similar_view.buttons(
                pair,
                can_edit=can_edit,
                keys=(f"similar_accept_{key}", f"similar_dismiss_{key}"),
                flash=FLASH,
                error=ERROR,
            )
            if st.button(
                t("similar_both"),
                key=f"similar_explore_{key}",
                icon=":material/hub:",
                width="stretch",
            ):
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


def _registers() -> list[str]:
    names = {str(n.props.get("register") or "") for n in state.nodes(sorted(QUESTION_KINDS))}
    return sorted(n for n in names if n)


def _settings() -> tuple[float, str, str | None, str | None]:
    """The controls: minimum score, which pairs, and the two registers if asked."""
    st.session_state.setdefault(MIN_SCORE, DEFAULT_MIN_SCORE)
    st.session_state.setdefault(SCOPE, "all")
    c1, c2 = st.columns([1, 2])
    min_score = c1.select_slider(
        t("similar_min_score"),
        options=SCORE_STEPS,
        key=MIN_SCORE,
        format_func=score_text,  # a decimal comma in Dutch
        help=t("similar_min_score_help"),
        on_change=_first_page,
    )
    scope = c2.radio(
        t("similar_scope"),
        SCOPES,
        key=SCOPE,
        format_func=lambda s: t(f"similar_scope_{s}"),
        horizontal=True,
        on_change=_first_page,
    )
    register = against = None
    if scope == "register":
        names = _registers()
        if len(names) < 2:
            st.info(t("similar_two_registers"), icon=":material/info:")
            return float(min_score), "all", None, None
        r1, r2 = st.columns(2)
        register = r1.selectbox(
            t("similar_register_a"), names, key=REGISTER_A, on_change=_first_page
        )
        others = [n for n in names if n != register]
        if st.session_state.get(REGISTER_B) not in others:
            st.session_state[REGISTER_B] = others[0]
        against = r2.selectbox(
            t("similar_register_b"), others, key=REGISTER_B, on_change=_first_page
        )
    return float(min_score), str(scope), register, against


def _first_page() -> None:
    st.session_state[PAGE] = 1


def _pager(total: int) -> list[int]:
    """The page chosen (1-based) and the rows it shows, with the controls under the list."""
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, int(st.session_state.get(PAGE, 1))), pages)
    st.session_state[PAGE] = page
    return list(range((page - 1) * PAGE_SIZE, min(total, page * PAGE_SIZE)))


def _pager_controls(total: int) -> None:
    pages = max(1, -(-total // PAGE_SIZE))
    if pages <= 1:
        return
    page = int(st.session_state.get(PAGE, 1))
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    left.button(
        t("similar_previous"),
        key="similar_prev",
        disabled=page <= 1,
        icon=":material/chevron_left:",
        on_click=lambda: st.session_state.update({PAGE: page - 1}),
        width="stretch",
    )
    middle.markdown(t("similar_page_of", page=page, pages=pages), text_alignment="center")
    right.button(
        t("similar_next"),
        key="similar_next",
        disabled=page >= pages,
        icon=":material/chevron_right:",
        on_click=lambda: st.session_state.update({PAGE: page + 1}),
        width="stretch",
    )


def render() -> None:
    st.title(t("page_similar"))
    st.caption(t(EXPLANATION))
    similar_view.messages(FLASH, ERROR)
    can_edit = bool(state.actor()) and state.can("edit")
    if not state.can("edit"):
        st.info(t("read_only"), icon=":material/visibility:")
    elif not can_edit:
        st.info(t("name_needed"), icon=":material/person:")
    min_score, scope, register, against = _settings()
    result, task = proposals(min_score, scope, register, against)
    if not (task.finished and task.error is None):
        similar_view.waiting(task, key="similar_waiting", had_result=result is not None)
    if result is None:
        _reviewed()
        return
    st.caption(
        t(
            "similar_found",
            n=len(result.pairs),
            questions=result.questions,
            linked=result.skipped_linked,
            dismissed=result.skipped_dismissed,
        )
        + (" " + t("similar_capped", n=MAX_PAIRS) if len(result.pairs) >= MAX_PAIRS else "")
    )
    if not result.pairs:
        st.info(t("similar_none"))
    for row in _pager(len(result.pairs)):
        _pair(result.pairs[row], can_edit)
    _pager_controls(len(result.pairs))
    _reviewed()


if __name__ == "__main__":
    render()
