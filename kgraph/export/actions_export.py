"""Every action (open and done) as a document of its own, for whoever follows them up in a
spreadsheet: ``actions_export(store, "xlsx")`` (also md, html, pdf), dated like the reports,
with per action its holder, what, the handover (titles), the deadline (red when overdue) and
when and by whom it was done."""

from __future__ import annotations

from datetime import UTC, datetime

from kgraph import actions, dates
from kgraph.export import review_tables as rt
from kgraph.export.documents import Document, Section, render
from kgraph.export.report import labels
from kgraph.store.base import GraphStore


def actions_export(
    store: GraphStore, fmt: str, *, lang: str = "nl", now: datetime | None = None
) -> bytes:
    """All actions of ``store`` in ``fmt`` (``md``, ``html``, ``xlsx`` or ``pdf``)."""
    moment = now or datetime.now(UTC)
    today = dates.local(moment).date()
    found = actions.actions(store, today=today)
    titles: dict[str, str] = {}
    if found:
        from kgraph.query import titles as read_titles

        titles = read_titles(
            store, sorted({a.item for a in found} | {a.place for a in found if a.place})
        )
    document = Document(
        title=rt.w("actions_title", lang), moment=moment, lang=lang, labels=labels(lang)
    )
    document.sections = [
        Section(
            rt.w("actions_title", lang),
            rt.w("open_actions_why", lang),
            rt.actions_table(found, titles, lang, today, done=True),
        )
    ]
    return render(document, fmt)
