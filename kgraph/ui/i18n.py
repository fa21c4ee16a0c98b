"""Dutch (default) and English text for the dashboard, from the catalogue in ``kgraph.texts``.

The language is the sidebar's choice, kept in ``st.session_state["lang"]``; ``t(key, **values)``
renders a catalogue key in it. Kind, edge and status labels come from ``kgraph.model``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from kgraph import texts
from kgraph.texts import DEFAULT_LANG, LANGUAGES, Message

__all__ = [
    "DEFAULT_LANG",
    "LANGUAGES",
    "STRINGS",
    "edge_label",
    "kind_label",
    "lang",
    "op_label",
    "render",
    "status_label",
    "t",
]


class _Strings(Mapping[str, dict[str, str]]):
    """``STRINGS[key][lang]``: the catalogue seen per key, for code that wants both languages."""

    def __getitem__(self, key: str) -> dict[str, str]:
        return {code: texts.catalogue(code)[key] for code in LANGUAGES}

    def __iter__(self) -> Any:
        return iter(texts.catalogue(DEFAULT_LANG))

    def __len__(self) -> int:
        return len(texts.catalogue(DEFAULT_LANG))


STRINGS: Mapping[str, dict[str, str]] = _Strings()


def lang() -> str:
    """The chosen language code (``nl`` unless English was picked in the sidebar)."""
    try:
        chosen = st.session_state.get("lang")
    except Exception:  # outside a Streamlit run (e.g. a download callback)
        chosen = None
    return chosen if chosen in LANGUAGES else DEFAULT_LANG


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the chosen language, with ``values`` filled in."""
    return texts.text(key, lang(), **values)


def render(message: Message | Mapping[str, Any] | str) -> str:
    """What an analysis said (a ``Message``, its dict form or a key), in the chosen language."""
    return texts.render(message, lang())


def kind_label(kind: str) -> str:
    return texts.kind_label(kind, lang())


def edge_label(kind: str) -> str:
    return texts.edge_label(kind, lang())


def status_label(status: str | None) -> str:
    return texts.status_label(status, lang())


def op_label(op: str) -> str:
    key = f"op_{op}"
    return t(key) if key in texts.catalogue(lang()) else op
