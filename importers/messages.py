"""The table importer's messages in Dutch (the default) and English.

Messages are kept as a key and parameters until they are shown, so the CLI and the
Importeren page render them in the user's language. Their texts live in the one text
catalogue (``kgraph/texts/{nl,en}.yaml``) under ``importer.<key>``. Parameters are plain
values; a cell value is always quoted as written in the file (``"2.2_1"``), never as the id
made of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kgraph import texts

DEFAULT_LANG = "nl"
LANGS = ("nl", "en")
#: times are stored as UTC and shown as the people using kgraph read a clock
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def render(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang`` (Dutch unless ``en``), filled with ``params``."""
    return texts.text(f"importer.{key}", lang if lang in LANGS else DEFAULT_LANG, **params)


def quoted(value: object) -> str:
    """A cell value as written, in double quotes (``"2.2_1"``); long values cut."""
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return '"' + text.replace("\n", " ") + '"'


def capped(lines: list[str], limit: int, lang: str = DEFAULT_LANG) -> list[str]:
    """At most ``limit`` lines, the rest summed up as "... and N more"."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], render("and_more", lang, count=len(lines) - limit)]


def local_time(iso: str | None) -> str:
    """A stored (UTC) ISO time as ``2024-03-01 11:15`` in Europe/Amsterdam; as given when
    it is not a time."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
