"""The handover table (``kgraph.handover_table``) as one Cypher query on Neo4j.

The same rows as the embedded store's SQL: the landable items with an optional
``LANDS_IN`` match (an item without one gives one row with no place), minus the knowledge
questions that land nowhere and feed a landable item; filters, order, ``SKIP``/``LIMIT``
and the total in one statement. Every value is a ``$parameter``; the sort expression is
picked from a fixed table by name. Words in the title are matched against the folded title
words the store keeps (``search_title``), as search does. The action summary is a map
parameter keyed by row key.

Decision fields other than the status live in the edge's ``props`` JSON text; the few a
sort or filter needs (``decided_on``, ``decided_by``) are cut out of it with string
functions. That is exact for dates; a name holding an escaped quote sorts by the part
before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgraph.handover_table import NO_LANDING, STATUSES, Spec
from kgraph.store.neo4j.session import Neo4jCore


def _prop(name: str) -> str:
    """The text value of ``props`` key ``name`` of ``e`` (``null`` when absent)."""
    marker = f'\'"{name}":"\''
    return (
        f"CASE WHEN e.props CONTAINS {marker} THEN split(split(e.props, {marker})[1], '\"')[0] END"
    )


_DECIDED_ON = _prop("decided_on")
_ORDER: dict[str, str] = {
    "title": "toLower(title)",
    "kind": "kind",
    "place": "toLower(place_title)",
    "status": "rank",
    "decided_on": "decided_on",
    "decided_by": "toLower(decided_by)",
    "actions": "coalesce(a[0], 0)",
    "due": "a[1]",
    "changed": "CASE WHEN a[2] > changed_at THEN a[2] ELSE changed_at END",
}

_ROWS = (
    # the handovers, and the items that land nowhere (a knowledge question that feeds a
    # landable item is handed over with it); each part skipped when a filter excludes it
    "CALL () { "
    "  MATCH (i:Node)-[e:LANDS_IN]->(p:Node) WHERE $with_landed AND i.kind IN $landable "
    "  RETURN i, e, p "
    "  UNION ALL "
    "  MATCH (i:Node) WHERE $with_none AND i.kind IN $landable "
    "    AND NOT EXISTS { MATCH (i)-[:FEEDS]->(t:Node) WHERE t.kind IN $landable } "
    "    AND NOT EXISTS { MATCH (i)-[:LANDS_IN]->() } "
    "  RETURN i, null AS e, null AS p "
    "} "
    "WITH i, e, p, "
    "  CASE WHEN e IS NULL THEN 'none' ELSE coalesce(e.status, 'proposed') END AS status, "
    "  CASE WHEN e IS NULL THEN i.id ELSE i.id + '|LANDS_IN|' + p.id END AS rkey "
    "WHERE ($statuses IS NULL OR status IN $statuses) "
    "  AND ($places IS NULL OR p.id IN $places) "
    "  AND ($kinds IS NULL OR i.kind IN $kinds) "
    "  AND all(w IN $words WHERE i.search_title CONTAINS (' ' + w)) "
    "  AND ($keys IS NULL OR rkey IN $keys) "
    "  AND ($areas IS NULL OR i.id IN $areas "
    "    OR EXISTS { MATCH (i)-[:RAISED_IN]->(c:Node) WHERE c.id IN $areas } "
    "    OR EXISTS { MATCH (i)<-[:FEEDS]-(:Node)-[:RAISED_IN]->(c:Node) WHERE c.id IN $areas }) "
    f"WITH i, e, p, status, rkey, {_DECIDED_ON} AS decided_on "
    "WHERE $decided_from IS NULL "
    "  OR (decided_on =~ '[0-9]{4}-[0-9]{2}-[0-9]{2}' AND decided_on >= $decided_from) "
    "WITH i.id AS item, i.kind AS kind, i.title AS title, p.id AS place, "
    "  p.title AS place_title, e.props AS props, status, decided_on, "
    f"  {_prop('decided_by')} AS decided_by, "
    "  coalesce(e.updated_at, i.updated_at) AS changed_at, "
    "  CASE WHEN e IS NULL THEN i.updated_by ELSE e.updated_by END AS changed_by, "
    "  $acts[rkey] AS a, "
    "  CASE status "
    + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUSES))
    + " END AS rank "
    "ORDER BY {order} "
    "WITH collect({item: item, kind: kind, title: title, place: place, "
    "  place_title: place_title, props: props, changed_at: changed_at, "
    "  changed_by: changed_by, status: status}) AS rows "
    "RETURN size(rows) AS total, rows[$skip..$skip + $limit] AS page"
)

_AREAS = (
    "UNWIND $ids AS id MATCH (i:Node {id: id}) "
    "CALL (i) { "
    "  MATCH (i)-[:RAISED_IN]->(c:Node) RETURN c "
    "  UNION "
    "  MATCH (i)<-[:FEEDS]-(:Node)-[:RAISED_IN]->(c:Node) RETURN c "
    "} "
    "RETURN i.id AS item, c.id AS id, c.kind AS kind, c.title AS title"
)


class Neo4jHandoverTable:
    """The handover table's reads on one ``Neo4jStore``."""

    def __init__(self, store: Neo4jCore) -> None:
        self.store = store

    def rows(self, spec: Spec) -> tuple[list[dict[str, Any]], int]:
        q = spec.query
        direction = "DESC" if q.descending else "ASC"
        # Cypher sorts nulls last ascending and first descending: keep them last always
        nulls = f"({_ORDER[q.sort]}) IS NULL"
        order = (
            f"{nulls}, {_ORDER[q.sort]} {direction}, toLower(title), item, place IS NOT NULL, place"
        )
        found = self.store._run_read(
            _ROWS.replace("{order}", order),
            landable=list(spec.landable),
            with_landed=not q.statuses or any(s != NO_LANDING for s in q.statuses),
            with_none=(not q.statuses or NO_LANDING in q.statuses) and not q.places,
            statuses=list(q.statuses) or None,
            places=list(q.places) or None,
            kinds=list(q.kinds) or None,
            areas=list(q.areas) or None,
            words=spec.words,
            keys=spec.keys,
            acts=spec.actions,
            decided_from=q.decided_from.isoformat() if q.decided_from else None,
            skip=q.offset,
            limit=q.limit,
        )
        if not found:
            return [], 0
        return list(found[0]["page"]), int(found[0]["total"])

    def areas(self, items: Sequence[str]) -> dict[str, list[dict[str, str]]]:
        found: dict[str, list[dict[str, str]]] = {}
        for r in self.store._run_read(_AREAS, ids=list(dict.fromkeys(items))):
            found.setdefault(r["item"], []).append(
                {"id": r["id"], "kind": r["kind"], "title": r["title"]}
            )
        for listed in found.values():
            listed.sort(key=lambda a: (a["kind"] != "cop", a["title"].casefold(), a["id"]))
        return found
