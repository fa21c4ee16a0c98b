"""Vergelijkbare vragen while the store's vectors are being computed: the page answers at
once with the progress instead of waiting, and shows the pairs once they are there; a
failure is shown, not swallowed. AppTest on a copy of the City Deal store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.similar import settle, waiting
from helpers.ui import open_page

from kgraph.analysis import embedding, similar_jobs
from kgraph.store.embedded import EmbeddedStore

pytest_plugins = ["ui_fixtures"]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Embedding waits until the test sets the event (as a big store keeps it busy)."""
    release = threading.Event()
    plain = embedding.embed

    def slow(texts: Any, **options: Any) -> Any:
        release.wait(600)
        return plain(texts, **options)

    monkeypatch.setattr(embedding, "embed", slow)
    yield release
    release.set()
    similar_jobs.wait_all(600)


def accept_buttons(at: Any) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith("similar_accept_")]


def test_missing_vectors_are_computed_in_the_background(
    db: Path, reader: EmbeddedStore, held: threading.Event
) -> None:
    at = open_page("similar")
    assert waiting(at), "the page should say it is comparing, not wait"
    assert not accept_buttons(at)
    assert reader.vector_cache().count(embedding.model_id()) == 0
    held.set()
    settle(at)
    assert accept_buttons(at)
    assert reader.vector_cache().count(embedding.model_id()) == 39


def test_a_failure_is_shown(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(texts: Any, **options: Any) -> Any:
        raise OSError("schijf vol")

    monkeypatch.setattr(embedding, "embed", broken)
    at = open_page("similar")
    similar_jobs.wait_all(600)
    at.run()
    assert any("Vergelijken is mislukt: schijf vol" in e.value for e in at.error)
    # the next visit tries again
    monkeypatch.undo()
    settle(at.run())
    assert accept_buttons(at)
