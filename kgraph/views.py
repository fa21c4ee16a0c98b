"""Views of the graph: what Verkennen shows (focus, depth, filters, colour), in a link, under
a name in the store, and the positions its drawing keeps.

A ``View`` is plain data. It travels in the page's URL (``to_params``/``from_params``), is
saved under a name as a ``view`` record (who and when are in the history), and picks its
subgraph the same way for the page, ``kgraph export --view NAME`` and the Export page
(``select_view``). The drawing's positions are kept per view as a ``layout`` record
(presentation state: no history), so the same view draws the same picture in every
session::

    view = View(focus=("cop:ethiek",), depth=2, color_by="status")
    save_view(store, "Ethiek D2", view, actor="Ada")
    base, shown = select_view(store, get_view(store, "ethiek d2").view)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from kgraph import query
from kgraph.drawing import COLOR_BY, GROUP_BY, MAX_DRAWN, SIZE_BY, Layout
from kgraph.errors import DuplicateError, NotFoundError, ValidationError
from kgraph.export.network import PageMeta
from kgraph.model import (
    HANDOVER_STATUSES,
    NODE_KINDS,
    QUESTION_STATUSES,
    check_id,
    fold,
    slugify,
)
from kgraph.store.base import DEFAULT_CAP, GraphStore
from kgraph.store.values import Subgraph

VIEW_COLLECTION = "view"
LAYOUT_COLLECTION = "layout"
NAME_MAX = 120
MAX_DEPTH = 3
_LIST_SEP = ","

__all__ = [
    "SavedView",
    "View",
    "delete_view",
    "download_stem",
    "get_view",
    "load_layout",
    "page_meta",
    "save_layout",
    "save_view",
    "saved_views",
    "select_view",
]


@dataclass(frozen=True)
class View:
    """What is drawn: focus and depth, filters, node cap and how it is coloured."""

    focus: tuple[str, ...] = ()
    depth: int = 1
    kinds: tuple[str, ...] = ()
    question_statuses: tuple[str, ...] = ()
    handover_statuses: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    cap: int = DEFAULT_CAP
    color_by: str = "kind"
    size_by: str = "degree"
    group: str = "auto"

    def __post_init__(self) -> None:
        for node_id in (*self.focus, *self.areas):
            check_id(node_id)
        if not 0 <= self.depth <= MAX_DEPTH:
            raise ValidationError(f"depth must be between 0 and {MAX_DEPTH}, not {self.depth}")
        if not 1 <= self.cap <= MAX_DRAWN:
            raise ValidationError(f"the node cap must be between 1 and {MAX_DRAWN}")
        for name, values, allowed in (
            ("kind", self.kinds, NODE_KINDS),
            ("question status", self.question_statuses, QUESTION_STATUSES),
            ("handover status", self.handover_statuses, HANDOVER_STATUSES),
        ):
            for value in values:
                if value not in allowed:
                    raise ValidationError(f"unknown {name} {value!r}")
        for name, value, allowed in (
            ("colour", self.color_by, COLOR_BY),
            ("size", self.size_by, SIZE_BY),
            ("grouping", self.group, GROUP_BY),
        ):
            if value not in allowed:
                raise ValidationError(f"unknown {name} {value!r}; use one of {', '.join(allowed)}")

    def layout_key(self) -> str:
        """What the drawing's positions belong to: the nodes drawn, not their colours."""
        parts = {
            "focus": sorted(self.focus),
            "depth": self.depth,
            "kinds": sorted(self.kinds),
            "q": sorted(self.question_statuses),
            "h": sorted(self.handover_statuses),
            "areas": sorted(self.areas),
            "cap": self.cap,
        }
        return json.dumps(parts, sort_keys=True, separators=(",", ":"))

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> View:
        """A view from ``to_dict`` output; unknown keys are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            values[key] = tuple(str(v) for v in value) if isinstance(value, list) else value
        try:
            return cls(**values)
        except TypeError as exc:
            raise ValidationError(f"not a view: {exc}") from None

    # --- in a link ----------------------------------------------------------------------------

    def to_params(self) -> dict[str, str]:
        """The view as URL query parameters (only what differs from the defaults)."""
        default = View()
        out: dict[str, str] = {}
        names = {
            "focus": "focus",
            "depth": "depth",
            "kinds": "kinds",
            "question_statuses": "status",
            "handover_statuses": "handover",
            "areas": "areas",
            "cap": "cap",
            "color_by": "colour",
            "size_by": "size",
            "group": "group",
        }
        for attr, param in names.items():
            value = getattr(self, attr)
            if value == getattr(default, attr):
                continue
            out[param] = _LIST_SEP.join(value) if isinstance(value, tuple) else str(value)
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> View:
        """The view a link describes; ``ValidationError`` naming the bad parameter."""

        def items(name: str) -> tuple[str, ...]:
            raw = str(params.get(name, "") or "")
            return tuple(dict.fromkeys(p.strip() for p in raw.split(_LIST_SEP) if p.strip()))

        def number(name: str, default: int) -> int:
            raw = str(params.get(name, "") or "").strip()
            if not raw:
                return default
            try:
                return int(raw)
            except ValueError:
                raise ValidationError(f"link parameter {name}: {raw!r} is not a number") from None

        try:
            return cls(
                focus=items("focus"),
                depth=number("depth", 1),
                kinds=items("kinds"),
                question_statuses=items("status"),
                handover_statuses=items("handover"),
                areas=items("areas"),
                cap=number("cap", DEFAULT_CAP),
                color_by=str(params.get("colour") or "kind"),
                size_by=str(params.get("size") or "degree"),
                group=str(params.get("group") or "auto"),
            )
        except ValidationError as exc:
            raise ValidationError(f"link: {exc}") from None


# --- the subgraph of a view ---------------------------------------------------------------

#: ``fetch(focus, depth, kinds, cap)``: a capped neighbourhood (the page passes its cache)
Fetch = Callable[[Sequence[str], int, Sequence[str], int], Subgraph]


def select_view(
    store: GraphStore,
    view: View,
    *,
    keep: Sequence[str] = (),
    fetch: Fetch | None = None,
) -> tuple[Subgraph, Subgraph]:
    """(the capped neighbourhood as fetched, the filtered view that is drawn/exported).

    Focus ids that no longer exist are left out; ``keep`` (a path) always stays.
    """
    focus = [i for i in view.focus if store.get_node(i) is not None]
    if not focus:
        empty = Subgraph(nodes={}, edges=[])
        return empty, empty
    all_kinds = not view.kinds or set(view.kinds) == set(NODE_KINDS)
    kinds: Sequence[str] = () if all_kinds else view.kinds
    if fetch is None:
        base = store.neighbourhood(focus, view.depth, kinds=list(kinds) or None, cap=view.cap)
    else:
        base = fetch(focus, view.depth, kinds, view.cap)
    shown = query.narrow(
        store,
        base,
        keep_always=[*focus, *keep],
        question_statuses=view.question_statuses,
        handover_statuses=view.handover_statuses,
        areas=view.areas,
    )
    return base, shown


def page_meta(
    store: GraphStore, view: View | None, *, name: str = "", lang: str = "nl"
) -> PageMeta:
    """The standalone page's header for ``view``: its name (or the first focus's title),
    the source store, today's date, the focus by title and the filters in words."""
    from datetime import date

    from kgraph import texts

    focus = [n.title for i in (view.focus if view else ()) if (n := store.get_node(i))]
    filters = []
    if view is not None:
        if view.kinds:
            kinds = ", ".join(texts.kind_label(k, lang) for k in view.kinds)
            filters.append(texts.text("network.filter_kinds", lang, kinds=kinds))
        statuses = [*view.question_statuses, *view.handover_statuses]
        if statuses:
            shown = ", ".join(texts.status_label(s, lang) for s in statuses)
            filters.append(texts.text("network.filter_status", lang, statuses=shown))
        filters.append(texts.text("network.depth", lang, depth=view.depth))
    title = name or (focus[0] if focus else "")
    return PageMeta(
        title=title,
        store=store.location,
        stamp=date.today(),
        focus=focus,
        filters=" · ".join(filters),
    )


