"""The meeting pack: what the steering group reads before a meeting, as one dated document
(``kgraph report meeting --since-meeting LAST out.pdf`` and the button on Overdracht).

"Stand per 12 maart 2024, 14:05", then: the summary per kind (``handover_coverage``), the
decisions taken since the chosen meeting (decision date on or after its day, from the
handover table in the store), the proposals still waiting for a decision (proposed or in
discussion), the open actions per owner (overdue ones in red) and those done since the
meeting, the items without any landing place and the landing places that receive nothing.
Rendered as md, html (print stylesheet), xlsx or pdf by ``kgraph.export.documents``: the
same content and the same numbers in each.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from kgraph import actions, dates, meetings
from kgraph.analysis.handover import HandoverCoverage, handover_coverage
from kgraph.export import review_tables as rt
from kgraph.export.documents import Document, Section, render
from kgraph.export.report import FORMATS, labels
from kgraph.handover_table import TableQuery, all_rows
from kgraph.store.base import GraphStore
from kgraph.texts import LANGUAGES, text

__all__ = ["FORMATS", "build_pack", "meeting_pack"]


def _p(key: str, lang: str, **params: object) -> str:
    return text(f"pack_{key}", lang, **params)


def build_pack(
    store: GraphStore,
    *,
    since_meeting: str | None = None,
    since: date | None = None,
    lang: str = "nl",
    now: datetime | None = None,
    coverage: HandoverCoverage | None = None,
) -> Document:
    """The pack as a ``Document``. ``since_meeting`` names a meeting (``LAST``, its id or
    its day; ``kgraph.meetings.resolve``); without it ``since`` (a day), else everything."""
    moment = now or datetime.now(UTC)
    today = dates.local(moment).date()
    meeting = meetings.resolve(store, since_meeting, now=moment) if since_meeting else None
    start = meeting.day if meeting else since
    coverage = coverage or handover_coverage(store)
    everything = actions.actions(store, today=today)
    open_actions = [a for a in everything if a.is_open]
    done = [
        a
        for a in everything
        if not a.is_open and (start is None or (a.done_on or "") >= start.isoformat())
    ]
    named = _titles(store, [*open_actions, *done])
    decided = all_rows(
        store,
        TableQuery(decided_from=start or date.min, sort="decided_on", descending=True),
        today=today,
    )
    waiting = all_rows(
        store, TableQuery(statuses=("proposed", "in_discussion"), sort="place"), today=today
    )
    cop_titles = {c["id"]: c["title"] for c in coverage.cops}
    unlanded_areas = {
        r["id"]: ", ".join(cop_titles.get(c, c) for c in r["cops"] if c != r["id"])
        for r in coverage.rows
        if r["place"] is None
    }
    if meeting is not None:
        since_line = _p("since_meeting", lang, meeting=meeting.label(lang))
    elif start is not None:
        since_line = _p("since_day", lang, day=dates.format_day(start, lang))
    else:
        since_line = _p("since_start", lang)
    late = sum(1 for a in open_actions if a.is_overdue(today))
    document = Document(
        title=_p("title", lang),
        moment=moment,
        lang=lang,
        lines=[
            since_line,
            _p(
                "headline",
                lang,
                decided=len(decided),
                waiting=len(waiting),
                open=len(open_actions),
                late=late,
                unlanded=len(coverage.no_landing),
            ),
        ],
        labels=labels(lang),
    )
    document.sections = [
        Section(rt.w("summary", lang), rt.w("summary_why", lang), rt.summary_table(coverage, lang)),
        Section(
            _p("decided", lang, n=len(decided)),
            _p("decided_why", lang),
            rt.rows_table(
                decided, lang, today, _p("decided_sheet", lang), _p("none_decided", lang)
            ),
        ),
        Section(
            _p("waiting", lang, n=len(waiting)),
            _p("waiting_why", lang),
            rt.rows_table(waiting, lang, today, _p("waiting_sheet", lang), rt.w("nothing", lang)),
        ),
        Section(
            _p("open_actions", lang, n=len(open_actions), late=late),
            _p("open_actions_why", lang),
            rt.actions_table(open_actions, named, lang, today, done=False),
        ),
        Section(
            _p("done_actions", lang, n=len(done)),
            _p("done_actions_why", lang),
            _renamed(rt.actions_table(done, named, lang, today, done=True), _p("done_sheet", lang)),
        ),
        Section(
            rt.w("unlanded", lang),
            text(coverage.explanations["no_landing"], lang),
            rt.unlanded_table(coverage, unlanded_areas, lang),
        ),
        Section(
            rt.w("idle", lang),
            text(coverage.explanations["idle_places"], lang),
            rt.idle_table(coverage, lang),
        ),
    ]
    return document


def _renamed(table: rt.Table, sheet: str) -> rt.Table:
    table.sheet = sheet
    return table


def _titles(store: GraphStore, items: list[actions.Action]) -> dict[str, str]:
    if not items:
        return {}
    from kgraph.query import titles

    return titles(store, sorted({a.item for a in items} | {a.place for a in items if a.place}))


def meeting_pack(
    store: GraphStore,
    fmt: str,
    *,
    since_meeting: str | None = None,
    since: date | None = None,
    lang: str = "nl",
    now: datetime | None = None,
) -> bytes:
    """The meeting pack of ``store`` as bytes in ``fmt`` (``md``, ``html``, ``xlsx``,
    ``pdf``); see ``build_pack``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown pack format {fmt!r}; use md, html, xlsx or pdf")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    document = build_pack(store, since_meeting=since_meeting, since=since, lang=lang, now=now)
    return render(document, fmt)
