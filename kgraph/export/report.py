"""The steering group's handover report: where every item handed over lands, with what
status, decided when and by whom, and what is still open.

A projection of ``kgraph.analysis.handover_coverage``, which does all the counting:
``handover_report(store, fmt)`` gives the report as Markdown, HTML, XLSX or PDF bytes
(``kgraph.export.documents``), dated "Stand per 12 maart 2024, 14:05" (Amsterdam). It
holds the summary per kind (accepted, in discussion, proposed, declined, not landed; an
item with several landing places counts under its furthest status; kinds without items
left out), every handover per landing place and per CoP with its decision and open
actions, the items without any landing place, the landing places that receive nothing, and
the open actions per owner (from a store; a subgraph has no actions). Its words come from
the text catalogue (``kgraph.texts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kgraph import actions, dates
from kgraph.analysis._graph import Source
from kgraph.analysis.handover import STATUS_RANK, HandoverCoverage, handover_coverage
from kgraph.export import review_tables as rt
from kgraph.export.documents import FORMATS as DOCUMENT_FORMATS
from kgraph.export.documents import Document, Section, render
from kgraph.store.base import GraphStore
from kgraph.texts import LANGUAGES, text

FORMATS = DOCUMENT_FORMATS

Row = Mapping[str, Any]


@dataclass
class Group:
    """One landing place or CoP (``node``: its coverage row), what it is part of, its rows."""

    node: Row
    parents: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


@dataclass
class HandoverData:
    """What the report shows, grouped, independent of the output format."""

    summary: dict[str, dict[str, int]]
    places: list[Group]
    cops: list[Group]
    unlanded: list[dict[str, Any]]


def _order(rows: Iterable[Row]) -> list[Row]:
    rank = {s: i for i, s in enumerate(STATUS_RANK)}
    return sorted(rows, key=lambda r: (rank.get(r["handover"], 9), str(r["title"]).casefold()))


def collect(source: Source | HandoverCoverage) -> HandoverData:
    """The report's groups from the handover of ``source`` (a store, a subgraph or an
    already computed ``HandoverCoverage``)."""
    coverage = source if isinstance(source, HandoverCoverage) else handover_coverage(source)
    by_id = {p["id"]: p for p in coverage.places}
    per_place = coverage.by_place()
    places = [
        Group(p, [by_id[w] for w in p["part_of"] if w in by_id], _order(per_place[p["id"]]))
        for p in sorted(coverage.places, key=lambda p: str(p["title"]).casefold())
    ]
    per_cop = coverage.by_cop()
    cops = [
        Group(c, [], _order(per_cop[c["id"]]))
        for c in sorted(coverage.cops, key=lambda c: str(c["title"]).casefold())
    ]
    return HandoverData(coverage.summary, places, cops, coverage.no_landing)


def labels(lang: str) -> dict[str, str]:
    """The words every document renderer needs, in ``lang``."""
    return {
        key: text(f"doc_{key}", lang)
        for key in ("stand_per", "page", "of", "summary_sheet", "contents")
    }


def build(
    coverage: HandoverCoverage,
    *,
    lang: str = "nl",
    store: GraphStore | None = None,
    now: datetime | None = None,
) -> Document:
    """The handover report as a ``Document`` (render it with
    ``kgraph.export.documents.render``)."""
    moment = now or datetime.now(UTC)
    today = dates.local(moment).date()
    everything: list[actions.Action] = actions.actions(store, today=today) if store else []
    summary = actions.open_summary(store, today=today) if store else {}
    cop_titles = {c["id"]: c["title"] for c in coverage.cops}
    data = collect(coverage)

    def title_of(group: Group) -> str:
        name = str(group.node["title"])
        if group.parents:
            whole = ", ".join(str(p["title"]) for p in group.parents)
            name += f" ({rt.w('part_of', lang)} {whole})"
        return name

    places = [(title_of(g), rt.with_actions(g.rows, summary, cop_titles)) for g in data.places]
    cops = [(str(g.node["title"]), rt.with_actions(g.rows, summary, cop_titles)) for g in data.cops]
    unlanded_areas = {
        r["id"]: ", ".join(cop_titles.get(c, c) for c in r["cops"] if c != r["id"])
        for r in coverage.rows
        if r["place"] is None
    }
    open_actions = [a for a in everything if a.is_open]
    named = _titles(store, open_actions)
    document = Document(
        title=rt.w("title", lang),
        moment=moment,
        lang=lang,
        lines=[rt.w("covers", lang)],
        labels=labels(lang),
    )
    document.sections = [
        Section(rt.w("summary", lang), rt.w("summary_why", lang), rt.summary_table(coverage, lang)),
        Section(
            rt.w("by_place", lang),
            text(coverage.explanations["places"], lang),
            rt.grouped_table(
                ((n, r) for n, r in places if r),
                rt.w("place", lang),
                lang,
                today,
                rt.w("by_place_sheet", lang),
                rt.w("nothing", lang),
            ),
        ),
        Section(
            rt.w("by_cop", lang),
            text(coverage.explanations["cops"], lang),
            rt.grouped_table(
                ((n, r) for n, r in cops if r),
                "CoP",
                lang,
                today,
                rt.w("by_cop_sheet", lang),
                rt.w("nothing", lang),
            ),
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
        Section(
            rt.w("open_actions_title", lang),
            rt.w("open_actions_why", lang),
            rt.actions_table(open_actions, named, lang, today, done=False),
        ),
    ]
    return document


def _titles(store: GraphStore | None, items: list[actions.Action]) -> dict[str, str]:
    if store is None or not items:
        return {}
    from kgraph.query import titles

    ids = sorted({a.item for a in items} | {a.place for a in items if a.place})
    return titles(store, ids)


def handover_report(
    source: Source | HandoverCoverage,
    fmt: str,
    *,
    lang: str = "nl",
    store: GraphStore | None = None,
    now: datetime | None = None,
) -> bytes:
    """The report of ``source`` (a store, a subgraph or a computed ``HandoverCoverage``)
    as bytes in ``fmt`` (``md``, ``html``, ``xlsx`` or ``pdf``); the open actions come
    from ``store`` (``source`` itself when it is a store)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use md, html, xlsx or pdf")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use nl or en")
    if store is None and isinstance(source, GraphStore):
        store = source
    coverage = source if isinstance(source, HandoverCoverage) else handover_coverage(source)
    return render(build(coverage, lang=lang, store=store, now=now), fmt)


def report_day(now: datetime | None = None) -> date:
    """The day a report made ``now`` is dated (Amsterdam)."""
    return dates.local(now or datetime.now(UTC)).date()
