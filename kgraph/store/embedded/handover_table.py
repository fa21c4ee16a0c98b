"""The handover table (``kgraph.handover_table``) as one SQL query on the embedded store.

The rows are the landable items left-joined to their ``LANDS_IN`` edges (an item without
one gives one row with no place), minus the knowledge questions that land nowhere and feed
a landable item. Filters, the sort order, ``LIMIT``/``OFFSET`` and the total (a window
count) are all in the one statement, so a page reads its rows and nothing else. The action
summary arrives as a JSON parameter and is joined through ``json_each``. Words in the title
are matched in the text index (``node_fts``, accent-folded, word prefixes), as search does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kgraph.handover_table import NO_LANDING, STATUSES, Spec
from kgraph.model import EDGE_RULES
from kgraph.store.embedded.connection import EmbeddedCore

_STATUS_RANK = "CASE r.status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUSES))
_ORDER: dict[str, str] = {
    "title": "r.title COLLATE NOCASE",
    "kind": "r.kind",
    "place": "r.place_title COLLATE NOCASE",
    "status": _STATUS_RANK + " END",
    "decided_on": "json_extract(r.props, '$.decided_on')",
    "decided_by": "json_extract(r.props, '$.decided_by') COLLATE NOCASE",
    "actions": "COALESCE(a.open_n, 0)",
    "due": "a.due",
    "changed": "max(r.changed_at, COALESCE(a.changed, ''))",
}
_ISO_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class EmbeddedHandoverTable:
    """The handover table's reads on one ``EmbeddedStore``."""

    def __init__(self, store: EmbeddedCore) -> None:
        self.store = store

    def rows(self, spec: Spec) -> tuple[list[dict[str, Any]], int]:
        q = spec.query
        params: list[Any] = [json.dumps(spec.actions)]
        where: list[str] = []
        if q.statuses:
            where.append(f"r.status IN ({_marks(q.statuses)})")
            params += q.statuses
        if q.places:
            where.append(f"r.place IN ({_marks(q.places)})")
            params += q.places
        if q.kinds:
            where.append(f"r.kind IN ({_marks(q.kinds)})")
            params += q.kinds
        if q.areas:
            # the items of these CoP's/themes, found once from the areas' side (an index
            # lookup per raised question), not by a search per row
            marks = _marks(q.areas)
            where.append(
                f"r.item IN (SELECT id FROM nodes WHERE id IN ({marks})"  # noqa: S608
                " UNION SELECT src FROM edges"
                f"  WHERE dst IN ({marks}) AND kind = 'RAISED_IN'"
                " UNION SELECT f.dst FROM edges x CROSS JOIN edges f"
                f"  WHERE x.dst IN ({marks}) AND x.kind = 'RAISED_IN'"
                "  AND f.src = x.src AND f.kind = 'FEEDS')"
            )
            params += [*q.areas, *q.areas, *q.areas]
        if spec.words:
            match = " AND ".join(f'"{w}"*' for w in spec.words)
            where.append("r.item IN (SELECT id FROM node_fts WHERE node_fts MATCH ?)")
            params.append(f"{{title}} : ({match})")
        if spec.keys is not None:
            where.append("r.rkey IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(spec.keys))
        if q.decided_from is not None:
            where.append(
                f"json_extract(r.props, '$.decided_on') GLOB {_ISO_DAY}"
                " AND json_extract(r.props, '$.decided_on') >= ?"
            )
            params.append(q.decided_from.isoformat())
        direction = "DESC" if q.descending else "ASC"
        order = f"{_ORDER[q.sort]} {direction} NULLS LAST, r.title COLLATE NOCASE, r.item, r.place"
        parts, part_params = self._parts(spec)
        sql = (
            "WITH acts(ref, open_n, due, changed) AS ("  # noqa: S608 - fixed text, values bound
            " SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
            " json_extract(value, '$[2]') FROM json_each(?)),"
            f" r AS ({parts})"
            " SELECT r.item, r.kind, r.title, r.place, r.place_title, r.props, r.changed_at,"
            "  r.changed_by, r.status, COUNT(*) OVER () AS total"
            " FROM r LEFT JOIN acts a ON a.ref = r.rkey"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + f" ORDER BY {order} LIMIT ? OFFSET ?"
        )
        params = [params[0], *part_params, *params[1:], q.limit, q.offset]
        found = self.store._query(sql, params)
        rows = [
            {
                "item": r[0],
                "kind": r[1],
                "title": r[2],
                "place": r[3],
                "place_title": r[4],
                "props": r[5],
                "changed_at": r[6],
                "changed_by": r[7],
                "status": r[8],
            }
            for r in found
        ]
        if found:
            return rows, int(found[0][9])
        if q.offset == 0:
            return [], 0
        # past the end: count what matches
        from dataclasses import replace

        _, total = self.rows(replace(spec, query=replace(q, offset=0, limit=1)))
        return [], total

    @staticmethod
    def _parts(spec: Spec) -> tuple[str, list[Any]]:
        """The rows before filtering: the handovers, and the items that land nowhere (each
        part left out when the status or place filter cannot match it)."""
        q = spec.query
        kinds = list(spec.landable)
        marks = _marks(kinds)
        parts: list[str] = []
        params: list[Any] = []
        landed = [s for s in q.statuses if s != NO_LANDING]
        if not q.statuses or landed:
            parts.append(
                "SELECT i.id AS item, i.kind, i.title, e.dst AS place, p.title AS place_title,"  # noqa: S608
                " e.props, e.updated_at AS changed_at, e.updated_by AS changed_by,"
                " COALESCE(json_extract(e.props, '$.status'), 'proposed') AS status,"
                " i.id || '|LANDS_IN|' || e.dst AS rkey"
                " FROM edges e JOIN nodes i ON i.id = e.src JOIN nodes p ON p.id = e.dst"
                f" WHERE e.kind = 'LANDS_IN' AND i.kind IN ({marks})"
            )
            params += kinds
        if (not q.statuses or NO_LANDING in q.statuses) and not q.places:
            # a knowledge question that feeds a landable item is handed over with it; the
            # FEEDS check needs no look at the target when every FEEDS target may land
            targets = EDGE_RULES["FEEDS"][1]
            if targets <= set(kinds):
                feeds = "SELECT 1 FROM edges f WHERE f.kind = 'FEEDS' AND f.src = i.id"
                feed_params: list[Any] = []
            else:
                feeds = (
                    "SELECT 1 FROM edges f JOIN nodes t ON t.id = f.dst"  # noqa: S608
                    f" WHERE f.kind = 'FEEDS' AND f.src = i.id AND t.kind IN ({marks})"
                )
                feed_params = kinds
            # ids first from the kind index alone; only the survivors' rows are read
            parts.append(
                "SELECT n.id AS item, n.kind, n.title, NULL AS place, NULL AS place_title,"  # noqa: S608
                " NULL AS props, n.updated_at AS changed_at, n.updated_by AS changed_by,"
                " 'none' AS status, n.id AS rkey FROM nodes n WHERE n.id IN ("
                f" SELECT i.id FROM nodes i WHERE i.kind IN ({marks})"
                f" AND NOT EXISTS ({feeds})"
                " AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.kind = 'LANDS_IN'"
                " AND e.src = i.id))"
            )
            params += [*kinds, *feed_params]
        if not parts:  # a filter nothing can match
            parts.append(
                "SELECT NULL AS item, NULL AS kind, NULL AS title, NULL AS place,"
                " NULL AS place_title, NULL AS props, NULL AS changed_at, NULL AS changed_by,"
                " NULL AS status, NULL AS rkey WHERE 0"
            )
        return " UNION ALL ".join(parts), params

    def areas(self, items: Sequence[str]) -> dict[str, list[dict[str, str]]]:
        ids = list(dict.fromkeys(items))
        marks = _marks(ids)
        sql = (
            "SELECT x.src, c.id, c.kind, c.title FROM edges x JOIN nodes c ON c.id = x.dst"  # noqa: S608
            f" WHERE x.kind = 'RAISED_IN' AND x.src IN ({marks})"
            # the feeders' CoP's, from the page's items outwards (CROSS JOIN keeps that
            # order: the planner would otherwise walk every RAISED_IN edge)
            " UNION SELECT f.dst, c.id, c.kind, c.title FROM edges f"
            " CROSS JOIN edges x CROSS JOIN nodes c"
            f" WHERE f.dst IN ({marks}) AND f.kind = 'FEEDS'"
            " AND x.src = f.src AND x.kind = 'RAISED_IN' AND c.id = x.dst"
        )
        found: dict[str, list[dict[str, str]]] = {}
        for item, area, kind, title in self.store._query(sql, [*ids, *ids]):
            found.setdefault(item, []).append({"id": area, "kind": kind, "title": title})
        for listed in found.values():
            listed.sort(key=lambda a: (a["kind"] != "cop", a["title"].casefold(), a["id"]))
        return found
