"""The Cypher the Neo4j backend sends, as constants with ``$parameters`` only.

Graph layout: every item is a ``(:Node)`` with a second label for its kind (``KIND_LABELS``,
derived from ``model.NODE_KINDS``) and relationships typed by edge kind (``EDGE_RULES``).
Node fields are native properties except ``props`` (a JSON string, lossless for any value
the model allows); ``search``/``search_title`` hold the folded words for text search and
``degree`` the number of edges. The history is ``(:KgraphHistory)`` nodes, one per entry,
and ``(:KgraphHistoryBatch)`` records of up to 1,000 entries each for bulk loads and
copies, all numbered from the counter on ``(:KgraphMeta)``. Records (what the store keeps
beside the graph: actions, meetings, views ...) are ``(:KgraphRecord)`` nodes, never
``:Node``, so no graph read meets them; ``key`` is ``collection/id`` and ``data`` a JSON
string.

Labels and relationship types cannot be parameters in Cypher, so a few templates carry a
``{label}`` or ``{rel}`` slot. They are filled only by ``with_label``/``with_rel``, which
accept nothing but the model's allow-list, before any query string exists.
"""

from __future__ import annotations

import re

from kgraph.model import EDGE_KINDS, NODE_KINDS, check_edge_kind, check_node_kind

#: node kind -> its Neo4j label (``knowledge_question`` -> ``KnowledgeQuestion``)
KIND_LABELS: dict[str, str] = {
    kind: "".join(part.capitalize() for part in kind.split("_")) for kind in NODE_KINDS
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# The allow-lists are code, but check them once so a typo can never become Cypher.
assert all(_NAME.match(x) for x in [*KIND_LABELS.values(), *EDGE_KINDS])

SEARCH_INDEX = "kgraph_node_search"
STEMS_INDEX = "kgraph_node_stems"

SCHEMA: tuple[str, ...] = (
    "CREATE CONSTRAINT kgraph_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX kgraph_node_kind IF NOT EXISTS FOR (n:Node) ON (n.kind)",
    "CREATE INDEX kgraph_node_status IF NOT EXISTS FOR (n:Node) ON (n.status)",
    f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:Node) ON EACH [n.search] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
    f"CREATE FULLTEXT INDEX {STEMS_INDEX} IF NOT EXISTS FOR (n:Node) ON EACH [n.stems] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
    "CREATE CONSTRAINT kgraph_history_seq IF NOT EXISTS FOR (h:KgraphHistory) REQUIRE h.seq IS UNIQUE",
    "CREATE INDEX kgraph_history_at IF NOT EXISTS FOR (h:KgraphHistory) ON (h.at)",
    "CREATE INDEX kgraph_history_target IF NOT EXISTS FOR (h:KgraphHistory) ON (h.target)",
    "CREATE INDEX kgraph_history_src IF NOT EXISTS FOR (h:KgraphHistory) ON (h.src)",
    "CREATE INDEX kgraph_history_dst IF NOT EXISTS FOR (h:KgraphHistory) ON (h.dst)",
    "CREATE CONSTRAINT kgraph_history_batch_first IF NOT EXISTS "
    "FOR (b:KgraphHistoryBatch) REQUIRE b.first IS UNIQUE",
    "CREATE CONSTRAINT kgraph_meta_key IF NOT EXISTS FOR (m:KgraphMeta) REQUIRE m.key IS UNIQUE",
    "CREATE CONSTRAINT kgraph_record_key IF NOT EXISTS "
    "FOR (r:KgraphRecord) REQUIRE r.key IS UNIQUE",
    "CREATE INDEX kgraph_record_ref IF NOT EXISTS FOR (r:KgraphRecord) ON (r.collection, r.ref)",
    "CREATE INDEX kgraph_record_collection IF NOT EXISTS "
    "FOR (r:KgraphRecord) ON (r.collection, r.created_at)",
    # lists sorted by title or last change (``listing``)
    "CREATE INDEX kgraph_node_sort_title IF NOT EXISTS FOR (n:Node) ON (n.sort_title)",
    "CREATE INDEX kgraph_node_updated IF NOT EXISTS FOR (n:Node) ON (n.updated_at)",
    # derived question vectors (kgraph.store.neo4j.vectors), one per question node
    "CREATE CONSTRAINT kgraph_vector_id IF NOT EXISTS FOR (v:KgraphVector) REQUIRE v.id IS UNIQUE",
)
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"


