"""Question vectors kept in the store, on both backends: computed once, recomputed only for a
changed question or another model, pruned with their question, outside the history; and
embedding needs no network.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from kgraph.analysis import embedding, find_similar, similar_to
from kgraph.analysis.similar_index import forget, similarity_index
from kgraph.analysis.vectors import digest, ensure_vectors, stale, vector_text
from kgraph.auth.guard import GuardedStore
from kgraph.errors import StoreError
from kgraph.model import Node
from kgraph.store.base import GraphStore
from kgraph.store.embedded import EmbeddedStore
from kgraph.store.embedded.schema import SCHEMA_VERSION
from kgraph.store.vectors import VectorRow, pack

QUESTIONS = [
    Node(
        "kq:licht-nl",
        "knowledge_question",
        "Hoe betrekken we bewoners bij slimme straatverlichting?",
    ),
    Node(
        "kq:licht-en", "knowledge_question", "How do we involve residents in smart street lighting?"
    ),
    Node(
        "kq:warmte", "knowledge_question", "Hoe financieren we een warmtenet in een bestaande wijk?"
    ),
    Node("cq:data", "complex_question", "Wie is eigenaar van de data uit sensoren op straat?"),
    Node("cop:a", "cop", "Lokaal meten"),  # not a question: no vector
]


def load(store: GraphStore) -> None:
    store.bulk_load(QUESTIONS, [])


def test_vectors_are_computed_once_and_kept(store: GraphStore) -> None:
    load(store)
    marker = store.last_change()
    history = len(store.history())
    first = ensure_vectors(store)
    assert first.computed == 4 and first.ids == sorted(first.ids, key=first.ids.index)
    assert set(first.ids) == {"kq:licht-nl", "kq:licht-en", "kq:warmte", "cq:data"}
    assert first.matrix.shape == (4, embedding.DIMENSIONS)
    assert np.allclose(np.linalg.norm(first.matrix, axis=1), 1.0, atol=1e-3)
    assert dict(zip(first.ids, first.langs, strict=True))["kq:licht-en"] == "en"
    # derived data: no history, the change marker stays where it was
    assert store.last_change() == marker and len(store.history()) == history
    cache = store.vector_cache()
    assert cache.count(embedding.model_id()) == 4
    again = ensure_vectors(store)
    assert again.computed == 0
    assert np.allclose(again.matrix, first.matrix)
    assert stale(store) == []


def test_a_changed_title_is_embedded_again_and_nothing_else(store: GraphStore) -> None:
    load(store)
    before = ensure_vectors(store)
    store.update_node("kq:warmte", {"title": "Wie betaalt de aanleg van collectieve warmte?"})
    assert [n.id for n in stale(store)] == ["kq:warmte"]
    after = ensure_vectors(store)
    assert after.computed == 1
    row = after.ids.index("kq:warmte")
    assert not np.allclose(after.matrix[row], before.matrix[row])
    others = [i for i, node_id in enumerate(after.ids) if node_id != "kq:warmte"]
    assert np.allclose(after.matrix[others], before.matrix[others])
    # a change that is not the title (text, status) keeps the vector
    store.update_node("kq:warmte", {"text": "Toelichting", "status": "answered"})
    assert ensure_vectors(store).computed == 0


def test_another_model_recomputes_and_deleted_questions_are_pruned(store: GraphStore) -> None:
    load(store)
    ensure_vectors(store)
    cache = store.vector_cache()
    model = embedding.model_id()
    # a vector written by another model (e.g. before an upgrade) is stale
    cache.write("old-model@0", [VectorRow("kq:warmte", "x", "nl", pack(np.ones(8)))])
    assert cache.count(model) == 3 and [n.id for n in stale(store)] == ["kq:warmte"]
    assert ensure_vectors(store).computed == 1
    store.delete_node("cq:data")
    ensure_vectors(store)
    assert cache.count(model) == 3
    assert {r.id for r in cache.read(model)} == {"kq:licht-nl", "kq:licht-en", "kq:warmte"}


def test_a_reader_may_compute_vectors_but_not_write_the_graph(store: GraphStore) -> None:
    load(store)
    viewer = GuardedStore(store, "Vera", "viewer")
    result = find_similar(viewer, min_score=0.5)
    assert result.computed == 4
    assert ("kq:licht-en", "kq:licht-nl") in {(p.a, p.b) for p in result.pairs}


def test_the_index_is_reused_until_the_store_changes(store: GraphStore) -> None:
    load(store)
    forget(store)
    first = similarity_index(store)
    assert similarity_index(store) is first
    store.update_node("kq:warmte", {"status": "answered"})
    assert similarity_index(store) is not first


def test_wipe_removes_vectors(store: GraphStore) -> None:
    load(store)
    ensure_vectors(store)
    store.wipe()
    load(store)
    if store.backend == "neo4j":
        assert store.vector_cache().count(embedding.model_id()) == 0
    assert ensure_vectors(store).computed == 4 or store.backend == "embedded"


def test_an_older_embedded_store_gains_the_vector_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with EmbeddedStore(path) as store:
        store.add_node(QUESTIONS[0])
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE question_vectors")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")  # before the vectors
    conn.commit()
    conn.close()
    with EmbeddedStore(path) as store:
        assert ensure_vectors(store).computed == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    assert conn.execute("SELECT COUNT(*) FROM question_vectors").fetchone()[0] == 1
    conn.close()


def test_a_backend_without_vectors_says_so(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s.db") as store, pytest.raises(StoreError, match="no vectors"):
        GraphStore.vector_cache(store)  # the contract's default, below the backend's own


def test_digest_follows_the_embedded_text() -> None:
    node = QUESTIONS[0]
    assert vector_text(node) == node.title
    assert digest("a") != digest("b") and digest("a") == digest("a")


def test_similar_to_one_question_with_its_context(store: GraphStore) -> None:
    load(store)
    result = similar_to(store, "kq:licht-nl", top=2)
    assert result.to == "kq:licht-nl"
    best = result.pairs[0]
    assert (best.a, best.b) == ("kq:licht-nl", "kq:licht-en")
    assert best.other_language and best.reason == "meaning"
    assert best.score > 0.9 and best.meaning is not None and best.words is not None


BLOCKED = textwrap.dedent(
    """
    import socket

    class NoNetwork(OSError):
        pass

    def refuse(*args, **kwargs):
        raise NoNetwork("network used while embedding")

    socket.socket = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from kgraph.analysis import embedding

    vectors = embedding.embed(["Hoe valideer je een model?", "How do you validate a model?"])
    assert vectors.shape == (2, embedding.DIMENSIONS)
    print("cosine", round(float(vectors[0] @ vectors[1]), 3))
    """
)


def test_embedding_needs_no_network() -> None:
    """Sockets are refused before the model is even imported (a fresh process, as at the
    first use after ``make run``); loading and embedding still work."""
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.split()[-1]) > 0.6
