"""Parsing the moments people type (``2024-03-01``, ``2024-03-01T10:00``) into UTC ISO."""

from __future__ import annotations

from datetime import UTC, datetime

from kgraph.errors import ValidationError


def parse_moment(text: str) -> str:
    """``text`` as an ISO-8601 UTC timestamp comparable with history entries.

    A date alone means its start (00:00 UTC); a time without zone is taken as UTC.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(f"not an ISO date or date-time: {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
