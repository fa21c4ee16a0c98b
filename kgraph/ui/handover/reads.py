"""What the Overdracht page reads, cached per store change: a page of the handover table,
the open actions, the meetings and the source titles. Every entry is keyed on the store's
stamp (``state.handle().stamp``: this process's edits and the store's newest change), so an
edit shows at the next run and an unchanged store is not read again."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kgraph import actions, meetings, sources
from kgraph.dates import today
from kgraph.handover_table import TablePage, TableQuery, handover_table
from kgraph.store.base import GraphStore
from kgraph.ui import state

# The underscore keeps Streamlit from hashing the store; location and stamp are the key.


@st.cache_data(max_entries=64, show_spinner=False)
def _table(
    _store: GraphStore, loc: str, stamp: tuple[int, int], query: TableQuery, day: date
) -> TablePage:
    return handover_table(_store, query, today=day)


@st.cache_data(max_entries=8, show_spinner=False)
def _actions(
    _store: GraphStore, loc: str, stamp: tuple[int, int], day: date
) -> list[actions.Action]:
    return actions.actions(_store, today=day)


@st.cache_data(max_entries=8, show_spinner=False)
def _meetings(_store: GraphStore, loc: str, stamp: tuple[int, int]) -> list[meetings.Meeting]:
    return meetings.meetings(_store)


@st.cache_data(max_entries=8, show_spinner=False)
def _titles(_store: GraphStore, loc: str, stamp: tuple[int, int]) -> dict[str, str]:
    return sources.source_titles(_store)


def table(query: TableQuery) -> TablePage:
    """One page of the handover table (``kgraph.handover_table``)."""
    h = state.handle()
    return _table(h.store, state.location(), h.stamp, query, today())


def all_actions() -> list[actions.Action]:
    """Every action, open and done, ordered by deadline."""
    h = state.handle()
    return _actions(h.store, state.location(), h.stamp, today())


def all_meetings() -> list[meetings.Meeting]:
    """Every meeting, earliest first."""
    h = state.handle()
    return _meetings(h.store, state.location(), h.stamp)


def source_titles() -> dict[str, str]:
    """Every imported file's title (``kgraph.sources``)."""
    h = state.handle()
    return _titles(h.store, state.location(), h.stamp)
