"""The cache itself: results in memory and on disk, keyed by the store's change stamp; one
computation at a time per analysis; expensive ones in a background thread.

Every lookup first reads ``store.change_stamp()`` (one indexed read). A result is current
when it was computed from a state with that stamp, so a write from any process makes the
next lookup compute afresh, and nothing else ever does: there is no timer.
"""

from __future__ import annotations

import atexit
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from kgraph.cache import disk
from kgraph.store.base import GraphStore

log = logging.getLogger(__name__)
T = TypeVar("T")

#: results kept in memory (each analysis and parameter set counts once)
MEMORY_ENTRIES = 64
#: how often a background computation tells other processes it is still alive
BEAT_S = 5.0


@dataclass(frozen=True)
class Analysis(Generic[T]):
    """An analysis the cache may keep: its ``name`` (unique), how to ``compute`` it
    (``compute(store, **params)``; with ``progress`` also ``progress=callback``, the
    callback taking the fraction done, 0..1), and how its result becomes JSON and back
    (``encode``/``decode``; leave them out for a result that is JSON already; ``persist``
    ``False`` keeps it in memory only, and then it need not be JSON). Raise
    ``version`` whenever the result's shape changes: results of another version are never
    read back."""

    name: str
    compute: Callable[..., T]
    version: int = 1
    encode: Callable[[T], Any] | None = None
    decode: Callable[[Any], T] | None = None
    progress: bool = False
    #: also keep results in the cache file (``False``: memory only, for reads that cost
    #: less than reading them back, such as a list of nodes)
    persist: bool = True


@dataclass(frozen=True)
class Result(Generic[T]):
    """A computed result: its ``value``, the ``stamp`` of the state it was computed from,
    when it was computed (``computed_at``, ISO UTC) and in how many ``seconds``.

    Values are shared by every session: treat them as read-only."""

    value: T
    stamp: str
    computed_at: str
    seconds: float
    read_at: float = 0.0


@dataclass(frozen=True)
class Latest(Generic[T]):
    """What ``latest`` knows: the newest ``result`` (``None`` before the first one), whether
    it is ``current`` (of the store as it is now), whether a computation of the current
    state is ``running`` (here or in another process) and its ``progress`` (0..1, when
    known), and the ``error`` of the last attempt, if it failed."""

    result: Result[T] | None
    current: bool
    running: bool = False
    progress: float | None = None
    error: str | None = None

    @property
    def value(self) -> T | None:
        return self.result.value if self.result is not None else None


