"""Words for comparing questions: folding, Dutch and English stop words, a light stemmer.

The stemmer is deliberately small and language-blind (questions are not tagged with a
language): it strips the common Dutch and English inflections so that ``modellen`` and
``model``, ``vragen`` and ``vraag``, ``students`` and ``student``, ``marking`` and ``mark``
meet, and it never needs a dictionary or a download.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kgraph.model import fold

_WORD = re.compile(r"[a-z0-9]+")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Function words and the question openers every question shares; folded (no accents).
DUTCH_STOP_WORDS: frozenset[str] = _word_set(
    """
    aan al alle alles als altijd andere ben bij bijvoorbeeld daar daarbij daarom daarvan
    dan dat de deze die dit doe doen door dus een eens en er ermee ervan ga gaan gaat
    geen had heb hebben heeft hem het hier hij hoe hun ik in ipv is ja je jij jou jouw
    kan kun kunnen laat maar me meer men met mij mijn moet moeten na naar niet nog nu
    of om omdat ons onze ook op over per te tegen toch toe tot u uit van veel voor
    waar wanneer want waren was wat we welk welke wie wij wil worden wordt zal ze zelf
    zich zij zijn zo zoals zonder zou zullen ten aanzien hierbij eerder e.a tbv vanuit
    binnen tussen zorg zorgen hoeverre enz etc
    """
)

ENGLISH_STOP_WORDS: frozenset[str] = _word_set(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    e eg etc few for from further had has have having he her here hers him his how i ie
    if in into is it its itself just may me might more most much must my no nor not of
    off on once only or other our ours out over own same she should so some such than
    that the their theirs them then there these they this those through to too under
    until up upon us very was we were what when where which while who whom why will with
    within would you your yours extent whether using use used via versus vs can
    """
)

STOP_WORDS: frozenset[str] = DUTCH_STOP_WORDS | ENGLISH_STOP_WORDS

_DOUBLE_CONSONANT = re.compile(r"([bdfgklmnprst])\1$")
_DOUBLE_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-blind stem of a folded word (see the module docstring)."""
    w = word
    if len(w) > 6 and w.endswith("heden"):
        w = w[:-5] + "heid"
    elif len(w) > 6 and w.endswith("ingen"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith(("ed", "en")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ly"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    w = _DOUBLE_CONSONANT.sub(r"\1", w)
    return _DOUBLE_VOWEL.sub(lambda m: m.group(1)[0] + m.group(2), w)


def words(text: str) -> list[str]:
    """The folded words of ``text`` that carry meaning (stop words and digits dropped)."""
    return [
        w
        for w in _WORD.findall(fold(text))
        if w not in STOP_WORDS and not w.isdigit() and len(w) > 1
    ]


def stems(text: str) -> list[str]:
    """``words(text)``, each stemmed."""
    return [stem(w) for w in words(text)]


def stem_ngrams(text: str) -> list[str]:
    """Stems and stem bigrams of ``text``: the features of the word TF-IDF method."""
    found = stems(text)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


def content_text(text: str) -> str:
    """``text`` folded with stop words removed: the input of the character n-gram method."""
    return " ".join(words(text))


def shared_words(a: str, b: str) -> list[str]:
    """The words of ``a`` whose stem also occurs in ``b``, in ``a``'s order, no repeats."""
    b_stems = set(stems(b))
    seen: dict[str, None] = {}
    for w in words(a):
        if stem(w) in b_stems:
            seen.setdefault(w, None)
    return list(seen)
