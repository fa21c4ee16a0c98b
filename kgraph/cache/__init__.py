"""Analyses computed once per change of the store, shared by every session and process.

An analysis (handover coverage, gaps, centrality, similar pairs, overview counts) is
computed from the store as it is; the store's change stamp (``GraphStore.change_stamp``:
the number and time of its newest history entry) moves with every committed write, from
any process. The cache keeps each result with the stamp it was computed from, in memory
(shared by every Streamlit session of the process) and in a small file beside the store
(shared by every process: other dashboards, the command line), so an unchanged store never
computes the same thing twice, and a write anywhere makes the next lookup compute afresh.
There is no timer.

Define an analysis once, at module level, and look it up wherever it is shown::

    from kgraph.cache import Analysis, cached, latest

    GAPS = Analysis("gaps", compute=find_gaps, encode=Gaps.to_dict, decode=Gaps.from_dict)

    gaps = cached(store, GAPS)                 # now: computed here if the stamp moved

    snap = latest(store, CENTRALITY, samples=300)   # never blocks
    snap.value          # the newest result so far (maybe of an older state), or None
    snap.current        # False: a computation of the current state is under way ...
    snap.running, snap.progress, snap.result.computed_at   # ... so show "stand van <time>"

``cached`` is for what takes well under a second; ``latest`` for what may take longer
(betweenness at 100,000 questions, similar pairs before vectors exist): it starts the
computation in a background thread (unless another process is at it already, whose
progress it then reports) and returns at once. Parameters (keyword arguments) are part of
the key. Results must be JSON after ``encode`` (the file never holds pickles) and are
shared: treat them as read-only.
"""

from __future__ import annotations

from typing import Any, TypeVar

from kgraph.cache.core import CACHE, Analysis, Latest, Result
from kgraph.store.base import GraphStore

T = TypeVar("T")

__all__ = [
    "Analysis",
    "Latest",
    "Result",
    "cache_file",
    "cached",
    "cached_result",
    "flush",
    "forget",
    "latest",
    "wait",
]


def cached(store: GraphStore, analysis: Analysis[T], **params: Any) -> T:
    """The value of ``analysis`` for the store as it is now: from memory, else from the
    cache file, else computed here (once: other threads asking meanwhile wait for it)."""
    return CACHE.cached(store, analysis, params).value


def cached_result(store: GraphStore, analysis: Analysis[T], **params: Any) -> Result[T]:
    """``cached``, with the stamp and times of the result."""
    return CACHE.cached(store, analysis, params)


def latest(
    store: GraphStore, analysis: Analysis[T], *, start: bool = True, **params: Any
) -> Latest[T]:
    """The newest result of ``analysis`` without waiting; unless it is current, a
    computation of the current state is started in the background (``start=False``: only
    look), or the one another process runs is reported."""
    return CACHE.latest(store, analysis, params, start)


def wait(
    store: GraphStore, analysis: Analysis[T], *, timeout: float = 3600.0, **params: Any
) -> Latest[T]:
    """``latest``, waiting up to ``timeout`` seconds for the current result (command line,
    tests)."""
    return CACHE.wait(store, analysis, params, timeout)


def flush() -> None:
    """Wait until every computed result is in its cache file (done at exit by itself)."""
    CACHE.flush()


def forget() -> None:
    """Drop the results this process holds in memory (the files keep theirs)."""
    CACHE.forget()


def cache_file(store: GraphStore) -> str | None:
    """The file the store's results are kept in (``None``: memory only)."""
    path = CACHE.file(store).path
    return str(path) if path is not None else None
