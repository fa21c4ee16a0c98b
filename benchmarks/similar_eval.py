"""How well each similar-question method finds real pairs, in one language and across two.

Two measures, on the labels in ``tests/data/similar_pairs.yaml``:

- **P@10, P@20** per corpus: the City Deal questions (Dutch, read with the report
  importer) and the CAA research agenda (English). A pair counts as a hit when labelled
  ``same`` or ``related``; unlabelled pairs count as misses and are reported.
- **hits@1**: a question that asks what another one asks (a translation, a paraphrase, a
  register's reworded row) is put beside its corpus; a hit when the other one is its best
  partner. Two ways: ``one`` adds one such question at a time to its corpus (a new
  question arrives: is its twin found?), ``all`` adds all of a set together (a translated
  register imported beside the original: the translations also compete with each other).

Also the language guess's accuracy on every question whose language is known, and, with
``--fit``, the logistic calibration of the combined score (``similar_score``).

    .venv/bin/python benchmarks/similar_eval.py [--fit]
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kgraph.analysis.similar import (  # noqa: E402
    METHODS,
    WORDS_ONLY,
    precision_at,
    rank_pairs,
)
from kgraph.model import QUESTION_KINDS, normalise_title  # noqa: E402

SEED_REPORT = ROOT / "data" / "sources" / "000_4a3caf141793d018.txt"
CAA_QUESTIONS = ROOT / "data" / "sources" / "caa-research-agenda" / "_questions"
LABELS = ROOT / "tests" / "data" / "similar_pairs.yaml"
#: the methods compared in the tables: words only (before), meaning only, combined (now)
COMPARED = (WORDS_ONLY, "meaning", "meaning_words")


def remember_vectors() -> None:
    """Embed each distinct text once in this process (hits@1 embeds the same pools over
    and over): wraps ``kgraph.analysis.embedding.embed`` with a memo."""
    from kgraph.analysis import embedding

    if getattr(embedding.embed, "memo", None) is not None:
        return
    plain = embedding.embed
    memo: dict[str, np.ndarray] = {}

    def embed(texts: list[str], **kwargs: object) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, plain(todo), strict=True))
        if not texts:
            return plain([])
        return np.stack([memo[t] for t in texts])

    embed.memo = memo  # type: ignore[attr-defined]
    embedding.embed = embed  # type: ignore[assignment]


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
        texts.append(" ".join(str(front["question_text"]).split()))
    return keys, texts


def load_labels() -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return data


def labels(corpus: str) -> dict[frozenset[str], str]:
    norm = normalise_title if corpus == "citydeal" else str
    return {
        frozenset((norm(str(p["a"])), norm(str(p["b"])))): str(p["label"])
        for p in load_labels()[corpus]
    }


@dataclass(frozen=True)
class TwinSet:
    """Questions (``pool``) and, for each added twin, (its index, its original's index)."""

    name: str
    pool: list[str]
    twins: list[tuple[int, int]]
    base: int  # how many of ``pool`` are the corpus (the rest are the added twins)


def twin_sets() -> list[TwinSet]:
    """The hits@1 sets: translations per corpus, own pairs, paraphrases, registers."""
    data = load_labels()
    ck, ct = citydeal()
    ak, at = caa()
    corpora = {"citydeal": (ck, ct, normalise_title), "caa": (ak, at, str)}
    out: list[TwinSet] = []
    for name in ("citydeal", "caa"):
        keys, texts, norm = corpora[name]
        where = {k: i for i, k in enumerate(keys)}
        rows = [p for p in data["crosslang"] if p["corpus"] == name]
        pool = list(texts) + [str(p["b"]) for p in rows]
        twins = [(len(texts) + n, where[norm(str(p["a"]))]) for n, p in enumerate(rows)]
        out.append(TwinSet(f"translated {name}", pool, twins, len(texts)))
    own = [p for p in data["crosslang"] if p["corpus"] == "own"]
    pool = list(ct) + [str(p["a"]) for p in own]
    base = len(pool)
    pool += [str(p["b"]) for p in own]
    out.append(
        TwinSet("translated own", pool, [(base + n, len(ct) + n) for n in range(len(own))], base)
    )
    # paraphrases: City Deal ones point at their City Deal question, own ones at theirs
    where = {normalise_title(t): i for i, t in enumerate(ct)}
    pool = list(ct)
    targets: list[int] = []
    for p in data["paraphrases"]:
        key = normalise_title(str(p["a"]))
        if key not in where:
            where[key] = len(pool)
            pool.append(str(p["a"]))
        targets.append(where[key])
    base = len(pool)
    pool += [str(p["b"]) for p in data["paraphrases"]]
    out.append(TwinSet("paraphrases", pool, [(base + n, t) for n, t in enumerate(targets)], base))
    sys.path.insert(0, str(ROOT / "tests" / "data" / "registers"))
    import make_registers  # the register fixture's own rows

    originals = [str(q[2]) for q in make_registers.Q if q[0] != make_registers.SAME_TEXT[1]]
    index = {t: i for i, t in enumerate(originals)}
    rows = data["registers"]
    pool = originals + [str(p["b"]) for p in rows]
    out.append(
        TwinSet(
            "register rewordings",
            pool,
            [(len(originals) + n, index[str(p["a"])]) for n, p in enumerate(rows)],
            len(originals),
        )
    )
    return out


def _scores(pool: list[str], method: str) -> np.ndarray:
    block = METHODS[method](pool)(0, len(pool))
    dense = np.asarray(block.toarray() if hasattr(block, "toarray") else block, dtype=np.float32)
    np.fill_diagonal(dense, -np.inf)
    return dense


def hits_at_1(twins: TwinSet, method: str, mode: str) -> tuple[int, int]:
    """(hits, twins) of ``twins`` by ``method``; ``mode`` ``all`` or ``one`` (see above)."""
    if mode == "all":
        scores = _scores(twins.pool, method)
        return sum(int(np.argmax(scores[q]) == t) for q, t in twins.twins), len(twins.twins)
    hits = 0
    corpus = twins.pool[: twins.base]
    for q, t in twins.twins:
        scores = _scores([*corpus, twins.pool[q]], method)
        hits += int(np.argmax(scores[len(corpus)]) == t)
    return hits, len(twins.twins)


def precision_table(
    methods: tuple[str, ...] = COMPARED,
) -> list[tuple[str, str, float, float, int]]:
    """(method, corpus, P@10, P@20, unlabelled in the top 20) per method and corpus."""
    out = []
    for corpus, (keys, texts) in {"citydeal": citydeal(), "caa": caa()}.items():
        truth = labels(corpus)
        for method in methods:
            ranked = rank_pairs(texts, method=method, per_item=20)
            pairs = [(keys[i], keys[j]) for i, j, _ in ranked]
            p10, _ = precision_at(pairs, truth, 10)
            p20, missing = precision_at(pairs, truth, 20)
            out.append((method, corpus, p10, p20, missing))
    return out


def language_accuracy() -> list[tuple[str, int, int]]:
    """(set, right, total) of the language guess on questions of known language."""
    from kgraph.analysis.language import detect_language

    data = load_labels()
    sets = {
        "City Deal (nl)": [(t, "nl") for t in citydeal()[1]],
        "CAA (en)": [(t, "en") for t in caa()[1]],
        "translations and own pairs": [(str(p["b"]), str(p["lang"])) for p in data["crosslang"]]
        + [(str(p["a"]), "nl") for p in data["crosslang"] if p["corpus"] == "own"],
        "paraphrases (nl)": [(str(p["b"]), "nl") for p in data["paraphrases"]],
    }
    return [
        (name, sum(detect_language(t) == lang for t, lang in rows), len(rows))
        for name, rows in sets.items()
    ]


def fit() -> None:
    """Fit the combined score's logistic calibration and print it."""
    from sklearn.linear_model import LogisticRegression

    from kgraph.analysis.similar import _meaning_scorer

    features: list[tuple[float, float]] = []
    target: list[int] = []
    rng = np.random.default_rng(7)
    for corpus, (keys, texts) in {"citydeal": citydeal(), "caa": caa()}.items():
        scorer = _meaning_scorer(texts)
        _, meaning, words = scorer.block(0, len(texts))
        where = {k: i for i, k in enumerate(keys)}
        labelled = set()
        for pair, label in labels(corpus).items():
            a, b = sorted(pair)
            i, j = where[a], where[b]
            labelled.add((min(i, j), max(i, j)))
            features.append((meaning[i, j], words[i, j]))
            target.append(int(label in ("same", "related")))
        # unlabelled pairs: almost all unrelated; a sample of them as negatives
        for _ in range(300):
            i, j = sorted(rng.choice(len(texts), 2, replace=False))
            if (i, j) not in labelled:
                features.append((meaning[i, j], words[i, j]))
                target.append(0)
    for twins in twin_sets():
        scorer = _meaning_scorer(twins.pool)
        _, meaning, words = scorer.block(0, len(twins.pool))
        for q, t in twins.twins:
            features.append((meaning[q, t], words[q, t]))
            target.append(1)
    model = LogisticRegression(C=10.0).fit(np.array(features), np.array(target))
    b = model.intercept_[0]
    m, w = model.coef_[0]
    print(f"pairs {len(target)} (positive {sum(target)})")
    print(f"BIAS = {b:.2f}\nMEANING = {m:.2f}\nWORDS = {w:.2f}")


def main() -> None:
    import sklearn.feature_extraction.text  # noqa: F401  (import time is not ranking time)

    from kgraph.analysis.embedding import embed

    embed(["warm"])  # loading the model is not ranking time
    remember_vectors()
    if "--fit" in sys.argv:
        fit()
        return
    print("Precision of the top pairs (hand labels; unlabelled pairs count as misses)")
    print(f"{'method':<14} {'corpus':<9} {'P@10':>6} {'P@20':>6} {'unlabelled@20':>14}")
    for method, corpus, p10, p20, missing in precision_table():
        print(f"{method:<14} {corpus:<9} {p10:>6.2f} {p20:>6.2f} {missing:>14}")
    print()
    print("hits@1: a question's twin is its best partner (one: added alone; all: added together)")
    header = f"{'set':<22} {'n':>3}"
    for method in COMPARED:
        header += f" {method + ' one':>19} {method + ' all':>19}"
    print(header)
    total: dict[tuple[str, str], list[int]] = {}
    cross: dict[tuple[str, str], list[int]] = {}
    for twins in twin_sets():
        start = time.perf_counter()
        line = f"{twins.name:<22} {len(twins.twins):>3}"
        for method in COMPARED:
            for mode in ("one", "all"):
                hits, n = hits_at_1(twins, method, mode)
                line += f" {hits / n:>19.2f}"
                for bucket, keep in ((total, True), (cross, twins.name.startswith("translated"))):
                    if keep:
                        got = bucket.setdefault((method, mode), [0, 0])
                        got[0] += hits
                        got[1] += n
        print(line + f"   ({time.perf_counter() - start:.1f} s)")
    for name, bucket in (("across languages", cross), ("every set", total)):
        line = f"{name:<22} {next(iter(bucket.values()))[1]:>3}"
        for method in COMPARED:
            for mode in ("one", "all"):
                hits, n = bucket[(method, mode)]
                line += f" {hits / n:>19.2f}"
        print(line)
    print()
    print("Language guess (kgraph.analysis.language) on questions of known language")
    for name, right, n in language_accuracy():
        print(f"  {name:<28} {right:>3}/{n:<3} {right / n:.2f}")


if __name__ == "__main__":
    main()
