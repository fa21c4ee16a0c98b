"""Cutting long lists into parts: the one batching helper of the importers.

A large import is written as parts of at most ``CHUNK`` items inside one transaction, so a
progress bar can move while it runs and no single statement carries the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: items per part of a write
CHUNK = 500


def batches(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in consecutive parts of at most ``size`` (the last may be shorter)."""
    if size < 1:
        raise ValueError("a batch holds 1 item or more")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count(items: Sequence[object], size: int = CHUNK) -> int:
    """How many parts ``batches(items, size)`` yields."""
    return -(-len(items) // size)