def with_label(template: str, kind: str) -> str:
    """``template`` with its ``{label}`` slot filled for node ``kind`` (allow-list only)."""
    return template.replace("{label}", KIND_LABELS[check_node_kind(kind)])


def with_rel(template: str, kind: str) -> str:
    """``template`` with its ``{rel}`` slot filled for edge ``kind`` (allow-list only)."""
    return template.replace("{rel}", check_edge_kind(kind))


#: a node's fields (native properties, ``props`` as JSON) in the order ``N``/``N_LIST`` use
NODE_FIELDS = [
    "id",
    "kind",
    "title",
    "text",
    "status",
    "tags",
    "source",
    "props",
    "version",
    "created_at",
    "updated_at",
    "updated_by",
]


def _node_map(var: str) -> str:
    return f"{var} {{" + ", ".join(f".{f}" for f in NODE_FIELDS) + "}"


N = _node_map("n")
M = _node_map("m")
#: a node's fields as a list, in ``NODE_FIELDS`` order: hot paths decode lists faster
N_LIST = "[" + ", ".join(f"n.{f}" for f in NODE_FIELDS) + "]"
#: an edge (``r``) as a list: src, kind, dst, props, created_at, updated_at, updated_by
E_LIST = (
    "[startNode(r).id, type(r), endNode(r).id, r.props, r.created_at, r.updated_at, r.updated_by]"
)
# An edge as a map; ``a``/``b`` are its ends and ``r`` the relationship.
E = (
    "{src: startNode(r).id, kind: type(r), dst: endNode(r).id, props: r.props, "
    "created_at: r.created_at, updated_at: r.updated_at, updated_by: r.updated_by}"
)

# The planner sometimes prefers scanning the id index to seeking in it when a pattern
# continues from the matched node; ``USING INDEX SEEK`` keeps those lookups O(1).

# --- nodes -------------------------------------------------------------------------------

GET_NODE = f"MATCH (n:Node {{id: $id}}) RETURN {N} AS n"
# A property read on the right of SET makes Cypher take the write lock before reading, so
# a version check made on this result cannot race another writer.
LOCK_NODE = f"MATCH (n:Node {{id: $id}}) SET n.version = n.version RETURN {N} AS n"
# ``degree`` (the node's number of edges) is stored on the node and kept by every edge
# write, so neighbourhoods order by it without counting edges. Rows of a bulk load carry
# it (``row.degree``); a single new node starts at 0. Graphs written before it existed
# are given it once (``MIGRATE_DEGREE``); reads fall back to counting where it is missing.
CREATE_NODES = (
    "UNWIND $rows AS row CREATE (n:Node:{label}) SET n = row, n.degree = coalesce(row.degree, 0)"
)
UPDATE_NODE = "MATCH (n:Node {id: $id}) SET n += $row"
DELETE_NODE = (
    "MATCH (n:Node {id: $id}) "
    "CALL (n) { MATCH (n)-[]-(m:Node) WHERE m <> n SET m.degree = m.degree - 1 } "
    "DETACH DELETE n"
)
KINDS_OF = "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n.kind AS kind"
NODES_BY_ID = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN {N_LIST} AS n"
LIST_NODES = (
    "MATCH (n:Node) WHERE ($kinds IS NULL OR n.kind IN $kinds) "
    "AND ($statuses IS NULL OR n.status IN $statuses) "
    f"RETURN {N} AS n ORDER BY n.kind, n.id SKIP $offset LIMIT $limit"
)

