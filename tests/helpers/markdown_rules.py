"""What a GitHub-flavoured Markdown renderer (Streamlit's, cmark-gfm) makes of a source,
written out as rules, so a test can check the source a page or report produces."""

from __future__ import annotations

import re

#: a title that tries every trick: a remote image, HTML, a bare URL, an e-mail address
#: (both autolinked by GFM) and a newline starting a heading
MD_TITLE = "![x](http://127.0.0.1:9/x.png) <b>x</b> https://evil.example a@b.nl\n# H"

# a character escaped with a backslash is shown as itself (CommonMark)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
# GFM autolink literals, matched on the text after escapes are resolved (as Streamlit's
# renderer does): a scheme, ``www.``, or an e-mail address
_AUTOLINK = re.compile(r"(?i)(https?:|mailto:|www\.)|[\w.+-]+@[\w-]+\.\w")


def resolved(source: str) -> str:
    """A Markdown source with its escapes resolved: what the autolinker looks at."""
    return _ESCAPED.sub(r"\1", source)


def shown(source: str) -> str:
    """The text a Markdown source reads as: escapes resolved, invisible joiners dropped."""
    return resolved(source).replace("\u2060", "")


def assert_inert(source: str, text: str) -> None:
    """``source`` shows the user's ``text`` as typed (on one line) and makes nothing of it:
    no image, link, HTML or heading, and no autolink."""
    one_line = " ".join(text.split())
    assert one_line in shown(source), f"{one_line!r} is not shown as typed in {source!r}"
    for line in text.splitlines()[1:]:
        assert "\n" + line not in source, f"a newline of the text starts a block: {source!r}"
    assert_no_markup(source)


def assert_no_markup(source: str) -> None:
    """No image, link or HTML tag acts in ``source``, and nothing in it is autolinked."""
    bare = _ESCAPED.sub("", source)  # what is left unescaped
    for active in ("![", "](", "<b>", "</b>", "<http"):
        assert active not in bare, f"{active!r} acts in {source!r}"
    assert not _AUTOLINK.search(resolved(source)), f"a link is made in {source!r}"
