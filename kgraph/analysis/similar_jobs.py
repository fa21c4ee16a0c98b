"""Similarity results computed in the background, so a page never waits on them.

On a store whose questions have no vectors yet (the first visit after an import of
thousands of questions) the finder has to embed them first: seconds to a minute. The
dashboard asks ``similar_in_background(store, key, work)``: it returns at once with the
task for ``key`` (started on a worker thread if it was not running), its progress
(``done``/``total`` questions embedded) and, once finished, its result; and with the last
finished result of the same question (any earlier change marker), so the page can show
that, with its time, while the new one is computed.

This is the whole mechanism, behind one function, kept per process: one worker thread
per key, results dropped beyond ``KEEP`` keys. A shared analysis cache keyed by the
store's change marker can replace it without changing the callers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: finished results kept (per key), oldest dropped first
KEEP = 32

Work = Callable[[Callable[[int, int], None]], Any]


@dataclass
class Task:
    """One computation: running until ``finished`` is set; ``error`` when it failed."""

    key: Hashable
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    done: int = 0
    total: int = 0
    result: Any = None
    error: BaseException | None = None
    _event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until it has finished (``False`` if ``timeout`` ran out first)."""
        return self._event.wait(timeout)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total


_lock = threading.Lock()
_tasks: OrderedDict[Hashable, Task] = OrderedDict()
_last: dict[Hashable, Task] = {}


def _run(task: Task, work: Work, family: Hashable) -> None:
    try:
        task.result = work(task.progress)
    except BaseException as exc:  # shown by the page; a worker must not die silently
        task.error = exc
    finally:
        task.finished_at = datetime.now(UTC)
        with _lock:
            if task.error is None:
                _last[family] = task
        task._event.set()


def similar_in_background(
    key: Hashable, work: Work, *, family: Hashable = None
) -> tuple[Task, Task | None]:
    """The task computing ``work`` for ``key`` (started now on a worker thread unless it
    exists) and the last successfully finished task of ``family`` (the same question at
    any change marker; ``None`` before the first). ``work(progress)`` gets a callback
    ``progress(done, total)``."""
    with _lock:
        last = _last.get(family)
        task = _tasks.get(key)
        if task is not None:
            if task.finished and task.error is not None:
                del _tasks[key]  # a failure is reported once; the next call tries again
            else:
                _tasks.move_to_end(key)
            return task, last
        task = Task(key)
        _tasks[key] = task
        while len(_tasks) > KEEP:
            _tasks.popitem(last=False)
    threading.Thread(
        target=_run, args=(task, work, family), name="kgraph-similar", daemon=True
    ).start()
    return task, last


def wait_all(timeout: float | None = None) -> bool:
    """Wait until every task started so far has finished (``False`` if ``timeout`` ran
    out first): for tests and for a process that is about to stop."""
    with _lock:
        running = [t for t in _tasks.values() if not t.finished]
    return all(t.wait(timeout) for t in running)


def forget_all() -> None:
    """Drop every kept task and result (tests)."""
    with _lock:
        _tasks.clear()
        _last.clear()
