"""Reading the steering group's pages in AppTest: the text and markup of their HTML tables."""

from __future__ import annotations

import html
import re

from streamlit.testing.v1 import AppTest


def html_text(at: AppTest) -> str:
    """The text of every ``st.html`` block of the page, tags removed, entities resolved."""
    bodies = [node.proto.body for node in at.get("html")]
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", " ", b)) for b in bodies)


def html_markup(at: AppTest) -> str:
    return "\n".join(node.proto.body for node in at.get("html"))
