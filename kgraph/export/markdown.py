"""User text made inert for Markdown: it shows as typed, never as a link, image, heading,
emphasis or HTML, in the dashboard (Streamlit's GitHub-flavoured Markdown) and in the .md
handover report.

Backslash escapes are not enough on their own: GitHub-flavoured Markdown turns bare
``https://…``, ``www.…`` and ``name@host.tld`` into links *after* escapes are resolved
(Streamlit's renderer and cmark-gfm both do), so those patterns are also broken up with an
invisible U+2060 WORD JOINER. Line breaks become spaces, so a title cannot start a heading,
a list item or a new paragraph.
"""

from __future__ import annotations

import re

#: invisible, and not a word character: an autolink pattern stops matching at it
WORD_JOINER = "\u2060"

# what Markdown acts on anywhere in a line: escapes, code, emphasis, strikethrough, links
# and images (``[``), HTML and quotes (``<`` ``>``), entities, table cells, math, headings,
# and Streamlit's directives (``:red[…]``, ``:material/…:``, which ignore the joiner)
_INLINE = re.compile(r"([\\`*_\[\]<>&~|$#:/])")
# what acts only at the start of a line: list items, a setext underline, "1." / "1)"
_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)])(?=\s|$))")
# the starts of GFM autolink literals and Streamlit's ``:shortcode:``/``:material/…:``:
# a scheme's colon, ``www.``, an e-mail's ``@``, the colon opening ``:name:``. Only these
# get the joiner, so an id such as ``cop:lokaal-meten`` copies as it is shown
_SCHEME = re.compile(r"(https?|ftp|mailto|xmpp)(?=:)", re.IGNORECASE)
_WWW_DOT = re.compile(r"(?<=www)\.", re.IGNORECASE)
_SHORTCODE = re.compile(r":(?=[\w+/-]+:)")


def escape_markdown(text: object) -> str:
    """``text`` (anything, shown as ``str``) on one line, with every character Markdown
    acts on backslash-escaped and autolink patterns broken up: it renders as typed, at
    the start of a line or within one, in a heading, a list item or a table cell."""
    one_line = " ".join(str(text).split())
    broken = _SCHEME.sub(r"\1" + WORD_JOINER, one_line)
    broken = _WWW_DOT.sub(WORD_JOINER + ".", broken)
    broken = _SHORTCODE.sub(":" + WORD_JOINER, broken)
    broken = broken.replace("@", "@" + WORD_JOINER)
    escaped = _INLINE.sub(r"\\\1", broken)
    return _LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def unescape_markdown(text: str) -> str:
    """What ``escape_markdown`` output reads as (escapes resolved, joiners removed): the
    original text on one line. For tests and checks, not for rendering."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(WORD_JOINER, "")
