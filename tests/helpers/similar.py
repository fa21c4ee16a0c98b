"""Waiting in AppTest for the similar-question pages' background computation: the page
shows its progress and refreshes itself in a browser (a fragment that AppTest does not
run), so a test runs the script again until the result is there."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from kgraph.analysis import similar_jobs
from kgraph.ui.i18n import STRINGS


def waiting(at: AppTest) -> bool:
    """Whether the page is still waiting for a background result."""
    busy = {STRINGS["similar_busy"][lang] for lang in ("nl", "en")}
    return bool(at.get("progress")) or any(c.value in busy for c in at.caption)


def settle(at: AppTest) -> AppTest:
    """Run ``at`` again until no similar-question result is being waited for."""
    while waiting(at):
        similar_jobs.wait_all(timeout=600)
        time.sleep(0.05)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
