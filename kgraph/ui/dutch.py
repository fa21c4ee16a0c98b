"""Streamlit's own words in the page's language, where Streamlit lets a page choose: no
"Press Enter to apply / submit form" hints (on the pages that call ``hide_english_hints``
Enter never saves anything: forms are saved by their button), and the filters' "Select
all" left out (``widgets.filter_choice``)."""

from __future__ import annotations

import streamlit as st

_HIDE_HINTS = '<style>[data-testid="InputInstructions"]{display:none}</style>'


def hide_english_hints() -> None:
    """Hide Streamlit's English input hints on this page run."""
    st.html(_HIDE_HINTS)
