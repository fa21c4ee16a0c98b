"""A paging bar for any list the store reads a page at a time: ‹ page ›, rows per page,
and "rows 26–50 of 11,000" (Dutch or English).

The page reads only the rows it shows (``GraphStore.find_nodes(query, limit=, offset=)``);
this widget only keeps which page is open::

    total = store.count_nodes(query)
    page = paging.pager("questions", total, reset=filters)     # draws the bar
    rows = store.find_nodes(query, limit=page.limit, offset=page.offset)

``reset``: anything that, when it changes (the filters, the sort), sends the list back to
its first page. The page number and size live in ``st.session_state`` under keys starting
with ``keep_`` (``state.KEEP``), so they survive a visit to another page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kgraph import texts
from kgraph.ui import i18n
from kgraph.ui.i18n import t

SIZES: tuple[int, ...] = (25, 50, 100)


@dataclass(frozen=True)
class Page:
    """Which rows to read: ``limit`` rows from ``offset``; ``number`` counts from 1."""

    offset: int
    limit: int
    number: int
    pages: int
    total: int


def _keys(key: str) -> tuple[str, str, str]:
    return f"keep_{key}_page", f"keep_{key}_size", f"keep_{key}_reset"


def count(n: int) -> str:
    """A whole number grouped as the chosen language writes it (``11.000``)."""
    return texts.text("count", i18n.lang(), n=n)


def _step(key: str, by: int, pages: int) -> None:
    page_key = _keys(key)[0]
    st.session_state[page_key] = max(1, min(pages, int(st.session_state.get(page_key, 1)) + by))


def pager(
    key: str,
    total: int,
    *,
    sizes: Sequence[int] = SIZES,
    reset: Any = None,
    where: Any = None,
) -> Page:
    """Draw the paging bar of a list of ``total`` rows (nothing but the count when one
    page holds them all) in ``where`` (default: the page) and say which rows to read."""
    page_key, size_key, reset_key = _keys(key)
    box = where if where is not None else st
    marker = repr(reset)
    if st.session_state.get(reset_key) != marker:
        st.session_state[reset_key] = marker
        st.session_state[page_key] = 1
    size = int(st.session_state.get(size_key, sizes[0]))
    if size not in sizes:
        size = sizes[0]
    pages = max(1, -(-total // size))
    number = max(1, min(pages, int(st.session_state.get(page_key, 1))))
    st.session_state[page_key] = number
    first = (number - 1) * size
    shown = t(
        "rows_shown",
        first=count(first + 1 if total else 0),
        last=count(min(total, first + size)),
        total=count(total),
    )
    if total <= sizes[0]:
        box.caption(shown)
        return Page(first, size, number, pages, total)
    c1, c2, c3, c4, c5 = box.columns([1, 2, 1, 2, 4], vertical_alignment="bottom")
    c1.button(
        "",
        icon=":material/chevron_left:",
        key=f"{key}_prev",
        help=t("page_previous"),
        disabled=number <= 1,
        on_click=_step,
        args=(key, -1, pages),
    )
    c2.number_input(
        t("page_of", pages=count(pages)),
        min_value=1,
        max_value=pages,
        step=1,
        key=page_key,
    )
    c3.button(
        "",
        icon=":material/chevron_right:",
        key=f"{key}_next",
        help=t("page_next"),
        disabled=number >= pages,
        on_click=_step,
        args=(key, 1, pages),
    )
    c4.selectbox(
        t("page_size"),
        list(sizes),
        index=list(sizes).index(size),
        key=size_key,
    )
    c5.caption(shown)
    return Page(first, size, number, pages, total)