# --- edges -------------------------------------------------------------------------------

GET_EDGE = f"MATCH (a:Node {{id: $src}})-[r:{{rel}}]->(b:Node {{id: $dst}}) RETURN {E} AS e"
LOCK_EDGE = (
    "MATCH (a:Node {id: $src})-[r:{rel}]->(b:Node {id: $dst}) "
    f"SET r.updated_at = r.updated_at RETURN {E} AS e"
)
# Bulk loads add to the ends' degrees once per node afterwards (``ADD_DEGREES``).
CREATE_EDGES = (
    "UNWIND $rows AS row MATCH (a:Node {id: row.src}) MATCH (b:Node {id: row.dst}) "
    "CREATE (a)-[r:{rel}]->(b) SET r = row.values"
)
CREATE_EDGE = (
    "MATCH (a:Node {id: $src}) MATCH (b:Node {id: $dst}) "
    "CREATE (a)-[r:{rel}]->(b) SET r = $values, a.degree = a.degree + 1, "
    "b.degree = b.degree + CASE WHEN a = b THEN 0 ELSE 1 END"
)
ADD_DEGREES = "UNWIND $rows AS row MATCH (n:Node {id: row[0]}) SET n.degree = n.degree + row[1]"
UPDATE_EDGE = "MATCH (a:Node {id: $src})-[r:{rel}]->(b:Node {id: $dst}) SET r += $values"
DELETE_EDGE = (
    "MATCH (a:Node {id: $src})-[r:{rel}]->(b:Node {id: $dst}) DELETE r "
    "SET a.degree = a.degree - 1, b.degree = b.degree - CASE WHEN a = b THEN 0 ELSE 1 END"
)
# Which of the given (src, dst) pairs have an edge of this kind. Both ends are bound
# before the relationship is looked for; as an EXISTS the planner checks the pair with
# Expand(Into), from its lower-degree end, where a plain MATCH walked a hub once per row.
EXISTING_EDGES = (
    "UNWIND $rows AS row MATCH (a:Node {id: row.src}) MATCH (b:Node {id: row.dst}) "
    "WITH a, b WHERE EXISTS { (a)-[:{rel}]->(b) } RETURN a.id AS src, b.id AS dst"
)
LIST_EDGES = (
    "MATCH (:Node)-[r]->(:Node) WHERE $kinds IS NULL OR type(r) IN $kinds "
    f"WITH {E} AS e ORDER BY e.src, e.kind, e.dst LIMIT $limit RETURN e"
)
EDGES_OF_NODE = (
    "MATCH (n:Node {id: $id}) USING INDEX SEEK n:Node(id) "
    "MATCH (n)-[r]-(:Node) WHERE $kinds IS NULL OR type(r) IN $kinds "
    f"WITH {E} AS e ORDER BY e.src, e.kind, e.dst LIMIT $limit RETURN e"
)
_AROUND = (
    "MATCH (n:Node {id: $id}) USING INDEX SEEK n:Node(id) "
    "MATCH (n)<pattern>(m:Node) WHERE $kinds IS NULL OR type(r) IN $kinds "
    f"RETURN {E} AS e, {M} AS m ORDER BY e.src, e.kind, e.dst LIMIT $limit"
)
NEIGHBOURS = {
    "out": _AROUND.replace("<pattern>", "-[r]->"),
    "in": _AROUND.replace("<pattern>", "<-[r]-"),
    "both": _AROUND.replace("<pattern>", "-[r]-"),
}

# --- neighbourhoods, paths, search, counts -------------------------------------------------

