"""A date field that speaks the reader's language: typed as ``DD-MM-JJJJ`` (ISO accepted),
read with ``kgraph.dates.parse_day`` like the command line reads dates, and refused with a
message in the page's language. Streamlit's own date picker is English and starts weeks on
Sunday, hence a text field."""

from __future__ import annotations

from datetime import date
from typing import Any

from kgraph import dates
from kgraph.ui import i18n
from kgraph.ui.i18n import t


def shown(day: date | str | None) -> str:
    """``day`` as the field shows it in the page's language (empty for none)."""
    return dates.format_day(day, i18n.lang())


def field(where: Any, label: str, key: str, *, help: str | None = None) -> str:
    """A text field for a date in ``where`` (``st``, a column or a form); returns what
    was typed."""
    return str(
        where.text_input(
            label,
            key=key,
            placeholder=t("date_placeholder"),
            help=help or t("date_help"),
        )
        or ""
    )


def read(typed: str, *, required: bool = True) -> tuple[date | None, str | None]:
    """(the day typed, ``None``) or (``None``, the message saying what is wrong, in the
    page's language). An empty field is ``(None, None)`` unless ``required``."""
    if not typed.strip() and not required:
        return None, None
    try:
        return dates.parse_day(typed), None
    except dates.DateInputError as exc:
        return None, t(exc.key, value=exc.value or "")
