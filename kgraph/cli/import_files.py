"""``kgraph import table|markdown|graph|report|undo|batches``: front ends of the import session.

Each command only answers the questions of ``kgraph.importers.session.ImportSession`` from
its options, shows the plan and, unless ``--dry-run``, applies it (one transaction, a bar
for large inputs) and says which import batch it became, so ``kgraph import undo`` can
revert it. The Importeren page drives the same session.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kgraph.atomic import check_output
from kgraph.cli.app import Context, echo_json, json_option, lang_option, pass_ctx, terminal_text
from kgraph.cli.imports import import_
from kgraph.errors import InputError
from kgraph.model import NODE_KINDS

#: progress bars appear from this many rows or items on
LARGE = 500
#: plan lines listed per group (added, changed, gone) before "... and N more"
LISTED = 50


class _Bar:
    """A click progress bar on stderr, opened on the first report of a large input."""

    def __init__(self, label: str, large: int) -> None:
        self.label = label
        self.large = large
        self.bar: Any = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if total < self.large:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@contextmanager
def progress_bar(label: str, *, large: int = LARGE) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback that shows a bar on stderr once ``total``
    reaches ``large``."""
    bar = _Bar(label, large)
    try:
        yield bar.update
    finally:
        bar.close()


def _counts_text(counts: dict[str, int], lang: str) -> str:
    from kgraph.texts import status_label

    return ", ".join(f"{status_label(s, lang)} {n}" for s, n in counts.items() if n)


def _steering_text(steering: dict[str, dict[str, int]], lang: str) -> str:
    from kgraph.importers.messages import render
    from kgraph.texts import status_label

    before, after = steering["before"], steering["after"]
    return ", ".join(
        render(
            "plan_steering_move",
            lang,
            status=status_label(s, lang),
            before=before.get(s, 0),
            after=after.get(s, 0),
        )
        for s in after
        if before.get(s, 0) != after.get(s, 0)
    )


def _lines(items: list[Any], mark: str, describe: Callable[[Any], str]) -> Iterator[str]:
    for item in items[:LISTED]:
        yield f"  {mark} {terminal_text(describe(item))}"


def show_plan(plan: Any, lang: str) -> None:
    """The plan for a person: the counts, what is added, changed and gone, the handovers
    it makes and how the steering group's counts move, and every note."""
    from kgraph.importers.messages import render

    head = render("plan_register", lang, register=plan.register) + ": " if plan.register else ""
    click.echo(head + render("plan_counts", lang, **plan.summary()))
    shown = 0
    for mark, items, describe in (
        ("+", plan.added, lambda n: f"{n.kind:<18} {n.id}  {n.title[:70]}"),
        ("~", plan.changed, lambda c: f"{c[0].id}  " + ", ".join(k for k in c[2] if k != "source")),
        ("-", plan.gone, lambda n: f"{n.id}  {n.title[:70]}"),
    ):
        for line in _lines(items, mark, describe):
            click.echo(line)
        shown += max(0, len(items) - LISTED)
    if shown:
        click.echo("  " + render("and_more", lang, count=shown))
    if plan.handovers:
        click.echo(render("plan_handovers", lang, counts=_counts_text(plan.handovers, lang)))
    if plan.steering_changes:
        click.echo(render("plan_steering", lang, changes=_steering_text(plan.steering, lang)))
    for note in plan.notes:
        click.echo(f"note: {terminal_text(note)}")


def plan_json(plan: Any) -> dict[str, Any]:
    """The plan for scripts."""
    return {
        "source": plan.source,
        "register": plan.register,
        **plan.summary(),
        "added_ids": [n.id for n in plan.added],
        "changed_fields": {
            old.id: sorted(k for k in changes if k != "source") for old, _, changes in plan.changed
        },
        "gone_ids": [n.id for n in plan.gone],
        "handovers": plan.handovers,
        "steering": plan.steering,
        "notes": plan.notes,
    }