_DEGREE = "coalesce({v}.degree, COUNT {{ ({v})--() }})"
FOCUS = (
    "UNWIND $ids AS id MATCH (n:Node {id: id}) "
    f"RETURN n.id AS id, {_DEGREE.format(v='n')} AS degree"
)
# One breadth-first level in one round trip. Each frontier node (in the order given: low
# degree first) contributes at most $take unseen neighbours, so a hub is never walked in
# full; a neighbour belongs to the first frontier node that reaches it, low degree first.
# One record holding a list: the driver costs ~17 µs per record, ~5 ms for 300 rows.
LEVEL = (
    "UNWIND range(0, size($frontier) - 1) AS i "
    "MATCH (f:Node {id: $frontier[i]}) "
    "CALL (f) { "
    "  MATCH (f)-[r]-(m:Node) "
    "  WHERE ($edge_kinds IS NULL OR type(r) IN $edge_kinds) "
    "    AND ($kinds IS NULL OR m.kind IN $kinds) "
    "    AND ($statuses IS NULL OR m.status IN $statuses) "
    "    AND $seen[m.id] IS NULL "
    "  RETURN DISTINCT m LIMIT $take } "
    "WITH m, min(i) AS first "
    f"WITH m, first, {_DEGREE.format(v='m')} AS degree "
    "ORDER BY first, degree, m.id LIMIT $take "
    "RETURN collect([m.id, degree]) AS found"
)


# Edges among a selection, each found exactly once (so no DISTINCT is needed): low-degree
# members are expanded (cheap) for their outgoing edges to any member and their incoming
# edges from high-degree members; members with more edges than the selection has nodes
# (hubs) are never expanded, only probed pairwise among themselves. ``$member``/``$bigs``
# are maps id -> true: lookups the planner cannot turn into an index seek from a hub.
def _edge_list(src: str, dst: str) -> str:
    return f"[{src}.id, type(r), {dst}.id, r.props, r.created_at, r.updated_at, r.updated_by]"


