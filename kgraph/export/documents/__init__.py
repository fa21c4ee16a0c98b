"""Documents for the steering group (the handover report, the meeting pack) as one model
rendered four ways: Markdown, HTML with a print stylesheet, a formatted Excel workbook and
PDF. A report builds a ``Document`` once; ``render(document, fmt)`` writes it, so every
format carries the same sections, rows and numbers.

Cells keep their value and how it is shown: a status key and its label (coloured in html,
xlsx and pdf), an ISO date and ``DD-MM-JJJJ`` (a real date cell in xlsx), a number. Every
text is the reader's (titles, names, notes): renderers escape it for their format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kgraph import dates
from kgraph.texts import status_label

#: the formats ``render`` writes
FORMATS: tuple[str, ...] = ("md", "html", "xlsx", "pdf")


@dataclass(frozen=True)
class Cell:
    """One value: ``kind`` is ``text``, ``status`` (``value`` a status key), ``date``
    (``value`` a ``date`` or ``None``), ``int`` or ``moment``; ``text`` is how it reads;
    ``flag`` ``overdue`` marks a deadline that has passed."""

    value: Any
    text: str
    kind: str = "text"
    flag: str | None = None


@dataclass(frozen=True)
class Column:
    """A column: its header, a width in characters (a hint every format follows in its
    own way) and the kind of its cells."""

    header: str
    width: int = 16
    kind: str = "text"


@dataclass
class Table:
    """Rows under column headers; ``sheet`` names its worksheet in xlsx."""

    columns: list[Column]
    rows: list[list[Cell]]
    sheet: str
    empty: str = ""
    total_row: bool = False  # the last row sums up the others (shown bold)


@dataclass
class Section:
    """A titled part of the document: an explanation and its table (or a line saying
    there is nothing)."""

    title: str
    intro: str = ""
    table: Table | None = None


@dataclass
class Document:
    """What a report says: title, "stand per" moment, a few lines about what it covers,
    the sections. ``labels`` holds the few words every renderer needs (``stand_per``,
    ``page``, ``of``) in the document's language."""

    title: str
    moment: datetime
    lang: str
    lines: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def stand_per(self) -> str:
        """``Stand per 12 maart 2024, 14:05`` in the document's language."""
        return (
            f"{self.labels.get('stand_per', 'Stand per')} {dates.stand_per(self.moment, self.lang)}"
        )


# --- cells ---------------------------------------------------------------------------------


def text(value: object) -> Cell:
    """User text as typed (each format shows it its own way: Markdown on one line)."""
    shown = "" if value is None else str(value)
    return Cell(shown, shown)


def status(key: str, lang: str, label: str | None = None) -> Cell:
    return Cell(key, label or status_label(key, lang), "status")


def day(value: object, lang: str, *, overdue: bool = False) -> Cell:
    """A date cell from a ``date`` or ISO text; other text is kept as text (never a
    made-up date)."""
    if value is None or value == "":
        return Cell(None, "", "date")
    if isinstance(value, date):
        return Cell(value, dates.format_day(value, lang), "date", "overdue" if overdue else None)
    try:
        parsed = dates.parse_day(str(value))
    except dates.DateInputError:
        return text(value)
    return Cell(parsed, dates.format_day(parsed, lang), "date", "overdue" if overdue else None)


def number(value: int, *, blank_zero: bool = False) -> Cell:
    """A whole number; ``blank_zero`` shows 0 as nothing (the value stays 0)."""
    return Cell(int(value), "" if blank_zero and not value else str(int(value)), "int")


def moment(value: str | None, lang: str) -> Cell:
    return Cell(value, dates.format_moment(value, lang), "moment")


def render(document: Document, fmt: str) -> bytes:
    """``document`` as bytes in ``fmt`` (``md``, ``html``, ``xlsx`` or ``pdf``)."""
    if fmt == "md":
        from kgraph.export.documents.markdown import to_markdown

        return to_markdown(document).encode("utf-8")
    if fmt == "html":
        from kgraph.export.documents.html import to_html

        return to_html(document).encode("utf-8")
    if fmt == "xlsx":
        from kgraph.export.documents.xlsx import to_xlsx

        return to_xlsx(document)
    if fmt == "pdf":
        from kgraph.export.documents.pdf import to_pdf

        return to_pdf(document)
    raise ValueError(f"unknown document format {fmt!r}; use {', '.join(FORMATS)}")
