"""The language of a question: a small, explainable guess from its function words.

Questions are short (five to thirty words), so statistical models trained on documents
are unreliable on them and would be another dependency. Function words are the opposite:
every question has some (``hoe``, ``je``, ``het`` / ``how``, ``the``, ``do``), they are
few, and they barely overlap between the languages a Dutch programme meets. The guess
counts them per language and takes the clear winner; a question with no evidence either
way gets ``""`` (unknown) rather than a guess. Flemish is Dutch (``nl``).

Measured by ``benchmarks/similar_eval.py`` on every labelled question whose language is
known (the City Deal questions, the CAA agenda, the translations and paraphrases in
``tests/data/similar_pairs.yaml``); ``tests/test_similar_language.py`` holds the floor.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kgraph.model import fold


def _marker_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: language code -> words that mark it (folded, no accents)
_MARKERS: dict[str, frozenset[str]] = {
    "nl": _marker_words(
        """
        de het een en van hoe je jij we wij wat welke wie waar wanneer waarom is zijn
        niet met voor op bij naar door ook nog dat die dit deze er om te kan kunnen
        moet moeten gaan gaat zorg zorgen hebben heeft worden wordt zoals ons onze hun
        hoeverre daarvan welk binnen tussen zich mee omgaan
        """
    ),
    "en": _marker_words(
        """
        the a an and of how you we what which who where when why are not with for on
        at to do does did can could should would this that these those there their
        they is be been being from into by as such extent whether our your its
        """
    ),
    "de": _marker_words(
        """
        der die das und ist nicht mit fur auf wie wir ich sie ein eine einen dem den
        des zu im sind wird werden kann konnen welche warum wann ihr bevor man sich
        auch nach oder was mussen
        """
    ),
    "fr": _marker_words(
        """
        le la les et est pas avec pour sur comment nous vous un une des du au aux
        dans qui que quoi quelle quelles quel quels sont peut peuvent pourquoi combien
        il ils elle elles ce cette ces leur leurs se
        """
    ),
}
_WORD = re.compile(r"[a-z]+")
# words that two lists share count for neither (``die`` is Dutch and German, ``des``
# French and German): only words unique to one language are evidence
_SHARED = frozenset(
    w for a in _MARKERS for b in _MARKERS if a < b for w in _MARKERS[a] & _MARKERS[b]
)
LANGUAGES: tuple[str, ...] = tuple(_MARKERS)


@lru_cache(maxsize=65536)
def detect_language(text: str) -> str:
    """``nl``, ``en``, ``de`` or ``fr`` for ``text``, or ``""`` when its words give no
    clear answer (no marker word, or a tie)."""
    counts = dict.fromkeys(_MARKERS, 0)
    for word in _WORD.findall(fold(text)):
        if word in _SHARED:
            continue
        for lang, markers in _MARKERS.items():
            if word in markers:
                counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    return best if n > runner_up else ""
