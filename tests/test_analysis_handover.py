"""Handover coverage on a small hand-built graph with known answers, and on the City Deal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph import model
from kgraph.analysis import handover_coverage
from kgraph.cli import cli
from kgraph.errors import ValidationError
from kgraph.export.report import collect
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore


def zero(**counts: int) -> dict[str, int]:
    return {"proposed": 0, "in_discussion": 0, "accepted": 0, "declined": 0, **counts}


def build(store: GraphStore) -> None:
    """Three CoPs, three complex questions, two showcases and landing places in two trees.

    lp:th and lp:empty-part are PART_OF lp:dmi and lp:empty; lp:part2 is PART_OF lp:hub2,
    which receives something itself.
    """
    lp = [
        Node(i, "landing_place", t)
        for i, t in [
            ("lp:dmi", "DMI-ecosysteem"),
            ("lp:th", "Slimme verstedelijking"),
            ("lp:ai", "AI Compass"),
            ("lp:empty", "Leeg"),
            ("lp:empty-part", "Leeg onderdeel"),
            ("lp:hub2", "Hub"),
            ("lp:part2", "Hub onderdeel"),
        ]
    ]
    store.bulk_load(
        [
            *lp,
            Node("cop:a", "cop", "CoP A"),
            Node("cop:b", "cop", "CoP B"),
            Node("cop:c", "cop", "CoP C"),
            Node("cq:x", "complex_question", "X?"),
            Node("cq:y", "complex_question", "Y?"),
            Node("cq:z", "complex_question", "Z?"),
            Node("kq:1", "knowledge_question", "Een?"),
            Node("showcase:s", "showcase", "Deventer"),
            Node("showcase:s2", "showcase", "Breda"),
        ],
        [
            Edge("lp:th", "PART_OF", "lp:dmi"),
            Edge("lp:empty-part", "PART_OF", "lp:empty"),
            Edge("lp:part2", "PART_OF", "lp:hub2"),
            Edge("cq:x", "RAISED_IN", "cop:a"),
            Edge("cq:z", "RAISED_IN", "cop:a"),
            Edge("kq:1", "RAISED_IN", "cop:b"),
            Edge("kq:1", "FEEDS", "cq:y"),
            Edge("cq:x", "LANDS_IN", "lp:th", {"status": "accepted"}),
            Edge("cq:x", "LANDS_IN", "lp:ai", {"status": "declined"}),
            Edge("cq:y", "LANDS_IN", "lp:dmi", {"status": "proposed"}),
            Edge("cop:a", "LANDS_IN", "lp:dmi", {"status": "in_discussion"}),
            Edge("cop:c", "LANDS_IN", "lp:th", {"status": "accepted"}),
            Edge("showcase:s", "LANDS_IN", "lp:hub2", {"status": "proposed"}),
        ],
    )


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(r["id"] for r in rows)


def test_places_count_direct_and_through_their_parts(store: GraphStore) -> None:
    build(store)
    places = {r["id"]: r for r in handover_coverage(store).places}
    assert places["lp:dmi"]["direct"] == zero(proposed=1, in_discussion=1)
    assert places["lp:dmi"]["via_parts"] == zero(accepted=2)
    assert places["lp:dmi"]["total"] == zero(proposed=1, in_discussion=1, accepted=2)
    assert places["lp:dmi"]["parts"] == ["lp:th"]
    assert places["lp:th"]["direct"] == zero(accepted=2)
    assert places["lp:ai"]["total"] == zero(declined=1)
    assert places["lp:part2"]["received"] == 0  # what lands in the whole is not the part's


def test_cops_count_their_own_and_their_complex_questions(store: GraphStore) -> None:
    build(store)
    cops = {r["id"]: r for r in handover_coverage(store).cops}
    assert cops["cop:a"]["counts"] == zero(in_discussion=1, accepted=1, declined=1)
    assert cops["cop:a"]["items"] == ["cq:x", "cq:z"]
    # cq:y belongs to cop:b through the knowledge question that feeds it
    assert cops["cop:b"]["counts"] == zero(proposed=1)
    assert cops["cop:b"]["items"] == ["cq:y"]
    assert cops["cop:c"]["counts"] == zero(accepted=1)


def test_open_items_and_idle_places(store: GraphStore) -> None:
    build(store)
    result = handover_coverage(store)
    assert ids(result.not_accepted) == ["cop:a", "cop:b", "cq:y", "cq:z"]
    assert ids(result.no_landing) == ["cop:b", "cq:z", "showcase:s2"]
    assert ids(result.idle_places) == ["lp:empty", "lp:empty-part", "lp:part2"]
    assert result.totals == zero(proposed=2, in_discussion=1, accepted=2, declined=1)
    data = result.to_dict()
    assert data["explanations"]["idle_places"] == "handover_idle_places_why"
    y = next(r for r in data["not_accepted"] if r["id"] == "cq:y")
    assert y["landings"] == [
        {"place": "lp:dmi", "place_title": "DMI-ecosysteem", "status": "proposed"}
    ]


def test_subgraph_and_store_give_the_same_answer(store: GraphStore) -> None:
    build(store)
    assert handover_coverage(store.export_all()).to_dict() == handover_coverage(store).to_dict()


def test_empty_store(store: GraphStore) -> None:
    result = handover_coverage(store)
    assert result.places == [] and result.not_accepted == [] and result.totals == zero()


def test_city_deal_complex_questions_are_all_not_yet_accepted(
    store: GraphStore, seed_report: Path
) -> None:
    from kgraph.importers.base import apply_batch
    from kgraph.importers.report import read

    apply_batch(store, read(seed_report))
    result = handover_coverage(store)
    complex_open = [r for r in result.not_accepted if r["kind"] == "complex_question"]
    assert len(complex_open) == 6
    for row in complex_open:
        assert row["landings"], row["id"]
        assert {landing["status"] for landing in row["landings"]} == {"proposed"}
    assert result.totals["accepted"] == 0


def test_accepting_one_handover_takes_it_off_the_open_list(
    store: GraphStore, seed_report: Path
) -> None:
    from kgraph.importers.base import apply_batch
    from kgraph.importers.report import read

    apply_batch(store, read(seed_report))
    first = next(
        r for r in handover_coverage(store).not_accepted if r["kind"] == "complex_question"
    )
    place = first["landings"][0]["place"]
    store.update_edge(first["id"], "LANDS_IN", place, {"status": "accepted"})
    still_open = {r["id"] for r in handover_coverage(store).not_accepted}
    assert first["id"] not in still_open
    assert len([i for i in still_open if i.startswith("cq:")]) == 5


def test_rows_one_per_item_and_landing_place_with_their_cops(store: GraphStore) -> None:
    build(store)
    result = handover_coverage(store)
    rows = [(r["id"], r["place"], r["handover"], tuple(r["cops"])) for r in result.rows]
    assert rows == [
        ("cq:x", "lp:ai", "declined", ("cop:a",)),
        ("cq:x", "lp:th", "accepted", ("cop:a",)),
        ("cq:y", "lp:dmi", "proposed", ("cop:b",)),  # through the knowledge question feeding it
        ("cq:z", None, "none", ("cop:a",)),
        ("cop:a", "lp:dmi", "in_discussion", ("cop:a",)),
        ("cop:b", None, "none", ("cop:b",)),
        ("cop:c", "lp:th", "accepted", ("cop:c",)),
        ("showcase:s2", None, "none", ()),
        ("showcase:s", "lp:hub2", "proposed", ()),
    ]
    assert result.row_counts() == {
        "proposed": 2,
        "in_discussion": 1,
        "accepted": 2,
        "declined": 1,
        "none": 3,
    }
    assert {k: len(v) for k, v in result.by_cop().items()} == {
        "cop:a": 4,
        "cop:b": 2,
        "cop:c": 1,
        None: 2,
    }
    assert [r["id"] for r in result.by_place()["lp:th"]] == ["cq:x", "cop:c"]
    assert result.by_place()["lp:empty"] == []


def test_summary_counts_each_item_under_its_furthest_status(store: GraphStore) -> None:
    build(store)
    summary = handover_coverage(store).summary
    assert summary["complex_question"] == {
        "accepted": 1,
        "in_discussion": 0,
        "proposed": 1,
        "declined": 0,
        "none": 1,
        "total": 3,
    }
    assert summary["showcase"]["proposed"] == 1 and summary["showcase"]["none"] == 1


def test_the_kinds_that_land_come_from_the_model_rules(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing in the handover names the kinds: allowing a knowledge question to land (as
    ``model.EDGE_RULES`` may) puts it in every projection."""
    build(store)
    landing = Edge("kq:1", "LANDS_IN", "lp:ai", {"status": "accepted"})
    sources, targets = model.EDGE_RULES["LANDS_IN"]
    monkeypatch.setitem(model.EDGE_RULES, "LANDS_IN", (sources - {"knowledge_question"}, targets))
    with pytest.raises(ValidationError):
        store.add_edge(landing)  # rules without it: a knowledge question does not land
    before = handover_coverage(store)
    assert "knowledge_question" not in before.kinds
    assert "knowledge_question" not in before.summary

    monkeypatch.setitem(model.EDGE_RULES, "LANDS_IN", (sources | {"knowledge_question"}, targets))
    store.add_edge(landing)
    result = handover_coverage(store)
    assert "knowledge_question" in result.kinds
    assert result.summary["knowledge_question"]["accepted"] == 1
    kq_rows = [r for r in result.rows if r["id"] == "kq:1"]
    assert [(r["place"], r["handover"], r["cops"]) for r in kq_rows] == [
        ("lp:ai", "accepted", ["cop:b"])
    ]
    cops = {r["id"]: r for r in result.cops}
    assert "kq:1" in cops["cop:b"]["items"]
    assert cops["cop:b"]["counts"] == zero(proposed=1, accepted=1)
    places = {r["id"]: r for r in result.places}
    assert places["lp:ai"]["direct"] == zero(declined=1, accepted=1)
    assert result.totals["accepted"] == before.totals["accepted"] + 1
    # the report is a projection: the knowledge question is in its summary and sections
    data = collect(store)
    assert data.summary["knowledge_question"]["accepted"] == 1
    ai = next(s for s in data.places if s.node["id"] == "lp:ai")
    assert "kq:1" in [r["id"] for r in ai.rows]


def test_cli_json_is_the_same_result(store: GraphStore, backend: str, tmp_path: Path) -> None:
    build(store)
    location = store.location if backend == "neo4j" else str(tmp_path / "test.db")
    out = CliRunner().invoke(cli, ["--store", location, "analyse", "handover", "--json"])
    assert out.exit_code == 0, out.output
    import json

    assert json.loads(out.output) == json.loads(json.dumps(handover_coverage(store).to_dict()))
