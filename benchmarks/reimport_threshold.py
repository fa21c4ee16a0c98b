"""The title-similarity threshold of a register re-import, measured on the fixture register.

``python -m benchmarks.reimport_threshold`` scores every question of version 1 of
``tests/data/registers`` against every question of version 2 and prints: the lowest score
of a question with its own (reworded) later version, the highest score of a question with
any other question, and where ``kgraph.importers.matching.THRESHOLD`` sits between them.
The generator says which rows are the same question (``REWORDED``, ``DROPPED``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kgraph.importers import mapping_file, table
from kgraph.importers.matching import THRESHOLD, similarity

HERE = Path(__file__).resolve().parents[1] / "tests" / "data" / "registers"
sys.path.insert(0, str(HERE))

import make_registers as reg  # noqa: E402


def pairs() -> tuple[list[float], list[float]]:
    """(scores of true pairs, best score of each question with any other question)."""
    v1 = [q[2] for q in reg.Q]
    same_text = {reg.Q[i][2] for i in range(len(reg.Q)) if reg.Q[i][0] in reg.SAME_TEXT}
    v2_of = {
        q[2]: (reg.REWORDED.get(q[0], q[2]) if q[0] != reg.REUSED_CODE else q[2])
        for q in reg.Q
        if q[0] not in reg.DROPPED
    }
    v2 = [row[2] for row in reg._v2_rows()]
    true_scores, false_best = [], []
    for title in v1:
        own = v2_of.get(title)
        if own is not None:
            true_scores.append(similarity(title, own))
        others = [
            similarity(title, t)
            for t in v2
            if t != own and not (title in same_text and t in same_text)
        ]
        false_best.append(max(others))
    return true_scores, false_best


def main() -> None:
    spec = mapping_file.load_spec(HERE / "kennisagenda.yaml")
    read = [table.read_table(p, **spec.read_options()) for p in (reg.V1, reg.V2)]
    print(f"fixture rows read: v1 {read[0].rows_read}, v2 {read[1].rows_read}")
    true_scores, false_best = pairs()
    reworded = sorted(s for s in true_scores if s < 1.0)
    print(
        f"same question, reworded (n={len(reworded)}): " + ", ".join(f"{s:.3f}" for s in reworded)
    )
    print(f"same question, lowest score: {min(true_scores):.3f}")
    top = sorted(false_best, reverse=True)[:5]
    print("different questions, highest scores: " + ", ".join(f"{s:.3f}" for s in top))
    low, high = max(false_best), min(true_scores)
    print(
        f"THRESHOLD {THRESHOLD:.2f}: margin {THRESHOLD - low:.3f} above the closest different pair, "
        f"{high - THRESHOLD:.3f} below the lowest true pair; separates: {low < THRESHOLD <= high}"
    )


if __name__ == "__main__":
    main()
