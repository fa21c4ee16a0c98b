"""The store behind the dashboard, created once per location and shared by all sessions.

The embedded store is safe to share between Streamlit's script threads (one connection
behind a re-entrant lock). Each session sees it through a ``GuardedStore`` for the person
signed in (``kgraph.ui.signin``): ``store()`` and ``edit()`` return that guard, so a write
the person's role does not allow raises ``PermissionDenied`` before anything is touched,
and every change is recorded under their name. The cached reads below use the shared
store itself: reading is the same for every role. Reads and analyses that pages repeat on
every rerun go through ``kgraph.cache``, keyed by the store's change stamp (its newest
history entry), so an edit is visible at once in every session, and a change made by
another process (the CLI, a second dashboard) at the next rerun; nothing expires by time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from kgraph.auth.guard import GuardedStore, allows
from kgraph.cache import Analysis, Latest
from kgraph.model import Edge, Node
from kgraph.redact import redact_location
from kgraph.store import default_location, open_store
from kgraph.store.base import DEFAULT_CAP, Counts, GraphStore, Subgraph

if TYPE_CHECKING:
    from kgraph.analysis.handover import HandoverCoverage
    from kgraph.importers.registers import Register

T = TypeVar("T")

#: for pages that still cache with ``st.cache_data`` keyed on ``StoreHandle.stamp``: no
#: timer (``None``); the stamp alone says when a read is stale. New code uses ``cached``.
CACHE_TTL_S = None
#: the most nodes the network view draws
DRAW_CAP = DEFAULT_CAP


@dataclass
class StoreHandle:
    """One open store and the generation counter its cached reads are keyed on."""

    store: GraphStore
    generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def bump(self) -> None:
        with self._lock:
            self.generation += 1

    @property
    def stamp(self) -> tuple[int, int]:
        """What cached reads are keyed on: this process's edits and the store's newest
        change, so a change made by another process is seen at the next rerun too."""
        return self.generation, self.store.last_change()


def _seed_if_empty(store: GraphStore) -> None:
    """A brand-new store starts with the City Deal graph (as ``kgraph seed`` does)."""
    from kgraph.paths import seed_folder

    folder = seed_folder()
    if not folder.is_dir() or not store.is_empty():
        return
    from kgraph.seeding import seed_store

    seed_store(store, folder)


@st.cache_resource(show_spinner=False)
def _open(location: str) -> StoreHandle:
    store = open_store(location, actor="dashboard")
    _seed_if_empty(store)
    return StoreHandle(store)


def location() -> str:
    """Where the dashboard's store lives: ``KGRAPH_STORE`` or the default location."""
    return default_location()


def shown_location() -> str:
    """The store's location as people may see it: never a password, query or fragment
    (``kgraph.redact.redact_location``)."""
    return redact_location(location())


def handle() -> StoreHandle:
    return _open(location())


#: who the read-only guard names while nobody is named in local mode (it can never write)
NOBODY = "anonymous"


def store() -> GraphStore:
    """This session's view of the shared store: a ``GuardedStore`` for ``actor()`` with
    ``role()`` (read-only while nobody is named). Use it for reads that are not worth
    caching and, through ``edit()``, for every write."""
    who = actor()
    return GuardedStore(handle().store, who or NOBODY, role() if who else "viewer")


def actor() -> str:
    """Who is making changes: the signed-in person, or with no sign-in configured the name
    typed in the sidebar (empty when nobody is named yet, or the app did not let anyone
    in this run)."""
    from kgraph.ui import signin

    access = signin.current()
    if access is None:
        return ""
    if access.user is not None:
        return access.user.name
    if access.mode != "none":
        return ""
    return str(st.session_state.get("actor", "") or "").strip()


def role() -> str:
    """The person's role: the signed-in person's; with no sign-in configured the local
    person may do everything; anyone else only reads."""
    from kgraph.ui import signin

    access = signin.current()
    if access is not None and access.user is not None:
        return access.user.role
    if access is not None and access.mode == "none" and access.refusal is None:
        return signin.LOCAL_ROLE
    return "viewer"


def can(action: str) -> bool:
    """Whether this session's person may do ``action`` (see ``kgraph.auth.guard.ACTIONS``);
    pages use it to hide what the store would refuse anyway."""
    return allows(role(), action)