_KIND_FILTER = "($edge_kinds IS NULL OR type(r) IN $edge_kinds)"
_EDGES_AMONG_PARTS = (
    "UNWIND $small AS x MATCH (a:Node {id: x}) USING INDEX SEEK a:Node(id) "
    f"MATCH (a)-[r]->(b:Node) WHERE $member[b.id] IS NOT NULL AND {_KIND_FILTER} "
    f"RETURN {_edge_list('a', 'b')} AS e "
    "UNION ALL "
    "UNWIND $small AS x MATCH (a:Node {id: x}) USING INDEX SEEK a:Node(id) "
    f"MATCH (a)<-[r]-(b:Node) WHERE $bigs[b.id] IS NOT NULL AND {_KIND_FILTER} "
    f"RETURN {_edge_list('b', 'a')} AS e "
    "UNION ALL "
    "UNWIND $big AS x MATCH (a:Node {id: x}) UNWIND $big AS y MATCH (b:Node {id: y}) "
    f"MATCH (a)-[r]->(b) WHERE {_KIND_FILTER} "
    f"RETURN {_edge_list('a', 'b')} AS e"
)
EDGES_AMONG = _EDGES_AMONG_PARTS
# The last step of a neighbourhood in one round trip: the selected nodes and their edges.
SELECTION = (
    f"CALL () {{ {_EDGES_AMONG_PARTS} }} WITH collect(e) AS edges "
    f"CALL () {{ UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN collect({N_LIST}) AS nodes }} "
    "RETURN nodes, edges"
)
# Variable-length bounds cannot be parameters; ``{depth}`` is filled with a checked int.
SHORTEST_PATH = (
    "MATCH (a:Node {id: $src}) MATCH (b:Node {id: $dst}) "
    "MATCH p = shortestPath((a)-[*..{depth}]-(b)) RETURN [x IN nodes(p) | x.id] AS ids"
)
# ``$words`` are the folded query words, each with a leading space: a word prefix.
SEARCH = (
    f"CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $query) YIELD node AS n "
    "WHERE ($kinds IS NULL OR n.kind IN $kinds) "
    "AND all(w IN $words WHERE (' ' + n.search) CONTAINS w) "
    "WITH n, size([w IN $words WHERE n.search_title CONTAINS w]) AS hits "
    f"RETURN {N} AS n, hits ORDER BY hits DESC, n.id LIMIT $limit"
)
# Word forms, for what SEARCH left: nodes holding any of the query's stems (``$query``),
# where every word matches as a prefix or by its stem (``$stems[i]``: " stem " or a value
# no node holds), not found already; title matches first.
SEARCH_STEMS = (
    f"CALL db.index.fulltext.queryNodes('{STEMS_INDEX}', $query) YIELD node AS n "
    "WHERE ($kinds IS NULL OR n.kind IN $kinds) AND NOT n.id IN $found "
    "AND all(i IN range(0, size($words) - 1) WHERE (' ' + n.search) CONTAINS $words[i] "
    "OR n.stems CONTAINS $stems[i]) "
    "WITH n, size([i IN range(0, size($words) - 1) WHERE n.search_title CONTAINS $words[i] "
    "OR n.stems_title CONTAINS $stems[i]]) AS hits "
    f"RETURN {N} AS n, hits ORDER BY hits DESC, n.id LIMIT $limit"
)
# Once per database: stems for nodes written before word forms were indexed.
STEMS_DONE = "MATCH (m:KgraphMeta {key: 'stems'}) RETURN m.key"
NODES_WITHOUT_STEMS = (
    "MATCH (n:Node) WHERE n.stems IS NULL RETURN n.id AS id, n.title AS title, "
    "n.text AS text, n.tags AS tags LIMIT $limit"
)
SET_STEMS = (
    "UNWIND $rows AS row MATCH (n:Node {id: row.id}) "
    "SET n.stems = row.stems, n.stems_title = row.stems_title"
)
MARK_STEMS_DONE = "MERGE (m:KgraphMeta {key: 'stems'})"
# Only the store's own items count: other nodes with a kind's label (a Cypher export run
# into the same database makes ``:KgraphItem`` copies) are not the store's. Per-type
# relationship counts from a ``:Node`` come from Neo4j's count store, not a scan.
COUNT_NODES = " UNION ALL ".join(
    f"MATCH (n:Node:{label}) RETURN '{kind}' AS kind, count(n) AS c"
    for kind, label in KIND_LABELS.items()
)
COUNT_EDGES = " UNION ALL ".join(
    f"MATCH (:Node)-[r:{kind}]->() RETURN '{kind}' AS kind, count(r) AS c" for kind in EDGE_KINDS
)

# --- records -------------------------------------------------------------------------------

_R = "r {.collection, .id, .ref, .data, .version, .created_at, .updated_at, .updated_by}"
GET_RECORD = f"MATCH (r:KgraphRecord {{key: $key}}) RETURN {_R} AS r"
# As ``LOCK_NODE``: the write lock is taken before the record is read.
LOCK_RECORD = f"MATCH (r:KgraphRecord {{key: $key}}) SET r.version = r.version RETURN {_R} AS r"
CREATE_RECORDS = "UNWIND $rows AS row CREATE (r:KgraphRecord) SET r = row"
UPDATE_RECORD = "MATCH (r:KgraphRecord {key: $key}) SET r += $row"
DELETE_RECORD = "MATCH (r:KgraphRecord {key: $key}) DELETE r"
EXISTING_RECORDS = "UNWIND $keys AS k MATCH (r:KgraphRecord {key: k}) RETURN r.key AS key"
_RECORDS_WHERE = (
    "MATCH (r:KgraphRecord) WHERE r.collection = $collection AND ($ref IS NULL OR r.ref = $ref) "
)
LIST_RECORDS = (
    _RECORDS_WHERE + f"RETURN {_R} AS r ORDER BY r.created_at, r.id SKIP $offset LIMIT $limit"
)
COUNT_RECORDS = _RECORDS_WHERE + "RETURN count(r) AS c"
RECORD_KEYS = "MATCH (r:KgraphRecord) RETURN r.collection AS collection, r.id AS id"

