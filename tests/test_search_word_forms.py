"""Search matches word forms on both backends (the similar finder's stemmer), keeps
literal matches first, and a huge query costs what a short one costs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import open_test_store

from kgraph.model import Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore
from kgraph.store.wordforms import MAX_TERMS, query_terms, search_stem

# (a form in a title, another form searched for): the three and ten more
PAIRS = [
    ("gesprek", "gesprekken"),
    ("model", "modellen"),
    ("meten", "metingen"),
    ("vragen", "vraag"),
    ("gemeenten", "gemeente"),
    ("woningen", "woning"),
    ("beslissing", "beslissingen"),
    ("projecten", "project"),
    ("sensoren", "sensor"),
    ("bewoner", "bewoners"),
    ("algoritmes", "algoritme"),
    ("students", "student"),
    ("cities", "city"),
]


def _fill(store: GraphStore) -> None:
    nodes = [
        Node(f"kq:w{i}", "knowledge_question", f"Vraag over het {word} in de praktijk")
        for i, (word, _other) in enumerate(PAIRS)
    ]
    nodes.append(Node("kq:met", "knowledge_question", "Samen met de buurt"))
    nodes.append(Node("kq:lit", "knowledge_question", "Hoe voer je gesprekken met inwoners?"))
    store.bulk_load(nodes, [])


@pytest.mark.parametrize(("stored", "asked"), PAIRS)
def test_word_forms_meet_in_the_stemmer(stored: str, asked: str) -> None:
    assert search_stem(stored) == search_stem(asked)


def test_search_finds_other_word_forms(store: GraphStore) -> None:
    _fill(store)
    for i, (stored, asked) in enumerate(PAIRS):
        found = [n.id for n in store.search(asked)]
        assert f"kq:w{i}" in found, (stored, asked, found)
        # and the other way round
        assert f"kq:w{i}" in [n.id for n in store.search(stored)], (asked, stored)


def test_literal_matches_come_first_and_stop_words_have_no_stem(store: GraphStore) -> None:
    _fill(store)
    found = [n.id for n in store.search("gesprekken")]
    assert found[0] == "kq:lit"  # the literal form
    assert "kq:w0" in found  # "gesprek": the other form, after it
    # "meten" stems to "met", but the preposition "met" is a stop word: no match by stem
    assert "kq:met" not in [n.id for n in store.search("metingen")]
    # every word must match: a form of one and a prefix of the other
    assert [n.id for n in store.search("modellen prakt")] == ["kq:w1"]
    assert store.search("modellen onbekendwoord") == []


def test_word_forms_follow_edits(store: GraphStore) -> None:
    _fill(store)
    store.update_node("kq:w0", {"title": "Iets heel anders"})
    assert "kq:w0" not in [n.id for n in store.search("gesprekken")]
    store.update_node("kq:w0", {"text": "Over gesprekken in de wijk"})
    assert "kq:w0" in [n.id for n in store.search("gesprek")]
    store.delete_node("kq:w0")
    assert "kq:w0" not in [n.id for n in store.search("gesprek")]


def test_a_huge_query_is_cut_to_a_few_distinct_words(store: GraphStore) -> None:
    _fill(store)
    assert len(query_terms("woord " * 10_000)) == 1
    assert len(query_terms(" ".join(f"w{i}" for i in range(1000)))) == MAX_TERMS
    assert [n.id for n in store.search("modellen " * 5000)] == ["kq:w1"]


def _work(store: EmbeddedStore, text: str) -> int:
    """SQLite virtual-machine steps one search takes (a count, not a time)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn: sqlite3.Connection = store._conn  # the one connection the store reads through
    conn.set_progress_handler(count, 1)
    try:
        store.search(text)
    finally:
        conn.set_progress_handler(None, 0)
    return steps


def test_repeated_words_cost_no_more_than_one(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.db")
    try:
        _fill(store)
        one = _work(store, "modellen")
        many = _work(store, "modellen " * 2000)
        distinct = _work(store, " ".join(f"modellen{i}" for i in range(2000)))
    finally:
        store.close()
    assert many <= one * 2 + 10, (one, many)
    # thousands of distinct words: bounded by MAX_TERMS, not by the query's length
    assert distinct <= one * (MAX_TERMS + 2) + 50, (one, distinct)


def test_a_store_made_before_word_forms_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        _fill(store)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE node_stems")  # as a store written by an earlier kgraph
    conn.commit()
    conn.close()
    with EmbeddedStore(path) as store:
        assert "kq:w1" in [n.id for n in store.search("modellen")]


def test_a_neo4j_store_made_before_word_forms_gets_them(tmp_path: Path) -> None:
    store = open_test_store("neo4j", tmp_path)
    try:
        _fill(store)
        from kgraph.store.neo4j import session as backend

        with store._session() as session:  # as a database written by an earlier kgraph
            session.run("MATCH (n:Node) REMOVE n.stems, n.stems_title").consume()
            session.run("MATCH (m:KgraphMeta {key: 'stems'}) DELETE m").consume()
        assert "kq:w1" not in [n.id for n in store.search("modellen")]
        backend._SCHEMA_DONE.clear()
        store._ensure_schema()
        assert "kq:w1" in [n.id for n in store.search("modellen")]
    finally:
        store.wipe()
        store.close()
