"""Tables drawn as HTML, for the pages where every column must be readable at 1366 px:
text wraps instead of being cut, long text is clamped to a few lines with the whole of it
on hover (``title``), statuses are coloured chips with their label written out.

Every piece of user text goes through ``escape_html`` here; ``st.html`` sanitises the
markup once more. Nothing is loaded from elsewhere. Streamlit's own dataframe would cut
cells at its column width and speak English in its toolbar, hence these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from kgraph.export.safe import escape_html
from kgraph.export.status_style import OVERDUE, fill

_CSS = """
<style>
.kg-row{display:grid;grid-template-columns:var(--kg-cols);column-gap:.55rem;
  font-size:.84rem;line-height:1.3;padding:.25rem .1rem;align-items:start;
  border-bottom:1px solid rgba(128,128,128,.22)}
.kg-row.kg-head{font-weight:600;font-size:.78rem;opacity:.8;
  border-bottom:2px solid rgba(128,128,128,.45);padding-top:.1rem}
.kg-row.kg-picked{background:rgba(0,114,178,.07)}
.kg-cell{min-width:0;overflow-wrap:anywhere;word-break:normal}
.kg-clamp-1,.kg-clamp-2,.kg-clamp-3{display:-webkit-box;-webkit-box-orient:vertical;
  overflow:hidden}
.kg-clamp-1{-webkit-line-clamp:1}.kg-clamp-2{-webkit-line-clamp:2}
.kg-clamp-3{-webkit-line-clamp:3}
.kg-sub{font-size:.74rem;opacity:.72;margin-top:.1rem}
.kg-chip{display:inline-block;border-radius:.65rem;padding:.05rem .45rem;font-size:.74rem;
  line-height:1.35;overflow-wrap:normal;word-break:normal}
.kg-nowrap{white-space:nowrap}
.kg-muted{opacity:.6}
table.kg-table{width:100%;border-collapse:collapse;table-layout:fixed;font-size:.84rem}
table.kg-table th{text-align:left;font-size:.78rem;opacity:.8;
  border-bottom:2px solid rgba(128,128,128,.45);padding:.25rem .35rem;vertical-align:bottom}
table.kg-table td{border-bottom:1px solid rgba(128,128,128,.22);padding:.3rem .35rem;
  vertical-align:top;overflow-wrap:anywhere}
</style>
"""


def inject_style() -> None:
    """The tables' styles, once per page run (and no English input hints: on these pages
    Enter never saves anything)."""
    from kgraph.ui.dutch import hide_english_hints

    st.html(_CSS)
    hide_english_hints()


def text(
    value: object, *, clamp: int | None = None, sub: str | None = None, sub_clamp: int = 0
) -> str:
    """A cell of user text, escaped; clamped to ``clamp`` lines with the whole text on
    hover; ``sub`` (escaped too) as a smaller second line (clamped to ``sub_clamp``
    lines when given, the whole of it on hover)."""
    shown = "" if value is None else str(value)
    body = escape_html(shown)
    if clamp:
        body = (
            f'<div class="kg-clamp-{clamp}" title="{escape_html(shown)}">{body}</div>'
            if shown
            else ""
        )
    if sub:
        clamp_class = f" kg-clamp-{sub_clamp}" if sub_clamp else ""
        body += (
            f'<div class="kg-sub{clamp_class}" title="{escape_html(sub)}">{escape_html(sub)}</div>'
        )
    return body


def nowrap(value: str, *, sub: str | None = None) -> str:
    """A short value kept on one line (a date and time), with an optional second line."""
    body = f'<div class="kg-nowrap">{escape_html(value)}</div>'
    if sub:
        body += (
            f'<div class="kg-sub kg-clamp-1" title="{escape_html(sub)}">{escape_html(sub)}</div>'
        )
    return body


def chip(status: str, label: str) -> str:
    """A status as a coloured chip with its label."""
    background, colour = fill(status)
    return (
        f'<span class="kg-chip" style="background:{background};color:{colour}">'
        f"{escape_html(label)}</span>"
    )


def overdue(label: str) -> str:
    """A text marked as overdue."""
    background, colour = OVERDUE
    return (
        f'<span class="kg-chip" style="background:{background};color:{colour}">'
        f"{escape_html(label)}</span>"
    )


def muted(label: str) -> str:
    return f'<span class="kg-muted">{escape_html(label)}</span>'


@dataclass(frozen=True)
class Column:
    """A column: its header and its width (a CSS grid track, e.g. ``2fr`` or ``6rem``)."""

    header: str
    width: str


def grid(columns: Sequence[Column]) -> str:
    return " ".join(c.width for c in columns)


def row(columns: Sequence[Column], cells: Sequence[str], *, picked: bool = False) -> str:
    """One row of a grid table; ``cells`` are HTML made with the helpers above."""
    inner = "".join(f'<div class="kg-cell">{c}</div>' for c in cells)
    extra = " kg-picked" if picked else ""
    return f'<div class="kg-row{extra}" style="--kg-cols:{grid(columns)}">{inner}</div>'


def header(columns: Sequence[Column]) -> str:
    inner = "".join(f'<div class="kg-cell">{escape_html(c.header)}</div>' for c in columns)
    return f'<div class="kg-row kg-head" style="--kg-cols:{grid(columns)}">{inner}</div>'


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> str:
    """A whole table (no widgets in it) with fixed column widths and wrapping cells."""
    widths = "".join(f'<col style="width:{c.width}">' for c in columns)
    head = "".join(f"<th>{escape_html(c.header)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<table class="kg-table"><colgroup>{widths}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