# --- history -------------------------------------------------------------------------------

# Numbers and writes a batch of history rows in one statement. The counter is bumped with
# its own value on the right of SET, so the write lock is taken before it is read and two
# writers can never get the same numbers. ``$bump`` is 1 for a transaction's first rows.
RECORD = (
    "MERGE (c:KgraphMeta {key: 'counter'}) ON CREATE SET c.seq = 0, c.tx = 0 "
    "SET c.tx = c.tx + $bump, c.seq = c.seq + size($rows) "
    "WITH c.tx AS tx, c.seq - size($rows) AS base "
    "UNWIND range(0, size($rows) - 1) AS i "
    "CREATE (h:KgraphHistory) SET h = $rows[i] "
    "SET h.seq = base + i + 1, h.tx = CASE $bump WHEN 1 THEN tx ELSE $tx END "
    "RETURN max(tx) AS tx"
)
# A bulk load's history, compactly: one ``(:KgraphHistoryBatch)`` per up to 1,000 entries
# (numbered ``first`` .. ``first + size - 1``) holding them as one zlib-compressed JSON
# list (``entries``: [tx or null, at, actor, op, target, before, after] each; a null tx is the
# batch's ``tx``, the number of the transaction that wrote it), plus what the filters of
# ``history()`` test first: ``touches`` (every node id the entries name), ``actor_set``,
# ``min_at`` and ``max_at``. An entry then costs its JSON text in the transaction, not a
# node with five index entries (~4 KB of transaction memory each, now ~0.1 KB).
RECORD_BATCH = (
    "MERGE (c:KgraphMeta {key: 'counter'}) ON CREATE SET c.seq = 0, c.tx = 0 "
    "SET c.tx = c.tx + $bump, c.seq = c.seq + $batch.size "
    "WITH c.tx AS tx, c.seq - $batch.size AS base "
    "CREATE (b:KgraphHistoryBatch) SET b = $batch "
    "SET b.first = base + 1, b.tx = CASE $bump WHEN 1 THEN tx ELSE $tx END "
    "RETURN tx"
)
# The batches that may hold entries ``history()`` wants (the client filters exactly), in
# order; their entries are fetched a few batches at a time, only as far as needed.
HISTORY_BATCHES = (
    "MATCH (b:KgraphHistoryBatch) "
    "WHERE ($since IS NULL OR b.max_at >= $since) AND ($until IS NULL OR b.min_at < $until) "
    "AND ($actor IS NULL OR $actor IN b.actor_set) AND ($target IS NULL OR $target IN b.touches) "
    "RETURN b.first ORDER BY b.first"
)
HISTORY_ENTRIES = (
    "UNWIND $firsts AS first MATCH (b:KgraphHistoryBatch {first: first}) "
    "RETURN b.first, b.tx, b.entries"
)
# Taken first by every write transaction: writers then queue on the counter instead of
# locking nodes in different orders (which Neo4j resolves by killing one as a deadlock).
LOCK_WRITERS = (
    "MERGE (c:KgraphMeta {key: 'counter'}) ON CREATE SET c.seq = 0, c.tx = 0 SET c._lock = true"
)
# After copying history in, new transactions number on from the highest copied one.
RAISE_TX = (
    "MERGE (c:KgraphMeta {key: 'counter'}) ON CREATE SET c.seq = 0, c.tx = 0 "
    "SET c.tx = CASE WHEN c.tx < $tx THEN $tx ELSE c.tx END"
)
_HISTORY_WHERE = (
    "WHERE ($since IS NULL OR h.at >= $since) AND ($until IS NULL OR h.at < $until) "
    "AND ($actor IS NULL OR h.actor = $actor) "
)
_HISTORY_RETURN = (
    "RETURN h {.seq, .tx, .at, .actor, .op, .target, .before, .after} AS h "
    "ORDER BY h.seq LIMIT $limit"
)
HISTORY = "MATCH (h:KgraphHistory) " + _HISTORY_WHERE + _HISTORY_RETURN
# For pages of the history: the numbers of the matching single entries only (integers are
# cheap to ship), and then the entries of one page by number.
_SEQS_RETURN = "RETURN h.seq AS seq ORDER BY seq"
HISTORY_SEQS = "MATCH (h:KgraphHistory) " + _HISTORY_WHERE + _SEQS_RETURN
HISTORY_BY_SEQ = (
    "UNWIND $seqs AS s MATCH (h:KgraphHistory {seq: s}) "
    "RETURN h {.seq, .tx, .at, .actor, .op, .target, .before, .after} AS h"
)
# Every batch that may hold matching entries, with what tells whether all of them match.
HISTORY_BATCH_INFO = (
    "MATCH (b:KgraphHistoryBatch) "
    "WHERE ($since IS NULL OR b.max_at >= $since) AND ($until IS NULL OR b.min_at < $until) "
    "AND ($actor IS NULL OR $actor IN b.actor_set) AND ($target IS NULL OR $target IN b.touches) "
    "RETURN b.first AS first, b.size AS size, b.min_at AS min_at, b.max_at AS max_at, "
    "b.actor_set AS actors ORDER BY b.first"
)
# A node's history: its own entries and its edges', each found through an index.
HISTORY_OF = (
    "CALL () { MATCH (h:KgraphHistory {target: $target}) RETURN h "
    "UNION MATCH (h:KgraphHistory {src: $target}) RETURN h "
    "UNION MATCH (h:KgraphHistory {dst: $target}) RETURN h } "
    "WITH h " + _HISTORY_WHERE + _HISTORY_RETURN
)
HISTORY_SEQS_OF = (
    "CALL () { MATCH (h:KgraphHistory {target: $target}) RETURN h "
    "UNION MATCH (h:KgraphHistory {src: $target}) RETURN h "
    "UNION MATCH (h:KgraphHistory {dst: $target}) RETURN h } "
    "WITH h " + _HISTORY_WHERE + _SEQS_RETURN
)
# Once per database: the degree of nodes written before it was stored (auto-commit).
DEGREE_DONE = "MATCH (m:KgraphMeta {key: 'degree'}) RETURN m.key"
MIGRATE_DEGREE = (
    "MATCH (n:Node) WHERE n.degree IS NULL "
    "CALL (n) { SET n.degree = COUNT { (n)--() } } IN TRANSACTIONS OF 10000 ROWS"
)
MARK_DEGREE_DONE = "MERGE (m:KgraphMeta {key: 'degree'})"
ANY_NODE = "MATCH (n:Node) RETURN n.id LIMIT 1"
# Every history write bumps the counter in its own transaction: its seq is the newest entry.
LAST_CHANGE = "MATCH (c:KgraphMeta {key: 'counter'}) RETURN c.seq AS seq"
ANY_HISTORY = "MATCH (h) WHERE h:KgraphHistory OR h:KgraphHistoryBatch RETURN 1 LIMIT 1"
ANY_RECORD = "MATCH (r:KgraphRecord) RETURN 1 LIMIT 1"

# --- maintenance ---------------------------------------------------------------------------

# Everything kgraph wrote, and nothing else in the database, in batches so a big graph
# does not need one huge transaction (run in an auto-commit transaction).
WIPE = (
    "MATCH (n) WHERE n:Node OR n:KgraphHistory OR n:KgraphHistoryBatch OR n:KgraphMeta "
    "OR n:KgraphRecord OR n:KgraphVector "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
)
WIPE_IN_TX = (
    "MATCH (n) WHERE n:Node OR n:KgraphHistory OR n:KgraphHistoryBatch OR n:KgraphMeta "
    "OR n:KgraphRecord OR n:KgraphVector "
    "DETACH DELETE n"
)
