"""Column suggestions and sample values (``kgraph.importers.mapping``), the one batching
helper and the one all-or-nothing import write with progress (``kgraph.importers.apply``)
that the CLI and the Importeren page share; the write runs on both backends."""

from __future__ import annotations

import pytest

from kgraph.errors import KGraphError
from kgraph.importers import ImportBatch, apply_batch, mapping
from kgraph.importers.apply import apply_plan
from kgraph.importers.batching import batches, count
from kgraph.importers.plan import plan_batch
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


def test_mapping_suggests_fields_from_dutch_and_english_headers() -> None:
    dutch = ["Nr", "Kennisvraag", "Toelichting", "Status", "Trekker", "CoP", "Thema", "Opmerking"]
    assert mapping.suggest_mapping(dutch) == {
        "id": "Nr",
        "title": "Kennisvraag",
        "text": "Toelichting",
        "status": "Status",
        "owner": "Trekker",
        "cop": "CoP",
        "theme": "Thema",
    }
    english = ["Question", "Description", "Owner", "Tags", "Landing place", "Related question"]
    assert mapping.suggest_mapping(english) == {
        "title": "Question",
        "text": "Description",
        "owner": "Owner",
        "tags": "Tags",
        "landing_place": "Landing place",
        "relates_to": "Related question",
    }
    assert mapping.unmapped(dutch, mapping.suggest_mapping(dutch)) == ["Opmerking"]


def test_a_register_header_suggests_where_a_question_is_placed() -> None:
    headers = ["Code", "Kennisvraag", "Status", "Waar belegd", "Urgentie", "Status overdracht"]
    suggested = mapping.suggest_mapping(headers)
    assert suggested["id"] == "Code"
    assert suggested["placed_at"] == "Waar belegd"
    assert suggested["handover_status"] == "Status overdracht"
    assert suggested["status"] == "Status"  # the exact match wins over the longer header
    assert "Urgentie" not in suggested.values()


def test_suggestions_only_for_the_fields_asked_and_each_column_once() -> None:
    headers = ["Vraag", "Titel"]
    assert mapping.suggest_mapping(headers, ["title"]) == {"title": "Vraag"}
    assert mapping.suggest_mapping(headers, ["title", "text"]) == {"title": "Vraag"}


def test_samples_are_the_first_distinct_values_as_written() -> None:
    rows = [["a", 1.0], ["b", None], ["a", 2.5], ["c", "  3 "], ["d", 1]]
    assert mapping.samples(rows, 0) == ["a", "b", "c"]
    assert mapping.samples(rows, 1, n=5) == ["1", "2.5", "3"]
    assert mapping.samples(rows, 7) == []


def _batch(n: int) -> ImportBatch:
    nodes = [Node(f"kq:chunk-{i}", "knowledge_question", f"Vraag {i}?") for i in range(n)]
    nodes.append(Node("cop:chunks", "cop", "Chunks"))
    edges = [Edge(f"kq:chunk-{i}", "RAISED_IN", "cop:chunks") for i in range(n)]
    return ImportBatch("test", nodes=nodes, edges=edges)


def test_batches_cut_in_order_and_refuse_an_empty_size() -> None:
    assert [list(p) for p in batches(range(5), 2)] == [[0, 1], [2, 3], [4]]
    assert count(list(range(5)), 2) == 3 and count([], 2) == 0
    with pytest.raises(ValueError):
        list(batches([1], 0))


def test_the_write_path_reports_progress_and_adds_once(store: GraphStore) -> None:
    seen: list[tuple[int, int]] = []
    plan = plan_batch(store, _batch(7), source="test")
    applied = apply_plan(store, plan, actor="Ada", progress=lambda d, t: seen.append((d, t)))
    assert (applied.nodes_added, applied.edges_added) == (8, 7)
    # one part of nodes, one of edges, then the batch record: the bar reaches its end
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert store.get_node("kq:chunk-6") is not None
    assert len(store.edges(["RAISED_IN"])) == 7
    assert store.history(target="kq:chunk-0")[-1].actor == "Ada"
    again = apply_batch(store, _batch(7))
    assert (again.nodes_added, again.edges_added) == (0, 0)


def test_the_write_path_is_all_or_nothing(store: GraphStore) -> None:
    batch = _batch(4)
    plan = plan_batch(store, batch, source="test")
    # the last write fails (an edge to a node that does not exist): nothing stays
    plan.edges.append(Edge("kq:chunk-0", "RAISED_IN", "cop:missing"))
    with pytest.raises(KGraphError):
        apply_plan(store, plan)
    assert store.get_node("kq:chunk-0") is None
    assert store.edges(["RAISED_IN"]) == []
    assert store.count_records("import_batch") == 0


def test_distinct_values_are_counted_as_written() -> None:
    rows = [[1.0], [2], ["1"], [None], [" 3 "], [1]]
    assert mapping.distinct_values(rows, 0) == [("1", 3), ("2", 1), ("3", 1)]
    assert mapping.distinct_values(rows, 0, limit=1) == [("1", 3)]
    assert mapping.distinct_values(rows, 4) == []
