"""Which similar-question method finds real pairs: precision at 10 and 20 per corpus.

Corpora: the City Deal questions (Dutch, read with the report importer) and the CAA
research agenda (English, ``_questions/*.md`` front matter read directly). Labels:
``tests/data/similar_pairs.yaml`` (same / related / different, by hand, with reasons).
A pair counts as a hit when it is labelled ``same`` or ``related``; unlabelled pairs count
as misses and are reported so the fixture can be extended.

    .venv/bin/python benchmarks/similar_eval.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kgraph.analysis.similar import METHODS, precision_at, rank_pairs  # noqa: E402
from kgraph.model import QUESTION_KINDS, normalise_title  # noqa: E402

SEED_REPORT = ROOT / "data" / "sources" / "000_4a3caf141793d018.txt"
CAA_QUESTIONS = ROOT / "data" / "sources" / "caa-research-agenda" / "_questions"
LABELS = ROOT / "tests" / "data" / "similar_pairs.yaml"


def citydeal() -> tuple[list[str], list[str]]:
    """(keys, texts) of the City Deal questions; the key is the normalised title."""
    from kgraph.importers.report import read

    batch = read(SEED_REPORT)
    questions = [n for n in batch.nodes if n.kind in QUESTION_KINDS]
    return [normalise_title(q.title) for q in questions], [q.title for q in questions]


def caa() -> tuple[list[str], list[str]]:
    """(keys, texts) of the CAA questions; the key is the question code."""
    keys, texts = [], []
    for path in sorted(CAA_QUESTIONS.glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        keys.append(str(front["question_code"]))
        texts.append(str(front["question_text"]).strip())
    return keys, texts


def labels(corpus: str) -> dict[frozenset[str], str]:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    norm = normalise_title if corpus == "citydeal" else str
    return {frozenset((norm(p["a"]), norm(p["b"]))): p["label"] for p in data[corpus]}


def main() -> None:
    import sklearn.feature_extraction.text  # noqa: F401  (import time is not ranking time)

    corpora = {"citydeal": citydeal(), "caa": caa()}
    print(
        f"{'method':<12} {'corpus':<9} {'n':>4} {'P@10':>6} {'P@20':>6} {'unlabelled@20':>14} {'ms':>6}"
    )
    for method in METHODS:
        for corpus, (keys, texts) in corpora.items():
            truth = labels(corpus)
            start = time.perf_counter()
            ranked = rank_pairs(texts, method=method, per_item=20)
            ms = (time.perf_counter() - start) * 1000
            pairs = [(keys[i], keys[j]) for i, j, _ in ranked]
            p10, _ = precision_at(pairs, truth, 10)
            p20, missing = precision_at(pairs, truth, 20)
            print(
                f"{method:<12} {corpus:<9} {len(texts):>4} {p10:>6.2f} {p20:>6.2f} {missing:>14} {ms:>6.0f}"
            )


if __name__ == "__main__":
    main()
