"""Crash safety of the embedded store: a writer killed with SIGKILL, again and again.

A writer process (``helpers/numbered.py``) makes numbered multi-step changes and prints
each number once its transaction returned. The test kills it at random moments —
sometimes while it is still starting or opening the store, mostly while it writes —
restarts it on the same file, and checks after every few kills and at the end that the
store opens, passes SQLite's and kgraph's integrity checks, holds every acknowledged
number and no half of any change.

Short mode (``make test``): 50 kills. ``KGRAPH_LONG=1``: 500 kills.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers.numbered import check

from kgraph.store.embedded import EmbeddedStore

HELPER = Path(__file__).resolve().parent / "helpers" / "numbered.py"
LONG = os.environ.get("KGRAPH_LONG") == "1"
KILLS = 500 if LONG else 50
CHECK_EVERY = 5  # the test's own open recovers the WAL; most restarts leave it to the writer


def _start(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_at_random(proc: subprocess.Popen[str], rng: random.Random) -> tuple[set[int], bool]:
    """Kill ``proc`` at a random moment; the numbers it acknowledged and whether it got
    as far as writing."""
    assert proc.stdout is not None
    started_writing = False
    if rng.random() < 0.2:
        # early: during interpreter start, opening the store or creating the schema
        time.sleep(rng.uniform(0.0, 0.3))
    else:
        ready = proc.stdout.readline()
        assert ready.startswith("ready"), (ready, proc.stderr.read() if proc.stderr else "")
        started_writing = True
        time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, f"the writer ended by itself: {err}"
    acked = {int(line) for line in out.split() if line.isdigit()}
    return acked, started_writing


def _assert_sound(db: Path, acknowledged: set[int]) -> int:
    store = EmbeddedStore(db, actor="checker")
    try:
        assert store.integrity_problems() == []
        last, problems = check(store, acknowledged)
        assert problems == []
        history = store.history()
        # one entry for the counter, three per change, one more per tenth change
        assert len(history) == 1 + 3 * last + last // 10
        return last
    finally:
        store.close()


def test_sigkill_never_loses_an_acknowledged_change_or_splits_one(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    rng = random.Random(int(os.environ.get("KGRAPH_SEED_RANDOM", "8")))
    acknowledged: set[int] = set()
    kills = mid_write = 0
    started = time.perf_counter()
    for round_ in range(1, KILLS + 1):
        acked, writing = _kill_at_random(_start(db), rng)
        acknowledged |= acked
        kills += 1
        mid_write += writing
        if round_ % CHECK_EVERY == 0 and db.exists():
            _assert_sound(db, acknowledged)
    last = _assert_sound(db, acknowledged)
    elapsed = time.perf_counter() - started
    assert kills == KILLS
    assert mid_write > KILLS // 2, "most kills must land while the writer is writing"
    assert len(acknowledged) > 0 and last >= max(acknowledged)
    print(
        f"\nFIGURES crash: {kills} SIGKILLs survived ({mid_write} while writing), "
        f"{len(acknowledged)} changes acknowledged, {last} committed, {elapsed:.1f} s"
    )
