"""The embedded store's text search: an FTS5 table over accent-folded text, BM25-ranked,
then word forms (``node_stems``: the stems of each node's words, see
``kgraph.store.wordforms``) for whatever the literal words did not fill."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgraph.model import Node, check_node_kind
from kgraph.store.embedded.connection import EmbeddedCore
from kgraph.store.wordforms import query_stem, query_terms

#: a search ranks at most this many hits of a very common word (see ``_ranked_hits``)
RANK_WINDOW = 5000


class EmbeddedSearch(EmbeddedCore):
    """Text search of the embedded store (see ``EmbeddedStore``)."""

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        words = query_terms(text)
        if not words or limit <= 0:
            return []
        for k in kinds or ():
            check_node_kind(k)
        match = " AND ".join(f'"{w}"*' for w in words)
        # Title hits first, then the rest. Ranking every hit of a common word (half the
        # graph at 100,000 questions) costs ~100 ms; ranking the title hits alone is
        # enough whenever they fill the page, and rare words are cheap either way.
        found: dict[str, Node] = {}
        with self._lock:
            for phase in (f"{{title}} : ({match})", match):
                need = limit - len(found)
                if need <= 0:
                    break
                for row in self._ranked_hits(phase, kinds, need + len(found)):
                    if row[0] not in found and len(found) < limit:
                        found[row[0]] = self._node(row)
            if len(found) < limit:
                for row in self._word_form_hits(words, kinds, found, limit - len(found)):
                    found[row[0]] = self._node(row)
        return list(found.values())

    def _word_form_hits(
        self, words: Sequence[str], kinds: Sequence[str] | None, found: dict[str, Node], need: int
    ) -> list[Any]:
        """Rows where every word matches as a word prefix or by its stem (and at least one
        only by its stem: the rest were found already); title matches first, then by id."""
        stems = [query_stem(w) for w in words]
        if not any(stems):
            return []

        def matching(column: str | None) -> tuple[str, list[str]]:
            sets, params = [], []
            scope = f"{{{column}}} : " if column else ""
            for w, s in zip(words, stems, strict=True):
                part = "SELECT rowid FROM node_fts WHERE node_fts MATCH ?"
                params.append(f'{scope}"{w}"*')
                if s:
                    part += " UNION SELECT rowid FROM node_stems WHERE node_stems MATCH ?"
                    params.append(f'{scope}"{s}"')
                sets.append(f"SELECT rowid FROM ({part})")  # noqa: S608 (placeholders only)
            return " INTERSECT ".join(sets), params

        any_sql, any_params = matching(None)
        title_sql, title_params = matching("title")
        kind_filter = f"AND n.kind IN ({','.join('?' * len(kinds))}) " if kinds else ""
        sql = (
            f"WITH hit(r) AS ({any_sql}), title(r) AS ({title_sql}) "  # noqa: S608
            f"SELECT {self._N_COLS} FROM hit JOIN node_fts f ON f.rowid = hit.r "
            f"JOIN nodes n ON n.id = f.id WHERE 1 {kind_filter}"
            "ORDER BY hit.r NOT IN (SELECT r FROM title), n.id LIMIT ?"
        )
        params = [*any_params, *title_params, *(kinds or ()), need + len(found)]
        rows = self._conn.execute(sql, params).fetchall()
        return [r for r in rows if r[0] not in found][:need]

    def _ranked_hits(self, match: str, kinds: Sequence[str] | None, limit: int) -> list[Any]:
        """Node rows matching the FTS expression ``match``, best (BM25) first."""
        cols = self._N_COLS
        rank = "bm25(node_fts, 0, 5.0, 1.0)"
        if kinds:
            # rank after joining, so the kind filter does not cut the page short
            sql = (
                f"SELECT {cols} FROM node_fts f JOIN nodes n ON n.id = f.id "  # noqa: S608
                f"WHERE node_fts MATCH ? AND n.kind IN ({','.join('?' * len(kinds))}) "
                f"ORDER BY {rank}, n.id LIMIT ?"
            )
            return self._conn.execute(sql, [match, *kinds, limit]).fetchall()
        # BM25 costs ~1 µs per hit: a word in 30,000 titles would take 30-50 ms. Rank only
        # the RANK_WINDOW most recently indexed hits then (found by rowid, ~2 ms): every
        # one of them matches as well, and the page still shows title hits first.
        window = self._conn.execute(
            "SELECT rowid FROM node_fts WHERE node_fts MATCH ? ORDER BY rowid DESC "
            "LIMIT 1 OFFSET ?",
            (match, RANK_WINDOW - 1),
        ).fetchone()
        # rank in the text index alone, then join only the page
        sql = (
            f"SELECT {cols} FROM (SELECT id, {rank} AS score FROM node_fts "  # noqa: S608
            f"WHERE node_fts MATCH ? AND rowid >= ? ORDER BY score, id LIMIT ?) f "
            f"JOIN nodes n ON n.id = f.id ORDER BY f.score, n.id"
        )
        return self._conn.execute(sql, [match, window[0] if window else 0, limit]).fetchall()
