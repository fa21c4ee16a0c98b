"""The dashboard's Streamlit settings (``streamlit.toml`` next to the entry point) as
command-line flags: Streamlit only reads a ``config.toml`` from the current folder or the
home folder, and an installed kgraph is started from anywhere."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kgraph.paths import STREAMLIT_CONFIG


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def streamlit_flags(path: Path = STREAMLIT_CONFIG) -> list[str]:
    """``["--section.key", "value", ...]`` for every setting in ``path``, in file order."""
    with open(path, "rb") as handle:
        config = tomllib.load(handle)
    flags: list[str] = []
    for section, settings in config.items():
        for key, value in settings.items():
            flags += [f"--{section}.{key}", _flag_value(value)]
    return flags
