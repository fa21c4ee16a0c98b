"""Fixtures the AppTest suites of the dashboard share: a temporary embedded store seeded with
the City Deal graph, used by the app through ``KGRAPH_STORE``, and a second connection to it.

Test modules load them with ``pytest_plugins = ["ui_fixtures"]``; the helpers that open a
page are in ``helpers/ui.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgraph.importers import apply_batch
from kgraph.importers import seed as seed_importer
from kgraph.paths import seed_folder
from kgraph.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "citydeal.db"
    store = EmbeddedStore(path, actor="seed")
    apply_batch(store, seed_importer.read(seed_folder()))
    store.close()
    return path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the seeded store, used by the app through ``KGRAPH_STORE``."""
    path = tmp_path / "ui.db"
    shutil.copy(seeded_file, path)
    monkeypatch.setenv("KGRAPH_STORE", str(path))
    return path


@pytest.fixture
def reader(db: Path) -> Iterator[EmbeddedStore]:
    """A second connection to the app's store, as another process would have."""
    store = EmbeddedStore(db, actor="reader")
    yield store
    store.close()
