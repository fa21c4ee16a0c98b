"""Where kgraph's own files are. Everything the app needs ships inside the package, so an
installed kgraph works from any folder; only the sources the seed is regenerated from
(``data/sources/`` of a checkout) live outside it.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: Package data: the reviewed City Deal seed (``citydeal/``) and the alias and curated
#: lists it is made from.
DATA = PACKAGE / "data"
#: The Streamlit entry point (``app.py`` of a checkout serves this same script); its pages
#: are ``kgraph.ui.pages.PAGES``, absolute paths, never relative to the cwd.
APP = PACKAGE / "ui" / "entry" / "app.py"
#: The dashboard's Streamlit settings: Streamlit reads ``.streamlit/config.toml`` beside
#: the entry point wherever it is started.
STREAMLIT_CONFIG = APP.parent / ".streamlit" / "config.toml"
#: The report and registers the seed and tests are made from: in a checkout only.
SOURCES = PACKAGE.parent / "data" / "sources"


def seed_folder() -> Path:
    """The reviewed City Deal data files (``KGRAPH_SEED`` overrides)."""
    return Path(os.environ.get("KGRAPH_SEED") or DATA / "citydeal")
