"""The questions most like one question, for the details beside it (``render(node_id)``).

Self-contained: its own widget keys (``similar_panel_*``), texts and messages, so any page
can place it, e.g. in the details pane of Verkennen. Each partner shows its score, why it
is proposed (shared words, or the same meaning in other words or another language), the
CoP/theme/register/language it comes from, and accept/dismiss buttons with the same
meaning as on the Vergelijkbare vragen page. A switch limits the list to questions from
another CoP/theme or register. The partners come from ``kgraph.analysis.similar_to``,
computed in the background when the store's vectors are not ready.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kgraph.analysis import SimilarResult, similar_to
from kgraph.model import QUESTION_KINDS
from kgraph.ui import i18n, similar_view, state, widgets
from kgraph.ui.i18n import t

ELSEWHERE = "similar_panel_elsewhere"
MORE = "similar_panel_more"
FLASH = "similar_panel_flash"
ERROR = "similar_panel_error"
#: partners shown, and shown after "more"
SHOWN = 5
SHOWN_MORE = 15


def partners(
    node_id: str, *, elsewhere: bool, top: int, wait: bool = True
) -> tuple[SimilarResult | None, Any]:
    """``similar_to`` for ``node_id`` on the dashboard's store (background-computed; see
    ``similar_view.computed``): the result or ``None`` while it is not ready, and the task."""
    h = state.handle()
    store = h.store
    family = ("similar_to", state.location(), node_id, elsewhere, top)
    key = (*family, h.stamp)

    def work(progress: Any) -> SimilarResult:
        return similar_to(store, node_id, top=top, elsewhere=elsewhere, progress=progress)

    return similar_view.computed(key, family, work, wait=wait)


def render(node_id: str) -> None:
    """List the questions most similar to question ``node_id`` (nothing for other kinds).

    The list is a fragment: while its partners are computed in the background it alone
    looks again every ``similar_view.POLL_S`` seconds and draws them when they are there,
    so the page around it is never drawn again for it.
    """
    node = state.store().get_node(node_id)
    if node is None or node.kind not in QUESTION_KINDS:
        return
    st.markdown(f"**{t('similar_panel_title')}**")
    similar_view.messages(FLASH, ERROR)
    elsewhere = bool(
        st.toggle(
            t("similar_panel_elsewhere"), key=ELSEWHERE, help=t("similar_panel_elsewhere_help")
        )
    )
    top = SHOWN_MORE if st.session_state.get(MORE) == node_id else SHOWN
    _, task = partners(node_id, elsewhere=elsewhere, top=top)  # started, given a moment
    poll = None if task.finished else similar_view.POLL_S
    st.fragment(_partners, run_every=poll)(node_id, elsewhere, top)


def _partners(node_id: str, elsewhere: bool, top: int) -> None:
    asked_more = st.session_state.get(MORE) == node_id
    if FLASH in st.session_state or ERROR in st.session_state or asked_more != (top > SHOWN):
        # accepted, dismissed or "more" here: the whole page is drawn again (the new link,
        # the message, the longer list)
        st.rerun(scope="app")
    result, task = partners(node_id, elsewhere=elsewhere, top=top, wait=False)
    similar_view.progress_note(task, had_result=result is not None)
    if result is None:
        return
    if not result.pairs:
        st.caption(t("similar_panel_none"))
        return
    can_edit = bool(state.actor()) and state.can("edit")
    for pair in result.pairs:
        with st.container(border=True):
            st.markdown(
                f"**{similar_view.score_text(pair.score)}** · {widgets.md(pair.b_title)} "
                f"({i18n.kind_label(pair.b_kind)})"
            )
            st.caption(
                similar_view.context_line(pair.b_context) + " — " + similar_view.reason_line(pair)
            )
            similar_view.buttons(
                pair,
                can_edit=can_edit,
                keys=(f"similar_panel_accept_{pair.b}", f"similar_panel_dismiss_{pair.b}"),
                flash=FLASH,
                error=ERROR,
                cells=tuple(st.columns(2)),  # type: ignore[arg-type]
            )
    if top == SHOWN and len(result.pairs) >= SHOWN:
        st.button(t("similar_panel_more"), key=MORE + "_button", on_click=_more, args=(node_id,))


def _more(node_id: str) -> None:
    """Show more partners of this question (another question starts with the few again)."""
    st.session_state[MORE] = node_id
