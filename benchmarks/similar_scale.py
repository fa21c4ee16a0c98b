"""Similar questions at scale: 10,000 generated Dutch and English questions.

Prints, per method, the time to rank all pairs and the peak memory the ranking added
(each method in a fresh process, peak resident size minus the size after imports), then
the end-to-end ``find_similar`` on an embedded store holding the same questions.

    .venv/bin/python benchmarks/similar_scale.py [N]
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NL_OPENERS = [
    "Hoe",
    "Hoe kunnen we",
    "Wat is de beste manier om",
    "Welke aanpak werkt om",
    "Waarom lukt het niet om",
]
NL_VERBS = [
    "organiseer je",
    "meet je",
    "valideer je",
    "betrek je",
    "deel je",
    "schaal je",
    "borg je",
    "financier je",
    "start je",
    "evalueer je",
]
EN_OPENERS = [
    "How can we",
    "What is the best way to",
    "Which approach helps to",
    "Why do we fail to",
    "How should cities",
]
EN_VERBS = [
    "organise",
    "measure",
    "validate",
    "involve",
    "share",
    "scale up",
    "secure",
    "fund",
    "start",
    "evaluate",
]
NL_NOUNS = str.split(
    "lokaal meten luchtkwaliteit geluidsoverlast datamodel voorspelmodel inwoners ondernemers "
    "gemeenteraad ethisch gesprek privacy autonomie businesscase gebiedsontwikkeling mobiliteit "
    "warmtenet woningbouw sensoren dashboard open data datakwaliteit algoritme register "
    "participatie meetgroep hittestress wateroverlast energietransitie zorgdomein sociaal domein "
    "digitale tweeling standaarden inkoop aanbesteding kennisdeling proeftuin"
)
EN_NOUNS = str.split(
    "air quality noise sensors data model prediction residents businesses council ethics "
    "privacy autonomy business case urban development mobility heat network housing dashboard "
    "open data data quality algorithm register participation heat stress flooding energy "
    "transition care social domain digital twin standards procurement knowledge sharing "
    "living lab feedback assessment students marking"
)
NL_PLACES = [
    "in de wijk",
    "in kleine gemeenten",
    "met de provincie",
    "in de regio",
    "binnen het sociaal domein",
    "bij de spoorzone",
]
EN_PLACES = [
    "in the neighbourhood",
    "in small towns",
    "with the province",
    "across the region",
    "in social care",
    "near the station",
]


def generate(n: int, seed: int = 7) -> list[str]:
    """``n`` questions, half Dutch and half English, from templates and shared vocabularies."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 2:
            words = " ".join(rng.sample(EN_NOUNS, rng.randint(2, 4)))
            out.append(
                f"{rng.choice(EN_OPENERS)} {rng.choice(EN_VERBS)} {words} {rng.choice(EN_PLACES)}?"
            )
        else:
            words = " en ".join(rng.sample(NL_NOUNS, rng.randint(2, 3)))
            out.append(
                f"{rng.choice(NL_OPENERS)} {rng.choice(NL_VERBS)} {words} {rng.choice(NL_PLACES)}?"
            )
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_method(method: str, n: int) -> None:
    """Child process: rank ``n`` generated questions with ``method`` and print figures."""
    import numpy  # noqa: F401  (imports are not the ranking's memory)
    import sklearn.feature_extraction.text  # noqa: F401

    from kgraph.analysis.similar import rank_pairs

    texts = generate(n)
    base = peak_mb()
    start = time.perf_counter()
    pairs = rank_pairs(texts, method=method, min_score=0.3, per_item=10)
    seconds = time.perf_counter() - start
    print(f"{method:<12} {n:>6} {seconds:>8.2f} {peak_mb() - base:>10.0f} {len(pairs):>9}")


def end_to_end(n: int) -> None:
    from kgraph.analysis.similar import find_similar
    from kgraph.model import Node
    from kgraph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "scale.db", actor="bench")
        texts = generate(n)
        nodes = [Node(f"kq:gen-{i}", "knowledge_question", t) for i, t in enumerate(texts)]
        store.bulk_load(nodes, [])
        base = peak_mb()
        start = time.perf_counter()
        result = find_similar(store, min_score=0.3, top=50)
        seconds = time.perf_counter() - start
        store.close()
    print(
        f"find_similar on an embedded store, {n} questions: {seconds:.2f} s, "
        f"peak memory +{peak_mb() - base:.0f} MB, {len(result.pairs)} pairs shown"
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        run_method(sys.argv[2], int(sys.argv[3]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from kgraph.analysis.similar import DEFAULT_METHOD, METHODS

    print(f"{'method':<12} {'n':>6} {'seconds':>8} {'peak +MB':>10} {'pairs':>9}")
    for method in METHODS:
        subprocess.run([sys.executable, __file__, "--child", method, str(n)], check=True)
    print(f"chosen method: {DEFAULT_METHOD}")
    end_to_end(n)


if __name__ == "__main__":
    main()