def run_session(
    ctx: Context,
    session: Any,
    spec: Any,
    *,
    dry_run: bool,
    as_json: bool,
    prune: bool = False,
    skip_invalid: bool = False,
    after_plan: Callable[[Any], None] | None = None,
) -> None:
    """Plan (reading with a bar), show, and unless ``dry_run`` apply (with a bar)."""
    from kgraph.importers import table
    from kgraph.importers.messages import render

    lang = session.lang
    with progress_bar(f"reading {session.source.name}") as progress:
        plan = session.plan(spec, skip_invalid=skip_invalid, progress=progress)
    if not plan.ok:
        raise table.problems_error(
            session.source.name, plan.problems, lang, render("hint_skip_invalid", lang)
        )
    if after_plan is not None:
        after_plan(plan)
    applied = None
    if not dry_run:
        large = 1 if len(plan.added) + len(plan.edges) + len(plan.changed) >= LARGE else LARGE
        with progress_bar("writing", large=large) as progress:
            applied = session.apply(plan, prune=prune, progress=progress)
    if as_json:
        data = {"dry_run": dry_run, **plan_json(plan)}
        if applied is not None:
            data.update(
                batch=applied.batch,
                nodes_added=applied.nodes_added,
                edges_added=applied.edges_added,
                updated=applied.updated,
                pruned=applied.deleted,
            )
        echo_json(data)
        return
    show_plan(plan, lang)
    if applied is None:
        click.echo(render("dry_run", lang))
        return
    click.echo(
        render(
            "applied",
            lang,
            batch=applied.batch,
            nodes=applied.nodes_added,
            edges=applied.edges_added,
            updated=applied.updated,
            deleted=applied.deleted,
        )
    )
    if plan.gone and not prune:
        click.echo(render("reimport_kept", lang, count=len(plan.gone)))


