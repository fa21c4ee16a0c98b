"""The handover as rows: every complex question, CoP and showcase with where it lands.

Used by the Overdracht review (the Overzicht chart counts with ``kgraph.analysis.handover``,
which follows the same rules). A complex question belongs to the
CoP's it was raised in and to those of the knowledge questions that feed it; a CoP belongs
to itself; a showcase to no CoP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kgraph.model import HANDOVER_STATUSES, Edge, Node

#: the kinds that are handed over to a landing place
HANDED_OVER_KINDS: tuple[str, ...] = ("complex_question", "cop", "showcase")
#: the extra bucket for items without any landing place
NO_LANDING = "none"


@dataclass(frozen=True)
class HandoverRow:
    """One item and one of its landing places (``landing``/``edge`` are ``None`` when the
    item has no landing place at all)."""

    item: Node
    landing: Node | None
    edge: Edge | None
    cops: tuple[str, ...]

    @property
    def status(self) -> str:
        return (self.edge.status or "proposed") if self.edge is not None else NO_LANDING


def handover_rows(nodes: Iterable[Node], edges: Iterable[Edge]) -> list[HandoverRow]:
    """Rows for ``nodes`` (any kinds; only the handed-over kinds make rows) using the
    ``LANDS_IN``, ``RAISED_IN`` and ``FEEDS`` edges among ``edges``."""
    by_id = {n.id: n for n in nodes}
    lands: dict[str, list[Edge]] = {}
    raised: dict[str, set[str]] = {}
    feeds: dict[str, set[str]] = {}
    for e in edges:
        if e.kind == "LANDS_IN":
            lands.setdefault(e.src, []).append(e)
        elif e.kind == "RAISED_IN" and by_id.get(e.dst) and by_id[e.dst].kind == "cop":
            raised.setdefault(e.src, set()).add(e.dst)
        elif e.kind == "FEEDS":
            feeds.setdefault(e.dst, set()).add(e.src)
    rows: list[HandoverRow] = []
    for node in by_id.values():
        if node.kind not in HANDED_OVER_KINDS:
            continue
        if node.kind == "cop":
            cops: set[str] = {node.id}
        else:
            cops = set(raised.get(node.id, set()))
            for kq in feeds.get(node.id, set()):
                cops |= raised.get(kq, set())
        cop_ids = tuple(sorted(cops))
        landed = lands.get(node.id, [])
        if not landed:
            rows.append(HandoverRow(node, None, None, cop_ids))
        for e in sorted(landed, key=lambda e: e.dst):
            rows.append(HandoverRow(node, by_id.get(e.dst), e, cop_ids))
    rows.sort(key=lambda r: (r.item.kind, r.item.title.casefold(), r.edge.dst if r.edge else ""))
    return rows


def without_landing(rows: Sequence[HandoverRow]) -> list[Node]:
    """Items that have no landing place at all."""
    return [r.item for r in rows if r.edge is None]


STATUS_ORDER: tuple[str, ...] = (*HANDOVER_STATUSES, NO_LANDING)
