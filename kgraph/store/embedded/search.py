"""The embedded store's text search: an FTS5 table over accent-folded text, BM25-ranked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kgraph.model import Node, check_node_kind, fold
from kgraph.store.embedded.connection import EmbeddedCore

#: a search ranks at most this many hits of a very common word (see ``_ranked_hits``)
RANK_WINDOW = 5000
_WORD = re.compile(r"[0-9a-z]+")


class EmbeddedSearch(EmbeddedCore):
    """Text search of the embedded store (see ``EmbeddedStore``)."""

    def search(
        self, text: str, *, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> list[Node]:
        words = _WORD.findall(fold(text))
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
        return list(found.values())

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
