"""Word forms for the stores' text search: the similar-question finder's stemmer
(``kgraph.analysis._text.stem``), so ``gesprekken`` finds ``gesprek`` and ``metingen``
finds ``meten`` on both backends, and the bound on what a query may cost.

A word is stemmed until it no longer changes (``search_stem``): the light stemmer takes
one suffix at a time (``metingen`` -> ``meting`` -> ``met``), and two forms of a word
should meet however many suffixes they carry. Stop words and one-letter words get no
stem (``met`` the preposition must not find every ``meten``), digits neither.

A query is cut to its first ``MAX_QUERY_CHARS`` characters and ``MAX_TERMS`` distinct
words before anything is asked of the index, so a pasted page of text costs what a
sentence costs.
"""

from __future__ import annotations

import re

from kgraph.model import Node, fold

#: at most this many distinct words of a query are searched for
MAX_TERMS = 12
#: only this much of a query's text is read
MAX_QUERY_CHARS = 400
#: a word longer than this is searched by its first characters only
MAX_TERM_CHARS = 60
_WORD = re.compile(r"[0-9a-z]+")


def search_stem(word: str) -> str:
    """``stem`` applied until the word no longer changes."""
    from kgraph.analysis._text import stem

    current = word
    for _ in range(6):
        nxt = stem(current)
        if nxt == current:
            break
        current = nxt
    return current


def query_stem(word: str) -> str | None:
    """The stem a query word also matches, or ``None`` (stop words, digits, one letter)."""
    from kgraph.analysis._text import STOP_WORDS

    if len(word) <= 1 or word.isdigit() or word in STOP_WORDS:
        return None
    return search_stem(word)


def query_terms(text: str) -> list[str]:
    """The distinct folded words of a query that are searched for, bounded (see above)."""
    words = list(
        dict.fromkeys(w[:MAX_TERM_CHARS] for w in _WORD.findall(fold(text[:MAX_QUERY_CHARS])))
    )
    # every word is matched as a word prefix, so one that starts another adds nothing (a word
    # the cut went through is such a start)
    kept = [w for w in words if not any(o != w and o.startswith(w) for o in words)]
    return kept[:MAX_TERMS]


def stems_of(text: str) -> str:
    """The stems of the meaningful words of ``text``, space-separated, each once."""
    from kgraph.analysis._text import words

    return " ".join(dict.fromkeys(search_stem(w) for w in words(text)))


def node_stems(node: Node) -> tuple[str, str]:
    """(stems of the title, stems of title, text, tags) of a node: what word forms match."""
    return stems_of(node.title), stems_of(" ".join([node.title, node.text, " ".join(node.tags)]))
