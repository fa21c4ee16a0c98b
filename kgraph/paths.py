"""Where the project's own files are: the reviewed data the app seeds from."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def seed_folder() -> Path:
    """The reviewed City Deal data files (``KGRAPH_SEED`` overrides)."""
    return Path(os.environ.get("KGRAPH_SEED") or PROJECT_ROOT / "data" / "citydeal")
