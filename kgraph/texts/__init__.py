"""The text catalogue: every sentence the dashboard, the CLI and the reports show, as data.

``nl.yaml`` and ``en.yaml`` beside this module map the same keys to text with the same
``{placeholders}`` (a test holds them to that). Analyses return catalogue keys and typed
parameters (a ``Message``, or its plain-dict form ``{"key": ..., "params": {...}}``), never
sentences; whoever shows them renders them here in the reader's language.

A placeholder may name how its value is shown, after a colon, so parameters stay plain
data and the language decides the words:

- ``{kind:kind}``: a node kind's label in running text (``kennisvraag``, ``CoP``);
- ``{status:status}``: a question or handover status label (``none``: no landing place);
- ``{edge:edge}``: an edge kind's label;
- ``{share:pct}``: a fraction as a percentage with one decimal (``80,0`` in Dutch);
- ``{count:,}``: a whole number with thousands grouped (``2.000.000`` in Dutch);
- anything else is Python's format spec (``{n:d}``).

The importers' messages are here too, under ``importer.<key>``. Node, edge and status
labels themselves live with the model (``kgraph.model``), which the
exports also read.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kgraph.model import EDGE_LABELS, NODE_LABELS, STATUS_LABELS

LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANG = "nl"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key and its text in ``lang`` (``nl`` or ``en``), read once from the package."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use {' or '.join(LANGUAGES)}")
    raw = resources.files(__name__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"kgraph/texts/{lang}.yaml: every entry must be key: text")
    return data


def _pick(table: Mapping[str, Mapping[str, str]], key: str | None, lang: str) -> str:
    if key is None:
        return "–"
    entry = table.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry[DEFAULT_LANG]


def kind_label(kind: str, lang: str) -> str:
    """A node kind's label (``Kennisvraag``)."""
    return _pick(NODE_LABELS, kind, lang)


def edge_label(kind: str, lang: str) -> str:
    """An edge kind's label (``landt in``)."""
    return _pick(EDGE_LABELS, kind, lang)


def status_label(status: str | None, lang: str) -> str:
    """A question or handover status label; ``none`` is an item without a landing place."""
    if status == "none":
        return text("no_landing_status", lang)
    return _pick(STATUS_LABELS, status, lang)


def number(value: float, lang: str, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals and the language's decimal mark."""
    shown = f"{value:.{digits}f}"
    return shown.replace(".", ",") if lang == "nl" else shown


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "kind":
            label = kind_label(str(value), self.lang)
            return "CoP" if value == "cop" else label.lower()
        if format_spec == "status":
            return status_label(None if value is None else str(value), self.lang)
        if format_spec == "edge":
            return edge_label(str(value), self.lang)
        if format_spec == "pct":
            return number(float(value) * 100, self.lang)
        if format_spec == ",":  # thousands grouped as the language writes them
            grouped = f"{value:,}"
            return grouped.replace(",", ".") if self.lang == "nl" else grouped
        return super().format_field(value, format_spec)


def text(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for ``key`` in ``lang``, with ``params`` filled in; ``KeyError`` for a key
    the catalogue does not have."""
    template = catalogue(lang if lang in LANGUAGES else DEFAULT_LANG)[key]
    return _Formatter(lang).format(template, **params) if params else template


def placeholders(template: str) -> set[tuple[str, str]]:
    """The ``(name, how)`` pairs ``template`` fills in (for the catalogue's own test)."""
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Message:
    """A catalogue key and its parameters: what an analysis says, in no language yet."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return text(self.key, lang, **self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}


def render(message: Message | Mapping[str, Any] | str, lang: str) -> str:
    """A ``Message``, its dict form or a bare key, in ``lang``."""
    if isinstance(message, str):
        return text(message, lang)
    if isinstance(message, Message):
        return message.render(lang)
    return text(str(message["key"]), lang, **dict(message.get("params") or {}))


__all__ = [
    "DEFAULT_LANG",
    "LANGUAGES",
    "Message",
    "catalogue",
    "edge_label",
    "kind_label",
    "number",
    "placeholders",
    "render",
    "status_label",
    "text",
]
