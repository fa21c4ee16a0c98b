"""A writer of numbered multi-step changes, and the check that none was lost or split.

Change number ``i`` is one transaction of three or four writes: add the question
``kq:n-i``, link it ``RAISED_IN`` the counter CoP, set the counter's ``count`` to ``i``,
and, for every tenth number, revise the text of question ``i - 5``. The writer prints
``i`` (flushed) only after the transaction returned, so every printed number is an
acknowledged change.

Run as a script: ``python numbered.py STORE [--limit N] [--pause S]``; it prints ``ready N`` once the
store is open (``N``: the last number already in it) and then one number per line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kgraph.errors import DuplicateError
from kgraph.model import Edge, Node
from kgraph.store import open_store
from kgraph.store.base import GraphStore

COUNTER = "cop:counter"


def question(i: int) -> str:
    return f"kq:n-{i}"


def revised_text(i: int) -> str:
    return f"herzien bij {i}"


def ensure_counter(store: GraphStore) -> int:
    """Create the counter CoP if missing; the last committed number."""
    node = store.get_node(COUNTER)
    if node is None:
        try:
            node = store.add_node(Node(COUNTER, "cop", "Teller", props={"count": 0}))
        except DuplicateError:  # another writer made it first
            node = store.get_node(COUNTER)
    assert node is not None
    return int(node.props.get("count", 0))


def write_one(store: GraphStore, i: int) -> None:
    """Change number ``i``, all of it or nothing."""
    with store.transaction():
        store.add_node(Node(question(i), "knowledge_question", f"Vraag nummer {i}"))
        store.add_edge(Edge(question(i), "RAISED_IN", COUNTER))
        counter = store.get_node(COUNTER)
        assert counter is not None and counter.props.get("count") == i - 1, counter
        store.update_node(COUNTER, {"count": i}, expected_version=counter.version)
        if i % 10 == 0:
            store.update_node(question(i - 5), {"text": revised_text(i)})


def check(store: GraphStore, acknowledged: set[int]) -> tuple[int, list[str]]:
    """The last number in ``store`` and every way it breaks the all-or-nothing rule."""
    problems: list[str] = []
    counter = store.get_node(COUNTER)
    last = int(counter.props.get("count", 0)) if counter is not None else 0
    missing = sorted(i for i in acknowledged if i > last)
    if missing:
        problems.append(f"acknowledged but lost: {missing[:10]} (store is at {last})")
    numbers = {
        int(n.id.removeprefix("kq:n-"))
        for n in store.nodes(["knowledge_question"])
        if n.id.startswith("kq:n-")
    }
    if numbers != set(range(1, last + 1)):
        extra = sorted(numbers - set(range(1, last + 1)))[:10]
        absent = sorted(set(range(1, last + 1)) - numbers)[:10]
        problems.append(f"questions beyond the counter {extra}, missing below it {absent}")
    linked = {e.src for e in store.edges(["RAISED_IN"], node_id=COUNTER)}
    unlinked = sorted(i for i in numbers if question(i) not in linked)[:10]
    if unlinked or len(linked) != len(numbers):
        problems.append(f"questions without their edge: {unlinked}, edges {len(linked)}")
    for i in range(10, last + 1, 10):
        node = store.get_node(question(i - 5))
        if node is None or node.text != revised_text(i):
            problems.append(f"change {i} committed without its revision of {question(i - 5)}")
    if counter is not None and counter.version != last + 1:
        problems.append(f"counter at {last} but version {counter.version}")
    return last, problems


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--limit", type=int, help="stop after this many changes")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between changes")
    args = parser.parse_args(argv)
    store = open_store(args.store, actor="numbered-writer")
    last = ensure_counter(store)
    print(f"ready {last}", flush=True)
    i = last
    while args.limit is None or i < last + args.limit:
        i += 1
        write_one(store, i)
        print(i, flush=True)
        if args.pause:
            time.sleep(args.pause)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