def download_stem(store: GraphStore, view: View | None, *, name: str = "", whole: str) -> str:
    """What a downloaded file is called before its date: the saved view's name, else the
    first focus's title (``ethiek-d2``, ``+2`` more), else ``whole`` (the whole graph)."""
    if name:
        return slugify(name)[:60].strip("-") or whole
    if view is None or not view.focus:
        return whole
    first = store.get_node(view.focus[0])
    title = first.title if first is not None else view.focus[0]
    stem = slugify(title)[:40].rstrip("-")
    if len(view.focus) > 1:
        stem += f"-en-{len(view.focus) - 1}"
    return f"{stem}-d{view.depth}"


# --- saved views ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedView:
    """A view saved under a name, with who saved it and when (UTC, ISO)."""

    name: str
    view: View
    saved_by: str | None = None
    saved_at: str | None = None
    created_at: str | None = None
    version: int = 0
    id: str = field(default="", repr=False)


def _view_id(name: str) -> str:
    """One record per name, whatever its case or accents."""
    return "view-" + hashlib.sha1(" ".join(fold(name).split()).encode("utf-8")).hexdigest()[:20]


def _check_name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean:
        raise ValidationError("a view needs a name")
    if len(clean) > NAME_MAX:
        raise ValidationError(f"a view's name has at most {NAME_MAX} characters")
    if any(not ch.isprintable() for ch in clean):
        raise ValidationError("a view's name cannot hold control characters")
    return clean


