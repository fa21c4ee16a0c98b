"""Dates as people type and read them: DD-MM-JJJJ (ISO accepted), Amsterdam time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kgraph import dates


@pytest.mark.parametrize(
    "typed",
    ["12-03-2024", "12-3-2024", "12/03/2024", "12.03.2024", " 12-03-2024 ", "2024-03-12"],
)
def test_dutch_and_iso_dates_are_read(typed: str) -> None:
    assert dates.parse_day(typed) == date(2024, 3, 12)


@pytest.mark.parametrize(
    "typed", ["", "  ", None, "30-02-2024", "2024-3-12", "12 maart 2024", "03/12/24", 20240312]
)
def test_anything_else_is_refused_with_a_reason(typed: object) -> None:
    with pytest.raises(dates.DateInputError) as caught:
        dates.parse_day(typed, field="decided_on")
    empty = typed is None or (isinstance(typed, str) and not typed.strip())
    assert caught.value.key == ("date_missing" if empty else "date_bad")
    assert "decided_on" in str(caught.value)


def test_dates_are_shown_as_their_reader_writes_them() -> None:
    assert dates.format_day("2024-03-12", "nl") == "12-03-2024"
    assert dates.format_day(date(2024, 3, 12), "en") == "2024-03-12"
    assert dates.format_day("maart 2024", "nl") == "maart 2024"  # shown, never made up
    assert dates.format_day(None) == ""
    assert dates.long_day(date(2024, 3, 12), "nl") == "12 maart 2024"
    assert dates.long_day(date(2024, 3, 12), "en") == "12 March 2024"


def test_times_are_shown_in_amsterdam_summer_and_winter() -> None:
    assert dates.format_moment("2024-03-12T13:05:00+00:00", "nl") == "12-03-2024 14:05"
    assert dates.format_moment("2024-07-01T13:05:00+00:00", "nl") == "01-07-2024 15:05"
    assert dates.format_moment("2024-07-01T23:30:00", "en") == "2024-07-02 01:30"
    assert dates.stand_per(datetime(2024, 3, 12, 13, 5, tzinfo=UTC)) == "12 maart 2024, 14:05"


def test_a_day_runs_from_midnight_in_amsterdam() -> None:
    assert dates.day_start(date(2024, 3, 12)) == "2024-03-11T23:00:00.000000+00:00"
    assert dates.day_end(date(2024, 7, 1)) == "2024-07-01T22:00:00.000000+00:00"
