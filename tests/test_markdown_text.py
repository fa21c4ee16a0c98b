"""User text in Markdown stays text: ``kgraph.export.markdown.escape_markdown`` on its
own (every character round-trips, nothing acts, wherever it is placed) and the .md
handover report on both backends (titles, places, notes and names of deciders)."""

from __future__ import annotations

import re

import pytest
from helpers.markdown_rules import MD_TITLE, assert_inert, assert_no_markup, shown
from hypothesis import given
from hypothesis import strategies as st

from kgraph.export.markdown import escape_markdown, unescape_markdown
from kgraph.export.report import handover_report
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore

TRICKS = [
    MD_TITLE,
    "www.evil.example en WWW.Evil.Example",
    "mailto:c@d.nl of <https://y.nl>",
    "[klik](javascript:alert(1)) en [ref]: https://x.nl",
    "*vet* _schuin_ ~~weg~~ `code` $x^2$ &amp; &#60;",
    ":material/home: :smile: :red[rood] :blue-badge[b]",
    "- lijst",
    "+ lijst",
    "12) lijst",
    "1. lijst",
    "> citaat",
    "=== kop",
    "```code",
    "    ingesprongen",
    "| a | b |",
    "regel\r\nnieuwe regel\u2028nog een\n\n# kop",
]


@pytest.mark.parametrize("text", TRICKS)
def test_escaped_text_shows_as_typed_and_makes_nothing(text: str) -> None:
    out = escape_markdown(text)
    assert "\n" not in out and "\r" not in out
    assert shown(out) == " ".join(text.split())
    for placed in (out, f"### {out}", f"- {out}", f"| {out} |", f"tekst {out} tekst"):
        assert_inert(placed, text)
    # nothing Markdown or Streamlit acts on is left unescaped
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", out)
    assert not re.search(r"[\[\]<>`*_~|$&#]", bare), out
    assert not re.search(r"[A-Za-z0-9]:", bare.replace("\u2060", "")), out
    assert not re.match(r"[-+=]|\d+[.)](\s|$)", out), out


def test_plain_text_stays_readable() -> None:
    assert escape_markdown("Hoe borgen we meetnetten? 2024-03-12, (De Kien)") == (
        "Hoe borgen we meetnetten? 2024-03-12, (De Kien)"
    )
    assert escape_markdown(42) == "42"


@given(st.text(max_size=80))
def test_every_text_round_trips(text: str) -> None:
    out = escape_markdown(text)
    assert unescape_markdown(out) == " ".join(text.split())
    assert "\n" not in out


# --- the .md handover report --------------------------------------------------------------


def test_the_md_report_holds_no_live_link_image_or_markup(store: GraphStore) -> None:
    store.bulk_load(
        [
            Node("lp:proef", "landing_place", "Plek www.evil.example"),
            Node("cq:proef", "complex_question", MD_TITLE),
            Node("cq:los", "complex_question", "Los: zie https://evil.example/los"),
            Node("cop:proef", "cop", "CoP a@b.nl"),
        ],
        [
            Edge(
                "cq:proef",
                "LANDS_IN",
                "lp:proef",
                {
                    "status": "accepted",
                    "decided_on": "2024-03-12",
                    "decided_by": "mailto:boss@evil.example",
                    "note": "zie ![x](http://127.0.0.1:9/y.png)\n## nu",
                },
            ),
            Edge("cop:proef", "LANDS_IN", "lp:proef", {"status": "proposed"}),
        ],
    )
    for lang in ("nl", "en"):
        text = handover_report(store, "md", lang=lang).decode("utf-8")
        assert "evil" in text and "127.0.0.1" in text  # the user text is in the report
        for user in (
            MD_TITLE,
            "Plek www.evil.example",
            "Los: zie https://evil.example/los",
            "CoP a@b.nl",
            "mailto:boss@evil.example",
            "zie ![x](http://127.0.0.1:9/y.png)\n## nu",
        ):
            assert " ".join(user.split()) in shown(text), user
        for line in text.splitlines():
            assert_no_markup(line)
        assert "\n# H" not in text and "\n## nu" not in text