@contextmanager
def edit() -> Iterator[GraphStore]:
    """One store transaction through this session's guard, in the person's name; cached
    reads refresh after it. ``PermissionDenied`` when the role does not allow writing."""
    h = handle()
    guarded = store()
    try:
        with guarded.transaction():
            yield guarded
    finally:
        h.bump()


# --- cached reads ---------------------------------------------------------------------
# Through ``kgraph.cache``: keyed by the store's change stamp, shared by every session of
# the process (and, for analyses, by every process through the file beside the store).
# A write from anywhere makes the next read see it; nothing expires by time.


def _read(name: str, read: Callable[..., Any]) -> Analysis[Any]:
    # plain reads are as cheap to repeat as to read back from a file: memory only
    return Analysis(f"ui_{name}", read, persist=False)


_NODES = _read("nodes", lambda store, kinds: store.nodes(list(kinds) or None))
_EDGES = _read("edges", lambda store, kinds: store.edges(list(kinds) or None))
_COUNTS = _read("counts", lambda store: store.counts())
_EVERYTHING = _read("everything", lambda store: store.export_all())
_NEIGHBOURHOOD = _read(
    "neighbourhood",
    lambda store, focus, depth, kinds, cap: store.neighbourhood(
        list(focus), depth, kinds=list(kinds) or None, cap=cap
    ),
)


def cached(analysis: Analysis[T], **params: Any) -> T:
    """``kgraph.cache.cached`` on the dashboard's store: computed once per change of the
    store, shared by every session (for what takes well under a second)."""
    from kgraph.cache import cached as lookup

    return lookup(handle().store, analysis, **params)


def latest(analysis: Analysis[T], *, wait_s: float = 0.0, **params: Any) -> Latest[T]:
    """``kgraph.cache.latest`` on the dashboard's store, after waiting up to ``wait_s``
    seconds for the current result (a quick one is then shown at once, a slow one in the
    background with the last result meanwhile; see ``widgets.as_of``)."""
    from kgraph.cache import latest as look
    from kgraph.cache import wait

    store = handle().store
    if wait_s > 0:
        return wait(store, analysis, timeout=wait_s, **params)
    return look(store, analysis, **params)


def handover_coverage() -> HandoverCoverage:
    """``kgraph.analysis.handover.handover_coverage`` of the store, cached."""
    from kgraph.analysis.cached import HANDOVER_COVERAGE

    return cached(HANDOVER_COVERAGE)


def everything() -> Subgraph:
    """The whole graph (for the export page), cached."""
    return cached(_EVERYTHING)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=4, show_spinner=False)
def _registers(_store: GraphStore, loc: str, gen: tuple[int, int]) -> list[Register]:
    from kgraph.importers.registers import known_registers

    return known_registers(_store)


def registers() -> list[Register]:
    """The registers the store knows (``kgraph.importers.registers``), cached."""
    h = handle()
    return _registers(h.store, location(), h.stamp)


def nodes(kinds: Sequence[str] = ()) -> list[Node]:
    """Nodes of the given kinds (all when empty), ordered by kind and id."""
    return cached(_NODES, kinds=sorted(kinds))


def edges(kinds: Sequence[str] = ()) -> list[Edge]:
    """Edges of the given kinds (all when empty)."""
    return cached(_EDGES, kinds=sorted(kinds))


def counts() -> Counts:
    return cached(_COUNTS)


def neighbourhood(
    focus: Sequence[str], depth: int, kinds: Sequence[str] = (), cap: int = DRAW_CAP
) -> Subgraph:
    """The capped neighbourhood of ``focus`` (see ``GraphStore.neighbourhood``)."""
    return cached(_NEIGHBOURHOOD, focus=list(focus), depth=depth, kinds=sorted(kinds), cap=cap)


def titles(ids: Sequence[str]) -> dict[str, str]:
    """Titles of the given node ids (``kgraph.query.titles`` on this session's store)."""
    from kgraph.query import titles as read_titles

    return read_titles(store(), ids)


#: widget keys starting with this keep their values while another page is open
#: (never used for buttons or uploads, whose values cannot be set)
KEEP = "keep_"


def keep_widget_state() -> None:
    """Streamlit forgets a widget's value when a run does not draw it (another page is
    open); writing the value back at the start of every run keeps it."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP):
            st.session_state[key] = st.session_state[key]