def _saved(record: Any) -> SavedView:
    data = record.data
    return SavedView(
        name=str(data.get("name", "")),
        view=View.from_dict(data.get("view") or {}),
        saved_by=record.updated_by,
        saved_at=record.updated_at,
        created_at=record.created_at,
        version=record.version,
        id=record.id,
    )


def save_view(
    store: GraphStore,
    name: str,
    view: View,
    *,
    actor: str | None = None,
    replace_existing: bool = False,
) -> SavedView:
    """Save ``view`` under ``name`` (recorded in the history). A name in use (ignoring case
    and accents) is refused with ``DuplicateError`` unless ``replace_existing``."""
    name = _check_name(name)
    if not view.focus:
        raise ValidationError("a view needs at least one focus node")
    record_id = _view_id(name)
    data = {"name": name, "view": view.to_dict()}
    with store.transaction(actor=actor):
        old = store.get_record(VIEW_COLLECTION, record_id)
        if old is None:
            record = store.add_record(
                VIEW_COLLECTION, data, id=record_id, ref=view.focus[0], actor=actor
            )
        elif not replace_existing:
            raise DuplicateError(f"a view called {old.data.get('name')!r} exists already")
        else:
            record = store.update_record(
                VIEW_COLLECTION,
                record_id,
                data,
                ref=view.focus[0],
                expected_version=old.version,
                actor=actor,
            )
    return _saved(record)


def saved_views(store: GraphStore) -> list[SavedView]:
    """Every saved view, by name (case- and accent-insensitive)."""
    found = [_saved(r) for r in store.records(VIEW_COLLECTION)]
    return sorted(found, key=lambda v: fold(v.name))


def get_view(store: GraphStore, name: str) -> SavedView:
    """The view saved under ``name`` (case and accents ignored); ``NotFoundError``."""
    record = store.get_record(VIEW_COLLECTION, _view_id(_check_name(name)))
    if record is None:
        raise NotFoundError(f"no saved view called {name!r}")
    return _saved(record)


def delete_view(store: GraphStore, name: str, *, actor: str | None = None) -> None:
    """Delete the view saved under ``name`` (recorded in the history); ``NotFoundError``."""
    record_id = _view_id(_check_name(name))
    if store.get_record(VIEW_COLLECTION, record_id) is None:
        raise NotFoundError(f"no saved view called {name!r}")
    store.delete_record(VIEW_COLLECTION, record_id, actor=actor)


# --- positions ----------------------------------------------------------------------------------


def _layout_id(key: str) -> str:
    return "layout-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def load_layout(store: GraphStore, view: View) -> Layout:
    """The positions stored for ``view`` (empty when it was never drawn)."""
    key = view.layout_key()
    record = store.get_record(LAYOUT_COLLECTION, _layout_id(key))
    if record is None:
        return Layout(key=key)
    raw = record.data.get("positions") or {}
    positions = {
        str(i): (float(p[0]), float(p[1]))
        for i, p in raw.items()
        if isinstance(p, list) and len(p) == 2
    }
    return Layout(key=key, positions=positions, pinned=tuple(record.data.get("pinned") or ()))


def save_layout(
    store: GraphStore,
    key: str,
    positions: Mapping[str, Sequence[float]],
    pinned: Sequence[str] = (),
    *,
    actor: str | None = None,
) -> Layout:
    """Store the drawing's positions for the view with layout key ``key`` (as the browser
    reports them; values must be finite numbers). Positions of nodes not in ``positions``
    are kept, so a view that grows keeps the places of what it had."""
    clean: dict[str, list[float]] = {}
    for node_id, point in positions.items():
        try:
            x, y = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError):
            raise ValidationError(f"layout: position of {node_id!r} is not two numbers") from None
        if not (abs(x) < 1e12 and abs(y) < 1e12):  # also refuses NaN
            raise ValidationError(f"layout: position of {node_id!r} is not finite")
        clean[str(node_id)] = [round(x, 2), round(y, 2)]
    record_id = _layout_id(key)
    with store.transaction(actor=actor):
        old = store.get_record(LAYOUT_COLLECTION, record_id)
        if old is None:
            data = {"view": key, "positions": clean, "pinned": list(pinned)}
            store.add_record(LAYOUT_COLLECTION, data, id=record_id, actor=actor)
        else:
            merged = dict(old.data.get("positions") or {})
            merged.update(clean)
            store.update_record(
                LAYOUT_COLLECTION,
                record_id,
                {"positions": merged, "pinned": list(pinned)},
                actor=actor,
            )
    return Layout(
        key=key, positions={k: (v[0], v[1]) for k, v in clean.items()}, pinned=tuple(pinned)
    )


def with_focus(view: View, focus: Sequence[str]) -> View:
    """``view`` around other focus nodes (filters and colours kept)."""
    return replace(view, focus=tuple(dict.fromkeys(focus)))
