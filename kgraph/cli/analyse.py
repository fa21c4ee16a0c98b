"""``kgraph analyse ...`` (handover, gaps, central, similar, changes) and
``kgraph similar accept|dismiss`` for reviewing proposed pairs.

The analyses return catalogue keys and typed rows; the words printed here come from the
text catalogue (``kgraph.texts``) in English, or in Dutch with ``--lang nl``. Ids and status
codes stay as they are, so they can be pasted into the next command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from kgraph.analysis import (
    DEFAULT_METHOD,
    METHODS,
    accept_similar,
    centrality,
    changes_since,
    dismiss_similar,
    find_gaps,
    find_similar,
    handover_coverage,
    similar_to,
)
from kgraph.analysis.centrality import DEFAULT_SAMPLES
from kgraph.analysis.similar import DEFAULT_MIN_SCORE, DEFAULT_TOP, SimilarPair
from kgraph.cli.app import Context, cli, echo_json, json_option, pass_ctx
from kgraph.model import HANDOVER_STATUSES, NODE_KINDS
from kgraph.texts import render, text

_LANG = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="en",
    show_default=True,
    help="Language of the headings and explanations (ids and codes stay as they are).",
)


def _counts(counts: dict[str, int]) -> str:
    return "  ".join(f"{s}={counts.get(s, 0)}" for s in HANDOVER_STATUSES)


def _short(text: str, size: int = 80) -> str:
    """``text`` on one line, cut to ``size`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _heading(text: str) -> None:
    click.echo()
    click.echo(click.style(text, bold=True))


@cli.group()
def analyse() -> None:
    """Answer the steering group's questions: handover, gaps, centrality, similar, changes."""


@analyse.command()
@json_option
@_LANG
@pass_ctx
def handover(ctx: Context, as_json: bool, lang: str) -> None:
    """Handover coverage per landing place and per CoP, and what is still open."""
    result = handover_coverage(ctx.store)
    if as_json:
        echo_json(result.to_dict())
        return
    why = result.explanations
    click.echo(text("cli_all_handovers", lang, counts=_counts(result.totals)))
    _heading(text("progress_landing", lang))
    click.echo(text(why["places"], lang))
    for row in result.places:
        via = (
            "  (" + text("cli_via_parts", lang, counts=_counts(row["via_parts"])) + ")"
            if row["parts"]
            else ""
        )
        click.echo(f"  {row['id']}  {row['title']}: {_counts(row['direct'])}{via}")
    _heading(text("progress_cop", lang))
    click.echo(text(why["cops"], lang))
    for row in result.cops:
        click.echo(f"  {row['id']}  {row['title']}: {_counts(row['counts'])}")
    for name in ("not_accepted", "no_landing", "idle_places"):
        rows: list[dict[str, Any]] = getattr(result, name)
        _heading(f"{text(f'gaps_{name}', lang)} ({len(rows)})")
        click.echo(text(why[name], lang))
        for row in rows:
            statuses = ", ".join(f"{r['place']}: {r['status']}" for r in row.get("landings", []))
            click.echo(
                f"  {row['id']}  {_short(row['title'])}" + (f"  [{statuses}]" if statuses else "")
            )


@analyse.command()
@json_option
@_LANG
@pass_ctx
def gaps(ctx: Context, as_json: bool, lang: str) -> None:
    """Loose ends: unfed or unraised questions, stranded CoPs, empty themes, lone nodes."""
    result = find_gaps(ctx.store)
    if as_json:
        echo_json(result.to_dict())
        return
    for name, rows in result.groups.items():
        label = result.labels[name]
        _heading(f"{text(label['title'], lang)} ({len(rows)})")
        click.echo(text(label["help"], lang))
        for row in rows:
            click.echo(f"  {row['id']}  {row['title']}")


@analyse.command()
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(NODE_KINDS), help="Only these kinds."
)
@click.option(
    "--top", default=20, show_default=True, type=click.IntRange(1), help="Show this many."
)
@click.option(
    "--samples",
    default=DEFAULT_SAMPLES,
    show_default=True,
    type=click.IntRange(10),
    help="On big graphs, estimate betweenness from this many start nodes.",
)
@json_option
@_LANG
@pass_ctx
def central(
    ctx: Context, kinds: tuple[str, ...], top: int, samples: int, as_json: bool, lang: str
) -> None:
    """Which items hold the graph together (links and bridging, in plain words)."""
    result = centrality(ctx.store, kinds=kinds or None, top=top, samples=samples)
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(text(result.explanation, lang))
    if result.approximate:
        click.echo(
            "(" + text("central_approx", lang, samples=result.samples, nodes=result.nodes) + ")"
        )
    click.echo(f"{'rank':>4} {'links':>6} {'bridging':>9}  item")
    for row in result.rows:
        click.echo(
            f"{row['rank']:>4} {row['degree']:>6} {row['betweenness']:>9.4f}  {row['id']}  {_short(row['title'])}"
        )
    if result.rows:
        click.echo()
        click.echo(render(result.rows[0]["explanation"], lang))


def _context(pair: SimilarPair, side: str, lang: str) -> str:
    """Where one side of a pair comes from: CoP/theme, register and language, on one line."""
    ctx = pair.a_context if side == "a" else pair.b_context
    parts = [*ctx.cops, *ctx.themes]
    if ctx.register:
        parts.append(f"register {ctx.register}")
    if ctx.lang:
        parts.append(text(f"similar_lang_{ctx.lang}", lang))
    return "; ".join(parts)


def _why(pair: SimilarPair, lang: str) -> str:
    if pair.shared:
        return text("cli_shared_words", lang, words=", ".join(pair.shared))
    if pair.other_language:
        return text(
            pair.meaning_reason,
            lang,
            a=text(f"similar_lang_{pair.a_context.lang}", lang),
            b=text(f"similar_lang_{pair.b_context.lang}", lang),
        )
    return text(pair.meaning_reason, lang)


@analyse.command()
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    help=f"Leave out pairs scoring less [default: {DEFAULT_MIN_SCORE}; 0 with --to].",
)
@click.option(
    "--top", type=click.IntRange(1), help=f"Show this many [default: {DEFAULT_TOP}; 10 with --to]."
)
@click.option(
    "--method", type=click.Choice(list(METHODS)), default=DEFAULT_METHOD, show_default=True
)
@click.option("--to", "to", metavar="ID", help="The best partners of this one question.")
@click.option(
    "--across-cops", is_flag=True, help="Only pairs whose questions share no CoP or theme."
)
@click.option("--across-registers", is_flag=True, help="Only pairs from different registers.")
@click.option("--register", metavar="A", help="With --against: which of register A's questions ...")
@click.option("--against", metavar="B", help="... register B already has (best partner each).")
@json_option
@_LANG
@pass_ctx
def similar(
    ctx: Context,
    min_score: float | None,
    top: int | None,
    method: str,
    to: str | None,
    across_cops: bool,
    across_registers: bool,
    register: str | None,
    against: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Pairs of questions that ask (nearly) the same thing, in any language; review with
    `kgraph similar`. Questions without a stored vector are embedded first (once)."""
    if (register is None) != (against is None):
        raise click.UsageError("--register and --against go together")
    if to is not None and register is not None:
        raise click.UsageError("--to cannot be combined with --register/--against")
    with _embedding_bar(lang) as progress:
        if to is not None:
            result = similar_to(
                ctx.store,
                to,
                top=top or 10,
                min_score=0.0 if min_score is None else min_score,
                method=method,
                across_cops=across_cops,
                across_registers=across_registers,
                progress=progress,
            )
        else:
            result = find_similar(
                ctx.store,
                min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
                top=top or DEFAULT_TOP,
                method=method,
                across_cops=across_cops,
                across_registers=across_registers,
                register=register,
                against=against,
                progress=progress,
            )
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(text(result.explanation, lang))
    for pair in result.pairs:
        click.echo()
        for side, score in (("a", f"{pair.score:.2f}"), ("b", "    ")):
            node_id = pair.a if side == "a" else pair.b
            title = pair.a_title if side == "a" else pair.b_title
            where = _context(pair, side, lang)
            click.echo(
                f"{score}  {node_id}  {_plain(title)}" + (f"  [{_plain(where)}]" if where else "")
            )
        click.echo("      " + _plain(_why(pair, lang)))
    found = text(
        "similar_found",
        lang,
        n=len(result.pairs),
        questions=result.questions,
        linked=result.skipped_linked,
        dismissed=result.skipped_dismissed,
    )
    click.echo(found, err=True)
    if result.pairs:
        click.echo(text("cli_similar_review", lang), err=True)


def _plain(value: str) -> str:
    """User text for a terminal: control characters (escape sequences) dropped."""
    return "".join(ch for ch in str(value) if ch.isprintable())


@contextmanager
def _embedding_bar(lang: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while stale questions are embedded (none otherwise)."""
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(
                length=total, label=text("similar_embedding", lang, n=total), file=sys.stderr
            )
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@analyse.command()
@click.option("--since", required=True, metavar="ISO-DATE", help="From this moment (inclusive).")
@click.option("--until", metavar="ISO-DATE", help="Up to this moment (exclusive; default now).")
@click.option("--all", "show_all", is_flag=True, help="List every item (default: 10 per kind).")
@json_option
@_LANG
@pass_ctx
def changes(
    ctx: Context, since: str, until: str | None, show_all: bool, as_json: bool, lang: str
) -> None:
    """What was added, removed and changed since a date, and which handovers moved."""
    report = changes_since(ctx.store, since, until)
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(f"{report.since} .. {report.until or 'now'}")
    click.echo(render(report.headline, lang))
    if report.handover:
        _heading(text("report_handover", lang, n=len(report.handover)))
        for m in report.handover:
            click.echo(
                f"  {_short(m['src_title'], 60)} -> {_short(m['dst_title'], 40)}: "
                f"{m['from']} -> {m['to']}  by {m['by']} at {m['at'][:16]}"
            )
    for part, bucket in (("report_items", report.nodes), ("report_links", report.edges)):
        for what in ("added", "removed", "changed"):
            groups = bucket[what]
            if not groups:
                continue
            _heading(f"{text(part, lang)}: {text(f'report_{what}', lang).lower()}")
            for kind, rows in sorted(groups.items()):
                click.echo(f"  {kind} ({len(rows)})")
                shown = rows if show_all else rows[:10]
                for row in shown:
                    if "title" in row:
                        name = _short(row["title"])
                    else:
                        name = f"{_short(row['src_title'], 50)} -> {_short(row['dst_title'], 40)}"
                    details = [f["field"] for f in row.get("fields", [])]
                    if row.get("status"):
                        details.insert(0, str(row["status"]))
                    extra = f"  [{', '.join(details)}]" if details else ""
                    click.echo(f"    {name}{extra}  ({', '.join(row['by'])})")
                if len(shown) < len(rows):
                    click.echo("    " + text("cli_more", lang, n=len(rows) - len(shown)))


@cli.group(name="similar")
def similar_review() -> None:
    """Review similar-question pairs found by `kgraph analyse similar`."""


@similar_review.command()
@click.argument("a")
@click.argument("b")
@click.option("--score", type=click.FloatRange(0, 1), help="Record this score (default: computed).")
@pass_ctx
def accept(ctx: Context, a: str, b: str, score: float | None) -> None:
    """Link questions A and B with RELATES_TO (origin: similarity)."""
    edge = accept_similar(ctx.store, a, b, actor=ctx.actor, score=score)
    click.echo(f"linked {edge.src} -RELATES_TO-> {edge.dst} (score {edge.props['score']})")


@similar_review.command()
@click.argument("a")
@click.argument("b")
@pass_ctx
def dismiss(ctx: Context, a: str, b: str) -> None:
    """Remember that A and B are not the same question; they are not proposed again."""
    dismiss_similar(ctx.store, a, b, actor=ctx.actor)
    click.echo(f"dismissed {a} ~ {b}")
