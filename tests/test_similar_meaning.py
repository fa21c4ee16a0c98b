"""The meaning signal, evaluated on the hand-labelled pairs (tests/data/similar_pairs.yaml)
with the figures ``benchmarks/similar_eval.py`` prints, and the language guess.

Held here:
- the chosen method (meaning and words combined) at or above words only (word TF-IDF, the
  finder before) in P@10 and P@20 on every corpus, and in hits@1 on every set of twins;
- across languages, a translated question finds its original as best partner for at
  least 9 in 10 when it joins its corpus alone (``one``), and no less often than words do
  when all translations join together (``all``; see the README for both figures);
- the language guess right on at least 97 % of the questions of known language.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CAA_AGENDA

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import similar_eval
from kgraph.analysis.embedding import embed
from kgraph.analysis.language import detect_language
from kgraph.analysis.similar import DEFAULT_METHOD, WORDS_ONLY, SimilarPair
from kgraph.analysis.similar_index import QuestionContext
from kgraph.analysis.similar_score import combine

pytestmark = pytest.mark.skipif(
    not (CAA_AGENDA / "_questions").is_dir(), reason="the CAA research agenda is not there"
)


@pytest.fixture(scope="module", autouse=True)
def _embed_each_text_once() -> None:
    similar_eval.remember_vectors()


def test_the_fixture_holds_what_the_evaluation_needs() -> None:
    data = similar_eval.load_labels()
    crosslang = data["crosslang"]
    assert len(crosslang) >= 40
    assert {p["lang"] for p in crosslang} == {"nl", "en"}
    assert {p["corpus"] for p in crosslang} == {"citydeal", "caa", "own"}
    assert len(data["paraphrases"]) >= 10
    # the register rewordings are the register fixture's own rows
    sys.path.insert(0, str(Path(__file__).resolve().parent / "data" / "registers"))
    import make_registers

    originals = {q[2] for q in make_registers.Q}
    reworded = set(make_registers.REWORDED.values())
    for pair in data["registers"]:
        assert pair["a"] in originals and pair["b"] in reworded
    # every twin points at a question of its corpus
    for twins in similar_eval.twin_sets():
        assert twins.twins and all(0 <= t < twins.base <= q for q, t in twins.twins)


@pytest.mark.parametrize("corpus", ["citydeal", "caa"])
def test_combined_is_no_worse_than_words_in_precision(corpus: str) -> None:
    table = {
        (m, c): (p10, p20, missing)
        for m, c, p10, p20, missing in similar_eval.precision_table((WORDS_ONLY, DEFAULT_METHOD))
    }
    words, combined = table[(WORDS_ONLY, corpus)], table[(DEFAULT_METHOD, corpus)]
    assert combined[0] >= words[0], f"P@10 {combined[0]:.2f} < words {words[0]:.2f}"
    assert combined[1] >= words[1], f"P@20 {combined[1]:.2f} < words {words[1]:.2f}"
    assert combined[2] == 0, "pairs in the top 20 without a label: label them"


def _hits(method: str, mode: str, prefix: str = "") -> tuple[int, int]:
    hits = total = 0
    for twins in similar_eval.twin_sets():
        if twins.name.startswith(prefix):
            h, n = similar_eval.hits_at_1(twins, method, mode)
            hits, total = hits + h, total + n
    return hits, total


def test_translations_find_their_original() -> None:
    hits, total = _hits(DEFAULT_METHOD, "one", "translated")
    assert total >= 40
    assert hits / total >= 0.9, f"hits@1 across languages {hits}/{total}"
    words, _ = _hits(WORDS_ONLY, "one", "translated")
    assert hits > words
    together, _ = _hits(DEFAULT_METHOD, "all", "translated")
    words_together, _ = _hits(WORDS_ONLY, "all", "translated")
    assert together >= words_together and together / total >= 0.75


def test_every_set_of_twins_is_found_no_worse_than_by_words() -> None:
    for twins in similar_eval.twin_sets():
        for mode in ("one", "all"):
            combined, n = similar_eval.hits_at_1(twins, DEFAULT_METHOD, mode)
            words, _ = similar_eval.hits_at_1(twins, WORDS_ONLY, mode)
            assert combined >= words, f"{twins.name} ({mode}): {combined}/{n} < words {words}/{n}"


def test_language_guess() -> None:
    for name, right, total in similar_eval.language_accuracy():
        assert right / total >= 0.97, f"{name}: {right}/{total}"
    assert detect_language("Hoe valideer je een model?") == "nl"
    assert detect_language("How do you validate a model?") == "en"
    assert detect_language("Wie kann man das Modell prüfen und wann?") == "de"
    assert detect_language("Comment valider le modèle pour les villes?") == "fr"
    assert detect_language("") == detect_language("AI?") == ""  # no evidence, no guess
    # Flemish is Dutch
    assert detect_language("Hoe kan het schepencollege de burgers betrekken bij de stad?") == "nl"


def test_a_translation_and_its_original_mean_the_same() -> None:
    vectors = embed(
        [
            "Hoe betrekken we bewoners bij slimme straatverlichting?",
            "How do we involve residents in smart street lighting?",
            "Wat kost een warmtenet?",
        ]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > 0.6 and same - other > 0.3


def test_the_score_is_calibrated_and_monotone() -> None:
    grid = np.linspace(-0.2, 1.0, 13)
    scores = combine(grid[:, None], grid[None, :])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert (np.diff(scores, axis=0) >= 0).all() and (np.diff(scores, axis=1) >= 0).all()
    assert combine(np.array(0.0), np.array(0.0)) < 0.1  # unrelated: unlikely
    assert combine(np.array(1.0), np.array(1.0)) > 0.99  # the same text


def test_a_pair_says_why_it_is_proposed() -> None:
    nl = QuestionContext(lang="nl")
    en = QuestionContext(lang="en")
    words = SimilarPair("a", "b", 0.9, ("lokaal",), a_context=nl, b_context=nl)
    assert words.reason == "words"
    translated = SimilarPair("a", "b", 0.8, (), a_context=nl, b_context=en)
    assert translated.reason == "meaning" and translated.other_language
    assert translated.meaning_reason == "similar_reason_language"
    paraphrase = SimilarPair("a", "b", 0.8, (), a_context=nl, b_context=nl)
    assert paraphrase.meaning_reason == "similar_reason_words"
    weak = SimilarPair("a", "b", 0.2, (), a_context=nl, b_context=QuestionContext())
    assert weak.meaning_reason == "similar_reason_words_near"  # an unknown language is no other one
    data = translated.to_dict()
    assert data["reason"] == "meaning" and data["b_context"]["lang"] == "en"
