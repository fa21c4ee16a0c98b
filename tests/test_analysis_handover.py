"""Handover coverage on a small hand-built graph with known answers, and on the City Deal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgraph.analysis import handover_coverage
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
    assert cops["cop:a"]["complex_questions"] == ["cq:x", "cq:z"]
    # cq:y belongs to cop:b through the knowledge question that feeds it
    assert cops["cop:b"]["counts"] == zero(proposed=1)
    assert cops["cop:b"]["complex_questions"] == ["cq:y"]
    assert cops["cop:c"]["counts"] == zero(accepted=1)


def test_open_items_and_idle_places(store: GraphStore) -> None:
    build(store)
    result = handover_coverage(store)
    assert ids(result.not_accepted) == ["cop:a", "cop:b", "cq:y", "cq:z"]
    assert ids(result.no_landing) == ["cop:b", "cq:z", "showcase:s2"]
    assert ids(result.idle_places) == ["lp:empty", "lp:empty-part", "lp:part2"]
    assert result.totals == zero(proposed=2, in_discussion=1, accepted=2, declined=1)
    data = result.to_dict()
    assert set(data["explanations"]["idle_places"]) == {"nl", "en"}
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
