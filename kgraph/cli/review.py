"""The steering group's commands: ``kgraph handover decide``, ``kgraph handover action
add|done``, ``kgraph handover actions``, ``kgraph meeting add|list``, ``kgraph report
meeting`` and ``kgraph source title|list``. Each asks one library function
(``kgraph.decisions``, ``kgraph.actions``, ``kgraph.meetings``, ``kgraph.export.pack``,
``kgraph.sources``) and prints what it did."""

from __future__ import annotations

from pathlib import Path

import click

from kgraph import actions, dates, decisions, meetings, sources
from kgraph.atomic import check_output, write_atomically
from kgraph.cli.app import Context, cli, echo_json, json_option, pass_ctx
from kgraph.cli.export import overwrite_option, report
from kgraph.errors import NotFoundError, ValidationError
from kgraph.model import HANDOVER_STATUSES
from kgraph.store.base import GraphStore

_LANG = click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language."
)


def _handover(store: GraphStore, spec: str) -> tuple[str, str]:
    """``ITEM:PLACE`` (or the edge key ``ITEM|LANDS_IN|PLACE``) as (item, place). Ids hold
    colons themselves, so the split is the one where that handover exists."""
    if spec.count("|") == 2:
        item, kind, place = spec.split("|")
        if kind == "LANDS_IN" and store.get_edge(item, kind, place) is not None:
            return item, place
        raise NotFoundError(f"{spec}: no such handover")
    found = [
        (spec[:i], spec[i + 1 :])
        for i, ch in enumerate(spec)
        if ch == ":" and store.get_edge(spec[:i], "LANDS_IN", spec[i + 1 :]) is not None
    ]
    if not found:
        raise NotFoundError(
            f"{spec}: no handover ITEM:PLACE (the item's id, a colon, the landing place's id)"
        )
    if len(found) > 1:
        raise ValidationError(f"{spec}: reads as several handovers; give it as ITEM|LANDS_IN|PLACE")
    return found[0]


@cli.group()
def handover() -> None:
    """Decide handovers and follow up their actions."""


@handover.command()
@click.argument("targets", nargs=-1, required=True, metavar="ITEM:PLACE...")
@click.option("--status", required=True, type=click.Choice(HANDOVER_STATUSES), help="The decision.")
@click.option("--on", "day", required=True, metavar="DATE", help="Decided on (DD-MM-YYYY or ISO).")
@click.option("--by", "by", metavar="NAME", help="Decided by (a person or body).")
@click.option("--note", metavar="TEXT", help="A note for every handover (default: keep each note).")
@click.option(
    "--meeting", metavar="MEETING", help="Taken in this meeting: LAST, its id or its day."
)
@click.option("--allow-future", is_flag=True, help="Accept a decision date in the future.")
@click.option(
    "--allow-before-item",
    is_flag=True,
    help="Accept a date before an item was added to the store (recording past decisions).",
)
@pass_ctx
def decide(
    ctx: Context,
    targets: tuple[str, ...],
    status: str,
    day: str,
    by: str | None,
    note: str | None,
    meeting: str | None,
    allow_future: bool,
    allow_before_item: bool,
) -> None:
    """Record one decision for every handover ITEM:PLACE given, in one transaction (one
    history entry each). Nothing is written when any handover is missing, the date is no
    date, or it lies in the future (without --allow-future)."""
    store = ctx.store
    chosen: list[decisions.Target] = []
    for spec in targets:
        item, place = _handover(store, spec)
        edge = store.get_edge(item, "LANDS_IN", place)
        assert edge is not None
        chosen.append(decisions.Target.of(edge))
    meeting_id = meetings.resolve(store, meeting).id if meeting else None
    stored = decisions.decide(
        store,
        chosen,
        status=status,
        decided_on=day,
        decided_by=by,
        note=note,
        meeting=meeting_id,
        allow_future=allow_future,
        allow_before_item=allow_before_item,
    )
    first = stored[0].props
    click.echo(
        f"decided {len(stored)} handover(s): {status} on {first['decided_on']}"
        + (f" by {first['decided_by']}" if first.get("decided_by") else "")
    )
    for edge in stored:
        click.echo(f"  {edge.src} -> {edge.dst}")


@handover.group()
def action() -> None:
    """Add an action to a handover or mark one done."""


@action.command("add")
@click.argument("item")
@click.argument("place", required=False)
@click.option("--what", required=True, metavar="TEXT", help="The next step.")
@click.option("--owner", required=True, metavar="NAME", help="Who holds the action.")
@click.option("--due", metavar="DATE", help="The deadline (DD-MM-YYYY or ISO).")
@json_option
@pass_ctx
def action_add(
    ctx: Context,
    item: str,
    place: str | None,
    what: str,
    owner: str,
    due: str | None,
    as_json: bool,
) -> None:
    """Add an open action to the handover ITEM -> PLACE (without PLACE: to an item that
    has no landing place yet). Prints the action's id."""
    added = actions.add_action(ctx.store, item, place, what=what, owner=owner, due=due)
    if as_json:
        echo_json(added.to_dict())
        return
    click.echo(f"added action {added.id}: {added.what} ({added.owner}"
               + (f", due {added.due})" if added.due else ")"))  # fmt: skip


