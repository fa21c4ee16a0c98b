"""Small pieces several pages share: labels for nodes and changes, colours, node pickers,
and the two ways user text reaches the screen: ``md`` for Markdown and ``table`` for
tables (cells a spreadsheet would run as formulas are defused, since Streamlit's own
"Download as CSV" writes what the table holds)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kgraph.analysis.changes import field_changes
from kgraph.errors import KGraphError
from kgraph.export.markdown import escape_markdown
from kgraph.export.safe import neutralise_cell
from kgraph.export.style import HANDOVER_COLOURS
from kgraph.model import Node
from kgraph.store.base import Change
from kgraph.ui import i18n
from kgraph.ui.i18n import t

#: handover status colours: the exports' palette, plus one for "no landing place at all"
STATUS_COLOURS: dict[str, str] = {**HANDOVER_COLOURS, "none": "#882255"}

#: fields of a node that are shown separately from its other properties
_SHOWN_FIELDS = ("id", "kind", "title", "text", "status", "tags", "source")


def node_label(node: Node) -> str:
    """``Title (Kind)`` as shown in pickers."""
    return f"{node.title} ({i18n.kind_label(node.kind)})"


def short_time(iso: str | None) -> str:
    """A stored (UTC) timestamp in Dutch time, as the page's language writes it
    (``01-03-2024 11:15``), or an empty string."""
    from kgraph.dates import format_moment

    return format_moment(iso, i18n.lang())


def target_label(target: str, names: Mapping[str, str]) -> str:
    """A history target (node id or ``src|KIND|dst``) in words."""
    if "|" in target:
        src, kind, dst = target.split("|", 2)
        return f"{names.get(src, src)} → {i18n.edge_label(kind)} → {names.get(dst, dst)}"
    return names.get(target, target)


def describe_fields(fields: Sequence[Mapping[str, Any]]) -> str:
    """``status: open → in_progress; owner: – → Ada`` for ``{"field", "before", "after"}``
    rows (as ``kgraph.analysis.changes`` gives them)."""
    return "; ".join(
        f"{f['field']}: {short_value(f['before'])} → {short_value(f['after'])}" for f in fields
    )


def describe_change(change: Change) -> str:
    """``status: open → in_progress; owner: – → Ada`` for an update, empty otherwise."""
    if change.op.startswith("update"):
        return describe_fields(field_changes(change))
    return ""


def short_value(value: Any, limit: int = 60) -> str:
    """A field value in a few words: ``–`` when empty, lists comma-joined, long text cut."""
    if value is None or value == "" or value == []:
        return "–"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_summary(changes: Sequence[Change], names: Mapping[str, str]) -> str:
    """One transaction in words: its first change, and how many more there were."""
    first = changes[0]
    text = f"{i18n.op_label(first.op)}: {target_label(first.target, names)}"
    if first.op.startswith("update"):
        detail = describe_change(first)
        if detail:
            text += f" ({detail})"
    if len(changes) > 1:
        text += " " + t("and_more", n=len(changes) - 1)
    return text


def md(text: object) -> str:
    """User text made inert for Streamlit's Markdown (``st.markdown``, captions, alerts,
    labels): on one line, every character Markdown acts on escaped and bare URLs and
    e-mail addresses kept from turning into links, so it shows as typed."""
    return escape_markdown(text)


def show_error(exc: KGraphError) -> None:
    """A store or input error shown in the page: in the page's language when the error
    names a reason (``key``, as ``kgraph.edits.EditRefused`` does), else in the store's
    own words."""
    key = getattr(exc, "key", None)
    text = t(key) if isinstance(key, str) and key in i18n.STRINGS else md(exc)
    st.error(text, icon=":material/error:")


def safe_frame(data: Any) -> pd.DataFrame:
    """``data`` (a DataFrame, or rows/columns pandas accepts) as a DataFrame whose text
    cells and column names are defused for spreadsheets (``kgraph.export.safe``)."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    frame.columns = [neutralise_cell(c) for c in frame.columns]
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            frame[column] = frame[column].map(neutralise_cell)
    return frame


def table(data: Any, **options: Any) -> Any:
    """``st.dataframe`` for every table the dashboard shows: the toolbar's "Download as
    CSV" then never writes a live formula. ``options`` go to ``st.dataframe``; a
    ``column_config`` keyed by a column name is keyed by its defused name too."""
    frame = safe_frame(data)
    config = options.pop("column_config", None)
    if config:
        options["column_config"] = {neutralise_cell(k): v for k, v in config.items()}
    return st.dataframe(frame, **options)


def readable_source(source: str | None) -> str:
    """Where an item comes from in words: "City Deal jaarverslag 2023, regel 154"
    (``kgraph.sources``), or "–"."""
    if not source:
        return "–"
    from kgraph.sources import describe
    from kgraph.ui.handover.reads import source_titles

    return describe(source, source_titles(), i18n.lang())


def node_details(node: Node) -> None:
    """Every property of ``node``, its provenance and bookkeeping, as a compact list."""
    st.markdown(f"**{i18n.kind_label(node.kind)}** · {md(node.id)}")
    if node.status:
        st.markdown(f"{t('field_status')}: **{md(i18n.status_label(node.status))}**")
    if node.text:
        st.text(node.text)
    rows: list[dict[str, str]] = []
    if node.tags:
        rows.append({t("col_field"): t("field_tags"), t("col_value"): ", ".join(node.tags)})
    for key, value in sorted(node.props.items()):
        if key in _SHOWN_FIELDS:
            continue
        rows.append({t("col_field"): key, t("col_value"): short_value(value, 400)})
    rows.append({t("col_field"): t("field_source"), t("col_value"): readable_source(node.source)})
    rows.append({t("col_field"): t("field_created"), t("col_value"): short_time(node.created_at)})
    rows.append(
        {
            t("col_field"): t("field_updated"),
            t("col_value"): f"{short_time(node.updated_at)} ({node.updated_by or '–'})",
        }
    )
    rows.append({t("col_field"): t("field_version"), t("col_value"): str(node.version)})
    table(rows, hide_index=True, width="stretch")


def filter_choice(
    where: Any,
    label: str,
    options: Sequence[str],
    key: str,
    format_func: Callable[[str], str] = str,
) -> list[str]:
    """A multiselect filter drawn in ``where`` (``st`` or a column) whose empty choice
    means all."""
    return where.multiselect(
        label,
        list(options),
        format_func=format_func,
        key=key,
        placeholder=t("all"),
        select_all=False,  # Streamlit's "Select all" is English; empty already means all
    )
