"""What the similar-question page and the per-question panel share: computing in the
background, one proposal drawn as a card, and accepting or dismissing it.

Both ask ``kgraph.analysis`` (``find_similar`` / ``similar_to``) through
``similar_in_background``: while vectors are being computed the page keeps working, shows
the progress and the last result it had, and refreshes itself when the new one is there.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any

import streamlit as st

from kgraph.analysis import SimilarPair, accept_similar, dismiss_similar
from kgraph.analysis.similar_index import QuestionContext
from kgraph.analysis.similar_jobs import Task, similar_in_background
from kgraph.errors import KGraphError
from kgraph.ui import i18n, state, widgets
from kgraph.ui.i18n import t

#: how often a waiting page looks at its background task (seconds)
POLL_S = 1.0
#: how long a page waits for a fresh result before it shows the last one (seconds)
WAIT_FRESH_S = 1.0
WAIT_FIRST_S = 1.0
#: pairs this session accepted or dismissed: left out of a last result still shown
DONE = "similar_done_pairs"


def score_text(score: float) -> str:
    """A score with two decimals, with a decimal comma in Dutch."""
    text = f"{score:.2f}"
    return text.replace(".", ",") if i18n.lang() == "nl" else text


def lang_name(code: str) -> str:
    """The name of a language code in the UI language (``""`` for an unknown one)."""
    key = f"similar_lang_{code}"
    return t(key) if code and key in i18n.STRINGS else ""


def context_line(ctx: QuestionContext) -> str:
    """Where a question comes from, for Markdown: CoP/theme, register, language."""
    parts = []
    if ctx.cops:
        parts.append(t("similar_ctx_cop", names=widgets.md(", ".join(ctx.cops))))
    if ctx.themes:
        parts.append(t("similar_ctx_theme", names=widgets.md(", ".join(ctx.themes))))
    if not ctx.cops and not ctx.themes:
        parts.append(t("similar_ctx_nowhere"))
    if ctx.register:
        parts.append(t("similar_ctx_register", name=widgets.md(ctx.register)))
    if ctx.lang:
        parts.append(lang_name(ctx.lang))
    return " · ".join(p for p in parts if p)


def reason_line(pair: SimilarPair) -> str:
    """Why a pair is proposed: the shared words, or the same meaning in other words or
    another language (naming both)."""
    if pair.shared:
        return t("similar_shared", words=widgets.md(", ".join(pair.shared)))
    if pair.other_language:
        return t(
            pair.meaning_reason,
            a=lang_name(pair.a_context.lang),
            b=lang_name(pair.b_context.lang),
        )
    return t(pair.meaning_reason)


# --- background -------------------------------------------------------------------------


def computed(
    key: Hashable, family: Hashable, work: Callable[..., Any], *, wait: bool = True
) -> tuple[Any, Task]:
    """The result of ``work(progress)`` for ``key`` once finished, else the last result of
    ``family`` (or ``None``), and the task; see ``similar_in_background``. With ``wait``,
    waits a moment for the fresh result (``WAIT_FRESH_S``, or ``WAIT_FIRST_S`` when there is
    no last one): a small or prepared store answers within it."""
    task, last = similar_in_background(key, work, family=family)
    if wait and not task.finished:
        task.wait(WAIT_FRESH_S if last is not None else WAIT_FIRST_S)
    if task.finished and task.error is None:
        return task.result, task
    if last is None:
        return None, task
    done = st.session_state.get(DONE, set())
    result = last.result
    pairs = [p for p in result.pairs if (p.a, p.b) not in done]
    return replace(result, pairs=pairs), task


def progress_note(task: Task, *, had_result: bool) -> None:
    """What a running task has done so far (the questions embedded, then "comparing"),
    and that the list below is the previous one; a failure as an error."""
    if task.finished and task.error is not None:
        st.error(t("similar_failed", error=widgets.md(task.error)), icon=":material/error:")
        return
    if task.finished:
        return
    if task.total and task.done < task.total:
        st.progress(
            min(1.0, task.done / task.total),
            text=t("similar_embedding_progress", done=task.done, total=task.total),
        )
    else:
        st.caption(t("similar_busy"))
    if had_result:
        st.caption(t("similar_showing_last"))


def waiting(task: Task, *, key: str, had_result: bool) -> None:
    """``progress_note`` refreshed every ``POLL_S`` seconds; the whole page is drawn again
    once the task has finished (for a page whose content is the result)."""
    if task.finished:
        progress_note(task, had_result=had_result)
        return

    @st.fragment(run_every=POLL_S)
    def poll() -> None:
        if task.finished:
            st.rerun(scope="app")
        progress_note(task, had_result=had_result)

    with st.container(key=key):
        poll()


# --- edits (button callbacks: they run before the page is drawn again) -------------------


def _done(pair: SimilarPair) -> None:
    done = set(st.session_state.get(DONE, set()))
    done.add((pair.a, pair.b))
    st.session_state[DONE] = done


def _names(pair: SimilarPair) -> dict[str, str]:
    return {"a": widgets.md(pair.a_title), "b": widgets.md(pair.b_title)}


def accept(pair: SimilarPair, flash: str, error: str) -> None:
    """Link the pair (``accept_similar``) in the person's name; say how it went."""
    who = state.actor()
    if not who:
        return
    try:
        with state.edit() as store:
            accept_similar(store, pair.a, pair.b, actor=who, score=pair.score)
    except KGraphError as exc:
        st.session_state[error] = str(exc)
        return
    _done(pair)
    st.session_state[flash] = t("similar_accepted", who=widgets.md(who), **_names(pair))


def dismiss(pair: SimilarPair, flash: str, error: str) -> None:
    """Dismiss the pair (``dismiss_similar``) in the person's name; say how it went."""
    who = state.actor()
    if not who:
        return
    try:
        with state.edit() as store:
            dismiss_similar(store, pair.a, pair.b, actor=who)
    except KGraphError as exc:
        st.session_state[error] = str(exc)
        return
    _done(pair)
    st.session_state[flash] = t("similar_dismissed_done", who=widgets.md(who), **_names(pair))


def messages(flash: str, error: str) -> None:
    """Show (once) what the last accept/dismiss said."""
    said = st.session_state.pop(flash, None)
    if said:
        st.success(said, icon=":material/check:")
    failed = st.session_state.pop(error, None)
    if failed:
        st.error(widgets.md(failed), icon=":material/error:")


def buttons(
    pair: SimilarPair,
    *,
    can_edit: bool,
    keys: tuple[str, str],
    flash: str,
    error: str,
    cells: tuple[Any, Any] | None = None,
) -> None:
    """Accept and dismiss for one pair, with these two widget keys; in ``cells`` (two
    containers side by side) or one above the other."""
    first, second = cells if cells is not None else (st, st)
    first.button(
        t("similar_accept"),
        key=keys[0],
        on_click=accept,
        args=(pair, flash, error),
        disabled=not can_edit,
        type="primary",
        icon=":material/link:",
        width="stretch",
        help=t("similar_accept_help"),
    )
    second.button(
        t("similar_dismiss"),
        key=keys[1],
        on_click=dismiss,
        args=(pair, flash, error),
        disabled=not can_edit,
        icon=":material/block:",
        width="stretch",
        help=t("similar_dismiss_help"),
    )
