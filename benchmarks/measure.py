"""Timing and memory helpers shared by the benchmark workers.

A measurement is a plain dict so that workers can hand it to the runner as JSON:
``{"median_ms", "p95_ms", "n"}`` for repeated timings, ``{"seconds"}`` for a one-off,
``{"value", "unit"}`` for a size or a count, or ``{"na": reason}`` when the operation
cannot run (it does not apply at this scale, or it failed in a way the table reports).
"""

from __future__ import annotations

import math
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

Measurement = dict[str, Any]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples_ms: Sequence[float], **extra: Any) -> Measurement:
    """Median, 95th percentile and maximum of timings in milliseconds."""
    return {
        "median_ms": round(statistics.median(samples_ms), 3),
        "p95_ms": round(percentile(samples_ms, 95), 3),
        "max_ms": round(max(samples_ms), 3),
        "n": len(samples_ms),
        **extra,
    }


def repeat(call: Callable[[int], Any], n: int, warmup: int = 1) -> Measurement:
    """Time ``call(i)`` for ``i`` in ``range(n)`` after ``warmup`` untimed calls."""
    for i in range(warmup):
        call(i)
    samples: list[float] = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)


def once(call: Callable[[], Any]) -> tuple[Any, Measurement]:
    """Run ``call`` once; its result and ``{"seconds": wall time, "cpu_s": CPU time}``.

    On a shared machine the CPU time of this process says more than the wall time.
    """
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, {
        "seconds": round(time.perf_counter() - start, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
    }


def value(amount: float, unit: str) -> Measurement:
    return {"value": amount, "unit": unit}


def not_available(reason: str) -> Measurement:
    return {"na": reason}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