@action.command("done")
@click.argument("action_id", metavar="ID")
@click.option("--on", "day", metavar="DATE", help="Done on (default: today).")
@click.option("--by", "by", metavar="NAME", help="Done by (default: who runs this).")
@pass_ctx
def action_done(ctx: Context, action_id: str, day: str | None, by: str | None) -> None:
    """Mark the action ID done."""
    done = actions.complete_action(ctx.store, action_id, on=day, by=by)
    click.echo(f"done: {done.what} (on {done.done_on} by {done.done_by})")


@handover.command("actions")
@click.option("--owner", metavar="NAME", help="Only this person's actions (case ignored).")
@click.option("--overdue", is_flag=True, help="Only open actions past their deadline.")
@click.option("--all", "everything", is_flag=True, help="Done actions too.")
@json_option
@pass_ctx
def actions_cmd(
    ctx: Context, owner: str | None, overdue: bool, everything: bool, as_json: bool
) -> None:
    """List open actions per owner (with --all also done ones), overdue ones marked."""
    today = dates.today()
    found = actions.actions(
        ctx.store, owner=owner, open_only=not everything, overdue=overdue, today=today
    )
    if as_json:
        echo_json([a.to_dict(today) for a in found])
        return
    if not found:
        click.echo("no actions", err=True)
        return
    from kgraph.query import titles

    names = titles(ctx.store, sorted({a.item for a in found} | {a.place for a in found if a.place}))
    for person, group in actions.by_owner(found).items():
        click.echo(click.style(person, bold=True))
        for a in group:
            where = names.get(a.item, a.item) + (
                f" -> {names.get(a.place, a.place)}" if a.place else ""
            )
            state = "OVERDUE" if a.is_overdue(today) else ("done" if not a.is_open else "open")
            due = f" due {a.due}" if a.due else ""
            click.echo(f"  {a.id}  [{state}]{due}  {a.what}  ({where})")


@cli.group()
def meeting() -> None:
    """The steering group's meetings ("changes since", the meeting pack)."""


@meeting.command("add")
@click.argument("day", metavar="DATE")
@click.option("--title", required=True, help='The meeting\'s name, e.g. "Stuurgroep maart".')
@click.option("--at", "at", metavar="HH:MM", help="When it starts (Dutch time).")
@click.option("--note", metavar="TEXT", help="A note.")
@pass_ctx
def meeting_add(ctx: Context, day: str, title: str, at: str | None, note: str | None) -> None:
    """Record a meeting held (or planned) on DATE (DD-MM-YYYY or ISO)."""
    added = meetings.add_meeting(ctx.store, day, title=title, at=at, note=note)
    click.echo(f"added meeting {added.id}: {added.title} on {added.on}"
               + (f" at {added.at}" if added.at else ""))  # fmt: skip


@meeting.command("list")
@json_option
@pass_ctx
def meeting_list(ctx: Context, as_json: bool) -> None:
    """List the meetings, earliest first."""
    found = meetings.meetings(ctx.store)
    if as_json:
        echo_json([m.to_dict() for m in found])
        return
    for m in found:
        click.echo(f"{m.id}\t{m.on}{' ' + m.at if m.at else ''}\t{m.title}")
    if not found:
        click.echo("no meetings", err=True)


@report.command("meeting")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--since-meeting",
    metavar="MEETING",
    help="Changes since this meeting: LAST (the last one held), its id or its day. "
    "Default: the last meeting held, if any.",
)
@_LANG
@overwrite_option
@pass_ctx
def meeting_cmd(
    ctx: Context, out: Path, since_meeting: str | None, lang: str, overwrite: bool
) -> None:
    """Write the meeting pack to OUT (.md, .html, .xlsx or .pdf): dated, with the summary,
    decisions since the meeting, proposals waiting, open and overdue actions per owner,
    items without a landing place and landing places that receive nothing."""
    from kgraph.export.pack import FORMATS, meeting_pack

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(f"{out.name}: the pack is written as .md, .html, .xlsx or .pdf")
    check_output(out, overwrite=overwrite, stores=[ctx.location])
    store = ctx.store
    if since_meeting is None and meetings.last_meeting(store) is not None:
        since_meeting = meetings.LAST
    data = meeting_pack(store, fmt, since_meeting=since_meeting, lang=lang)
    write_atomically(out, data, overwrite=overwrite, stores=[ctx.location])
    click.echo(f"wrote {out}")


@cli.group()
def source() -> None:
    """Titles of imported files, so sources read as "City Deal jaarverslag 2023, regel 154"."""


@source.command("title")
@click.argument("file")
@click.argument("title")
@pass_ctx
def source_title(ctx: Context, file: str, title: str) -> None:
    """Give the imported FILE (its name as the items' source names it) a TITLE."""
    changed = sources.register_source(ctx.store, file, title)
    click.echo(f"{file}: {title}" if changed else f"{file} already has that title")


@source.command("list")
@json_option
@pass_ctx
def source_list(ctx: Context, as_json: bool) -> None:
    """List the imported files that have a title."""
    found = sources.source_titles(ctx.store)
    if as_json:
        echo_json(found)
        return
    for file, title in sorted(found.items()):
        click.echo(f"{file}\t{title}")
