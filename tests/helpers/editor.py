"""One of several editors working on the same store at once (see test_concurrent_editors).

``python editor.py STORE NAME EDITS``: opens the store as NAME, prints ``ready``, waits for
a line on stdin, then makes EDITS edits. Edit ``i`` is one transaction: add the question
``kq:NAME-i``, link it to the shared CoP, add one to the shared CoP's ``count`` (read,
then write with the version read: a lost update would show) and set the editor's own
CoP's ``count`` to ``i``. A ``ConflictError`` (someone saved in between) is what a person
would see as "reload": the editor reloads and saves again, and it is counted. Any other
error is printed and ends the editor with status 1. The last line is a JSON summary.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kgraph.errors import ConflictError
from kgraph.model import Edge, Node
from kgraph.store import open_store
from kgraph.store.base import GraphStore

SHARED = "cop:shared"


def own_cop(name: str) -> str:
    return f"cop:{name}"


def question(name: str, i: int) -> str:
    return f"kq:{name}-{i}"


def edit(store: GraphStore, name: str, i: int) -> None:
    with store.transaction():
        store.add_node(Node(question(name, i), "knowledge_question", f"Vraag {i} van {name}"))
        store.add_edge(Edge(question(name, i), "RAISED_IN", SHARED))
        shared = store.get_node(SHARED)
        assert shared is not None
        count = int(shared.props.get("count", 0))
        store.update_node(SHARED, {"count": count + 1}, expected_version=shared.version)
        store.update_node(own_cop(name), {"count": i})


def main(location: str, name: str, edits: int) -> int:
    store = open_store(location, actor=name)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    conflicts = 0
    errors: list[str] = []
    for i in range(1, edits + 1):
        while True:
            try:
                edit(store, name, i)
                break
            except ConflictError:
                conflicts += 1
            except Exception as exc:  # every other error is a failure the test reports
                errors.append(f"edit {i}: {type(exc).__name__}: {exc}")
                traceback.print_exc()
                break
        if errors:
            break
    summary = {
        "name": name,
        "edits": i if not errors else i - 1,
        "conflicts": conflicts,
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 3),
    }
    store.close()
    print(json.dumps(summary), flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