@dataclass
class _Job:
    stamp: str
    thread: threading.Thread | None = None
    progress: float | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Cache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._memory: OrderedDict[disk.Key, Result[Any]] = OrderedDict()
        self._flights: dict[disk.Key, threading.Lock] = {}
        self._jobs: dict[disk.Key, _Job] = {}
        self._failed: dict[disk.Key, tuple[str, str]] = {}  # key -> (stamp, message)
        self._files: dict[tuple[str, str], disk.DiskCache] = {}
        self._writes: list[threading.Thread] = []

    # --- where ---------------------------------------------------------------------------

    def store_id(self, store: GraphStore) -> tuple[str, str]:
        location = store.location
        if store.backend == "embedded":
            location = str(Path(location).resolve())
        return store.backend, location

    def file(self, store: GraphStore) -> disk.DiskCache:
        where = self.store_id(store)
        with self._lock:
            found = self._files.get(where)
            if found is None:
                found = self._files[where] = disk.DiskCache(disk.file_for(*where))
            return found

    def key(self, store: GraphStore, analysis: Analysis[Any], params: dict[str, Any]) -> disk.Key:
        backend, location = self.store_id(store)
        canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
        return (f"{backend}:{location}", analysis.name, analysis.version, canonical)

    # --- memory --------------------------------------------------------------------------

    def remembered(self, key: disk.Key) -> Result[Any] | None:
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
            return found

    def remember(self, key: disk.Key, result: Result[Any]) -> None:
        with self._lock:
            old = self._memory.get(key)
            if old is not None and old.read_at > result.read_at:
                return  # a later state's result is here already
            self._memory[key] = result
            self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._memory.clear()
            self._failed.clear()

    # --- reading and computing -----------------------------------------------------------

    def from_disk(
        self, store: GraphStore, analysis: Analysis[T], key: disk.Key, stamp: str | None
    ) -> Result[T] | None:
        """The file's result: of ``stamp`` only, or (``None``) whichever it has."""
        if not analysis.persist:
            return None
        files = self.file(store)
        head = files.head(key)
        if head is None or (stamp is not None and head.stamp != stamp):
            return None
        mine = self.remembered(key)
        if mine is not None and mine.stamp == head.stamp:
            return mine
        data = files.data(key, head.stamp)
        if data is None:
            return None
        try:
            value = analysis.decode(data) if analysis.decode else data
        except Exception as exc:  # an old or foreign shape: compute it again
            log.info("analysis cache: cannot read %s back: %s", analysis.name, exc)
            return None
        result = Result(value, head.stamp, head.computed_at, head.seconds, head.read_at)
        self.remember(key, result)
        return result

    def current(
        self, store: GraphStore, analysis: Analysis[T], key: disk.Key, stamp: str
    ) -> Result[T] | None:
        mine = self.remembered(key)
        if mine is not None and mine.stamp == stamp:
            return mine
        return self.from_disk(store, analysis, key, stamp)

    def compute(
        self,
        store: GraphStore,
        analysis: Analysis[T],
        params: dict[str, Any],
        key: disk.Key,
        progress: Callable[[float], None] | None = None,
    ) -> Result[T]:
        """Compute now (the stamp read first: a write meanwhile leaves the result stale,
        never wrongly current), remember it and write it to the file in the background."""
        read_at = time.time()
        stamp = store.change_stamp()
        started = time.perf_counter()
        if analysis.progress:
            value = analysis.compute(store, progress=progress or (lambda _done: None), **params)
        else:
            value = analysis.compute(store, **params)
        seconds = round(time.perf_counter() - started, 3)
        computed_at = datetime.now(UTC).isoformat(timespec="seconds")
        result = Result(value, stamp, computed_at, seconds, read_at)
        self.remember(key, result)
        if analysis.persist:
            self._persist(store, analysis, key, result)
        return result

    def _persist(
        self, store: GraphStore, analysis: Analysis[T], key: disk.Key, result: Result[T]
    ) -> None:
        files = self.file(store)

        def write() -> None:
            try:
                payload = disk.encode(
                    analysis.encode(result.value) if analysis.encode else result.value
                )
            except (TypeError, ValueError) as exc:
                log.warning("analysis cache: %s is not JSON: %s", analysis.name, exc)
                return
            files.put(
                key,
                disk.Stored(result.stamp, result.read_at, result.computed_at, result.seconds),
                payload,
            )

        thread = threading.Thread(target=write, name=f"kgraph-cache-{analysis.name}", daemon=True)
        with self._lock:
            # started before it is listed: ``flush`` may join anything it finds listed
            thread.start()
            self._writes = [t for t in self._writes if t.is_alive()]
            self._writes.append(thread)

    def flush(self) -> None:
        """Wait for results still being written to the file (at exit, and in tests)."""
        with self._lock:
            pending = list(self._writes)
        for thread in pending:
            thread.join()

    def cached(self, store: GraphStore, analysis: Analysis[T], params: dict[str, Any]) -> Result[T]:
        key = self.key(store, analysis, params)
        found = self.current(store, analysis, key, store.change_stamp())
        if found is not None:
            return found
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:  # one computation per analysis; the others wait and share it
            found = self.current(store, analysis, key, store.change_stamp())
            if found is not None:
                return found
            return self.compute(store, analysis, params, key)

    # --- in the background ---------------------------------------------------------------

    def latest(
        self, store: GraphStore, analysis: Analysis[T], params: dict[str, Any], start: bool
    ) -> Latest[T]:
        key = self.key(store, analysis, params)
        stamp = store.change_stamp()
        found = self.current(store, analysis, key, stamp)
        if found is not None:
            return Latest(found, current=True)
        newest = self.remembered(key)
        on_disk = self.file(store).head(key) if analysis.persist else None
        if on_disk is not None and (newest is None or on_disk.read_at > newest.read_at):
            newest = self.from_disk(store, analysis, key, None) or newest
        with self._lock:
            job = self._jobs.get(key)
            failed = self._failed.get(key)
        if job is not None and not job.done.is_set():
            # a computation of an older state finishes first; the next lookup starts ours
            return Latest(newest, False, True, job.progress if job.stamp == stamp else None)
        if failed is not None and failed[0] == stamp:
            return Latest(newest, False, error=failed[1])
        claim = self.file(store).other_claim(key, stamp)
        if claim is not None:
            return Latest(newest, False, True, claim.progress)
        if not start:
            return Latest(newest, False)
        progress = self._start(store, analysis, params, key, stamp)
        if progress is not None:  # another process took it a moment ago
            return Latest(newest, False, True, progress.progress)
        return Latest(newest, False, True, 0.0)

    def _start(
        self,
        store: GraphStore,
        analysis: Analysis[T],
        params: dict[str, Any],
        key: disk.Key,
        stamp: str,
    ) -> disk.Claim | None:
        files = self.file(store)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.done.is_set():
                return None  # one at a time; the next lookup starts the newer state
            claim = files.claim(key, stamp)
            if claim is not None:
                return claim
            job = self._jobs[key] = _Job(stamp)

        def progress(done: float) -> None:
            job.progress = max(0.0, min(1.0, float(done)))

        def beat() -> None:
            while not job.done.wait(BEAT_S):
                files.beat(key, job.progress)

        def run() -> None:
            beating = threading.Thread(target=beat, daemon=True, name="kgraph-cache-beat")
            beating.start()
            try:
                self.compute(store, analysis, params, key, progress)
                with self._lock:
                    self._failed.pop(key, None)
            except Exception as exc:
                log.exception("analysis %s failed", analysis.name)
                job.error = str(exc) or type(exc).__name__
                with self._lock:
                    self._failed[key] = (stamp, job.error)
            finally:
                job.done.set()
                files.release(key)

        job.thread = threading.Thread(target=run, daemon=True, name=f"kgraph-{analysis.name}")
        job.thread.start()
        return None

    def wait(
        self, store: GraphStore, analysis: Analysis[T], params: dict[str, Any], timeout: float
    ) -> Latest[T]:
        """``latest``, waiting up to ``timeout`` seconds for a running computation."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.latest(store, analysis, params, start=True)
            if found.current or found.error or time.monotonic() >= deadline:
                return found
            with self._lock:
                job = self._jobs.get(self.key(store, analysis, params))
            if job is not None and not job.done.is_set():
                job.done.wait(max(0.0, min(0.5, deadline - time.monotonic())))
            else:
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


CACHE = _Cache()
atexit.register(CACHE.flush)