def _parse_maps(maps: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in maps:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InputError(f"--map {item!r}: write FIELD=COLUMN, e.g. --map title=Vraag")
        mapping[field.strip()] = column.strip()
    return mapping


def _parse_values(items: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``status:1=open`` -> ``{"status": {"1": "open"}}``; ``placed_at:Not included=``
    maps to nothing."""
    values: dict[str, dict[str, str]] = {}
    for item in items:
        field, colon, rest = item.partition(":")
        old, sep, new = rest.partition("=")
        if not colon or not sep or not field.strip() or not old.strip():
            raise InputError(f"--value {item!r}: write FIELD:FROM=TO, e.g. --value status:1=open")
        values.setdefault(field.strip(), {})[old.strip()] = new.strip()
    return values


_dry_run = click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
_prune = click.option(
    "--prune", is_flag=True, help="Delete the register's items no longer in the source."
)


def _session(ctx: Context, source: Path, format: str, lang: str, **options: Any) -> Any:
    from kgraph.importers.session import ImportSession

    return ImportSession(ctx.store, source, format=format, lang=lang, actor=ctx.actor, **options)


@import_.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="Sheet of an .xlsx file (default: the one with most questions).")
@click.option(
    "--header-row",
    type=click.IntRange(min=1),
    help="Row number of the column names (default: found).",
)
@click.option(
    "--kind",
    type=click.Choice(NODE_KINDS),
    default=None,
    help="Kind of node each row becomes (default: knowledge_question).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Take FIELD (id, title, text, status, owner, tags, cop, complex_question, theme, "
    "landing_place, organisation, placed_at, handover_status, relates_to) from COLUMN (its "
    "name, or a letter). Repeatable.",
)
@click.option(
    "--value",
    "value_maps",
    multiple=True,
    metavar="FIELD:FROM=TO",
    help="Read the value FROM of FIELD as TO, e.g. status:1=open; an empty TO means "
    'nothing (placed_at:"Not included"= lands nowhere). Repeatable.',
)
@click.option(
    "--placed-status",
    type=click.Choice(["proposed", "in_discussion", "accepted"]),
    default=None,
    help="Handover status of a placed_at (Waar belegd) placement (default: proposed, or as "
    "the --mapping file says); accepted only when the register records decisions.",
)
@click.option(
    "--by-name/--no-by-name",
    default=None,
    help="Map a field nobody mapped to a column of the same name (default: on, or as the "
    "--mapping file says); off keeps such a column as a property.",
)
@click.option(
    "--register",
    help="Name of the register, asked once and kept in --save-mapping: ids made from codes "
    "become kq:REGISTER:CODE and every item records it (default: the file's stem, unless "
    "the columns are a known register's). The same name again compares a newer version.",
)
@click.option(
    "--duplicates",
    type=click.Choice(["refuse", "keep"]),
    default=None,
    help="Rows sharing a code: refuse (default) or keep both (suffixed id, duplicate_code).",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.yaml",
    help="Read register, sheet, header row, columns and value mappings from FILE.yaml (as "
    "the Importeren page saves it); options given here win.",
)
@click.option(
    "--save-mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.yaml",
    help="Save the register and mapping used to FILE.yaml for the next version (or the "
    "Importeren page); also with --dry-run.",
)
@_prune
@click.option("--delimiter", help="CSV delimiter (default: ; or , detected; 'tab' for tabs).")
@click.option(
    "--encoding", help="CSV encoding (default: UTF-8, UTF-8 with BOM or cp1252 detected)."
)
@click.option(
    "--skip-invalid",
    "rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REJECTS.csv",
    help="Import the valid rows; write the others with their reasons to REJECTS.csv.",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace an existing REJECTS.csv or --save-mapping file."
)
@lang_option
@_dry_run
@json_option
@pass_ctx
def table_cmd(
    ctx: Context,
    file: Path,
    sheet: str | None,
    header_row: int | None,
    kind: str | None,
    maps: tuple[str, ...],
    value_maps: tuple[str, ...],
    placed_status: str | None,
    by_name: bool | None,
    register: str | None,
    duplicates: str | None,
    mapping_file: Path | None,
    save_mapping: Path | None,
    prune: bool,
    delimiter: str | None,
    encoding: str | None,
    rejects: Path | None,
    overwrite: bool,
    lang: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import the rows of an .xlsx or .csv FILE as nodes; all-or-nothing unless
    --skip-invalid. Importing the same register again shows what was added, changed,
    unchanged and is no longer in the source, and records the changes in the history;
    every import can be undone (kgraph import undo)."""
    from kgraph.importers import mapping_file as specs
    from kgraph.importers import table
    from kgraph.importers.messages import render

    # refuse every output before anything is read or written (the store, its side files,
    # the inputs, an existing file without --overwrite), also for a dry run
    inputs = [file, *([mapping_file] if mapping_file else [])]
    stores = [ctx.location]
    if save_mapping is not None:
        check_output(save_mapping, overwrite=overwrite, inputs=inputs, stores=stores)
    if rejects is not None:
        outputs = [save_mapping] if save_mapping is not None else []
        check_output(rejects, overwrite=overwrite, inputs=[*inputs, *outputs], stores=stores)
    session = _session(ctx, file, "table", lang, delimiter=delimiter, encoding=encoding)
    spec = specs.load_spec(mapping_file) if mapping_file else specs.ImportSpec(by_name=True)
    spec.columns.update(_parse_maps(maps))
    for field, pairs in _parse_values(value_maps).items():
        spec.values.setdefault(field, {}).update(pairs)
    spec.sheet = sheet or spec.sheet
    spec.header_row = header_row or spec.header_row
    spec.kind = kind or spec.kind
    spec.register = register or spec.register
    spec.duplicates = duplicates or spec.duplicates
    spec.placed_status = placed_status or spec.placed_status
    if by_name is not None:
        spec.by_name = by_name

    def after_plan(plan: Any) -> None:
        result = plan.table
        shown = ", ".join(f"{f}={c}" for f, c in result.by_name.items())
        if shown:
            click.echo(render("by_name_shown", lang, shown=shown), err=True)
        if rejects is not None and result.rejects:
            if not dry_run:
                table.write_rejects(
                    rejects, result.rejects, inputs=inputs, stores=stores, overwrite=overwrite
                )
            written = "" if dry_run else render("rejects_written", lang, path=rejects)
            count = len(result.rejects)
            click.echo(
                render("rejected_rows", lang, count=count, rows=result.rows_read) + written,
                err=True,
            )
        if save_mapping is not None:
            used = specs.spec_from_dict(plan.details["spec"], str(save_mapping))
            specs.save_spec(used, save_mapping, overwrite=overwrite, inputs=inputs, stores=stores)
            key = "save_mapping_dry" if dry_run else "mapping_saved"
            click.echo(render(key, lang, path=save_mapping), err=True)

    run_session(
        ctx,
        session,
        spec,
        dry_run=dry_run,
        as_json=as_json,
        prune=prune,
        skip_invalid=rejects is not None,
        after_plan=after_plan,
    )


@import_.command("markdown")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--register", help="Name of the register in ids (default: the folder name).")
@_prune
@lang_option
@_dry_run
@json_option
@pass_ctx
def markdown_cmd(
    ctx: Context,
    folder: Path,
    register: str | None,
    prune: bool,
    lang: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a question register kept as Markdown (one question per file with YAML front
    matter, _data/themes.csv, _contributors/), such as the CAA research agenda; again, a
    newer version of it."""
    from kgraph.importers.mapping_file import ImportSpec

    session = _session(ctx, folder, "markdown", lang)
    spec = ImportSpec(register=register)
    run_session(ctx, session, spec, dry_run=dry_run, as_json=as_json, prune=prune)


@import_.command("graph")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    "default_kind",
    type=click.Choice(NODE_KINDS),
    default="knowledge_question",
    show_default=True,
    help="Kind of nodes that carry no kgraph kind (files from Gephi, yEd, ...).",
)
@lang_option
@_dry_run
@json_option
@pass_ctx
def graph_cmd(
    ctx: Context, file: Path, default_kind: str, lang: str, dry_run: bool, as_json: bool
) -> None:
    """Import a graph FILE: .json (node-link), .graphml, .gexf as kgraph, Gephi, yEd or
    networkx write them, or kgraph's own .zip (CSV) and .xlsx exports."""
    from kgraph.importers.mapping_file import ImportSpec

    session = _session(ctx, file, "graph", lang)
    run_session(ctx, session, ImportSpec(kind=default_kind), dry_run=dry_run, as_json=as_json)


@import_.command("report")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
@_dry_run
@json_option
@pass_ctx
def report_cmd(ctx: Context, file: Path, lang: str, dry_run: bool, as_json: bool) -> None:
    """Import a City Deal annual report (Markdown converted from PDF): CoPs, their
    knowledge and complex questions, landing places, organisations, themes, showcases
    and values."""
    session = _session(ctx, file, "report", lang)
    run_session(ctx, session, None, dry_run=dry_run, as_json=as_json)


@import_.command("undo")
@click.argument("batch", required=False)
@lang_option
@json_option
@pass_ctx
def undo_cmd(ctx: Context, batch: str | None, lang: str, as_json: bool) -> None:
    """Undo import BATCH (default: the newest import not undone yet) exactly: what it
    added is removed, what it changed or deleted comes back; refused, naming them, when
    later changes touched the same items. `kgraph import batches` lists the imports."""
    from kgraph.importers.messages import render
    from kgraph.importers.undo import undo_import

    result = undo_import(ctx.store, batch, actor=ctx.actor, lang=lang)
    if as_json:
        echo_json(
            {
                "batch": result.batch.id,
                "source": result.batch.source,
                "nodes_removed": result.nodes_removed,
                "edges_removed": result.edges_removed,
                "restored": result.restored,
            }
        )
        return
    click.echo(
        render(
            "undone",
            lang,
            batch=result.batch.id,
            source=terminal_text(result.batch.source),
            nodes=result.nodes_removed,
            edges=result.edges_removed,
            restored=result.restored,
        )
    )


@import_.command("batches")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@lang_option
@json_option
@pass_ctx
def batches_cmd(ctx: Context, limit: int, lang: str, as_json: bool) -> None:
    """List the imports, newest first: id, when (Europe/Amsterdam), who, source, register,
    what each added, changed and deleted, and whether it was undone."""
    from dataclasses import asdict

    from kgraph.importers.messages import local_time, render
    from kgraph.importers.undo import import_batches

    found = import_batches(ctx.store, limit=limit)
    if as_json:
        echo_json([asdict(b) for b in found])
        return
    if not found:
        click.echo(render("batches_none", lang))
    for b in found:
        c = b.counts
        undone = f"  undone {local_time(b.undone_at)} ({b.undone_by})" if b.undone_at else ""
        click.echo(
            f"{b.id}  {local_time(b.at)}  {terminal_text(b.actor):<12} "
            f"+{c.get('nodes_added', 0)} ~{c.get('updated', 0)} -{c.get('deleted', 0)}  "
            f"{terminal_text(b.source)}" + (f" [{b.register}]" if b.register else "") + undone
        )
