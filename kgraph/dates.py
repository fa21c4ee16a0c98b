"""Dates and moments as people type and read them: Dutch ``DD-MM-JJJJ`` (ISO accepted),
times in Europe/Amsterdam.

The store keeps dates as ISO text (``2024-03-12``) and moments as UTC ISO timestamps; this
module is the one place that turns them into what a Dutch (or English) reader sees and back.
``parse_day`` is what every date field uses, in the dashboard and on the command line, so a
date is read the same way everywhere; its refusal (``DateInputError``) carries a catalogue
key, so the page can say what was wrong in the reader's language.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kgraph.errors import ValidationError

#: where the steering group lives: every time in the UI and the reports is shown here
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

_MONTHS = {
    "nl": [
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}  # fmt: skip


class DateInputError(ValidationError):
    """A typed date that is empty (``value`` ``None``) or not a date; ``key`` names the
    catalogue text that says so (``date_missing`` or ``date_bad``)."""

    def __init__(self, value: object, field: str = "date") -> None:
        self.value = None if value is None or str(value).strip() == "" else str(value).strip()
        self.field = field
        self.key = "date_missing" if self.value is None else "date_bad"
        if self.value is None:
            message = f"{field}: a date is needed (DD-MM-YYYY or YYYY-MM-DD)"
        else:
            message = f"{field}: {self.value!r} is not a date (use DD-MM-YYYY or YYYY-MM-DD)"
        super().__init__(message)


def parse_day(value: object, *, field: str = "date") -> date:
    """``value`` as a date: a ``date``, ISO text (``2024-03-12``) or the Dutch form
    (``12-03-2024``, also ``12-3-2024``, ``12/03/2024``, ``12.03.2024``). Anything else,
    an impossible date (``30-02-2024``) or nothing at all raises ``DateInputError``."""
    if isinstance(value, datetime):
        raise DateInputError(value.isoformat(), field)
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise DateInputError(None if value in (None, "") else value, field)
    text = value.strip()
    try:
        if found := _ISO.match(text):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _DUTCH.match(text):
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        pass  # an impossible day or month: refused below
    raise DateInputError(text, field)


def format_day(value: date | str | None, lang: str = "nl") -> str:
    """A date as its reader writes it: ``12-03-2024`` in Dutch, ``2024-03-12`` in English.
    ISO text is converted; other text is shown as it is; ``None`` is empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = parse_day(value)
        except DateInputError:
            return value
    else:
        day = value
    return day.strftime("%d-%m-%Y") if lang == "nl" else day.isoformat()


def long_day(value: date, lang: str = "nl") -> str:
    """``12 maart 2024`` / ``12 March 2024``."""
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def local(moment: str | datetime) -> datetime:
    """A stored UTC moment (ISO text or aware ``datetime``) in Europe/Amsterdam; a moment
    without a zone is taken as UTC, as the store writes them."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM)


def format_moment(moment: str | datetime | None, lang: str = "nl") -> str:
    """A stored moment in Amsterdam time, to the minute: ``12-03-2024 14:05`` (Dutch) or
    ``2024-03-12 14:05``; text that is no moment is shown as it is."""
    if not moment:
        return ""
    try:
        here = local(moment)
    except ValueError:
        return str(moment)
    return f"{format_day(here.date(), lang)} {here:%H:%M}"


def stand_per(moment: datetime | None = None, lang: str = "nl") -> str:
    """The "as of" stamp of a report: ``12 maart 2024, 14:05`` (Amsterdam time; now
    when ``moment`` is ``None``)."""
    here = local(moment or datetime.now(UTC))
    return f"{long_day(here.date(), lang)}, {here:%H:%M}"


def today() -> date:
    """Today in Amsterdam (what "a date in the future" is measured against)."""
    return datetime.now(AMSTERDAM).date()


def day_start(day: date) -> str:
    """The first moment of ``day`` in Amsterdam, as the UTC ISO text history entries
    compare with (``2024-03-12`` starts at ``2024-03-11T23:00:00+00:00``)."""
    start = datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)
    return start.astimezone(UTC).isoformat(timespec="microseconds")


def day_end(day: date) -> str:
    """The first moment after ``day`` in Amsterdam (an exclusive end), as UTC ISO text."""
    return day_start(day + timedelta(days=1))
